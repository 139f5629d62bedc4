/* Text that shrinks until it shows whole: a box marked data-fit gets the CSS variable --fit,
   the largest factor in (0, 1] at which neither the box nor any element in it overflows. Its
   stylesheet multiplies font sizes by --fit and gives them floors (legible from the back of
   the hall); when the texts overflow even at their floors, the box gets the class
   fit-clamped, under which the stylesheet clamps their lines with an ellipsis. */
(function () {
  "use strict";

  var STEPS = 8;          // halvings of the search: the factor is found to within 1/256
  var SMALLEST = 0.1;     // the lower bound; the stylesheet's floors keep text legible

  /* Sideways: a word wider than its line. Downwards only where the element clips (the box
     itself; a line clamp): elsewhere glyphs of a tight line-height may stick out of their
     line box without anything being lost. */
  function overflows(el) {
    var clips = window.getComputedStyle(el).overflowY !== "visible";
    return el.scrollWidth > el.clientWidth + 1 || (clips && el.scrollHeight > el.clientHeight + 1);
  }

  function showsWhole(box) {
    if (overflows(box)) { return false; }
    var parts = box.querySelectorAll("*");
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].clientWidth && overflows(parts[i])) { return false; }
    }
    return true;
  }

  function fit(box) {
    box.classList.remove("fit-clamped");
    box.style.setProperty("--fit", "1");
    if (!box.clientWidth || showsWhole(box)) { return; }  // hidden, or fits as it is
    var low = SMALLEST;
    var high = 1;
    for (var step = 0; step < STEPS; step++) {
      var middle = (low + high) / 2;
      box.style.setProperty("--fit", String(middle));
      if (showsWhole(box)) { low = middle; } else { high = middle; }
    }
    box.style.setProperty("--fit", String(low));
    box.classList.toggle("fit-clamped", !showsWhole(box));
  }

  function fitAll(root) {
    (root || document).querySelectorAll("[data-fit]").forEach(fit);
  }

  window.SummitFit = { fit: fit, fitAll: fitAll };
})();
