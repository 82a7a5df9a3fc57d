// Entry point: hash router, page lifecycle (timers stop when the page changes), header and login gate.
import { credentials, currentUser, logout, setUnauthorizedHandler } from './api.js';
import { clear, clearNotices, h, notify, notifyError, put } from './dom.js';
import { refreshVhostFilter } from './vhost-filter.js';
import * as loginPage from './pages/login.js';
import * as overview from './pages/overview.js';
import * as queues from './pages/queues.js';
import * as queue from './pages/queue.js';
import * as exchanges from './pages/exchanges.js';
import * as exchange from './pages/exchange.js';
import * as connections from './pages/connections.js';
import * as vhosts from './pages/vhosts.js';
import * as users from './pages/users.js';
import * as permissions from './pages/permissions.js';
import * as policies from './pages/policies.js';
import * as definitions from './pages/definitions.js';

const routes = [
  [/^\/login$/, loginPage, 'login'],
  [/^\/?$/, overview, 'overview'],
  [/^\/queues$/, queues, 'queues'],
  [/^\/queues\/([^/]+)\/([^/]+)$/, queue, 'queues'],
  [/^\/exchanges$/, exchanges, 'exchanges'],
  [/^\/exchanges\/([^/]+)\/([^/]*)$/, exchange, 'exchanges'],
  [/^\/connections$/, connections, 'connections'],
  [/^\/vhosts$/, vhosts, 'vhosts'],
  [/^\/users$/, users, 'users'],
  [/^\/permissions$/, permissions, 'permissions'],
  [/^\/policies$/, policies, 'policies'],
  [/^\/definitions$/, definitions, 'definitions'],
];

/** What a page gets: timers and listeners registered here end when the user leaves the page. */
class PageContext {
  constructor() {
    this.timers = [];
    this.cleanups = [];
    this.alive = true;
  }
  every(ms, fn) {
    const run = async () => {
      if (!this.alive) return;
      try { await fn(); } catch (e) { if (this.alive) notifyError(e, 'Refresh'); }
    };
    this.timers.push(setInterval(run, ms));
  }
  onLeave(fn) { this.cleanups.push(fn); }
  leave() {
    this.alive = false;
    this.timers.forEach(clearInterval);
    this.cleanups.forEach((fn) => fn());
  }
  /** The vhost chosen in the header, or '' for all. */
  get vhost() { return sessionStorage.getItem('warren.vhost') || ''; }
  go(hash) { location.hash = hash; }
  /** Renders the current page again (after a change that affects what it shows). */
  reload() { route(); }
}

let ctx = null;

async function route() {
  if (ctx) ctx.leave();
  ctx = new PageContext();
  const hash = decodeHash(location.hash);
  const main = clear(document.getElementById('main'));
  if (!credentials() && hash !== '/login') {
    sessionStorage.setItem('warren.after-login', location.hash || '#/');
    location.replace('#/login');
    return;
  }
  const found = routes.find(([re]) => re.test(hash));
  const [re, page, navKey] = found || [null, null, null];
  showChrome(navKey);
  if (!page) {
    put(main, h('h1', null, 'Not found'), h('p', null, `There is no page at ${hash}. `, h('a', { href: '#/' }, 'Go to the overview.')));
    return;
  }
  const params = hash.match(re).slice(1).map(decodeURIComponent);
  try {
    await page.render(main, params, ctx);
  } catch (e) {
    if (ctx.alive) notifyError(e, 'Loading the page');
  }
}

function decodeHash(hash) {
  const h0 = (hash || '#/').replace(/^#/, '');
  return h0.split('?')[0] || '/';
}

function showChrome(navKey) {
  const top = document.getElementById('top');
  if (navKey === 'login') {
    top.hidden = true;
    return;
  }
  top.hidden = false;
  const who = currentUser();
  document.getElementById('whoami').textContent = who ? `${who.name}` : '';
  document.getElementById('whoami').title = who ? `tags: ${[].concat(who.tags || []).join(', ') || 'none'}` : '';
  // Pages the user's tags do not allow are left out of the menu (the API would refuse them anyway).
  const tags = !who ? [] : (Array.isArray(who.tags) ? who.tags : String(who.tags || '').split(',').map((t) => t.trim()));
  const may = (needs) => !needs || tags.includes('administrator') || tags.includes(needs);
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.page === navKey);
    a.hidden = !may(a.dataset.needs);
  }
}

function start() {
  setUnauthorizedHandler(() => {
    if (decodeHash(location.hash) === '/login') return;
    logout();
    sessionStorage.setItem('warren.after-login', location.hash || '#/');
    sessionStorage.setItem('warren.login-message', 'Your session is no longer valid: please log in again.');
    location.replace('#/login');
  });
  document.getElementById('logout').addEventListener('click', () => {
    logout();
    // A reload drops everything the previous user saw (chart history, page state).
    location.replace('#/login');
    location.reload();
  });
  document.getElementById('vhost-filter').addEventListener('change', (ev) => {
    sessionStorage.setItem('warren.vhost', ev.target.value);
    route();
  });
  window.addEventListener('hashchange', () => { clearNotices(); route(); });
  window.addEventListener('unhandledrejection', (ev) => {
    notify('error', ev.reason && ev.reason.message ? ev.reason.message : String(ev.reason));
  });
  if (credentials()) refreshVhostFilter();
  route();
}

start();
