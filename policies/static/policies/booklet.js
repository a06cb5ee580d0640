// The booklet's print button (no inline scripts: the CSP allows only our static files).
document.getElementById("print-booklet")?.addEventListener("click", () => window.print());
