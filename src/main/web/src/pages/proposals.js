import { get, post, del, ApiError, dao, paidPast } from '../api.js';
import { h, table, labelCells, tokens, shortHash, count, botMark, amount, amountNode, when, blockWhen, relative, address,
  copyable, points, grouped, txHash, paidTx, short, firstDay, lastDay, clip, percent, date, stateWords, DEAD, LIVE,
  VOTING, stateLabel, heldWords, closedUnpaidWords, pastEdgeWords, chainSilentWords }
  from '../format.js';
import { notice, tabTitle, viewRender, say, refreshSession } from '../ui.js';
import * as wallet from '../wallet.js';

export async function proposals() {
  const render = viewRender(); // draws only while the reader is still on this page
  const [list, site] = await Promise.all([get('/api/payout-proposals'), dao()]);
  render('Payout proposals', list.length ? table(null,
    [['Proposal'], ['Epoch'], ['Made'], ['Amount', 'num'], ['State'], ['Content hash']],
    list.map((p) => proposalRow(p, site.tokenSymbol)), { id: 'proposals' })
    : notice('No payout proposals yet.'));
}

/** A payout in the list; one of another budget than its epoch's is marked where amounts are compared. */
function proposalRow(p, symbol) {
  const other = otherBudget(p, symbol);
  // "Payout #6" and a date break nowhere (they broke as "2026-12-" / "06" while the state had room).
  return h('tr', {}, h('td', { class: 'nowrap' }, h('a', { href: `#/proposals/${p.id}` }, `Payout #${p.id}`)),
    h('td', {}, h('a', { href: `#/epochs/${p.epochId}` }, p.epochName)),
    h('td', { class: 'date nowrap' }, date(p.createdAt)),
    h('td', { class: 'num' }, amount(p.budgetBaseUnits, p.tokenDecimals, symbol),
      other ? h('div', { class: 'muted', 'data-other-budget': p.id }, other) : null),
    h('td', { 'data-state': p.state }, stateWords(p),
      // When: "executed: the DAO approved it on 2026-12-07".
      p.approvedAt ? h('span', { class: 'approved-on' }, `${p.state === 'executed' ? '' : ' · approved'} on `
        + date(p.approvedAt)) : null,
      p.periodTaken ? h('span', { class: 'muted' }, ' · can no longer be paid') : null),
    h('td', { class: 'hash' }, shortHash(p.contentHash)));
}

