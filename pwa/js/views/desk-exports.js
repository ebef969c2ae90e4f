// Exports and evidence: a period and a site; the records as CSV files (reports, NCs, actions,
// audit answers) downloaded as they are made; and the evidence bundle for an external auditor,
// built on the server with its progress shown here, then downloaded when ready.
import { api, ApiError, Offline } from '../api.js';
import { dayIn } from '../days.js';
import { h } from '../dom.js';

const POLL_MS = 1000;
const CSV_FILES = [
  ['reports', 'Reports', 'Field reports observed in the period, with their triage category and photo hashes.'],
  ['nonconformities', 'Nonconformities', 'NCs raised in the period: source, clause, root cause, effectiveness.'],
  ['actions', 'Actions', 'Actions due or done in the period, from NCs and management reviews, and whether on time.'],
  ['audits', 'Audit answers', 'Every answer of the audits signed off in the period, one row each.'],
];
// The bundle last asked for on this device, shown again when the page is opened again.
const LAST_BUNDLE = 'safeloop-last-bundle';

const pad = (n) => String(n).padStart(2, '0');
const isoDay = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

// The periods offered in one tap: the quarter before this one, this year so far, the last 12 months.
function presets(now = new Date()) {
  const quarter = Math.floor(now.getMonth() / 3);
  const start = new Date(now.getFullYear(), quarter * 3 - 3, 1);
  const end = new Date(now.getFullYear(), quarter * 3, 0);
  return {
    quarter: { text: 'Last quarter', start: isoDay(start), end: isoDay(end) },
    year: { text: 'This year so far', start: `${now.getFullYear()}-01-01`, end: dayIn(0, now) },
    twelve: { text: 'Last 12 months', start: isoDay(new Date(now.getFullYear() - 1, now.getMonth(), now.getDate() + 1)), end: dayIn(0, now) },
  };
}

