// Progressive enhancement of the legal-deadline form: while the lawyer types the date of
// service, the period or the kind, ask the server for the last day (the same holiday-aware
// calculation that saves it) and say it next to the form. Only dates and numbers are sent,
// never the description. Without JavaScript the form works as before: the last day is shown
// after saving.
document.addEventListener("DOMContentLoaded", function () {
  var out = document.querySelector("[data-deadline-preview]");
  if (!out || !window.fetch || !window.URLSearchParams) { return; }
  var form = out.closest("form");
  var token = form.querySelector("input[name=csrf_token]");
  var timer = null;
  var asked = 0;

  function update() {
    var served = form.elements.served_on.value;
    var days = form.elements.days.value;
    if (!served) { out.textContent = ""; return; }
    var mine = ++asked;
    var body = new URLSearchParams({ served_on: served, days: days, kind: form.elements.kind.value });
    fetch(out.getAttribute("data-deadline-preview"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" }
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (mine === asked) { out.textContent = data.text || data.error || ""; }
      })
      .catch(function () { if (mine === asked) { out.textContent = ""; } });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 300);
  }

  ["served_on", "days", "kind"].forEach(function (name) {
    var field = form.elements[name];
    if (!field) { return; }
    field.addEventListener("input", soon);
    field.addEventListener("change", soon);
  });
  update();  // a form shown again after an error already has its values
});
