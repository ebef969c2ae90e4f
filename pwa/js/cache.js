// The server's view of one person's reports, kept on the phone for "My reports" (and offline).
import { db, ownedBy } from './db.js';

// One person's cached reports, newest first.
export async function list(userId) {
  return (await db()).getAllFromIndex('synced', 'owner', ownedBy(userId)).then((all) => all.reverse());
}

export async function get(userId, id) {
  return (await db()).get('synced', [userId, id]);
}

// Statuses an officer sets, each with a note that the change feed does not carry.
const NOTED = new Set(['in_progress', 'closed']);

// A feed entry into or out of such a status makes the cached note stale.
const noteStale = (old, entry) => entry.changed_at !== old.changed_at && (NOTED.has(entry.status) || NOTED.has(old.status));

// Merge server views (whole reports or change-feed entries) into one person's cache.
// Returns the ids of changes not known here and of those whose status note is unknown (both to
// be fetched whole), and how many views changed.
export async function merge(userId, views) {
  const tx = (await db()).transaction('synced', 'readwrite');
  const unknown = [];
  const stale = [];
  let changed = 0;
  for (const view of views) {
    if (view.type && view.type !== 'report') continue; // other records have stores of their own
    const old = await tx.store.get([userId, view.id]);
    if (!old && !view.kind) {
      unknown.push(view.id);
      continue;
    }
    const merged = { ...old, ...view, userId };
    if (!view.kind && !('status_note' in view) && noteStale(old, view)) delete merged.status_note;
    if (!view.kind && NOTED.has(merged.status) && !('status_note' in merged)) stale.push(view.id);
    if (JSON.stringify(merged) !== JSON.stringify(old)) {
      changed += 1;
      await tx.store.put(merged);
    }
  }
  await tx.done;
  return { unknown, stale, changed };
}
