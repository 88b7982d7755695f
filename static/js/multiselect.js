// Type-ahead and chips for long lists, as an enhancement of the native <select>: the page
// works without JavaScript, and Tom Select (static/vendor/tom-select) is fetched only on
// pages that have such a list. Enhanced: every <select multiple>, and any <select
// data-enhance> or single <select> of more than 40 options in a form that is posted (a
// language list: the member States' languages first, the rest searchable). List filters
// (GET forms) keep their native selects.
// Not enhanced: <select data-native>, and the filters that send their form on change.
// Loaded by base.html; its data-* attributes carry the vendor URLs and translated words.
(function () {
  "use strict";

  var script = document.currentScript;
  var words = script.dataset;
  var selects = Array.prototype.filter.call(
    document.querySelectorAll("select"),
    function (select) {
      if (select.hasAttribute("data-native") || select.hasAttribute("data-autosubmit")) { return false; }
      var posted = !!select.form && select.form.method === "post";
      return select.multiple || select.hasAttribute("data-enhance") || (posted && select.options.length > 40);
    }
  );
  if (!selects.length) { return; }

  function escape(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function enhance(select) {
    var multiple = select.multiple;
    var options = {
      maxOptions: null,
      hideSelected: multiple,
      closeAfterSelect: !multiple,
      allowEmptyOption: !multiple,
      searchField: ["text", "value"],
      render: {
        no_results: function () { return '<div class="no-results">' + escape(words.noResults) + "</div>"; }
      }
    };
    if (multiple) {
      options.plugins = { remove_button: { title: words.remove } };
    }
    // Keep the groups' order (the member States' languages first) and the options' order.
    options.lockOptgroupOrder = true;
    // Tom Select moves the label to its own input; the native select, kept for the form,
    // keeps the label's words as its name (assistive tools still meet it).
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    var name = label ? label.textContent.replace(/\s+/g, " ").trim() : "";
    var control = new window.TomSelect(select, options);
    if (name && !select.hasAttribute("aria-label")) { select.setAttribute("aria-label", name); }
    if (multiple) {
      // Start the next search afresh once a choice is made.
      control.on("item_add", function () { control.setTextboxValue(""); control.refreshOptions(false); });
    }
    var help = select.id && document.getElementById(select.id + "_helptext");
    if (help && select.dataset.enhancedHelp) { help.textContent = select.dataset.enhancedHelp; }
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = words.css;
  document.head.appendChild(css);
  var library = document.createElement("script");
  library.src = words.js;
  library.onload = function () { selects.forEach(enhance); };
  document.head.appendChild(library);
})();
