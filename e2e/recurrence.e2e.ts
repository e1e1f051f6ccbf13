import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { formatDate } from "../src/tasks/format.js";
import { dayHeading } from "../src/tasks/planning.js";
import { announced, localDate, newAccount, poll, row, type Account } from "./support/app.js";
import { openSession, useBrowser, type Session } from "./support/browser.js";
import { useServer } from "./support/server.js";

// Recurring tasks (issue #13), with and without JavaScript: a monthly task made through the edit
// form, completed, due next month on the same /tasks/:id page, and the completion undone from
// the notice and from Done.
const server = useServer();
const chrome = useBrowser();
const TZ = "Europe/Berlin";

let session: Session | null = null;
afterEach(async () => {
  const problems = session?.problems ?? [];
  await session?.context.close();
  session = null;
  expect(problems).toEqual([]);
});

/** The last day of the month `months` after the one `date` is in (YYYY-MM-DD). */
function lastDayOfMonth(date: string, months = 0): string {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return new Date(Date.UTC(y, m + months, 0)).toISOString().slice(0, 10);
}

/** Registers through the form (works with or without JavaScript; where it lands does not matter here). */
async function signUp(page: Page, account: Account) {
  await page.goto("/register");
  await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByLabel("Timezone").selectOption(TZ);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForLoadState();
}

/** Makes "Pay rent" due on the last day of this month, then makes it monthly through the edit form; ends on its page. */
async function monthlyRent(page: Page, due: string): Promise<string> {
  await page.goto("/tasks");
  const details = page.locator("details.new-task");
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator("summary").click();
  const form = page.locator("#new-task");
  await form.getByLabel("Title").fill("Pay rent");
  await form.getByLabel("Due date").fill(due);
  await form.getByLabel("Time (optional)").fill("09:00");
  await form.getByRole("button", { name: "Add task" }).click();
  await row(page, "Pay rent").waitFor();
  await row(page, "Pay rent").getByRole("link", { name: "Pay rent", exact: true }).click();
  await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
  const url = new URL(page.url()).pathname;

  await page.getByRole("link", { name: "Edit" }).click();
  await page.waitForURL(/\/edit$/);
  await page.locator("details.repeat-fields > summary").click();
  await page.getByLabel("Repeats", { exact: true }).selectOption("monthly");
  await page.getByLabel("the last day", { exact: true }).check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL((u) => u.pathname === url);
  const rule = page.locator("p.repeat[data-rrule]");
  expect(await rule.getAttribute("data-rrule")).toBe("FREQ=MONTHLY;BYMONTHDAY=-1");
  expect(await rule.textContent()).toBe("Repeats every month on the last day, from the due date");
  return url;
}

const dueText = (page: Page) => page.locator("dl.facts time").first().textContent();

async function completeOnItsPage(page: Page, url: string, next: string) {
  await page.getByRole("button", { name: "Mark done" }).click();
  await page.waitForURL((u) => u.pathname === url && u.searchParams.has("completed"));
  expect(await page.locator(".completion-notice").textContent()).toContain(`“Pay rent” done; next on ${formatDate(next)}.`);
  expect(await dueText(page)).toBe(`${formatDate(next)}, 09:00`);
  expect(await page.getByRole("heading", { name: "Completed occurrences" }).count()).toBe(1);
}

describe.each([true, false])("recurring tasks, JavaScript %s", (javaScriptEnabled) => {
  it("makes a monthly task through the edit form, completes it onto next month's last day on the same page, and undoes from the notice and from Done", async () => {
    session = await openSession(chrome.browser, server, { javaScriptEnabled, timezoneId: TZ });
    const { page } = session;
    await signUp(page, newAccount());
    const due = lastDayOfMonth(localDate(TZ));
    const next = lastDayOfMonth(due, 1);
    const url = await monthlyRent(page, due);

    // Completed on its page: the same page, now due next month, with a notice to undo.
    await completeOnItsPage(page, url, next);
    await page.locator(".completion-notice").getByRole("button", { name: "Undo completing “Pay rent”" }).click();
    await page.waitForURL((u) => u.pathname === url);
    expect(await dueText(page)).toBe(`${formatDate(due)}, 09:00`);
    expect(await page.locator(".completion-notice").count()).toBe(0);

    // Completed again, then undone from Done.
    await completeOnItsPage(page, url, next);
    await page.goto("/done");
    const entry = page.locator("li.done-entry").filter({ hasText: "Pay rent" });
    await entry.getByRole("button", { name: "Undo “Pay rent”" }).click();
    await page.waitForURL(/\/done$/);
    await page.goto(url);
    expect(await dueText(page)).toBe(`${formatDate(due)}, 09:00`);
  });
});

describe("recurring tasks in the list, with JavaScript", () => {
  it("completing the row swaps it to next month, says so, and Undo in the notice puts it back", async () => {
    session = await openSession(chrome.browser, server, { timezoneId: TZ });
    const { page } = session;
    await signUp(page, newAccount());
    const due = lastDayOfMonth(localDate(TZ));
    const next = lastDayOfMonth(due, 1);
    await monthlyRent(page, due);

    await page.goto("/tasks");
    await row(page, "Pay rent").getByRole("button", { name: "Mark “Pay rent” done" }).click();
    await poll(() => row(page, "Pay rent").locator("time").textContent()).toBe(`${formatDate(next)}, 09:00`);
    await poll(() => announced(page)).toContain(`“Pay rent” done; next on ${formatDate(next)}.`);
    expect(new URL(page.url()).pathname).toBe("/tasks");

    await page.locator("li.completion-notice").getByRole("button", { name: "Undo completing “Pay rent”" }).click();
    await poll(() => row(page, "Pay rent").locator("time").textContent()).toBe(`${formatDate(due)}, 09:00`);
    await poll(() => announced(page)).toContain(`“Pay rent” is open again, due ${formatDate(due)}.`);
    expect(await row(page, "Pay rent").count()).toBe(1);
  });

  it("on Upcoming, completing moves the row under its next day's heading, and Undo above the days moves it back", async () => {
    session = await openSession(chrome.browser, server, { timezoneId: TZ });
    const { page } = session;
    await signUp(page, newAccount());
    // Due the day after tomorrow (so on Upcoming), weekly: the next occurrence is 7 days on, still within its 14 days.
    const due = localDate(TZ, 2);
    const next = localDate(TZ, 9);
    const weekday = new Date(`${due}T12:00:00Z`).toLocaleDateString("en-GB", { weekday: "long", timeZone: "UTC" });
    await page.goto("/upcoming");
    await page.locator("#quick-add-text").fill(`Water the plants every ${weekday} 9am`);
    await page.locator("#quick-add-text").press("Enter");
    await row(page, "Water the plants").waitFor();
    const heading = () => row(page, "Water the plants").locator("xpath=../preceding-sibling::h2[1]").textContent();
    expect(await heading()).toBe(dayHeading(due));

    await row(page, "Water the plants").getByRole("button", { name: "Mark “Water the plants” done" }).click();
    await poll(heading).toBe(dayHeading(next));
    await poll(() => announced(page)).toContain(`“Water the plants” done; next on ${formatDate(next)}.`);
    expect(await row(page, "Water the plants").count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe("/upcoming");

    await page.locator("li.completion-notice").getByRole("button", { name: "Undo completing “Water the plants”" }).click();
    await poll(heading).toBe(dayHeading(due));
    await poll(() => announced(page)).toContain(`“Water the plants” is open again, due ${formatDate(due)}.`);
    expect(await row(page, "Water the plants").count()).toBe(1);
  });
});
