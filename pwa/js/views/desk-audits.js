// The audit programme: audits by site and state (planned, due within a week, overdue, done), as a
// list or a month's calendar; the schedules that plan them, with a form to add one; and an
// audit started now. The filters and the view are kept in the URL.
import { api } from '../api.js';
import { dayIn, dayLabel, daysFrom } from '../days.js';
import { confirmDialog, h } from '../dom.js';
import { label } from '../lists.js';
import {
  DUE_SOON_DAYS, clearProblem, field, options, pageOf, percentText, scoreBand, showProblem, stateOf, statusCell,
} from './desk-audit-parts.js';

// The role's word is the column's (the roles are served lists).
const auditorWord = () => label('roles', 'auditor');
const FILTERS = ['site_id', 'state', 'view', 'month'];
// Recurrences offered as words; anything else is a custom RFC 5545 rule.
const PRESETS = [
  { value: 'FREQ=MONTHLY', text: 'Monthly' },
  { value: 'FREQ=MONTHLY;INTERVAL=3', text: 'Quarterly' },
  { value: 'FREQ=MONTHLY;INTERVAL=6', text: 'Half-yearly' },
  { value: 'FREQ=YEARLY', text: 'Yearly' },
];

const filtersFrom = (query) => Object.fromEntries(FILTERS.filter((k) => query.get(k)).map((k) => [k, query.get(k)]));
const hashOf = (filters) => {
  const search = new URLSearchParams(filters).toString();
  return `#/desk/audits${search ? `?${search}` : ''}`;
};
const thisMonth = () => dayIn(0).slice(0, 7);
const monthStart = (month) => `${month}-01`;
function monthEnd(month) {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}
function shiftMonth(month, by) {
  const [y, m] = month.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}
const monthTitle = (month) => new Date(`${month}-01T00:00:00Z`).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

// What to ask the server for the chosen state (the rest is sorted out here, by stateOf).
function queryFor(filters) {
  const query = { ...(filters.site_id ? { site_id: filters.site_id } : {}) };
  if (filters.view === 'calendar') {
    const month = filters.month || thisMonth();
    Object.assign(query, { from: monthStart(month), to: monthEnd(month) });
  }
  if (filters.state === 'planned') query.status = 'planned';
  if (filters.state === 'done') query.status = 'submitted';
  if (filters.state === 'due' && filters.view !== 'calendar') Object.assign(query, { from: dayIn(0), to: dayIn(DUE_SOON_DAYS) });
  if (filters.state === 'overdue') query.overdue = 'true';
  return { ...query, limit: 500 };
}

// What is coming first (the earliest due on top), then the audits done or cancelled, latest first.
function programmeOrder(audits) {
  const open = (a) => a.status === 'planned' || a.status === 'in_progress';
  const day = (a) => a.due_on ?? a.signed_at?.slice(0, 10) ?? '9999-12-31';
  return [...audits].sort((a, b) => (open(b) - open(a)) || (open(a) ? day(a).localeCompare(day(b)) : day(b).localeCompare(day(a))));
}
const wanted = (filters) => (audit) => !filters.state || stateOf(audit) === filters.state
  || (filters.state === 'planned' && stateOf(audit) === 'due');

const stateChoices = () => [['', 'Every state'], ['planned', label('audit_statuses', 'planned')],
  ['due', `Due within ${DUE_SOON_DAYS} days`], ['overdue', 'Overdue'], ['done', label('audit_statuses', 'submitted')]];

function filterForm(filters, sites, onChange) {
  const select = (name, text, choices) => h('label', { class: 'filter' }, text,
    h('select', { name }, options(choices, filters[name] ?? '')));
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
    select('site_id', 'Site', [['', 'All sites'], ...sites.map((s) => [s.id, s.name])]),
    select('state', 'State', stateChoices()));
  form.addEventListener('change', () => onChange(Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''))));
  return form;
}

function scoreCell(audit) {
  if (audit.status !== 'submitted') return h('span', { class: 'hint none' }, '—');
  return h('span', { class: `score score-${scoreBand(audit.score)}` }, percentText(audit.score));
}

