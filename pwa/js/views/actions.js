// "My actions": the actions I own (of nonconformities and management reviews), overdue first, with their due days;
// those marked done on this phone show whether they are saved, sending, synced or need attention.
import * as actionCache from '../action-cache.js';
import { dayLabel, dueText, isOverdue } from '../days.js';
import { h } from '../dom.js';
import { label } from '../lists.js';
import * as outbox from '../outbox.js';
import { showNotices } from './notices.js';

// Where an action stands for its owner: an update waiting on the phone, done, or still to do.
export function standing(action, item) {
  if (item) return item.state;
  if (action.status === 'cancelled') return 'cancelled';
  if (action.status !== 'open') return 'synced';
  return isOverdue(action.due_on) ? 'overdue' : 'open';
}

export function stateBadge(state, progress) {
  if (state === 'sending' && progress !== undefined) return h('span', { class: 'badge sending' }, `Sending ${Math.round(progress * 100)}%`);
  if (state === 'synced') return h('span', { class: 'badge synced' }, 'Synced');
  if (state === 'cancelled') return h('span', { class: 'badge cancelled' }, label('action_statuses', 'cancelled'));
  if (state === 'open' || state === 'overdue') return h('span', { class: `badge ${state === 'overdue' ? 'late' : 'open'}` }, label('action_statuses', 'open'));
  return h('span', { class: `badge ${state}` }, outbox.STATES[state]);
}

// Where the action comes from (its nonconformity, or the management review that decided it)
// and its site.
export const actionSource = (action) => action.nonconformity ?? action.review;

export function actionContext(action) {
  const source = actionSource(action);
  return [source?.title, action.site?.name ?? source?.site?.name].filter(Boolean).join(' · ');
}

export const actionKindLine = (action) =>
  `${label('action_kinds', action.kind)} · ${label('controls', action.control)}`;

function dueLine(action, state) {
  if (state === 'cancelled') return h('strong', { class: 'due done' }, 'No longer needed');
  if (state === 'synced' || action.status !== 'open') {
    return h('strong', { class: 'due done' }, action.done_at ? `Done ${new Date(action.done_at).toLocaleDateString(undefined, { dateStyle: 'medium' })}` : label('action_statuses', action.status));
  }
  if (['saved', 'sending', 'attention'].includes(state)) return h('strong', { class: 'due done' }, 'Marked done on this phone');
  return h('strong', { class: `due ${state === 'overdue' ? 'late' : ''}` }, dueText(action.due_on));
}

function card(action, item, progress) {
  const state = standing(action, item);
  return h('li', { class: `card action-card state-${state}`, dataset: { id: action.id, state } },
    h('div', { class: 'row spread' }, dueLine(action, state), stateBadge(state, progress)),
    h('p', { class: 'text title' }, h('a', { class: 'card-link', href: `#/actions/${action.id}` }, action.title)),
    h('p', { class: 'hint' }, actionContext(action)),
    h('p', { class: 'hint' }, `${actionKindLine(action)} · due ${dayLabel(action.due_on)}`),
    item?.reason ? h('p', { class: `reason ${item.state === 'attention' ? 'error' : 'info'}` }, item.reason) : null);
}

// The actions to show, each with its waiting update: still to do first (overdue ones leading,
// as they are due soonest), then those waiting to be sent, then those done.
async function gather(userId) {
  const [cached, items] = await Promise.all([actionCache.list(userId), outbox.peek(userId)]);
  const updates = new Map(items.filter((i) => i.type === 'action_update').map((i) => [i.id, i]));
  const known = new Set(cached.map((a) => a.id));
  const orphans = [...updates.values()].filter((i) => !known.has(i.id)).map((i) => ({ ...i.local?.action, id: i.id }));
  const all = [...cached, ...orphans].map((action) => ({ action, item: updates.get(action.id) }));
  const rank = ({ action, item }) => (item ? 1 : action.status === 'open' ? 0 : 2);
  return all.sort((a, b) => rank(a) - rank(b) || String(a.action.due_on).localeCompare(String(b.action.due_on)));
}

// highlight: {id} of the update just saved, scrolled to once. fetched: the server was asked already.
// isCurrent(): false once the person has left this screen (nothing is drawn then).
export async function renderActions(root, { me, progress, highlight, isCurrent = () => true, fetched = false }) {
  const shown = await gather(me.user.id);
  if (!isCurrent()) return;
  const todo = shown.filter(({ action, item }) => !item && action.status === 'open');
  const overdue = todo.filter(({ action }) => isOverdue(action.due_on)).length;
  const rest = shown.filter((entry) => !todo.includes(entry));
  root.replaceChildren(h('section', { class: 'screen my-actions' },
    h('h2', {}, 'My actions'),
    h('h3', {}, todo.length ? `To do (${todo.length})${overdue ? `, ${overdue} overdue` : ''}` : 'Nothing to do'),
    h('ul', { class: 'cards', id: 'open-actions' }, todo.map(({ action }) => card(action, null))),
    rest.length ? h('h3', {}, label('action_statuses', 'done')) : null,
    h('ul', { class: 'cards', id: 'done-actions' }, rest.map(({ action, item }) => card(action, item, progress?.get(action.id)))),
    shown.length ? null : h('p', { class: 'hint' }, 'No actions for you. When an officer gives you one, it shows here.')));
  const card0 = highlight && root.querySelector(`.card[data-id="${highlight.id}"]`);
  if (card0) {
    card0.classList.add('just-saved');
    if (!highlight.placed) card0.scrollIntoView({ block: 'nearest' });
    highlight.placed = true;
  }
  showNotices(root, { userId: me.user.id, isCurrent });
  if (fetched || !navigator.onLine) return;
  const changed = await actionCache.refresh(me.user.id).catch(() => 0);
  if (changed && isCurrent()) await renderActions(root, { me, progress, highlight, isCurrent, fetched: true });
}
