import { getAddress } from 'viem';
// Exact numbers arrive as decimal strings; they are shown as they are (never through floating point), except
// token amounts, which are base units shifted by the token's decimals with string arithmetic.

export function tokens(baseUnits, decimals = 18) {
  if (baseUnits === null || baseUnits === undefined) return '—';
  const s = String(baseUnits);
  const neg = s.startsWith('-');
  const digits = (neg ? s.slice(1) : s).padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return (neg ? '-' : '') + whole + (frac ? '.' + frac : '');
}

/**
 * A share (0..1 as a decimal string) as a percentage to two decimals, rounded with string arithmetic:
 * "0.253100" -> "25.31 %", "0.818182" -> "81.82 %", "1.000000" -> "100 %"; a share too small to show is "< 0.01 %".
 * A non-breaking space keeps the number and its sign on one line.
 */
export function percent(share) {
  if (share === null || share === undefined || share === '') return '—';
  const s = String(share);
  const neg = s.startsWith('-');
  const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
  // Hundredths of a percent are ten-thousandths of the share; rounded half to even, as Merit's own texts are.
  let n = BigInt(i || '0') * 10000n + BigInt((f + '0000').slice(0, 4));
  const next = f[4] || '0';
  if (next > '5' || (next === '5' && (/[1-9]/.test(f.slice(5)) || n % 2n === 1n))) n += 1n;
  if (n === 0n && /[1-9]/.test(f)) return (neg ? '> −0.01' : '< 0.01') + '\u00a0%';
  if (n === 10000n && !neg && i === '0') return '> 99.99\u00a0%';
  // Always two places: "29.30 %" under "28.93 %" lines up, where "29.3 %" did not.
  const whole = (n / 100n).toString();
  const rest = (n % 100n).toString().padStart(2, '0');
  return (neg && n ? '−' : '') + whole + '.' + rest + '\u00a0%';
}

/** A whole number or a decimal string (points, lines) with thousands separators: "38524.056931" -> "38,524.056931". */
export function grouped(v) {
  if (v === null || v === undefined || v === '') return '—';
  const s = String(v);
  const neg = s.startsWith('-') || s.startsWith('−');
  const [i, f] = (neg ? s.slice(1) : s).split('.');
  return (neg ? '−' : '') + i.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (f ? '.' + f : '');
}

/** Points as shown everywhere: without trailing zeros, with thousands separators: "1234.500000" -> "1,234.5". */
export function points(v) {
  return v === null || v === undefined ? '—' : grouped(num(v));
}

/** "1 contributor", "2 contributors": a count with its noun in the right number. */
export function count(n, singular, plural = singular + 's') {
  return `${n} ${Number(n) === 1 ? singular : plural}`;
}

/** States of a payout that will never pay (payroll's ProposalState.DEAD). */
export const DEAD = ['withdrawn', 'superseded', 'defeated', 'canceled', 'expired'];
/** States of a payout on chain that may still pay (payroll's ProposalState.LIVE). */
export const LIVE = ['pending', 'active', 'succeeded', 'queued'];
/** States of a payout on chain whose vote is not over: it has not opened yet, or members are voting. */
export const VOTING = ['pending', 'active'];

/** A payout's state as a badge says it, in a word or two a person reads ("voting", not the governor's "active"). */
export function stateLabel(state) {
  return {
    draft: 'draft', withdrawn: 'withdrawn', superseded: 'replaced', pending: 'vote soon', active: 'voting',
    succeeded: 'voted through', queued: 'in the timelock', executed: 'approved', defeated: 'voted down',
    canceled: 'canceled', expired: 'expired',
  }[state] || state;
}

/**
 * A payout's state as a phrase, the first clause of the API's sentence ("executed: the DAO approved it"): a bare
 * "defeated" or "succeeded" left the reader to guess what comes next.
 */
export function stateWords(p) {
  // A payout replaced in Merit but still on the governor may yet be the one paid: that clause stays.
  return p.state === 'superseded' ? (p.stateText || p.state) : (p.stateText || p.state).split(';')[0];
}

