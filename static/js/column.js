/* The column page: Enter moves to the same field of the next member (Shift+Enter: the
 * previous one) and never sends the form half-typed; the button does. Progressive
 * enhancement: without this file the page is a plain form that works the same. */
(function () {
  "use strict";
  var form = document.getElementById("column-form");
  if (!form) { return; }
  form.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !field.matches("input.cell, select.cell")) { return; }
    event.preventDefault();
    var cells = Array.prototype.slice.call(
      form.querySelectorAll('[data-col="' + field.dataset.col + '"]')
    );
    var next = cells[cells.indexOf(field) + (event.shiftKey ? -1 : 1)];
    if (next) {
      next.focus();
      if (next.select) { next.select(); }
    }
  });
  var summary = document.getElementById("error-summary") || document.getElementById("conflict");
  if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
})();
