/*
 * After a refused form, the keyboard focus goes to the summary of its errors.
 *
 * The server renders every refused form with an error summary (role="alert", tabindex="-1",
 * a link to each field in error) at the top of the form. A page that has one opens with the
 * focus on it, so a keyboard or screen-reader user starts from the list of what to correct;
 * the links move on to each field. Pages without a summary are left as they are.
 * Without this script the summary is still read out (role="alert") and the links still work.
 */
(function () {
  "use strict";

  function focusSummary(root) {
    var summary = root.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  }

  focusSummary(document);

  // A form swapped in by htmx brings its own summary along.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.querySelector) {
      focusSummary(event.target);
    }
  });
})();