export async function proposal(id) {
  const render = viewRender(); // draws only while the reader is still on this page
  const [p, site, session, walletAccount] = await Promise.all([get(`/api/payout-proposals/${id}`), dao(),
    wallet.session().catch(() => null), wallet.account()]);
  const maintainer = await wallet.maintainer(session); // the session read once
  const symbol = site.tokenSymbol;
  let onchain = null;
  // A draft or a withdrawn draft was never put on chain: not asked for (a 404 in every visitor's console).
  if (!['draft', 'withdrawn'].includes(p.state)) {
    try {
      // Without its lines: the payout above gives each line's wallet and transaction (read once, not twice).
      onchain = await get(`/api/chain/proposals/${id}?lines=false`);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
  }
  // How the member voted, from the governor's own record (after a reload, and after voting closed), or the votes they
  // can cast: delegated to them at the proposal's snapshot. The member is the account their wallet signs ballots with
  // (voting needs no sign-in, and a wallet may have switched accounts since signing in), else the signed-in one.
  const voter = walletAccount || session?.address || null;
  const myVote = onchain?.onchainId && voter
    ? await get(`/api/chain/proposals/${id}/votes/${voter}`).catch(() => null)
    : null;

  const search = h('input', { type: 'search', id: 'line-search', placeholder: 'name, wallet, amount', autocomplete: 'off' });
  // A reason that many lines share is said once above the table, not on each of them (a payout to a thousand people
  // without wallets would repeat the same sentence a thousand times).
  const reasonKey = (l) => `${l.state}\u0000${l.reason}`;
  const reasons = new Map();
  for (const l of p.lines) if (l.reason) reasons.set(reasonKey(l), (reasons.get(reasonKey(l)) || 0) + 1);
  const saidAbove = (l) => l.reason && reasons.get(reasonKey(l)) >= SHARED_REASON;
  // What a line's wallet cell says: the wallet it is paid to, or a held share's wallet linked since (later than the
  // payout), or nothing for a line this payout will never pay (or pays nothing: "no wallet" would say the contributor
  // has none), or "no wallet". The row and the search read it from here.
  const walletOf = (l) => {
    const to = l.wallet;
    if (!to && l.walletLinkedSince) return { since: l.walletLinkedSince };
    if (!to && (DEAD_LINES.includes(l.state) || l.state === 'nothing to pay')) return { never: true };
    return { to };
  };
  const makeRow = (l) => {
    const w = walletOf(l);
    return h('tr', { 'data-line': l.contributorId },
      h('td', { class: 'num' }, String(l.rank)),
      h('td', { class: 'lead' },
        h('a', { href: `#/contributors/${l.contributorId}?run=${p.scoringRunId}` }, l.displayName), botMark(l)),
      h('td', {}, w.since ? h('span', {}, address(w.since), h('span', { class: 'muted' }, ' (linked since)'))
        : w.never ? h('span', { class: 'muted', title: 'not paid by this payout' }, '—') : address(w.to)),
      h('td', { class: 'num' }, points(l.score)),
      // On a phone's two-column card the exact amount takes the whole width, and the payment's state the half.
      h('td', { class: 'num whole', title: `${l.amountBaseUnits} base units` },
        amountNode(l.amountBaseUnits, p.tokenDecimals, symbol)),
      h('td', {}, l.state,
        l.reason && !saidAbove(l) ? h('span', { class: 'muted' }, ` (${l.reason})`) : null,
        paidTx(l.paidTxHash)));
  };
  // A line's row is made when it is first shown: a payout to 40,000 people draws its first LINES_SHOWN rows, not
  // 40,000 (each with its wallet's checksum), and a search reads the lines' words, not the table's.
  const rows = new Map();
  const rowOf = (i) => {
    if (!rows.has(i)) rows.set(i, labelCells([makeRow(p.lines[i])], LINE_HEADERS)[0]);
    return rows.get(i);
  };
  let words = null;
  // The words its row shows: the wallet cell's ("no wallet", "(linked since)", nothing for a line it never pays), and
  // its reason only where the row says it (one shared by many lines is said once above the table).
  const walletWords = (l) => {
    const w = walletOf(l);
    return w.since ? `${w.since} (linked since)` : w.never ? '' : w.to || 'no wallet';
  };
  const wordsOf = (l) => [l.rank, l.displayName, botMark(l), walletWords(l), points(l.score),
    amount(l.amountBaseUnits, p.tokenDecimals, symbol), l.state, saidAbove(l) ? '' : l.reason, l.paidTxHash]
    .join(' ').toLowerCase();
  // The first LINES_SHOWN lines, then the rest on asking; a search looks through every line.
  const total = count(grouped(p.lines.length), 'line');
  let all = p.lines.length <= LINES_SHOWN;
  const more = h('button', { type: 'button', class: 'secondary', id: 'more-lines',
    onclick: () => { all = true; show(); } }, `Show all ${total}`);
  const shownCount = h('span', { class: 'muted', 'aria-live': 'polite' });
  const body = h('tbody', {});
  const show = () => {
    const q = search.value.trim().toLowerCase();
    if (q && !words) words = p.lines.map(wordsOf);
    const shown = document.createDocumentFragment();
    let n = 0;
    p.lines.forEach((l, i) => {
      if (q ? words[i].includes(q) : all || i < LINES_SHOWN) {
        shown.append(rowOf(i));
        n++;
      }
    });
    body.replaceChildren(shown);
    more.hidden = all || Boolean(q);
    shownCount.textContent = !n
      ? `No line matches “${clip(search.value.trim())}”: search by name, wallet or amount (of ${total}).`
      : n < p.lines.length ? `${grouped(n)} of ${total}` : total;
  };
  search.addEventListener('input', show);
  show();
  const reasonList = [...reasons].filter(([, n]) => n >= SHARED_REASON).map(([k, n]) => {
    const [state, reason] = k.split('\u0000');
    return h('li', {}, h('strong', {}, state), ` (${count(grouped(n), 'line')}): ${reason}`);
  });

  const held = p.lines.filter((l) => l.state === 'held');
  // Everyone with a share, and where their shares stand (paid, claimable, to pay, held), so that it agrees with the
  // "held" card rather than counting a held share as paid.
  const shared = p.lines.filter((l) => l.amountBaseUnits !== '0');
  const byState = new Map();
  for (const l of shared) byState.set(l.state, (byState.get(l.state) || 0) + 1);
  // Lines of 0 (work that scored nothing, or a share under the minimum) are lines of the table without a share: said
  // here, so that the card's count and the table's agree.
  const zeroLines = p.lines.length - shared.length;
  const stateNote = [...[...byState].map(([state, n]) => `${grouped(n)} ${state}`),
    zeroLines ? `plus ${count(grouped(zeroLines), 'line')} of 0` : null].filter(Boolean).join(' · ');
  const sum = (ls) => ls.reduce((a, l) => a + BigInt(l.amountBaseUnits), 0n).toString();
  const other = otherBudget(p, symbol);
  const budgetNote = other ? ` (${other}; it pays that in full)` : ' (the epoch\'s budget)';
  // Asked at once, drawn below: what a draft's vote would also move (nothing when the chain cannot be read).
  const nextAsked = p.state === 'draft' ? get('/api/chain/next-releases').catch(() => null) : null;
  const draftNote = p.state === 'draft' ? await runningEpoch(p) : null;
  // The epoch's payout on chain that may still pay, if any: putting this draft on chain makes Merit follow this one
  // instead, and the other stays on the governor (the confirmation says so).
  const liveOfEpoch = maintainer && p.state === 'draft'
    ? (await get(`/api/payout-proposals?epochId=${p.epochId}`).catch(() => []))
      .find((o) => o.id !== p.id && LIVE.includes(o.state) && !o.periodTaken) : null;
  // Why a draft cannot go on chain now, as its note says: never (the vault passed its epoch), or not until it ends.
  const blocked = draftNote?.querySelector('#draft-blocked') ? 'never'
    : draftNote?.querySelector('#draft-running') ? 'running' : null;
  const changes = await changesSince(p, symbol);
  const verify = verifySection(p.id);
  // What its vote would move besides its own lines, as the chain and Merit's record stand now (a draft's releases are
  // otherwise said only once it is on chain): nothing when the chain cannot be read.
  const next = nextAsked && !blocked ? await nextAsked : null; // not for a draft that cannot go on chain now
  const chainPart = [h('h2', { id: 'onchain' }, 'On chain'),
    // A draft that can never go on chain says that alone, not also "not proposed on chain yet".
    onchain ? chainSection(p, onchain, myVote, { voter, session }, symbol) : blocked === 'never' ? null : offChain(p),
    draftNote,
    nextReleases(next, p, symbol),
    draftActions(p, maintainer, blocked, liveOfEpoch, symbol)];
  render(`Payout of ${p.epochName}`,
    h('p', { class: 'muted' }, `Payout proposal #${p.id}`),
    // First on the page: while the chain cannot be read, every word below about the vote is as last read.
    onchain?.chainAnswering === false
      ? h('p', { class: 'notice error', role: 'status', id: 'chain-silent' },
        chainSilentWords(onchain.chainSilentSince))
      : null,
    h('ul', { class: 'cards', 'aria-label': 'What is being ratified' },
      // Every share, those held until a wallet is linked included (the card after next says how much of it is held).
      statCard('Shares in all', amount(p.budgetBaseUnits, p.tokenDecimals, symbol), 'total', other),
      h('li', {}, h('span', { class: 'label' }, 'Contributors with a share'),
        h('span', { class: 'value', 'data-stat': 'shares' }, grouped(shared.length)),
        stateNote ? h('span', { class: 'label', 'data-stat-note': 'shares' }, stateNote) : null),
      statCard('Held until released to a wallet', held.length
        ? h('span', {}, `${count(grouped(held.length), 'contributor')} · `,
          amountNode(sum(held), p.tokenDecimals, symbol))
        : 'none', 'held'),
      // In words, as the list says it (the state's code is for scripts, in data-state).
      h('li', {}, h('span', { class: 'label' }, 'State'),
        h('span', { class: 'value long', id: 'proposal-state-word', 'data-state': p.state }, stateWords(p)))),
    storedAfterRun(p),
    closesEpochs(p, symbol),
    h('dl', { class: 'kv' },
      h('dt', {}, 'Epoch'), h('dd', {}, h('a', { href: `#/epochs/${p.epochId}` }, p.epochName), ` · scored by ${p.modelVersion}`),
      h('dt', {}, 'Amount'), h('dd', {}, amount(p.budgetBaseUnits, p.tokenDecimals, symbol), budgetNote),
      h('dt', {}, 'State'), h('dd', { id: 'proposal-state' }, stateInWords(p.state, p.stateText),
        // "executes when its delay has passed" says when, once the chain has said it.
        p.state === 'queued' && onchain?.executableAt && !p.periodTaken
          ? [`; it can be executed from ${when(onchain.executableAt)} `,
          h('span', { class: 'muted', 'data-relative': fromSeconds(onchain.executableAt) },
            `(${relative(fromSeconds(onchain.executableAt))})`),
          // Who does it: Merit's follower sends the execution when it is due (anyone may send it), not a person.
          '; Merit executes it then by itself, nothing to do'] : null),
      h('dt', {}, 'Content hash'), h('dd', { class: 'hash', id: 'content-hash' }, p.contentHash),
      // In words, with the CLI command; the API's own field (howToVerify) names endpoints and JSON fields.
      h('dt', {}, 'How to verify'), h('dd', {}, 'anyone can recompute the content hash and every amount from the stored '
        + 'inputs: the button below, or ', h('code', {}, `merit verify ${p.id}`), '.')),
    // While members vote, the vote comes before the comparison and the recomputation: on a phone it was two screens
    // down.
    ...(onchain?.state === 'active' ? [...chainPart, changes, verify] : [changes, verify, ...chainPart]),
    h('h2', { id: 'lines' }, 'Payouts'),
    h('form', { class: 'inline', role: 'search', onsubmit: (e) => e.preventDefault() },
      h('div', {}, h('label', { for: 'line-search' }, 'Search the payout table'), search), shownCount,
      h('a', { href: `/api/payout-proposals/${p.id}/lines.csv`, download: `payout-${p.id}.csv` }, 'Download CSV (exact amounts)')),
    reasonList.length ? h('ul', { class: 'line-reasons', id: 'line-reasons' }, reasonList) : null,
    lineTable(body),
    more);
  if (render.current()) tabTitle(`Payout #${p.id}`);
  if (onchain && (LIVE.includes(onchain.state) || onchain.chainAnswering === false)) {
    const busy = () => votingNow || Boolean(search.value.trim()) || (all && p.lines.length > LINES_SHOWN);
    follow(id, onchain, render, busy);
  }
}

/** The tallies and votes cast of payout {@code id}'s page drawn anew from {@code c}, if the reader is still on it. */
function redrawVotes(id, c) {
  const shown = document.querySelector(`[data-tallies="${id}"]`);
  if (!shown) return;
  shown.replaceWith(tallies(c));
  document.getElementById('votes-cast')?.replaceWith(votesCast(c));
}

/** When a member last voted (Date.now()), and on which payout: the page is not drawn anew under their vote's notice. */
let lastVote = { at: 0, id: null };
/** A vote is being signed or sent from the page: it is not drawn anew under the member's wallet. */
let votingNow = false;

/**
 * Follows a payout on chain while its vote is under way, or while the chain cannot be read: every 10 s its chain
 * view is read again and, once what the page says has moved (its state, the tallies, the chain answering again), the
 * page is drawn anew where the reader was. Not while they search or page through its lines ({@code busy}); for a
 * minute after they voted here only the tallies and the votes cast are, in place, under the notice of their vote.
 */
function follow(id, before, render, busy) {
  const said = (c) => JSON.stringify([c.state, c.votesFor, c.votesAgainst, c.votesAbstain, c.quorum, c.chainAnswering,
    c.executedBlock]);
  setTimeout(async () => {
    if (!render.current()) return;
    const now = await get(`/api/chain/proposals/${id}?lines=false`).catch(() => null);
    if (!render.current()) return;
    if (!now || said(now) === said(before) || busy()) {
      follow(id, before, render, busy);
    } else if (lastVote.id === String(id) && Date.now() - lastVote.at < 60_000 && now.state === before.state
      && now.chainAnswering === before.chainAnswering) {
      redrawVotes(id, now);
      follow(id, now, render, busy);
    } else {
      const y = window.scrollY;
      try {
        await proposal(id);
        window.scrollTo(0, y);
      } catch {
        follow(id, before, render, busy); // the page as it was, asked again in 10 s
      }
    }
  }, 10_000);
}

/** Lines shown before "Show all": a payout to a thousand contributors is a page, not a scroll of 30,000 pixels. */
const LINES_SHOWN = 100;
const LINE_HEADERS = [['Rank', 'num'], ['Contributor'], ['Wallet'], ['Points', 'num'], ['Amount', 'num'], ['Payment']];

/** The payout table around its body, whose rows the page draws as they are shown. */
function lineTable(body) {
  const wrap = table(null, LINE_HEADERS, [], { id: 'payout-table', 'aria-labelledby': 'lines', class: 'compact' });
  wrap.querySelector('tbody').replaceWith(body);
  return wrap;
}
/** Lines that share a reason before it is said once above the table instead of on each. */
const SHARED_REASON = 3;

/**
 * Earlier epochs no payout has paid, which no payout can pay once this one is approved (the vault pays periods once and
 * in order): said while it may still be approved, so that a vote for it is not, unknowingly, a vote never to pay them.
 */
function closesEpochs(p, symbol) {
  const n = Number(p.closes?.count || 0);
  const work = Number(p.closes?.contributionsBefore || 0);
  if (!n && !work) return null;
  const sharing = Number(p.closes.sharingTime || 0);
  const earlier = n - sharing;
  // ": A (budget ...); B (budget ...); and 3 more", of the latest 20 named; nothing when none of a kind is among them.
  // One flat list: h() flattens one level of children, and a list inside would print as text.
  const named = (list, all, one, many) => (list.length ? [': ', ...list.flatMap((e, i) => [i ? '; ' : '',
    h('a', { href: `#/epochs/${e.epochId}` }, e.name),
    ` (${budgetAndScoring(e, symbol)}`,
    // And the payout that could pay it first, drafted or on chain, in its state.
    ...(e.payoutProposalId ? ['; ', h('a', { href: `#/proposals/${e.payoutProposalId}` },
      `payout #${e.payoutProposalId}`), `, ${String(e.payoutState).split(';')[0]}`] : []), ')']),
  all > list.length ? `; and ${count(grouped(all - list.length), one, many)}` : ''] : []);
  const latest = p.closes.latest || [];
  const them = (k) => (k === 1 ? 'it' : 'them');
  // First what is lost for good, in those epochs or in none: the work dated between what the vault has paid and this
  // payout's period (its last day said, as every range here is), then the epochs it closes.
  const from = p.closes.unpaidSince ? `from ${firstDay(p.closes.unpaidSince)} ` : '';
  const lost = work ? h('p', { id: 'closes-work' }, h('strong', {}, `Once this payout is approved, `
    + `${count(grouped(work), 'contribution')} dated ${from}to ${lastDay(p.closes.unpaidUntil)}, which no payout has `
    + 'paid, can never be paid'), `: the vault pays periods once and in order${p.closes.unpaidSince
    ? ` (it has paid through ${lastDay(p.closes.unpaidSince)})` : ''}.`) : null;
  // Epochs before this one's: a payout of each approved first can still pay them.
  const listed = latest.filter((e) => !e.sharesTime);
  // Of earlier epochs that share time with each other (a month and a fortnight in it), only one can ever be paid.
  const overlapping = listed.some((a, i) => listed.some((b, j) => i !== j
    && Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt)));
  const before = earlier ? h('p', { id: 'closes-epochs' }, `It closes ${earlier === 1 ? 'an earlier epoch'
    : `${grouped(earlier)} earlier epochs`}, which no payout has paid`,
  named(listed, earlier, 'earlier one', 'earlier ones'), `. To pay ${them(earlier)}, `
    + `a payout of ${earlier === 1 ? 'it' : 'each'} must be approved before this one`
    + (overlapping ? ' (of those that share time with each other, only one can be paid).' : '.')) : null;
  // Epochs that share this one's time: only one of them can ever be paid, whichever is approved first.
  const shared = sharing ? h('p', { id: 'closes-sharing' }, `It ${before ? 'also ' : ''}closes `
    + `${sharing === 1 ? 'an epoch' : `${grouped(sharing)} epochs`} that ${sharing === 1 ? 'shares' : 'share'} its time, `
    + 'which no payout has paid', named(latest.filter((e) => e.sharesTime), sharing, 'more', 'more'), '. Of epochs '
    + `that share time, only one is paid: approving a payout of ${sharing === 1 ? 'it' : 'one of them'} first would `
    + 'close this one instead.') : null;
  return h('div', { class: 'notice', role: 'status', id: 'closes' }, lost, before, shared);
}

