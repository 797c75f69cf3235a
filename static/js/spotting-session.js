/* Spot me, one session's page (templates/spotting/session.html). The countdown is the server's
   (check_due, alarm_due from /ws/spot/<id>/); this page only shows it, asks, and sounds during the grace.
   A change of status reloads the page; "I'm OK" is posted without leaving it. */
(function () {
  "use strict";
  var page = document.getElementById("spot-session");
  var stateEl = document.getElementById("spot-state");
  if (!page || !stateEl) return;
  var state = JSON.parse(stateEl.textContent);
  var offset = Date.now() - Date.parse(state.now);  // server clock = Date.now() - offset
  var isMember = page.dataset.member === "1";
  var countdown = document.getElementById("spot-countdown");
  var ask = document.getElementById("spot-ask");
  var okForm = document.getElementById("spot-ok-form");
  var nobody = document.getElementById("spot-nobody");
  var lastBeep = 0;
  // The words come from the page, in the reader's language (data-text-* of #spot-session); English if missing.
  function text(name, fallback) { return page.getAttribute("data-text-" + name) || fallback; }
  function fill(words, time) { return words.replace("{time}", time); }
  var leaving = false;  // a form is being sent: its answer replaces the page, no reload in between
  document.addEventListener("submit", function (event) { if (!event.defaultPrevented) leaving = true; });

  function serverNow() { return Date.now() - offset; }
  function mmss(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function tick() {
    var now = serverNow();
    // The spotter's page rings while an alarm waits for their record (Web Audio, on this device only).
    if (!isMember && state.status === "alarm" && !state.recorded && !leaving && now - lastBeep > 4000 && window.SpotSound) {
      lastBeep = now;
      window.SpotSound.beep(3, false);
    }
    if (state.status === "waiting" && nobody && nobody.hidden &&
        now - Date.parse(state.created) >= state.claim_seconds * 1000) nobody.hidden = false;
    if (!isMember || state.status !== "active" || !state.check_due || !countdown) return;
    var due = Date.parse(state.check_due), alarm = Date.parse(state.alarm_due);
    if (now < due) {
      page.classList.remove("spot-session--asking");
      ask.textContent = text("spotted", "You're being spotted.");
      countdown.textContent = fill(text("next", "Next check-in in {time}."), mmss(due - now));
      return;
    }
    page.classList.add("spot-session--asking");
    ask.textContent = text("ask", "Are you OK? Press “I'm OK”.");
    countdown.textContent = now < alarm ? fill(text("alerted-in", "Your spotter is alerted in {time}."), mmss(alarm - now)) : text("alerting", "Your spotter is being alerted.");
    if (now < alarm && now - lastBeep > 2000 && window.SpotSound) {
      lastBeep = now;
      window.SpotSound.beep(3, true);
    }
  }

  if (okForm) {
    okForm.addEventListener("submit", function (event) {
      if (!window.fetch) return;
      event.preventDefault();
      fetch(okForm.action, { method: "POST", body: new FormData(okForm), credentials: "same-origin" })
        .then(function (answer) {
          if (!answer.ok) { okForm.submit(); return; }
          if (navigator.vibrate) navigator.vibrate(0);
          if (state.status !== "active") window.location.reload();
        })
        .catch(function () { okForm.submit(); });
    });
  }

  function apply(next) {
    if (next.status !== state.status || next.recorded !== state.recorded || next.reached_nobody !== state.reached_nobody) {
      if (!leaving) window.location.reload();
      return;
    }
    offset = Date.now() - Date.parse(next.now);
    state = next;
    tick();
  }

  var attempt = 0;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + page.dataset.wsPath);
    ws.onopen = function () { attempt = 0; };
    ws.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "session") apply(frame.state);
    };
    ws.onclose = function (event) {
      if (event.code === 4401 || event.code === 4403) return;
      attempt += 1;
      setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, attempt)));
    };
  }
  if (window.WebSocket) connect();
  tick();
  setInterval(tick, 500);
})();
