// Small behaviours declared in markup, so that templates carry no inline script (the
// Content-Security-Policy forbids it). Loaded by base.html on every page.
//   <form data-confirm="Question?">: ask before sending; data-confirm-unless="name=value"
//     skips the question when the form's field `name` has that value.
//   <select data-autosubmit>: send the form as soon as a choice is made; the form keeps a
//     <noscript> submit button for browsers without JavaScript.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) { return; }
    var unless = form.dataset.confirmUnless;
    if (unless) {
      var name = unless.slice(0, unless.indexOf("="));
      var field = form.elements.namedItem(name);
      if (field && field.value === unless.slice(unless.indexOf("=") + 1)) { return; }
    }
    if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit") && select.form) {
      select.form.submit();
    }
  });
})();
