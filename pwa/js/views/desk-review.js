// One management review (ISO 45001, 14001 and 9001 clause 9.3): its period and scope, its inputs
// in the order of the clause with the same figures and charts as the pack, each beside the
// previous period, then leadership's outputs; held, it is read only. The pack downloads as PDF.
import { api } from '../api.js';
import { h } from '../dom.js';
import { inputSections } from './desk-review-inputs.js';
import { outputPanels } from './desk-review-outputs.js';
import { dayName, periodName, reviewStatus } from './desk-review-parts.js';

const JUMPS = [['a', 'Previous actions'], ['b', 'Changes'], ['c', 'Objectives'], ['d', 'Performance'], ['e', 'Resources'],
  ['f', 'Communication'], ['g', 'Improvement'], ['outputs', 'Outputs']];

function head(review) {
  const held = review.status === 'held';
  const sites = (review.sites || []).map((s) => s.name).join(', ') || 'Every site';
  const previous = review.previous_review;
  return [
    h('div', { class: 'row spread review-head' },
      h('div', { class: 'row' }, reviewStatus(review.status), h('h2', {}, review.title)),
      h('a', { class: 'button primary big download-pack', href: `/api/reviews/${review.id}/pack.pdf`, download: '' }, 'Download the pack (PDF)')),
    h('dl', { class: 'facts review-facts' },
      h('dt', {}, 'Period'), h('dd', { class: 'period' }, periodName(review.period_start, review.period_end)),
      h('dt', {}, 'Compared with'), h('dd', {}, periodName(review.comparison?.period_start, review.comparison?.period_end)),
      h('dt', {}, 'Sites'), h('dd', {}, sites),
      h('dt', {}, 'Previous review'), h('dd', {}, previous ? h('a', { href: `#/desk/review/${previous.id}` }, `${previous.title}, held on ${dayName(previous.held_on)}`) : 'None'),
      held ? [h('dt', {}, 'Held on'), h('dd', { class: 'held-on' }, dayName(review.held_on))] : null),
    h('p', { class: `message ${held ? 'info' : 'warn'} review-state`, role: 'status' }, held
      ? 'Held: the inputs are frozen as leadership saw them, and the outputs can no longer change.'
      : 'Draft: the figures are computed from the records as they stand now, and change with them until the review is held.'),
  ];
}

function jumps() {
  return h('nav', { class: 'review-jumps', 'aria-label': 'Parts of the review' },
    JUMPS.map(([key, text]) => h('a', { class: 'button secondary', href: `#review-${key}`, onclick: (event) => {
      event.preventDefault(); // the hash is the app's route: scroll instead
      document.getElementById(`review-${key}`)?.scrollIntoView({ block: 'start' });
    } }, key.length === 1 ? `${key}) ${text}` : text)));
}

// isCurrent(): false once the officer has left this screen.
export async function renderReview(root, { id, isCurrent = () => true }) {
  const [review, users, sites] = await Promise.all([api.get(`/api/reviews/${id}`),
    api.get('/api/users').catch(() => []), api.get('/api/sites').catch(() => [])]);
  if (!isCurrent()) return;
  const refresh = () => isCurrent() && renderReview(root, { id, isCurrent });
  const outputs = outputPanels(review, { users, sites }, refresh);
  outputs[0].id = 'review-outputs';
  root.replaceChildren(h('section', { class: 'screen desk review-page', dataset: { status: review.status, id: review.id } },
    h('a', { class: 'button secondary', href: '#/desk/reviews' }, '← Management reviews'),
    ...head(review), jumps(), ...inputSections(review), ...outputs));
}
