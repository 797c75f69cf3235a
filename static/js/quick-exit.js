// Quick exit: leave at once for a neutral page. location.replace keeps this
// site out of the Back history. The button works, and Escape pressed twice
// within a second does the same.
(function () {
  "use strict";
  function leave() {
    var target = document.body.getAttribute("data-quick-exit-url") || "about:blank";
    document.title = "";
    document.body.textContent = "";
    window.location.replace(target);
  }
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 1000) { leave(); }
    lastEscape = now;
  });
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("quick-exit");
    if (button) button.addEventListener("click", leave);
  });
})();
