// The dashboard: a router over its pages (pages/*.js) and the wallet session in the header.
import './style.css';
import { h, short } from './format.js';
import { say, notice, render, busy, navigate, latest } from './ui.js';
import * as wallet from './wallet.js';
import { getAddress } from 'viem';
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
  const mine = navigate();
  busy(true);
  try {
    for (const [pattern, view] of routes) {
      const m = path.match(pattern);
      if (m) {
        try {
          await view(...m.slice(1), params);
        } catch (e) {
          if (!latest(mine)) return; // the reader went on: this page's failure is not theirs to read
          // A page of something that does not exist (an old link, a mistyped id) is not a failure of Merit's.
          render(e.status === 404 ? 'Not found' : e.status === 0 ? 'Merit is unreachable' : 'Something went wrong',
            notice(e.message, 'error'),
            h('p', {}, h('a', { href: '#/' }, 'Back to the start')));
        }
        return;
      }
    }
    render('Not found', notice('There is no page at ' + path + '.', 'error'),
      h('p', {}, h('a', { href: '#/' }, 'Back to the start')));
  } finally {
    // Only the latest navigation ends the loading state (an older, slower one may finish after it).
    if (latest(mine)) busy(false);
  }
}

window.addEventListener('hashchange', () => { say(''); window.scrollTo(0, 0); route(); });
window.addEventListener('merit:reload', () => route());

// ---- session -------------------------------------------------------------------------------------------------------

const signInButton = document.getElementById('sign-in');
const signOutButton = document.getElementById('sign-out');
const sessionLabel = document.getElementById('session');

let shown; // who the page was drawn for: undefined before the first look

/**
 * Shows the session in the header; when it changed (signed in or out, or the wallet now stands for a contributor),
 * the page is drawn again, since what it offers depends on who reads it (dispute links, voting power).
 */
/** An address as the tables write wallets (EIP-55 mixed case), so a person comparing them sees the same characters. */
function checksummed(addr) {
  try {
    return getAddress(addr);
  } catch (e) {
    return addr;
  }
}

async function showSession(redraw = false, headerOnly = false) {
  const s = await wallet.session().catch(() => null);
  const maintainer = await wallet.maintainer(s); // the session read once
  // A page on Merit's own machine acts as a maintainer without signing in: said, so that its controls (answer,
  // merge, put on chain) are known for what they are.
  sessionLabel.textContent = s ? `Signed in as ${short(checksummed(s.address))}${s.maintainer ? ' (maintainer)'
    : maintainer ? ' · maintainer (this machine)' : ''}` : maintainer ? 'Maintainer (this machine)' : '';
  sessionLabel.title = s ? s.address : '';
  signInButton.hidden = !!s;
  signOutButton.hidden = !s;
  const who = s ? `${s.address}:${s.contributorId ?? ''}:${s.maintainer ? 'm' : ''}` : '';
  const changed = shown !== undefined && who !== shown;
  shown = who;
  if ((changed && !headerOnly) || redraw) route();
}

signInButton.addEventListener('click', async () => {
  signInButton.disabled = true;
  try {
    const s = await wallet.signIn();
    say(`Signed in as ${short(s.address)}.`);
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

// A proposal's page shows the votes of the account the wallet signs with: drawn again when the member switches.
wallet.onAccountsChanged(() => {
  if (window.location.hash.startsWith('#/proposals/')) route();
});

window.addEventListener('merit:session', (e) => showSession(!!e.detail?.redraw, !!e.detail?.headerOnly));

showSession();
route();
