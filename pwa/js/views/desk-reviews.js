// Management reviews: those held and those in draft, newest period first; a form to open one for
// a period (last quarter, half-year, year, or days of one's choosing) and sites; the objectives
// the reviews measure; and the way to the exports and the evidence bundle.
import { api } from '../api.js';
import { h } from '../dom.js';
import { clearOnChange, field, requiredFilled, showProblem } from './desk-risk-parts.js';
import { objectivesPanel } from './desk-objectives.js';
import { dayName, periodName, presets, reviewStatus } from './desk-review-parts.js';

const pageOf = (answer) => (Array.isArray(answer) ? answer : answer.items ?? []);

function list(reviews) {
  if (!reviews.length) return h('p', { class: 'hint no-reviews' }, 'No management review yet: open the first one below.');
  const cell = (name, ...content) => h('td', { 'data-label': name }, ...content);
  return h('table', { class: 'queue review-list' },
    h('thead', {}, h('tr', {}, ['Review', 'Period', 'Sites', 'Status', 'Held on'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, reviews.map((r) => h('tr', { dataset: { id: r.id, status: r.status } },
      h('td', { class: 'what' }, h('a', { href: `#/desk/review/${r.id}` }, r.title)),
      cell('Period', periodName(r.period_start, r.period_end)),
      cell('Sites', (r.sites || []).map((s) => s.name).join(', ') || 'Every site'),
      cell('Status', reviewStatus(r.status)),
      cell('Held on', r.held_on ? dayName(r.held_on) : '—')))));
}

// The period: a preset fills both days; "Days of my choosing" lets them be typed.
function periodPicker() {
  const chosen = presets();
  const start = h('input', { id: 'review-start', name: 'period_start', type: 'date', required: true, value: chosen.quarter.start });
  const end = h('input', { id: 'review-end', name: 'period_end', type: 'date', required: true, value: chosen.quarter.end });
  const choice = (value, text, checked = false) => h('label', { class: 'choice big-choice' },
    h('input', { type: 'radio', name: 'preset', value, checked }), text);
  const group = h('div', { class: 'row choices', role: 'radiogroup', 'aria-label': 'Period' },
    ...Object.entries(chosen).map(([key, p], i) => choice(key, `${p.text} (${periodName(p.start, p.end)})`, i === 0)),
    choice('custom', 'Days of my choosing'));
  const custom = () => group.querySelector('input:checked').value === 'custom';
  const sync = () => {
    const preset = chosen[group.querySelector('input:checked').value];
    if (preset) { start.value = preset.start; end.value = preset.end; }
    start.readOnly = end.readOnly = !custom();
  };
  group.addEventListener('change', () => { sync(); if (custom()) start.focus(); });
  sync();
  return h('fieldset', { class: 'period-picker' }, h('legend', {}, 'Period'), group,
    h('div', { class: 'row' }, field('period_start', 'From', start), field('period_end', 'To (inclusive)', end)));
}

function openForm(sites) {
  const id = crypto.randomUUID(); // one review, however often the form is sent
  const general = h('p', { class: 'message error', role: 'alert' });
  const boxes = sites.map((s) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'site_ids', value: s.id }), s.name));
  const form = h('form', { class: 'open-review', novalidate: true, onsubmit: (event) => { event.preventDefault(); send(); } },
    periodPicker(),
    h('fieldset', { class: 'sites-picker field', dataset: { field: 'site_ids' } }, h('legend', {}, 'Sites (none ticked: every site)'),
      h('div', { class: 'row choices' }, boxes), h('p', { class: 'field-error', role: 'alert', dataset: { for: 'site_ids' } })),
    field('title', 'Title (optional: made from the period when left empty)', h('input', { id: 'review-title', name: 'title', maxlength: 200, placeholder: 'e.g. Management review 2026 Q3' }), 'grow'),
    general,
    h('button', { class: 'button primary big', type: 'submit' }, 'Open the review'));
  clearOnChange(form);
  async function send() {
    if (!requiredFilled(form, general)) return;
    const data = new FormData(form);
    const body = { id, period_start: data.get('period_start'), period_end: data.get('period_end'), site_ids: data.getAll('site_ids').map(Number) };
    if (data.get('title').trim()) body.title = data.get('title').trim();
    try {
      const review = await api.post('/api/reviews', body);
      location.hash = `#/desk/review/${review.id ?? id}`;
    } catch (error) {
      showProblem(form, general, error);
    }
  }
  return form;
}

// isCurrent(): false once the officer has left this screen.
export async function renderReviews(root, { isCurrent = () => true }) {
  const [reviews, sites] = await Promise.all([api.get('/api/reviews').then(pageOf), api.get('/api/sites')]);
  if (!isCurrent()) return;
  const drafts = reviews.filter((r) => r.status !== 'held');
  root.replaceChildren(h('section', { class: 'screen desk reviews-page' },
    h('div', { class: 'row spread' }, h('h2', {}, 'Management reviews'),
      h('a', { class: 'button secondary big', href: '#/desk/exports' }, 'Exports and evidence')),
    h('p', { class: 'hint' }, `${reviews.length - drafts.length} held, ${drafts.length} in draft. A review gathers the figures of ISO 45001 clause 9.3 for leadership, and records their decisions and actions.`),
    list(reviews),
    h('details', { class: 'panel wide-panel override-box open-review-box', open: !reviews.length }, h('summary', {}, 'Open a new review'), openForm(sites)),
    await objectivesPanel(sites, isCurrent)));
}
