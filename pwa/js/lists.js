// The shared lists (kinds, statuses, risk bands, priorities, categories...): defined once on the
// server and served by GET /api/lists. Kept in the Cache API, so the app shows them offline; the
// page and the service worker read them through here.
import { api } from './api.js';

const PATH = '/api/lists';
export const LISTS_CACHE = 'safeloop-lists';

let lists = null;

async function kept() {
  const response = await globalThis.caches?.match(PATH, { cacheName: LISTS_CACHE });
  return response ? response.json() : null;
}

// Fetch the lists (the browser revalidates them by their ETag) and keep them for offline use;
// when the server cannot be reached, the lists kept last time.
export async function refreshLists() {
  try {
    const fresh = await api.get(PATH);
    const cache = await globalThis.caches?.open(LISTS_CACHE);
    await cache?.put(PATH, new Response(JSON.stringify(fresh), { headers: { 'Content-Type': 'application/json' } }));
    lists = fresh;
    return lists;
  } catch (error) {
    lists = (await kept()) ?? lists;
    if (!lists) throw error;
    return lists;
  }
}

// The lists at hand: already loaded, or kept on this device, or else fetched.
export async function getLists() {
  lists ??= await kept();
  return lists ?? refreshLists();
}

export const hasLists = () => lists !== null;

// One list's entries, [{value, label, ...}] (empty before the lists are loaded).
export const entries = (name) => lists?.[name] ?? [];

export const entry = (name, value) => entries(name).find((e) => e.value === value);

// What a person reads for a value (near_miss reads Near miss); field picks another wording
// (statuses have a reporter_label). An unknown value reads as itself, in words.
export function label(name, value, field = 'label') {
  const found = entry(name, value);
  return found?.[field] ?? found?.label ?? String(value ?? '').replaceAll('_', ' ');
}

export const kindLabel = (kind) => label('kinds', kind);

// The band of a 5x5 rating, from the bands' score ranges; null while unrated.
export function riskBand(severity, likelihood) {
  if (!severity || !likelihood) return null;
  const score = severity * likelihood;
  return entries('risk_bands').find((band) => band.min <= score && score <= band.max)?.value ?? null;
}
