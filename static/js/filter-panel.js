/* The filters of a listing sit in a <details> that the page sends open. On a narrow screen
   this script (run right after the panel, before the page is shown) closes it, so the parts
   come first and the "Filters" button opens them; on a wide screen the panel stays open and
   its button is hidden (store.css). Without JavaScript the filters are simply shown. */
(function (panel) {
  "use strict";
  if (!panel || !window.matchMedia) return;
  var narrow = window.matchMedia("(max-width: 900px)");
  function fit() { panel.open = !narrow.matches || panel.hasAttribute("data-opened"); }
  panel.querySelector("summary").addEventListener("click", function () {
    if (panel.open) panel.removeAttribute("data-opened"); else panel.setAttribute("data-opened", "");
  });
  fit();
  if (narrow.addEventListener) narrow.addEventListener("change", fit);
})(document.currentScript && document.currentScript.previousElementSibling);
