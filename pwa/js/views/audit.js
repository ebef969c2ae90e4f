// The audit runner: one section (clause) at a time, large answer buttons, notes and photos per
// answer, the live score, and the sign-off. Every tap is written to the phone at once (a new
// response with its own id, and its copy in the outbox); nothing waits for the network.
// A section is drawn once; an answer changes only its own card and the counters.
import * as audits from '../audit-store.js';
import { NotAnImage, preparePhoto } from '../camera.js';
import { dayLabel, dueText } from '../days.js';
import { confirmDialog, h } from '../dom.js';
import { entries, label } from '../lists.js';
import * as outbox from '../outbox.js';
import { announce, onSyncEvent } from '../sync.js';
import { percentText } from './audits.js';

const NOTES_LIMIT = 5000;
const MAX_PHOTOS = 10;
const NOTES_SAVE_MS = 800; // notes being typed are saved this long after the last key
// Once tapping pauses, Background Sync is asked to send; the app's own rounds (every 20 s while
// it is open, and when the network returns) send the answers too.
const SEND_AFTER_MS = 1500;
let sendTimer = null;

// The runner on screen: a sync round refreshes what it shows as sent.
let live = null;
let syncTimer = null;
onSyncEvent((event) => {
  if (!live?.isCurrent() || (event.type !== 'done' && event.type !== 'state')) return;
  clearTimeout(syncTimer);
  syncTimer = setTimeout(() => live?.isCurrent() && live.refreshSent(), event.type === 'done' ? 0 : 300);
});

const isOpen = (audit) => audit.status === 'planned' || audit.status === 'in_progress';
const hashOf = (auditId, params = {}) => {
  const query = new URLSearchParams(params).toString();
  return `#/audit/${auditId}${query ? `?${query}` : ''}`;
};

// Everything the runner knows of one audit while it is on screen.
function runOf(me, opened) {
  const { audit } = opened;
  const sections = audit.template.sections;
  const where = new Map();
  sections.forEach((section, index) => section.questions.forEach((question) => where.set(question.id, { section, index, question })));
  return {
    me, audit, sections, where, questions: sections.flatMap((s) => s.questions),
    answers: opened.answers, waiting: opened.waiting, submit: opened.submit, place: opened.place,
    cards: new Map(), counters: [], taken: new Map(),
    nearby: globalThis.IntersectionObserver
      ? new IntersectionObserver((seen) => seen.forEach((e) => e.isIntersecting && e.target.reveal()), { rootMargin: '600px 0px' })
      : null,
  };
}

const locked = (run) => !isOpen(run.audit) || Boolean(run.submit);

// The questions still to answer (or to complete: notes, a photo), in the template's order.
const open = (run, questions = run.questions) => questions.filter((q) => audits.lacking(q, run.answers.get(q.id)));

function answerState(run, question) {
  const answer = run.answers.get(question.id);
  const missing = audits.lacking(question, answer);
  if (missing === 'result') return { state: 'none', words: '' };
  if (missing === 'notes') return { state: 'attention', words: 'Needs notes: say what you found' };
  if (missing === 'photo') return { state: 'attention', words: 'Needs a photo as evidence' };
  const item = run.waiting.get(answer.id);
  if (item?.state === 'attention') return { state: 'attention', words: item.reason || outbox.STATES.attention };
  if (item) return { state: 'saved', words: outbox.STATES.saved };
  return { state: 'synced', words: 'Sent' };
}

// The words of the phone's own state: what is not sent yet.
function sentWords(run) {
  if (!isOpen(run.audit)) return { state: 'synced', words: `${label('audit_statuses', run.audit.status)} · sent` };
  if (run.submit?.state === 'attention') return { state: 'attention', words: 'Sign-off needs attention' };
  if (run.submit) return { state: 'saved', words: 'Signed off on this phone, not sent yet' };
  const count = run.waiting.size;
  return count ? { state: 'saved', words: `${count} answer(s) on this phone, not sent yet` } : { state: 'synced', words: 'All answers sent' };
}

