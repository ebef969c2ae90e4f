// What the desk's audit screens share: status and result badges, scores as bars, photo
// thumbnails, and a form's field messages from a 422.
import { ApiError } from '../api.js';
import { daysFrom } from '../days.js';
import { h } from '../dom.js';
import { label } from '../lists.js';

const SVG = 'http://www.w3.org/2000/svg';
export const DUE_SOON_DAYS = 7;
const OPEN = new Set(['planned', 'in_progress']);

export function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) element.setAttribute(k, v);
  element.append(...children);
  return element;
}

// The programme's states of an audit: planned, due (within a week), overdue, done (signed off).
export function stateOf(audit) {
  if (audit.status === 'submitted') return 'done';
  if (!OPEN.has(audit.status)) return audit.status;
  if (audit.overdue) return 'overdue';
  if (audit.due_on && daysFrom(audit.due_on) <= DUE_SOON_DAYS) return 'due';
  return 'planned';
}

export const statusPill = (status) => h('span', { class: `audit-status status-${status}` }, label('audit_statuses', status));

// The status, with a red Overdue badge or a Due soon one beside it.
export function statusCell(audit) {
  const state = stateOf(audit);
  return h('span', { class: 'audit-flags' }, statusPill(audit.status),
    state === 'overdue' ? h('span', { class: 'flag late' }, 'Overdue') : null,
    state === 'due' ? h('span', { class: 'flag soon' }, 'Due soon') : null);
}

export const resultBadge = (result) => h('span', { class: `audit-result result-${result}` }, label('audit_results', result));

export const percentText = (percent) => (percent === null || percent === undefined ? '—' : `${Math.round(percent)}%`);

// The band a score falls in, for its colour (words always stand beside it).
export function scoreBand(percent) {
  if (percent === null || percent === undefined) return 'none';
  if (percent >= 85) return 'good';
  return percent >= 60 ? 'fair' : 'poor';
}

// A horizontal bar of a percent, drawn by attributes (the Content-Security-Policy allows no inline styles).
export function percentBar(percent) {
  const width = Math.max(0, Math.min(100, percent ?? 0));
  return svg('svg', { class: 'hbar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true' },
    svg('rect', { class: 'hbar-track', x: 0, y: 0, width: 100, height: 10 }),
    svg('rect', { class: `hbar-fill score-${scoreBand(percent)}`, x: 0, y: 0, width, height: 10 }));
}

export const templateName = (template) => (template ? `${template.name} (v${template.version})` : '—');

// Photo thumbnails by SHA-256; a tap shows the display size, with the original to download.
export function photoThumbs(hashes) {
  if (!hashes?.length) return null;
  const viewer = h('figure', { class: 'viewer', hidden: true });
  const show = (sha) => {
    viewer.hidden = false;
    viewer.replaceChildren(h('img', { src: `/api/photos/${sha}/display`, alt: 'Evidence photo, display size' }),
      h('figcaption', {}, h('a', { href: `/api/photos/${sha}/original`, download: '' }, 'Download original (evidence)'),
        h('code', { class: 'sha' }, `SHA-256 ${sha}`)));
  };
  return h('div', { class: 'photos-panel' },
    h('div', { class: 'row' }, hashes.map((sha, i) => h('button', { type: 'button', class: 'thumb', onclick: () => show(sha), 'aria-label': `Show evidence photo ${i + 1}` },
      h('img', { src: `/api/photos/${sha}/thumb`, alt: `Evidence photo ${i + 1}` })))),
    viewer);
}

// A labelled field with a place for the server's message about it (aria-describedby).
export function field(name, text, control) {
  const message = h('p', { class: 'field-error', id: `${control.id || name}-error`, role: 'alert', dataset: { for: name } });
  control.setAttribute('aria-describedby', message.id);
  return h('div', { class: 'filter field', dataset: { field: name } }, h('label', { for: control.id }, text), control, message);
}

const messagesOf = (value) => [].concat(value).map((m) => (typeof m === 'string' ? m : Object.values(m ?? {}).flat().join(' ')));

// Show a refused call: each field's message beside its field, anything else in `general`.
export function showProblem(form, general, error) {
  clearProblem(form, general);
  if (!(error instanceof ApiError)) {
    general.textContent = error.message;
    return;
  }
  const rest = [];
  for (const [name, value] of Object.entries(error.problem.errors || {})) {
    const place = form.querySelector(`.field-error[data-for="${name}"]`);
    if (!place) {
      rest.push(`${name.replaceAll('_', ' ')}: ${messagesOf(value).join(' ')}`);
      continue;
    }
    place.textContent = messagesOf(value).join(' ');
    place.closest('.field')?.querySelectorAll('input, select, textarea').forEach((c) => c.setAttribute('aria-invalid', 'true'));
  }
  general.textContent = [error.message, ...rest].filter(Boolean).join(' · ');
}

export function clearProblem(form, general) {
  general.textContent = '';
  form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
}

// The answer of a list call as {items, next_cursor} (a page, or the items themselves).
export const pageOf = (answer) => (Array.isArray(answer) ? { items: answer, next_cursor: null } : answer);

// A moment as the desk reads it ("12 Dec 2026, 14:05").
export const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '');

// The controlled document a question checks against, as a link to its desk page (null: none).
export function documentCheck(doc) {
  if (!doc) return null;
  return h('p', { class: 'question-document' }, 'Check against ',
    h('a', { class: 'document-link', href: `#/desk/document/${doc.id}` }, h('strong', {}, doc.code), ` ${doc.title}`));
}

export const options = (items, chosen = '') => items.map(([value, text]) => h('option', { value, selected: String(chosen) === String(value) }, text));
