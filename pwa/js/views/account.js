// The links people open before they can sign in: an invitation (choose a password, then in),
// and a password reset (ask for a link by email; the link sets a new password, then in).
import { accounts, ApiError, Offline } from '../api.js';
import { h } from '../dom.js';

const RULES = 'At least 10 characters, and not a common password: a few unrelated words of your own work well.';
const OFFLINE = 'No connection. This needs the network: try again once you have a signal.';

// Draw the screen and move focus to its heading, so a screen reader starts there.
function show(root, ...children) {
  const section = h('section', { class: 'screen account-page' }, ...children);
  root.replaceChildren(section);
  section.querySelector('h2')?.focus();
}

const heading = (text) => h('h2', { tabindex: '-1' }, text);
const signInLink = () => h('a', { class: 'button secondary wide', href: '#/signin' }, 'Go to sign in');

// A password with its rules shown (a new one) or not (the one I have), a "show" switch and a
// place for the server's message.
function passwordField(existing = false) {
  const input = h('input', { id: 'new-password', type: 'password', name: 'password', autocomplete: existing ? 'current-password' : 'new-password',
    required: true, maxlength: 1024, 'aria-describedby': existing ? 'new-password-error' : 'password-rules new-password-error' });
  const error = h('p', { class: 'field-error', id: 'new-password-error', role: 'alert' });
  const reveal = h('input', { id: 'show-password', type: 'checkbox', onchange: () => { input.type = reveal.checked ? 'text' : 'password'; } });
  const element = h('div', { class: 'field stack password-field' },
    h('label', { for: 'new-password' }, existing ? 'Your password' : 'New password'),
    existing ? null : h('p', { class: 'hint', id: 'password-rules' }, RULES),
    input, error,
    h('label', { class: 'choice show-password' }, reveal, 'Show the password'));
  const fail = (text) => { error.textContent = text; input.setAttribute('aria-invalid', 'true'); input.focus(); };
  const clear = () => { error.textContent = ''; input.removeAttribute('aria-invalid'); };
  input.addEventListener('input', clear);
  return { element, input, fail, clear, existing };
}

// The server's words for a refused password (on the field) or a refused link (the whole screen).
function passwordError(error) {
  if (!(error instanceof ApiError)) return null;
  const words = error.problem.errors?.password;
  return words ? [words].flat().join(' ') : null;
}

// A form that sets a password with a token; deadLink(error) draws the screen for a used/expired link.
function setPasswordForm({ token, send, button, onSignedIn, deadLink, hidden = null, existing = false }) {
  const password = passwordField(existing);
  const general = h('p', { class: 'message error', role: 'alert' });
  const submit = h('button', { class: 'button primary wide', type: 'submit' }, button);
  const form = h('form', { class: 'stack', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    general.textContent = '';
    if (!password.input.value) { password.fail('Type your password.'); return; }
    if (!existing && password.input.value.length < 10) { password.fail('Use at least 10 characters.'); return; }
    submit.disabled = true;
    try {
      await onSignedIn(await send(token, password.input.value));
    } catch (error) {
      const field = passwordError(error);
      if (field) password.fail(field);
      else if (error instanceof ApiError && (error.problem.errors?.token || [400, 404, 410].includes(error.status))) deadLink(error);
      else general.textContent = error instanceof Offline ? OFFLINE : error.message;
    } finally {
      submit.disabled = false;
    }
  } }, hidden, password.element, general, submit);
  return form;
}

// A link that cannot be used (used, expired, mistyped): the server's words and a way on.
function deadLinkScreen(root, title, error, ...ways) {
  const words = error instanceof ApiError ? error.message : 'This link is incomplete: open it again from the message you received.';
  show(root, heading(title), h('p', { class: 'message warn dead-link', role: 'alert' }, words), h('div', { class: 'stack' }, ...ways));
}

