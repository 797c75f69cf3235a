/* Overdose card for content that arrives live (room messages). The signal patterns come from the server
   (safety/overdose.py, via <template id="overdose-card-template">), so the page and the server agree.
   Use: if (window.hrcOverdose && hrcOverdose.mentions(text)) { element.after(hrcOverdose.card()); } */
(function () {
  "use strict";
  var template = document.getElementById("overdose-card-template");
  if (!template) { return; }
  var phrases = new RegExp(template.getAttribute("data-phrases"), "i");
  var capitalOD = new RegExp(template.getAttribute("data-capital-od"));
  window.hrcOverdose = {
    mentions: function (text) { return Boolean(text) && (phrases.test(text) || capitalOD.test(text)); },
    card: function () { return template.content.firstElementChild.cloneNode(true); },
  };
})();
