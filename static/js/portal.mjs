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
