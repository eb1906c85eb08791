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
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  apply();
}());
