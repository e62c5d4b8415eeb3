import { get } from '../api.js';
import { h, date, period, periodUtc, count, percent, amount, blockWhen, when, relative, botMark, short, grouped,
  VOTING, stateLabel, chainSilentWords } from '../format.js';
import { notice, tabTitle, viewRender } from '../ui.js';
import * as wallet from '../wallet.js';

export async function home(params) {
  const render = viewRender(); // draws only while the reader is still on this page
  const q = params.get('q') || '';
  const input = h('input', { type: 'search', id: 'q', name: 'q', value: q, autocomplete: 'off',
    placeholder: 'login, e-mail or wallet' });
  const form = h('form', { class: 'inline', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    location.hash = '#/?q=' + encodeURIComponent(input.value.trim());
  } }, h('div', {}, h('label', { for: 'q' }, 'Find yourself'), input), h('button', { type: 'submit' }, 'Search'));
  const results = h('div', { id: 'results', 'aria-live': 'polite' });
  const [o, maintainer] = await Promise.all([get('/api/overview'), wallet.maintainer()]);
  // Not while searching: the reads are for the home page itself. Drawn after the page, which does not wait for them
  // (two of them read every contributor).
  const waiting = maintainer && !q ? h('section', { class: 'panel', id: 'home-waiting-panel', 'aria-busy': 'true' },
    h('h2', {}, 'Waiting on you'), h('p', { class: 'muted' }, 'Reading what waits on a maintainer…')) : null;
  render(o.dao,
    h('p', {}, 'Contributions, scores and payouts: every score decomposes into named factors you can check; every '
      + 'payout carries the hash of its inputs, policy and model, and members ratify it by vote.'),
    form, results,
    h('div', { class: 'home-grid' }, waiting, epochPanel(o), proposalPanel(o), leaderPanel(o)));
  if (!render.current()) return;
  if (waiting) {
    waitingPanel().then((panel) => {
      if (render.current()) waiting.replaceWith(panel);
    });
  }
  if (q) tabTitle(`Search “${q}”`);
  else document.title = /\bmerit\b/i.test(o.dao) ? o.dao : `${o.dao} · Merit`;
  if (q) {
    // One more than are shown, to know whether there are more than that.
    const found = await get(`/api/contributors?size=${FOUND_SHOWN + 1}&q=` + encodeURIComponent(q));
    results.replaceChildren(...(found.length
      ? [h('ul', { class: 'plain', 'aria-label': 'Contributors found' }, found.slice(0, FOUND_SHOWN).map((c) => h('li', {},
        h('a', { href: `#/contributors/${c.id}` }, c.displayName), ' ',
        h('span', { class: 'muted' }, c.identities.slice(0, 3).flatMap((i, k) => [k ? ', ' : '', handle(i)]))))),
      found.length > FOUND_SHOWN ? h('p', { class: 'muted', id: 'search-more' }, `The first ${FOUND_SHOWN} matches of more: `
        + 'type more of the name, e-mail, login or wallet to find yours.') : null].filter(Boolean)
      : [notice(`No contributor matches “${q}”. Try your whole commit e-mail address, your forge login or your wallet.`)]));
  }
}

/** Search results shown at once: a name that matches more is made more precise, not scrolled through. */
const FOUND_SHOWN = 50;

/** An identity as found: a wallet address shortened (the whole one in its title), a login or e-mail as it is. */
function handle(i) {
  return i.kind === 'WALLET' || /^0x[0-9a-fA-F]{40}$/.test(i.handle) ? h('code', { title: i.handle }, short(i.handle)) : i.handle;
}

/**
 * For a maintainer: what waits on them, each linked to where it is done (open disputes, drafts that can go on chain,
 * accounts to review as bots or people, pairs that may be one person). Four reads, for maintainers only.
 */