function scoreWords(run, questions = run.questions, section = null) {
  const { answered, total } = audits.progress(questions, run.answers);
  const score = audits.score(section ? [section] : run.sections, run.answers);
  const percent = section ? score.by_section[0].percent : score.overall;
  return `${answered}/${total} answered · score ${percentText(percent)}`;
}

// Counters drawn once and updated in place: each is (element, () => text).
function counter(run, tag, attrs, text) {
  const element = h(tag, attrs, text());
  run.counters.push(() => { element.textContent = text(); });
  return element;
}

function sentBadge(run) {
  const badge = h('span', { class: 'badge', id: 'audit-sent', role: 'status', 'aria-live': 'polite' });
  const update = () => {
    const { state, words } = sentWords(run);
    badge.className = `badge ${state}`;
    badge.textContent = words;
  };
  update();
  run.counters.push(update);
  return badge;
}

function header(run) {
  const { audit } = run;
  const due = audit.due_on ? `due ${dayLabel(audit.due_on)}` : null;
  return h('div', { class: 'audit-head' },
    h('div', { class: 'row spread' }, h('a', { class: 'button secondary', href: '#/audits' }, '← My audits'), sentBadge(run)),
    h('h2', {}, audit.template.name),
    h('p', { class: 'hint' }, [audit.site_name, due, audit.overdue && isOpen(audit) ? dueText(audit.due_on) : null].filter(Boolean).join(' · ')),
    counter(run, 'p', { class: 'score-line', id: 'audit-score' }, () => `Overall: ${scoreWords(run)}`));
}

// Save a new answer to a question (a new response: new id, new time), then redraw its card and
// the counters. bytes: photos just taken ({sha256, type, bytes, width, height}).
async function save(run, question, change, bytes = []) {
  if (locked(run)) return;
  const old = run.answers.get(question.id);
  const answer = {
    userId: run.me.user.id, auditId: run.audit.id, questionId: question.id,
    result: old?.result ?? null, notes: old?.notes ?? '', photos: old?.photos ?? [],
    ...change, id: crypto.randomUUID(), answered_at: new Date().toISOString(),
  };
  if (!answer.result) return; // notes or photos wait for a result to go with
  const complete = !audits.lacking(question, answer);
  bytes.forEach((photo) => run.taken.set(photo.sha256, photo)); // shown before the write is done
  run.answers.set(question.id, { ...answer, complete });
  if (old) run.waiting.delete(old.id);
  if (complete) run.waiting.set(answer.id, { id: answer.id, state: 'saved' });
  run.place = { section: run.where.get(question.id).section.ref, question: question.id };
  run.cards.get(question.id)?.update();
  run.counters.forEach((update) => update());
  await audits.saveAnswer(answer, { complete, bytes, local: { ref: question.ref, name: run.audit.template.name } });
  audits.setPlace(run.me.user.id, run.audit.id, run.place);
  announce();
  clearTimeout(sendTimer);
  sendTimer = setTimeout(askToSend, SEND_AFTER_MS);
}

// Have the outbox sent when the network allows, even with the app closed (Background Sync).
function askToSend() {
  navigator.serviceWorker?.ready.then((registration) => registration.sync?.register('outbox')).catch(() => {});
}

function answerButtons(run, question, card) {
  const buttons = entries('audit_results').map((result) => h('button', {
    type: 'button', class: `answer-button answer-${result.value}`, dataset: { result: result.value }, 'aria-pressed': 'false',
    onclick: () => {
      const now = run.answers.get(question.id);
      if (now?.result === result.value) return;
      // Notes being typed go with the new result (they may not be saved yet).
      const notes = card.notesDraft?.();
      save(run, question, notes === undefined ? { result: result.value } : { result: result.value, notes });
      if (audits.isNonconforming(result.value) || result.value === 'observation') card.openMore(true);
    },
  }, result.label));
  return h('div', { class: 'answer-buttons', role: 'group', 'aria-label': `Answer to ${question.ref}` }, buttons);
}

