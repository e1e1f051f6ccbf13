import { describe, expect, it, vi } from "vitest";
import { sha256Hex } from "../src/bytes.js";
import { LOGIN_LIMITS } from "../src/auth/rate-limit.js";
import { emailSigner } from "../src/email/signing-key.js";
import { cookieAttributes, DAY, in64, location, setCookieLine, uniqueIp, uniqueNetwork } from "./support/auth-helpers.js";
import { makeTestApp, uniqueEmail, type Browser } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const https = await makeTestApp({ now: "2026-06-15T12:00:00Z", appUrl: "https://smarttask.test" });
const PASSWORD = "correct horse battery";
const WRONG = "wrong password!";

/** A registered account and the owner's browser, which holds its device cookie. */
async function ownerWithDevice() {
  const owner = t.browser(uniqueIp());
  const { email } = await owner.register();
  expect(owner.cookies.get("device")).toBeDefined();
  await owner.post("/logout");
  return { email, owner };
}

/** A browser with no cookies but the given device cookie, from a fresh network unless given. */
function browserWithDevice(device: string, ip = uniqueIp()): Browser {
  const b = t.browser(ip);
  b.cookies.set("device", device);
  return b;
}

/** Locks the account for every browser without a device cookie: 100 failures in an hour, from as many networks. */
async function lockAccount(email: string) {
  for (let i = 0; i < LOGIN_LIMITS.account.max; i++) {
    expect((await t.browser(uniqueIp()).post("/login", { email, password: `${WRONG}${i}` })).status, `failure ${i + 1}`).toBe(422);
  }
  expect((await t.browser(uniqueIp()).post("/login", { email, password: PASSWORD })).status).toBe(429);
}

/** Locks the network: 30 failures on unknown accounts from addresses of one /64. */
async function lockNetwork(net: string) {
  for (let i = 0; i < LOGIN_LIMITS.network.max; i++) {
    expect((await t.browser(in64(net, `0:0:0:${i + 1}`)).post("/login", { email: uniqueEmail(), password: WRONG })).status).toBe(422);
  }
}

/** The JSON lines the app logs while `during` runs. */
async function logsDuring(during: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const spy = vi.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    await during();
    return spy.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>);
  } finally {
    spy.mockRestore();
  }
}

