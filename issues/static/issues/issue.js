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

// A link to one action (the workbench's 受理立案 → #action-accept) opens that action's form.
document.addEventListener("DOMContentLoaded", () => {
  const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (target && target.classList.contains("accordion-collapse") && window.bootstrap) {
    window.bootstrap.Collapse.getOrCreateInstance(target, { toggle: false }).show();
    target.closest(".accordion-item").scrollIntoView({ block: "center" });
  }
});