async function waitingPanel() {
  const none = () => null;
  const [disputes, proposals, bots, pairs, epochs] = await Promise.all([
    get(`/api/disputes?status=open&size=${MANY + 1}`).catch(none), get('/api/payout-proposals').catch(none),
    get('/api/contributors/bots').catch(none), get('/api/contributors/merge-suggestions').catch(none),
    get('/api/epochs').catch(none)]);
  // A draft of an epoch still running goes on chain only once it has ended: not waiting on anyone yet.
  const ended = new Set((epochs || []).filter((e) => Date.parse(e.endsAt) <= Date.now()).map((e) => e.id));
  const many = (list) => (list.length > MANY ? `${MANY}+` : grouped(list.length));
  const drafts = (proposals || [])
    .filter((p) => p.state === 'draft' && ended.has(p.epochId) && !/can never go on chain/.test(p.stateText || ''));
  // Drafts whose epochs share time are not two payouts to make: of two epochs that share time only one is ever paid.
  // Said per draft and exactly: with A-B-C where only neighbours overlap, paying B leaves neither A nor C, while A and C
  // can both be paid.
  const overlapping = new Map((epochs || []).map((e) => [e.id, new Set((e.overlaps || []).map((o) => o.id))]));
  const rivals = (p) => {
    const others = drafts.filter((o) => o.id !== p.id && overlapping.get(p.epochId)?.has(o.epochId));
    if (!others.length) return null;
    const names = others.map((o) => `#${o.id}`);
    return h('span', { class: 'muted', 'data-rivals': p.id }, others.length === 1
      ? ` (its epoch shares time with draft ${names[0]}'s: only one of the two can be paid)`
      : ` (its epoch shares time with those of drafts ${names.slice(0, -1).join(', ')} and ${names.at(-1)}: `
        + 'once it is paid none of them can be, and once one of them is paid it cannot be)');
  };
  const items = [
    disputes?.length ? h('li', {}, h('a', { href: '#/disputes?status=open' },
      `${many(disputes)} open ${disputes.length === 1 ? 'dispute' : 'disputes'} to answer`)) : null,
    ...drafts.slice(0, 3).map((p) => h('li', {}, h('a', { href: `#/proposals/${p.id}` }, `Draft payout #${p.id}`),
      ` of ${p.epochName}: to put on chain or withdraw`, rivals(p))),
    drafts.length > 3
      ? h('li', {}, h('a', { href: '#/proposals' }, `and ${count(drafts.length - 3, 'other draft')}`)) : null,
    bots?.review?.length ? h('li', {}, h('a', { href: '#/disputes' },
      count(grouped(bots.review.length), 'account', 'accounts') + ' to review as a bot or a person')) : null,
    pairs?.length ? h('li', {}, h('a', { href: '#/disputes' },
      count(grouped(pairs.length), 'pair', 'pairs') + ' of contributors who may be one person')) : null,
  ].filter(Boolean);
  return h('section', { class: 'panel', 'aria-labelledby': 'home-waiting', id: 'home-waiting-panel' },
    h('h2', { id: 'home-waiting' }, 'Waiting on you'),
    items.length ? h('ul', { class: 'plain' }, items)
      : [disputes, proposals, bots, pairs].some((r) => r === null)
        ? h('p', { class: 'muted' }, 'What waits on a maintainer could not be read now; reload to try again.')
        : h('p', { class: 'muted' }, 'Nothing waits on a maintainer now.'));
}

/** Open disputes counted up to this many on the home page ("50+" beyond). */
const MANY = 50;

function epochPanel(o) {
  const e = o.currentEpoch;
  // Its dates, unless its name already is them ("2014-01-01 to 2014-12-31"), and when it closes while open.
  const about = e ? [e.name === period(e.startsAt, e.endsAt) ? null : periodUtc(e.startsAt, e.endsAt),
    o.epochOpen ? `closes ${relative(e.endsAt)}` : null].filter(Boolean).join(' · ') : '';
  return h('section', { class: 'panel', 'aria-labelledby': 'home-epoch', id: 'home-epoch-panel' },
    h('h2', { id: 'home-epoch' }, o.epochOpen ? 'Open epoch' : 'Latest epoch'),
    e ? [h('p', {}, h('a', { href: `#/epochs/${e.id}` }, e.name)),
      about ? h('p', { class: 'muted' }, about) : null,
      h('p', {}, 'Budget ', h('strong', { 'data-home': 'budget' }, amount(e.budgetBaseUnits, e.tokenDecimals, o.tokenSymbol)))]
      : h('p', { class: 'muted' }, 'No epoch yet: a maintainer creates one (merit payroll, or POST /api/epochs).'));
}

