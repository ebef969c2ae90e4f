// The API calls of the training and documents screens, through api.js's helpers: competence
// (the matrix, modules, records), controlled documents (files, revisions, approval, reading).
import { api, ApiError, AuthRequired, Offline } from './api.js';
import { sha256 } from './camera.js';
import { entries, label } from './lists.js';

const query = (params = {}) => {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== null && v !== undefined)).toString();
  return search ? `?${search}` : '';
};

// A list answer as a page: a bare list, or {items, total}.
export const itemsOf = (answer) => (Array.isArray(answer) ? answer : answer?.items ?? []);

// PUT a revision's bytes (api.js's call() sends JSON only). The same errors as api.js raises.
async function putDocumentFile(sha, bytes, type) {
  let response;
  try {
    response = await fetch(`/api/documents/files/${sha}`, {
      method: 'PUT', credentials: 'same-origin', headers: { 'Content-Type': type }, body: bytes,
    });
  } catch {
    throw new Offline();
  }
  if (response.ok) return response.json().catch(() => null);
  const problem = await response.json().catch(() => ({}));
  throw new (response.status === 401 ? AuthRequired : ApiError)(response.status, problem);
}

// The types a revision's file may be, and what a person reads for them.
export const FILE_TYPES = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG image', 'image/png': 'PNG image', 'image/webp': 'WebP image' };

// A chosen file -> {sha256, bytes, type, name}: hashed here, as the server checks it.
export async function prepareFile(file) {
  const bytes = await file.arrayBuffer();
  return { sha256: await sha256(bytes), bytes, type: file.type, name: file.name, size: bytes.byteLength };
}

export const training = {
  matrix: (params) => api.get(`/api/competences/matrix${query(params)}`),
  modules: () => api.get('/api/competences/modules'),
  addModule: (body) => api.post('/api/competences/modules', body),
  record: (userId, body) => api.post(`/api/users/${userId}/competences`, body),
  of: (userId) => api.get(`/api/users/${userId}/competences`),
  // A certificate photo goes up once: the server may hold these bytes already.
  async putCertificate(photo, onProgress) {
    if (!(await api.hasPhoto(photo.sha256))) await api.putPhoto(photo.sha256, photo.bytes, photo.type, onProgress);
  },
};

export const documents = {
  list: (params) => api.get(`/api/documents${query(params)}`),
  get: (id) => api.get(`/api/documents/${id}`),
  create: (body) => api.post('/api/documents', body),
  update: (id, body) => api.patch(`/api/documents/${id}`, body),
  putFile: putDocumentFile,
  addRevision: (id, body) => api.post(`/api/documents/${id}/revisions`, body),
  approve: (id, revisionId) => api.post(`/api/documents/${id}/revisions/${revisionId}/approve`, {}),
  withdraw: (id, reason) => api.post(`/api/documents/${id}/obsolete`, { reason }),
  acknowledge: (id, body) => api.post(`/api/documents/${id}/acknowledgements`, body),
  fileUrl: (id) => `/api/documents/${id}/file`,
  revisionFileUrl: (id, revisionId) => `/api/documents/${id}/revisions/${revisionId}/file`,
};

export const people = {
  users: (params) => api.get(`/api/users${query(params)}`),
  sites: () => api.get('/api/sites'),
};

// Focus the new screen's heading, so a screen reader starts there and Tab goes on from it.
export function focusHeading(root, selector = 'h2') {
  const heading = root.querySelector(selector);
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.focus({ preventScroll: true });
}

// Bytes as a person reads them: "240 KB", "1.2 MB".
export function sizeText(bytes) {
  if (!Number.isFinite(bytes)) return '';
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

// A document's kinds as the server lists them.
export const kinds = () => entries('document_kinds').map((e) => [e.value, e.label]);
export const kindWord = (kind) => label('document_kinds', kind);

// "3 Dec 2026, 14:05" in this device's time.
export const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '');
