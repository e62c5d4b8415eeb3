import { get, del, dao, paidPast } from '../api.js';
import { h, table, pagedTable, percent, firstDay, period, periodUtc, lastDay, count, botMark, amount, when, typeName,
  points, grouped, factorWords, factorReason, times, stateWords, DEAD } from '../format.js';
import { notice, say, viewRender } from '../ui.js';
import * as wallet from '../wallet.js';

export async function epochs() {
  const render = viewRender(); // draws only while the reader is still on this page
  const [list, site] = await Promise.all([get('/api/epochs'), dao()]);
  // The vault's approvedUntil says which unpaid epochs can no longer be paid: the list shows first, with Merit's own
  // record of the approvals (the chain may be starting, slow or unreachable), and the vault's word follows.
  const recorded = recordedPaid(list);
  get('/api/chain').then((chain) => {
    if (!render.current()) return; // a newer list's cells are its own
    const known = later(chain, recorded);
    for (const e of list) {
      const cell = document.querySelector(`[data-paid="${e.id}"]`);
      if (cell && !e.paidBy && paidPast(known, e.startsAt)) cell.replaceChildren(paidWords(e, known));
    }
  }).catch(() => {});
  render('Leaderboards', h('p', { class: 'muted' }, 'One leaderboard per epoch: pick an epoch to see its standings and how it was scored.'),
    list.length ? table(null, [['Epoch'], ['From (UTC)'], ['To (UTC)'], ['Budget', 'num'], ['Paid']],
    list.map((e) => h('tr', {}, h('td', {}, h('a', { href: `#/epochs/${e.id}` }, e.name), sharesTime(e), gapShort(e)),
      h('td', { class: 'nowrap' }, firstDay(e.startsAt)),
      h('td', { class: 'nowrap' }, lastDay(e.endsAt)), h('td', { class: 'num' }, amount(e.budgetBaseUnits, e.tokenDecimals, site.tokenSymbol)),
      h('td', { 'data-paid': e.id }, paidWords(e, recorded)))))
    : notice('No epochs yet. A maintainer creates them (merit payroll, or POST /api/epochs).'));
}

/** Whether an epoch was paid, in words: by which payout, or why it can no longer be, or that it is under way. */
function paidWords(e, chain) {
  if (e.paidBy) return h('span', {}, 'paid by ', payoutLink(e.paidBy));
  if (paidPast(chain, e.startsAt)) return h('span', { class: 'muted' }, 'can no longer be paid');
  if (Date.parse(e.endsAt) > Date.now()) return h('span', { class: 'muted' }, Date.parse(e.startsAt) > Date.now() ? 'not begun' : 'under way');
  return h('span', { class: 'muted' }, 'not yet');
}

