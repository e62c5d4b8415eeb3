import { get, post, put, del, dao, ApiError } from '../api.js';
import { h, table, percent, date, shortHash, describeFeature, count, amount, amountNode, when, address, num, typeName,
  typeWithConfidence, typeWords, points, grouped, short, checksummed, factorWords, lineWords, decidedBy, answerWords,
  factorReason, clip, txHash, paidTx, disputePoints, DISPUTE_STATES } from '../format.js';
import { barChart } from '../charts.js';
import { say, notice, refreshSession, viewRender } from '../ui.js';
import * as wallet from '../wallet.js';

const MODEL_TYPES = ['feature', 'fix', 'perf', 'refactor', 'test', 'docs', 'build', 'chore', 'style', 'revert'];

/** Whether a factor changes nothing (× 1, + 0): it is listed in the details, never shown as if it applied. */
const noOp = (f) => (f.op === 'MULTIPLY' && Number(f.value) === 1) || (f.op === 'ADD' && Number(f.value) === 0);
const PAGE_SIZE = 25;
/** The shown run's weight of each type (its policy's), read when the page offers disputes: see disputeCell. */
let runWeights = {};


export async function contributor(id, params) {
  const render = viewRender(); // draws only while the reader is still on this page
  const run = params.get('run');
  const [person, history, site, session] = await Promise.all([get(`/api/contributors/${id}`),
    get(`/api/contributors/${id}/history`), dao(), wallet.session().catch(() => null)]);
  const maintainer = await wallet.maintainer(session); // the session read once, for every control below
  const symbol = site.tokenSymbol;
  const wallets = person.identities.filter((i) => i.kind === 'WALLET');
  const linkButton = h('button', { type: 'button', class: 'secondary', id: 'link-wallet', onclick: async () => {
    linkButton.disabled = true;
    try {
      const s = await wallet.signIn(person.id);
      const c = s.walletClaim;
      // A signature proves the wallet, not the person: the contributor's forge account posts the claim's code.
      say(!c ? `Wallet ${short(s.linkedWallet)} is linked to ${person.displayName}; payouts go there.`
        : c.proveFrom.length
          ? `To prove you are ${person.displayName}, post ${c.code} from ${c.proveFrom.join(' or ')} as a comment, `
            + `issue or pull request in a repository Merit follows, before ${when(c.expiresAt)}. `
            + `Wallet ${short(c.address)} is linked when it arrives; until then payouts do not go to it.`
          : `Merit knows no GitHub or GitLab account of ${person.displayName} to prove it with: ask a maintainer to `
            + `link wallet ${short(c.address)} with: merit wallet ${c.contributorId} ${c.address}`);
      refreshSession(true);
    } catch (e) {
      say(e.message, true);
    } finally {
      linkButton.disabled = false;
    }
  } }, 'This is me: link my wallet');
  const known = person.identities.filter((i) => i.kind !== 'WALLET');
  const identities = known.length || wallets.length ? h('p', { class: 'muted identities' },
    known.length ? ['Known as ', known.slice(0, 3).map((i) => i.handle).join(', ')] : '',
    known.length > 3 ? ` and ${count(known.length - 3, 'other identity', 'other identities')}` : '',
    // "paid to" read as money sent, beside shares held for want of this very wallet when they went on chain.
    wallets.length ? h('span', {}, known.length ? ' · wallet ' : 'Wallet ', address(wallets[0].handle)) : '') : null;
  const merged = person.mergedInto ? await mergedNotice(person, maintainer) : null;
  const botControl = merged ? null : markControl(person, maintainer, session);
  if (!history.length) {
    render(person.displayName, merged, identities, botNotice(person), botControl,
      notice('No scored epoch includes this contributor yet.'));
    return;
  }
  // The run asked for (a leaderboard links to its own run, which may be newer than the one the history lists for its
  // epoch: the paid one), else the latest in the history; a run that does not score this contributor falls back.
  const latest = history[history.length - 1];
  const asked = Number(run) || latest.runId;
  const [page, disputes] = await Promise.all([
    get(`/api/contributors/${id}/summary?run=${asked}`).catch((e) => {
      if (e instanceof ApiError && e.status === 404 && asked !== latest.runId) return get(`/api/contributors/${id}/summary?run=${latest.runId}`);
      throw e;
    }),
    get(`/api/disputes?contributorId=${id}`)]);
  const b = page.summary;
  const epochOf = await get(`/api/epochs/${b.epochId}`).catch(() => null); // its overlaps: see sharesTime
  // A paid epoch lists the run it was paid from; a later scoring of it (a dispute's correction, a bot mark) is offered
  // beside it, so that its corrected types can be read without the leaderboard's link.
  const runs = history.flatMap((e) => (e.laterRunId
    ? [e, { runId: e.laterRunId, epochId: e.epochId, epochName: `${e.epochName}, scored again` }] : [e]));
  const listed = runs.find((e) => e.runId === b.runId);
  const sameEpoch = history.find((e) => e.epochId === b.epochId);
  // A run the history does not list: named by its own epoch (the history may not list that epoch at all, when this
  // contributor is not in the run it lists for it), and said to be a later or an earlier scoring than the listed one.
  const current = listed || { runId: b.runId, epochName: sameEpoch
    ? `${sameEpoch.epochName}, ${b.runId < sameEpoch.runId ? 'an earlier scoring'
      : sameEpoch.laterRunId ? 'scored again, before the latest' : 'scored again'}`
    : `${epochOf?.name || 'another epoch'}, another scoring` };
  const pickable = listed ? runs : [...runs, current];
  const pay = page.payout;
  // A paid epoch (its payout executed, from the run the history lists): another run of it pays nothing of the period.
  const paid = sameEpoch && sameEpoch.paid ? sameEpoch : null;
  const paidElsewhere = paid && paid.runId !== b.runId ? { ...paid, later: paid.runId > b.runId } : null;
  // A payout on chain (its vote or timelock under way) pays from the run the history lists: a scoring made meanwhile
  // (a dispute's correction) pays nothing of it, unless a payout of that scoring replaces it.
  const onChain = sameEpoch && sameEpoch.onChain ? sameEpoch : null;
  const onChainElsewhere = onChain && onChain.runId !== b.runId ? { ...onChain, later: onChain.runId > b.runId } : null;
  const mine = session && session.contributorId === person.id;
  // The run's type weights: each contribution's equation says whether its factor is its type's own weight.
  runWeights = (await get(`/api/scoring-runs/${b.runId}`).catch(() => null))?.policy?.scoring?.typeWeights || {};
  const lastDispute = {};
  for (const d of disputes) lastDispute[d.contributionId] = d;
  // The disputes listed below the contributions; a dispute sent from the list is added here, and the list keeps its
  // page and the reader's place (a reload would take them back to the first page).
  const disputesPart = h('div', { id: 'disputes-part' });
  const showDisputes = (all) => disputesPart.replaceChildren(...(all.length
    ? [h('h2', { id: 'disputes' }, mine ? 'Your disputes' : 'Disputes'), disputeTable(all, mine)] : []));
  showDisputes(disputes);
  disputesPart.addEventListener('merit:disputed', (e) => {
    disputes.push(e.detail);
    lastDispute[e.detail.contributionId] = e.detail;
    showDisputes(disputes);
  });

  const epochPicker = h('select', { id: 'epoch', onchange: (e) => { location.hash = `#/contributors/${id}?run=${e.target.value}`; } },
    pickable.map((e) => h('option', { value: e.runId, selected: e.runId === current.runId }, e.epochName)));

  const cards = h('ul', { class: 'cards', 'aria-label': 'Standing in ' + current.epochName },
    card('Points', points(b.standing.total), 'total'),
    card('Rank', `${grouped(b.standing.rank)} of ${grouped(b.contributors)}`, 'rank'),
    card('Share of the epoch', percent(b.standing.share), 'share'),
    card('Payout', pay ? amountNode(pay.amountBaseUnits, pay.tokenDecimals, symbol)
      : paidElsewhere || onChainElsewhere ? 'none from this scoring' : 'not proposed yet', 'payout',
    pay ? payState(pay, wallets.length > 0)
      : paidElsewhere ? `the epoch was paid from its ${paidElsewhere.later ? 'later' : 'earlier'} scoring: ${paidElsewhere.payoutTokens
      ? amount(paidElsewhere.payoutBaseUnits, paidElsewhere.tokenDecimals, symbol) : 'nothing'} to you`
        : onChainElsewhere ? `the payout on chain pays from its ${onChainElsewhere.later ? 'later' : 'earlier'} scoring: `
          + `${onChainElsewhere.payoutTokens ? amount(onChainElsewhere.payoutBaseUnits, onChainElsewhere.tokenDecimals, symbol)
            : 'nothing'} to you` : null),
    card('Contributions', grouped(b.standing.contributions), 'contributions'));

  const typeChart = h('section', { 'aria-labelledby': 'by-type', class: 'half' }, h('h2', { id: 'by-type' }, 'Points by type'));
  const repoChart = h('section', { 'aria-labelledby': 'by-repository', class: 'half' }, h('h2', { id: 'by-repository' }, 'Points by repository'));
  // A correction accepted now shows only in scorings after the paid one: said so where the run shown is paid or later.
  const list = contributionList(id, current.runId, b, lastDispute, mine, Boolean(paid), params);

  const historyPart = historySection(history, id, symbol);
  render(person.displayName,
    merged,
    identities,
    botNotice(person),
    botControl,
    // A link to a scoring that does not include them (or no longer exists) shows their latest instead, and says so.
    Number(run) && Number(run) !== b.runId
      ? notice(`The scoring this link asked for does not include ${person.displayName}; shown instead: ${current.epochName}.`) : null,
    // A bot is nobody's self: its wallet, when a policy pays bots, is a maintainer's to link (merit wallet). An account
    // merged into another is that one's: its wallet is linked there.
    wallets.length || person.bot || merged ? null : h('p', {}, linkButton, ' ',
      h('span', { class: 'muted' }, person.identities.some((i) => i.kind === 'FORGE_LOGIN')
        ? 'Sign a message with your wallet (no transaction, no fee), then post the code it gives from your GitHub or GitLab account: payouts go there once it arrives.'
        // No forge account proves who this is: a maintainer links the wallet, and the button says how to ask.
        : 'Sign a message with your wallet (no transaction, no fee): Merit knows no GitHub or GitLab account of yours to prove it with, so it gives the command a maintainer runs to link the wallet.')),
    h('div', { class: 'picker' }, h('label', { for: 'epoch' }, 'Epoch'), epochPicker),
    cards,
    sharesTime(epochOf),
    waterfall(pay, symbol, paidElsewhere, id, onChainElsewhere),
    h('div', { class: 'pair' }, typeChart, repoChart),
    h('h2', { id: 'breakdown' }, 'Contributions'),
    h('p', { class: 'muted' }, 'Each line: size points × type factor × any other factor = points, and its part of your points. '
      + `${scoredBy(b.modelVersion)}. To check the run: model hash ${shortHash(b.modelHash)}, rules hash `
      + `${shortHash(b.policyHash)}. `,
      h('a', { href: `#/epochs/${b.epochId}?run=${b.runId}` }, 'Leaderboard and rules of this epoch')),
    // The dispute form shows only to its author, signed in: said, or no one finds it.
    wallets.length && !mine && !person.bot ? h('p', { class: 'muted', id: 'sign-in-hint' }, `Is this you? Sign in `
      + `(at the top of the page) with wallet ${short(checksummed(wallets[0].handle))} to dispute the type of a `
      + 'contribution.') : null,
    list.element,
    disputesPart,
    h('h2', { id: 'history' }, 'History across epochs'),
    historyPart.section);

  if (!render.current()) return; // the reader went on: no charts for a page that was not drawn
  historyPart.draw(); // after render: render clears the charts of the page it replaces, and a chart drawn before went with them
  barChart(typeChart, { horizontal: true, labels: b.byType.map((t) => typeName(t.key)),
    datasets: [{ label: 'Points', data: b.byType.map((t) => Number(t.points)) }],
    label: 'Points by type: ' + b.byType.map((t) => `${typeName(t.key)} ${points(t.points)} (${count(grouped(t.contributions), 'contribution')})`).join(', ') });
  barChart(repoChart, { horizontal: true, labels: b.byRepository.slice(0, 10).map((r) => r.key || 'no repository'),
    datasets: [{ label: 'Points', data: b.byRepository.slice(0, 10).map((r) => Number(r.points)) }],
    label: 'Points by repository: ' + b.byRepository.map((r) => `${r.key || 'no repository'} ${points(r.points)}`).join(', ') });
  await list.load();
}

