import { get, post } from '../api.js';
import { h, table, tokens, percent, date, shortHash, describeFeature, botMark } from '../format.js';
import { barChart } from '../charts.js';
import { say, notice, render, reload, refreshSession } from '../ui.js';
import * as wallet from '../wallet.js';

const MODEL_TYPES = ['feature', 'fix', 'perf', 'refactor', 'test', 'docs', 'build', 'chore', 'style', 'revert'];

export async function contributor(id, params) {
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
      refreshSession();
      reload();
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
    card('Payout', current.payoutBaseUnits == null ? 'not proposed yet' : tokens(current.payoutBaseUnits, current.tokenDecimals) + ' tokens', 'payout'),
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
      reload();
    } catch (err) {
      say(err.message, true);
      send.disabled = false;
    }
  } }, type, reason, send);
  return h('div', {}, rejected, h('details', { class: 'dispute' }, h('summary', {}, 'Wrong type? Dispute it'), form));
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
      h('td', { class: 'num' }, e.payoutBaseUnits == null ? '—' : tokens(e.payoutBaseUnits, e.tokenDecimals))))));
  return section;
}
