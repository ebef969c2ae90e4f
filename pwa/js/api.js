// The API client: JSON in and out, problem+json errors turned into exceptions.

export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

// The session is missing or expired: sign in again (nothing unsent is lost).
export class AuthRequired extends ApiError {}

// No answer at all: no network, or the server is down.
export class Offline extends Error {
  constructor() {
    super('No connection to the server');
  }
}

async function toError(response) {
  const problem = await response.json().catch(() => ({}));
  return new (response.status === 401 ? AuthRequired : ApiError)(response.status, problem);
}

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Offline();
  }
  if (!response.ok) throw await toError(response);
  return response.status === 204 ? null : response.json();
}

// PUT photo bytes, reporting upload progress (0..1) where the browser can.
function putPhoto(sha256, bytes, type, onProgress = () => {}) {
  if (typeof XMLHttpRequest === 'undefined') {
    return fetch(`/api/photos/${sha256}`, {
      method: 'PUT', credentials: 'same-origin', headers: { 'Content-Type': type }, body: bytes,
    }).then(async (r) => { if (!r.ok) throw await toError(r); }, () => { throw new Offline(); });
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/photos/${sha256}`);
    xhr.setRequestHeader('Content-Type', type);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new Offline());
    xhr.onload = () => {
      if (xhr.status < 300) return resolve();
      let problem = {};
      try { problem = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      reject(new (xhr.status === 401 ? AuthRequired : ApiError)(xhr.status, problem));
    };
    xhr.send(bytes);
  });
}

// True when the server already holds these bytes.
async function hasPhoto(sha256) {
  let response;
  try {
    response = await fetch(`/api/photos/${sha256}`, { method: 'HEAD', credentials: 'same-origin' });
  } catch {
    throw new Offline();
  }
  if (response.status === 404) return false;
  if (!response.ok) throw await toError(response);
  return true;
}

export const api = {
  login: (email, password) => call('POST', '/api/auth/login', { email, password }),
  logout: () => call('POST', '/api/auth/logout'),
  me: () => call('GET', '/api/auth/me'),
  hasPhoto,
  putPhoto,
  // lists: {reports: [...]}, one list per record type (see senders.js).
  sync: (lists) => call('POST', '/api/sync', lists),
  changes: (since) => call('GET', `/api/sync?since=${since}`),
  report: (id) => call('GET', `/api/reports/${id}`),
  get: (path) => call('GET', path),
  post: (path, body) => call('POST', path, body),
  patch: (path, body) => call('PATCH', path, body),
  put: (path, body) => call('PUT', path, body),
};

// GET a page of a list with its X-Total-Count header: {items, total}. A list answered as
// {items, total} is taken as it is.
export async function getPage(path) {
  let response;
  try {
    response = await fetch(path, { credentials: 'same-origin' });
  } catch {
    throw new Offline();
  }
  if (!response.ok) throw await toError(response);
  const answer = await response.json();
  if (!Array.isArray(answer)) return { items: answer.items ?? [], total: answer.total ?? 0 };
  const header = response.headers.get('X-Total-Count');
  return { items: answer, total: header === null ? answer.length : Number(header) };
}

// Invitations and password resets: the links people open before they can sign in.
export const accounts = {
  checkInvitation: (token) => call('POST', '/api/auth/invitations/check', { token }),
  acceptInvitation: (token, password) => call('POST', '/api/auth/invitations/accept', { token, password }),
  askReset: (email) => call('POST', '/api/auth/password-reset', { email }),
  completeReset: (token, password) => call('POST', '/api/auth/password-reset/complete', { token, password }),
};
