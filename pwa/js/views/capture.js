// Capture: 1) what kind, 2) photos, a sentence, the site and the risk, 3) save on the phone.
import { NotAnImage, preparePhoto } from '../camera.js';
import { getMeta, perUser, setMeta } from '../db.js';
import { confirmDialog, h } from '../dom.js';
import { entries, kindLabel, label, riskBand } from '../lists.js';
import * as outbox from '../outbox.js';

const severity = (n) => label('severities', n);
const likelihood = (n) => label('likelihoods', n);
const bandWords = (band) => `${label('risk_bands', band)} risk`;

export function renderKinds(root) {
  root.replaceChildren(h('section', { class: 'screen' },
    h('h2', {}, 'What did you see?'),
    h('div', { class: 'kinds' }, entries('kinds').map((kind) =>
      h('a', { class: `kind kind-${kind.value}`, href: `#/report/${kind.value}` }, kind.label)))));
}

function locate(draft, line) {
  if (!navigator.geolocation) { line.textContent = 'No location on this device. Saving works without it.'; return; }
  line.textContent = 'Finding location… (saving does not wait for it)';
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const { latitude, longitude, accuracy } = position.coords;
      draft.location = { lat: latitude, lon: longitude, accuracy_m: Math.round(accuracy) };
      line.textContent = `Location found, within ${Math.round(accuracy)} m`;
    },
    () => { line.textContent = 'No location. Saving works without it.'; },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
}

// Take or choose photos into draft.photos ({sha256, type, bytes, width, height, url}), with thumbnails.
export function photoPicker(draft, say) {
  const list = h('ul', { class: 'thumbs', 'aria-label': 'Photos' });
  const redraw = () => list.replaceChildren(...draft.photos.map((photo, index) => h('li', {},
    h('img', { src: photo.url, alt: `Photo ${index + 1}` }),
    h('button', { type: 'button', class: 'remove', 'aria-label': `Remove photo ${index + 1}`, onclick: () => {
      URL.revokeObjectURL(photo.url);
      draft.photos.splice(index, 1);
      redraw();
    } }, '✕'))));
  const onFiles = async (event) => {
    const input = event.target;
    for (const file of input.files) {
      try {
        const photo = await preparePhoto(file);
        if (draft.photos.some((p) => p.sha256 === photo.sha256)) continue;
        draft.photos.push({ ...photo, url: URL.createObjectURL(new Blob([photo.bytes], { type: photo.type })) });
        say('');
      } catch (error) {
        say(error instanceof NotAnImage ? error.message : `That photo could not be used: ${error.message}`, 'error');
      }
    }
    input.value = ''; // choosing the same file again must fire "change" again
    redraw();
  };
  const input = (id, extra) => h('input', { id, type: 'file', accept: 'image/*', multiple: true, class: 'visually-hidden', onchange: onFiles, ...extra });
  return h('div', { class: 'photos' },
    h('div', { class: 'row' },
      h('label', { class: 'button primary', for: 'camera' }, 'Take photo'), input('camera', { capture: 'environment' }),
      h('label', { class: 'button secondary', for: 'gallery' }, 'Gallery'), input('gallery', {})),
    list);
}

function riskPicker(draft) {
  const summary = h('p', { class: 'risk-summary', 'aria-live': 'polite' });
  const grid = h('div', { class: 'risk-grid', role: 'group', 'aria-label': 'Risk: severity across, likelihood down' });
  const redraw = () => {
    const band = riskBand(draft.severity, draft.likelihood);
    summary.className = `risk-summary ${band ? `band-${band}` : ''}`;
    summary.textContent = band
      ? `${bandWords(band)} (${draft.severity * draft.likelihood}): ${severity(draft.severity)}, ${likelihood(draft.likelihood).toLowerCase()}`
      : 'Risk not rated (optional)';
    for (const cell of grid.children) {
      const chosen = Number(cell.dataset.s) === draft.severity && Number(cell.dataset.l) === draft.likelihood;
      cell.setAttribute('aria-pressed', String(chosen));
    }
  };
  // Likelihood runs up the grid, severity across.
  for (const { value: l } of [...entries('likelihoods')].reverse()) {
    for (const { value: s } of entries('severities')) {
      const band = riskBand(s, l);
      grid.append(h('button', {
        type: 'button', class: `cell band-${band}`, dataset: { s, l },
        'aria-label': `Severity ${s} ${severity(s)}, likelihood ${l} ${likelihood(l)}: ${bandWords(band)}`,
        onclick: () => { Object.assign(draft, { severity: s, likelihood: l }); redraw(); },
      }, String(s * l)));
    }
  }
  redraw();
  return h('fieldset', { class: 'risk-picker' },
    h('legend', {}, 'How bad could it be, and how likely?'),
    h('div', { class: 'axis' }, h('span', {}, 'Likely ↑'), h('span', {}, 'Severe →')),
    grid, summary,
    h('button', { type: 'button', class: 'button secondary clear', onclick: () => { draft.severity = draft.likelihood = null; redraw(); } }, 'Clear rating'));
}