export function date(iso) {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

/**
 * An epoch's days as a person reads them: "2026-12-01 to 2026-12-31" for the epoch that ends (exclusive) at
 * 2027-01-01T00:00Z; a start or an end within a day keeps its time ("2026-12-01 to 2026-12-05 12:00 UTC").
 */
export function period(startsAt, endsAt) {
  if (!startsAt || !endsAt) return '—';
  return `${firstDay(startsAt)} to ${lastDay(endsAt)}`;
}

/**
 * As {@link period}, saying the days are UTC's ("2026-12-01 to 2026-12-31 UTC"): a contributor eight hours west looks
 * for an evening commit in the right epoch. period() alone is for comparing with an epoch's name.
 */
export function periodUtc(startsAt, endsAt) {
  const p = period(startsAt, endsAt);
  return p === '—' || p.endsWith('UTC') ? p : `${p} UTC`;
}

/**
 * A time on chain as a person reads it: the block's own time once it is mined, "about" one estimated from the chain's
 * pace while it is not ({@code block} above {@code currentBlock}).
 */
export function blockWhen(iso, block, currentBlock) {
  return (block != null && currentBlock != null && block > currentBlock ? 'about ' : '') + when(iso);
}

/** The day an epoch starts on; a start within a day keeps its time ("2026-12-05 09:30 UTC"), as lastDay does. */
export function firstDay(startsAt) {
  if (!startsAt) return '—';
  return atMidnight(new Date(startsAt)) ? startsAt.slice(0, 10) : when(startsAt);
}

function atMidnight(d) {
  return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0;
}

/** The last day an epoch that ends (exclusive) at {@code endsAt} covers; an end within a day keeps its time. */
export function lastDay(endsAt) {
  if (!endsAt) return '—';
  const end = new Date(endsAt);
  return atMidnight(end) ? new Date(end.getTime() - 86400000).toISOString().slice(0, 10) : when(endsAt);
}

export function shortHash(h) {
  return h ? h.slice(0, 10) + '…' : '—';
}

/** "0x90F7…b906": the start and the end of an address or a transaction hash, for prose and narrow places. */
export function short(hex) {
  const v = checksummed(hex);
  return v && v.length > 14 ? v.slice(0, 6) + '…' + v.slice(-4) : v || '—';
}

/** A wallet address in its checksummed case (EIP-55), as wallets show it; anything else as it is. */
export function checksummed(value) {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value)) return value;
  try {
    return getAddress(value);
  } catch (e) {
    return value;
  }
}

/**
 * Who decided and how Merit knew, in one phrase: "the treasurer (with the maintainer token)". Addresses are shortened,
 * and one the name already gives is not said twice: "maintainer 0xa0Ee…9720 (signed in with the maintainer wallet)".
 */
export function decidedBy(by, via) {
  const shorten = (t) => (t || '').replace(/0x[0-9a-fA-F]{40}/g, (a) => short(a)).trim();
  const name = shorten(by) || 'a maintainer';
  let how = shorten(via);
  const addr = name.match(/0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}/);
  if (addr) how = how.replace(' ' + addr[0], '');
  return how ? `${name} (${how})` : name;
}

/**
 * Unpaid work a payout closes for good once approved, as the maintainer who put it on chain asked (the chain
 * proposal's closedUnpaid: contributions, since, until, askedBy): how much, of when (UTC days), and who decided. One
 * that can never be approved ({@code never}: voted down, canceled, expired, its period taken) closes nothing; one
 * replaced by a newer payout closes it only if it is still approved.
 */
export function closedUnpaidWords(closed, state, never = false) {
  const from = closed.since ? `from ${firstDay(closed.since)} ` : 'up ';
  const work = `${count(grouped(closed.contributions), 'contribution')} dated ${from}to ${lastDay(closed.until)} (UTC)`;
  const who = decidedBy(closed.askedBy, null);
  const asked = `${who.charAt(0).toUpperCase()}${who.slice(1)} asked for it when putting the payout on chain.`;
  if (never || ['defeated', 'canceled', 'expired'].includes(state)) {
    return `Nothing: it would have closed ${work}, which no payout had paid, as ${who} asked, but it can never be `
      + 'approved now.';
  }
  const when = state === 'superseded' ? 'if this payout is still approved (a newer payout replaced it)'
    : 'with this payout approved';
  return `${work}, which no payout had paid: ${when}, the vault never pays them (it pays periods once and in order). `
    + asked;
}

