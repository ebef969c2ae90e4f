// The template editor: name, standard, sections and their questions (text, guidance, weight,
// evidence on NC, the controlled document to check against); questions added, removed and moved; saved whole with PUT. Saving a version an
// audit has run makes a new version, and the screen says so before and after.
import { api } from '../api.js';
import { h } from '../dom.js';
import { entries, label } from '../lists.js';
import { clearProblem, options, showProblem } from './desk-audit-parts.js';

const blankQuestion = (section) => ({ id: null, ref: `${section.ref}.${section.questions.length + 1}`, text: '', guidance: '', weight: 1, evidence_on_nc: false, document_id: null });

// The template's content as PUT takes it (ids kept: answers stay comparable across versions).
const contentOf = (draft) => ({
  name: draft.name.trim(),
  standard: draft.standard,
  sections: draft.sections.map((s) => ({
    ref: s.ref.trim(), title: s.title.trim(),
    questions: s.questions.map((q) => ({ ...(q.id ? { id: q.id } : {}), ref: q.ref.trim(), text: q.text.trim(), guidance: q.guidance?.trim() ?? '', weight: Number(q.weight) || 1, evidence_on_nc: Boolean(q.evidence_on_nc), document_id: q.document_id || null })),
  })),
});

// A box bound to one property of an object; its field message goes by the body's dotted path.
function bound(object, key, path, text, control, cls = '') {
  control.id = `f-${path.replaceAll('.', '-')}`;
  control.addEventListener('input', () => { object[key] = control.type === 'checkbox' ? control.checked : control.value; });
  if (control.type === 'checkbox') control.checked = Boolean(object[key]);
  else control.value = object[key] ?? '';
  const message = h('p', { class: 'field-error', id: `${control.id}-error`, role: 'alert', dataset: { for: path } });
  control.setAttribute('aria-describedby', message.id);
  return h('div', { class: `field ${cls}`, dataset: { field: path } },
    control.type === 'checkbox' ? h('label', { class: 'choice', for: control.id }, control, text) : [h('label', { for: control.id }, text), control],
    message);
}

// The document box's choices: "No document", the approved documents, and the one the question
// names now whatever its state (a withdrawn one stays named until changed).
function documentOptions(documents, named) {
  const approved = documents.filter((d) => d.status === 'approved');
  const current = named && !approved.some((d) => d.id === named) ? documents.find((d) => d.id === named) ?? { id: named, code: 'The document named now', title: '' } : null;
  const text = (d) => `${`${d.code} ${d.title}`.trim()}${d.status && d.status !== 'approved' ? ` (${label('document_statuses', d.status)})` : ''}`;
  return [h('option', { value: '' }, 'No document'), ...[...approved, current].filter(Boolean).map((d) => h('option', { value: d.id }, text(d)))];
}

function questionCard(draft, si, qi, redraw, documents) {
  const section = draft.sections[si];
  const q = section.questions[qi];
  const path = `sections.${si}.questions.${qi}`;
  const move = (by) => {
    const [moved] = section.questions.splice(qi, 1);
    section.questions.splice(qi + by, 0, moved);
    redraw(`sections.${si}.questions.${qi + by}`);
  };
  const tool = (text, aria, onclick, disabled = false, cls = 'secondary') => h('button', { class: `button small-dark ${cls}`, type: 'button', 'aria-label': aria, onclick, disabled }, text);
  return h('li', { class: 'question-edit', dataset: { path, id: q.id ?? '' } },
    h('div', { class: 'row question-top' },
      bound(q, 'ref', `${path}.ref`, 'Ref', h('input', { maxlength: 32, required: true }), 'ref-field'),
      bound(q, 'weight', `${path}.weight`, 'Weight (1–10)', h('input', { type: 'number', min: 1, max: 10, step: 1, required: true }), 'weight-field'),
      bound(q, 'evidence_on_nc', `${path}.evidence_on_nc`, 'Photo needed on an NC', h('input', { type: 'checkbox' }), 'evidence-field'),
      h('div', { class: 'row question-tools' },
        tool('↑', `Move question ${q.ref} up`, () => move(-1), qi === 0),
        tool('↓', `Move question ${q.ref} down`, () => move(1), qi === section.questions.length - 1),
        tool('Remove', `Remove question ${q.ref}`, () => { section.questions.splice(qi, 1); redraw(); }, false, 'danger'))),
    bound(q, 'text', `${path}.text`, 'Question', h('textarea', { rows: 2, maxlength: 2000, required: true })),
    bound(q, 'guidance', `${path}.guidance`, 'Guidance for the auditor', h('textarea', { rows: 2, maxlength: 5000 })),
    bound(q, 'document_id', `${path}.document_id`, 'Check against the document', h('select', {}, documentOptions(documents, q.document_id)), 'document-field'));
}

