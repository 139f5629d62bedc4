// Print badges without leaving the page: fetch the PDF, hand it to the browser as a download,
// then reload the page (GET) so the print report and the new counts show. Without JavaScript
// the form posts normally and the browser downloads the PDF itself.
(function () {
  "use strict";

  function filenameOf(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
    return match ? decodeURIComponent(match[1]) : "badges.pdf";
  }

  function submitNatively(form, submitter) {
    // Errors come back as the page with the message next to the field: let the browser
    // show it. Posting again changes nothing, since a failed print run marks no badge.
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    form.submit();
  }

  function init() {
    var form = document.querySelector("form[data-badges-print]");
    if (!form || !window.fetch || !window.FormData || !window.URL) {
      return;
    }
    var status = document.getElementById("print-status");
    var busy = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) {
        return;
      }
      busy = true;
      var submitter = event.submitter || null;
      var data = new FormData(form);
      if (submitter && submitter.name) {
        data.append(submitter.name, submitter.value);
      }
      var buttons = document.querySelectorAll("button[type=submit]");
      buttons.forEach(function (button) { button.disabled = true; });
      if (status) {
        status.textContent = form.dataset.busy;
      }
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (!response.ok || type.indexOf("application/pdf") !== 0) {
            submitNatively(form, submitter);
            return null;
          }
          return response.blob().then(function (blob) {
            var url = URL.createObjectURL(blob);
            var link = document.createElement("a");
            link.href = url;
            link.download = filenameOf(response);
            document.body.appendChild(link);
            link.click();
            link.remove();
            if (status) {
              status.textContent = form.dataset.done;
            }
            window.setTimeout(function () {
              URL.revokeObjectURL(url);
              window.location.assign(window.location.pathname + window.location.search);
            }, 800);
          });
        })
        .catch(function () {
          busy = false;
          buttons.forEach(function (button) { button.disabled = false; });
          if (status) {
            status.textContent = form.dataset.failed;
          }
        });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
