/* The speaker's view: follows the session's snapshot (SummitLive.watch), colours the screen
   by the time left, shows the moderators' messages and tells the server when it showed one
   ("seen"), keeps the screen awake (Screen Wake Lock, asked for again whenever the page
   becomes visible) and goes full screen on request (Fullscreen API). */
(function () {
  "use strict";

  var root = document.getElementById("speaker");
  if (!root || !window.SummitLive) { return; }
  var live = window.SummitLive;
  var labels = JSON.parse(root.getAttribute("data-labels"));
  var words = JSON.parse(root.getAttribute("data-speaker-labels"));
  var seenUrl = root.getAttribute("data-seen-url");
  var csrf = root.getAttribute("data-csrf");
  var reported = {};
  var COLOURS = ["colour-normal", "colour-warning", "colour-danger", "colour-over"];
  var STATES = ["state-idle", "state-running", "state-ended", "phase-pitch", "phase-qa",
                "phase-changeover", "phase-none"];

  function colourOf(snap, left) {
    if (snap.state !== "running" || left === null) { return "normal"; }
    if (left <= -1) { return "over"; }
    if (left <= 0) { return "danger"; }
    return left <= snap.warning_seconds ? "warning" : "normal";
  }

  /* While paused the clock stands: measure from "now" instead of the snapshot's arrival. */
  function since(snap, receivedAt) { return snap.paused ? performance.now() : receivedAt; }

  function render(snap) {
    STATES.forEach(function (c) { root.classList.remove(c); });
    root.classList.add("state-" + snap.state, "phase-" + (snap.phase || "none"));
    root.classList.toggle("is-paused", !!snap.paused);
    root.classList.toggle("is-blackout", !!snap.blackout);
    var phase = labels.phase[snap.phase] || "";
    if (snap.state === "idle") { phase = words.idle.replace("{time}", snap.session.starts_local); }
    if (snap.state === "ended") { phase = words.ended; }
    live.setText(root, "phase_label", phase);
    root.querySelector('[data-field="paused"]').hidden = !snap.paused;
    root.querySelector(".sp-now").hidden = !snap.current;
    live.setText(root, "current.title", snap.current ? snap.current.title : "");
    live.setText(root, "current.presenter", snap.current ? snap.current.presenter : "");
    live.setText(root, "next.title", snap.next ? snap.next.title : words.end);
    live.setText(root, "next.presenter", snap.next ? snap.next.presenter : "");
    renderMessages(snap.messages || [], snap.blackout);
  }

  function renderMessages(messages, dark) {
    var box = root.querySelector(".sp-messages");
    var shown = messages.slice(0, 3);
    var key = shown.map(function (m) { return m.id + ":" + m.body; }).join("|");
    if (box.getAttribute("data-key") !== key) {
      box.setAttribute("data-key", key);
      box.textContent = "";
      shown.forEach(function (m) {
        var p = document.createElement("p");
        p.className = "sp-message";
        p.setAttribute("data-message-id", String(m.id));
        p.textContent = m.body;
        box.appendChild(p);
      });
    }
    // Seen only when really on the screen: not while blacked out or in a hidden tab.
    if (dark || document.visibilityState !== "visible") { return; }
    shown.forEach(function (m) {
      if (m.seen_at || reported[m.id]) { return; }
      reported[m.id] = true;
      fetch(seenUrl.replace(/\/0\/seen$/, "/" + m.id + "/seen"), {
        method: "POST", credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf }
      }).then(function (response) {
        if (!response.ok && response.status !== 404) { delete reported[m.id]; }
      }).catch(function () { delete reported[m.id]; });
    });
  }

  function tick(snap, receivedAt) {
    var left = live.secondsLeft(snap, since(snap, receivedAt));
    // The first second past the end reads 0:00 (danger), not +0:00: the overrun starts at +0:01.
    var text = left !== null && left <= 0 && left > -1 ? "0:00"
      : live.countdownText(snap, since(snap, receivedAt));
    // Before the start: when it starts; after the end: nothing.
    if (snap.state === "idle") { text = snap.session.starts_local; }
    if (snap.state === "ended") { text = ""; }
    live.setText(root, "countdown", text);
    var colour = "colour-" + colourOf(snap, left);
    if (!root.classList.contains(colour)) {
      COLOURS.forEach(function (c) { root.classList.remove(c); });
      root.classList.add(colour);
    }
  }

  function offline(isOffline) {
    var el = root.querySelector('[data-field="offline"]');
    el.hidden = !isOffline;
    el.textContent = isOffline ? labels.offline : "";
  }

  /* Full screen: only where the browser offers it (iPhone Safari does not). */
  var button = root.querySelector("[data-fullscreen]");
  if (document.fullscreenEnabled && button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else { document.documentElement.requestFullscreen().catch(function () {}); }
    });
    document.addEventListener("fullscreenchange", function () {
      button.textContent = document.fullscreenElement ? words.exit_fullscreen : words.fullscreen;
    });
  }

  /* Keep the screen on. The browser lets go of the lock whenever the page is hidden, so it
     is asked for again each time the page becomes visible. */
  var lock = null;
  function stayAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible" || lock) { return; }
    navigator.wakeLock.request("screen").then(function (sentinel) {
      lock = sentinel;
      awake(true);
      sentinel.addEventListener("release", function () { lock = null; });
    }).catch(function () { awake(false); });
  }
  function awake(ok) {
    var el = root.querySelector('[data-field="awake"]');
    el.hidden = ok;
    el.textContent = ok ? "" : words.awake_failed;
  }
  document.addEventListener("visibilitychange", stayAwake);
  // Some browsers grant the lock only after a touch: ask again on the first one.
  document.addEventListener("pointerdown", stayAwake);
  stayAwake();

  live.watch(root.getAttribute("data-state-url"), render, tick, offline);
})();
