// One sender per outbox item type. Adding a record type to the outbox is adding a sender here:
//   list: the list of POST /api/sync the items go in;
//   wire(item): the item as the server takes it;
//   keep(item, result): what stays on the phone once the server holds it ({store, value}), or null;
//   conflict: what the person reads when the server holds something else under the item's id.
// A type sent by a call of its own instead of a list of POST /api/sync has instead:
//   send(item): the call (its answer goes to keep); waitsFor(item, others): how many of the
//   person's other unsent items must be sent first; waiting(n) and refused(error): the words.
import { doneView } from './action-cache.js';
import { api } from './api.js';
import { RESPONSE, signedView, SUBMIT } from './audit-store.js';

const REPORT_FIELDS = ['kind', 'site_id', 'observed_at', 'description', 'location', 'severity', 'likelihood'];

function reportWire(item) {
  const fields = Object.fromEntries(REPORT_FIELDS.map((name) => [name, item.body[name] ?? null]));
  return { id: item.id, ...fields, photos: item.photos };
}

export const SENDERS = {
  report: {
    list: 'reports',
    wire: reportWire,
    keep: (item, result) => ({
      store: 'synced',
      value: { ...reportWire(item), userId: item.userId, site_name: item.local?.siteName, status: result.report_status },
    }),
  },
  // An action marked done on the phone: its id is the action's own.
  action_update: {
    list: 'actions',
    wire: (item) => ({ id: item.id, status: item.body.status, notes: item.body.notes, photos: item.photos, done_at: item.body.done_at }),
    keep: (item) => ({ store: 'actions', value: doneView(item) }),
    conflict: 'This action was already reported done with other notes or photos, from another device or the desk. Delete this copy, or ask your officer.',
  },
  // An answer to one question of an audit: each change of an answer is a new response.
  [RESPONSE]: {
    list: 'responses',
    wire: (item) => ({ id: item.id, ...item.body, photos: item.photos.map((p) => p.sha256) }),
    conflict: 'The server will not take this answer: the audit may be signed off or cancelled, or given to someone else.',
  },
  // An audit's sign-off, sent once every answer of it is (POST /api/audits/{id}/submit).
  [SUBMIT]: {
    send: (item) => api.post(`/api/audits/${item.id}/submit`, item.body),
    waitsFor: (item, others) => others.filter((o) => o.type === RESPONSE && o.body.audit_id === item.id).length,
    waiting: (n) => `Sent after the answers: ${n} still to send.`,
    keep: (item, view) => ({ store: 'audits', value: signedView(item.userId, view) }),
    refused: (error) => {
      const unanswered = [].concat(error.problem?.errors?.responses ?? []);
      if (unanswered.length) return `The server holds no answer to ${unanswered.length} question(s): ${unanswered.join('; ')}`;
      return `The server refused the sign-off: ${error.message}`;
    },
  },
};
