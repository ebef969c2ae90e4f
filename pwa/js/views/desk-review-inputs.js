// A review's inputs on the desk, in the order of ISO 45001 clause 9.3 (a to g), with the same
// figures and the same charts as the pack: each figure beside the previous period's.
import { h } from '../dom.js';
import { entries, label } from '../lists.js';
import { chart, compareTable, dayName, figure, plural, rate, section } from './desk-review-parts.js';

const yesNo = (value) => (value === true ? 'Yes' : value === false ? 'No' : '—');
const pair = (...parts) => h('div', { class: 'review-pair' }, ...parts);

function table(name, head, rows) {
  return h('table', { class: 'queue review-table', dataset: { table: name } },
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c, i) => h('td', { 'data-label': head[i] }, c))))));
}

function previousActions(inputs) {
  const actions = inputs.previous_actions || [];
  const done = actions.filter((a) => a.on_time === true).length;
  const late = actions.filter((a) => a.status === 'done' && a.on_time === false).length;
  const open = actions.filter((a) => a.status === 'open').length;
  const rows = actions.map((a) => [a.title, a.owner?.name ?? '—', dayName(a.due_on), label('action_statuses', a.status),
    a.done_at ? dayName(a.done_at) : '—', yesNo(a.on_time)]);
  return section('a', 'Actions from previous management reviews', 'The status of actions from previous management reviews.',
    actions.length ? [h('p', { class: 'summary' }, `${plural(actions.length, 'action')}: ${done} done on time, ${late} done late, ${open} still open.`),
      table('previous-actions', ['Action', 'Owner', 'Due', 'Status', 'Done on', 'On time'], rows)]
      : h('p', { class: 'hint' }, 'The previous review left no actions.'));
}

function changes(inputs) {
  const found = inputs.changes || {};
  const templates = (found.template_versions || []).map((t) => `${t.name} (version ${t.version})`).join('; ') || 'none';
  const words = { added: 'Added to the register', band_up: 'Rated a higher band' };
  const rows = (found.entries || []).map((e) => [e.number ?? '—', e.hazard, words[e.change] ?? e.change]);
  return section('b', 'Changes in issues, risks and opportunities', 'Changes in internal and external issues, needs and expectations, legal requirements, risks and opportunities.',
    h('p', { class: 'summary' }, `Risk register: ${found.risks_added ?? 0} entries added, ${found.risks_raised ?? 0} rated a higher band. Audit templates revised: ${templates}.`),
    // Reviews held before documents were kept have no such counts.
    found.documents_approved === undefined ? null
      : h('p', { class: 'summary' }, `Documents: ${plural(found.documents_approved, 'revision')} approved, ${plural(found.acknowledgements ?? 0, 'acknowledgement')} made.`),
    rows.length ? table('changes', ['Entry', 'Hazard or opportunity', 'Change'], rows) : null);
}

function objectives(inputs) {
  const found = inputs.objectives || [];
  const unit = (value, o) => (value === null || value === undefined ? '—' : `${figure(value)} ${o.unit || ''}`.trim());
  const rows = found.map((o) => [o.title, o.site?.name ?? 'All sites', `${o.direction === 'at_most' ? '≤' : '≥'} ${unit(o.target, o)}`,
    unit(o.value, o), unit(o.previous_value, o), h('span', { class: `met met-${o.met}` }, o.met === null ? 'n/a' : yesNo(o.met))]);
  const met = found.filter((o) => o.met === true).length;
  const measured = found.filter((o) => o.met !== null && o.met !== undefined).length;
  return section('c', 'Objectives met', 'The extent to which the policy and the objectives have been met.',
    found.length ? [h('p', { class: 'summary' }, `${met} of ${plural(measured, 'measured objective')} met.`),
      table('objectives', ['Objective', 'Site', 'Target', 'This period', 'Previous', 'Met'], rows)]
      : h('p', { class: 'hint' }, 'No objectives are set for these sites: add them on the reviews page.'));
}

const compared = (block = {}, rows, percent = []) => rows.map(([name, key]) => [name, block.current?.[key], block.previous?.[key], percent.includes(key)]);

function incidents(id, p) {
  const kinds = compared(p.incidents, [...entries('kinds').map((k) => [k.label, k.value]), ['All reports', 'total']]);
  const ncs = p.nonconformities || {};
  const sources = [...new Set([...Object.keys(ncs.current?.by_source || {}), ...Object.keys(ncs.previous?.by_source || {})])];
  const ncRows = [...compared(ncs, [['Raised', 'raised'], ['of which major', 'major'], ['of which minor', 'minor'], ['Closed in the period', 'closed'], ['Open at the end', 'open_at_end']]),
    ...sources.map((s) => [`Raised from: ${label('nc_sources', s)}`, ncs.current?.by_source?.[s] ?? 0, ncs.previous?.by_source?.[s] ?? 0, false])];
  const actions = p.actions || {};
  const actionRows = [...compared(actions, [['Due in the period', 'due'], ['Done by their due day', 'done_on_time'], ['On-time rate', 'on_time_rate'], ['Overdue at the end', 'overdue_at_end']], ['on_time_rate']),
    ...compared(actions.effective_first_time, [['NCs checked for effectiveness', 'checked'], ['Effective at the first check', 'effective_first'], ['Effective-first-time rate', 'rate']], ['rate'])];
  const now = actions.current || {};
  const first = actions.effective_first_time?.current || {};
  return [h('h4', {}, '1. Incidents, nonconformities and corrective actions'),
    pair(chart(id, 'incidents-by-month', 'Incidents by month', `Incidents by month and kind; ${p.incidents?.current?.total ?? 0} reports in all this period.`),
      compareTable('Reports by kind', kinds, 'kinds')),
    p.incidents?.serious === undefined ? null : h('p', { class: 'hint' }, `Serious incidents in the period: ${p.incidents.serious}.`),
    pair(compareTable('Nonconformities', ncRows, 'nonconformities'), compareTable('Corrective actions', actionRows, 'actions')),
    chart(id, 'rates', 'Actions on time and NCs effective at the first check', `Actions done on time: ${rate(now.on_time_rate)}; NCs effective at the first check: ${rate(first.rate)}.`)];
}