export async function leaderboard(epochId, params) {
  const render = viewRender(); // draws only while the reader is still on this page
  const [epoch, runs, site, payouts, maintainer] = await Promise.all([get(`/api/epochs/${epochId}`),
    get(`/api/scoring-runs?epochId=${epochId}`), dao(),
    get(`/api/payout-proposals?epochId=${epochId}`).catch(() => null), wallet.maintainer()]);
  const paid = epoch.paidBy;
  // An unpaid epoch's payout on its way (a draft, or one on chain that may still pay), newest first: linked beside
  // the figures, as a paid one is.
  const ways = paid || !payouts ? [] : payouts.filter((p) => !DEAD.includes(p.state) && !p.periodTaken);
  const pending = ways.find((p) => p.state !== 'draft') || ways[0]; // a vote under way before a newer draft
  const blocked = paid ? null : await vaultPassed(epoch);
  // This epoch paid, or the vault past its start: the time before it can never be paid either.
  const overlaps = [overlapNote(epoch, Boolean(paid), blocked), gapNote(epoch, Boolean(paid || blocked))];
  const about = `${periodUtc(epoch.startsAt, epoch.endsAt)}${underWay(epoch)} · budget `
    + amount(epoch.budgetBaseUnits, epoch.tokenDecimals, site.tokenSymbol);
  const remove = deleteControl(epoch, runs, payouts, maintainer);
  if (!runs.length) {
    const n = Number(epoch.contributions || 0);
    render(epoch.name, h('p', { class: 'muted' }, about), blockedNote(epoch, blocked), overlaps,
      notice(h('span', { id: 'not-scored' }, n ? `This epoch has not been scored yet: ${count(grouped(n),
        'contribution is', 'contributions are')} dated in it.` : 'No contribution is dated in this epoch yet, so there '
        + 'is nothing to score: work counts here once a repository with work dated in its period is ingested.')),
      remove);
    return;
  }
  // The run asked for (a contributor page or a dispute links to its own), else the latest; runs are newest first.
  const asked = runs.findIndex((r) => String(r.id) === params?.get('run'));
  const at = asked >= 0 ? asked : 0;
  const run = runs[at];
  const before = runs[at + 1];
  const [standings, changes] = await Promise.all([get(`/api/scoring-runs/${run.id}/contributors?page=0&size=${SHOWN}`),
    before ? get(`/api/scoring-runs/${run.id}/changes?since=${before.id}&limit=10`) : null]);
  const runAt = (r) => when(r?.createdAt || r?.startedAt);
  const paidAt = paid ? runs.findIndex((r) => r.id === paid.scoringRunId) : -1;
  const link = (r, text) => h('a', { href: `#/epochs/${epochId}?run=${r.id}` }, text);
  // Which scoring this is, when there is more than one: the one paid from, a later one (which pays nothing of the
  // paid period), or an earlier one.
  const which = paid && paid.scoringRunId !== run.id
    ? notice(h('span', { id: 'run-paid-elsewhere' }, `This epoch was paid from its scoring of ${runAt(runs[paidAt])} (`,
      payoutLink(paid), '). ',
      at < paidAt ? 'This later scoring, of ' + runAt(run) + ', pays nothing of the paid period: it shows '
        + 'the epoch as scored now, with the corrections accepted since. ' : `This is an earlier scoring, of ${runAt(run)}. `,
      link({ id: paid.scoringRunId }, 'See the leaderboard it was paid from'), '.'))
    : paid && runs[0].id !== run.id ? notice(h('span', { id: 'run-paid-elsewhere' }, `The scoring this epoch was paid from (`,
      payoutLink(paid), `). It was scored again on ${runAt(runs[0])}: `,
      link(runs[0], 'see the latest scoring'), ', which pays nothing of the paid period.'))
      : at > 0 ? notice(h('span', {}, `An earlier scoring of this epoch, of ${runAt(run)}. `, link(runs[0], 'See the latest'), '.'))
        : null;
  render(`Leaderboard: ${epoch.name}`,
    h('p', { class: 'muted' }, `${periodUtc(epoch.startsAt, epoch.endsAt)}${underWay(epoch)} · `
      + `${count(grouped(run.contributionCount), 'contribution')} · `
      + `${count(grouped(run.contributorCount), 'contributor')} · budget ${amount(epoch.budgetBaseUnits, epoch.tokenDecimals, site.tokenSymbol)}`,
      paid ? [' · paid by ', payoutLink(paid)]
        : pending ? [' · ', h('a', { href: `#/proposals/${pending.id}`, id: 'epoch-payout' }, pending.state === 'draft'
          ? `draft payout #${pending.id}` : `payout #${pending.id}`), pending.state === 'draft' ? ''
          : ` (${stateWords(pending)})`] : null),
    blockedNote(epoch, blocked),
    overlaps,
    which,
    leaderboardTable(standings, run),
    // The count above is of contributions; a row counts its contributor's, so a co-authored one is in several rows.
    h('p', { class: 'muted', id: 'leaderboard-credit' }, 'A contribution with several authors is counted in each '
      + 'author\'s Contributions column (its points are shared between them), so the column can add up to more than '
      + 'the epoch\'s contributions.'),
    changes ? changesSection(changes, runAt(before)) : null,
    h('h2', {}, 'How this epoch was scored'),
    policySection(run, epoch, site.tokenSymbol),
    remove);
}

/**
 * For a maintainer, the deleting of an epoch made by mistake (a wrong year, a period that should not be one, a policy
 * to make again), with its scoring runs and its drafts withdrawn or replaced off chain, while none of its payouts is a
 * draft or was put on chain (Merit also refuses once a replaced draft had gone on chain or a contributor disputed a
 * type in its scoring, and says so). Asked first, with what goes and what stays.
 */
