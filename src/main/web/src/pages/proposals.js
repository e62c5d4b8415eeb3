import { get, ApiError, dao } from '../api.js';
import { h, table, tokens, shortHash, count, botMark, amount, when, relative, address, num } from '../format.js';
import { notice, render } from '../ui.js';
import * as wallet from '../wallet.js';

export async function proposals() {
  const [list, site] = await Promise.all([get('/api/payout-proposals'), dao()]);
  render('Payout proposals', list.length ? table(null, [['Proposal'], ['Epoch'], ['Amount', 'num'], ['State'], ['Content hash']],
    list.map((p) => h('tr', {}, h('td', {}, h('a', { href: `#/proposals/${p.id}` }, `Payout #${p.id}`)),
      h('td', {}, h('a', { href: `#/epochs/${p.epochId}` }, p.epochName)),
      h('td', { class: 'num' }, amount(p.budgetBaseUnits, p.tokenDecimals, site.tokenSymbol)), h('td', {}, p.state),
      h('td', { class: 'hash' }, shortHash(p.contentHash)))), { id: 'proposals' })
    : notice('No payout proposals yet.'));
}

export async function proposal(id) {
  const [p, site, session] = await Promise.all([get(`/api/payout-proposals/${id}`), dao(), wallet.session().catch(() => null)]);
  const symbol = site.tokenSymbol;
  let onchain = null;
  try {
    onchain = await get(`/api/chain/proposals/${id}`);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  const power = onchain && session ? await get(`/api/chain/proposals/${id}/ballot?voter=${session.address}`)
    .then((b) => b.votingPower).catch(() => null) : null;

  const search = h('input', { type: 'search', id: 'line-search', placeholder: 'name, wallet or amount', autocomplete: 'off' });
  const wallets = {};
  for (const l of onchain?.lines || []) wallets[l.contributorId] = l;
  const lineRows = p.lines.map((l) => h('tr', { 'data-line': l.contributorId },
    h('td', { class: 'num' }, String(l.rank)),
    h('td', {}, h('a', { href: `#/contributors/${l.contributorId}?run=${p.scoringRunId}` }, l.displayName), botMark(l)),
    h('td', {}, address(l.wallet || wallets[l.contributorId]?.wallet)),
    h('td', { class: 'num' }, num(l.score)),
    h('td', { class: 'num', title: `${l.amountBaseUnits} base units` }, amount(l.amountBaseUnits, p.tokenDecimals, symbol)),
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

  const held = p.lines.filter((l) => l.state === 'held');
  const paid = p.lines.filter((l) => l.amountBaseUnits !== '0');
  const sum = (ls) => ls.reduce((a, l) => a + BigInt(l.amountBaseUnits), 0n).toString();
  const budgetNote = p.epochBudgetBaseUnits != null && p.epochBudgetBaseUnits !== p.budgetBaseUnits
    ? ` (the epoch's budget is ${amount(p.epochBudgetBaseUnits, p.tokenDecimals, symbol)}: this proposal was made with another budget, which it pays in full)`
    : ' (the epoch\'s budget)';
  render(`Payout of ${p.epochName}`,
    h('p', { class: 'muted' }, `Payout proposal #${p.id}`),
    h('ul', { class: 'cards', 'aria-label': 'What is being ratified' },
      h('li', {}, h('span', { class: 'label' }, 'Pays'), h('span', { class: 'value', 'data-stat': 'total' }, amount(p.budgetBaseUnits, p.tokenDecimals, symbol))),
      h('li', {}, h('span', { class: 'label' }, 'Contributors paid'), h('span', { class: 'value' }, String(paid.length))),
      h('li', {}, h('span', { class: 'label' }, 'Held until a wallet is linked'), h('span', { class: 'value', 'data-stat': 'held' },
        held.length ? `${held.length} · ${amount(sum(held), p.tokenDecimals, symbol)}` : 'none')),
      h('li', {}, h('span', { class: 'label' }, 'State'), h('span', { class: 'value long', id: 'proposal-state-word' }, p.state))),
    h('dl', { class: 'kv' },
      h('dt', {}, 'Epoch'), h('dd', {}, h('a', { href: `#/epochs/${p.epochId}` }, p.epochName), ` · scored by ${p.modelVersion}`),
      h('dt', {}, 'Amount'), h('dd', {}, amount(p.budgetBaseUnits, p.tokenDecimals, symbol), budgetNote),
      h('dt', {}, 'State'), h('dd', { id: 'proposal-state' }, `${p.state}: ${p.stateText}`),
      h('dt', {}, 'Content hash'), h('dd', { class: 'hash', id: 'content-hash' }, p.contentHash),
      h('dt', {}, 'How to verify'), h('dd', {}, h('code', {}, p.howToVerify))),
    await changesSince(p, symbol),
    verifySection(p.id),
    h('h2', { id: 'onchain' }, 'On chain'),
    onchain ? chainSection(p, onchain, power) : notice('Not proposed on chain yet.'),
    h('h2', { id: 'lines' }, 'Payouts'),
    h('form', { class: 'inline', role: 'search', onsubmit: (e) => e.preventDefault() },
      h('div', {}, h('label', { for: 'line-search' }, 'Search the payout table'), search), count,
      h('a', { href: `/api/payout-proposals/${p.id}/lines.csv`, download: `payout-${p.id}.csv` }, 'Download CSV (exact amounts)')),
    table(null, [['Rank', 'num'], ['Contributor'], ['Wallet'], ['Points', 'num'], ['Amount', 'num'], ['Payment']],
      lineRows, { id: 'payout-table', 'aria-labelledby': 'lines' }));
}

/**
 * What moved since the previous epoch's payout (its latest proposal that stands): the biggest rises and falls by
 * contributor, so a member sees what they ratify against what they ratified last time.
 */
async function changesSince(p, symbol) {
  const all = await get('/api/payout-proposals');
  const previous = all.filter((o) => o.epochId !== p.epochId && o.id < p.id && !['withdrawn', 'superseded'].includes(o.state))
    .sort((a, b) => b.id - a.id)[0];
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
  const moved = [...deltas].filter(([, d]) => d !== 0n)
    .sort((a, b) => { const x = b[1] < 0n ? -b[1] : b[1]; const y = a[1] < 0n ? -a[1] : a[1]; return x > y ? 1 : x < y ? -1 : 0; })
    .slice(0, 5);
  const signed = (d) => (d < 0n ? '−' : '+') + amount((d < 0n ? -d : d).toString(), p.tokenDecimals, symbol);
  return h('section', { 'aria-labelledby': 'since-last' },
    h('h2', { id: 'since-last' }, `Biggest changes since ${before.epochName}`),
    h('p', { class: 'muted' }, `Against payout #${before.id} (${before.state}): `
      + `${amount(before.budgetBaseUnits, before.tokenDecimals, symbol)} then, ${amount(p.budgetBaseUnits, p.tokenDecimals, symbol)} now.`),
    moved.length ? table(null, [['Contributor'], ['Then', 'num'], ['Now', 'num'], ['Change', 'num']],
      moved.map(([id, d]) => h('tr', {}, h('td', {}, names.get(id)),
        h('td', { class: 'num' }, amount((was.get(id) || 0n).toString(), p.tokenDecimals, symbol)),
        h('td', { class: 'num' }, amount(((was.get(id) || 0n) + d).toString(), p.tokenDecimals, symbol)),
        h('td', { class: 'num' }, signed(d)))), { id: 'changes-since-last' })
      : h('p', {}, 'Every contributor gets what they got then.'));
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

const TX_KINDS = { PROPOSE: 'proposal sent', VOTE: 'vote relayed', QUEUE: 'queued in the timelock', EXECUTE: 'executed', CLAIM: 'payment claimed' };
const TX_STATES = { PENDING: 'waiting to be sent', SENT: 'sent, waiting for a block', CONFIRMED: 'confirmed', FAILED: 'failed' };

function chainSection(p, c, power) {
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
  const moment = (iso, block) => (iso
    ? h('time', { datetime: iso, title: `block ${block}${c.currentBlock != null ? ', the chain is at block ' + c.currentBlock : ''}` },
      `${when(iso)} (${relative(iso)})`)
    : `block ${block}`);
  return h('section', { 'aria-labelledby': 'onchain' },
    h('dl', { class: 'kv' },
      h('dt', {}, 'State'), h('dd', { id: 'chain-state' }, c.state),
      h('dt', {}, 'Voting opens'), h('dd', { id: 'vote-opens' }, c.voteStartBlock == null ? 'once the proposal is mined' : moment(c.voteStartsAt, c.voteStartBlock)),
      h('dt', {}, 'Voting closes'), h('dd', { id: 'vote-closes' }, c.voteEndBlock == null ? 'once the proposal is mined' : moment(c.voteEndsAt, c.voteEndBlock)),
      c.executableAt ? [h('dt', {}, 'Executable from'), h('dd', {}, when(c.executableAt))] : null,
      power != null ? [h('dt', {}, 'Your voting power'), h('dd', { id: 'voting-power' }, `${tokens(power)} votes`)] : null,
      h('dt', {}, 'Governor'), h('dd', { class: 'hash' }, c.governor),
      h('dt', {}, 'Proposal id'), h('dd', { class: 'hash' }, c.onchainId),
      h('dt', {}, 'Merkle root'), h('dd', { class: 'hash' }, c.merkleRoot)),
    tallies(c),
    c.state === 'active'
      ? h('div', {}, h('h3', {}, 'Your vote'), h('p', { class: 'muted' }, 'Your wallet signs a ballot (no fee); Merit relays it to the governor.'),
        h('div', { class: 'votes' }, buttons), status)
      : notice(`Voting is ${c.state === 'pending' ? 'not open yet' : 'closed'} (${c.state}).`),
    h('h3', {}, 'Transactions'),
    table(null, [['What'], ['State'], ['Transaction'], ['Attempts', 'num'], ['Last error']],
      c.transactions.map((t) => h('tr', {}, h('td', {}, TX_KINDS[t.kind] || t.kind.toLowerCase()),
        h('td', {}, TX_STATES[t.status] || t.status.toLowerCase()), h('td', { class: 'hash' }, t.txHash ? shortHash(t.txHash) : 'not sent yet'),
        h('td', { class: 'num' }, String(t.attempts)), h('td', {}, t.lastError || 'none')))));
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
