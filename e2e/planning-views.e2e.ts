import { afterEach, describe, expect, it } from "vitest";
import { announced, createTasksOverHttp, focused, localDate, newAccount, poll, register, row, rowTitles } from "./support/app.js";
import { expectAccessible, openSession, useBrowser, type Session } from "./support/browser.js";
import { useServer } from "./support/server.js";

// The planning views (#13): land on Today, move a task to tomorrow from its row and see it leave
// Today for Upcoming, with and without JavaScript; axe on each view.
const server = useServer();
const chrome = useBrowser();
const TZ = "Europe/Berlin";

let session: Session | null = null;
afterEach(async () => {
  await session?.context.close();
  session = null;
});

const path = (url: string) => new URL(url).pathname + new URL(url).search;

/** The count beside a view's name in the navigation. */
async function navCount(page: Session["page"], name: string) {
  const link = page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: new RegExp(`^${name}`) });
  return (await link.textContent())?.trim();
}

describe("planning views with JavaScript", () => {
  it("lands on Today and moves a row to tomorrow through the Move menu; it leaves Today for Upcoming", async () => {
    session = await openSession(chrome.browser, server, { timezoneId: TZ });
    const { page, context } = session;
    await register(page, newAccount());
    await createTasksOverHttp(server, context, [
      { title: "Pay the rent", priority: "urgent", due_date: localDate(TZ) },
      { title: "Call the bank", due_date: localDate(TZ), due_time: "23:59" },
      { title: "Old invoice", due_date: localDate(TZ, -2) },
    ]);
    await page.goto("/");
    await page.waitForURL(/\/today$/);
    expect(await rowTitles(page)).toEqual(["Old invoice", "Call the bank", "Pay the rent"]);
    expect(await navCount(page, "Today")).toBe("Today 3");
    expect(await navCount(page, "Upcoming")).toBe("Upcoming 0");

    await row(page, "Pay the rent").getByRole("link", { name: "Move “Pay the rent”" }).click();
    const menu = page.getByRole("dialog", { name: "Move “Pay the rent”" });
    await menu.waitFor();
    await menu.getByRole("button", { name: "Tomorrow" }).click();
    await poll(() => row(page, "Pay the rent").count()).toBe(0);
    expect(path(page.url())).toBe("/today");
    await poll(() => announced(page)).toBe("“Pay the rent” moved to tomorrow.");
    await poll(() => navCount(page, "Today")).toBe("Today 2");
    await poll(() => navCount(page, "Upcoming")).toBe("Upcoming 1");
    // Focus went to a neighbouring row rather than being lost with the moved one.
    await poll(() => focused(page).then((f) => f?.tag)).not.toBe("body");

    // A date of one's own, from the same menu, for another row.
    await row(page, "Old invoice").getByRole("link", { name: "Move “Old invoice”" }).click();
    await page.getByRole("dialog").getByLabel("Pick a date").fill(localDate(TZ, 3));
    await page.getByRole("dialog").getByRole("button", { name: "Move", exact: true }).click();
    await poll(() => row(page, "Old invoice").count()).toBe(0);

    await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: /^Upcoming/ }).click();
    await page.waitForURL(/\/upcoming$/);
    expect(await rowTitles(page)).toEqual(["Pay the rent", "Old invoice"]);
    const tomorrow = new Intl.DateTimeFormat("en-GB", { timeZone: TZ, weekday: "long", day: "numeric", month: "long" }).format(new Date(Date.now() + 86_400_000)).replace(",", "");
    expect(await page.getByRole("heading", { name: tomorrow }).count()).toBe(1);
    expect(await page.locator("[aria-current=page]").textContent()).toContain("Upcoming");
  });

  it("finds no serious or critical accessibility issue on Today, Upcoming, No date and Done, nor in the Move menu", async () => {
    session = await openSession(chrome.browser, server, { bypassCSP: true, timezoneId: TZ });
    const { page, context } = session;
    await register(page, newAccount());
    await createTasksOverHttp(server, context, [
      { title: "Overdue report", priority: "urgent", due_date: localDate(TZ, -1) },
      { title: "Dentist", due_date: localDate(TZ), due_time: "23:59" },
      { title: "Team lunch", due_date: localDate(TZ, 3), priority: "high" },
      { title: "Far away", due_date: localDate(TZ, 40) },
      { title: "Someday: learn the cello", priority: "low" },
      { title: "Done already", status: "done" },
    ]);
    for (const view of ["/today", "/upcoming", "/no-date", "/done"]) {
      await page.goto(view);
      await expectAccessible(page, view);
    }
    await page.goto("/today");
    await row(page, "Dentist").getByRole("link", { name: "Move “Dentist”" }).click();
    await page.getByRole("dialog").waitFor();
    await expectAccessible(page, "the Move menu");
    await page.keyboard.press("Escape");
    // Phone width: the views still show their rows and navigation.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto("/upcoming");
    await expectAccessible(page, "/upcoming at 375px");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

describe("planning views without JavaScript", () => {
  it("lands on Today and moves a task to tomorrow through the Move page; it appears in Upcoming", async () => {
    session = await openSession(chrome.browser, server, { javaScriptEnabled: false, timezoneId: TZ });
    const { page, context } = session;
    const account = newAccount("Grace Hopper");
    await page.goto("/register");
    await page.getByLabel("Name").fill(account.name);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByLabel("Timezone").selectOption(TZ);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/today$/);
    await createTasksOverHttp(server, context, [{ title: "Water the plants", due_date: localDate(TZ) }]);
    await page.reload();
    expect(await rowTitles(page)).toEqual(["Water the plants"]);

    await row(page, "Water the plants").getByRole("link", { name: "Move “Water the plants”" }).click();
    await page.waitForURL(/\/reschedule$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Move “Water the plants”");
    // A date out of range is refused with a message, keeping what was typed.
    await page.getByLabel("Pick a date").fill("0001-01-01");
    await page.getByRole("button", { name: "Move", exact: true }).click();
    await page.waitForLoadState();
    expect(await page.locator("small.error").textContent()).toContain("Choose a date from 1900-01-01");
    expect(await page.getByLabel("Pick a date").inputValue()).toBe("0001-01-01");
    await page.getByRole("button", { name: "Tomorrow" }).click();
    await page.waitForURL(/\/today$/);
    expect(await rowTitles(page)).toEqual([]);
    expect(await page.getByText("Nothing due today.").count()).toBe(1);
    expect(await navCount(page, "Upcoming")).toBe("Upcoming 1");
    await page.getByRole("link", { name: /^Upcoming/ }).click();
    await page.waitForURL(/\/upcoming$/);
    expect(await rowTitles(page)).toEqual(["Water the plants"]);

    // Done: completing it here sends it to Done, whose Undo brings it back.
    await page.getByRole("button", { name: "Mark “Water the plants” done" }).click();
    await page.waitForURL(/\/upcoming$/);
    expect(await rowTitles(page)).toEqual([]);
    await page.goto("/done");
    await page.getByRole("button", { name: "Undo “Water the plants”" }).click();
    await page.waitForURL(/\/done$/);
    expect(await rowTitles(page)).toEqual([]);
    await page.goto("/upcoming");
    expect(await rowTitles(page)).toEqual(["Water the plants"]);
  });
});
