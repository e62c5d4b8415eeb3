import { get, post, put } from '../api.js';
import { h, table, pagedTable, labelCells, when, typeWords, typeName, answerWords, clip, short, count,
  disputePoints, DISPUTE_STATES, LIVE } from '../format.js';
import { say, notice, reload, viewRender } from '../ui.js';
import * as wallet from '../wallet.js';

const TYPES = ['feature', 'fix', 'perf', 'refactor', 'test', 'docs', 'build', 'chore', 'style', 'revert'];
const PAGE = 50;
const HEADERS = [['Contribution'], ['Contributor'], ['Epoch'], ['Scored as'], ['Disputed as'], ['Reason'], ['Opened'],
  ['State'], ['Answer']];

/** An error in words: a refusal for want of a maintainer's credentials says what a person can do about it. */
function refusal(e) {
  return e.status === 401 || e.status === 403
    ? 'Only a maintainer can answer: sign in with a maintainer\'s wallet, or open the dashboard on the machine Merit runs on.'
    : e.message;
}

/** A name with its ISO dates kept whole: a line may break at its spaces, not inside "2014-01-01". */
function nowrapDates(name) {
  return name.split(/(\d{4}-\d{2}-\d{2})/).filter(Boolean)
    .map((part) => (/^\d{4}-\d{2}-\d{2}$/.test(part) ? h('span', { class: 'nowrap' }, part) : part));
}

/** Disputes, for maintainers to answer: the open ones first, each with the contributor's reason and two answers. */
export async function disputes(params) {
  const render = viewRender(); // draws only while the reader is still on this page
  const status = params.get('status') || 'open';
  // Paged by the last dispute shown, in the order they were opened: answering while reading neither skips nor repeats
  // one. One more than a page is asked for, to know whether there are more.
  const query = (after) => `/api/disputes?after=${after}&size=${PAGE + 1}` + (status === 'all' ? '' : `&status=${status}`);
  const page = async (after) => {
    const rows = await get(query(after));
    return { rows: rows.slice(0, PAGE), more: rows.length > PAGE };
  };
  const [first, session, accounts, epochs] = await Promise.all([page(0),
    wallet.session().catch(() => null), get('/api/contributors/bots').catch(() => null),
    get('/api/epochs').catch(() => null)]);
  // A paid epoch's amounts are final (the vault pays a period once): a correction changes no pay there, unless the
  // run that paid it was made after the answer (then it paid the corrected type). Without the epochs, no claim.
  const paidBy = epochs ? new Map(epochs.filter((e) => e.paidBy).map((e) => [e.id, e.paidBy])) : null;
  const askedWords = (d) => {
    if (!paidBy) return 'at its weight';
    const paid = paidBy.get(d.epochId);
    const paidAsScored = paid && (paid.scoringRunId === d.runId || !d.settledAt || !paid.scoredAt
      || Date.parse(paid.scoredAt) < Date.parse(d.settledAt));
    if (paidAsScored) {
      return `${d.status === 'open' ? 'if accepted' : 'at its weight'}; the epoch is paid, so its pay does not change`;
    }
    return { accepted: 'as corrected', rejected: 'had it been accepted' }[d.status] || 'if accepted';
  };
  // Answers are a maintainer's: a maintainer wallet signed in, or (the embedded default) a page on this machine. Others
  // read the disputes and their answers, without controls that would only be refused.
  const maintainer = await wallet.maintainer(session); // the session read once
  // Pairs that may be one person are a maintainer's to check (they can name e-mails of GitLab profiles).
  const pairs = maintainer ? await get('/api/contributors/merge-suggestions').catch(() => null) : null;
  // A wallet signed in on Merit's own machine is not a maintainer's for that: the record names it only when it is.
  const by = session?.maintainer ? `maintainer ${short(session.address)}` : 'maintainer';
  const filter = h('nav', { class: 'tabs', 'aria-label': 'Which disputes' }, [['open', 'Open'], ['accepted', 'Accepted'],
    ['rejected', 'Rejected'], ['all', 'All']].map(([v, t]) => h('a', { href: `#/disputes?status=${v}`,
    'aria-current': v === status ? 'page' : null }, t)));
  // An answered dispute's row is redrawn where it is: the pages read so far stay, and so does the reader's place.
  const row = (d) => {
    const [scored, asked] = disputePoints(d, askedWords(d));
    const tr = h('tr', { 'data-dispute': d.id },
      h('td', {}, h('a', { href: `#/contributors/${d.contributorId}?run=${d.runId}` }, d.title || d.contribution)),
      h('td', {}, h('a', { href: `#/contributors/${d.contributorId}` }, d.contributorName)),
      // An epoch named by its dates ("2014-01-01 to 2014-12-31") breaks between them, not at their hyphens.
      h('td', {}, h('a', { href: `#/epochs/${d.epochId}?run=${d.runId}` }, nowrapDates(d.epochName))),
      // What the answer is worth: the points scored, and with the asked type's weight (all else as scored).
      h('td', {}, typeName(d.scoredType), scored),
      h('td', {}, d.claimedType ? typeName(d.claimedType) : `not ${typeName(d.scoredType)}`, asked),
      // The time may wrap: nine columns share a laptop's width with the answer form.
      h('td', {}, d.reason), h('td', {}, when(d.openedAt)),
      h('td', {}, DISPUTE_STATES[d.status] || d.status, d.correctedType ? ` (now ${typeName(d.correctedType)})` : ''),
      h('td', {}, d.status === 'open' && !maintainer ? h('span', { class: 'muted' }, 'no answer yet')
        : d.status === 'open' ? answerForm(d, by, (done) => {
        const settled = labelCells([row(done)], HEADERS)[0];
        tr.replaceWith(settled);
        settled.querySelector('a').focus();
      })
        : answerWords(d)));
    return tr;
  };
  render('Disputes',
    h('p', {}, 'A contributor who thinks the model gave one of their contributions the wrong type says so, and why. '
      + 'A maintainer answers: accepted, the type is corrected in every later scoring run of its epoch; rejected, the '
      + 'contributor reads why.'),
    // The list is here; the form is beside each contribution, for its author only.
    h('p', { id: 'how-to-dispute' }, 'To dispute one of yours: find yourself (search on the ',
      h('a', { href: '#/' }, 'home page'), '), sign in with the wallet linked to you, and open a contribution\'s ',
      '“Wrong type? Dispute it”.'),
    maintainer ? null : h('p', { class: 'muted' }, 'Maintainers answer disputes: they sign in with a maintainer\'s '
      + 'wallet, or open the dashboard on the machine Merit runs on.'),
    filter,
    first.rows.length ? pagedTable(HEADERS, first.rows, { id: 'disputes-list', noun: 'disputes', row, more: first.more,
      next: (shown, last) => page(last.id) })
      : notice(status === 'open' ? 'No open dispute: nothing waits for an answer.' : 'No dispute here.'),
    accounts?.review?.length ? reviewSection(accounts.review, by, maintainer) : null,
    pairs?.length ? mergeSection(pairs, by) : null);
}

