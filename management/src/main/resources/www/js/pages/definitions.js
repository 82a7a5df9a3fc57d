// Definitions: export as a JSON file (whole broker or one vhost) and import a file or pasted JSON.
import { api, seg } from '../api.js';
import { clear, field, form, h, notify, notifyError, put, section, select } from '../dom.js';
import { vhostOptions } from './vhosts.js';

export async function render(main, params, ctx) {
  const vhosts = await vhostOptions();
  const scopes = [['', 'All virtual hosts'], ...vhosts.map((v) => [v, v])];
  const result = h('div', { id: 'import-result' });
  const exportScope = select('vhost', scopes, ctx.vhost, { id: 'export-vhost' });
  put(main, 
    h('div', { class: 'page-head' }, h('h1', null, 'Definitions')),
    section('Export',
      h('p', null, 'Downloads vhosts, users, permissions, policies, limits, queues, exchanges and bindings in the RabbitMQ definitions format.'),
      h('div', { class: 'actions left' }, h('label', { class: 'inline' }, 'Scope ', exportScope),
        h('button', { id: 'export-definitions', onclick: () => download(exportScope.value) }, 'Download definitions'))),
    form('Import', [
      h('p', null, 'A definitions file exported from Warren or from RabbitMQ. Existing objects with the same names are updated.'),
      field('File', h('input', { type: 'file', name: 'file', accept: '.json,application/json', id: 'import-file' })),
      field('…or paste JSON', h('textarea', { name: 'json', rows: 6, id: 'import-json' })),
      field('Into', select('vhost', scopes, ''), 'for a single-vhost file, the vhost it goes into'),
      result,
    ], 'Import definitions', async (fd) => {
      clear(result);
      try {
        const file = fd.get('file');
        const text = file && file.size ? await file.text() : fd.get('json');
        if (!text || !text.trim()) throw new Error('Choose a file or paste definitions first');
        try { JSON.parse(text); } catch (e) { throw new Error(`The definitions are not valid JSON: ${e.message}`); }
        const path = fd.get('vhost') ? `/api/definitions/${seg(fd.get('vhost'))}` : '/api/definitions';
        const res = await api.post(path, text);
        notify('ok', 'Definitions imported.');
        if (res && typeof res === 'object' && Object.keys(res).length) {
          result.append(h('pre', { class: 'payload' }, JSON.stringify(res, null, 2)));
        }
      } catch (e) { notifyError(e, 'Importing definitions'); }
    }, true));
}

async function download(vhost) {
  try {
    const { text } = await api.get(vhost ? `/api/definitions/${seg(vhost)}` : '/api/definitions', { raw: true });
    const blob = new Blob([text], { type: 'application/json' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `warren-definitions${vhost ? '-' + vhost.replace(/[^A-Za-z0-9_.-]/g, '_') : ''}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  } catch (e) { notifyError(e, 'Exporting definitions'); }
}
