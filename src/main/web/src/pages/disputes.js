import { get, post } from '../api.js';
import { h, table, when, typeWords } from '../format.js';
import { say, notice, render, reload } from '../ui.js';
import * as wallet from '../wallet.js';

const TYPES = ['feature', 'fix', 'perf', 'refactor', 'test', 'docs', 'build', 'chore', 'style', 'revert'];
const STATES = { open: 'waiting for a maintainer', accepted: 'accepted', rejected: 'rejected' };

/** Disputes, for maintainers to answer: the open ones first, each with the contributor's reason and two answers. */
export async function disputes(params) {
  const status = params.get('status') || 'open';
  const [list, session] = await Promise.all([get('/api/disputes' + (status === 'all' ? '' : `?status=${status}`)),
    wallet.session().catch(() => null)]);
  const by = session ? `maintainer ${session.address.slice(0, 6)}…${session.address.slice(-4)}` : 'maintainer';
  const filter = h('nav', { class: 'tabs', 'aria-label': 'Which disputes' }, [['open', 'Open'], ['accepted', 'Accepted'],
    ['rejected', 'Rejected'], ['all', 'All']].map(([v, t]) => h('a', { href: `#/disputes?status=${v}`,
    'aria-current': v === status ? 'page' : null }, t)));
  render('Disputes',
    h('p', {}, 'A contributor who thinks the model gave one of their contributions the wrong type says so here, and why. '
      + 'A maintainer answers: accepted, the type is corrected in every later scoring run of its epoch; rejected, the '
      + 'contributor reads why.'),
    session?.maintainer ? null : h('p', { class: 'muted' }, 'Answering needs a maintainer: sign in with a wallet on the '
      + 'maintainer list (merit.auth.maintainer-wallets), or use the dashboard on the machine Merit runs on.'),
    filter,
    list.length ? table(null, [['Contribution'], ['Scored as'], ['Claimed'], ['Reason'], ['Opened'], ['State'], ['Answer']],
      list.map((d) => h('tr', { 'data-dispute': d.id },
        h('td', {}, h('a', { href: `#/contributors/${d.contributorId}?run=${d.runId}` }, d.title || d.contribution)),
        h('td', {}, typeWords(d.scoredType)), h('td', {}, d.claimedType ? typeWords(d.claimedType) : `not ${typeWords(d.scoredType)}`),
        h('td', {}, d.reason), h('td', {}, when(d.openedAt)),
        h('td', {}, STATES[d.status] || d.status, d.correctedType ? ` (now ${d.correctedType})` : ''),
        h('td', {}, d.status === 'open' ? answerForm(d, by) : `${d.answer || 'no words given'}${d.settledBy ? ' (' + d.settledBy + ')' : ''}`))),
      { id: 'disputes-list' })
      : notice(status === 'open' ? 'No open dispute: nothing waits for an answer.' : 'No dispute here.'));
}

function answerForm(d, by) {
  const type = h('select', { name: 'type', 'aria-label': 'The correct type' },
    TYPES.filter((t) => t !== d.scoredType).map((t) => h('option', { value: t, selected: t === d.claimedType }, t)));
  const answer = h('textarea', { name: 'answer', rows: 2, maxlength: 2000, 'aria-label': 'Your answer to the contributor',
    placeholder: 'Your answer (needed to reject)' });
  const act = async (what) => {
    if (what === 'reject' && !answer.value.trim()) {
      say('Say why the type stands: the contributor reads it.', true);
      answer.focus();
      return;
    }
    try {
      const done = await post(`/api/disputes/${d.id}/${what}`, what === 'accept'
        ? { type: type.value, answer: answer.value.trim() || null, by } : { answer: answer.value.trim(), by });
      say(what === 'accept' ? `Accepted: “${done.title}” counts as ${done.correctedType} from the next scoring run.`
        : `Rejected: ${d.title || 'the contribution'} keeps its type; the contributor reads your answer.`);
      reload();
    } catch (e) {
      say(e.message, true);
    }
  };
  return h('form', { class: 'dispute answer', onsubmit: (e) => e.preventDefault() }, type, answer,
    h('div', { class: 'votes' }, h('button', { type: 'button', 'data-answer': 'accept', onclick: () => act('accept') }, 'Accept'),
      h('button', { type: 'button', class: 'secondary', 'data-answer': 'reject', onclick: () => act('reject') }, 'Reject')));
}