/**
 * Contributors who may be one person (the same name, or a GitLab profile's e-mail that authored commits as another):
 * split in two, each is paid for half of their work's worth of points. Only hints: a maintainer checks and merges.
 */
function mergeSection(pairs, by) {
  const row = (s) => {
    const reason = h('input', { type: 'text', name: 'reason', maxlength: 2000,
      'aria-label': `How you know ${s.from.name} and ${s.into.name} are one person`, placeholder: 'How you know (optional)' });
    // Each side by name and number: two spellings of one name ("Neuhäuser" composed and decomposed) read alike.
    const from = `${s.from.name} (#${s.from.id})`;
    const into = `${s.into.name} (#${s.into.id})`;
    const merge = async (e) => {
      // Said before it is done, as every decision that changes who is paid for what.
      if (!window.confirm(`Merge ${from} into ${into}? ${into} stays; ${from}'s identities and work move to it, and `
        + 'scoring runs from now on count them as one person. It is recorded and can be undone from '
        + `${s.from.name}'s page.`)) return;
      const button = e.currentTarget;
      button.disabled = true; // one merge, not a second click's 409
      try {
        const done = await post('/api/contributors/merges', { into: `#${s.into.id}`, from: `#${s.from.id}`, by,
          reason: reason.value.trim() || null });
        say(`Merged: ${from} is now part of ${into} (author of ${count(done.actorOf, 'contribution')} and `
          + `credited on ${count(done.credited, 'contribution')}, moved). `
          + 'Scoring runs from now on count them as one person; earlier runs and payouts stay as they were. '
          + `Undo it from ${s.from.name}'s page.`);
        reload();
      } catch (err) {
        say(refusal(err), true);
        button.disabled = false;
      }
    };
    const person = (side) => h('a', { href: `#/contributors/${side.id}` }, `${side.name} (#${side.id})`);
    return h('tr', { 'data-pair': `${s.into.id}-${s.from.id}` },
      h('td', {}, person(s.into), ' and ', person(s.from)), h('td', {}, s.reasons.join('; ')),
      h('td', {}, s.blocker ? h('span', { class: 'muted' }, `Cannot be merged as they are: ${s.blocker}.`)
        : h('form', { class: 'dispute answer', onsubmit: (e) => e.preventDefault() }, reason,
          h('div', { class: 'votes' }, h('button', { type: 'button', 'data-merge': s.from.id, onclick: merge },
            `Merge #${s.from.id} into #${s.into.id}`)))));
  };
  return h('section', { 'aria-labelledby': 'merge-review' },
    h('h2', { id: 'merge-review' }, 'Contributors who may be one person'),
    h('p', {}, 'One person under two names is scored as two: their standing is split, and a minimum payout or a cap '
      + 'applies to each part on its own. These pairs only look alike: check before merging. A merge counts from the '
      + 'next scoring run, is recorded, and can be undone; if they are two people, leave the pair as it is.'),
    table(null, [['Contributors'], ['Why they may be one'], ['Merge']], pairs.map(row), { id: 'merge-list' }));
}

