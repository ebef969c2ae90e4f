// "My reports": what is still on the phone (and why), then what the server holds; newest first.
// Only the signed-in person's own reports: on a shared phone nobody sees another's.
import * as cache from '../cache.js';
import { confirmDialog, h, kindLabel } from '../dom.js';
import { label } from '../lists.js';
import * as outbox from '../outbox.js';

export function when(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function stateBadge(item, progress) {
  if (item.state === 'sending') {
    const percent = progress === undefined ? '' : ` ${Math.round(progress * 100)}%`;
    return h('span', { class: 'badge sending' }, `Sending${percent}`);
  }
  return h('span', { class: `badge ${item.state}` }, outbox.STATES[item.state]);
}

// The description opens the report; the whole card is its target (see .card-link in the CSS).
const opener = (id, description) => h('p', { class: 'text' }, h('a', { class: 'card-link', href: `#/reports/${id}` }, description));

function unsentCard(item, progress, { onRetry, onDelete }) {
  const report = item.body;
  return h('li', { class: `card state-${item.state}`, dataset: { id: item.id, state: item.state } },
    h('div', { class: 'row spread' }, h('strong', {}, kindLabel(report.kind)), stateBadge(item, progress)),
    opener(item.id, report.description),
    h('p', { class: 'hint' }, `${item.local?.siteName || ''} · ${when(report.observed_at)} · ${item.photos.length} photo(s)`),
    item.reason ? h('p', { class: `reason ${item.state === 'attention' ? 'error' : 'info'}` }, item.reason) : null,
    item.state === 'attention' ? h('div', { class: 'row' },
      h('button', { class: 'button secondary', onclick: () => onRetry(item) }, 'Try again'),
      h('button', { class: 'button danger', onclick: () => onDelete(item) }, 'Delete')) : null);
}

// What triage concluded, in a line: priority, category, risk, due date.
export function triageLine(triage) {
  if (!triage) return null;
  const parts = [triage.priority && `Priority ${triage.priority}`,
    triage.category && label('triage_categories', triage.category),
    triage.risk_band && `${label('risk_bands', triage.risk_band)} risk`,
    triage.due_at && `due ${new Date(triage.due_at).toLocaleDateString(undefined, { dateStyle: 'medium' })}`];
  return h('p', { class: `triage band-${triage.risk_band || 'none'}` }, parts.filter(Boolean).join(' · '));
}

// What the officer said with the latest change of status: the closing note once closed.
export function statusNote(view) {
  if (!view.status_note) return null;
  return h('p', { class: 'status-note' }, h('b', {}, view.status === 'closed' ? 'Closing note: ' : 'Note: '), view.status_note);
}

// The nonconformity an officer raised from the report: where it stands (not its internals).
export function ncLine(view) {
  const nc = view.nonconformity;
  if (!nc) return null;
  return h('p', { class: `nc-line status-${nc.status}` }, h('b', {}, 'Nonconformity raised: '), label('nc_statuses', nc.status));
}

export const serverStatus = (view) => h('p', { class: `server-status status-${view.status}` }, label('statuses', view.status, 'reporter_label'));

function syncedCard(view) {
  return h('li', { class: 'card state-synced', dataset: { id: view.id, state: 'synced' } },
    h('div', { class: 'row spread' }, h('strong', {}, kindLabel(view.kind)),
      h('span', { class: 'badge synced' }, 'Synced')),
    opener(view.id, view.description),
    h('p', { class: 'hint' }, `${view.site_name || view.site?.name || ''} · ${when(view.observed_at)}`),
    serverStatus(view),
    statusNote(view),
    ncLine(view),
    triageLine(view.triage));
}

// highlight: {id} of the report just saved; it is scrolled into view once in each list it enters.
// isCurrent(): false once the person has left this screen (nothing is drawn then).
export async function renderReports(root, { me, progress, syncNow, highlight, isCurrent = () => true }) {
  const [items, synced] = await Promise.all([outbox.peek(me.user.id), cache.list(me.user.id)]);
  if (!isCurrent()) return;
  const unsent = items.filter((item) => item.type === 'report').reverse();
  const rerender = () => renderReports(root, { me, progress, syncNow, highlight, isCurrent });
  const actions = {
    onRetry: async (item) => { await outbox.mark(item.id, 'saved'); syncNow(); },
    onDelete: async (item) => {
      if (await confirmDialog('Delete this report?', 'It was never received by the server. This cannot be undone.', 'Delete it', 'Keep it')) {
        await outbox.discard(item.id);
        rerender();
      }
    },
  };
  root.replaceChildren(h('section', { class: 'screen' },
    h('h2', {}, 'My reports'),
    h('h3', {}, unsent.length ? `On this phone, not sent yet (${unsent.length})` : 'Everything is sent'),
    h('ul', { class: 'cards', id: 'outbox-list' }, unsent.map((item) => unsentCard(item, progress.get(item.id), actions))),
    synced.length ? h('h3', {}, 'Sent') : null,
    unsent.length || synced.length ? null : h('p', { class: 'hint' }, 'No reports of yours on this phone yet. What you report shows here.'),
    h('ul', { class: 'cards', id: 'synced-list' }, synced.map(syncedCard))));
  showSaved(root, highlight);
}

function showSaved(root, highlight) {
  const card = highlight && root.querySelector(`.card[data-id="${highlight.id}"]`);
  if (!card) return;
  card.classList.add('just-saved');
  const list = card.parentElement.id;
  if (highlight.placed === list) return;
  highlight.placed = list;
  card.scrollIntoView({ block: 'nearest' });
}
