// On a report's and an NC's desk page: the register entry the record concerns ("Concerns risk:
// R-14 ..."), linked with one click from the suggestions (reports) or chosen from the site's
// entries; changed or unlinked.
import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { label } from '../lists.js';
import { bandChip } from './site-risks.js';

const PATHS = { report: 'reports', nonconformity: 'nonconformities' };

function problemText(error) {
  if (!(error instanceof ApiError)) return error.message;
  const fields = Object.entries(error.problem.errors || {}).map(([f, m]) => `${f.replaceAll('_', ' ')}: ${[].concat(m).join(' ')}`);
  return [error.message, ...fields].filter(Boolean).join(' · ');
}

const entryLine = (risk) => [h('a', { href: `#/desk/risk/${risk.id}` }, `${risk.ref} ${risk.activity}`), ' ', bandChip(risk.residual?.band, 'residual ')];

// The record's linked entry as its view names it (a whole entry, or its id and ref).
const linkedFrom = (record) => record.risk ?? (record.risk_id ? { id: record.risk_id, ref: record.risk_ref ?? '', activity: '' } : null);

// recordType: 'report', 'nonconformity' or 'finding'; record: its view (id, site); suggest: ask
// the server which entries a report most likely concerns; base: the record's path where it is not
// /api/<records>/<id> (an audit finding's); key: tells several panels on one page apart.
export function riskLinkPanel(recordType, record, { suggest = recordType === 'report', base: path, key = recordType } = {}) {
  const base = path ?? `/api/${PATHS[recordType]}/${record.id}`;
  const siteId = record.site?.id ?? record.site_id;
  const body = h('div', { class: 'risk-link-body' });
  const message = h('p', { class: 'message', role: 'alert' });
  const fail = (error) => { message.className = 'message error'; message.textContent = problemText(error); };
  const link = async (riskId) => {
    message.textContent = '';
    try {
      const answer = await api.put(`${base}/risk`, { risk_id: riskId });
      linked = riskId ? answer : null;
      draw(false);
    } catch (error) {
      fail(error);
    }
  };
  let linked = linkedFrom(record);

  async function siteChooser() {
    const place = h('div', { class: 'row risk-choose' }, h('p', { class: 'hint' }, 'Loading the site’s entries…'));
    const answer = await api.get(`/api/risks?${new URLSearchParams({ site_id: siteId, limit: 500 })}`).catch((error) => { fail(error); return { items: [] }; });
    const items = (Array.isArray(answer) ? answer : answer.items).filter((r) => r.id !== linked?.id);
    if (!items.length) {
      place.replaceChildren(h('p', { class: 'hint' }, 'No other entries at this site. ', h('a', { href: '#/desk/risks' }, 'Add one to the register'), '.'));
      return place;
    }
    const select = h('select', { id: `risk-for-${key}` }, h('option', { value: '' }, 'Choose an entry…'),
      items.map((r) => h('option', { value: r.id }, `${r.ref} ${r.activity} (${label('risk_bands', r.residual?.band)})`)));
    place.replaceChildren(h('div', { class: 'filter' }, h('label', { for: select.id }, `An entry of ${record.site?.name ?? 'the site'}’s register`), select),
      h('button', { class: 'button primary', type: 'button', onclick: () => (select.value ? link(select.value) : fail(new Error('Choose an entry first.'))) }, 'Link'));
    return place;
  }

  async function suggestions() {
    const found = await api.get(`${base}/risk-suggestions`).catch((error) => { console.error('suggestions not loaded', error); return null; });
    const shown = (found || []).filter((s) => s.risk.id !== linked?.id);
    if (!found) return h('p', { class: 'hint' }, 'No suggestions could be had just now.');
    if (!shown.length) return h('p', { class: 'hint' }, 'No entry of the site’s register looks like this report.');
    return h('ul', { class: 'suggestions', 'aria-label': 'Suggested entries' }, shown.map(({ risk, reason }) => h('li', { class: 'suggestion', dataset: { id: risk.id, ref: risk.ref } },
      h('span', { class: 'what' }, h('strong', {}, `${risk.ref} ${risk.activity}`), ' ', bandChip(risk.residual?.band, 'residual '),
        h('span', { class: 'hint' }, [risk.hazard, reason].filter(Boolean).join(' · '))),
      h('button', { class: 'button primary', type: 'button', 'aria-label': `Link to ${risk.ref}`, onclick: () => link(risk.id) }, `Link to ${risk.ref}`))));
  }

  async function choices() {
    const parts = [];
    if (suggest) parts.push(h('h4', {}, 'Suggested'), await suggestions());
    const other = h('div', {}, h('button', { class: 'button secondary', type: 'button', onclick: async () => other.replaceChildren(await siteChooser()) },
      suggest ? 'Choose another entry of the site' : 'Choose an entry of the site'));
    // An NC has no suggestions: the site's entries straight away.
    if (!suggest) other.replaceChildren(await siteChooser());
    return [...parts, other];
  }

  async function draw(changing) {
    if (linked && !changing) {
      const review = linked.review_due && linked.review_reason
        ? h('p', { class: 'message warn' }, `${linked.ref} is due for review: ${label('risk_review_reasons', linked.review_reason)}.`) : null;
      body.replaceChildren(...[h('p', { class: 'concerns' }, 'Concerns risk: ', ...entryLine(linked)), review,
        h('div', { class: 'row' },
          h('button', { class: 'button secondary', type: 'button', onclick: () => draw(true) }, 'Change'),
          h('button', { class: 'button secondary', type: 'button', onclick: () => link(null) }, 'Unlink'))].filter(Boolean));
      return;
    }
    body.replaceChildren(...[h('p', { class: 'hint' }, linked ? `Now: ${linked.ref} ${linked.activity}. Choose the entry it concerns instead:` : 'Which entry of the register does this concern?'),
      ...(await choices()),
      linked ? h('button', { class: 'button secondary', type: 'button', onclick: () => draw(false) }, 'Keep it as it is') : null].filter(Boolean));
  }
  // Where the record's view does not say, its link is asked for ({risk: null}: none).
  const known = 'risk' in record || 'risk_id' in record
    ? Promise.resolve(linked) : api.get(`${base}/risk`).then((answer) => answer?.risk ?? null);
  known.then((found) => { linked = found; return draw(false); }).catch(fail);
  if (recordType === 'finding') return h('div', { class: 'risk-link-inline', 'aria-label': 'Risk register' }, body, message);
  return h('section', { class: 'panel wide-panel risk-link-panel', 'aria-labelledby': `risk-link-${key}` },
    h('h3', { id: `risk-link-${key}` }, 'Risk register'), body, message);
}
