// Connections and channels, refreshed live; a connection can be closed with a reason.
import { api, seg } from '../api.js';
import { clear, confirmDialog, fmtBytes, fmtNum, h, notify, notifyError, put, section, table } from '../dom.js';
import { refreshMillis } from './overview.js';

export async function render(main, params, ctx) {
  const conns = h('div', { id: 'connection-list' });
  const chans = h('div', { id: 'channel-list' });
  const load = async () => {
    const [cs, chs] = await Promise.all([
      api.get(ctx.vhost ? `/api/vhosts/${seg(ctx.vhost)}/connections` : '/api/connections'),
      api.get(ctx.vhost ? `/api/vhosts/${seg(ctx.vhost)}/channels` : '/api/channels'),
    ]);
    if (!ctx.alive) return;
    put(clear(conns), connectionTable(cs, load));
    put(clear(chans), channelTable(chs));
  };
  put(main, 
    h('div', { class: 'page-head' }, h('h1', null, 'Connections')),
    section('Connections', conns),
    section('Channels', chans));
  await load();
  ctx.every(refreshMillis(), load);
}

function client(c) {
  const p = c.client_properties || {};
  return [p.product, p.version].filter(Boolean).join(' ') || '–';
}

function rate(c, key) {
  const d = c[`${key}_details`];
  return d ? `${fmtBytes(d.rate)}/s` : '–';
}

function connectionTable(list, reload) {
  return table([
    { label: 'Name', value: (c) => [c.name, c.user_provided_name || (c.client_properties || {}).connection_name
      ? h('div', { class: 'muted' }, c.user_provided_name || c.client_properties.connection_name) : null] },
    { label: 'Virtual host', value: (c) => c.vhost },
    { label: 'User', value: (c) => c.user },
    { label: 'Client', value: client },
    { label: 'State', value: (c) => h('span', { class: `state ${c.state || ''}` }, c.state || '–') },
    { label: 'Channels', value: (c) => fmtNum(c.channels), class: 'num' },
    { label: 'From client', value: (c) => rate(c, 'recv_oct'), class: 'num' },
    { label: 'To client', value: (c) => rate(c, 'send_oct'), class: 'num' },
    { label: '', value: (c) => h('button', { class: 'danger small close-connection', onclick: () => close(c, reload) }, 'Close') },
  ], list, 'No connections.', (c) => ({ dataset: { connection: c.name } }));
}

async function close(c, reload) {
  if (!await confirmDialog(`Close connection ${c.name} (user '${c.user}', virtual host '${c.vhost}')? The client is told: closed via management UI.`, 'Close connection')) return;
  try {
    await api.del(`/api/connections/${seg(c.name)}`, { headers: { 'X-Reason': 'closed via management UI' } });
    notify('ok', `Connection ${c.name} closed.`);
    await reload();
  } catch (e) { notifyError(e, 'Closing the connection'); }
}

function channelTable(list) {
  return table([
    { label: 'Channel', value: (c) => c.name },
    { label: 'Virtual host', value: (c) => c.vhost },
    { label: 'User', value: (c) => c.user },
    { label: 'Mode', value: (c) => [c.confirm ? 'confirm' : null, c.transactional ? 'transactional' : null].filter(Boolean).join(', ') || '–' },
    { label: 'Prefetch', value: (c) => fmtNum(c.prefetch_count), class: 'num' },
    { label: 'Unacked', value: (c) => fmtNum(c.messages_unacknowledged), class: 'num' },
    { label: 'Consumers', value: (c) => fmtNum(c.consumer_count), class: 'num' },
  ], list, 'No channels.');
}
