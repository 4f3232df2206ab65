/* Kebutuhan pelatihan: "select all on this page" and the count of ticked pegawai beside the
   enrol button. Without JavaScript the row checkboxes work alone (the header box stays hidden). */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("daftarkan");
    if (!form) { return; }
    var all = form.querySelector("[data-check-all]");
    var rows = Array.prototype.slice.call(form.querySelectorAll("[data-check-row]"));
    var count = form.querySelector("[data-check-count]");
    if (!rows.length) { return; }

    function update() {
      var ticked = rows.filter(function (box) { return box.checked; }).length;
      if (all) {
        all.checked = ticked === rows.length;
        all.indeterminate = ticked > 0 && ticked < rows.length;
      }
      if (count) {
        count.textContent = ticked ? ticked + " pegawai dicentang" : "Belum ada pegawai yang dicentang";
      }
    }

    if (all) {
      all.hidden = false;
      all.addEventListener("change", function () {
        rows.forEach(function (box) { box.checked = all.checked; });
        update();
      });
    }
    rows.forEach(function (box) { box.addEventListener("change", update); });
    update();
  });
})();
