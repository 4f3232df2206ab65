/* The import job page: polls the job's status while it runs, moves the progress bar, and
   reloads the page once the job has finished (the result or the error list is rendered by
   the server). Without JavaScript the page offers a reload link. */
(function () {
  "use strict";

  var box = document.querySelector("[data-import-status]");
  if (!box) { return; }
  var url = box.getAttribute("data-import-status");
  var bar = box.querySelector("[data-import-bar]");
  var label = box.querySelector("[data-import-label]");
  var text = box.querySelector("[data-import-text]");
  var number = new Intl.NumberFormat("id-ID");
  var delay = 1000;

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    label.textContent = data.status_label + "…";
    text.textContent = data.total
      ? number.format(data.processed) + " dari " + number.format(data.total) + " baris (" + data.percent + "%)"
      : "Membaca berkas…";
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
          return;
        }
        delay = 1000;
        setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        setTimeout(poll, delay);
      });
  }

  setTimeout(poll, 500);
})();