// Notes and photos of an answer, drawn when first wanted.
function moreBox(run, question, card) {
  const answer = () => run.answers.get(question.id);
  const notes = h('textarea', {
    id: `notes-${question.id}`, rows: 3, maxlength: NOTES_LIMIT, placeholder: 'What you saw, where, who you spoke to',
  });
  notes.value = answer()?.notes ?? '';
  let timer = null;
  const saveNotes = () => {
    clearTimeout(timer);
    if (notes.value !== (answer()?.notes ?? '')) save(run, question, { notes: notes.value });
  };
  notes.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(saveNotes, NOTES_SAVE_MS); });
  notes.addEventListener('change', saveNotes);
  const thumbs = h('ul', { class: 'thumbs', 'aria-label': `Photos of ${question.ref}` });
  const message = h('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  const box = h('div', { class: 'q-more stack' },
    h('label', { for: notes.id }, `Notes${answer() && audits.isNonconforming(answer().result) ? ' (required for a nonconformity)' : ''}`),
    notes,
    photoButtons(run, question, message),
    message, thumbs);
  box.sync = async () => {
    const current = answer();
    if (document.activeElement !== notes) notes.value = current?.notes ?? '';
    notes.readOnly = locked(run);
    box.querySelector('label').textContent = `Notes${current && audits.isNonconforming(current.result) ? ' (required for a nonconformity)' : ''}`;
    if (card.revealed) await drawThumbs(run, question, thumbs);
  };
  return box;
}

function photoButtons(run, question, message) {
  const say = (text, tone = 'info') => { message.textContent = text; message.className = `message ${tone}`; };
  const onFiles = async (event) => {
    const input = event.target;
    const taken = [];
    for (const file of input.files) {
      try {
        taken.push(await preparePhoto(file));
      } catch (error) {
        say(error instanceof NotAnImage ? error.message : `That photo could not be used: ${error.message}`, 'error');
      }
    }
    input.value = ''; // choosing the same file again must fire "change" again
    const had = run.answers.get(question.id)?.photos ?? [];
    const fresh = taken.filter((p, i) => !had.some((o) => o.sha256 === p.sha256) && taken.findIndex((o) => o.sha256 === p.sha256) === i);
    if (!fresh.length) return;
    if (had.length + fresh.length > MAX_PHOTOS) { say(`At most ${MAX_PHOTOS} photos an answer.`, 'error'); return; }
    say('');
    const card = run.cards.get(question.id);
    if (card) card.revealed = true; // the auditor is at this card: its photos show at once
    const refs = fresh.map(({ sha256, type, width, height }) => ({ sha256, content_type: type, width, height }));
    const notes = card?.notesDraft?.();
    const change = { photos: [...had, ...refs], ...(notes === undefined ? {} : { notes }) };
    await save(run, question, change, fresh);
  };
  const input = (kind, extra) => h('input', { id: `${kind}-${question.id}`, type: 'file', accept: 'image/*', class: 'visually-hidden', onchange: onFiles, ...extra });
  if (locked(run)) return null;
  return h('div', { class: 'row photo-buttons' },
    h('label', { class: 'button primary', for: `camera-${question.id}` }, 'Take photo'), input('camera', { capture: 'environment' }),
    h('label', { class: 'button secondary', for: `gallery-${question.id}` }, 'Gallery'), input('gallery', { multiple: true }));
}

// Thumbnails: the bytes on the phone, or the server's copy once sent (online), or a tile.
async function drawThumbs(run, question, list) {
  const photos = run.answers.get(question.id)?.photos ?? [];
  const shown = [locked(run), navigator.onLine, ...photos.map((p) => p.sha256)].join();
  if (list.dataset.shown === shown) return;
  list.dataset.shown = shown;
  const stored = await Promise.all(photos.map((p) => run.taken.get(p.sha256) ?? audits.photoBytes(p.sha256)));
  list.querySelectorAll('img[src^="blob:"]').forEach((img) => URL.revokeObjectURL(img.src));
  list.replaceChildren(...photos.map((photo, index) => {
    const bytes = stored[index];
    const src = bytes ? URL.createObjectURL(new Blob([bytes.bytes], { type: bytes.type })) : navigator.onLine ? `/api/photos/${photo.sha256}/thumb` : null;
    return h('li', {},
      src ? h('img', { src, alt: `Photo ${index + 1} of ${question.ref}`, decoding: 'async' }) : h('span', { class: 'photo-tile' }, 'Photo sent'),
      locked(run) ? null : h('button', { type: 'button', class: 'remove', 'aria-label': `Remove photo ${index + 1}`, onclick: () =>
        save(run, question, { photos: photos.filter((p) => p.sha256 !== photo.sha256) }) }, '✕'));
  }));
}

