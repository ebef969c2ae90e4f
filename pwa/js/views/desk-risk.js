// One entry of the register: inherent and residual side by side, the controls by level, why a
// review is due with the form to review it now, every earlier rating, and the reports, NCs and
// audit findings linked to it.
import { api } from '../api.js';
import { dayIn, dayLabel, dueText } from '../days.js';
import { h } from '../dom.js';
import { entries, label } from '../lists.js';
import { when } from './desk-queue.js';
import {
  clearOnChange, controlsEditor, field, idOrNull, options, ratingPicker, requiredFilled, showProblem,
} from './desk-risk-parts.js';
import { bandChip, controlsList, kindTag, ratingWords, scoreText } from './site-risks.js';

const panel = (title, cls, ...children) => h('section', { class: `panel wide-panel ${cls}` }, h('h3', {}, title), ...children);

function ratingCard(title, rating, cls) {
  const band = rating?.band ?? 'none';
  return h('section', { class: `panel rating-card band-edge-${band} ${cls}`, dataset: { band } },
    h('h3', {}, title),
    h('p', { class: `rating-band risk band-${band}` }, rating ? label('risk_bands', rating.band) : '—'),
    h('p', { class: 'rating-score' }, scoreText(rating)),
    h('p', { class: 'hint' }, ratingWords(rating)));
}

