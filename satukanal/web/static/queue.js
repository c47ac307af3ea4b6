// Keyboard moderation: j/k move between cards, c confirms (with the title in the card's field), r rejects
// (focus the reason, Enter sends), u undoes, x selects for a bulk action, / searches. The page opens at the
// card its address names (#post-N: the one after a decision, or the one whose decision failed), or else at its
// header with the first card selected. The cards' selects get their full option lists from the page's one
// <template id="choices">, after their own first option (the model's suggestion) and keeping the value they
// came with.
(function () {
  "use strict";
  var cards = Array.prototype.slice.call(document.querySelectorAll("li.card"));
  var index = 0;

  // Selects a card; scrolls to it unless told not to (the page opens at its header unless its address names a card).
  function select(next, scroll) {
    if (!cards.length) return;
    index = Math.max(0, Math.min(cards.length - 1, next));
    cards.forEach(function (card, i) { card.classList.toggle("selected", i === index); });
    cards[index].focus({ preventScroll: true });
    if (scroll !== false) cards[index].scrollIntoView({ block: "nearest" });
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
    else if (event.key === "a" && card) { card.querySelector("form.hold button").click(); event.preventDefault(); }
    else if (event.key === "u") { document.getElementById("undo").submit(); event.preventDefault(); }
    else if (event.key === "x" && card) { var box = card.querySelector("input[name=pilih]"); box.checked = !box.checked; event.preventDefault(); }
    else if (event.key === "/") { document.getElementById("search").focus(); event.preventDefault(); }
  });

  var choices = document.getElementById("choices");
  if (choices) {
    document.querySelectorAll("li.card select[data-choices]").forEach(function (select) {
      var all = choices.content.querySelector("select[name=" + select.name + "]");
      var kept = select.value;
      var options = Array.prototype.map.call(all.options, function (option) { return option.cloneNode(true); });
      select.replaceChildren.apply(select, [select.options[0]].concat(options));
      select.value = kept;
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

  // Warn, before confirming, when the chosen agency is not the one the category is routed to (the server
  // writes the same words when it renders a card); confirming anyway stays possible.
  function agencyName(select, key) {
    var option = Array.prototype.find.call(select.options, function (item) { return item.value === key; });
    return option ? option.text : key;
  }

  function checkAgency(form) {
    var category = form.querySelector("select[name=category]");
    var agency = form.querySelector("select[name=agency]");
    var warning = form.closest("li.card").querySelector("[data-mismatch]");
    if (!category || !agency || !warning) return;
    var option = category.options[category.selectedIndex];
    var expected = option && option.dataset.agency;
    if (!agency.value || !expected || agency.value === expected) { warning.hidden = true; return; }
    warning.textContent = (option.dataset.label || option.text) + " biasanya ditangani " +
      agencyName(agency, expected) + ", bukan " + agencyName(agency, agency.value) +
      ". Periksa lagi; konfirmasi tetap bisa.";
    warning.hidden = false;
  }

  document.querySelectorAll("form.confirm").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.name === "category" || event.target.name === "agency") checkAgency(form);
    });
  });

  document.querySelectorAll("form.reject select").forEach(function (reason) {
    reason.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { reason.form.submit(); event.preventDefault(); }
    });
  });

  var anchored = /^#post-(\d+)$/.exec(window.location.hash);
  var start = anchored ? cards.findIndex(function (card) { return card.dataset.post === anchored[1]; }) : 0;
  select(Math.max(start, 0), start > 0 || Boolean(anchored));
})();