/** Why an account is counted as a bot, and what that means for its pay; nothing for a person. */
function botNotice(person) {
  if (!person.bot) return null;
  const m = person.botMark;
  return notice(h('span', { id: 'bot-notice' }, 'Counted as a bot account: bots are paid only in epochs whose policy '
    + 'includes them, and take no share of a change they made with a person. ',
  m ? `Marked a bot by ${decidedBy(m.markedBy, m.markedVia)} on ${date(m.markedAt)}`
      + `${m.reason ? ': ' + m.reason : ''}. `
    : 'Merit read its name or e-mail as an automation account when it first met it. ',
  m ? 'A mark counts from the next scoring run: runs and payouts made before keep what they computed. ' : '',
  'If this is a person, a maintainer can correct it.'));
}

/** From points to tokens, once for the contributor: each step of the payout with the amount after it. */
function waterfall(pay, symbol, paidElsewhere, contributorId, onChainElsewhere) {
  if (!pay && !paidElsewhere && onChainElsewhere) {
    const o = onChainElsewhere;
    return h('section', { 'aria-labelledby': 'to-tokens' }, h('h2', { id: 'to-tokens' }, 'From points to tokens'),
      notice(h('span', { id: 'on-chain-elsewhere' }, `${o.epochName}'s payout on chain (`,
        h('a', { href: `#/proposals/${o.proposalId}` }, `payout #${o.proposalId}`), ') pays from its '
        + `${o.later ? 'later' : 'earlier'} scoring (`,
        h('a', { href: `#/contributors/${contributorId}?run=${o.runId}` }, 'your share there'),
        `). This ${o.later ? 'earlier' : 'later'} scoring pays nothing of it, unless a payout of this scoring replaces `
          + 'that one before it is executed.')));
  }
  if (!pay && paidElsewhere) {
    return h('section', { 'aria-labelledby': 'to-tokens' }, h('h2', { id: 'to-tokens' }, 'From points to tokens'),
      notice(h('span', { id: 'paid-elsewhere' }, `${paidElsewhere.epochName} was paid from its `
        + `${paidElsewhere.later ? 'later' : 'earlier'} scoring (`,
        h('a', { href: `#/proposals/${paidElsewhere.proposalId}` }, `payout #${paidElsewhere.proposalId}`), '; ',
        h('a', { href: `#/contributors/${contributorId}?run=${paidElsewhere.runId}` }, 'your share there'),
        paidElsewhere.later ? '). This earlier scoring pays nothing.'
          : '). This later scoring pays nothing of the paid period: it shows the epoch as scored again, with the '
            + 'corrections accepted before it.')));
  }
  if (!pay) {
    return h('section', { 'aria-labelledby': 'to-tokens' }, h('h2', { id: 'to-tokens' }, 'From points to tokens'),
      notice('No payout proposal of this scoring run yet: the tokens show here once a maintainer proposes one.'));
  }
  return h('section', { 'aria-labelledby': 'to-tokens' },
    h('h2', { id: 'to-tokens' }, 'From points to tokens'),
    h('ol', { class: 'waterfall', id: 'waterfall' }, pay.steps.map((s) => h('li', { 'data-step': s.label },
      h('span', { class: 'step' }, s.label),
      h('span', { class: 'detail' }, stepDetail(s), s.label === 'Share of the budget'
        ? ` (${amount(pay.budgetBaseUnits, pay.tokenDecimals, symbol)})` : ''),
      s.changeBaseUnits != null && s.label !== 'Share of the budget'
        ? h('span', { class: 'num' }, amountNode(String(s.changeBaseUnits).replace('-', ''), pay.tokenDecimals, symbol,
          String(s.changeBaseUnits).startsWith('-') ? '−' : '+'))
        : s.amountBaseUnits != null ? h('span', { class: 'num' }, amountNode(s.amountBaseUnits, pay.tokenDecimals, symbol)) : null))),
    // The link is the whole name: "#4" alone was a 24 × 19 px target.
    h('p', { class: 'muted' }, h('a', { href: `#/proposals/${pay.proposalId}` }, `Payout proposal #${pay.proposalId}`),
      ` is ${pay.proposalStateText}.`),
    // What a contributor checks on chain: where the tokens went, and the transaction that sent them.
    pay.paidTxHash
      ? h('p', { id: 'paid-by' }, 'Paid to ', address(pay.wallet), ' by transaction ', txHash(pay.paidTxHash))
      : null);
}

