// What every page shares: the flash line, notices, and rendering a page into <main>.
import { h, relative } from './format.js';
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

let navigations = 0;

/** A navigation begins (the address changed): pages still being drawn for earlier ones no longer replace the page. */
export function navigate() {
  return ++navigations;
}

/** Whether navigation {@code n} is the latest. */
export function latest(n) {
  return n === navigations;
}

/**
 * Called at the start of a view, before it waits for anything: its own render, which draws only while no newer
 * navigation has begun. A slow page (a contributor's, while its data loads) finished after the reader went on would
 * otherwise replace the page they went to.
 */
export function viewRender() {
  const mine = navigations;
  const draw = (title, ...content) => {
    if (latest(mine)) render(title, ...content);
  };
  /** Whether the reader is still on this view's page: anything it changes after waiting checks this first. */
  draw.current = () => latest(mine);
  return draw;
}

export function render(title, ...content) {
  clearCharts();
  tabTitle(title);
  // Absent parts (null, false) are skipped: replaceChildren would print them as the text "null".
  main.replaceChildren(h('h1', {}, days(title)),
    ...content.flat().filter((c) => c !== null && c !== undefined && c !== false));
  main.focus({ preventScroll: true });
}

/** A heading with each day in it ("2026-12-06") kept on one line: a phone broke "Payout of ... to 2026-" there. */
function days(title) {
  return typeof title !== 'string' ? title : title.split(/(\d{4}-\d{2}-\d{2})/)
    .map((part, i) => (i % 2 ? h('span', { class: 'day' }, part) : part)).filter((part) => part !== '');
}

/** The browser tab's title: "Payout #51 · Merit" (render sets the page's heading; a page may name its tab shorter). */
export function tabTitle(title) {
  document.title = title && title !== 'Merit' ? title + ' · Merit' : 'Merit';
}

const bar = document.getElementById('progress');
let busyTimer = null;

/**
 * Says that a page's data is loading: main is aria-busy at once, and a thin bar shows at the top when it takes
 * longer than a blink (so fast pages do not flicker). busy(false) ends it.
 */
export function busy(on) {
  clearTimeout(busyTimer);
  if (on) {
    main.setAttribute('aria-busy', 'true');
    busyTimer = setTimeout(() => { bar.hidden = false; }, 150);
  } else {
    main.removeAttribute('aria-busy');
    bar.hidden = true;
  }
}

/** Renders the current page again (after an action changed what it shows). */
export function reload() {
  window.dispatchEvent(new Event('merit:reload'));
}

// Pages ask for the session to be shown again after they sign in or out; api.js, after a 401.
export { refreshSession } from './api.js';

// "in 3 min" goes stale on a tab left open: every relative time on the page is said again twice a minute.
setInterval(() => {
  for (const span of document.querySelectorAll('[data-relative]')) {
    span.textContent = `(${relative(span.dataset.relative)})`;
  }
}, 30000);
