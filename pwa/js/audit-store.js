// The audits a person runs and their answers, on the phone: downloaded whole (template version,
// answers, score) so that the list and each audit open offline; every answer written at once,
// with its unsent copy in the outbox (type response), and the sign-off after them (type
// audit_submit). The views read and write audits only through here.
import { api, AuthRequired } from './api.js';
import { db, getMeta, ownedBy, perUser, setMeta } from './db.js';
import { entry } from './lists.js';
import { discard, putIn } from './outbox.js';

// A signed-off audit stays on the phone this long after its sign-off, to show it went through.
const KEEP_SIGNED_DAYS = 14;
export const RESPONSE = 'response';
export const SUBMIT = 'audit_submit';

// The share of a question's weight a result earns, as the served list of results says (none for
// not applicable: the question counts nowhere, as an unanswered one).
export const shareOf = (result) => entry('audit_results', result)?.earned_share ?? undefined;

// A nonconforming result needs notes (and a photo where the question asks for one).
export const isNonconforming = (result) => Boolean(entry('audit_results', result)?.nonconforming);

// What an answer still lacks before it can be sent: 'result', 'notes', 'photo', or null.
export function lacking(question, answer) {
  if (!answer?.result) return 'result';
  if (!isNonconforming(answer.result)) return null;
  if (!answer.notes?.trim()) return 'notes';
  if (question.evidence_on_nc && !answer.photos.length) return 'photo';
  return null;
}

// Earned over possible in percent (null when nothing counts), by section and overall.
export function score(sections, answers) {
  let earnedAll = 0;
  let possibleAll = 0;
  const bySection = sections.map((section) => {
    let earned = 0;
    let possible = 0;
    for (const question of section.questions) {
      const answer = answers.get(question.id);
      const share = answer && !lacking(question, answer) ? shareOf(answer.result) : undefined;
      if (share === undefined) continue;
      const weight = question.weight ?? 1;
      earned += weight * share;
      possible += weight;
    }
    earnedAll += earned;
    possibleAll += possible;
    return { ref: section.ref, title: section.title, earned, possible, percent: percent(earned, possible) };
  });
  return { overall: percent(earnedAll, possibleAll), by_section: bySection };
}

const percent = (earned, possible) => (possible ? Math.round((earned / possible) * 1000) / 10 : null);

// Answered (complete) over all questions, of a section or of the whole audit.
export function progress(questions, answers) {
  const answered = questions.filter((q) => answers.has(q.id) && !lacking(q, answers.get(q.id))).length;
  return { answered, total: questions.length };
}

export const questionsOf = (audit) => audit.template.sections.flatMap((section) => section.questions);

const ofAudit = (userId, auditId) => IDBKeyRange.bound([userId, auditId], [userId, auditId, []]);

// The answer kept for a server response.
function fromServer(userId, auditId, response) {
  return {
    userId, auditId, questionId: response.question_id, id: response.id, result: response.result,
    notes: response.notes ?? '', photos: (response.photos ?? []).map((sha256) => ({ sha256 })),
    answered_at: response.answered_at, complete: true,
  };
}

// One person's audits with their progress on this phone, soonest due first (undated last).
export async function list(userId) {
  const tx = (await db()).transaction(['audits', 'answers', 'outbox']);
  const [audits, answers, waiting] = await Promise.all([
    tx.objectStore('audits').getAll(ownedBy(userId)),
    tx.objectStore('answers').getAll(ownedBy(userId)),
    tx.objectStore('outbox').index('owner').getAll(ownedBy(userId)),
  ]);
  const byAudit = new Map();
  for (const answer of answers) {
    if (!byAudit.has(answer.auditId)) byAudit.set(answer.auditId, new Map());
    byAudit.get(answer.auditId).set(answer.questionId, answer);
  }
  const due = (audit) => audit.due_on ?? '9999';
  return audits.sort((a, b) => due(a).localeCompare(due(b))).map((audit) => {
    const held = byAudit.get(audit.id) ?? new Map();
    const unsent = waiting.filter((i) => i.type === RESPONSE && i.body.audit_id === audit.id).length;
    const submit = waiting.find((i) => i.type === SUBMIT && i.id === audit.id);
    return { audit, progress: progress(questionsOf(audit), held), score: score(audit.template.sections, held), unsent, submit };
  });
}

