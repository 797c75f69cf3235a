// The recovery code's Copy button. Its words come from the page (data-text-* on the button, translated there);
// the English fallback is only for a page that forgot them.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      function words(name, fallback) { return button.getAttribute("data-text-" + name) || fallback; }
      button.addEventListener("click", function () {
        var text = document.getElementById(button.getAttribute("data-copy-target")).textContent.trim();
        var status = document.getElementById("copy-status");
        if (!navigator.clipboard) { if (status) status.textContent = words("manual", "Select the code and copy it by hand."); return; }
        navigator.clipboard.writeText(text).then(function () {
          if (status) status.textContent = words("copied", "Copied.");
        }, function () {
          if (status) status.textContent = words("failed", "Couldn't copy; select the code and copy it by hand.");
        });
      });
    });
  });
})();
