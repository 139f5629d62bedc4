/* Pitch editor: reorder pitches by drag and drop. The Up/Down buttons stay as the keyboard
   and no-JavaScript path; this script only adds dragging. After a drop the new order is
   posted as JSON with the CSRF token; the reply's times and warnings update the page. */
(function () {
  "use strict";
  var list = document.querySelector("[data-pitch-order]");
  if (!list || !window.fetch) { return; }
  var status = document.querySelector("[data-order-status]");
  var dragged = null;
  var before = null;

  function rows() { return Array.prototype.slice.call(list.querySelectorAll("[data-pitch-id]")); }
  function order() { return rows().map(function (row) { return Number(row.dataset.pitchId); }); }

  function say(text, isError) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("is-error", Boolean(isError));
  }

  function refreshButtons() {
    var all = rows();
    all.forEach(function (row, index) {
      var buttons = row.querySelectorAll(".pitch-move button");
      if (buttons.length === 2) {
        buttons[0].disabled = index === 0;
        buttons[1].disabled = index === all.length - 1;
      }
    });
  }

  function showWarnings(warnings) {
    var box = document.querySelector("[data-warnings]");
    if (!box) { return; }
    var ul = box.querySelector("[data-warning-list]");
    var none = box.querySelector("[data-no-warnings]");
    ul.textContent = "";
    warnings.forEach(function (w) {
      var li = document.createElement("li");
      li.className = "warning warning-" + w.severity;
      li.textContent = w.text;
      ul.appendChild(li);
    });
    if (none) { none.hidden = warnings.length > 0; }
    box.classList.toggle("is-empty", warnings.length === 0);
  }

  function apply(data) {
    var byId = {};
    data.pitches.forEach(function (p) { byId[p.id] = p; });
    rows().forEach(function (row) {
      var p = byId[Number(row.dataset.pitchId)];
      if (!p) { return; }
      row.querySelector("[data-pos]").textContent = p.position;
      row.querySelector("[data-starts]").textContent = p.starts;
      row.querySelector("[data-ends]").textContent = p.ends;
    });
    showWarnings(data.warnings || []);
  }

  function restore(ids) {
    var byId = {};
    rows().forEach(function (row) { byId[row.dataset.pitchId] = row; });
    ids.forEach(function (id) { list.appendChild(byId[id]); });
    refreshButtons();
  }

  function save(previous) {
    say(list.dataset.savingText || "…", false);
    fetch(list.dataset.orderUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": list.dataset.csrf,
                 "Accept": "application/json" },
      body: JSON.stringify({ pitch_ids: order() })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        return data;
      });
    }).then(function (data) {
      apply(data);
      say(list.dataset.savedText || "✓", false);
    }).catch(function (error) {
      restore(previous);
      say((list.dataset.errorText || "") + " " + error.message, true);
    });
  }

  rows().forEach(function (row) { row.draggable = true; });

  list.addEventListener("dragstart", function (event) {
    var row = event.target.closest ? event.target.closest("[data-pitch-id]") : null;
    if (!row) { return; }
    dragged = row;
    before = order();
    row.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.pitchId);
  });

  list.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    var target = event.target.closest ? event.target.closest("[data-pitch-id]") : null;
    if (!target || target === dragged) { return; }
    var box = target.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? target.nextSibling : target);
  });

  list.addEventListener("drop", function (event) { event.preventDefault(); });

  list.addEventListener("dragend", function () {
    if (!dragged) { return; }
    dragged.classList.remove("is-dragging");
    var moved = dragged;
    dragged = null;
    refreshButtons();
    if (before && before.join(",") !== order().join(",")) {
      moved.classList.add("is-moved");
      window.setTimeout(function () { moved.classList.remove("is-moved"); }, 1500);
      save(before);
    }
  });
})();
