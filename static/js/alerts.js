/* Drug alerts on every page: each one line, with a button that hides it on this device; and the read-only
   /ws/alerts/ socket that adds a new alert to the banner without a reload. Text goes in with textContent
   only, never as HTML.
   A hidden alert is remembered in localStorage as "<id>:<level>", so an alert raised to another level (or a
   new alert) shows again. Nothing about it leaves the device. */
(function () {
  "use strict";
  var banner = document.getElementById("alert-banner");
  if (!banner) { return; }
  var STORE = "hrc-alerts-hidden";
  // The words come from the page, in the reader's language (templates/safety/_alert_banner.html).
  function text(name, fallback) { return banner.getAttribute("data-text-" + name) || fallback; }

  function hiddenKeys() {
    try { return JSON.parse(window.localStorage.getItem(STORE) || "[]") || []; } catch (e) { return []; }
  }
  function keyOf(item) { return item.getAttribute("data-alert-id") + ":" + item.getAttribute("data-alert-severity"); }
  function hideForGood(item) {
    var keys = hiddenKeys().filter(function (key) { return key.split(":")[0] !== item.getAttribute("data-alert-id"); });
    keys.push(keyOf(item));
    try { window.localStorage.setItem(STORE, JSON.stringify(keys.slice(-200))); } catch (e) { /* no storage: hidden for this page only */ }
    var next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    var focusTarget = next && next.querySelector(".alert-banner__dismiss");
    if (focusTarget) { focusTarget.focus(); } else { (document.getElementById("main") || document.body).focus(); }
  }
  function addDismiss(item) {
    if (hiddenKeys().indexOf(keyOf(item)) !== -1) { item.remove(); return; }
    if (item.querySelector(".alert-banner__dismiss")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "alert-banner__dismiss";
    var substance = item.querySelector("strong");
    button.setAttribute("aria-label", text("hide", "Hide the {substance} alert on this device").replace("{substance}", substance ? substance.textContent : ""));
    button.textContent = "\u00d7";
    button.addEventListener("click", function () { hideForGood(item); });
    item.appendChild(button);
  }
  Array.prototype.forEach.call(banner.querySelectorAll(".alert-banner__item"), addDismiss);

  if (!("WebSocket" in window)) { return; }
  var LABELS = { danger: text("danger", "Danger"), warning: text("warning", "Warning"), info: text("info", "For your information") };
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
    item.setAttribute("data-alert-severity", severity);
    var label = document.createElement("span");
    label.className = "alert-banner__label";
    label.textContent = text("new", "New:") + " " + LABELS[severity] + ":";
    var substance = document.createElement("strong");
    substance.textContent = frame.substance;
    var region = document.createElement("span");
    region.className = "alert-banner__region";
    region.textContent = "(" + frame.region + ")";
    var link = document.createElement("a");
    link.className = "alert-banner__text";
    link.href = "/alerts/#alert-" + Number(frame.id);
    link.append(label, " ", substance, " ", region, ": " + frame.summary);
    item.appendChild(link);
    // Its evidence: the first drug-checking result it rests on (a path on this site only).
    var evidence = (frame.evidence || [])[0];
    if (typeof evidence === "string" && /^\/results\/[0-9]+\/$/.test(evidence)) {
      var proof = document.createElement("a");
      proof.href = evidence;
      proof.className = "alert-banner__evidence";
      proof.textContent = text("evidence", "Evidence");
      item.append(" · ", proof);
    }
    list().prepend(item);
    addDismiss(item);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + (banner.getAttribute("data-alerts-socket") || "/ws/alerts/"));
    socket.addEventListener("open", function () { delay = 1000; banner.setAttribute("data-socket", "open"); });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      if (frame && frame.type === "alert") { show(frame); }
      // A frame another app sent to every page of this person (commons.realtime.person_notice_on_commit):
      // handed to the page, for whichever script knows it (static/js/spotting-page-alarm.js).
      else if (frame && typeof frame.type === "string") {
        document.dispatchEvent(new CustomEvent("hrc:notice", { detail: frame }));
      }
    });
    socket.addEventListener("close", function () {
      banner.setAttribute("data-socket", "closed");
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60000);
    });
  }

  connect();
})();
