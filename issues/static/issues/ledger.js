// The state filter's button says what is ticked (全部 / the one state / 已选 N 项) as boxes are ticked;
// the server renders the same words on load (issues.views.state_summary).
document.addEventListener("change", (event) => {
  const box = event.target.closest(".state-filter input[type=checkbox]");
  if (!box) return;
  const filter = box.closest(".state-filter");
  const button = filter.querySelector("button");
  const ticked = [...filter.querySelectorAll("input[type=checkbox]:checked")];
  if (ticked.length === 0) {
    button.textContent = button.dataset.all;
  } else if (ticked.length === 1) {
    button.textContent = filter.querySelector(`label[for="${ticked[0].id}"]`).textContent;
  } else {
    button.textContent = button.dataset.many.replace("__N__", ticked.length);
  }
});
