// "My reports": what is still on the phone (and why), then what the server holds.
import { confirmDialog, h, kindLabel } from '../dom.js';
import * as outbox from '../outbox.js';

const SERVER_STATUS = {
  awaiting_photos: 'Photos still arriving',
  received: 'Received, waiting for triage',
  triaged: 'Triaged',
  in_progress: 'Being handled',
  closed: 'Closed',
};

function when(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function stateBadge(item, progress) {
  if (item.state === 'sending') {
    const percent = progress === undefined ? '' : ` ${Math.round(progress * 100)}%`;
    return h('span', { class: 'badge sending' }, `Sending${percent}`);
  }
  return h('span', { class: `badge ${item.state}` }, outbox.STATES[item.state]);
}

function unsentCard(item, progress, { onRetry, onDelete }) {
  return h('li', { class: `card state-${item.state}`, dataset: { id: item.id, state: item.state } },
    h('div', { class: 'row spread' }, h('strong', {}, kindLabel(item.kind)), stateBadge(item, progress)),
    h('p', { class: 'text' }, item.description),
    h('p', { class: 'hint' }, `${item.siteName} · ${when(item.observed_at)} · ${item.photos.length} photo(s)`),
    item.reason ? h('p', { class: `reason ${item.state === 'attention' ? 'error' : 'info'}` }, item.reason) : null,
    item.state === 'attention' ? h('div', { class: 'row' },
      h('button', { class: 'button secondary', onclick: () => onRetry(item) }, 'Try again'),
      h('button', { class: 'button danger', onclick: () => onDelete(item) }, 'Delete')) : null);
}

const BAND_WORDS = { low: 'Low risk', medium: 'Medium risk', high: 'High risk', critical: 'Critical risk' };

// What triage concluded, in a line: priority, category, risk, due date.
function triageLine(triage) {
  if (!triage) return null;
  const parts = [triage.priority && `Priority ${triage.priority}`,
    triage.category && triage.category.replaceAll('_', ' '),
    BAND_WORDS[triage.risk_band],
    triage.due_at && `due ${new Date(triage.due_at).toLocaleDateString(undefined, { dateStyle: 'medium' })}`];
  return h('p', { class: `triage band-${triage.risk_band || 'none'}` }, parts.filter(Boolean).join(' · '));
}

function syncedCard(view) {
  return h('li', { class: 'card state-synced', dataset: { id: view.id, state: 'synced' } },
    h('div', { class: 'row spread' }, h('strong', {}, kindLabel(view.kind)),
      h('span', { class: 'badge synced' }, 'Synced')),
    h('p', { class: 'text' }, view.description),
    h('p', { class: 'hint' }, `${view.site_name || view.site?.name || ''} · ${when(view.observed_at)}`),
    h('p', { class: 'server-status' }, SERVER_STATUS[view.status] || view.status),
    triageLine(view.triage));
}

export async function renderReports(root, { progress, syncNow }) {
  const [unsent, synced] = await Promise.all([outbox.peek(), outbox.synced()]);
  const actions = {
    onRetry: async (item) => { await outbox.mark(item.id, 'saved'); syncNow(); },
    onDelete: async (item) => {
      if (await confirmDialog('Delete this report?', 'It was never received by the server. This cannot be undone.', 'Delete it', 'Keep it')) {
        await outbox.discard(item.id);
        renderReports(root, { progress, syncNow });
      }
    },
  };
  root.replaceChildren(h('section', { class: 'screen' },
    h('h2', {}, 'My reports'),
    h('h3', {}, unsent.length ? `On this phone, not sent yet (${unsent.length})` : 'Everything is sent'),
    h('ul', { class: 'cards', id: 'outbox-list' }, unsent.map((item) => unsentCard(item, progress.get(item.id), actions))),
    synced.length ? h('h3', {}, 'Sent') : null,
    h('ul', { class: 'cards', id: 'synced-list' }, synced.map(syncedCard))));
}