/**
 * A step's words as Merit wrote them, read the dashboard's way: points with thousands separators ("38,524.05 of
 * 40,000 points"), and a percentage that never wraps between its number and its sign.
 */
function stepDetail(s) {
  let d = String(s.detail || '');
  if (s.label === 'Points') d = d.replace(/^([\d.]+) of ([\d.]+) points/, (m, a, b) => `${grouped(a)} of ${grouped(b)} points`);
  // Whole numbers only, never the digits after a decimal point (grouped leaves short integer parts alone).
  if (s.label === 'Bots left out') d = d.replace(/(?<![\d.])\d+(?:\.\d+)?/g, (n) => grouped(n));
  return d.replace(/ %/g, '\u00a0%');
}

/** The contributions, a page at a time from the API: sortable, filterable, each one line that reads as an equation. */
function contributionList(id, runId, summary, lastDispute, mine, epochPaid, params) {
  const state = { page: 0, sort: '-score', type: '', repository: '', factor: '', from: '', to: '' };
  // The sort, filters and page live in the address too, so a reload or a shared link shows the same list.
  const KEYS = ['sort', 'type', 'repository', 'factor', 'from', 'to'];
  for (const k of KEYS) if (params?.get(k)) state[k] = params.get(k);
  for (const k of ['from', 'to']) if (!/^\d{4}-\d\d-\d\d$/.test(state[k])) state[k] = '';
  state.page = Math.max(0, Math.min(100000, Number.parseInt(params?.get('page') || '0', 10) || 0));
  const offered = summary.factors.filter((f) => f.contributions < summary.standing.contributions);
  const select = (name, label, options) => h('div', {}, h('label', { for: 'f-' + name }, label),
    h('select', { id: 'f-' + name, name, onchange: (e) => { state[name] = e.target.value; state.page = 0; load(); } },
      options.map(([v, t]) => h('option', { value: v }, t))));
  const dateInput = (name, label) => h('div', {}, h('label', { for: 'f-' + name }, label),
    h('input', { type: 'date', id: 'f-' + name, name, onchange: (e) => { state[name] = e.target.value; state.page = 0; load(); } }));
  const controls = h('form', { class: 'filters', 'aria-label': 'Sort and filter contributions', onsubmit: (e) => e.preventDefault() },
    select('sort', 'Sort by', [['-score', 'Points, highest first'], ['score', 'Points, lowest first'], ['-date', 'Newest first'],
      ['date', 'Oldest first'], ['-lines', 'Most lines'], ['type', 'Type']]),
    select('type', 'Type', [['', 'All types'], ...summary.byType.map((t) => [t.key, `${typeName(t.key)} (${grouped(t.contributions)})`])]),
    summary.byRepository.length > 1 ? select('repository', 'Repository',
      [['', 'All repositories'], ...summary.byRepository.map((r) => [r.key, `${r.key || 'no repository'} (${grouped(r.contributions)})`])]) : null,
    // A factor on every contribution filters nothing out (graph credit is recorded on each commit, at × 1 when no
    // later work built on it): only factors that tell contributions apart are offered.
    offered.length ? select('factor', 'Factor', [['', 'Any factor'],
      ...offered.map((f) => [f.key, `${factorWords(f.key)} (${grouped(f.contributions)})`])]) : null,
    dateInput('from', 'From'), dateInput('to', 'Before'));
  // What the address asked for, where the form offers it (an option that no longer exists falls back to all).
  for (const k of KEYS) {
    const field = controls.querySelector('#f-' + k);
    const fallback = k === 'sort' ? '-score' : '';
    if (!field) {
      state[k] = fallback; // a filter the page does not offer here (one repository): not applied unseen
      continue;
    }
    field.value = state[k];
    if (field.value !== state[k]) {
      state[k] = fallback;
      field.value = fallback;
    }
  }
  const remember = () => {
    // Only while this contributor's page is the one shown: a load that ends after the reader moved on leaves the
    // address alone.
    if (!window.location.hash.startsWith(`#/contributors/${id}`)) return;
    const q = new URLSearchParams({ run: runId });
    for (const k of KEYS) if (state[k] && !(k === 'sort' && state[k] === '-score')) q.set(k, state[k]);
    if (state.page) q.set('page', state.page);
    history.replaceState(history.state, '', `#/contributors/${id}?${q}`);
  };
  const status = h('p', { class: 'muted', id: 'contributions-status', 'aria-live': 'polite' }, 'Loading contributions…');
  const items = h('ol', { class: 'contributions', id: 'breakdown-list', 'aria-labelledby': 'breakdown' });
  const prev = h('button', { type: 'button', class: 'secondary', id: 'page-prev', onclick: () => { state.page--; load(); } }, 'Previous');
  const next = h('button', { type: 'button', class: 'secondary', id: 'page-next', onclick: () => { state.page++; load(); } }, 'Next');
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of contributions' }, prev, status, next);
  // The same at the end of the list (a page of 25 is many screens on a phone): it turns the page and goes to its top.
  const turn = (by) => () => { state.page += by; load(); pager.scrollIntoView({ block: 'start' }); };
  const prevBelow = h('button', { type: 'button', class: 'secondary', onclick: turn(-1) }, 'Previous');
  const nextBelow = h('button', { type: 'button', class: 'secondary', onclick: turn(1) }, 'Next');
  const statusBelow = h('p', { class: 'muted' });
  const pagerBelow = h('nav', { class: 'pager', 'aria-label': 'Pages of contributions (end of the list)', hidden: true },
    prevBelow, statusBelow, nextBelow);
  let seq = 0;
  async function load() {
    const mineSeq = ++seq;
    remember();
    const q = new URLSearchParams({ run: runId, page: state.page, size: PAGE_SIZE, sort: state.sort });
    for (const k of ['type', 'repository', 'factor', 'from', 'to']) if (state[k]) q.set(k, state[k]);
    if (state.from && state.to && state.from >= state.to) {
      // Nothing can be on or after one day and before an earlier (or the same) one: say so rather than "no match".
      items.replaceChildren();
      status.textContent = `The From date (${state.from}) is ${state.from === state.to ? 'the same as' : 'after'} the `
        + `Before date (${state.to}): no contribution can be in between. Pick a From date before the Before date.`;
      prev.disabled = true;
      next.disabled = true;
      pagerBelow.hidden = true; // its page of the old filters is gone
      return;
    }
    status.textContent = 'Loading contributions…';
    try {
      const p = await get(`/api/contributors/${id}/contributions?${q}`);
      if (mineSeq !== seq) return;
      if (!p.items.length && p.page > 0 && p.total) {
        state.page = 0; // a remembered page past the end (the list is shorter now): its first page instead
        load();
        return;
      }
      items.replaceChildren(...p.items.map((c) => item(c, lastDispute[c.contributionId], mine, runId, epochPaid)));
      const first = p.total ? p.page * p.size + 1 : 0;
      status.textContent = p.total ? `${grouped(first)}–${grouped(first + p.items.length - 1)} of ${count(grouped(p.total), 'contribution')}`
        : 'No contribution matches these filters.';
      prev.disabled = p.page === 0;
      next.disabled = (p.page + 1) * p.size >= p.total;
      prevBelow.disabled = prev.disabled;
      nextBelow.disabled = next.disabled;
      statusBelow.textContent = status.textContent;
      pagerBelow.hidden = p.items.length < 5 || (prev.disabled && next.disabled);
      // For measurements (bench/contributor-page): when the contributions of the page were on screen.
      if (!performance.getEntriesByName('merit:contributions').length) performance.mark('merit:contributions');
    } catch (e) {
      status.textContent = e.message;
    }
  }
  return { element: h('section', { class: 'contribution-list' }, controls, pager, items, pagerBelow), load };
}

