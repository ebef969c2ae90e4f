// Capture: 1) what kind, 2) photos, a sentence, the site and the risk, 3) save on the phone.
import { NotAnImage, preparePhoto } from '../camera.js';
import { getMeta, setMeta } from '../db.js';
import { confirmDialog, h, KINDS, kindLabel, riskBand } from '../dom.js';
import * as outbox from '../outbox.js';

const SEVERITY = ['Negligible', 'Minor', 'Moderate', 'Major', 'Catastrophic'];
const LIKELIHOOD = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'];
const BAND_WORDS = { low: 'Low risk', medium: 'Medium risk', high: 'High risk', critical: 'Critical risk' };

export function renderKinds(root) {
  root.replaceChildren(h('section', { class: 'screen' },
    h('h2', {}, 'What did you see?'),
    h('div', { class: 'kinds' }, KINDS.map(([kind, label]) =>
      h('a', { class: `kind kind-${kind}`, href: `#/report/${kind}` }, label)))));
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

function photoPicker(draft, say) {
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
      ? `${BAND_WORDS[band]} (${draft.severity * draft.likelihood}): ${SEVERITY[draft.severity - 1]}, ${LIKELIHOOD[draft.likelihood - 1].toLowerCase()}`
      : 'Risk not rated (optional)';
    for (const cell of grid.children) {
      const chosen = Number(cell.dataset.s) === draft.severity && Number(cell.dataset.l) === draft.likelihood;
      cell.setAttribute('aria-pressed', String(chosen));
    }
  };
  for (let likelihood = 5; likelihood >= 1; likelihood--) {
    for (let severity = 1; severity <= 5; severity++) {
      const band = riskBand(severity, likelihood);
      grid.append(h('button', {
        type: 'button', class: `cell band-${band}`, dataset: { s: severity, l: likelihood },
        'aria-label': `Severity ${severity} ${SEVERITY[severity - 1]}, likelihood ${likelihood} ${LIKELIHOOD[likelihood - 1]}: ${BAND_WORDS[band]}`,
        onclick: () => { Object.assign(draft, { severity, likelihood }); redraw(); },
      }, String(severity * likelihood)));
    }
  }
  redraw();
  return h('fieldset', { class: 'risk' },
    h('legend', {}, 'How bad could it be, and how likely?'),
    h('div', { class: 'axis' }, h('span', {}, 'Likely ↑'), h('span', {}, 'Severe →')),
    grid, summary,
    h('button', { type: 'button', class: 'link', onclick: () => { draft.severity = draft.likelihood = null; redraw(); } }, 'Clear rating'));
}

export async function renderDetails(root, { kind, me, onSaved }) {
  const draft = { kind, photos: [], location: null, severity: null, likelihood: null };
  const message = h('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  const say = (text, tone = 'info') => { message.textContent = text; message.className = `message ${tone}`; };
  const where = h('p', { class: 'hint' });
  const description = h('textarea', { id: 'description', rows: 3, maxlength: 5000, placeholder: 'One sentence is enough' });
  const lastSite = await getMeta('lastSiteId');
  const site = h('select', { id: 'site' }, me.sites.map((s) =>
    h('option', { value: s.id, selected: s.id === lastSite }, `${s.name} (${s.code})`)));
  const save = h('button', { type: 'submit', class: 'button primary wide save' }, 'Save report');
  const form = h('form', { class: 'stack', onsubmit: async (event) => {
    event.preventDefault();
    if (!description.value.trim()) { say('Say in a few words what you saw.', 'error'); description.focus(); return; }
    save.disabled = true;
    const chosen = me.sites.find((s) => s.id === Number(site.value));
    await outbox.add({
      id: crypto.randomUUID(), kind, site_id: chosen.id, siteName: chosen.name,
      observed_at: new Date().toISOString(), description: description.value.trim(),
      location: draft.location, severity: draft.severity, likelihood: draft.likelihood,
      photos: draft.photos.map(({ sha256, type, width, height }) => ({ sha256, content_type: type, width, height })),
      userId: me.user.id,
    }, draft.photos.map(({ sha256, type, bytes, width, height }) => ({ sha256, type, bytes, width, height })));
    await setMeta('lastSiteId', chosen.id);
    draft.photos.forEach((p) => URL.revokeObjectURL(p.url));
    onSaved();
  } },
  photoPicker(draft, say),
  message,
  h('label', { for: 'description' }, 'What did you see?'), description,
  h('label', { for: 'site' }, 'Site'), site,
  where,
  riskPicker(draft),
  save);
  const leave = h('a', { class: 'button secondary', href: '#/report', onclick: async (event) => {
    if (!draft.photos.length && !description.value) return;
    event.preventDefault();
    if (await confirmDialog('Discard this report?', 'It has not been saved.', 'Discard', 'Keep editing')) location.hash = '#/report';
  } }, '← Back');
  root.replaceChildren(h('section', { class: 'screen' },
    h('div', { class: 'row spread' }, leave, h('h2', {}, kindLabel(kind))), form));
  locate(draft, where);
}
