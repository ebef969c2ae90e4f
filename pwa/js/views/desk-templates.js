// Audit templates at the desk: the starters and the organization's own, their versions, and a
// copy to make one's own.
import { api } from '../api.js';
import { h } from '../dom.js';
import { label } from '../lists.js';
import { clearProblem, field, pageOf, showProblem } from './desk-audit-parts.js';

// The copy's name: the source's, marked as a copy (within the server's 200 characters).
const copyName = (template) => `${template.name} (own copy)`.slice(0, 200);

function copyForm(template) {
  const general = h('p', { class: 'message error', role: 'alert' });
  // One copy however often it is sent; a new name is another copy.
  let id = crypto.randomUUID();
  const name = h('input', { id: `copy-name-${template.id}`, name: 'name', value: copyName(template), maxlength: 200, required: true,
    oninput: () => { id = crypto.randomUUID(); } });
  const form = h('form', { class: 'copy-form', onsubmit: async (event) => {
    event.preventDefault();
    clearProblem(form, general);
    try {
      const copy = await api.post('/api/audit-templates', { id, copy_of: template.id, name: name.value.trim() });
      location.hash = `#/desk/template/${copy.id}`;
    } catch (error) {
      showProblem(form, general, error);
    }
  } },
  field('name', 'Name of the copy', name), general,
  h('button', { class: 'button primary', type: 'submit' }, 'Copy'));
  return h('details', { class: 'copy-box' }, h('summary', { class: 'button secondary' }, 'Copy…'), form);
}

function row(template) {
  const cell = (name, cls, ...content) => h('td', { class: cls, 'data-label': name }, ...content);
  return h('tr', { dataset: { id: template.id, starter: template.starter ?? '' } },
    cell('Template', 'what', h('a', { href: `#/desk/template/${template.id}` }, template.name),
      template.starter ? h('span', { class: 'flag starter' }, 'Starter') : null,
      template.archived ? h('span', { class: 'flag' }, 'Archived') : null),
    cell('Standard', 'nowrap', label('standards', template.standard)),
    cell('Version', 'nowrap num', `v${template.version}`, template.used ? h('div', { class: 'hint' }, 'used by an audit') : null),
    cell('Questions', 'nowrap num', String(template.question_count ?? '')),
    cell('', 'nowrap copy-cell', copyForm(template)));
}

// isCurrent(): false once the person has left this screen.
export async function renderTemplates(root, { isCurrent = () => true } = {}) {
  const templates = pageOf(await api.get('/api/audit-templates?include_archived=true')).items;
  if (!isCurrent()) return;
  const starters = templates.filter((t) => t.starter);
  const own = templates.filter((t) => !t.starter);
  const table = (items) => h('table', { class: 'queue template-list' },
    h('thead', {}, h('tr', {}, ['Template', 'Standard', 'Version', 'Questions', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map(row)));
  root.replaceChildren(h('section', { class: 'screen desk templates-page' },
    h('a', { class: 'button secondary', href: '#/desk/audits' }, '← Programme'),
    h('h2', {}, 'Audit templates'),
    h('section', { class: 'panel wide-panel' }, h('h3', {}, `Your organization’s templates (${own.length})`),
      own.length ? table(own) : h('p', { class: 'hint' }, 'None yet: copy a starter template below and make it your own.')),
    h('section', { class: 'panel wide-panel' }, h('h3', {}, `Starter templates (${starters.length})`),
      h('p', { class: 'hint' }, 'Clauses 4 to 10 of each standard, ready to use or to copy.'),
      table(starters))));
}
