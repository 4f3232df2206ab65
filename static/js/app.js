/* asnkarier: the little behaviour the pages need. There is no inline script anywhere (the
   Content-Security-Policy forbids it): every hook is a data attribute, and every page works
   without this file, only less comfortably. */
(function () {
  "use strict";

  var JENIS_UNIT = {
    instansi: "Instansi",
    perangkat_daerah: "Perangkat daerah",
    upt: "UPT / Puskesmas / Sekolah",
    bidang: "Bidang / Bagian",
    seksi: "Seksi / Subbagian"
  };
  var JENIS_JABATAN = {
    jpt_utama: "JPT Utama",
    jpt_madya: "JPT Madya",
    jpt_pratama: "JPT Pratama",
    administrator: "Administrator",
    pengawas: "Pengawas",
    fungsional: "Fungsional",
    pelaksana: "Pelaksana"
  };

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, wait);
    };
  }

  function describe(kind, item) {
    var parts;
    if (kind === "jabatan") {
      parts = [item.unit_kerja_nama, JENIS_JABATAN[item.jenis] || item.jenis];
    } else if (kind === "kompetensi") {
      parts = [item.kode, item.kelompok];
    } else {
      parts = [item.singkatan, JENIS_UNIT[item.jenis] || item.jenis];
    }
    return parts.filter(function (p) { return p; }).join(" · ");
  }

  /* Search-as-you-type chooser: the id goes in a hidden input, the name stays visible.
     Results come from the API (GET <url>?search=<q>&page_size=20), built as text nodes. */
  function initChooser(root, index) {
    var hidden = root.querySelector("[data-chooser-value]");
    var input = root.querySelector("[data-chooser-input]");
    var list = root.querySelector("[data-chooser-list]");
    var status = root.querySelector("[data-chooser-status]");
    var clear = root.querySelector("[data-chooser-clear]");
    var url = root.getAttribute("data-chooser-url");
    var kind = root.getAttribute("data-chooser");
    var items = [];
    var active = -1;
    var controller = null;
    var chosenLabel = hidden.value ? input.value : "";
    var idPrefix = "chooser-" + index + "-";

    function isOpen() { return !list.hidden; }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (i + options.length) % options.length;
      for (var k = 0; k < options.length; k++) {
        options[k].setAttribute("aria-selected", k === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({block: "nearest"});
    }

    function render(results, count) {
      items = results;
      list.textContent = "";
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.id = idPrefix + i;
        li.setAttribute("data-index", String(i));
        var name = document.createElement("span");
        name.className = "chooser-name";
        name.textContent = item.nama;
        li.appendChild(name);
        var meta = describe(kind, item);
        if (meta) {
          var small = document.createElement("span");
          small.className = "chooser-meta";
          small.textContent = meta;
          li.appendChild(small);
        }
        list.appendChild(li);
      });
      if (!results.length) {
        status.textContent = "Tidak ditemukan. Coba kata lain.";
        close();
        return;
      }
      status.textContent = count > results.length
        ? results.length + " dari " + count + " hasil; ketik lebih lengkap untuk mempersempit."
        : "";
      open();
      active = -1;
    }

    function choose(i) {
      var item = items[i];
      if (!item) { return; }
      hidden.value = String(item.id);
      input.value = item.nama;
      chosenLabel = item.nama;
      clear.hidden = false;
      status.textContent = "";
      close();
      hidden.dispatchEvent(new Event("change", {bubbles: true}));
    }

    function search() {
      var q = input.value.trim();
      if (controller) { controller.abort(); }
      if (!q) {
        close();
        status.textContent = "";
        return;
      }
      controller = new AbortController();
      var params = new URLSearchParams({search: q, page_size: "20"});
      status.textContent = "Mencari…";
      fetch(url + "?" + params.toString(), {
        credentials: "same-origin",
        headers: {Accept: "application/json"},
        signal: controller.signal
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (data) {
        var results = Array.isArray(data) ? data : (data.results || []);
        render(results, typeof data.count === "number" ? data.count : results.length);
      }).catch(function (err) {
        if (err.name === "AbortError") { return; }
        status.textContent = "Pencarian gagal. Periksa koneksi lalu coba lagi.";
        close();
      });
    }

    var searchSoon = debounce(search, 200);

    input.addEventListener("input", function () {
      if (hidden.value && input.value !== chosenLabel) {
        // The text no longer names the chosen record: forget the choice.
        hidden.value = "";
        chosenLabel = "";
      }
      clear.hidden = !input.value && !hidden.value;
      searchSoon();
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (isOpen()) { highlight(active + 1); } else { search(); }
      } else if (event.key === "ArrowUp") {
        if (isOpen()) {
          event.preventDefault();
          highlight(active - 1);
        }
      } else if (event.key === "Enter") {
        if (isOpen() && items.length) {
          // Enter picks the highlighted (or first) result instead of submitting half a choice.
          event.preventDefault();
          choose(active >= 0 ? active : 0);
        }
      } else if (event.key === "Escape") {
        if (isOpen()) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });

    // Keep the focus in the input while an option is clicked.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { choose(Number(option.getAttribute("data-index"))); }
    });

    clear.addEventListener("click", function () {
      hidden.value = "";
      input.value = "";
      chosenLabel = "";
      clear.hidden = true;
      status.textContent = "";
      close();
      input.focus();
    });
  }

  /* Unit kerja tree: rows in path order (a pre-order traversal); a collapsed unit hides every
     following row whose path starts with its own. */
  function initTree(root) {
    var rows = Array.prototype.slice.call(root.querySelectorAll("tbody tr[data-path]"));
    var collapsed = new Set();
    var filterInput = root.querySelector("[data-tree-filter]");

    rows.forEach(function (row) {
      var toggle = row.querySelector("[data-tree-toggle]");
      if (toggle) { toggle.hidden = false; }
      // Big trees open with the top two levels only.
      if (rows.length > 60 && row.hasAttribute("data-parent") && Number(row.getAttribute("data-level")) >= 1) {
        collapsed.add(row.getAttribute("data-path"));
      }
    });

    function apply() {
      var hideUnder = null;
      rows.forEach(function (row) {
        var path = row.getAttribute("data-path");
        if (hideUnder && path.indexOf(hideUnder) === 0) {
          row.hidden = true;
          return;
        }
        hideUnder = null;
        row.hidden = false;
        var isCollapsed = collapsed.has(path);
        var toggle = row.querySelector("[data-tree-toggle]");
        if (toggle) { toggle.setAttribute("aria-expanded", isCollapsed ? "false" : "true"); }
        if (isCollapsed) { hideUnder = path; }
      });
    }

    function applyFilter(term) {
      term = term.trim().toLowerCase();
      if (!term) {
        apply();
        return;
      }
      var keep = new Set();
      rows.forEach(function (row) {
        if (row.textContent.toLowerCase().indexOf(term) === -1) { return; }
        // Keep the match and every ancestor on its path.
        var parts = row.getAttribute("data-path").split("/").filter(function (p) { return p; });
        for (var i = 1; i <= parts.length; i++) {
          keep.add("/" + parts.slice(0, i).join("/") + "/");
        }
      });
      rows.forEach(function (row) {
        row.hidden = !keep.has(row.getAttribute("data-path"));
        var toggle = row.querySelector("[data-tree-toggle]");
        // While filtering, every ancestor shown is shown open.
        if (toggle && !row.hidden) { toggle.setAttribute("aria-expanded", "true"); }
      });
    }

    root.addEventListener("click", function (event) {
      var toggle = event.target.closest("[data-tree-toggle]");
      if (toggle) {
        var path = toggle.closest("tr").getAttribute("data-path");
        if (collapsed.has(path)) { collapsed.delete(path); } else { collapsed.add(path); }
        if (filterInput) { filterInput.value = ""; }
        apply();
        return;
      }
      if (event.target.closest("[data-tree-expand]")) {
        collapsed.clear();
        apply();
      } else if (event.target.closest("[data-tree-collapse]")) {
        rows.forEach(function (row) {
          if (row.hasAttribute("data-parent")) { collapsed.add(row.getAttribute("data-path")); }
        });
        apply();
      }
    });

    if (filterInput) {
      filterInput.addEventListener("input", debounce(function () { applyFilter(filterInput.value); }, 120));
    }
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chooser]"), initChooser);
    Array.prototype.forEach.call(document.querySelectorAll("[data-tree]"), initTree);
  });
})();
