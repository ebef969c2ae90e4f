// One audit's results at the desk: who, where and when; the score overall and by section; the
// findings with their photos and nonconformities; observations; every answer by section; the PDF.
import { api } from '../api.js';
import { dayLabel, dueText } from '../days.js';
import { h } from '../dom.js';
import { label } from '../lists.js';
import {
  documentCheck, percentBar, percentText, photoThumbs, resultBadge, scoreBand, stateOf, statusCell, templateName, when,
} from './desk-audit-parts.js';
import { riskLinkPanel } from './desk-risk-link.js';

// The role's word is the column's (the roles are served lists).
const auditorWord = () => label('roles', 'auditor');
const panel = (title, ...children) => h('section', { class: 'panel wide-panel' }, h('h3', {}, title), ...children);

function facts(audit) {
  const progress = audit.progress ? `${audit.progress.answered} of ${audit.progress.total} questions answered` : '—';
  const due = audit.due_on ? [dayLabel(audit.due_on), audit.status === 'submitted' ? '' : ` (${dueText(audit.due_on)})`].join('') : 'Unplanned';
  const rows = [['Site', audit.site_name ?? '—'], ['Template', templateName(audit.template)],
    ['Standard', audit.template?.standard ? label('standards', audit.template.standard) : '—'],
    ['Due', due], [auditorWord(), audit.auditor?.name ?? '—'], ['Auditee', audit.auditee?.name ?? '—'],
    ['Started', when(audit.started_at) || '—'], ['Sign-off', when(audit.signed_at) || '—'], ['Answered', progress]];
  return h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

// The overall score large, and a bar per section with its percent and points.
function scorePanel(score) {
  const overall = score?.overall ?? null;
  return h('section', { class: 'panel score-panel' }, h('h3', {}, 'Score'),
    h('p', { class: `score-overall score-${scoreBand(overall)}`, 'aria-label': `Overall score ${percentText(overall)}` }, percentText(overall)),
    h('ul', { class: 'section-scores' }, (score?.by_section || []).map((s) => h('li', { class: 'hbar-row', dataset: { ref: s.ref } },
      h('span', { class: 'hbar-label' }, `${s.ref} ${s.title}`),
      percentBar(s.percent),
      h('span', { class: 'hbar-value' }, percentText(s.percent),
        h('span', { class: 'hint' }, s.possible ? ` ${trim(s.earned)}/${trim(s.possible)}` : ' n/a'))))));
}
const trim = (n) => String(Math.round(n * 10) / 10);

function ncLink(finding, signed) {
  if (finding.nonconformity_id) return h('a', { class: 'button secondary nc-open', href: `#/desk/nc/${finding.nonconformity_id}` }, 'Open its NC →');
  return h('p', { class: 'hint' }, signed ? 'No NC linked' : 'Becomes an NC at sign-off');
}

// The register entry a finding concerns, linked the way a report's or an NC's is.
function findingRisk(audit, item) {
  const base = `/api/audits/${audit.id}/findings/${item.question_id}`;
  const record = { id: item.question_id, site_id: audit.site_id, site: { id: audit.site_id, name: audit.site_name } };
  return riskLinkPanel('finding', record, { base, key: `finding-${item.question_id}` });
}

// Each question's document by question id (the findings name their question only).
const documentsOf = (audit) => new Map((audit.template?.sections || []).flatMap((s) => s.questions).map((q) => [String(q.id), q.document ?? null]));

function findingItem(item, { signed, withNc, audit }) {
  return h('li', { class: `finding result-${item.result || 'observation'}`, dataset: { question: item.question_id } },
    h('div', { class: 'row' }, item.result ? resultBadge(item.result) : resultBadge('observation'),
      h('strong', {}, `${item.ref}`), item.clause ? h('span', { class: 'hint' }, `clause ${item.clause}`) : null),
    h('p', { class: 'question-text' }, item.text),
    documentCheck(audit.documents.get(String(item.question_id))),
    item.notes ? h('p', { class: 'notes' }, item.notes) : null,
    photoThumbs(item.photos),
    withNc ? ncLink(item, signed) : null,
    findingRisk(audit, item));
}

function findingsPanel(audit) {
  const signed = audit.status === 'submitted';
  const findings = audit.findings || [];
  const observations = audit.observations || [];
  return [
    panel(`Findings (${findings.length})`, findings.length
      ? h('ul', { class: 'findings' }, findings.map((f) => findingItem(f, { signed, withNc: true, audit })))
      : h('p', { class: 'hint' }, 'No nonconformities found.')),
    panel(`Observations (${observations.length})`, observations.length
      ? h('ul', { class: 'findings' }, observations.map((o) => findingItem(o, { signed, withNc: false, audit })))
      : h('p', { class: 'hint' }, 'No observations.')),
  ];
}

// Every question by section, with its answer (or that it has none yet).
function answersPanel(audit) {
  const answers = new Map((audit.responses || []).map((r) => [String(r.question_id), r]));
  const sections = audit.template?.sections || [];
  return panel('Answers by section', sections.map((section) => {
    const answered = section.questions.filter((q) => answers.has(String(q.id))).length;
    return h('details', { class: 'answers-section' },
      h('summary', {}, `${section.ref} ${section.title}`, h('span', { class: 'hint' }, ` · ${answered} of ${section.questions.length} answered`)),
      h('ol', { class: 'answers' }, section.questions.map((q) => {
        const answer = answers.get(String(q.id));
        return h('li', { class: 'answer' },
          h('div', { class: 'row' }, h('strong', {}, q.ref), answer ? resultBadge(answer.result) : h('span', { class: 'audit-result unanswered' }, 'Not answered')),
          h('p', { class: 'question-text' }, q.text),
          documentCheck(q.document),
          answer?.notes ? h('p', { class: 'notes' }, answer.notes) : null,
          answer ? photoThumbs(answer.photos) : null);
      })));
  }));
}

// back: the programme as the officer left it. isCurrent(): false once the officer has left.
export async function renderDeskAudit(root, { id, me = null, back = '#/desk/audits', isCurrent = () => true }) {
  const audit = await api.get(`/api/audits/${id}`);
  if (!isCurrent()) return;
  audit.documents = documentsOf(audit);
  const signed = audit.status === 'submitted';
  root.replaceChildren(h('section', { class: 'screen desk audit-page', dataset: { status: audit.status, state: stateOf(audit) } },
    h('a', { class: 'button secondary', href: back }, '← Programme'),
    h('div', { class: 'row nc-head' }, statusCell(audit), h('h2', {}, `${audit.template?.name ?? 'Audit'} · ${audit.site_name ?? ''}`)),
    h('div', { class: 'row audit-tools' },
      h('a', { class: 'button primary', href: `/api/audits/${id}/report.pdf`, download: '' }, 'Download report (PDF)'),
      signed ? null : h('p', { class: 'hint' }, 'Not signed off yet: the score and findings so far.'),
      // The auditor runs it in the field app's runner (offline too); others only read it here.
      !signed && audit.status !== 'cancelled' && me && audit.auditor?.id === me.user.id
        ? h('a', { class: 'button secondary', href: `#/audit/${id}` }, 'Run this audit') : null),
    h('div', { class: 'columns' }, h('section', { class: 'panel' }, h('h3', {}, 'The audit'), facts(audit)), scorePanel(audit.score)),
    findingsPanel(audit),
    answersPanel(audit)));
}
