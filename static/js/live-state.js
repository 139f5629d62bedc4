/* Shared by the run-of-show page and the hall display: poll the server's snapshot every
   second and tick the countdown locally in between, so every screen shows the same state. */
(function () {
  "use strict";

  var POLL_MS = 1000;
  var TICK_MS = 200;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function clock(seconds) {
    return Math.floor(seconds / 60) + ":" + pad(seconds % 60);
  }

  /* Signed seconds left in the phase right now: negative once the phase runs over. */
  function secondsLeft(snap, receivedAt) {
    if (snap.phase_remaining_seconds === null || snap.phase_remaining_seconds === undefined) {
      return null;
    }
    var base = snap.phase_remaining_seconds > 0 ? snap.phase_remaining_seconds
      : -(snap.overrun_seconds || 0);
    return base - (performance.now() - receivedAt) / 1000;
  }

  function countdownText(snap, receivedAt) {
    var left = secondsLeft(snap, receivedAt);
    if (left === null) { return "–:––"; }
    if (left > 0) { return clock(Math.ceil(left)); }
    return "+" + clock(Math.floor(-left));
  }

  function get(obj, path) {
    return path.split(".").reduce(function (value, key) {
      return value === null || value === undefined ? value : value[key];
    }, obj);
  }

  function delayText(labels, minutes) {
    if (minutes > 0) { return labels.behind.replace("{n}", String(minutes)); }
    if (minutes < 0) { return labels.ahead.replace("{n}", String(-minutes)); }
    return labels.on_time;
  }

  function setText(root, field, text) {
    root.querySelectorAll('[data-field="' + field + '"]').forEach(function (el) {
      if (el.textContent !== text) { el.textContent = text; }
    });
  }

  /* Start polling `url`; `render(snap)` runs on each new snapshot, `tick(snap, receivedAt)`
     several times a second. Returns {accept(snap)} to feed snapshots from other requests. */
  function watch(url, render, tick, offline) {
    var snap = null;
    var receivedAt = 0;
    var failures = 0;

    function accept(next) {
      snap = next;
      receivedAt = performance.now();
      failures = 0;
      offline(false);
      render(snap);
      tick(snap, receivedAt);
    }

    function poll() {
      fetch(url, { cache: "no-store", credentials: "same-origin",
                   headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(accept)
        .catch(function () {
          failures += 1;
          if (failures >= 3) { offline(true); }
        })
        .then(function () { window.setTimeout(poll, POLL_MS); });
    }

    window.setInterval(function () { if (snap) { tick(snap, receivedAt); } }, TICK_MS);
    poll();
    return { accept: accept };
  }

  window.SummitLive = {
    watch: watch, countdownText: countdownText, secondsLeft: secondsLeft,
    get: get, delayText: delayText, setText: setText
  };
})();