/**
 * Accounts whose count as a bot or a person today's rule reads otherwise (Merit decides when it first meets an account,
 * and never again by itself): a maintainer checks each and says which it is, on the record.
 */
function reviewSection(review, by, maintainer) {
  const decide = (a, bot, reason) => async () => {
    try {
      const done = await put(`/api/contributors/${a.contributorId}/bot`, { bot, by, reason: reason.value.trim() || null });
      say(done.note);
      reload();
    } catch (e) {
      say(refusal(e), true);
    }
  };
  const row = (a) => {
    const reason = h('input', { type: 'text', name: 'reason', maxlength: 2000, 'aria-label': `Why (${a.displayName})`,
      placeholder: 'Why (optional)' });
    return h('tr', { 'data-review': a.contributorId },
      h('td', {}, h('a', { href: `#/contributors/${a.contributorId}` }, a.displayName)),
      h('td', {}, a.bot ? 'a bot' : 'a person'), h('td', {}, a.why),
      maintainer ? h('td', {}, h('form', { class: 'dispute answer', onsubmit: (e) => e.preventDefault() }, reason,
        h('div', { class: 'votes' },
          h('button', { type: 'button', 'data-bot': 'yes', onclick: decide(a, true, reason) }, 'A bot'),
          h('button', { type: 'button', class: 'secondary', 'data-bot': 'no', onclick: decide(a, false, reason) }, 'A person'))))
        : null);
  };
  return h('section', { 'aria-labelledby': 'bot-review' },
    h('h2', { id: 'bot-review' }, 'Accounts to review: bot or person?'),
    h('p', {}, 'Merit reads whether an account is a bot when it first meets it, and never again by itself. Today\'s rule '
      + 'reads these otherwise than they are counted. A bot is paid only in epochs whose policy includes bots, and takes '
      + 'no share of a change it made with a person. ' + (maintainer
        ? 'Check each and say which it is: your answer is recorded, and counts from the next scoring run.'
        : 'A maintainer checks each and says which it is; the answer counts from the next scoring run.')),
    table(null, [['Account'], ['Counted as'], ['Why to check'], ...(maintainer ? [['Bot or person']] : [])], review.map(row),
      { id: 'bot-review-list' }));
}

function answerForm(d, by, answered) {
  // A dispute may claim the type the run gave when it paid another weight than that type's own: offered then.
  const type = h('select', { name: 'type', 'aria-label': 'The correct type' },
    TYPES.filter((t) => t !== d.scoredType || t === d.claimedType).map((t) => h('option', { value: t,
      selected: t === d.claimedType }, t === d.scoredType ? `${typeName(t)}, at its own weight` : typeName(t))));
  const answer = h('textarea', { name: 'answer', rows: 2, maxlength: 2000, 'aria-label': 'Your answer to the contributor',
    // Short enough for the narrow column nine columns leave it on a laptop; Reject without one says it is needed.
    placeholder: 'Your answer' });
  const act = async (what) => {
    if (what === 'reject' && !answer.value.trim()) {
      say('Say why the type stands: the contributor reads it.', true);
      answer.focus();
      return;
    }
    try {
      const done = await post(`/api/disputes/${d.id}/${what}`, what === 'accept'
        ? { type: type.value, answer: answer.value.trim() || null, by } : { answer: answer.value.trim(), by });
      // In a paid epoch the correction shows in later scorings only: what the epoch paid stays as it was. A payout on
      // chain keeps its amounts too, unless a payout of a new scoring replaces it.
      const payouts = what === 'accept' ? await get(`/api/payout-proposals?epochId=${d.epochId}`).catch(() => []) : [];
      const paid = payouts.some((p) => p.state === 'executed');
      const live = payouts.find((p) => LIVE.includes(p.state));
      say(what === 'accept' ? `Accepted: “${clip(done.title || done.contribution)}” counts as ${typeWords(done.correctedType)} `
        + (paid ? `in scorings made from now on; what ${d.epochName} paid does not change.`
          : live ? `from the next scoring run; payout #${live.id}, on chain, keeps its amounts unless a payout of a new scoring replaces it.`
            : 'from the next scoring run.')
        : `Rejected: “${clip(d.title || d.contribution)}” keeps its type; the contributor reads your answer.`);
      answered(done);
    } catch (e) {
      say(refusal(e), true);
      // Another maintainer answered first: the row shows their answer instead of a form that can only be refused.
      if (e.status === 409) get(`/api/disputes/${d.id}`).then((now) => { if (now.status !== 'open') answered(now); }).catch(() => {});
    }
  };
  return h('form', { class: 'dispute answer', onsubmit: (e) => e.preventDefault() },
    h('label', {}, 'If accepted, the correct type ', type), answer,
    h('div', { class: 'votes' }, h('button', { type: 'button', 'data-answer': 'accept', onclick: () => act('accept') }, 'Accept'),
      h('button', { type: 'button', class: 'secondary', 'data-answer': 'reject', onclick: () => act('reject') }, 'Reject')));
}
