/* The private conversation page: keeps the status line live over /ws/help/<id>/ (a supporter joined,
 * backup joined, the conversation ended). When it ends, the page reloads to offer the rating.
 */
(function () {
  "use strict";

  var line = document.getElementById("help-status");
  var page = document.getElementById("help-request");
  if (!line || !page || !window.WebSocket) return;
  var shown = page.dataset.status;
  var attempt = 0;

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + line.dataset.wsPath);
    ws.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type !== "status") return;
      attempt = 0;
      line.textContent = frame.text;
      line.className = "helpnow-status helpnow-status--" + frame.status;
      if (frame.status !== shown && frame.status === "resolved") {
        shown = frame.status;
        ws.close();
        // Let the chat show the room closing, then show the ended page (rating, tools) from the server.
        setTimeout(function () { window.location.reload(); }, 2500);
        return;
      }
      shown = frame.status;
    });
    ws.addEventListener("close", function (event) {
      if (event.code === 4401 || event.code === 4403 || shown === "resolved") return;
      attempt += 1;
      setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, attempt)));
    });
  }
  connect();
})();
