// The Django admin's search boxes (select2, for autocomplete_fields) name their combobox
// after the choice shown, so an empty one has no name at all (WCAG 2.2, 4.1.2). Name each
// after its field's label as well: "Organisation: Northumbria Healthcare".
(function () {
  "use strict";

  function nameComboboxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var box = select.parentElement && select.parentElement.querySelector(
        '.select2-selection[role="combobox"]'
      );
      if (!box || !select.id) {
        return;
      }
      if (!label) {
        // Made by an earlier pass (below): never make a second.
        label = document.getElementById(select.id + "-label");
      }
      if (!label && select.getAttribute("aria-label")) {
        // A row of a table (an inline) has no label of its own: its select carries the
        // name ("Organisation, row 2"), which select2 does not copy to its combobox.
        label = document.createElement("span");
        label.id = select.id + "-label";
        label.className = "visually-hidden";
        label.textContent = select.getAttribute("aria-label");
        select.parentElement.appendChild(label);
      }
      if (!label) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "-label";
      }
      var shown = box.getAttribute("aria-labelledby") || "";
      if (shown.split(" ").indexOf(label.id) === -1) {
        box.setAttribute("aria-labelledby", (label.id + " " + shown).trim());
      }
      // Inside it, the choice shown is a read-only text box of its own: name it too.
      var rendered = box.querySelector('[role="textbox"]');
      if (rendered && !rendered.getAttribute("aria-labelledby")) {
        rendered.setAttribute("aria-labelledby", label.id);
      }
    });
  }

  // select2 draws its boxes when jQuery is ready (later than this script runs, and not
  // always before the page's load event): name each box as soon as it appears, including
  // the one a row added to an inline gets.
  var pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      window.queueMicrotask(function () {
        pending = false;
        nameComboboxes();
      });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    nameComboboxes();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", nameComboboxes);
})();
