/* Enterprise profile tabs: open the tab named in the address (#tab-products),
 * and keep the address in step when another tab is shown, so a reload (after
 * saving the basic data or changing the tier) comes back to the same tab.
 * The tab panes load their content with htmx when first shown.
 */
(function () {
  "use strict";
  if (window.jkProfileTabs) return;
  window.jkProfileTabs = true;

  var showFromHash = function () {
    if (!window.bootstrap || !location.hash || location.hash.indexOf("#tab-") !== 0) return;
    var button = document.querySelector(".profile-tabs [data-bs-toggle='tab']" + location.hash);
    if (button) window.bootstrap.Tab.getOrCreateInstance(button).show();
  };

  document.addEventListener("shown.bs.tab", function (event) {
    if (event.target.closest(".profile-tabs") && event.target.id) {
      history.replaceState(null, "", "#" + event.target.id);
    }
  });

  // Wait until htmx (loaded after this file) has wired the tabs' hx-trigger,
  // or the pane of the tab opened here would never load.
  var later = function () { setTimeout(showFromHash, 0); };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", later);
  } else {
    later();
  }
})();