describe("device cookie: happy path", () => {
  it("is given on registration and on every sign-in: HttpOnly, SameSite=Lax, Path=/, for a year, new each time", async () => {
    const b = t.browser(uniqueIp());
    const { email } = await b.register();
    const first = b.cookies.get("device")!;
    await b.post("/logout");
    expect(b.cookies.get("device")).toBe(first); // logging out does not forget the device

    const res = await b.post("/login", { email, password: PASSWORD });
    expect(res.status).toBe(303);
    const line = setCookieLine(res, "device")!;
    const attrs = cookieAttributes(line);
    expect(attrs).toHaveProperty("httponly");
    expect(attrs.samesite).toBe("Lax");
    expect(attrs.path).toBe("/");
    expect(attrs).not.toHaveProperty("domain");
    expect(attrs["max-age"]).toBe(String((365 * DAY) / 1000));
    expect(b.cookies.get("device")).not.toBe(first);
    // It names neither the address nor the password.
    const decoded = atob(b.cookies.get("device")!.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/"));
    expect(decoded).not.toContain(email);
    expect(decoded).not.toContain(PASSWORD);
  });

  it("lets the owner's browser in while attackers without it have locked the account", async () => {
    const { email, owner } = await ownerWithDevice();
    await lockAccount(email);

    const res = await owner.post("/login", { email, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/today");
    expect((await owner.get("/tasks")).status).toBe(200);
    // The account stays locked for everyone else.
    expect((await t.browser(uniqueIp()).post("/login", { email, password: PASSWORD })).status).toBe(429);
  });

  it("lets the owner's browser in from a network an attacker has locked", async () => {
    const { email, owner } = await ownerWithDevice();
    const net = uniqueNetwork();
    await lockNetwork(net);
    expect((await t.browser(in64(net, "0:0:1:1")).post("/login", { email, password: PASSWORD })).status).toBe(429);
    const device = owner.cookies.get("device")!;
    expect((await browserWithDevice(device, in64(net, "0:0:1:2")).post("/login", { email, password: PASSWORD })).status).toBe(303);
  });
});

describe("device cookie: error cases", () => {
  it.each(["", "garbage", "a.b", ".", "%zz", "x".repeat(5000), "e30.AAAA"])("treats the malformed device cookie %j as none", async (value) => {
    const email = uniqueEmail();
    const res = await browserWithDevice(value).post("/login", { email, password: WRONG });
    expect(res.status).toBe(422);
  });

  it("stops exempting a browser a year after its last sign-in", async () => {
    const { email, owner } = await ownerWithDevice();
    t.clock.advance(366 * DAY);
    const net = uniqueNetwork();
    await lockNetwork(net);
    const res = await browserWithDevice(owner.cookies.get("device")!, in64(net, "0:0:1:1")).post("/login", { email, password: PASSWORD });
    expect(res.status).toBe(429);
  });
});

describe("device cookie: security", () => {
  it("gives no exemption when forged, when it was issued for another account, or when signed with the email-link key", async () => {
    const { email, owner } = await ownerWithDevice();
    const device = owner.cookies.get("device")!;
    await lockAccount(email);

    const [body, sig] = device.split(".") as [string, string];
    const forged = `${body}.${sig.slice(0, 5)}${sig[5] === "A" ? "B" : "A"}${sig.slice(6)}`;
    expect((await browserWithDevice(forged).post("/login", { email, password: PASSWORD })).status).toBe(429);

    // An attacker's own account gives them a genuine device cookie, for that account only.
    const attacker = t.browser(uniqueIp());
    await attacker.register();
    expect((await browserWithDevice(attacker.cookies.get("device")!).post("/login", { email, password: PASSWORD })).status).toBe(429);

    // The same claims signed with the key of email links (which a reader of links could hope to
    // reuse) are not a device cookie: the device key is derived apart from it.
    const claims = JSON.parse(atob(body.replace(/-/g, "+").replace(/_/g, "/"))) as object;
    const emailKeyed = await (await emailSigner(t.database.db, undefined)).sign(claims);
    expect((await browserWithDevice(emailKeyed).post("/login", { email, password: PASSWORD })).status).toBe(429);

    // The genuine one still works.
    expect((await browserWithDevice(device).post("/login", { email, password: PASSWORD })).status).toBe(303);
  });

  it("holds a trusted browser to 10 failures in 15 minutes; past them it is locked out like any other", async () => {
    const { email, owner } = await ownerWithDevice();
    await lockAccount(email);
    for (let i = 0; i < LOGIN_LIMITS.device.max; i++) {
      expect((await owner.post("/login", { email, password: `${WRONG}${i}` })).status, `device failure ${i + 1}`).toBe(422);
    }
    const refused = await owner.post("/login", { email, password: PASSWORD });
    expect(refused.status).toBe(429);
    expect(setCookieLine(refused, "session")).toBeUndefined();

    // Once its failures age out of the 15 minutes, the device is trusted again (the account is still locked).
    t.clock.advance(LOGIN_LIMITS.device.windowMs);
    expect((await t.browser(uniqueIp()).post("/login", { email, password: PASSWORD })).status).toBe(429);
    expect((await owner.post("/login", { email, password: PASSWORD })).status).toBe(303);
  });

  it("logs each failed or refused login as a security event: hashed account, network, device cookie, never the password", async () => {
    const { email, owner } = await ownerWithDevice();
    const secret = `S3cret-${crypto.randomUUID()}`;
    const net = uniqueNetwork();
    const canonical = (prefix: string) => prefix.split(":").map((g) => parseInt(g, 16).toString(16)).join(":");

    const untrusted = await logsDuring(() => t.browser(in64(net, "0:0:0:9")).post("/login", { email: ` ${email.toUpperCase()} `, password: secret }));
    // The account is named by a keyed digest: stable for one account, but not the plain SHA-256 of
    // the address, which anyone holding a list of addresses could compute and match.
    const account = String(untrusted.find((l) => l.event === "auth.login_failed")?.account);
    expect(account).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(account).not.toBe((await sha256Hex(email)).slice(0, 32));
    expect(untrusted).toContainEqual({ event: "auth.login_failed", security: true, account, network: `${canonical(net)}::/64`, deviceCookie: "absent" });

    const trusted = await logsDuring(() => owner.post("/login", { email, password: secret }));
    expect(trusted).toContainEqual(expect.objectContaining({ event: "auth.login_failed", account, deviceCookie: "trusted" }));

    const invalid = await logsDuring(() => browserWithDevice("garbage").post("/login", { email, password: secret }));
    expect(invalid).toContainEqual(expect.objectContaining({ event: "auth.login_failed", deviceCookie: "invalid" }));

    const guesser = t.browser(uniqueIp());
    for (let i = 0; i < LOGIN_LIMITS.pair.max; i++) await guesser.post("/login", { email, password: `${WRONG}${i}` });
    const limited = await logsDuring(() => guesser.post("/login", { email, password: secret }));
    const line = limited.find((l) => l.event === "auth.login_limited")!;
    expect(line).toMatchObject({ security: true, account, deviceCookie: "absent" });
    expect(line.retryAfter).toBeGreaterThan(0);

    for (const logged of [...untrusted, ...trusted, ...invalid, ...limited].map((l) => JSON.stringify(l))) {
      expect(logged).not.toContain(secret);
      expect(logged.toLowerCase()).not.toContain(email.toLowerCase());
    }
  });
});

describe("device cookie over https", () => {
  it("is named __Host-device and is Secure, HttpOnly, SameSite=Lax, Path=/ with no Domain", async () => {
    const b = https.browser(uniqueIp());
    const { email } = await b.register();
    await b.post("/logout");
    const res = await b.post("/login", { email, password: PASSWORD });
    const line = setCookieLine(res, "__Host-device")!;
    expect(line).toBeDefined();
    const attrs = cookieAttributes(line);
    expect(attrs).toHaveProperty("secure");
    expect(attrs).toHaveProperty("httponly");
    expect(attrs.samesite).toBe("Lax");
    expect(attrs.path).toBe("/");
    expect(attrs).not.toHaveProperty("domain");
    expect(setCookieLine(res, "device")).toBeUndefined();
  });
});