/**
 * A contribution's day; a commit a merge brought in names both: "written 2026-01-20, merged 2026-02-03"; work that
 * came in after the payout of its period was made (and approved without it) says when it counts instead.
 */
function dated(c) {
  const at = date(c.occurredAt);
  if (c.lateFrom) {
    return h('span', { class: 'dated late', title: 'It reached Merit after the payout of the period it is dated in was made, and that payout was approved without it: it counts in a later period.' },
      `dated ${date(c.lateFrom)}, counted ${at}: it came in after the payout of its period was made`);
  }
  const written = c.committedAt ? date(c.committedAt) : at;
  return written === at ? at
    : h('span', { class: 'dated', title: 'It counts in the epoch in which it was merged.' }, `written ${written}, merged ${at}`);
}

function item(c, last, mine, runId, epochPaid) {
  const factors = c.factors || [];
  const size = factors.find((f) => f.kind === 'SCORE' && f.op === 'SET');
  const typeFactor = typeFactorOf(c);
  // A factor that changes nothing (× 1 built-on credit when the epoch has no links) stays out of the equation.
  const others = factors.filter((f) => f.kind === 'SCORE' && f !== size && f !== typeFactor && !noOp(f));
  const eq = [size ? count(points(size.value), 'size point') : '0'];
  // A weight the model's probabilities blend ("expected" or "median type weight") is not the type's own weight in the
  // table of weights: said as such, or "× 0.8 for fix" beside "fix 1" reads as a wrong sum.
  const blended = /^(expected|median) type weight/.exec(typeFactor?.detail || '');
  // A median that is the type's own weight in this run (a type the model gives more than even odds, nearly always):
  // "× 1 for fix", as plain as it is.
  const median = blended?.[1] === 'median';
  const own = median && runWeights[c.type] !== undefined && Number(runWeights[c.type]) === Number(typeFactor.value);
  // "× 0.3 for style" beside "style 0.2" in the table reads as a mistake: a blend says it is one.
  const blend = median ? 'the weight they reach together at even odds' : 'their weights by probability';
  const likely = `its likely types (${blend}; most likely ${typeName(c.type)}; see Details)`;
  if (typeFactor) eq.push(`× ${num(typeFactor.value)} for ${blended && !own ? likely : typeName(c.type)}`);
  for (const f of others) eq.push(`${f.op === 'ADD' ? '+' : '×'} ${num(f.value)} ${factorWords(f.name)}`);
  const e = c.explanation;
  const sha = c.source === 'git' ? c.externalId.slice(0, 8) : null;
  const ref = sha ? (c.url ? h('a', { href: c.url, rel: 'noopener', target: '_blank', title: c.externalId }, sha)
    : h('code', { title: c.externalId }, sha)) : null;
  // A subject of eighty words made each contribution a screenful on a phone: cut, whole under Details.
  const title = c.title || c.externalId;
  const shown = clip(title, 140);
  return h('li', { 'data-contribution': c.contributionId },
    h('div', { class: 'line-head' }, h('span', { class: 'title', title: shown === title ? null : title }, shown),
      h('span', { class: 'points num score' }, points(c.score))),
    h('div', { class: 'equation' }, eq.join(' '), ' = ', h('strong', {}, count(points(c.score), 'point')),
      h('span', { class: 'muted' }, ` (${percent(c.share)} of your points)`)),
    h('div', { class: 'meta muted' }, h('span', { class: e?.unsure ? 'type unsure' : 'type', 'data-unsure': e?.unsure ? 'true' : null },
      typeWithConfidence(c.type, e)), ' · ', c.repository ? `repository ${c.repository}` : c.source, ' · ', dated(c),
      ref ? ' · ' : '', ref),
    disputeCell(c, last, mine, runId, epochPaid),
    h('details', { class: 'more' }, h('summary', {}, 'Details'),
      shown === title ? null : h('p', { class: 'full-title' }, title),
      h('ul', { class: 'plain factors' }, factors.map(factorLine)),
      explanation(e, c)));
}

