// The overview: open reports by risk and status, twelve weeks by category, overdue P1/P2 items,
// nonconformities and their actions, the risk register's heat map, and how far the event log's
// hash chain is verified.
import { api } from '../api.js';
import { h } from '../dom.js';
import { entries, label, riskBand } from '../lists.js';
import { scoreBand } from './desk-audit-parts.js';
import { when } from './desk-queue.js';

const SVG = 'http://www.w3.org/2000/svg';
const PALETTE = ['#0b3d2e', '#e06a00', '#0b4f9c', '#b00020', '#7a4a00', '#1e7d3a', '#6a1b9a', '#00838f', '#555555'];

function svg(tag, attrs, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) element.setAttribute(k, v);
  element.append(...children);
  return element;
}

// Stacked bars, one per week, a colour per category (the biggest eight; the rest as "other").
function weeklyChart(weekly) {
  const width = 720; const height = 280; const left = 36; const bottom = 40;
  const series = [...weekly.categories].sort((a, b) => sum(b.counts) - sum(a.counts));
  const shown = series.slice(0, 8);
  const rest = series.slice(8);
  if (rest.length) shown.push({ category: 'other', label: 'All other categories', counts: weekly.weeks.map((_, i) => sum(rest.map((s) => s.counts[i]))) });
  const totals = weekly.weeks.map((_, i) => sum(shown.map((s) => s.counts[i])));
  const top = Math.max(1, ...totals);
  const slot = (width - left) / weekly.weeks.length;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': 'Reports per week by category, last 12 weeks' });
  weekly.weeks.forEach((week, i) => {
    let y = height - bottom;
    shown.forEach((s, k) => {
      const barHeight = (s.counts[i] / top) * (height - bottom - 18); // room for the total above
      if (!barHeight) return;
      y -= barHeight;
      chart.append(svg('rect', { x: left + i * slot + 4, y, width: slot - 8, height: barHeight, fill: PALETTE[k] },
        svg('title', {}, `${s.label}: ${s.counts[i]} in the week of ${week}`)));
    });
    chart.append(svg('text', { x: left + i * slot + slot / 2, y: height - bottom + 16, 'text-anchor': 'middle', 'font-size': 11 }, week.slice(5)));
    if (totals[i]) chart.append(svg('text', { x: left + i * slot + slot / 2, y: y - 3, 'text-anchor': 'middle', 'font-size': 11, 'font-weight': 700 }, String(totals[i])));
  });
  chart.append(svg('line', { x1: left, x2: width, y1: height - bottom, y2: height - bottom, stroke: '#111' }));
  const legend = h('ul', { class: 'legend' }, shown.map((s, k) => h('li', {},
    // An SVG square, filled by attribute: the Content-Security-Policy allows no inline styles.
    svg('svg', { class: 'swatch', viewBox: '0 0 14 14', 'aria-hidden': 'true' }, svg('rect', { width: 14, height: 14, fill: PALETTE[k] })),
    `${s.label} (${sum(s.counts)})`)));
  return h('div', {}, chart, legend);
}

const sum = (values) => values.reduce((a, b) => a + b, 0);

// A table of counts; each count links to the queue filtered to those reports (link(row): the
// filters, or null where the queue has no such filter).
function countsTable(title, rows, label, link) {
  const cell = (row) => {
    const filters = link(row);
    if (!filters) return String(row.count);
    return h('a', { class: 'count-link', href: `#/desk?${new URLSearchParams(filters)}`,
      'aria-label': `${row.count} open: show them in the queue` }, String(row.count));
  };
  return h('table', { class: 'counts' }, h('caption', {}, title),
    h('tbody', {}, rows.map((row) => h('tr', {}, h('th', { scope: 'row' }, label(row)), h('td', {}, cell(row))))));
}

// Open and overdue actions, and how often closed NCs worked the first time they were checked.
function actionsPanel({ actions, nonconformities: ncs }) {
  const share = ncs.effective_first_check_share === null ? 'No NC closed yet'
    : `${ncs.closed_effective_first_check} of ${ncs.closed} (${Math.round(ncs.effective_first_check_share * 100)}%)`;
  const row = (title, value, href) => h('tr', {}, h('th', { scope: 'row' }, title),
    h('td', {}, href ? h('a', { class: 'count-link', href }, String(value)) : String(value)));
  return h('section', { class: 'panel' }, h('h3', {}, 'Nonconformities and actions'),
    h('table', { class: 'counts' }, h('tbody', {},
      row('Open NCs', ncs.open, '#/desk/ncs'),
      row('Open actions', actions.open, null),
      row('Overdue actions', actions.overdue, '#/desk/ncs?overdue=true'),
      row('Closed effective on first check', share, null))));
}