const dayText = (day) => new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const sizeText = (bytes) => (bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
const timeText = (moment) => new Date(moment).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

// The period and site form; read() gives {from, to, site_id} and the problem with them, if any.
function choiceForm(sites, onChange) {
  const chosen = presets();
  const start = h('input', { id: 'export-from', name: 'from', type: 'date', required: true, value: chosen.quarter.start });
  const end = h('input', { id: 'export-to', name: 'to', type: 'date', required: true, value: chosen.quarter.end });
  const choice = (value, text, checked = false) => h('label', { class: 'choice big-choice' }, h('input', { type: 'radio', name: 'preset', value, checked }), text);
  const group = h('div', { class: 'row choices', role: 'radiogroup', 'aria-label': 'Period' },
    ...Object.entries(chosen).map(([key, p], i) => choice(key, p.text, i === 0)), choice('custom', 'Days of my choosing'));
  const site = h('select', { id: 'export-site', name: 'site_id' },
    h('option', { value: '' }, sites.length > 1 ? `All my sites (${sites.length})` : 'All my sites'),
    ...sites.map((s) => h('option', { value: s.id }, s.name)));
  const form = h('form', { class: 'export-choice', onsubmit: (event) => event.preventDefault() },
    group,
    h('div', { class: 'row' },
      h('div', { class: 'filter' }, h('label', { for: 'export-from' }, 'From (first day)'), start),
      h('div', { class: 'filter' }, h('label', { for: 'export-to' }, 'To (last day, included)'), end),
      h('div', { class: 'filter grow' }, h('label', { for: 'export-site' }, 'Site'), site)));
  const sync = () => {
    const preset = chosen[group.querySelector('input:checked').value];
    if (preset) { start.value = preset.start; end.value = preset.end; }
    start.readOnly = end.readOnly = Boolean(preset);
  };
  sync();
  group.addEventListener('change', () => { sync(); onChange(); });
  form.addEventListener('input', onChange);
  form.addEventListener('change', onChange);
  form.read = () => {
    const values = { from: start.value, to: end.value, site_id: site.value };
    let problem = null;
    if (!values.from || !values.to) problem = 'Choose the first and the last day of the period.';
    else if (values.to < values.from) problem = 'The last day comes before the first: swap them.';
    const siteName = site.value ? site.selectedOptions[0].textContent : 'all my sites';
    return { values, problem, siteName };
  };
  return form;
}

const queryOf = ({ from, to, site_id: siteId }) => new URLSearchParams({ from, to, ...(siteId ? { site_id: siteId } : {}) }).toString();

// The four CSV downloads: plain links, so the browser saves the file as it arrives.
function csvPanel() {
  const links = CSV_FILES.map(([name, text]) => h('a', { class: 'button secondary big csv-download', href: '#', download: '', dataset: { table: name } }, `${text} (CSV)`));
  const panel = h('section', { class: 'panel wide-panel csv-exports', 'aria-labelledby': 'csv-title' },
    h('h3', { id: 'csv-title' }, 'Records as spreadsheets'),
    h('ul', { class: 'export-list' }, CSV_FILES.map(([, , about], i) => h('li', {}, links[i], h('p', { class: 'hint' }, about)))),
    h('p', { class: 'hint' }, 'CSV in UTF-8 that Excel, LibreOffice and Google Sheets open as it is: one header row, dates as YYYY-MM-DD, times in UTC.'));
  panel.update = (choice) => links.forEach((link) => {
    const off = Boolean(choice.problem);
    link.href = off ? '#' : `/api/exports/${link.dataset.table}.csv?${queryOf(choice.values)}`;
    link.setAttribute('aria-disabled', String(off));
    link.onclick = off ? (event) => event.preventDefault() : null;
  });
  return panel;
}

function progressLine(bundle) {
  const { done = 0, total = 0 } = bundle.progress || {};
  const bar = h('progress', { class: 'progress', max: String(Math.max(total, 1)), value: String(Math.min(done, total)) });
  const words = bundle.status === 'queued' ? 'Waiting for the server to start…' : `Writing file ${Math.min(done, total)} of ${total}…`;
  return h('div', { class: 'bundle-progress', role: 'status' }, h('p', { class: 'bundle-step' }, words), bar);
}

function readyBox(bundle) {
  return h('div', { class: 'bundle-ready' },
    h('p', { class: 'message info', role: 'status' }, `The evidence bundle for ${dayText(bundle.from)} to ${dayText(bundle.to)} is ready (${sizeText(bundle.size_bytes || 0)}, ${bundle.progress.total} files).`),
    h('a', { class: 'button primary big bundle-download', href: bundle.download_url, download: '' }, 'Download the evidence bundle'),
    h('p', { class: 'hint' }, `Kept until ${timeText(bundle.expires_at)}. SHA-256 of the zip: `, h('code', { class: 'hash' }, bundle.sha256 || '')));
}

function problemText(error) {
  if (error instanceof Offline) return 'No connection to the server: try again once you are online.';
  if (error instanceof ApiError) {
    const fields = Object.values(error.problem?.errors || {}).flat();
    return [error.message, ...fields].filter(Boolean).join(' ');
  }
  return String(error.message || error);
}

// The bundle panel: build, follow its progress (polling), download when ready.
function bundlePanel(readChoice, isCurrent) {
  const state = h('div', { class: 'bundle-state', 'aria-live': 'polite' });
  const build = h('button', { class: 'button primary big build-bundle', type: 'button' }, 'Build the evidence bundle');
  let timer = null;
  const stop = () => { clearTimeout(timer); timer = null; };
  async function follow(id) {
    stop();
    let bundle;
    try {
      bundle = await api.get(`/api/exports/evidence/${id}`);
    } catch (error) {
      if (!isCurrent()) return;
      if (error instanceof ApiError && error.status === 404) { localStorage.removeItem(LAST_BUNDLE); state.replaceChildren(); return; }
      state.replaceChildren(h('p', { class: 'message error' }, problemText(error)));
      timer = setTimeout(() => isCurrent() && follow(id), POLL_MS * 5);
      return;
    }
    if (!isCurrent()) return;
    build.disabled = bundle.status === 'queued' || bundle.status === 'building';
    if (bundle.status === 'ready') state.replaceChildren(readyBox(bundle));
    else if (bundle.status === 'failed') state.replaceChildren(h('p', { class: 'message error', role: 'alert' }, `The bundle could not be built: ${bundle.error || 'an error on the server'}. Build it again; if it fails again, tell your administrator.`));
    else if (bundle.status === 'expired') state.replaceChildren(h('p', { class: 'message warn' }, 'The last bundle was deleted after its day: build it again.'));
    else {
      state.replaceChildren(progressLine(bundle));
      timer = setTimeout(() => isCurrent() && follow(id), POLL_MS);
    }
  }
  build.addEventListener('click', async () => {
    const choice = readChoice();
    if (choice.problem) { state.replaceChildren(h('p', { class: 'message error', role: 'alert' }, choice.problem)); return; }
    const { from, to, site_id: siteId } = choice.values;
    build.disabled = true;
    state.replaceChildren(h('p', { class: 'hint', role: 'status' }, 'Asking the server…'));
    try {
      const bundle = await api.post('/api/exports/evidence', { from, to, site_id: siteId ? Number(siteId) : null });
      localStorage.setItem(LAST_BUNDLE, bundle.id);
      if (isCurrent()) follow(bundle.id);
    } catch (error) {
      build.disabled = false;
      if (isCurrent()) state.replaceChildren(h('p', { class: 'message error', role: 'alert' }, problemText(error)));
    }
  });
  const panel = h('section', { class: 'panel wide-panel evidence-panel', 'aria-labelledby': 'evidence-title' },
    h('h3', { id: 'evidence-title' }, 'Evidence bundle for an external auditor'),
    h('p', {}, 'One zip file with the records as CSV and JSON, every photo of those records named by its SHA-256, the audit reports and management review packs as PDF, the event log with its hash chain, and a SHA256SUMS file.'),
    h('p', { class: 'hint' }, 'The auditor checks it with standard tools: unzip it, then run ', h('code', { class: 'command' }, 'sha256sum -c SHA256SUMS'), '; every file says OK.'),
    h('p', { class: 'hint period-line' }),
    build, state);
  panel.update = (choice) => {
    panel.querySelector('.period-line').textContent = choice.problem || `For ${dayText(choice.values.from)} to ${dayText(choice.values.to)}, ${choice.siteName}.`;
  };
  const last = localStorage.getItem(LAST_BUNDLE);
  if (last) follow(last);
  return panel;
}

export async function renderExports(root, { isCurrent = () => true } = {}) {
  const sites = await api.get('/api/sites');
  if (!isCurrent()) return;
  const problem = h('p', { class: 'message error choice-problem', role: 'alert' });
  let csv = null;
  let bundle = null;
  const form = choiceForm(sites, () => update());
  function update() {
    const choice = form.read();
    problem.textContent = choice.problem || '';
    csv.update(choice);
    bundle.update(choice);
  }
  csv = csvPanel();
  bundle = bundlePanel(() => form.read(), isCurrent);
  root.replaceChildren(h('section', { class: 'screen desk exports-page' },
    h('div', { class: 'row spread' }, h('h2', {}, 'Exports and evidence'),
      h('a', { class: 'button secondary', href: '#/desk/reviews' }, 'Management reviews')),
    h('section', { class: 'panel export-period', 'aria-labelledby': 'period-title' },
      h('h3', { id: 'period-title' }, 'Period and site'), form, problem,
      h('p', { class: 'hint' }, 'Both days are included, each in its site’s own time zone.')),
    h('div', { class: 'export-columns' }, csv, bundle)));
  update();
}
