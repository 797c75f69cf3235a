/* Spot me on every other page of a supporter (templates/spotting/_page_alarm.html, from base.html): a
   spotting alarm arrives over the every-page /ws/alerts/ socket (static/js/alerts.js hands it on as an
   "hrc:notice" event). It shows the server-made banner (rescue note, last answer, link to the session,
   overdose steps) at the top of the page, sounds (Web Audio, on this device) and vibrates every four seconds
   until the supporter opens the session. Alarms still open when the page was made are there already.
   Spotting-aware pages (#spot-watch) show alarms themselves: there this script stays out of the way. */
(function () {
  "use strict";
  var holder = document.getElementById("spot-page-alarm");
  if (!holder) return;
  if (document.getElementById("spot-watch")) { holder.remove(); return; }
  var main = document.querySelector("main");
  if (main) main.insertBefore(holder, main.firstChild);
  var ringing = {};

  function ring(id) {
    if (!ringing[id]) return;
    if (window.SpotSound) window.SpotSound.beep(3, false);
    setTimeout(function () { ring(id); }, 4000);
  }
  function start(banner) {
    var id = banner.getAttribute("data-spot-id");
    if (!/^\(!\) /.test(document.title)) document.title = "(!) " + document.title;
    if (!ringing[id]) { ringing[id] = true; ring(id); }
  }
  Array.prototype.forEach.call(holder.querySelectorAll(".spot-alarm"), start);

  document.addEventListener("hrc:notice", function (event) {
    var frame = event.detail || {};
    if (frame.type !== "spot_alarm" || typeof frame.html !== "string") return;
    var made = document.createElement("div");
    made.innerHTML = frame.html;  // made on the server from its own template, every value escaped there
    var banner = made.firstElementChild;
    if (!banner) return;
    var existing = holder.querySelector('[data-spot-id="' + Number(frame.id) + '"]');
    if (existing) existing.replaceWith(banner); else holder.insertBefore(banner, holder.firstChild);
    start(banner);
    window.scrollTo(0, 0);
  });
})();
