import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountTokens, users } from "../src/db/schema.js";
import { location, uniqueIp } from "./support/auth-helpers.js";
import { latestLink, mailTo, sessionCount, userByEmail } from "./support/account-links.js";
import { makeTestApp, textOf, uniqueEmail, type Browser } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const NEW_PASSWORD = "a brand new passphrase";

const logsIn = async (email: string, password: string) => location(await t.browser(uniqueIp()).post("/login", { email, password })) === "/today";

/** Asks for and confirms a change of the signed-in account's address; answers the old address's undo link. */
async function moveTo(b: Browser, password: string, from: string, to: string) {
  t.clock.advance(1000);
  expect((await b.post("/settings/email", { email: to, current_password: password })).status).toBe(303);
  expect((await t.browser().post((await latestLink(t, to, "/email-change/confirm/"))!)).status).toBe(303);
  return (await latestLink(t, from, "/email-change/undo/"))!;
}

describe("change email does not reveal whose an address is", () => {
  it("answers an address with an account as it answers a free one; its owner gets a note, not a link", async () => {
    const { email: taken } = await t.browser(uniqueIp()).register();
    const b = t.browser(uniqueIp());
    const { email, password } = await b.register();
    const free = uniqueEmail();

    const answer = async (address: string) => {
      const res = await b.post("/settings/email", { email: address, current_password: password });
      const page = await b.get(location(res)!);
      return { status: res.status, location: location(res)!.replace(encodeURIComponent(address), "…"), page: (await page.text()).replaceAll(address, "…") };
    };
    const forTaken = await answer(taken);
    const forFree = await answer(free);
    expect(forTaken.status).toBe(303);
    expect(forTaken).toEqual(forFree);
    expect(textOf(forTaken.page)).toContain("We sent a confirmation link to …");

    const notes = await mailTo(t, taken);
    const note = notes.find((m) => m.subject === "Someone tried to move a SmartTask account to your address");
    expect(note).toBeDefined();
    expect(note!.textBody).not.toContain("/email-change/");
    expect(await latestLink(t, taken, "/email-change/confirm/")).toBeNull();
    // Nothing moved: each account keeps its address, and no link exists for the taken one.
    expect((await userByEmail(t, email))).not.toBeNull();
    const pending = await t.database.db.select().from(accountTokens).where(and(eq(accountTokens.purpose, "email_change"), eq(accountTokens.email, taken)));
    expect(pending).toEqual([]);
  });

  it("refuses a confirmation when another account took the address meanwhile, changing nothing", async () => {
    const b = t.browser(uniqueIp());
    const { email, password } = await b.register();
    const wanted = uniqueEmail();
    await b.post("/settings/email", { email: wanted, current_password: password });
    const confirm = (await latestLink(t, wanted, "/email-change/confirm/"))!;
    await t.browser(uniqueIp()).register({ email: wanted });

    const res = await t.browser().post(confirm);
    expect(res.status).toBe(409);
    expect(textOf(await res.text())).toContain("That address now belongs to another SmartTask account");
    expect((await userByEmail(t, email))).not.toBeNull();
    expect(await latestLink(t, email, "/email-change/undo/")).toBeNull();
  });
});

describe("the holder of the old address stays in control", () => {
  it("undo ends the session that made the change and voids the links it could still use", async () => {
    const intruder = t.browser(uniqueIp());
    const { email: old, password } = await intruder.register();
    const mid = uniqueEmail();
    const undo = await moveTo(intruder, password, old, mid);
    // The intruder asks to move on again, and for a reset link at the address they hold now.
    const further = uniqueEmail();
    await intruder.post("/settings/email", { email: further, current_password: password });
    const pendingConfirm = (await latestLink(t, further, "/email-change/confirm/"))!;
    await t.browser(uniqueIp()).post("/forgot", { email: mid });
    const pendingReset = (await latestLink(t, mid, "/reset/"))!;
    expect(pendingReset).toBeTruthy();

    expect((await t.browser(uniqueIp()).post(undo)).status).toBe(303);
    expect(location(await intruder.get("/tasks"))).toMatch(/^\/login/);
    expect((await t.browser().post(pendingConfirm)).status).toBe(404);
    expect((await t.browser().post(pendingReset, { password: NEW_PASSWORD })).status).toBe(404);
    expect((await userByEmail(t, old))).not.toBeNull();
  });

  it("after A → B → C, B's undo cannot cancel A's: A's undo still restores A", async () => {
    const intruder = t.browser(uniqueIp());
    const { email: a, password } = await intruder.register();
    const b = uniqueEmail();
    const c = uniqueEmail();
    const undoA = await moveTo(intruder, password, a, b);
    const undoB = await moveTo(intruder, password, b, c);
    const user = (await userByEmail(t, c))!;

    expect((await t.browser().post(undoB)).status).toBe(303);
    expect((await userByEmail(t, b))?.id).toBe(user.id);
    expect((await t.browser().post(undoA)).status).toBe(303);
    expect((await userByEmail(t, a))?.id).toBe(user.id);
  });

  it("after A → B → C, A's undo voids B's", async () => {
    const intruder = t.browser(uniqueIp());
    const { email: a, password } = await intruder.register();
    const b = uniqueEmail();
    const undoA = await moveTo(intruder, password, a, b);
    const undoB = await moveTo(intruder, password, b, uniqueEmail());

    expect((await t.browser().post(undoA)).status).toBe(303);
    expect((await t.browser().post(undoB)).status).toBe(404);
    expect((await userByEmail(t, a))).not.toBeNull();
  });

  it("a password reset at the new address leaves the old address's undo working", async () => {
    const intruder = t.browser(uniqueIp());
    const { email: old, password } = await intruder.register();
    const theirs = uniqueEmail();
    const undo = await moveTo(intruder, password, old, theirs);
    await t.browser(uniqueIp()).post("/forgot", { email: theirs });
    expect((await t.browser(uniqueIp()).post((await latestLink(t, theirs, "/reset/"))!, { password: "the intruder's own now" })).status).toBe(303);

    const owner = t.browser(uniqueIp());
    expect((await owner.post(undo)).status).toBe(303);
    const user = (await userByEmail(t, old))!;
    expect(await sessionCount(t, user.id)).toBe(0);
    await t.browser(uniqueIp()).post("/forgot", { email: old });
    expect((await owner.post((await latestLink(t, old, "/reset/"))!, { password: NEW_PASSWORD })).status).toBe(303);
    expect(await logsIn(old, NEW_PASSWORD)).toBe(true);
    expect(await logsIn(theirs, "the intruder's own now")).toBe(false);
  });

  it("a reset link mailed to the old address stops working once the address changes", async () => {
    const b = t.browser(uniqueIp());
    const { email: old, password } = await b.register();
    await t.browser(uniqueIp()).post("/forgot", { email: old });
    const reset = (await latestLink(t, old, "/reset/"))!;
    await moveTo(b, password, old, uniqueEmail());
    expect((await t.browser().post(reset, { password: NEW_PASSWORD })).status).toBe(404);
  });

  it("a pending change does not move reminders or account mail", async () => {
    const b = t.browser(uniqueIp());
    const { email, password } = await b.register();
    await b.post("/settings/email", { email: uniqueEmail(), current_password: password });
    const [row] = await t.database.db.select({ email: users.email, verified: users.emailVerifiedAt }).from(users).where(eq(users.email, email));
    expect(row?.email).toBe(email);
    expect(row?.verified).not.toBeNull();
  });
});
