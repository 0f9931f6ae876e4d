// Autosave for the inspection fill page (issue 9). Without this script the page is one
// form whose 保存全部 saves every changed item; with it each answer is saved as it is
// chosen (a radio, the points on change, the note 800 ms after typing stops) by a PUT of
// the item with its rev. Every answer is written to localStorage first and removed only
// once the server has acknowledged it, so a dropped network, a closed tab or a reload
// loses nothing: pending answers are sent in order when the network is back. A stale
// rev (409) shows the saved answer beside the inspector's and lets them choose. Photos
// are resized in the browser (long edge 1,600 px, JPEG), kept in IndexedDB until the
// server has them and uploaded from there with a progress bar: one that cannot go out
// (no network, an ended session) waits, shown as 待同步, through a reload or a closed
// tab, and goes out when it can.
(function () {
  "use strict";
  var form = document.getElementById("fill");
  if (!form || !window.fetch) { return; }
  var t = form.dataset, id = t.inspection, csrf = t.csrf;
  form.classList.add("live"); // photos upload when chosen: the style sheet drops 上传照片
  var api = "/api/v1/inspections/" + id + "/items/";
  var prefix = "quality.inspection." + id + ".";
  var labels = { saved: t.tSaved, saving: t.tSaving, failed: t.tFailed, pending: t.tPending };
  var pending = {}, inflight = {}, conflicts = {}, timers = {}, uploads = 0, submitting = false, lastButton = null;
  // photosWaiting holds, per item, the photos that could not go out for want of a
  // network, oldest first: {blob, name, id} with id their IndexedDB key (null where the
  // browser has no IndexedDB: then they wait in this page only).
  var photosWaiting = {};
  var seq = Date.now();
  var store = (function () {
    try { localStorage.setItem(prefix + "probe", "1"); localStorage.removeItem(prefix + "probe"); return localStorage; } catch (e) { return null; }
  })();

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function items() { return form.querySelectorAll("section.item[data-key]"); }
  function section(key) { return document.getElementById("item-" + key); }
  function field(sec, name) { return form.elements.namedItem("items[" + sec.dataset.key + "][" + name + "]"); }
  function isScore(sec) { return sec.dataset.response === "score"; }
  // A score item's radio is "pass" whether its points pass or fail.
  function shown(sec, outcome) { return isScore(sec) && outcome === "fail" ? "pass" : (outcome || ""); }

  function answerOf(sec) {
    var out = field(sec, "outcome"), pts = field(sec, "points"), note = field(sec, "note");
    var a = { outcome: out ? out.value : "", points: null, note: note ? note.value : "" };
    if (pts && pts.value.trim() !== "" && (a.outcome === "pass" || a.outcome === "fail")) { a.points = Number(pts.value); }
    return a;
  }
  function fill(sec, a) {
    var o = shown(sec, a.outcome);
    each(sec.querySelectorAll("input[type=radio]"), function (r) { r.checked = r.value === o; });
    var pts = field(sec, "points");
    if (pts) { pts.value = a.points === null || a.points === undefined || !isScore(sec) ? "" : String(a.points); }
    var note = field(sec, "note");
    if (note) { note.value = a.note || ""; }
  }
  function same(sec, x, y) {
    return shown(sec, x.outcome) === shown(sec, y.outcome) && (x.note || "").trim() === (y.note || "").trim() &&
      (!isScore(sec) || String(x.points === null || x.points === undefined ? "" : x.points) === String(y.points === null || y.points === undefined ? "" : y.points));
  }
  function setRev(sec, rev) { sec.dataset.rev = String(rev); field(sec, "rev").value = String(rev); }

  // Pending answers: in memory, mirrored to localStorage under the inspection and item.
  function putPending(key, p) {
    pending[key] = p;
    if (store) { try { store.setItem(prefix + key, JSON.stringify(p)); } catch (e) { /* full: memory only */ } }
  }
  function dropPending(key) { delete pending[key]; if (store) { store.removeItem(prefix + key); } }
  function pendingKeys() {
    return Object.keys(pending).sort(function (a, b) { return pending[a].seq - pending[b].seq; });
  }

  function state(sec, s, msg) {
    var el = sec.querySelector(".save-state"), retry = sec.querySelector(".retry");
    el.hidden = false;
    el.dataset.state = s;
    el.textContent = labels[s] + (msg ? " · " + msg : "");
    retry.hidden = s !== "failed";
    summary();
  }
  function summary() {
    var n = pendingKeys().length + waitingCount(), el = document.getElementById("sync-state");
    if (el) { el.textContent = n > 0 ? labels.pending + " " + n : ""; }
  }
  function count() {
    var n = 0;
    each(items(), function (sec) { if (sec.querySelector("input[type=radio]:checked")) { n++; } });
    document.getElementById("answered").textContent = String(n);
  }
  function message(data) {
    if (!data) { return ""; }
    if (data.errors && data.errors.length) { return data.errors.map(function (e) { return e.message; }).join("; "); }
    return data.title || "";
  }

  function request(method, url, body) {
    var init = { method: method, credentials: "same-origin", headers: { "X-Csrf-Token": csrf } };
    if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch(url, init).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) { return { ok: res.ok, status: res.status, data: data }; });
    });
  }

  // queue records the item's answer as pending; with now it is sent at once.
  function queue(sec, now) {
    var key = sec.dataset.key, a = answerOf(sec);
    count();
    // 打分 chosen but no points yet: nothing to save until the points come.
    if (isScore(sec) && a.outcome === "pass" && a.points === null) { return; }
    a.rev = parseInt(sec.dataset.rev, 10);
    a.seq = ++seq;
    var before = pending[key];
    if (before && conflicts[key]) { a.rev = before.rev; }
    putPending(key, a);
    if (now) { send(key); } else { summary(); }
  }

  function send(key) {
    if (inflight[key]) { return inflight[key]; }
    var sec = section(key), p = pending[key];
    if (!sec || !p || conflicts[key]) { return Promise.resolve(); }
    if (navigator.onLine === false) { state(sec, "pending"); return Promise.resolve(); }
    state(sec, "saving");
    var pr = request("PUT", api + encodeURIComponent(key), { outcome: p.outcome, points: p.points, note: p.note, rev: p.rev }).then(function (r) {
      delete inflight[key];
      if (r.ok) { return acked(sec, p, r.data); }
      if (r.status === 409 && r.data && r.data.errors && r.data.errors.some(function (e) { return e.code === "stale"; })) {
        return conflict(sec, p);
      }
      // Refused (or the session ended): the answer stays pending in storage, a reload
      // gives it back, 重试 sends it again.
      state(sec, "failed", message(r.data));
    }, function () {
      delete inflight[key];
      state(sec, "pending");
    });
    inflight[key] = pr;
    return pr;
  }

  function acked(sec, sent, item) {
    var key = sec.dataset.key, cur = pending[key];
    setRev(sec, item.rev);
    if (cur && cur.seq !== sent.seq) {
      // Changed again while this save was on its way: send the newer answer on the new rev.
      cur.rev = item.rev;
      putPending(key, cur);
      return send(key);
    }
    dropPending(key);
    state(sec, "saved");
  }

  // conflict: the item was saved meanwhile (elsewhere, or this save's answer was lost on
  // the way back). The same answer is simply taken; otherwise both are shown.
  function conflict(sec, mine) {
    var key = sec.dataset.key;
    return request("GET", "/api/v1/inspections/" + id).then(function (r) {
      var theirs = r.ok && r.data && (r.data.items || []).filter(function (it) { return it.key === key; })[0];
      if (!theirs) { state(sec, "failed", message(r.data)); return; }
      if (same(sec, theirs, pending[key] || mine)) {
        setRev(sec, theirs.rev);
        dropPending(key);
        state(sec, "saved");
        return;
      }
      conflicts[key] = theirs;
      showConflict(sec, theirs, pending[key] || mine);
      state(sec, "failed");
    }, function () { state(sec, "pending"); });
  }

  function describe(sec, a) {
    var o = shown(sec, a.outcome), text = t.tUnanswered;
    each(sec.querySelectorAll("input[type=radio]"), function (r) {
      if (r.value === o) { text = r.parentNode.textContent.trim(); }
    });
    if (isScore(sec) && o === "pass" && a.points !== null && a.points !== undefined) { text += " " + a.points; }
    return text + (a.note ? "\n" + a.note : "");
  }
  function box(title, text) {
    var d = document.createElement("div"), h = document.createElement("h4"), p = document.createElement("p");
    h.textContent = title;
    p.textContent = text;
    p.className = "pre";
    d.appendChild(h);
    d.appendChild(p);
    return d;
  }
  function button(text, fn) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", fn);
    return b;
  }
  function showConflict(sec, theirs, mine) {
    var old = sec.querySelector(".conflict");
    if (old) { old.parentNode.removeChild(old); }
    var c = document.createElement("div"), head = document.createElement("p"), key = sec.dataset.key;
    c.className = "conflict";
    c.setAttribute("role", "alert");
    head.textContent = t.tConflict;
    c.appendChild(head);
    var a = box(t.tTheirs, describe(sec, theirs)), b = box(t.tMine, describe(sec, mine));
    a.appendChild(button(t.tKeepTheirs, function () {
      c.parentNode.removeChild(c);
      delete conflicts[key];
      fill(sec, theirs);
      setRev(sec, theirs.rev);
      dropPending(key);
      state(sec, "saved");
      count();
    }));
    b.appendChild(button(t.tKeepMine, function () {
      c.parentNode.removeChild(c);
      delete conflicts[key];
      var p = pending[key] || mine;
      p.rev = theirs.rev;
      putPending(key, p);
      setRev(sec, theirs.rev);
      send(key);
    }));
    c.appendChild(a);
    c.appendChild(b);
    sec.querySelector(".fields").insertAdjacentElement("afterend", c);
  }

  // flush sends every pending answer, oldest first, one after another, then every photo
  // that waited for the network.
  function flush() {
    each(items(), function (sec) {
      var key = sec.dataset.key;
      if (timers[key]) { clearTimeout(timers[key]); delete timers[key]; }
    });
    var chain = pendingKeys().reduce(function (chain, key) {
      return chain.then(function () { return send(key); });
    }, Promise.resolve());
    return Object.keys(photosWaiting).reduce(function (chain, key) {
      return chain.then(function () { var sec = section(key); return sec ? sendWaiting(sec) : null; });
    }, chain);
  }

  // Photos: resized to a long edge of 1,600 px as JPEG where the browser can, else the
  // original; uploaded with a progress bar.
  function resize(file) {
    if (!window.createImageBitmap || !window.HTMLCanvasElement || !HTMLCanvasElement.prototype.toBlob) { return Promise.resolve(file); }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bmp) {
      var long = Math.max(bmp.width, bmp.height);
      if (long <= 1600) { return file; }
      var k = 1600 / long, c = document.createElement("canvas");
      c.width = Math.round(bmp.width * k);
      c.height = Math.round(bmp.height * k);
      c.getContext("2d").drawImage(bmp, 0, 0, c.width, c.height);
      if (bmp.close) { bmp.close(); }
      return new Promise(function (done) { c.toBlob(function (b) { done(b || file); }, "image/jpeg", 0.85); });
    }).catch(function () { return file; });
  }
  // post sends one photo of the item with a progress bar; it settles with the status
  // (0 when no network answered) and the parsed answer.
  function post(sec, blob, name) {
    var bar = sec.querySelector(".upload-progress");
    sec.dataset.uploading = "1";
    uploads++;
    bar.hidden = false;
    bar.value = 0;
    return new Promise(function (finished) {
      var fd = new FormData(), xhr = new XMLHttpRequest();
      fd.append("file", blob, name);
      xhr.open("POST", api + encodeURIComponent(sec.dataset.key) + "/photos");
      xhr.setRequestHeader("X-Csrf-Token", csrf);
      xhr.upload.addEventListener("progress", function (e) { if (e.lengthComputable) { bar.value = Math.round(e.loaded * 100 / e.total); } });
      xhr.addEventListener("loadend", function () {
        uploads--;
        bar.hidden = true;
        delete sec.dataset.uploading;
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        finished({ status: xhr.status, data: data });
      });
      xhr.send(fd);
    });
  }
  function thumbnail(sec, src, alt) {
    var a = document.createElement("a"), img = document.createElement("img");
    a.href = img.src = src;
    img.width = 96;
    img.height = 72;
    img.alt = alt;
    a.appendChild(img);
    sec.querySelector(".photos").appendChild(a);
    return a;
  }
  function uploaded(sec, data) {
    thumbnail(sec, "/api/v1/photos/" + data.id, t.tPhoto + " #" + data.id);
    state(sec, "saved");
  }
  function refused(sec, r) { state(sec, "failed", t.tUploadFailed + (r.data ? " · " + message(r.data) : "")); }
  // upload parks the photo chosen in the item's file input, resized, then sends what
  // waits: a photo takes one path whether the network is there or not.
  function upload(sec) {
    var input = field(sec, "photo"), file = input && input.files && input.files[0];
    if (!file) { return Promise.resolve(); }
    return resize(file).then(function (blob) {
      return park(sec, input, blob, blob === file ? file.name : "photo.jpg");
    }).then(function () { return sendWaiting(sec); });
  }

  // Waiting photos: kept in IndexedDB under the inspection and item, so that they outlive
  // the page, with a preview marked 待同步.
  var photoDB = (function () {
    if (!window.indexedDB) { return Promise.resolve(null); }
    return new Promise(function (done) {
      var req;
      try { req = indexedDB.open("quality.photos", 1); } catch (e) { done(null); return; }
      req.onupgradeneeded = function () {
        req.result.createObjectStore("waiting", { keyPath: "id", autoIncrement: true }).createIndex("inspection", "inspection");
      };
      req.onsuccess = function () { done(req.result); };
      req.onerror = req.onblocked = function () { done(null); };
    });
  })();
  function idb(mode, fn) {
    return photoDB.then(function (db) {
      if (!db) { return null; }
      return new Promise(function (done) {
        var out = null, tx;
        try { tx = db.transaction("waiting", mode); } catch (e) { done(null); return; }
        var req = fn(tx.objectStore("waiting"));
        req.onsuccess = function () { out = req.result; };
        tx.oncomplete = function () { done(out); };
        tx.onerror = tx.onabort = function () { done(null); };
      });
    });
  }
  function waitingCount() {
    return Object.keys(photosWaiting).reduce(function (n, key) { return n + photosWaiting[key].length; }, 0);
  }
  function waiting(sec, w) { state(sec, "pending", w.id === null ? t.tPhotoWaitingPage : t.tPhotoWaiting); }
  // queueWaiting adds w to the item's waiting photos, shown dimmed on the item.
  function queueWaiting(sec, w) {
    var key = sec.dataset.key;
    (photosWaiting[key] = photosWaiting[key] || []).push(w);
    if (window.URL && URL.createObjectURL) {
      w.preview = thumbnail(sec, URL.createObjectURL(w.blob), t.tPhoto + " · " + t.tPending);
      w.preview.classList.add("waiting");
    }
    waiting(sec, w);
  }
  function park(sec, input, blob, name) {
    var key = sec.dataset.key, w = { blob: blob, name: name, id: null };
    input.value = "";
    // Queued once stored, so that a send cannot start before the row it must delete.
    return idb("readwrite", function (st) { return st.add({ inspection: id, item: key, blob: blob, name: name }); }).then(function (k) {
      w.id = k === undefined ? null : k;
      queueWaiting(sec, w);
    });
  }
  function unpark(sec, w) {
    var key = sec.dataset.key, list = photosWaiting[key] || [];
    list.splice(list.indexOf(w), 1);
    if (!list.length) { delete photosWaiting[key]; }
    if (w.preview) { URL.revokeObjectURL(w.preview.href); w.preview.remove(); }
    return w.id === null ? Promise.resolve() : idb("readwrite", function (st) { return st.delete(w.id); });
  }
  // retryable are the answers after which a waiting photo keeps waiting: no network, a
  // session that ended (log in again, in another tab, and it goes out), a server busy or
  // failing. Any other refusal (the wrong kind of file, too large, an inspection no
  // longer open) would come again: the photo leaves the queue with the reason shown.
  function retryable(status) { return status === 0 || status === 401 || status === 403 || status === 408 || status === 429 || status >= 500; }
  // sendWaiting sends the item's waiting photos, oldest first, until one cannot go.
  function sendWaiting(sec) {
    var list = photosWaiting[sec.dataset.key];
    if (!list || !list.length || sec.dataset.uploading || navigator.onLine === false) { return Promise.resolve(); }
    var w = list[0];
    state(sec, "saving");
    return post(sec, w.blob, w.name).then(function (r) {
      if (r.status === 0) { waiting(sec, w); return; }
      if (retryable(r.status)) { refused(sec, r); return; }
      return unpark(sec, w).then(function () {
        if (r.status === 201 && r.data) { uploaded(sec, r.data); return sendWaiting(sec); }
        refused(sec, r);
      });
    });
  }
  // restoreWaiting gives back the photos an earlier visit left waiting.
  function restoreWaiting() {
    return idb("readonly", function (st) { return st.index("inspection").getAll(id); }).then(function (rows) {
      (rows || []).forEach(function (row) {
        var sec = section(row.item);
        if (!sec) { return; }
        queueWaiting(sec, { blob: row.blob, name: row.name, id: row.id });
      });
    });
  }

  form.addEventListener("change", function (ev) {
    var sec = ev.target.closest("section.item");
    if (!sec) { return; }
    if (ev.target.type === "file") { upload(sec); return; }
    queue(sec, true);
  });
  form.addEventListener("input", function (ev) {
    var sec = ev.target.closest("section.item");
    if (!sec || ev.target.tagName !== "TEXTAREA") { return; }
    var key = sec.dataset.key;
    queue(sec, false); // kept in storage at once, sent when typing stops
    clearTimeout(timers[key]);
    timers[key] = setTimeout(function () { delete timers[key]; send(key); }, 800);
  });
  form.addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b) { return; }
    lastButton = b;
    if (b.classList.contains("retry")) {
      var sec = b.closest("section.item");
      var photo = field(sec, "photo");
      if (pending[sec.dataset.key]) { send(sec.dataset.key); } else if (photosWaiting[sec.dataset.key]) { sendWaiting(sec); } else if (photo && photo.files && photo.files.length) { upload(sec); } else { queue(sec, true); }
    }
  });
  form.addEventListener("submit", function (ev) {
    var b = ev.submitter || lastButton;
    if (submitting || !b) { return; }
    ev.preventDefault();
    if (b.classList.contains("upload")) { upload(b.closest("section.item")); return; }
    var blocked = document.getElementById("submit-state");
    flush().then(function () {
      if (!b.classList.contains("submit")) { return; }
      var left = pendingKeys().length + uploads + waitingCount();
      if (left > 0) {
        blocked.textContent = t.tBlocked.replace("{n}", String(left));
        blocked.hidden = false;
        return;
      }
      blocked.hidden = true;
      submitting = true;
      form.action = b.formAction;
      form.submit();
    });
  });

  // Start: the stored answer line is the fields now; answers left pending by an earlier
  // visit come back into their fields and are sent.
  each(items(), function (sec) {
    var line = sec.querySelector("p.answer");
    // A stale answer given back by the server keeps the saved one in view.
    if (line && !sec.dataset.stale) { line.hidden = true; }
    var el = sec.querySelector(".save-state");
    el.hidden = false;
    el.textContent = sec.querySelector("input[type=radio]:checked") ? labels.saved : "";
    if (sec.dataset.refused) { state(sec, "failed"); }
    if (!store) { return; }
    var raw = store.getItem(prefix + sec.dataset.key), p = null;
    try { p = raw && JSON.parse(raw); } catch (e) { p = null; }
    if (p && typeof p.seq === "number") {
      pending[sec.dataset.key] = p;
      fill(sec, p);
      state(sec, "pending");
    }
  });
  count();
  restoreWaiting().then(flush);
  window.addEventListener("online", flush);
  setInterval(function () { if (pendingKeys().length + waitingCount() > 0 && navigator.onLine !== false) { flush(); } }, 15000);
})();
