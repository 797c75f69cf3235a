/* Live drug alerts: opens the read-only /ws/alerts/ socket on every page and adds a new alert
   to the banner without a reload. Text goes in with textContent only, never as HTML. */
(function () {
  "use strict";
  var banner = document.getElementById("alert-banner");
  if (!banner || !("WebSocket" in window)) { return; }
  var LABELS = { danger: "Danger", warning: "Warning", info: "For your information" };
  var delay = 1000;

  function list() {
    var ul = banner.querySelector(".alert-banner__list");
    if (!ul) {
      ul = document.createElement("ul");
      ul.className = "alert-banner__list";
      banner.appendChild(ul);
    }
    return ul;
  }

  function show(frame) {
    if (banner.querySelector('[data-alert-id="' + Number(frame.id) + '"]')) { return; }
    var severity = LABELS[frame.severity] ? frame.severity : "info";
    var item = document.createElement("li");
    item.className = "alert-banner__item alert-banner__item--" + severity + " alert-banner__item--new";
    item.setAttribute("data-alert-id", String(Number(frame.id)));
    var label = document.createElement("span");
    label.className = "alert-banner__label";
    label.textContent = "New " + LABELS[severity].toLowerCase() + ":";
    var substance = document.createElement("strong");
    substance.textContent = frame.substance;
    var region = document.createElement("span");
    region.className = "alert-banner__region";
    region.textContent = "(" + frame.region + ")";
    var link = document.createElement("a");
    link.href = "/alerts/#alert-" + Number(frame.id);
    link.textContent = "Details";
    item.append(label, " ", substance, " ", region, ": " + frame.summary + " ", link);
    // Its evidence: the first drug-checking result it rests on (a path on this site only).
    var evidence = (frame.evidence || [])[0];
    if (typeof evidence === "string" && /^\/results\/[0-9]+\/$/.test(evidence)) {
      var proof = document.createElement("a");
      proof.href = evidence;
      proof.className = "alert-banner__evidence";
      proof.textContent = "Evidence";
      item.append(" · ", proof);
    }
    list().prepend(item);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + (banner.getAttribute("data-alerts-socket") || "/ws/alerts/"));
    socket.addEventListener("open", function () { delay = 1000; banner.setAttribute("data-socket", "open"); });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      if (frame && frame.type === "alert") { show(frame); }
    });
    socket.addEventListener("close", function () {
      banner.setAttribute("data-socket", "closed");
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60000);
    });
  }

  connect();
})();