// Everything the runner needs to open an audit, read in one transaction: the audit, its
// answers by question id, the ids of answers not sent yet, the sign-off waiting (if any), and
// where it was left.
export async function open(userId, auditId) {
  const tx = (await db()).transaction(['audits', 'answers', 'outbox', 'meta']);
  const [audit, answers, waiting, place] = await Promise.all([
    tx.objectStore('audits').get([userId, auditId]),
    tx.objectStore('answers').getAll(ofAudit(userId, auditId)),
    tx.objectStore('outbox').index('owner').getAll(ownedBy(userId)),
    tx.objectStore('meta').get(placeKey(userId, auditId)),
  ]);
  if (!audit) return null;
  const mine = waiting.filter((i) => (i.type === RESPONSE && i.body.audit_id === auditId) || (i.type === SUBMIT && i.id === auditId));
  return {
    audit,
    answers: new Map(answers.map((a) => [a.questionId, a])),
    waiting: new Map(mine.filter((i) => i.type === RESPONSE).map((i) => [i.id, i])),
    submit: mine.find((i) => i.type === SUBMIT),
    place: place ?? null,
  };
}

// The outbox copies of this audit's answers and its sign-off (to show what is still unsent).
export async function waitingOf(userId, auditId) {
  const items = await (await db()).getAllFromIndex('outbox', 'owner', ownedBy(userId));
  return {
    waiting: new Map(items.filter((i) => i.type === RESPONSE && i.body.audit_id === auditId).map((i) => [i.id, i])),
    submit: items.find((i) => i.type === SUBMIT && i.id === auditId),
  };
}

const placeKey = (userId, auditId) => perUser(`audit-place-${auditId}`, userId);

// Where the auditor was in an audit ({section, question}), to resume there.
export const setPlace = (userId, auditId, place) => setMeta(placeKey(userId, auditId), place);
export const getPlace = (userId, auditId) => getMeta(placeKey(userId, auditId));

// The outbox item of a complete answer.
function responseItem(answer, local) {
  return {
    id: answer.id, type: RESPONSE, userId: answer.userId,
    body: {
      audit_id: answer.auditId, question_id: answer.questionId, result: answer.result,
      notes: answer.notes.trim() || null, answered_at: answer.answered_at,
    },
    photos: answer.photos.map(({ sha256, content_type, width, height }) => ({ sha256, content_type, width, height })),
    local,
  };
}

// Save a new answer to one question in one transaction: the answer, the bytes of photos new to
// the phone, and (when complete) its outbox item in place of the unsent one it replaces.
// answer: {userId, auditId, questionId, id, result, notes, photos: [{sha256, ...}], answered_at};
// bytes: [{sha256, type, bytes, width, height}] of photos just taken.
export async function saveAnswer(answer, { complete, bytes = [], local = {} }) {
  const tx = (await db()).transaction(['answers', 'outbox', 'photos'], 'readwrite');
  const answers = tx.objectStore('answers');
  const old = await answers.get([answer.userId, answer.auditId, answer.questionId]);
  for (const photo of bytes) tx.objectStore('photos').put(photo);
  answers.put({ ...answer, complete });
  if (complete) putIn(tx, responseItem(answer, local));
  // The answer it replaces is not sent any more, if it was still waiting.
  if (old && old.id !== answer.id) tx.objectStore('outbox').delete(old.id);
  const kept = new Set(answer.photos.map((p) => p.sha256));
  const dropped = (old?.photos ?? []).filter((p) => !kept.has(p.sha256));
  if (dropped.length) await freeUnused(tx, answer, dropped);
  await tx.done;
}

// Photo bytes a removed photo leaves behind, unless an unsent item or another answer needs them.
async function freeUnused(tx, answer, dropped) {
  const [items, others] = await Promise.all([
    tx.objectStore('outbox').getAll(),
    tx.objectStore('answers').getAll(ofAudit(answer.userId, answer.auditId)),
  ]);
  const needed = new Set([...items.flatMap((i) => i.photos), ...others.flatMap((a) => a.photos)].map((p) => p.sha256));
  for (const photo of dropped) if (!needed.has(photo.sha256)) await tx.objectStore('photos').delete(photo.sha256);
}

// The bytes of a photo kept on the phone (until its answer is sent), or undefined.
export async function photoBytes(sha256) {
  return (await db()).get('photos', sha256);
}

// Queue the sign-off after the audit's answers: sent once they all are.
export async function signOff(userId, audit, signedAt) {
  const tx = (await db()).transaction(['outbox'], 'readwrite');
  putIn(tx, {
    id: audit.id, type: SUBMIT, userId, body: { signed_at: signedAt }, photos: [],
    local: { name: audit.template.name, siteName: audit.site_name },
  });
  await tx.done;
}

// Take back a sign-off not sent yet (the auditor has more to answer).
export async function withdrawSignOff(userId, auditId) {
  const item = await (await db()).get('outbox', auditId);
  if (item?.type === SUBMIT && item.userId === userId) await discard(auditId);
}

// The audit as the server gave it at sign-off, to be kept once the sign-off is sent.
export function signedView(userId, view) {
  const { responses: _answers, ...audit } = view; // the phone's answers are these already
  return { ...audit, userId };
}

