import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { sessions } from "../src/db/schema.js";
import { location, uniqueIp } from "./support/auth-helpers.js";
import { capturingSql } from "./support/tasks.js";
import { makeTestApp, settled, textOf, type Browser } from "./support/test-app.js";

const NOW = "2026-06-15T12:00:00Z";
const t = await makeTestApp({ now: NOW });
beforeEach(() => t.clock.set(NOW));

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

const sessionId = (b: Browser) => b.cookies.get("session")!.split(".")[0]!;
const sessionRow = async (id: string) => (await t.database.db.select().from(sessions).where(eq(sessions.id, id)))[0];
const signedIn = async (b: Browser) => (await b.get("/tasks")).status === 200;

/** An account (registered without a User-Agent) and two more browsers signed in to it: Firefox on Linux and Safari on iPhone. */
async function accountWithBrowsers(timezone = "UTC") {
  const first = t.browser(uniqueIp());
  const { email, password } = await first.register({ timezone });
  const login = async (userAgent: string) => {
    const b = t.browser(uniqueIp());
    const res = await b.post("/login", { email, password }, { headers: { "user-agent": userAgent } });
    expect(res.status).toBe(303);
    return b;
  };
  const browsers = { first, firefox: await login(FIREFOX_LINUX), safari: await login(SAFARI_IPHONE) };
  // Mail the registration sends after its response must not be counted as these tests' statements.
  await settled();
  return browsers;
}

/** The list item of one session on the page, as text. */
function rowOf(html: string, id: string): string {
  const row = html.match(new RegExp(`<li id="session-${id}"[\\s\\S]*?</li>`));
  return row ? textOf(row[0]) : "";
}

