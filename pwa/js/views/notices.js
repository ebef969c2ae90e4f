// In-app reminders (GET /api/notifications): the unread count for a tab's badge, and the
// unread ones listed above My actions and the NC list, each opening what it is about.
import { api } from '../api.js';
import { h } from '../dom.js';

const SHOWN = 20;

// The unread reminders as last fetched, and whose: a screen drawn again shows them at once.
let last = null;

// How many of my reminders are unread; null when the server cannot be asked.
export async function unreadCount() {
  const inbox = await api.get('/api/notifications?unread=true&limit=1').catch(() => null);
  return inbox ? inbox.unread : null;
}

// Where a reminder leads: my action's page, the register entry (its site's risks away from the
// desk), a document (to review at the desk, to read away from it), the training matrix (at the
// desk; a holder away from it reads the reminder itself), or (at the desk) the NC.
function target(notice, desk) {
  const record = notice.record || {};
  if (record.type === 'action' && !desk) return `#/actions/${record.id}`;
  if (record.type === 'risk') return desk ? `#/desk/risk/${record.id}` : '#/site-risks';
  if (record.type === 'document') {
    return desk ? `#/desk/document/${record.id}` : `#/documents/${record.id}`;
  }
  if (record.type === 'competence') return desk ? '#/desk/training' : null;
  return record.nonconformity_id ? `#/desk/nc/${record.nonconformity_id}` : null;
}

async function markRead() {
  last = null;
  document.querySelectorAll('.notices').forEach((panel) => panel.remove());
  await api.post('/api/notifications/read', {}).catch(() => null);
  globalThis.dispatchEvent(new Event('notices-read')); // the badge follows
}

function panelOf(inbox, desk) {
  const panel = h('section', { class: 'notices', 'aria-labelledby': 'notices-title' });
  panel.append(
    h('div', { class: 'row spread' }, h('h3', { id: 'notices-title' }, `Reminders (${inbox.unread})`),
      h('button', { class: 'button secondary', type: 'button', onclick: markRead }, 'Mark all read')),
    h('ul', { class: 'notice-list' }, inbox.items.map((notice) => {
      const href = target(notice, desk);
      return h('li', { class: `notice kind-${notice.kind}` },
        h('strong', {}, href ? h('a', { href }, notice.title) : notice.title),
        h('p', {}, notice.body));
    })));
  return panel;
}

// My unread reminders under the screen's title: those last fetched at once, then the server's
// (when it can be asked). desk: reminders lead to the desk's NC pages.
export async function showNotices(root, { userId, isCurrent = () => true, desk = false }) {
  const place = (inbox) => {
    root.querySelector('.notices')?.remove();
    if (inbox.items?.length) root.querySelector('h2')?.after(panelOf(inbox, desk));
  };
  if (last?.userId === userId) place(last.inbox);
  if (!navigator.onLine) return;
  const inbox = await api.get(`/api/notifications?unread=true&limit=${SHOWN}`).catch(() => null);
  if (!inbox || !isCurrent()) return;
  const changed = JSON.stringify(inbox) !== JSON.stringify(last?.inbox);
  last = { userId, inbox };
  if (changed) place(inbox);
}
