// View only of a PDF: lays out the next pages as the reader nears the end, and reports how
// long each page is on screen (navigator.sendBeacon, a beat every 15 s and when the reader
// leaves). Without it the page still works: images load as the reader scrolls
// (loading="lazy"), a link shows the next pages, and the server counts each page it sends.
"use strict";
(function () {
  var box = document.getElementById("view-pages");
  if (!box) { return; }
  var BATCH = 50;          // pages laid out at a time (the server's VIEW_WINDOW)
  var BEAT_MS = 15000;     // how often the time on screen is reported
  var MAX_SECONDS = 60;    // the most one report may give a page (domain/limits.py)
  var MAX_PAGES = 50;      // the most pages one report may name
  var total = parseInt(box.dataset.pages, 10) || 0;
  var next = parseInt(box.dataset.next, 10) || 0;  // 0: every page is laid out
  var since = {};    // page -> when it came on screen (performance.now()), while it is
  var pending = {};  // page -> seconds on screen not yet reported
  var paused = document.visibilityState === "hidden";

  function settle(page, now) {
    if (since[page] === undefined) { return; }
    if (!paused) { pending[page] = (pending[page] || 0) + (now - since[page]) / 1000; }
    since[page] = now;
  }

  function onScreen(entry) {
    // why the second test: a page taller than the window is never half visible
    return entry.isIntersecting && (entry.intersectionRatio >= 0.5 ||
      entry.intersectionRect.height >= window.innerHeight / 2);
  }

  var seen = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    var now = performance.now();
    entries.forEach(function (entry) {
      var page = entry.target.dataset.page;
      if (onScreen(entry)) {
        if (since[page] === undefined) { since[page] = now; }
      } else if (since[page] !== undefined) {
        settle(page, now);
        delete since[page];
      }
    });
  }, { threshold: [0, 0.25, 0.5, 0.75, 1] }) : null;

  function report() {
    var now = performance.now();
    Object.keys(since).forEach(function (page) { settle(page, now); });
    var body = new URLSearchParams();
    var named = 0;
    Object.keys(pending).forEach(function (page) {
      var seconds = Math.min(pending[page], MAX_SECONDS);
      if (seconds < 0.5 || named >= MAX_PAGES) { return; }
      body.append("page", page);
      body.append("seconds", seconds.toFixed(1));
      pending[page] -= seconds;
      named += 1;
    });
    if (!named || !navigator.sendBeacon) { return; }
    body.append("copy", box.dataset.copy);
    body.append("csrf", box.dataset.csrf);
    navigator.sendBeacon(box.dataset.seconds, body);
  }

  // The next pages, laid out as the last one comes within two screens.
  var link = document.getElementById("next-pages");
  var near = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    if (!entries.some(function (e) { return e.isIntersecting; }) || !next) { return; }
    near.disconnect();
    var last = Math.min(total, next + BATCH - 1);
    var made = null;
    for (var n = next; n <= last; n += 1) {
      made = document.createElement("img");
      made.className = "page";
      made.dataset.page = String(n);
      made.loading = "lazy";
      if (box.dataset.width) { made.width = parseInt(box.dataset.width, 10); made.height = parseInt(box.dataset.height, 10); }
      made.alt = "Page " + n + " of " + total + ", stamped with your name";
      made.src = box.dataset.src + n + ".png?copy=" + encodeURIComponent(box.dataset.copy);
      box.appendChild(made);
      if (seen) { seen.observe(made); }
    }
    next = last < total ? last + 1 : 0;
    if (link) {
      if (next) { link.href = link.href.replace(/start=\d+/, "start=" + next); } else { link.remove(); link = null; }
    }
    if (next && made) { near.observe(made); }
  }, { rootMargin: "0px 0px 2000px 0px" }) : null;

  var images = box.querySelectorAll("img.page");
  Array.prototype.forEach.call(images, function (img) { if (seen) { seen.observe(img); } });
  if (near && next && images.length) { near.observe(images[images.length - 1]); }

  setInterval(report, BEAT_MS);
  document.addEventListener("visibilitychange", function () {
    var now = performance.now();
    if (document.visibilityState === "hidden") {
      report();
      paused = true;
    } else {
      paused = false;
      Object.keys(since).forEach(function (page) { since[page] = now; });
    }
  });
  window.addEventListener("pagehide", report);
})();
