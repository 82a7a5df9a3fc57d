// Exchanges: the list (vhost filter from the header) and "Add an exchange".
import { api, seg } from '../api.js';
import { clear, field, fmtArgs, fmtRate, form, h, input, link, notify, notifyError, parseJsonObject, put, select, table } from '../dom.js';
import { vhostOptions } from './vhosts.js';

export const exchangeHref = (vhost, name) => `#/exchanges/${seg(vhost)}/${seg(name === '' ? 'amq.default' : name)}`;

export async function render(main, params, ctx) {
  const listBox = h('div', { id: 'exchange-list' });
  const load = async () => {
    const list = await api.get(ctx.vhost ? `/api/exchanges/${seg(ctx.vhost)}` : '/api/exchanges');
    if (!ctx.alive) return;
    const cols = [];
    if (!ctx.vhost) cols.push({ label: 'Virtual host', value: (e) => e.vhost });
    cols.push(
      { label: 'Name', value: (e) => link(exchangeHref(e.vhost, e.name), e.name === '' ? '(AMQP default)' : e.name) },
      { label: 'Type', value: (e) => e.type },
      { label: 'Features', value: (e) => [
        e.durable ? h('span', { class: 'tag', title: 'durable' }, 'D') : null,
        e.auto_delete ? h('span', { class: 'tag', title: 'auto-delete' }, 'AD') : null,
        e.internal ? h('span', { class: 'tag', title: 'internal' }, 'I') : null,
        fmtArgs(e.arguments) ? h('span', { class: 'tag args', title: fmtArgs(e.arguments) }, 'Args') : null,
        e.policy ? h('span', { class: 'tag policy' }, e.policy) : null] },
      { label: 'Rate in', value: (e) => rate(e, 'publish_in'), class: 'num' },
      { label: 'Rate out', value: (e) => rate(e, 'publish_out'), class: 'num' });
    put(clear(listBox), table(cols, list, 'No exchanges.'));
  };
  const types = await exchangeTypes();
  const vhosts = await vhostOptions();
  put(main, 
    h('div', { class: 'page-head' }, h('h1', null, 'Exchanges')),
    h('section', { class: 'panel' }, listBox),
    form('Add an exchange', [
      field('Virtual host', select('vhost', vhosts, ctx.vhost || vhosts[0])),
      field('Name', input('name', { required: true, id: 'new-exchange-name' })),
      field('Type', select('type', types, 'direct', { id: 'new-exchange-type' })),
      field('Durability', select('durable', [['true', 'Durable'], ['false', 'Transient']], 'true')),
      field('Auto delete', select('auto_delete', [['false', 'No'], ['true', 'Yes']], 'false')),
      field('Internal', select('internal', [['false', 'No'], ['true', 'Yes']], 'false')),
      field('Arguments', h('textarea', { name: 'arguments', rows: 2, placeholder: '{"alternate-exchange": "unrouted"}' }), 'JSON object'),
    ], 'Add exchange', async (fd, f) => {
      const name = fd.get('name').trim();
      try {
        await api.put(`/api/exchanges/${seg(fd.get('vhost'))}/${seg(name)}`, {
          type: fd.get('type'), durable: fd.get('durable') === 'true', auto_delete: fd.get('auto_delete') === 'true',
          internal: fd.get('internal') === 'true', arguments: parseJsonObject(fd.get('arguments'), 'Arguments'),
        });
        notify('ok', `Exchange '${name}' declared.`);
        f.querySelector('[name=name]').value = '';
        await load();
      } catch (e) { notifyError(e, `Declaring exchange '${name}'`); }
    }));
  await load();
}

function rate(e, key) {
  const d = e.message_stats && e.message_stats[`${key}_details`];
  return d ? fmtRate(d.rate) : '–';
}

async function exchangeTypes() {
  try {
    const o = await api.get('/api/overview');
    const t = (o.exchange_types || []).map((x) => x.name);
    if (t.length) return t;
  } catch (e) { /* fall back to the standard types */ }
  return ['direct', 'fanout', 'topic', 'headers'];
}
