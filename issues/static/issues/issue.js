// Response templates: picking one fills the reply or resolution box (still editable).
document.addEventListener("change", (event) => {
  const picker = event.target.closest("select[data-fill-target]");
  if (!picker) return;
  const option = picker.selectedOptions[0];
  const target = document.getElementById(picker.dataset.fillTarget);
  if (target && option && option.dataset.body) {
    target.value = option.dataset.body;
    target.focus();
  }
});
