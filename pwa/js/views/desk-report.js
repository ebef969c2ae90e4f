// One report on one screen: photos, where and when, triage with reasons, overrides, duplicates
// (merged ones linked both ways), log.
import { api, ApiError } from '../api.js';
import { h, kindLabel } from '../dom.js';
import { entries, label } from '../lists.js';
import { renderAnalysis } from './desk-analysis.js';
import { ncPanel } from './desk-report-nc.js';
import { riskLinkPanel } from './desk-risk-link.js';
import { when } from './desk-queue.js';

const FIELD_LABELS = { priority: 'Priority', category: 'Category', severity: 'Severity', likelihood: 'Likelihood',
  risk: 'Risk rating', due_at: 'Due', assignee_id: 'Assignee', assignee: 'Assignee', reportable: 'Reportable', duplicates: 'Duplicates' };

function photoStrip(report) {
  const viewer = h('figure', { class: 'viewer', hidden: true });
  const show = (photo) => {
    viewer.hidden = false;
    viewer.replaceChildren(h('img', { src: photo.urls.display, alt: 'Photo, display size' }),
      h('figcaption', {}, h('a', { href: photo.urls.original, download: '' }, 'Download original (evidence)'),
        h('code', { class: 'sha' }, `SHA-256 ${photo.sha256}`)));
  };
  const received = report.photos.filter((p) => p.received);
  return h('div', { class: 'photos-panel' },
    h('div', { class: 'row' }, received.map((photo, i) => h('button', { type: 'button', class: 'thumb', onclick: () => show(photo), 'aria-label': `Show photo ${i + 1}` },
      h('img', { src: photo.urls.thumb, alt: `Photo ${i + 1}` })))),
    report.photos.length > received.length ? h('p', { class: 'hint' }, `${report.photos.length - received.length} photo(s) still arriving`) : null,
    received.length ? null : h('p', { class: 'hint' }, 'No photos'),
    viewer);
}

