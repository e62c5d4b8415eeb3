// The dashboard: a router over its pages (pages/*.js) and the wallet session in the header.
import './style.css';
import { h } from './format.js';
import { say, notice, render } from './ui.js';
import * as wallet from './wallet.js';
import { home } from './pages/home.js';
import { contributor } from './pages/contributor.js';
import { epochs, leaderboard } from './pages/epochs.js';
import { proposals, proposal } from './pages/proposals.js';
import { disputes } from './pages/disputes.js';

const routes = [
  [/^#?\/?$/, home],
  [/^#\/contributors\/(\d+)$/, contributor],
  [/^#\/epochs$/, epochs],
  [/^#\/epochs\/(\d+)$/, leaderboard],
  [/^#\/proposals$/, proposals],
  [/^#\/proposals\/(\d+)$/, proposal],
  [/^#\/disputes$/, disputes],
];

async function route() {
  const [path, query] = (location.hash || '#/').split('?');
  const params = new URLSearchParams(query || '');
  for (const [pattern, view] of routes) {
    const m = path.match(pattern);
    if (m) {
      try {
        await view(...m.slice(1), params);
      } catch (e) {
        render('Something went wrong', notice(e.message, 'error'),
          h('p', {}, h('a', { href: '#/' }, 'Back to the start')));
      }
      return;
    }
  }
  render('Not found', notice('There is no page at ' + path + '.', 'error'));
}

window.addEventListener('hashchange', () => { say(''); route(); });
window.addEventListener('merit:reload', () => route());

// ---- session -------------------------------------------------------------------------------------------------------

const signInButton = document.getElementById('sign-in');
const signOutButton = document.getElementById('sign-out');
const sessionLabel = document.getElementById('session');

async function showSession() {
  const s = await wallet.session().catch(() => null);
  sessionLabel.textContent = s ? `Signed in as ${s.address.slice(0, 6)}…${s.address.slice(-4)}` : '';
  sessionLabel.title = s ? s.address : '';
  signInButton.hidden = !!s;
  signOutButton.hidden = !s;
}

signInButton.addEventListener('click', async () => {
  signInButton.disabled = true;
  try {
    const s = await wallet.signIn();
    say(`Signed in as ${s.address}.`);
    await showSession();
  } catch (e) {
    say(e.message, true);
  } finally {
    signInButton.disabled = false;
  }
});
signOutButton.addEventListener('click', async () => {
  await wallet.signOut();
  say('Signed out.');
  await showSession();
});

window.addEventListener('merit:session', () => showSession());

showSession();
route();
