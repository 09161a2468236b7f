// docgen serve: the only script of the pages (no inline scripts: the CSP forbids them).
// It shows chosen files, accepts dropped files, refuses an oversized upload before
// sending it, and follows a build's progress (or the marked copies') until the page can
// show what was made.
(function () {
  "use strict";
  var LIMIT = 200 * 1024 * 1024;

  function describe(files) {
    var names = [];
    var total = 0;
    for (var i = 0; i < files.length; i++) {
      names.push(files[i].name);
      total += files[i].size;
    }
    return { names: names, total: total };
  }

  // Each hidden file field has a «data-picked» line that names what was chosen.
  function setupPickers() {
    var lines = document.querySelectorAll("[data-picked]");
    Array.prototype.forEach.call(lines, function (line) {
      var input = document.getElementById(line.getAttribute("data-picked"));
      if (!input) { return; }
      var empty = line.textContent;
      input.addEventListener("change", function () {
        var names = describe(input.files).names;
        line.textContent = names.length ? "Выбрано: " + names.join(", ") : empty;
      });
    });
  }

  function setupUpload() {
    var input = document.getElementById("files");
    var drop = document.getElementById("drop");
    var tooBig = document.getElementById("too-big");
    var form = document.getElementById("upload-form");
    if (!input || !drop || !form) { return; }
    function show() {
      var d = describe(input.files);
      var big = d.total > LIMIT;
      tooBig.textContent = big ? "Файлы вместе занимают больше 200 МБ: загрузите их частями." : "";
      tooBig.classList.toggle("hidden", !big);
      return !big;
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.remove("over");
      });
    });
    drop.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event("change"));
      }
    });
    form.addEventListener("submit", function (event) {
      if (!show()) { event.preventDefault(); }
    });
  }

  function setupProgress() {
    var box = document.getElementById("progress-box");
    if (!box) { return; }
    var url = box.getAttribute("data-status");
    var bar = document.getElementById("progress");
    var phase = document.getElementById("phase");
    var count = document.getElementById("count");
    function poll() {
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (status) {
          if (status.state !== "queued" && status.state !== "running") {
            window.location.reload();
            return;
          }
          bar.max = status.total || 1;
          bar.value = status.done;
          phase.textContent = status.phase;
          count.textContent = status.done + " из " + status.total;
          window.setTimeout(poll, 500);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    }
    window.setTimeout(poll, 300);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupPickers();
    setupUpload();
    setupProgress();
  });
})();
