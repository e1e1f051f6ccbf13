// SmartTask's own browser code: small, progressive, and never required for a page to work.
(() => {
  // Registration pre-fills the browser's timezone over the server's UTC default.
  function detectTimezone(root) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (const select of root.querySelectorAll("select[data-detect-timezone]")) {
      if (!zone) continue;
      // Browsers may name a zone by an alias the server's list spells differently; offer it as is.
      if (![...select.options].some((o) => o.value === zone)) select.prepend(new Option(zone.replace(/_/g, " "), zone));
      select.value = zone;
    }
  }

  // After htmx swaps a form with errors in, move focus to its first invalid field; after a
  // new row or edit form appears, focus its first control so keyboard users stay in place.
  function focusAfterSwap(event) {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const invalid = document.querySelector('[aria-invalid="true"]');
    if (invalid instanceof HTMLElement) return invalid.focus();
    const editTitle = target.closest("li.task-form")?.querySelector("input[name=title]");
    if (editTitle instanceof HTMLElement) editTitle.focus();
  }

  document.addEventListener("DOMContentLoaded", () => detectTimezone(document));
  document.addEventListener("htmx:after:swap", focusAfterSwap);
})();
