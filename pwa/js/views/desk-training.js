// Training (ISO 45001 7.2): who holds which module, each cell's state in words and a sign as well
// as a colour (valid, due, expired, missing); a record made with its certificate photo (sent by
// its SHA-256 through the photo pipeline); the organization's own modules. A phone gets a list
// person by person instead of the wide table.
import { focusHeading, itemsOf, people, training } from '../api-documents.js';
import { NotAnImage, preparePhoto } from '../camera.js';
import { dayIn, dayLabel } from '../days.js';
import { h } from '../dom.js';
import { entries, label } from '../lists.js';
import { subNav } from './desk-people.js';
import { clearOnChange, field, options, requiredFilled, showProblem } from './desk-risk-parts.js';

const FILTERS = ['q', 'site_id', 'role', 'module', 'page'];
const PER_PAGE = 25;
const STATES = {
  valid: { sign: '✓', word: 'Valid' },
  due: { sign: '!', word: 'Due' },
  expired: { sign: '✕', word: 'Expired' },
  missing: { sign: '—', word: 'Missing' },
};

const filtersFrom = (query) => Object.fromEntries(FILTERS.filter((k) => query?.get(k)).map((k) => [k, query.get(k)]));
const hashOf = (filters) => {
  const search = new URLSearchParams(filters).toString();
  return `#/desk/training${search ? `?${search}` : ''}`;
};

// "Valid until 3 Mar 2027", "Due 12 Jan", "Expired 3 Mar", "Missing": the words a cell reads.
export function stateText(cell) {
  const state = cell?.state ?? 'missing';
  const { word } = STATES[state] ?? STATES.missing;
  if (state === 'valid') return cell.expires_on ? `${word} until ${dayLabel(cell.expires_on)}` : `${word}, no expiry`;
  if (state === 'due' || state === 'expired') return `${word} ${dayLabel(cell.expires_on)}`;
  return word;
}

function stateMark(cell) {
  const state = STATES[cell?.state] ? cell.state : 'missing';
  // The colour is the cell's (its button's); the sign and the words say the same without it.
  return h('span', { class: 'train-state' },
    h('span', { class: 'state-sign', 'aria-hidden': 'true' }, STATES[state].sign), ` ${stateText(cell)}`);
}

function legend(dueDays) {
  const words = { valid: 'Valid', due: `Due: expires within ${dueDays} days`, expired: 'Expired', missing: 'Missing' };
  return h('ul', { class: 'legend train-legend', 'aria-label': 'What the cells say' },
    Object.entries(STATES).map(([state, { sign }]) => h('li', {}, h('span', { class: `train-state state-${state}` },
      h('span', { class: 'state-sign', 'aria-hidden': 'true' }, sign), ` ${words[state]}`))));
}

// One cell: a button that opens the form for this person and module.
function cellButton(person, module, cell, onPick) {
  return h('button', {
    type: 'button', class: `train-cell state-${cell?.state ?? 'missing'}`, dataset: { module: module.slug, state: cell?.state ?? 'missing' },
    title: `Record ${module.label} for ${person.name}`, onclick: () => onPick(person, module),
  }, stateMark(cell));
}

function matrixTable(answer, onPick) {
  const { modules } = answer;
  return h('table', { class: 'queue train-matrix' },
    h('caption', { class: 'visually-hidden' }, 'Training by person and module'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Person'), modules.map((m) => h('th', { scope: 'col', dataset: { module: m.slug } }, m.label)))),
    h('tbody', {}, answer.people.map((person) => h('tr', { dataset: { user: person.id } },
      h('th', { scope: 'row', class: 'train-person' }, h('a', { href: `#/desk/person/${person.id}` }, person.name),
        h('div', { class: 'hint' }, label('roles', person.role))),
      modules.map((m) => h('td', { 'data-label': m.label }, cellButton(person, m, person.cells?.[m.slug], onPick)))))));
}

// The phone's view: one card a person, one line a module.
function matrixList(answer, onPick) {
  return h('ul', { class: 'cards train-list', 'aria-label': 'Training by person' }, answer.people.map((person) => h('li', { class: 'card', dataset: { user: person.id } },
    h('h3', {}, h('a', { href: `#/desk/person/${person.id}` }, person.name), h('span', { class: 'hint' }, ` · ${label('roles', person.role)}`)),
    h('ul', { class: 'train-lines' }, answer.modules.map((m) => h('li', {},
      h('span', { class: 'train-module' }, m.label), cellButton(person, m, person.cells?.[m.slug], onPick)))))));
}

function filterForm(filters, { sites, modules }, onChange) {
  const select = (name, text, items) => h('label', { class: 'filter' }, text, h('select', { name }, options(items, filters[name] ?? '')));
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); onChange(read()); } },
    h('label', { class: 'filter wide' }, 'Search', h('input', { name: 'q', type: 'search', value: filters.q || '', placeholder: 'A name or email' })),
    select('site_id', 'Site', [['', 'All sites'], ...sites.map((s) => [s.id, s.name])]),
    select('role', 'Role', [['', 'Any role'], ...entries('roles').map((r) => [r.value, r.label])]),
    select('module', 'Module', [['', 'Every module'], ...modules.map((m) => [m.slug, m.label])]),
    h('button', { class: 'button primary', type: 'submit' }, 'Apply'));
  form.addEventListener('change', () => onChange(read()));
  function read() {
    return Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));
  }
  return form;
}

