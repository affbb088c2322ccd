// Runs first in <body>: marks the page so NHS.UK frontend styles its JavaScript-enhanced
// components. An external file rather than inline script, so the Content Security
// Policy can forbid inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
