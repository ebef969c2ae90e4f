// Leadership's outputs of a review: attendees, decisions and notes (saved while a draft), the
// actions that become tracked actions with an owner and a due day, and holding the review, which
// freezes it. A held review shows its outputs to read only.
import { api } from '../api.js';
import { dayIn } from '../days.js';
import { confirmDialog, h } from '../dom.js';
import { label } from '../lists.js';
import { clearOnChange, field, options, requiredFilled, showProblem } from './desk-risk-parts.js';
import { dayName } from './desk-review-parts.js';

const lines = (text) => text.split('\n').map((line) => line.trim()).filter(Boolean);

function actionsTable(review) {
  const actions = review.outputs?.actions || [];
  const sites = new Map((review.sites || []).map((s) => [s.id, s.name]));
  if (!actions.length) return h('p', { class: 'hint', dataset: { empty: 'actions' } }, 'No actions recorded yet.');
  const cell = (name, ...content) => h('td', { 'data-label': name }, ...content);
  return h('table', { class: 'queue review-actions' },
    h('thead', {}, h('tr', {}, ['Action', 'Owner', 'Due', 'Site', 'Status'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, actions.map((a) => h('tr', { dataset: { id: a.id } },
      cell('Action', h('strong', {}, a.title)), cell('Owner', a.owner?.name ?? '—'), cell('Due', dayName(a.due_on)),
      cell('Site', sites.get(a.site_id) ?? '—'), cell('Status', h('span', { class: `action-status status-${a.status}` }, label('action_statuses', a.status)))))));
}

// The decisions as rows of text, one more added on demand; read() gives [{text}] of those filled.
function decisionsEditor(start) {
  const list = h('ol', { class: 'decisions-edit' });
  let made = 0;
  // Each row's words say its place: "Decision 2", "Remove decision 2".
  const renumber = () => [...list.children].forEach((item, i) => {
    item.querySelector('label').textContent = `Decision ${i + 1}`;
    item.querySelector('button').setAttribute('aria-label', `Remove decision ${i + 1}`);
  });
  const row = (text = '') => {
    made += 1;
    const input = h('textarea', { id: `decision-${made}`, class: 'decision-text', rows: 2, maxlength: 2000 }, text);
    const item = h('li', { class: 'decision-row' }, h('label', { for: input.id }), input,
      h('button', { class: 'button secondary', type: 'button', onclick: () => { item.remove(); renumber(); } }, 'Remove'));
    list.append(item);
    renumber();
    return item;
  };
  (start.length ? start : [{ text: '' }]).forEach((d) => row(d.text));
  const add = h('button', { class: 'button secondary', type: 'button', onclick: () => row().querySelector('textarea').focus() }, 'Add a decision');
  const read = () => [...list.querySelectorAll('textarea')].map((t) => ({ text: t.value.trim() })).filter((d) => d.text);
  return { element: h('fieldset', { class: 'decisions field', dataset: { field: 'decisions' } }, h('legend', {}, 'Decisions'), list, add,
    h('p', { class: 'field-error', role: 'alert', dataset: { for: 'decisions' } })), read };
}

function outputsForm(review, onSaved) {
  const outputs = review.outputs || {};
  const general = h('p', { class: 'message error', role: 'alert' });
  const done = h('p', { class: 'message info', role: 'status' });
  const attendees = h('textarea', { id: 'review-attendees', name: 'attendees', rows: 4, maxlength: 4000 }, (outputs.attendees || []).join('\n'));
  const notes = h('textarea', { id: 'review-notes', name: 'notes', rows: 3, maxlength: 10000 }, outputs.notes || '');
  const decisions = decisionsEditor(outputs.decisions || []);
  const form = h('form', { class: 'review-outputs', novalidate: true, onsubmit: (event) => { event.preventDefault(); save(); } },
    field('attendees', 'Attendees (one a line, with their role)', attendees, 'grow'),
    decisions.element,
    field('notes', 'Notes', notes, 'grow'),
    general, done,
    h('button', { class: 'button primary big', type: 'submit' }, 'Save the outputs'));
  clearOnChange(form);
  const body = () => ({ attendees: lines(attendees.value), decisions: decisions.read(), notes: notes.value.trim() });
  async function save(quiet = false) {
    done.textContent = '';
    try {
      await api.patch(`/api/reviews/${review.id}`, body());
      if (!quiet) done.textContent = 'Outputs saved.';
      onSaved();
      return true;
    } catch (error) {
      showProblem(form, general, error);
      return false;
    }
  }
  return { form, save };
}

function actionForm(review, { users, sites }, onAdded) {
  let id = crypto.randomUUID(); // one action, however often the form is sent
  const general = h('p', { class: 'message error', role: 'alert' });
  const inScope = review.sites?.length ? review.sites : sites;
  const people = users.filter((u) => u.active !== false).map((u) => [u.id, `${u.name} (${label('roles', u.role)})`]);
  const form = h('form', { class: 'review-action', novalidate: true, onsubmit: (event) => { event.preventDefault(); send(); } },
    h('div', { class: 'row' },
      field('title', 'What is to be done', h('input', { id: 'review-action-title', name: 'title', maxlength: 200, required: true }), 'grow'),
      field('owner_id', 'Owner', h('select', { id: 'review-action-owner', name: 'owner_id', required: true }, options([['', 'Choose…'], ...people]))),
      field('due_on', 'Due', h('input', { id: 'review-action-due', name: 'due_on', type: 'date', required: true, value: dayIn(30), min: dayIn(0) })),
      field('site_id', 'Site', h('select', { id: 'review-action-site', name: 'site_id', required: true }, options([['', 'Choose…'], ...inScope.map((s) => [s.id, s.name])], inScope.length === 1 ? inScope[0].id : '')))),
    general,
    h('button', { class: 'button primary big', type: 'submit' }, 'Add the action'));
  clearOnChange(form);
  async function send() {
    if (!requiredFilled(form, general)) return;
    const data = Object.fromEntries(new FormData(form));
    const body = { id, title: data.title.trim(), owner_id: Number(data.owner_id), due_on: data.due_on, site_id: Number(data.site_id) };
    try {
      const added = await api.post(`/api/reviews/${review.id}/actions`, body);
      const owner = users.find((u) => u.id === body.owner_id);
      onAdded({ ...body, status: 'open', owner: owner && { id: owner.id, name: owner.name }, ...(added || {}) });
      id = crypto.randomUUID();
      form.reset();
      form.querySelector('input[name=due_on]').value = dayIn(30);
      form.querySelector('input[name=title]').focus();
    } catch (error) {
      showProblem(form, general, error);
    }
  }
  return form;
}

function holdPanel(review, saveOutputs, onHeld) {
  const general = h('p', { class: 'message error', role: 'alert' });
  const day = h('input', { id: 'review-held-on', name: 'held_on', type: 'date', required: true, value: dayIn(0), max: dayIn(0) });
  const form = h('form', { class: 'hold-form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const ok = await confirmDialog('Hold the review?', 'Its inputs are frozen as they stand and its outputs can no longer change.', 'Hold the review', 'Not yet');
    if (!ok || !(await saveOutputs(true))) return;
    try {
      await api.post(`/api/reviews/${review.id}/hold`, { held_on: day.value });
      onHeld();
    } catch (error) {
      showProblem(form, general, error);
    }
  } },
  h('div', { class: 'row' }, field('held_on', 'Held on', day), h('button', { class: 'button danger big', type: 'submit' }, 'Hold the review')),
  general);
  return h('section', { class: 'panel wide-panel hold-panel' }, h('h3', {}, 'Hold the review'),
    h('p', { class: 'hint' }, 'When leadership has met: the attendees and at least one decision are needed. The outputs above are saved first.'), form);
}

function heldOutputs(review) {
  const outputs = review.outputs || {};
  return [
    h('h4', {}, 'Attendees'), h('ul', { class: 'attendees' }, (outputs.attendees || []).map((a) => h('li', {}, a))),
    h('h4', {}, 'Decisions'), h('ol', { class: 'decisions' }, (outputs.decisions || []).map((d) => h('li', {}, d.text))),
    outputs.notes ? [h('h4', {}, 'Notes'), h('p', { class: 'text' }, outputs.notes)] : null,
  ];
}

// The outputs' panels: editable while a draft, read only once held. refresh() draws the page again.
export function outputPanels(review, people, refresh) {
  const held = review.status === 'held';
  const title = h('h3', {}, 'Outputs: decisions and actions');
  if (held) {
    return [h('section', { class: 'panel wide-panel review-outputs-panel', dataset: { held: 'true' } }, title, ...heldOutputs(review),
      h('h4', {}, 'Actions'), actionsTable(review))];
  }
  const outputs = outputsForm(review, () => {});
  const listed = h('div', { class: 'actions-list', 'aria-live': 'polite' }, actionsTable(review));
  // A new action joins the list in place: what is typed in the outputs above stays.
  const added = (action) => {
    review.outputs = { ...review.outputs, actions: [...(review.outputs?.actions || []), action] };
    listed.replaceChildren(actionsTable(review));
  };
  return [
    h('section', { class: 'panel wide-panel review-outputs-panel' }, title, outputs.form),
    h('section', { class: 'panel wide-panel review-actions-panel' }, h('h3', {}, 'Actions'), listed,
      h('details', { class: 'override-box add-action-box', open: !(review.outputs?.actions || []).length }, h('summary', {}, 'Add an action'),
        actionForm(review, people, added))),
    holdPanel(review, outputs.save, refresh),
  ];
}