/**
 * Work of the epoch stored after the scoring run this payout was made from: the payout does not pay it. Said while the
 * payout may still be paid, so that a maintainer can score again and members know what their vote leaves out.
 */
function storedAfterRun(p) {
  const n = Number(p.storedAfterRun?.contributions || 0);
  if (!n) return null;
  const history = Number(p.storedAfterRun.history || 0);
  const live = n - history;
  const them = n === 1 ? 'it' : 'them';
  const text = [`${count(grouped(n), 'contribution')} of ${p.epochName} ${n === 1 ? 'was' : 'were'} stored after the `
    + `scoring run this payout was made from, so it does not pay ${them}.`];
  if (p.state === 'draft') text.push(`Score the epoch again and propose anew to pay ${them} in this period.`);
  if (live) {
    text.push(`If this payout is approved as it is, ${live === n ? (n === 1 ? 'it counts' : 'they count')
      : `the ${grouped(live)} that arrived from webhooks or a repository's later ingests count`} from the moment it is `
      + 'approved, in the first period not paid by then.');
  }
  if (history) {
    text.push(`${history === n ? (n === 1 ? 'It is' : 'They are') : `${grouped(history)} of them ${history === 1 ? 'is' : 'are'}`} `
      + 'history read in bulk (a repository\'s first ingest, a refresh, Kafka): paid in this period only if it is scored '
      + 'again, and otherwise not at all.');
  }
  return notice(h('span', { id: 'stored-after-run' }, text.join(' ')));
}

