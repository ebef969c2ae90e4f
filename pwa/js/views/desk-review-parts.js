// What the review pages share: periods in words and their presets, figures beside the previous
// period (the change in words), a chart as the server draws it for the pack, and a panel.
import { h } from '../dom.js';
import { label } from '../lists.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n) => String(n).padStart(2, '0');
const iso = (y, m, d) => `${y}-${pad(m + 1)}-${pad(d)}`;
const lastDay = (y, m) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

// '2026-10-08' as '8 Oct 2026'.
export function dayName(day) {
  if (!day) return '—';
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

// '1 Jul – 30 Sep 2026' (the year once when both days share it), as the pack writes it.
export function periodName(start, end) {
  if (!start || !end) return '—';
  const [a, b] = [start, end].map((day) => day.split('-').map(Number));
  return `${a[2]} ${MONTHS[a[1] - 1]}${a[0] === b[0] ? '' : ` ${a[0]}`} – ${b[2]} ${MONTHS[b[1] - 1]} ${b[0]}`;
}

// The last whole quarter, half-year and year before today, as {start, end} days.
export function presets(today = new Date()) {
  const y = today.getFullYear();
  const m = today.getMonth();
  const span = (months) => {
    const first = Math.floor(m / months) * months - months; // first month of the last whole span
    const start = new Date(y, first, 1);
    const endMonth = start.getMonth() + months - 1;
    const endYear = start.getFullYear() + Math.floor(endMonth / 12);
    return { start: iso(start.getFullYear(), start.getMonth(), 1), end: iso(endYear, endMonth % 12, lastDay(endYear, endMonth % 12)) };
  };
  return {
    quarter: { text: 'Last quarter', ...span(3) },
    half: { text: 'Last half-year', ...span(6) },
    year: { text: 'Last year', start: iso(y - 1, 0, 1), end: iso(y - 1, 11, 31) },
  };
}

// '80 %', '87.5 %', or 'n/a' when there was nothing to count.
export const rate = (value) => (value === null || value === undefined ? 'n/a' : `${Number(value.toFixed(1))} %`);
export const figure = (value) => (value === null || value === undefined ? '—' : String(Number(Number(value).toFixed(2))));

// The change from the previous period: '+5', '−2', 'no change', '—' when one is unknown.
export function change(now, before, percent = false) {
  if (now === null || now === undefined || before === null || before === undefined) return '—';
  const delta = Number((now - before).toFixed(percent ? 1 : 2));
  if (!delta) return 'no change';
  return `${delta > 0 ? '+' : '−'}${Math.abs(delta)}${percent ? ' pts' : ''}`;
}

// rows: [[name, current, previous, percent?]] as a table of this period beside the previous one.
export function compareTable(caption, rows, name) {
  const shown = (value, percent) => (percent ? rate(value) : figure(value));
  return h('table', { class: 'queue review-figures', dataset: { figures: name } },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ['Figure', 'This period', 'Previous period', 'Change'].map((c, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, c)))),
    h('tbody', {}, rows.map(([text, now, before, percent]) => h('tr', { dataset: { figure: text } },
      h('th', { scope: 'row' }, text),
      // Short words where the table folds up on a phone.
      h('td', { class: 'num now', 'data-label': 'Now' }, shown(now, percent)),
      h('td', { class: 'num before', 'data-label': 'Before' }, shown(before, percent)),
      h('td', { class: 'num change', 'data-label': 'Change' }, change(now, before, percent))))));
}

// A chart of the review, drawn by the server as the pack prints it; alt: the figures in words.
export function chart(reviewId, name, title, alt) {
  return h('figure', { class: 'review-chart', dataset: { chart: name } },
    h('figcaption', {}, title),
    h('img', { src: `/api/reviews/${reviewId}/charts/${name}.svg`, alt, decoding: 'async' }));
}

// A section of the review: its letter of clause 9.3, its title and what the clause asks.
export function section(letter, title, clause, ...content) {
  return h('section', { class: 'panel wide-panel review-section', id: `review-${letter}`, dataset: { section: letter } },
    h('h3', {}, h('span', { class: 'clause-letter' }, `${letter})`), ` ${title}`),
    h('p', { class: 'hint clause' }, clause), ...content);
}

// Draft or held, in words and colour.
export const reviewStatus = (status) => h('span', { class: `review-status status-${status}` }, label('review_statuses', status));

export const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
