// One sender per outbox item type. Adding a record type to the outbox is adding a sender here:
//   list: the list of POST /api/sync the items go in;
//   wire(item): the item as the server takes it;
//   keep(item, result): what stays on the phone once the server holds it ({store, value}), or null;
//   conflict: what the person reads when the server holds something else under the item's id.
import { doneView } from './action-cache.js';

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
};
