// The risk and opportunity register (ISO 45001, 14001 and 9001 clause 6.1): every entry with its
// inherent and residual band, controls by level, owner and review day; filtered by site, kind,
// residual band and review due (kept in the URL); an entry added; CSV out and in.
import { api, ApiError, Offline } from '../api.js';
import { dayIn, dayLabel, dueText } from '../days.js';
import { h } from '../dom.js';
import { entries, label } from '../lists.js';
import {
  clearOnChange, controlsEditor, field, flatErrors, idOrNull, options, ratingPicker, requiredFilled, showProblem,
} from './desk-risk-parts.js';
import { bandChip, controlsByLevel, kindTag, levelWord } from './site-risks.js';

const FILTERS = ['site_id', 'kind', 'band', 'review_due', 'q'];
const REVIEW_AHEAD_DAYS = 365;

const filtersFrom = (query) => Object.fromEntries(FILTERS.filter((k) => query.get(k)).map((k) => [k, query.get(k)]));
const hashOf = (filters) => {
  const search = new URLSearchParams(filters).toString();
  return `#/desk/risks${search ? `?${search}` : ''}`;
};
const pageOf = (answer) => (Array.isArray(answer) ? { items: answer, next_cursor: null } : answer);
const choices = (name) => entries(name).map((e) => [e.value, e.label]);

// The review day with a badge: overdue (red), due (a reason or the day has come), else how far.
export function reviewCell(risk) {
  const reason = risk.review_reason ? label('risk_review_reasons', risk.review_reason) : null;
  return h('div', { class: 'review-cell' }, dayLabel(risk.review_on),
    risk.review_overdue ? h('span', { class: 'flag late' }, dueText(risk.review_on))
      : risk.review_due ? h('span', { class: 'flag soon', title: reason ?? '' }, 'Review due') : null,
    reason ? h('div', { class: 'hint review-why' }, reason) : null);
}

// "2 Engineering · 1 PPE": how many controls at each level, most effective first.
function levelCounts(controls) {
  const groups = controlsByLevel(controls);
  if (!groups.length) return h('span', { class: 'hint none-yet' }, 'None');
  return h('ul', { class: 'level-counts', 'aria-label': `${controls.length} control(s)` }, groups.map(({ level, items }) => h('li', { class: `level-${level.value}`, title: level.label },
    h('b', {}, String(items.length)), ` ${levelWord(level.value)}`)));
}

function row(risk) {
  const cell = (name, cls, ...content) => h('td', { class: cls, 'data-label': name }, ...content);
  return h('tr', { dataset: { id: risk.id, ref: risk.ref, due: String(Boolean(risk.review_due)) } },
    cell('Ref', 'nowrap ref', h('a', { href: `#/desk/risk/${risk.id}` }, risk.ref), kindTag(risk.kind)),
    cell('Site', 'wraps', risk.site_name ?? ''),
    cell('Activity', 'what', h('a', { href: `#/desk/risk/${risk.id}` }, risk.activity)),
    cell('Hazard or benefit', 'hazard', h('span', { class: 'clamp' }, risk.hazard), h('div', { class: 'hint' }, risk.who)),
    cell('Inherent', 'nowrap', bandChip(risk.inherent?.band)),
    cell('Residual', 'nowrap', bandChip(risk.residual?.band)),
    cell('Controls', 'nowrap', levelCounts(risk.controls || [])),
    cell('Owner', 'wraps', risk.owner?.name ?? '—'),
    cell('Review', 'wraps', reviewCell(risk)));
}

function filterForm(filters, sites, onChange) {
  const select = (name, text, items) => h('label', { class: 'filter' }, text, h('select', { name }, options(items, filters[name] ?? '')));
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); onChange(read()); } },
    h('label', { class: 'filter wide' }, 'Search', h('input', { name: 'q', type: 'search', value: filters.q || '', placeholder: 'Words in the activity, hazard or who' })),
    select('site_id', 'Site', [['', 'All sites'], ...sites.map((s) => [s.id, s.name])]),
    select('kind', 'Kind', [['', 'Any kind'], ...choices('risk_kinds')]),
    // Most severe first.
    select('band', 'Residual band', [['', 'Any band'], ...choices('risk_bands').reverse()]),
    h('label', { class: 'filter check' }, h('input', { type: 'checkbox', name: 'review_due', value: 'true', checked: filters.review_due === 'true' }), 'Review due only'),
    h('button', { class: 'button primary', type: 'submit' }, 'Apply'));
  form.addEventListener('change', () => onChange(read()));
  function read() {
    return Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));
  }
  return form;
}

