// Quick exit: leave at once for a neutral page (QUICK_EXIT_URL). The header's Quick exit link and
// Escape pressed twice within a second both do it. location.replace puts the neutral page in place of
// this one in the tab's history, so Back does not return to the page that was left.
//
// Pages visited before it are still in the history; no site can delete them. So the tab remembers the
// exit (sessionStorage: this tab only, gone when it closes), and a page of this site reached again with
// Back or Forward (or restored from the back-forward cache) leaves at once too, before it is drawn.
// Opening the site afresh in the tab (a link, the address bar) clears the mark.
// This script is loaded without `defer` in <head> for that reason; it is small.
(function () {
  "use strict";
  var KEY = "quick-exit-left";

  function target() {
    var body = document.body;
    return (body && body.getAttribute("data-quick-exit-url")) ||
      (document.getElementById("quick-exit") || {}).href || "about:blank";
  }

  function hide() {
    document.title = "";
    document.documentElement.style.visibility = "hidden";
  }

  function leave(url) {
    try { window.sessionStorage.setItem(KEY, url); } catch (e) { /* private mode without storage: leave anyway */ }
    hide();
    if (document.body) document.body.textContent = "";
    window.location.replace(url);
  }

  function remembered() {
    try { return window.sessionStorage.getItem(KEY); } catch (e) { return null; }
  }

  function navigationType() {
    var entries = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    if (entries.length) return entries[0].type;
    return window.performance && performance.navigation && performance.navigation.type === 2 ? "back_forward" : "navigate";
  }

  // Reached again through the history after a quick exit: leave again, before anything is drawn.
  var left = remembered();
  if (left) {
    if (navigationType() === "back_forward") {
      hide();
      window.location.replace(left);
      return;
    }
    try { window.sessionStorage.removeItem(KEY); } catch (e) { /* nothing to clear */ }
  }
  window.addEventListener("pageshow", function (event) {
    var url = remembered();
    if (event.persisted && url) { hide(); window.location.replace(url); }
  });

  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 1000) { leave(target()); }
    lastEscape = now;
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#quick-exit");
    if (!link) return;
    event.preventDefault();
    leave(link.href);
  });
})();
