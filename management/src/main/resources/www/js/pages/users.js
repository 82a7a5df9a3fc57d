// Users: list, add or update (password, tags), delete.
import { api, seg } from '../api.js';
import { clear, confirmDialog, field, form, h, input, notify, notifyError, put, table } from '../dom.js';

export async function render(main, params, ctx) {
  const listBox = h('div', { id: 'user-list' });
  const load = async () => {
    const list = await api.get('/api/users');
    if (!ctx.alive) return;
    put(clear(listBox), table([
      { label: 'Name', value: (u) => u.name },
      { label: 'Tags', value: (u) => tagList(u.tags).map((t) => h('span', { class: 'tag' }, t)) },
      { label: 'Password', value: (u) => (u.password_hash ? 'set' : 'none (cannot log in with a password)') },
      { label: '', value: (u) => h('button', { class: 'danger small', onclick: () => remove(u.name, load) }, 'Delete') },
    ], list, 'No users.'));
  };
  put(main, 
    h('div', { class: 'page-head' }, h('h1', null, 'Users')),
    h('section', { class: 'panel' }, listBox),
    form('Add or update a user', [
      field('Username', input('name', { required: true, id: 'new-user-name' })),
      field('Password', input('password', { type: 'password', autocomplete: 'new-password', id: 'new-user-password' }),
        'Leave empty to keep the current password of an existing user'),
      field('Tags', input('tags', { placeholder: 'administrator, monitoring, policymaker, management' }), 'comma-separated'),
    ], 'Save user', async (fd, f) => {
      const name = fd.get('name').trim();
      const body = { tags: tagList(fd.get('tags')).join(',') };
      if (fd.get('password')) body.password = fd.get('password');
      try {
        if (!body.password) {
          const existing = await api.get(`/api/users/${seg(name)}`).catch(() => null);
          if (!existing) throw new Error(`User '${name}' does not exist yet: give a password`);
          body.password_hash = existing.password_hash;
          body.hashing_algorithm = existing.hashing_algorithm;
        }
        await api.put(`/api/users/${seg(name)}`, body);
        notify('ok', `User '${name}' saved.`);
        f.reset();
        await load();
      } catch (e) { notifyError(e, `Saving user '${name}'`); }
    }, true));
  await load();
}

function tagList(tags) {
  if (Array.isArray(tags)) return tags;
  return String(tags || '').split(',').map((t) => t.trim()).filter(Boolean);
}

async function remove(name, reload) {
  if (!await confirmDialog(`Delete user '${name}'? Their connections are closed.`)) return;
  try {
    await api.del(`/api/users/${seg(name)}`);
    notify('ok', `User '${name}' deleted.`);
    await reload();
  } catch (e) { notifyError(e, `Deleting user '${name}'`); }
}
