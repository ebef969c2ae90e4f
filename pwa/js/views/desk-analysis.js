// The Ishikawa analysis of a report: request it, see the fishbone, edit causes and whys in place.
import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { entries, label } from '../lists.js';

async function load(report) {
  try {
    return await api.get(`/api/reports/${report.id}/analysis`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

function causeItem(cause, analysis, edit) {
  const text = h('input', { value: cause.text, 'aria-label': `Cause: ${cause.text}`, maxlength: 200 });
  const move = h('select', { 'aria-label': 'Move to category' }, entries('ishikawa_categories').map((c) =>
    h('option', { value: c.value, selected: c.value === cause.category }, c.label)));
  const isRoot = analysis.root_cause_id === cause.id;
  return h('li', { class: `cause ${isRoot ? 'root' : ''}`, dataset: { id: cause.id } },
    text,
    cause.count > 1 ? h('span', { class: 'badge count', title: 'Reports showing this cause' }, `×${cause.count}`) : null,
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'button small-dark', onclick: () => edit([{ op: 'edit_cause', id: cause.id, text: text.value }]) }, 'Save'),
      move, h('button', { type: 'button', class: 'button small-dark', onclick: () => edit([{ op: 'move_cause', id: cause.id, category: move.value }]) }, 'Move'),
      h('button', { type: 'button', class: 'button small-dark', onclick: () => edit([{ op: 'set_root_cause', id: isRoot ? null : cause.id }]) }, isRoot ? 'Unmark root cause' : 'Mark root cause'),
      h('button', { type: 'button', class: 'button small-dark danger', onclick: () => edit([{ op: 'remove_cause', id: cause.id }]) }, 'Remove')));
}

function categoryBlock(category, analysis, edit) {
  const name = label('ishikawa_categories', category.name);
  const add = h('input', { placeholder: `Add a cause under ${name}`, 'aria-label': `New cause under ${name}`, maxlength: 200 });
  return h('div', { class: 'bone' }, h('h4', {}, name),
    h('ul', { class: 'causes' }, category.causes.map((cause) => causeItem(cause, analysis, edit))),
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); if (add.value.trim()) edit([{ op: 'add_cause', category: category.name, text: add.value.trim() }]); } },
      add, h('button', { class: 'button secondary', type: 'submit' }, 'Add')));
}

function whysBlock(analysis, edit) {
  const next = h('input', { placeholder: `Why ${analysis.whys.length + 1}?`, 'aria-label': 'Next why', maxlength: 300 });
  return h('div', { class: 'whys' }, h('h4', {}, '5 Whys'),
    h('ol', {}, analysis.whys.map((why, index) => {
      const input = h('input', { value: why, 'aria-label': `Why ${index + 1}` });
      return h('li', { class: 'row' }, input, h('button', { type: 'button', class: 'button small-dark', onclick: () => edit([{ op: 'edit_why', index, text: input.value }]) }, 'Save'));
    })),
    analysis.whys.length < 10 ? h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); if (next.value.trim()) edit([{ op: 'add_why', text: next.value.trim() }]); } },
      next, h('button', { class: 'button secondary', type: 'submit' }, 'Add why')) : null);
}

export async function renderAnalysis(root, report) {
  const analysis = await load(report);
  if (!root.isConnected) return; // the report's screen was left or drawn again meanwhile
  const base = `/api/reports/${report.id}/analysis`;
  const message = h('p', { class: 'message', role: 'alert' });
  const rerender = () => renderAnalysis(root, report);
  const request = () => api.post(base).then(rerender);
  const edit = async (operations) => {
    try {
      await api.patch(base, { version: analysis.version, operations });
      rerender();
    } catch (error) {
      message.className = 'message error';
      message.textContent = error.status === 409 ? 'Someone else changed this analysis; showing their version.' : error.message;
      if (error.status === 409) setTimeout(rerender, 1500);
    }
  };
  const title = h('h3', { id: 'analysis-title' }, 'Root-cause analysis (Ishikawa)');
  if (!analysis) {
    root.replaceChildren(title, h('p', {}, 'Gather causes from this report, its 5 Whys and related reports into a fishbone diagram.'),
      h('button', { class: 'button primary', type: 'button', onclick: request }, 'Request analysis'));
    return;
  }
  if (analysis.status !== 'ready') {
    root.replaceChildren(title, h('p', { class: 'message info', role: 'status' },
      analysis.status === 'failed' ? 'Building the analysis failed; it is retried automatically.' : 'The analysis is being built…'),
    h('button', { class: 'button secondary', type: 'button', onclick: request }, 'Ask again'));
    setTimeout(() => root.isConnected && rerender(), 1000);
    return;
  }
  const effect = h('input', { value: analysis.effect, 'aria-label': 'Effect (problem statement)', maxlength: 300 });
  root.replaceChildren(title,
    h('div', { class: 'row' }, effect, h('button', { type: 'button', class: 'button small-dark', onclick: () => edit([{ op: 'set_effect', text: effect.value }]) }, 'Save effect')),
    h('img', { class: 'fishbone', src: `${base}/diagram.svg?v=${analysis.version}`, alt: `Fishbone diagram: ${analysis.effect}` }),
    h('p', { class: 'row' }, h('a', { class: 'button secondary', href: `${base}/diagram.svg`, download: `fishbone-${report.id}.svg` }, 'Download SVG'),
      h('a', { class: 'button secondary', href: `${base}/diagram.png`, download: `fishbone-${report.id}.png` }, 'Download PNG'),
      h('span', { class: 'hint' }, `Version ${analysis.version}${analysis.updated_by ? ` · last edit by ${analysis.updated_by.name}` : ''}`)),
    message,
    h('div', { class: 'bones' }, analysis.categories.map((category) => categoryBlock(category, analysis, edit))),
    whysBlock(analysis, edit));
}
