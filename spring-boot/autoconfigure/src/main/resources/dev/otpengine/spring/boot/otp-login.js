// <otp-login>: sign in with a one-time code. One ES module, no dependencies. Served by otpengine's Spring Boot starter
// at {otpengine.web.path}/otp-login.js. Attributes: widget-id (required), api (the REST endpoints, default /otp),
// login (with Spring Security: the sign-in URL, such as /login/otp; the code then signs in there, JSON in and out,
// and the page never trusts a verify result of its own), recipient-type (tel | email, default tel), cooldown (the
// resend cooldown in seconds, default 30; a 429 from the server sets the real one).
// CSRF: the token is read from <meta name="_csrf" content> (header name from <meta name="_csrf_header">, default
// X-CSRF-TOKEN), else from the XSRF-TOKEN cookie (sent as X-XSRF-TOKEN, for Spring Security's csrf.spa()).
// Events: "otp-login:signed-in" (detail {redirectUrl}; the page then goes there unless the listener calls
// preventDefault()), "otp-login:verified" without login (detail {requestId}: proves nothing to the server; to learn
// of a right code, point login at an endpoint of yours that verifies it with the engine: see the README).
// Classes as the server-rendered page: otp-login__form, __label, __input, __button, __message, __hint.
const TEXTS = {
  tel: 'Phone number', email: 'Email address', send: 'Send code', code: 'Code', signIn: 'Sign in',
  resend: 'Send a new code', sent: 'We sent a code to {0}.', wait: 'You can ask for a new code in {0} s.',
  invalid: 'That code is not right. Tries left: {0}.', exceeded: 'Too many wrong codes. Ask for a new code.',
  expired: 'The code has expired. Ask for a new code.', gone: 'The code is no longer valid. Ask for a new code.',
  cooldown: 'Please wait {0} s before asking for a new code.', limited: 'Too many attempts. Try again in {0} s.',
  recipient: 'Enter a phone number with its country code, or an email address.',
  unavailable: 'Signing in with a code is not available right now.',
  down: 'The service cannot be reached right now. Try again in a moment.',
  error: 'Something went wrong. Please try again.', signedIn: 'Signed in.'
};

const fill = (text, value) => text.replace('{0}', value);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === true) e.setAttribute(k, '');
    else if (v !== false && v != null) e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

function mask(r) {
  const at = r.indexOf('@');
  if (at >= 0) return (at > 2 ? r[0] : '') + '\u2022\u2022\u2022' + r.slice(at);
  return r.length <= 6 ? '\u2022'.repeat(r.length) : r.slice(0, 3) + '\u2022'.repeat(r.length - 5) + r.slice(-2);
}

function csrf() {
  const meta = document.querySelector('meta[name="_csrf"]');
  if (meta) {
    const name = document.querySelector('meta[name="_csrf_header"]');
    return [name ? name.content : 'X-CSRF-TOKEN', meta.content];
  }
  const c = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
  return c ? ['X-XSRF-TOKEN', decodeURIComponent(c[1])] : null;
}

export class OtpLogin extends HTMLElement {
  constructor() {
    super();
    this.texts = { ...TEXTS };
  }

  connectedCallback() {
    if (!this.firstElementChild) this.showRecipient();
  }

  t(key, value) {
    return fill(this.texts[key] || TEXTS[key], value);
  }