// The controlled document a question checks against: its code and title come with the audit, so
// they show offline too; the document itself opens where the phone holds it or is online.
function documentCheck(question) {
  const doc = question.document;
  if (!doc) return null;
  return h('a', { class: 'button secondary q-document', href: `#/documents/${doc.id}` },
    h('span', {}, 'Check against ', h('strong', {}, doc.code), ` ${doc.title}`));
}

// One question: its text, the document to check it against, guidance on a tap, the answer buttons, what the answer lacks or
// whether it is sent, and (when wanted) notes and photos. update() redraws it in place.
function questionCard(run, question) {
  const guidance = question.guidance ? h('p', { class: 'guidance', id: `guidance-${question.id}`, hidden: true }, question.guidance) : null;
  const state = h('p', { class: 'q-state' });
  const card = h('li', { class: 'question', id: `q-${question.id}`, dataset: { question: question.id, ref: question.ref } });
  let more = null;
  card.revealed = !run.nearby;
  const moreButton = h('button', { type: 'button', class: 'link', onclick: () => card.openMore(true) }, 'Add notes or photo');
  card.openMore = (focus) => {
    if (!more) {
      more = moreBox(run, question, card);
      card.notesDraft = () => more.querySelector('textarea').value;
      moreButton.replaceWith(more);
      more.sync();
    }
    if (focus && !locked(run)) more.querySelector('textarea').focus();
  };
  card.append(...[
    h('div', { class: 'q-head' }, h('span', { class: 'q-ref' }, question.ref),
      question.weight && question.weight !== 1 ? h('span', { class: 'q-weight' }, `weight ${question.weight}`) : null),
    h('p', { class: 'q-text' }, question.text),
    documentCheck(question),
    guidance ? h('button', { type: 'button', class: 'link guidance-toggle', 'aria-expanded': 'false', 'aria-controls': guidance.id, onclick: (event) => {
      guidance.hidden = !guidance.hidden;
      event.currentTarget.setAttribute('aria-expanded', String(!guidance.hidden));
    } }, 'Guidance') : null,
    guidance,
    answerButtons(run, question, card),
    state, moreButton].filter(Boolean)); // append() would write a null as the word
  const update = () => {
    const answer = run.answers.get(question.id);
    for (const button of card.querySelectorAll('.answer-button')) {
      button.setAttribute('aria-pressed', String(button.dataset.result === answer?.result));
      button.disabled = locked(run);
    }
    const now = answerState(run, question);
    state.textContent = now.words;
    state.className = `q-state ${now.state}`;
    card.dataset.state = now.state;
    const wanted = answer && (answer.notes || answer.photos.length || audits.isNonconforming(answer.result));
    if (wanted && !more) card.openMore(false);
    else more?.sync();
    moreButton.hidden = locked(run) || !answer; // notes and photos go with an answer
  };
  card.update = update;
  // Photos are read from the phone only for cards near the screen (a section can hold dozens).
  card.reveal = () => {
    card.revealed = true;
    run.nearby?.unobserve(card);
    more?.sync();
  };
  run.nearby?.observe(card);
  card.addEventListener('focusin', () => {
    run.place = { section: run.where.get(question.id).section.ref, question: question.id };
    audits.setPlace(run.me.user.id, run.audit.id, run.place);
  });
  update();
  return card;
}

const hidden = (text) => h('span', { class: 'visually-hidden' }, text);

// The foot of a section: previous and next section, and the next question still to answer.
function footBar(run, index) {
  const { audit, sections } = run;
  const previous = sections[index - 1];
  const next = sections[index + 1];
  return h('div', { class: 'save-bar audit-bar' },
    h('div', { class: 'row' },
      previous ? h('a', { class: 'button secondary', href: hashOf(audit.id, { section: previous.ref }) }, '← Prev', hidden(` section ${previous.ref}`))
        : h('a', { class: 'button secondary', href: hashOf(audit.id, { view: 'sections' }) }, 'Sections'),
      h('button', { type: 'button', class: 'button primary', onclick: () => nextUnanswered(run) }, 'Next unanswered'),
      next ? h('a', { class: 'button secondary', href: hashOf(audit.id, { section: next.ref }) }, 'Next →', hidden(` section ${next.ref}`))
        : h('a', { class: 'button secondary', href: hashOf(audit.id, { view: 'signoff' }) }, 'Sign-off')));
}

