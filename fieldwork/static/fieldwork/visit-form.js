// The visit form: add another "problem raised" block to the Django formset.
(function () {
  "use strict";
  var button = document.getElementById("add-problem");
  var template = document.getElementById("problem-template");
  var container = document.getElementById("problem-forms");
  var total = document.getElementById("id_problems-TOTAL_FORMS");
  if (!button || !template || !container || !total) {
    return;
  }
  var max = parseInt(button.dataset.max, 10) || 10;

  function refresh() {
    button.hidden = parseInt(total.value, 10) >= max;
  }

  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    if (index >= max) {
      return;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = container.lastElementChild;
    var first = added && added.querySelector("input, textarea");
    if (first) {
      first.focus();
    }
    refresh();
  });
  refresh();
})();
