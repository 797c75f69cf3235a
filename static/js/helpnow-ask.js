/* "Get help now" form: answering "yes" or "not sure" to "Is anyone in danger right now?" shows the overdose steps at once. */
(function () {
  "use strict";
  var card = document.getElementById("danger-card");
  if (!card) return;
  function update() {
    var chosen = document.querySelector('input[name="danger"]:checked');
    card.hidden = !(chosen && (chosen.value === "yes" || chosen.value === "not_sure"));
  }
  document.querySelectorAll('input[name="danger"]').forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