/**
 * One factor of the breakdown in words: "lines added: 6,633 (+6,633 effective lines)", "whitespace-only and
 * reformatted lines: 797 (−797 effective lines)",
 * "size points: 871.93614 (5756 effective lines: ...)", "built-on credit × 1: no change (...)".
 */
function factorLine(f) {
  const signed = (v) => (Number(v) === 0 ? '0' : String(v).startsWith('-') ? '−' + grouped(num(String(v).slice(1))) : '+' + grouped(num(v)));
  const detail = (d, words) => (d && d !== words ? h('span', { class: 'muted' }, ` — ${factorReason(d)}`) : null);
  if (f.kind === 'LINES') {
    // How many lines, then what they do to the effective lines: "lines deleted +70" read as if deleting added lines.
    const words = lineWords(f.name);
    const n = Math.abs(Number(f.value));
    const counted = n ? h('span', { class: 'muted' }, ` (${signed(f.value)} effective ${n === 1 ? 'line' : 'lines'})`) : null;
    return h('li', { 'data-factor': f.name }, h('span', { class: 'factor' }, `${words}: ${grouped(num(String(f.value).replace('-', '')))}`,
      counted), detail(f.detail, words));
  }
  const words = factorWords(f.name);
  const value = f.op === 'SET' ? `${words}: ${points(f.value)}`
    : f.op === 'ADD' ? `${words} ${signed(f.value)}` : `${words} × ${num(f.value)}`;
  return h('li', { 'data-factor': f.name }, h('span', { class: 'factor' }, value),
    noOp(f) && f.name !== 'type' ? h('span', { class: 'muted' }, ': no change') : null, detail(f.detail, words));
}