// The form for a new entry; onAdded(entry) once the server holds it.
function addForm({ sites, users }, onAdded) {
  let id = crypto.randomUUID(); // one entry, however often the form is sent
  const general = h('p', { class: 'message error', role: 'alert' });
  const input = (name, attrs = {}) => h('input', { id: `risk-${name}`, name, maxlength: 200, required: true, ...attrs });
  const hazard = h('textarea', { id: 'risk-hazard', name: 'hazard', rows: 2, maxlength: 5000, required: true, 'aria-describedby': 'risk-hazard-error' });
  const hazardLabel = h('span', {}, 'Hazard: what could cause harm');
  const kinds = h('div', { class: 'row choices', role: 'radiogroup', 'aria-label': 'Kind' },
    entries('risk_kinds').map((e, i) => h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'kind', value: e.value, checked: i === 0 }), e.label)));
  const controls = controlsEditor('risk');
  const people = users.map((u) => [u.id, `${u.name} (${label('roles', u.role)})`]);
  const form = h('form', { class: 'risk-form add-risk', novalidate: true, onsubmit: (event) => { event.preventDefault(); send(); } },
    kinds,
    h('div', { class: 'row' },
      field('site_id', 'Site', h('select', { id: 'risk-site', name: 'site_id', required: true }, options([['', 'Choose…'], ...sites.map((s) => [s.id, s.name])]))),
      field('activity', 'Activity or task', input('activity', { placeholder: 'e.g. Loading trailers at bay 3' }), 'grow'),
      field('category', 'Category (for report suggestions)', h('select', { id: 'risk-category', name: 'category' }, options([['', 'None'], ...choices('triage_categories')])))),
    h('div', { class: 'row' },
      h('div', { class: 'filter field grow', dataset: { field: 'hazard' } }, h('label', { for: 'risk-hazard' }, hazardLabel), hazard,
        h('p', { class: 'field-error', id: 'risk-hazard-error', role: 'alert', dataset: { for: 'hazard' } })),
      field('who', 'Who could be affected', input('who', { placeholder: 'e.g. Drivers, banksmen, visitors' }), 'grow')),
    h('div', { class: 'row ratings-row' }, ratingPicker('risk-inherent', { severity: 'severity', likelihood: 'likelihood' }, 'Inherent: before the controls'),
      ratingPicker('risk-residual', { severity: 'residual_severity', likelihood: 'residual_likelihood' }, 'Residual: with the controls in place')),
    controls.element,
    h('div', { class: 'row' },
      field('owner_id', 'Owner', h('select', { id: 'risk-owner', name: 'owner_id', required: true }, options([['', 'Choose…'], ...people]))),
      field('review_on', 'Next review', h('input', { id: 'risk-review', name: 'review_on', type: 'date', required: true, value: dayIn(REVIEW_AHEAD_DAYS) }))),
    general,
    h('button', { class: 'button primary big', type: 'submit' }, 'Add to the register'));
  clearOnChange(form);
  kinds.addEventListener('change', () => {
    const opportunity = form.querySelector('input[name=kind]:checked').value === 'opportunity';
    hazardLabel.textContent = opportunity ? 'Benefit: what could be gained' : 'Hazard: what could cause harm';
  });
  async function send() {
    const data = Object.fromEntries(new FormData(form));
    const number = (name) => idOrNull(data[name]);
    const body = {
      id, site_id: number('site_id'), kind: data.kind, activity: data.activity.trim(), hazard: data.hazard.trim(), who: data.who.trim(),
      category: data.category || null, severity: number('severity'), likelihood: number('likelihood'), controls: controls.read(),
      residual_severity: number('residual_severity'), residual_likelihood: number('residual_likelihood'),
      owner_id: number('owner_id'), review_on: data.review_on,
    };
    if (!requiredFilled(form, general)) return;
    try {
      const added = await api.post('/api/risks', body);
      id = crypto.randomUUID();
      onAdded(added);
    } catch (error) {
      showProblem(form, general, error);
    }
  }
  return form;
}

// POST the file as CSV, all rows or none: its own bytes, so that a file not saved as UTF-8 gets
// the server's message rather than arriving garbled.
async function importCsv(file) {
  let response;
  try {
    response = await fetch('/api/risks/import', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'text/csv' }, body: file });
  } catch {
    throw new Offline();
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, answer);
  return answer;
}