/** Lines their payout will never pay (the wallet column shows none for them). */
const DEAD_LINES = ['will not be paid', 'replaced'];

/** A draft's vote would also release earlier payouts' held shares and return old ones, as it would be made now. */
function nextReleases(next, p, symbol) {
  if (!next || (!next.releases.length && !next.returnsHeldOf.length)) return null;
  return h('dl', { id: 'draft-releases' },
    next.releases.length ? [h('dt', {}, 'Put on chain as things stand now, its vote would also release'),
      h('dd', {}, releaseList(next.releases, p, symbol),
        // One vote releases a bounded number (its execution must fit in a block); the others come with the next.
        next.releasesWaiting ? h('p', { id: 'releases-waiting', class: 'muted' },
          `${count(grouped(next.releasesWaiting), 'more held share')} of contributors who linked a wallet since `
          + `${next.releasesWaiting === 1 ? 'waits' : 'wait'} for a later vote: one vote releases at most `
          + `${grouped(next.releases.length)}, so that it can be executed in one block.`) : null)] : null,
    next.returnsHeldOf.length ? [h('dt', {}, 'and return to the treasury'),
      h('dd', {}, returnsWords(next.returnsHeldOf))] : null);
}

/** Held shares of earlier payouts a vote releases, each to the wallet its contributor has linked since. */
function releaseList(releases, p, symbol) {
  return h('ul', { class: 'plain' }, releases.map((r) => h('li', {},
    h('a', { href: `#/contributors/${r.contributorId}` }, r.displayName), ': ',
    amount(r.amountBaseUnits, p.tokenDecimals, symbol), ` held by payout #${r.heldByPayoutProposalId}, to `,
    address(r.wallet))));
}

/** What a vote returns to the treasury: the shares payouts held longer than the policy keeps them. */
function returnsWords(payouts) {
  return `what ${payouts.length === 1 ? 'payout' : 'payouts'} ${payouts.map((n) => '#' + n).join(', ')} still `
    + `${payouts.length === 1 ? 'holds' : 'hold'} for contributors who never linked a wallet`;
}

/**
 * A maintainer's next step for a draft, each said before it is taken: put it on chain, where members vote on it (as
 * `merit chain propose` does), or withdraw it (`DELETE /api/payout-proposals/{id}`). A draft that can never go on
 * chain is only withdrawn.
 */
function draftActions(p, maintainer, blocked, live, symbol) {
  if (!maintainer || p.state !== 'draft') return null;
  const closes = Number(p.closes?.count || 0);
  const lost = Number(p.closes?.contributionsBefore || 0);
  // Held shares, said before they are held: a payout where nobody has a wallet pays no one now.
  // Of the lines with a share: one of 0 (under the minimum, a bot's) is neither paid nor held.
  const sharing = (p.lines || []).filter((l) => l.amountBaseUnits !== '0');
  const holds = heldWords(sharing.filter((l) => l.state === 'held').length, sharing.length);
  const replaces = live ? ` Payout #${live.id} of the same epoch is on chain now (${stateWords(live)}): Merit then `
    + `follows this one instead, but #${live.id} stays on the governor, where members may still pass it; whichever is `
    + 'executed first is paid, and the vault refuses the other.' : '';
  // Each question asked in turn; any answered No, nothing is done. The answer is said where the page begins (the
  // button may be a long way down a phone's screen), and that is where the page is taken.
  const act = async (questions, call, done) => {
    for (const question of [].concat(questions)) if (!window.confirm(question)) return;
    for (const b of buttons.querySelectorAll('button')) b.disabled = true;
    try {
      await call();
      say(done);
      window.scrollTo(0, 0);
      refreshSession(true); // the page again, in its new state
    } catch (e) {
      say(e.message, true);
      window.scrollTo(0, 0);
      for (const b of buttons.querySelectorAll('button')) b.disabled = false;
    }
  };
  const put = blocked ? null : h('button', { type: 'button', id: 'put-on-chain', onclick: () => act([
    `Put payout #${p.id} on chain? Members then vote on it; once it passes and has waited out the timelock, Merit `
      + 'executes it and the vault pays.' + holds
      + (closes && !lost ? ` Approving it closes ${count(closes, 'other epoch')} that no payout has paid.` : '')
      // With lost work, the earlier epochs are the second question's; those sharing its time are said here.
      + (lost && Number(p.closes.sharingTime || 0) ? ` Approving it also closes ${count(Number(p.closes.sharingTime),
        'epoch')} sharing its time, which no payout has paid (of epochs that share time, only one is paid).` : '')
      + replaces,
    // Closing unpaid work is its own decision, asked on its own, with what it closes (the page's words are under the
    // dialog on a phone); the API is told so only once it is answered (it refuses otherwise).
    ...(lost ? [closingQuestion(p, lost, symbol)] : [])],
    // The question above said what replacing the payout on chain does, and what work its approval leaves unpaid for
    // good: asked and answered, both are said to the API (which refuses either unless told).
    () => post('/api/chain/proposals', { payoutProposalId: p.id, ...(live ? { replace: true } : {}),
      ...(lost ? { closeUnpaid: true } : {}) }),
    `Payout #${p.id} is going on chain: its vote opens after the governor's voting delay.`) },
  `Put payout #${p.id} on chain`);
  const withdraw = h('button', { type: 'button', class: 'secondary', id: 'withdraw-draft', onclick: () => act(
    `Withdraw payout #${p.id}? It will never go on chain.` + (blocked === 'never' ? ''
      : ` A new payout of ${p.epochName} can be made instead.`),
    () => del(`/api/payout-proposals/${p.id}`), `Payout #${p.id} is withdrawn.`) }, 'Withdraw this draft');
  const buttons = h('div', { class: 'votes', id: 'draft-actions' }, put, withdraw);
  return buttons;
}

/**
 * The second question before a payout that closes unpaid work goes on chain: how much, of when, which earlier epochs
 * (the latest named, with their budgets), and what to do instead.
 */
function closingQuestion(p, lost, symbol) {
  const earlier = (p.closes.latest || []).filter((e) => !e.sharesTime);
  const all = Number(p.closes.count || 0) - Number(p.closes.sharingTime || 0);
  const from = p.closes.unpaidSince ? `from ${firstDay(p.closes.unpaidSince)} ` : '';
  // Oldest first, the order they would be paid in: the latest five, after how many older ones.
  const named = earlier.slice(0, 5).reverse().map((e) => `${e.name} (${budgetAndScoring(e, symbol)})`);
  const older = all - named.length;
  return `Close unpaid work for good? Once payout #${p.id} is approved, ${count(grouped(lost), 'contribution')} dated `
    + `${from}to ${lastDay(p.closes.unpaidUntil)}, which no payout has paid, can never be paid`
    + (all ? `: it closes ${all === 1 ? 'the earlier epoch' : `${grouped(all)} earlier epochs`}, `
      + (older > 0 ? `${count(grouped(older), 'older one')}, then ` : '') + named.join(', ')
      + `. To pay ${all === 1 ? 'it' : 'them'} instead, answer Cancel and put ${all === 1 ? 'its payout' : 'their '
      + 'payouts'} on chain first, oldest first.`
      : Number(p.closes.sharingTime || 0)
        // A quarter holding this month may cover it: its payout, approved instead, pays that time (and closes this).
        ? '. An epoch sharing this payout\'s time may cover it: to pay it instead, answer Cancel and put that epoch\'s '
          + 'payout on chain first (it then closes this one), or make an epoch of that time.'
        : ', and no epoch covers that time. To pay it instead, answer Cancel and make an epoch of it first.')
    + ' OK closes that time for good (a DAO that starts paying from this epoch, say).';
}