/** The contributor's disputes, newest first: ten, and the rest on demand (a busy contributor may have dozens). */
function disputeTable(disputes, mine) {
  const SHOWN = 10;
  const newest = [...disputes].sort((a, b) => b.id - a.id);
  // Each dispute names its epoch (the table lists them all, whatever epoch the page shows) and what the type is
  // worth: the points scored, and at the asked type's weight (which epochs' payouts that changes, the epoch says).
  const rows = newest.map((d) => {
    const [scored, asked] = disputePoints(d, 'at its weight');
    return h('tr', { 'data-dispute': d.id }, h('td', {}, d.title || d.contribution),
      h('td', {}, h('a', { href: `#/epochs/${d.epochId}?run=${d.runId}` }, d.epochName)),
      h('td', {}, typeName(d.scoredType), scored),
      h('td', {}, d.claimedType ? typeName(d.claimedType) : `not ${typeName(d.scoredType)}`, asked),
      h('td', {}, d.reason),
      h('td', {}, DISPUTE_STATES[d.status] || d.status, d.correctedType ? ` (now ${typeName(d.correctedType)})` : ''),
      h('td', {}, answerWords(d)));
  });
  rows.slice(SHOWN).forEach((r) => { r.hidden = true; });
  const all = rows.length > SHOWN ? h('button', { type: 'button', class: 'secondary', id: 'disputes-all', onclick: () => {
    rows.forEach((r) => { r.hidden = false; });
    all.remove();
  } }, `Show all ${rows.length} disputes`) : null;
  return h('div', {}, table(null, [['Contribution'], ['Epoch'], ['Scored as'], ['Disputed as'],
    [mine ? 'Your reason' : 'Reason'], ['State'], ['Answer']],
    rows, { id: 'disputes-table', 'aria-labelledby': 'disputes' }), all);
}


/** The contribution's type factor (the type's weight in its score); undefined without one. */
function typeFactorOf(c) {
  return (c.factors || []).find((f) => f.kind === 'SCORE' && f.name === 'type');
}

/**
 * Whether this scoring counts the contribution as the accepted dispute corrected it: its type factor says "corrected to
 * T by dispute N". (The type alone does not tell: a dispute may claim the type the model gave, to be paid that type's
 * own weight instead of a blend, and the disputed run already shows that type.)
 */
function correctedHere(c, last) {
  const detail = String(typeFactorOf(c)?.detail || '');
  const by = `corrected to ${last.correctedType} by dispute ${last.id}`;
  return detail === by || detail.startsWith(`${by}:`);
}

/**
 * A contribution's dispute, under its type: where the last one stands, or (to its signed-in contributor, for a type
 * the model gave) a form to dispute it. An accepted dispute corrects the type in the epoch's next scoring run.
 */
function disputeCell(c, last, mine, runId, epochPaid) {
  // In a paid epoch a correction shows in scorings made after the answer only: what was paid stays as it was.
  if (last && last.status !== 'rejected') {
    return h('div', { class: 'muted', 'data-dispute-status': last.status },
      last.status === 'open' ? `Disputed (${last.claimedType ? typeName(last.claimedType) : 'not ' + typeName(last.scoredType)}): waiting for a maintainer`
        // A run scored after the answer counts it as corrected already; the run disputed shows the model's type.
        : correctedHere(c, last) ? `Dispute accepted: counted as ${typeName(last.correctedType)} in this scoring`
          : epochPaid ? `Dispute accepted: ${typeName(last.correctedType)} in scorings made after the answer; what this epoch paid does not change`
            : `Dispute accepted: ${typeName(last.correctedType)} from the next scoring run`);
  }
  const rejected = last ? h('div', { class: 'muted', 'data-dispute-status': 'rejected' },
    `Dispute rejected: ${last.answer}`) : null;
  // A contribution its size or another factor made worth 0 points: its type cannot change what it counts. (One whose
  // type weighs 0 keeps the offer: there the type is what made it 0.)
  const typeFactor = typeFactorOf(c);
  const zeroByOther = Number(c.score) === 0 && !(typeFactor && Number(typeFactor.value) === 0);
  if (!mine || !['commit', 'pull_request'].includes(c.kind) || !MODEL_TYPES.includes(c.type) || zeroByOther) {
    return rejected;
  }
  // Paid another weight than its type's own (the median weight over the model's probabilities, when it was unsure):
  // its own type is offered too, "at its own weight", which an accepted dispute pays.
  const own = runWeights[c.type];
  const paidOtherwise = typeFactor && own !== undefined && Number(typeFactor.value) !== Number(own);
  // No type chosen for the contributor (a careless Send would claim the first); each with the weight it pays.
  const weight = (t) => (runWeights[t] !== undefined ? ` (× ${num(runWeights[t])})` : '');
  const type = h('select', { name: 'claimedType', required: true, id: `claim-${c.contributionId}` },
    h('option', { value: '', selected: true, disabled: true }, 'Choose…'),
    MODEL_TYPES.filter((t) => t !== c.type || paidOtherwise).map((t) => h('option', { value: t },
      t === c.type ? `${typeName(t)}, at its own weight (× ${num(own)})` : typeName(t) + weight(t))));
  const reason = h('textarea', { name: 'reason', rows: 3, required: true, maxlength: 2000,
    id: `why-${c.contributionId}`, placeholder: 'What the change does' });
  const send = h('button', { type: 'submit' }, 'Send');
  const form = h('form', { class: 'dispute', 'data-contribution': c.contributionId, onsubmit: async (e) => {
    e.preventDefault();
    send.disabled = true;
    try {
      const d = await post('/api/disputes', { runId, contributionId: c.contributionId, claimedType: type.value,
        reason: reason.value });
      say(`Dispute sent: a maintainer answers it; accepted, “${clip(d.title || d.contribution)}” counts as ${typeWords(d.claimedType)} from the next scoring run`
        + (epochPaid ? '. This epoch is paid: the correction shows in later scorings and does not change what was paid.' : '.'));
      cell.replaceWith(disputeCell(c, d, mine, runId, epochPaid));
      document.getElementById('disputes-part')?.dispatchEvent(new CustomEvent('merit:disputed', { detail: d }));
    } catch (err) {
      say(err.message, true);
      send.disabled = false;
    }
  } }, epochPaid ? h('p', { class: 'muted' }, 'This epoch is paid: an accepted dispute corrects the type in later '
    + 'scorings of it, and does not change what was paid.') : null,
  h('label', { for: `claim-${c.contributionId}` }, 'What type is it?'), type,
  h('label', { for: `why-${c.contributionId}` }, 'Why (what the change does)'), reason, send);
  const cell = h('div', {}, rejected, h('details', { class: 'dispute' }, h('summary', {}, 'Wrong type? Dispute it'), form));
  return cell;
}


