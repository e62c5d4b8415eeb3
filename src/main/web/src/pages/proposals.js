import { get, ApiError } from '../api.js';
import { h, table, tokens, shortHash, count, botMark } from '../format.js';
import { notice, render } from '../ui.js';
import * as wallet from '../wallet.js';

export async function proposals() {
  const list = await get('/api/payout-proposals');
  render('Payout proposals', list.length ? table(null, [['#', 'num'], ['Epoch'], ['Budget (tokens)', 'num'], ['Status'], ['Content hash']],
    list.map((p) => h('tr', {}, h('td', { class: 'num' }, h('a', { href: `#/proposals/${p.id}` }, String(p.id))),
      h('td', {}, h('a', { href: `#/epochs/${p.epochId}` }, `epoch ${p.epochId}`)),
      h('td', { class: 'num' }, tokens(p.budgetBaseUnits, p.tokenDecimals)), h('td', {}, p.state),
      h('td', { class: 'hash' }, shortHash(p.contentHash)))), { id: 'proposals' })
    : notice('No payout proposals yet.'));
}

export async function proposal(id) {
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
    h('td', { class: 'hash' }, l.wallet || wallets[l.contributorId]?.wallet || '—'),
    h('td', { class: 'num' }, l.score),
    h('td', { class: 'num' }, l.amountTokens),
    h('td', { class: 'num' }, l.amountBaseUnits),
    h('td', {}, l.state, l.reason ? h('span', { class: 'muted' }, ` (${l.reason})`) : null)));
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
      h('dt', {}, 'Budget'), h('dd', {}, `${tokens(p.budgetBaseUnits, p.tokenDecimals)} tokens (${p.budgetBaseUnits} base units)`),
      h('dt', {}, 'State'), h('dd', { id: 'proposal-state' }, `${p.state}: ${p.stateText}`),
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
    c.state === 'active'
      ? h('div', {}, h('h3', {}, 'Your vote'), h('p', { class: 'muted' }, 'Your wallet signs a ballot (no fee); Merit relays it to the governor.'),
        h('div', { class: 'votes' }, buttons), status)
      : notice(`Voting is ${c.state === 'pending' ? 'not open yet' : 'closed'} (${c.state}).`),
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
