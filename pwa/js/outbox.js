// The outbox: typed items (a report; later an audit answer, an action update...) saved on this
// phone until the server holds them completely. Each belongs to the person who made it and is
// only ever shown to them and sent under their session.
import { db, ownedBy } from './db.js';

// Item states, in words the person sees.
export const STATES = {
  saved: 'Saved on this phone',
  sending: 'Sending',
  attention: 'Needs attention',
};

// Save an item ({id, type, userId, body, photos, local}) and its photo bytes in one transaction,
// before any network call.
export async function add(item, photos) {
  const tx = (await db()).transaction(['outbox', 'photos'], 'readwrite');
  for (const photo of photos) tx.objectStore('photos').put(photo);
  tx.objectStore('outbox').put({ ...item, state: 'saved', reason: null, savedAt: Date.now() });
  await tx.done;
}

// Within a transaction of the caller's that spans the outbox (and the photos the item names):
// save an item as add() does, beside the caller's own writes (an audit answer and its item).
export function putIn(tx, item) {
  tx.objectStore('outbox').put({ ...item, state: 'saved', reason: null, savedAt: Date.now() });
}

// One person's unsent items, oldest first (the order they are sent in).
export async function peek(userId) {
  return (await db()).getAllFromIndex('outbox', 'owner', ownedBy(userId));
}

export async function count(userId) {
  return (await db()).countFromIndex('outbox', 'owner', ownedBy(userId));
}

// One of this person's items, or undefined (someone else's item is not theirs to see).
export async function get(userId, id) {
  const item = await (await db()).get('outbox', id);
  return item?.userId === userId ? item : undefined;
}

export async function photo(sha256) {
  return (await db()).get('photos', sha256);
}

// Change an item's state (and why), keeping everything else.
export async function mark(id, state, reason = null) {
  await markAll([id], state, reason);
}

// Change the state of many items in one transaction (a round of hundreds of audit answers).
export async function markAll(ids, state, reason = null) {
  const tx = (await db()).transaction('outbox', 'readwrite');
  for (const id of ids) {
    const item = await tx.store.get(id);
    if (item) await tx.store.put({ ...item, state, reason });
  }
  await tx.done;
}

// The server holds the item and its photos: delete it, free the photo bytes, and in the same
// transaction keep what its sender wants kept ({store, value}: the server's view, say).
export async function remove(id, keep = null) {
  const tx = (await db()).transaction(['outbox', 'photos', ...(keep ? [keep.store] : [])], 'readwrite');
  const item = await tx.objectStore('outbox').get(id);
  if (item) await forget(tx, item);
  if (keep) tx.objectStore(keep.store).put(keep.value);
  await tx.done;
}

// Discard an item the person chose to delete (never done without their confirmation).
export async function discard(id) {
  const tx = (await db()).transaction(['outbox', 'photos'], 'readwrite');
  const item = await tx.objectStore('outbox').get(id);
  if (item) await forget(tx, item);
  await tx.done;
}

// Delete an outbox item and the photo bytes no other unsent item (anyone's) still needs.
async function forget(tx, item) {
  await tx.objectStore('outbox').delete(item.id);
  const others = await tx.objectStore('outbox').getAll();
  const stillNeeded = new Set(others.flatMap((o) => o.photos.map((p) => p.sha256)));
  for (const p of item.photos) {
    if (!stillNeeded.has(p.sha256)) await tx.objectStore('photos').delete(p.sha256);
  }
}
