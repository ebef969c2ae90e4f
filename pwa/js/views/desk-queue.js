// The officer's triage queue: most urgent first, filtered, paged, refreshed as reports arrive.
import { api } from '../api.js';
import { h, KINDS, kindLabel } from '../dom.js';

const BANDS = ['critical', 'high', 'medium', 'low'];
const STATUSES = [['', 'Open'], ['awaiting_photos', 'Photos arriving'], ['received', 'Awaiting triage'],
  ['triaged', 'Triaged'], ['in_progress', 'In progress'], ['closed', 'Closed'], ['all', 'Any status']];

export const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '');

function select(name, label, options, value) {
  return h('label', { class: 'filter' }, label,
    h('select', { name }, options.map(([v, text]) => h('option', { value: v, selected: String(value ?? '') === String(v) }, text))));
}

function filterForm(filters, sites, categories, onChange) {
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); onChange(read()); } },
    h('label', { class: 'filter wide' }, 'Search', h('input', { name: 'q', type: 'search', value: filters.q || '', placeholder: 'Words in the description' })),
    select('site_id', 'Site', [['', 'All sites'], ...sites.map((s) => [s.id, s.name])], filters.site_id),
    select('kind', 'Kind', [['', 'All kinds'], ...KINDS], filters.kind),
    select('category', 'Category', [['', 'All categories'], ...categories.map((c) => [c.id, c.label])], filters.category),
    select('risk_band', 'Risk', [['', 'Any risk'], ...BANDS.map((b) => [b, b[0].toUpperCase() + b.slice(1)])], filters.risk_band),
    select('status', 'Status', STATUSES, filters.status),
    h('label', { class: 'filter' }, 'From', h('input', { name: 'observed_from', type: 'date', value: filters.observed_from || '' })),
    h('label', { class: 'filter' }, 'To', h('input', { name: 'observed_to', type: 'date', value: filters.observed_to || '' })),
    h('button', { class: 'button primary', type: 'submit' }, 'Apply'));
  form.addEventListener('change', () => onChange(read()));
  function read() {
    return Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));
  }
  return form;
}

function nextDay(isoDate) {
  const day = new Date(`${isoDate}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}

function query(filters, cursor) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (key === 'observed_from') params.set(key, `${value}T00:00:00Z`);
    else if (key === 'observed_to') params.set(key, nextDay(value)); // the API's end is exclusive
    else params.set(key, value);
  }
  if (cursor) params.set('cursor', cursor);
  return `/api/queue?${params}`;
}

function row(report) {
  const t = report.triage;
  const band = t?.risk_band || report.risk_band;
  return h('tr', { dataset: { id: report.id } },
    h('td', {}, h('span', { class: `priority ${t?.priority || 'pending'}` }, t?.priority || 'New')),
    h('td', {}, band ? h('span', { class: `risk band-${band}` }, band) : '—'),
    h('td', { class: 'what' }, h('a', { href: `#/desk/report/${report.id}` }, report.description),
      h('div', { class: 'hint' }, `${kindLabel(report.kind)} · ${t?.category_label || t?.category || 'awaiting triage'}`)),
    h('td', {}, report.site.name),
    h('td', {}, when(report.observed_at)),
    h('td', {}, t?.due_at ? when(t.due_at) : '—'),
    h('td', {}, t?.assignee?.name || '—'));
}

export async function renderQueue(root, { state }) {
  state.filters ??= {};
  const [sites, categories] = await Promise.all([api.get('/api/sites'), api.get('/api/triage/categories')]);
  const body = h('tbody');
  const more = h('button', { class: 'button secondary', type: 'button', hidden: true }, 'Load more');
  const count = h('p', { class: 'hint', role: 'status' });
  let cursor = null;
  async function load(reset) {
    const page = await api.get(query(state.filters, reset ? null : cursor));
    if (reset) body.replaceChildren();
    body.append(...page.items.map(row));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    count.textContent = `${body.children.length} report(s) shown${cursor ? ', more below' : ''}`;
  }
  more.addEventListener('click', () => load(false));
  root.replaceChildren(h('section', { class: 'screen desk' },
    h('h2', {}, 'Triage queue'),
    filterForm(state.filters, sites, categories, (filters) => { state.filters = filters; load(true); }),
    count,
    h('table', { class: 'queue' },
      h('thead', {}, h('tr', {}, ['Priority', 'Risk', 'Report', 'Site', 'Observed', 'Due', 'Assignee'].map((c) => h('th', { scope: 'col' }, c)))),
      body),
    more));
  await load(true);
  return () => load(true);
}