/**
 * For a maintainer: count this account as a bot or as a person, with why, on the record (asked first); it counts from
 * the next scoring run. Any account, not only those today's rule reads otherwise (the review list on Disputes).
 */
function markControl(person, maintainer, session) {
  if (!maintainer) return null;
  const to = person.bot ? 'a person' : 'a bot';
  const reason = h('input', { type: 'text', name: 'reason', maxlength: 2000, id: 'mark-reason',
    placeholder: 'Why (optional): the release script\'s account' });
  const mark = h('button', { type: 'button', class: 'secondary', id: 'mark-bot', onclick: async () => {
    const means = person.bot ? 'A person is paid for their work in every epoch.'
      : 'A bot is paid only in epochs whose policy includes bots.';
    if (!window.confirm(`Count ${person.displayName} (#${person.id}) as ${to}? ${means} It is recorded, and counts `
      + 'from the next scoring run.')) {
      return;
    }
    mark.disabled = true;
    try {
      const done = await put(`/api/contributors/${person.id}/bot`, { bot: !person.bot,
        by: session?.maintainer ? `maintainer ${short(session.address)}` : 'maintainer',
        reason: reason.value.trim() || null });
      say(done.note);
      refreshSession(true);
    } catch (e) {
      say(e.message, true);
      mark.disabled = false;
    }
  } }, `Count as ${to}`);
  return h('details', { class: 'more', id: 'mark-control' }, h('summary', {}, `Maintainers: count as ${to}`),
    h('form', { class: 'dispute answer', onsubmit: (e) => e.preventDefault() },
      h('label', { for: 'mark-reason' }, 'Why'), reason, h('div', { class: 'votes' }, mark)));
}

/**
 * An account merged into another (one person known twice): whose it is now, and, for a maintainer, the undoing of it,
 * said before it is done. Its history stays here: runs made before the merge credited it.
 */
async function mergedNotice(person, maintainer) {
  const into = await get(`/api/contributors/${person.mergedInto}`).catch(() => null);
  const name = `${into?.displayName || 'another contributor'} (#${person.mergedInto})`;
  const undo = maintainer && person.mergeId ? h('button', { type: 'button', class: 'secondary', id: 'undo-merge',
    onclick: async () => {
      if (!window.confirm(`Undo the merge of ${person.displayName} (#${person.id}) into ${name}? Each is a contributor `
        + 'of their own again, with the identities and work they had; scoring runs from now on count them apart.')) {
        return;
      }
      undo.disabled = true;
      try {
        const done = await del(`/api/contributors/merges/${person.mergeId}`);
        // The server's note says what could not go back (an identity that no longer exists).
        say(`Undone: ${person.displayName} (#${person.id}) and ${name} are two contributors again.`
          + (done?.note ? ` Note: ${done.note}.` : ''));
        refreshSession(true);
      } catch (e) {
        say(e.message, true);
        undo.disabled = false;
      }
    } }, 'Undo this merge') : null;
  return notice(h('span', { id: 'merged-into' }, 'Merged into ', h('a', { href: `#/contributors/${person.mergedInto}` },
    name), `: one person known twice. ${person.displayName}'s identities and work belong to ${into?.displayName
    || 'them'} now, and scoring runs made since count it there; any history here is from runs made before. `, undo));
}

/**
 * Who scored a run, in words: "learned-v3/commit-type-ea75cbc01cd3" is "Scored by the type model
 * commit-type-ea75cbc01cd3 (scorer learned-v3)"; a run of the formula says so.
 */
function scoredBy(version) {
  const [scorer, model] = String(version || '').split('/');
  return model ? `Scored by the type model ${model} (scorer ${scorer})` : `Scored by ${scorer || 'an unnamed scorer'}`;
}

/**
 * The payout card's words under the amount: its line's state, said for a draft (nothing is held or sent yet) and for a
 * held share: what releases it, with a wallet linked now or not, and while its payout is still voted on.
 */
function payState(pay, linked) {
  if (pay.proposalState === 'draft') {
    return pay.state === 'held' ? 'in a draft: it would be held until a wallet is linked'
      : pay.state === 'to pay' ? 'in a draft, not on chain yet' : pay.state;
  }
  // Held: what releases it (a later payout, at its execution: one releases at most so many shares, so "a later
  // payout", not "the next"); while this payout's own vote is under way nothing is held yet.
  if (pay.state !== 'held') return pay.state;
  if (pay.proposalState !== 'executed') {
    return linked ? 'to be held in the vault if this payout is approved; a wallet is linked now, so a later payout, '
      + 'once executed, can then release it there' : 'to be held in the vault if this payout is approved, until a '
      + 'wallet is linked';
  }
  return linked
    ? 'held in the vault; a wallet is linked now, so a later payout, once executed, releases it there (nothing to do)'
    : 'held in the vault until a wallet is linked; a later payout, once executed, then releases it there (if none is '
      + 'linked in time, it goes back to the treasury)';
}

/**
 * An unpaid epoch sharing time with others: a payout of an epoch overlapping one paid or on chain is refused whole, so
 * of epochs that share time only one is ever paid (the payout pages say so to members; the contributor reading two
 * amounts hears it here).
 */
