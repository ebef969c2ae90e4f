// The app: routes, the header with the unsent count, and every trigger that starts a sync.
import * as actionCache from './action-cache.js';
import { api, AuthRequired, Offline } from './api.js';
import { getMeta, setMeta } from './db.js';
import { confirmDialog, h } from './dom.js';
import { entry, getLists, hasLists, refreshLists } from './lists.js';
import * as outbox from './outbox.js';
import { onSyncEvent, syncNow } from './sync.js';
import { renderAction } from './views/action.js';
import { renderActions } from './views/actions.js';
import { unreadCount } from './views/notices.js';
import { renderDetails, renderKinds } from './views/capture.js';
import { renderReport } from './views/report.js';
import { renderReports } from './views/reports.js';
import { renderSignIn } from './views/signin.js';

// While the app is open and visible it asks for news this often (and on focus), so a worker
// sees triage arrive without tapping Sync now.
const POLL_MS = 20_000;

const main = document.getElementById('main');
const unsentBadge = document.getElementById('unsent');
const networkLine = document.getElementById('network');
const progress = new Map();
let me = null;
let signInReason = null;
let connectionNote = '';
let justSaved = null;
let lastQueue = '#/desk';
let lastNcs = '#/desk/ncs';
let lastAudits = '#/desk/audits';
let lastRisks = '#/desk/risks';
let routing = 0;

const myUnsent = () => (me ? outbox.count(me.user.id) : 0);

async function refreshHeader() {
  const count = await myUnsent();
  unsentBadge.textContent = count ? `${count} unsent` : 'All sent';
  unsentBadge.className = `pill ${count ? 'unsent' : 'clear'}`;
  networkLine.textContent = navigator.onLine ? connectionNote : 'Offline: what you save stays on this phone';
  document.body.classList.toggle('signed-in', Boolean(me) && !signInReason);
}

