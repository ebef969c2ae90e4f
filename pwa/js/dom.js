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

// A report kind as a person reads it (the views take it from here, beside h).
export { kindLabel } from './lists.js';
