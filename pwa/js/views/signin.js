// Sign-in screen. Unsent reports stay on the phone whatever happens here.
import { api, ApiError, Offline } from '../api.js';
import { h } from '../dom.js';

// The server's words name the real wait ("Try again in 4 minutes.").
function tooMany(error) {
  return error.problem.detail || 'Too many attempts. Wait a few minutes, then try again.';
}

export function renderSignIn(root, { reason, onSignedIn }) {
  const message = h('p', { class: 'message error', role: 'alert', hidden: true });
  const email = h('input', { id: 'email', type: 'email', name: 'email', autocomplete: 'username', required: true, inputmode: 'email' });
  const password = h('input', { id: 'password', type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { class: 'button primary wide', type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'stack', onsubmit: async (event) => {
    event.preventDefault();
    submit.disabled = true;
    message.hidden = true;
    try {
      const me = await api.login(email.value.trim(), password.value);
      await onSignedIn(me);
    } catch (error) {
      message.hidden = false;
      message.textContent = error instanceof Offline
        ? 'No connection. Signing in needs the network once; your saved reports are safe.'
        : error instanceof ApiError && error.status === 429
          ? tooMany(error)
          : error instanceof ApiError && error.status !== 401 ? error.message : 'Wrong email or password.';
    } finally {
      submit.disabled = false;
    }
  } },
  h('label', { for: 'email' }, 'Email'), email,
  h('label', { for: 'password' }, 'Password'), password,
  message, submit,
  h('a', { class: 'link forgot-password', href: '#/password-reset' }, 'Forgot your password?'));
  root.replaceChildren(h('section', { class: 'screen' },
    h('h2', {}, 'Sign in'),
    reason ? h('p', { class: 'message warn', role: 'status' }, reason) : null,
    form));
  email.focus();
}