function sectionBox(draft, si, open, redraw, documents) {
  const section = draft.sections[si];
  const path = `sections.${si}`;
  const details = h('details', { class: 'section-edit', open: open.has(si), dataset: { path } },
    h('summary', {}, `${section.ref} ${section.title}`, h('span', { class: 'hint' }, ` · ${section.questions.length} question(s)`)),
    h('div', { class: 'row section-top' },
      bound(section, 'ref', `${path}.ref`, 'Clause', h('input', { maxlength: 32, required: true }), 'ref-field'),
      bound(section, 'title', `${path}.title`, 'Section title', h('input', { maxlength: 200, required: true }), 'grow')),
    h('p', { class: 'field-error', role: 'alert', dataset: { for: `${path}.questions` } }),
    h('ol', { class: 'questions-edit' }, section.questions.map((_, qi) => questionCard(draft, si, qi, redraw, documents))),
    h('div', { class: 'row' },
      h('button', { class: 'button secondary', type: 'button', onclick: () => { section.questions.push(blankQuestion(section)); redraw(`${path}.questions.${section.questions.length - 1}`); } }, 'Add a question'),
      section.questions.length ? null : h('button', { class: 'button danger', type: 'button', onclick: () => { draft.sections.splice(si, 1); redraw(); } }, 'Remove this empty section')));
  details.addEventListener('toggle', () => (details.open ? open.add(si) : open.delete(si)));
  return details;
}

function versionNote(template) {
  if (template.used) {
    return h('p', { class: 'message warn version-note', role: 'note' },
      h('strong', {}, `Version ${template.version} has been used by an audit. `),
      `Saving makes version ${template.version + 1}: audits already run keep version ${template.version}, and audits started from now on run the new one.`);
  }
  return h('p', { class: 'message info version-note', role: 'note' }, `Version ${template.version}, not used by any audit yet: saving changes it in place.`);
}

// isCurrent(): false once the person has left this screen.
export async function renderTemplate(root, { id, isCurrent = () => true, saved = null }) {
  const [template, documents] = await Promise.all([api.get(`/api/audit-templates/${id}`), api.get('/api/documents').catch(() => [])]);
  if (!isCurrent()) return;
  const draft = structuredClone({ name: template.name, standard: template.standard, sections: template.sections });
  const open = new Set([0]);
  const sectionsPlace = h('div', { class: 'sections-edit' });
  const general = h('p', { class: 'message error', role: 'alert' });
  const redraw = (focusPath) => {
    sectionsPlace.replaceChildren(...draft.sections.map((_, si) => sectionBox(draft, si, open, redraw, documents)));
    if (focusPath) sectionsPlace.querySelector(`[data-path="${focusPath}"] textarea, [data-path="${focusPath}"] input`)?.focus();
  };
  redraw();
  const form = h('form', { class: 'template-form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    clearProblem(form, general);
    try {
      const after = await api.put(`/api/audit-templates/${id}`, contentOf(draft));
      const words = after.version > template.version
        ? `Saved as version ${after.version}. Audits already run keep version ${template.version}.`
        : `Saved (version ${after.version}).`;
      if (isCurrent()) await renderTemplate(root, { id, isCurrent, saved: words });
    } catch (error) {
      showProblem(form, general, error);
      // A message inside a folded section: open it, so the box it concerns can be seen.
      form.querySelectorAll('.field-error:not(:empty)').forEach((p) => { const d = p.closest('details'); if (d) d.open = true; });
      form.querySelector('[aria-invalid=true]')?.focus();
    }
  } },
  h('div', { class: 'row' },
    bound(draft, 'name', 'name', 'Name', h('input', { maxlength: 200, required: true }), 'grow'),
    bound(draft, 'standard', 'standard', 'Standard', h('select', {}, options(entries('standards').map((e) => [e.value, e.label]), draft.standard)))),
  h('p', { class: 'field-error', role: 'alert', dataset: { for: 'sections' } }),
  sectionsPlace,
  h('button', { class: 'button secondary', type: 'button', onclick: () => {
    const ref = String(Math.max(0, ...draft.sections.map((s) => Number.parseInt(s.ref, 10) || 0)) + 1);
    draft.sections.push({ ref, title: '', questions: [] });
    open.add(draft.sections.length - 1);
    redraw(`sections.${draft.sections.length - 1}`);
  } }, 'Add a section'),
  general,
  h('div', { class: 'save-row' }, h('button', { class: 'button primary big', type: 'submit' }, template.used ? `Save as version ${template.version + 1}` : 'Save the template')));
  root.replaceChildren(h('section', { class: 'screen desk template-page' },
    h('a', { class: 'button secondary', href: '#/desk/templates' }, '← Templates'),
    h('h2', {}, template.name),
    saved ? h('p', { class: 'message info saved-note', role: 'status' }, saved) : null,
    template.starter ? h('p', { class: 'hint' }, 'A starter template: your changes apply to your organization’s copy of it.') : null,
    versionNote(template),
    form));
}