function monitoring(id, p) {
  const m = p.monitoring || {};
  const bands = entries('risk_bands').slice().reverse().map((b) => `${b.label} ${m.bands?.[b.value] ?? 0}`).join(', ');
  return [h('h4', {}, '2. Monitoring: risks and opportunities in the register'),
    h('p', { class: 'summary' }, `Register entries in scope by residual band: ${bands}. Due for review: ${m.review_due ?? 0}.`),
    chart(id, 'heat-map', "Residual risk of the register's entries", `Residual risk heat map of ${m.heat_map?.total ?? 0} register entries: ${bands}.`)];
}

function audits(id, p) {
  const a = p.audits || {};
  const rows = compared(a, [['Audits submitted', 'submitted'], ['Audits planned', 'planned'], ['Overdue at the end', 'overdue'], ['Average score', 'average_score']], ['average_score']);
  // The findings counted by clause, in the order the audit results are listed.
  const results = entries('audit_results').filter((r) => (a.by_clause || []).some((c) => r.value in c));
  const clauses = (a.by_clause || []).map((c) => [c.clause, ...results.map((r) => String(c[r.value] ?? 0))]);
  const sites = (a.by_site || []).map((s) => `${s.name} ${rate(s.average_score)}`).join(', ');
  return [h('h4', {}, '3. Audit results'),
    pair(compareTable('Audits', rows, 'audits'), chart(id, 'audit-scores', 'Audit score by site', `Average audit score by site: ${sites || 'none'}.`)),
    clauses.length ? table('clauses', ['Clause', ...results.map((r) => r.label)], clauses) : null];
}

function participation(p) {
  const rows = compared(p.participation, [['Reports sent', 'reports'], ['People who sent a report', 'reporters'], ['Active people', 'people'],
    ['Reports per person', 'reports_per_person'], ['Good-practice reports', 'good_practice']]);
  return [h('h4', {}, '4. Consultation and participation of workers'), compareTable('Participation', rows, 'participation')];
}

function performance(id, inputs) {
  const p = inputs.performance || {};
  return section('d', 'Performance', 'The performance and its trends: incidents, nonconformities and corrective actions, monitoring and measurement, audit results, participation of workers.',
    chart(id, 'comparison', 'This period beside the previous one', 'The key counts of this period beside the previous one; the tables below give each figure.'),
    ...incidents(id, p), ...monitoring(id, p), ...audits(id, p), ...participation(p));
}

function counts(name, rows) {
  return h('table', { class: 'queue review-counts', dataset: { table: name } },
    h('tbody', {}, rows.map(([text, value]) => h('tr', {}, h('th', { scope: 'row' }, text), h('td', { class: 'num' }, figure(value ?? 0))))));
}

function rest(inputs) {
  const c = inputs.resources?.competences || {};
  const auditors = inputs.resources?.internal_auditors;
  // Reviews held before the organization's training_due_days was kept show 90 days.
  const due = c.due_days === undefined ? ['Expiring within 90 days', c.expiring_within_90_days]
    : [`Due: expiring within ${plural(c.due_days, 'day')}`, c.expiring_within_due_days];
  const people = auditors ? [['People holding a valid internal audit record', auditors.qualified],
    ['People holding none', auditors.not_qualified]] : [];
  const m = inputs.communications || {};
  const ideas = (inputs.improvement_opportunities || []).map((o) => [o.number ?? '—', o.activity, o.hazard, label('risk_bands', o.residual_band)]);
  return [
    section('e', 'Adequacy of resources', 'The adequacy of resources for maintaining an effective management system.',
      counts('resources', [['Competence records valid', c.valid], due, ['Expired', c.expired], ...people])),
    section('f', 'Communication with interested parties', 'Relevant communication with interested parties.',
      counts('communications', [['Reminders sent', m.reminders_sent], ['Reports closed with a note to the reporter', m.reports_closed_with_note]])),
    section('g', 'Opportunities for continual improvement', 'Opportunities for continual improvement.',
      ideas.length ? table('opportunities', ['Entry', 'Activity', 'What could be gained', 'Residual band'], ideas) : h('p', { class: 'hint' }, 'No opportunities are recorded in the register for these sites.')),
  ];
}

// Every input of the review, a) to g).
export function inputSections(review) {
  const inputs = review.inputs || {};
  return [previousActions(inputs), changes(inputs), objectives(inputs), performance(review.id, inputs), ...rest(inputs)];
}
