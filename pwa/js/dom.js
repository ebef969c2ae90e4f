// A tiny element builder: h('button', {class: 'big', onclick}, 'Text', child).
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

// Ask a yes/no question in a modal dialog; resolves true when the person confirms.
export function confirmDialog(title, text, yes, no = 'Cancel') {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' },
      h('h2', { id: 'dialog-title' }, title),
      h('p', {}, text),
      h('div', { class: 'row' },
        h('button', { class: 'button secondary', value: 'no', onclick: () => dialog.close('no') }, no),
        h('button', { class: 'button danger', value: 'yes', onclick: () => dialog.close('yes') }, yes)));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'yes'); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export const KINDS = [
  ['hazard', 'Hazard'],
  ['near_miss', 'Near miss'],
  ['environmental_incident', 'Environmental incident'],
  ['injury', 'Injury'],
  ['audit_evidence', 'Audit evidence'],
  ['good_practice', 'Good practice'],
];

export const kindLabel = (kind) => (KINDS.find(([k]) => k === kind) || [kind, kind])[1];

// The 5x5 matrix bands, as on the server: low 1-4, medium 5-9, high 10-16, critical 17-25.
export function riskBand(severity, likelihood) {
  if (!severity || !likelihood) return null;
  const score = severity * likelihood;
  if (score <= 4) return 'low';
  if (score <= 9) return 'medium';
  if (score <= 16) return 'high';
  return 'critical';
}
