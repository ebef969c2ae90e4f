// The officer's triage queue: most urgent first, filtered (the filters live in the URL, so a link
// can open the queue filtered), paged; news from the change feed shows as a notice to tap.
import { api } from '../api.js';
import { getMeta, perUser } from '../db.js';
import { h } from '../dom.js';
import { entries, kindLabel, label } from '../lists.js';
import { CHANGES_PAGE } from '../sync.js';

const POLL_MS = 10_000;
const FILTERS = ['q', 'site_id', 'kind', 'category', 'check_category', 'risk_band', 'status', 'observed_from', 'observed_to'];

// A served list as [value, label] pairs for a select.
const choices = (name) => entries(name).map((e) => [e.value, e.label]);

// Times as the clock at the site shows them (timeZone: the site's IANA zone; none: this device's).
export const when = (iso, timeZone) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }) : '');

// A short date for the queue's narrow columns: "3 Dec 14:05", with the year only when not this year.
function shortWhen(iso, timeZone) {
  if (!iso) return '—';
  const date = new Date(iso);
  const options = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone };
  if (date.getFullYear() !== new Date().getFullYear()) options.year = 'numeric';
  return date.toLocaleString(undefined, options);
}

function select(name, label, options, value) {
  return h('label', { class: 'filter' }, label,
    h('select', { name }, options.map(([v, text]) => h('option', { value: v, selected: String(value ?? '') === String(v) }, text))));
}

function filterForm(filters, sites, onChange) {
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); onChange(read()); } },
    h('label', { class: 'filter wide' }, 'Search', h('input', { name: 'q', type: 'search', value: filters.q || '', placeholder: 'Words in the description' })),
    select('site_id', 'Site', [['', 'All sites'], ...sites.map((s) => [s.id, s.name])], filters.site_id),
    select('kind', 'Kind', [['', 'All kinds'], ...choices('kinds')], filters.kind),
    select('category', 'Category', [['', 'All categories'], ...choices('triage_categories')], filters.category),
    select('check_category', 'Category check', [['', 'Any'], ['true', 'To check'], ['false', 'Settled']], filters.check_category),
    // Most severe first, as the queue sorts.
    select('risk_band', 'Risk rating', [['', 'Any risk'], ...choices('risk_bands').reverse()], filters.risk_band),
    select('status', 'Status', choices('queue_statuses'), filters.status),
    h('label', { class: 'filter' }, 'From', h('input', { name: 'observed_from', type: 'date', value: filters.observed_from || '' })),
    h('label', { class: 'filter' }, 'To', h('input', { name: 'observed_to', type: 'date', value: filters.observed_to || '' })),
    h('button', { class: 'button primary', type: 'submit' }, 'Apply'));
  form.addEventListener('change', () => onChange(read()));
  function read() {
    return Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));
  }
  return form;
}

function queueUrl(filters, cursor) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    // Plain dates: the API takes each as a day at each report's own site, the end day included.
    params.set(key, value);
  }
  if (cursor) params.set('cursor', cursor);
  return `/api/queue?${params}`;
}

// "2 reports" on an item that others were merged into; "Check category" where triage is unsure.
function flags(report) {
  const merged = report.merged_reports > 1
    ? h('span', { class: 'badge count merged', title: 'Confirmed duplicates merged into this report: open it to see them' }, `${report.merged_reports} reports`)
    : null;
  const check = report.check_category ? h('span', { class: 'badge attention check-category' }, 'Check category') : null;
  return merged || check ? h('div', { class: 'row flags' }, merged, check) : null;
}

// zones: site id -> time zone; times show as the clock at the report's site shows them.
function row(report, zones) {
  const t = report.triage;
  const zone = zones.get(report.site.id);
  const time = (iso) => h('time', { datetime: iso, title: zone ? `${when(iso, zone)} (${zone})` : when(iso) }, shortWhen(iso, zone));
  const band = t?.risk_band || report.risk_band;
  return h('tr', { dataset: { id: report.id } },
    h('td', { class: 'nowrap' }, h('span', { class: `priority ${t?.priority || 'pending'}` }, t?.priority || 'New')),
    h('td', { class: 'nowrap' }, band ? h('span', { class: `risk band-${band}` }, label('risk_bands', band)) : '—'),
    h('td', { class: 'what' }, h('a', { href: `#/desk/report/${report.id}`, title: report.description }, report.description),
      h('div', { class: 'hint' }, `${kindLabel(report.kind)} · ${t?.category ? label('triage_categories', t.category) : 'awaiting triage'}`),
      flags(report)),
    h('td', { class: 'nowrap' }, report.site.name),
    h('td', { class: 'nowrap' }, time(report.observed_at)),
    h('td', { class: 'nowrap' }, t?.due_at ? time(t.due_at) : '—'),
    h('td', { class: 'nowrap' }, t?.assignee?.name || '—'));
}

