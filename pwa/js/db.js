// The one module that owns the IndexedDB schema. Everything else goes through its stores.
import { openDB } from '/vendor/idb/index.js';

const NAME = 'safeloop';
const VERSION = 1;

let opened;

// outbox: reports not yet held by the server, keyed by their client UUID.
// photos: downscaled photo bytes (ArrayBuffer + type), keyed by SHA-256, until their report syncs.
// synced: the server's view of reports that left the phone, for "My reports".
// meta: small values (who is signed in, last site, change-feed cursor).
export function db() {
  opened ??= openDB(NAME, VERSION, {
    upgrade(database) {
      const outbox = database.createObjectStore('outbox', { keyPath: 'id' });
      outbox.createIndex('savedAt', 'savedAt');
      database.createObjectStore('photos', { keyPath: 'sha256' });
      const synced = database.createObjectStore('synced', { keyPath: 'id' });
      synced.createIndex('observedAt', 'observed_at');
      database.createObjectStore('meta');
    },
  });
  return opened;
}

export async function getMeta(key) {
  return (await db()).get('meta', key);
}

export async function setMeta(key, value) {
  return (await db()).put('meta', value, key);
}