// Audits: the last twelve months, ending with this one, as the trends' months are written ('2026-11').
function lastMonths(count = 12, now = new Date()) {
  return [...Array(count)].map((_, i) => {
    const date = new Date(Date.UTC(now.getFullYear(), now.getMonth() - count + 1 + i, 1));
    return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}
const monthShort = (month) => new Date(`${month}-01T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', timeZone: 'UTC' });

// One site's average audit score by month: a bar per month with audits, its percent above it.
function siteTrend(site, months) {
  const width = 320; const height = 160; const left = 30; const bottom = 22; const top = 18;
  const slot = (width - left) / months.length;
  const y = (percent) => height - bottom - (percent / 100) * (height - bottom - top);
  const byMonth = new Map(site.points.map((p) => [p.month, p]));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'trend-chart', role: 'img',
    'aria-label': `${site.name}: average audit score by month, ${site.points.map((p) => `${monthShort(p.month)} ${Math.round(p.average)}%`).join(', ')}` });
  [0, 50, 100].forEach((mark) => chart.append(
    svg('line', { x1: left, x2: width, y1: y(mark), y2: y(mark), class: mark ? 'grid' : 'axis' }),
    svg('text', { x: left - 4, y: y(mark) + 4, 'text-anchor': 'end', class: 'tick' }, String(mark))));
  months.forEach((month, i) => {
    const x = left + i * slot;
    const point = byMonth.get(month);
    if (point) {
      const bar = svg('rect', { x: x + 3, y: y(point.average), width: slot - 6, height: Math.max(1, y(0) - y(point.average)), class: `trend-bar score-${scoreBand(point.average)}` },
        svg('title', {}, `${monthShort(month)}: ${Math.round(point.average)}% over ${point.audits} audit(s)`));
      chart.append(bar, svg('text', { x: x + slot / 2, y: y(point.average) - 3, 'text-anchor': 'middle', class: 'value' }, String(Math.round(point.average))));
    }
    // Three letters where there is room, one on a phone (CSS shows one of the two).
    chart.append(svg('text', { x: x + slot / 2, y: height - 6, 'text-anchor': 'middle', class: 'tick tick-long' }, monthShort(month).slice(0, 3)),
      svg('text', { x: x + slot / 2, y: height - 6, 'text-anchor': 'middle', class: 'tick tick-short' }, monthShort(month).slice(0, 1)));
  });
  const audits = sum(site.points.map((p) => p.audits));
  return h('figure', { class: 'trend', dataset: { site: site.id } }, chart,
    h('figcaption', {}, h('strong', {}, site.name), ` · ${audits} signed-off audit(s)`));
}

function scoreTrends(scores) {
  const months = lastMonths();
  const sites = new Map();
  for (const point of scores) {
    if (!sites.has(point.site_id)) sites.set(point.site_id, { id: point.site_id, name: point.site_name, points: [] });
    sites.get(point.site_id).points.push(point);
  }
  if (!sites.size) return h('p', { class: 'message info' }, 'No signed-off audits in the last 12 months.');
  return h('div', { class: 'trends' }, [...sites.values()].map((site) => siteTrend(site, months)));
}

// Findings by clause: a bar per clause, minor and major NCs stacked, observations beside it.
function findingsByClause(rows) {
  const shown = rows.filter((r) => r.minor + r.major > 0 || r.observations > 0);
  if (!shown.length) return h('p', { class: 'message info' }, 'No findings in the last 12 months.');
  const most = Math.max(1, ...shown.map((r) => r.minor + r.major));
  const swatch = (cls) => svg('svg', { class: 'swatch', viewBox: '0 0 14 14', 'aria-hidden': 'true' }, svg('rect', { width: 14, height: 14, class: cls }));
  const minor = label('audit_results', 'minor_nc');
  const major = label('audit_results', 'major_nc');
  return h('div', {},
    h('ul', { class: 'legend' }, h('li', {}, swatch('seg-minor'), minor), h('li', {}, swatch('seg-major'), major)),
    h('ul', { class: 'clause-bars' }, shown.map((r) => h('li', { class: 'hbar-row', dataset: { clause: r.clause } },
      h('span', { class: 'hbar-label' }, `Clause ${r.clause}`,
        r.observations ? h('span', { class: 'hint clause-observations' }, `${r.observations} ${label('audit_results', 'observation').toLowerCase()}(s)`) : null),
      svg('svg', { class: 'hbar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', role: 'img', 'aria-label': `${r.minor} ${minor}, ${r.major} ${major}` },
        svg('rect', { class: 'seg-minor', x: 0, y: 0, width: (r.minor / most) * 100, height: 10 }),
        svg('rect', { class: 'seg-major', x: (r.minor / most) * 100, y: 0, width: (r.major / most) * 100, height: 10 })),
      h('span', { class: 'hbar-value', 'aria-hidden': 'true' }, swatch('seg-minor'), String(r.minor), ' ', swatch('seg-major'), String(r.major))))));
}

function auditPanels(trends) {
  if (!trends) return null;
  return h('div', { class: 'overview-grid audit-trends' },
    h('section', { class: 'panel' }, h('h3', {}, 'Audit scores by site (last 12 months)'), scoreTrends(trends.scores || []),
      h('p', {}, h('a', { href: '#/desk/audits?state=done' }, 'Signed-off audits in the programme'))),
    h('section', { class: 'panel' }, h('h3', {}, 'Audit findings by clause'), findingsByClause(trends.findings_by_clause || [])));
}

// The risk register's heat map: one 5 x 5 grid of counts, severity down (the worst on top),
// likelihood across, each cell in its band's colour with its count and band in words.
function heatGrid(title, counts) {
  const severities = [...entries('severities')].reverse();
  const likelihoods = entries('likelihoods');
  return h('table', { class: 'heatmap', dataset: { grid: title.toLowerCase() } },
    h('caption', {}, title),
    h('thead', {}, h('tr', {}, h('td', { class: 'corner' }, h('span', {}, 'Severity ↓'), h('span', {}, 'Likelihood →')),
      likelihoods.map((l) => h('th', { scope: 'col' }, h('b', {}, String(l.value)), h('span', { class: 'axis-word' }, l.label))))),
    h('tbody', {}, severities.map((s) => h('tr', {},
      h('th', { scope: 'row' }, h('b', {}, String(s.value)), h('span', { class: 'axis-word' }, s.label)),
      likelihoods.map((l) => {
        const count = counts?.[s.value - 1]?.[l.value - 1] ?? 0;
        const band = riskBand(s.value, l.value);
        return h('td', { class: `heat band-${band} ${count ? '' : 'zero'}`, dataset: { severity: s.value, likelihood: l.value, count },
          title: `${s.label} × ${l.label}: ${count} entr${count === 1 ? 'y' : 'ies'} (${label('risk_bands', band)})` },
        h('span', { class: 'heat-count' }, String(count)), h('span', { class: 'heat-band' }, label('risk_bands', band)));
      })))));
}

function heatMapPanel(heatmap, due) {
  if (!heatmap) return null;
  const dueLine = due === null ? null : h('p', { class: 'heat-due' }, due.count
    ? h('a', { class: 'button secondary', href: '#/desk/risks?review_due=true' }, `${due.count}${due.more ? '+' : ''} entr${due.count === 1 && !due.more ? 'y' : 'ies'} due for review`)
    : h('span', { class: 'hint' }, 'No entries due for review.'));
  return h('section', { class: 'panel wide-panel heatmap-panel' },
    h('div', { class: 'row spread' }, h('h3', {}, `Risk register heat map (${heatmap.total ?? 0} active entr${heatmap.total === 1 ? 'y' : 'ies'})`),
      h('a', { href: '#/desk/risks' }, 'Open the register')),
    dueLine,
    h('div', { class: 'heatmaps' }, heatGrid('Inherent', heatmap.inherent), heatGrid('Residual', heatmap.residual)),
    // Where the columns are too narrow for their words (phones), the words are listed here.
    h('p', { class: 'hint heat-key' }, `Likelihood: ${entries('likelihoods').map((l) => `${l.value} ${l.label}`).join(', ')}.`));
}

// How many entries are due for review (a page of them counted; more: there are others beyond).
async function reviewsDue() {
  const answer = await api.get('/api/risks?review_due=true&limit=500');
  const items = Array.isArray(answer) ? answer : answer.items;
  return { count: items.length, more: Boolean(answer.next_cursor) };
}

// The event log's hash chain, as the last full check found it (the worker checks it hourly).
const count = (n) => `${n.toLocaleString()} event${n === 1 ? '' : 's'}`;

function chainMessage(state) {
  const { broken, checked_at: checked, verified_up_to: upTo, events, logged } = state;
  const before = upTo ? `Intact up to ${when(upTo)} (${count(events)}).` : 'No event before it is intact.';
  if (broken) {
    const which = `event #${broken.seq}${broken.event_id === null ? ' (removed)' : ` (id ${broken.event_id})`}`;
    return h('div', { class: 'message error big-warning', role: 'alert' },
      h('p', {}, h('strong', {}, 'Warning: the event log was changed behind the app. '),
        `The first broken record is ${which}: ${broken.problem}.`),
      h('p', {}, `${before} Checked ${when(checked)}.`));
  }
  if (!checked) return h('p', { class: 'message info' }, `The event log (${count(logged)}) has not been checked yet.`);
  const verified = events
    ? `Event log verified up to ${when(upTo)} (${count(events)}), checked ${when(checked)}.`
    : `Event log checked ${when(checked)}: no events yet.`;
  const newer = logged > events ? h('p', { class: 'hint' }, `${count(logged - events)} written since are checked next time.`) : null;
  return h('div', {}, h('p', { class: 'message info' }, verified), newer);
}

function chainPanel(state) {
  if (!state) return null;
  const panel = h('section', { class: 'panel wide-panel chain-panel', 'aria-live': 'polite' });
  const draw = (current, note = null) => {
    const button = h('button', { class: 'button secondary', type: 'button', onclick: () => check(current, button) }, 'Check the event log now');
    panel.replaceChildren(...[h('h3', {}, 'Event log'), chainMessage(current),
      note && h('p', { class: 'hint', role: 'status' }, note), h('p', {}, button)].filter(Boolean));
  };
  const check = async (current, button) => {
    button.disabled = true;
    button.textContent = 'Checking…';
    try {
      draw(await api.post('/api/events/verification'));
    } catch (error) {
      draw(current, error.status === 429 ? error.message : `The check did not run: ${error.message}`);
    }
  };
  draw(state);
  return panel;
}

// isCurrent(): false once the person has left this screen (nothing is drawn then).
export async function renderOverview(root, { isCurrent = () => true } = {}) {
  const [overview, trends, heatmap, due, chain] = await Promise.all([api.get('/api/overview'),
    // The audit panels are left out where the trends cannot be had (the rest still shows).
    api.get('/api/audits/trends?months=12').catch((error) => { console.error('audit trends not loaded', error); return null; }),
    // The same for the risk register's heat map.
    api.get('/api/risks/heatmap').catch((error) => { console.error('heat map not loaded', error); return null; }),
    reviewsDue().catch(() => null),
    api.get('/api/events/verification').catch((error) => { console.error('event log check not loaded', error); return null; })]);
  if (!isCurrent()) return;
  root.replaceChildren(h('section', { class: 'screen desk' },
    h('h2', {}, 'Overview'),
    // A broken chain comes first; an intact one is a line at the foot.
    chain?.broken ? chainPanel(chain) : null,
    h('div', { class: 'overview-grid' },
      h('section', { class: 'panel' }, h('h3', {}, 'Open reports'),
        h('p', {}, h('a', { class: 'button secondary', href: '#/desk' }, overview.open_total === 1 ? 'The open report in the queue' : `All ${overview.open_total} open reports in the queue`)),
        h('div', { class: 'row counts-row' },
          // A report without a band is one triage has not reached yet; the queue lists those first.
          countsTable('By risk', overview.open_by_risk_band,
            (r) => h('span', { class: `risk band-${r.risk_band || 'none'}` }, r.risk_band ? label('risk_bands', r.risk_band) : 'Not triaged yet'),
            (r) => (r.risk_band ? { risk_band: r.risk_band } : null)),
          countsTable('By status', overview.open_by_status,
            (r) => label('statuses', r.status), (r) => ({ status: r.status })))),
      h('section', { class: 'panel' }, h('h3', {}, `Overdue P1 and P2 (${overview.overdue.total})`),
        overview.overdue.items.length
          ? h('ul', { class: 'overdue' }, overview.overdue.items.map((item) => h('li', {},
            h('span', { class: `priority ${item.priority}` }, item.priority), ' ',
            h('a', { href: `#/desk/report/${item.id}` }, item.description),
            h('div', { class: 'hint' }, `${item.site_name} · due ${when(item.due_at, item.site_time_zone)} · ${item.assignee_name || 'unassigned'}`))))
          : h('p', { class: 'message info' }, 'Nothing overdue.')),
      actionsPanel(overview)),
    heatMapPanel(heatmap, due),
    h('section', { class: 'panel wide-panel' }, h('h3', {}, 'Reports per week by category (last 12 weeks)'), weeklyChart(overview.weekly)),
    auditPanels(trends),
    chain?.broken ? null : chainPanel(chain)));
}
