// Objectives (ISO 45001, 14001 and 9001 clause 6.2): each with its target and its value for the
// last quarter beside the quarter before; a form to add one; and the monthly figures entered by
// hand (hours worked for an injury rate, the measured value for a figure of one's own).
import { api } from '../api.js';
import { h } from '../dom.js';
import { entries, label } from '../lists.js';
import { clearOnChange, field, options, requiredFilled, showProblem } from './desk-risk-parts.js';
import { figure, periodName, presets } from './desk-review-parts.js';

const pageOf = (answer) => (Array.isArray(answer) ? answer : answer.items ?? []);
const sign = (direction) => (direction === 'at_most' ? '≤' : '≥');
const withUnit = (value, unit) => (value === null || value === undefined ? '—' : `${figure(value)} ${unit || ''}`.trim());
const metWords = (met) => (met === true ? 'Yes' : met === false ? 'No' : 'n/a');

// The month before this one, as a month input takes it.
function lastMonth(today = new Date()) {
  const day = new Date(today.getFullYear(), today.getMonth() - 1, 1);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}`;
}

function table(objectives) {
  if (!objectives.length) return h('p', { class: 'hint no-objectives' }, 'No objectives yet.');
  const cell = (name, ...content) => h('td', { 'data-label': name }, ...content);
  return h('table', { class: 'queue objective-list' },
    h('thead', {}, h('tr', {}, ['Objective', 'Measured by', 'Site', 'Target', 'Last quarter', 'The quarter before', 'Met'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, objectives.map((o) => h('tr', { dataset: { id: o.id } },
      h('td', { class: 'what' }, h('strong', {}, o.title)),
      cell('Measured by', label('objective_measures', o.measure)),
      cell('Site', o.site?.name ?? 'All sites'),
      cell('Target', `${sign(o.direction)} ${withUnit(o.target, o.unit)}`),
      cell('Last quarter', withUnit(o.value, o.unit)),
      cell('The quarter before', withUnit(o.previous_value, o.unit)),
      cell('Met', h('span', { class: `met met-${o.met}` }, metWords(o.met)))))));
}

function addForm(sites, onAdded) {
  let id = crypto.randomUUID(); // one objective, however often the form is sent
  const general = h('p', { class: 'message error', role: 'alert' });
  const measures = entries('objective_measures');
  const unit = h('input', { id: 'objective-unit', name: 'unit', maxlength: 32 });
  const measure = h('select', { id: 'objective-measure', name: 'measure', required: true }, options([['', 'Choose…'], ...measures.map((m) => [m.value, m.label])]));
  measure.addEventListener('change', () => { unit.value = entries('objective_measures').find((m) => m.value === measure.value)?.unit ?? unit.value; });
  const form = h('form', { class: 'add-objective', novalidate: true, onsubmit: (event) => { event.preventDefault(); send(); } },
    h('div', { class: 'row' },
      field('title', 'Objective', h('input', { id: 'objective-title', name: 'title', maxlength: 200, required: true, placeholder: 'e.g. Actions closed on time' }), 'grow'),
      field('measure', 'Measured by', measure),
      field('site_id', 'Site', h('select', { id: 'objective-site', name: 'site_id' }, options([['', 'All sites'], ...sites.map((s) => [s.id, s.name])])))),
    h('div', { class: 'row' },
      field('direction', 'Met when the value is', h('select', { id: 'objective-direction', name: 'direction', required: true },
        options(entries('objective_directions').map((d) => [d.value, d.label])))),
      field('target', 'Target', h('input', { id: 'objective-target', name: 'target', type: 'number', step: 'any', required: true, inputmode: 'decimal' })),
      field('unit', 'Unit', unit)),
    general,
    h('button', { class: 'button primary big', type: 'submit' }, 'Add the objective'));
  clearOnChange(form);
  async function send() {
    if (!requiredFilled(form, general)) return;
    const data = Object.fromEntries(new FormData(form));
    const body = { id, title: data.title.trim(), measure: data.measure, direction: data.direction, target: Number(data.target), unit: data.unit.trim(), site_id: data.site_id ? Number(data.site_id) : null };
    try {
      await api.post('/api/objectives', body);
      id = crypto.randomUUID();
      onAdded(`Objective added: ${body.title}.`, null);
    } catch (error) {
      showProblem(form, general, error);
    }
  }
  return form;
}

// A month's figure of an objective measured by hand: hours worked, or the value itself.
function figureForm(objectives, onSaved) {
  const byHand = objectives.filter((o) => o.hand_entered);
  if (!byHand.length) return h('p', { class: 'hint' }, 'No objective here takes figures by hand (an injury rate takes the hours worked each month).');
  const general = h('p', { class: 'message error', role: 'alert' });
  const which = h('select', { id: 'figure-objective', name: 'objective', required: true }, options(byHand.map((o) => [o.id, o.title])));
  const valueLabel = h('label', { for: 'figure-value' });
  const wording = () => {
    const chosen = byHand.find((o) => o.id === which.value);
    valueLabel.textContent = chosen?.measure === 'injury_rate' ? 'Hours worked in the month' : `The month’s figure${chosen?.unit ? ` (${chosen.unit})` : ''}`;
  };
  which.addEventListener('change', wording);
  wording();
  const value = h('input', { id: 'figure-value', name: 'value', type: 'number', step: 'any', min: 0, required: true, inputmode: 'decimal' });
  const month = h('input', { id: 'figure-month', name: 'month', type: 'month', required: true, value: lastMonth() });
  const form = h('form', { class: 'objective-figure', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!requiredFilled(form, general)) return;
    try {
      await api.put(`/api/objectives/${which.value}/figures/${month.value}`, { value: Number(value.value) });
      onSaved(`Figure saved: ${which.selectedOptions[0].textContent}, ${month.value}: ${figure(Number(value.value))}.`, 'figures');
    } catch (error) {
      showProblem(form, general, error);
    }
  } },
  h('div', { class: 'row' }, field('objective', 'Objective', which, 'grow'), field('month', 'Month', month),
    h('div', { class: 'filter field', dataset: { field: 'value' } }, valueLabel, value, h('p', { class: 'field-error', role: 'alert', dataset: { for: 'value' } }))),
  general,
  h('button', { class: 'button primary big', type: 'submit' }, 'Save the figure'));
  clearOnChange(form);
  return form;
}

// The objectives panel of the reviews page; it draws itself again after each change, saying
// what changed (notice) and keeping open the box the change was made in (open).
export async function objectivesPanel(sites, isCurrent = () => true) {
  const quarter = presets().quarter;
  const panel = h('section', { class: 'panel wide-panel objectives-panel', id: 'objectives' });
  const draw = async (notice = null, open = null) => {
    const objectives = pageOf(await api.get(`/api/objectives?from=${quarter.start}&to=${quarter.end}`));
    if (!isCurrent()) return;
    panel.replaceChildren(...[h('h3', {}, 'Objectives'),
      h('p', { class: 'hint' }, `Values for the last quarter (${periodName(quarter.start, quarter.end)}) beside the quarter before.`),
      notice ? h('p', { class: 'message info objective-notice', role: 'status' }, notice) : null,
      table(objectives),
      h('details', { class: 'override-box add-objective-box', open: open === 'add' }, h('summary', {}, 'Add an objective'), addForm(sites, draw)),
      h('details', { class: 'override-box figures-box', open: open === 'figures' }, h('summary', {}, 'Enter a monthly figure'), figureForm(objectives, draw))]
      .filter(Boolean));
  };
  await draw();
  return panel;
}
