// Chairing a meeting (meetings/templates/meetings/chair.html): nothing typed is lost.
//
// Each part of the page (attendance, a guest, each agenda item's minutes, an action) is
// its own form. Here a part is sent with fetch instead of reloading the page; the portal
// answers with JSON: { ok, message, parts: { elementId: html } }. Each part named is put
// in place of the one on the page. The part that was sent takes the server's copy (what
// was saved, or the answers with their errors); any other part that had unsaved changes
// keeps them, copied across field by field. The message is announced in the page's
// status region; on an error the part's error summary takes the focus, as on a reload.
//
// Without JavaScript (or if this fails to load) each form posts and the page reloads, as
// it always has. While any part has unsaved changes, leaving the page asks first.

const page = document.querySelector('[data-chair]');
const status = document.getElementById('chair-status');
const FORM = 'form[data-chair-form]';
// The inactivity warning (static/js/session-timeout.mjs) counts from the last request it
// knows of, shared between tabs under this key. A save sent from here is a request that
// renews the session: say so, or an hour of chairing by saves alone would be warned of
// and signed out although the session is alive.
const LAST_REQUEST_KEY = 'send-portal:last-request-at';

function noteRequest() {
  try {
    window.localStorage.setItem(LAST_REQUEST_KEY, String(Date.now()));
  } catch {
    // storage refused (private browsing): the warning's "Stay signed in" still works
  }
}

function fields(root) {
  return [...root.querySelectorAll('input, textarea, select')].filter(
    (field) => !['hidden', 'submit', 'button'].includes(field.type),
  );
}

function changed(field) {
  if (field.type === 'checkbox' || field.type === 'radio') {
    return field.checked !== field.defaultChecked;
  }
  if (field.tagName === 'SELECT') {
    return [...field.options].some((option) => option.selected !== option.defaultSelected);
  }
  return field.value !== field.defaultValue;
}

function unsaved(root) {
  return fields(root).some(changed);
}

function announce(message) {
  // Emptied first so that the same message twice is announced twice.
  status.textContent = '';
  window.setTimeout(() => {
    status.textContent = message;
  }, 50);
}

// Copy what was typed (and not saved) in an old part into its fresh copy.
function carryOver(from, to) {
  for (const field of fields(from).filter(changed)) {
    const name = CSS.escape(field.name);
    if (field.type === 'radio' || field.type === 'checkbox') {
      const twin = to.querySelector(`[name="${name}"][value="${CSS.escape(field.value)}"]`);
      if (twin) twin.checked = field.checked;
    } else {
      const twin = to.querySelector(`[name="${name}"]`);
      if (twin) twin.value = field.value;
    }
  }
}

function fragment(html) {
  const template = document.createElement('template');
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

function replaceParts(parts, sentPart, saved) {
  const placed = {};
  for (const [id, html] of Object.entries(parts)) {
    const old = document.getElementById(id);
    const fresh = fragment(html);
    if (!old || !fresh) continue;
    // A part that was saved takes the server's copy; every other part keeps its changes.
    if (old !== sentPart || !saved) carryOver(old, fresh);
    old.replaceWith(fresh);
    placed[id] = fresh;
  }
  return placed;
}

function showFailure(form, text) {
  // The request itself failed (no connection, signed out): the typed text stays where it is.
  let box = form.querySelector('.portal-chair-failure');
  if (!box) {
    box = document.createElement('div');
    box.className = 'nhsuk-error-summary portal-chair-failure';
    box.setAttribute('role', 'alert');
    box.tabIndex = -1;
    box.innerHTML =
      '<h2 class="nhsuk-error-summary__title">There is a problem</h2>' +
      '<div class="nhsuk-error-summary__body"><p></p></div>';
    form.prepend(box);
  }
  box.querySelector('p').textContent = text;
  box.focus();
  announce(text);
}

async function send(form, submitter) {
  const part = form.closest('[id^="chair-"]');
  const buttons = form.querySelectorAll('button[type="submit"]');
  buttons.forEach((button) => {
    button.disabled = true;
  });
  announce('Saving…');
  let answer;
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      body: new FormData(form, submitter),
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    const type = response.headers.get('Content-Type') || '';
    if (!response.ok || !type.startsWith('application/json')) throw new Error(String(response.status));
    answer = await response.json();
    noteRequest();
  } catch {
    buttons.forEach((button) => {
      button.disabled = false;
    });
    showFailure(
      form,
      'Not saved: the portal could not be reached, or you have been signed out. ' +
        'Your text is still here: copy it somewhere safe, then reload the page.',
    );
    return;
  }
  const placed = replaceParts(answer.parts, part, answer.ok);
  announce(answer.message);
  const fresh = part && placed[part.id];
  if (!fresh) return;
  const summary = fresh.querySelector('.nhsuk-error-summary');
  if (!answer.ok && summary) {
    summary.tabIndex = -1;
    summary.focus();
  } else {
    // Back where the person was: the same button in the fresh copy of the part.
    fresh.querySelector('button[type="submit"]')?.focus();
  }
}

if (page && status) {
  page.addEventListener('submit', (event) => {
    const form = event.target.closest(FORM);
    if (!form) return;
    event.preventDefault();
    send(form, event.submitter);
  });
  window.addEventListener('beforeunload', (event) => {
    if ([...page.querySelectorAll(FORM)].some(unsaved)) {
      event.preventDefault();
      event.returnValue = ''; // older browsers need a value to ask
    }
  });
}