function deleteControl(epoch, runs, payouts, maintainer) {
  const withdrawn = (payouts || []).filter((p) => p.state === 'withdrawn' || p.state === 'superseded');
  if (!maintainer || !payouts || withdrawn.length < payouts.length) return null;
  const stay = Number(epoch.contributions) === 0 ? ''
    : ' Its contributions stay, and count in whichever epoch covers their time.';
  const went = [runs.length ? count(runs.length, 'scoring run') : null,
    withdrawn.length ? `${withdrawn.length === 1 ? 'draft' : 'drafts'} ${withdrawn.map((p) => `#${p.id}`).join(', ')} `
      + '(withdrawn or replaced, never on chain)' : null].filter(Boolean);
  const button = h('button', { type: 'button', class: 'danger', id: 'delete-epoch', onclick: async () => {
    if (!window.confirm(`Delete epoch ${epoch.name}${went.length ? ` and its ${went.join(' and its ')}`
      : ''}?${stay} This cannot be undone.`)) return;
    button.disabled = true;
    try {
      await del(`/api/epochs/${epoch.id}`);
      // After the list's own hashchange handler, which clears the flash line.
      window.addEventListener('hashchange', () => say(`Epoch ${epoch.name} deleted.`), { once: true });
      location.hash = '#/epochs';
    } catch (e) {
      say(e.message, true);
      button.disabled = false;
    }
  } }, 'Delete this epoch');
  return h('details', { class: 'more', id: 'delete-control' }, h('summary', {}, 'Maintainers: delete this epoch'),
    h('p', { class: 'muted' }, 'For an epoch made by mistake, or to make it again with another policy. Its scoring '
      + 'runs and its drafts withdrawn or replaced before going on chain go with it; its contributions stay. Once a '
      + 'payout of an epoch has gone on chain, or a contributor has disputed a type in its scoring, it stays on '
      + 'record.'), button);
}

/** " (under way: the standings change until it ends)" for an epoch running now. */
function underWay(epoch) {
  const now = Date.now();
  return Date.parse(epoch.startsAt) <= now && now < Date.parse(epoch.endsAt)
    ? ' (under way: the standings change until it ends)' : '';
}

/**
 * How far the vault has approved pay, when that is past this unpaid epoch's start: periods are paid once and in order,
 * so no payout can pay it any more (an epoch still running included: a later period was paid first).
 */
async function vaultPassed(epoch) {
  const chain = await get('/api/chain').catch(() => null);
  if (chain?.paidUntil) return paidPast(chain, epoch.startsAt);
  // The chain unreachable (or new): Merit's own record of what the vault approved says it too.
  return paidPast(recordedPaid(await get('/api/epochs').catch(() => [])), epoch.startsAt);
}

/** Merit's record of how far pay was approved (the latest end of a paid epoch), in the vault's words ({paidUntil}). */
function recordedPaid(list) {
  const ends = list.filter((e) => e.paidBy).map((e) => Date.parse(e.endsAt));
  return ends.length ? { paidUntil: new Date(Math.max(...ends)).toISOString() } : null;
}

/** Of two such records, the one that has paid further. */
function later(a, b) {
  if (!a?.paidUntil) return b;
  if (!b?.paidUntil) return a;
  return Date.parse(a.paidUntil) >= Date.parse(b.paidUntil) ? a : b;
}

function blockedNote(epoch, paidUntil) {
  return paidUntil ? notice(h('span', { id: 'epoch-blocked' }, `This epoch can no longer be paid: the vault has approved `
    + `pay up to ${when(paidUntil)}, after its start (${firstDay(epoch.startsAt)}), and periods are paid once and in order. `
    + 'Its standings stay as a record.')) : null;
}

/** Under an epoch's name in the list: the one epoch it shares time with, or how many. */
function sharesTime(e) {
  const others = e.overlaps || [];
  if (!others.length) return null;
  // The first two by name (each a link), the rest counted.
  const named = others.slice(0, 2).flatMap((o, i) => [i ? ' and ' : '', h('a', { href: `#/epochs/${o.id}` }, o.name)]);
  return h('div', { class: 'muted', 'data-overlaps': e.id }, 'shares time with ', ...named,
    others.length > 2 ? ` and ${count(others.length - 2, 'other epoch')}` : '');
}

