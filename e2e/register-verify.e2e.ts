import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { newAccount, poll, register } from "./support/app.js";
import { expectAccessible, openSession, useBrowser, type Session } from "./support/browser.js";
import { useServer } from "./support/server.js";

// Registering, then confirming the address from the mail, in a browser with JavaScript on and off:
// the banner until then, "Send the link again", the link's page and its button, a used and a
// retired link, and someone else trying the same address.
const server = useServer();
const chrome = useBrowser();
const VERIFY_SUBJECT = "Confirm your address for SmartTask";

let sessions: Session[] = [];
afterEach(async () => {
  const problems = sessions.flatMap((s) => s.problems);
  for (const s of sessions) await s.context.close();
  sessions = [];
  expect(problems, "no CSP violations or script errors").toEqual([]);
});

async function open(javaScriptEnabled: boolean) {
  const session = await openSession(chrome.browser, server, { javaScriptEnabled });
  sessions.push(session);
  return session;
}

/**
 * The /verify links of the mails with this subject in the signed-in person's /dev/mailbox, newest
 * first, once `count` have arrived, read from each message page's source (it holds the link in
 * both parts).
 */
async function mailedLinks(page: Page, subject: string, count: number): Promise<string[]> {
  const mails = page.getByRole("link", { name: subject });
  await poll(async () => (await page.goto("/dev/mailbox"), await mails.count())).toBe(count);
  const links: string[] = [];
  for (const href of await mails.evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) {
    const message = await (await page.request.get(href)).text();
    links.push(message.match(/\/verify\/[0-9a-f]{40}\.[0-9a-f]{64}/)?.[0] ?? "");
  }
  return links;
}

const banner = (page: Page) => page.locator("#verify-banner [role=status]");

describe.each([
  ["with JavaScript", true],
  ["without JavaScript", false],
])("registering and confirming the address %s", (_label, javaScriptEnabled) => {
  it("shows the banner, sends the link again, and confirms the address with the newest link's button", async () => {
    const { page } = await open(javaScriptEnabled);
    const account = newAccount("Ada Lovelace");
    await register(page, account, { verified: false });
    expect(await page.locator("h1").textContent()).toBe("Your tasks");
    expect(await banner(page).textContent()).toBe(`Confirm your address to get reminders. We sent a link to ${account.email}.`);
    // Every page says so, the settings too.
    await page.goto("/settings");
    expect(await banner(page).textContent()).toContain("Confirm your address to get reminders.");

    // A new link: with htmx the banner's sentence changes in place; without, the page comes back with it.
    await page.getByRole("button", { name: "Send the link again" }).click();
    await poll(() => banner(page).textContent()).toBe(`We sent a new link to ${account.email}. It works for 24 hours; earlier links no longer do.`);
    expect(new URL(page.url()).pathname).toBe("/settings");

    const [newest, older] = await mailedLinks(page, VERIFY_SUBJECT, 2);
    expect(newest).toMatch(/^\/verify\//);
    expect(older).toMatch(/^\/verify\//);

    // The first link was retired by the second.
    await page.goto(older!);
    expect(await page.locator("h1").textContent()).toBe("This link does not work");

    // Opening the newest link shows a button and changes nothing until it is pressed.
    await page.goto(newest!);
    expect(await page.locator("h1").textContent()).toBe("Confirm your address");
    expect(await page.locator("main").textContent()).toContain(account.email);
    expect(await banner(page).count()).toBe(1);
    await page.getByRole("button", { name: "Confirm my address" }).click();
    await page.waitForURL(/\/today$/);
    expect(await page.locator("main > p.notice[role=status]").textContent()).toBe("Your address is confirmed.");
    expect(await page.locator("#verify-banner").count()).toBe(0);

    // A second use says it was used; the banner stays gone.
    await page.goto(newest!);
    expect(await page.locator("h1").textContent()).toBe("This link was already used");
    await page.goto("/tasks");
    expect(await page.locator("#verify-banner").count()).toBe(0);
    expect(await page.locator("main > p.notice").count()).toBe(0);
  });

  it("someone registering a taken address stays on the form with one message; the owner gets a note", async () => {
    const { page: owner } = await open(true);
    const account = newAccount("Grace Hopper");
    await register(owner, account, { verified: false });

    const { page } = await open(javaScriptEnabled);
    await page.goto("/register");
    await page.getByLabel("Name").fill("Someone Else");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill("another-long-password");
    await page.getByRole("button", { name: "Create account" }).click();
    await poll(() => page.getByRole("alert").count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe("/register");
    expect((await page.getByRole("alert").textContent())?.replace(/\s+/g, " ")).toBe(
      "We could not create an account with that address. If it is yours, log in or reset your password.",
    );
    expect(await page.getByRole("alert").getByRole("link", { name: "reset your password" }).getAttribute("href")).toBe("/forgot");
    expect(await page.getByLabel("Name").inputValue()).toBe("Someone Else");
    expect(await page.getByLabel("Email").inputValue()).toBe(account.email);
    expect(await page.getByLabel("Password").inputValue()).toBe("");
    await page.goto("/tasks");
    expect(new URL(page.url()).pathname).toBe("/login");

    const note = owner.getByRole("link", { name: "Someone tried to create a SmartTask account with your address" });
    await poll(async () => (await owner.goto("/dev/mailbox"), await note.count())).toBe(1);
    const message = await (await owner.request.get((await note.getAttribute("href"))!)).text();
    expect(message).toContain("no new one was made and yours was not changed");
  });
});

describe.each(["light", "dark"] as const)("axe, %s colour scheme", (colorScheme) => {
  it("finds no serious or critical violation on the banner, the link's page, a used link and a taken address", async () => {
    // axe is injected as an inline script, which the app's CSP (rightly) refuses: bypass it here only.
    const session = await openSession(chrome.browser, server, { bypassCSP: true, colorScheme });
    sessions.push(session);
    const { page } = session;
    const check = (state: string) => expectAccessible(page, `${state} [${colorScheme}]`);
    const account = newAccount("Ada Lovelace");
    await register(page, account, { verified: false });
    await check("task list with the banner");
    await page.getByRole("button", { name: "Send the link again" }).click();
    await poll(() => banner(page).textContent()).toContain("We sent a new link");
    await check("banner after a resend");
    const [newest] = await mailedLinks(page, VERIFY_SUBJECT, 2);
    await page.goto(newest!);
    await check("confirm your address");
    await page.getByRole("button", { name: "Confirm my address" }).click();
    await page.waitForURL(/\/today$/);
    await check("address confirmed notice");
    await page.goto(newest!);
    await check("link already used");
    await page.getByRole("button", { name: `Log out ${account.name}` }).click();
    await page.waitForURL(/\/login$/);
    await page.goto("/register");
    await page.getByLabel("Name").fill("Someone Else");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill("another-long-password");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("alert").waitFor();
    await check("taken address");
  });
});
