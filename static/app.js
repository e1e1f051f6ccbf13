// SmartTask's own browser code: small, progressive, and never required for a page to work.
(() => {
  // Registration pre-fills the browser's timezone over the server's UTC default.
  function detectTimezone(root) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (const select of root.querySelectorAll("select[data-detect-timezone]")) {
      if (!zone) continue;
      // Browsers report some zones by their old spelling (Chromium: Asia/Calcutta for India); the
      // server lists current names and renders old → current for its list.
      let aliases = {};
      try {
        aliases = JSON.parse(select.dataset.zoneAliases || "{}");
      } catch {}
      const name = Object.hasOwn(aliases, zone) ? aliases[zone] : zone;
      // A zone the list lacks is offered as is; the server accepts or refuses it on submit.
      if (![...select.options].some((o) => o.value === name)) select.prepend(new Option(name.replace(/_/g, " "), name));
      select.value = name;
    }
  }

  // A page that comes back with errors (a plain form post) starts at its first invalid field,
  // or at the form's alert when the error belongs to no one field (a refused login).
  function focusErrors() {
    const invalid = document.querySelector('main [aria-invalid="true"]');
    const alert = document.querySelector("main [data-form-alert]");
    (invalid ?? alert)?.focus();
  }

  // ---- After an htmx swap: where focus goes and what a screen reader hears.
  // htmx fires its swap events on the element that made the request, which the swap may remove
  // (a deleted row, a replaced form). Its settle events fire on what was swapped in and always
  // reach the document, so the work is done once per swap, right after it settles.
  let current = null;

  const titleOf = (row) => row?.querySelector(".task-title")?.textContent.trim();

  // Just before the swap: what the person is on now, which the swap may take away.
  function beginSwap(event) {
    const { request, response } = event.detail.ctx;
    const active = document.activeElement instanceof Element && document.activeElement !== document.body ? document.activeElement : null;
    const row = active?.closest("li") ?? event.target.closest?.("li");
    current = {
      path: new URL(request.action, location.href).pathname,
      method: request.method,
      status: response?.status ?? 0,
      row: row?.id,
      prev: row?.previousElementSibling?.id,
      next: row?.nextElementSibling?.id,
      fromEdit: Boolean(active?.closest("li.task-form")),
      fromMore: Boolean(active?.closest("li.more")),
      was: active && { tag: active.tagName, label: active.getAttribute("aria-label"), href: active.getAttribute("href"), text: active.textContent.trim(), inResults: Boolean(active.closest("#task-results")) },
      title: titleOf(row) ?? document.getElementById("new-title")?.value.trim(),
      swapped: [],
    };
  }

  function settled(event) {
    const req = current;
    if (!req) return;
    if (!req.swapped.length) setTimeout(() => finish(req));
    req.swapped.push(event.target);
  }

  function finish(req) {
    if (current === req) current = null;
    const swapped = req.swapped.filter((el) => el instanceof Element && el.isConnected);
    // A form came back with errors: its first invalid field (the field names its message).
    for (const el of swapped) {
      const invalid = el.querySelector('[aria-invalid="true"]');
      if (invalid) return invalid.focus();
    }
    if (req.status >= 400) return;
    const editing = swapped.find((el) => el.matches("li.task-form"));
    if (editing) return editing.querySelector("input[name=title]")?.focus();

    const row = req.row ? document.getElementById(req.row) : null;
    announce(messageFor(req, titleOf(row) ?? req.title));
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    focusTarget(req, row)?.focus();
  }

  function messageFor(req, title) {
    const { path, method } = req;
    // Quick add (#13): its status line says what was added and understood.
    if (path === "/tasks/quick") return document.querySelector("#quick-add .quick-added")?.textContent.replace(/\s+/g, " ").trim() ?? "";
    let done = "";
    // A repeating task's complete, skip or undo (#13) says what happened in the notice it brings
    // ("“Rent” done; next on …"); read once, then marked read so an older notice is never repeated.
    const notice = /\/(complete|skip|undo)$/.test(path) ? [...document.querySelectorAll("[data-announce]")].at(-1) : null;
    if (notice) {
      done = notice.dataset.announce;
      notice.removeAttribute("data-announce");
    } else if (method === "POST" && path === "/tasks") done = `“${title}” added.`;
    else if (path.endsWith("/complete")) done = `“${title}” marked done.`;
    else if (path.endsWith("/reopen")) done = `“${title}” reopened.`;
    else if (path.endsWith("/delete") || method === "DELETE") done = `“${title}” deleted.`;
    else if (method !== "GET" && /^\/tasks\/[^/]+$/.test(path)) done = `“${title}” saved.`;
    else if (req.fromMore) return "More tasks shown.";
    else if (method !== "GET" || path !== "/tasks") return "";
    const summary = document.querySelector("#status-counts .summary")?.cloneNode(true);
    summary?.querySelectorAll("a").forEach((a) => a.remove());
    return [done, summary?.textContent.trim()].filter(Boolean).join(" ");
  }

  // Focus was lost with the element that held it: put it back where the person was.
  function focusTarget(req, row) {
    if (req.path === "/tasks/quick") return document.getElementById("quick-add-text");
    if (req.method === "POST" && req.path === "/tasks") return document.getElementById("new-title");
    if (req.fromMore) return document.getElementById(req.prev)?.nextElementSibling?.querySelector("a, button");
    if (req.fromEdit && row?.matches("li.task")) return row.querySelector('a[href$="/edit"]');
    const twin = req.was && [...document.querySelectorAll(req.was.tag)].find((el) => el.getAttribute("aria-label") === req.was.label && el.getAttribute("href") === req.was.href && el.textContent.trim() === req.was.text);
    if (twin) return twin;
    if (row?.matches("li.task")) return row.querySelector("button.check");
    if (req.row && !row) {
      // The row is gone (deleted): the next one, else the one before, else the new-task form.
      const near = document.getElementById(req.next) ?? document.getElementById(req.prev);
      return near?.querySelector("button.check, a") ?? document.querySelector("details.new-task > summary");
    }
    return req.was?.inResults ? document.getElementById("task-results") : null;
  }

  function announce(text) {
    const region = document.getElementById("announcer");
    if (!region || !text) return;
    // Emptied first, so the same words twice are still heard twice.
    region.textContent = "";
    setTimeout(() => (region.textContent = text), 50);
  }

  // ---- Keyboard shortcuts: n (new task), / (search), ? (this list). Never while typing.
  function typing(target) {
    return target instanceof Element && Boolean(target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])"));
  }

  function onKey(event) {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    if (event.key === "n") {
      const title = document.getElementById("new-title");
      if (!title) return;
      const details = title.closest("details");
      if (details) details.open = true;
      title.focus();
    } else if (event.key === "/") {
      const search = document.getElementById("filter-q");
      if (!search) return;
      search.focus();
    } else if (event.key === "?") {
      showShortcuts();
    } else {
      return;
    }
    event.preventDefault();
  }

  function showShortcuts() {
    const dialog = document.getElementById("shortcuts");
    if (dialog instanceof HTMLDialogElement && !dialog.open) dialog.showModal();
  }

  // ---- Planning shortcuts (#13): q (quick add), g t / g u / g a (Today, Upcoming, All), and t / m
  // on the focused row (move it to today / tomorrow). Like the others, never while typing.
  const GO_TO = { t: "/today", u: "/upcoming", a: "/tasks" };
  let gPressedAt = 0;

  function onPlanningKey(event) {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    // "g" then a letter within a second and a half; any other key in between cancels it.
    const afterG = Date.now() - gPressedAt < 1500;
    gPressedAt = 0;
    if (afterG && Object.hasOwn(GO_TO, event.key)) {
      event.preventDefault();
      location.assign(GO_TO[event.key]);
    } else if (event.key === "g") {
      gPressedAt = Date.now();
    } else if (event.key === "q") {
      const input = document.getElementById("quick-add-text");
      if (!input) return;
      event.preventDefault();
      input.focus();
    } else if (event.key === "t" || event.key === "m") {
      const row = document.activeElement?.closest?.("li.task");
      if (!row?.id.startsWith("task-") || row.classList.contains("is-done") || !window.htmx) return;
      event.preventDefault();
      // Sent from the row, so it goes where the row's own actions go (hx-target closest li,
      // inherited from the list) and the answer swaps or removes the row as the route decides.
      htmx.ajax("POST", `/tasks/${row.id.slice("task-".length)}/reschedule`, { source: row, target: row, swap: "outerHTML", values: { to: event.key === "t" ? "today" : "tomorrow" } });
    }
  }
  document.addEventListener("keydown", onPlanningKey);

  // ---- Move (#13): a row's Move link opens the page's one menu (views/reschedule.tsx) instead of
  // its no-JavaScript page; the choice is posted with htmx from the row, whose answer swaps the row,
  // removes it, or redraws the view, and says what happened through #announcer.
  let moving = null;

  function openMoveMenu(event) {
    const link = event.target instanceof Element ? event.target.closest("li.task a.move") : null;
    const menu = document.getElementById("move-menu");
    if (!link || !(menu instanceof HTMLDialogElement) || !window.htmx) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    // Before htmx sees the click (capture): the list boosts its links.
    event.preventDefault();
    event.stopPropagation();
    moving = link;
    menu.querySelector("[data-move-title]").textContent = `“${titleOf(link.closest("li"))}”`;
    menu.querySelector("#move-error").textContent = "";
    menu.showModal();
  }

  async function moveTo(to) {
    const menu = document.getElementById("move-menu");
    const link = moving;
    menu.close();
    if (!link?.isConnected) return;
    link.focus();
    const row = link.closest("li");
    const near = row.nextElementSibling ?? row.previousElementSibling;
    await htmx.ajax("POST", link.getAttribute("href"), { source: link, target: row, swap: "outerHTML", values: { to } });
    // Refused (a date out of range): the message is in the menu, which opens again.
    if (menu.querySelector("#move-error").textContent.trim() && link.isConnected) return menu.showModal();
    // Focus lost with the row it was on: the row again where it still is (swapped, or redrawn
    // under another day), else the one beside it, else the view.
    setTimeout(() => {
      const active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      const again = document.getElementById(row.id);
      const target = again?.querySelector("a.move") ?? (near?.isConnected ? near.querySelector("button.check, a") : null) ?? document.getElementById("view-results") ?? document.getElementById("task-results");
      target?.focus();
    }, 60);
  }

  document.addEventListener("click", openMoveMenu, true);
  document.addEventListener("click", (event) => {
    const choice = event.target instanceof Element ? event.target.closest("#move-menu [data-to]") : null;
    if (choice) moveTo(choice.dataset.to);
  });
  document.addEventListener("submit", (event) => {
    const form = event.target instanceof Element ? event.target.closest("#move-menu [data-move-date]") : null;
    if (!form) return;
    event.preventDefault();
    const input = form.querySelector("input[type=date]");
    if (input.value) moveTo(input.value);
    else input.reportValidity();
  });

  // Controls that need this script (class js-only) show once it runs; the class outlives body swaps.
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", () => {
    detectTimezone(document);
    focusErrors();
  });
  document.addEventListener("click", (event) => event.target instanceof Element && event.target.closest("#shortcuts-open") && showShortcuts());
  document.addEventListener("keydown", onKey);
  document.addEventListener("htmx:before:swap", beginSwap);
  // A row's Delete asks a generic question (rows stay light); name the task in it.
  document.addEventListener("htmx:confirm", (event) => {
    const title = titleOf(event.target.closest?.("li.task"));
    if (title) event.detail.ctx.confirm = `Delete “${title}”? This cannot be undone.`;
  });
  document.addEventListener("htmx:after:settle", settled);
})();