/**
 * What a dispute's type is worth, a line under each type: the points scored, and (when it differs) the points at the
 * asked type's weight, followed by {@code asked} ("if accepted", "at its weight"). Either is null where there is none.
 */
export function disputePoints(d, asked) {
  const line = (v, words) => h('div', { class: 'muted' }, `${points(v)} points${words}`);
  // The same points either way say so: a dispute between two types of one weight changes no pay.
  const same = d.pointsAsked != null && Number(d.pointsAsked) === Number(d.points);
  return [d.points == null ? null : line(d.points, ''),
    d.pointsAsked == null ? null : same ? h('div', { class: 'muted' }, 'the same points: no change in pay')
      : line(d.pointsAsked, ` ${asked}`)];
}

/**
 * A dispute's answer as a person reads it: the maintainer's words with who and when, or what the decision was when
 * they gave none ("accepted without a comment"); "no answer yet" while it is open.
 */
export function answerWords(d) {
  if (d.status === 'open') return 'no answer yet';
  const words = d.answer || (d.status === 'accepted' ? 'accepted without a comment' : 'rejected without a comment');
  return `${words}${answeredBy(d)}`;
}

/** Who answered a dispute and when, after its answer: " — maintainer 0xa0Ee…9720 (...), 2026-12-05 08:31 UTC". */
export function answeredBy(d) {
  return `${d.settledBy || d.settledVia ? ' — ' + decidedBy(d.settledBy, d.settledVia) : ''}`
    + (d.settledAt ? `, ${when(d.settledAt)}` : '');
}

/**
 * A factor's reason as Merit stored it, in the dashboard's words: a type a dispute corrected reads by its name ("corrected
 * to documentation on a dispute"), not by its code and the dispute's number.
 */
