// The hall display's vote layer: polls the vote's cheap state endpoint (every 3 s while the
// vote is open, for the count of votes cast; every 10 s otherwise, to notice opening and the
// reveal when no push arrives). Never shows standings before the reveal: the server sends
// none.
(function () {
  "use strict";
  var box = document.getElementById("stage-vote");
  if (!box) { return; }
  var openPart = box.querySelector(".stage-vote-open");
  var resultPart = box.querySelector(".stage-vote-result");
  var total = box.querySelector("[data-vote-total]");
  var totalLabel = box.querySelector("[data-vote-total-label]");
  var bars = box.querySelector("[data-vote-bars]");
  var svgNs = "http://www.w3.org/2000/svg";

  function bar(row) {
    var li = document.createElement("li");
    li.className = "stage-vote-bar" + (row.winner ? " is-winner" : "");
    var title = document.createElement("span");
    title.className = "stage-vote-bar-title";
    title.textContent = row.title + (row.winner ? " · " + box.dataset.winner : "");
    var svg = document.createElementNS(svgNs, "svg");
    svg.setAttribute("class", "stage-vote-bar-track");
    svg.setAttribute("viewBox", "0 0 100 10");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("aria-hidden", "true");
    var rect = document.createElementNS(svgNs, "rect");
    rect.setAttribute("width", String(Math.round(row.share * 1000) / 10));
    rect.setAttribute("height", "10");
    svg.appendChild(rect);
    var count = document.createElement("span");
    count.className = "stage-vote-bar-count";
    count.textContent = String(row.votes);
    li.append(title, svg, count);
    return li;
  }

  function show(vote) {
    box.hidden = !(vote.open || vote.revealed);
    openPart.hidden = !vote.open;
    resultPart.hidden = !vote.revealed;
    total.textContent = String(vote.total);
    totalLabel.textContent = vote.total === 1 ? box.dataset.votesOne : box.dataset.votesMany;
    if (vote.revealed && vote.results) {
      var rows = vote.results.slice().sort(function (a, b) { return b.votes - a.votes; });
      bars.replaceChildren.apply(bars, rows.map(bar));
    }
    return vote.open;
  }

  function poll() {
    fetch(box.dataset.voteUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (vote) { window.setTimeout(poll, show(vote) ? 3000 : 10000); })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, box.hidden ? 5000 : 3000);
})();
