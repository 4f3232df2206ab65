/* Pelatihan pages: "Daftarkan pegawai" gets a search that adds a pegawai's NIP to the list.
   The page works without it (type or paste the NIPs); results are built as text nodes. */
(function () {
  "use strict";

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, wait);
    };
  }

  function nipsIn(textarea) {
    return textarea.value.split(/[\s,;]+/).filter(function (nip) { return nip; });
  }

  function initPicker(root) {
    var target = document.getElementById(root.getAttribute("data-target"));
    var input = root.querySelector("[data-nip-picker-input]");
    var list = root.querySelector("[data-nip-picker-list]");
    var status = root.querySelector("[data-nip-picker-status]");
    if (!target || !input || !list) { return; }
    var controller = null;
    root.hidden = false;

    function close() { list.hidden = true; }

    function add(item) {
      var nips = nipsIn(target);
      var name = item.nama_lengkap || item.nama;
      if (nips.indexOf(item.nip) >= 0) {
        status.textContent = name + " sudah ada di daftar.";
        return;
      }
      var text = target.value.replace(/\s+$/, "");
      target.value = (text ? text + "\n" : "") + item.nip + "\n";
      status.textContent = name + " ditambahkan (" + (nips.length + 1) + " NIP di daftar).";
      input.value = "";
      close();
      input.focus();
    }

    function render(results) {
      list.textContent = "";
      results.forEach(function (item) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.tabIndex = 0;
        var name = document.createElement("span");
        name.className = "chooser-name";
        name.textContent = item.nama_lengkap || item.nama;
        var meta = document.createElement("span");
        meta.className = "chooser-meta";
        meta.textContent = [item.nip, item.unit_kerja && item.unit_kerja.nama].filter(Boolean).join(" · ");
        li.appendChild(name);
        li.appendChild(meta);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { add(item); });
        li.addEventListener("keydown", function (event) {
          if (event.key === "Enter") {
            event.preventDefault();
            add(item);
          }
        });
        list.appendChild(li);
      });
      list.hidden = !results.length;
      status.textContent = results.length ? "" : "Tidak ditemukan. Coba kata lain.";
    }

    function search() {
      var q = input.value.trim();
      if (controller) { controller.abort(); }
      if (q.length < 2) {
        close();
        status.textContent = "";
        return;
      }
      controller = new AbortController();
      var params = new URLSearchParams({search: q, page_size: "10"});
      status.textContent = "Mencari…";
      fetch("/api/v1/pegawai/?" + params.toString(), {
        credentials: "same-origin",
        headers: {Accept: "application/json"},
        signal: controller.signal
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (data) {
        render(Array.isArray(data) ? data : (data.results || []));
      }).catch(function (err) {
        if (err.name === "AbortError") { return; }
        status.textContent = "Pencarian gagal. Ketik NIP langsung di kotak di bawah.";
        close();
      });
    }

    input.addEventListener("input", debounce(search, 200));
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
      if (event.key === "Enter") {
        // Enter in the search box never submits the enrolment.
        event.preventDefault();
        var first = list.querySelector("[role=option]");
        if (first && !list.hidden) { first.click(); }
      }
      if (event.key === "ArrowDown" && !list.hidden) {
        event.preventDefault();
        var option = list.querySelector("[role=option]");
        if (option) { option.focus(); }
      }
    });
    input.addEventListener("blur", function () { setTimeout(function () {
      if (!list.contains(document.activeElement)) { close(); }
    }, 150); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-nip-picker]"), initPicker);
  });
})();
