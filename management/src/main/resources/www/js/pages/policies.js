// Policies, virtual host limits and user limits.
import { api, seg } from '../api.js';
import { clear, confirmDialog, field, fmtArgs, form, h, input, notify, notifyError, parseJsonObject, put, section, select, table } from '../dom.js';
import { vhostOptions } from './vhosts.js';

export async function render(main, params, ctx) {
  const policies = h('div', { id: 'policy-list' });
  const vlimits = h('div', { id: 'vhost-limit-list' });
  const ulimits = h('div', { id: 'user-limit-list' });
  const vhosts = await vhostOptions();
  const users = await api.get('/api/users').then((l) => l.map((u) => u.name)).catch(() => []);
  const load = async () => {
    const [p, vl, ul] = await Promise.all([
      api.get(ctx.vhost ? `/api/policies/${seg(ctx.vhost)}` : '/api/policies'),
      api.get(ctx.vhost ? `/api/vhost-limits/${seg(ctx.vhost)}` : '/api/vhost-limits'),
      api.get('/api/user-limits').catch(() => null),
    ]);
    if (!ctx.alive) return;
    put(clear(policies), table([
      { label: 'Virtual host', value: (x) => x.vhost },
      { label: 'Name', value: (x) => x.name },
      { label: 'Pattern', value: (x) => h('code', null, x.pattern) },
      { label: 'Apply to', value: (x) => x['apply-to'] },
      { label: 'Definition', value: (x) => fmtArgs(x.definition) },
      { label: 'Priority', value: (x) => String(x.priority), class: 'num' },
      { label: '', value: (x) => h('button', { class: 'danger small', onclick: async () => {
        if (!await confirmDialog(`Delete policy '${x.name}' in virtual host '${x.vhost}'?`)) return;
        await del(`/api/policies/${seg(x.vhost)}/${seg(x.name)}`, `policy '${x.name}'`, load);
      } }, 'Delete') },
    ], p, 'No policies.'));
    put(clear(vlimits), limitTable('Virtual host', 'vhost', vl, (x, k) => `/api/vhost-limits/${seg(x.vhost)}/${seg(k)}`, load));
    if (ul === null) put(clear(ulimits), h('p', { class: 'muted' }, 'User limits are not available.'));
    else put(clear(ulimits), limitTable('User', 'user', ul, (x, k) => `/api/user-limits/${seg(x.user)}/${seg(k)}`, load));
  };
  put(main, 
    h('div', { class: 'page-head' }, h('h1', null, 'Policies & limits')),
    section('Policies', policies),
    form('Add or update a policy', [
      field('Virtual host', select('vhost', vhosts, ctx.vhost || vhosts[0])),
      field('Name', input('name', { required: true, id: 'policy-name' })),
      field('Pattern', input('pattern', { required: true, placeholder: '^orders\\.' }), 'regular expression on names'),
      field('Apply to', select('apply-to', [['all', 'Exchanges and queues'], ['queues', 'Queues'], ['exchanges', 'Exchanges']], 'queues')),
      field('Priority', input('priority', { type: 'number', value: '0' })),
      field('Definition', h('textarea', { name: 'definition', rows: 3, required: true, placeholder: '{"max-length": 10000, "dead-letter-exchange": "dlx"}' }), 'JSON object'),
    ], 'Save policy', async (fd) => {
      const name = fd.get('name').trim();
      try {
        await api.put(`/api/policies/${seg(fd.get('vhost'))}/${seg(name)}`, {
          pattern: fd.get('pattern'), 'apply-to': fd.get('apply-to'), priority: Number(fd.get('priority') || 0),
          definition: parseJsonObject(fd.get('definition'), 'Definition'),
        });
        notify('ok', `Policy '${name}' saved.`);
        await load();
      } catch (e) { notifyError(e, `Saving policy '${name}'`); }
    }),
    section('Virtual host limits', vlimits),
    form('Set a virtual host limit', [
      field('Virtual host', select('vhost', vhosts, ctx.vhost || vhosts[0])),
      field('Limit', select('limit', ['max-connections', 'max-queues'], 'max-connections')),
      field('Value', input('value', { type: 'number', required: true }), '-1 means no limit'),
    ], 'Set limit', async (fd) => {
      try {
        await api.put(`/api/vhost-limits/${seg(fd.get('vhost'))}/${seg(fd.get('limit'))}`, { value: Number(fd.get('value')) });
        notify('ok', 'Limit set.');
        await load();
      } catch (e) { notifyError(e, 'Setting the limit'); }
    }),
    section('User limits', ulimits),
    form('Set a user limit', [
      field('User', select('user', users, users[0])),
      field('Limit', select('limit', ['max-connections', 'max-channels'], 'max-connections')),
      field('Value', input('value', { type: 'number', required: true }), '-1 means no limit'),
    ], 'Set limit', async (fd) => {
      try {
        await api.put(`/api/user-limits/${seg(fd.get('user'))}/${seg(fd.get('limit'))}`, { value: Number(fd.get('value')) });
        notify('ok', 'Limit set.');
        await load();
      } catch (e) { notifyError(e, 'Setting the limit'); }
    }));
  await load();
}

function limitTable(label, key, list, path, reload) {
  const rows = [];
  for (const x of list || []) for (const [k, v] of Object.entries(x.value || {})) rows.push({ x, k, v });
  return table([
    { label, value: (r) => r.x[key] },
    { label: 'Limit', value: (r) => r.k },
    { label: 'Value', value: (r) => String(r.v), class: 'num' },
    { label: '', value: (r) => h('button', { class: 'secondary small', onclick: () => del(path(r.x, r.k), `limit ${r.k}`, reload) }, 'Clear') },
  ], rows, 'No limits.');
}

async function del(path, what, reload) {
  try {
    await api.del(path);
    notify('ok', `Removed ${what}.`);
    await reload();
  } catch (e) { notifyError(e, `Removing ${what}`); }
}
