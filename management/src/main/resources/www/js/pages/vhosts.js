// Virtual hosts: list with their message and connection counts, add, delete.
import { api, seg } from '../api.js';
import { clear, confirmDialog, field, fmtNum, form, h, input, notify, notifyError, put, table } from '../dom.js';
import { refreshVhostFilter } from '../vhost-filter.js';

/** Names of the vhosts this user may see, for the forms' selects. */
export async function vhostOptions() {
  try {
    const list = await api.get('/api/vhosts');
    return list.map((v) => v.name);
  } catch (e) {
    return ['/'];
  }
}

export async function render(main, params, ctx) {
  const listBox = h('div', { id: 'vhost-list' });
  const load = async () => {
    const list = await api.get('/api/vhosts');
    if (!ctx.alive) return;
    put(clear(listBox), table([
      { label: 'Name', value: (v) => v.name },
      { label: 'Description', value: (v) => v.description || (v.metadata && v.metadata.description) || '' },
      { label: 'Tags', value: (v) => [].concat(v.tags || []).map((t) => h('span', { class: 'tag' }, t)) },
      { label: 'Ready', value: (v) => fmtNum(v.messages_ready), class: 'num' },
      { label: 'Unacked', value: (v) => fmtNum(v.messages_unacknowledged), class: 'num' },
      { label: 'Total', value: (v) => fmtNum(v.messages), class: 'num' },
      { label: '', value: (v) => h('button', { class: 'danger small', onclick: () => remove(v.name, load) }, 'Delete') },
    ], list, 'No virtual hosts.', (v) => ({ dataset: { vhost: v.name } })));
  };
  put(main, 
    h('div', { class: 'page-head' }, h('h1', null, 'Virtual hosts')),
    h('section', { class: 'panel' }, listBox),
    form('Add a virtual host', [
      field('Name', input('name', { required: true, id: 'new-vhost-name' })),
      field('Description', input('description')),
      field('Tags', input('tags', { placeholder: 'team-a, production' }), 'comma-separated'),
    ], 'Add virtual host', async (fd, f) => {
      const name = fd.get('name').trim();
      try {
        const tags = fd.get('tags').split(',').map((t) => t.trim()).filter(Boolean).join(',');
        await api.put(`/api/vhosts/${seg(name)}`, { description: fd.get('description'), tags });
        notify('ok', `Virtual host '${name}' added.`);
        f.reset();
        await load();
        await refreshVhostFilter();
      } catch (e) { notifyError(e, `Adding virtual host '${name}'`); }
    }, true));
  await load();

  async function remove(name, reload) {
    if (!await confirmDialog(`Delete virtual host '${name}'? All its queues, exchanges and messages are deleted and its connections closed.`)) return;
    try {
      await api.del(`/api/vhosts/${seg(name)}`);
      notify('ok', `Virtual host '${name}' deleted.`);
      await reload();
      await refreshVhostFilter();
    } catch (e) { notifyError(e, `Deleting virtual host '${name}'`); }
  }
}
