// Controlled documents (ISO 45001 7.5): each with its status, current revision, review day and
// how many of those it concerns have acknowledged it; filters kept in the URL; a new document.
import { documents, focusHeading, itemsOf, kinds, kindWord, people } from '../api-documents.js';
import { dayIn, dayLabel, dueText } from '../days.js';
import { h } from '../dom.js';
import { entries, label } from '../lists.js';
import { clearOnChange, field, options, requiredFilled, showProblem } from './desk-risk-parts.js';

const FILTERS = ['q', 'status', 'kind', 'review_due'];
// A document's status (a withdrawn one is "obsolete"), or with list 'revision_statuses' a revision's.
export const statusWord = (status, list = 'document_statuses') => label(list, status);

export function statusChip(status, list = 'document_statuses') {
  return h('span', { class: `doc-status status-${status}` }, statusWord(status, list));
}

const filtersFrom = (query) => Object.fromEntries(FILTERS.filter((k) => query?.get(k)).map((k) => [k, query.get(k)]));
const hashOf = (filters) => {
  const search = new URLSearchParams(filters).toString();
  return `#/desk/documents${search ? `?${search}` : ''}`;
};

// The review day with a flag when it has come.
export function reviewText(doc) {
  if (!doc.review_on) return h('span', { class: 'hint' }, '—');
  return h('div', { class: 'review-cell' }, dayLabel(doc.review_on),
    doc.review_due ? h('span', { class: 'flag late' }, dueText(doc.review_on).replace('Due', 'Review due')) : null);
}

// "7 of 12": acknowledgements of the current revision against those it concerns.
function acknowledged(doc) {
  const counts = doc.acknowledgements;
  if (!doc.current_revision || !counts) return h('span', { class: 'hint' }, '—');
  const all = counts.expected > 0 && counts.done >= counts.expected;
  return h('span', { class: `ack-count ${all ? 'all' : ''}` }, all ? '✓ ' : '', `${counts.done} of ${counts.expected}`);
}

function row(doc) {
  const cell = (name, cls, ...content) => h('td', { class: cls, 'data-label': name }, ...content);
  const revision = doc.current_revision;
  return h('tr', { dataset: { id: doc.id, code: doc.code, status: doc.status } },
    cell('Code', 'nowrap ref', h('a', { href: `#/desk/document/${doc.id}` }, doc.code)),
    cell('Title', 'what', h('a', { href: `#/desk/document/${doc.id}` }, doc.title)),
    cell('Kind', 'nowrap', kindWord(doc.kind)),
    cell('Status', 'nowrap', statusChip(doc.status)),
    cell('Revision', 'nowrap', revision ? `Rev. ${revision.number}` : h('span', { class: 'hint' }, 'None approved')),
    cell('Review', 'wraps', reviewText(doc)),
    cell('Acknowledged', 'nowrap', acknowledged(doc)));
}

function filterForm(filters, onChange) {
  const select = (name, text, items) => h('label', { class: 'filter' }, text, h('select', { name }, options(items, filters[name] ?? '')));
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); onChange(read()); } },
    h('label', { class: 'filter wide' }, 'Search', h('input', { name: 'q', type: 'search', value: filters.q || '', placeholder: 'Code or title' })),
    select('status', 'Status', [['', 'All statuses'], ...entries('document_statuses').map((e) => [e.value, e.label])]),
    select('kind', 'Kind', [['', 'Any kind'], ...kinds()]),
    h('label', { class: 'filter check' }, h('input', { type: 'checkbox', name: 'review_due', value: 'true', checked: filters.review_due === 'true' }), 'Review due only'),
    h('button', { class: 'button primary', type: 'submit' }, 'Apply'));
  form.addEventListener('change', () => onChange(read()));
  function read() {
    return Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));
  }
  return form;
}

// Checkboxes for a list of choices, in a fieldset with its legend (none ticked: all of them).
function checkboxes(name, legend, items, hint) {
  return h('fieldset', { class: 'field audience', dataset: { field: name } }, h('legend', {}, legend),
    h('p', { class: 'hint' }, hint),
    h('div', { class: 'row choices' }, items.map(([value, text]) => h('label', { class: 'choice' },
      h('input', { type: 'checkbox', name, value }), text))),
    h('p', { class: 'field-error', role: 'alert', dataset: { for: `audience.${name}` } }));
}

