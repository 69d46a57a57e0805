// The "In" button of a printable page: shown only when this script runs, so a page without
// JavaScript never shows a button that does nothing (Ctrl+P is written next to it).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
