// One of my actions: what to do, for which nonconformity or review, by when; mark it done with notes and
// photos. The update is saved on the phone first (the outbox) and sent when the network allows.
import * as actionCache from '../action-cache.js';
import { api } from '../api.js';
import { dayLabel, dueText } from '../days.js';
import { confirmDialog, h } from '../dom.js';
import { label } from '../lists.js';
import * as outbox from '../outbox.js';
import { actionSource, standing, stateBadge } from './actions.js';
import { photoPicker } from './capture.js';

const NOTES_LIMIT = 2000;

function facts(action) {
  const source = actionSource(action);
  const rows = [['For', source?.title], ['Site', action.site?.name ?? source?.site?.name],
    ['Kind', label('action_kinds', action.kind)], ['Control', label('controls', action.control)],
    ['Due', action.status === 'open' ? `${dayLabel(action.due_on)} (${dueText(action.due_on).toLowerCase()})` : dayLabel(action.due_on)],
    [label('action_statuses', 'done'), action.done_at ? new Date(action.done_at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : null]];
  return h('dl', { class: 'facts' }, rows.filter(([, v]) => v).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

// Thumbnails of photos: the bytes kept on the phone, or the server's copies once sent.
async function photoList(item, action) {
  if (item) {
    const stored = await Promise.all(item.photos.map((ref) => outbox.photo(ref.sha256)));
    return stored.filter(Boolean).map((p) => URL.createObjectURL(new Blob([p.bytes], { type: p.type })));
  }
  return (action.photos || []).filter((p) => p.urls).map((p) => p.urls.thumb);
}

async function evidence(item, action) {
  const urls = await photoList(item, action);
  const count = item ? item.photos.length : action.photo_count ?? action.photos?.length ?? 0;
  return h('div', { class: 'evidence' },
    h('h3', {}, 'What was done'),
    h('p', { class: 'text notes' }, (item ? item.body.notes : action.notes) || '—'),
    urls.length ? h('ul', { class: 'thumbs', 'aria-label': 'Evidence photos' }, urls.map((src, i) => h('li', {}, h('img', { src, alt: `Evidence photo ${i + 1}` }))))
      : h('p', { class: 'hint' }, count ? `${count} photo(s) sent` : 'No photos'));
}

// The update as an outbox item: the action's own id, and what the phone knows of the action.
function updateItem(action, me, notes, photos) {
  const { userId, ...known } = action;
  return {
    id: action.id, type: 'action_update', userId: me.user.id,
    body: { status: 'done', notes, done_at: new Date().toISOString() },
    photos: photos.map(({ sha256, type, width, height }) => ({ sha256, content_type: type, width, height })),
    local: { action: known },
  };
}

function doneForm(action, me, onSaved) {
  const draft = { photos: [] };
  const message = h('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  const say = (text, tone = 'info') => { message.textContent = text; message.className = `message ${tone}`; };
  const notes = h('textarea', { id: 'action-notes', rows: 4, maxlength: NOTES_LIMIT, placeholder: 'What you did, in a sentence or two' });
  const save = h('button', { type: 'submit', class: 'button primary wide big' }, 'Mark done');
  return h('form', { class: 'stack action-done', onsubmit: async (event) => {
    event.preventDefault();
    const text = notes.value.trim();
    if (!text) { say('Say in a few words what was done.', 'error'); notes.focus(); return; }
    save.disabled = true;
    const photos = draft.photos.map(({ sha256, type, bytes, width, height }) => ({ sha256, type, bytes, width, height }));
    await outbox.add(updateItem(action, me, text, draft.photos), photos);
    draft.photos.forEach((p) => URL.revokeObjectURL(p.url));
    onSaved(action.id);
  } },
  h('h3', {}, 'Report it done'),
  h('label', { for: 'action-notes' }, 'What was done?'), notes,
  h('p', { class: 'hint' }, 'Photos of the work done are the evidence the officer checks.'),
  photoPicker(draft, say),
  message,
  // Fixed at the foot of the screen (in place of the tabs), in reach without scrolling.
  h('div', { class: 'save-bar' }, save));
}

function screen(action, ...rest) {
  return h('section', { class: 'screen action-detail' },
    h('div', { class: 'row spread' }, h('a', { class: 'button secondary', href: '#/actions' }, '← My actions')),
    h('h2', {}, action.title),
    ...rest);
}

// An update that needs attention: send it again, or delete it (only with the person's yes).
function attentionButtons(item, syncNow, redraw) {
  return h('div', { class: 'row' },
    h('button', { class: 'button secondary big', type: 'button', onclick: async () => { await outbox.mark(item.id, 'saved'); await syncNow(); redraw(); } }, 'Try again'),
    h('button', { class: 'button danger big', type: 'button', onclick: async () => {
      if (!(await confirmDialog('Delete this update?', 'The server never took it. The action stays open.', 'Delete it', 'Keep it'))) return;
      await outbox.discard(item.id);
      redraw();
    } }, 'Delete'));
}

// The server's view of the action, kept on the phone; whether it changed what the phone knew.
async function freshen(me, id) {
  const view = await api.get(`/api/actions/${id}`).catch(() => null);
  return view ? (await actionCache.keep(me.user.id, view)) > 0 : false;
}

// isCurrent(): false once the person has left this screen (nothing is drawn then); fetched: the
// server was asked already.
export async function renderAction(root, { me, id, onSaved, syncNow, progress, isCurrent = () => true, fetched = false }) {
  const redraw = (again = fetched) => renderAction(root, { me, id, onSaved, syncNow, progress, isCurrent, fetched: again });
  const [cached, item] = await Promise.all([actionCache.get(me.user.id, id), outbox.get(me.user.id, id)]);
  if (!isCurrent()) return;
  const action = cached ?? (item ? { ...item.local?.action, id } : null);
  if (!action) {
    root.replaceChildren(h('section', { class: 'screen' }, h('a', { class: 'button secondary', href: '#/actions' }, '← My actions'),
      h('p', { class: 'message error' }, 'This action is not on this phone: it may have been given to someone else. Open My actions online to see yours.')));
    return;
  }
  const state = standing(action, item?.type === 'action_update' ? item : null);
  const head = h('div', { class: 'row spread action-state' },
    h('strong', { class: `due ${state}` }, action.status === 'open' && !item ? dueText(action.due_on) : label('action_statuses', 'done')),
    stateBadge(state, progress?.get(id)));
  const form = state === 'open' || state === 'overdue';
  if (form) {
    root.replaceChildren(screen(action, head, facts(action), doneForm(action, me, onSaved)));
  } else {
    const shown = await evidence(item, action);
    if (!isCurrent()) return;
    root.replaceChildren(screen(action, head,
      item?.reason ? h('p', { class: `reason ${item.state === 'attention' ? 'error' : 'info'}` }, item.reason) : null,
      item?.state === 'attention' ? attentionButtons(item, syncNow, redraw) : null,
      facts(action), shown));
  }
  if (fetched || item || !navigator.onLine || !(await freshen(me, id)) || !isCurrent()) return;
  // A form being filled in is redrawn only when the action is no longer open (nothing to lose).
  if (!form || (await actionCache.get(me.user.id, id))?.status !== 'open') await redraw(true);
}
