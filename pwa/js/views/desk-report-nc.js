// On a report's desk page: raise a nonconformity from the report (severity, title) and open it,
// or, once raised, the link to it.
import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { entries, label } from '../lists.js';

const TITLE_LIMIT = 200;

// The report's nonconformity, as its view names it (null when none was raised).
const raisedFrom = (report) => report.nonconformity ?? (report.nonconformity_id ? { id: report.nonconformity_id } : null);

function linkTo(nc) {
  const what = `${nc.severity ? `${label('nc_severities', nc.severity)} nonconformity` : 'Nonconformity'} raised`;
  return h('p', { class: 'nc-link' }, h('a', { class: 'button secondary big', href: `#/desk/nc/${nc.id}` },
    `${what}${nc.status ? `: ${label('nc_statuses', nc.status)}` : ''} →`));
}

function raiseForm(report) {
  const message = h('p', { class: 'message', role: 'alert' });
  const title = h('input', { id: 'nc-title', name: 'title', maxlength: TITLE_LIMIT, value: [...report.description].slice(0, TITLE_LIMIT).join('') });
  const clause = h('input', { id: 'nc-clause', name: 'clause', maxlength: 32, placeholder: 'e.g. 8.1.2' });
  const severity = (e, i) => h('label', { class: 'choice big-choice' },
    h('input', { type: 'radio', name: 'severity', value: e.value, checked: i === 0, required: true }), e.label);
  const form = h('form', { class: 'raise-nc', onsubmit: async (event) => {
    event.preventDefault();
    const body = { severity: new FormData(form).get('severity'), title: title.value.trim() || null, clause: clause.value.trim() || null };
    try {
      const nc = await api.post(`/api/reports/${report.id}/nonconformity`, body);
      location.hash = `#/desk/nc/${nc.id}`;
    } catch (error) {
      message.className = 'message error';
      message.textContent = error instanceof ApiError && error.problem.errors
        ? Object.entries(error.problem.errors).map(([f, m]) => `${f}: ${[].concat(m).join(' ')}`).join('; ') : error.message;
    }
  } },
  h('div', { class: 'row choices', role: 'radiogroup', 'aria-label': 'Severity' }, entries('nc_severities').map(severity)),
  h('label', { for: 'nc-title' }, 'Title'), title,
  h('label', { for: 'nc-clause' }, 'Clause of the standard (optional)'), clause, message,
  h('button', { class: 'button primary big raise', type: 'submit' }, 'Raise NC'));
  return form;
}

// The panel for the report's page.
export function ncPanel(report) {
  const nc = raisedFrom(report);
  return h('section', { class: 'panel wide-panel nc-panel', 'aria-labelledby': 'nc-panel-title' },
    h('h3', { id: 'nc-panel-title' }, 'Nonconformity'),
    nc ? linkTo(nc) : raiseForm(report));
}
