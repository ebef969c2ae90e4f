// The outbox: reports saved on this phone until the server holds them completely.
import { db } from './db.js';

// Item states, in words the person sees.
export const STATES = {
  saved: 'Saved on this phone',
  sending: 'Sending',
  attention: 'Needs attention',
};

// Save a report and its photos in one transaction, before any network call.
export async function add(report, photos) {
  const tx = (await db()).transaction(['outbox', 'photos'], 'readwrite');
  for (const photo of photos) tx.objectStore('photos').put(photo);
  tx.objectStore('outbox').put({ ...report, state: 'saved', reason: null, savedAt: Date.now() });
  await tx.done;
}

// Every unsent report, oldest first.
export async function peek() {
  return (await db()).getAllFromIndex('outbox', 'savedAt');
}

export async function count() {
  return (await db()).count('outbox');
}

export async function photo(sha256) {
  return (await db()).get('photos', sha256);
}

// Change an item's state (and why), keeping everything else.
export async function mark(id, state, reason = null, extra = {}) {
  const tx = (await db()).transaction('outbox', 'readwrite');
  const item = await tx.store.get(id);
  if (item) await tx.store.put({ ...item, ...extra, state, reason });
  await tx.done;
}

// The server holds the report and its photos: move it to "synced" and free the photo bytes.
export async function remove(id, serverView) {
  const tx = (await db()).transaction(['outbox', 'photos', 'synced'], 'readwrite');
  const item = await tx.objectStore('outbox').get(id);
  if (item) await forget(tx, item);
  tx.objectStore('synced').put(serverView);
  await tx.done;
}

// Discard an item the person chose to delete (never done without their confirmation).
export async function discard(id) {
  const tx = (await db()).transaction(['outbox', 'photos'], 'readwrite');
  const item = await tx.objectStore('outbox').get(id);
  if (item) await forget(tx, item);
  await tx.done;
}

// Delete an outbox item and the photo bytes no other unsent item still needs.
async function forget(tx, item) {
  await tx.objectStore('outbox').delete(item.id);
  const others = await tx.objectStore('outbox').getAll();
  const stillNeeded = new Set(others.flatMap((o) => o.photos.map((p) => p.sha256)));
  for (const p of item.photos) {
    if (!stillNeeded.has(p.sha256)) await tx.objectStore('photos').delete(p.sha256);
  }
}

export async function synced() {
  const all = await (await db()).getAllFromIndex('synced', 'observedAt');
  return all.reverse();
}

// Merge server views into "My reports"; returns the ids of changes that were not known here.
export async function saveSynced(views) {
  const tx = (await db()).transaction('synced', 'readwrite');
  const unknown = [];
  for (const view of views) {
    const old = await tx.store.get(view.id);
    if (old || view.kind) await tx.store.put({ ...old, ...view });
    else unknown.push(view.id);
  }
  await tx.done;
  return unknown;
}
