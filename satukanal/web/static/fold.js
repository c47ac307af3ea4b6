// What folds on a narrow screen. The header's navigation hides behind a "Menu" button (the GOV.UK header's
// pattern), and a <details data-open-wide> panel (the queue's filters) starts closed there but open on a wide
// screen. Without JavaScript every link stays in view and each panel keeps the state the server gave it.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 700px)");

  if (!narrow.matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (panel) { panel.open = true; });
  }

  var button = document.querySelector("button.menu-toggle");
  var menu = document.getElementById("menu");
  if (!button || !menu) return;

  function fold() {
    var open = button.getAttribute("aria-expanded") === "true";
    button.hidden = !narrow.matches;
    menu.hidden = narrow.matches && !open;
  }

  button.addEventListener("click", function () {
    button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
    fold();
  });
  narrow.addEventListener("change", fold);
  fold();
})();
