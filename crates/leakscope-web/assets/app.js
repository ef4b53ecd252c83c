// leakscope web app: small progressive enhancements. Every page works without this script;
// with it, deadlines count down live, and a sample upload shows its progress and the result
// appears without reloading. Served from the app itself (CSP: script-src 'self').
(function () {
  "use strict";

  var skew = 0; // server time minus client time, in ms
  var now = document.body && document.body.getAttribute("data-now");
  if (now) {
    var t = Date.parse(now);
    if (!isNaN(t)) skew = t - Date.now();
  }

  function span(seconds) {
    var s = Math.abs(Math.trunc(seconds));
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d > 0) return d + " d " + h + " h";
    if (h > 0) return h + " h " + m + " min";
    return m + " min";
  }

  function tick() {
    var soonest = Infinity;
    var els = document.querySelectorAll("time.countdown[data-due]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) continue;
      var secs = (due - (Date.now() + skew)) / 1000;
      el.textContent = span(secs) + (secs < 0 ? " overdue" : " left");
      el.classList.toggle("overdue", secs < 0);
      el.classList.toggle("soon", secs >= 0 && secs < 86400);
      if (secs > 0) soonest = Math.min(soonest, secs);
    }
    setTimeout(tick, soonest < 3600 ? 1000 : 30000);
  }

  function text(el, sel, value) {
    var x = el.querySelector(sel);
    if (x) x.textContent = value;
  }

  function fmt(n) {
    return (n || 0).toLocaleString("en-US");
  }

  function jobBox(caseId, job) {
    var box = document.createElement("div");
    box.className = "job";
    box.setAttribute("data-job", job);
    box.setAttribute("data-events", "/cases/" + caseId + "/jobs/" + job + "/events");
    box.setAttribute("data-status", "/cases/" + caseId + "/jobs/" + job);
    box.innerHTML = '<div class="row"><strong></strong><span class="spacer"></span><span class="state job-state">queued</span></div>' +
      '<progress max="100"></progress><div class="small job-stage">waiting for the scanner</div>';
    box.querySelector("strong").textContent = "Sample " + job;
    return box;
  }

  function show(box, s) {
    text(box, ".job-state", s.state);
    var stage = s.stage + " · " + fmt(s.rows) + " rows";
    if (s.state === "failed" && s.message) stage = s.message;
    text(box, ".job-stage", stage);
    var p = box.querySelector("progress");
    if (p) {
      if (typeof s.percent === "number") p.value = s.percent; else p.removeAttribute("value");
    }
    box.classList.toggle("failed", s.state === "failed");
    box.classList.toggle("done", s.state === "done");
  }

  // Replaces the page's main content with a fresh copy (the scan's result), keeping a notice.
  function refresh(noticeText, failed) {
    fetch(location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("main");
        var main = document.getElementById("main");
        if (!fresh || !main) return;
        main.replaceChildren.apply(main, Array.prototype.slice.call(fresh.childNodes).map(function (n) {
          return document.importNode(n, true);
        }));
        var up = document.getElementById("upload") || main;
        var note = document.createElement("div");
        note.className = "notice " + (failed ? "error" : "ok");
        note.id = "scan-result";
        note.setAttribute("role", "status");
        note.textContent = noticeText;
        up.insertBefore(note, up.children[1] || null);
        init(main);
      });
  }

  function finished(box, s) {
    if (box.getAttribute("data-finished")) return;
    box.setAttribute("data-finished", "1");
    if (s.state === "done") {
      var r = s.result || {};
      var msg = "Sample " + s.job + " scanned: " + fmt(r.rows) + " rows, " + fmt(r.people) + " people, sensitivity " +
        (r.sensitivity || "unknown") + ", verdict " + (r.verdict || "not verified") + ".";
      refresh(msg, false);
    } else {
      refresh("Sample " + s.job + " failed: " + (s.message || "unknown error"), true);
    }
  }

  function poll(box) {
    var url = box.getAttribute("data-status");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (r.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname); throw new Error("signed out"); }
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (s) {
        show(box, s);
        if (s.state === "done" || s.state === "failed") finished(box, s);
        else setTimeout(function () { poll(box); }, 1000);
      })
      .catch(function () { setTimeout(function () { poll(box); }, 3000); });
  }

  function follow(box) {
    if (box.getAttribute("data-following")) return;
    box.setAttribute("data-following", "1");
    if (!window.EventSource) { poll(box); return; }
    var es = new EventSource(box.getAttribute("data-events"));
    es.addEventListener("progress", function (e) {
      var s;
      try { s = JSON.parse(e.data); } catch (err) { return; }
      show(box, s);
      if (s.state === "done" || s.state === "failed") { es.close(); finished(box, s); }
    });
    es.onerror = function () {
      if (box.getAttribute("data-finished")) return;
      es.close();
      poll(box);
    };
  }

  function bindUpload(form) {
    if (form.getAttribute("data-bound")) return;
    form.setAttribute("data-bound", "1");
    form.addEventListener("submit", function (ev) {
      if (!window.FormData || !window.XMLHttpRequest) return; // plain form post
      ev.preventDefault();
      var jobs = document.getElementById("jobs");
      var button = form.querySelector("button[type=submit]");
      var box = jobBox(form.getAttribute("data-case"), "…");
      text(box, "strong", "Uploading");
      text(box, ".job-state", "uploading");
      jobs.appendChild(box);
      if (button) button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action"));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) return;
        var p = box.querySelector("progress");
        p.value = Math.round(e.loaded * 100 / e.total);
        text(box, ".job-stage", "uploading " + fmt(e.loaded) + " of " + fmt(e.total) + " bytes");
      };
      xhr.onload = function () {
        if (button) button.disabled = false;
        var res = null;
        try { res = JSON.parse(xhr.responseText); } catch (err) { res = null; }
        if (xhr.status === 202 && res && res.job) {
          form.reset();
          var real = jobBox(res["case"], res.job);
          jobs.replaceChild(real, box);
          follow(real);
        } else {
          var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
          var m = doc.getElementById("error-message");
          box.classList.add("failed");
          text(box, ".job-state", "refused");
          text(box, ".job-stage", (m && m.textContent) || ("the upload was refused (HTTP " + xhr.status + ")"));
        }
      };
      xhr.onerror = function () {
        if (button) button.disabled = false;
        box.classList.add("failed");
        text(box, ".job-state", "failed");
        text(box, ".job-stage", "the upload did not reach the server");
      };
      xhr.send(new FormData(form));
    });
  }

  function init(root) {
    var forms = root.querySelectorAll("#upload-form");
    for (var i = 0; i < forms.length; i++) bindUpload(forms[i]);
    var boxes = root.querySelectorAll(".job[data-events]");
    for (var j = 0; j < boxes.length; j++) follow(boxes[j]);
  }

  init(document);
  tick();
})();
