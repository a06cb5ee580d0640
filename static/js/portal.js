/* Behaviour every page shares, kept out of the templates so that the
   Content-Security-Policy needs no inline script (jingkai_portal settings):
   - [data-jk-print]            a button that prints the page;
   - select[data-jk-autosubmit] submits its form when changed (the language menu);
   - [data-jk-width="NN"]       sets a progress bar's width to NN % (a style attribute would be refused),
                                also on content htmx swaps in (the import's progress). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-jk-print]")) {
      window.print();
    }
  });

  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-jk-autosubmit]");
    if (select && select.form) {
      select.form.submit();
    }
  });

  function applyWidths(root) {
    root.querySelectorAll("[data-jk-width]").forEach(function (bar) {
      var percent = parseFloat(bar.getAttribute("data-jk-width"));
      if (!isNaN(percent)) {
        bar.style.width = Math.max(0, Math.min(100, percent)) + "%";
      }
    });
  }

  if (window.htmx) {
    window.htmx.onLoad(applyWidths);
  } else {
    document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });
  }
})();
