// Registration questions asked in some categories only: hide the others for the category
// chosen. Without JavaScript every question shows, with a note naming its categories, and
// the server ignores answers to questions of other categories.
(function () {
  "use strict";
  var select = document.getElementById("category");
  if (!select) { return; }
  function update() {
    var chosen = select.value;
    document.querySelectorAll(".question[data-categories]").forEach(function (box) {
      var applies = box.getAttribute("data-categories").split(" ").indexOf(chosen) !== -1;
      box.hidden = !applies;
      box.querySelectorAll("input, textarea").forEach(function (input) {
        input.disabled = !applies || input.hasAttribute("data-full");
      });
    });
  }
  select.addEventListener("change", update);
  update();
}());
