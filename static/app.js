// Keyboard shortcuts for studying. Every page works without this file; it only adds keys:
// 1-4 pick a choice or a grade, Enter submits and goes on, Space flips a flashcard.
(function () {
  "use strict";
  // A form that came back with errors: focus its summary (autofocus already does this in most
  // browsers; this covers those that ignore autofocus on a non-control).
  var summary = document.getElementById("error-summary");
  if (summary && document.activeElement !== summary) summary.focus();
  // A "Copy" button beside each join code and link (without JavaScript they are plain text
  // to select). The status line tells a screen reader what happened.
  document.querySelectorAll("[data-copy]").forEach(function (el) {
    if (!navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy " + el.getAttribute("data-copy"));
    var status = document.createElement("span");
    status.className = "help";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(el.getAttribute("data-copy")).then(
        function () { status.textContent = " Copied."; },
        function () { status.textContent = " Could not copy: select the text instead."; }
      );
    });
    el.after(button, status);
  });
  function typing(target) {
    // A focused <select> (a chronology's position) takes digits itself.
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
      target.tagName === "SELECT" || target.isContentEditable);
  }
  // Enter and Space already mean "activate" on a focused link, button or summary: a keyboard
  // user who tabbed to "Missed" or to a grade must get that, not the shortcut.
  function activates(target) {
    return target && target.closest && target.closest("a[href], button, summary, select") !== null;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var study = document.querySelector(".study");
    var next = document.getElementById("next");
    if (event.key === "Enter" && next && !typing(event.target) && !activates(event.target)) {
      event.preventDefault();
      window.location.href = next.getAttribute("href");
      return;
    }
    if (!study || typing(event.target)) return;
    var card = study.querySelector("details.flashcard");
    if (event.key === " " && card && !activates(event.target)) {
      event.preventDefault();
      card.open = !card.open;
      return;
    }
    if (/^[1-4]$/.test(event.key)) {
      // Grades are only reachable once the flashcard is flipped.
      if (card && !card.open) return;
      var button = study.querySelector('button[data-key="' + event.key + '"]');
      if (button) {
        event.preventDefault();
        button.click();
      }
    }
  });
})();

// A new account's time zone: the browser's, where the list has it. Without this script the
// select keeps the server's zone, and the learner can pick theirs by hand.
(function () {
  "use strict";
  var select = document.querySelector("select[data-browser-zone]");
  if (!select || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.value = zone;
      return;
    }
  }
})();
