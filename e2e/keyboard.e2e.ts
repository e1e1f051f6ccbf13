import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { announced, createTasksOverHttp, focused, newAccount, poll, register, row, rowTitles } from "./support/app.js";
import { openSession, useBrowser, type Session } from "./support/browser.js";
import { useServer } from "./support/server.js";

// Everything with the keyboard alone, and the keyboard shortcuts of app.js.
const server = useServer();
const chrome = useBrowser();

let session: Session | null = null;
afterEach(async () => {
  const problems = session?.problems ?? [];
  await session?.context.close();
  session = null;
  expect(problems).toEqual([]);
});

type Focused = Awaited<ReturnType<typeof focused>>;

/** Presses Tab (or Shift+Tab) until the focused element matches; fails after a page's worth of stops. */
async function tabTo(page: Page, matches: (f: NonNullable<Focused>) => boolean, key = "Tab") {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (now && matches(now)) return now;
  }
  throw new Error(`${key} never reached the wanted element; last: ${JSON.stringify(await focused(page))}`);
}

/** The focused element shows the focus ring (:focus-visible), so a sighted keyboard user sees it. */
function focusRing(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement!;
    const style = getComputedStyle(el);
    return { visible: el.matches(":focus-visible"), outline: style.outlineStyle, width: style.outlineWidth };
  });
}

describe("keyboard only", () => {
  it("creates, completes and filters tasks with Tab, Enter and Space", async () => {
    session = await openSession(chrome.browser, server);
    const { page } = session;
    await register(page, newAccount());

    // The first Tab stop is the skip link; it lands in the content.
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ tag: "a", text: "Skip to content" });
    expect(await focusRing(page)).toEqual({ visible: true, outline: "solid", width: "3px" });
    await page.keyboard.press("Enter");
    expect(await focused(page)).toMatchObject({ id: "main" });

    // Create two tasks: Tab to the title, type, Enter; the fresh form keeps focus for the next one.
    await tabTo(page, (f) => f.id === "new-title");
    await page.keyboard.type("Plan the trip");
    await tabTo(page, (f) => f.id === "new-priority");
    await page.keyboard.press("ArrowDown"); // medium → high
    await tabTo(page, (f) => f.text === "Add task");
    expect(await focusRing(page)).toMatchObject({ visible: true, outline: "solid" });
    await page.keyboard.press("Enter");
    await row(page, "Plan the trip").waitFor();
    expect(await row(page, "Plan the trip").textContent()).toContain("High");
    await poll(() => focused(page)).toMatchObject({ id: "new-title" });
    await page.keyboard.type("Pack the bags");
    await page.keyboard.press("Enter");
    await row(page, "Pack the bags").waitFor();
    await poll(() => focused(page)).toMatchObject({ id: "new-title" });

    // Complete one with Space on its toggle; focus stays on it.
    await tabTo(page, (f) => f.label === "Mark “Pack the bags” done");
    expect(await focusRing(page)).toMatchObject({ visible: true, outline: "solid" });
    await page.keyboard.press("Space");
    await poll(() => focused(page)).toMatchObject({ label: "Reopen “Pack the bags”" });
    await poll(() => announced(page)).toBe("“Pack the bags” marked done. 1 open task.");

    // Filter: back up to the "To do" status checkbox, Space; focus stays there.
    await tabTo(page, (f) => f.name === "status" && f.value === "todo", "Shift+Tab");
    const todo = page.locator("#filters input[name=status][value=todo]");
    await page.keyboard.press("Space");
    await poll(() => new URL(page.url()).search).toBe("?status=todo");
    await poll(() => rowTitles(page)).toEqual(["Plan the trip"]);
    expect(await todo.evaluate((el) => el === document.activeElement)).toBe(true);
    await poll(() => announced(page)).toBe("1 task matches your filters.");

    // The Due select changes with the arrow keys and filters at once.
    await tabTo(page, (f) => f.id === "filter-due");
    await page.keyboard.press("ArrowDown"); // Any time → Overdue
    await poll(() => new URL(page.url()).search).toBe("?status=todo&due=overdue");
    await poll(() => rowTitles(page)).toEqual([]);
    expect(await focused(page)).toMatchObject({ id: "filter-due" });

    // Edit in place with Enter, and Escape-free cancel with Enter on Cancel.
    await page.keyboard.press("ArrowUp");
    await poll(() => rowTitles(page)).toEqual(["Plan the trip"]);
    await tabTo(page, (f) => f.label === "Edit “Plan the trip”");
    await page.keyboard.press("Enter");
    await poll(() => focused(page)).toMatchObject({ name: "title" });
    await page.keyboard.press("End");
    await page.keyboard.type(" to Lisbon");
    await page.keyboard.press("Enter");
    await row(page, "Plan the trip to Lisbon").waitFor();
    await poll(() => focused(page)).toMatchObject({ label: "Edit “Plan the trip to Lisbon”" });
  });
});

