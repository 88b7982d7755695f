// Repeating rows of a Django formset (authors, speakers), declared in markup:
//   <fieldset data-rows="<prefix>"> holding the formset's management form,
//   <ol data-rows-list> of <li data-row>, a <template data-row-template> with the empty
//   form (its "__prefix__" is replaced by the row's number), a <button data-add-row hidden>,
//   and in each row a "Remove" box (<div data-remove-box>) and a <button data-remove-row hidden>.
// Without JavaScript the formset's empty rows and "Remove" boxes do the same work.
(function () {
  "use strict";

  function setUp(fieldset) {
    var prefix = fieldset.dataset.rows;
    var total = fieldset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = fieldset.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var list = fieldset.querySelector("[data-rows-list]");
    var template = fieldset.querySelector("template[data-row-template]");
    var add = fieldset.querySelector("[data-add-row]");
    if (!total || !list || !template || !add) { return; }

    function enhanceRow(row) {
      var box = row.querySelector("[data-remove-box]");
      var button = row.querySelector("[data-remove-row]");
      if (!box || !button) { return; }
      box.hidden = true;
      button.hidden = false;
      button.addEventListener("click", function () {
        box.querySelector("input").checked = true;
        row.hidden = true;
        var next = list.querySelector("[data-row]:not([hidden]) input[type=text]");
        (next || add).focus();
      });
    }

    Array.prototype.forEach.call(list.querySelectorAll("[data-row]"), enhanceRow);
    add.hidden = false;
    add.addEventListener("click", function () {
      var number = parseInt(total.value, 10);
      if (max && number >= parseInt(max.value, 10)) { return; }
      var row = template.content.querySelector("[data-row]").cloneNode(true);
      Array.prototype.forEach.call(row.querySelectorAll("[id], [name], [for], [aria-describedby]"), function (element) {
        ["id", "name", "for", "aria-describedby"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) { element.setAttribute(attribute, value.replace(/__prefix__/g, String(number))); }
        });
      });
      list.appendChild(row);
      total.value = String(number + 1);
      enhanceRow(row);
      row.querySelector("input[type=text]").focus();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("fieldset[data-rows]"), setUp);
})();