/** The state's sentence under its badge, without the badge's word again ("executed: the DAO approved it"). */
function afterBadge(p) {
  const text = p.stateText || '';
  const rest = text.startsWith(`${p.state}: `) ? text.slice(p.state.length + 2) : text;
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

function proposalPanel(o) {
  const p = o.latestProposal;
  if (!p) {
    return h('section', { class: 'panel', 'aria-labelledby': 'home-vote' }, h('h2', { id: 'home-vote' }, 'Payouts'),
      h('p', { class: 'muted' }, 'No payout proposal yet.'));
  }
  // Closed by the chain's state, not by the clock against an estimate: a vote still open on chain whose estimated
  // end has passed closes after its block.
  const overdue = p.voteEndsAt && new Date(p.voteEndsAt) <= new Date();
  // An executed payout says when the vault approved it (its execution's block), not when its voting closed; each
  // line is paid by its claim after that (or held, without a wallet).
  const deadline = p.executedAt ? h('p', { id: 'home-paid' }, 'Approved on chain ',
    h('time', { datetime: p.executedAt, title: `block ${p.executedBlock}` }, when(p.executedAt)),
    ' ', h('span', { class: 'muted', 'data-relative': p.executedAt }, `(${relative(p.executedAt)})`))
    : p.voteEndsAt && !(overdue && VOTING.includes(p.state))
    ? h('p', {}, overdue ? 'Voting closed ' : 'Voting closes ',
      h('time', { datetime: p.voteEndsAt, title: `block ${p.voteEndBlock}` },
        blockWhen(p.voteEndsAt, p.voteEndBlock, p.currentBlock)),
      ' ', h('span', { class: 'muted', 'data-relative': p.voteEndsAt }, `(${relative(p.voteEndsAt)})`))
    : p.voteEndBlock != null ? h('p', {}, `Voting closes after block ${p.voteEndBlock}`) : null;
  return h('section', { class: 'panel', 'aria-labelledby': 'home-vote', id: 'home-vote-panel' },
    h('h2', { id: 'home-vote' }, p.state === 'active' ? 'Up for a vote' : 'Latest payout'),
    h('p', {}, h('a', { href: `#/proposals/${p.id}` }, `Payout of ${p.epochName}`), ' ',
      // In words (the code stays in data-state for scripts): "queued" or "succeeded" told a member little.
      h('span', { class: 'state', 'data-home': 'state', 'data-state': p.state }, stateLabel(p.state))),
    h('p', { class: 'muted', 'data-home': 'state-text' }, afterBadge(p)),
    h('p', {}, amount(p.totalBaseUnits, p.tokenDecimals, o.tokenSymbol), ' to ', count(p.lines, 'contributor'),
      // A draft holds nothing yet: its shares would be held once it is approved.
      p.heldLines ? ` (${count(p.heldLines, 'share')} ${['draft', 'withdrawn'].includes(p.state) ? 'to be held'
        : 'held'} until a wallet is linked)` : ''),
    deadline,
    // While the chain cannot be read, its state and deadline are as last read, and a vote would wait: said, no button.
    p.chainAnswering === false ? h('p', { class: 'notice error', role: 'status', id: 'home-chain-silent' },
      chainSilentWords(p.chainSilentSince, false))
      : p.state === 'active'
        ? h('p', {}, h('a', { href: `#/proposals/${p.id}`, class: 'button' }, 'Vote with your wallet')) : null,
    o.othersUpForVote > 0 ? h('p', { id: 'home-more-votes' }, `And ${o.othersUpForVote === 1 ? 'another payout is'
      : `${grouped(o.othersUpForVote)} other payouts are`} up for a vote: `, h('a', { href: '#/proposals' }, 'see every proposal'), '.')
      : null);
}

function leaderPanel(o) {
  const l = o.leaderboard;
  return h('section', { class: 'panel', 'aria-labelledby': 'home-leaders' },
    h('h2', { id: 'home-leaders' }, 'Leaderboard'),
    l ? [h('p', { class: 'muted' }, `${l.epochName} · ${count(l.contributors, 'contributor')}`),
      h('ol', { class: 'leaders', id: 'home-leaders-list' }, l.top.map((s) => h('li', {},
        h('a', { href: `#/contributors/${s.contributorId}?run=${l.runId}` }, s.displayName), botMark(s),
        h('span', { class: 'muted' }, ` ${percent(s.share)}`)))),
      h('p', {}, h('a', { href: `#/epochs/${l.epochId}` }, 'The whole leaderboard'))]
      : h('p', { class: 'muted' }, 'No epoch scored yet.'));
}