// Keep one audit as the server gives it: the audit, and its answers where the phone holds no
// newer one of its own (unsent, or not complete yet). Within the caller's transaction.
async function keepAudit(tx, userId, view) {
  const { responses = [], ...audit } = view;
  const store = tx.objectStore('answers');
  const waiting = tx.objectStore('outbox');
  for (const response of responses) {
    const mine = await store.get([userId, view.id, response.question_id]);
    // The phone's own answer, not sent yet or not complete yet, is newer than the server's.
    if (mine && mine.id !== response.id && (!mine.complete || (await waiting.get(mine.id)))) continue;
    await store.put(fromServer(userId, view.id, response));
  }
  const old = await tx.objectStore('audits').get([userId, view.id]);
  const merged = { ...audit, userId };
  await tx.objectStore('audits').put(merged);
  return old && JSON.stringify(head(old)) === JSON.stringify(head(merged)) ? 0 : 1;
}

// What the list shows of an audit (what a change is counted on).
const head = (audit) => ({
  status: audit.status, due_on: audit.due_on, overdue: audit.overdue, site: audit.site_name,
  name: audit.template?.name, version: audit.template?.version, signed_at: audit.signed_at,
});

const stale = (audit) => audit.status !== 'planned' && audit.status !== 'in_progress'
  && Date.now() - new Date(audit.signed_at ?? audit.submitted_at ?? 0).getTime() > KEEP_SIGNED_DAYS * 86_400_000;

// Take my audits to run from the server (GET /api/audits?assigned=me): new and changed ones are
// kept; those no longer mine go with their answers, unless something of theirs waits to be sent.
// Returns how many changed.
export async function refresh(userId) {
  const fresh = await api.get('/api/audits?assigned=me');
  const views = Array.isArray(fresh) ? fresh : fresh?.items ?? [];
  const tx = (await db()).transaction(['audits', 'answers', 'outbox'], 'readwrite');
  const ids = new Set(views.map((view) => view.id));
  let changed = 0;
  const waitingIds = await pendingAudits(tx, userId);
  for (const old of await tx.objectStore('audits').getAll(ownedBy(userId))) {
    const open = old.status === 'planned' || old.status === 'in_progress';
    if (!waitingIds.has(old.id) && ((open && !ids.has(old.id)) || stale(old))) {
      await forgetAudit(tx, userId, old.id);
      changed += 1;
    }
  }
  for (const view of views) changed += await keepAudit(tx, userId, view);
  await tx.done;
  return changed;
}

// Ids of the audits with an answer or a sign-off of this person still in the outbox.
async function pendingAudits(tx, userId) {
  const items = await tx.objectStore('outbox').index('owner').getAll(ownedBy(userId));
  return new Set(items.flatMap((i) => (i.type === RESPONSE ? [i.body.audit_id] : i.type === SUBMIT ? [i.id] : [])));
}

async function forgetAudit(tx, userId, auditId) {
  await tx.objectStore('audits').delete([userId, auditId]);
  await tx.objectStore('answers').delete(ofAudit(userId, auditId));
}

// Merge change-feed entries of type "audit": what changed of a known audit is applied (its
// status, due day...); one that is new to the phone, or given to someone else, makes it ask
// the server again. Returns how many changed.
export async function merge(userId, entries) {
  if (!entries.length) return 0;
  const tx = (await db()).transaction(['audits', 'answers', 'outbox'], 'readwrite');
  const store = tx.objectStore('audits');
  let changed = 0;
  let ask = false;
  for (const change of entries) {
    const old = await store.get([userId, change.id]);
    const open = change.status === 'planned' || change.status === 'in_progress';
    const mine = (change.auditor?.id ?? userId) === userId;
    if (!old) ask ||= open && mine;
    else if (!mine) ask = true;
    else {
      const { type, changed_at: changedAt, score: overall, ...fields } = change;
      const merged = { ...old, ...fields, userId };
      if (overall !== undefined && merged.score && typeof merged.score === 'object') merged.score = { ...merged.score, overall };
      if (JSON.stringify(head(merged)) !== JSON.stringify(head(old))) changed += 1;
      await store.put(merged);
    }
  }
  await tx.done;
  return changed + (ask ? await refresh(userId).catch(passOffline) : 0);
}

// A refresh that fails while merging the feed is tried again with the next change; only an
// ended session stops the sync round.
function passOffline(error) {
  if (error instanceof AuthRequired) throw error;
  console.warn('audits not refreshed', error);
  return 0;
}

// How many audits this person has on the phone (the Audits tab shows when they have one).
export async function count(userId) {
  return (await db()).count('audits', ownedBy(userId));
}