// #/invitation?token=: greet the person by name and organization, then a password to start.
export async function renderInvitation(root, { token, onSignedIn, isCurrent = () => true }) {
  const dead = (error) => deadLinkScreen(root, 'This invitation cannot be used', error,
    h('p', {}, 'Ask your Safeloop admin to send you a new invitation. If you have set your password already, sign in.'), signInLink());
  if (!token) { dead(null); return; }
  let invitation;
  try {
    invitation = await accounts.checkInvitation(token);
  } catch (error) {
    if (!isCurrent()) return;
    if (error instanceof Offline) show(root, heading('Your invitation'), h('p', { class: 'message warn', role: 'alert' }, OFFLINE));
    else dead(error);
    return;
  }
  if (!isCurrent()) return;
  const organization = invitation.organization?.name ?? invitation.organization ?? '';
  // A username field (read only) lets a password manager keep the new password with the right email.
  const username = h('input', { id: 'invited-email', type: 'email', name: 'email', autocomplete: 'username', value: invitation.email, readonly: true });
  // Someone with an account already (another organization's) joins with the password they have.
  const existing = Boolean(invitation.existing_account);
  show(root, heading(`Welcome, ${invitation.name}`),
    h('p', { class: 'lead' }, `You are invited to join ${organization} on Safeloop. `,
      existing ? 'You have a Safeloop account already: type its password to join.' : 'Choose a password to start.'),
    setPasswordForm({ token, send: accounts.acceptInvitation, button: existing ? 'Join' : 'Set my password and start', onSignedIn, deadLink: dead, existing,
      hidden: h('div', { class: 'field stack' }, h('label', { for: 'invited-email' }, 'Your email (you sign in with it)'), username) }));
}

// #/password-reset?token=: a new password; without a token, the form that asks for a link.
export async function renderPasswordReset(root, { token, onSignedIn, isCurrent = () => true }) {
  if (!isCurrent()) return;
  if (!token) { askForLink(root); return; }
  const dead = (error) => deadLinkScreen(root, 'This reset link cannot be used', error,
    h('a', { class: 'button primary wide', href: '#/password-reset' }, 'Ask for a new link'), signInLink());
  show(root, heading('Choose a new password'),
    h('p', { class: 'lead' }, 'Your other sessions end when it is set: sign in again on your other devices.'),
    setPasswordForm({ token, send: accounts.completeReset, button: 'Set my new password', onSignedIn, deadLink: dead }));
}

// "Forgot your password?": an email, then the answer as the server gives it.
function askForLink(root) {
  const email = h('input', { id: 'reset-email', type: 'email', name: 'email', autocomplete: 'username', inputmode: 'email', required: true, 'aria-describedby': 'reset-email-error' });
  const error = h('p', { class: 'field-error', id: 'reset-email-error', role: 'alert' });
  const answer = h('div', { class: 'reset-answer', role: 'status' });
  const submit = h('button', { class: 'button primary wide', type: 'submit' }, 'Send me a reset link');
  const form = h('form', { class: 'stack', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    error.textContent = '';
    answer.replaceChildren();
    const address = email.value.trim();
    if (!/^[^@\s]+@[^@\s]+$/.test(address)) { error.textContent = 'Type the email you sign in with.'; email.focus(); return; }
    submit.disabled = true;
    try {
      answer.replaceChildren(resetAnswer(address, await accounts.askReset(address)));
    } catch (failure) {
      const field = failure instanceof ApiError ? failure.problem.errors?.email : null;
      error.textContent = field ? [field].flat().join(' ') : failure instanceof Offline ? OFFLINE : failure.message;
      email.focus();
    } finally {
      submit.disabled = false;
    }
  } },
  h('div', { class: 'field stack' }, h('label', { for: 'reset-email' }, 'Email'), email, error), submit);
  show(root, heading('Forgot your password?'),
    h('p', { class: 'lead' }, 'Type the email you sign in with. If mail is set up here, a link to choose a new password is sent to it.'),
    form, answer, h('a', { class: 'link back-to-signin', href: '#/signin' }, 'Back to sign in'));
}

// Mailed (when the address has an account: the server does not say whether it has), or ask the admin.
function resetAnswer(address, body) {
  const mailed = body?.mail !== false;
  const words = body?.detail || body?.message || (mailed
    ? `If ${address} belongs to an account, a link is on its way. It works once, for a short time: open it on this device.`
    : 'Mail is not set up here, so no link can be sent. Ask your Safeloop admin for a reset link.');
  return h('p', { class: `message ${mailed ? 'info' : 'warn'} reset-sent`, dataset: { mail: String(mailed) } }, words);
}