// zone: the site's time zone, in which its times show.
function facts(report, zone) {
  const loc = report.location;
  const rows = [['Site', `${report.site.name} (${report.site.code})`], ['Reported by', report.reporter?.name || '—'],
    ['Observed', when(report.observed_at, zone)], ['Received', when(report.received_at, zone)],
    ['Site time zone', zone || '—'],
    ['Location', loc ? `${loc.lat.toFixed(5)}, ${loc.lon.toFixed(5)}${loc.accuracy_m ? ` (±${Math.round(loc.accuracy_m)} m)` : ''}` : 'Not given'],
    ['Worker’s rating', report.risk_score ? `${report.severity} × ${report.likelihood} = ${report.risk_score} (${report.risk_band})` : 'Not rated'],
    ['Status', label('statuses', report.status)]];
  return h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

// The classifier's doubt, the language read and what read it: shown when the API gives them.
function categoryCheck(triage) {
  if (!triage.check_category) return null;
  const sure = typeof triage.category_confidence === 'number' ? ` (${Math.round(triage.category_confidence * 100)}% sure)` : '';
  return h('div', { class: 'message warn check-category', role: 'status' },
    h('strong', {}, 'Check category'),
    h('p', {}, `Triage is not sure this is ${triage.category_label || triage.category}${sure}. Set the right one in the override form below: later reports like it learn from it.`));
}

function triagePanel(triage, zone) {
  if (!triage) return h('p', { class: 'message info' }, 'Not triaged yet: the triage job runs within seconds of a report arriving.');
  const values = [['priority', triage.priority], ['category', triage.category_label || triage.category],
    ['risk', triage.risk_score ? `${triage.severity} × ${triage.likelihood} = ${triage.risk_score} (${triage.risk_band})` : '—'],
    ['due_at', when(triage.due_at, zone)], ['assignee', triage.assignee?.name || 'Unassigned'],
    ['reportable', triage.reportable ? 'Potentially reportable' : 'No']];
  return h('div', { class: 'triage-panel' },
    categoryCheck(triage),
    h('dl', { class: 'facts' }, values.flatMap(([field, value]) => [
      h('dt', {}, FIELD_LABELS[field]),
      h('dd', {}, h('strong', { class: field === 'priority' ? `priority ${value}` : '' }, value),
        (triage.overridden || []).includes(field === 'risk' ? 'severity' : field === 'assignee' ? 'assignee_id' : field) ? h('span', { class: 'badge overridden' }, 'overridden') : null)])),
    triage.language_label ? h('p', { class: 'language' }, `Written in ${triage.language_label}`) : null,
    h('h4', {}, 'Why'),
    h('ul', { class: 'reasons' }, Object.entries(triage.reasons || {}).flatMap(([field, reasons]) =>
      reasons.map((reason) => h('li', {}, h('b', {}, `${FIELD_LABELS[field] || field}: `), reason)))),
    triage.overrides?.length ? h('div', {}, h('h4', {}, 'Overrides'), h('ul', { class: 'reasons' }, triage.overrides.map((o) =>
      h('li', {}, `${FIELD_LABELS[o.field] || o.field}: ${o.computed ?? '—'} → ${o.value ?? '—'} by ${o.by?.name || '?'}, ${when(o.at)}: “${o.reason}”`)))) : null,
    triage.classifier_version ? h('p', { class: 'hint classifier' }, h('small', {}, `Read by ${triage.classifier_version}`)) : null);
}

function overrideForm(report, triage, officers, onDone) {
  const message = h('p', { class: 'message', role: 'alert' });
  const choice = (name, label, options, current) => h('label', { class: 'filter' }, label,
    h('select', { name }, h('option', { value: '' }, 'Keep'), options.map(([v, t]) => h('option', { value: v, disabled: String(v) === String(current) }, t))));
  const pairs = (name) => entries(name).map((e) => [e.value, e.label]);
  const ratings = (name) => entries(name).map((e) => [e.value, `${e.value} ${e.label}`]);
  const form = h('form', { class: 'override', onsubmit: async (event) => {
    event.preventDefault();
    const body = Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));
    for (const key of ['severity', 'likelihood', 'assignee_id']) if (key in body) body[key] = Number(body[key]);
    if (Object.keys(body).length < 2) { message.className = 'message error'; message.textContent = 'Change at least one value.'; return; }
    try {
      await api.patch(`/api/reports/${report.id}/triage`, body);
      onDone();
    } catch (error) {
      message.className = 'message error';
      message.textContent = error instanceof ApiError && error.problem.errors
        ? Object.entries(error.problem.errors).map(([f, m]) => `${FIELD_LABELS[f] || f}: ${[].concat(m).join(' ')}`).join('; ')
        : error.message;
    }
  } },
  h('div', { class: 'row' },
    choice('priority', 'Priority', pairs('priorities'), triage?.priority),
    choice('category', 'Category', pairs('triage_categories'), triage?.category),
    choice('severity', 'Severity', ratings('severities'), triage?.severity),
    choice('likelihood', 'Likelihood', ratings('likelihoods'), triage?.likelihood),
    choice('assignee_id', 'Assignee', officers.map((o) => [o.id, o.name]), triage?.assignee?.id)),
  h('label', { for: 'override-reason' }, 'Reason (required)'),
  h('textarea', { id: 'override-reason', name: 'reason', required: true, rows: 2, maxlength: 500 }),
  message,
  h('button', { class: 'button primary', type: 'submit' }, 'Override'));
  return form;
}

// What the officer may do with a pair: decide a suggestion, or change their mind later.
function decisions(candidate, decide) {
  const button = (text, cls, status) => h('button', { class: `button ${cls}`, type: 'button', onclick: () => decide(status) }, text);
  if (candidate.status === 'suggested') {
    return h('div', { class: 'row' }, button('Confirm duplicate', 'primary', 'confirmed'), button('Dismiss', 'secondary', 'dismissed'));
  }
  return h('div', {},
    h('p', { class: `badge ${candidate.status}` }, label('duplicate_statuses', candidate.status)),
    candidate.decided_by ? h('p', { class: 'hint' }, `by ${candidate.decided_by.name}, ${when(candidate.decided_at)}`) : null,
    candidate.status === 'confirmed'
      ? button('Not the same: keep apart', 'secondary', 'dismissed')
      : button('Confirm duplicate after all', 'secondary', 'confirmed'));
}

function side(title, report, alt) {
  return h('div', { class: 'side' }, h('h4', {}, title), h('p', {}, report?.description || ''),
    report?.photos?.[0]?.urls ? h('img', { src: report.photos[0].urls.thumb, alt }) : null);
}

