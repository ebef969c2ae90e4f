// The organization's sites (admins): name, code, time zone (a site's days begin at its own
// midnight) and position; one added, one changed.
import { api } from '../api.js';
import { h } from '../dom.js';
import { clearOnChange, field, requiredFilled, showProblem } from './desk-risk-parts.js';
import { isAdmin, openDialog, screenHeading, showScreen, subNav } from './desk-people.js';

// Every IANA zone this browser knows, offered as the time zone is typed.
export function zoneList(id) {
  const zones = Intl.supportedValuesOf?.('timeZone') ?? [];
  return h('datalist', { id }, zones.map((z) => h('option', { value: z })));
}

const number = (value) => (value.trim() === '' ? null : Number(value));
const place = (site) => (site.latitude === null || site.latitude === undefined ? '—' : `${site.latitude}, ${site.longitude}`);

function siteForm(site, defaultZone, close, onSaved) {
  const general = h('p', { class: 'message error', role: 'alert' });
  const input = (name, attrs) => h('input', { id: `site-${name}`, name, value: site?.[name] ?? '', ...attrs });
  const form = h('form', { class: 'site-form stack', novalidate: true, onsubmit: (event) => { event.preventDefault(); send(); } },
    field('name', 'Name', input('name', { required: true, maxlength: 200 })),
    field('code', 'Code (letters, digits, - and _)', input('code', { required: true, maxlength: 32, autocapitalize: 'characters' })),
    field('time_zone', 'Time zone', input('time_zone', { required: true, list: 'site-zones', value: site?.time_zone ?? defaultZone, autocomplete: 'off' })),
    zoneList('site-zones'),
    h('div', { class: 'row' },
      field('latitude', 'Latitude (optional)', input('latitude', { type: 'number', step: 'any', min: -90, max: 90, inputmode: 'decimal' })),
      field('longitude', 'Longitude (optional)', input('longitude', { type: 'number', step: 'any', min: -180, max: 180, inputmode: 'decimal' }))),
    general,
    h('div', { class: 'row dialog-buttons' },
      h('button', { class: 'button secondary', type: 'button', onclick: close }, 'Cancel'),
      h('button', { class: 'button primary', type: 'submit' }, site ? 'Save the site' : 'Add the site')));
  clearOnChange(form);
  async function send() {
    if (!requiredFilled(form, general)) return;
    const data = Object.fromEntries(new FormData(form));
    const body = { name: data.name.trim(), code: data.code.trim(), time_zone: data.time_zone.trim(),
      latitude: number(data.latitude), longitude: number(data.longitude) };
    try {
      const saved = site ? await api.patch(`/api/sites/${site.id}`, body) : await api.post('/api/sites', body);
      close();
      onSaved(saved, site ? 'saved' : 'added');
    } catch (error) {
      showProblem(form, general, error);
    }
  }
  return form;
}

function row(site, edit) {
  const tools = edit ? h('button', { class: 'button secondary', type: 'button', 'aria-label': `Edit ${site.name}`, onclick: () => edit(site) }, 'Edit') : null;
  const cell = (name, cls, ...content) => h('td', { class: cls, 'data-label': name }, ...content);
  return h('tr', { dataset: { id: site.id, code: site.code } },
    cell('Site', 'what site-name', h('strong', {}, site.name)),
    cell('Code', 'nowrap', h('code', {}, site.code)),
    cell('Time zone', 'nowrap', site.time_zone),
    cell('Position', 'nowrap', place(site)),
    h('td', { class: 'nowrap row-tools' }, tools));
}

// note: what was just done, shown on top.
export async function renderSites(root, { me, isCurrent = () => true, note = null }) {
  const [sites, organization] = await Promise.all([api.get('/api/sites'), api.get('/api/organization').catch(() => ({}))]);
  if (!isCurrent()) return;
  const defaultZone = organization.time_zone ?? me.organization?.time_zone ?? 'UTC';
  const redraw = (site, what) => isCurrent() && renderSites(root, { me, isCurrent, note: `${site.name} ${what}.` });
  const admin = isAdmin(me);
  const edit = (site) => openDialog(site ? `Edit ${site.name}` : 'Add a site', (close) => siteForm(site, defaultZone, close, redraw));
  showScreen(root, 'sites-page',
    subNav(me, 'sites'),
    h('div', { class: 'row spread' }, screenHeading('Sites'),
      admin ? h('button', { class: 'button primary big add-site', type: 'button', onclick: () => edit(null) }, 'Add a site') : null),
    note ? h('p', { class: 'message info site-note', role: 'status' }, note) : null,
    h('p', { class: 'hint' }, `${sites.length} site${sites.length === 1 ? '' : 's'}. A site's days (due dates, reminders) begin at midnight in its time zone.`),
    h('table', { class: 'queue site-list' },
      h('thead', {}, h('tr', {}, ['Site', 'Code', 'Time zone', 'Position', ''].map((c) => h('th', { scope: 'col' }, c || h('span', { class: 'visually-hidden' }, 'Change'))))),
      h('tbody', {}, sites.map((s) => row(s, admin ? edit : null)))));
}
