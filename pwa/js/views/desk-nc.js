// One nonconformity on one screen: what happened and where, the controlled document it concerns,
// containment, root cause (5 Whys or the report's fishbone), the hierarchy-of-controls warning,
// actions and their evidence, the effectiveness check, cancelling, and the event log.
import { api, ApiError } from '../api.js';
import { dayIn, dayLabel, dueText, isOverdue } from '../days.js';
import { confirmDialog, h } from '../dom.js';
import { entries, entry, label } from '../lists.js';
import { riskLinkPanel } from './desk-risk-link.js';
import { when } from './desk-queue.js';
import { severityBadge, statusPill } from './desk-ncs.js';

const FINAL = new Set(['closed', 'cancelled']);
const MAX_WHYS = 10;

function problemText(error) {
  if (!(error instanceof ApiError)) return error.message;
  const fields = Object.entries(error.problem.errors || {}).map(([f, m]) => `${f.replaceAll('_', ' ')}: ${[].concat(m).map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ')}`);
  return [error.message, ...fields].filter(Boolean).join(' · ');
}

// A message line and the function that sends a change, shows what went wrong, or redraws.
function sender(onDone) {
  const message = h('p', { class: 'message', role: 'alert' });
  const send = async (call) => {
    try {
      await call();
      onDone();
    } catch (error) {
      message.className = 'message error';
      message.textContent = problemText(error);
    }
  };
  return { message, send };
}

const panel = (title, ...children) => h('section', { class: 'panel wide-panel' }, h('h3', {}, title), ...children);
const reportIdOf = (nc) => nc.report?.id ?? nc.report_id ?? null;

function photoStrip(photos) {
  const received = (photos || []).filter((p) => p.urls);
  const viewer = h('figure', { class: 'viewer', hidden: true });
  const show = (photo) => {
    viewer.hidden = false;
    viewer.replaceChildren(h('img', { src: photo.urls.display, alt: 'Photo, display size' }),
      h('figcaption', {}, h('a', { href: photo.urls.original, download: '' }, 'Download original (evidence)'),
        h('code', { class: 'sha' }, `SHA-256 ${photo.sha256}`)));
  };
  if (!received.length) return h('p', { class: 'hint' }, photos?.length ? `${photos.length} photo(s) still arriving` : 'No photos');
  return h('div', { class: 'photos-panel' },
    h('div', { class: 'row' }, received.map((photo, i) => h('button', { type: 'button', class: 'thumb', onclick: () => show(photo), 'aria-label': `Show photo ${i + 1}` },
      h('img', { src: photo.urls.thumb, alt: `Photo ${i + 1}` })))),
    viewer);
}

// An audit finding's NC leads back to the audit it was found in.
function auditLink(nc) {
  const place = h('span', {}, '…');
  api.get(`/api/audits?nonconformity_id=${nc.id}`)
    .then(([audit]) => place.replaceChildren(audit
      ? h('a', { href: `#/desk/audit/${audit.id}`, class: 'from-audit' }, `${audit.template.name} · ${audit.site_name}`) : '—'))
    .catch(() => place.replaceChildren('—'));
  return place;
}

