import { afterEach, expect, it } from "vitest";
import { localDate, newAccount, row, rowTitles } from "./support/app.js";
import { openSession, useBrowser, type Session } from "./support/browser.js";
import { useServer } from "./support/server.js";

// The core journeys with JavaScript off: plain links, form posts and 303s, no htmx.
const server = useServer();
const chrome = useBrowser();

let session: Session | null = null;
afterEach(async () => {
  await session?.context.close();
  session = null;
});

it("registers, logs out and in, and creates, filters, edits, completes and deletes tasks without JavaScript", async () => {
  session = await openSession(chrome.browser, server, { javaScriptEnabled: false, timezoneId: "Asia/Tokyo" });
  const { page } = session;
  const account = newAccount("Alan Turing");
  const path = () => new URL(page.url()).pathname + new URL(page.url()).search;

  // Register: without the script the timezone stays the server's default, and can be chosen.
  await page.goto("/register");
  expect(await page.getByLabel("Timezone").inputValue()).toBe("UTC");
  await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForLoadState();
  expect(await page.locator("#password-error").textContent()).toContain("at least 8");
  expect(await page.getByLabel("Email").inputValue()).toBe(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByLabel("Timezone").selectOption("Europe/Paris");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForLoadState();
  // Registering lands on Today (#13).
  expect(path()).toBe("/today");

  // Log out and in.
  await page.getByRole("button", { name: "Log out Alan Turing" }).click();
  await page.waitForLoadState();
  expect(path()).toBe("/login");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForLoadState();
  expect(path()).toBe("/today");
  await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "All", exact: true }).click();
  await page.waitForLoadState();
  expect(path()).toBe("/tasks");

  // Create: the new-task form opens without script (it is a <details>) and posts normally.
  await page.getByLabel("Title").fill("Post the letters");
  await page.getByLabel("Priority").selectOption("high");
  await page.getByLabel("Due date").fill(localDate("Europe/Paris", 2));
  await page.getByLabel("Time (optional)").fill("10:30");
  await page.getByRole("button", { name: "Add task" }).click();
  await page.waitForLoadState();
  expect(path()).toBe("/tasks");
  expect(await row(page, "Post the letters").textContent()).toMatch(/High.*10:30.*in 2 days/);

  await page.locator("details.new-task > summary").click();
  await page.waitForLoadState();
  await page.getByLabel("Title").fill("");
  await page.getByRole("button", { name: "Add task" }).click();
  await page.waitForLoadState();
  // Bad input: the form again (422) with its message; nothing was created.
  expect(await page.locator("h1").textContent()).toBe("New task");
  expect(await page.locator("#new-title-error").textContent()).toBeTruthy();
  await page.getByLabel("Title").fill("Tidy the garage");
  await page.getByRole("button", { name: "Add task" }).click();
  await page.waitForLoadState();
  expect(path()).toBe("/tasks");
  expect(await rowTitles(page)).toEqual(["Post the letters", "Tidy the garage"]);

  // Filter with the Apply button: a GET form, so the address holds the filter.
  await page.locator("#filters").getByRole("checkbox", { name: "High" }).check();
  await page.getByRole("button", { name: "Apply" }).click();
  await page.waitForLoadState();
  expect(path()).toMatch(/^\/tasks\?priority=high&/);
  expect(await rowTitles(page)).toEqual(["Post the letters"]);
  await page.getByLabel("Search").fill("garage");
  await page.locator("#filters").getByRole("checkbox", { name: "High" }).uncheck();
  await page.getByRole("button", { name: "Apply" }).click();
  await page.waitForLoadState();
  expect(await rowTitles(page)).toEqual(["Tidy the garage"]);
  await page.getByRole("link", { name: "Clear filters" }).click();
  await page.waitForLoadState();
  expect(path()).toBe("/tasks");

  // Edit: its own page; a bad value comes back with the message, then the fix lands on the task.
  await row(page, "Tidy the garage").getByRole("link", { name: "Edit “Tidy the garage”" }).click();
  await page.waitForLoadState();
  expect(await page.locator("h1").textContent()).toBe("Edit task");
  await page.getByLabel("Title").fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForLoadState();
  expect(await page.getByRole("alert").textContent()).toContain("Please correct");
  await page.getByLabel("Title").fill("Tidy the garage and the shed");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForLoadState();
  expect(path()).toMatch(/^\/tasks\/[0-9a-f-]{36}$/);
  expect(await page.locator("h1").textContent()).toBe("Tidy the garage and the shed");
  await page.getByRole("link", { name: "← All tasks" }).click();
  await page.waitForLoadState();

  // Complete and reopen from the list: a post and a 303 back to it.
  await page.getByRole("button", { name: "Mark “Post the letters” done" }).click();
  await page.waitForLoadState();
  expect(path()).toBe("/tasks");
  // Finished, it leaves the open list; with Show done it is there, struck through, and reopens.
  expect(await row(page, "Post the letters").count()).toBe(0);
  await page.goto("/tasks?done=1");
  expect(await row(page, "Post the letters").getAttribute("class")).toContain("is-done");
  await page.getByRole("button", { name: "Reopen “Post the letters”" }).click();
  await page.waitForLoadState();
  expect(path()).toBe("/tasks?done=1");
  expect(await row(page, "Post the letters").getAttribute("class")).not.toContain("is-done");
  await page.goto("/tasks");
  expect(await row(page, "Post the letters").count()).toBe(1);

  // Delete: without script the button opens a confirmation page; "Keep it" changes nothing.
  await page.getByRole("button", { name: "Delete “Post the letters”" }).click();
  await page.waitForLoadState();
  expect(await page.locator("h1").innerText()).toBe("Delete this task?");
  await page.getByRole("link", { name: "Keep it" }).click();
  await page.waitForLoadState();
  expect(await page.locator("h1").innerText()).toBe("Post the letters");
  await page.goto(`${page.url().replace(/\/tasks\/.*$/, "")}/tasks`);
  await page.getByRole("button", { name: "Delete “Post the letters”" }).click();
  await page.waitForLoadState();
  await page.getByRole("button", { name: "Delete “Post the letters”" }).click();
  await page.waitForLoadState();
  expect(path()).toBe("/tasks");
  expect(await rowTitles(page)).toEqual(["Tidy the garage and the shed"]);
  expect(session.problems).toEqual([]);
});
