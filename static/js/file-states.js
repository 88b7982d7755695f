// While any file of the page is pending or processing, ask the server every few seconds
// and update its state badge; reload once everything is settled to show the results.
(function () {
  "use strict";
  var script = document.getElementById("file-states-script");
  if (!script || !window.fetch) { return; }
  var busy = function () {
    return document.querySelectorAll(".state-pending, .state-processing").length > 0;
  };
  if (!busy()) { return; }
  var changed = false;
  var timer = setInterval(function () {
    fetch(script.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        body.files.forEach(function (file) {
          var badge = document.querySelector('[data-file-state="' + file.id + '"]');
          if (badge && !badge.classList.contains("state-" + file.state)) {
            badge.className = "badge state-" + file.state;
            badge.textContent = file.label;
            changed = true;
          }
        });
        if (!busy()) {
          clearInterval(timer);
          if (changed) { window.location.reload(); }
        }
      })
      .catch(function () { clearInterval(timer); });
  }, 3000);
})();