// The server's limit (MAX_DESCRIPTION), counted as it counts: in characters, after trimming.
const DESCRIPTION_LIMIT = 5000;
const COUNT_FROM = 4500;
const length = (text) => [...text.trim()].length;

// A counter that appears near the limit and says how much to cut past it (nothing is cut silently).
function descriptionCounter(textarea) {
  const counter = h('p', { id: 'description-count', class: 'counter', 'aria-live': 'polite', hidden: true });
  const update = () => {
    const used = length(textarea.value);
    const over = used - DESCRIPTION_LIMIT;
    counter.hidden = used < COUNT_FROM;
    counter.className = `counter ${over > 0 ? 'error' : used === DESCRIPTION_LIMIT ? 'warn' : ''}`;
    counter.textContent = over > 0
      ? `${over.toLocaleString('en')} characters over the limit of ${DESCRIPTION_LIMIT.toLocaleString('en')}: shorten it to save.`
      : `${used.toLocaleString('en')} of ${DESCRIPTION_LIMIT.toLocaleString('en')} characters${over === 0 ? ': the limit' : ''}`;
  };
  textarea.addEventListener('input', update);
  return counter;
}

// The report as an outbox item: typed, owned by the person signed in, photos by reference.
function reportItem(draft, me, site, description) {
  return {
    id: crypto.randomUUID(), type: 'report', userId: me.user.id,
    body: {
      kind: draft.kind, site_id: site.id, observed_at: new Date().toISOString(), description,
      location: draft.location, severity: draft.severity, likelihood: draft.likelihood,
    },
    photos: draft.photos.map(({ sha256, type, width, height }) => ({ sha256, content_type: type, width, height })),
    local: { siteName: site.name },
  };
}

// isCurrent(): false once the person has left this screen (nothing is drawn then).
export async function renderDetails(root, { kind, me, onSaved, isCurrent = () => true }) {
  const draft = { kind, photos: [], location: null, severity: null, likelihood: null };
  const message = h('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  const say = (text, tone = 'info') => { message.textContent = text; message.className = `message ${tone}`; };
  const where = h('p', { class: 'hint' });
  const description = h('textarea', { id: 'description', rows: 3, placeholder: 'One sentence is enough', 'aria-describedby': 'description-count' });
  const counter = descriptionCounter(description);
  const siteKey = perUser('lastSite', me.user.id);
  const lastSite = await getMeta(siteKey);
  if (!isCurrent()) return;
  const site = h('select', { id: 'site' }, me.sites.map((s) =>
    h('option', { value: s.id, selected: s.id === lastSite }, `${s.name} (${s.code})`)));
  const save = h('button', { type: 'submit', class: 'button primary wide' }, 'Save report');
  const form = h('form', { class: 'stack capture', onsubmit: async (event) => {
    event.preventDefault();
    const text = description.value.trim();
    if (!text) { say('Say in a few words what you saw.', 'error'); description.focus(); return; }
    if (length(text) > DESCRIPTION_LIMIT) { say(counter.textContent, 'error'); description.focus(); return; }
    save.disabled = true;
    const chosen = me.sites.find((s) => s.id === Number(site.value));
    const item = reportItem(draft, me, chosen, text);
    await outbox.add(item, draft.photos.map(({ sha256, type, bytes, width, height }) => ({ sha256, type, bytes, width, height })));
    await setMeta(siteKey, chosen.id);
    draft.photos.forEach((p) => URL.revokeObjectURL(p.url));
    onSaved(item.id);
  } },
  photoPicker(draft, say),
  message,
  h('label', { for: 'description' }, 'What did you see?'), description, counter,
  h('label', { for: 'site' }, 'Site'), site,
  where,
  riskPicker(draft),
  // Fixed at the foot of the screen, so Save is in reach without scrolling; the page leaves
  // room for it, so it never sits over the form's last controls.
  h('div', { class: 'save-bar' }, save));
  const leave = h('a', { class: 'button secondary', href: '#/report', onclick: async (event) => {
    if (!draft.photos.length && !description.value) return;
    event.preventDefault();
    if (await confirmDialog('Discard this report?', 'It has not been saved.', 'Discard', 'Keep editing')) location.hash = '#/report';
  } }, '← Back');
  root.replaceChildren(h('section', { class: 'screen' },
    h('div', { class: 'row spread' }, leave, h('h2', {}, kindLabel(kind))), form));
  locate(draft, where);
}