/** Why a payout is not on chain: not yet (a draft), or never (withdrawn, or replaced while a draft). */
function offChain(p) {
  if (p.state === 'withdrawn') return notice('Never proposed on chain: the draft was withdrawn.');
  if (p.state === 'superseded') {
    return notice(h('span', {}, 'Never proposed on chain: ',
      p.supersededBy ? h('a', { href: `#/proposals/${p.supersededBy}` }, `payout #${p.supersededBy}`) : 'a newer payout',
      ' of the same epoch replaced this draft.'));
  }
  return notice('Not proposed on chain yet. Next, a maintainer proposes it on chain; members then vote on it, and once '
    + 'it passes and has waited out the timelock, anyone can execute it and the vault pays.');
}

/**
 * A draft that cannot go on chain now: never, when the vault has approved pay past its epoch's start (periods are paid
 * once, in order); not before its epoch ends (the vault approves a period once), its amounts changing until then.
 */
async function runningEpoch(p) {
  const [epoch, chain] = await Promise.all([get(`/api/epochs/${p.epochId}`).catch(() => null),
    get('/api/chain').catch(() => null)]);
  if (!epoch) return null;
  const paidUntil = paidPast(chain, epoch.startsAt);
  if (paidUntil) {
    return notice(h('span', { id: 'draft-blocked' }, `This draft can never go on chain: the vault has already approved `
      + `pay up to ${when(paidUntil)}, after the start of ${epoch.name} (${when(epoch.startsAt)}). Periods are `
      + 'paid once and in order: work of this period before that date is paid only by a payout that already covered it, '
      + 'if one did, and no payout from this vault can pay it now.'));
  }
  if (Date.parse(epoch.endsAt) <= Date.now()) return null;
  return notice(h('span', { id: 'draft-running' }, `The epoch runs until ${lastDay(epoch.endsAt)} (inclusive): this `
    + 'draft can go on chain only once it '
    + 'has ended, and its amounts may change with the work done until then. Score the epoch again and make a new '
    + 'payout after it ends.'));
}

/** A stat card; a long value (an exact token amount, never rounded) takes a smaller type and, on a phone, the whole row. */
function statCard(label, value, key, note = null) {
  const n = (value instanceof Node ? value.textContent : String(value)).length;
  return h('li', { class: n > 16 ? 'wide' : null }, h('span', { class: 'label' }, label),
    h('span', { class: n > 11 ? 'value long' : 'value', 'data-stat': key }, value),
    note ? h('span', { class: 'label', 'data-stat-note': key }, note) : null);
}

/**
 * How a payout's amount stands to its epoch's budget, when it was proposed with another: "10 times the epoch's budget
 * of 50 MPAY", "half the epoch's budget ..." (a slipped digit is seen where the amount is); null when it is the budget.
 */
function otherBudget(p, symbol) {
  if (p.epochBudgetBaseUnits == null || p.epochBudgetBaseUnits === p.budgetBaseUnits) return null;
  const [pays, budget] = [BigInt(p.budgetBaseUnits), BigInt(p.epochBudgetBaseUnits)];
  const of = `the epoch's budget of ${amount(p.epochBudgetBaseUnits, p.tokenDecimals, symbol)}`;
  if (budget > 0n && pays >= 2n * budget) {
    const tenths = Number((pays * 10n) / budget) / 10; // 2.5 times, 10 times, 120 times
    return `${tenths >= 10 ? grouped(Math.floor(tenths)) : tenths} times ${of}`;
  }
  const by = amount(String(pays > budget ? pays - budget : budget - pays), p.tokenDecimals, symbol);
  return `${by} ${pays > budget ? 'more' : 'less'} than ${of}`;
}

/** A chain's time (seconds since 1970, as the timelock keeps it) as an ISO instant. */
function fromSeconds(s) {
  return new Date(s * 1000).toISOString();
}

/** The state said once, in the API's sentence: "a draft: not on chain yet", "on chain, members are voting". */
function stateInWords(state, text) {
  // The sentence alone: "succeeded (voted through; ...)" put the governor's word before the reader's.
  return text || stateLabel(state);
}

/**
 * "budget 10 MPAY, 1 contributor scored": a closed epoch's budget and who its closing leaves unpaid for its time, as
 * its latest scoring counted them (the page's list and the question before closing say it alike).
 */
function budgetAndScoring(e, symbol) {
  return `budget ${amount(e.budgetBaseUnits, e.tokenDecimals, symbol)}, ${scoredInWords(e)}`;
}

/** An epoch a payout would close, as its latest scoring counted it (PayoutLedger.Closed.scoredInWords). */
function scoredInWords(e) {
  if (e.contributors != null) return `${count(grouped(e.contributors), 'contributor')} scored`;
  return e.contributions == null || Number(e.contributions) > 0
    ? `not scored yet${e.contributions == null ? '' : `, ${count(grouped(e.contributions), 'contribution')}`}`
    : 'no contributions';
}


/**
 * What moved since the previous period's payout (its latest proposal put to the DAO that was not voted down, replaced
 * or withdrawn: a draft was never ratified, so it is no baseline): the biggest rises and falls by
 * contributor, so a member sees what they ratify against what they ratified last time.
 */
