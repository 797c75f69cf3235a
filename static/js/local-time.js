/* Times in the reader's own time zone (issue 17). The server prints every time in the zone it knows
   (the account's for a member, the `tz` cookie for a visitor: commons/zones.py), as "29 Nov 2026, 20:03".
   The first time it does not know this browser's zone, this script tells it once (a cookie for a visitor,
   and a POST to the account for a member) and redraws this page's times in the same format.
   No word lives here: month names and "5 minutes ago" come from the browser's Intl, in the page's language
   (<html lang>), which says them as the server does (commons/when.py); relative times are kept fresh each minute. */
(function () {
  "use strict";
  var root = document.documentElement;
  var lang = root.getAttribute("lang") || "en";

  var UNITS = [[365 * 86400, "year"], [30 * 86400, "month"], [7 * 86400, "week"], [86400, "day"], [3600, "hour"], [60, "minute"]];
  var relative = null;
  try { relative = new Intl.RelativeTimeFormat(lang, { numeric: "always" }); } catch (e) { /* an old browser: the server's words stay */ }
  function freshen() {
    if (!relative) { return; }
    var now = Date.now();
    document.querySelectorAll("time[data-when-ago]").forEach(function (el) {
      var seconds = Math.floor((now - new Date(el.getAttribute("datetime")).getTime()) / 1000);
      if (isNaN(seconds)) { return; }
      for (var i = 0; i < UNITS.length; i++) {
        if (seconds >= UNITS[i][0]) { el.textContent = relative.format(-Math.floor(seconds / UNITS[i][0]), UNITS[i][1]); return; }
      }
    });
  }
  window.setInterval(freshen, 60000);

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

  var parts, monthName;
  try {
    parts = new Intl.DateTimeFormat("en-GB", { timeZone: zone, year: "numeric", month: "numeric", day: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    // The month's short name in the page's language ("Sep" in English, as the server writes it, not en-GB's "Sept").
    monthName = new Intl.DateTimeFormat(lang === "en" ? "en-US" : lang, { timeZone: zone, month: "short" });
  } catch (e) { return; }
  function text(date) {
    var p = {};
    parts.formatToParts(date).forEach(function (part) { p[part.type] = part.value; });
    return Number(p.day) + " " + monthName.format(date) + " " + p.year + ", " + p.hour + ":" + p.minute;
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