describe("the sessions page", () => {
  it("lists each browser with its description, when it signed in (in the user's zone) and marks this one", async () => {
    const { first, firefox, safari } = await accountWithBrowsers("Asia/Kolkata");
    const res = await firefox.get("/settings/sessions");
    expect(res.status).toBe(200);
    const html = await res.text();

    const mine = rowOf(html, sessionId(firefox));
    expect(mine).toContain("Firefox on Linux");
    expect(mine).toContain("This browser");
    // 12:00 UTC is 17:30 in Kolkata.
    expect(mine).toContain("15 Jun 2026, 17:30");
    expect(mine).toContain("within the last hour");
    expect(html).not.toContain(`/settings/sessions/${sessionId(firefox)}/revoke`);

    const phone = rowOf(html, sessionId(safari));
    expect(phone).toContain("Safari on iPhone");
    expect(phone).not.toContain("This browser");
    expect(html).toContain(`action="/settings/sessions/${sessionId(safari)}/revoke"`);

    // The registration request sent no User-Agent.
    expect(rowOf(html, sessionId(first))).toContain("Unknown browser");
    expect(textOf(html)).toContain("Sign out everywhere else");
    // Never the raw header.
    expect(html).not.toContain("Gecko/20100101");
  });

  it("shows the last use to the hour: the date and time once it is over an hour old", async () => {
    const { firefox, safari } = await accountWithBrowsers("UTC");
    t.clock.advance(3 * HOUR);
    const html = await (await firefox.get("/settings/sessions")).text();
    expect(rowOf(html, sessionId(firefox))).toContain("within the last hour");
    expect(rowOf(html, sessionId(safari))).toMatch(/Last used 15 Jun 2026, 12:00/);
  });

  it("leaves out sessions that have expired or passed the 90-day limit", async () => {
    const { first } = await accountWithBrowsers();
    const row = (await sessionRow(sessionId(first)))!;
    const now = t.clock.now();
    const expired = { ...row, id: "a".repeat(40), expiresAt: new Date(now.getTime() - MINUTE) };
    const tooOld = { ...row, id: "b".repeat(40), createdAt: new Date(now.getTime() - 91 * 24 * HOUR), expiresAt: new Date(now.getTime() + HOUR) };
    await t.database.db.insert(sessions).values([expired, tooOld]);
    const html = await (await first.get("/settings/sessions")).text();
    expect(html).not.toContain("a".repeat(40));
    expect(html).not.toContain("b".repeat(40));
    expect(html.match(/<li id="session-/g)).toHaveLength(3);
  });
});

describe("last use, recorded at most once an hour", () => {
  const updatesOfSessions = (statements: string[]) => statements.filter((q) => /^update "sessions"/i.test(q.trim()));

  it("does not move within the hour, moves with the first request after it, in one UPDATE", async () => {
    const { firefox } = await accountWithBrowsers();
    const id = sessionId(firefox);
    const start = t.clock.now();
    expect((await sessionRow(id))!.lastUsedAt).toEqual(start);

    t.clock.advance(59 * MINUTE);
    const within = await capturingSql(t, async () => {
      for (let i = 0; i < 3; i++) expect((await firefox.get("/tasks")).status).toBe(200);
    });
    expect(updatesOfSessions(within.statements)).toEqual([]);
    expect((await sessionRow(id))!.lastUsedAt).toEqual(start);

    t.clock.advance(2 * MINUTE);
    const moved = t.clock.now();
    const after = await capturingSql(t, async () => {
      for (let i = 0; i < 3; i++) expect((await firefox.get("/tasks")).status).toBe(200);
    });
    expect(updatesOfSessions(after.statements)).toHaveLength(1);
    const row = (await sessionRow(id))!;
    expect(row.lastUsedAt).toEqual(moved);

    // The hourly write leaves the sliding expiry alone (it is far from due) and sends no new cookie.
    expect(row.expiresAt).toEqual(new Date(start.getTime() + 30 * 24 * HOUR));
    t.clock.advance(61 * MINUTE);
    const res = await firefox.get("/tasks");
    expect(res.headers.getSetCookie().some((l) => l.startsWith("session="))).toBe(false);
  });

  it("the request that records it stays one statement over an ordinary one", async () => {
    const { firefox } = await accountWithBrowsers();
    await firefox.get("/tasks");
    let before = t.database.roundTrips();
    await (await firefox.get("/tasks")).arrayBuffer();
    const ordinary = t.database.roundTrips() - before;

    t.clock.advance(2 * HOUR);
    before = t.database.roundTrips();
    await (await firefox.get("/tasks")).arrayBuffer();
    expect(t.database.roundTrips() - before).toBe(ordinary + 1);
  });

  it("moves together with the sliding expiry in the same single UPDATE", async () => {
    const { firefox } = await accountWithBrowsers();
    const id = sessionId(firefox);
    t.clock.advance(16 * 24 * HOUR);
    const { statements } = await capturingSql(t, async () => expect((await firefox.get("/tasks")).status).toBe(200));
    expect(updatesOfSessions(statements)).toHaveLength(1);
    const row = (await sessionRow(id))!;
    expect(row.lastUsedAt).toEqual(t.clock.now());
    expect(row.expiresAt).toEqual(new Date(t.clock.now().getTime() + 30 * 24 * HOUR));
  });
});

describe("ending sessions", () => {
  it("ends another browser's session: it is signed out, the rest stay, and the page says so", async () => {
    const { first, firefox, safari } = await accountWithBrowsers();
    const res = await firefox.post(`/settings/sessions/${sessionId(safari)}/revoke`);
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/settings/sessions?ended=one");

    const page = await (await firefox.get(location(res)!)).text();
    expect(textOf(page)).toContain("That session has ended");
    expect(page).not.toContain(sessionId(safari));

    const next = await safari.get("/tasks");
    expect(next.status).toBe(303);
    expect(location(next)).toMatch(/^\/login/);
    expect(await signedIn(firefox)).toBe(true);
    expect(await signedIn(first)).toBe(true);
  });

  it("signs out everywhere else and keeps this browser", async () => {
    const { first, firefox, safari } = await accountWithBrowsers();
    const res = await safari.post("/settings/sessions/revoke-others");
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/settings/sessions?ended=others");

    expect(await signedIn(safari)).toBe(true);
    expect(location(await firefox.get("/tasks"))).toMatch(/^\/login/);
    expect(location(await first.get("/tasks"))).toMatch(/^\/login/);
    const page = await (await safari.get("/settings/sessions?ended=others")).text();
    expect(page.match(/<li id="session-/g)).toHaveLength(1);
    expect(textOf(page)).toContain("You are signed out everywhere else");
    expect(textOf(page)).toContain("You are not signed in anywhere else");
  });

  it("answers htmx with the list alone, without the ended session", async () => {
    const { firefox, safari } = await accountWithBrowsers();
    const res = await firefox.post(`/settings/sessions/${sessionId(safari)}/revoke`, {}, { htmx: "/settings/sessions" });
    expect(res.status).toBe(200);
    expect(res.headers.get("vary")).toContain("HX-Request");
    const html = await res.text();
    expect(html).toMatch(/^<div id="session-list">/);
    expect(html).not.toContain("<html");
    expect(html).not.toContain(sessionId(safari));
    expect(textOf(html)).toContain("That session has ended");
    expect(await signedIn(safari)).toBe(false);

    const others = await firefox.post("/settings/sessions/revoke-others", {}, { htmx: "/settings/sessions" });
    expect(others.status).toBe(200);
    expect((await others.text()).match(/<li id="session-/g)).toHaveLength(1);
  });

  it("ending this browser's own session signs it out (303 to /login, cookie cleared)", async () => {
    const { firefox, safari } = await accountWithBrowsers();
    const id = sessionId(firefox);
    const res = await firefox.post(`/settings/sessions/${id}/revoke`);
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/login");
    expect(firefox.cookies.has("session")).toBe(false);
    expect(await sessionRow(id)).toBeUndefined();
    expect(await signedIn(safari)).toBe(true);
  });
});
