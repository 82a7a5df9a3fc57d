// The header's virtual-host filter, shared by the list pages.
import { api } from './api.js';
import { clear, h } from './dom.js';

/** Fills the header's vhost filter; called after login and when vhosts change. */
export async function refreshVhostFilter() {
  const sel = document.getElementById('vhost-filter');
  let list = [];
  try {
    list = await api.get('/api/vhosts?columns=name');
  } catch (e) {
    return;
  }
  const chosen = sessionStorage.getItem('warren.vhost') || '';
  clear(sel);
  sel.append(h('option', { value: '' }, 'All'));
  for (const v of list) sel.append(h('option', { value: v.name, selected: v.name === chosen ? true : undefined }, v.name));
  if (chosen && !list.some((v) => v.name === chosen)) {
    sessionStorage.removeItem('warren.vhost');
    sel.value = '';
  }
}