function facts(risk) {
  const rows = [['Site', risk.site_name ?? '—'], ['Kind', label('risk_kinds', risk.kind)],
    [risk.kind === 'opportunity' ? 'What could be gained' : 'What could harm', risk.hazard], ['Who', risk.who],
    ['Category', risk.category ? label('triage_categories', risk.category) : '—'],
    ['Owner', risk.owner?.name ?? '—'], ['Next review', `${dayLabel(risk.review_on)} (${dueText(risk.review_on)})`],
    ['Status', label('risk_statuses', risk.status)], ['Entered', when(risk.created_at)]];
  return h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

// Why a review is due now: the reason and its note (an incident linked, a major NC, a failed
// check), or the review day come.
function dueNote(risk) {
  if (!risk.review_due) return null;
  const reason = risk.review_reason ? label('risk_review_reasons', risk.review_reason)
    : risk.review_overdue ? `The review day has passed (${dueText(risk.review_on)})` : label('risk_review_reasons', 'date');
  return h('div', { class: `message warn review-due-note ${risk.review_overdue ? 'late' : ''}`, role: 'note' },
    h('p', {}, h('strong', {}, 'Review due: '), reason),
    risk.review_note ? h('p', { class: 'review-note' }, risk.review_note) : null,
    h('a', { class: 'button primary big', href: '#review-now', onclick: (event) => {
      event.preventDefault();
      const box = document.getElementById('review-now');
      box.open = true;
      box.scrollIntoView({ block: 'start' });
      box.querySelector('select')?.focus({ preventScroll: true });
    } }, 'Review now'));
}

function reviewForm(risk, users, onDone) {
  const general = h('p', { class: 'message error', role: 'alert' });
  const controls = controlsEditor('review', risk.controls || []);
  const notes = h('textarea', { id: 'review-notes', name: 'notes', rows: 3, maxlength: 5000 });
  const people = users.map((u) => [u.id, `${u.name} (${label('roles', u.role)})`]);
  const form = h('form', { class: 'risk-form review-form', novalidate: true, onsubmit: (event) => { event.preventDefault(); send(); } },
    h('div', { class: 'row ratings-row' },
      ratingPicker('review-inherent', { severity: 'severity', likelihood: 'likelihood' }, 'Inherent: before the controls', risk.inherent),
      ratingPicker('review-residual', { severity: 'residual_severity', likelihood: 'residual_likelihood' }, 'Residual: with the controls in place', risk.residual)),
    controls.element,
    h('div', { class: 'row' },
      field('review_on', 'Next review', h('input', { id: 'review-next', name: 'review_on', type: 'date', required: true, value: dayIn(365), min: dayIn(0) })),
      field('owner_id', 'Owner', h('select', { id: 'review-owner', name: 'owner_id' }, options(people, risk.owner?.id ?? ''))),
      field('status', 'Status', h('select', { id: 'review-status', name: 'status' }, options(entries('risk_statuses').map((e) => [e.value, e.label]), risk.status)))),
    field('notes', 'Review notes: what was looked at, what changed', notes, 'grow'),
    general,
    h('button', { class: 'button primary big', type: 'submit' }, 'Record the review'));
  clearOnChange(form);
  async function send() {
    const data = Object.fromEntries(new FormData(form));
    const body = {
      severity: idOrNull(data.severity), likelihood: idOrNull(data.likelihood), controls: controls.read(),
      residual_severity: idOrNull(data.residual_severity), residual_likelihood: idOrNull(data.residual_likelihood),
      review_on: data.review_on, notes: data.notes.trim() || null,
      ...(data.owner_id ? { owner_id: Number(data.owner_id) } : {}), ...(data.status ? { status: data.status } : {}),
    };
    if (!requiredFilled(form, general)) return;
    try {
      await api.patch(`/api/risks/${risk.id}`, body);
      onDone();
    } catch (error) {
      showProblem(form, general, error);
    }
  }
  return form;
}

function historyTable(history) {
  if (!history?.length) return h('p', { class: 'hint' }, 'No ratings recorded yet.');
  const cell = (name, cls, ...content) => h('td', { class: cls, 'data-label': name }, ...content);
  // Newest first: the latest review on top, the entry as made at the foot.
  return h('table', { class: 'queue risk-history' },
    h('thead', {}, h('tr', {}, ['When', 'By', 'Why', 'Inherent', 'Residual', 'Controls', 'Next review', 'Notes'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, [...history].map((item, index) => ({ item, index })).reverse().map(({ item, index }) => h('tr', { dataset: { index } },
      cell('When', 'nowrap', when(item.reviewed_at)),
      cell('By', 'nowrap', item.reviewed_by?.name ?? '—'),
      cell('Why', '', index === 0 ? h('span', { class: 'hint' }, 'Entered') : item.reason ? label('risk_review_reasons', item.reason) : 'Planned review'),
      cell('Inherent', 'nowrap', bandChip(item.inherent?.band), h('div', { class: 'hint' }, scoreText(item.inherent))),
      cell('Residual', 'nowrap', bandChip(item.residual?.band), h('div', { class: 'hint' }, scoreText(item.residual))),
      cell('Controls', 'nowrap', String(item.controls?.length ?? 0)),
      cell('Next review', 'nowrap', dayLabel(item.review_on)),
      cell('Notes', 'notes', item.notes || null)))));
}

// Where a linked record opens on the desk (an audit finding opens its audit).
function linkHref(link) {
  if (link.record_type === 'report') return `#/desk/report/${link.record_id}`;
  if (link.record_type === 'nonconformity') return `#/desk/nc/${link.record_id}`;
  const audit = link.audit_id ?? link.record?.audit_id;
  return audit ? `#/desk/audit/${audit}` : null;
}

const LINK_GROUPS = [['report', 'Reports'], ['nonconformity', 'Nonconformities'], ['audit_response', 'Audit findings']];

function linksPanel(links = []) {
  return panel(`Linked records (${links.length})`, 'risk-links',
    links.length ? LINK_GROUPS.map(([type, title]) => {
      const mine = links.filter((l) => l.record_type === type);
      if (!mine.length) return null;
      return h('div', { class: 'link-group', dataset: { type } }, h('h4', {}, `${title} (${mine.length})`),
        h('ul', { class: 'linked' }, mine.map((l) => {
          const href = linkHref(l);
          return h('li', { dataset: { type: l.record_type, id: l.record_id } },
            href ? h('a', { href }, l.title || 'Open it') : h('span', {}, l.title || ''),
            h('span', { class: 'hint' }, ` · linked ${when(l.linked_at)}`));
        })));
    }) : h('p', { class: 'hint' }, 'No reports, NCs or audit findings linked yet. Link them from a report’s or an NC’s page.'));
}

// back: the register as the officer left it. isCurrent(): false once the officer has left.
export async function renderRisk(root, { id, back = '#/desk/risks', isCurrent = () => true }) {
  const refresh = () => isCurrent() && renderRisk(root, { id, back, isCurrent });
  const [risk, users] = await Promise.all([api.get(`/api/risks/${id}`), api.get('/api/users').catch(() => [])]);
  if (!isCurrent()) return;
  const due = Boolean(risk.review_due);
  root.replaceChildren(h('section', { class: 'screen desk risk-page', dataset: { id: risk.id, due: String(due), status: risk.status } },
    h('a', { class: 'button secondary', href: back }, '← Register'),
    h('div', { class: 'row nc-head' }, h('span', { class: 'ref big-ref' }, risk.ref), kindTag(risk.kind),
      risk.status !== 'active' ? h('span', { class: 'flag' }, label('risk_statuses', risk.status)) : null,
      h('h2', {}, risk.activity)),
    dueNote(risk),
    h('div', { class: 'ratings' },
      ratingCard('Inherent', risk.inherent, 'inherent'),
      h('div', { class: 'rating-arrow', 'aria-hidden': 'true' }, '→'),
      ratingCard('Residual', risk.residual, 'residual'),
      h('section', { class: 'panel risk-facts' }, h('h3', {}, 'The entry'), facts(risk))),
    panel(`Controls in place (${risk.controls?.length ?? 0})`, 'risk-controls', controlsList(risk.controls)),
    h('details', { class: `panel wide-panel override-box review-box ${due ? 'due' : ''}`, id: 'review-now', open: due },
      h('summary', {}, due ? 'Review now' : 'Review this entry'), reviewForm(risk, users, refresh)),
    panel(`History (${risk.history?.length ?? 0} rating${risk.history?.length === 1 ? '' : 's'})`, 'risk-history-panel', historyTable(risk.history)),
    linksPanel(risk.links)));
}
