// Small behaviours declared in markup, so that templates carry no inline script (the
// Content-Security-Policy forbids it). Loaded by base.html on every page.
//   <form data-confirm="Question?">: ask before sending; data-confirm-unless="name=value"
//     skips the question when the form's field `name` has that value. A form the server
//     would refuse (see `incomplete`) is sent without the question: its refusal comes first.
//   <select data-autosubmit>: send the form as soon as a choice is made; the form keeps a
//     <noscript> submit button for browsers without JavaScript.
(function () {
  "use strict";

  // True when the form's field `rule`'s name ("name=value") has that value.
  function holds(form, rule) {
    var name = rule.slice(0, rule.indexOf("="));
    var field = form.elements.namedItem(name);
    return !!field && field.value === rule.slice(rule.indexOf("=") + 1);
  }

  // True when the server would refuse the form as it stands: a required field is empty, or
  // one marked data-required-unless="name=value" is empty while `name` has another value.
  // Such a form goes to the server without a question, so that its message comes first.
  function incomplete(form) {
    if (!form.checkValidity()) { return true; }
    return Array.prototype.some.call(form.querySelectorAll("[data-required-unless]"), function (field) {
      return !field.value.trim() && !holds(form, field.dataset.requiredUnless);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) { return; }
    if (form.dataset.confirmUnless && holds(form, form.dataset.confirmUnless)) { return; }
    if (incomplete(form)) { return; }
    if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit") && select.form) {
      select.form.submit();
    }
  });
})();
