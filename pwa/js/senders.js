// One sender per outbox item type. Adding a record type to the outbox is adding a sender here:
//   list: the list of POST /api/sync the items go in;
//   wire(item): the item as the server takes it;
//   keep(item, result): what stays on the phone once the server holds it ({store, value}), or null.

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
};
