// Keyboard moderation: j/k move between cards, c confirms (with the title in the card's field), r rejects
// (focus the reason, Enter sends), u undoes, x selects for a bulk action, / searches. The cards' selects get
// their full option lists from the page's one <template id="choices">.
(function () {
  "use strict";
  var cards = Array.prototype.slice.call(document.querySelectorAll("li.card"));
  var index = 0;

  function select(next) {
    if (!cards.length) return;
    index = Math.max(0, Math.min(cards.length - 1, next));
    cards.forEach(function (card, i) { card.classList.toggle("selected", i === index); });
    cards[index].focus({ preventScroll: true });
    cards[index].scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA";
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); cards[index] && cards[index].focus(); }
      return;
    }
    var card = cards[index];
    if (event.key === "j") { select(index + 1); event.preventDefault(); }
    else if (event.key === "k") { select(index - 1); event.preventDefault(); }
    else if (event.key === "c" && card) { card.querySelector("form.confirm").submit(); event.preventDefault(); }
    else if (event.key === "r" && card) { card.querySelector("form.reject select").focus(); event.preventDefault(); }
    else if (event.key === "u") { document.getElementById("undo").submit(); event.preventDefault(); }
    else if (event.key === "x" && card) { var box = card.querySelector("input[name=pilih]"); box.checked = !box.checked; event.preventDefault(); }
    else if (event.key === "/") { document.getElementById("search").focus(); event.preventDefault(); }
  });

  var choices = document.getElementById("choices");
  if (choices) {
    document.querySelectorAll("li.card select[data-choices]").forEach(function (select) {
      var all = choices.content.querySelector("select[name=" + select.name + "]");
      select.replaceChildren.apply(select, Array.prototype.map.call(all.options, function (option) {
        return option.cloneNode(true);
      }));
    });
  }

  // The title comes filled with the proposed one, which starts with the category's subject. While the moderator
  // has not edited it, choosing another category swaps that subject in (within the field's maxlength).
  document.querySelectorAll("form.confirm").forEach(function (form) {
    var title = form.querySelector("input[name=title]");
    var category = form.querySelector("select[name=category]");
    if (!title || !category || !title.dataset.subject) return;
    var suggested = title.dataset.subject;
    var current = suggested;
    category.addEventListener("change", function () {
      var option = category.options[category.selectedIndex];
      var subject = (option && option.dataset.subject) || suggested;
      if (title.value !== title.dataset.proposed || title.value.indexOf(current) !== 0) return;
      var next = subject + title.value.slice(current.length);
      if (title.maxLength > 0 && next.length > title.maxLength) {
        next = next.slice(0, title.maxLength - 1).replace(/\s+\S*$/, "") + "\u2026";
      }
      title.value = title.dataset.proposed = next;
      current = subject;
    });
  });

  document.querySelectorAll("form.reject select").forEach(function (reason) {
    reason.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { reason.form.submit(); event.preventDefault(); }
    });
  });

  select(0);
})();
