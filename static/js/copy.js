(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = document.getElementById(button.getAttribute("data-copy-target")).textContent.trim();
        var status = document.getElementById("copy-status");
        if (!navigator.clipboard) { if (status) status.textContent = "Select the code and copy it by hand."; return; }
        navigator.clipboard.writeText(text).then(function () {
          if (status) status.textContent = "Copied.";
        }, function () {
          if (status) status.textContent = "Couldn't copy; select the code and copy it by hand.";
        });
      });
    });
  });
})();
