// One exchange: details, bindings from and to it, add a binding, publish, delete.
import { api, seg } from '../api.js';
import { clear, confirmDialog, missing, field, fmtArgs, form, h, input, link, notify, notifyError, parseJsonObject, put, section, select, table } from '../dom.js';
import { propertiesFrom, publishFields } from './publish-form.js';

export async function render(main, [vhost, name], ctx) {
  const isDefault = name === '' || name === 'amq.default';
  const base = `/api/exchanges/${seg(vhost)}/${seg(isDefault ? 'amq.default' : name)}`;
  const details = h('div');
  const bindings = h('div', { id: 'exchange-bindings' });
  let e;
  try {
    e = await api.get(base);
  } catch (err) {
    if (err.status !== 404) throw err;
    missing(main, `There is no exchange '${name}' in virtual host '${vhost}'.`, '#/exchanges', 'Back to the exchanges');
    return;
  }
  const loadBindings = async () => {
    if (isDefault) {
      put(clear(bindings), h('p', { class: 'muted' }, 'The default exchange routes to the queue named by the routing key; it has no bindings of its own.'));
      return;
    }
    const [out, into] = await Promise.all([api.get(`${base}/bindings/source`), api.get(`${base}/bindings/destination`)]);
    if (!ctx.alive) return;
    put(clear(bindings), 
      h('h3', null, 'From this exchange'), bindingTable(out, vhost, true, loadBindings),
      h('h3', null, 'To this exchange'), bindingTable(into, vhost, false, loadBindings));
  };
  put(clear(details), h('dl', { class: 'facts' },
    [['Type', e.type], ['Durable', e.durable ? 'yes' : 'no'], ['Auto delete', e.auto_delete ? 'yes' : 'no'],
      ['Internal', e.internal ? 'yes' : 'no'], ['Arguments', fmtArgs(e.arguments) || 'none'], ['Policy', e.policy || 'none']]
      .map(([k, v]) => [h('dt', null, k), h('dd', null, v)])));
  put(main, 
    h('div', { class: 'page-head' },
      h('h1', null, h('span', { class: 'muted' }, 'Exchange '), h('span', { id: 'exchange-name' }, isDefault ? '(AMQP default)' : name)),
      h('span', { class: 'muted' }, `virtual host ${vhost}`)),
    section('Details', details),
    section('Bindings', bindings, isDefault ? null : bindForm(vhost, name, loadBindings)),
    form('Publish a message', [
      field('Routing key', input('routing_key', { id: 'publish-routing-key' })),
      publishFields(),
    ], 'Publish message', async (fd) => {
      try {
        const res = await api.post(`${base}/publish`, {
          routing_key: fd.get('routing_key'), properties: propertiesFrom(fd), payload: fd.get('payload'), payload_encoding: fd.get('payload_encoding'),
        });
        if (res && res.routed) notify('ok', 'Message published and routed.');
        else notify('error', 'Message published but not routed to any queue.');
      } catch (err) { notifyError(err, 'Publishing'); }
    }, true),
    isDefault || name.startsWith('amq.') ? null : h('section', { class: 'panel danger-zone' }, h('h2', null, 'Delete'),
      h('button', { class: 'danger', id: 'delete-exchange', onclick: async () => {
        if (!await confirmDialog(`Delete exchange '${name}' in virtual host '${vhost}'?`)) return;
        try {
          await api.del(base);
          notify('ok', `Exchange '${name}' deleted.`);
          location.hash = '#/exchanges';
        } catch (err) { notifyError(err, 'Deleting the exchange'); }
      } }, 'Delete this exchange')));
  await loadBindings();
}

function bindingTable(list, vhost, outgoing, reload) {
  return table([
    { label: outgoing ? 'To' : 'From', value: (b) => {
      const other = outgoing ? b.destination : b.source;
      const type = outgoing ? b.destination_type : 'exchange';
      return link(type === 'queue' ? `#/queues/${seg(vhost)}/${seg(other)}` : `#/exchanges/${seg(vhost)}/${seg(other)}`, `${other} (${type})`);
    } },
    { label: 'Routing key', value: (b) => b.routing_key },
    { label: 'Arguments', value: (b) => fmtArgs(b.arguments) },
    { label: '', value: (b) => h('button', { class: 'secondary small', onclick: async () => {
      const t = b.destination_type === 'queue' ? 'q' : 'e';
      try {
        await api.del(`/api/bindings/${seg(vhost)}/e/${seg(b.source)}/${t}/${seg(b.destination)}/${seg(b.properties_key)}`);
        notify('ok', 'Binding removed.');
        await reload();
      } catch (e) { notifyError(e, 'Unbinding'); }
    } }, 'Unbind') },
  ], list, 'None.');
}

function bindForm(vhost, name, reload) {
  return form('Add a binding from this exchange', [
    field('To', select('type', [['q', 'Queue'], ['e', 'Exchange']], 'q', { id: 'bind-destination-type' })),
    field('Destination', input('destination', { required: true, id: 'bind-destination' })),
    field('Routing key', input('routing_key', { id: 'bind-routing-key' })),
    field('Arguments', h('textarea', { name: 'arguments', rows: 2 }), 'JSON object'),
  ], 'Bind', async (fd) => {
    try {
      await api.post(`/api/bindings/${seg(vhost)}/e/${seg(name)}/${fd.get('type')}/${seg(fd.get('destination').trim())}`,
        { routing_key: fd.get('routing_key'), arguments: parseJsonObject(fd.get('arguments'), 'Arguments') });
      notify('ok', 'Binding added.');
      await reload();
    } catch (e) { notifyError(e, 'Binding'); }
  });
}
