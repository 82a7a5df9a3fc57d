// Permissions (configure/write/read regexes per user and vhost) and topic permissions (per exchange).
import { api, seg } from '../api.js';
import { clear, field, form, h, input, notify, notifyError, put, section, select, table } from '../dom.js';
import { vhostOptions } from './vhosts.js';

export async function render(main, params, ctx) {
  const perms = h('div', { id: 'permission-list' });
  const topics = h('div', { id: 'topic-permission-list' });
  const [vhosts, users] = await Promise.all([vhostOptions(), api.get('/api/users').then((l) => l.map((u) => u.name))]);
  const scope = (list) => (ctx.vhost ? list.filter((p) => p.vhost === ctx.vhost) : list);
  const load = async () => {
    const [p, t] = await Promise.all([api.get('/api/permissions'), api.get('/api/topic-permissions')]);
    if (!ctx.alive) return;
    put(clear(perms), table([
      { label: 'User', value: (x) => x.user },
      { label: 'Virtual host', value: (x) => x.vhost },
      { label: 'Configure', value: (x) => h('code', null, x.configure) },
      { label: 'Write', value: (x) => h('code', null, x.write) },
      { label: 'Read', value: (x) => h('code', null, x.read) },
      { label: '', value: (x) => clearButton(`/api/permissions/${seg(x.vhost)}/${seg(x.user)}`, `permissions of '${x.user}' in '${x.vhost}'`, load) },
    ], scope(p), 'No permissions.'));
    put(clear(topics), table([
      { label: 'User', value: (x) => x.user },
      { label: 'Virtual host', value: (x) => x.vhost },
      { label: 'Exchange', value: (x) => x.exchange },
      { label: 'Write', value: (x) => h('code', null, x.write) },
      { label: 'Read', value: (x) => h('code', null, x.read) },
      { label: '', value: (x) => clearButton(`/api/topic-permissions/${seg(x.vhost)}/${seg(x.user)}`, `topic permissions of '${x.user}' in '${x.vhost}'`, load) },
    ], scope(t), 'No topic permissions.'));
  };
  const who = (id) => [
    field('User', select('user', users, users[0], { id })),
    field('Virtual host', select('vhost', vhosts, ctx.vhost || vhosts[0])),
  ];
  put(main, 
    h('div', { class: 'page-head' }, h('h1', null, 'Permissions')),
    section('Permissions', perms),
    form('Set permissions', [...who('perm-user'),
      field('Configure regexp', input('configure', { value: '.*' })),
      field('Write regexp', input('write', { value: '.*' })),
      field('Read regexp', input('read', { value: '.*' })),
    ], 'Set permissions', async (fd) => {
      try {
        await api.put(`/api/permissions/${seg(fd.get('vhost'))}/${seg(fd.get('user'))}`,
          { configure: fd.get('configure'), write: fd.get('write'), read: fd.get('read') });
        notify('ok', `Permissions of '${fd.get('user')}' in '${fd.get('vhost')}' set.`);
        await load();
      } catch (e) { notifyError(e, 'Setting permissions'); }
    }),
    section('Topic permissions', topics),
    form('Set topic permissions', [...who('topic-user'),
      field('Exchange', input('exchange', { value: 'amq.topic' })),
      field('Write regexp', input('write', { value: '.*' }), 'on routing keys of publishes'),
      field('Read regexp', input('read', { value: '.*' }), 'on routing keys of bindings'),
    ], 'Set topic permissions', async (fd) => {
      try {
        await api.put(`/api/topic-permissions/${seg(fd.get('vhost'))}/${seg(fd.get('user'))}`,
          { exchange: fd.get('exchange'), write: fd.get('write'), read: fd.get('read') });
        notify('ok', 'Topic permissions set.');
        await load();
      } catch (e) { notifyError(e, 'Setting topic permissions'); }
    }));
  await load();
}

function clearButton(path, what, reload) {
  return h('button', { class: 'secondary small', onclick: async () => {
    try {
      await api.del(path);
      notify('ok', `Cleared ${what}.`);
      await reload();
    } catch (e) { notifyError(e, `Clearing ${what}`); }
  } }, 'Clear');
}
