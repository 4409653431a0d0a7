// Small progressive enhancements; every page works without them.
"use strict";

// A form is sent once: its button is disabled while the first submit is under way.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.sent === "yes") { event.preventDefault(); return; }
  form.dataset.sent = "yes";
  Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = true; });
});

// The disclose form previews the rules' decision as the person fills it in.
(function () {
  var form = document.getElementById("disclose-form");
  var target = document.getElementById("preview");
  if (!form || !target) { return; }
  var timer = null;
  function preview() {
    var body = new URLSearchParams(new FormData(form));
    fetch("/disclose/preview", { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { if (html) { target.innerHTML = html; } });
  }
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(preview, 150); });
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(preview, 400); });
  preview();
})();

// Choosing another agreement reloads the form with the people that agreement allows.
(function () {
  var chooser = document.getElementById("choose-agreement");
  if (chooser) { chooser.addEventListener("change", function () { chooser.form.submit(); }); }
})();