// One pair: the verdict first and large, both reports side by side, the reasons in words.
function pairView(report, candidate, other, onDone) {
  const decide = (status) => api.post(`/api/reports/${report.id}/duplicates/${candidate.report_id}`, { status }).then(onDone);
  const verdict = candidate.verdict_label || `Similarity ${Math.round(candidate.score * 100)}%`;
  const merged = { into_other: 'This report is merged into the other one.', into_this: 'The other report is merged into this one.' }[candidate.merged];
  return h('article', { class: 'duplicate', dataset: { verdict: candidate.verdict || '' } },
    h('h4', { class: `message ${candidate.verdict === 'likely_duplicate' ? 'warn' : 'info'}` }, verdict,
      h('span', { class: 'hint' }, ` · score ${Math.round(candidate.score * 100)}%`)),
    merged ? h('p', { class: 'merged-note' }, h('strong', {}, merged)) : null,
    h('div', { class: 'pair' },
      side('This report', report, 'This report’s photo'),
      h('div', { class: 'side' }, h('h4', {}, h('a', { href: `#/desk/report/${candidate.report_id}` }, 'Other report')),
        h('p', {}, other?.description || ''), other?.photos?.[0]?.urls ? h('img', { src: other.photos[0].urls.thumb, alt: 'Other report’s photo' }) : null,
        h('p', { class: 'hint' }, other ? `${other.site.name} · ${when(other.observed_at)}` : '')),
      h('div', { class: 'verdict' }, h('h5', {}, 'Why'),
        h('ul', { class: 'reasons' }, candidate.reasons.map((r) => h('li', {}, r))),
        decisions(candidate, decide))));
}

function duplicatesPanel(report, candidates, others, onDone) {
  if (!candidates.length) return h('p', { class: 'hint' }, 'No possible duplicates found.');
  return h('div', { class: 'duplicates' }, candidates.map((candidate, i) => pairView(report, candidate, others[i], onDone)));
}

// Merges at the top of the page: into which report this one went, or which went into it.
function mergePanel(candidates, others) {
  const into = candidates.findIndex((c) => c.merged === 'into_other');
  if (into >= 0) {
    return h('div', { class: 'message info merge-panel', role: 'status' },
      h('strong', {}, 'Merged into another report'),
      h('p', {}, 'An officer confirmed this report as a duplicate: it is kept and linked, and the queue shows the earlier report for both.'),
      h('a', { class: 'button primary', href: `#/desk/report/${candidates[into].report_id}` },
        `Open the report it was merged into${others[into] ? `: ${others[into].description}` : ''}`));
  }
  const merged = candidates.map((c, i) => [c, others[i]]).filter(([c]) => c.merged === 'into_this');
  if (!merged.length) return null;
  return h('div', { class: 'message info merge-panel', role: 'status' },
    h('strong', {}, `${merged.length + 1} reports merged here`),
    h('p', {}, 'The queue shows this report for all of them. Merged into it:'),
    h('ul', { class: 'merged-list' }, merged.map(([c, other]) => h('li', {},
      h('a', { class: 'button secondary', href: `#/desk/report/${c.report_id}` }, other?.description || 'Merged report')))));
}

function problemText(error) {
  if (!(error instanceof ApiError)) return error.message;
  const fields = Object.entries(error.problem.errors || {}).map(([f, m]) => `${f === 'note' ? 'Closing note' : f}: ${[].concat(m).join(' ')}`);
  return fields.length ? fields.join('; ') : error.message;
}

// The closing note, asked for before a report is closed; onClose(note) sends it.
function closeForm(onClose, onCancel) {
  const message = h('p', { class: 'message', role: 'alert', id: 'closing-note-error' });
  const note = h('textarea', { id: 'closing-note', name: 'note', rows: 4, maxlength: 2000, 'aria-describedby': 'closing-note-error' });
  const fail = (text) => { message.className = 'message error'; message.textContent = text; note.setAttribute('aria-invalid', 'true'); note.focus(); };
  const form = h('form', { class: 'close-form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!note.value.trim()) return fail('Write a closing note: say what was done about it.');
    try { await onClose(note.value); } catch (error) { fail(problemText(error)); }
  } },
  h('label', { for: 'closing-note' }, 'Closing note (required): what was done'),
  note, message,
  h('div', { class: 'row' }, h('button', { class: 'button primary big', type: 'submit' }, 'Close report'),
    h('button', { class: 'button secondary big', type: 'button', onclick: onCancel }, 'Cancel')));
  return form;
}