function facts(nc) {
  const reportId = reportIdOf(nc);
  const rows = [['Site', nc.site ? `${nc.site.name}${nc.site.code ? ` (${nc.site.code})` : ''}` : '—'],
    ['Source', label('nc_sources', nc.source)],
    nc.source === 'audit' ? ['From audit', auditLink(nc)] : null,
    ['From report', reportId ? h('a', { href: `#/desk/report/${reportId}` }, nc.report?.description || 'Open the report') : '—'],
    ['Clause', nc.clause || '—'], ['Document', nc.document ? documentLink(nc.document) : '—'], ['Raised by', nc.raised_by?.name || '—'], ['Raised', when(nc.created_at)],
    ['Status', label('nc_statuses', nc.status)]].filter(Boolean);
  return h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

const documentName = (doc) => `${doc.code} ${doc.title}`;
const documentLink = (doc) => h('a', { class: 'document-link', href: `#/desk/document/${doc.id}` }, documentName(doc));

// The approved documents to choose from, and the one named now whatever its state (withdrawn, say).
function documentChoices(documents, named) {
  const approved = documents.filter((d) => d.status === 'approved');
  const shown = named && !approved.some((d) => d.id === named.id) ? [...approved, documents.find((d) => d.id === named.id) ?? named] : approved;
  return [h('option', { value: '' }, 'No document'),
    ...shown.map((d) => h('option', { value: d.id, selected: d.id === named?.id },
      `${documentName(d)}${d.status && d.status !== 'approved' ? ` (${label('document_statuses', d.status)})` : ''}`))];
}

// The procedure or policy the NC concerns: a link to it, and (while open) a box to change it.
function documentPanel(nc, documents, onDone) {
  const now = nc.document
    ? h('p', { class: 'document-now' }, 'Concerns ', documentLink(nc.document))
    : h('p', { class: 'hint document-now' }, 'No controlled document named.');
  if (FINAL.has(nc.status) || documents === null) return panel('Controlled document', now);
  const select = h('select', { id: 'nc-document', name: 'document_id', 'aria-describedby': 'nc-document-error' }, documentChoices(documents, nc.document));
  const error = h('p', { class: 'field-error', id: 'nc-document-error', role: 'alert' });
  const save = async () => {
    error.textContent = '';
    select.removeAttribute('aria-invalid');
    try {
      await api.patch(`/api/nonconformities/${nc.id}`, { document_id: select.value || null });
      onDone();
    } catch (problem) {
      error.textContent = problemText(problem);
      select.setAttribute('aria-invalid', 'true');
      select.focus();
    }
  };
  return panel('Controlled document', now,
    h('div', { class: 'field document-field' },
      h('label', { for: 'nc-document' }, 'Procedure or policy this nonconformity concerns'), select, error),
    h('button', { class: 'button secondary', type: 'button', onclick: save }, 'Save the document'));
}

function repeatNote(nc) {
  const earlier = nc.repeat_of;
  if (!earlier) return null;
  const reason = earlier.reason ?? nc.repeat_reason;
  return h('p', { class: 'message warn repeat-note' }, h('strong', {}, 'Repeat: '),
    earlier.id ? h('a', { href: `#/desk/nc/${earlier.id}` }, earlier.title || 'an earlier nonconformity') : 'an earlier nonconformity',
    reason ? ` — ${reason}` : '');
}

function containmentPanel(nc, onDone) {
  const { message, send } = sender(onDone);
  if (FINAL.has(nc.status)) return panel('Containment', h('p', { class: 'text' }, nc.containment || '—'));
  const text = h('textarea', { id: 'containment', rows: 3, maxlength: 5000 }, nc.containment || '');
  return panel('Containment',
    h('label', { for: 'containment' }, 'What was done at once to contain it'), text, message,
    h('button', { class: 'button secondary', type: 'button', onclick: () => send(() => api.patch(`/api/nonconformities/${nc.id}`, { containment: text.value.trim() })) }, 'Save containment'));
}

// The 5 Whys as an editable list: add and remove whys; whys() reads them back.
function whysEditor(start) {
  const list = h('ol', { class: 'whys-list' });
  const add = h('button', { class: 'button secondary', type: 'button' }, 'Add a why');
  const redraw = (values) => {
    list.replaceChildren(...values.map((value, i) => h('li', { class: 'row' },
      h('span', { class: 'why-number', 'aria-hidden': 'true' }, `${i + 1}.`),
      h('input', { value, 'aria-label': `Why ${i + 1}`, maxlength: 1000, placeholder: i ? 'Why did that happen?' : 'Why did it happen?' }),
      // The word on wide screens, a cross on phones.
      h('button', { class: 'button small-dark danger remove-why', type: 'button', 'aria-label': `Remove why ${i + 1}`, onclick: () => redraw(read().filter((_, k) => k !== i)) },
        h('span', { class: 'word' }, 'Remove'), h('span', { class: 'cross', 'aria-hidden': 'true' }, '✕')))));
    add.hidden = values.length >= MAX_WHYS;
  };
  const read = () => [...list.querySelectorAll('input')].map((input) => input.value);
  add.addEventListener('click', () => { redraw([...read(), '']); list.lastElementChild?.querySelector('input').focus(); });
  redraw(start.length ? start : ['']);
  return { element: h('div', { class: 'whys' }, list, add), whys: () => read().map((w) => w.trim()).filter(Boolean) };
}

// The report's fishbone: as the NC's root cause links it, or else as the report has it now.
async function fishbone(reportId, linked) {
  if (!reportId) return h('p', { class: 'hint' }, 'This nonconformity has no report, so no fishbone to use.');
  const analysis = linked ?? await api.get(`/api/reports/${reportId}/analysis`).catch(() => null);
  if (analysis?.status !== 'ready') {
    return h('p', { class: 'message info' }, 'The report has no finished Ishikawa analysis yet. ',
      h('a', { href: `#/desk/report/${reportId}` }, 'Build it on the report’s page'), '.');
  }
  return h('div', {}, h('img', { class: 'fishbone', src: `/api/reports/${reportId}/analysis/diagram.svg?v=${analysis.version}`, alt: `Fishbone diagram: ${analysis.effect}` }),
    h('p', { class: 'hint' }, h('a', { href: `#/desk/report/${reportId}` }, 'Edit the analysis on the report’s page')));
}

function rootCauseShown(cause, bone) {
  return h('div', { class: 'root-cause' },
    cause.method === 'ishikawa' ? bone : h('ol', { class: 'whys-list shown' }, (cause.whys || []).map((why) => h('li', {}, why))),
    h('p', { class: 'statement' }, h('b', {}, 'Root cause: '), cause.statement || '—'));
}

async function rootCausePanel(nc, onDone) {
  const cause = nc.root_cause || { method: '5whys', whys: [], statement: '' };
  const reportId = reportIdOf(nc);
  const bone = await fishbone(cause.analysis_report_id ?? reportId, cause.analysis);
  const title = 'Root cause';
  if (FINAL.has(nc.status)) return panel(title, nc.root_cause ? rootCauseShown(cause, bone) : h('p', { class: 'hint' }, 'None recorded.'));
  const { message, send } = sender(onDone);
  const editor = whysEditor(cause.whys || []);
  const statement = h('textarea', { id: 'root-cause-statement', rows: 3, maxlength: 2000 }, cause.statement || '');
  const bonePart = h('div', { class: 'ishikawa-choice' }, bone);
  const method = (value, text, disabled) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'root-cause-method', value, checked: cause.method === value, disabled }), text);
  const methods = h('div', { class: 'row choices', role: 'radiogroup', 'aria-label': 'How the root cause was found' },
    method('5whys', '5 Whys', false), method('ishikawa', 'Use the report’s Ishikawa analysis', !reportId));
  const chosen = () => methods.querySelector('input:checked').value;
  const show = () => { editor.element.hidden = chosen() !== '5whys'; bonePart.hidden = chosen() !== 'ishikawa'; };
  methods.addEventListener('change', show);
  show();
  const save = () => send(() => api.patch(`/api/nonconformities/${nc.id}`, {
    root_cause: chosen() === '5whys'
      ? { method: '5whys', whys: editor.whys(), statement: statement.value.trim() }
      : { method: 'ishikawa', analysis_report_id: reportId, statement: statement.value.trim() },
  }));
  return panel(title,
    h('p', { class: 'hint' }, `Problem: ${nc.title}`),
    methods, editor.element, bonePart,
    h('label', { for: 'root-cause-statement' }, 'Root-cause statement'), statement, message,
    h('button', { class: 'button primary', type: 'button', onclick: save }, 'Save root cause'));
}

