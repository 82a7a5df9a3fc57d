// One queue: live details, consumers, bindings (add/remove), get messages, publish, purge, delete.
import { api, seg } from '../api.js';
import { clear, confirmDialog, missing, field, fmtArgs, fmtBytes, fmtNum, fmtRate, form, h, input, link, notify, notifyError, parseJsonObject, put, section, select, table } from '../dom.js';
import { refreshMillis } from './overview.js';
import { propertiesFrom, publishFields } from './publish-form.js';

export async function render(main, [vhost, name], ctx) {
  const base = `/api/queues/${seg(vhost)}/${seg(name)}`;
  let first;
  try {
    first = await api.get(base);
  } catch (e) {
    if (e.status !== 404) throw e;
    missing(main, `There is no queue '${name}' in virtual host '${vhost}'.`, '#/queues', 'Back to the queues');
    return;
  }
  const details = h('div', { id: 'queue-details' });
  const consumers = h('div', { id: 'queue-consumers' });
  const bindings = h('div', { id: 'queue-bindings' });
  const messages = h('div', { id: 'fetched-messages' });

  const load = async (given) => {
    const q = given || await api.get(base);
    if (!ctx.alive) return;
    renderDetails(details, q);
    // RabbitMQ embeds the consumers in the queue; a broker that does not is asked for its vhost's consumers.
    const list = q.consumer_details
      || (await api.get(`/api/consumers/${seg(vhost)}`)).filter((c) => c.queue && c.queue.name === name);
    if (ctx.alive) put(clear(consumers), consumerTable(list));
  };
  const loadBindings = async () => {
    const list = await api.get(`${base}/bindings`);
    if (ctx.alive) put(clear(bindings), bindingTable(list, vhost, name, loadBindings));
  };

  put(main, 
    h('div', { class: 'page-head' },
      h('h1', null, h('span', { class: 'muted' }, 'Queue '), h('span', { id: 'queue-name' }, name)),
      h('span', { class: 'muted' }, `virtual host ${vhost}`)),
    section('Details', details),
    section('Consumers', consumers),
    section('Bindings', bindings, addBindingForm(vhost, name, loadBindings)),
    getMessagesForm(base, messages),
    publishForm(vhost, name, load),
    h('section', { class: 'panel danger-zone' }, h('h2', null, 'Purge or delete'),
      h('div', { class: 'actions left' },
        h('button', { class: 'warn', id: 'purge-queue', onclick: () => purge(base, name, load) }, 'Purge messages'),
        h('label', { class: 'inline' }, h('input', { type: 'checkbox', id: 'delete-if-empty' }), ' only if empty'),
        h('label', { class: 'inline' }, h('input', { type: 'checkbox', id: 'delete-if-unused' }), ' only if unused'),
        h('button', { class: 'danger', id: 'delete-queue', onclick: () => remove(base, vhost, name) }, 'Delete queue'))));
  await Promise.all([load(first), loadBindings()]);
  ctx.every(refreshMillis(), () => load());
}

function renderDetails(el, q) {
  const stats = q.message_stats || {};
  const r = (k) => (stats[`${k}_details`] ? fmtRate(stats[`${k}_details`].rate) : '–');
  const facts = [
    ['Type', q.type || 'classic'], ['State', q.state || '–'],
    ['Durable', q.durable ? 'yes' : 'no'], ['Auto delete', q.auto_delete ? 'yes' : 'no'], ['Exclusive', q.exclusive ? 'yes' : 'no'],
    ['Arguments', fmtArgs(q.arguments) || 'none'], ['Policy', q.policy || 'none'],
    ['Effective policy definition', fmtArgs(q.effective_policy_definition) || 'none'],
  ];
  put(clear(el), 
    h('div', { class: 'cards' },
      card('Ready', fmtNum(q.messages_ready), 'queue-ready'),
      card('Unacked', fmtNum(q.messages_unacknowledged), 'queue-unacked'),
      card('Total', fmtNum(q.messages), 'queue-messages'),
      card('Bytes', fmtBytes(q.message_bytes), 'queue-bytes'),
      card('Consumers', fmtNum(q.consumers), 'queue-consumer-count'),
      card('Incoming', r('publish'), 'queue-rate-publish'),
      card('Deliver / get', r('deliver_get'), 'queue-rate-deliver')),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])));
}

function card(label, value, id) {
  return h('div', { class: 'card' }, h('div', { class: 'card-value', id }, value), h('div', { class: 'card-label' }, label));
}

function consumerTable(list) {
  return table([
    { label: 'Channel', value: (c) => (c.channel_details && c.channel_details.name) || '–' },
    { label: 'Consumer tag', value: (c) => c.consumer_tag },
    { label: 'Ack required', value: (c) => (c.ack_required ? 'yes' : 'no') },
    { label: 'Exclusive', value: (c) => (c.exclusive ? 'yes' : 'no') },
    { label: 'Prefetch', value: (c) => fmtNum(c.prefetch_count), class: 'num' },
    { label: 'Active', value: (c) => (c.active === false ? 'no' : 'yes') },
    { label: 'Arguments', value: (c) => fmtArgs(c.arguments) },
  ], list, 'No consumers.');
}