/** "1 day", "36 days", "5 hours": how long a stretch of time lasts, in its largest whole unit. */
function lasting(from, to) {
  const hours = (Date.parse(to) - Date.parse(from)) / 3_600_000;
  if (hours >= 24) return count(grouped(Math.round(hours / 24)), 'day');
  if (hours >= 1) return count(Math.round(hours), 'hour');
  return count(Math.max(1, Math.round(hours * 60)), 'minute');
}

/** Under an epoch's name in the list: the time before it that no epoch covers. */
function gapShort(e) {
  const g = e.gapBefore;
  if (!g) return null;
  return h('div', { class: 'muted', 'data-gap': e.id }, `No epoch covers the ${lasting(g.from, g.to)} before it`,
    g.contributions ? ` (${count(grouped(g.contributions), 'contribution')} dated then)` : '');
}

/**
 * The time just before this epoch that no epoch covers: work dated then is paid by no payout until an epoch covers it,
 * and by none once a later period is approved (the vault pays periods once and in order).
 */
function gapNote(epoch, closed) {
  const g = epoch.gapBefore;
  if (!g) return null;
  const them = g.contributions === 1 ? 'it' : 'them';
  // "the epoch 2015-01-01 to 2015-12-31 (it ends ...)": named as an epoch, its name may be dates itself.
  return notice(h('span', { id: 'epoch-gap' }, 'No epoch covers the ', lasting(g.from, g.to), ' between the epoch ',
    h('a', { href: `#/epochs/${g.after.id}` }, g.after.name), ` (it ends ${when(g.from)}) and this epoch (it starts `
      + `${when(g.to)}): `, g.contributions
      ? `${count(grouped(g.contributions), 'contribution is', 'contributions are')} dated then. ` + (closed
        ? `No payout can pay ${them} any more: the vault has approved pay for a later period, and periods are paid `
          + 'once and in order.'
        : `No payout pays ${them} until an epoch covers that time, and none can once a later period is approved: `
          + 'periods are paid once and in order.')
      : 'no contribution is dated then. Work dated then would be paid by no payout until an epoch covers that time.'));
}

/**
 * Epochs whose periods share time with this one: a contribution in the shared time is scored in each, and any stretch
 * of time is paid once (a payout of a period overlapping one paid or on chain is refused). Those already paid are
 * named as such: this epoch can no longer be paid for their time.
 */
function overlapNote(epoch, selfPaid, blocked) {
  const others = epoch.overlaps || [];
  if (!others.length) return null;
  // The first 12 are named, with the payout that paid each; the rest counted.
  const shown = others.slice(0, 12);
  const names = shown.flatMap((o, i) => {
    // Its dates (unless its name already is them: "2026-11-20 to 2026-12-02"), and the payout that paid it.
    const dates = period(o.startsAt, o.endsAt);
    const about = [o.name === dates ? null : [periodUtc(o.startsAt, o.endsAt)],
      o.paidBy ? ['paid by ', payoutLink(o.paidBy)] : null]
      .filter(Boolean);
    return [i ? '; ' : '', h('a', { href: `#/epochs/${o.id}` }, o.name),
      about.length ? [' (', ...about.flatMap((a, k) => (k ? [', ', ...a] : a)), ')'] : ''];
  })
    .concat(others.length > shown.length ? [`; and ${others.length - shown.length} more (see the epoch list)`] : []);
  const anyPaid = others.some((o) => o.paidBy);
  return notice(h('span', { id: 'epoch-overlaps' }, 'This epoch shares time with ', ...names,
    `. A contribution in the shared time counts in ${others.length === 1 ? 'both' : 'each'}, and any stretch of time is `
    + 'paid once' + (selfPaid ? `: this epoch was paid, so ${others.length === 1 ? 'the other' : 'the others'} can no longer be.`
      : blocked ? ' (see above).'
      : anyPaid ? ': this epoch can no longer be paid, as a payout of a period overlapping a paid one is refused.'
        : others.length > shown.length ? ': a payout of this epoch is refused once an epoch sharing its time is paid or on chain.'
          : ': once one of them is paid or on chain, a payout of another that shares its time is refused.')));
}

