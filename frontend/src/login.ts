/** The sign-in page: Spring Security's form login, posted with the CSRF token, then back where the user was. */
import './style.css';
import { api, ApiError, safeNext } from './api';

const MESSAGES: Record<string, [string, string]> = {
  logout: ['You have signed out.', 'banner-info'],
  expired: ['Your session ended: sign in again.', 'banner-warn'],
  error: ['Wrong user name or password.', 'banner-error'],
};

export function setUpLogin(doc: Document = document, location: Location = window.location): void {
  const form = doc.getElementById('login-form') as HTMLFormElement;
  const error = doc.getElementById('login-error') as HTMLElement;
  const message = doc.getElementById('login-message') as HTMLElement;
  const submit = doc.getElementById('login-submit') as HTMLButtonElement;
  const params = new URLSearchParams(location.search);
  for (const [key, [text, cls]] of Object.entries(MESSAGES)) {
    if (params.has(key)) {
      message.textContent = text;
      message.className = `banner ${cls}`;
      message.hidden = false;
      break;
    }
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const username = (form.elements.namedItem('username') as HTMLInputElement).value.trim();
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    error.hidden = true;
    if (!username || !password) {
      error.textContent = 'Enter your user name and password.';
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await api.signIn(username, password);
      location.assign(safeNext(params.get('next')));
    } catch (err) {
      message.hidden = true;
      error.textContent = err instanceof ApiError ? err.detail : String(err);
      error.hidden = false;
      submit.disabled = false;
      submit.textContent = 'Sign in';
      (form.elements.namedItem('password') as HTMLInputElement).select();
    }
  });
}

if (document.getElementById('login-form')) setUpLogin();
