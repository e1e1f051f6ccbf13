import { afterEach, describe, expect, it } from "vitest";
import { newAccount, poll, register } from "./support/app.js";
import { openSession, useBrowser, type Session } from "./support/browser.js";
import { useServer } from "./support/server.js";

// A forgotten password, reset in a browser with JavaScript on and off. The person is still signed
// in on their phone, where they read the mail (the dev mailbox shows a signed-in person their own
// mail); the reset on the laptop signs the phone out.
const server = useServer();
const chrome = useBrowser();
const NEW_PASSWORD = "tangerine-harbour-41";

let sessions: Session[] = [];
afterEach(async () => {
  const problems = sessions.flatMap((s) => s.problems);
  for (const s of sessions) await s.context.close();
  sessions = [];
  expect(problems, "no CSP violations or script errors").toEqual([]);
});

async function open(javaScriptEnabled = true) {
  const session = await openSession(chrome.browser, server, { javaScriptEnabled });
  sessions.push(session);
  return session;
}

describe.each([
  ["with JavaScript", true],
  ["without JavaScript", false],
])("password reset %s", (_label, javaScriptEnabled) => {
  it("asks for a link from the login page, sets a new password with it, and every earlier session ends", async () => {
    const { page: phone } = await open();
    const account = newAccount("Ada Lovelace");
    await register(phone, account);

    const { page } = await open(javaScriptEnabled);
    const path = () => new URL(page.url()).pathname;
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL(/\/forgot$/);
    await page.getByLabel("Email").fill(account.email);
    await page.getByRole("button", { name: "Send me a link" }).click();
    await poll(() => page.locator("main [role=status]").count()).toBe(1);
    expect(await page.locator("main [role=status]").textContent()).toContain("If an account uses that address, we sent a link to reset its password");

    // On the phone, the mail, read from its message page's source.
    const mail = phone.getByRole("link", { name: "Reset your SmartTask password" });
    await poll(async () => (await phone.goto("/dev/mailbox"), await mail.count())).toBe(1);
    const message = await (await phone.request.get((await mail.getAttribute("href"))!)).text();
    const link = message.match(/\/reset\/[0-9a-f]{40}\.[0-9a-f]{64}/)?.[0];
    expect(link).toBeTruthy();

    await page.goto(link!);
    expect(await page.locator("h1").textContent()).toBe("Choose a new password");
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Save the new password" }).click();
    await poll(() => page.locator("#password-error").textContent()).toBe("Use at least 8 characters.");
    expect(await page.getByLabel("New password").inputValue()).toBe("");

    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Save the new password" }).click();
    await page.waitForURL(/\/reset\/done$/);
    expect(await page.locator("main [role=status]").textContent()).toContain("Your password was changed");

    // The old password no longer works; the new one does.
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await poll(() => page.getByRole("alert").count()).toBe(1);
    await page.getByLabel("Password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/today$/);
    expect(await page.locator("h1").textContent()).toMatch(/^Today/);

    // The phone was signed out by the reset; the link is used up.
    await phone.goto("/tasks");
    expect(new URL(phone.url()).pathname).toBe("/login");
    await page.goto(link!);
    expect(await page.locator("h1").textContent()).toBe("This link was already used");
    expect(path()).toBe(link);
  });
});
