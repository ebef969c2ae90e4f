// "Site risks": the controls of the active register entries of my sites, read only; kept on this
// phone (the meta store), so the toolbox talk opens with no network. Also the pieces every risk
// screen shows the same way (band chips, ratings, controls by level), which the desk's views use.
import { api, Offline } from '../api.js';
import { getMeta, perUser, setMeta } from '../db.js';
import { h } from '../dom.js';
import { entries, entry, label } from '../lists.js';

const kept = (userId) => perUser('siteRisks', userId);

// A band as a chip: the word always beside the colour.
export function bandChip(band, prefix = '') {
  if (!band) return h('span', { class: 'risk band-none' }, '—');
  return h('span', { class: `risk band-${band}`, dataset: { band } }, `${prefix}${label('risk_bands', band)}`);
}

// "4 × 3 = 12": severity × likelihood = score.
export const scoreText = (rating) => (rating ? `${rating.severity} × ${rating.likelihood} = ${rating.score}` : '—');

// "Major × Possible": the ratings in words.
export const ratingWords = (rating) => (rating ? `${label('severities', rating.severity)} × ${label('likelihoods', rating.likelihood)}` : '');

// The hierarchy's levels that have controls, most effective first (the served list's order).
export function controlsByLevel(controls = []) {
  return entries('controls')
    .map((level) => ({ level, items: controls.filter((c) => c.control === level.value) }))
    .filter((group) => group.items.length);
}

// A level's first word (of a two-word label, the first), for narrow columns.
export const levelWord = (value) => label('controls', value).split(' ')[0];

// The controls of an entry grouped by level, each level named (weak ones marked by the stylesheet).
export function controlsList(controls = []) {
  const groups = controlsByLevel(controls);
  if (!groups.length) return h('p', { class: 'hint no-controls' }, 'No controls recorded.');
  return h('ol', { class: 'controls-by-level' }, groups.map(({ level, items }) => h('li', { class: `level level-${level.value}`, dataset: { level: level.value } },
    h('span', { class: `level-name control ${entry('controls', level.value)?.weak ? 'weak' : ''}` }, level.label),
    h('ul', { class: 'level-controls' }, items.map((c) => h('li', {}, c.text))))));
}

// An opportunity says so; a risk is the usual case and needs no word.
export const kindTag = (kind) => (kind === 'opportunity' ? h('span', { class: 'kind-tag' }, label('risk_kinds', kind)) : null);

// Risks first, the most dangerous first; then opportunities; the register's order among equals.
const isOpportunity = (risk) => Number(risk.kind === 'opportunity');
const byResidual = (a, b) => isOpportunity(a) - isOpportunity(b) || (b.residual?.score ?? 0) - (a.residual?.score ?? 0)
  || String(a.ref).localeCompare(String(b.ref), undefined, { numeric: true });

function card(risk) {
  return h('li', { class: `card site-risk band-edge-${risk.residual?.band ?? 'none'}`, dataset: { id: risk.id, ref: risk.ref } },
    h('div', { class: 'row spread' }, h('span', { class: 'ref' }, risk.ref), h('span', { class: 'row' }, kindTag(risk.kind), bandChip(risk.residual?.band))),
    h('p', { class: 'text title' }, risk.activity),
    h('p', { class: 'text hazard' }, h('b', {}, risk.kind === 'opportunity' ? 'Benefit: ' : 'Hazard: '), risk.hazard),
    h('p', { class: 'text who' }, h('b', {}, risk.kind === 'opportunity' ? 'For: ' : 'Who is at risk: '), risk.who),
    h('h4', {}, 'Controls in place'),
    controlsList(risk.controls));
}

function siteSection(site, risks) {
  return h('section', { class: 'site-risks-site', dataset: { site: site.id } },
    h('h3', {}, `${site.name} (${risks.length})`),
    risks.length ? h('ul', { class: 'cards' }, [...risks].sort(byResidual).map(card))
      : h('p', { class: 'hint' }, 'No register entries at this site yet.'));
}

const savedWhen = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function draw(root, held, note) {
  const sites = new Map((held.sites || []).map((s) => [s.id, s]));
  for (const risk of held.items) if (!sites.has(risk.site_id)) sites.set(risk.site_id, { id: risk.site_id, name: risk.site_name ?? `Site ${risk.site_id}` });
  const bySite = [...sites.values()].map((site) => [site, held.items.filter((r) => r.site_id === site.id)]);
  root.replaceChildren(h('section', { class: 'screen site-risks' },
    h('h2', {}, 'Site risks'),
    h('p', { class: 'hint' }, 'The hazards of the work at your sites and the controls in place, most effective first. Kept on this phone: it opens with no network.'),
    h('p', { class: `message ${note.kind}`, role: 'status' }, note.text),
    bySite.length > 1 ? h('nav', { class: 'row site-jump', 'aria-label': 'Sites' },
      bySite.map(([site]) => h('a', { class: 'button secondary', href: `#/site-risks?site=${site.id}`, onclick: (event) => {
        event.preventDefault();
        root.querySelector(`.site-risks-site[data-site="${site.id}"]`)?.scrollIntoView({ block: 'start' });
      } }, site.name))) : null,
    bySite.map(([site, risks]) => siteSection(site, risks))));
}

// isCurrent(): false once the person has left this screen (nothing is drawn then).
export async function renderSiteRisks(root, { me, isCurrent = () => true }) {
  const held = await getMeta(kept(me.user.id));
  if (!isCurrent()) return;
  if (held) draw(root, held, { kind: 'info', text: `Saved on this phone ${savedWhen(held.saved_at)}.` });
  else root.replaceChildren(h('section', { class: 'screen site-risks' }, h('h2', {}, 'Site risks'), h('p', { class: 'hint' }, 'Loading…')));
  let fresh;
  try {
    const [items, profile] = await Promise.all([api.get('/api/risks/controls'), api.me().catch(() => me)]);
    fresh = { items, sites: profile.sites ?? me.sites ?? [], saved_at: new Date().toISOString() };
    await setMeta(kept(me.user.id), fresh);
  } catch (error) {
    if (!isCurrent()) return;
    if (!(error instanceof Offline)) console.error('site risks not loaded', error);
    const text = error instanceof Offline ? 'No network: shown as saved on this phone' : 'The server could not give the latest: shown as saved on this phone';
    if (held) draw(root, held, { kind: 'warn', text: `${text} ${savedWhen(held.saved_at)}.` });
    else root.replaceChildren(h('section', { class: 'screen site-risks' }, h('h2', {}, 'Site risks'),
      h('p', { class: 'message warn', role: 'status' }, 'Not on this phone yet: open this page once with the network, and it is kept for when there is none.')));
    return;
  }
  if (isCurrent()) draw(root, fresh, { kind: 'info', text: `Up to date, saved on this phone ${savedWhen(fresh.saved_at)}.` });
}
