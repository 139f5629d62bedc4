// The vote page: scan one's own badge QR with the phone camera where the browser can
// (BarcodeDetector); typing the printed code always works without it.
(function () {
  "use strict";
  var answer = document.getElementById("vote-answer");
  if (answer) { answer.focus(); }
  var box = document.querySelector("[data-scan]");
  var input = document.querySelector(".vote-code input");
  if (!box || !input || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  box.hidden = false;
  var video = box.querySelector("[data-scan-video]");
  var status = box.querySelector("[data-scan-status]");
  var start = box.querySelector("[data-scan-start]");
  var stream = null;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
  }

  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        return video.play();
      })
      .then(function look() {
        if (!stream) { return; }
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            input.value = codes[0].rawValue;
            status.textContent = start.dataset.found || "✓";
            stop();
            input.focus();
          } else {
            window.setTimeout(look, 250);
          }
        }).catch(function () { window.setTimeout(look, 500); });
      })
      .catch(function () { stop(); status.textContent = box.dataset.noCamera || ""; });
  });
})();
