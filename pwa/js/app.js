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
let refreshDesk = null;
let deskCursor = null;
const deskState = {};

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
  const [, section, kind, id] = location.hash.split('/');
  const desk = section === 'desk' && isOfficer();
  document.body.classList.toggle('desk-mode', desk);
  if (desk) await renderDesk(kind, id);
  else if (section === 'reports') await renderReports(main, { progress, syncNow: startSync });
  else if (section === 'report' && kind) await renderDetails(main, { kind, me, onSaved });
  else renderKinds(main);
  const here = section === 'desk' ? `#/desk${kind === 'overview' ? '/overview' : ''}` : `#/${section || 'report'}`;
  document.querySelectorAll('nav a').forEach((a) => a.setAttribute('aria-current', String(a.getAttribute('href') === here)));
  window.__appReady = true;
}

const isOfficer = () => ['officer', 'admin'].includes(me?.role);

// The desk's views load on first use: the field app's first load stays small.
async function renderDesk(page, id) {
  refreshDesk = null;
  if (page === 'report' && id) {
    const { renderDeskReport } = await import('./views/desk-report.js');
    await renderDeskReport(main, { id });
  } else if (page === 'overview') {
    const { renderOverview } = await import('./views/desk-overview.js');
    await renderOverview(main);
  } else {
    const { renderQueue } = await import('./views/desk-queue.js');
    refreshDesk = await renderQueue(main, { state: deskState });
  }
}

// Officers see new reports without reloading: poll the change feed, refresh the queue on news.
async function watchForNewReports() {
  if (!me || !isOfficer() || !refreshDesk || document.visibilityState !== 'visible') return;
  try {
    const { changes, cursor } = await api.changes(deskCursor);
    if (deskCursor !== null && changes.length) await refreshDesk();
    deskCursor = cursor;
  } catch { /* offline or signed out: try again next time */ }
}

async function onSignedIn(profile) {
  me = profile;
  signInReason = null;
  await setMeta('me', profile);
  navigator.storage?.persist?.();
  if (!location.hash || location.hash === '#/signin') location.hash = isOfficer() ? '#/desk' : '#/report';
  setupNav();
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

// Officers and admins get the desk's tabs; everyone gets Report and Sign out.
function setupNav() {
  const tabs = isOfficer()
    ? [['#/desk', 'Queue'], ['#/desk/overview', 'Overview'], ['#/report', 'Report']]
    : [['#/report', 'Report'], ['#/reports', 'My reports']];
  const nav = document.querySelector('nav.tabs');
  nav.querySelectorAll('a').forEach((a) => a.remove());
  nav.prepend(...tabs.map(([href, label]) => h('a', { href }, label)));
  nav.style.gridTemplateColumns = `repeat(${tabs.length + 1}, 1fr)`;
}

setInterval(watchForNewReports, 10000);

async function start() {
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js', { type: 'module' });
  me = await getMeta('me');
  setupNav();
  await route();
  if (me) {
    startSync();
    api.me().then((fresh) => { setMeta('me', (me = fresh)); setupNav(); }).catch((error) => {
      if (!(error instanceof AuthRequired)) return;
      signInReason = 'Your session has ended. Sign in again; nothing saved on this phone is lost.';
      route();
    });
  }
}

start();