// The warnings of an NC, plainly; the hierarchy-of-controls one with a way to record why not.
function warningsPanel(nc, onDone) {
  const warnings = (nc.warnings || []).map((w) => (typeof w === 'string' ? { message: w } : w));
  const reasonShown = nc.weak_controls_reason
    ? h('p', { class: 'status-note' }, h('b', {}, 'Why no higher control: '), nc.weak_controls_reason) : null;
  if (!warnings.length) return reasonShown ? h('div', { class: 'wide-panel' }, reasonShown) : null;
  return h('section', { class: 'panel wide-panel warnings', 'aria-label': 'Warnings' },
    warnings.map((w) => h('div', { class: 'message warn big-warning', role: 'note' },
      h('p', {}, h('strong', {}, 'Warning: '), w.message || w.detail || w.title || w.code),
      isControlsWarning(w) && !FINAL.has(nc.status) ? whyNotForm(nc, onDone) : null)),
    reasonShown);
}

const isControlsWarning = (w) => /control|hierarch/i.test(`${w.code || ''} ${w.message || ''}`);

function whyNotForm(nc, onDone) {
  const { message, send } = sender(onDone);
  const reason = h('textarea', { id: 'weak-controls-reason', rows: 2, maxlength: 2000 }, nc.weak_controls_reason || '');
  return h('div', { class: 'why-not' },
    h('label', { for: 'weak-controls-reason' }, 'Or record why no higher control (elimination, substitution, engineering) is possible'),
    reason, message,
    h('button', { class: 'button secondary', type: 'button', onclick: () => send(() => api.patch(`/api/nonconformities/${nc.id}`, { weak_controls_reason: reason.value.trim() })) }, 'Record why not'));
}