function bindingTable(list, vhost, queue, reload) {
  return table([
    { label: 'From exchange', value: (b) => (b.source === '' ? h('span', { class: 'muted' }, '(default exchange)') : link(`#/exchanges/${seg(vhost)}/${seg(b.source)}`, b.source)) },
    { label: 'Routing key', value: (b) => b.routing_key },
    { label: 'Arguments', value: (b) => fmtArgs(b.arguments) },
    { label: '', value: (b) => (b.source === '' ? '' : h('button', { class: 'secondary small', onclick: async () => {
      try {
        await api.del(`/api/bindings/${seg(vhost)}/e/${seg(b.source)}/q/${seg(queue)}/${seg(b.properties_key)}`);
        notify('ok', `Unbound from '${b.source}'.`);
        await reload();
      } catch (e) { notifyError(e, 'Unbinding'); }
    } }, 'Unbind')) },
  ], list, 'No bindings.');
}

function addBindingForm(vhost, queue, reload) {
  return form('Add a binding to this queue', [
    field('From exchange', input('source', { required: true, id: 'bind-source' })),
    field('Routing key', input('routing_key', { id: 'bind-key' })),
    field('Arguments', h('textarea', { name: 'arguments', rows: 2, placeholder: '{"x-match": "all"}' }), 'JSON object (headers exchanges)'),
  ], 'Bind', async (fd) => {
    const source = fd.get('source').trim();
    try {
      await api.post(`/api/bindings/${seg(vhost)}/e/${seg(source)}/q/${seg(queue)}`,
        { routing_key: fd.get('routing_key'), arguments: parseJsonObject(fd.get('arguments'), 'Arguments') });
      notify('ok', `Bound to '${source}'.`);
      await reload();
    } catch (e) { notifyError(e, 'Binding'); }
  });
}

function getMessagesForm(base, out) {
  return put(form('Get messages', [
    field('Ack mode', select('ackmode', [
      ['ack_requeue_true', 'Nack, requeue'],
      ['reject_requeue_true', 'Reject, requeue'],
      ['ack_requeue_false', 'Ack: removes them'],
      ['reject_requeue_false', 'Reject, no requeue']], 'ack_requeue_true', { id: 'get-ackmode' }),
      'Requeue leaves the messages in the queue'),
    field('Encoding', select('encoding', [['auto', 'Auto: string, else base64'], ['base64', 'base64']], 'auto')),
    field('Messages', input('count', { type: 'number', min: 1, max: 1000, value: '1', id: 'get-count' })),
    field('Truncate payload at', input('truncate', { type: 'number', min: 1, value: '50000' }), 'bytes'),
  ], 'Get messages', async (fd) => {
    try {
      const list = await api.post(`${base}/get`, {
        count: Number(fd.get('count')), ackmode: fd.get('ackmode'), encoding: fd.get('encoding'), truncate: Number(fd.get('truncate')),
      });
      put(clear(out), list.length === 0
        ? h('p', { class: 'empty' }, 'The queue is empty.')
        : list.map((m, i) => messageView(m, i + 1)));
    } catch (e) { notifyError(e, 'Getting messages'); }
  }), out);
}

function messageView(m, n) {
  return h('div', { class: 'message' },
    h('div', { class: 'message-head' }, `Message ${n}`,
      h('span', { class: 'muted' }, ` · exchange ${m.exchange === '' ? '(default)' : `'${m.exchange}'`} · routing key '${m.routing_key}' · ${fmtNum(m.payload_bytes)} bytes${m.redelivered ? ' · redelivered' : ''} · ${fmtNum(m.message_count)} left in queue`)),
    h('dl', { class: 'facts' },
      Object.entries(m.properties || {}).map(([k, v]) => [h('dt', null, k), h('dd', null, typeof v === 'object' ? JSON.stringify(v) : String(v))])),
    h('div', { class: 'muted' }, `Payload (${m.payload_encoding})`),
    h('pre', { class: 'payload' }, m.payload));
}

function publishForm(vhost, queue, reload) {
  return form('Publish a message', [
    h('p', { class: 'hint' }, `Published to the default exchange with routing key '${queue}', so it lands in this queue.`),
    publishFields(),
  ], 'Publish message', async (fd) => {
    try {
      const res = await api.post(`/api/exchanges/${seg(vhost)}/amq.default/publish`, {
        routing_key: queue, properties: propertiesFrom(fd), payload: fd.get('payload'), payload_encoding: fd.get('payload_encoding'),
      });
      if (res && res.routed) notify('ok', 'Message published.');
      else notify('error', 'Message published but not routed to any queue.');
      await reload();
    } catch (e) { notifyError(e, 'Publishing'); }
  });
}

async function purge(base, name, reload) {
  if (!await confirmDialog(`Purge all ready messages from queue '${name}'?`, 'Purge')) return;
  try {
    await api.del(`${base}/contents`);
    notify('ok', `Queue '${name}' purged.`);
    await reload();
  } catch (e) { notifyError(e, 'Purging'); }
}

async function remove(base, vhost, name) {
  const q = new URLSearchParams();
  if (document.getElementById('delete-if-empty').checked) q.set('if-empty', 'true');
  if (document.getElementById('delete-if-unused').checked) q.set('if-unused', 'true');
  if (!await confirmDialog(`Delete queue '${name}' in virtual host '${vhost}'? Its messages are lost.`)) return;
  try {
    await api.del(`${base}${q.toString() ? '?' + q : ''}`);
    notify('ok', `Queue '${name}' deleted.`);
    location.hash = '#/queues';
  } catch (e) { notifyError(e, 'Deleting the queue'); }
}