// '#/desk/report/42?risk_band=high' -> {parts: ['desk', 'report', '42'], query: URLSearchParams}.
function parseHash() {
  const [path, search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/'), query: new URLSearchParams(search) };
}

// A token for one drawing of the screen: isCurrent() turns false as soon as the person goes
// elsewhere (or the screen is drawn again), so an answer that arrives late draws nothing.
function routeToken() {
  const mine = ++routing;
  return () => mine === routing;
}

async function route() {
  const isCurrent = routeToken();
  await refreshHeader();
  if (!isCurrent()) return;
  const { parts: [section, kind, id], query } = parseHash();
  // An invitation or reset link opens its own page, whoever is signed in on this device.
  if (section === 'invitation' || section === 'password-reset') {
    document.body.classList.remove('desk-mode', 'task');
    await renderAccountLink(section, query, isCurrent);
    return;
  }
  if (!me || signInReason) {
    document.body.classList.remove('desk-mode', 'task');
    renderSignIn(main, { reason: signInReason, onSignedIn });
    return;
  }
  if (!hasLists()) await getLists().catch(() => null);
  if (!isCurrent()) return;
  if (!hasLists()) {
    renderNoLists();
    return;
  }
  const desk = section === 'desk' && isOfficer();
  document.body.classList.toggle('desk-mode', desk);
  // A task screen (a report being made, an action being done) puts its own bar where the tabs are.
  document.body.classList.toggle('task', (section === 'report' || section === 'actions' || section === 'audit') && Boolean(kind));
  if (section !== 'reports' && section !== 'actions') justSaved = null;
  markCurrentTab(); // at once: the screen may wait for the network before it is drawn
  if (desk) await renderDesk(kind, id, query, isCurrent);
  else if (section === 'actions' && kind) await renderAction(main, { me, id: kind, onSaved: onActionSaved, syncNow: startSync, progress, isCurrent });
  else if (section === 'actions') await renderActions(main, { me, progress, highlight: justSaved, isCurrent });
  else if (section === 'reports' && kind) await renderReport(main, { me, id: kind, isCurrent });
  else if (section === 'reports') await renderReports(main, { me, progress, syncNow: startSync, highlight: justSaved, isCurrent });
  else if (section === 'audits' || (section === 'audit' && kind)) await renderAuditing(section, kind, query, isCurrent);
  else if (section === 'site-risks') await renderSiteRisks(isCurrent);
  else if (section === 'documents') await renderReading(kind, isCurrent);
  else if (section === 'report' && kind) await renderDetails(main, { kind, me, onSaved, isCurrent });
  else renderKinds(main);
  if (!isCurrent()) return;
  markCurrentTab();
  window.__appReady = true;
}

// The tab a screen belongs to: a desk page to its list, anything else to its section.
function currentTab() {
  const [section, page] = parseHash().parts;
  if (section === 'audit') return '#/audits';
  if (section !== 'desk' || !isOfficer()) return `#/${section || 'report'}`;
  if (page === 'overview') return '#/desk/overview';
  if (['audits', 'audit', 'templates', 'template'].includes(page)) return '#/desk/audits';
  if (page === 'risks' || page === 'risk') return '#/desk/risks';
  if (['reviews', 'review', 'exports'].includes(page)) return '#/desk/reviews';
  if (['people', 'person', 'sites', 'settings', 'training'].includes(page)) return '#/desk/people';
  if (page === 'documents' || page === 'document') return '#/desk/documents';
  return page === 'ncs' || page === 'nc' ? '#/desk/ncs' : '#/desk';
}

function markCurrentTab() {
  const here = currentTab();
  document.querySelectorAll('nav.tabs a').forEach((a) => a.setAttribute('aria-current', String(a.getAttribute('href') === here)));
  // A phone's tab bar scrolls when a role has many tabs: keep the current one in sight.
  const nav = document.querySelector('nav.tabs');
  const current = nav.querySelector('a[aria-current="true"]');
  if (current && nav.scrollWidth > nav.clientWidth) nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
}

// Whether my role works at the desk, as the served list of roles says.
const isOfficer = () => Boolean(entry('roles', me?.role)?.desk);

// Signed in, but this device has never held the shared lists and cannot reach the server.
function renderNoLists() {
  main.replaceChildren(h('section', { class: 'screen' }, h('h2', {}, 'Almost ready'),
    h('p', { class: 'message warn', role: 'status' },
      'This phone needs the network once more to finish setting up. Your saved reports are safe.')));
}

// Desk pages drawn from (main, {me, id, query, isCurrent}): page -> [module, function].
const DESK_PAGES = {
  people: ['./views/desk-people.js', 'renderPeople'],
  person: ['./views/desk-person.js', 'renderPerson'],
  sites: ['./views/desk-sites.js', 'renderSites'],
  settings: ['./views/desk-settings.js', 'renderSettings'],
  training: ['./views/desk-training.js', 'renderTraining'],
  documents: ['./views/desk-documents.js', 'renderDocuments'],
  document: ['./views/desk-document.js', 'renderDeskDocument'],
};

// The desk's views load on first use: the field app's first load stays small.
async function renderDesk(page, id, query, isCurrent) {
  if (DESK_PAGES[page]) {
    const [path, name] = DESK_PAGES[page];
    const view = await import(path);
    if (isCurrent()) await view[name](main, { me, id, query, isCurrent });
  } else if (page === 'report' && id) {
    const { renderDeskReport } = await import('./views/desk-report.js');
    if (isCurrent()) await renderDeskReport(main, { id, back: lastQueue, isCurrent });
  } else if (page === 'ncs') {
    const { renderNcs } = await import('./views/desk-ncs.js');
    if (!isCurrent()) return;
    await renderNcs(main, { me, params: query, isCurrent, onFilters: (hash) => { lastNcs = hash; } });
    if (isCurrent()) lastNcs = location.hash;
  } else if (page === 'nc' && id) {
    const { renderNc } = await import('./views/desk-nc.js');
    if (isCurrent()) await renderNc(main, { id, back: lastNcs, isCurrent });
  } else if (page === 'audits') {
    const { renderAudits } = await import('./views/desk-audits.js');
    if (!isCurrent()) return;
    await renderAudits(main, { params: query, isCurrent, onFilters: (hash) => { lastAudits = hash; } });
    if (isCurrent()) lastAudits = location.hash;
  } else if (page === 'audit' && id) {
    const { renderDeskAudit } = await import('./views/desk-audit.js');
    if (isCurrent()) await renderDeskAudit(main, { id, me, back: lastAudits, isCurrent });
  } else if (page === 'templates') {
    const { renderTemplates } = await import('./views/desk-templates.js');
    if (isCurrent()) await renderTemplates(main, { isCurrent });
  } else if (page === 'template' && id) {
    const { renderTemplate } = await import('./views/desk-template.js');
    if (isCurrent()) await renderTemplate(main, { id, isCurrent });
  } else if (page === 'risks') {
    const { renderRisks } = await import('./views/desk-risks.js');
    if (!isCurrent()) return;
    await renderRisks(main, { params: query, isCurrent, onFilters: (hash) => { lastRisks = hash; } });
    if (isCurrent()) lastRisks = location.hash;
  } else if (page === 'risk' && id) {
    const { renderRisk } = await import('./views/desk-risk.js');
    if (isCurrent()) await renderRisk(main, { id, back: lastRisks, isCurrent });
  } else if (page === 'reviews') {
    const { renderReviews } = await import('./views/desk-reviews.js');
    if (isCurrent()) await renderReviews(main, { me, isCurrent });
  } else if (page === 'review' && id) {
    const { renderReview } = await import('./views/desk-review.js');
    if (isCurrent()) await renderReview(main, { id, me, isCurrent });
  } else if (page === 'exports') {
    const { renderExports } = await import('./views/desk-exports.js');
    if (isCurrent()) await renderExports(main, { me, isCurrent });
  } else if (page === 'overview') {
    const { renderOverview } = await import('./views/desk-overview.js');
    if (isCurrent()) await renderOverview(main, { isCurrent });
  } else {
    const { renderQueue } = await import('./views/desk-queue.js');
    if (!isCurrent()) return;
    await renderQueue(main, { me, params: query, isCurrent, onFilters: (hash) => { lastQueue = hash; } });
    if (isCurrent()) lastQueue = location.hash || '#/desk';
  }
}

// The controls of my sites' risks, read only (kept on the phone: it opens offline too).
async function renderSiteRisks(isCurrent) {
  const { renderSiteRisks: render } = await import('./views/site-risks.js');
  if (isCurrent()) await render(main, { me, isCurrent });
}

// An auditor's screens, loaded on first use: the audits I run, and one audit's runner.
// The documents I am to read and acknowledge, and one of them (online: they are not kept here).
async function renderReading(id, isCurrent) {
  if (id) {
    const { renderDocument } = await import('./views/document.js');
    if (isCurrent()) await renderDocument(main, { me, id, isCurrent });
  } else {
    const { renderDocumentsToRead } = await import('./views/documents.js');
    if (isCurrent()) await renderDocumentsToRead(main, { me, isCurrent });
  }
}

// Accepting an invitation, or asking for and completing a password reset.
async function renderAccountLink(section, query, isCurrent) {
  const { renderInvitation, renderPasswordReset } = await import('./views/account.js');
  if (!isCurrent()) return;
  const render = section === 'invitation' ? renderInvitation : renderPasswordReset;
  await render(main, { token: query.get('token'), onSignedIn, isCurrent });
}

async function renderAuditing(section, id, query, isCurrent) {
  if (section === 'audit') {
    const { renderAudit } = await import('./views/audit.js');
    if (isCurrent()) await renderAudit(main, { me, id, query, syncNow: startSync, isCurrent });
  } else {
    const { renderAudits } = await import('./views/audits.js');
    if (isCurrent()) await renderAudits(main, { me, isCurrent });
  }
}

async function onSignedIn(profile) {
  me = profile;
  signInReason = null;
  await setMeta('me', profile);
  // Signed in means online: take the lists as the server has them now (kept for offline).
  await refreshLists().catch((error) => console.error('lists not loaded', error));
  await actionCache.refresh(profile.user.id).catch((error) => console.error('actions not loaded', error));
  navigator.storage?.persist?.();
  await setupNav();
  // Setting the hash routes (hashchange); routing here as well would render the page twice, and
  // the second render would replace the first after the person has started using it.
  if (!location.hash || /^#\/(signin|invitation|password-reset)\b/.test(location.hash)) location.hash = isOfficer() ? '#/desk' : '#/report';
  else await route();
  startSync();
}

// An item was saved in the outbox: show it in its list (My reports, My actions) and send it.
async function onSaved(id, list = '#/reports') {
  justSaved = { id, placed: null };
  location.hash = list;
  const registration = await navigator.serviceWorker?.ready;
  registration?.sync?.register('outbox').catch(() => {});
  startSync();
}

const onActionSaved = (id) => onSaved(id, '#/actions');

function startSync() {
  return syncNow().catch((error) => console.error('sync failed', error));
}

async function signOut() {
  const unsent = await myUnsent();
  if (unsent && !(await confirmDialog('Not sent yet',
    `${unsent} item(s) of yours (reports, actions marked done) are still on this phone. They stay here, unseen by anyone else, and are sent after you sign in again.`,
    'Sign out anyway', 'Stay signed in'))) return;
  try { await api.logout(); } catch (error) { if (!(error instanceof Offline)) throw error; }
  me = null;
  progress.clear();
  await setMeta('me', null);
  location.hash = '#/signin';
  route();
}

onSyncEvent(async (event) => {
  // The sign-in form is on screen already: drawing it again would wipe what is being typed.
  const askedToSignIn = Boolean(signInReason);
  if (event.type === 'progress') progress.set(event.id, event.value);
  if (event.type === 'auth') {
    const unsent = await myUnsent();
    signInReason = `Your session has ended. Sign in again to send ${unsent} saved item(s); they are safe on this phone.`;
  }
  if (event.type === 'retry') {
    connectionNote = `Server not reachable. What you saved is safe on this phone; trying again in ${Math.ceil(event.delay / 1000)} s.`;
  }
  if (event.type === 'done') {
    progress.clear();
    connectionNote = '';
  }
  // A quiet poll (nothing sent, nothing changed) leaves the screen alone.
  const news = event.type !== 'done' || event.changed > 0;
  const onMyReports = /^#\/reports\/?$/.test(location.hash);
  // My actions, and an action's page unless its form is being filled in.
  const onMyActions = /^#\/actions(\/[^/?]+)?\/?$/.test(location.hash) && !main.querySelector('form.action-done');
  const signIn = event.type === 'auth' && !askedToSignIn;
  if (event.type === 'done' && event.changed > 0) setupNav();
  else if (event.type === 'done') refreshBadge();
  const listNews = (onMyReports || onMyActions) && news && !askedToSignIn;
  if (!document.querySelector('dialog[open]') && (listNews || signIn)) route();
  else refreshHeader();
});

// Poll gently while the app is visible and someone is signed in; the desk's queue polls for itself.
function poll() {
  if (me && !signInReason && document.visibilityState === 'visible') startSync();
}

document.getElementById('sync-now').addEventListener('click', startSync);
document.getElementById('sign-out').addEventListener('click', signOut);
// A new screen starts at its top (re-renders of the same screen keep the place).
window.addEventListener('hashchange', () => { window.scrollTo(0, 0); route(); });
window.addEventListener('online', () => { refreshHeader(); startSync(); });
window.addEventListener('offline', refreshHeader);
window.addEventListener('notices-read', refreshBadge);
window.addEventListener('focus', poll);
document.addEventListener('visibilitychange', poll);
navigator.serviceWorker?.addEventListener('message', (event) => event.data === 'sync' && startSync());
setInterval(poll, POLL_MS);

// Whether I own actions (or have an update of one waiting): then My actions is a tab.
async function ownsActions() {
  if (!me) return false;
  if (await actionCache.count(me.user.id)) return true;
  return (await outbox.peek(me.user.id)).some((item) => item.type === 'action_update');
}

// Auditors run audits, and officers and admins who have one of theirs on this phone: a tab.
async function auditTabs() {
  if (!me) return [];
  const { count } = await import('./audit-store.js');
  const runs = me.role === 'auditor' || (await count(me.user.id)) > 0;
  return runs ? [['#/audits', isOfficer() ? 'My audits' : 'Audits']] : [];
}

// Unread reminders, as a count on My actions (or, without it, on the desk's NCs tab).
async function refreshBadge() {
  const count = me && navigator.onLine ? await unreadCount() : null;
  if (count === null) return;
  const tab = document.querySelector('nav.tabs a[href="#/actions"]') ?? document.querySelector('nav.tabs a[href="#/desk/ncs"]');
  document.querySelectorAll('nav.tabs .tab-badge').forEach((badge) => badge.remove());
  if (tab && count) tab.append(h('span', { class: 'tab-badge', 'aria-label': `${count} unread reminder(s)` }, String(count)));
}

// Officers and admins get the desk's tabs; everyone gets Report and Sign out, and My actions
// once they own one.
async function setupNav() {
  const mine = (await ownsActions()) ? [['#/actions', 'My actions']] : [];
  const tabs = isOfficer()
    ? [['#/desk', 'Queue'], ['#/desk/ncs', 'NCs'], ['#/desk/audits', 'Audits'], ['#/desk/risks', 'Risks'], ['#/desk/reviews', 'Reviews'], ['#/desk/people', 'People'], ['#/desk/documents', 'Documents'], ['#/desk/overview', 'Overview'], ['#/report', 'Report'], ...mine]
    : [['#/report', 'Report'], ['#/reports', 'My reports'], ['#/site-risks', 'Site risks'], ['#/documents', 'Documents'], ...mine];
  tabs.push(...(await auditTabs()));
  const nav = document.querySelector('nav.tabs');
  nav.querySelectorAll('a').forEach((a) => a.remove());
  nav.prepend(...tabs.map(([href, label]) => h('a', { href }, label)));
  markCurrentTab();
  refreshBadge();
}

async function start() {
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js', { type: 'module' });
  me = await getMeta('me');
  // The lists kept on this device draw the first screen at once; fresh ones follow for the next.
  if (me) {
    await getLists().catch(() => null);
    refreshLists().catch(() => null);
  }
  await setupNav();
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
