// Keyboard shortcuts for studying. Every page works without this file; it only adds keys:
// 1-4 pick a choice or a grade, Enter submits and goes on, Space flips a flashcard.
(function () {
  "use strict";
  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
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
