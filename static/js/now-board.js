/* The organiser's "now" board: every room's session, who is on stage and how late it runs,
   pushed by the server whenever a session of the event changes (polling when it cannot). */
(function () {
  "use strict";

  var root = document.getElementById("now-board");
  if (!root || !window.SummitLive) { return; }
  var live = window.SummitLive;
  var labels = JSON.parse(root.getAttribute("data-labels"));
  var words = JSON.parse(root.getAttribute("data-later"));

  function laterText(minutes) {
    return (minutes === 1 ? words.one : words.other).replace("{n}", String(minutes));
  }

  function render(board) {
    board.rooms.forEach(function (row) {
      var card = root.querySelector('[data-room="' + row.room_id + '"]');
      if (!card) { return; }
      var now = row.now;
      card.classList.toggle("is-live", !!now);
      live.setText(card, "session", now ? now.title : words.idle);
      live.setText(card, "presenter", now && now.presenter ? now.presenter : "");
      live.setText(card, "pitch", now && now.pitch ? now.pitch : "");
      live.setText(card, "phase", now && now.phase ? labels.phase[now.phase] : "");
      live.setText(card, "delay", now ? live.delayText(labels, now.delay_minutes) : "");
      var next = "";
      if (row.next) {
        next = words.next.replace("{title}", row.next.title).replace("{time}", row.next.planned_local);
        if (row.next.late_minutes > 0) { next += " (" + laterText(row.next.late_minutes) + ")"; }
      }
      live.setText(card, "next", next);
    });
  }

  function offline(isOffline) {
    var el = document.querySelector(".now-offline");
    el.hidden = !isOffline;
    el.textContent = isOffline ? labels.offline : "";
  }

  live.watch(root.getAttribute("data-state-url"), render, function () {}, offline,
             { stream: root.getAttribute("data-stream-url") });
})();
