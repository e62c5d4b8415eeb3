// What every page shares: the flash line, notices, and rendering a page into <main>.
import { h } from './format.js';
import { clearCharts } from './charts.js';

const main = document.getElementById('main');
const flash = document.getElementById('flash');

export function say(message, error = false) {
  flash.textContent = message || '';
  flash.className = error ? 'error' : '';
}

export function notice(message, kind = '') {
  return h('p', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, message);
}

export function render(title, ...content) {
  clearCharts();
  document.title = title + ' · Merit';
  // Absent parts (null, false) are skipped: replaceChildren would print them as the text "null".
  main.replaceChildren(h('h1', {}, title), ...content.flat().filter((c) => c !== null && c !== undefined && c !== false));
  main.focus({ preventScroll: true });
}

/** Renders the current page again (after an action changed what it shows). */
export function reload() {
  window.dispatchEvent(new Event('merit:reload'));
}

/** Shows the wallet session in the header again (after a page signed in or out). */
export function refreshSession() {
  window.dispatchEvent(new Event('merit:session'));
}