function auditRow(audit) {
  const cell = (name, cls, ...content) => h('td', { class: cls, 'data-label': name }, ...content);
  return h('tr', { dataset: { id: audit.id, state: stateOf(audit) } },
    cell('Due', 'nowrap', audit.due_on ? dayLabel(audit.due_on) : h('span', { class: 'hint' }, 'Unplanned')),
    cell('Site', 'nowrap', audit.site_name ?? ''),
    cell('Template', 'what', h('a', { href: `#/desk/audit/${audit.id}` }, audit.template?.name ?? 'Audit'),
      h('div', { class: 'hint' }, [audit.template?.standard && label('standards', audit.template.standard), audit.template && `v${audit.template.version}`].filter(Boolean).join(' · '))),
    cell(auditorWord(), 'nowrap', audit.auditor?.name ?? '—'),
    cell('Status', 'nowrap', statusCell(audit)),
    cell('Score', 'nowrap num', scoreCell(audit)),
    cell('Findings', 'nowrap num', audit.status === 'submitted' ? String(audit.findings ?? 0) : h('span', { class: 'hint none' }, '—')));
}

function auditTable(body) {
  return h('table', { class: 'queue audit-list' },
    h('thead', {}, h('tr', {}, ['Due', 'Site', 'Template', auditorWord(), 'Status', 'Score', 'Findings'].map((c) => h('th', { scope: 'col' }, c)))),
    body);
}

// A month as a grid of weeks, Monday first; each day lists its audits. Phones show only days with audits.
function calendar(month, audits, onMonth) {
  const first = new Date(`${monthStart(month)}T00:00:00Z`);
  const lead = (first.getUTCDay() + 6) % 7;
  const days = Number(monthEnd(month).slice(8));
  const byDay = audits.reduce((m, a) => m.set(a.due_on, [...(m.get(a.due_on) || []), a]), new Map());
  const weekday = (i) => new Date(Date.UTC(2024, 0, 1 + i)).toLocaleDateString(undefined, { weekday: 'short', timeZone: 'UTC' });
  const cells = [...Array(lead)].map(() => h('div', { class: 'cal-day blank', 'aria-hidden': 'true' }));
  for (let d = 1; d <= days; d += 1) {
    const day = `${month}-${String(d).padStart(2, '0')}`;
    const here = byDay.get(day) || [];
    cells.push(h('div', { class: `cal-day ${here.length ? 'busy' : 'empty'} ${daysFrom(day) === 0 ? 'today' : ''}`, dataset: { day } },
      h('div', { class: 'cal-date' }, h('span', { class: 'wide-only' }, String(d)), h('span', { class: 'phone-only' }, dayLabel(day))),
      here.map((a) => h('a', { class: `cal-audit state-${stateOf(a)}`, href: `#/desk/audit/${a.id}` },
        h('strong', {}, a.site_name ?? ''), ` ${a.template?.name ?? ''}`, a.auditor ? h('span', { class: 'cal-who' }, a.auditor.name) : null,
        h('span', { class: 'cal-status' }, statusCell(a))))));
  }
  return h('div', { class: 'calendar' },
    h('div', { class: 'row spread cal-head' },
      h('button', { class: 'button secondary', type: 'button', onclick: () => onMonth(shiftMonth(month, -1)) }, '← Earlier'),
      h('h3', {}, monthTitle(month)),
      h('button', { class: 'button secondary', type: 'button', onclick: () => onMonth(shiftMonth(month, 1)) }, 'Later →')),
    h('div', { class: 'cal-grid', role: 'list' },
      [...Array(7)].map((_, i) => h('div', { class: 'cal-weekday', 'aria-hidden': 'true' }, weekday(i))),
      cells),
    audits.length ? null : h('p', { class: 'hint' }, 'No audits this month.'));
}

function recurrenceText(rrule) {
  const rule = String(rrule || '').toUpperCase().replace(/;$/, '').split(';').filter((p) => p !== 'INTERVAL=1').join(';');
  return PRESETS.find((p) => p.value === rule)?.text ?? rrule;
}