// The new document's form; onAdded(document) once the server holds it.
function newForm({ users, sites, me }, onAdded) {
  let id = crypto.randomUUID(); // one document, however often the form is sent
  const general = h('p', { class: 'message error', role: 'alert' });
  const input = (name, attrs) => h('input', { id: `doc-${name}`, name, required: true, ...attrs });
  const form = h('form', { class: 'risk-form new-document', novalidate: true, onsubmit: (event) => { event.preventDefault(); send(); } },
    h('div', { class: 'row' },
      field('code', 'Code', input('code', { maxlength: 32, placeholder: 'e.g. PRO-007', autocapitalize: 'characters', spellcheck: 'false' })),
      field('title', 'Title', input('title', { maxlength: 200, placeholder: 'e.g. Working at height' }), 'grow')),
    h('div', { class: 'row' },
      field('kind', 'Kind', h('select', { id: 'doc-kind', name: 'kind', required: true }, options([['', 'Choose…'], ...kinds()]))),
      field('owner_id', 'Owner', h('select', { id: 'doc-owner', name: 'owner_id' }, options(users.map((u) => [u.id, u.name]), me?.user?.id ?? ''))),
      field('review_on', 'Review by (empty: a year after approval)', h('input', { id: 'doc-review', name: 'review_on', type: 'date', min: dayIn(0) }))),
    checkboxes('roles', 'Who must read it: roles', entries('roles').map((r) => [r.value, r.label]), 'None ticked: every role.'),
    checkboxes('site_ids', 'At these sites', sites.map((s) => [String(s.id), s.name]), 'None ticked: every site.'),
    general,
    h('button', { class: 'button primary big', type: 'submit' }, 'Create the document'));
  clearOnChange(form);
  async function send() {
    if (!requiredFilled(form, general)) return;
    const data = new FormData(form);
    const body = {
      id, code: data.get('code').trim(), title: data.get('title').trim(), kind: data.get('kind'),
      owner_id: data.get('owner_id') ? Number(data.get('owner_id')) : null, review_on: data.get('review_on') || null,
      audience: { roles: data.getAll('roles'), site_ids: data.getAll('site_ids').map(Number) },
    };
    try {
      const added = await documents.create(body);
      id = crypto.randomUUID();
      onAdded(added);
    } catch (error) {
      showProblem(form, general, error);
    }
  }
  return form;
}

// query: the URL's; isCurrent(): false once the officer has left this screen.
export async function renderDocuments(root, { me, query, isCurrent = () => true }) {
  const filters = filtersFrom(query);
  const [sites, users] = await Promise.all([people.sites(), people.users().then(itemsOf).catch(() => [])]);
  if (!isCurrent()) return;
  const body = h('tbody');
  const count = h('p', { class: 'hint', role: 'status' });
  let generation = 0;
  async function load() {
    const mine = ++generation;
    const list = itemsOf(await documents.list(filters));
    if (mine !== generation || !isCurrent()) return; // newer filters have the say
    body.replaceChildren(...list.map(row));
    count.textContent = list.length ? `${list.length} document${list.length === 1 ? '' : 's'}` : 'No documents match these filters.';
  }
  const box = h('details', { class: 'panel wide-panel override-box new-box' }, h('summary', {}, 'New document'),
    newForm({ users, sites, me }, (added) => { location.hash = `#/desk/document/${added.id}`; }));
  root.replaceChildren(h('section', { class: 'screen desk documents-page' },
    h('h2', {}, 'Documents'),
    h('p', { class: 'hint' }, 'Policies, procedures and instructions: each revision approved by someone other than its author, and read by those it concerns.'),
    box,
    filterForm(filters, (chosen) => {
      Object.keys(filters).forEach((k) => delete filters[k]);
      Object.assign(filters, chosen);
      history.replaceState(null, '', hashOf(filters));
      load();
    }),
    count,
    h('table', { class: 'queue doc-list' },
      h('thead', {}, h('tr', {}, ['Code', 'Title', 'Kind', 'Status', 'Revision', 'Review', 'Acknowledged'].map((c) => h('th', { scope: 'col' }, c)))),
      body)));
  await load();
  if (!isCurrent()) return;
  if (!Object.keys(filters).length && !body.children.length) box.open = true;
  focusHeading(root);
}
