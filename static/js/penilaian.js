/* SKP page: the predikat a rating form will give, shown live while the atasan chooses.
   The matrix comes from the page (json_script "predikat-matrix", built from the one table in
   apps/penilaian/models.py); nothing here knows which cell gives which predikat. The server
   computes the same preview with "Pratinjau predikat", and decides on save. */
(function () {
  "use strict";

  function readMatrix() {
    var node = document.getElementById("predikat-matrix");
    if (!node) { return null; }
    try {
      return JSON.parse(node.textContent);
    } catch (err) {
      return null;
    }
  }

  function valueOf(select) {
    if (!select) { return ""; }
    return select.value || select.getAttribute("data-current") || "";
  }

  function initForm(form, matrix) {
    var hasil = form.querySelector("[data-rating=hasil]");
    var perilaku = form.querySelector("[data-rating=perilaku]");
    var output = form.querySelector("[data-predikat-output]");
    if (!hasil || !perilaku || !output) { return; }
    var empty = output.getAttribute("data-empty") || "—";

    function update() {
      var row = matrix[valueOf(hasil)];
      var cell = row ? row[valueOf(perilaku)] : null;
      output.className = cell ? "predikat predikat-" + cell.id : "predikat";
      output.textContent = cell ? cell.label : empty;
      output.setAttribute("data-predikat", cell ? String(cell.id) : "");
    }

    hasil.addEventListener("change", update);
    perilaku.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var matrix = readMatrix();
    if (!matrix) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-predikat-form]"), function (form) {
      initForm(form, matrix);
    });
  });
})();
