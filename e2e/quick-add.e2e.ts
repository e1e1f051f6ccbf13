import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { announced, focused, localDate, newAccount, poll, row } from "./support/app.js";
import { expectAccessible, openSession, useBrowser, type Session } from "./support/browser.js";
import { useServer } from "./support/server.js";

// Quick add in plain words (issue #13), with and without JavaScript, and the planning shortcuts.
const server = useServer();
const chrome = useBrowser();
const TZ = "Europe/London";

let session: Session | null = null;
afterEach(async () => {
  const problems = session?.problems ?? [];
  await session?.context.close();
  session = null;
  expect(problems).toEqual([]);
});

const path = (page: Page) => new URL(page.url()).pathname;
const addedLine = (page: Page) => page.locator("#quick-add .quick-added");
const quickAddField = (page: Page) => page.getByLabel("Quick add", { exact: true });

/**
 * Registers through the form and lands where sign-in lands (Today since #13). The address stays
 * unconfirmed: quick add does not need mail, and its banner is one more thing axe sees.
 */
async function register(page: Page, account: ReturnType<typeof newAccount>) {
  await page.goto("/register");
  await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/(today|tasks)$/);
}

/** Quick-adds with the page's own form and waits for its status line. */
async function quickAdd(page: Page, text: string) {
  await quickAddField(page).fill(text);
  await quickAddField(page).press("Enter");
  await poll(() => addedLine(page).textContent()).toContain("Added");
}

