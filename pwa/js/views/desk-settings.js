// The organization's settings (admins): its name, the time zone new sites start with, how long
// before a training expires it shows as due, and how often a document is reviewed.
import { api } from '../api.js';
import { h } from '../dom.js';
import { clearOnChange, field, requiredFilled, showProblem } from './desk-risk-parts.js';
import { isAdmin, screenHeading, showScreen, subNav } from './desk-people.js';
import { zoneList } from './desk-sites.js';

function settingsForm(organization, admin) {
  const general = h('p', { class: 'message error', role: 'alert' });
  const saved = h('p', { class: 'message info settings-saved', role: 'status' });
  const input = (name, attrs) => h('input', { id: `org-${name}`, name, value: organization[name] ?? '', required: true, ...attrs });
  const form = h('form', { class: 'settings-form stack', novalidate: true, onsubmit: (event) => { event.preventDefault(); send(); } },
    field('name', 'Organization name', input('name', { maxlength: 200 })),
    field('time_zone', 'Default time zone (for new sites)', input('time_zone', { list: 'org-zones', autocomplete: 'off' })),
    zoneList('org-zones'),
    field('training_due_days', 'Training shows as due this many days before it expires',
      input('training_due_days', { type: 'number', min: 1, max: 366, step: 1, inputmode: 'numeric' })),
    field('document_review_months', 'A document is reviewed every this many months',
      input('document_review_months', { type: 'number', min: 1, max: 120, step: 1, inputmode: 'numeric' })),
    general, saved,
    admin ? h('button', { class: 'button primary big', type: 'submit' }, 'Save the settings')
      : h('p', { class: 'hint' }, 'Only an admin changes these settings.'));
  if (!admin) form.querySelectorAll('input').forEach((control) => { control.readOnly = true; });
  clearOnChange(form);
  form.addEventListener('input', () => { saved.textContent = ''; });
  async function send() {
    saved.textContent = '';
    if (!requiredFilled(form, general)) return;
    const data = Object.fromEntries(new FormData(form));
    const body = { name: data.name.trim(), time_zone: data.time_zone.trim(),
      training_due_days: Number(data.training_due_days), document_review_months: Number(data.document_review_months) };
    try {
      await api.patch('/api/organization', body);
      saved.textContent = 'Settings saved.';
    } catch (error) {
      showProblem(form, general, error);
    }
  }
  return form;
}

export async function renderSettings(root, { me, isCurrent = () => true }) {
  const organization = await api.get('/api/organization');
  if (!isCurrent()) return;
  showScreen(root, 'settings-page',
    subNav(me, 'settings'),
    screenHeading('Settings'),
    h('section', { class: 'panel settings-panel' }, settingsForm(organization, isAdmin(me))));
}
