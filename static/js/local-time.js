/* Times in the reader's own time zone (issue 17). The server prints every time in the zone it knows
   (the account's for a member, the `tz` cookie for a visitor: commons/zones.py), as "29 Nov 2026, 20:03".
   The first time it does not know this browser's zone, this script tells it once (a cookie for a visitor,
   and a POST to the account for a member) and redraws this page's times in the same format. */
(function () {
  "use strict";
  var root = document.documentElement;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || !/^[A-Za-z0-9_\/+-]{1,64}$/.test(zone) || zone === root.getAttribute("data-tz")) { return; }

  var secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax" + secure;
  var saveUrl = root.getAttribute("data-tz-save");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (saveUrl && token && window.fetch) {
    var body = new URLSearchParams({ time_zone: zone });
    window.fetch(saveUrl, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": token.value } })
      .catch(function () { /* told again on the next page */ });
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var parts;
  try {
    parts = new Intl.DateTimeFormat("en-GB", { timeZone: zone, year: "numeric", month: "numeric", day: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  } catch (e) { return; }
  function text(date) {
    var p = {};
    parts.formatToParts(date).forEach(function (part) { p[part.type] = part.value; });
    return Number(p.day) + " " + MONTHS[Number(p.month) - 1] + " " + p.year + ", " + p.hour + ":" + p.minute;
  }
  function redraw() {
    document.querySelectorAll("time[data-when]").forEach(function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (!isNaN(date)) { el.textContent = text(date); }
    });
    document.querySelectorAll("time[data-when-ago]").forEach(function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (!isNaN(date)) { el.title = text(date); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", redraw); } else { redraw(); }
})();
