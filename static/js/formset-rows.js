// Repeating rows of a Django formset (speakers of a presentation), declared in markup:
//   <fieldset data-formset="prefix"> holding the management form, <div data-formset-rows>,
//   a <template data-formset-empty> (the formset's empty_form) and a button data-formset-add.
// "Add" appends a copy of the empty form with the next index; a row's "Remove" box hides the
// row and leaves the box ticked, so the server drops it. Without JavaScript the rows the
// server rendered (one empty) and their "Remove" boxes work the same.
(function () {
  "use strict";

  function setUp(fieldset) {
    var prefix = fieldset.dataset.formset;
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = fieldset.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var rows = fieldset.querySelector("[data-formset-rows]");
    var empty = fieldset.querySelector("template[data-formset-empty]");
    var add = fieldset.querySelector("[data-formset-add]");
    if (!total || !rows || !empty || !add) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) { return; }
      // Clone the template's nodes (never parse text as markup) and number their names.
      var copy = empty.content.cloneNode(true);
      copy.querySelectorAll("[id], [name], [for], [aria-describedby]").forEach(function (node) {
        ["id", "name", "for", "aria-describedby"].forEach(function (attribute) {
          var value = node.getAttribute(attribute);
          if (value) { node.setAttribute(attribute, value.replace(/__prefix__/g, String(index))); }
        });
      });
      var added = copy.firstElementChild;
      rows.appendChild(copy);
      total.value = String(index + 1);
      var first = added && added.querySelector("input[type='text']");
      if (first) { first.focus(); }
    });
    fieldset.addEventListener("change", function (event) {
      var box = event.target;
      if (!(box instanceof HTMLInputElement) || !box.name.endsWith("-DELETE") || !box.checked) { return; }
      var row = box.closest("[data-formset-row]");
      if (row) { row.hidden = true; add.focus(); }
    });
  }

  document.querySelectorAll("[data-formset]").forEach(setUp);
})();
