/* The moderators' run-of-show page: live state from the server, buttons without reloads.
   Without JavaScript the page still works: every button is a plain POST form, and "End
   session…" is a link to a page that asks first; here it opens the same question in a
   dialog instead. */
(function () {
  "use strict";

  var root = document.getElementById("ros");
  if (!root || !window.SummitLive) { return; }
  var live = window.SummitLive;
  var labels = JSON.parse(root.getAttribute("data-labels"));
  var stateClasses = ["state-idle", "state-running", "state-ended"];
  var phaseClasses = ["phase-pitch", "phase-qa", "phase-changeover", "phase-none"];

  function render(snap) {
    stateClasses.concat(phaseClasses).forEach(function (c) { root.classList.remove(c); });
    root.classList.add("state-" + snap.state, "phase-" + (snap.phase || "none"));

    live.setText(root, "state_label", labels.state[snap.state] || snap.state);
    root.querySelectorAll('[data-toggle="rehearsal"]').forEach(function (el) {
      el.hidden = !snap.rehearsal;
    });
    live.setText(root, "phase_label", snap.phase ? labels.phase[snap.phase] : "");
    var delay = root.querySelector('[data-field="delay"]');
    if (delay) {
      delay.textContent = live.delayText(labels, snap.delay_minutes);
      delay.classList.toggle("is-behind", snap.delay_minutes > 0);
      delay.classList.toggle("is-ahead", snap.delay_minutes < 0);
    }
    var fallback = snap.state === "idle" ? root.getAttribute("data-idle-text")
      : root.getAttribute("data-ended-text");
    live.setText(root, "current.title", snap.current ? snap.current.title : (fallback || ""));
    ["presenter", "organisation"].forEach(function (key) {
      live.setText(root, "current." + key, snap.current ? snap.current[key] : "");
    });
    ["title", "presenter", "organisation", "expected_start_local"].forEach(function (key) {
      var value = snap.next ? snap.next[key] : (key === "title" ? labels.nobody : "");
      live.setText(root, "next." + key, value || "");
    });
    live.setText(root, "expected_end_local", snap.expected_end_local || "");

    snap.pitches.forEach(function (pitch) {
      var row = root.querySelector('tr[data-pitch-id="' + pitch.id + '"]');
      if (!row) { return; }
      row.className = "status-" + pitch.status;
      var cell = row.querySelector('[data-cell="expected"]');
      if (cell && cell.textContent !== pitch.expected_start_local) {
        cell.textContent = pitch.expected_start_local || "";
      }
    });

    root.querySelectorAll("form.ros-action").forEach(function (form) {
      var action = form.getAttribute("data-action");
      if (action === "undo") { form.hidden = !snap.undo; }
      else if (action === "start") { form.hidden = snap.state !== "idle"; }
      else if (action !== "end") { form.hidden = snap.state !== "running"; }
      form.querySelector('button[type="submit"]').disabled = !snap.can[action];
      form.querySelector('input[name="version"]').value = String(snap.version);
    });
    if (snap.undo) {
      live.setText(root, "undo_label", labels.undo[snap.undo.action] || "");
      live.setText(root, "undo_until", labels.undo_until.replace("{time}", snap.undo.until_local));
      undoForm.querySelector("button").classList.toggle("primary", snap.undo.action === "end");
    }
    root.querySelectorAll("form.ros-end-confirm").forEach(function (form) {
      form.querySelector('input[name="version"]').value = String(snap.version);
      form.querySelector("button").disabled = !snap.can.end;
    });
    endLink.hidden = snap.state !== "running";
    if (snap.state !== "running" && dialog && dialog.open) { dialog.close(); }
  }

  function tick(snap, receivedAt) {
    live.setText(root, "countdown", live.countdownText(snap, receivedAt));
    var left = live.secondsLeft(snap, receivedAt);
    root.classList.toggle("is-over", left !== null && left <= 0);
    root.classList.toggle("is-ending", left !== null && left > 0 && left <= 30);
  }

  function offline(isOffline) {
    var el = root.querySelector('[data-field="offline"]');
    if (!el) { return; }
    el.hidden = !isOffline;
    el.textContent = isOffline ? labels.offline : "";
  }

  var undoForm = root.querySelector('form[data-action="undo"]');
  var endLink = root.querySelector("a[data-opens]");
  var dialog = document.getElementById(endLink.getAttribute("data-opens"));
  if (dialog && typeof dialog.showModal === "function") {
    endLink.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.showModal();  // focus goes to its Cancel button (autofocus)
    });
  } else {
    dialog = null;  // no <dialog> support: the link leads to the page that asks
  }

  var watcher = live.watch(root.getAttribute("data-state-url"), render, tick, offline);

  root.querySelectorAll("form.ros-action, form.ros-end-confirm").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        var snap = result.ok ? result.body : result.body.state;
        if (dialog && dialog.open) { dialog.close(); }
        if (snap) { watcher.accept(snap); }
        if (!result.ok && result.body.error) { showMessage(result.body.error.message); }
        else { showMessage(""); }
        // The pressed button may be gone now (End, Start): keep the focus on the controls.
        if (!form.offsetParent || button.disabled) { focusControl(); }
      }).catch(function () {
        form.submit();  // fall back to the plain form
      });
    });
  });

  function focusControl() {
    var candidates = root.querySelectorAll(".ros-controls button, .ros-secondary button");
    for (var i = 0; i < candidates.length; i += 1) {
      if (candidates[i].offsetParent && !candidates[i].disabled) { candidates[i].focus(); return; }
    }
  }

  function showMessage(text) {
    var box = document.getElementById("ros-message");
    if (!box) { return; }
    box.textContent = text;
    box.hidden = !text;
  }
})();
