// Login form: the credentials are checked against /api/whoami before they are kept.
import { login } from '../api.js';
import { h, put } from '../dom.js';
import { refreshVhostFilter } from '../vhost-filter.js';

export function render(main) {
  const message = sessionStorage.getItem('warren.login-message');
  sessionStorage.removeItem('warren.login-message');
  const error = h('p', { class: 'login-error', id: 'login-error', role: 'alert', hidden: !message }, message || '');
  const user = h('input', { name: 'username', id: 'username', autocomplete: 'username', required: true, autofocus: true });
  const pass = h('input', { name: 'password', id: 'password', type: 'password', autocomplete: 'current-password' });
  const button = h('button', { type: 'submit', id: 'login-button' }, 'Log in');
  const form = h('form', { class: 'login-form' },
    h('div', { class: 'brand big' }, 'Warren'),
    h('p', { class: 'subtitle' }, 'Broker management'),
    h('label', { class: 'field' }, h('span', { class: 'label' }, 'Username'), user),
    h('label', { class: 'field' }, h('span', { class: 'label' }, 'Password'), pass),
    error,
    button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    error.hidden = true;
    try {
      await login(user.value, pass.value);
      await refreshVhostFilter();
      const next = sessionStorage.getItem('warren.after-login') || '#/';
      sessionStorage.removeItem('warren.after-login');
      location.hash = next === '#/login' ? '#/' : next;
    } catch (e) {
      error.textContent = e.status === 401
        ? 'Login failed: wrong username or password, or this user may not log in from here.'
        : `Login failed: ${e.message}${e.status ? ` (HTTP ${e.status})` : ''}`;
      error.hidden = false;
      pass.select();
    } finally {
      button.disabled = false;
    }
  });
  put(main, h('div', { class: 'login-page' }, form));
  user.focus();
}