// The certificate photo: taken with the camera or chosen, shown before it is sent.
function certificatePicker(draft, say) {
  const preview = h('div', { class: 'cert-preview', 'aria-live': 'polite' });
  const show = () => preview.replaceChildren(...(draft.photo ? [
    h('img', { src: draft.photo.url, alt: 'The certificate photo to send' }),
    h('button', { type: 'button', class: 'button secondary', onclick: () => { URL.revokeObjectURL(draft.photo.url); draft.photo = null; show(); } }, 'Remove the photo'),
  ] : [h('p', { class: 'hint' }, 'No photo yet (optional).')]));
  const onFile = async (event) => {
    const [file] = event.target.files;
    event.target.value = '';
    if (!file) return;
    try {
      const photo = await preparePhoto(file);
      if (draft.photo) URL.revokeObjectURL(draft.photo.url);
      draft.photo = { ...photo, url: URL.createObjectURL(new Blob([photo.bytes], { type: photo.type })) };
      say('');
    } catch (error) {
      say(error instanceof NotAnImage ? error.message : `That photo could not be used: ${error.message}`);
    }
    show();
  };
  // One plain file input: keyboard and screen readers reach it, and a phone offers its camera or
  // its pictures for it.
  const input = h('input', { id: 'cert-file', type: 'file', accept: 'image/*', onchange: onFile });
  show();
  return h('fieldset', { class: 'cert-photo' }, h('legend', {}, 'Certificate photo'),
    h('label', { for: 'cert-file' }, 'Take a photo of the certificate or choose a picture'), input,
    preview);
}

// The form of a record; pick(person, module) fills it in for a cell; onRecorded(record) once held.
function recordForm({ users, modules }, onRecorded) {
  const draft = { photo: null };
  const general = h('p', { class: 'message error', role: 'alert' });
  const done = h('p', { class: 'message info', role: 'status' });
  const person = h('select', { id: 'train-person', name: 'user_id', required: true },
    options([['', 'Choose…'], ...users.map((u) => [u.id, `${u.name} (${label('roles', u.role)})`])]));
  const module = h('select', { id: 'train-module', name: 'module', required: true }, options([['', 'Choose…'], ...modules.map((m) => [m.slug, m.label])]));
  const title = h('input', { id: 'train-title', name: 'title', maxlength: 200, required: true, placeholder: 'e.g. ISO 45001 internal auditor course' });
  const send = h('button', { class: 'button primary big', type: 'submit' }, 'Record training');
  const form = h('form', { class: 'risk-form record-form', novalidate: true, onsubmit: (event) => { event.preventDefault(); submit(); } },
    h('div', { class: 'row' }, field('user_id', 'Person', person, 'grow'), field('module', 'Module', module, 'grow')),
    field('title', 'Course or qualification', title, 'grow'),
    h('div', { class: 'row' },
      field('completed_on', 'Completed on', h('input', { id: 'train-completed', name: 'completed_on', type: 'date', required: true, value: dayIn(0), max: dayIn(0) })),
      field('expires_on', 'Expires on (empty: it does not expire)', h('input', { id: 'train-expires', name: 'expires_on', type: 'date' }))),
    certificatePicker(draft, (text) => { general.textContent = text; }),
    h('p', { class: 'field-error', role: 'alert', dataset: { for: 'certificate_photo' } }),
    general, done, send);
  clearOnChange(form);
  async function submit() {
    done.textContent = '';
    if (!requiredFilled(form, general)) return;
    const data = Object.fromEntries(new FormData(form));
    send.disabled = true;
    try {
      if (draft.photo) {
        send.textContent = 'Sending the photo…';
        await training.putCertificate(draft.photo, (share) => { send.textContent = `Sending the photo… ${Math.round(share * 100)}%`; });
      }
      send.textContent = 'Recording…';
      const record = await training.record(data.user_id, {
        module: data.module, title: data.title.trim(), completed_on: data.completed_on,
        expires_on: data.expires_on || null, certificate_photo: draft.photo?.sha256 ?? null,
      });
      if (draft.photo) URL.revokeObjectURL(draft.photo.url);
      draft.photo = null;
      form.querySelector('.cert-preview')?.replaceChildren(h('p', { class: 'hint' }, 'No photo yet (optional).'));
      title.value = '';
      done.textContent = `Recorded: ${record.module_label ?? data.module} for ${record.user?.name ?? ''}${record.expires_on ? `, until ${dayLabel(record.expires_on)}` : ''}.`;
      onRecorded(record);
    } catch (error) {
      showProblem(form, general, error);
    } finally {
      send.disabled = false;
      send.textContent = 'Record training';
    }
  }
  form.pick = (userId, slug) => {
    if (userId) person.value = String(userId);
    if (slug) module.value = slug;
    const suggested = modules.find((m) => m.slug === slug);
    if (suggested && !title.value) title.value = suggested.label;
  };
  return form;
}

