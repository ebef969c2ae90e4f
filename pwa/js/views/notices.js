// In-app reminders (GET /api/notifications): the unread count for a tab's badge, and the
// unread ones listed above My actions and the NC list, each opening what it is about.
import { api } from '../api.js';
import { h } from '../dom.js';

const SHOWN = 20;

// How many of my reminders are unread; null when the server cannot be asked.
export async function unreadCount() {
  const inbox = await api.get('/api/notifications?unread=true&limit=1').catch(() => null);
  return inbox ? inbox.unread : null;
}

// Where a reminder leads: my action's page, or (at the desk) the NC.
function target(notice, desk) {
  const record = notice.record || {};
  if (record.type === 'action' && !desk) return `#/actions/${record.id}`;
  return record.nonconformity_id ? `#/desk/nc/${record.nonconformity_id}` : null;
}

// The unread reminders as a panel (null when there are none or the server cannot be asked);
// once they are marked read, the window hears "notices-read" (the badge follows).
export async function noticesPanel({ desk = false } = {}) {
  const inbox = await api.get(`/api/notifications?unread=true&limit=${SHOWN}`).catch(() => null);
  if (!inbox?.items?.length) return null;
  const panel = h('section', { class: 'notices', 'aria-labelledby': 'notices-title' });
  const markRead = async () => {
    await api.post('/api/notifications/read', {}).catch(() => null);
    panel.remove();
    globalThis.dispatchEvent(new Event('notices-read'));
  };
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