// Stop a schedule for good: its audits not started yet are cancelled (the server says so too).
async function stop(schedule, refresh, message) {
  const sure = await confirmDialog('Stop this schedule?',
    `${schedule.template?.name ?? 'The template'} at ${schedule.site_name ?? 'the site'}: no more audits are planned, and those not started yet are cancelled. Audits already run stay as they are.`,
    'Stop the schedule', 'Keep it');
  if (!sure) return;
  try {
    await api.patch(`/api/audit-schedules/${schedule.id}`, { active: false });
    refresh();
  } catch (error) {
    message.textContent = error.message;
  }
}

function nextText(s) {
  if (!s.active) return h('span', { class: 'flag' }, 'Stopped');
  if (s.ended || !s.next_due_on) return h('span', { class: 'hint' }, 'No more days');
  return dayLabel(s.next_due_on);
}

function schedulesTable(schedules, names, refresh) {
  if (!schedules.length) return h('p', { class: 'hint' }, 'No schedules yet: add one below, and its audits are planned ahead of their days.');
  const cell = (name, cls, ...content) => h('td', { class: cls, 'data-label': name }, ...content);
  const message = h('p', { class: 'message error', role: 'alert' });
  return [message, h('table', { class: 'queue schedule-list' },
    h('thead', {}, h('tr', {}, ['Template', 'Site', auditorWord(), 'Auditee', 'Recurrence', 'From', 'Next', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, schedules.map((s) => h('tr', { dataset: { id: s.id, active: String(s.active !== false) } },
      cell('Template', 'what', s.template?.name ?? names.templates.get(s.template_id) ?? '—'),
      cell('Site', 'nowrap', s.site_name ?? s.site?.name ?? names.sites.get(s.site_id) ?? '—'),
      cell(auditorWord(), 'nowrap', s.auditor?.name ?? names.users.get(s.auditor_id) ?? '—'),
      cell('Auditee', 'nowrap', s.auditee?.name ?? names.users.get(s.auditee_id) ?? '—'),
      cell('Recurrence', 'nowrap', h('span', { title: s.rrule }, recurrenceText(s.rrule))),
      cell('From', 'nowrap', dayLabel(s.starts_on)),
      cell('Next', 'nowrap', nextText(s)),
      cell('', 'nowrap', s.active === false ? null : h('button', { class: 'button small-dark secondary', type: 'button',
        'aria-label': `Stop the schedule of ${s.template?.name ?? ''} at ${s.site_name ?? ''} by ${s.auditor?.name ?? ''}`, onclick: () => stop(s, refresh, message) }, 'Stop'))))))];
}

const idOrNull = (value) => (value ? Number(value) : null);

function scheduleForm(lists, onAdded) {
  const { templates, sites, users, qualified } = lists;
  const people = users.map((u) => [u.id, `${u.name} (${label('roles', u.role)})`]);
  const select = (name, id, choices) => h('select', { name, id }, options(choices));
  const auditors = auditorChoices(people, qualified);
  const custom = h('input', { id: 'schedule-rrule', name: 'rrule_custom', placeholder: 'e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', maxlength: 500, spellcheck: 'false', autocapitalize: 'characters' });
  const presets = h('div', { class: 'row choices', role: 'radiogroup', 'aria-label': 'Recurrence' },
    [...PRESETS, { value: 'custom', text: 'Custom rule' }].map((p, i) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'preset', value: p.value, checked: i === 1 }), p.text)));
  const customField = field('rrule_custom', 'Custom RFC 5545 rule', custom);
  // The recurrence's message shows whether a preset or a custom rule was sent.
  const ruleMessage = h('p', { class: 'field-error', id: 'schedule-rrule-message', role: 'alert', dataset: { for: 'rrule' } });
  custom.setAttribute('aria-describedby', ruleMessage.id);
  const id = crypto.randomUUID(); // one schedule, however often the form is sent
  const general = h('p', { class: 'message error', role: 'alert' });
  const form = h('form', { class: 'schedule-form', onsubmit: (event) => { event.preventDefault(); send(); } },
    h('div', { class: 'row' },
      field('template_id', 'Template', select('template_id', 'schedule-template', [['', 'Choose…'], ...templates.map((t) => [t.id, t.name])])),
      field('site_id', 'Site', select('site_id', 'schedule-site', [['', 'Choose…'], ...sites.map((s) => [s.id, s.name])])),
      auditorField(auditors),
      field('auditee_id', 'Auditee (optional)', select('auditee_id', 'schedule-auditee', [['', 'Nobody named'], ...people])),
      field('starts_on', 'Start day', h('input', { type: 'date', id: 'schedule-start', name: 'starts_on', value: dayIn(0) }))),
    h('fieldset', { class: 'recurrence' }, h('legend', {}, 'Recurrence'), presets, customField, ruleMessage),
    general,
    h('button', { class: 'button primary big', type: 'submit' }, 'Add to the programme'));
  const showCustom = () => { customField.hidden = form.querySelector('input[name=preset]:checked').value !== 'custom'; };
  presets.addEventListener('change', showCustom);
  showCustom();
  async function send() {
    const data = Object.fromEntries(new FormData(form));
    const rrule = data.preset === 'custom' ? data.rrule_custom.trim() : data.preset;
    const body = { id, template_id: data.template_id, site_id: idOrNull(data.site_id), auditor_id: idOrNull(data.auditor_id),
      rrule, starts_on: data.starts_on, ...(data.auditee_id ? { auditee_id: Number(data.auditee_id) } : {}) };
    clearProblem(form, general);
    try {
      await api.post('/api/audit-schedules', body);
      onAdded();
    } catch (error) {
      showProblem(form, general, error);
      form.querySelector('[aria-invalid=true]')?.focus();
    }
  }
  return form;
}

