/* Live course search: htmx updates the results, counts and URL as the learner types or ticks a
   facet (see templates/public/course_search.html). This script only keeps the Filters panel
   open beside the results on a laptop, and puts focus somewhere sensible after "Apply filters"
   on a phone. Without it (or without JavaScript) the search form submits as a normal GET. */
(function () {
  "use strict";

  var wide = window.matchMedia("(min-width: 900px)");
  var applied = false;

  function filters() {
    return document.getElementById("filters");
  }

  // Beside the results (900 px and wider) the panel is always open; below, it opens on demand.
  function fitFilters() {
    var panel = filters();
    if (panel) {
      panel.open = wide.matches;
    }
  }

  // Where the focused control sat on screen before an update: swapping the results and the
  // facet panel shortens the page for a moment, and the browser would scroll away from it.
  var anchor = null;

  document.addEventListener("htmx:beforeSwap", function () {
    var focused = document.activeElement;
    anchor = focused && focused.id ? { id: focused.id, top: focused.getBoundingClientRect().top } : null;
  });

  function keepAnchorInPlace() {
    var control = anchor && document.getElementById(anchor.id);
    if (control) {
      window.scrollBy(0, control.getBoundingClientRect().top - anchor.top);
    }
    anchor = null;
  }

  document.addEventListener("submit", function (event) {
    applied = Boolean(event.submitter && event.submitter.closest(".facet-actions"));
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "results") {
      keepAnchorInPlace();
    }
  });

  // After "Apply filters" on a phone the panel closes and focus moves to the results, as a page
  // load would; a tick alone keeps focus on the checkbox (htmx restores it by its id).
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!applied || event.detail.target.id !== "results") {
      return;
    }
    applied = false;
    if (!wide.matches) {
      filters().open = false;
    }
    document.getElementById("results").focus();
  });

  // Back and Forward put the whole page back from the server: lay it out again.
  document.addEventListener("htmx:historyRestore", fitFilters);

  if (wide.addEventListener) {
    wide.addEventListener("change", fitFilters);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fitFilters);
  } else {
    fitFilters();
  }
})();
