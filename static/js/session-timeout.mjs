// The inactivity warning (session_security/). The server ends a session that has had no
// request for data-session-timeout-seconds (set on <body> for a signed-in person). Two
// minutes before that, the warning on the page appears with "Stay signed in", which sends
// a request to renew the session; when the time has run out the browser goes to the
// timed-out address, which sends it on to the sign-in page with a message.
//
// Tabs share the time of the last request through localStorage, so a person working in
// one tab is not warned in another.

const WARN_BEFORE_MS = 2 * 60 * 1000;
const TICK_MS = 1000;
const STORAGE_KEY = 'send-portal:last-request-at'; // also written by chair.mjs after a save

const body = document.body;
const timeoutMs = Number(body.dataset.sessionTimeoutSeconds) * 1000;
const timedOutUrl = body.dataset.sessionTimedOutUrl;
const warning = document.getElementById('session-timeout-warning');

function readShared() {
  try {
    return Number(window.localStorage.getItem(STORAGE_KEY)) || 0;
  } catch {
    return 0; // storage refused (private browsing): this tab alone decides
  }
}

function writeShared(time) {
  try {
    window.localStorage.setItem(STORAGE_KEY, String(time));
  } catch {
    // as above
  }
}

function timeLeftText(ms) {
  const minutes = Math.ceil(ms / 60000);
  if (ms < 60000) return 'less than a minute';
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

function start() {
  const countdown = warning.querySelector('[data-session-timeout-countdown]');
  const heading = warning.querySelector('[data-session-timeout-heading]');
  const form = warning.querySelector('form[data-session-keep-alive]');
  const button = form.querySelector('button');

  let lastRequestAt = Math.max(Date.now(), readShared());
  writeShared(lastRequestAt);
  let shownText = '';
  let timer = null;
  let focusBefore = null; // where the person was (a half-written form): back there after

  function signedOut() {
    window.clearInterval(timer);
    const here = window.location.pathname + window.location.search;
    window.location.assign(`${timedOutUrl}?next=${encodeURIComponent(here)}`);
  }

  function hide(restoreFocus = false) {
    warning.hidden = true;
    shownText = '';
    if (restoreFocus && focusBefore && document.contains(focusBefore)) focusBefore.focus();
    focusBefore = null;
  }

  function tick() {
    lastRequestAt = Math.max(lastRequestAt, readShared());
    const left = lastRequestAt + timeoutMs - Date.now();
    if (left <= 0) {
      signedOut();
      return;
    }
    if (left > WARN_BEFORE_MS) {
      if (!warning.hidden) hide();
      return;
    }
    const text = `You have not used the portal for a while and will be signed out in ${timeLeftText(left)}.`;
    if (text !== shownText) {
      countdown.textContent = text; // role="status": read out when it changes, once a minute
      shownText = text;
    }
    if (warning.hidden) {
      focusBefore = document.activeElement;
      warning.hidden = false;
      heading.focus();
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        body: new FormData(form), // carries the CSRF token rendered in the form
        credentials: 'same-origin',
        redirect: 'manual',
      });
      if (response.status !== 204) {
        signedOut(); // the session had already ended: the server sent us to sign in
        return;
      }
      lastRequestAt = Date.now();
      writeShared(lastRequestAt);
      hide(true);
    } catch {
      countdown.textContent = 'The portal could not be reached. Try again, or save your work.';
    } finally {
      button.disabled = false;
    }
  });

  timer = window.setInterval(tick, TICK_MS);
  tick();
}

if (warning && timeoutMs > 0 && timedOutUrl) {
  start();
}
