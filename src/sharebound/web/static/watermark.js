// The watermark form's preview follows the form as it is filled in: the image is asked for
// again with the form's values. Without this script, the Preview button does the same.
(function () {
  "use strict";
  const form = document.getElementById("watermark-form");
  const image = document.getElementById("watermark-preview");
  if (!form || !image) return;
  let timer = null;

  function fields() {
    const rows = Array.from(form.querySelectorAll("input[name=fields]"), function (box, index) {
      const order = form.querySelector("input[name='order_" + box.value + "']");
      const number = order && order.value !== "" ? Number(order.value) : Infinity;
      return { name: box.value, checked: box.checked, number: number, index: index };
    });
    return rows.filter(function (r) { return r.checked; })
      .sort(function (a, b) { return a.number - b.number || a.index - b.index; })
      .map(function (r) { return r.name; });
  }

  function refresh() {
    const query = new URLSearchParams();
    const agreement = form.elements.agreement.value;
    if (agreement) query.set("agreement", agreement);
    query.set("fields", fields().join(","));
    ["position", "size", "opacity", "custom_text"].forEach(function (name) {
      query.set(name, form.elements[name].value);
    });
    const next = image.dataset.base + "?" + query.toString();
    const probe = new Image();  // why: keep the last good preview while a bad value is typed
    probe.onload = function () { image.src = next; };
    probe.src = next;
  }

  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 150); });
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
})();