export function factorReason(detail) {
  const text = String(detail || '')
    .replace(/^corrected to ([a-z]+) by dispute \d+/, (m, type) => `corrected to ${typeName(type)} on a dispute`)
    // The size's count grouped as the line counts above it are ("5,746 effective lines"); the formula after it not.
    .replace(/^(\d{4,}) effective lines/, (m, n) => `${grouped(n)} effective lines`);
  // The model's type weights name types by their codes ("perf 0.25 (weight 1)", "unsure: fix at 34%"): shown as
  // every other line of the page names them, "performance 0.25", "34 %".
  if (!/^(median|expected) type weight:/.test(text)) return product(text);
  // The probabilities read as percentages, as in "Why this type" below them: "fix 33.8 % (weight 1)".
  return product(text.replace(/\b(feature|fix|perf|refactor|test|docs|build|chore|style|revert) (?=\d|at \d)/g,
    (m, type) => `${typeName(type)} `).replace(/(\d)%/g, '$1\u00a0%')
    .replace(/ ([01](?:\.\d+)?) (\(weight|x )/g, (m, p, next) => ` ${(Number(p) * 100).toFixed(1)}\u00a0% ${next}`));
}

/**
 * Merit's stored formulas write a product with the letter x ("x0.5 for a copy", "200 x (1 + ln(809/200))"): shown with
 * the sign the page uses everywhere else, ×.
 */
export function times(text) {
  return product(String(text).replace(/(^|[\s(])x(?=\d)/g, '$1×'));
}

/** Only "a x b" between numbers: a factor's detail may quote a forge's text ("windows, x64"), left as written. */
function product(text) {
  return String(text).replace(/([\d)%]) x (?=[\d(])/g, '$1 × ');
}

/** A dispute's state in words, on the Disputes page and a contributor's own list. */
export const DISPUTE_STATES = { open: 'waiting for a maintainer', accepted: 'accepted', rejected: 'rejected' };

/** A title for a one-line message: its first line, cut at {@code n} characters with an ellipsis. */
export function clip(text, n = 80) {
  const chars = Array.from(String(text || '').split('\n')[0]); // by code point: never half an emoji
  return chars.length > n ? chars.slice(0, n - 1).join('').trimEnd() + '…' : chars.join('');
}

/** Element builder: h('td', {class: 'num'}, 'text', child...). Text is always set as text, never as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Each cell carries its column's name, so that on a phone (where a row becomes a card) it says what it is. */
export function labelCells(rows, headers) {
  for (const row of rows) {
    [...row.children].forEach((cell, i) => { if (headers[i]) cell.setAttribute('data-label', headers[i][0]); });
  }
  return rows;
}

export function table(caption, headers, rows, attrs = {}) {
  labelCells(rows, headers);
  return h('div', { class: 'table-wrap' },
    h('table', { ...attrs, class: ((attrs.class || '') + ' cards-on-phone').trim() },
      caption ? h('caption', { class: 'muted' }, caption) : null,
      h('thead', {}, h('tr', {}, headers.map(([label, cls]) => h('th', { scope: 'col', class: cls }, label)))),
      h('tbody', {}, rows)));
}

/**
 * A table of the first rows of a list, and a button that appends the next ones while there are more: for a list that
 * grows with the DAO (a leaderboard, years of disputes) read on a phone. next(shown, last) resolves to
 * { rows, more } (shown: how many rows are on screen; last: the last item, for paging by key); total, when known,
 * goes into the button's words. The live status line says what is loading, what came and what failed (the rows shown
 * stay); when the button goes, focus moves to that line rather than to the top of the page.
 */
export function pagedTable(headers, first,
  { id, row, next, more, total = null, noun = 'rows', one = noun.replace(/s$/, ''), compact = false }) {
  const wrap = table(null, headers, first.map(row), compact ? { id, class: 'compact' } : { id });
  if (!more) return wrap;
  let shown = first.length;
  const n = (v) => v.toLocaleString('en-US');
  const of = (v) => (v === 1 ? one : noun);
  let last = first[first.length - 1];
  const label = () => (total == null ? `Show more (${n(shown)} shown)` : `Show more (${n(shown)} of ${n(total)} shown)`);
  const status = h('p', { class: 'muted', role: 'status', id: `${id}-status`, tabindex: '-1' });
  const button = h('button', { type: 'button', class: 'secondary', id: `${id}-more`, onclick: async () => {
    button.disabled = true;
    status.textContent = `Loading more ${noun}…`;
    try {
      const page = await next(shown, last);
      shown += page.rows.length;
      if (page.rows.length) last = page.rows[page.rows.length - 1];
      wrap.querySelector('tbody').append(...labelCells(page.rows.map(row), headers));
      if (!page.more || !page.rows.length) {
        button.remove();
        status.textContent = shown === 1 ? `1 ${one} shown.` : `All ${n(shown)} ${noun} shown.`;
        status.focus();
        return;
      }
      status.textContent = total == null ? `${n(shown)} ${of(shown)} shown.` : `${n(shown)} of ${n(total)} ${of(total)} shown.`;
    } catch (e) {
      status.textContent = `More ${noun} did not load (${e.message || 'network error'}); try again.`;
    }
    button.disabled = false;
    button.textContent = label();
    // Disabled while loading, the button lost the keyboard's focus to the page: give it back, for the next page.
    button.focus();
  } }, label());
  return h('div', {}, wrap, button, status);
}

/** A kind of file's share of a change's lines, by quarters (features-v6's lshare=KINDq). */
const SHARES = { 0: 'under a quarter', 1: 'a quarter to half', 2: 'half to three quarters', 3: 'three quarters or more',
  4: 'all' };

const KINDS = {
  test: 'test code', doc: 'documentation', ci: 'CI configuration', deps: 'a dependency manifest or lock file',
  changelog: 'a release history (changelog)', changefile: 'a change file', code: 'source code',
};

/**
 * A classifier feature (as the score breakdown names it, e.g. "first=add", "kind=test", "la=5") in words a
 * contributor can check against their commit (the names come from CommitFeatures, FileKinds, FeaturesV5 and
 * FeaturesV6 of the type model). A name this list does not know is still shown as words, never as a bare code.
 */
export function describeFeature(name) {
  const eq = name.indexOf('=');
  const key = eq < 0 ? name : name.slice(0, eq);
  const v = eq < 0 ? '' : name.slice(eq + 1);
  const n = Number(v);
  const many = (x) => x.toLocaleString('en-US');
  switch (key) {
    case 'first': return `subject starts with “${v}”`;
    case 's': return `subject has the word “${v}”`;
    case 'sb': return `subject has “${v.replace(/_/g, ' ')}”`;
    case 'b': return `message body has the word “${v}”`;
    case 'ext': return v === 'code' ? 'changes a file with a source-code extension'
      : v ? `changes a .${v} file` : 'changes a file without extension';
    case 'fn': return v === 'other' ? 'changes a file with a name of no special meaning' : `changes ${v}`;
    case 'kind': return `changes ${KINDS[v] || v}`;
    case 'allkind': return `changes only ${KINDS[v] || v}`;
    // Sizes are buckets: files up to 9 exactly, then by powers of two; lines by log2(lines + 1).
    case 'nf': return n < 10 ? `${n} file${n === 1 ? '' : 's'} changed`
      : `${many(Math.max(10, 2 ** (n - 10)))}–${many(2 ** (n - 9) - 1)} files changed`;
    case 'la': return n === 0 ? 'no lines added' : `${many(2 ** n - 1)}–${many(2 ** (n + 1) - 2)} lines added`;
    case 'ld': return n === 0 ? 'no lines deleted' : `${many(2 ** n - 1)}–${many(2 ** (n + 1) - 2)} lines deleted`;
    case 'ratio': return n >= 4 ? 'only additions' : `${n * 25}–${n * 25 + 25}\u00a0% of changed lines are additions`;
    case 'ver': return 'subject has a version number';
    case 'semver': return 'subject has a x.y.z version';
    case 'vto': return 'subject says “to” a version';
    case 'prref': return 'subject refers to an issue or pull request (#N)';
    case 'closes': return 'message closes an issue';
    case 'nobody': return 'message has no body';
    case 'nofiles': return 'no files changed';
    case 'quoted': return 'message starts with a quoted commit subject';
    case 'nested': return `message restates another commit’s type (${typeName(v)})`;
    case 'reverts': return 'message says “This reverts commit”';
    case 'balanced': return 'as many lines added as deleted';
    case 'nearbalanced': return 'nearly as many lines added as deleted';
    // features-v7: the subject's word vectors, one push however many dimensions they have.
    case 'meaning': return 'what the subject’s words mean (pretrained word vectors)';
    // features-v6: of a change touching several kinds of file, how much each is ("test3": three quarters or more).
    case 'lshare': return `${SHARES[v.slice(-1)] || 'part'} of its changed lines are `
      + `${KINDS[v.slice(0, -1)] || v.slice(0, -1)}`;
    default: return v ? `${key.replace(/_/g, ' ')}: ${v.replace(/_/g, ' ')}` : key.replace(/_/g, ' ');
  }
}

// ---- the factors of a score, in words ------------------------------------------------------------------------------

const FACTOR_WORDS = {
  credit_share: 'co-author share', trivial: 'trivial change', copy: 'copy of another commit', ci: 'CI result',
  graph: 'built-on credit', withdrawn: 'withdrawn', repeat: 'repeated edit', declined: 'declined review',
  type: 'type factor', size: 'size points',
};
// The line counts that add up to a contribution's effective lines (FormulaModel.lineFactors, UndoneLines).
const LINE_WORDS = {
  lines_added: 'lines added', lines_deleted: 'lines deleted', whitespace: 'whitespace-only and reformatted lines',
  moved: 'moved lines', repeated: 'repeated replacements', undone: 'lines undone in another commit',
  relanded: 'lines added back after a revert (paid in the commit reverted)',
  source_size: 'size given by the source',
};
/** File categories not counted as work ("lockfile files" read twice). */
const EXCLUDED_WORDS = { lockfile: 'lock', vendored: 'vendored (copied-in)' };
/** A factor's name in words; one this list does not know reads as words too ("some_thing" -> "some thing"). */
export const factorWords = (name) => FACTOR_WORDS[name] || lineWords(name);
export const lineWords = (name) => LINE_WORDS[name]
  || (name.startsWith('excluded_') ? `${EXCLUDED_WORDS[name.slice(9)] || name.slice(9).replace(/_/g, ' ')} files `
    + '(not counted)' : name.replace(/_/g, ' '));

/** ' (bot)' after a bot's name, unless its name says so already (dependabot[bot]). */
export function botMark(c) {
  return c.bot && !c.displayName.toLowerCase().includes('[bot]') ? ' (bot)' : '';
}

// ---- one way to show amounts, types, times and addresses ------------------------------------------------------------

/** An amount in base units as tokens with the symbol: "1,234.5 MPAY". */
export function amount(baseUnits, decimals, symbol) {
  if (baseUnits === null || baseUnits === undefined) return '—';
  return tokens(baseUnits, decimals) + (symbol ? ' ' + symbol : ' tokens');
}

/**
 * {@link amount} where an amount stands alone (a table cell, a card): the same exact text, every base unit of it, with
 * the digits past the fourth decimal place smaller and muted, so that "597.3120" reads at a glance and the rest
 * ("63770297223372") is there for whoever checks it. {@code sign}: "+" or "−" before it.
 */
export function amountNode(baseUnits, decimals, symbol, sign = '') {
  const text = sign + amount(baseUnits, decimals, symbol);
  const m = /^(.*?\.\d{4})(\d+)(\s.*)$/.exec(text);
  // Under a ten-thousandth of a token (a rounding's few base units) the large digits would read "+0.0000": all of it
  // is said at one size then, with the base units in its title.
  if (m && /^\D*0\.0000$/.test(m[1])) {
    return h('span', { class: 'amount', title: `${String(baseUnits).replace('-', '')} base units` }, text);
  }
  return m ? h('span', { class: 'amount' }, m[1], h('span', { class: 'fine' }, m[2]), m[3]) : text;
}

const TYPE_WORDS = {
  feature: 'a feature', fix: 'a fix', perf: 'a performance change', refactor: 'a refactoring', test: 'tests',
  docs: 'documentation', build: 'a build change', chore: 'a chore', style: 'a style change', revert: 'a revert',
  review: 'a review', issue: 'an issue', comment: 'a comment', merge: 'a merge', other: 'other work',
};

/** A contribution type in words: "a fix". */
export function typeWords(type) {
  return TYPE_WORDS[type] || type || 'unknown';
}

const TYPE_NAMES = {
  feature: 'feature', fix: 'fix', perf: 'performance', refactor: 'refactoring', test: 'tests', docs: 'documentation',
  build: 'build', chore: 'chore', style: 'style', revert: 'revert', review: 'review', issue: 'issue', comment: 'comment',
  merge: 'merge', other: 'other work',
};

/** A contribution type as a label (a column, a chart bar, an option): "performance", not the code "perf". */
export function typeName(type) {
  return TYPE_NAMES[type] || type || 'unknown';
}

/** "a fix, 92 %" or, when the model is unsure, "probably a fix, 34 %". */
export function typeWithConfidence(type, explanation) {
  const words = typeWords(type);
  if (!explanation || explanation.confidence == null) return words;
  const pct = Math.round(explanation.confidence * 100) + '\u00a0%';
  // "a fix (58 % sure)": a bare "58 %" beside a type said nothing of whose figure it is; "probably ... 32 % sure"
  // read as a contradiction.
  return explanation.unsure ? `${words}? (only ${pct} sure)` : `${words} (${pct} sure)`;
}

/**
 * A time as every message of Merit gives it, in UTC: "2026-12-03 14:05 UTC". The server's texts (refusals, banners,
 * chain steps) say times this way, and a vote or a timelock runs on the chain's clock: one form, in one zone, so that a
 * deadline in a message and the same deadline in a table cannot read as two different times.
 */
export function when(iso) {
  if (iso == null || iso === '') return '—';
  const d = new Date(typeof iso === 'number' ? iso * 1000 : iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** "in 3 h 5 min", "12 min ago". */
export function relative(iso) {
  if (!iso) return '';
  const s = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const a = Math.abs(s);
  // Hours and minutes from the rounded minutes: 7170 s is "2 h 0 min", not "1 h 60 min".
  const minutes = Math.round(a / 60);
  const text = a < 90 ? `${a} s` : a < 5400 ? `${minutes} min`
    : a < 172800 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
      : `${Math.round(a / 86400).toLocaleString('en-US')} days`;
  return s >= 0 ? `in ${text}` : `${text} ago`;
}

/**
 * A long hex value (a wallet address, a transaction hash) shortened (0x1234…abcd), the whole one in its title, with a
 * button that copies it.
 */
export function copyable(value, what = 'the address') {
  const code = h('code', { title: value }, short(value));
  const copy = h('button', { type: 'button', class: 'copy', title: 'Copy ' + what, 'aria-label': 'Copy ' + value,
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(value);
        copy.textContent = 'Copied';
      } catch (e) {
        // No clipboard (a page over plain http on a phone): the whole value, selected, for the reader to copy.
        // Wrapped to the screen's width: on one line, 66 characters would push the page sideways on a phone.
        code.textContent = value;
        code.classList.add('whole');
        code.parentElement.classList.add('whole');
        window.getSelection()?.selectAllChildren(code);
        copy.textContent = 'Selected';
      }
      setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
    } }, 'Copy');
  return h('span', { class: 'address' }, code, ' ', copy);
}

/** A wallet address shortened (0x1234…abcd), the whole one in its title, with a button that copies it. */
export function address(addr) {
  if (!addr) return h('span', { class: 'muted' }, 'no wallet');
  return copyable(checksummed(addr), 'the address');
}

/** A transaction hash shortened, the whole one in its title, with a button that copies it. */
export function txHash(hash) {
  if (!hash) return h('span', { class: 'muted' }, 'not sent yet');
  return copyable(hash, 'the transaction hash');
}

/** The transaction that paid a line, after its state ("· transaction 0x12ab…"), when there is one. */
export function paidTx(hash, muted = false) {
  return hash ? h('span', { class: muted ? 'muted paid-tx' : 'paid-tx' }, ' · transaction ', txHash(hash)) : null;
}

/** A decimal string without trailing zeros: "1.500000" -> "1.5", "4.000000" -> "4". */
export function num(v) {
  if (v === null || v === undefined) return '—';
  const s = String(v);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * What putting a draft on chain does with the shares of its {@code held} contributors without a wallet, of the
 * {@code lines} with a share: " 2 contributors without a wallet: their shares are held ...", or that it pays no one
 * now. A held share goes back to the treasury after merit.payroll.held-epochs later payouts are executed.
 */
export function heldWords(held, lines) {
  if (!held) return '';
  if (held === lines) {
    return ' No contributor in it has a wallet linked: it pays no one now, and holds every share in the vault until '
      + 'its contributor links one (back to the treasury if none is linked in time).';
  }
  return ` ${count(held, 'contributor')} without a wallet: ${held === 1 ? 'their share is' : 'their shares are'} held `
    + `in the vault until ${held === 1 ? 'they link one' : 'each links one'} (back to the treasury if none is linked `
    + 'in time).';
}

/**
 * "Voting opens" or "closes" once its time has passed and the state shown has not moved yet. The governor opens voting
 * after the start block and closes it after the end block; Merit reads the state a few blocks behind the chain's head
 * (so that no reorganisation takes it back), so the head may be past the edge a few seconds before the page moves.
 */
export function pastEdgeWords(edge, block, currentBlock) {
  const chainNow = currentBlock != null ? ` (the chain is at block ${currentBlock})` : '';
  if (currentBlock != null && currentBlock > block) {
    return edge === 'opens'
      ? `open on chain since block ${block + 1}${chainNow}; this page shows it once that is confirmed`
      : `closed on chain after block ${block}${chainNow}; this page shows the result once that is confirmed`;
  }
  return edge === 'opens' && currentBlock === block ? `with the next block (after block ${block})`
    : `after block ${block}${chainNow}`;
}

/**
 * What a page says while the chain cannot be read (its node stalled, stopped or cut off): since when, if Merit knows
 * (a call to it timed out then), and that what it shows of a vote is as last read, and votes wait.
 */
export function chainSilentWords(silentSince, follows = true) {
  return `${silentSince ? `The chain has not answered since ${when(silentSince)}` : 'The chain cannot be read now'}: `
    + 'what this page says of the vote (its state, tallies and times) is as Merit last read it, and voting resumes '
    + `once the chain answers. ${follows ? 'The page updates by itself once it does.' : 'Reload the page then.'}`;
}
