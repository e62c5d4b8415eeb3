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

/** A share (0..1 as a decimal string) as a percentage with the same exactness: "0.253100" -> "25.31 %". */
export function percent(share) {
  if (share === null || share === undefined) return '—';
  const [i, f = ''] = String(share).split('.');
  const padded = (f + '000000').slice(0, 6);
  const whole = String(Number(i) * 100 + Number(padded.slice(0, 2)));
  const rest = padded.slice(2).replace(/0+$/, '');
  return whole + (rest ? '.' + rest : '') + ' %';
}

export function date(iso) {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

export function shortHash(h) {
  return h ? h.slice(0, 10) + '…' : '—';
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

export function table(caption, headers, rows, attrs = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', attrs,
      caption ? h('caption', { class: 'muted' }, caption) : null,
      h('thead', {}, h('tr', {}, headers.map(([label, cls]) => h('th', { scope: 'col', class: cls }, label)))),
      h('tbody', {}, rows)));
}