async function changesSince(p, symbol) {
  const [all, epochs] = await Promise.all([get('/api/payout-proposals'), get('/api/epochs')]);
  const period = new Map(epochs.map((e) => [e.id, e]));
  const mine = period.get(p.epochId);
  // The payout of the period before this one: of the latest epoch that ended by the time this one starts, its newest
  // proposal that stands. Not merely the proposal made before (a 100-year test epoch, or an overlapping one, tells a
  // member nothing about this month).
  const endOf = (o) => Date.parse(period.get(o.epochId).endsAt);
  const previous = mine ? all.filter((o) => o.epochId !== p.epochId && period.has(o.epochId)
      && !['draft', ...DEAD].includes(o.state) && !o.periodTaken
      && endOf(o) <= Date.parse(mine.startsAt))
    .sort((a, b) => endOf(b) - endOf(a) || b.id - a.id)[0] : null;
  if (!previous) return null;
  const before = await get(`/api/payout-proposals/${previous.id}`);
  const was = new Map(before.lines.map((l) => [l.contributorId, BigInt(l.amountBaseUnits)]));
  const names = new Map(before.lines.map((l) => [l.contributorId, l.displayName]));
  const deltas = new Map();
  for (const l of p.lines) {
    deltas.set(l.contributorId, BigInt(l.amountBaseUnits) - (was.get(l.contributorId) || 0n));
    names.set(l.contributorId, l.displayName);
  }
  for (const [id, amount0] of was) if (!deltas.has(id)) deltas.set(id, -amount0);
  const budgets = `${amount(before.budgetBaseUnits, before.tokenDecimals, symbol)} then, `
    + `${amount(p.budgetBaseUnits, p.tokenDecimals, symbol)} now`;
  // Periods of different lengths (a year, then a month) pay amounts that differ with the length, not with the work:
  // there the changes compare each person's share of the payout instead.
  const days = (e) => Math.round((Date.parse(e.endsAt) - Date.parse(e.startsAt)) / 86_400_000);
  const [daysThen, daysNow] = [days(period.get(previous.epochId)), days(mine)];
  if (daysNow < 0.9 * daysThen || daysNow > 1.1 * daysThen) {
    return sharesSince(p, before, names, `Against payout #${before.id} (${before.state}), of ${count(grouped(daysThen), 'day')}; `
      + `this one is of ${count(grouped(daysNow), 'day')}, so amounts differ with the length of the period: each person's `
      + `share of the payout is compared instead (${budgets}).`);
  }
  // Budgets unlike (1,500 then, 200 now): every amount moves with the budget, not with the work.
  const [budgetThen, budgetNow] = [BigInt(before.budgetBaseUnits), BigInt(p.budgetBaseUnits)];
  if (budgetNow * 10n < budgetThen * 9n || budgetNow * 10n > budgetThen * 11n) {
    return sharesSince(p, before, names, `Against payout #${before.id} (${before.state}): ${budgets}, so amounts `
      + 'differ with the budget: each person\'s share of the payout is compared instead.');
  }
  const moved = biggest(deltas);
  const signed = (d) => amountNode((d < 0n ? -d : d).toString(), p.tokenDecimals, symbol, d < 0n ? '−' : '+');
  const inNow = new Set(p.lines.map((l) => l.contributorId));
  return h('section', { 'aria-labelledby': 'since-last' },
    h('h2', { id: 'since-last' }, `Biggest changes since ${before.epochName}`),
    h('p', { class: 'muted' }, `Against payout #${before.id} (${before.state}): ${budgets}.`),
    moved.length ? table(null, [['Contributor'], ['Then', 'num'], ['Now', 'num'], ['Change', 'num']],
      moved.map(([id, d]) => h('tr', {}, h('td', {}, names.get(id)),
        h('td', { class: 'num' }, was.has(id) ? amountNode(was.get(id).toString(), p.tokenDecimals, symbol)
          : absent('new')),
        h('td', { class: 'num' }, inNow.has(id)
          ? amountNode(((was.get(id) || 0n) + d).toString(), p.tokenDecimals, symbol) : absent('not in this payout')),
        h('td', { class: 'num' }, signed(d)))), { id: 'changes-since-last' })
      : h('p', {}, 'Every contributor gets what they got then.'));
}

/** A person who was not in one of the two payouts: said so, not as a share or amount of 0. */
const absent = (words) => h('span', { class: 'muted' }, words);

/** The five largest changes, by size whatever their sign. */
function biggest(deltas) {
  const abs = (d) => (d < 0n ? -d : d);
  return [...deltas].filter(([, d]) => d !== 0n).sort((a, b) => (abs(b[1]) > abs(a[1]) ? 1 : abs(b[1]) < abs(a[1]) ? -1 : 0))
    .slice(0, 5);
}

/** "Biggest changes since", by each person's share of the payout (millionths, exactly), for periods of unlike length. */
function sharesSince(p, before, names, about) {
  const shareOf = (lines) => {
    const total = lines.reduce((a, l) => a + BigInt(l.amountBaseUnits), 0n);
    return new Map(lines.map((l) => [l.contributorId, total ? BigInt(l.amountBaseUnits) * 1_000_000n / total : 0n]));
  };
  const [then, now] = [shareOf(before.lines), shareOf(p.lines)];
  const deltas = new Map();
  for (const id of new Set([...then.keys(), ...now.keys()])) {
    const d = (now.get(id) || 0n) - (then.get(id) || 0n);
    if (d >= 100n || d <= -100n) deltas.set(id, d); // a change that would read "+0.00 points" is none
  }
  // A share in millionths as format.percent reads a share: a decimal string ("0.398200").
  const pct = (m) => percent(`${m / 1_000_000n}.${(m % 1_000_000n).toString().padStart(6, '0')}`);
  const moved = biggest(deltas);
  return h('section', { 'aria-labelledby': 'since-last' },
    h('h2', { id: 'since-last' }, `Biggest changes since ${before.epochName}`),
    h('p', { class: 'muted', id: 'changes-since-shares' }, about),
    // In percentage points of the payout: "points" alone is the score's unit everywhere else.
    moved.length ? table(null,
      [['Contributor'], ['Share then', 'num'], ['Share now', 'num'], ['Change (percentage points)', 'num']],
      moved.map(([id, d]) => h('tr', {}, h('td', {}, names.get(id)),
        h('td', { class: 'num' }, then.has(id) ? pct(then.get(id)) : absent('new')),
        h('td', { class: 'num' }, now.has(id) ? pct(now.get(id)) : absent('not in this payout')),
        h('td', { class: 'num' }, `${d < 0n ? '−' : '+'}${(Number(d < 0n ? -d : d) / 10_000).toFixed(2)}`))),
      { id: 'changes-since-last' })
      : h('p', {}, 'Every contributor has the share they had then.'));
}

function verifySection(id) {
  const out = h('p', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    button.disabled = true;
    try {
      const v = await get(`/api/payout-proposals/${id}/verification`);
      // ok, not hash and amounts alone: a score, a rank or what went on chain can differ with every amount as it was.
      out.replaceChildren(v.ok
        ? notice(`Recomputed from the stored inputs: hash ${v.recomputedHash} matches, and every amount matches.`, 'ok')
        : notice(`Mismatch: ${v.mismatches.join('; ') || 'the recomputed hash ' + v.recomputedHash + ' differs'}.`, 'error'));
    } catch (e) {
      out.replaceChildren(notice(e.message, 'error'));
    } finally {
      button.disabled = false;
    }
  } }, 'Recompute it now');
  return h('div', { id: 'verify-now' }, button, out);
}

// Each step as what it does (its state column says whether it is done): "executed" for a step still waiting misled.
const TX_KINDS = { PROPOSE: 'put the proposal on chain', VOTE: 'relay a vote', QUEUE: 'queue in the timelock', EXECUTE: 'execute (approve the payout)', CLAIM: 'send payments to wallets' };
const TX_STATES = { PENDING: 'waiting to be sent', SENT: 'sent, waiting for a block', CONFIRMED: 'confirmed', FAILED: 'failed' };

