// One document on the phone: what it is, a large link to open it, and a large "I have read and
// understood" button. Without the network the acknowledgement waits on the phone (nothing lost)
// and goes as soon as the phone is online.
import { ApiError, Offline } from '../api.js';
import { documents, FILE_TYPES, focusHeading, kindWord, sizeText, when } from '../api-documents.js';
import { h } from '../dom.js';
import { keepAck, pendingAcks, sendAck } from './documents.js';

const back = () => h('a', { class: 'button secondary', href: '#/documents' }, '← Documents');

function facts(doc) {
  const current = doc.current_revision;
  const rows = [['Code', doc.code], ['Kind', kindWord(doc.kind)], ['Revision', current ? String(current.number) : '—'],
    ['Approved by', current?.approved_at ? `${current.approved_by?.name ?? '—'}, ${when(current.approved_at)}` : '—']];
  return h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function doneNote(text) {
  return h('p', { class: 'message info ack-done', role: 'status' }, h('span', { 'aria-hidden': 'true' }, '✓ '), text);
}

// The button, or what became of it: sent, or waiting on the phone.
function ackArea(doc, me, waiting, isCurrent, reopen) {
  const area = h('div', { class: 'ack-area', 'aria-live': 'polite' });
  const message = h('p', { class: 'message error', role: 'alert' });
  const current = doc.current_revision;
  // Kept on the phone; sent again as soon as the network is back (or from the list, later).
  const waitForNetwork = (body) => {
    area.replaceChildren(h('p', { class: 'message warn ack-waiting', role: 'status' },
      'Saved on this phone: no connection yet. It is sent by itself when the phone is online; nothing is lost.'));
    window.addEventListener('online', () => isCurrent() && send(body), { once: true });
  };
  const send = async (body) => {
    try {
      const sent = await sendAck(me, doc.id, body);
      if (!isCurrent()) return;
      if (sent) area.replaceChildren(doneNote(`You have read and understood revision ${current.number} (${when(body.acknowledged_at)}).`));
      else waitForNetwork(body);
    } catch (error) {
      if (!isCurrent()) return;
      const newer = error instanceof ApiError && error.status === 409;
      message.textContent = newer ? 'A newer revision has come: open the document again and read that one.' : `Not sent: ${error.message}`;
      area.replaceChildren(message, newer ? h('button', { type: 'button', class: 'button secondary big', onclick: reopen }, 'Open it again') : button());
    }
  };
  const button = () => h('button', { type: 'button', class: 'button primary wide big ack-button', onclick: async (event) => {
    event.currentTarget.disabled = true;
    const body = { id: crypto.randomUUID(), revision_id: current.id, acknowledged_at: new Date().toISOString() };
    await keepAck(me, doc.id, body); // on the phone first: a dropped network loses nothing
    await send(body);
  } }, 'I have read and understood');
  const at = doc.my_acknowledgement?.acknowledged_at;
  if (doc.acknowledged_by_me) area.replaceChildren(doneNote(`You have read and understood revision ${current.number}${at ? ` (${when(at)})` : ''}.`));
  else if (waiting) {
    if (navigator.onLine) send(waiting);
    else waitForNetwork(waiting);
  } else area.replaceChildren(h('p', { class: 'hint' }, 'Open it and read it through; then say so here.'), button());
  return area;
}

export async function renderDocument(root, { me, id, isCurrent = () => true }) {
  let doc;
  try {
    doc = await documents.get(id);
  } catch (error) {
    if (!isCurrent()) return;
    root.replaceChildren(h('section', { class: 'screen document-read' }, back(), h('h2', {}, 'Document'),
      h('p', { class: `message ${error instanceof Offline ? 'warn' : 'error'}`, role: 'alert' }, error instanceof Offline
        ? 'No connection: this document opens when the phone is online again. Nothing you saved is lost.'
        : error.status === 404 ? 'This document is not there any more: it may have been withdrawn.' : `It could not be opened: ${error.message}`)));
    focusHeading(root);
    return;
  }
  const waiting = (await pendingAcks(me))[doc.id];
  if (!isCurrent()) return;
  const current = doc.current_revision;
  root.replaceChildren(h('section', { class: 'screen document-read', dataset: { id: doc.id } },
    back(),
    h('h2', {}, doc.title),
    facts(doc),
    current ? h('a', { class: 'button secondary wide big open-file', href: documents.fileUrl(doc.id), target: '_blank', rel: 'noopener' },
      h('span', {}, 'Open the document'),
      h('span', { class: 'file-kind' }, [FILE_TYPES[current.content_type], sizeText(current.size_bytes)].filter(Boolean).join(' · '))) : null,
    current ? ackArea(doc, me, waiting && waiting.revision_id === current.id ? waiting : null, isCurrent, () => renderDocument(root, { me, id, isCurrent }))
      : h('p', { class: 'message warn', role: 'note' }, 'No approved revision to read: it may have been withdrawn.')));
  focusHeading(root);
}