// The first question still to answer after where the auditor is (from the start again after
// the last); on this screen it is scrolled to, else its section opens. None left: the sign-off.
function nextUnanswered(run) {
  const todo = open(run);
  if (!todo.length) { location.hash = hashOf(run.audit.id, { view: 'signoff' }); return; }
  // After the question the auditor is at, or from the start of their section.
  const section = run.sections.find((s) => s.ref === run.place?.section);
  const at = run.place?.question ? run.questions.findIndex((q) => q.id === run.place.question)
    : section ? run.questions.indexOf(section.questions[0]) - 1 : -1;
  const next = todo.find((q) => run.questions.indexOf(q) > at) ?? todo[0];
  const card = run.cards.get(next.id);
  if (card) { showQuestion(card); return; }
  location.hash = hashOf(run.audit.id, { section: run.where.get(next.id).section.ref, q: next.id });
}

function showQuestion(card) {
  card.scrollIntoView({ block: 'start' });
  card.querySelector('.answer-button:not([disabled])')?.focus({ preventScroll: true });
  card.classList.add('here');
  setTimeout(() => card.classList.remove('here'), 1500);
}

// Section links with their progress and score (the section list, and the side list on desktops).
function sectionList(run, current = null) {
  return h('ol', { class: 'sections' }, run.sections.map((section) => {
    const { answered, total } = audits.progress(section.questions, run.answers);
    const done = answered === total;
    return h('li', { class: `section-link ${done ? 'done' : ''} ${section === current ? 'current' : ''}` },
      h('a', { href: hashOf(run.audit.id, { section: section.ref }), 'aria-current': section === current ? 'page' : null },
        h('span', { class: 'section-title' }, `${section.ref} ${section.title}`),
        counter(run, 'span', { class: 'section-count' }, () => scoreWords(run, section.questions, section))));
  }));
}

function renderSection(root, run, index, focusId) {
  const section = run.sections[index];
  const cards = section.questions.map((question) => {
    const card = questionCard(run, question);
    run.cards.set(question.id, card);
    return card;
  });
  root.replaceChildren(h('section', { class: 'screen audit-runner' },
    header(run),
    h('div', { class: 'runner-columns' },
      h('nav', { class: 'side-sections', 'aria-label': 'Sections' }, sectionList(run, section)),
      h('div', { class: 'runner-main' },
        h('div', { class: 'section-head' },
          h('h3', {}, `${section.ref} ${section.title}`),
          counter(run, 'p', { class: 'section-score', id: 'section-score' }, () => `This section: ${scoreWords(run, section.questions, section)}`),
          h('a', { class: 'button secondary small-link', href: hashOf(run.audit.id, { view: 'sections' }) }, 'All sections')),
        locked(run) ? h('p', { class: 'message info' }, run.submit ? 'Signed off on this phone: the answers can no longer be changed.' : 'This audit takes no more answers.') : null,
        h('ol', { class: 'questions' }, cards))),
    footBar(run, index)));
  const inSection = section.questions.some((q) => q.id === run.place?.question);
  run.place = { section: section.ref, question: focusId ?? (inSection ? run.place.question : null) };
  audits.setPlace(run.me.user.id, run.audit.id, run.place);
  const target = focusId && run.cards.get(focusId);
  if (target) showQuestion(target);
}

function renderSections(root, run) {
  const todo = open(run);
  root.replaceChildren(h('section', { class: 'screen audit-runner audit-overview' },
    header(run),
    h('div', { class: 'row' },
      todo.length && !locked(run) ? h('button', { type: 'button', class: 'button primary big', onclick: () => nextUnanswered(run) },
        todo.length === run.questions.length ? 'Start' : 'Continue') : null,
      h('a', { class: 'button secondary big', href: hashOf(run.audit.id, { view: 'signoff' }) }, 'Sign-off')),
    h('h3', {}, 'Sections'),
    sectionList(run)));
}

