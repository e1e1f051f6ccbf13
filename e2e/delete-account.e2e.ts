import { afterEach, describe, expect, it } from "vitest";
import { addTaskThroughForm, newAccount, poll, register, row } from "./support/app.js";
import { openSession, useBrowser, type Session } from "./support/browser.js";
import { useServer } from "./support/server.js";

// Deleting the account in a browser, with JavaScript on and off: the password is asked for, a
// wrong one is refused in place, the right one signs out everywhere and the address can start again.
const server = useServer();
const chrome = useBrowser();

let session: Session | null = null;
afterEach(async () => {
  const problems = session?.problems ?? [];
  await session?.context.close();
  session = null;
  expect(problems, "no CSP violations or script errors").toEqual([]);
});

describe.each([
  ["with JavaScript", true],
  ["without JavaScript", false],
])("delete account %s", (_label, javaScriptEnabled) => {
  it("refuses a wrong password, deletes with the right one, and the address can register again and read the confirmation", async () => {
    session = await openSession(chrome.browser, server, { javaScriptEnabled });
    const { page } = session;
    const path = () => new URL(page.url()).pathname;
    const account = newAccount("Grace Hopper");
    await register(page, account);
    if (javaScriptEnabled) {
      await addTaskThroughForm(page, { title: "Write the compiler" });
      await row(page, "Write the compiler").waitFor();
    } else {
      await page.getByLabel("Title").fill("Write the compiler");
      await page.getByRole("button", { name: "Add task" }).click();
      await page.waitForLoadState();
    }

    await page.goto("/settings");
    await page.getByRole("link", { name: "Delete your account" }).click();
    await page.waitForURL(/\/settings\/delete$/);
    expect(await page.locator("h1").textContent()).toBe("Delete your account");
    expect(await page.locator("main").textContent()).toContain("1 task");

    await page.getByLabel("Your password").fill("not my password");
    await page.getByRole("button", { name: "Delete my account and all my tasks" }).click();
    await poll(() => page.locator("#current_password-error").textContent()).toBe("That is not your current password.");
    expect(await page.getByLabel("Your password").inputValue()).toBe("");

    await page.getByLabel("Your password").fill(account.password);
    await page.getByRole("button", { name: "Delete my account and all my tasks" }).click();
    await page.waitForURL(/\/login$/);
    await page.goto("/tasks");
    expect(path()).toBe("/login");

    // The same address starts afresh: no old tasks, and the confirmation is in its mailbox.
    await register(page, account);
    expect(await page.locator("main").textContent()).not.toContain("Write the compiler");
    const confirmation = page.getByRole("link", { name: "Your SmartTask account has been deleted" });
    await poll(async () => (await page.goto("/dev/mailbox"), await confirmation.count())).toBe(1);
    // The message page's source holds both parts: enough to read what the mail says.
    const message = await page.request.get((await confirmation.getAttribute("href"))!);
    expect(message.status()).toBe(200);
    expect(await message.text()).toContain("has been deleted, as you asked");
  });
});
