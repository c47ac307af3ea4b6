// The ticket page's form: a step that sets the ticket aside (its option carries data-reason) makes the note
// required and asks once more before the form is sent. The server checks the note again either way.
(function () {
  "use strict";
  var form = document.querySelector("form.status-form");
  if (!form) return;
  var status = form.elements.status;
  var note = form.elements.note;

  function chosen() { return status.options[status.selectedIndex]; }
  function setsAside() { var option = chosen(); return Boolean(option && option.hasAttribute("data-reason")); }

  function update() { note.required = setsAside(); }
  status.addEventListener("change", update);
  update();

  form.addEventListener("submit", function (event) {
    if (setsAside() && !window.confirm("Yakin mengubah status menjadi " + chosen().text + "?")) event.preventDefault();
  });
})();
