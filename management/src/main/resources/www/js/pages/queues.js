// Queues: RabbitMQ's paged listing (page, page_size, name, use_regex), refreshed live, and "Add a queue".
import { api, seg } from '../api.js';
import { clear, field, fmtArgs, fmtNum, fmtRate, form, h, input, link, notify, notifyError, parseJsonObject, put, select, table } from '../dom.js';
import { refreshMillis } from './overview.js';
import { vhostOptions } from './vhosts.js';

const state = { page: 1, pageSize: 100, name: '', regex: false };
try {
  Object.assign(state, JSON.parse(sessionStorage.getItem('warren.queues.state') || '{}'));
} catch (e) { /* a damaged saved state is dropped */ }
const save = () => sessionStorage.setItem('warren.queues.state', JSON.stringify(state));

export const queueHref = (vhost, name) => `#/queues/${seg(vhost)}/${seg(name)}`;

export async function render(main, params, ctx) {
  const listBox = h('div', { id: 'queue-list' });
  const pager = h('div', { class: 'pager', id: 'queue-pager' });
  const filter = input('name', { id: 'queue-filter', placeholder: 'Filter by name', value: state.name, type: 'search' });
  const regex = h('input', { type: 'checkbox', id: 'queue-filter-regex', checked: state.regex });
  const pageSize = select('page_size', ['20', '100', '500'], String(state.pageSize), { id: 'queue-page-size' });

  const load = async () => {
    const base = ctx.vhost ? `/api/queues/${seg(ctx.vhost)}` : '/api/queues';
    const q = new URLSearchParams({ page: state.page, page_size: state.pageSize, name: state.name, use_regex: state.regex, pagination: true });
    const res = await api.get(`${base}?${q}`);
    if (!ctx.alive) return;
    if (res.page_count > 0 && state.page > res.page_count) {
      state.page = res.page_count;
      save();
      return load();
    }
    put(clear(listBox), queueTable(res.items || [], !ctx.vhost));
    renderPager(pager, res, load);
  };

  let typing;
  filter.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.name = filter.value; state.page = 1; save(); load().catch((e) => notifyError(e, 'Filtering')); }, 300);
  });
  regex.addEventListener('change', () => { state.regex = regex.checked; state.page = 1; save(); load().catch((e) => notifyError(e, 'Filtering')); });
  pageSize.addEventListener('change', () => { state.pageSize = Number(pageSize.value); state.page = 1; save(); load().catch((e) => notifyError(e, 'Paging')); });

  put(main, 
    h('div', { class: 'page-head' }, h('h1', null, 'Queues'),
      h('div', { class: 'toolbar' }, filter, h('label', { class: 'inline' }, regex, ' Regex'), h('label', { class: 'inline' }, 'Page size ', pageSize))),
    h('section', { class: 'panel' }, listBox, pager),
    await addQueueForm(ctx, load));
  await load();
  ctx.every(refreshMillis(), load);
}

function renderPager(el, res, load) {
  const go = (p) => { state.page = p; save(); load().catch((e) => notifyError(e, 'Paging')); };
  const pages = Math.max(1, res.page_count || 1);
  const filtered = res.filtered_count !== undefined ? res.filtered_count : (res.items || []).length;
  const total = res.total_count !== undefined ? res.total_count : filtered;
  put(clear(el), 
    h('button', { class: 'secondary small', id: 'page-prev', disabled: state.page <= 1 ? true : undefined, onclick: () => go(state.page - 1) }, '‹ Previous'),
    h('span', { class: 'page-info', id: 'page-info' }, `Page ${Math.min(state.page, pages)} of ${pages}`),
    h('button', { class: 'secondary small', id: 'page-next', disabled: state.page >= pages ? true : undefined, onclick: () => go(state.page + 1) }, 'Next ›'),
    h('span', { class: 'muted', id: 'queue-count' },
      filtered === total ? `${fmtNum(total)} queue${total === 1 ? '' : 's'}` : `${fmtNum(filtered)} of ${fmtNum(total)} queues match`));
}

function features(q) {
  const f = [];
  if (q.durable) f.push(h('span', { class: 'tag', title: 'durable' }, 'D'));
  if (q.auto_delete) f.push(h('span', { class: 'tag', title: 'auto-delete' }, 'AD'));
  if (q.exclusive) f.push(h('span', { class: 'tag', title: 'exclusive' }, 'Excl'));
  const args = fmtArgs(q.arguments);
  if (args) f.push(h('span', { class: 'tag args', title: args }, 'Args'));
  if (q.policy) f.push(h('span', { class: 'tag policy', title: 'policy' }, q.policy));
  return f;
}

function rate(stats, key) {
  const d = stats && stats[`${key}_details`];
  return d ? fmtRate(d.rate) : '–';
}

function queueTable(items, showVhost) {
  const cols = [];
  if (showVhost) cols.push({ label: 'Virtual host', value: (q) => q.vhost });
  cols.push(
    { label: 'Name', value: (q) => link(queueHref(q.vhost, q.name), q.name, { class: 'queue-link' }) },
    { label: 'Type', value: (q) => q.type || 'classic' },
    { label: 'Features', value: features },
    { label: 'State', value: (q) => h('span', { class: `state ${q.state || ''}` }, q.state || '–') },
    { label: 'Ready', value: (q) => fmtNum(q.messages_ready), class: 'num' },
    { label: 'Unacked', value: (q) => fmtNum(q.messages_unacknowledged), class: 'num' },
    { label: 'Total', value: (q) => fmtNum(q.messages), class: 'num' },
    { label: 'Incoming', value: (q) => rate(q.message_stats, 'publish'), class: 'num' },
    { label: 'Deliver / get', value: (q) => rate(q.message_stats, 'deliver_get'), class: 'num' },
    { label: 'Consumers', value: (q) => fmtNum(q.consumers), class: 'num' });
  return table(cols, items, 'No queues here yet.', (q) => ({ dataset: { queue: q.name, vhost: q.vhost } }));
}

async function addQueueForm(ctx, reload) {
  const vhosts = await vhostOptions();
  return form('Add a queue', [
    field('Virtual host', select('vhost', vhosts, ctx.vhost || vhosts[0], { id: 'new-queue-vhost' })),
    field('Name', input('name', { id: 'new-queue-name', required: true })),
    field('Durability', select('durable', [['true', 'Durable'], ['false', 'Transient']], 'true', { id: 'new-queue-durable' })),
    field('Auto delete', select('auto_delete', [['false', 'No'], ['true', 'Yes']], 'false')),
    field('Arguments', h('textarea', { name: 'arguments', rows: 2, placeholder: '{"x-max-length": 1000, "x-dead-letter-exchange": "dlx"}' }),
      'JSON object, for example x-message-ttl, x-max-length, x-dead-letter-exchange, x-queue-type'),
  ], 'Add queue', async (fd, f) => {
    const name = fd.get('name').trim();
    const vhost = fd.get('vhost');
    try {
      const args = parseJsonObject(fd.get('arguments'), 'Arguments');
      await api.put(`/api/queues/${seg(vhost)}/${seg(name)}`,
        { durable: fd.get('durable') === 'true', auto_delete: fd.get('auto_delete') === 'true', arguments: args });
      notify('ok', `Queue '${name}' declared in virtual host '${vhost}'.`);
      f.querySelector('[name=name]').value = '';
      await reload();
    } catch (e) {
      notifyError(e, `Declaring queue '${name}'`);
    }
  }, false);
}
