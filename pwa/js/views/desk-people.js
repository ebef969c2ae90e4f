// The people of the organization (ISO 45001 clause 7.2: who works here, in which role, where):
// searched and filtered (kept in the URL), paged; admins invite someone, and the link is shown
// to pass on when no mail was sent. Officers read the list. What the admin screens share is here.
import { api, ApiError, getPage } from '../api.js';
import { h } from '../dom.js';
import { entries, label } from '../lists.js';
import { when } from './desk-queue.js';
import { clearOnChange, field, options, requiredFilled, showProblem } from './desk-risk-parts.js';

const PER_PAGE = 25;
const FILTERS = ['q', 'role', 'status', 'page'];

export const isAdmin = (me) => me?.role === 'admin';
export const statusChip = (status) => h('span', { class: `person-status status-${status}` }, label('person_statuses', status));
export const roleChoices = () => entries('roles').map((e) => [e.value, e.label]);

// Draw a desk screen and move focus to its heading (a screen reader starts reading there).
export function showScreen(root, cls, ...children) {
  const section = h('section', { class: `screen desk admin-page ${cls}` }, ...children);
  root.replaceChildren(section);
  section.querySelector('h2')?.focus({ preventScroll: true });
  return section;
}

export const screenHeading = (text) => h('h2', { tabindex: '-1' }, text);

// People | Training | Sites | Settings; officers see the first two.
export function subNav(me, here) {
  const pages = [['people', 'People'], ['training', 'Training'], ...(isAdmin(me) ? [['sites', 'Sites'], ['settings', 'Settings']] : [])];
  return h('nav', { class: 'sub-nav', 'aria-label': 'People and settings' },
    pages.map(([page, text]) => h('a', { href: `#/desk/${page}`, 'aria-current': page === here ? 'page' : null }, text)));
}

// "All sites", or their names.
export function siteNames(siteIds, sites) {
  if (!siteIds?.length) return 'All sites';
  const byId = new Map(sites.map((s) => [s.id, s.name]));
  return siteIds.map((id) => byId.get(id) ?? `Site ${id}`).join(', ');
}

// The sites as tick boxes: none ticked means every site (site_ids null).
export function sitesPicker(prefix, sites, chosen = null) {
  const boxes = sites.map((s) => h('label', { class: 'choice' },
    h('input', { type: 'checkbox', name: 'site_ids', value: s.id, checked: Array.isArray(chosen) && chosen.includes(s.id) }), s.name));
  return h('fieldset', { class: 'sites-picker field', id: `${prefix}-sites`, dataset: { field: 'site_ids' } },
    h('legend', {}, 'Sites (none ticked: every site)'),
    h('div', { class: 'row choices' }, boxes),
    h('p', { class: 'field-error', role: 'alert', dataset: { for: 'site_ids' } }));
}

export const readSites = (form) => {
  const ticked = new FormData(form).getAll('site_ids').map(Number);
  return ticked.length ? ticked : null;
};

// Tab from the last control goes to the first, Shift+Tab from the first to the last: the
// keyboard never leaves the dialog for the browser's own bar.
function keepFocusIn(dialog, event) {
  if (event.key !== 'Tab') return;
  const controls = [...dialog.querySelectorAll('input, select, textarea, button, a[href]')].filter((c) => !c.disabled && c.offsetParent !== null);
  const [first, last] = [controls[0], controls.at(-1)];
  if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
  else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
}

// A modal dialog holding content; showModal keeps keyboard focus inside it until it closes,
// and Escape closes it. Resolves when it closes; close() closes it from inside.
export function openDialog(title, build) {
  const dialog = h('dialog', { class: 'dialog admin-dialog', 'aria-labelledby': 'admin-dialog-title' });
  const close = () => dialog.close();
  dialog.append(h('h2', { id: 'admin-dialog-title' }, title), build(close, dialog));
  document.body.append(dialog);
  const opener = document.activeElement;
  dialog.addEventListener('keydown', (event) => keepFocusIn(dialog, event));
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => { dialog.remove(); opener?.focus?.(); resolve(); });
    dialog.showModal();
    dialog.querySelector('input:not([readonly]), select, button:not(.close-x)')?.focus();
  });
}

// An invitation or reset link: "sent to <email>", or the link to pass on, with a copy button.
export function linkResult(person, url, mailSent, what = 'invitation') {
  if (mailSent) {
    return h('p', { class: 'message info link-sent', role: 'status' }, `The ${what} link was sent to ${person.email}.`);
  }
  const id = `link-${what.replaceAll(' ', '-')}`;
  const box = h('textarea', { id, class: 'link-box', readonly: true, rows: 3, spellcheck: 'false' }, url);
  const copied = h('span', { class: 'copied', role: 'status' });
  const copy = h('button', { class: 'button primary', type: 'button', onclick: async () => {
    box.select();
    try { await navigator.clipboard.writeText(url); } catch { document.execCommand('copy'); }
    copied.textContent = 'Copied.';
  } }, 'Copy the link');
  return h('div', { class: 'link-result message warn', dataset: { url } },
    h('p', {}, `No mail was sent. Give ${person.name} this ${what} link (by message or in person). It works once.`),
    h('label', { for: id }, `${what[0].toUpperCase()}${what.slice(1)} link`), box,
    h('div', { class: 'row' }, copy, copied));
}