/** "payout #N", linked, for an epoch's paidBy. */
function payoutLink(paidBy) {
  return h('a', { href: `#/proposals/${paidBy.payoutProposalId}` }, `payout #${paidBy.payoutProposalId}`);
}

const SHOWN = 50;

/**
 * The leaderboard: 50 standings a page, the next page on demand (a DAO of a thousand is a long page on a phone, and a
 * long download on its network); the run's contributor count says how many there are.
 */
function leaderboardTable(first, run) {
  const row = (s) => h('tr', {}, h('td', { class: 'num' }, String(s.rank)),
    h('td', { class: 'lead' }, h('a', { href: `#/contributors/${s.contributorId}?run=${run.id}` }, s.displayName),
      botMark(s)),
    h('td', { class: 'num' }, grouped(s.contributions)), h('td', { class: 'num' }, points(s.total)),
    h('td', { class: 'num' }, percent(s.share)));
  // Of the points, bots' included: what a payout pays (bots left out, a cap, a minimum) is on its own page.
  const headers = [['Rank', 'num'], ['Contributor'], ['Contributions', 'num'], ['Points', 'num'], ['Share of points', 'num']];
  const total = run.contributorCount;
  // A run's standings never change, so pages by number neither skip nor repeat one.
  return pagedTable(headers, first, { id: 'leaderboard', row, total, noun: 'contributors', compact: true,
    more: first.length < total,
    next: async (shown) => {
      const rows = await get(`/api/scoring-runs/${run.id}/contributors?page=${Math.floor(shown / SHOWN)}&size=${SHOWN}`);
      return { rows, more: shown + rows.length < total };
    } });
}

