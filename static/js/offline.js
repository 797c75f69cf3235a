/* On the overdose and Good Samaritan pages: keep them for use without a connection (templates/safety/offline-sw.js). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) { return; }
  navigator.serviceWorker.register(script.getAttribute("data-worker"), { scope: "/help/" }).catch(function () {
    /* no offline copy: the pages still work online */
  });
})();
