// One person: their role and sites (an admin changes them), whether they can sign in (deactivate,
// reactivate, a new invitation, a reset link), when they last signed in, and their competence
// records (clause 7.2) with the way to record training.
import { api } from '../api.js';
import { confirmDialog, h } from '../dom.js';
import { label } from '../lists.js';
import { dayLabel } from '../days.js';
import { when } from './desk-queue.js';
import { clearOnChange, field, options, showProblem } from './desk-risk-parts.js';
import {
  isAdmin, linkResult, readSites, roleChoices, screenHeading, showScreen, siteNames, sitesPicker, statusChip, subNav,
} from './desk-people.js';

const panel = (title, cls, ...children) => h('section', { class: `panel wide-panel ${cls}` }, h('h3', {}, title), ...children);

function facts(person, sites) {
  const rows = [['Email', person.email], ['Role', label('roles', person.role)], ['Sites', siteNames(person.site_ids, sites)],
    ['Status', statusChip(person.status)], ['Last sign-in', person.last_sign_in_at ? when(person.last_sign_in_at) : 'Never'],
    ['Added', person.created_at ? when(person.created_at) : '—']];
  return h('dl', { class: 'facts person-facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function roleForm(person, sites, onSaved) {
  const general = h('p', { class: 'message error', role: 'alert' });
  const saved = h('p', { class: 'message info', role: 'status' });
  const form = h('form', { class: 'person-form stack', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    saved.textContent = '';
    try {
      await api.patch(`/api/users/${person.id}`, { role: new FormData(form).get('role'), site_ids: readSites(form) });
      onSaved('Role and sites saved.');
    } catch (error) {
      showProblem(form, general, error);
    }
  } },
  field('role', 'Role', h('select', { id: 'person-role', name: 'role' }, options(roleChoices(), person.role))),
  sitesPicker('person', sites, person.site_ids),
  general, saved,
  h('button', { class: 'button primary big', type: 'submit' }, 'Save role and sites'));
  clearOnChange(form);
  return form;
}

// Deactivate or reactivate, a new invitation (not yet accepted), a reset link (active people).
function accessPanel(person, me, redraw) {
  const result = h('div', { class: 'access-result', 'aria-live': 'polite' });
  const general = h('p', { class: 'message error', role: 'alert' });
  const run = async (send) => {
    general.textContent = '';
    try { await send(); } catch (error) { general.textContent = error.message; }
  };
  const deactivate = () => run(async () => {
    const yes = await confirmDialog(`Deactivate ${person.name}?`,
      `${person.name} is signed out at once, on every device, and can no longer sign in to ${me.organization?.name ?? 'this organization'}. What they recorded stays. You can reactivate them later.`,
      'Deactivate', 'Keep them');
    if (!yes) return;
    await api.patch(`/api/users/${person.id}`, { active: false });
    redraw(`${person.name} is deactivated: their sessions have ended.`);
  });
  const reactivate = () => run(async () => {
    await api.patch(`/api/users/${person.id}`, { active: true });
    redraw(`${person.name} is active again.`);
  });
  const invite = () => run(async () => {
    const answer = await api.post(`/api/users/${person.id}/invitation`, {});
    result.replaceChildren(linkResult(person, answer.invitation_url, answer.mail_sent), h('p', { class: 'hint' }, 'Earlier invitation links no longer work.'));
  });
  const reset = () => run(async () => {
    const answer = await api.post(`/api/users/${person.id}/password-reset`, {});
    result.replaceChildren(linkResult(person, answer.reset_url, answer.mail_sent, 'password reset'));
  });
  const button = (text, onclick, cls = 'secondary') => h('button', { class: `button ${cls} big`, type: 'button', onclick }, text);
  const deactivated = person.status === 'deactivated';
  return panel('Access', 'person-access',
    h('p', { class: 'hint' }, deactivated ? `${person.name} cannot sign in.`
      : person.status === 'invited' ? `${person.name} has not accepted the invitation yet.` : `${person.name} can sign in.`),
    h('div', { class: 'row access-buttons' },
      deactivated ? button('Reactivate', reactivate, 'primary') : null,
      !deactivated && person.status === 'invited' ? button('Send a new invitation', invite, 'primary') : null,
      !deactivated && person.status === 'active' ? button('Make a password reset link', reset) : null,
      !deactivated && person.id !== me.user.id ? button('Deactivate', deactivate, 'danger') : null),
    general, result);
}

function competenceState(record) {
  if (record.expired) return h('span', { class: 'flag late' }, 'Expired');
  if (record.valid === false) return h('span', { class: 'flag' }, 'Not valid');
  return h('span', { class: 'flag valid' }, 'Valid');
}

function competencePanel(person, records) {
  const record = h('a', { class: 'button primary', href: `#/desk/training?user=${person.id}` }, 'Record training');
  if (records === null) return panel('Competence', 'person-competence', h('p', { class: 'hint' }, 'The competence records could not be read.'), record);
  const cell = (name, cls, ...content) => h('td', { class: cls, 'data-label': name }, ...content);
  return panel(`Competence (${records.length} record${records.length === 1 ? '' : 's'})`, 'person-competence',
    records.length ? h('table', { class: 'queue competence-list' },
      h('thead', {}, h('tr', {}, ['Training', 'Completed', 'Expires', 'State'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, records.map((r) => h('tr', { dataset: { id: r.id, module: r.module } },
        h('td', { class: 'what' }, h('strong', {}, r.module_label || r.title || r.module), r.title && r.module_label ? h('div', { class: 'hint' }, r.title) : null),
        cell('Completed', 'nowrap', dayLabel(r.completed_on)),
        cell('Expires', 'nowrap', r.expires_on ? dayLabel(r.expires_on) : 'Does not expire'),
        cell('State', 'nowrap', competenceState(r))))))
      : h('p', { class: 'hint' }, 'No training recorded yet.'),
    record);
}

// id: the person's id; note: what was just done, shown on top.
export async function renderPerson(root, { me, id, isCurrent = () => true, note = null }) {
  const [person, sites, records] = await Promise.all([api.get(`/api/users/${id}`), api.get('/api/sites'),
    api.get(`/api/users/${id}/competences`).catch(() => null)]);
  if (!isCurrent()) return;
  const redraw = (text) => isCurrent() && renderPerson(root, { me, id, isCurrent, note: text });
  const admin = isAdmin(me);
  showScreen(root, 'person-page',
    subNav(me, 'people'),
    h('a', { class: 'button secondary', href: '#/desk/people' }, '← People'),
    h('div', { class: 'row person-head' }, screenHeading(person.name), statusChip(person.status)),
    note ? h('p', { class: 'message info person-note', role: 'status' }, note) : null,
    h('div', { class: 'columns person-columns' },
      panel('The person', 'person-facts-panel', facts(person, sites)),
      admin && person.status !== 'deactivated' ? panel('Role and sites', 'person-role', roleForm(person, sites, redraw)) : null),
    admin ? accessPanel(person, me, redraw) : null,
    competencePanel(person, records));
}
