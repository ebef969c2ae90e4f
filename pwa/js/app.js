// The app: routes, the header with the unsent count, and every trigger that starts a sync.
import { api, AuthRequired, Offline } from './api.js';
import { getMeta, setMeta } from './db.js';
import { confirmDialog, h } from './dom.js';
import * as outbox from './outbox.js';
import { onSyncEvent, syncNow } from './sync.js';
import { renderDetails, renderKinds } from './views/capture.js';
import { renderReports } from './views/reports.js';
import { renderSignIn } from './views/signin.js';

const main = document.getElementById('main');
const unsentBadge = document.getElementById('unsent');
const networkLine = document.getElementById('network');
const progress = new Map();
let me = null;
let signInReason = null;
let connectionNote = '';

async function refreshHeader() {
  const count = await outbox.count();
  unsentBadge.textContent = count ? `${count} unsent` : 'All sent';
  unsentBadge.className = `pill ${count ? 'unsent' : 'clear'}`;
  networkLine.textContent = navigator.onLine ? connectionNote : 'Offline: reports are saved on this phone';
  document.body.classList.toggle('signed-in', Boolean(me) && !signInReason);
}

async function route() {
  await refreshHeader();
  if (!me || signInReason) {
    renderSignIn(main, { reason: signInReason, onSignedIn });
    return;
  }
  const [, section, kind] = location.hash.split('/');
  if (section === 'reports') await renderReports(main, { progress, syncNow: startSync });
  else if (section === 'report' && kind) await renderDetails(main, { kind, me, onSaved });
  else renderKinds(main);
  document.querySelectorAll('nav a').forEach((a) =>
    a.setAttribute('aria-current', String(a.getAttribute('href') === `#/${section || 'report'}`)));
  window.__appReady = true;
}

async function onSignedIn(profile) {
  me = profile;
  signInReason = null;
  await setMeta('me', profile);
  navigator.storage?.persist?.();
  if (!location.hash || location.hash === '#/signin') location.hash = '#/report';
  await route();
  startSync();
}

async function onSaved() {
  location.hash = '#/reports';
  const registration = await navigator.serviceWorker?.ready;
  registration?.sync?.register('outbox').catch(() => {});
  startSync();
}

function startSync() {
  return syncNow().catch((error) => console.error('sync failed', error));
}

async function signOut() {
  const unsent = await outbox.count();
  if (unsent && !(await confirmDialog('Reports not sent yet',
    `${unsent} report(s) are still on this phone. They stay here and are sent after you sign in again.`,
    'Sign out anyway', 'Stay signed in'))) return;
  try { await api.logout(); } catch (error) { if (!(error instanceof Offline)) throw error; }
  me = null;
  await setMeta('me', null);
  location.hash = '#/signin';
  route();
}

onSyncEvent(async (event) => {
  if (event.type === 'progress') progress.set(event.id, event.value);
  if (event.type === 'auth') {
    const unsent = await outbox.count();
    signInReason = `Your session has ended. Sign in again to send ${unsent} saved report(s); they are safe on this phone.`;
  }
  if (event.type === 'retry') {
    connectionNote = `Server not reachable. Reports are safe on this phone; trying again in ${Math.ceil(event.delay / 1000)} s.`;
  }
  if (event.type === 'done') {
    progress.clear();
    connectionNote = '';
  }
  if (!document.querySelector('dialog[open]') && (location.hash.startsWith('#/reports') || event.type === 'auth')) route();
  else refreshHeader();
});

document.getElementById('sync-now').addEventListener('click', startSync);
document.getElementById('sign-out').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
window.addEventListener('online', () => { refreshHeader(); startSync(); });
window.addEventListener('offline', refreshHeader);
document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && startSync());
navigator.serviceWorker?.addEventListener('message', (event) => event.data === 'sync' && startSync());

async function start() {
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js', { type: 'module' });
  me = await getMeta('me');
  await route();
  if (me) {
    startSync();
    api.me().then((fresh) => setMeta('me', (me = fresh))).catch((error) => {
      if (!(error instanceof AuthRequired)) return;
      signInReason = 'Your session has ended. Sign in again; nothing saved on this phone is lost.';
      route();
    });
  }
}

start();
