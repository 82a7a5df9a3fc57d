// Overview: totals, live charts of queued messages and message rates (from /api/overview), listeners.
import { api } from '../api.js';
import { emptyHistory, LiveChart } from '../chart.js';
import { clear, fmtNum, fmtRate, h, put, section, select, table } from '../dom.js';

const RATE_SERIES = [
  { key: 'publish', label: 'Publish' },
  { key: 'confirm', label: 'Confirm' },
  { key: 'deliver_get', label: 'Deliver / get' },
  { key: 'ack', label: 'Ack' },
  { key: 'redeliver', label: 'Redelivered' },
];
const QUEUED_SERIES = [
  { key: 'messages_ready', label: 'Ready' },
  { key: 'messages_unacknowledged', label: 'Unacked' },
  { key: 'messages', label: 'Total' },
];

// Samples survive leaving the page (not a reload): coming back shows the last minutes, not an empty chart.
const queuedHistory = emptyHistory(QUEUED_SERIES.length);
const rateHistory = emptyHistory(RATE_SERIES.length);

export function refreshMillis() {
  return Number(sessionStorage.getItem('warren.refresh')) || 5000;
}

function intervalPicker(onChange) {
  const sel = select('refresh', [['2000', 'every 2 s'], ['5000', 'every 5 s'], ['10000', 'every 10 s'], ['30000', 'every 30 s']],
    String(refreshMillis()), { id: 'refresh-interval' });
  sel.addEventListener('change', () => {
    sessionStorage.setItem('warren.refresh', sel.value);
    onChange();
  });
  return h('label', { class: 'inline' }, 'Refresh ', sel);
}

export async function render(main, params, ctx) {
  const totals = h('div', { class: 'cards', id: 'totals' });
  const objects = h('div', { class: 'cards small', id: 'object-totals' });
  const queuedBox = h('div');
  const ratesBox = h('div');
  const info = h('div', { id: 'node-info' });
  put(main, 
    h('div', { class: 'page-head' }, h('h1', null, 'Overview'), intervalPicker(() => ctx.reload())),
    totals,
    h('div', { class: 'two-col' },
      section('Queued messages', queuedBox),
      section('Message rates', ratesBox)),
    objects,
    section('Broker', info));

  const queued = new LiveChart(queuedBox, 'chart-queued', QUEUED_SERIES, (v) => fmtNum(Math.round(v)), true, queuedHistory);
  const rates = new LiveChart(ratesBox, 'chart-rates', RATE_SERIES, (v, axis) => (axis ? fmtNum(v) : fmtRate(v)), false, rateHistory);
  ctx.onLeave(() => { queued.destroy(); rates.destroy(); });

  const poll = async () => {
    // The first visit asks for the broker's recent samples, so the charts start with the last minutes.
    const first = queuedHistory[0].length === 0;
    const o = await api.get(first ? `/api/overview?${HISTORY_QUERY}` : '/api/overview');
    if (!ctx.alive) return;
    if (first) prefill(o);
    const q = o.queue_totals || {};
    const m = o.message_stats || {};
    const rate = (k) => (m[`${k}_details`] ? m[`${k}_details`].rate : 0);
    const now = Date.now() / 1000;
    queued.push(now, QUEUED_SERIES.map((s) => q[s.key] || 0));
    rates.push(now, RATE_SERIES.map((s) => rate(s.key)));
    renderTotals(totals, q, rate);
    renderObjects(objects, o.object_totals || {});
    renderInfo(info, o);
  };
  await poll();
  ctx.every(refreshMillis(), poll);
}

const HISTORY_QUERY = 'lengths_age=600&lengths_incr=5&msg_rates_age=600&msg_rates_incr=5';

/** Samples (newest first) as [[seconds...], [values...]], on the browser's clock. */
function samples(details, offsetSeconds) {
  const list = (details && details.samples) || [];
  return list.slice().reverse().map((x) => [x.timestamp / 1000 + offsetSeconds, x.sample]);
}

function prefill(o) {
  const q = o.queue_totals || {};
  const m = o.message_stats || {};
  const newest = (((q.messages_details || {}).samples) || [])[0];
  const offset = newest ? Date.now() / 1000 - newest.timestamp / 1000 : 0;
  const lengths = QUEUED_SERIES.map((x) => samples(q[`${x.key}_details`], offset));
  // The newest sample is left out: the poll adds the current value itself.
  for (let i = 0; i + 1 < lengths[0].length; i++) {
    queuedHistory[0].push(lengths[0][i][0]);
    lengths.forEach((col, k) => queuedHistory[k + 1].push(col[i] ? col[i][1] : null));
  }
  // Message counters are totals: a rate is the difference between neighbouring samples.
  const counts = RATE_SERIES.map((x) => samples(m[`${x.key}_details`], offset));
  for (let i = 1; i + 1 < counts[0].length; i++) {
    const dt = counts[0][i][0] - counts[0][i - 1][0];
    if (dt <= 0) continue;
    rateHistory[0].push(counts[0][i][0]);
    counts.forEach((col, k) => rateHistory[k + 1].push(col[i] && col[i - 1] ? Math.max(0, (col[i][1] - col[i - 1][1]) / dt) : null));
  }
}

function card(label, value, id) {
  return h('div', { class: 'card' }, h('div', { class: 'card-value', id }, value), h('div', { class: 'card-label' }, label));
}

function renderTotals(el, q, rate) {
  put(clear(el), 
    card('Ready', fmtNum(q.messages_ready || 0), 'total-ready'),
    card('Unacked', fmtNum(q.messages_unacknowledged || 0), 'total-unacked'),
    card('Total queued', fmtNum(q.messages || 0), 'total-messages'),
    card('Publish', fmtRate(rate('publish')), 'rate-publish'),
    card('Deliver / get', fmtRate(rate('deliver_get')), 'rate-deliver'));
}

function renderObjects(el, t) {
  const link = (href, label, n, id) => h('a', { class: 'card link', href },
    h('div', { class: 'card-value', id }, fmtNum(n || 0)), h('div', { class: 'card-label' }, label));
  put(clear(el), 
    link('#/connections', 'Connections', t.connections, 'count-connections'),
    link('#/connections', 'Channels', t.channels, 'count-channels'),
    link('#/exchanges', 'Exchanges', t.exchanges, 'count-exchanges'),
    link('#/queues', 'Queues', t.queues, 'count-queues'),
    link('#/queues', 'Consumers', t.consumers, 'count-consumers'));
}

function renderInfo(el, o) {
  const product = [o.product_name, o.product_version].filter(Boolean).join(' ');
  put(clear(el), 
    h('dl', { class: 'facts' },
      h('dt', null, 'Node'), h('dd', null, o.node || '–'),
      h('dt', null, 'Cluster'), h('dd', null, o.cluster_name || '–'),
      h('dt', null, 'Version'), h('dd', null, product || o.rabbitmq_version || '–')),
    table([
      { label: 'Protocol', value: (l) => l.protocol },
      { label: 'Address', value: (l) => l.ip_address },
      { label: 'Port', value: (l) => String(l.port), class: 'num' },
    ], o.listeners || [], 'No listeners reported.'));
}