function startForm(lists) {
  const general = h('p', { class: 'message error', role: 'alert' });
  const id = crypto.randomUUID(); // one audit, however often the form is sent
  const form = h('form', { class: 'start-audit', onsubmit: async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    clearProblem(form, general);
    try {
      await api.post('/api/audits', { id, template_id: data.template_id, site_id: idOrNull(data.site_id) });
      location.hash = `#/desk/audit/${id}`;
    } catch (error) {
      showProblem(form, general, error);
    }
  } },
  h('div', { class: 'row' },
    field('template_id', 'Template', h('select', { name: 'template_id', id: 'start-template', required: true }, options([['', 'Choose…'], ...lists.templates.map((t) => [t.id, t.name])]))),
    field('site_id', 'Site', h('select', { name: 'site_id', id: 'start-site', required: true }, options([['', 'Choose…'], ...lists.sites.map((s) => [s.id, s.name])]))),
    h('button', { class: 'button primary', type: 'submit' }, 'Start an audit now')),
  general);
  return form;
}

function schedulesPanel(schedules, lists, refresh) {
  if (!schedules) return h('section', { class: 'panel wide-panel schedules' }, h('h3', {}, 'Schedules'), h('p', { class: 'message warn' }, 'The schedules could not be loaded. Try again in a moment.'));
  const names = {
    templates: new Map(lists.templates.map((t) => [t.id, t.name])),
    sites: new Map(lists.sites.map((s) => [s.id, s.name])),
    users: new Map(lists.users.map((u) => [u.id, u.name])),
  };
  return h('section', { class: 'panel wide-panel schedules' }, h('h3', {}, `Schedules (${schedules.length})`),
    schedulesTable(schedules, names, refresh),
    h('details', { class: 'override-box plan-box', open: !schedules.length }, h('summary', {}, 'Add a schedule'),
      scheduleForm(lists, refresh)));
}

// The auditor's choice: those holding a valid internal audit record first, then the others (the
// server refuses them, saying why, beside this box), so a missing training record is plain to see.
function auditorChoices(people, qualified) {
  const choose = h('option', { value: '' }, 'Choose…');
  const select = h('select', { name: 'auditor_id', id: 'schedule-auditor' }, choose);
  if (!qualified) {
    select.append(...options(people));
    return select;
  }
  const ids = new Set(qualified.map((q) => q.id));
  const group = (text, rows) => rows.length && h('optgroup', { label: text }, options(rows));
  select.append(...[group('Trained internal auditors', people.filter(([id]) => ids.has(id))),
    group('No valid internal audit record', people.filter(([id]) => !ids.has(id)))].filter(Boolean));
  return select;
}

