// What the register's forms share: a rating on the 5 x 5 matrix with its band shown as it is
// chosen, the controls editor (each control with its level in the hierarchy), and the server's
// field messages placed beside their fields.
import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { entries, label, riskBand } from '../lists.js';
import { bandChip } from './site-risks.js';

const MAX_CONTROLS = 30;

export const options = (items, chosen = '') => items.map(([value, text]) => h('option', { value, selected: String(chosen) === String(value) }, text));

// A labelled field with a place under it for the server's message about it.
export function field(name, text, control, cls = '') {
  const message = h('p', { class: 'field-error', id: `${control.id}-error`, role: 'alert', dataset: { for: name } });
  control.setAttribute('aria-describedby', message.id);
  return h('div', { class: `filter field ${cls}`, dataset: { field: name } }, h('label', { for: control.id }, text), control, message);
}

// Severity and likelihood as two selects with the matrix's words ("4 Major"), the band beside.
// prefix: the form's names (severity / residual_severity); current: {severity, likelihood}.
export function ratingPicker(idPrefix, names, title, current = null) {
  const choice = (list, name, value) => h('select', { id: `${idPrefix}-${name}`, name, required: true },
    options([['', 'Choose…'], ...entries(list).map((e) => [e.value, `${e.value} ${e.label}`])], value ?? ''));
  const severity = choice('severities', names.severity, current?.severity);
  const likelihood = choice('likelihoods', names.likelihood, current?.likelihood);
  const band = h('p', { class: 'rating-now', 'aria-live': 'polite' });
  const show = () => {
    const s = Number(severity.value);
    const l = Number(likelihood.value);
    const found = riskBand(s, l);
    band.replaceChildren(found ? h('span', {}, `${s} × ${l} = ${s * l} `, bandChip(found)) : h('span', { class: 'hint' }, 'Choose both to see the band'));
  };
  severity.addEventListener('change', show);
  likelihood.addEventListener('change', show);
  show();
  return h('fieldset', { class: 'rating-picker', dataset: { rating: idPrefix } }, h('legend', {}, title),
    h('div', { class: 'row' }, field(names.severity, 'Severity', severity), field(names.likelihood, 'Likelihood', likelihood)), band);
}

// The controls as editable rows (text and level); read() gives [{text, control}] of those filled in.
export function controlsEditor(idPrefix, start = []) {
  const list = h('ol', { class: 'controls-edit' });
  const add = h('button', { class: 'button secondary', type: 'button' }, 'Add a control');
  let made = 0;
  const levels = () => entries('controls').map((e) => [e.value, e.label]);
  const row = (control = { text: '', control: entries('controls')[0]?.value }) => {
    made += 1;
    const n = made;
    const text = h('input', { id: `${idPrefix}-control-${n}`, class: 'control-text', maxlength: 200, value: control.text, placeholder: 'e.g. Barrier between the walkway and the forklift route' });
    const level = h('select', { id: `${idPrefix}-level-${n}`, class: 'control-level' }, options(levels(), control.control));
    const item = h('li', { class: 'control-row' },
      h('div', { class: 'filter grow' }, h('label', { for: text.id }, 'Control'), text),
      h('div', { class: 'filter' }, h('label', { for: level.id }, 'Level in the hierarchy'), level),
      h('button', { class: 'button small-dark danger', type: 'button', 'aria-label': 'Remove this control', onclick: () => { item.remove(); add.hidden = false; } }, 'Remove'));
    return item;
  };
  add.addEventListener('click', () => {
    list.append(row());
    list.lastElementChild.querySelector('input').focus();
    add.hidden = list.children.length >= MAX_CONTROLS;
  });
  list.append(...(start.length ? start : [undefined]).map(row));
  const read = () => [...list.querySelectorAll('.control-row')]
    .map((li) => ({ text: li.querySelector('.control-text').value.trim(), control: li.querySelector('.control-level').value }))
    .filter((c) => c.text);
  const message = h('p', { class: 'field-error', role: 'alert', dataset: { for: 'controls' } });
  const element = h('fieldset', { class: 'controls-editor field' }, h('legend', {}, 'Controls in place (most effective first: ', label('controls', entries('controls')[0]?.value), ')'),
    list, add, message);
  return { element, read };
}

// {controls: {0: {text: ['...']}}} -> [['controls.0.text', '...']]: nested messages as dotted names.
export function flatErrors(errors, prefix = '') {
  if (Array.isArray(errors) && errors.every((m) => typeof m === 'string')) return [[prefix, errors.join(' ')]];
  if (typeof errors === 'string') return [[prefix, errors]];
  return Object.entries(errors || {}).flatMap(([key, value]) => flatErrors(value, prefix ? `${prefix}.${key}` : key));
}

const FIELD_WORDS = { site_id: 'Site', owner_id: 'Owner', review_on: 'Review day', residual_severity: 'Residual severity', residual_likelihood: 'Residual likelihood' };
export const fieldWords = (name) => FIELD_WORDS[name] ?? name.replaceAll('_', ' ').replaceAll('.', ' ');

// Show a refused call: each message beside its field (controls.* beside the controls), the rest in general.
export function showProblem(form, general, error) {
  clearProblem(form, general);
  if (!(error instanceof ApiError)) {
    general.textContent = error.message;
    return;
  }
  const rest = [];
  for (const [name, text] of flatErrors(error.problem.errors)) {
    const place = form.querySelector(`.field-error[data-for="${name}"]`) ?? form.querySelector(`.field-error[data-for="${name.split('.')[0]}"]`);
    if (!place) {
      rest.push(`${fieldWords(name)}: ${text}`);
      continue;
    }
    place.textContent = [place.textContent, name.includes('.') ? `Control ${Number(name.split('.')[1]) + 1}: ${text}` : text].filter(Boolean).join(' ');
    place.closest('.field')?.querySelectorAll('input, select, textarea').forEach((c) => c.setAttribute('aria-invalid', 'true'));
  }
  general.textContent = [error.message, ...rest].filter(Boolean).join(' · ');
  form.querySelector('[aria-invalid=true]')?.focus();
}

export function clearProblem(form, general) {
  general.textContent = '';
  form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
}

// A field's message goes as soon as the field is changed.
export function clearOnChange(form) {
  const clear = (event) => {
    const box = event.target.closest('.field');
    if (!box) return;
    box.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
    box.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
  };
  form.addEventListener('input', clear);
  form.addEventListener('change', clear);
}

// The required fields left empty, each marked with a message; true when none is.
export function requiredFilled(form, general) {
  clearProblem(form, general);
  const empty = [...form.querySelectorAll('[required]')].filter((c) => !c.value.trim());
  for (const control of empty) {
    const place = control.closest('.field')?.querySelector('.field-error');
    if (place) place.textContent = control.tagName === 'SELECT' ? 'Choose one.' : 'Fill this in.';
    control.setAttribute('aria-invalid', 'true');
  }
  if (empty.length) {
    general.textContent = `${empty.length} field(s) still to fill in.`;
    empty[0].focus();
  }
  return !empty.length;
}

// A select's value as an id, or null.
export const idOrNull = (value) => (value ? Number(value) : null);
