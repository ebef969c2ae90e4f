// One controlled document at the desk: its revisions, a new one uploaded (a PDF or picture,
// hashed here with SHA-256 and sent by it), approval by someone other than the author, the
// document withdrawn, and who has read the current revision and who not yet.
import { ApiError } from '../api.js';
import { documents, FILE_TYPES, focusHeading, kindWord, people, prepareFile, sizeText, when } from '../api-documents.js';
import { confirmDialog, h } from '../dom.js';
import { label } from '../lists.js';
import { clearOnChange, field, requiredFilled, showProblem } from './desk-risk-parts.js';
import { reviewText, statusChip } from './desk-documents.js';

const MAX_MB = 25;
const panel = (title, cls, ...children) => h('section', { class: `panel wide-panel ${cls}` }, h('h3', {}, title), ...children);
const who = (person) => person?.name ?? '—';

function facts(doc, sites) {
  const siteNames = (doc.audience?.site_ids ?? []).map((id) => sites.get(id) ?? `Site ${id}`);
  const roles = (doc.audience?.roles ?? []).map((r) => label('roles', r));
  const rows = [['Kind', kindWord(doc.kind)], ['Status', statusChip(doc.status)], ['Owner', who(doc.owner)],
    ['Review by', reviewText(doc)],
    ['Who must read it', `${roles.length ? roles.join(', ') : 'Every role'} · ${siteNames.length ? siteNames.join(', ') : 'every site'}`]];
  return h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function currentPanel(doc) {
  const current = doc.current_revision;
  if (!current) return panel('Current revision', 'doc-current', h('p', { class: 'hint' }, 'None approved yet: those it concerns see it once a revision is approved.'));
  return panel(`Current revision: ${current.number}`, 'doc-current',
    h('p', {}, `Approved by ${who(current.approved_by)} on ${when(current.approved_at)}.`),
    h('a', { class: 'button primary big open-file', href: documents.fileUrl(doc.id), target: '_blank', rel: 'noopener' },
      `Open ${current.filename ?? 'the file'}`, current.size_bytes ? ` (${sizeText(current.size_bytes)})` : ''));
}

// A draft's approval: refused to its author, with the reason beside the button.
function approveButton(doc, revision, me, onDone) {
  const mine = revision.author?.id === me?.user?.id;
  const reason = h('p', { class: 'hint approve-why', id: `approve-why-${revision.id}` }, mine ? 'You wrote this revision: someone else approves it.' : '');
  const message = h('p', { class: 'message error', role: 'alert' });
  const button = h('button', {
    type: 'button', class: 'button primary', disabled: mine, 'aria-describedby': mine ? reason.id : null,
    onclick: async () => {
      const previous = doc.current_revision ? ` Revision ${doc.current_revision.number} is withdrawn then.` : '';
      if (!(await confirmDialog(`Approve revision ${revision.number}?`, `It becomes the revision everyone reads.${previous}`, 'Approve it', 'Not now'))) return;
      try {
        await documents.approve(doc.id, revision.id);
        onDone();
      } catch (error) {
        message.textContent = error.message;
      }
    },
  }, `Approve revision ${revision.number}`);
  return h('div', { class: 'approve' }, button, reason, message);
}

function revisionsTable(doc, me, onDone) {
  const revisions = [...(doc.revisions ?? [])].sort((a, b) => b.number - a.number);
  if (!revisions.length) return h('p', { class: 'hint' }, 'No revision yet: upload the first below.');
  const cell = (name, cls, ...content) => h('td', { class: cls, 'data-label': name }, ...content);
  return h('table', { class: 'queue doc-revisions' },
    h('thead', {}, h('tr', {}, ['Rev.', 'Status', 'File', 'Summary', 'Author', 'Approved by', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, revisions.map((r) => h('tr', { dataset: { number: r.number, status: r.status } },
      cell('Rev.', 'nowrap num', String(r.number)),
      cell('Status', 'nowrap', statusChip(r.status, 'revision_statuses')),
      cell('File', 'wraps', h('a', { href: r.file_url ?? documents.revisionFileUrl(doc.id, r.id), target: '_blank', rel: 'noopener' }, r.filename ?? 'Open the file'),
        r.size_bytes ? h('div', { class: 'hint' }, sizeText(r.size_bytes)) : null),
      cell('Summary', 'notes', r.summary || ''),
      cell('Author', 'nowrap', who(r.author)),
      cell('Approved by', 'wraps', r.approved_at ? `${who(r.approved_by)}, ${when(r.approved_at)}` : '—'),
      cell('', 'actions', r.status === 'draft' ? approveButton(doc, r, me, onDone) : null)))));
}

// Upload a revision: the file's SHA-256 here, PUT the bytes, then POST the draft.
function uploadForm(doc, onDone) {
  let id = crypto.randomUUID(); // one revision, however often the form is sent
  const general = h('p', { class: 'message error', role: 'alert' });
  const progress = h('p', { class: 'hint', role: 'status' });
  const file = h('input', { id: 'revision-file', name: 'file', type: 'file', required: true, accept: Object.keys(FILE_TYPES).join(',') });
  const summary = h('textarea', { id: 'revision-summary', name: 'summary', rows: 2, maxlength: 2000, placeholder: 'What changed in this revision' });
  const send = h('button', { class: 'button primary big', type: 'submit' }, 'Upload the revision');
  const form = h('form', { class: 'risk-form upload-revision', novalidate: true, onsubmit: (event) => { event.preventDefault(); submit(); } },
    field('file_sha256', `The file (PDF, JPEG, PNG or WebP; at most ${MAX_MB} MB)`, file, 'grow'),
    field('summary', 'What changed', summary, 'grow'),
    general, progress, send);
  clearOnChange(form);
  async function submit() {
    const [chosen] = file.files;
    if (!requiredFilled(form, general) || !chosen) return;
    if (!FILE_TYPES[chosen.type]) { general.textContent = `“${chosen.name}” is not a PDF or a picture: choose a PDF, JPEG, PNG or WebP file.`; return; }
    if (chosen.size > MAX_MB * 1024 * 1024) { general.textContent = `“${chosen.name}” is ${sizeText(chosen.size)}: at most ${MAX_MB} MB.`; return; }
    send.disabled = true;
    try {
      progress.textContent = `Reading ${chosen.name}…`;
      const prepared = await prepareFile(chosen);
      progress.textContent = `Sending ${chosen.name} (${sizeText(prepared.size)})…`;
      await documents.putFile(prepared.sha256, prepared.bytes, prepared.type);
      await documents.addRevision(doc.id, { id, file_sha256: prepared.sha256, filename: chosen.name, summary: summary.value.trim() });
      id = crypto.randomUUID();
      onDone();
    } catch (error) {
      progress.textContent = '';
      showProblem(form, general, error);
      if (error instanceof ApiError && error.status === 413) general.textContent = `“${chosen.name}” is too large: at most ${MAX_MB} MB.`;
    } finally {
      send.disabled = false;
    }
  }
  return form;
}

function withdrawForm(doc, onDone) {
  const general = h('p', { class: 'message error', role: 'alert' });
  const reason = h('textarea', { id: 'withdraw-reason', name: 'reason', rows: 2, maxlength: 2000, required: true });
  const form = h('form', { class: 'risk-form withdraw-form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!requiredFilled(form, general)) return;
    if (!(await confirmDialog('Withdraw this document?', 'Nobody is asked to read it any more; its revisions stay on record.', 'Withdraw it', 'Keep it'))) return;
    try {
      await documents.withdraw(doc.id, reason.value.trim());
      onDone();
    } catch (error) {
      showProblem(form, general, error);
    }
  } },
  field('reason', 'Why it is withdrawn', reason, 'grow'), general,
  h('button', { class: 'button danger', type: 'submit' }, 'Withdraw the document'));
  clearOnChange(form);
  return form;
}

function readersPanel(doc) {
  const done = doc.acknowledgements ?? [];
  const pending = doc.pending ?? [];
  if (!doc.current_revision) return null;
  return panel(`Read and understood: ${done.length} of ${done.length + pending.length}`, 'doc-readers',
    h('div', { class: 'columns' },
      h('div', {}, h('h4', {}, `Acknowledged (${done.length})`),
        done.length ? h('ul', { class: 'readers done' }, done.map((a) => h('li', { dataset: { user: a.user?.id } },
          h('span', { 'aria-hidden': 'true' }, '✓ '), h('strong', {}, who(a.user)), h('span', { class: 'hint' }, ` · ${when(a.acknowledged_at)}`))))
          : h('p', { class: 'hint' }, 'Nobody yet.')),
      h('div', {}, h('h4', {}, `Not yet (${pending.length})`),
        pending.length ? h('ul', { class: 'readers pending' }, pending.map((p) => h('li', { dataset: { user: p.id } }, h('span', { 'aria-hidden': 'true' }, '○ '), p.name)))
          : h('p', { class: 'hint' }, 'Everyone it concerns has read it.'))));
}

// isCurrent(): false once the officer has left this screen.
export async function renderDeskDocument(root, { me, id, isCurrent = () => true }) {
  const again = () => isCurrent() && renderDeskDocument(root, { me, id, isCurrent });
  const [doc, siteList] = await Promise.all([documents.get(id), people.sites().catch(() => [])]);
  if (!isCurrent()) return;
  const sites = new Map(siteList.map((s) => [s.id, s.name]));
  const withdrawn = doc.status === 'obsolete';
  root.replaceChildren(h('section', { class: 'screen desk document-page', dataset: { id: doc.id, status: doc.status } },
    h('a', { class: 'button secondary', href: '#/desk/documents' }, '← Documents'),
    h('div', { class: 'row nc-head' }, h('span', { class: 'ref big-ref' }, doc.code), h('h2', {}, doc.title)),
    h('div', { class: 'doc-top' }, h('section', { class: 'panel doc-facts' }, h('h3', {}, 'The document'), facts(doc, sites)), currentPanel(doc)),
    panel(`Revisions (${doc.revisions?.length ?? 0})`, 'doc-revision-panel', revisionsTable(doc, me, again)),
    withdrawn ? null : h('details', { class: 'panel wide-panel override-box upload-box', open: !doc.revisions?.length },
      h('summary', {}, 'Upload a new revision'), uploadForm(doc, again)),
    readersPanel(doc),
    withdrawn ? h('p', { class: 'message warn', role: 'note' }, 'This document is withdrawn: nobody is asked to read it.')
      : h('details', { class: 'panel wide-panel override-box withdraw-box' }, h('summary', {}, 'Withdraw the document'), withdrawForm(doc, again))));
  focusHeading(root);
}