describe("keyboard shortcuts", () => {
  it("n opens the new-task form, / goes to search, ? shows the list; none of them while typing or with modifiers", async () => {
    session = await openSession(chrome.browser, server);
    const { page, context } = session;
    await register(page, newAccount());
    await createTasksOverHttp(server, context, [{ title: "Existing task" }]);
    await page.goto("/tasks");
    const details = page.locator("details.new-task");
    const isOpen = () => details.evaluate((d) => (d as HTMLDetailsElement).open);
    const blur = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await isOpen()).toBe(false);

    // Modifier keys leave the page alone.
    await page.keyboard.press("Alt+n");
    await page.keyboard.press("Control+/");
    expect(await isOpen()).toBe(false);
    expect(await focused(page)).toMatchObject({ tag: "body" });

    await page.keyboard.press("n");
    expect(await isOpen()).toBe(true);
    expect(await focused(page)).toMatchObject({ id: "new-title" });
    // While typing, the letters are just letters.
    await page.keyboard.type("n/?");
    expect(await page.locator("#new-title").inputValue()).toBe("n/?");
    expect(await page.locator("dialog#shortcuts").evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);

    await blur();
    await page.keyboard.press("/");
    expect(await focused(page)).toMatchObject({ id: "filter-q" });
    expect(await page.locator("#filter-q").inputValue()).toBe("");
    await page.keyboard.type("n?");
    expect(await page.locator("#filter-q").inputValue()).toBe("n?");
    await poll(() => new URL(page.url()).search).toBe("?q=n%3F");

    // A focused checkbox or select is an input too: no shortcut there.
    await page.locator("#filter-due").focus();
    await page.keyboard.press("n");
    expect(await focused(page)).toMatchObject({ id: "filter-due" });
    await page.waitForLoadState("networkidle"); // leaving the search sent it once more; let that land

    // ? opens a labelled modal dialog; Escape closes it and focus goes back where it was.
    // (From the header, which no swap replaces: a late filter swap could otherwise detach the
    // element focus is meant to return to.)
    await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Settings", exact: true }).focus();
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.matches(":modal"))).toBe(true);
    expect(await dialog.textContent()).toContain("New task");
    expect(await page.evaluate(() => document.activeElement?.closest("dialog")?.id)).toBe("shortcuts");
    // Shortcuts are off while it is open.
    await page.keyboard.press("n");
    expect(await page.evaluate(() => document.activeElement?.closest("dialog")?.id)).toBe("shortcuts");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await focused(page)).toMatchObject({ text: "Settings" });

    // The footer button opens it too, and its Close button closes it.
    await page.getByRole("button", { name: /Keyboard shortcuts/ }).click();
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "hidden" });

    // Other pages: ? still helps; n and / have nothing to focus and do nothing.
    await page.goto("/settings");
    await page.keyboard.press("n");
    await page.keyboard.press("/");
    expect(await focused(page)).toMatchObject({ tag: "body" });
    await page.keyboard.press("?");
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
  });
});
