// The sync engine: sends the outbox (missing photos first, then each type's items through its
// sender) and pulls changes.
// It runs in the page and in the service worker (Background Sync); a Web Lock keeps it single.
import * as actions from './action-cache.js';
import { api, ApiError, AuthRequired, Offline } from './api.js';
import * as audits from './audit-store.js';
import * as cache from './cache.js';
import { getMeta, perUser, setMeta } from './db.js';
import { entry, getLists } from './lists.js';
import * as outbox from './outbox.js';
import { SENDERS } from './senders.js';

const LOCK = 'safeloop-sync';
const BATCH = 25;
const FEW = 5; // unknown reports fetched one by one; more are fetched by the page
export const CHANGES_PAGE = 500; // the most changes GET /api/sync answers at once
const BASE_DELAY_MS = 2000;
const MAX_DELAY_MS = 5 * 60 * 1000;

const listeners = new Set();
let retryTimer = null;
let failedRounds = 0;

// Listen to sync progress: {type: 'state'|'progress'|'auth'|'retry'|'done', ...}; 'done' says how
// many items were sent and cached reports changed ({changed}).
export function onSyncEvent(listener) {
  listeners.add(listener);
}

function emit(event) {
  for (const listener of listeners) listener(event);
}

// Tell the listeners that the outbox changed outside a sync round (answers saved in a burst of
// taps), so that what shows as unsent follows without a round of sending for each.
export const announce = () => emit({ type: 'state' });

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

let queued = null;

// Run a sync round now, or, when one is already running (here, in another tab or in the service
// worker), once more right after it: what it sends and pulls may predate this request.
export async function syncNow() {
  clearTimeout(retryTimer);
  if (!globalThis.navigator?.locks) return round();
  const now = await navigator.locks.request(LOCK, { ifAvailable: true }, (lock) => (lock ? round() : 'busy'));
  if (now !== 'busy') return now;
  queued ??= navigator.locks.request(LOCK, () => round()).finally(() => { queued = null; });
  return queued;
}

async function round() {
  const me = await getMeta('me');
  if (!me) return 'signed-out';
  try {
    const sent = await sendOutbox(me.user.id);
    const changed = await pullChanges(me);
    failedRounds = 0;
    emit({ type: 'done', changed: sent + changed });
    return 'done';
  } catch (error) {
    return handleFailure(error, me.user.id);
  }
}

async function handleFailure(error, userId) {
  const sending = (await outbox.peek(userId)).filter((item) => item.state === 'sending');
  await outbox.markAll(sending.map((item) => item.id), 'saved');
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

// Only this person's waiting items: another person's wait for their owner to sign in (the server
// would refuse them under this session anyway). Returns how many items were tried.
async function sendOutbox(userId) {
  const waiting = (await outbox.peek(userId)).filter((i) => i.state !== 'attention' && SENDERS[i.type]);
  const ready = [];
  await outbox.markAll(waiting.map((item) => item.id), 'sending');
  if (waiting.length) emit({ type: 'state' });
  for (const item of waiting) {
    if (await uploadPhotos(item)) ready.push(item);
  }
  for (const [type, sender] of Object.entries(SENDERS)) {
    const items = ready.filter((item) => item.type === type);
    if (sender.send) {
      for (const item of items) await sendOne(sender, item);
      continue;
    }
    for (let start = 0; start < items.length; start += BATCH) {
      await sendBatch(sender, items.slice(start, start + BATCH));
    }
  }
  return waiting.length;
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

// One list of items of one type; the server answers each item by its id.
async function sendBatch(sender, items) {
  const answer = await api.sync({ [sender.list]: items.map(sender.wire) });
  const results = answer[sender.list] ?? answer.results ?? [];
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const result of results) {
    const item = byId.get(result.id);
    if (item) await applyResult(sender, item, result);
  }
}

// An item sent by a call of its own (an audit's sign-off), once the items it waits for are sent.
async function sendOne(sender, item) {
  const others = (await outbox.peek(item.userId)).filter((other) => other.id !== item.id);
  const waiting = sender.waitsFor?.(item, others) ?? 0;
  if (waiting) {
    await outbox.mark(item.id, 'saved', sender.waiting(waiting));
  } else {
    try {
      const answer = await sender.send(item);
      await outbox.remove(item.id, sender.keep?.(item, answer) ?? null);
    } catch (error) {
      const retried = !(error instanceof ApiError) || error instanceof AuthRequired || error.status >= 500 || error.status === 429;
      if (retried) throw error;
      await outbox.mark(item.id, 'attention', sender.refused?.(error) ?? describeErrors(error.problem?.errors));
    }
  }
  emit({ type: 'state', id: item.id });
}

// The answers that mean the server holds the item as sent.
const HELD = new Set(['created', 'updated', 'duplicate']);

async function applyResult(sender, item, result) {
  if (HELD.has(result.status)) {
    await outbox.remove(item.id, sender.keep?.(item, result) ?? null);
  } else if (result.status === 'missing_photos') {
    await outbox.mark(item.id, 'saved', 'Some photos did not arrive; they will be sent again.');
  } else if (result.status === 'conflict') {
    await outbox.mark(item.id, 'attention', sender.conflict
      ?? 'The server already has a different record with this identity. Delete this copy or keep it.');
  } else {
    await outbox.mark(item.id, 'attention', describeErrors(result.errors));
  }
  emit({ type: 'state', id: item.id });
}

function describeErrors(errors = {}) {
  const parts = Object.entries(errors).map(([field, messages]) =>
    `${field.replace('_', ' ')}: ${[].concat(messages).map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ')}`);
  return `The server refused this. ${parts.join('; ')}`;
}

// The change feed updates this person's cached reports; for workers and auditors it is their own
// reports, so a report sent from another phone is fetched whole (officers' feeds cover everyone's
// reports). Returns how many cached reports changed.
async function pullChanges(me) {
  await getLists().catch(() => null);
  const ownReportsOnly = Boolean(entry('roles', me.role)?.own_records_only);
  const key = perUser('cursor', me.user.id);
  let since = (await getMeta(key)) ?? 0;
  let changedCount = 0;
  for (;;) {
    const { changes, cursor } = await api.changes(since);
    const { unknown, stale, changed } = await cache.merge(me.user.id, changes);
    changedCount += changed + await actions.merge(me.user.id, changes.filter((c) => c.type === 'action'));
    changedCount += await audits.merge(me.user.id, changes.filter((c) => c.type === 'audit'));
    const whole = ownReportsOnly ? [...unknown, ...stale] : stale;
    if (whole.length) changedCount += await fetchUnknown(me.user.id, whole);
    await setMeta(key, cursor);
    if (cursor === since || changes.length < CHANGES_PAGE) return changedCount;
    since = cursor;
  }
}

// Whole views of reports the feed names but the phone lacks (sent from another phone, or cached
// before an upgrade): by the page of 200 when there are many, one by one when few.
async function fetchUnknown(userId, ids) {
  const missing = new Set(ids);
  let changed = 0;
  for (let cursor = null; missing.size > FEW;) {
    const page = await api.get(`/api/reports?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    const found = page.items.filter((report) => missing.has(report.id));
    changed += (await cache.merge(userId, found)).changed;
    found.forEach((report) => missing.delete(report.id));
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  for (const id of missing) {
    const view = await api.report(id).catch((error) => {
      if (error instanceof ApiError && [403, 404].includes(error.status)) return null; // gone, or not mine
      throw error;
    });
    if (view) changed += (await cache.merge(userId, [view])).changed;
  }
  return changed;
}