// The filters a URL query gives ('#/desk?risk_band=high'), and the hash that gives these filters.
const filtersFrom = (query) => Object.fromEntries(FILTERS.filter((k) => query.get(k)).map((k) => [k, query.get(k)]));
const hashOf = (filters) => {
  const search = new URLSearchParams(filters).toString();
  return `#/desk${search ? `?${search}` : ''}`;
};

// The end of the change feed: where news starts (the sync keeps a cursor near it already).
async function currentCursor(me) {
  let since = (await getMeta(perUser('cursor', me.user.id))) ?? 0;
  for (;;) {
    const { changes, cursor } = await api.changes(since);
    if (cursor === since || changes.length < CHANGES_PAGE) return cursor;
    since = cursor;
  }
}

// "Show 2 new reports and 1 updated": what a refresh would bring into the first page.
function newsText(shown, page) {
  const fresh = page.items.filter((item) => !shown.has(item.id)).length;
  const updated = page.items.filter((item) => shown.has(item.id) && shown.get(item.id) !== item.changed_at).length;
  const reports = (n) => `report${n === 1 ? '' : 's'}`;
  if (fresh && updated) return `Show ${fresh} new ${reports(fresh)} and ${updated} updated`;
  if (fresh) return `Show ${fresh} new ${reports(fresh)}`;
  if (updated) return `Show ${updated} updated ${reports(updated)}`;
  return '';
}

// Poll the change feed while this view is on screen; on news, say what a refresh would show.
function watch(section, cursor, onNews) {
  const check = async () => {
    if (!section.isConnected) return stop();
    if (document.visibilityState !== 'visible') return;
    try {
      let news = false;
      for (let done = false; !done;) {
        const { changes, cursor: next } = await api.changes(cursor);
        news ||= changes.length > 0;
        done = next === cursor || changes.length < CHANGES_PAGE;
        cursor = next;
      }
      if (news) await onNews();
    } catch { /* offline or signed out: try again next time */ }
  };
  const timer = setInterval(check, POLL_MS);
  const onVisible = () => document.visibilityState === 'visible' && check();
  document.addEventListener('visibilitychange', onVisible);
  function stop() {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
  }
}

// params: the URL's query, where the filters come from; onFilters(hash): the person changed them;
// isCurrent(): false once the person has left this screen (nothing is drawn then).
export async function renderQueue(root, { me, params, onFilters, isCurrent = () => true }) {
  let filters = filtersFrom(params);
  const [sites, start] = await Promise.all([api.get('/api/sites'), currentCursor(me)]);
  if (!isCurrent()) return;
  const zones = new Map(sites.map((s) => [s.id, s.time_zone]));
  const body = h('tbody');
  const more = h('button', { class: 'button secondary', type: 'button', hidden: true }, 'Load more');
  const count = h('p', { class: 'hint', role: 'status' });
  const notice = h('button', { class: 'button notice', type: 'button', hidden: true, onclick: () => load(true) });
  const shown = new Map(); // report id -> changed_at, as listed
  let cursor = null;
  let generation = 0;
  async function load(reset) {
    const mine = reset ? ++generation : generation;
    const page = await api.get(queueUrl(filters, reset ? null : cursor));
    if (mine !== generation) return; // the filters changed meanwhile: a newer load has the say
    if (reset) { body.replaceChildren(); shown.clear(); notice.hidden = true; }
    body.append(...page.items.map((report) => row(report, zones)));
    page.items.forEach((item) => shown.set(item.id, item.changed_at));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    count.textContent = body.children.length
      ? `${body.children.length} report(s) shown${cursor ? ', more below' : ''}`
      : 'No reports match these filters.';
  }
  async function onNews() {
    const text = newsText(shown, await api.get(queueUrl(filters, null)));
    notice.textContent = text;
    notice.hidden = !text;
  }
  more.addEventListener('click', () => load(false));
  const section = h('section', { class: 'screen desk' },
    h('h2', {}, 'Triage queue'),
    filterForm(filters, sites, (chosen) => {
      filters = chosen;
      history.replaceState(null, '', hashOf(filters));
      onFilters(hashOf(filters));
      load(true);
    }),
    h('div', { class: 'row spread queue-status' }, count, h('div', { 'aria-live': 'polite' }, notice)),
    h('table', { class: 'queue' },
      h('thead', {}, h('tr', {}, ['Priority', 'Risk rating', 'Report', 'Site', 'Observed', 'Due', 'Assignee'].map((c) => h('th', { scope: 'col' }, c)))),
      body),
    more);
  root.replaceChildren(section);
  await load(true);
  watch(section, start, onNews);
}
