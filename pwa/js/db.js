// The one module that owns the IndexedDB schema. Everything else goes through its stores.
//
// outbox: items not yet held by the server, keyed by their client UUID; each has a `type`
//   (which sender takes it), an owner (`userId`), `body` (the record as its sender posts it),
//   `photos` (references; the bytes are in `photos`) and local bookkeeping (state, reason, savedAt).
// photos: downscaled photo bytes (ArrayBuffer + type), keyed by SHA-256, until their item is sent.
// synced: the server's view of a person's reports, keyed by [userId, id], for "My reports".
// actions: the actions a person owns, as the server last gave them, keyed by [userId, id], for
//   "My actions" (offline too).
// audits: the audits a person runs, each as the server last gave it (template version, answers,
//   score), keyed by [userId, id], so that the list and each audit open offline.
// answers: the answer to each question of an audit as this phone holds it, keyed by
//   [userId, auditId, questionId]; one written per tap, its unsent copy in the outbox.
// meta: small values: who is signed in ('me'), and per person (perUser) the change-feed cursor,
//   the last site used and where each audit was left.
import { openDB } from '/vendor/idb/index.js';

const NAME = 'safeloop';

// Each step upgrades the schema from the version before it; a phone that skipped versions runs
// every step it missed, in order. Never edit a step that has shipped: add one.
const UPGRADES = [
  // 1: reports in the outbox, their photos, the reports the server holds, small values.
  (database) => {
    const outbox = database.createObjectStore('outbox', { keyPath: 'id' });
    outbox.createIndex('savedAt', 'savedAt');
    database.createObjectStore('photos', { keyPath: 'sha256' });
    const synced = database.createObjectStore('synced', { keyPath: 'id' });
    synced.createIndex('observedAt', 'observed_at');
    database.createObjectStore('meta');
  },
  // 2: typed outbox items, and everything cached belongs to the person who made it.
  async (database, tx) => {
    const me = await tx.objectStore('meta').get('me');
    const outbox = tx.objectStore('outbox');
    outbox.deleteIndex('savedAt');
    outbox.createIndex('owner', ['userId', 'savedAt']);
    for (let cursor = await outbox.openCursor(); cursor; cursor = await cursor.continue()) {
      await cursor.update(typedReport(cursor.value, me));
    }
    // Version 1 did not record whose cached report was whose: showing one to the wrong person is
    // worse than fetching it again, so the cache and its cursor start afresh.
    database.deleteObjectStore('synced');
    const synced = database.createObjectStore('synced', { keyPath: ['userId', 'id'] });
    synced.createIndex('owner', ['userId', 'observed_at']);
    await tx.objectStore('meta').delete('cursor');
    await tx.objectStore('meta').delete('lastSiteId');
  },
  // 3: the actions a person owns (their updates travel in the outbox as type action_update).
  (database) => {
    const actions = database.createObjectStore('actions', { keyPath: ['userId', 'id'] });
    actions.createIndex('owner', ['userId', 'due_on']);
  },
  // 4: the audits a person runs and their answers (which travel in the outbox as type response,
  // and the sign-off as type audit_submit).
  (database) => {
    database.createObjectStore('audits', { keyPath: ['userId', 'id'] });
    database.createObjectStore('answers', { keyPath: ['userId', 'auditId', 'questionId'] });
  },
];

export const VERSION = UPGRADES.length;

// A version 1 outbox report as a typed item; nothing the person entered is dropped.
function typedReport(item, me) {
  const { id, userId, state, reason, savedAt, photos, siteName, ...body } = item;
  return {
    id, type: 'report', userId: userId ?? me?.user?.id ?? null, savedAt,
    state: state === 'sending' ? 'saved' : state, reason: reason ?? null,
    photos: photos ?? [], body, local: { siteName },
  };
}

let opened;

export function db() {
  opened ??= openDB(NAME, VERSION, {
    async upgrade(database, oldVersion, _newVersion, tx) {
      for (let version = oldVersion; version < VERSION; version++) await UPGRADES[version](database, tx);
    },
    // A newer version of the app wants to upgrade: let it, and reload this page into that version.
    blocking(_version, _newVersion, event) {
      event.target.close();
      opened = undefined;
      globalThis.location?.reload?.();
    },
  });
  return opened;
}

// The key range of one person's entries in an index keyed by [userId, ...].
export const ownedBy = (userId) => IDBKeyRange.bound([userId], [userId, []]);

// A meta key of one person's own: perUser('cursor', 7) -> 'cursor:7'.
export const perUser = (name, userId) => `${name}:${userId}`;

export async function getMeta(key) {
  return (await db()).get('meta', key);
}

export async function setMeta(key, value) {
  return (await db()).put('meta', value, key);
}
