(function () {
  "use strict";
  var form = document.getElementById("filter");
  if (!form) {
    return;
  }
  var entries = Array.prototype.slice.call(document.querySelectorAll("[data-entry]"));
  var facts = Array.prototype.slice.call(document.querySelectorAll("[data-fact]"));
  var unlikely = document.querySelectorAll("[data-unlikely] [data-fact]").length;
  var current = -1;
  var levels = { likely: ["likely"], possible: ["likely", "possible"], unlikely: ["unlikely"] };
  function wanted() {
    return {
      event: form.elements.event.value,
      kind: form.elements.kind.value,
      level: form.elements.level.value,
      q: form.elements.q.value.trim().toLowerCase()
    };
  }
  function matches(entry, want) {
    if (want.event && entry.dataset.event !== want.event) {
      return false;
    }
    if (want.kind && entry.dataset.kind !== want.kind) {
      return false;
    }
    if (want.level && levels[want.level].indexOf(entry.dataset.level) < 0) {
      return false;
    }
    return !want.q || entry.textContent.toLowerCase().indexOf(want.q) >= 0;
  }
  function openAround(element) {
    // a collapsed event or group of unlikely facts opens to show what is asked for
    for (var node = element; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") {
        node.open = true;
      }
    }
  }
  function apply() {
    var want = wanted();
    var narrowed = Boolean(want.kind || want.level || want.q);
    var shown = 0;
    entries.forEach(function (entry) {
      var match = matches(entry, want);
      entry.hidden = !match;
      if (match) {
        shown += 1;
        if (narrowed) {
          openAround(entry);
        }
      }
    });
    document.querySelectorAll("section[data-event]").forEach(function (section) {
      var other = Boolean(want.event) && section.dataset.event !== want.event;
      section.hidden = other || (narrowed && !section.querySelector("[data-entry]:not([hidden])"));
      if (want.event && !other) {
        openAround(section.querySelector("details"));
      }
    });
    document.querySelectorAll("[data-group]").forEach(function (group) {
      group.hidden = narrowed && !group.querySelector("[data-entry]:not([hidden])");
    });
    var hidden = entries.length - shown;
    var status;
    if (want.event || narrowed) {
      status = "Showing " + shown + " of " + entries.length + " entries; " + hidden + " hidden by the filter";
    } else {
      status = entries.length + " entries; " + unlikely + (unlikely === 1 ? " unlikely disagreement" : " unlikely disagreements") + " collapsed";
    }
    form.elements.status.value = status + " · j / k: next / previous disputed fact";
    current = -1;
  }
  function steppable() {
    var want = wanted();
    return facts.filter(function (fact) {
      if (fact.closest("[hidden]")) {
        return false;
      }
      var group = fact.closest("[data-unlikely]");
      return !group || group.open || want.level === "unlikely";
    });
  }
  function step(by) {
    var list = steppable();
    if (!list.length) {
      return;
    }
    var at = list.indexOf(document.querySelector("[data-fact].current"));
    current = at < 0 ? (by > 0 ? 0 : list.length - 1) : (at + by + list.length) % list.length;
    facts.forEach(function (fact) { fact.classList.remove("current"); });
    var target = list[current];
    openAround(target);
    target.classList.add("current");
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  }
  function reveal() {
    // a link to an entry the filter hides shows everything again, so the click lands somewhere
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (!target) {
      return;
    }
    if (target.closest("[hidden]")) {
      form.reset();
      apply();
    }
    openAround(target);
    target.scrollIntoView();
  }
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.elements.next.addEventListener("click", function () { step(1); });
  form.elements.prev.addEventListener("click", function () { step(-1); });
  document.addEventListener("keydown", function (event) {
    var tag = event.target && event.target.tagName;
    if (event.altKey || event.ctrlKey || event.metaKey || tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") {
      return;
    }
    if (event.key === "j" || event.key === "n") {
      step(1);
    } else if (event.key === "k" || event.key === "p") {
      step(-1);
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (link) {
      // the target may sit in a collapsed event: open it before the browser scrolls there
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) {
        if (target.closest("[hidden]")) {
          form.reset();
          apply();
        }
        openAround(target);
      }
    }
  });
  window.addEventListener("hashchange", reveal);
  apply();
  reveal();
}());
