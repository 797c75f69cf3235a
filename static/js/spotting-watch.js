/* Spot me, on every spotting-aware page of a supporter (templates/spotting/_watch.html): new requests and
   alarms arrive over /ws/spot/. An alarm shows a banner at the top of the page, sounds and vibrates until
   the supporter opens the session; the spotting board's list is redrawn from the "board" frame. */
(function () {
  "use strict";
  var watch = document.getElementById("spot-watch");
  if (!watch || !window.WebSocket) return;
  var board = document.getElementById("spot-board");
  var main = document.querySelector("main");
  if (main) main.insertBefore(watch, main.firstChild);  // alarms at the top of the page
  var ringing = {};

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken][value]:not([value=''])");
    return input ? input.value : "";
  }

  function showBoard(html) {
    if (!board) return;
    board.innerHTML = html;
    var token = csrf();
    board.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) { if (!input.value) input.value = token; });
  }

  function ring(id) {
    if (!ringing[id]) return;
    if (window.SpotSound) window.SpotSound.beep(3, false);
    setTimeout(function () { ring(id); }, 4000);
  }

  function showAlarm(frame) {
    var session = document.getElementById("spot-session");
    if (session && session.dataset.wsPath === "/ws/spot/" + frame.id + "/") return;  // its own page shows it (and rings)
    var existing = watch.querySelector('[data-spot-id="' + frame.id + '"]');
    var holder = document.createElement("div");
    holder.innerHTML = frame.html;
    var banner = holder.firstElementChild;
    if (existing) existing.replaceWith(banner); else watch.insertBefore(banner, watch.firstChild);
    if (!/^\(!\) /.test(document.title)) document.title = "(!) " + document.title;
    if (!ringing[frame.id]) { ringing[frame.id] = true; ring(frame.id); }
    window.scrollTo(0, 0);
  }

  function showPush(frame) {
    var note = document.createElement("p");
    note.className = "spot-push";
    note.textContent = frame.text + " ";
    var link = document.createElement("a");
    link.href = "/supporters/spot/";
    link.textContent = watch.getAttribute("data-text-board") || "Open the spotting board";  // the page's words (templates/spotting/_watch.html)
    note.appendChild(link);
    watch.appendChild(note);
    if (window.SpotSound) window.SpotSound.beep(1, false);
  }

  var attempt = 0;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + watch.dataset.wsPath);
    ws.onopen = function () { attempt = 0; };
    ws.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      watch.setAttribute("data-socket", "live");  // the first frame comes once the socket has joined its groups
      if (frame.type === "board") showBoard(frame.html);
      else if (frame.type === "alarm") showAlarm(frame);
      else if (frame.type === "push") showPush(frame);
    };
    ws.onclose = function (event) {
      watch.setAttribute("data-socket", "closed");
      if (event.code === 4401 || event.code === 4403) return;
      attempt += 1;
      setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, attempt)));
    };
  }
  connect();
})();
