// The service worker: listeners only; strategies are the named functions below.
import { refreshLists } from '/js/lists.js';
import { syncNow } from '/js/sync.js';

// Replaced by the server with a hash of the app's files, so any change makes a new cache.
const SHELL_VERSION = '__SHELL_VERSION__';
const SHELL_CACHE = `safeloop-shell-${SHELL_VERSION}`;
const SHELL = [
  '/', '/manifest.webmanifest', '/css/app.css',
  '/js/app.js', '/js/api.js', '/js/cache.js', '/js/camera.js', '/js/db.js', '/js/dom.js', '/js/lists.js',
  '/js/outbox.js', '/js/senders.js', '/js/sync.js', '/js/action-cache.js', '/js/days.js',
  '/js/views/capture.js', '/js/views/report.js', '/js/views/reports.js', '/js/views/signin.js',
  '/js/views/actions.js', '/js/views/action.js', '/js/views/notices.js',
  '/js/audit-store.js', '/js/views/audits.js', '/js/views/audit.js',
  '/js/views/site-risks.js', '/js/api-documents.js', '/js/views/documents.js', '/js/views/document.js',
  '/vendor/idb/index.js', '/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon-maskable-512.png',
];

async function precacheShell() {
  const cache = await caches.open(SHELL_CACHE);
  await cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' })));
}

async function deleteOldCaches() {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith('safeloop-shell-') && n !== SHELL_CACHE).map((n) => caches.delete(n)));
}

// The shell comes from the cache (instant, and offline); the network only fills gaps.
async function shellFirst(request) {
  const cached = await caches.match(request.mode === 'navigate' ? '/' : request, { cacheName: SHELL_CACHE });
  return cached || fetch(request);
}

// API calls, writes and other origins are never cached or touched.
function strategyFor(request) {
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return null;
  if (url.pathname.startsWith('/api/')) return null;
  if (request.mode === 'navigate' || SHELL.includes(url.pathname)) return shellFirst;
  return null;
}

// Background Sync: let an open window do it (it shows progress); otherwise sync from here.
async function backgroundSync() {
  const windows = await self.clients.matchAll({ type: 'window' });
  if (windows.length) windows.forEach((client) => client.postMessage('sync'));
  else await syncNow();
}

self.addEventListener('install', (event) => {
  // The shared lists come along when they can (the app keeps them itself after each sign-in).
  event.waitUntil(Promise.all([precacheShell(), refreshLists().catch(() => null)]).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(deleteOldCaches().then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const strategy = strategyFor(event.request);
  if (strategy) event.respondWith(strategy(event.request));
});

self.addEventListener('sync', (event) => {
  if (event.tag === 'outbox') event.waitUntil(backgroundSync());
});
