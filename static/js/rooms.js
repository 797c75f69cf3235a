/* Live rooms: the chat client of /ws/rooms/<slug>/ (protocol in CONTRACTS.md). No framework, no build step.
 *
 * Nothing lost, nothing twice: every message has an id; the log keeps one element per id, in id order.
 * After a dropped connection the client reconnects with ?after=<highest id seen> and the server replays
 * what it missed. A message the person sent but never saw echoed is resent with the same client_id;
 * the server stores a (room, author, client_id) only once and answers a resend with the stored message.
 * A message shows only once the server has stored it (its echo). A refused frame is never sent again;
 * one the server could not save just now (error with "retry": true) goes again after a second or two.
 */
(function () {
  "use strict";

  // The words, in the reader's language, from the page (rooms/templatetags/chat_texts.py); English if missing.
  var TEXTS = {};
  try { TEXTS = JSON.parse((document.getElementById("chat") || { getAttribute: function () { return "{}"; } }).getAttribute("data-texts") || "{}"); } catch (e) { TEXTS = {}; }
  function t(key, english, values) {
    var text = TEXTS[key] || english;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(String(values[name])); });
    return text;
  }

  var clockFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  var chat = document.getElementById("chat");
  if (!chat || !window.WebSocket) return;

  var log = document.getElementById("chat-log");
  var scroller = document.getElementById("chat-scroller") || log;  // the box that scrolls (role="log")
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var sendButton = document.getElementById("chat-send");
  var banner = document.getElementById("chat-banner");
  var errorBox = document.getElementById("chat-error");
  var online = document.getElementById("chat-online");
  var typingBox = document.getElementById("chat-typing");
  var announcer = document.getElementById("chat-announcer");
  var statusBadge = document.getElementById("room-status-badge");
  var me = chat.dataset.me;
  var hosting = chat.dataset.hosting === "1";
  var removeUrl = chat.dataset.removeUrl;
  var reportUrl = chat.dataset.reportUrl;
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  var socket = null;
  var lastId = 0;            // highest message id received: the ?after= of the next connection
  var byId = new Map();      // id -> <li>, so a message is shown once
  var outbox = [];           // [{client_id, body}] sent but not yet echoed, oldest first
  var attempt = 0;           // reconnect attempts since the last good connection
  var retryTimer = null;
  var stopped = false;       // true after a close that reconnecting cannot fix (4401, 4403, 4404)
  var muted = false;
  var status = chat.dataset.status;
  var typingTimer = null;
  var lastTypingSent = 0;
  var connectedOnce = false;
  var resendTimer = null;
  var MAX_TRIES = 5;         // connections a message is sent on before the client stops sending it
  var NOT_SENT = t("not_sent", "That message couldn't be sent, so it is back in the box. Please try again.");
  var UNSENDABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

  function randomId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function showBanner(text, kind) {
    banner.textContent = text;
    banner.className = "chat-banner" + (kind ? " chat-banner--" + kind : "");
    banner.hidden = !text;
  }

  function refreshBanner() {
    if (stopped) return;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (status === "closed") showBanner(t("closed", "This room is closed. You can read it, but not write."), "info");
    else if (status === "scheduled") showBanner(t("scheduled", "This room hasn't opened yet. You can read along until the host opens it."), "info");
    else if (muted) return;
    else showBanner("", "");
  }

  function setWritable() {
    // While disconnected people can keep writing: messages wait in the outbox and go on reconnect.
    var writable = status === "live" && !stopped;
    input.disabled = !writable;
    sendButton.disabled = !writable;
    var connected = socket && socket.readyState === WebSocket.OPEN;
    sendButton.textContent = outbox.length > 0 && connected ? t("sending", "Sending…") : t("send", "Send");
  }

  function announce(text) {
    var p = document.createElement("p");
    p.textContent = text;
    announcer.appendChild(p);
    while (announcer.childNodes.length > 5) announcer.removeChild(announcer.firstChild);
  }

  function plainText(html) {
    var box = document.createElement("div");
    box.innerHTML = html; // sanitised on the server when it was stored
    return box.textContent.trim();
  }

  function renderMessage(frame) {
    var li = document.createElement("li");
    li.className = "chat-msg" + (frame.author === me ? " chat-msg--mine" : "");
    li.id = "m" + frame.id;
    li.dataset.id = frame.id;
    var head = document.createElement("p");
    head.className = "chat-msg__head";
    var who = document.createElement("strong");
    who.textContent = frame.author;
    var when = document.createElement("time");
    when.dateTime = frame.created;
    when.textContent = clockFormat.format(new Date(frame.created));
    head.appendChild(who);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(when);
    if (frame.pending) {
      var held = document.createElement("span");
      held.className = "badge chat-msg__pending";
      held.textContent = t("held", "waiting for a moderator");
      head.appendChild(document.createTextNode(" "));
      head.appendChild(held);
    }
    if (hosting) {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link-button chat-msg__remove";
      remove.textContent = t("remove", "Remove");
      remove.setAttribute("aria-label", t("remove_label", "Remove message by {name}", { name: frame.author }));
      remove.addEventListener("click", function () { removeMessage(frame.id); });
      head.appendChild(document.createTextNode(" "));
      head.appendChild(remove);
    }
    if (frame.author !== me && reportUrl) {
      var report = document.createElement("a");
      report.className = "report-link chat-msg__report";
      report.href = reportUrl + "?target=message:" + frame.id + "&next=" + encodeURIComponent(location.pathname);
      report.rel = "nofollow";
      report.textContent = t("report", "Report");
      report.setAttribute("aria-label", t("report_label", "Report message by {name}", { name: frame.author }));
      head.appendChild(document.createTextNode(" "));
      head.appendChild(report);
    }
    var body = document.createElement("div");
    body.className = "chat-msg__body prose";
    body.innerHTML = frame.body_html; // sanitised on the server when it was stored
    li.appendChild(head);
    li.appendChild(body);
    if (window.hrcOverdose && window.hrcOverdose.mentions(body.textContent)) {
      li.appendChild(window.hrcOverdose.card());
    }
    return li;
  }

  function addMessage(frame, live) {
    var existing = byId.get(frame.id);
    if (existing) {
      if (!frame.pending) { // approved since we saw it held
        var badge = existing.querySelector(".chat-msg__pending");
        if (badge) badge.remove();
      }
      var shown = existing.querySelector(".chat-msg__body");
      if (shown && shown.innerHTML !== frame.body_html) shown.innerHTML = frame.body_html; // redacted by a moderator
      return;
    }
    var li = renderMessage(frame);
    byId.set(frame.id, li);
    // Keep id order even if two processes' broadcasts cross on the way.
    var next = null;
    if (frame.id < lastId) {
      for (var child = log.lastElementChild; child; child = child.previousElementSibling) {
        if (Number(child.dataset.id) < frame.id) break;
        next = child;
      }
    }
    var stick = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    log.insertBefore(li, next);
    if (stick || frame.author === me) scroller.scrollTop = scroller.scrollHeight;
    lastId = Math.max(lastId, frame.id);
    if (frame.client_id) {
      var before = outbox.length;
      outbox = outbox.filter(function (item) { return item.client_id !== frame.client_id; });
      if (outbox.length !== before) {
        errorBox.textContent = "";
        // One of ours was accepted: whatever mute there was is over (a host unmuted us, or it ran out).
        if (muted) { muted = false; refreshBanner(); }
        flushOutbox();
      }
    }
    if (live && frame.author !== me) announce(t("says", "{name} says: {text}", { name: frame.author, text: plainText(frame.body_html) }));
  }

  function removeMessage(id) {
    if (!window.confirm(t("confirm_remove", "Remove this message for everyone?"))) return;
    fetch(removeUrl.replace(/\/0\/remove\/$/, "/" + id + "/remove/"), {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" },
    }).then(function (response) {
      if (!response.ok) errorBox.textContent = t("remove_failed", "Couldn't remove that message. Please reload and try again.");
    });
  }

  function markRemoved(id) {
    var li = byId.get(id);
    if (!li) return;
    li.classList.add("chat-msg--removed");
    li.querySelector(".chat-msg__body").textContent = t("removed_by_mod", "Message removed by a moderator.");
    var button = li.querySelector(".chat-msg__remove");
    if (button) button.remove();
  }

  function showTyping(author) {
    typingBox.textContent = t("typing", "{name} is typing…", { name: author });
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingBox.textContent = ""; }, 4000);
  }

  function showOnline(n) {
    online.textContent = n === 1 ? t("online_one", "{count} person online", { count: 1 }) : t("online_many", "{count} people online", { count: n });
  }

  function handleError(frame) {
    if (frame.retry && outbox.length) {
      // Nothing was stored (the server could not save it just now): the same message goes again shortly.
      errorBox.textContent = frame.detail;
      outbox[0].sentOn = null;
      clearTimeout(resendTimer);
      resendTimer = setTimeout(flushOutbox, 1000 + Math.random() * 1000);
      setWritable();
      return;
    }
    if (frame.code === "muted") {
      muted = true;
      showBanner(frame.detail, "warning");
    } else if (frame.code === "room_closed" || frame.code === "forbidden") {
      showBanner(frame.detail, "warning");
    }
    // The refused frame was our oldest unsent message: it is never sent again; its text goes back to the
    // box so nothing typed is lost.
    if (outbox.length && ["invalid", "too_long", "rate_limited", "muted", "room_closed", "forbidden"].indexOf(frame.code) >= 0) {
      giveBack(outbox.shift());
    }
    errorBox.textContent = frame.detail;
    setWritable();
  }

  function onFrame(event) {
    var frame;
    try { frame = JSON.parse(event.data); } catch (e) { return; }
    switch (frame.type) {
      case "hello":
        attempt = 0;
        connectedOnce = true;
        showOnline(frame.online);
        refreshBanner();
        setWritable();
        // Whatever is still unsent after the replay was never stored; the server ignores repeats.
        setTimeout(flushOutbox, 300);
        break;
      case "message": addMessage(frame, true); break;
      case "message_removed": markRemoved(frame.id); break;
      case "presence": showOnline(frame.online); break;
      case "typing": showTyping(frame.author); break;
      case "room_status":
        status = frame.status;
        chat.dataset.status = status;
        if (statusBadge) statusBadge.textContent = status === "live" ? t("live", "live now") : t(status + "_badge", status);
        refreshBanner();
        setWritable();
        break;
      case "alert": showAlert(frame); break;
      case "error": handleError(frame); break;
    }
  }

  function showAlert(frame) {
    var li = document.createElement("li");
    li.className = "chat-alert chat-alert--" + frame.severity;
    li.setAttribute("role", "alert");
    var strong = document.createElement("strong");
    strong.textContent = t("alert", "Drug alert:") + " " + frame.substance + (frame.region ? " (" + frame.region + ")" : "");
    li.appendChild(strong);
    li.appendChild(document.createTextNode(" " + frame.summary + " "));
    var link = document.createElement("a");
    link.href = "/alerts/";
    link.textContent = t("read_alert", "Read the alert");
    li.appendChild(link);
    log.appendChild(li);
    scroller.scrollTop = scroller.scrollHeight;
  }

  function giveBack(item) {
    if (!input.value) input.value = item.body;
  }

  function flushOutbox() {
    if (!socket || socket.readyState !== WebSocket.OPEN || !outbox.length) { setWritable(); return; }
    var item = outbox[0];
    if (!item.sentOn || item.sentOn !== socket) {
      if (item.tries >= MAX_TRIES) {
        // Sent on several connections and each ended before an answer: it is not sent again.
        outbox.shift();
        giveBack(item);
        errorBox.textContent = NOT_SENT;
        flushOutbox();
        return;
      }
      item.sentOn = socket;
      item.tries = (item.tries || 0) + 1;
      socket.send(JSON.stringify({ type: "message", body: item.body, client_id: item.client_id }));
    }
    setWritable();
  }

  function connect() {
    clearTimeout(retryTimer);
    if (stopped) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + location.host + chat.dataset.wsPath + (lastId ? "?after=" + lastId : "");
    var ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener("message", function (event) { if (socket === ws) onFrame(event); });
    ws.addEventListener("close", function (event) { if (socket === ws) onClose(event); });
  }

  function onClose(event) {
    socket = null;
    setWritable();
    if (event.code === 4401) { stopped = true; showBanner(t("session_ended", "Your session has ended. Please log in again to chat."), "danger"); return; }
    if (event.code === 4403) { stopped = true; showBanner(errorBox.textContent || t("cant_join", "You can't join this room right now."), "danger"); return; }
    if (event.code === 4404) { stopped = true; showBanner(t("gone", "This room no longer exists."), "danger"); return; }
    online.textContent = t("offline", "Offline");
    if (navigator.onLine === false) {
      showBanner(t("offline_banner", "You're offline. We'll reconnect and catch up as soon as you're back; anything you write now goes then."), "danger");
      return; // the "online" event reconnects
    }
    // Exponential backoff with jitter: 1, 2, 4 … 30 seconds.
    var delay = Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.75 + Math.random() * 0.5);
    attempt += 1;
    showBanner(t("reconnecting", "Disconnected. Reconnecting in {seconds} s… Nothing you missed will be lost.", { seconds: Math.round(delay / 1000) }), "danger");
    retryTimer = setTimeout(connect, delay);
  }

  window.addEventListener("offline", function () { if (socket) socket.close(); });
  window.addEventListener("online", function () { attempt = 0; if (!socket) connect(); });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = input.value;
    if (!body.trim()) { errorBox.textContent = t("empty", "Write something first."); return; }
    if (body.length > 2000) { errorBox.textContent = t("too_long", "Messages can be up to 2,000 characters."); return; }
    if (UNSENDABLE.test(body)) { errorBox.textContent = t("unsendable", "That message has a character that can't be sent (a NUL, or half of an emoji). Please remove it."); return; }
    errorBox.textContent = "";
    outbox.push({ client_id: randomId(), body: body });
    input.value = "";
    flushOutbox();
    input.focus();
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  input.addEventListener("input", function () {
    var now = Date.now();
    if (socket && socket.readyState === WebSocket.OPEN && now - lastTypingSent > 3000) {
      lastTypingSent = now;
      socket.send(JSON.stringify({ type: "typing" }));
    }
  });

  setWritable();
  connect();
})();
