// The officer's list of nonconformities: where each stands, how serious, whose actions are due
// next, and which are overdue or repeats; filtered by status, site and overdue (kept in the URL).
import { api } from '../api.js';
import { dayLabel, dueText, isOverdue } from '../days.js';
import { h } from '../dom.js';
import { entries, label } from '../lists.js';
import { showNotices } from './notices.js';

const FILTERS = ['status', 'site_id', 'overdue'];

const filtersFrom = (query) => Object.fromEntries(FILTERS.filter((k) => query.get(k)).map((k) => [k, query.get(k)]));
const hashOf = (filters) => {
  const search = new URLSearchParams(filters).toString();
  return `#/desk/ncs${search ? `?${search}` : ''}`;
};

// The answer of the list call as {items, next_cursor} (a page, or the items themselves).
export const pageOf = (answer) => (Array.isArray(answer) ? { items: answer, next_cursor: null } : answer);

// The open actions of an NC view, and the owners and next due day they make.
const openActions = (nc) => (nc.actions || []).filter((a) => a.status === 'open');
export function owners(nc) {
  const people = nc.owners ?? openActions(nc).map((a) => a.owner).filter(Boolean);
  return [...new Map(people.map((p) => [p.id, p])).values()];
}
export function nextDue(nc) {
  return nc.next_due_on ?? openActions(nc).map((a) => a.due_on).sort()[0] ?? null;
}
export const overdue = (nc) => nc.overdue ?? isOverdue(nextDue(nc));

export const statusPill = (status) => h('span', { class: `nc-status status-${status}` }, label('nc_statuses', status));
export const severityBadge = (severity) => h('span', { class: `nc-severity severity-${severity}` }, label('nc_severities', severity));

function flags(nc) {
  return h('div', { class: 'flags' },
    overdue(nc) ? h('span', { class: 'flag late' }, 'Overdue') : null,
    nc.repeat ?? nc.repeat_of ? h('span', { class: 'flag repeat', title: nc.repeat_of?.reason || '' }, 'Repeat') : null);
}

// The owners' column of an NC without open actions: closed when, or none yet.
function noOwners(nc) {
  if (nc.closed_at) return h('span', { class: 'hint' }, `Closed ${new Date(nc.closed_at).toLocaleDateString(undefined, { dateStyle: 'medium' })}`);
  return h('span', { class: 'hint' }, nc.status === 'verifying' ? 'Every action done' : 'No open actions');
}

function row(nc) {
  const due = nextDue(nc);
  const people = owners(nc);
  return h('tr', { dataset: { id: nc.id } },
    h('td', { class: 'nowrap' }, statusPill(nc.status)),
    h('td', { class: 'nowrap' }, severityBadge(nc.severity)),
    h('td', { class: 'what' }, h('a', { href: `#/desk/nc/${nc.id}` }, nc.title),
      h('div', { class: 'hint' }, [label('nc_sources', nc.source), nc.clause && `clause ${nc.clause}`].filter(Boolean).join(' · '))),
    h('td', { class: 'nowrap' }, nc.site?.name ?? ''),
    h('td', {}, people.length ? people.map((p) => p.name).join(', ') : noOwners(nc),
      due ? h('div', { class: `hint due ${overdue(nc) ? 'late' : ''}` }, `${dueText(due)} (${dayLabel(due)})`) : null),
    h('td', { class: 'nowrap' }, flags(nc)));
}

function filterForm(filters, sites, onChange) {
  const select = (name, text, options) => h('label', { class: 'filter' }, text,
    h('select', { name }, options.map(([v, t]) => h('option', { value: v, selected: String(filters[name] ?? '') === String(v) }, t))));
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); onChange(read()); } },
    select('status', 'Status', [['', 'All statuses'], ...entries('nc_statuses').map((e) => [e.value, e.label])]),
    select('site_id', 'Site', [['', 'All sites'], ...sites.map((s) => [s.id, s.name])]),
    h('label', { class: 'filter check' }, h('input', { type: 'checkbox', name: 'overdue', value: 'true', checked: filters.overdue === 'true' }), 'Overdue only'));
  form.addEventListener('change', () => onChange(read()));
  function read() {
    return Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));
  }
  return form;
}

// params: the URL's query, where the filters come from; onFilters(hash): the person changed them;
// isCurrent(): false once the person has left this screen (nothing is drawn then).
export async function renderNcs(root, { me, params, onFilters = () => {}, isCurrent = () => true }) {
  let filters = filtersFrom(params);
  const sites = await api.get('/api/sites');
  if (!isCurrent()) return;
  const body = h('tbody');
  const count = h('p', { class: 'hint', role: 'status' });
  const more = h('button', { class: 'button secondary', type: 'button', hidden: true }, 'Load more');
  let cursor = null;
  let generation = 0;
  async function load(reset) {
    const mine = reset ? ++generation : generation;
    const query = new URLSearchParams({ ...filters, ...(reset || !cursor ? {} : { cursor }) });
    const page = pageOf(await api.get(`/api/nonconformities?${query}`));
    if (mine !== generation || !isCurrent()) return; // newer filters have the say
    if (reset) body.replaceChildren();
    body.append(...page.items.map(row));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    count.textContent = body.children.length ? `${body.children.length} nonconformit${body.children.length === 1 ? 'y' : 'ies'} shown${cursor ? ', more below' : ''}` : 'No nonconformities match these filters.';
  }
  more.addEventListener('click', () => load(false));
  root.replaceChildren(h('section', { class: 'screen desk' },
    h('h2', {}, 'Nonconformities'),
    filterForm(filters, sites, (chosen) => {
      filters = chosen;
      history.replaceState(null, '', hashOf(filters));
      onFilters(hashOf(filters));
      load(true);
    }),
    count,
    h('table', { class: 'queue nc-list' },
      h('thead', {}, h('tr', {}, ['Status', 'Severity', 'Nonconformity', 'Site', 'Owners · next due', 'Flags'].map((c) => h('th', { scope: 'col' }, c)))),
      body),
    more));
  showNotices(root, { userId: me?.user.id, isCurrent, desk: true });
  await load(true);
}