// The refused rows as [{row, field, message}], from the problem's errors by row and column
// ({"row 3": {"severity": [...]}}); a problem of the whole file has no row.
export function rowProblems(problem) {
  const rows = flatErrors(problem.errors || {}).map(([name, message]) => {
    const [first, ...rest] = name.split('.');
    const row = /^(?:row )?(\d+)$/.exec(first)?.[1];
    return row ? { row: Number(row), field: rest.join('.'), message } : { row: null, field: name, message };
  });
  return rows.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

function problemsTable(problems) {
  return h('table', { class: 'queue import-errors' },
    h('caption', {}, `${problems.length} problem(s): nothing was imported. Correct the file and import it again.`),
    h('thead', {}, h('tr', {}, ['Row', 'Column', 'Problem'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, problems.map((p) => h('tr', {}, h('td', { class: 'nowrap num' }, p.row === null ? 'File' : String(p.row)),
      h('td', { class: 'nowrap' }, p.field ? h('code', {}, p.field) : '—'), h('td', {}, p.message)))));
}

function csvPanel(filters, onImported) {
  const result = h('div', { class: 'import-result', 'aria-live': 'polite' });
  const file = h('input', { id: 'risk-csv', type: 'file', accept: '.csv,text/csv' });
  const exportQuery = new URLSearchParams(Object.fromEntries(Object.entries(filters).filter(([k]) => k === 'site_id' || k === 'kind'))).toString();
  const send = async () => {
    const chosen = file.files[0];
    if (!chosen) { result.replaceChildren(h('p', { class: 'message error' }, 'Choose a CSV file first.')); return; }
    result.replaceChildren(h('p', { class: 'hint' }, `Importing ${chosen.name}…`));
    try {
      const answer = await importCsv(chosen);
      const { created = 0, reviewed = 0, unchanged = 0 } = answer;
      result.replaceChildren(h('p', { class: 'message info import-done', role: 'status' },
        `Imported ${chosen.name}: ${created} new, ${reviewed} reviewed, ${unchanged} unchanged.`));
      file.value = ''; // the same file chosen again fires a change
      onImported();
    } catch (error) {
      const problems = error instanceof ApiError ? rowProblems(error.problem) : [];
      result.replaceChildren(h('p', { class: 'message error' }, error.message), ...(problems.length ? [problemsTable(problems)] : []));
    }
  };
  return h('section', { class: 'panel wide-panel csv-panel' }, h('h3', {}, 'Spreadsheet'),
    h('div', { class: 'row csv-row' },
      h('a', { class: 'button secondary', href: `/api/risks/export.csv${exportQuery ? `?${exportQuery}` : ''}`, download: '' }, 'Export CSV'),
      h('div', { class: 'filter' }, h('label', { for: 'risk-csv' }, 'Import a CSV file (the export’s columns)'), file),
      h('button', { class: 'button primary', type: 'button', onclick: send }, 'Import')),
    h('p', { class: 'hint' }, 'An import adds every row or none: a file with a problem in any row changes nothing.'),
    result);
}

// params: the URL's query; onFilters(hash): the person changed the filters; isCurrent(): false
// once the person has left this screen.
export async function renderRisks(root, { params, onFilters = () => {}, isCurrent = () => true, added = null }) {
  let filters = filtersFrom(params);
  const [sites, users] = await Promise.all([api.get('/api/sites'), api.get('/api/users').catch(() => [])]);
  if (!isCurrent()) return;
  const again = (justAdded = null) => isCurrent() && renderRisks(root, { params: new URLSearchParams(filters), onFilters, isCurrent, added: justAdded });
  const body = h('tbody');
  const count = h('p', { class: 'hint', role: 'status' });
  const more = h('button', { class: 'button secondary', type: 'button', hidden: true }, 'Load more');
  let cursor = null;
  let generation = 0;
  async function load(reset) {
    const mine = reset ? ++generation : generation;
    const query = new URLSearchParams({ ...filters, limit: 100, ...(reset || !cursor ? {} : { cursor }) });
    const page = pageOf(await api.get(`/api/risks?${query}`));
    if (mine !== generation || !isCurrent()) return; // newer filters have the say
    if (reset) body.replaceChildren();
    body.append(...page.items.map(row));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    const n = body.children.length;
    count.textContent = n ? `${n} entr${n === 1 ? 'y' : 'ies'} shown${cursor ? ', more below' : ''}` : 'No entries match these filters.';
  }
  more.addEventListener('click', () => load(false));
  const empty = !Object.keys(filters).length;
  root.replaceChildren(h('section', { class: 'screen desk risks-page' },
    h('div', { class: 'row spread' }, h('h2', {}, 'Risk and opportunity register'),
      h('a', { class: 'button secondary', href: '#/site-risks' }, 'As workers see it')),
    added ? h('p', { class: 'message info added-note', role: 'status' }, 'Added to the register: ',
      h('a', { href: `#/desk/risk/${added.id}` }, `${added.ref} ${added.activity}`), '.') : null,
    filterForm(filters, sites, (chosen) => {
      filters = chosen;
      history.replaceState(null, '', hashOf(filters));
      onFilters(hashOf(filters));
      load(true);
    }),
    count,
    h('table', { class: 'queue risk-list' },
      h('thead', {}, h('tr', {}, ['Ref', 'Site', 'Activity', 'Hazard or benefit', 'Inherent', 'Residual', 'Controls', 'Owner', 'Review'].map((c) => h('th', { scope: 'col' }, c)))),
      body),
    more,
    h('details', { class: 'panel wide-panel override-box add-box', open: false }, h('summary', {}, 'Add an entry'), addForm({ sites, users }, again)),
    csvPanel(filters, () => load(true))));
  await load(true);
  if (empty && !body.children.length && isCurrent()) root.querySelector('.add-box').open = true;
}
