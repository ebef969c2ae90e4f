// The documents I am to read, on the phone: those to acknowledge first, then those I have read,
// then my organization's other approved documents. Read online (they are not kept on the phone);
// an acknowledgement made without the network waits on the phone and is sent from here or its page.
import { AuthRequired, Offline } from '../api.js';
import { documents, focusHeading, itemsOf, kindWord } from '../api-documents.js';
import { getMeta, perUser, setMeta } from '../db.js';
import { h } from '../dom.js';

const pendingKey = (me) => perUser('document-acks', me.user.id);

// The acknowledgements made on this phone and not sent yet: {documentId: body}.
export async function pendingAcks(me) {
  return (await getMeta(pendingKey(me))) ?? {};
}

export async function keepAck(me, documentId, body) {
  await setMeta(pendingKey(me), { ...(await pendingAcks(me)), [documentId]: body });
}

async function dropAck(me, documentId) {
  const { [documentId]: _sent, ...rest } = await pendingAcks(me);
  await setMeta(pendingKey(me), rest);
}

// Send one waiting acknowledgement: true once the server holds it, false while it waits (no
// network, or signed out); refused (a newer revision came) it is dropped and the error thrown.
export async function sendAck(me, documentId, body) {
  try {
    await documents.acknowledge(documentId, body);
  } catch (error) {
    if (error instanceof Offline || error instanceof AuthRequired) return false;
    await dropAck(me, documentId);
    throw error;
  }
  await dropAck(me, documentId);
  return true;
}

async function sendWaiting(me) {
  const waiting = await pendingAcks(me);
  for (const [documentId, body] of Object.entries(waiting)) await sendAck(me, documentId, body).catch(() => false);
}

function card(doc, waiting) {
  const read = doc.acknowledged_by_me === true || Boolean(waiting);
  const toRead = doc.concerns_me && !read;
  const state = waiting ? h('span', { class: 'badge saved' }, 'Read: sent when online')
    : read ? h('span', { class: 'badge synced' }, '✓ Read and understood')
      : toRead ? h('span', { class: 'badge attention' }, 'To read') : null;
  return h('li', { class: `card doc-card ${toRead ? 'state-attention' : read ? 'state-synced' : ''}`, dataset: { id: doc.id, code: doc.code } },
    h('a', { class: 'card-link', href: `#/documents/${doc.id}` }, h('strong', {}, doc.title)),
    h('p', { class: 'hint' }, `${doc.code} · ${kindWord(doc.kind)}${doc.current_revision ? ` · Revision ${doc.current_revision.number}` : ''}`),
    state ? h('p', { class: 'doc-state' }, state) : null);
}

function group(title, cls, items, waiting, empty) {
  return h('section', { class: `doc-group ${cls}` }, h('h3', {}, `${title} (${items.length})`),
    items.length ? h('ul', { class: 'cards' }, items.map((d) => card(d, waiting[d.id]))) : h('p', { class: 'hint' }, empty));
}

export async function renderDocumentsToRead(root, { me, isCurrent = () => true }) {
  await sendWaiting(me);
  let list;
  try {
    list = itemsOf(await documents.list()).filter((d) => d.status === 'approved' && d.current_revision);
  } catch (error) {
    if (!isCurrent()) return;
    const offline = error instanceof Offline;
    root.replaceChildren(h('section', { class: 'screen documents-read' }, h('h2', {}, 'Documents'),
      h('p', { class: `message ${offline ? 'warn' : 'error'}`, role: 'alert' }, offline
        ? 'No connection: documents open when the phone is online again. Nothing you saved is lost.'
        : `The documents could not be loaded: ${error.message}`)));
    focusHeading(root);
    return;
  }
  const waiting = await pendingAcks(me);
  if (!isCurrent()) return;
  const read = (d) => d.acknowledged_by_me === true || Boolean(waiting[d.id]);
  const toRead = list.filter((d) => d.concerns_me && !read(d));
  const done = list.filter((d) => d.concerns_me && read(d));
  const others = list.filter((d) => !d.concerns_me);
  root.replaceChildren(h('section', { class: 'screen documents-read' },
    h('h2', {}, 'Documents'),
    toRead.length ? h('p', { class: 'message warn', role: 'status' }, `${toRead.length} to read and acknowledge.`)
      : h('p', { class: 'message info', role: 'status' }, '✓ Nothing to read: you are up to date.'),
    group('To read', 'to-read', toRead, waiting, 'Nothing waiting for you.'),
    group('Read and understood', 'done', done, waiting, 'None yet.'),
    others.length ? group('Other documents', 'others', others, waiting, '') : null));
  focusHeading(root);
}