function moduleForm(onAdded) {
  const general = h('p', { class: 'message error', role: 'alert' });
  const text = h('input', { id: 'module-label', name: 'label', maxlength: 200, required: true, placeholder: 'e.g. Confined space entry' });
  const form = h('form', { class: 'risk-form module-form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!requiredFilled(form, general)) return;
    try {
      const added = await training.addModule({ label: text.value.trim() });
      text.value = '';
      onAdded(added);
    } catch (error) {
      showProblem(form, general, error);
    }
  } },
  h('div', { class: 'row' }, field('label', 'Name of the module', text, 'grow'), h('button', { class: 'button primary', type: 'submit' }, 'Add the module')),
  general);
  clearOnChange(form);
  return form;
}

function pager(answer, page, onPage) {
  const total = answer.total ?? answer.people.length;
  const first = total ? (page - 1) * PER_PAGE + 1 : 0;
  const last = Math.min(total, (page - 1) * PER_PAGE + answer.people.length);
  return h('div', { class: 'row spread pager' },
    h('p', { class: 'hint', role: 'status' }, total ? `People ${first}–${last} of ${total}` : 'Nobody matches these filters.'),
    h('div', { class: 'row' },
      h('button', { class: 'button secondary', type: 'button', disabled: page <= 1, onclick: () => onPage(page - 1) }, '← Previous'),
      h('button', { class: 'button secondary', type: 'button', disabled: last >= total, onclick: () => onPage(page + 1) }, 'Next →')));
}

// query: the URL's (?user=<id> opens the form for that person); isCurrent(): false once left.
export async function renderTraining(root, { me, query, isCurrent = () => true }) {
  const filters = filtersFrom(query);
  const userId = query?.get('user');
  const [sites, users, modules] = await Promise.all([people.sites(), people.users().then(itemsOf), training.modules()]);
  if (!isCurrent()) return;
  const matrix = h('div', { class: 'train-holder', 'aria-live': 'polite' });
  const recordBox = h('details', { class: 'panel wide-panel override-box record-box', id: 'record', open: Boolean(userId) });
  const form = recordForm({ users, modules }, () => load());
  // The heading sits in the summary: the box's one title, and where ?user= puts the focus.
  recordBox.append(h('summary', {}, h('h3', { id: 'record-heading' }, 'Record training')), form);
  const pick = (person, module) => {
    recordBox.open = true;
    form.pick(person.id, module.slug);
    recordBox.scrollIntoView({ block: 'start' });
    form.querySelector('#train-title').focus({ preventScroll: true });
  };
  async function load() {
    const page = Number(filters.page) || 1;
    const answer = await training.matrix({ ...filters, page, per_page: PER_PAGE });
    if (!isCurrent()) return;
    const onPage = (n) => { filters.page = String(n); history.replaceState(null, '', hashOf(filters)); load(); };
    matrix.replaceChildren(legend(answer.due_days ?? 60), pager(answer, page, onPage),
      answer.people.length ? h('div', { class: 'train-wide' }, matrixTable(answer, pick)) : null,
      answer.people.length ? matrixList(answer, pick) : null,
      h('p', { class: 'hint' }, 'Tap a cell to record that training for that person.'));
  }
  const modulesBox = h('details', { class: 'panel wide-panel override-box module-box' }, h('summary', {}, 'Add a module of your own'),
    h('p', { class: 'hint' }, `Modules now: ${modules.map((m) => m.label).join(', ')}.`),
    moduleForm(() => isCurrent() && renderTraining(root, { me, query: new URLSearchParams(filters), isCurrent })));
  root.replaceChildren(h('section', { class: 'screen desk training-page' },
    h('h2', {}, 'Training'),
    subNav(me, 'training'),
    recordBox,
    filterForm(filters, { sites, modules }, (chosen) => {
      Object.keys(filters).forEach((k) => delete filters[k]);
      Object.assign(filters, chosen);
      history.replaceState(null, '', hashOf(filters));
      load();
    }),
    matrix,
    modulesBox));
  await load();
  if (!isCurrent()) return;
  if (userId) {
    form.pick(userId, null);
    focusHeading(root, '#record-heading');
    recordBox.scrollIntoView({ block: 'start' });
  } else {
    focusHeading(root);
  }
}
