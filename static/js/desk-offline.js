// The desk without network. While online it keeps a snapshot of the event's registrations
// (keyed hashes of the codes, never the codes) in IndexedDB, refreshed every minute and on
// reconnect. Offline, a scan answers at once from the snapshot and this desk's own log, and is
// queued as {code, scanned_at, nonce, desk}; on reconnect the queue is sent in order to
// /desk/<slug>/sync, which counts each nonce once. Log-out wipes the snapshot, the log and the
// cached pages. The service worker (/desk/sw.js) keeps the page and its assets available.
(function () {
  "use strict";

  var page = document.getElementById("desk-page");
  if (!page || !window.indexedDB || !window.crypto || !window.crypto.subtle) { return; }
  var d = page.dataset;
  var slug = d.slug;
  var scanForm = document.getElementById("scan-form");
  var input = scanForm.querySelector("input[name=code]");
  var answer = document.getElementById("desk-answer");
  var status = document.getElementById("desk-status");
  var searchForm = document.querySelector("form[role=search]");
  var results = document.getElementById("search-results");
  var REFRESH_MS = 60000;
  var syncing = false;
  var seq = 0;

  // The worker caches what it fetches; this page and its assets were fetched before it ran,
  // so they are put in its cache here: the first visit is enough to work offline.
  if ("serviceWorker" in navigator && window.caches) {
    navigator.serviceWorker.register(d.swUrl, { scope: d.swScope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      var assets = Array.prototype.map.call(
        document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=manifest], img[src]"),
        function (el) { return el.src || el.href; });
      return caches.open("summit-desk-v1").then(function (cache) {
        if (d.qrWorkerUrl) { assets.push(d.qrWorkerUrl); }
        return cache.addAll([location.origin + location.pathname].concat(assets));
      });
    }).then(function () { page.dataset.cached = "true"; }).catch(function () {});
  }

  // --- IndexedDB ---------------------------------------------------------------------------
  var dbPromise = null;
  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open("summit-desk", 1);
        request.onupgradeneeded = function () {
          var db = request.result;
          db.createObjectStore("snapshot");
          db.createObjectStore("log");
          db.createObjectStore("queue", { keyPath: "nonce" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }
  function tx(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function getAll(store) { return tx(store, "readonly", function (s) { return s.getAll(); }); }

  // --- snapshot ----------------------------------------------------------------------------
  var snapshot = null;  // {key, generated_at, byHash: {hash: registration}}

  function indexSnapshot(body) {
    page.dataset.snapshotAt = body.generated_at;
    var byHash = {};
    body.registrations.forEach(function (r) { byHash[r.code_hash] = r; });
    return { key: body.key, generated_at: body.generated_at, registrations: body.registrations,
             byHash: byHash };
  }
  function loadSnapshot() {
    return tx("snapshot", "readonly", function (s) { return s.get(slug); }).then(function (body) {
      if (body && !snapshot) { snapshot = indexSnapshot(body); }
    });
  }
  function refreshSnapshot() {
    if (!navigator.onLine) { return Promise.resolve(); }
    return fetch(d.snapshotUrl, { credentials: "same-origin",
                                  headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error(String(response.status)); }
        reachable();
        return response.json();
      }).then(function (body) {
        snapshot = indexSnapshot(body);
        return tx("snapshot", "readwrite", function (s) { s.put(body, slug); });
      }).catch(function () { /* the next refresh tries again */ });
  }

  // --- codes -------------------------------------------------------------------------------
  var URL_RE = /^https?:\/\/[^\s/]+(?:\/[^\s/?#]*)*\/([^\s/?#]+)\/?$/i;
  function normalise(raw) {
    var text = (raw || "").trim();
    var match = URL_RE.exec(text);
    if (match) { text = match[1]; }
    return text.replace(/[\s\-\u2010-\u2015\u2212]+/g, "").toUpperCase();
  }
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function hashes(code) {
    var keyBytes = new Uint8Array(snapshot.key.match(/../g).map(function (h) { return parseInt(h, 16); }));
    var variants = [code];
    var swapped = code.replace(/[YZ]/g, function (c) { return c === "Y" ? "Z" : "Y"; });
    if (swapped !== code) { variants.push(swapped); }
    return crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false,
                                   ["sign"]).then(function (key) {
      return Promise.all(variants.map(function (v) {
        return crypto.subtle.sign("HMAC", key, new TextEncoder().encode(v)).then(hex);
      }));
    });
  }

  // --- answers -----------------------------------------------------------------------------
  function time(iso) {
    var date = new Date(iso);
    return date.toLocaleTimeString(document.documentElement.lang || undefined,
                                   { hour: "2-digit", minute: "2-digit" });
  }
  function show(tone, kind, title, person, help) {
    var box = document.createElement("div");
    box.className = "answer answer-" + tone + " is-fresh";
    box.dataset.result = kind;
    box.dataset.offline = "true";
    [["answer-title", title],
     ["answer-name", person ? person.first_name + " " + person.last_name : ""],
     ["answer-meta", person ? person.category + (person.organisation ? " · " + person.organisation : "") : ""],
     ["answer-help", help]].forEach(function (part) {
      if (!part[1]) { return; }
      var p = document.createElement("p");
      p.className = part[0];
      p.textContent = part[1];
      box.appendChild(p);
    });
    answer.replaceChildren(box);
  }

  function nonce() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return hex(bytes);
  }

  function deskName() {
    var field = document.querySelector("#desk-name-form input[name=desk]");
    return field ? field.value.trim() : "";
  }

  function scanOffline(raw) {
    var code = normalise(raw);
    var scannedAt = new Date().toISOString();
    var item = { code: raw.trim().slice(0, 2000), scanned_at: scannedAt, nonce: nonce(),
                 desk: deskName(), seq: Date.now() * 1000 + (seq++ % 1000) };
    var note = d.msgOfflineNote;
    var work = snapshot ? hashes(code) : Promise.resolve([]);
    return work.then(function (found) {
      var hash = null;
      var person = null;
      found.some(function (h) {
        if (snapshot.byHash[h]) { hash = h; person = snapshot.byHash[h]; return true; }
        return false;
      });
      if (!snapshot) {
        item.local_answer = "";
        show("bad", "unknown", d.msgNoSnapshot, null, note);
        return item;
      }
      if (!person) {
        item.local_answer = "unknown";
        show("bad", "unknown", d.msgUnknown, null, note);
        return item;
      }
      if (person.status !== "confirmed") {
        item.local_answer = person.status;
        show("bad", person.status,
             person.status === "cancelled" ? d.msgCancelled : d.msgWaitlisted, person, note);
        return item;
      }
      return tx("log", "readonly", function (s) { return s.get(slug + ":" + hash); })
        .then(function (here) {
          if (here) {
            item.local_answer = "already_checked_in";
            show("warn", "already_checked_in", d.msgAlreadyHere.replace("{time}", time(here)),
                 person, note);
          } else if (person.checked_in_at) {
            item.local_answer = "already_checked_in";
            show("warn", "already_checked_in", d.msgAlready.replace("{time}", time(person.checked_in_at)),
                 person, note);
          } else {
            item.local_answer = "checked_in";
            show("ok", "checked_in", d.msgWelcome, person, note);
            return tx("log", "readwrite", function (s) { s.put(scannedAt, slug + ":" + hash); })
              .then(function () { return item; });
          }
          return item;
        });
    }).then(function (queued) {
      return tx("queue", "readwrite", function (s) { s.put(queued); });
    }).then(updateStatus);
  }

  // Offline, the scan form answers here; online, desk.js sends it as before.
  document.addEventListener("submit", function (event) {
    if (!isOffline()) { return; }
    if (event.target === scanForm) {
      event.preventDefault();
      event.stopImmediatePropagation();
      var raw = input.value;
      input.value = "";
      input.focus({ preventScroll: true });
      if (raw.trim()) { scanOffline(raw); }
    } else if (event.target === searchForm) {
      event.preventDefault();
      event.stopImmediatePropagation();
      searchOffline(searchForm.querySelector("input[name=q]").value);
    }
  }, true);

  // --- offline search by name ----------------------------------------------------------------
  function fold(text) {
    var base = (text || "").toLowerCase();
    var plain = base.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    var spelled = base.replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue")
      .replace(/ß/g, "ss").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    return plain + " " + spelled;
  }
  function searchOffline(query) {
    var words = (query || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .split(/\s+/).filter(Boolean);
    results.replaceChildren();
    if (!snapshot || !words.length) { return; }
    var hits = snapshot.registrations.filter(function (r) {
      var key = fold(r.first_name + " " + r.last_name + " " + r.organisation);
      return words.every(function (w) { return key.indexOf(w) !== -1; });
    }).slice(0, 25);
    var list = document.createElement("ul");
    list.className = "search-results offline-results";
    hits.forEach(function (r) {
      var li = document.createElement("li");
      var state = r.status !== "confirmed"
        ? (r.status === "cancelled" ? d.msgCancelled : d.msgWaitlisted)
        : (r.checked_in_at ? d.msgAlready.replace("{time}", time(r.checked_in_at)) : d.msgNotArrived);
      li.textContent = r.first_name + " " + r.last_name + " · " + r.category +
        (r.organisation ? " · " + r.organisation : "") + " — " + state;
      list.appendChild(li);
    });
    var p = document.createElement("p");
    p.className = "meta";
    p.textContent = hits.length ? d.msgSearchOffline : d.msgSearchNone;
    results.append(p, list);
  }

  // --- status and sync -------------------------------------------------------------------------
  // Venue Wi-Fi often stays connected while its uplink is gone: the browser says online but
  // the server does not answer. desk.js reports that (serverUnreachable), and until a
  // request gets through again the desk answers from the snapshot as if offline.
  var unreachable = false;
  function isOffline() { return !navigator.onLine || unreachable; }
  function reachable() {
    if (unreachable) { unreachable = false; updateStatus(); }
  }

  function updateStatus() {
    return getAll("queue").then(function (queue) {
      var n = queue.length;
      var waiting = n ? " · " + (n === 1 ? d.msgWaitingOne : d.msgWaitingOther).replace("{n}", n) : "";
      status.textContent = (isOffline() ? d.msgOffline : d.msgOnline) + waiting;
      status.className = "desk-status " + (isOffline() ? "is-offline" : "is-online");
      status.dataset.waiting = String(n);
    });
  }

  function sync() {
    if (syncing || !navigator.onLine) { return Promise.resolve(); }
    syncing = true;
    return getAll("queue").then(function (queue) {
      if (!queue.length) { return null; }
      queue.sort(function (a, b) { return a.seq - b.seq; });
      var token = scanForm.querySelector("input[name=csrf_token]").value;
      return fetch(d.syncUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json",
                   "X-CSRFToken": token },
        body: JSON.stringify({ scans: queue.map(function (q) {
          return { code: q.code, scanned_at: q.scanned_at, nonce: q.nonce, desk: q.desk,
                   local_answer: q.local_answer };
        }) })
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        reachable();
        return response.json();
      }).then(function (body) {
        // Every answered nonce is done: stored once on the server (or refused for good).
        return tx("queue", "readwrite", function (s) {
          body.results.forEach(function (r) { if (r.nonce) { s.delete(r.nonce); } });
        });
      });
    }).catch(function () { /* kept in the queue: the next reconnect or minute retries */ })
      .then(function () { syncing = false; return updateStatus(); });
  }

  function reconnect() {
    updateStatus();
    sync().then(refreshSnapshot);
  }
  window.addEventListener("online", reconnect);
  window.addEventListener("offline", updateStatus);
  window.setInterval(function () { if (navigator.onLine) { sync().then(refreshSnapshot); } },
                     REFRESH_MS);

  // --- log-out wipes what this device knows ------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.action || !/\/logout$/.test(new URL(form.action).pathname) || form.dataset.wiped) { return; }
    event.preventDefault();
    var wipe = tx("snapshot", "readwrite", function (s) { s.clear(); })
      .then(function () { return tx("log", "readwrite", function (s) { s.clear(); }); })
      .then(function () {
        return window.caches ? caches.keys().then(function (names) {
          return Promise.all(names.map(function (n) { return caches.delete(n); }));
        }) : null;
      });
    wipe.catch(function () {}).then(function () { form.dataset.wiped = "1"; form.submit(); });
  }, true);

  loadSnapshot().then(updateStatus).then(function () {
    if (navigator.onLine) { reconnect(); }
  });
  // desk.js: a scan whose request got no answer is answered here and queued.
  function serverUnreachable(raw) {
    unreachable = true;
    updateStatus();
    return raw && raw.trim() ? scanOffline(raw) : Promise.resolve();
  }
  window.summitDesk = { sync: sync, refreshSnapshot: refreshSnapshot,
                        serverUnreachable: serverUnreachable };
}());
