/* Shared by the run-of-show page, the hall display and the "now" board: the server pushes each
   new state (polling every second where it cannot), and the countdown ticks locally in
   between, so every screen shows the same state. */
(function () {
  "use strict";

  var POLL_MS = 1000;
  var TICK_MS = 200;
  var STREAM_ATTEMPTS = 3;  // failed connections in a row before polling takes over
  var STREAM_RETRY_MS = 30000;  // then the stream is tried again this often

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

    /* Follow the state at `url`: `render(snap)` runs on each new snapshot, `tick(snap,
     receivedAt)` several times a second, `offline(true|false)` when the connection is lost
     or back. Pushed by the server (Server-Sent Events) when a stream address is known:
     `options.stream`, or the data-stream-url of the element whose data-state-url is `url`
     (data-stream-refetch: the event only says "changed", this screen fetches `url` itself,
     as the moderators' screens do for their controls). Each stream begins with the current
     state, so a screen catches up after every reconnect. Without EventSource, or while the
     stream keeps failing (the server's Redis is away), it polls `url` every second and tries
     the stream again now and then. Returns {accept(snap)} to feed snapshots from elsewhere. */
  function watch(url, render, tick, offline, options) {
    options = options || {};
    var holder = document.querySelector('[data-state-url="' + url + '"]');
    var streamUrl = options.stream || (holder && holder.getAttribute("data-stream-url"));
    var refetch = options.refetch !== undefined ? options.refetch
      : !!(holder && holder.hasAttribute("data-stream-refetch"));
    var snap = null;
    var receivedAt = 0;
    var failures = 0;
    var polling = false;
    var source = null;
    var streamErrors = 0;

    function accept(next) {
      if (snap && typeof snap.version === "number" && typeof next.version === "number" &&
          next.version < snap.version && next.started_at === snap.started_at) {
        return;  // an answer overtaken by a newer push (a run started afresh counts anew)
      }
      snap = next;
      receivedAt = performance.now();
      failures = 0;
      offline(false);
      render(snap);
      tick(snap, receivedAt);
    }

    function fetchState() {
      return fetch(url, { cache: "no-store", credentials: "same-origin",
                          headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(accept);
    }

    function poll() {
      if (!polling) { return; }
      fetchState()
        .catch(function () {
          failures += 1;
          if (failures >= 3) { offline(true); }
        })
        .then(function () { if (polling) { window.setTimeout(poll, POLL_MS); } });
    }

    function startPolling() {
      if (!polling) { polling = true; poll(); }
    }

    function openStream() {
      source = new EventSource(streamUrl);
      source.addEventListener("state", function (event) {
        streamErrors = 0;
        polling = false;  // pushed from now on
        if (refetch) { fetchState().catch(function () { startPolling(); }); }
        else { accept(JSON.parse(event.data)); }
      });
      source.addEventListener("unavailable", function () {
        source.close();  // the server cannot push to this screen now (its Redis is away)
        source = null;
        startPolling();
        window.setTimeout(openStream, STREAM_RETRY_MS);
      });
      source.onerror = function () {
        streamErrors += 1;
        offline(true);  // "reconnecting": the browser retries by itself
        if (source.readyState === EventSource.CLOSED || streamErrors >= STREAM_ATTEMPTS) {
          source.close();
          source = null;
          startPolling();
          window.setTimeout(openStream, STREAM_RETRY_MS);
        }
      };
    }

    window.setInterval(function () { if (snap) { tick(snap, receivedAt); } }, TICK_MS);
    if (streamUrl && window.EventSource) { openStream(); } else { startPolling(); }
    return { accept: accept };
  }

  window.SummitLive = {
    watch: watch, countdownText: countdownText, secondsLeft: secondsLeft,
    get: get, delayText: delayText, setText: setText
  };
})();