describe("quick add with JavaScript", () => {
  it("previews what it understood while typing, adds on Enter, and the task shows in the list and on Upcoming", async () => {
    session = await openSession(chrome.browser, server, { timezoneId: TZ });
    const { page } = session;
    await register(page, newAccount());
    await page.goto("/tasks");

    await quickAddField(page).pressSequentially("Pay rent tomorrow 9am !high", { delay: 10 });
    const preview = page.locator("#quick-add-preview");
    await poll(() => preview.locator("mark").allTextContents()).toEqual(["tomorrow 9am", "!high"]);
    expect((await preview.textContent())!.replace(/\s+/g, " ")).toMatch(/Title\s*Pay rent.*Due\s*tomorrow.*Time\s*09:00.*Priority\s*High/);

    await quickAddField(page).press("Enter");
    await poll(() => addedLine(page).textContent()).toBe("Added “Pay rent” — tomorrow 09:00, high. Edit");
    // A fresh, empty field keeps focus for the next one; the status line is announced.
    await poll(() => focused(page)).toMatchObject({ id: "quick-add-text", value: "" });
    await poll(() => announced(page)).toBe("Added “Pay rent” — tomorrow 09:00, high. Edit");
    expect(await page.locator("#quick-add-preview").textContent()).toBe("");
    // The All view's list was refreshed with it.
    await row(page, "Pay rent").waitFor();
    expect(await row(page, "Pay rent").textContent()).toMatch(/High.*09:00/);

    await page.goto("/upcoming");
    await row(page, "Pay rent").waitFor();
    // On a planning view the view is drawn again with the new task in it, the form fresh above it.
    await quickAdd(page, "Book the garage in 2 days");
    await row(page, "Book the garage").waitFor();
    await poll(() => focused(page)).toMatchObject({ id: "quick-add-text", value: "" });

    // Edit from the status line opens the task's form with what was understood.
    await page.goto("/tasks");
    await quickAdd(page, "Call mum every sunday 6pm");
    await addedLine(page).getByRole("link", { name: "Edit “Call mum”" }).click();
    await page.waitForURL(/\/edit$/);
    expect(await page.getByLabel("Time (optional)").inputValue()).toBe("18:00");
    expect(new Date(`${await page.getByLabel("Due date").inputValue()}T12:00:00Z`).getUTCDay()).toBe(0);
  });

  it("refuses text with no title, keeping it, and says why", async () => {
    session = await openSession(chrome.browser, server, { timezoneId: TZ });
    const { page } = session;
    await register(page, newAccount());
    await page.goto("/tasks");
    await quickAddField(page).fill("tomorrow 9am");
    await quickAddField(page).press("Enter");
    await poll(() => page.locator("#quick-add-error").textContent()).toContain("Say what the task is");
    expect(await quickAddField(page).inputValue()).toBe("tomorrow 9am");
    await poll(() => focused(page)).toMatchObject({ id: "quick-add-text" });
  });

  it("has no serious or critical axe finding with its preview and status line, at phone width", async () => {
    session = await openSession(chrome.browser, server, { timezoneId: TZ, bypassCSP: true, viewport: { width: 375, height: 800 } });
    const { page } = session;
    await register(page, newAccount());
    await page.goto("/tasks");
    await quickAdd(page, "Report on the last day of every month !urgent");
    await quickAddField(page).pressSequentially("Dentist 3/12 14:30", { delay: 10 });
    await poll(() => page.locator("#quick-add-preview mark").count()).toBe(1);
    await expectAccessible(page, "quick add with its preview and status line");
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});

describe("quick add without JavaScript", () => {
  it("posts, comes back to the list saying what it understood with an Edit link, and refuses an empty title", async () => {
    session = await openSession(chrome.browser, server, { javaScriptEnabled: false, timezoneId: TZ });
    const { page } = session;
    // Without the script registration keeps the server's default zone, UTC.
    await register(page, newAccount());
    await page.goto("/tasks");

    await quickAddField(page).fill("Pay rent tomorrow 9am !high");
    await page.locator("#quick-add").getByRole("button", { name: "Add" }).click();
    await page.waitForLoadState();
    expect(path(page)).toBe("/tasks");
    expect(await addedLine(page).textContent()).toBe("Added “Pay rent” — tomorrow 09:00, high. Edit");
    expect(await row(page, "Pay rent").textContent()).toMatch(/High.*09:00/);

    await addedLine(page).getByRole("link", { name: "Edit “Pay rent”" }).click();
    await page.waitForLoadState();
    expect(await page.getByLabel("Due date").inputValue()).toBe(localDate("UTC", 1));
    expect(await page.getByLabel("Time (optional)").inputValue()).toBe("09:00");
    expect(await page.getByLabel("Priority").inputValue()).toBe("high");

    await page.goto("/tasks");
    // Shown once: the list no longer says it.
    expect(await addedLine(page).count()).toBe(0);
    await quickAddField(page).fill("tomorrow 9am");
    await page.locator("#quick-add").getByRole("button", { name: "Add" }).click();
    await page.waitForLoadState();
    expect(await page.locator("#quick-add-error").textContent()).toContain("Say what the task is");
    expect(await quickAddField(page).inputValue()).toBe("tomorrow 9am");
    // The page also shows what was understood, the words taken marked.
    expect(await page.locator("#quick-add-preview mark").allTextContents()).toEqual(["tomorrow 9am"]);
  });
});

describe("planning shortcuts", () => {
  it("q focuses quick add; g t, g u, g a go to Today, Upcoming and All; t and m move the focused task; ? lists them; nothing fires while typing", async () => {
    session = await openSession(chrome.browser, server, { timezoneId: TZ });
    const { page } = session;
    await register(page, newAccount());
    await page.goto("/tasks");
    await quickAdd(page, "Water plants in 3 days");
    await row(page, "Water plants").waitFor();

    // Typing in a field is typing: "g" "t" there is text, not a shortcut.
    await quickAddField(page).pressSequentially("gt");
    expect(path(page)).toBe("/tasks");
    expect(await quickAddField(page).inputValue()).toBe("gt");
    await quickAddField(page).fill("");

    // t / m on the focused row move it (the row is swapped in place on the All view).
    await row(page, "Water plants").locator("button.check").focus();
    await page.keyboard.press("m");
    await poll(() => row(page, "Water plants").textContent()).toMatch(/tomorrow/);
    await row(page, "Water plants").locator("button.check").focus();
    await page.keyboard.press("t");
    await poll(() => row(page, "Water plants").textContent()).toMatch(/today/);

    await page.locator("main h1").first().click();
    await page.keyboard.press("q");
    await poll(() => focused(page)).toMatchObject({ id: "quick-add-text" });
    await page.locator("main h1").first().click();

    await page.keyboard.press("g");
    await page.keyboard.press("t");
    await page.waitForURL(/\/today$/);
    await page.keyboard.press("g");
    await page.keyboard.press("u");
    await page.waitForURL(/\/upcoming$/);
    await page.keyboard.press("g");
    await page.keyboard.press("a");
    await page.waitForURL(/\/tasks$/);

    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    const listed = (await dialog.locator("dt").evaluateAll((dts) => dts.map((dt) => `${dt.textContent} ${dt.nextElementSibling?.textContent}`))).join("\n");
    for (const entry of ["q Quick add", "g t Go to Today", "g u Go to Upcoming", "g a Go to All tasks", "t Move the focused task to today", "m Move the focused task to tomorrow"]) {
      expect(listed).toContain(entry);
    }
    await page.keyboard.press("Escape");
    await poll(() => dialog.isVisible()).toBe(false);
  });
});
