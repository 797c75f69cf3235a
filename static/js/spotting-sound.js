/* Spot me: a beep made on the device itself (Web Audio, no sound file from anywhere) and a vibration.
   Browsers let a page make sound only after a tap on it: SpotSound.unlock() runs on the first tap or key. */
(function () {
  "use strict";
  var ctx = null;
  function context() {
    var AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return null;
    if (!ctx) { try { ctx = new AC(); } catch (e) { ctx = null; } }
    return ctx;
  }
  function unlock() { var c = context(); if (c && c.state === "suspended") c.resume(); }
  ["pointerdown", "keydown", "touchstart"].forEach(function (name) { document.addEventListener(name, unlock, { passive: true }); });
  function beep(times, high) {
    var c = context();
    if (c) {
      if (c.state === "suspended") c.resume();
      for (var i = 0; i < times; i++) {
        var osc = c.createOscillator(), gain = c.createGain(), start = c.currentTime + i * 0.35;
        osc.type = "square";
        osc.frequency.value = high ? 1320 : 880;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.4, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
        osc.connect(gain).connect(c.destination);
        osc.start(start);
        osc.stop(start + 0.3);
      }
    }
    if (navigator.vibrate) navigator.vibrate([300, 150, 300, 150, 300]);
  }
  window.SpotSound = {
    beep: beep,
    blocked: function () { var c = context(); return !c || c.state !== "running"; },
    unlock: unlock
  };
})();
