// The only module that talks to the broker: same-origin fetch to the management API with HTTP Basic
// credentials kept in sessionStorage (never in a cookie, so another site cannot ride on them).

const KEY = 'warren.credentials';
const USER_KEY = 'warren.user';

export class ApiError extends Error {
  constructor(status, error, reason) {
    super(reason ? `${reason}` : (error || `HTTP ${status}`));
    this.status = status;
    this.error = error;
    this.reason = reason;
  }
}

/** Encodes a path segment the way the API expects ("/" as %2F). */
export const seg = (s) => encodeURIComponent(s);

export function credentials() {
  return sessionStorage.getItem(KEY);
}

export function currentUser() {
  const u = sessionStorage.getItem(USER_KEY);
  return u ? JSON.parse(u) : null;
}

export function logout() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(USER_KEY);
}

let onUnauthorized = () => {};
/** The app decides what a 401 on an authenticated call means (back to the login page). */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

function basic(user, password) {
  // btoa only takes Latin-1: encode UTF-8 first so non-ASCII passwords work.
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let bin = '';
  bytes.forEach((b) => { bin += String.fromCharCode(b); });
  return 'Basic ' + btoa(bin);
}

/** Checks the credentials with /api/whoami and keeps them for this tab only. */
export async function login(user, password) {
  const auth = basic(user, password);
  const who = await request('GET', '/api/whoami', undefined, { auth, quiet401: true });
  sessionStorage.setItem(KEY, auth);
  sessionStorage.setItem(USER_KEY, JSON.stringify(who));
  return who;
}

function reasonText(reason) {
  if (reason === undefined || reason === null) return '';
  return typeof reason === 'string' ? reason : JSON.stringify(reason);
}

async function request(method, path, body, opts = {}) {
  const headers = { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  const auth = opts.auth || credentials();
  if (auth) headers['Authorization'] = auth;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.headers) Object.assign(headers, opts.headers);
  let res;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'omit', cache: 'no-store',
      body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
    });
  } catch (e) {
    throw new ApiError(0, 'network', `Cannot reach the broker (${e.message})`);
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = text; }
  }
  if (!res.ok) {
    const err = (data && typeof data === 'object') ? data : {};
    const reason = reasonText(err.reason) || (typeof data === 'string' ? data.slice(0, 300) : '') || res.statusText;
    const apiError = new ApiError(res.status, err.error || `HTTP ${res.status}`, reason);
    if (res.status === 401 && !opts.quiet401) onUnauthorized(apiError);
    throw apiError;
  }
  if (opts.raw) return { text, headers: res.headers };
  return data;
}

export const api = {
  get: (path, opts) => request('GET', path, undefined, opts),
  put: (path, body, opts) => request('PUT', path, body === undefined ? {} : body, opts),
  post: (path, body, opts) => request('POST', path, body === undefined ? {} : body, opts),
  del: (path, opts) => request('DELETE', path, undefined, opts),
};