const resultLabel = (result) => label('audit_results', result);

// The answers that are findings (nonconforming) and observations, in the template's order.
function findingsOf(run) {
  const answered = run.questions.map((q) => ({ question: q, answer: run.answers.get(q.id) }))
    .filter(({ question, answer }) => answer && !audits.lacking(question, answer));
  return {
    findings: answered.filter(({ answer }) => audits.isNonconforming(answer.result)),
    observations: answered.filter(({ answer }) => answer.result === 'observation'),
  };
}

function findingItem(run, { question, answer }) {
  return h('li', { class: `finding result-${answer.result}` },
    h('p', {}, h('b', {}, `${question.ref} `), question.text),
    h('p', {}, h('span', { class: `result-tag answer-${answer.result}` }, resultLabel(answer.result)), ` ${answer.notes}`),
    answer.photos.length ? h('p', { class: 'hint' }, `${answer.photos.length} photo(s)`) : null);
}

// The sign-off: the score, findings, observations and what is unanswered; refused while any
// question is; queued in the outbox after the answers.
function renderSignOff(root, run, redraw) {
  const todo = open(run);
  const { findings, observations } = findingsOf(run);
  const score = audits.score(run.sections, run.answers);
  const message = h('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  const unansweredList = h('ol', { class: 'unanswered', id: 'unanswered' }, todo.map((question) => {
    const missing = audits.lacking(question, run.answers.get(question.id));
    const why = missing === 'notes' ? ' (needs notes)' : missing === 'photo' ? ' (needs a photo)' : '';
    return h('li', {}, h('a', { href: hashOf(run.audit.id, { section: run.where.get(question.id).section.ref, q: question.id }) }, `${question.ref} ${question.text}${why}`));
  }));
  const signButton = h('button', { type: 'button', class: 'button primary big wide', onclick: async () => {
    if (todo.length) {
      message.textContent = `Not yet: ${todo.length} question(s) still to answer. Each is listed below.`;
      message.className = 'message error';
      unansweredList.querySelector('a')?.focus();
      return;
    }
    if (!(await confirmDialog('Sign off this audit?', 'The answers can no longer be changed. The sign-off is sent after the answers, as soon as the phone is online.', 'Sign off', 'Not yet'))) return;
    await audits.signOff(run.me.user.id, run.audit, new Date().toISOString());
    askToSend();
    run.syncNow?.();
    redraw();
  } }, 'Sign off');
  root.replaceChildren(h('section', { class: 'screen audit-runner audit-signoff' },
    header(run),
    h('div', { class: 'row' }, h('a', { class: 'button secondary', href: hashOf(run.audit.id, { view: 'sections' }) }, '← Sections')),
    h('h3', {}, 'Sign-off'),
    h('dl', { class: 'facts summary' },
      h('dt', {}, 'Score'), h('dd', { id: 'summary-score' }, percentText(score.overall)),
      h('dt', {}, 'Answered'), h('dd', {}, `${run.questions.length - todo.length} of ${run.questions.length}`),
      h('dt', {}, 'Findings'), h('dd', { id: 'summary-findings' }, String(findings.length)),
      h('dt', {}, 'Observations'), h('dd', { id: 'summary-observations' }, String(observations.length)),
      h('dt', {}, 'Unanswered'), h('dd', { id: 'summary-unanswered' }, String(todo.length))),
    signOffState(run, redraw, signButton, message),
    todo.length ? h('h3', {}, `Still to answer (${todo.length})`) : null,
    todo.length ? unansweredList : null,
    h('table', { class: 'counts runner-scores' }, h('caption', {}, 'Score by section'),
      h('tbody', {}, score.by_section.map((s) => h('tr', {}, h('th', {}, `${s.ref} ${s.title}`), h('td', {}, percentText(s.percent)))))),
    findings.length ? h('h3', {}, `Findings (${findings.length})`) : null,
    findings.length ? h('ul', { class: 'findings' }, findings.map((f) => findingItem(run, f))) : null,
    observations.length ? h('h3', {}, `Observations (${observations.length})`) : null,
    observations.length ? h('ul', { class: 'findings' }, observations.map((f) => findingItem(run, f))) : null));
}