/** A decimal as a person writes it: "0.500000" reads 0.5, "1.000000" reads 1. */
function plainDecimal(v) {
  const s = String(v);
  return /^-?\d+\.\d+$/.test(s) ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** What moved since the epoch's previous scoring run: whose totals, which contributions, and the factors' reasons. */
function changesSection(c, previousAt) {
  const what = [['model', c.modelChanged], ['inputs', c.inputsChanged]]
    .map(([name, changed]) => `${name} ${changed ? 'changed' : 'the same'}`).concat([c.policyNote]).join(', ');
  const signed = (v) => (v == null ? '—' : String(v).startsWith('-') ? '−' + points(String(v).slice(1)) : '+' + points(v));
  // A commit with co-authors moves each author's share: those rows say whose share each is, or they read as one row
  // listed twice.
  const names = new Map(c.contributors.map((p) => [p.contributorId, p.displayName]));
  const seen = new Set();
  const shared = new Set();
  for (const m of c.contributions) {
    if (seen.has(m.contributionId)) shared.add(m.contributionId);
    seen.add(m.contributionId);
  }
  const whose = (m) => (shared.has(m.contributionId)
    ? h('span', { class: 'muted' }, ` (${names.get(m.contributorId) ? names.get(m.contributorId) + '’s' : 'a co-author’s'} share)`) : null);
  return h('section', { 'aria-labelledby': 'run-changes', id: 'run-changes-section' },
    h('h2', { id: 'run-changes' }, 'Changes since the previous scoring'),
    h('p', { class: 'muted' }, `This scoring against the one of ${previousAt}: ${what}; `
      + `${count(grouped(c.changedContributions), 'contribution')} with a new score or type; ${count(grouped(c.contributors.length), 'contributor')} with a new total or rank`
      + `${c.contributors.some((p) => p.botBefore != null && p.botAfter != null && p.botBefore !== p.botAfter) ? ', or counted as a bot or a person now' : ''}.`),
    c.contributors.length ? movedTable(c.contributors, signed) : null,
    c.contributions.length ? table('The contributions that moved most', [['Contribution'], ['Type'], ['Before', 'num'],
      ['After', 'num'], ['Why']],
    c.contributions.map((m) => h('tr', {}, h('td', {}, m.title || m.contribution, whose(m)),
      h('td', {}, m.typeBefore === m.typeAfter ? (m.typeAfter ? typeName(m.typeAfter) : '—') : `${m.typeBefore ? typeName(m.typeBefore) : '—'} → ${m.typeAfter ? typeName(m.typeAfter) : '—'}`),
      h('td', { class: 'num' }, points(m.before)), h('td', { class: 'num' }, points(m.after)),
      h('td', {}, !m.factors.length && m.typeBefore !== m.typeAfter
        ? 'its type changed; both types weigh the same under this policy, so its points did not'
        : h('ul', { class: 'plain' }, m.factors.map((f) => h('li', {},
        h('span', { class: 'factor' }, `${factorWords(f.name)} ${f.before == null ? '—' : points(f.before)} → ${f.after == null ? '—' : points(f.after)}`),
        f.detail ? h('span', { class: 'muted' }, ' (' + factorReason(f.detail) + ')') : null)))))),
    { id: 'run-changes-contributions' }) : null);
}

/**
 * Whose totals moved, most first: after a model change that is everyone, so the first 20 are shown and the rest on
 * demand (the comparison already holds them all).
 */
function movedTable(moved, signed) {
  const FIRST = 20;
  // A bot or person mark between the two runs moves pay, not points: said beside the name.
  const marked = (p) => (p.botBefore != null && p.botAfter != null && p.botBefore !== p.botAfter
    ? h('span', { class: 'muted' }, ` (now counted as ${p.botAfter ? 'a bot' : 'a person'})`) : null);
  const row = (p) => h('tr', {}, h('td', {}, p.displayName || 'a contributor merged away', marked(p)),
    h('td', { class: 'num' }, points(p.before)), h('td', { class: 'num' }, points(p.after)),
    h('td', { class: 'num' }, signed(p.delta)), h('td', {}, `${p.rankBefore ?? '—'} → ${p.rankAfter ?? '—'}`));
  return pagedTable([['Contributor'], ['Before', 'num'], ['After', 'num'], ['Change', 'num'], ['Rank']],
    moved.slice(0, FIRST), { id: 'run-changes-contributors', row, total: moved.length, noun: 'contributors',
      more: moved.length > FIRST,
      next: async (shown) => ({ rows: moved.slice(shown, shown + SHOWN), more: shown + SHOWN < moved.length }) });
}

function policySection(run, epoch, symbol) {
  const p = run.policy;
  const items = [
    h('dt', {}, 'Model'), h('dd', {}, run.modelVersion, ' ', h('span', { class: 'hash' }, run.modelHash)),
    h('dt', {}, 'Policy hash'), h('dd', { class: 'hash' }, run.policyHash),
    h('dt', {}, 'Input hash'), h('dd', { class: 'hash' }, run.inputHash),
  ];
  const section = h('section', {}, h('dl', { class: 'kv' }, items));
  if (!p) {
    section.append(notice('This run predates stored policy documents; its policy hash still identifies it.'));
    return section;
  }
  const s = p.scoring || {};
  // Each rule's meaning comes with the run, generated from the policy document's data (never parsed from prose).
  section.append(h('ul', { class: 'rules', id: 'policy-rules' },
    (run.policyRules || []).map((r) => h('li', { 'data-rule': r.rule }, times(r.text)))));
  section.append(table('Type weights', [['Type'], ['Weight', 'num']],
    Object.entries(s.typeWeights || {}).map(([t, w]) => h('tr', {}, h('td', {}, typeName(t)), h('td', { class: 'num' }, plainDecimal(w))))));
  const pol = epoch.policy || {};
  const sym = (v) => amount(v, epoch.tokenDecimals, symbol);
  section.append(h('p', {}, `Payout policy: minimum payout ${sym(pol.minPayoutBaseUnits)}, `
    + `cap ${pol.capBaseUnits == null ? 'none' : sym(pol.capBaseUnits)}, `
    + `${pol.sqrtDampening ? 'square-root dampening of scores' : 'scores paid proportionally'}, bots ${pol.includeBots ? 'included' : 'excluded'}. `
    + 'Amounts are exact integers that sum to the budget.'));
  section.append(h('details', {}, h('summary', {}, 'The policy document (its SHA-256 is the policy hash)'),
    h('pre', { class: 'hash' }, JSON.stringify(p, null, 2))));
  return section;
}
