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
      var button = form.querySelector('button[type="submit"]');
      form.querySelector('input[name="version"]').value = String(snap.version);
      if (action === "blackout") {  // a toggle, possible in every state
        button.setAttribute("aria-pressed", snap.blackout ? "true" : "false");
        button.disabled = false;
        return;
      }
      if (action === "undo") { form.hidden = !snap.undo; }
      else if (action === "start") { form.hidden = snap.state !== "idle"; }
      else if (action === "pause") { form.hidden = snap.state !== "running" || snap.paused; }
      else if (action === "resume") { form.hidden = snap.state !== "running" || !snap.paused; }
      else if (action !== "end") { form.hidden = snap.state !== "running"; }
      button.disabled = !snap.can[action];
    });
    root.querySelector('[data-field="paused"]').hidden = !snap.paused;
    root.querySelector('[data-field="blackout"]').hidden = !snap.blackout;
    renderMessages(snap.messages || []);
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
    // While paused the clock stands: measure from "now" instead of the snapshot's arrival.
    if (snap.paused) { receivedAt = performance.now(); }
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
      if (button.disabled) { return; }
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

  /* Messages to the stage: the list with "seen at", sending and dismissing without reloads. */
  var messages = document.getElementById("messages");

  function renderMessages(list) {
    var ul = messages.querySelector("[data-message-list]");
    var key = list.map(function (m) { return m.id + ":" + (m.seen_local || ""); }).join("|");
    if (ul.getAttribute("data-key") === key) { return; }
    ul.setAttribute("data-key", key);
    var token = messages.querySelector('input[name="csrf_token"]').value;
    ul.textContent = "";
    list.forEach(function (m) {
      var li = document.createElement("li");
      li.setAttribute("data-message-id", String(m.id));
      var body = document.createElement("strong");
      body.textContent = m.body;
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " " + messages.getAttribute("data-sent-text").replace("{time}", m.sent_local) + " · ";
      var seen = document.createElement("span");
      seen.setAttribute("data-seen", "");
      seen.textContent = m.seen_at ? messages.getAttribute("data-seen-text").replace("{time}", m.seen_local)
        : messages.getAttribute("data-unseen-text");
      meta.appendChild(seen);
      var form = document.createElement("form");
      form.method = "post";
      form.className = "ros-dismiss";
      form.action = messages.getAttribute("data-dismiss-url").replace(/\/0\/dismiss$/, "/" + m.id + "/dismiss");
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "csrf_token";
      hidden.value = token;
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "button small";
      button.textContent = messages.getAttribute("data-dismiss-text");
      form.appendChild(hidden);
      form.appendChild(button);
      li.appendChild(body);
      li.appendChild(meta);
      li.appendChild(form);
      ul.appendChild(li);
    });
  }

  function post(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    return fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    });
  }

  function fieldError(form, text) {
    var input = form.querySelector('input[name="body"]');
    if (!input) { showMessage(text); return; }
    var error = form.querySelector(".error[data-live]");
    if (!error) {
      error = document.createElement("p");
      error.className = "error";
      error.id = input.id + "-live-error";
      error.setAttribute("data-live", "");
      error.setAttribute("role", "alert");
      input.parentNode.appendChild(error);
    }
    error.textContent = text;
    error.hidden = !text;
    input.setAttribute("aria-invalid", text ? "true" : "false");
    if (text) { input.setAttribute("aria-describedby", error.id); }
  }

  messages.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-message-form], .ros-dismiss")) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    post(form, submitter).then(function (result) {
      if (result.ok) {
        watcher.accept(result.body);
        fieldError(form, "");
        var input = form.querySelector('input[name="body"]');
        if (input) { input.value = ""; }
      } else if (result.body.errors) {
        fieldError(form, result.body.errors.body ? result.body.errors.body.join(" ") : "");
      } else if (result.body.error) {
        showMessage(result.body.error.message);
      }
    }).catch(function () { form.submit(); });
  });

  /* Keys, and presentation clickers (which send Page Down / Page Up, some "B" or "."):
     never while someone types in a field, never with a modifier (browser shortcuts). */
  var KEYS = { PageDown: "next", ArrowRight: "next", PageUp: "back", ArrowLeft: "back",
               b: "blackout", B: "blackout", ".": "blackout", p: "pause", P: "pause" };
  document.addEventListener("keydown", function (event) {
    var action = KEYS[event.key];
    if (!action || event.ctrlKey || event.altKey || event.metaKey || event.repeat) { return; }
    var target = event.target;
    if (target && (target.isContentEditable
        || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    if (dialog && dialog.open) { return; }
    if (action === "pause" && !root.querySelector('form[data-action="pause"]').offsetParent) {
      action = "resume";
    }
    var form = root.querySelector('form.ros-action[data-action="' + action + '"]');
    if (!form || form.hidden) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    if (!button.disabled) { form.requestSubmit(button); }
  });
})();