function auditorField(select) {
  const wrap = field('auditor_id', auditorWord(), select);
  const hint = h('p', { class: 'hint', id: 'schedule-auditor-hint' },
    'Only people with a valid internal audit training record may audit: record it under People, Training.');
  select.setAttribute('aria-describedby', `${select.getAttribute('aria-describedby')} ${hint.id}`);
  select.after(hint);
  return wrap;
}

// params: the URL's query; onFilters(hash): the person changed the filters; isCurrent(): false
// once the person has left this screen.
export async function renderAudits(root, { params, onFilters = () => {}, isCurrent = () => true }) {
  let filters = filtersFrom(params);
  const [sites, templates, users, schedules, qualified] = await Promise.all([api.get('/api/sites'),
    api.get('/api/audit-templates').then((t) => pageOf(t).items.filter((x) => !x.archived)), api.get('/api/users').catch(() => []),
    // The programme still shows when the schedules cannot be had; their panel says so.
    api.get('/api/audit-schedules').then((s) => pageOf(s).items).catch((error) => { console.error('schedules not loaded', error); return null; }),
    api.get('/api/competences/qualified?module=internal_audit').catch(() => null)]);
  if (!isCurrent()) return;
  const lists = { sites, templates, users, qualified };
  const refresh = () => isCurrent() && renderAudits(root, { params: new URLSearchParams(filters), onFilters, isCurrent });
  const place = h('div', { class: 'programme' });
  const count = h('p', { class: 'hint', role: 'status' });
  let generation = 0;
  const change = (chosen) => {
    filters = chosen;
    history.replaceState(null, '', hashOf(filters));
    onFilters(hashOf(filters));
    load();
  };
  async function load() {
    const mine = ++generation;
    const audits = pageOf(await api.get(`/api/audits?${new URLSearchParams(queryFor(filters))}`)).items;
    if (mine !== generation || !isCurrent()) return; // newer filters have the say
    const shown = programmeOrder(audits.filter(wanted(filters)));
    views.querySelectorAll('a').forEach((a) => a.setAttribute('aria-current', String(a.dataset.view === (filters.view || 'list'))));
    if (filters.view === 'calendar') {
      place.replaceChildren(calendar(filters.month || thisMonth(), shown, (month) => change({ ...filters, month })));
      count.textContent = `${shown.length} audit(s) in ${monthTitle(filters.month || thisMonth())}`;
      return;
    }
    place.replaceChildren(shown.length ? auditTable(h('tbody', {}, shown.map(auditRow))) : h('p', { class: 'message info' }, 'No audits match these filters.'));
    count.textContent = shown.length ? `${shown.length} audit(s) shown` : '';
  }
  const viewLink = (view, text) => h('a', { class: 'button secondary view-toggle', href: '#', dataset: { view },
    onclick: (e) => { e.preventDefault(); const { month, ...rest } = filters; change(view === 'calendar' ? { ...rest, view, month: month || thisMonth() } : { ...rest }); } }, text);
  const views = h('div', { class: 'row view-toggles', role: 'group', 'aria-label': 'Show as' }, viewLink('list', 'List'), viewLink('calendar', 'Calendar'));
  root.replaceChildren(h('section', { class: 'screen desk audits-page' },
    h('div', { class: 'row spread' }, h('h2', {}, 'Audit programme'),
      h('a', { class: 'button secondary', href: '#/desk/templates' }, 'Templates')),
    h('div', { class: 'row spread programme-bar' }, filterForm(filters, sites, (chosen) => change({ ...chosen, ...(filters.view ? { view: filters.view } : {}), ...(filters.month ? { month: filters.month } : {}) })), views),
    count, place,
    h('section', { class: 'panel wide-panel' }, h('h3', {}, 'Start an audit now'),
      h('p', { class: 'hint' }, 'An unplanned audit, with you as its auditor.'), startForm(lists)),
    schedulesPanel(schedules, lists, refresh)));
  await load();
}
