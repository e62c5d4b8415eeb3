import './style.css';
import { get, post, ApiError } from './api.js';
import { h, table, tokens, percent, date, shortHash, describeFeature, count } from './format.js';
import { barChart, clearCharts } from './charts.js';
import * as wallet from './wallet.js';

const main = document.getElementById('main');
const flash = document.getElementById('flash');

function say(message, error = false) {
  flash.textContent = message || '';
  flash.className = error ? 'error' : '';
}

function notice(message, kind = '') {
  return h('p', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, message);
}

function render(title, ...content) {
  clearCharts();
  document.title = title + ' · Merit';
  main.replaceChildren(h('h1', {}, title), ...content);
  main.focus({ preventScroll: true });
}

// ---- routes ----------------------------------------------------------------------------------------------------

const routes = [
  [/^#?\/?$/, home],
  [/^#\/contributors\/(\d+)$/, contributor],
  [/^#\/epochs$/, epochs],
  [/^#\/epochs\/(\d+)$/, leaderboard],
  [/^#\/proposals$/, proposals],
  [/^#\/proposals\/(\d+)$/, proposal],
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

// ---- home: find yourself -----------------------------------------------------------------------------------------

async function home(params) {
  const q = params.get('q') || '';
  const input = h('input', { type: 'search', id: 'q', name: 'q', value: q, autocomplete: 'off',
    placeholder: 'login, e-mail, name or 0x wallet' });
  const form = h('form', { class: 'inline', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    location.hash = '#/?q=' + encodeURIComponent(input.value.trim());
  } }, h('div', {}, h('label', { for: 'q' }, 'Find yourself'), input), h('button', { type: 'submit' }, 'Search'));
  const results = h('div', { id: 'results', 'aria-live': 'polite' });
  render('Contributions, scores and payouts', h('p', {},
    'Every score decomposes into named factors you can check; every payout carries the hash of its inputs, policy and model.'),
  form, results);
  if (q) {
    const found = await get('/api/contributors?q=' + encodeURIComponent(q));
    results.replaceChildren(found.length
      ? h('ul', { class: 'plain', 'aria-label': 'Contributors found' }, found.map((c) => h('li', {},
        h('a', { href: `#/contributors/${c.id}` }, c.displayName), ' ',
        h('span', { class: 'muted' }, c.identities.map((i) => i.handle).slice(0, 3).join(', ')))))
      : notice(`No contributor matches “${q}”. Try your commit e-mail, your forge login or your wallet.`));
  }
}

// ---- contributor: standing, breakdown, history -----------------------------------------------------------------

async function contributor(id, params) {
  const [person, history] = await Promise.all([get(`/api/contributors/${id}`), get(`/api/contributors/${id}/history`)]);
  const wallets = person.identities.filter((i) => i.kind === 'WALLET');
  const linkButton = h('button', { type: 'button', class: 'secondary', id: 'link-wallet', onclick: async () => {
    linkButton.disabled = true;
    try {
      const s = await wallet.signIn(person.id);
      const c = s.walletClaim;
      // A signature proves the wallet, not the person: the contributor's forge account posts the claim's code.
      say(!c ? `Wallet ${s.linkedWallet} is linked to ${person.displayName}; payouts go there.`
        : c.proveFrom.length
          ? `To prove you are ${person.displayName}, post ${c.code} from ${c.proveFrom.join(' or ')} as a comment, `
            + `issue or pull request in a repository Merit follows, before ${new Date(c.expiresAt).toLocaleString()}. `
            + `Wallet ${c.address} is linked when it arrives; until then payouts do not go to it.`
          : `Merit knows no GitHub or GitLab account of ${person.displayName} to prove it with: ask a maintainer to `
            + `link wallet ${c.address} (merit wallet ${c.contributorId} ${c.address}).`);
      await showSession();
      route();
    } catch (e) {
      say(e.message, true);
    } finally {
      linkButton.disabled = false;
    }
  } }, 'This is me: link my wallet');
  const identities = h('dl', { class: 'kv' },
    person.identities.flatMap((i) => [h('dt', {}, i.kind.toLowerCase().replace('_', ' ')), h('dd', {}, i.handle)]));
  if (!history.length) {
    render(person.displayName, identities, notice('No scored epoch includes this contributor yet.'));
    return;
  }
  const runId = Number(params.get('run')) || history[history.length - 1].runId;
  const current = history.find((e) => e.runId === runId) || history[history.length - 1];
  const [b, session, disputes] = await Promise.all([get(`/api/scoring-runs/${current.runId}/contributors/${id}`),
    wallet.session().catch(() => null), get(`/api/disputes?contributorId=${id}`)]);
  const mine = session && session.contributorId === person.id;
  const lastDispute = {};
  for (const d of disputes) lastDispute[d.contributionId] = d;

  const epochPicker = h('select', { id: 'epoch', onchange: (e) => { location.hash = `#/contributors/${id}?run=${e.target.value}`; } },
    history.map((e) => h('option', { value: e.runId, selected: e.runId === current.runId }, e.epochName)));

  const cards = h('ul', { class: 'cards', 'aria-label': 'Standing in ' + current.epochName },
    card('Total score', b.standing.total, 'total'),
    card('Share of the epoch', percent(b.standing.share), 'share'),
    card('Payout', current.payout == null ? 'not proposed yet' : tokens(current.payout, current.tokenDecimals) + ' tokens', 'payout'),
    card('Rank', `${b.standing.rank} of ${current.contributors}`, 'rank'),
    card('Contributions', b.standing.contributions, 'contributions'));

  // Where the score comes from: by the model's type, then the biggest contributions.
  const byType = {};
  for (const c of b.contributions) byType[c.type] = (byType[c.type] || 0) + Number(c.score);
  const typeChart = h('section', { 'aria-labelledby': 'by-type' }, h('h2', { id: 'by-type' }, 'Score by contribution type'));
  const top = b.contributions.slice(0, 15);
  const topChart = h('section', { 'aria-labelledby': 'top-contributions' },
    h('h2', { id: 'top-contributions' }, 'Largest contributions'));

  const rows = b.contributions.map((c) => h('tr', { 'data-contribution': c.contributionId },
    h('td', {}, h('span', {}, c.title || c.externalId), h('br'),
      h('span', { class: 'muted' }, `${c.kind} · ${c.repository || c.source} · ${date(c.occurredAt)}`)),
    h('td', {}, c.type, c.explanation?.declaredType && c.explanation.declaredType !== c.type
      ? h('span', { class: 'muted' }, ` (author said ${c.explanation.declaredType})`) : null,
      disputeCell(c, lastDispute[c.contributionId], mine, current.runId)),
    h('td', { class: 'num' }, String(c.effectiveLines)),
    h('td', {}, h('ul', { class: 'plain' }, c.factors.map((f) => h('li', { title: f.detail || '' },
      h('code', {}, `${f.name} ${f.op === 'MULTIPLY' ? '×' : f.op === 'ADD' ? '+' : '='} ${f.value}`),
      f.detail ? h('span', { class: 'muted' }, ' ' + f.detail) : null)))),
    h('td', {}, explanation(c.explanation)),
    h('td', { class: 'num score' }, c.score)));

  render(person.displayName,
    identities,
    wallets.length ? null : h('p', {}, linkButton, ' ',
      h('span', { class: 'muted' }, 'Sign a message with your wallet (no transaction, no fee), then post the code it gives from your GitHub or GitLab account: payouts go there once it arrives.')),
    h('div', {}, h('label', { for: 'epoch' }, 'Epoch'), epochPicker),
    cards,
    h('p', { class: 'muted' }, `Scored by ${b.modelVersion} (model ${shortHash(b.modelHash)}, policy ${shortHash(b.policyHash)}). `,
      h('a', { href: `#/epochs/${b.epochId}` }, 'Leaderboard and policy of this epoch')),
    typeChart, topChart,
    h('h2', { id: 'breakdown' }, 'Breakdown per contribution'),
    h('p', { class: 'muted' }, 'Each score is its factors applied in order: size points (=), then multipliers (×). Hover a factor for its reason.'),
    table(null, [['Contribution'], ['Type (model)'], ['Effective lines', 'num'], ['Factors'], ['Why this type'], ['Score', 'num']],
      rows, { id: 'breakdown-table', 'aria-labelledby': 'breakdown' }),
    disputes.length ? h('h2', { id: 'disputes' }, 'Disputed types') : null,
    disputes.length ? table(null, [['Contribution'], ['Scored'], ['Claimed'], ['Reason'], ['Status'], ['Answer']],
      disputes.map((d) => h('tr', { 'data-dispute': d.id }, h('td', {}, d.title || d.contribution), h('td', {}, d.scoredType),
        h('td', {}, d.claimedType || '(not ' + d.scoredType + ')'), h('td', {}, d.reason),
        h('td', {}, d.status + (d.correctedType ? ` → ${d.correctedType}` : '')),
        h('td', {}, d.answer ? `${d.answer} (${d.settledBy})` : ''))),
      { id: 'disputes-table', 'aria-labelledby': 'disputes' }) : null,
    h('h2', { id: 'history' }, 'History across epochs'),
    historySection(history, id));

  barChart(typeChart, { labels: Object.keys(byType), datasets: [{ label: 'Score', data: Object.values(byType) }],
    label: 'Score by type: ' + Object.entries(byType).map(([t, s]) => `${t} ${s.toFixed(2)}`).join(', ') });
  barChart(topChart, { horizontal: true, labels: top.map((c) => (c.title || c.externalId).slice(0, 48)),
    datasets: [{ label: 'Score', data: top.map((c) => Number(c.score)) }],
    label: 'Largest contributions by score; the table below lists every contribution with its factors' });
}

const MODEL_TYPES = ['feature', 'fix', 'perf', 'refactor', 'test', 'docs', 'build', 'chore', 'style', 'revert'];

/**
 * A contribution's dispute, under its type: where the last one stands, or (to its signed-in contributor, for a type
 * the model gave) a form to dispute it. An accepted dispute corrects the type in the epoch's next scoring run.
 */
function disputeCell(c, last, mine, runId) {
  if (last && last.status !== 'rejected') {
    return h('div', { class: 'muted', 'data-dispute-status': last.status },
      last.status === 'open' ? `Disputed (${last.claimedType || 'not ' + last.scoredType}): waiting for a maintainer`
        : `Dispute accepted: ${last.correctedType} from the next scoring run`);
  }
  const rejected = last ? h('div', { class: 'muted', 'data-dispute-status': 'rejected' },
    `Dispute rejected: ${last.answer}`) : null;
  if (!mine || !['commit', 'pull_request'].includes(c.kind) || !MODEL_TYPES.includes(c.type)) return rejected;
  const type = h('select', { name: 'claimedType', 'aria-label': 'The type it is' },
    MODEL_TYPES.filter((t) => t !== c.type).map((t) => h('option', { value: t }, t)));
  const reason = h('textarea', { name: 'reason', rows: 3, required: true, maxlength: 2000,
    'aria-label': 'Why (what the change does)', placeholder: 'What the change does' });
  const send = h('button', { type: 'submit' }, 'Send');
  const form = h('form', { class: 'dispute', 'data-contribution': c.contributionId, onsubmit: async (e) => {
    e.preventDefault();
    send.disabled = true;
    try {
      const d = await post('/api/disputes', { runId, contributionId: c.contributionId, claimedType: type.value,
        reason: reason.value });
      say(`Dispute ${d.id} sent: a maintainer answers it; accepted, “${d.title}” counts as ${d.claimedType} from the next scoring run.`);
      route();
    } catch (err) {
      say(err.message, true);
      send.disabled = false;
    }
  } }, type, reason, send);
  return h('div', {}, rejected, h('details', { class: 'dispute' }, h('summary', {}, 'Wrong type? Dispute it'), form));
}

/** ' (bot)' after a bot's name, unless its name says so already (dependabot[bot]). */
function botMark(c) {
  return c.bot && !c.displayName.toLowerCase().includes('[bot]') ? ' (bot)' : '';
}

function card(label, value, key) {
  return h('li', {}, h('span', { class: 'label' }, label), h('span', { class: String(value).length > 16 ? 'value long' : 'value', 'data-stat': key }, String(value)));
}

function explanation(e) {
  if (!e) return h('span', { class: 'muted' }, 'by kind');
  const probs = Object.entries(e.typeProbabilities || {}).sort((a, b) => b[1] - a[1]).slice(0, 3);
  // A calibrated model says when it is unsure (its type is about as often wrong as right there): "probably", and a dispute is welcome.
  const unsure = e.unsure ? h('span', { class: 'muted', 'data-unsure': 'true' }, ' (probably; the model is unsure: dispute it if it is wrong)') : null;
  return h('details', {}, h('summary', {}, probs.map(([t, p]) => `${t} ${(p * 100).toFixed(0)}%`).join(', '), unsure),
    h('p', { class: 'muted' }, `Model ${e.model}. Features that pushed most toward this type:`),
    h('ul', { class: 'influences' }, (e.influences || []).map((i) => h('li', {},
      h('span', { class: 'influence' }, describeFeature(i.feature)), ' ', h('code', {}, i.feature),
      ` ${i.weight >= 0 ? '+' : ''}${i.weight.toFixed(3)}`))));
}

function historySection(history, contributorId) {
  const section = h('section', { 'aria-labelledby': 'history' });
  barChart(section, { labels: history.map((e) => e.epochName),
    datasets: [{ label: 'Share of the epoch (%)', data: history.map((e) => Number(e.share) * 100) }],
    label: 'Share per epoch: ' + history.map((e) => `${e.epochName} ${percent(e.share)}`).join(', ') });
  section.append(table(null, [['Epoch'], ['Rank', 'num'], ['Score', 'num'], ['Share', 'num'], ['Payout (tokens)', 'num']],
    history.map((e) => h('tr', {}, h('td', {}, h('a', { href: `#/contributors/${contributorId}?run=${e.runId}` }, e.epochName)),
      h('td', { class: 'num' }, `${e.rank} / ${e.contributors}`), h('td', { class: 'num' }, e.total),
      h('td', { class: 'num' }, percent(e.share)),
      h('td', { class: 'num' }, e.payout == null ? '—' : tokens(e.payout, e.tokenDecimals))))));
  return section;
}

// ---- epochs and leaderboards -------------------------------------------------------------------------------------

async function epochs() {
  const list = await get('/api/epochs');
  render('Epochs', list.length ? table(null, [['Epoch'], ['From'], ['To'], ['Budget (tokens)', 'num']],
    list.map((e) => h('tr', {}, h('td', {}, h('a', { href: `#/epochs/${e.id}` }, e.name)), h('td', {}, date(e.startsAt)),
      h('td', {}, date(e.endsAt)), h('td', { class: 'num' }, tokens(e.budget, e.tokenDecimals)))))
    : notice('No epochs yet. A maintainer creates them (merit payroll, or POST /api/epochs).'));
}

async function leaderboard(epochId) {
  const [epoch, runs] = await Promise.all([get(`/api/epochs/${epochId}`), get(`/api/scoring-runs?epochId=${epochId}`)]);
  if (!runs.length) {
    render(epoch.name, notice('This epoch has not been scored yet.'));
    return;
  }
  const run = runs[0];
  const [standings, changes] = await Promise.all([get(`/api/scoring-runs/${run.id}/contributors`),
    runs.length > 1 ? get(`/api/scoring-runs/${run.id}/changes?since=${runs[1].id}&limit=10`) : null]);
  render(`Leaderboard: ${epoch.name}`,
    h('p', { class: 'muted' }, `${date(epoch.startsAt)} to ${date(epoch.endsAt)} · ${count(run.contributionCount, 'contribution')} · `
      + `${count(run.contributorCount, 'contributor')} · budget ${tokens(epoch.budget, epoch.tokenDecimals)} tokens`),
    table(null, [['Rank', 'num'], ['Contributor'], ['Contributions', 'num'], ['Score', 'num'], ['Share', 'num']],
      standings.map((s) => h('tr', {}, h('td', { class: 'num' }, String(s.rank)),
        h('td', {}, h('a', { href: `#/contributors/${s.contributorId}?run=${run.id}` }, s.displayName), botMark(s)),
        h('td', { class: 'num' }, String(s.contributions)), h('td', { class: 'num' }, s.total),
        h('td', { class: 'num' }, percent(s.share)))), { id: 'leaderboard' }),
    changes ? changesSection(changes) : null,
    h('h2', {}, 'How this epoch was scored'),
    policySection(run, epoch));
}

/** What moved since the epoch's previous scoring run: whose totals, which contributions, and the factors' reasons. */
function changesSection(c) {
  const what = [['model', c.modelChanged], ['policy', c.policyChanged], ['inputs', c.inputsChanged]]
    .map(([name, changed]) => `${name} ${changed ? 'changed' : 'the same'}`).join(', ');
  const signed = (v) => (String(v).startsWith('-') ? String(v) : '+' + v);
  return h('section', { 'aria-labelledby': 'run-changes', id: 'run-changes-section' },
    h('h2', { id: 'run-changes' }, `Changes since run ${c.fromRun}`),
    h('p', { class: 'muted' }, `Run ${c.toRun} against run ${c.fromRun} of this epoch: ${what}; `
      + `${count(c.changedContributions, 'contribution score')} moved.`),
    c.contributors.length ? table(null, [['Contributor'], ['Before', 'num'], ['After', 'num'], ['Change', 'num'], ['Rank']],
      c.contributors.map((p) => h('tr', {}, h('td', {}, p.displayName || String(p.contributorId)),
        h('td', { class: 'num' }, p.before ?? '—'), h('td', { class: 'num' }, p.after ?? '—'),
        h('td', { class: 'num' }, signed(p.delta)), h('td', {}, `${p.rankBefore ?? '—'} → ${p.rankAfter ?? '—'}`))),
      { id: 'run-changes-contributors' }) : null,
    c.contributions.length ? table('The contributions that moved most', [['Contribution'], ['Type'], ['Before', 'num'],
      ['After', 'num'], ['Why']],
    c.contributions.map((m) => h('tr', {}, h('td', {}, m.title || m.contribution),
      h('td', {}, m.typeBefore === m.typeAfter ? (m.typeAfter || '—') : `${m.typeBefore || '—'} → ${m.typeAfter || '—'}`),
      h('td', { class: 'num' }, m.before ?? '—'), h('td', { class: 'num' }, m.after ?? '—'),
      h('td', {}, h('ul', { class: 'plain' }, m.factors.map((f) => h('li', {},
        h('code', {}, `${f.name} ${f.before ?? '—'} → ${f.after ?? '—'}`), f.detail ? h('span', { class: 'muted' }, ' ' + f.detail) : null)))))),
    { id: 'run-changes-contributions' }) : null);
}

function policySection(run, epoch) {
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
  section.append(h('p', {}, `A contribution's score is its size points (effective changed lines, counted one for one up to `
    + `${s.linearLines} lines and logarithmically beyond, so a huge dump is damped and splitting work gains nothing`
    + `${String(p.undoneLines || '').startsWith('paid in neither') ? '; lines the same author adds in one commit and deletes in another in this epoch, or deletes and adds back, count in neither' : ''}) `
    + `times the weight of its type (${s.scorer === 'learned-v3' ? 'the median weight of the classifier’s types: the largest weight below that its types reach with even odds or better' : String(s.scorer || '').startsWith('learned-') ? 'the classifier’s probabilities times the weights below' : 'the weight of the type it was given'}${s.scorer === 'learned-v2' || s.scorer === 'learned-v3' ? '; a commit that reverts another is a revert' : ''}${p.corrections ? '; a maintainer’s answer to a dispute sets the type' : ''}), `
    + `times graph credit (work others built on earns more), times the CI factor (${p.ciFailureFactor} when its CI failed), `
    + (p.repeatFactor != null && Number(p.repeatFactor) < 1
      ? `times the repeat factor (${p.repeatFactor} for each earlier review of the same pull request, or comment on the same thread, by the same person in this epoch), `
      : '')
    + (p.copies ? `times 0 for a commit that makes the same change as an earlier one in the epoch (a cherry-pick is ${p.copies}), ` : '')
    + (p.withdrawn ? 'times 0 for an issue or comment the forge reports deleted, ' : '')
    + (String(p.declined || '').startsWith('x')
      ? `times ${p.declined.replace(/^x(\S+) .*$/, '$1')} for an issue closed as not planned, as a duplicate or with a declining label, or a pull request closed without merge (until reopened), ` : '')
    + (String(p.trivialComments || '').startsWith('x0')
      ? `times 0 for a comment that is a reaction (“+1”, “thanks!”: ${p.trivialComments.replace(/^x0 /, '').replace(/: \[.*$/, '')}), ` : '')
    + `times its share of the credit (co-authors split it).`));
  section.append(table('Type weights', [['Type'], ['Weight', 'num']],
    Object.entries(s.typeWeights || {}).map(([t, w]) => h('tr', {}, h('td', {}, t), h('td', { class: 'num' }, String(w))))));
  const g = p.graph || {};
  section.append(h('p', {}, g.enabled
    ? `Graph credit: PageRank over links between contributions (edge weights ${Object.entries(g.edgeWeights || {}).map(([k, v]) => `${k} ${v}`).join(', ')}), `
      + `damping ${g.damping}, factor between ${g.floor} and ${g.cap}, influence ${g.influence}`
      + `${g.reverts ? `; reverts ${g.reverts}` : ''}${g.buildsOn ? `; a change builds on earlier ones through ${g.buildsOn}` : ''}.`
    : 'Graph credit is off for this run.'));
  const pol = epoch.policy || {};
  section.append(h('p', {}, `Payout policy: minimum payout ${tokens(pol.minPayout, epoch.tokenDecimals)} tokens, `
    + `cap ${pol.cap == null ? 'none' : tokens(pol.cap, epoch.tokenDecimals) + ' tokens'}, `
    + `${pol.sqrtDampening ? 'square-root dampening of scores' : 'scores paid proportionally'}, bots ${pol.includeBots ? 'included' : 'excluded'}. `
    + 'Amounts are exact integers that sum to the budget.'));
  section.append(h('details', {}, h('summary', {}, 'The policy document (its SHA-256 is the policy hash)'),
    h('pre', { class: 'hash' }, JSON.stringify(p, null, 2))));
  return section;
}

// ---- proposals -----------------------------------------------------------------------------------------------------

async function proposals() {
  const list = await get('/api/payout-proposals');
  render('Payout proposals', list.length ? table(null, [['#', 'num'], ['Epoch'], ['Budget (tokens)', 'num'], ['Status'], ['Content hash']],
    list.map((p) => h('tr', {}, h('td', { class: 'num' }, h('a', { href: `#/proposals/${p.id}` }, String(p.id))),
      h('td', {}, h('a', { href: `#/epochs/${p.epochId}` }, `epoch ${p.epochId}`)),
      h('td', { class: 'num' }, tokens(p.budget, p.tokenDecimals)), h('td', {}, p.status),
      h('td', { class: 'hash' }, shortHash(p.contentHash)))), { id: 'proposals' })
    : notice('No payout proposals yet.'));
}

async function proposal(id) {
  const p = await get(`/api/payout-proposals/${id}`);
  let onchain = null;
  try {
    onchain = await get(`/api/chain/proposals/${id}`);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  const chainInfo = onchain ? await get('/api/chain').catch(() => null) : null;

  const search = h('input', { type: 'search', id: 'line-search', placeholder: 'name, wallet or amount', autocomplete: 'off' });
  const wallets = {};
  for (const l of onchain?.lines || []) wallets[l.contributorId] = l;
  const lineRows = p.lines.map((l) => h('tr', { 'data-line': l.contributorId },
    h('td', { class: 'num' }, String(l.rank)),
    h('td', {}, h('a', { href: `#/contributors/${l.contributorId}?run=${p.scoringRunId}` }, l.displayName), botMark(l)),
    h('td', { class: 'hash' }, wallets[l.contributorId]?.wallet || '—'),
    h('td', { class: 'num' }, l.score),
    h('td', { class: 'num' }, l.amountTokens),
    h('td', { class: 'num' }, l.amount),
    h('td', {}, wallets[l.contributorId]?.payment || l.status)));
  search.addEventListener('input', () => {
    const q = search.value.trim().toLowerCase();
    let shown = 0;
    for (const r of lineRows) {
      const hit = !q || r.textContent.toLowerCase().includes(q);
      r.hidden = !hit;
      if (hit) shown++;
    }
    count.textContent = `${shown} of ${lineRows.length} lines`;
  });
  const count = h('span', { class: 'muted', 'aria-live': 'polite' }, `${lineRows.length} lines`);

  render(`Payout proposal #${p.id}`,
    h('dl', { class: 'kv' },
      h('dt', {}, 'Epoch'), h('dd', {}, h('a', { href: `#/epochs/${p.epochId}` }, `epoch ${p.epochId}`), ` · scoring run ${p.scoringRunId} · ${p.modelVersion}`),
      h('dt', {}, 'Budget'), h('dd', {}, `${tokens(p.budget, p.tokenDecimals)} tokens (${p.budget} base units)`),
      h('dt', {}, 'Status'), h('dd', {}, p.status),
      h('dt', {}, 'Content hash'), h('dd', { class: 'hash', id: 'content-hash' }, p.contentHash),
      h('dt', {}, 'How to verify'), h('dd', {}, h('code', {}, p.howToVerify))),
    verifySection(p.id),
    h('h2', { id: 'onchain' }, 'On chain'),
    onchain ? chainSection(p, onchain, chainInfo) : notice('Not proposed on chain yet.'),
    h('h2', { id: 'lines' }, 'Payouts'),
    h('form', { class: 'inline', role: 'search', onsubmit: (e) => e.preventDefault() },
      h('div', {}, h('label', { for: 'line-search' }, 'Search the payout table'), search), count,
      h('a', { href: `/api/payout-proposals/${p.id}/lines.csv`, download: `payout-${p.id}.csv` }, 'Download CSV (exact amounts)')),
    table(null, [['Rank', 'num'], ['Contributor'], ['Wallet'], ['Score', 'num'], ['Tokens', 'num'], ['Base units', 'num'], ['Payment']],
      lineRows, { id: 'payout-table', 'aria-labelledby': 'lines' }));
}

function verifySection(id) {
  const out = h('p', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    button.disabled = true;
    try {
      const v = await get(`/api/payout-proposals/${id}/verification`);
      out.replaceChildren(v.hashMatches && v.amountsMatch
        ? notice(`Recomputed from the stored inputs: hash ${v.recomputedHash} matches, and every amount matches.`, 'ok')
        : notice(`Mismatch: ${v.mismatches.join('; ') || 'the recomputed hash ' + v.recomputedHash + ' differs'}.`, 'error'));
    } catch (e) {
      out.replaceChildren(notice(e.message, 'error'));
    } finally {
      button.disabled = false;
    }
  } }, 'Recompute it now');
  return h('div', {}, button, out);
}

function chainSection(p, c, chainInfo) {
  const status = h('div', { id: 'vote-status', 'aria-live': 'polite' });
  const buttons = [['For', 1], ['Against', 0], ['Abstain', 2]].map(([label, support]) => h('button', {
    type: 'button', 'data-support': support, onclick: async () => {
      buttons.forEach((b) => { b.disabled = true; });
      status.replaceChildren(notice('Check your wallet: sign the ballot to vote ' + label.toLowerCase() + '.'));
      try {
        const tx = await wallet.vote(p.id, support);
        status.replaceChildren(tx.status === 'CONFIRMED'
          ? notice(`Your vote (${label}) is on chain: transaction ${tx.txHash}.`, 'ok')
          : notice(`Your vote (${label}) is signed and recorded (${tx.status.toLowerCase()}); Merit sends it to the chain within seconds. Reload to see it in the tally.`, 'ok'));
        const fresh = await get(`/api/chain/proposals/${p.id}`);
        document.getElementById('tallies').replaceWith(tallies(fresh));
      } catch (e) {
        status.replaceChildren(notice(e.message, 'error'));
      } finally {
        buttons.forEach((b) => { b.disabled = false; });
      }
    } }, `Vote ${label}`));
  const block = chainInfo ? Number(chainInfo.blockNumber) : null;
  const deadline = c.voteEndBlock == null ? 'not set yet'
    : `block ${c.voteEndBlock}` + (block == null ? '' : block >= c.voteEndBlock ? ' (passed)' : ` (${c.voteEndBlock - block} blocks from now, block ${block})`);
  return h('section', { 'aria-labelledby': 'onchain' },
    h('dl', { class: 'kv' },
      h('dt', {}, 'State'), h('dd', { id: 'chain-state' }, c.state),
      h('dt', {}, 'Voting'), h('dd', {}, c.voteStartBlock == null ? 'not started' : `from block ${c.voteStartBlock}, deadline ${deadline}`),
      c.executableAt ? [h('dt', {}, 'Executable at'), h('dd', {}, new Date(c.executableAt * 1000).toISOString())] : null,
      h('dt', {}, 'Governor'), h('dd', { class: 'hash' }, c.governor),
      h('dt', {}, 'Proposal id'), h('dd', { class: 'hash' }, c.onchainId),
      h('dt', {}, 'Merkle root'), h('dd', { class: 'hash' }, c.merkleRoot)),
    tallies(c),
    c.state === 'ACTIVE'
      ? h('div', {}, h('h3', {}, 'Your vote'), h('p', { class: 'muted' }, 'Your wallet signs a ballot (no fee); Merit relays it to the governor.'),
        h('div', { class: 'votes' }, buttons), status)
      : notice(`Voting is ${c.state === 'PENDING' || c.state === 'PROPOSING' ? 'not open yet' : 'closed'} (${c.state.toLowerCase()}).`),
    h('h3', {}, 'Transactions'),
    table(null, [['Kind'], ['Status'], ['Transaction'], ['Attempts', 'num'], ['Last error']],
      c.transactions.map((t) => h('tr', {}, h('td', {}, t.kind), h('td', {}, t.status), h('td', { class: 'hash' }, t.txHash || '—'),
        h('td', { class: 'num' }, String(t.attempts)), h('td', {}, t.lastError || '')))));
}

function tallies(c) {
  const quorum = BigInt(c.quorum || 0);
  const cast = BigInt(c.votesFor || 0) + BigInt(c.votesAbstain || 0);
  const row = (label, key, value) => {
    const v = BigInt(value || 0);
    return [h('dt', {}, label), h('dd', {}, h('span', { 'data-tally': key }, tokens(v.toString())), ' votes ',
      quorum > 0n ? h('meter', { min: 0, max: 100, value: Number((v * 100n) / quorum), 'aria-label': `${label}: ${tokens(v.toString())} votes, against a quorum of ${tokens(quorum.toString())}` }) : null)];
  };
  return h('dl', { class: 'kv', id: 'tallies', 'aria-label': 'Tallies' },
    row('For', 'for', c.votesFor), row('Against', 'against', c.votesAgainst), row('Abstain', 'abstain', c.votesAbstain),
    h('dt', {}, 'Quorum'), h('dd', {}, h('span', { 'data-tally': 'quorum' }, tokens(quorum.toString())), ' votes',
      quorum > 0n ? h('span', { class: 'muted' }, ` (For and Abstain count toward it: ${tokens(cast.toString())} so far, `
        + (cast >= quorum ? 'reached)' : 'not reached yet)')) : null));
}

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

showSession();
route();