function inviteForm(sites, close, onInvited) {
  const general = h('p', { class: 'message error', role: 'alert' });
  const form = h('form', { class: 'invite-form stack', novalidate: true, onsubmit: (event) => { event.preventDefault(); send(); } },
    field('email', 'Email', h('input', { id: 'invite-email', name: 'email', type: 'email', inputmode: 'email', autocomplete: 'off', required: true, maxlength: 254 })),
    field('name', 'Name', h('input', { id: 'invite-name', name: 'name', autocomplete: 'off', required: true, maxlength: 200 })),
    field('role', 'Role', h('select', { id: 'invite-role', name: 'role', required: true }, options(roleChoices(), 'worker'))),
    sitesPicker('invite', sites),
    general,
    h('div', { class: 'row dialog-buttons' },
      h('button', { class: 'button secondary', type: 'button', onclick: close }, 'Cancel'),
      h('button', { class: 'button primary', type: 'submit' }, 'Send the invitation')));
  clearOnChange(form);
  async function send() {
    if (!requiredFilled(form, general)) return;
    const data = new FormData(form);
    const body = { email: data.get('email').trim(), name: data.get('name').trim(), role: data.get('role'), site_ids: readSites(form) };
    try {
      const person = await api.post('/api/users', body);
      onInvited(person);
      const done = h('button', { class: 'button primary wide', type: 'button', onclick: close }, 'Close');
      form.replaceWith(h('div', { class: 'stack invite-result' }, linkResult(person, person.invitation_url, person.mail_sent), done));
      done.focus();
    } catch (error) {
      const taken = error instanceof ApiError && error.status === 409;
      if (taken) error.problem.errors ??= { email: [error.message] };
      showProblem(form, general, error);
      if (taken) general.textContent = ''; // said once, beside the email
    }
  }
  return form;
}

function filterForm(filters, onChange) {
  const select = (name, text, items) => h('label', { class: 'filter' }, text, h('select', { name }, options(items, filters[name] ?? '')));
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); onChange(read()); } },
    h('label', { class: 'filter wide' }, 'Search', h('input', { name: 'q', type: 'search', value: filters.q || '', placeholder: 'Name or email' })),
    select('role', 'Role', [['', 'Any role'], ...roleChoices()]),
    select('status', 'Status', [['', 'All statuses'], ...entries('person_statuses').map((e) => [e.value, e.label])]),
    h('button', { class: 'button primary', type: 'submit' }, 'Search'));
  form.addEventListener('change', () => onChange(read()));
  const read = () => Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));
  return form;
}

function row(person, sites) {
  const cell = (name, cls, ...content) => h('td', { class: cls, 'data-label': name }, ...content);
  return h('tr', { dataset: { id: person.id, status: person.status } },
    cell('Name', 'person-name', h('a', { href: `#/desk/person/${person.id}` }, person.name)),
    cell('Email', 'email', person.email),
    cell('Role', 'nowrap', label('roles', person.role)),
    cell('Sites', 'wraps', siteNames(person.site_ids, sites)),
    cell('Status', 'nowrap', statusChip(person.status)),
    cell('Last sign-in', 'nowrap', person.last_sign_in_at ? when(person.last_sign_in_at) : 'Never'));
}

function pager(page, total, go) {
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  return h('nav', { class: 'row pager', 'aria-label': 'Pages' },
    h('button', { class: 'button secondary', type: 'button', disabled: page <= 1, onclick: () => go(page - 1) }, '← Previous'),
    h('span', { class: 'pager-at' }, `Page ${page} of ${pages}`),
    h('button', { class: 'button secondary', type: 'button', disabled: page >= pages, onclick: () => go(page + 1) }, 'Next →'));
}

const hashOf = (filters) => {
  const search = new URLSearchParams(filters).toString();
  return `#/desk/people${search ? `?${search}` : ''}`;
};

// query: the URL's query; isCurrent(): false once the person has left this screen.
export async function renderPeople(root, { me, query = new URLSearchParams(), isCurrent = () => true }) {
  let filters = Object.fromEntries(FILTERS.filter((k) => query.get(k)).map((k) => [k, query.get(k)]));
  const sites = await api.get('/api/sites');
  if (!isCurrent()) return;
  const body = h('tbody');
  const count = h('p', { class: 'hint people-count', role: 'status' });
  const paging = h('div', { class: 'pager-place' });
  let generation = 0;
  async function load() {
    const mine = ++generation;
    const page = Number(filters.page) || 1;
    // Without a status the API answers active people only: the desk lists everyone.
    const search = new URLSearchParams({ status: 'all', ...filters, page, per_page: PER_PAGE });
    const { items, total } = await getPage(`/api/users?${search}`);
    if (mine !== generation || !isCurrent()) return; // newer filters have the say
    body.replaceChildren(...items.map((p) => row(p, sites)));
    count.textContent = total ? `${total} ${total === 1 ? 'person' : 'people'}` : 'Nobody matches these filters.';
    paging.replaceChildren(total > PER_PAGE ? pager(page, total, (n) => change({ ...filters, page: n })) : '');
  }
  function change(chosen) {
    filters = chosen;
    history.replaceState(null, '', hashOf(filters));
    load();
  }
  const invite = () => openDialog('Invite someone', (close) => inviteForm(sites, close, () => load()));
  showScreen(root, 'people-page',
    subNav(me, 'people'),
    h('div', { class: 'row spread' }, screenHeading('People'),
      isAdmin(me) ? h('button', { class: 'button primary big invite', type: 'button', onclick: invite }, 'Invite someone') : null),
    isAdmin(me) ? null : h('p', { class: 'hint' }, 'Only an admin can invite people or change their role and sites.'),
    filterForm(filters, (chosen) => change({ ...chosen })),
    count,
    h('table', { class: 'queue people-list' },
      h('thead', {}, h('tr', {}, ['Name', 'Email', 'Role', 'Sites', 'Status', 'Last sign-in'].map((c) => h('th', { scope: 'col' }, c)))),
      body),
    paging);
  await load();
}
