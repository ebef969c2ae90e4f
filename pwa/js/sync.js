// The sync engine: sends the outbox (missing photos first, then the reports) and pulls changes.
// It runs in the page and in the service worker (Background Sync); a Web Lock keeps it single.
import { api, ApiError, AuthRequired, Offline } from './api.js';
import { getMeta, setMeta } from './db.js';
import * as outbox from './outbox.js';

const BATCH = 25;
const BASE_DELAY_MS = 2000;
const MAX_DELAY_MS = 5 * 60 * 1000;

const listeners = new Set();
let retryTimer = null;
let failedRounds = 0;

// Listen to sync progress: {type: 'state'|'progress'|'auth'|'done', ...}.
export function onSyncEvent(listener) {
  listeners.add(listener);
}

function emit(event) {
  for (const listener of listeners) listener(event);
}

// Exponential backoff with "equal jitter": half the delay fixed, half random.
export function backoffDelay(round) {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** round);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  const delay = backoffDelay(failedRounds++);
  emit({ type: 'retry', delay });
  retryTimer = setTimeout(syncNow, delay);
}

// Run one sync round unless one is already running (here or in another tab or the worker).
export async function syncNow() {
  clearTimeout(retryTimer);
  if (!globalThis.navigator?.locks) return round();
  return navigator.locks.request('safeloop-sync', { ifAvailable: true },
    (lock) => (lock ? round() : 'busy'));
}

async function round() {
  const me = await getMeta('me');
  if (!me) return 'signed-out';
  try {
    await sendOutbox(me.user.id);
    await pullChanges(['worker', 'auditor'].includes(me.role));
    failedRounds = 0;
    emit({ type: 'done' });
    return 'done';
  } catch (error) {
    return handleFailure(error);
  }
}

async function handleFailure(error) {
  for (const item of await outbox.peek()) {
    if (item.state === 'sending') await outbox.mark(item.id, 'saved');
  }
  if (error instanceof AuthRequired) {
    emit({ type: 'auth' });
    return 'auth';
  }
  if (error instanceof Offline || (error instanceof ApiError && [429, 500, 502, 503, 504].includes(error.status))) {
    scheduleRetry();
    emit({ type: 'state' });
    return 'retry';
  }
  throw error;
}

// Only this user's items that are waiting; others wait for their owner to sign in.
async function sendOutbox(userId) {
  const waiting = (await outbox.peek()).filter((i) => i.userId === userId && i.state !== 'attention');
  const ready = [];
  for (const item of waiting) {
    await outbox.mark(item.id, 'sending');
    emit({ type: 'state', id: item.id });
    if (await uploadPhotos(item)) ready.push(item);
  }
  for (let start = 0; start < ready.length; start += BATCH) {
    await sendReports(ready.slice(start, start + BATCH));
  }
}

// Send the photos the server lacks; false (and the item needs attention) if one is refused.
async function uploadPhotos(item) {
  for (const [index, ref] of item.photos.entries()) {
    if (await api.hasPhoto(ref.sha256)) continue;
    const stored = await outbox.photo(ref.sha256);
    try {
      await api.putPhoto(ref.sha256, stored.bytes, stored.type, (fraction) =>
        emit({ type: 'progress', id: item.id, value: (index + fraction) / item.photos.length }));
    } catch (error) {
      if (!(error instanceof ApiError) || error instanceof AuthRequired || error.status >= 500) throw error;
      await outbox.mark(item.id, 'attention', `Photo ${index + 1} was refused: ${error.message}`);
      return false;
    }
  }
  return true;
}

async function sendReports(items) {
  const { results } = await api.sync(items.map(toSyncItem));
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const result of results) {
    const item = byId.get(result.id);
    if (item) await applyResult(item, result);
  }
}

async function applyResult(item, result) {
  if (result.status === 'created' || result.status === 'duplicate') {
    await outbox.remove(item.id, { ...toSyncItem(item), site_name: item.siteName, status: result.report_status });
  } else if (result.status === 'missing_photos') {
    await outbox.mark(item.id, 'saved', 'Some photos did not arrive; they will be sent again.');
  } else if (result.status === 'conflict') {
    await outbox.mark(item.id, 'attention',
      'The server already has a different report with this identity. Delete this copy or keep it.');
  } else {
    await outbox.mark(item.id, 'attention', describeErrors(result.errors));
  }
  emit({ type: 'state', id: item.id });
}

function describeErrors(errors = {}) {
  const parts = Object.entries(errors).map(([field, messages]) =>
    `${field.replace('_', ' ')}: ${[].concat(messages).map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ')}`);
  return `The server refused this report. ${parts.join('; ')}`;
}

// The report as POST /api/sync takes it (local bookkeeping removed).
export function toSyncItem(item) {
  const { id, kind, site_id, observed_at, description, location, severity, likelihood, photos } = item;
  return { id, kind, site_id, observed_at, description, location, severity, likelihood, photos };
}

// The change feed updates "My reports"; for workers and auditors it is their own reports, so a
// report sent from another phone is fetched whole (officers' feeds cover everyone's reports).
async function pullChanges(ownReportsOnly) {
  let since = (await getMeta('cursor')) ?? 0;
  for (;;) {
    const { changes, cursor } = await api.changes(since);
    const unknown = await outbox.saveSynced(changes);
    if (ownReportsOnly) for (const id of unknown) await outbox.saveSynced([await api.report(id)]);
    await setMeta('cursor', cursor);
    if (cursor === since || changes.length < 500) return;
    since = cursor;
  }
}