// Where the sign-off stands: to do, on this phone (waiting for the answers), sent, or refused.
function signOffState(run, redraw, signButton, message) {
  const { audit, submit } = run;
  if (!isOpen(audit)) {
    const when = audit.signed_at ? new Date(audit.signed_at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';
    return h('p', { class: 'message sent-note', id: 'signoff-state' }, `${label('audit_statuses', audit.status)} ${when}: the server holds it.`);
  }
  if (!submit) return h('div', { class: 'stack' }, message, signButton);
  const attention = submit.state === 'attention';
  const waiting = run.waiting.size;
  return h('div', { class: 'stack' },
    h('p', { class: `message ${attention ? 'error' : 'info'}`, id: 'signoff-state' }, attention ? submit.reason
      : `Signed off on this phone. It is sent after the answers${waiting ? ` (${waiting} still on this phone)` : ''}, as soon as the phone is online.`),
    h('div', { class: 'row' },
      attention ? h('button', { type: 'button', class: 'button secondary big', onclick: async () => { await outbox.mark(submit.id, 'saved'); askToSend(); run.syncNow?.(); redraw(); } }, 'Try again') : null,
      h('button', { type: 'button', class: 'button secondary big', onclick: async () => {
        if (!(await confirmDialog('Take back the sign-off?', 'The audit opens again for answers; sign it off again when done.', 'Take it back', 'Keep it'))) return;
        await audits.withdrawSignOff(run.me.user.id, audit.id);
        redraw();
      } }, 'Take back the sign-off')));
}

// What a sync round changed: which answers are sent, and whether the sign-off went through.
async function refreshSent(root, run, redraw) {
  const { waiting, submit } = await audits.waitingOf(run.me.user.id, run.audit.id);
  const signedNow = Boolean(run.submit) !== Boolean(submit) || run.submit?.state !== submit?.state;
  run.waiting = waiting;
  run.submit = submit;
  if (signedNow && !submit) {
    redraw(); // sent (or taken back): read again, the server's view may be here
    return;
  }
  if (signedNow && root.querySelector('.audit-signoff')) { redraw(); return; }
  run.cards.forEach((card) => card.update());
  run.counters.forEach((update) => update());
}

// isCurrent(): false once the person has left this screen (nothing is drawn then).
// query: section=<ref>[&q=<question id>] one section; view=sections the list; view=signoff the
// sign-off; nothing: where the auditor left it (or the list of sections).
export async function renderAudit(root, { me, id, query = new URLSearchParams(), syncNow, isCurrent = () => true }) {
  const redraw = () => isCurrent() && renderAudit(root, { me, id, query, syncNow, isCurrent });
  performance.mark('audit-read-start');
  const opened = await audits.open(me.user.id, id);
  performance.mark('audit-read-end'); // timings for bench/audits_browser.py
  if (!isCurrent()) return;
  if (!opened) {
    root.replaceChildren(h('section', { class: 'screen' }, h('a', { class: 'button secondary', href: '#/audits' }, '← My audits'),
      h('p', { class: 'message error' }, 'This audit is not on this phone. Open My audits once online to download the audits you run.')));
    return;
  }
  const run = { ...runOf(me, opened), syncNow };
  live = { isCurrent, refreshSent: () => refreshSent(root, run, redraw) };
  if (!entries('audit_results').length) {
    root.replaceChildren(h('section', { class: 'screen' }, header(run),
      h('p', { class: 'message warn' }, 'This phone needs the network once more to get the answer choices. Your answers so far are safe.')));
    return;
  }
  const view = query.get('view');
  const ref = query.get('section') ?? (view ? null : run.place?.section);
  const index = run.sections.findIndex((s) => s.ref === ref);
  if (view === 'signoff') renderSignOff(root, run, redraw);
  else if (index >= 0) renderSection(root, run, index, query.get('q') ?? (query.has('section') ? null : run.place?.question));
  else renderSections(root, run);
  performance.mark('audit-drawn');
}