function chainSection(p, c, myVote, { voter, session }, symbol) {
  const status = h('div', { id: 'vote-status', 'aria-live': 'polite' });
  const power = myVote && !myVote.voted && c.state === 'active' ? myVote.votingPower ?? null : null;
  const noPower = power === '0';
  const otherAccount = session && voter && session.address.toLowerCase() !== voter.toLowerCase();
  const buttons = [['For', 1], ['Against', 0], ['Abstain', 2]].map(([label, support]) => h('button', {
    type: 'button', 'data-support': support, onclick: async () => {
      buttons.forEach((b) => { b.disabled = true; });
      votingNow = true;
      status.replaceChildren(notice('Check your wallet: sign the ballot to vote ' + label.toLowerCase() + '.'));
      try {
        const tx = await wallet.vote(p.id, support);
        if (tx.status === 'FAILED') {
          // The chain refused it: not counted, and the member may sign again (Merit relays the next signature).
          status.replaceChildren(notice(`Your vote was not counted: ${tx.lastError || 'its transaction failed'}. `
            + 'Sign it again to vote.', 'error'));
          return;
        }
        // One vote per member: the buttons stay off, and the page says which way they voted.
        voted = true;
        lastVote = { at: Date.now(), id: String(p.id) };
        const did = support === 2 ? 'You abstained' : `You voted ${label}`;
        status.replaceChildren(tx.status === 'CONFIRMED'
          ? notice(h('span', {}, `${did}. Your vote is on chain: transaction `, txHash(tx.txHash), '.'), 'ok')
          : notice(`${did}. Your vote is signed and recorded (${TX_STATES[tx.status] || 'waiting to be sent'}); `
            + 'Merit sends it to the chain within seconds; the tally below shows it once it is counted.', 'ok'));
        // With this member's vote in them once the relay has sent it (the page follows it after that).
        redrawVotes(p.id, await get(`/api/chain/proposals/${p.id}?lines=false`));
      } catch (e) {
        status.replaceChildren(notice(e.message, 'error'));
      } finally {
        votingNow = false;
        buttons.forEach((b) => { b.disabled = voted; });
      }
    } }, `Vote ${label}`));
  let voted = Boolean(myVote?.voted);
  if (voted) {
    buttons.forEach((b) => { b.disabled = true; });
    status.replaceChildren(notice(yourVote(myVote, voter), 'ok'));
  } else if (c.chainAnswering === false && c.state === 'active') {
    // A ballot is checked against the chain before it is relayed: none can be now (the notice atop says why).
    buttons.forEach((b) => { b.disabled = true; });
    status.replaceChildren(notice('Voting resumes once the chain answers: this page then offers it again by itself.'));
  } else if (noPower) {
    // A ballot without votes would count for nothing: the buttons are off, and why is said beside them.
    buttons.forEach((b) => { b.disabled = true; });
    status.replaceChildren(notice(`You cannot vote on this proposal: ${short(voter)} had no delegated votes at `
      + `its snapshot (block ${c.voteStartBlock}). Votes count from tokens delegated before the proposal was made.`
      + (otherAccount ? ` You signed in as ${short(session.address)}: switch your wallet to that account to vote with its votes.` : '')));
  } else if (!window.ethereum && c.state === 'active') {
    // Said before a click that could only fail: voting signs a ballot in a browser wallet.
    buttons.forEach((b) => { b.disabled = true; });
    status.replaceChildren(notice('No browser wallet found: voting signs a ballot with one (for example MetaMask or '
      + 'Rabby, no fee). Install one and reload this page to vote; reading needs none.'));
  }
  const past = (iso) => iso && Date.parse(iso) <= Date.now();
  const moment = (iso, block) => (iso
    ? h('time', { datetime: iso, title: block == null ? null
      : `block ${block}${c.currentBlock != null ? ', the chain is at block ' + c.currentBlock : ''}` },
      `${blockWhen(iso, block, c.currentBlock)} `, h('span', { 'data-relative': iso }, `(${relative(iso)})`))
    : `block ${block}`);
  // The chain's state decides, not the clock against an estimate: the governor opens voting after its start block
  // and closes it after its end block. Active is open whatever the clock says; pending has not opened.
  // A vote that has ended opened and closed, whatever the times say (none while the chain cannot be read).
  const ended = ['succeeded', 'queued', 'executed', 'defeated', 'expired'].includes(c.state);
  const opened = c.state === 'active' || ended || (c.state !== 'pending' && past(c.voteStartsAt));
  const opens = c.voteStartBlock == null ? 'once the proposal is mined'
    : opened || !past(c.voteStartsAt) ? moment(c.voteStartsAt, c.voteStartBlock)
      : pastEdgeWords('opens', c.voteStartBlock, c.currentBlock);
  const closed = ended || (!VOTING.includes(c.state) && past(c.voteEndsAt));
  const closes = c.voteEndBlock == null ? 'once the proposal is mined'
    : closed || !past(c.voteEndsAt) ? moment(c.voteEndsAt, c.voteEndBlock)
      : pastEdgeWords('closes', c.voteEndBlock, c.currentBlock);
  return h('section', { 'aria-labelledby': 'onchain', id: 'chain-part', 'data-chain-state': c.state },
    h('dl', { class: 'kv' },
      // The state is said in words above (the card and "State"); the chain's own code stays for scripts.
      // A canceled proposal's vote counts for nothing: its window would read as a vote still to come.
      c.state === 'canceled' ? [h('dt', {}, 'Voting'), h('dd', { id: 'vote-opens' }, 'canceled: no vote on it counts')] : [
        h('dt', {}, opened ? 'Voting opened' : 'Voting opens'), h('dd', { id: 'vote-opens' }, opens),
        h('dt', {}, closed ? 'Voting closed' : 'Voting closes'), h('dd', { id: 'vote-closes' }, closes)],
      // Once executed, when the vault approved it (the execution's own block) stands for when it could be.
      c.executedAt ? [h('dt', {}, 'Approved on chain'), h('dd', { id: 'executed-at' }, h('time', {
        datetime: c.executedAt,
        title: `block ${c.executedBlock}` }, `${when(c.executedAt)} `, h('span', { 'data-relative': c.executedAt },
        `(${relative(c.executedAt)})`)))]
        : c.executableAt ? [h('dt', {}, 'Executable from'), h('dd', { id: 'executable-from' },
          moment(fromSeconds(c.executableAt), null))] : null,
      noPower ? [h('dt', {}, 'Your voting power'), h('dd', { id: 'voting-power' }, 'none (see below)')]
        : power != null ? [h('dt', {}, 'Your voting power'), h('dd', { id: 'voting-power' }, `${tokens(power)} votes`,
          otherAccount ? h('span', { class: 'muted' }, ` (of ${short(voter)}, the account your wallet signs with; you `
            + `signed in as ${short(session.address)})`) : null)]
          : null,
      // What the vote moves besides this payout: held shares of earlier payouts, released or returned.
      (c.releases || []).length ? [h('dt', {}, 'Also releases'),
        h('dd', { id: 'vote-releases' }, releaseList(c.releases, p, symbol))] : null,
      (c.returnsHeldOf || []).length ? [h('dt', {}, 'Also returns to the treasury'),
        h('dd', { id: 'vote-returns' }, returnsWords(c.returnsHeldOf))] : null,
      // Unpaid work it closes, as the maintainer who put it on chain asked: said for as long as the payout is shown.
      c.closedUnpaid ? [h('dt', {}, 'Also closes for good'), h('dd', { id: 'vote-closes-unpaid' },
        closedUnpaidWords(c.closedUnpaid, c.state, p.periodTaken))] : null,
      // The text on chain is exact (base units, ids, an address per release) and part of the proposal's id: kept
      // as written, behind its summary, since the lines above say it in words.
      c.description ? [h('dt', {}, 'The description on chain'), h('dd', { id: 'vote-approves' },
        h('details', {}, h('summary', {}, 'Exact text members vote on'),
          h('p', { class: 'description' }, c.description)))]
        : null,
      h('dt', {}, 'Governor'), h('dd', {}, address(c.governor)),
      h('dt', {}, 'Governor proposal id'), h('dd', {}, copyable(c.onchainId, 'the proposal id')),
      h('dt', {}, 'Merkle root'), h('dd', { class: 'hash' }, c.merkleRoot)),
    tallies(c),
    c.voteStartBlock != null && c.state !== 'pending' ? votesCast(c) : null, // once voting has opened
    c.state === 'active'
      ? h('div', {}, h('h3', {}, 'Your vote'), h('p', { class: 'muted' }, 'Your wallet signs a ballot (no fee); Merit relays it to the governor.'),
        h('div', { class: 'votes' }, buttons), status)
      : h('div', {}, notice(c.state === 'pending' ? 'Voting is not open yet.' : c.state === 'superseded'
        // Replaced by a newer payout of its epoch: Merit stopped relaying votes and reading tallies; the governor
        // itself may still take votes until the vote's end.
        ? 'A newer payout of the same epoch replaced this one: Merit no longer relays votes on it or reads its tallies '
          + '(those above are from when it was replaced).'
        : `Voting is closed: ${closedWords(c)}.`),
        myVote?.voted ? h('div', { id: 'vote-status' }, notice(yourVote(myVote, voter), 'ok')) : null),
    h('h3', {}, 'Transactions'),
    table(null, [['What'], ['State'], ['Transaction'], ['Attempts', 'num'], ['Note']],
      c.transactions.map((t) => h('tr', {}, h('td', {}, TX_KINDS[t.kind] || t.kind.toLowerCase()),
        h('td', {}, TX_STATES[t.status] || t.status.toLowerCase()), h('td', {}, txHash(t.txHash)),
        h('td', { class: 'num' }, String(t.attempts)), h('td', {}, t.lastError || '—')))));
}

