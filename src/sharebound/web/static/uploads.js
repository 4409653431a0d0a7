// Bulk upload: drop files onto the form, and see each file's progress while they go.
// Without this script the form still works: <input type=file multiple> posts them all.
// One request carries every file (the form is once-only); each file's bar is computed from
// how many bytes of the request have gone, in the order the files are sent.
(function () {
  "use strict";
  const form = document.getElementById("bulk-upload");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  const input = document.getElementById("bulk-files");
  const list = document.getElementById("bulk-progress");

  function show() {
    list.textContent = "";
    for (const file of input.files) {
      const li = document.createElement("li");
      const bar = document.createElement("progress");
      bar.max = Math.max(file.size, 1);
      bar.value = 0;
      li.append(file.name + " ", bar);
      list.append(li);
    }
  }

  // A row per chosen file, with its own classification and topics; empty keeps the whole
  // upload's. Without this script the whole upload's values apply to every file.
  const perFile = document.getElementById("bulk-per-file");
  const levels = document.getElementById("bulk-classification");

  function rows() {
    if (!perFile || !levels) return;
    const body = perFile.tBodies[0];
    body.textContent = "";
    Array.from(input.files).forEach(function (file, index) {
      const row = body.insertRow();
      const name = row.insertCell();
      name.textContent = file.name;
      const select = document.createElement("select");
      select.name = "per_file." + file.name + ".classification";
      select.id = "per-file-" + index + "-classification";
      select.setAttribute("aria-label", "Classification of " + file.name);
      select.append(new Option("as above", ""));
      Array.from(levels.options).forEach(function (o) { select.append(new Option(o.text, o.value)); });
      row.insertCell().append(select);
      const topics = document.createElement("input");
      topics.type = "text";
      topics.maxLength = 2000;
      topics.name = "per_file." + file.name + ".topics";
      topics.id = "per-file-" + index + "-topics";
      topics.setAttribute("aria-label", "Topics of " + file.name);
      topics.placeholder = "as above";
      row.insertCell().append(topics);
    });
    perFile.hidden = input.files.length === 0;
  }

  input.addEventListener("change", function () { show(); rows(); });
  form.addEventListener("dragover", function (event) {
    event.preventDefault();
    form.classList.add("dropping");
  });
  form.addEventListener("dragleave", function () { form.classList.remove("dropping"); });
  form.addEventListener("drop", function (event) {
    event.preventDefault();
    form.classList.remove("dropping");
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
      rows();
    }
  });

  form.addEventListener("submit", function (event) {
    if (!input.files.length) return;
    event.preventDefault();
    const bars = list.querySelectorAll("progress");
    const sizes = Array.from(input.files, function (f) { return f.size; });
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (e) {
      let left = e.loaded;
      sizes.forEach(function (size, i) {
        const done = Math.max(0, Math.min(size, left));
        if (bars[i]) bars[i].value = done;
        left -= size;
      });
    });
    request.addEventListener("load", function () {
      const page = new DOMParser().parseFromString(request.responseText, "text/html");
      document.title = page.title;
      document.body.replaceWith(document.adoptNode(page.body));
    });
    request.send(new FormData(form));
  });
})();
