(function () {
  "use strict";
  var form = document.getElementById("filter");
  if (!form) {
    return;
  }
  var entries = document.querySelectorAll("[data-entry]");
  var keys = ["event", "kind", "severity"];
  function apply() {
    var want = {};
    keys.forEach(function (key) { want[key] = form.elements[key].value; });
    var shown = 0;
    entries.forEach(function (entry) {
      var match = keys.every(function (key) { return !want[key] || entry.dataset[key] === want[key]; });
      entry.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    document.querySelectorAll("section[data-event]").forEach(function (section) {
      section.hidden = Boolean(want.event) && section.dataset.event !== want.event;
    });
    var narrowed = Boolean(want.kind || want.severity);
    document.querySelectorAll("[data-group]").forEach(function (group) {
      group.hidden = narrowed && !group.querySelector("[data-entry]:not([hidden])");
    });
    var all = want.event || narrowed ? "Showing " + shown + " of " + entries.length : entries.length;
    form.elements.status.value = all + " flags and quotes";
  }
  function reveal() {
    // a link to an entry the filter hides shows everything again, so the click lands somewhere
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.closest("[hidden]")) {
      form.reset();
      apply();
      target.scrollIntoView();
    }
  }
  form.hidden = false;
  form.addEventListener("change", apply);
  window.addEventListener("hashchange", reveal);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  apply();
}());