function controlText(control) {
  const found = entry('controls', control);
  return h('span', { class: `control ${found?.weak ? 'weak' : ''}` }, label('controls', control));
}

function actionRow(action) {
  const open = action.status === 'open';
  const late = open && isOverdue(action.due_on);
  // name: the column's, shown beside the value where the table folds up (phones).
  const cell = (name, cls, ...content) => h('td', { class: cls, 'data-label': name }, h('div', {}, ...content));
  return h('tr', { dataset: { id: action.id, status: action.status } },
    h('td', { class: 'what' }, h('strong', {}, action.title), h('div', { class: 'hint' }, label('action_kinds', action.kind))),
    cell('Control', 'nowrap', controlText(action.control)),
    cell('Owner', 'nowrap', action.owner?.name || '—'),
    cell('Due', 'nowrap', dayLabel(action.due_on), open ? h('div', { class: `hint due ${late ? 'late' : ''}` }, dueText(action.due_on)) : null),
    cell('Status', 'nowrap', h('span', { class: `action-status status-${action.status}` }, label('action_statuses', action.status))),
    cell('Evidence', 'evidence', ...(open ? ['—'] : [
      h('p', { class: 'notes' }, action.notes || ''),
      h('p', { class: 'hint' }, `${action.done_by?.name || action.owner?.name || ''} · ${when(action.done_at)}`),
      photoStrip(action.photos)])));
}

function planForm(nc, users, onDone) {
  const { message, send } = sender(onDone);
  const id = crypto.randomUUID(); // one planned action, however often the form is sent
  const field = (name, text, control) => h('label', { class: 'filter' }, text, control);
  const options = (name) => entries(name).map((e) => h('option', { value: e.value }, e.label));
  const form = h('form', { class: 'plan-action', onsubmit: (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    send(() => api.post(`/api/nonconformities/${nc.id}/actions`, { id, ...data, title: data.title.trim(), owner_id: Number(data.owner_id) }));
  } },
  h('div', { class: 'row' },
    h('label', { class: 'filter wide' }, 'What is to be done', h('input', { name: 'title', required: true, maxlength: 200 })),
    field('kind', 'Kind', h('select', { name: 'kind' }, options('action_kinds'))),
    field('control', 'Control', h('select', { name: 'control' }, options('controls'))),
    field('owner_id', 'Owner', h('select', { name: 'owner_id', required: true }, h('option', { value: '' }, 'Choose…'),
      users.map((u) => h('option', { value: u.id }, `${u.name} (${label('roles', u.role)})`)))),
    field('due_on', 'Due', h('input', { type: 'date', name: 'due_on', required: true, value: dayIn(7), min: dayIn(0) }))),
  message,
  h('button', { class: 'button primary big', type: 'submit' }, 'Plan the action'));
  return form;
}