// Where the report stands, and the moves an officer may make from there.
function statusPanel(report, onDone) {
  const panel = h('section', { class: 'panel wide-panel status-panel', 'aria-labelledby': 'status-title' });
  const message = h('p', { class: 'message', role: 'alert' });
  const send = async (status, note) => {
    await api.patch(`/api/reports/${report.id}/status`, note === undefined ? { status } : { status, note });
    onDone();
  };
  const act = (status) => send(status).catch((error) => { message.className = 'message error'; message.textContent = problemText(error); });
  const button = (label, cls, onclick) => h('button', { class: `button big ${cls}`, type: 'button', onclick }, label);
  const showClose = () => panel.replaceChildren(...head(), closeForm((note) => send('closed', note), () => draw()));
  const head = () => [h('h3', { id: 'status-title' }, 'Status'),
    h('p', { class: `status-now status-${report.status}` }, label('statuses', report.status)),
    report.status_note ? h('p', { class: 'status-note' }, h('b', {}, report.status === 'closed' ? 'Closing note: ' : 'Note: '), report.status_note) : null,
    report.closed_at ? h('p', { class: 'hint' }, `Closed ${when(report.closed_at)}`) : null].filter(Boolean);
  const moves = {
    received: [button('Start work', 'primary', () => act('in_progress')), button('Close', 'secondary', showClose)],
    triaged: [button('Start work', 'primary', () => act('in_progress')), button('Close', 'secondary', showClose)],
    in_progress: [button('Close', 'primary', showClose)],
    closed: [button('Reopen', 'secondary', () => act('in_progress'))],
  };
  const draw = () => panel.replaceChildren(...head(),
    moves[report.status] ? h('div', { class: 'row status-actions' }, moves[report.status])
      : h('p', { class: 'hint' }, 'Photos are still arriving: work can start once they are all in.'),
    message);
  draw();
  return panel;
}

function logLine(e) {
  const what = e.action === 'status_changed'
    ? `status: ${label('statuses', e.data.previous)} → ${label('statuses', e.data.status)}`
    : e.action.replaceAll('_', ' ');
  return h('li', {}, h('strong', {}, what), ` · ${e.actor?.name || 'Safeloop'} · ${when(e.created_at)}`,
    e.data?.reason ? h('div', { class: 'hint' }, `Reason: ${e.data.reason}`) : null,
    e.data?.note ? h('div', { class: 'hint' }, `Note: ${e.data.note}`) : null);
}

function eventLog(events) {
  return h('ol', { class: 'log' }, events.map(logLine));
}

// back: the queue as the officer left it (its filters are in the hash).
// isCurrent(): false once the officer has left this screen (nothing is drawn then).
export async function renderDeskReport(root, { id, back = '#/desk', isCurrent = () => true }) {
  const refresh = () => renderDeskReport(root, { id, back, isCurrent });
  const sites = api.get('/api/sites').catch(() => []);
  const [report, triage, events, officers] = await Promise.all([
    api.report(id), api.get(`/api/reports/${id}/triage`).catch((e) => (e.status === 404 ? null : Promise.reject(e))),
    api.get(`/api/reports/${id}/events`), api.get('/api/users?role=officer')]);
  const candidates = triage?.duplicates || [];
  const others = await Promise.all(candidates.map((c) => api.report(c.report_id).catch(() => null)));
  const zone = (await sites).find((site) => site.id === report.site.id)?.time_zone;
  if (!isCurrent()) return;
  const analysis = h('section', { class: 'panel wide-panel', 'aria-labelledby': 'analysis-title' });
  root.replaceChildren(h('section', { class: 'screen desk' },
    h('a', { class: 'button secondary', href: back }, '← Queue'),
    h('h2', {}, `${kindLabel(report.kind)}: ${report.description}`),
    mergePanel(candidates, others),
    statusPanel(report, refresh),
    ncPanel(report),
    riskLinkPanel('report', report),
    h('div', { class: 'columns' },
      h('section', { class: 'panel' }, h('h3', {}, 'Photos'), photoStrip(report), h('h3', {}, 'Where and when'), facts(report, zone)),
      h('section', { class: 'panel' }, h('h3', {}, 'Triage'), triagePanel(triage, zone),
        h('details', { class: 'override-box' }, h('summary', {}, 'Override triage'), overrideForm(report, triage, officers, refresh)))),
    h('section', { class: 'panel wide-panel' }, h('h3', {}, 'Possible duplicates'), duplicatesPanel(report, candidates, others, refresh)),
    analysis,
    h('section', { class: 'panel wide-panel' }, h('h3', {}, 'Event log'), eventLog(events))));
  await renderAnalysis(analysis, report);
}
