// Starts the NHS.UK frontend components (header menu, error summary focus, buttons...).
import { initAll } from '../nhsuk/nhsuk-frontend.min.js';

initAll();

// After the password step-up for a download, the page the person came back to starts the
// download (session_security.step_up), and drops the spent one-time token from the address.
const pendingDownload = document.querySelector('a[data-portal-download]');
if (pendingDownload) {
  const address = new URL(window.location.href);
  address.searchParams.delete('download');
  window.history.replaceState(null, '', address);
  // After the page has loaded: a navigation started earlier would stop it loading.
  window.addEventListener('load', () => window.location.assign(pendingDownload.href));
}

// NHS.UK's file upload names its "Choose file" button from the field's label, a hidden
// comma and the button's own text, but puts that comma inside the button: the name then
// reads "File, No file chosen, Choose file" while the button shows "No file chosen Choose
// file", so a voice-control user saying what they see does not match its name (WCAG 2.2,
// 2.5.3 Label in Name). Moving the comma just before the button keeps the name as it is
// read out and makes the visible text part of it, for every file upload of the portal.
for (const button of document.querySelectorAll('.nhsuk-file-upload__drop-button[aria-labelledby]')) {
  for (const id of button.getAttribute('aria-labelledby').split(/\s+/)) {
    const part = document.getElementById(id);
    if (part && part !== button && button.contains(part)) {
      button.before(part);
    }
  }
}
