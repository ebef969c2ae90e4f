// One of my reports, opened from "My reports": what was sent, what the server made of it, the photos.
import { api, ApiError, Offline } from '../api.js';
import * as cache from '../cache.js';
import { h, kindLabel } from '../dom.js';
import * as outbox from '../outbox.js';
import { ncLine, serverStatus, statusNote, triageLine, when } from './reports.js';

// Thumbnails that open the display size below them; `photos`: [{src, large, alt}].
function gallery(photos) {
  const viewer = h('figure', { class: 'viewer', hidden: true });
  const show = (photo) => {
    viewer.hidden = false;
    viewer.replaceChildren(h('img', { src: photo.large, alt: `${photo.alt}, large` }));
    viewer.scrollIntoView({ block: 'nearest' });
  };
  return h('div', { class: 'gallery' },
    h('ul', { class: 'thumbs', 'aria-label': 'Photos' }, photos.map((photo) => h('li', {},
      h('button', { type: 'button', class: 'open-photo', 'aria-label': `Show ${photo.alt.toLowerCase()} large`, onclick: () => show(photo) },
        h('img', { src: photo.src, alt: photo.alt }))))),
    viewer);
}

// The photos of a report still on the phone, from the bytes kept for sending.
async function localPhotos(item) {
  const stored = await Promise.all(item.photos.map((ref) => outbox.photo(ref.sha256)));
  return stored.filter(Boolean).map((photo, i) => {
    const url = URL.createObjectURL(new Blob([photo.bytes], { type: photo.type }));
    return { src: url, large: url, alt: `Photo ${i + 1}` };
  });
}

function serverPhotos(view) {
  const photos = view.photos || [];
  const received = photos.filter((p) => p.urls);
  return h('div', {},
    received.length ? gallery(received.map((p, i) => ({ src: p.urls.thumb, large: p.urls.display, alt: `Photo ${i + 1}` }))) : null,
    photos.length > received.length ? h('p', { class: 'hint' }, `${photos.length - received.length} photo(s) still arriving`) : null,
    photos.length ? null : h('p', { class: 'hint' }, 'No photos'));
}

function screen(report, ...rest) {
  return h('section', { class: 'screen report-detail' },
    h('div', { class: 'row spread' }, h('a', { class: 'button secondary', href: '#/reports' }, '← My reports'),
      h('h2', {}, kindLabel(report.kind))),
    h('p', { class: 'text' }, report.description),
    ...rest);
}

// The server's latest view (cached for offline), or the cached one with a note when offline.
async function latest(me, id) {
  try {
    const fresh = await api.report(id);
    await cache.merge(me.user.id, [fresh]);
    return { view: fresh, note: null };
  } catch (error) {
    const cached = await cache.get(me.user.id, id);
    if (error instanceof Offline && cached) return { view: cached, note: 'Offline: photos and the latest status show when the phone is online.' };
    if (error instanceof ApiError && [403, 404].includes(error.status)) return { view: null, note: 'This report is not one of yours, or no longer exists.' };
    throw error;
  }
}

// isCurrent(): false once the person has left this screen (nothing is drawn then).
export async function renderReport(root, { me, id, isCurrent = () => true }) {
  const item = await outbox.get(me.user.id, id);
  if (!isCurrent()) return;
  if (item) {
    const photos = item.photos.length ? gallery(await localPhotos(item)) : h('p', { class: 'hint' }, 'No photos');
    if (!isCurrent()) return;
    root.replaceChildren(screen(item.body,
      h('p', { class: 'hint' }, `${item.local?.siteName || ''} · ${when(item.body.observed_at)}`),
      h('p', { class: 'server-status' }, `${outbox.STATES[item.state]}: not sent yet`),
      photos));
    return;
  }
  const cached = await cache.get(me.user.id, id);
  if (!isCurrent()) return;
  if (cached) root.replaceChildren(screen(cached, h('p', { class: 'hint' }, 'Loading photos…')));
  const { view, note } = await latest(me, id);
  if (!isCurrent()) return;
  if (!view) {
    root.replaceChildren(h('section', { class: 'screen' }, h('a', { class: 'button secondary', href: '#/reports' }, '← My reports'),
      h('p', { class: 'message error' }, note)));
    return;
  }
  root.replaceChildren(screen(view,
    h('p', { class: 'hint' }, `${view.site_name || view.site?.name || ''} · ${when(view.observed_at)}`),
    serverStatus(view),
    statusNote(view),
    view.closed_at ? h('p', { class: 'hint' }, `Closed ${when(view.closed_at)}`) : null,
    ncLine(view),
    triageLine(view.triage),
    note ? h('p', { class: 'message warn' }, note) : serverPhotos(view)));
}
