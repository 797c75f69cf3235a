// Marks what the page showed as read, once shown: a page (a GET) writes nothing, so the thread page and the
// notifications page carry a small form (data-mark-read) that this sends in the background. Without
// JavaScript the notifications page shows the same form as a button; a thread's reading position stays.
// The words shown once done come from the page (data-text-marked, translated there); none live here.
(function () {
  "use strict";
  document.querySelectorAll("form[data-mark-read]").forEach(function (form) {
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      keepalive: true
    }).then(function (response) {
      var marked = form.getAttribute("data-text-marked");
      if (response.ok && marked) {
        form.replaceWith(document.createTextNode(marked));
      }
    }).catch(function () { /* offline: it is marked next time */ });
  });
})();
