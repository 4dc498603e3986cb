// Autosave of a long case form (<form data-autosave>) as a server-side draft: every few
// seconds while something changed, when a field loses focus, and when the page is hidden or
// left. Posted to the form's own URL with `_draft=autosave` and the CSRF token; never kept in
// localStorage or sessionStorage (office computers are shared). See cases/drafts.py.
(function () {
  var form = document.querySelector("form[data-autosave]");
  // A kept draft is on offer: saving now would overwrite it before the user chose.
  if (!form || document.querySelector("[data-draft-offer]")) { return; }
  var status = document.getElementById("autosave-status");
  var url = form.getAttribute("action") || window.location.pathname;
  var submitting = false;

  function typed() {
    var parts = [];
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrf_token" && typeof value === "string") { parts.push(key + "=" + value); }
    });
    return parts.join("&");
  }
  var last = typed();

  function body() {
    var data = new FormData();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string") { data.append(key, value); }  // files stay out of drafts
    });
    data.append("_draft", "autosave");
    return data;
  }

  function say(attribute) {
    if (!status) { return; }
    var now = new Date();
    var time = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
    status.textContent = status.getAttribute(attribute).replace("%(time)s", time);
  }

  function save(leaving) {
    var now = typed();
    if (submitting || now === last) { return; }
    if (leaving && navigator.sendBeacon) {
      if (navigator.sendBeacon(url, body())) { last = now; }
      return;
    }
    fetch(url, { method: "POST", body: body(), credentials: "same-origin", keepalive: true }).then(
      function (response) {
        if (response.status === 204) { last = now; say("data-saved"); } else { say("data-failed"); }
      },
      function () { say("data-failed"); }
    );
  }

  window.setInterval(function () { save(false); }, 4000);
  form.addEventListener("focusout", function (event) {
    // Leaving a field for the Save button: the submit itself carries the text, and a draft
    // arriving after the save would bring back what was just saved.
    var next = event.relatedTarget;
    if (next && next.form === form && next.type === "submit") { return; }
    save(false);
  });
  form.addEventListener("submit", function () { submitting = true; });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("pagehide", function () { save(true); });
})();