  async post(url, body) {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const token = csrf();
    if (token) headers[token[0]] = token[1];
    try {
      const r = await fetch(url, { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body) });
      let json = {};
      try { json = await r.json(); } catch (e) { /* an empty or non-JSON body */ }
      return { status: r.status, json, retryAfter: +(r.headers.get('Retry-After') || json.retryAfter || 0) };
    } catch (e) {
      return { status: 0, json: {}, retryAfter: 0 };
    }
  }

  frame(...kids) {
    this.message = el('p', { class: 'otp-login__message', role: 'status', 'aria-live': 'polite' });
    this.replaceChildren(this.message, ...kids);
  }

  say(text) {
    this.message.textContent = text;
  }

  refusal(r) {
    const type = r.json.type;
    if (r.status === 429) return this.t(r.json.message && /resend/.test(r.json.message) ? 'cooldown' : 'limited', r.retryAfter);
    if (type === 'InvalidRequestException') return this.t('recipient');
    if (type === 'WidgetNotFoundException' || type === 'WidgetIsBlockedException') return this.t('unavailable');
    if (r.status === 503 || r.status === 0) return this.t('down');
    return this.t('error');
  }

  showRecipient() {
    const email = this.getAttribute('recipient-type') === 'email';
    const input = el('input', { id: 'otp-login-recipient', class: 'otp-login__input', name: 'recipient',
      type: email ? 'email' : 'tel', autocomplete: email ? 'email' : 'tel', required: true });
    const form = el('form', { class: 'otp-login__form' },
      el('label', { class: 'otp-login__label', for: 'otp-login-recipient' }, this.t(email ? 'email' : 'tel')), input,
      el('button', { class: 'otp-login__button', type: 'submit' }, this.t('send')));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.send(input.value.trim()); });
    this.frame(form);
    input.focus();
  }

  async send(recipient) {
    const api = this.getAttribute('api') || '/otp';
    const r = await this.post(api, { widgetId: this.getAttribute('widget-id'), recipient,
      locale: navigator.language });
    if (r.status === 201) {
      this.recipient = recipient;
      this.requestId = r.json.requestId;
      this.showCode(+(this.getAttribute('cooldown') || 30));
    } else if (this.requestId && r.status === 429) {
      this.showCode(r.retryAfter, this.refusal(r));
    } else {
      this.say(this.refusal(r));
    }
  }

  showCode(wait, message) {
    const alpha = this.getAttribute('alphanumeric') != null;
    const input = el('input', { id: 'otp-login-code', class: 'otp-login__input', name: 'code', type: 'text',
      autocomplete: 'one-time-code', inputmode: alpha ? 'text' : 'numeric', required: true });
    const form = el('form', { class: 'otp-login__form' },
      el('label', { class: 'otp-login__label', for: 'otp-login-code' }, this.t('code')), input,
      el('button', { class: 'otp-login__button', type: 'submit' }, this.t('signIn')));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.verify(input.value.trim()); });
    const resend = el('button', { class: 'otp-login__button otp-login__button--secondary', type: 'button',
      disabled: wait > 0 }, this.t('resend'));
    const hint = el('p', { class: 'otp-login__hint' }, wait > 0 ? this.t('wait', wait) : '');
    resend.addEventListener('click', () => this.send(this.recipient));
    clearInterval(this.timer);
    if (wait > 0) {
      this.timer = setInterval(() => {
        wait--;
        hint.textContent = wait > 0 ? this.t('wait', wait) : '';
        if (wait <= 0) { clearInterval(this.timer); resend.disabled = false; }
      }, 1000);
    }
    this.frame(el('p', { class: 'otp-login__hint' }, this.t('sent', mask(this.recipient))), form, resend, hint);
    if (message) this.say(message);
    input.focus();
    if ('OTPCredential' in window) {
      const abort = new AbortController();
      form.addEventListener('submit', () => abort.abort());
      navigator.credentials.get({ otp: { transport: ['sms'] }, signal: abort.signal })
        .then((otp) => { if (otp && otp.code) { input.value = otp.code; this.verify(otp.code); } }).catch(() => {});
    }
  }

  async verify(code) {
    const login = this.getAttribute('login');
    const api = this.getAttribute('api') || '/otp';
    const r = await this.post(login || api + '/verify', { requestId: this.requestId, code });
    const status = r.json.status;
    if (status === 'VERIFIED' && (r.status === 200)) {
      clearInterval(this.timer);
      this.say(this.t('signedIn'));
      if (login) {
        const go = this.dispatchEvent(new CustomEvent('otp-login:signed-in', { bubbles: true, cancelable: true,
          detail: { redirectUrl: r.json.redirectUrl } }));
        if (go && r.json.redirectUrl) location.assign(r.json.redirectUrl);
      } else {
        this.dispatchEvent(new CustomEvent('otp-login:verified', { bubbles: true,
          detail: { requestId: this.requestId } }));
      }
      return;
    }
    if (r.json.message && login) { this.say(r.json.message); return; }
    const texts = { INVALID_CODE: 'invalid', ATTEMPTS_EXCEEDED: 'exceeded', EXPIRED: 'expired', NOT_FOUND: 'gone' };
    this.say(texts[status] ? this.t(texts[status], r.json.attemptsLeft) : this.refusal(r));
  }
}

if (!customElements.get('otp-login')) customElements.define('otp-login', OtpLogin);
