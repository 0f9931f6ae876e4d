// Autosave for an exam attempt: every change is its own PUT, acknowledged only after the
// server's commit; a per-question sequence number lets the server drop a stale save.
// Until it is acknowledged an answer is also kept in localStorage, so a dropped network
// or a reload loses nothing: unsaved answers go out again when the network is back (and
// every 10 s while any waits), and a reload puts them back on the paper and sends them.
// The countdown runs from the server's seconds_left; at zero what waits is sent (the
// server takes saves for a short grace after the deadline), then the page reloads and
// the server shows what it has (the sweep submits with the saved answers).
(function () {
  "use strict";
  var paper = document.getElementById("paper");
  if (!paper || paper.dataset.open !== "true") { return; }
  var attempt = paper.dataset.attempt, csrf = paper.dataset.csrf;
  var state = document.getElementById("save-state");
  var pending = 0, timers = {};
  var prefix = "quality.attempt." + attempt + ".";
  var store = (function () {
    try { localStorage.setItem(prefix + "probe", "1"); localStorage.removeItem(prefix + "probe"); return localStorage; } catch (e) { return null; }
  })();
  function keep(q, body) {
    if (store) { try { store.setItem(prefix + q, JSON.stringify(body)); } catch (e) { /* full: memory only */ } }
  }
  // forget drops the kept answer of q once a save of seq (or a newer one) is in.
  function forget(q, seq) {
    if (!store) { return; }
    var raw = store.getItem(prefix + q), kept = null;
    try { kept = raw && JSON.parse(raw); } catch (e) { kept = null; }
    if (!kept || !(kept.seq > seq)) { store.removeItem(prefix + q); }
  }

  function show(key) { state.textContent = state.dataset[key]; }

  // One save in flight per question: a change made while one is on its way is sent
  // when it returns, with the question's state at that moment, so two quick clicks on
  // a multiple-choice question never race each other into a stale_seq refusal. A save
  // of what was last sent is skipped (typing then leaving the field saves once).
  var inflight = {}, again = {}, sent = {}, unsaved = {}, idle = [];

  function answerOf(fs) {
    if (fs.dataset.kind === "fill") { return { text: fs.querySelector("input").value }; }
    return { choices: Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (i) { return parseInt(i.value, 10); }) };
  }

  function save(fs) {
    var q = fs.dataset.question;
    clearTimeout(timers[q]);
    delete timers[q];
    if (inflight[q]) { again[q] = true; return; }
    var body = answerOf(fs), key = JSON.stringify(body);
    if (sent[q] === key) { delete unsaved[q]; settle(); return; }
    var seq = parseInt(fs.dataset.seq || "0", 10) + 1;
    fs.dataset.seq = String(seq);
    body.seq = seq;
    keep(q, body);
    inflight[q] = true;
    pending++;
    show("saving");
    function done(ok) {
      inflight[q] = false;
      pending--;
      if (ok) { sent[q] = key; delete unsaved[q]; forget(q, seq); } else { unsaved[q] = true; }
      if (again[q]) { again[q] = false; save(fs); return; }
      settle();
    }
    fetch("/api/v1/attempts/" + attempt + "/answers/" + q, {
      method: "PUT", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Csrf-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (res) {
      // 409 stale_seq means a newer save of this question (from another tab) already
      // landed: fine.
      done(res.ok || res.status === 409);
    }).catch(function () { done(false); });
  }

  // settle shows the state once nothing is on its way, and runs what waited for it.
  function settle() {
    if (pending > 0) { return; }
    var failed = Object.keys(unsaved).length > 0;
    show(failed ? "failed" : "saved");
    var run = failed ? [] : idle;
    idle = [];
    run.forEach(function (fn) { fn(); });
  }

  // flush sends at once every answer still waiting for typing to stop, and retries
  // every one whose save failed.
  function flush() {
    Object.keys(timers).concat(Object.keys(unsaved)).forEach(function (q) {
      var fs = paper.querySelector('fieldset[data-question="' + q + '"]');
      if (fs) { save(fs); }
    });
  }

  // 已答 n/N: a question counts once it has a choice or some text.
  var counter = document.getElementById("answered");
  function answered() {
    return Array.prototype.filter.call(paper.querySelectorAll("fieldset[data-question]"), function (fs) {
      if (fs.dataset.kind === "fill") { return fs.querySelector("input").value.trim() !== ""; }
      return fs.querySelector("input:checked") !== null;
    }).length;
  }
  function count() { if (counter) { counter.textContent = String(answered()); } }

  // 交卷 asks first, saying how many questions are unanswered; confirmed=1 tells the
  // server it was asked (without this script the server asks on a page of its own).
  var form = document.getElementById("submit-form");
  if (form) {
    form.addEventListener("submit", function (ev) {
      var total = paper.querySelectorAll("fieldset[data-question]").length;
      var left = total - answered();
      var msg = left > 0 ? form.dataset.confirmSome.replace("{n}", String(left)) : form.dataset.confirmAll;
      if (!window.confirm(msg)) { ev.preventDefault(); return; }
      form.querySelector("input[name=confirmed]").value = "1";
      // What was typed last is saved before the paper goes in; a save that fails
      // stops the submit with 未保存, and 交卷 again retries it.
      flush();
      if (pending > 0) {
        ev.preventDefault();
        idle.push(function () { form.submit(); });
      }
    });
  }

  paper.addEventListener("change", function (ev) {
    var fs = ev.target.closest("fieldset");
    if (fs) { save(fs); }
    count();
  });
  paper.addEventListener("input", function (ev) {
    var fs = ev.target.closest("fieldset");
    if (!fs || fs.dataset.kind !== "fill") { return; }
    count();
    clearTimeout(timers[fs.dataset.question]);
    timers[fs.dataset.question] = setTimeout(function () { save(fs); }, 800);
  });

  // Start: answers an earlier visit could not save come back onto the paper and are
  // sent; one the server already holds a newer save of is dropped.
  function restore(fs, kept) {
    if (fs.dataset.kind === "fill") {
      fs.querySelector("input").value = kept.text || "";
    } else {
      Array.prototype.forEach.call(fs.querySelectorAll("input"), function (i) {
        i.checked = (kept.choices || []).indexOf(parseInt(i.value, 10)) >= 0;
      });
    }
  }
  if (store) {
    Array.prototype.forEach.call(paper.querySelectorAll("fieldset[data-question]"), function (fs) {
      var q = fs.dataset.question, raw = store.getItem(prefix + q), kept = null;
      try { kept = raw && JSON.parse(raw); } catch (e) { kept = null; }
      if (!kept || typeof kept.seq !== "number") { return; }
      var saved = parseInt(fs.dataset.seq || "0", 10);
      if (kept.seq <= saved) { store.removeItem(prefix + q); return; }
      restore(fs, kept);
      fs.dataset.seq = String(kept.seq - 1); // the resend carries the kept seq
      unsaved[q] = true;
    });
    count();
    flush();
  }
  window.addEventListener("online", flush);
  setInterval(function () { if (Object.keys(unsaved).length > 0 && navigator.onLine !== false) { flush(); } }, 10000);

  var cd = document.getElementById("countdown");
  var left = parseInt(cd.dataset.seconds, 10);
  function tick() {
    if (left <= 0) {
      // Time is up: send what waits, then show what the server has (at most 5 s on).
      var reload = function () { window.location.reload(); };
      flush();
      if (pending > 0) { idle.push(reload); setTimeout(reload, 5000); } else { reload(); }
      return;
    }
    var m = Math.floor(left / 60), s = left % 60;
    cd.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    left--;
    setTimeout(tick, 1000);
  }
  tick();
})();