/**
 * Who voted, and how, from the governor's own events (read after the page is drawn: an event search): a member checks
 * the tallies against the votes, not only their own.
 */
function votesCast(c) {
  const box = h('div', { id: 'votes-cast', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Reading the votes cast…'));
  get(`/api/chain/proposals/${c.payoutProposalId}/votes`).then((v) => {
    box.replaceChildren(...[
      h('h3', {}, 'Votes cast'),
      v.count === 0 ? h('p', { class: 'muted' }, VOTING.includes(c.state) ? 'No member has voted yet.'
        : 'No member voted.')
        : table(null, [['Member'], ['Vote'], ['Votes', 'num']], v.votes.map((x) => h('tr', { 'data-voter': x.voter },
          h('td', {}, address(x.voter)), h('td', {}, x.support ? SUPPORT_WORDS[x.support] || x.support : 'not known'),
          h('td', { class: 'num' }, tokens(String(x.weight ?? 0)))))),
      v.count > v.votes.length
        ? h('p', { class: 'muted' }, `The ${grouped(v.votes.length)} largest of ${grouped(v.count)} votes.`) : null,
    ].filter(Boolean)); // replaceChildren writes a null as the text "null"
  }).catch((e) => box.replaceChildren(notice(`The votes cast could not be read: ${e.message}`, 'error')));
  return box;
}

const SUPPORT_WORDS = { for: 'for', against: 'against', abstain: 'abstained' };

/** How a closed vote ended, in words (the State above gives the governor's word). */
const CLOSED = {
  succeeded: 'it passed, and waits to be queued',
  queued: 'it passed, and waits in the timelock',
  executed: 'it passed, and was executed',
  defeated: 'it did not pass',
  canceled: 'the proposal was canceled',
  expired: 'it passed, and expired before it was executed',
  superseded: 'a newer payout of the same epoch replaced this one',
};

/**
 * How a closed vote ended; a defeat says which of the governor's two tests failed, from the tallies: more For than
 * Against, and For and Abstain reaching the quorum.
 */
function closedWords(c) {
  if (c.state !== 'defeated' || c.votesFor == null || c.votesAgainst == null) return CLOSED[c.state] || c.state;
  const [yes, no, abstain, quorum] = [c.votesFor, c.votesAgainst, c.votesAbstain, c.quorum].map((v) => BigInt(v || 0));
  const votes = (v) => count(tokens(v.toString()), 'vote');
  const why = [];
  if (yes <= no) why.push(`${votes(yes)} For against ${votes(no)} Against (it needs more For than Against)`);
  if (yes + abstain < quorum) why.push(`For and Abstain reached ${votes(yes + abstain)} of its quorum of ${votes(quorum)}`);
  return why.length ? `it did not pass: ${why.join('; and ')}` : CLOSED.defeated;
}

/** "You (0xAb…) voted For with 100 votes: transaction 0x…", from the governor's VoteCast event. */
function yourVote(v, voter) {
  const who = `You (${short(voter)})`;
  if (!v.support) return `${who} voted on this proposal (one vote per member); the chain node no longer holds which way.`;
  const way = { for: 'voted For', against: 'voted Against', abstain: 'abstained' }[v.support];
  const votes = tokens(v.weight);
  return h('span', {}, `${who} ${way} with ${votes} ${votes === '1' ? 'vote' : 'votes'}`,
    v.reason ? `, saying “${clip(v.reason)}”` : '', ': transaction ', txHash(v.txHash), '. One vote per member.');
}

function tallies(c) {
  if (c.voteStartBlock == null) {
    // Not read from the chain yet (the proposal is not mined, or never was): zeros would read as a vote nobody joined.
    return h('p', { class: 'muted', id: 'tallies', 'data-tallies': c.payoutProposalId },
      'Tallies: not read from the chain yet.');
  }
  const quorum = BigInt(c.quorum || 0);
  const cast = BigInt(c.votesFor || 0) + BigInt(c.votesAbstain || 0);
  // The three bars share one scale (the largest tally, or the quorum when larger), so they compare with each other;
  // Against does not count toward the quorum, whose own bar is For and Abstain against it.
  const values = [c.votesFor, c.votesAgainst, c.votesAbstain].map((v) => BigInt(v || 0));
  const top = values.reduce((a, b) => (b > a ? b : a), quorum);
  const row = (label, key, value) => {
    const v = BigInt(value || 0);
    return [h('dt', {}, label), h('dd', {}, h('span', { class: 'tally-count' }, h('span', { 'data-tally': key }, tokens(v.toString())), ' votes'),
      // A tally too small for a whole percent still shows a sliver: an empty bar beside a number would read as none.
      top > 0n ? h('meter', { min: 0, max: 100, value: v > 0n ? Math.max(1, Number((v * 100n) / top)) : 0,
        'aria-label': `${label}: ${tokens(v.toString())} votes, on a scale of ${tokens(top.toString())} (the largest tally, or the quorum)` }) : null)];
  };
  return h('dl', { class: 'kv', id: 'tallies', 'data-tallies': c.payoutProposalId, 'aria-label': 'Tallies' },
    row('For', 'for', c.votesFor), row('Against', 'against', c.votesAgainst), row('Abstain', 'abstain', c.votesAbstain),
    // Before voting opens the governor has no quorum to give (it is a share of the voting power at the start).
    h('dt', {}, 'Quorum'), h('dd', {}, c.state === 'pending' && quorum === 0n ? 'set when voting opens'
      : h('span', { class: 'tally-count' }, h('span', { 'data-tally': 'quorum' }, tokens(quorum.toString())), ' votes'),
      quorum > 0n ? h('meter', { min: 0, max: 100, value: Number(((cast > quorum ? quorum : cast) * 100n) / quorum),
        'aria-label': `For and Abstain: ${tokens(cast.toString())} of a quorum of ${tokens(quorum.toString())} votes` }) : null,
      // On its own line under the bar: beside it, it wrapped under the count.
      quorum > 0n ? h('span', { class: 'muted tally-note' }, VOTING.includes(c.state)
        ? `For and Abstain count toward it: ${tokens(cast.toString())} so far, ${cast >= quorum ? 'reached.' : 'not reached yet.'}`
        // A closed vote's quorum was reached or not: "yet" would promise a count still to come.
        : `For and Abstain counted toward it: ${tokens(cast.toString())}, ${cast >= quorum ? 'reached.' : 'not reached.'}`) : null));
}
