import { get } from '../api.js';
import { h } from '../format.js';
import { notice, render } from '../ui.js';
import * as wallet from '../wallet.js';

export async function home(params) {
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