function actionsPanel(nc, users, onDone) {
  const actions = nc.actions || [];
  const planning = !FINAL.has(nc.status) && nc.status !== 'verifying';
  return panel(`Actions (${actions.length})`,
    actions.length ? h('table', { class: 'queue nc-actions' },
      h('thead', {}, h('tr', {}, ['Action', 'Control', 'Owner', 'Due', 'Status', 'Evidence'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, actions.map(actionRow))) : h('p', { class: 'hint' }, 'No actions planned yet.'),
    planning ? h('details', { class: 'override-box plan-box', open: !actions.length },
      h('summary', {}, 'Plan an action'),
      nc.status === 'open' ? h('p', { class: 'hint' }, 'A correction can be planned now; corrective and preventive actions once the root cause is recorded.') : null,
      planForm(nc, users, onDone)) : null);
}

// Why the effectiveness check cannot be made yet, in words; null when it can.
function notYet(nc) {
  if (nc.status === 'verifying') {
    const from = nc.verify_after;
    if (from && new Date(from) > new Date()) {
      return `The effectiveness check is possible from ${new Date(from).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}: time must show whether the fix holds.`;
    }
    return null;
  }
  return 'The effectiveness check is possible once every action is done.';
}

function checkForm(nc, onDone) {
  const { message, send } = sender(onDone);
  const notes = h('textarea', { id: 'verification-notes', rows: 3, maxlength: 2000, required: true });
  const choice = (value, text) => h('label', { class: 'choice big-choice' }, h('input', { type: 'radio', name: 'effective', value, required: true }), text);
  const form = h('form', { class: 'check-form', onsubmit: (event) => {
    event.preventDefault();
    const effective = form.querySelector('input[name=effective]:checked')?.value;
    send(() => api.post(`/api/nonconformities/${nc.id}/verification`, { effective: effective === 'yes', notes: notes.value.trim() }));
  } },
  h('div', { class: 'row choices', role: 'radiogroup', 'aria-label': 'Did the actions work?' },
    choice('yes', 'Effective: it has not come back'), choice('no', 'Not effective: more actions needed')),
  h('label', { for: 'verification-notes' }, 'What was checked, and what was found'), notes, message,
  h('button', { class: 'button primary big', type: 'submit' }, 'Record the check'));
  return form;
}

function verificationPanel(nc, onDone) {
  const check = nc.verification || {};
  const title = 'Effectiveness check';
  const last = check.checked_at
    ? h('div', { class: 'status-note last-check' }, h('b', {}, `${check.effective ? 'Effective' : 'Not effective'} · ${check.checked_by?.name || ''} · ${when(check.checked_at)}: `), check.notes || '',
      check.checks > 1 ? h('div', { class: 'hint' }, `Check ${check.checks}; earlier findings are in the event log.`) : null,
      check.photos?.length ? photoStrip(check.photos) : null)
    : null;
  if (nc.status === 'cancelled') return null;
  if (nc.status === 'closed') return panel(title, last);
  const why = notYet(nc);
  return panel(title, last, why ? h('p', { class: 'message info not-yet' }, why) : checkForm(nc, onDone));
}

function cancelPanel(nc, onDone) {
  if (nc.status === 'cancelled') return panel(label('nc_statuses', 'cancelled'), h('p', { class: 'status-note' }, h('b', {}, 'Reason: '), nc.cancel_reason || '—'));
  if (nc.status === 'closed') return null;
  const { message, send } = sender(onDone);
  const reason = h('textarea', { id: 'cancel-reason', rows: 2, maxlength: 2000 });
  const cancel = async () => {
    if (!reason.value.trim()) { message.className = 'message error'; message.textContent = 'Say why it is cancelled.'; reason.focus(); return; }
    if (!(await confirmDialog('Cancel this nonconformity?', 'It stays in the log with your reason, and cannot be reopened.', 'Cancel it', 'Keep it'))) return;
    send(() => api.patch(`/api/nonconformities/${nc.id}`, { status: 'cancelled', cancel_reason: reason.value.trim() }));
  };
  return h('details', { class: 'panel wide-panel cancel-box' }, h('summary', {}, 'Cancel this nonconformity'),
    h('label', { for: 'cancel-reason' }, 'Why it is cancelled (required)'), reason, message,
    h('button', { class: 'button danger', type: 'button', onclick: cancel }, 'Cancel the nonconformity'));
}

// What an event did, in words: the root cause recorded, an action done, the check found effective.
function eventWords(e, titles) {
  const data = e.data || {};
  const words = e.action.replaceAll('_', ' ');
  const what = e.action === 'verified' ? `effectiveness check: ${data.effective ? 'effective' : 'not effective'}`
    : e.action === 'updated' && data.changed ? `updated ${data.changed.map((c) => (c === 'document_id' ? 'document' : c)).join(', ').replaceAll('_', ' ')}` : words;
  const text = e.record_type === 'action' ? `Action “${titles.get(e.record_id) ?? '?'}”: ${what}` : what;
  return text[0].toUpperCase() + text.slice(1);
}

// The notes, reasons and statements an event keeps, each on a line.
function eventDetails(data = {}) {
  return [['Notes', data.notes], ['Reason', data.reason ?? data.cancel_reason], ['Why no higher control', data.weak_controls_reason],
    ['Root cause', data.root_cause?.statement], ['Containment', data.containment], ['Repeat', data.repeat_reason]]
    .filter(([, text]) => typeof text === 'string' && text)
    .map(([name, text]) => h('div', { class: 'hint' }, `${name}: ${text}`));
}

// The log, oldest first; where an NC event moved its status, the new status shows beside it.
function eventLog(events, nc) {
  const titles = new Map((nc.actions || []).map((a) => [a.id, a.title]));
  let status = null;
  return h('ol', { class: 'log' }, events.map((e) => {
    const now = e.record_type === 'action' ? status : e.data?.status ?? status;
    const words = eventWords(e, titles);
    // A move the words do not already name (the root cause recorded, say) shows its new status.
    const moved = now !== status && status !== null && words.toLowerCase() !== label('nc_statuses', now).toLowerCase();
    status = now;
    return h('li', {}, h('strong', {}, words),
      moved ? [' ', statusPill(now)] : null,
      ` · ${e.actor?.name || 'Safeloop'} · ${when(e.created_at)}`, eventDetails(e.data));
  }));
}

// back: the list as the officer left it. isCurrent(): false once the officer has left this screen.
export async function renderNc(root, { id, back = '#/desk/ncs', isCurrent = () => true }) {
  const refresh = () => isCurrent() && renderNc(root, { id, back, isCurrent });
  const [nc, events, users, documents] = await Promise.all([api.get(`/api/nonconformities/${id}`),
    api.get(`/api/nonconformities/${id}/events`).catch(() => []), api.get('/api/users').catch(() => []),
    api.get('/api/documents').catch(() => null)]);
  const rootCause = await rootCausePanel(nc, refresh);
  if (!isCurrent()) return;
  root.replaceChildren(h('section', { class: 'screen desk nc-page', dataset: { status: nc.status } },
    h('a', { class: 'button secondary', href: back }, '← Nonconformities'),
    h('div', { class: 'row nc-head' }, statusPill(nc.status), severityBadge(nc.severity), h('h2', {}, nc.title)),
    repeatNote(nc),
    warningsPanel(nc, refresh),
    h('div', { class: 'columns' },
      h('section', { class: 'panel' }, h('h3', {}, 'What happened'), h('p', { class: 'text description' }, nc.description || '—'), facts(nc)),
      h('section', { class: 'panel' }, h('h3', {}, 'Photos'), photoStrip(nc.photos))),
    riskLinkPanel('nonconformity', nc),
    documentPanel(nc, documents, refresh),
    containmentPanel(nc, refresh),
    rootCause,
    actionsPanel(nc, users, refresh),
    verificationPanel(nc, refresh),
    cancelPanel(nc, refresh),
    panel('Event log', eventLog(events.items ?? events, nc))));
}