function sharesTime(epoch) {
  const others = epoch?.overlaps || [];
  if (!others.length || epoch.paidBy) return null;
  const links = others.slice(0, 3).flatMap((o, i) => [i ? ', ' : '', h('a', { href: `#/epochs/${o.id}` }, o.name)]);
  const more = others.length > 3 ? ` and ${others.length - 3} more` : '';
  const paid = others.filter((o) => o.paidBy);
  return notice(h('span', { id: 'shares-time' }, 'This epoch shares time with ', ...links, more, paid.length
    ? `. ${paid.map((o) => o.name).join(', ')} ${paid.length === 1 ? 'was' : 'were'} paid, so this epoch can no longer `
      + 'be: a payout of an epoch sharing time with a paid one is refused.'
    : ': once a payout of one of them is on chain or paid, a payout of another is refused, so only one of them will '
      + 'be paid.'));
}

/** A stat card; a long value (an exact token amount) takes a smaller type and, on a phone, the whole row. */
function card(label, value, key, note) {
  const n = (value instanceof Node ? value.textContent : String(value)).length;
  return h('li', { class: n > 16 ? 'wide' : null }, h('span', { class: 'label' }, label),
    h('span', { class: n > 11 ? 'value long' : 'value', 'data-stat': key }, value instanceof Node ? value : String(value)),
    note ? h('span', { class: 'label', 'data-stat-note': key }, note) : null);
}

function explanation(e, c) {
  const corrected = (c?.factors || []).some((f) => f.name === 'type' && /^corrected to /.test(f.detail || ''));
  if (!e && corrected) return h('p', { class: 'muted' }, 'Its type was corrected by a maintainer who accepted a dispute, not given by the model.');
  if (!e) return h('p', { class: 'muted' }, 'Its type comes from its kind (review, issue, comment or merge), not from the model.');
  const probs = Object.entries(e.typeProbabilities || {}).sort((a, b) => b[1] - a[1]).slice(0, 3);
  // A calibrated model says when it is unsure (its type is about as often wrong as right there): "probably", and a dispute is welcome.
  const unsure = e.unsure ? h('span', { class: 'muted', 'data-unsure': 'true' }, ' (probably; the model is unsure: dispute it if it is wrong)') : null;
  // The type its message declares is not what pays (the model reads the change without it): said where they differ.
  const declared = e.declaredType && e.declaredType !== String(c?.type).toLowerCase()
    ? h('p', { class: 'declared' }, `Its message declares ${typeWords(e.declaredType)}; the model reads the change `
      + `without that word and finds ${typeWords(c.type)}. A declared type is not paid by itself: if the model is `
      + 'wrong, dispute the type.') : null;
  return h('div', { class: 'why' }, h('p', {}, 'Why this type: ', probs.map(([t, p]) => `${typeName(t)} ${(p * 100).toFixed(0)}\u00a0%`).join(', '), unsure),
    declared,
    h('p', { class: 'muted' }, `Model ${e.model}. Features that pushed most toward this type:`),
    // The model's own name of each feature is in the tooltip (for those who read the model), not on the line.
    h('ul', { class: 'influences' }, (e.influences || []).map((i) => h('li', { 'data-feature': i.feature },
      h('span', { class: 'influence', title: `model feature ${i.feature}` }, describeFeature(i.feature)),
      // "push", not "weight": a type's weight is what it pays, beside these on the same page.
      h('span', { class: 'muted' }, ` (push ${i.weight >= 0 ? '+' : '−'}${Math.abs(i.weight).toFixed(3)})`)))));
}

/** The section, and the drawing of its chart (once the section is on the page). */
function historySection(history, contributorId, symbol) {
  const section = h('section', { 'aria-labelledby': 'history' });
  const chartBox = h('div');
  section.append(chartBox);
  const draw = () => barChart(chartBox, { labels: history.map((e) => e.epochName),
    datasets: [{ label: 'Share of the epoch (%)', data: history.map((e) => Number(e.share) * 100) }],
    unit: 'share of the epoch, %', // a share of 0.05 % would read as 0.05 tokens without it
    label: 'Share per epoch: ' + history.map((e) => `${e.epochName} ${percent(e.share)}`).join(', ') });
  section.append(table(null, [['Epoch'], ['Rank', 'num'], ['Points', 'num'], ['Share', 'num'], ['Payout', 'num']],
    history.map((e) => h('tr', {}, h('td', {}, h('a', { href: `#/contributors/${contributorId}?run=${e.runId}` }, e.epochName)),
      h('td', { class: 'num' }, `${grouped(e.rank)} of ${grouped(e.contributors)}`), h('td', { class: 'num' }, points(e.total)),
      h('td', { class: 'num' }, percent(e.share)),
      h('td', { class: 'num' }, historyPayout(e, symbol))))));
  return { section, draw };
}

/** Why a payout that was made will never pay, in a few words (the whole reason is its title). */
const NEVER_WORDS = { defeated: 'its vote did not pass', withdrawn: 'withdrawn', superseded: 'replaced',
  canceled: 'canceled', expired: 'expired' };

/**
 * An epoch's pay in the history: the amount with its line's state (held is not paid), or, when no payout pays it, its
 * newest proposal and what became of it. A draft is not a payout put to the DAO; a vote lost is not one still to come.
 */
function historyPayout(e, symbol) {
  if (e.payoutBaseUnits != null) {
    return h('span', {}, amountNode(e.payoutBaseUnits, e.tokenDecimals, symbol),
      e.payoutState ? h('span', { class: 'muted line-state' }, ` · ${e.payoutState}`) : null,
      // Paid: by which transaction, so that the contributor can look it up on the chain.
      paidTx(e.paidTxHash, true));
  }
  if (e.proposalId) {
    return h('span', { class: 'muted' }, h('a', { href: `#/proposals/${e.proposalId}` }, `payout #${e.proposalId}`),
      ': pays you nothing');
  }
  const p = e.latestProposal;
  if (!p) return h('span', { class: 'muted' }, 'no payout proposed yet');
  const link = h('a', { href: `#/proposals/${p.id}` }, `payout #${p.id}`);
  if (p.neverPaid) {
    return h('span', { class: 'muted', title: p.neverPaid }, link,
      `: ${p.periodTaken ? 'its period was paid by another' : NEVER_WORDS[p.state] || 'will not pay'}, not paid`);
  }
  return h('span', { class: 'muted' }, link,
    p.state === 'draft' ? ': a draft, not put to a vote yet' : ': pays you nothing');
}
