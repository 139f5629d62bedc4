// The check-in desk, faster: forms are sent with fetch and the server's rendered answer is
// swapped in, the scan input keeps the focus, counts refresh by polling, and a camera can
// scan where the browser has the BarcodeDetector API. Without this file every form still
// posts and the page renders the answer.
(function () {
  "use strict";

  var page = document.getElementById("desk-page");
  if (!page || !window.fetch || !window.FormData) { return; }
  document.documentElement.classList.add("js");

  var scanForm = document.getElementById("scan-form");
  var input = scanForm.querySelector("input[name=code]");
  var answer = document.getElementById("desk-answer");
  var results = document.getElementById("search-results");
  var live = document.getElementById("desk-live");
  var POLL_MS = 5000;
  var busy = false;

  function focusScan() {
    input.focus({ preventScroll: true });
  }

  function showAnswer(html) {
    answer.innerHTML = html;
    var box = answer.querySelector(".answer");
    if (box) {
      box.classList.add("is-fresh");
      // Checked in from a search row far down the page: bring the answer into view.
      var rect = box.getBoundingClientRect();
      if (rect.top < 0 || rect.bottom > window.innerHeight) {
        box.scrollIntoView({ block: "nearest" });
      }
    }
  }

  function showProblem(message) {
    var box = document.createElement("div");
    box.className = "answer answer-bad is-fresh";
    var title = document.createElement("p");
    title.className = "answer-title";
    title.textContent = message;
    box.appendChild(title);
    answer.replaceChildren(box);
  }

  // A scan that gets no answer in this time is answered from the offline snapshot instead.
  var ANSWER_MS = 5000;

  function NoAnswer() { this.message = page.dataset.msgFailed; }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var abort = window.AbortController ? new AbortController() : null;
    var timer = abort ? window.setTimeout(function () { abort.abort(); }, ANSWER_MS) : null;
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      signal: abort ? abort.signal : undefined
    }).catch(function () {
      throw new NoAnswer();  // the network is up but the server is out of reach
    }).then(function (response) {
      window.clearTimeout(timer);
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // A CSRF failure or a lost session answers with an HTML page.
        throw new Error(response.status === 400 || response.status === 401 ||
          response.redirected ? page.dataset.msgExpired : page.dataset.msgFailed);
      }
      return response.json();
    });
  }

  function handle(form, submitter) {
    if (busy) { return; }
    var isScan = form === scanForm;
    if (isScan && !input.value.trim()) { focusScan(); return; }
    busy = true;
    scanForm.classList.add("is-busy");
    var raw = isScan ? input.value : "";
    send(form, submitter).then(function (body) {
      if (body.html !== undefined) { showAnswer(body.html); }
      if (body.search_html !== undefined) { results.innerHTML = body.search_html; }
      if (body.live_html !== undefined) { live.innerHTML = body.live_html; }
    }).catch(function (error) {
      if (error instanceof NoAnswer && isScan && window.summitDesk) {
        return window.summitDesk.serverUnreachable(raw);
      }
      showProblem(error && error.message ? error.message : page.dataset.msgFailed);
    }).then(function () {
      busy = false;
      scanForm.classList.remove("is-busy");
      if (isScan) { input.value = ""; }
      focusScan();
    });
  }

  // Every desk form (scan, undo, check-in by name), including those swapped in later.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-desk-form]")) { return; }
    event.preventDefault();
    handle(form, event.submitter);
  });

  // Scanners type into whatever has focus: bring stray keystrokes back to the input.
  document.addEventListener("keydown", function (event) {
    var active = document.activeElement;
    if (event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1 ||
        event.key === " ") { return; }
    if (active && active.matches("input, textarea, select, [contenteditable]")) { return; }
    focusScan();
  });

  // --- live counts ------------------------------------------------------------------------
  var polling = null;

  function refreshLive() {
    return fetch(page.dataset.liveUrl, {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (body) {
      live.innerHTML = body.html;
    }).catch(function () { /* the next poll tries again */ });
  }

  function startPolling() {
    if (polling === null) { polling = window.setInterval(refreshLive, POLL_MS); }
  }

  function stopPolling() {
    if (polling !== null) { window.clearInterval(polling); polling = null; }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { stopPolling(); } else { refreshLive(); startPolling(); }
  });
  startPolling();

  // --- desk name: saved as soon as it changes ---------------------------------------------
  var deskForm = document.getElementById("desk-name-form");
  var saved = document.getElementById("desk-saved");
  if (deskForm) {
    var deskInput = deskForm.querySelector("input[name=desk]");
    var saveDesk = function () {
      send(deskForm).then(function (body) {
        if (body.errors) { throw new Error(page.dataset.msgFailed); }
        saved.textContent = page.dataset.msgSaved;
        window.setTimeout(function () { saved.textContent = ""; }, 2000);
        try { window.localStorage.setItem("summit-desk", body.desk); } catch (e) { /* private mode */ }
      }).catch(function (error) {
        // Offline the name stays in this page (offline scans carry it) and is saved later.
        saved.textContent = navigator.onLine ? error.message : "";
      });
    };
    deskForm.addEventListener("submit", function (event) { event.preventDefault(); saveDesk(); });
    deskInput.addEventListener("change", function () { saveDesk(); focusScan(); });
    window.addEventListener("online", function () { if (deskInput.value) { saveDesk(); } });
    // A desk whose cookie was lost (cleared, other browser profile) gets its name back.
    try {
      var remembered = window.localStorage.getItem("summit-desk");
      if (!deskInput.value && remembered) { deskInput.value = remembered; saveDesk(); }
    } catch (e) { /* private mode */ }
  }

  // --- camera -----------------------------------------------------------------------------
  var camera = document.getElementById("camera");
  var toggle = document.getElementById("camera-toggle");
  var video = document.getElementById("camera-video");
  var cameraError = document.getElementById("camera-error");
  var stream = null;
  var detector = null;
  var lastCode = "";
  var lastSeenAt = 0;
  var GONE_MS = 1500;  // a badge held in view is one scan; it counts again once it was away

  function stopCamera() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    video.srcObject = null;
    toggle.textContent = page.dataset.msgCameraStart;
  }

  function detectLoop() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      var now = Date.now();
      var code = codes.length ? codes[0].rawValue || "" : "";
      if (code && code === lastCode) { lastSeenAt = now; return; }
      if (!code) {
        if (now - lastSeenAt > GONE_MS) { lastCode = ""; }
        return;
      }
      if (busy) { return; }
      lastCode = code;
      lastSeenAt = now;
      input.value = code;
      handle(scanForm);
    }).catch(function () { /* a frame that could not be read */ }).then(function () {
      window.setTimeout(detectLoop, 200);
    });
  }

  function startCamera() {
    cameraError.hidden = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        toggle.textContent = page.dataset.msgCameraStop;
        return video.play();
      }).then(detectLoop).catch(function () {
        stopCamera();
        cameraError.textContent = page.dataset.msgCameraFailed;
        cameraError.hidden = false;
      }).then(focusScan);
  }

  function enableCamera() {
    camera.hidden = false;
    toggle.addEventListener("click", function () {
      if (stream) { stopCamera(); focusScan(); } else { startCamera(); }
    });
  }

  // No BarcodeDetector (Safari, Firefox, Chrome on Windows and Linux): the vendored
  // qr-scanner decodes the video's frames in a worker served by the app (works offline too).
  function qrScannerDetector() {
    var worker = null;
    return {
      detect: function (source) {
        worker = worker || new Worker(page.dataset.qrWorkerUrl);
        return window.QrScanner.scanImage(source, { qrEngine: worker,
                                                    returnDetailedScanResult: true })
          .then(function (result) { return result.data ? [{ rawValue: result.data }] : []; },
                function () { return []; });
      }
    };
  }

  var hasCamera = navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (hasCamera && !("BarcodeDetector" in window) && window.QrScanner &&
      page.dataset.qrWorkerUrl) {
    detector = qrScannerDetector();
    enableCamera();
  } else if ("BarcodeDetector" in window && hasCamera) {
    window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") === -1) { return; }
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      enableCamera();
    }).catch(function () { /* no camera scanning here: the scanner input remains */ });
  }

  focusScan();
}());
