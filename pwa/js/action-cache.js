// The actions a person owns, as the server last gave them: "My actions" reads them from here, so
// the list and each action open offline. Filled by GET /api/actions?owner=me and the change feed.
import { api } from './api.js';
import { db, ownedBy } from './db.js';

// Done actions stay on the phone this long after they were done, to show they went through.
const KEEP_DONE_DAYS = 14;

// One person's cached actions, soonest due first (overdue ones lead).
export async function list(userId) {
  return (await db()).getAllFromIndex('actions', 'owner', ownedBy(userId));
}

export async function get(userId, id) {
  return (await db()).get('actions', [userId, id]);
}

export async function count(userId) {
  return (await db()).countFromIndex('actions', 'owner', ownedBy(userId));
}

// The answer of GET /api/actions, as a list (a page of items, or the items themselves).
const itemsOf = (answer) => (Array.isArray(answer) ? answer : answer?.items ?? []);

// The owner a view names, when it names one.
const ownerOf = (view) => view.owner_id ?? view.owner?.id;

const stale = (action) => action.status !== 'open'
  && Date.now() - new Date(action.done_at ?? action.changed_at ?? 0).getTime() > KEEP_DONE_DAYS * 86_400_000;

// Take my open actions from the server: new and changed ones are kept; open ones the server no
// longer gives me (done elsewhere, or given to someone else) go, unless an update of mine waits.
export async function refresh(userId) {
  const fresh = itemsOf(await api.get('/api/actions?owner=me&status=open&limit=500'));
  const tx = (await db()).transaction(['actions', 'outbox'], 'readwrite');
  const store = tx.objectStore('actions');
  const ids = new Set(fresh.map((action) => action.id));
  let changed = 0;
  for (const old of await store.index('owner').getAll(ownedBy(userId))) {
    const waiting = await tx.objectStore('outbox').get(old.id);
    if ((old.status === 'open' && !ids.has(old.id) && !waiting) || stale(old)) {
      await store.delete([userId, old.id]);
      changed += 1;
    }
  }
  for (const view of fresh) changed += await put(store, userId, view);
  await tx.done;
  return changed;
}

// Put a view over the cached one; 1 when that changed anything.
async function put(store, userId, view) {
  const old = await store.get([userId, view.id]);
  const merged = { ...old, ...view, userId };
  if (JSON.stringify(merged) === JSON.stringify(old)) return 0;
  await store.put(merged);
  return 1;
}

// Keep one action as the server gives it now (GET /api/actions/{id}); 1 when that changed it.
export async function keep(userId, view) {
  const tx = (await db()).transaction('actions', 'readwrite');
  const changed = await put(tx.store, userId, view);
  await tx.done;
  return changed;
}

// Merge change-feed entries of type "action": whole views are kept, changes to known actions
// applied; an entry this phone cannot place makes it ask the server for the whole list.
export async function merge(userId, entries) {
  if (!entries.length) return 0;
  const tx = (await db()).transaction('actions', 'readwrite');
  let changed = 0;
  let unknown = false;
  for (const entry of entries) {
    const old = await tx.store.get([userId, entry.id]);
    const owner = ownerOf(entry);
    if (owner !== undefined && owner !== userId) {
      if (old) { await tx.store.delete([userId, entry.id]); changed += 1; }
    } else if (old || (entry.title && entry.due_on)) {
      changed += await put(tx.store, userId, entry);
    } else {
      unknown = true;
    }
  }
  await tx.done;
  return changed + (unknown ? await refresh(userId) : 0);
}

// The action as done on this phone, once the server holds the update (the sender keeps this).
export function doneView(item) {
  return {
    ...item.local?.action, id: item.id, userId: item.userId, status: 'done',
    notes: item.body.notes, done_at: item.body.done_at, photo_count: item.photos.length,
  };
}
