import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import { addTaskThroughForm, createTasksOverHttp, localDate, newAccount, poll, register, row } from "./support/app.js";
import { expectAccessible, openSession, useBrowser, type Session } from "./support/browser.js";
import { runRemindersCli, useServer } from "./support/server.js";

// axe-core on every page and in the states that matter, in light and in dark. Serious or
// critical violations fail; lesser ones are printed so they are seen.
const server = useServer();
const chrome = useBrowser();
const TZ = "Europe/Berlin";

let session: Session | null = null;
afterEach(async () => {
  await session?.context.close();
  session = null;
});

describe.each(["light", "dark"] as const)("axe, %s colour scheme", (colorScheme) => {
  it("finds no serious or critical violation on any page or state", async () => {
    // axe is injected as an inline script, which the app's CSP (rightly) refuses: bypass it here only.
    session = await openSession(chrome.browser, server, { bypassCSP: true, colorScheme, timezoneId: TZ });
    const { page, context } = session;
    const minor: string[] = [];
    const check = async (state: string) => {
      const violations = await expectAccessible(page, `${state} [${colorScheme}]`);
      for (const v of violations) minor.push(`${state}: ${v.impact} ${v.id} (${v.nodes.length})`);
    };

    // Signed out.
    await page.goto("/login");
    await check("login");
    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByLabel("Password").fill("wrong-password-1");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("alert").waitFor();
    await check("login with an error");
    await page.goto("/register");
    await check("register");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.locator("#email-error").waitFor();
    await check("register with errors");
    await page.goto("/no/such/page");
    await check("404 page");

    // The list: empty, with a refused new task, with tasks, filtered, filtered to nothing.
    const account = newAccount();
    await register(page, account);
    await check("empty task list");
    await page.locator("#new-task").getByRole("button", { name: "Add task" }).click();
    await page.locator("#new-task [role=alert]").waitFor();
    await check("new-task form with errors");
    const today = localDate(TZ);
    await createTasksOverHttp(server, context, [
      { title: "Overdue invoice", priority: "urgent", due_date: localDate(TZ, -3) },
      { title: "Call the bank", priority: "high", due_date: today, due_time: "23:59" },
      { title: "Team lunch", priority: "medium", due_date: localDate(TZ, 4), status: "in_progress" },
      { title: "Someday: learn the cello", priority: "low" },
      { title: "Done already", priority: "medium", status: "done", due_date: localDate(TZ, -1) },
    ]);
    await page.goto("/tasks");
    await check("task list with tasks");
    await page.locator("#filters").getByRole("checkbox", { name: "High" }).check();
    await poll(() => new URL(page.url()).search).toBe("?priority=high");
    await check("filtered list (htmx swap)");
    await page.getByLabel("Search").fill("nothing matches this");
    await poll(() => page.locator("li.task").count()).toBe(0);
    await check("filtered list, no match");
    await page.goto("/tasks?status=done");
    await check("filtered list (full page)");

    // Inline edit with an error; the shortcuts dialog.
    await page.goto("/tasks");
    await row(page, "Team lunch").getByRole("link", { name: "Edit “Team lunch”" }).click();
    const form = page.locator("li.task-form");
    await form.getByLabel("Title").fill("");
    await form.getByRole("button", { name: "Save changes" }).click();
    await form.locator("[role=alert]").waitFor();
    await check("inline edit form with errors");
    await page.goto("/tasks");
    await page.keyboard.press("?");
    await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    await check("shortcuts dialog");
    await page.keyboard.press("Escape");

    // A task's own page and its edit page.
    await page.getByRole("link", { name: "Overdue invoice", exact: true }).click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await check("task page (overdue)");
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    await page.waitForURL(/\/edit$/);
    await check("task edit page");
    await page.goto(page.url().replace(/\/edit$/, "/delete"));
    await check("delete confirmation page (no-JavaScript path)");

    // Settings: as they are, refused, saved.
    await page.goto("/settings");
    await check("settings");
    await page.getByLabel("Name").fill("");
    await page.getByRole("checkbox", { name: "1 day" }).uncheck();
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.locator("#name-error").waitFor();
    await check("settings with errors");
    await page.getByLabel("Name").fill(account.name);
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.waitForURL(/saved=1/);
    await check("settings saved");

    // Mail: the mailbox (the registration's verification mail only), a digest, its pages, the email links.
    await page.goto("/dev/mailbox");
    await check("dev mailbox before any reminder");
    const at = DateTime.now().setZone(TZ).set({ hour: 8, minute: 0, second: 0, millisecond: 0 });
    await page.goto("/tasks");
    await addTaskThroughForm(page, { title: "Renew the lease", priority: "high", due_date: at.toISODate()! });
    await row(page, "Renew the lease").waitFor();
    await runRemindersCli(server, at.toISO()!);
    await page.goto("/dev/mailbox");
    await check("dev mailbox with mail");
    await page.locator("ul.mailbox a").filter({ hasNotText: "Confirm your address" }).click();
    await page.waitForURL(/\/dev\/mailbox\/[0-9a-f-]{36}$/);
    await check("a mail");
    const linkTo = async (name: string) => (await page.getByRole("link", { name, exact: true }).first().getAttribute("href"))!;
    const done = await linkTo("Mark done");
    const tomorrow = await linkTo("Move to tomorrow");
    const unsubscribe = await linkTo("Unsubscribe from reminders");

    await page.goto(done);
    await check("email action confirmation");
    await page.getByRole("button", { name: "Mark done" }).click();
    await poll(() => page.locator("h1").textContent()).toBe("Marked done");
    await check("email action result");
    await page.goto(done);
    expect(await page.locator("h1").textContent()).toBe("This link was already used");
    await check("email action, link already used");
    await page.goto(tomorrow);
    await check("email action confirmation (tomorrow)");
    await page.goto("/email/action?token=damaged");
    await check("email action, damaged link");

    await page.goto(unsubscribe);
    await check("unsubscribe page");
    await page.getByRole("button", { name: "Turn off reminders" }).click();
    await poll(() => page.locator("main").getByRole("status").count()).toBe(1);
    await check("unsubscribed");

    // A task page that lists the reminder it was sent.
    await page.goto("/tasks");
    await page.getByRole("link", { name: "Renew the lease", exact: true }).click();
    await page.locator(".reminder-panel table").waitFor();
    await check("task page with reminder history");

    if (minor.length) console.log(`axe, lesser findings [${colorScheme}]:\n  ${minor.join("\n  ")}`);
    expect(session.problems.filter((p) => !p.startsWith("CSP"))).toEqual([]);
  });
});
