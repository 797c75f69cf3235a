/* Supporters' board: live over /ws/supporters/. Every change on the server sends a fresh `board`
 * snapshot, so the page never drifts; claims go over the socket and the database decides who wins.
 * Without JavaScript the same page works with plain forms and reloads.
 */
(function () {
  "use strict";

  var board = document.getElementById("board");
  if (!board || !window.WebSocket) return;

  var banner = document.getElementById("board-banner");
  var pushes = document.getElementById("board-pushes");
  var lists = {
    waiting: document.getElementById("list-waiting"),
    active: document.getElementById("list-active"),
    resolved: document.getElementById("list-resolved"),
  };
  // The words, in the reader's language, from the page (helpnow/templatetags/board_texts.py); English if missing.
  var TEXTS = {};
  try { TEXTS = JSON.parse(board.getAttribute("data-texts") || "{}"); } catch (e) { TEXTS = {}; }
  function t(key, english, values) {
    var text = TEXTS[key] || english;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(String(values[name])); });
    return text;
  }
  var empty = {
    waiting: t("empty_waiting", "Nobody is waiting right now."),
    active: t("empty_active", "No open conversations."),
    resolved: t("empty_resolved", "Nothing yet."),
  };
  var waitingCount = document.getElementById("waiting-count");
  var dutyCounts = document.getElementById("duty-counts");
  var escalateAfter = Number(board.dataset.escalateAfter) || 300;
  var socket = null;
  var attempt = 0;
  var stopped = false;
  var started = {}; // request id -> ms timestamp the wait started (for the live timers)

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showBanner(text, kind) {
    banner.textContent = text;
    banner.className = "chat-banner" + (kind ? " chat-banner--" + kind : "");
    banner.hidden = !text;
  }

  function waitedText(seconds) {
    if (seconds < 60) return t("seconds", "{s} s", { s: seconds });
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return t("minutes", "{m} min {s} s", { m: minutes, s: seconds % 60 });
    return t("hours", "{h} h {m} min", { h: Math.floor(minutes / 60), m: minutes % 60 });
  }

  function actionButton(label, action, id, primary) {
    var button = el("button", "button" + (primary ? " button--primary" : ""), label);
    button.type = "button";
    button.dataset.action = action;
    button.dataset.id = id;
    return button;
  }

  function renderItem(r) {
    var li = el("li", "card helpnow-item helpnow-item--" + r.status + (r.overdue ? " helpnow-item--overdue" : "") + (r.may_be_in_danger ? " helpnow-item--danger" : ""));
    li.id = "req-" + r.id;
    li.dataset.id = r.id;
    var head = el("p", "helpnow-item__head");
    head.appendChild(el("strong", "", t("request", "Request #{id}", { id: r.id })));
    if (r.status === "waiting") {
      head.appendChild(document.createTextNode(" "));
      var waited = el("span", "helpnow-waited", t("waiting", "waiting") + " ");
      var time = el("span", "helpnow-waited__time", waitedText(r.waited));
      time.dataset.id = r.id;
      waited.appendChild(time);
      head.appendChild(waited);
      started[r.id] = Date.now() - r.waited * 1000;
      var overdue = el("span", "badge helpnow-badge--overdue", t("overdue", "waiting too long"));
      overdue.hidden = !r.overdue;
      head.appendChild(document.createTextNode(" "));
      head.appendChild(overdue);
    }
    if (r.may_be_in_danger) {
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("span", "badge helpnow-badge--danger", t("danger", "danger: {label}", { label: r.danger_label })));
    }
    if (r.status === "claimed") {
      head.appendChild(document.createTextNode(" "));
      var taker = r.claimed_by || t("former", "a former member");
      head.appendChild(el("span", "muted", r.backup_by ? t("taken_with", "taken by {name} with {backup}", { name: taker, backup: r.backup_by })
        : t("taken", "taken by {name}", { name: taker })));
    }
    if (r.backup_wanted) {
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("span", "badge helpnow-badge--backup", t("backup_wanted", "backup wanted")));
    }
    li.appendChild(head);
    if (r.answers_note) li.appendChild(el("p", "helpnow-item__answer muted", r.answers_note));
    if (r.happening) {
      var p = el("p", "helpnow-item__answer");
      p.appendChild(el("span", "muted", t("happening", "Happening:") + " "));
      p.appendChild(document.createTextNode(r.happening));
      li.appendChild(p);
    }
    if (r.would_help) {
      var q = el("p", "helpnow-item__answer");
      q.appendChild(el("span", "muted", t("would_help", "Would help:") + " "));
      q.appendChild(document.createTextNode(r.would_help));
      li.appendChild(q);
    }
    if (r.status === "resolved") {
      var done = el("p", "helpnow-item__answer");
      done.appendChild(el("span", "muted", t("ended", "Ended by {who}.", { who: r.ended_by }) + " "));
      if (r.note) { done.appendChild(el("strong", "", t("note", "Note:") + " ")); done.appendChild(document.createTextNode(r.note + " ")); }
      if (r.helped !== null && r.helped !== undefined) done.appendChild(el("span", "muted", r.helped ? t("helped", "Person said: it helped.") : t("not_helped", "Person said: it didn't help.")));
      li.appendChild(done);
    }
    var actions = el("div", "actions");
    if (r.status === "waiting") actions.appendChild(actionButton(t("claim", "Claim"), "claim", r.id, true));
    else if (r.backup_wanted && !r.mine) actions.appendChild(actionButton(t("join", "Join as backup"), "backup", r.id, false));
    if (r.mine && r.url) {
      var link = el("a", "button", r.person ? t("open_with", "Open conversation with {name}", { name: r.person }) : t("open", "Open conversation"));
      link.href = r.url;
      actions.appendChild(link);
    }
    li.appendChild(actions);
    return li;
  }

  function renderList(name, items) {
    var list = lists[name];
    var focusedId = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.id : null;
    var focusedAction = focusedId ? document.activeElement.dataset.action : null;
    list.textContent = "";
    if (!items.length) { list.appendChild(el("li", "muted helpnow-empty", empty[name])); return; }
    items.forEach(function (r) { list.appendChild(renderItem(r)); });
    if (focusedId && focusedAction) { // keep keyboard focus where it was across re-renders
      var again = list.querySelector('[data-action="' + focusedAction + '"][data-id="' + focusedId + '"]');
      if (again) again.focus();
    }
  }

  function onBoard(frame) {
    started = {};
    renderList("waiting", frame.waiting);
    renderList("active", frame.active);
    renderList("resolved", frame.resolved);
    escalateAfter = frame.escalate_after || escalateAfter;
    waitingCount.textContent = frame.waiting.length;
    var me = frame.me;
    dutyCounts.textContent = t("counts", "Open conversations: {open} of {max} · Resolved this shift: {resolved}",
      { open: me.open_claims, max: me.max_claims, resolved: me.resolved_in_shift });
  }

  function onPush(frame) {
    var note = el("p", "helpnow-push" + (frame.reason === "waiting" ? " helpnow-push--overdue" : ""), frame.text + " ");
    var link = el("a", "", t("show", "Show request #{id}", { id: frame.id }));
    link.href = "#req-" + frame.id;
    note.appendChild(link);
    pushes.insertBefore(note, pushes.firstChild);
    while (pushes.childNodes.length > 3) pushes.removeChild(pushes.lastChild);
    var item = document.getElementById("req-" + frame.id);
    if (item) item.classList.add("helpnow-item--pushed");
  }

  function onFrame(event) {
    var frame;
    try { frame = JSON.parse(event.data); } catch (e) { return; }
    switch (frame.type) {
      case "board": attempt = 0; showBanner("", ""); onBoard(frame); break;
      case "push": onPush(frame); break;
      case "claimed": case "joined": window.location.assign(frame.url); break;
      case "error": showBanner(frame.detail, frame.code === "taken" ? "info" : "danger"); break;
    }
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".helpnow-waited__time").forEach(function (time) {
      var since = started[time.dataset.id];
      if (since === undefined) return;
      var seconds = Math.max(0, Math.floor((now - since) / 1000));
      time.textContent = waitedText(seconds);
      if (seconds >= escalateAfter) {
        var item = time.closest(".helpnow-item");
        item.classList.add("helpnow-item--overdue");
        var badge = item.querySelector(".helpnow-badge--overdue");
        if (badge) badge.hidden = false;
      }
    });
  }

  board.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button || !socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: button.dataset.action, id: Number(button.dataset.id) }));
  });
  // The server-rendered forms (no JavaScript) become socket actions once the socket is open.
  board.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-action]");
    if (!form || !socket || socket.readyState !== WebSocket.OPEN) return;
    event.preventDefault();
    socket.send(JSON.stringify({ type: form.dataset.action, id: Number(form.dataset.id) }));
  });

  function connect() {
    if (stopped) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + board.dataset.wsPath);
    socket = ws;
    ws.addEventListener("message", function (event) { if (socket === ws) onFrame(event); });
    ws.addEventListener("close", function (event) {
      if (socket !== ws) return;
      socket = null;
      if (event.code === 4401 || event.code === 4403) {
        stopped = true;
        showBanner(event.code === 4401 ? t("session_ended", "Your session has ended. Please log in again.")
          : t("supporters_only", "The board is for supporters only."), "danger");
        return;
      }
      var delay = Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.75 + Math.random() * 0.5);
      attempt += 1;
      showBanner(t("reconnecting", "Disconnected. Reconnecting in {seconds} s…", { seconds: Math.round(delay / 1000) }), "danger");
      setTimeout(connect, delay);
    });
  }

  // Times from the server-rendered page, until the first snapshot arrives.
  document.querySelectorAll(".helpnow-waited__time").forEach(function (time) {
    var id = time.closest(".helpnow-item").dataset.id;
    time.dataset.id = id;
    started[id] = Date.now() - Number(time.dataset.seconds || 0) * 1000;
  });
  setInterval(tick, 1000);
  tick();
  connect();
})();
