// "Audits": the audits I run, downloaded whole so that the list and each audit open offline;
// each with its template, site, due day, progress, and what is still on the phone.
import * as audits from '../audit-store.js';
import { dayLabel, dueText } from '../days.js';
import { h } from '../dom.js';
import { label } from '../lists.js';
import * as outbox from '../outbox.js';
import { onSyncEvent } from '../sync.js';

// The list on screen, drawn again when a sync round changes what is sent.
let shown = null;
onSyncEvent((event) => {
  if (event.type !== 'done') return;
  if (shown?.isCurrent() && !document.querySelector('dialog[open]')) renderAudits(shown.root, { ...shown, fetched: true });
});

export const percentText = (value) => (value === null || value === undefined ? '–' : `${Math.round(value)}%`);

// Where an audit stands on this phone: signed off and sent, signed off here, answers waiting.
export function phoneState({ audit, unsent, submit, progress: { answered } }) {
  if (audit.status !== 'planned' && audit.status !== 'in_progress') return { state: 'synced', words: label('audit_statuses', audit.status) };
  if (submit?.state === 'attention') return { state: 'attention', words: outbox.STATES.attention };
  if (submit) return { state: 'saved', words: 'Signed off on this phone' };
  if (unsent) return { state: 'saved', words: `${unsent} answer(s) on this phone` };
  return { state: 'clear', words: answered ? 'All answers sent' : '' };
}

function dueLine(audit) {
  if (!audit.due_on) return h('strong', { class: 'due' }, 'No due day');
  const late = audit.overdue && (audit.status === 'planned' || audit.status === 'in_progress');
  return h('div', { class: 'row' },
    h('strong', { class: `due ${late ? 'late' : ''}` }, `Due ${dayLabel(audit.due_on)}`),
    late ? h('span', { class: 'badge late overdue-badge' }, dueText(audit.due_on)) : null);
}

const progressBar = ({ answered, total }) => h('progress', { class: 'progress', max: total || 1, value: answered, 'aria-label': 'Questions answered' });

function card(entry) {
  const { audit, progress, score } = entry;
  const { state, words } = phoneState(entry);
  return h('li', { class: `card audit-card state-${state}`, dataset: { id: audit.id, state } },
    h('div', { class: 'row spread' }, dueLine(audit), words ? h('span', { class: `badge ${state}` }, words) : null),
    h('p', { class: 'text title' }, h('a', { class: 'card-link', href: `#/audit/${audit.id}` }, audit.template.name)),
    h('p', { class: 'hint' }, [audit.site_name, label('audit_statuses', audit.status)].filter(Boolean).join(' · ')),
    h('p', { class: 'audit-progress' }, `${progress.answered} of ${progress.total} answered · score ${percentText(score.overall)}`),
    progressBar(progress),
    entry.submit?.reason ? h('p', { class: `reason ${entry.submit.state === 'attention' ? 'error' : 'info'}` }, entry.submit.reason) : null);
}

// isCurrent(): false once the person has left this screen; fetched: the server was asked already.
export async function renderAudits(root, { me, isCurrent = () => true, fetched = false }) {
  shown = { root, me, isCurrent };
  const entries = await audits.list(me.user.id);
  if (!isCurrent()) return;
  const open = entries.filter(({ audit }) => audit.status === 'planned' || audit.status === 'in_progress');
  const done = entries.filter((entry) => !open.includes(entry));
  const late = open.filter(({ audit }) => audit.overdue).length;
  root.replaceChildren(h('section', { class: 'screen my-audits' },
    h('h2', {}, 'My audits'),
    h('p', { class: 'hint' }, 'Kept on this phone: they open and can be answered with no network.'),
    h('h3', {}, open.length ? `To run (${open.length})${late ? `, ${late} overdue` : ''}` : 'No audit to run'),
    h('ul', { class: 'cards', id: 'open-audits' }, open.map(card)),
    done.length ? h('h3', {}, label('audit_statuses', 'submitted')) : null,
    h('ul', { class: 'cards', id: 'done-audits' }, done.map(card)),
    entries.length ? null : h('p', { class: 'hint' }, 'No audits for you yet. When one is planned for you, it shows here (open this page once online to download it).')));
  if (fetched || !navigator.onLine) return;
  const changed = await audits.refresh(me.user.id).catch(() => 0);
  if (changed && isCurrent()) await renderAudits(root, { me, isCurrent, fetched: true });
}
