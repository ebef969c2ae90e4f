// The server's view of one person's reports, kept on the phone for "My reports" (and offline).
import { db, ownedBy } from './db.js';

// One person's cached reports, newest first.
export async function list(userId) {
  return (await db()).getAllFromIndex('synced', 'owner', ownedBy(userId)).then((all) => all.reverse());
}

export async function get(userId, id) {
  return (await db()).get('synced', [userId, id]);
}

// Merge server views (whole reports or change-feed entries) into one person's cache.
// Returns the ids of changes not known here (to be fetched whole) and how many views changed.
export async function merge(userId, views) {
  const tx = (await db()).transaction('synced', 'readwrite');
  const unknown = [];
  let changed = 0;
  for (const view of views) {
    const old = await tx.store.get([userId, view.id]);
    if (!old && !view.kind) {
      unknown.push(view.id);
      continue;
    }
    const merged = { ...old, ...view, userId };
    if (JSON.stringify(merged) !== JSON.stringify(old)) {
      changed += 1;
      await tx.store.put(merged);
    }
  }
  await tx.done;
  return { unknown, changed };
}
