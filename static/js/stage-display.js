/* The "now on stage" hall display: follows the public snapshot by itself, hyphenates the
   pitch texts in their language and fits them to the screen. */
(function () {
  "use strict";

  var root = document.getElementById("stage");
  if (!root || !window.SummitLive || !window.SummitFit) { return; }
  var live = window.SummitLive;
  var labels = JSON.parse(root.getAttribute("data-labels"));
  var classes = ["state-idle", "state-running", "state-ended", "phase-pitch", "phase-qa",
                 "phase-changeover", "phase-none"];

  /* Soft hyphens where the language's patterns allow a break: long German compounds then
     break with a hyphen on any browser, with or without its own hyphenation dictionary. */
  var patterns = window[root.getAttribute("data-hyphenation")];
  var hyphenate = patterns && window.createHyphenator
    ? window.createHyphenator(patterns) : function (text) { return text; };

  function setHyphenated(field, text) {
    live.setText(root, field, hyphenate(text || ""));
  }

  /* Refit only when something that changes the layout changed, not on every tick: digits
     are equally wide in the fonts in use, so a text counts by its letters and length. */
  var fitted = "";
  function refit() {
    var key = [root.className.replace(/ is-\w+/g, ""), window.innerWidth, window.innerHeight,
               root.textContent.replace(/\d/g, "0")].join("|");
    if (key !== fitted) {
      fitted = key;
      window.SummitFit.fitAll(root);
    }
  }

  function render(snap) {
    classes.forEach(function (c) { root.classList.remove(c); });
    root.classList.add("state-" + snap.state, "phase-" + (snap.phase || "none"));
    root.classList.toggle("is-blackout", !!snap.blackout);
    live.setText(root, "phase_label", snap.phase ? labels.phase[snap.phase] : "");
    var showing = snap.phase === "changeover" ? snap.next : snap.current;
    var label = labels.now_on_stage;
    if (snap.state === "idle") { label = labels.starts_at.replace("{time}", snap.session.starts_local); }
    else if (snap.state === "ended") { label = labels.thank_you; }
    else if (snap.phase === "changeover") { label = labels.coming_up; }
    live.setText(root, "stage_label", label);
    setHyphenated("showing.title", showing ? showing.title : snap.session.title);
    live.setText(root, "showing.presenter", showing ? showing.presenter : "");
    setHyphenated("showing.organisation", showing ? showing.organisation : "");
    live.setText(root, "next.title", snap.next ? snap.next.title : root.getAttribute("data-no-next"));
    live.setText(root, "next.presenter", snap.next ? snap.next.presenter : "");
    live.setText(root, "next.expected_start_local", snap.next ? snap.next.expected_start_local : "");
    root.querySelectorAll("[data-show]").forEach(function (el) {
      el.hidden = el.getAttribute("data-show").split(" ").indexOf(snap.state) === -1;
    });
    root.querySelector(".stage-next").hidden = snap.phase === "changeover" || snap.state === "ended";
  }

  function tick(snap, receivedAt) {
    if (snap.paused) { receivedAt = performance.now(); }  // the clock stands while paused
    live.setText(root, "countdown", live.countdownText(snap, receivedAt));
    var left = live.secondsLeft(snap, receivedAt);
    root.classList.toggle("is-over", left !== null && left <= 0);
    root.classList.toggle("is-ending", left !== null && left > 0 && left <= 30);
    refit();
  }

  function offline(isOffline) {
    var el = root.querySelector('[data-field="offline"]');
    el.hidden = !isOffline;
    el.textContent = isOffline ? labels.offline : "";
  }

  // The page as the server rendered it, before the first snapshot arrives.
  root.querySelectorAll("[data-hyphenate]").forEach(function (el) {
    el.textContent = hyphenate(el.textContent);
  });
  refit();
  window.addEventListener("resize", refit);
  if (document.fonts) { document.fonts.ready.then(function () { fitted = ""; refit(); }); }

  live.watch(root.getAttribute("data-state-url"), render, tick, offline);
})();
