// Small DOM builders and formatters. Every value from the broker goes in as text (textContent), never as
// HTML, so a queue named "<script>" is shown, not run.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'value') el.value = v;
      else if (k === 'checked') el.checked = !!v;
      else el.setAttribute(k, v === true ? '' : v);
    }
  }
  append(el, children);
  return el;
}

/** Appends children like h() does: arrays flattened, null/undefined/false skipped. Returns el. */
export function put(el, ...children) {
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function fmtNum(n) {
  if (n === undefined || n === null || Number.isNaN(n)) return '–';
  return Number(n).toLocaleString('en-US');
}

export function fmtRate(r) {
  if (r === undefined || r === null) return '–';
  const v = Number(r);
  return (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + '/s';
}

export function fmtBytes(b) {
  if (b === undefined || b === null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Number(b);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[i];
}

export function fmtArgs(args) {
  if (!args || Object.keys(args).length === 0) return '';
  return Object.entries(args).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ');
}

/** A status message at the top of the page: kind is 'error', 'ok' or 'info'. */
export function notify(kind, text) {
  const box = document.getElementById('notices');
  // A refresh failing every few seconds (broker down) shows one notice, not a growing pile.
  const same = [...box.querySelectorAll(`.notice.${kind}`)].find((n) => n.querySelector('.notice-text').textContent === text);
  if (same) {
    same.dataset.born = String(Date.now());
    return same;
  }
  const note = h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', dataset: { born: String(Date.now()) } },
    h('span', { class: 'notice-text' }, text),
    h('button', { class: 'notice-close', title: 'Dismiss', onclick: () => note.remove() }, '×'));
  box.append(note);
  if (kind !== 'error') setTimeout(() => note.remove(), 5000);
  return note;
}

/**
 * Drops the notices of the page being left, except a confirmation just given (e.g. "Queue deleted", shown
 * while the app moves to the list).
 */
export function clearNotices() {
  const now = Date.now();
  document.querySelectorAll('#notices .notice').forEach((n) => {
    if (n.classList.contains('error') || now - Number(n.dataset.born) > 1500) n.remove();
  });
}

/** The page for an object that does not exist (deleted meanwhile, or a stale link). */
export function missing(main, text, backHref, backText) {
  put(main, h('div', { class: 'panel missing' }, h('h1', null, 'Not found'), h('p', null, text),
    h('p', null, h('a', { href: backHref }, backText))));
}

/** Shows an API error as the broker phrased it: "error: reason". */
export function notifyError(e, what) {
  const prefix = what ? `${what} failed: ` : '';
  const code = e.status ? ` (HTTP ${e.status}${e.error && e.error !== `HTTP ${e.status}` ? ', ' + e.error : ''})` : '';
  return notify('error', prefix + e.message + code);
}

/** A modal yes/no question; resolves true when confirmed. */
export function confirmDialog(question, okLabel = 'Delete') {
  return new Promise((resolve) => {
    const dlg = h('dialog', { class: 'confirm' },
      h('p', null, question),
      h('div', { class: 'actions' },
        h('button', { class: 'secondary', value: 'no', onclick: () => { dlg.close(); resolve(false); } }, 'Cancel'),
        h('button', { class: 'danger', value: 'yes', onclick: () => { dlg.close(); resolve(true); } }, okLabel)));
    dlg.addEventListener('close', () => { dlg.remove(); resolve(false); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

/**
 * A table from rows: columns are {label, value(row) -> Node|string, class}. Empty rows show `empty`.
 */
export function table(columns, rows, empty = 'Nothing to show.', rowAttrs) {
  if (!rows || rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('table', { class: 'grid' },
    h('thead', null, h('tr', null, columns.map((c) => h('th', { class: c.class }, c.label)))),
    h('tbody', null, rows.map((r) => h('tr', rowAttrs ? rowAttrs(r) : null,
      columns.map((c) => h('td', { class: c.class }, c.value(r)))))));
}

export function section(title, ...body) {
  return h('section', { class: 'panel' }, h('h2', null, title), ...body);
}

/** A collapsible "Add ..." form; submit gets the FormData and returns a promise. */
export function form(title, fields, submitLabel, onSubmit, open = false) {
  const f = h('form', { class: 'form' },
    fields,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, submitLabel)));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const btn = f.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      await onSubmit(new FormData(f), f);
    } finally {
      btn.disabled = false;
    }
  });
  return h('details', { class: 'panel form-panel', open }, h('summary', null, title), f);
}

export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label), input,
    hint ? h('span', { class: 'hint' }, hint) : null);
}

export function input(name, attrs = {}) {
  return h('input', { name, type: 'text', autocomplete: 'off', ...attrs });
}

export function select(name, options, selected, attrs = {}) {
  return h('select', { name, ...attrs }, options.map((o) => {
    const [value, label] = Array.isArray(o) ? o : [o, o];
    return h('option', { value, selected: value === selected ? true : undefined }, label);
  }));
}

export function link(href, text, attrs = {}) {
  return h('a', { href, ...attrs }, text);
}

/** Parses a JSON object typed by the user; shows what was wrong instead of throwing a bare SyntaxError. */
export function parseJsonObject(text, what) {
  if (!text || !text.trim()) return {};
  let v;
  try { v = JSON.parse(text); } catch (e) {
    throw new Error(`${what} is not valid JSON: ${e.message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} must be a JSON object`);
  return v;
}
