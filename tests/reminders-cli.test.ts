import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../scripts/embedded-postgres.js";
import type { Database } from "../src/db/database.js";
import { openNodeDatabase } from "../src/db/node-database.js";
import { devMailbox, tasks, users } from "../src/db/schema.js";
import { dueMoment } from "../src/tasks/due.js";
import { uniqueEmail } from "./support/test-app.js";

// `npm run reminders -- --now <ISO>` is `tsx scripts/reminders.ts`; the server is `tsx src/entries/node.ts`.
const root = fileURLToPath(new URL("..", import.meta.url));
const SLOW = 120_000;
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const clean of cleanups.reverse()) await clean();
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), "smarttask-cli-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The environment of a child: this one's (PATH and all) without anything that would choose its database or mail. */
function childEnv(env: Record<string, string>) {
  const base = { ...process.env };
  for (const name of ["DATABASE_URL", "TEST_DATABASE_URL", "APP_URL", "DATA_DIR", "PORT", "HOST", "TRUST_PROXY", "TRUSTED_PROXIES", "NODE_OPTIONS", "POSTMARK_SERVER_TOKEN", "SIGNING_SECRET", "REMINDERS"]) delete base[name];
  return { ...base, ...env };
}

function launch(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: root, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

/** Runs the reminders script to its end (killed after 60 s). */
async function reminders(args: string[], env: Record<string, string>) {
  const run = launch(["scripts/reminders.ts", ...args], env);
  const timer = setTimeout(() => run.child.kill("SIGKILL"), 60_000);
  const code = await run.exited;
  clearTimeout(timer);
  return { code, stdout: run.out(), stderr: run.err() };
}

/** A SmartTask server on an embedded database, as `npm start` runs it, with its own schedule off. */
async function startServer(dataDir: string) {
  const port = await freePort();
  const server = launch(["src/entries/node.ts"], { PORT: String(port), DATA_DIR: dataDir, REMINDERS: "off" });
  let gone = false;
  void server.exited.then(() => (gone = true));
  const stop = async () => {
    if (!gone) server.child.kill("SIGTERM");
    await server.exited;
  };
  cleanups.push(stop);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !gone) {
    if ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(gone, `the server stopped: ${server.err()}`).toBe(false);
  return { port, origin: `http://localhost:${port}`, stop, err: server.err };
}

type Server = Awaited<ReturnType<typeof startServer>>;

/** Plain HTTP as a browser on the server's own origin: a form post with its Origin and the session cookie. */
async function post(server: Server, path: string, form: Record<string, string>, cookie = "") {
  return fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: server.origin, "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(form),
  });
}

const VERIFY_SUBJECT = "Confirm your address for SmartTask";

/** The messages in the person's /dev/mailbox, newest first. */
async function messages(server: Server, cookie: string): Promise<{ id: string; subject: string }[]> {
  const res = await fetch(`http://127.0.0.1:${server.port}/dev/mailbox`, { headers: { cookie }, redirect: "manual" });
  expect(res.status).toBe(200);
  return [...(await res.text()).matchAll(/href="\/dev\/mailbox\/([0-9a-f-]{36})">([^<]*)</g)].map((m) => ({ id: m[1]!, subject: m[2]! }));
}

/** The reminder subjects in the person's /dev/mailbox, newest first (the registration's verification mail left out). */
async function mailbox(server: Server, cookie: string): Promise<string[]> {
  return (await messages(server, cookie)).map((m) => m.subject).filter((s) => s !== VERIFY_SUBJECT);
}

/** Confirms the address as its owner does: the link from the mail registration sent, then its button. */
async function verifyThroughMail(server: Server, cookie: string) {
  let mail: { id: string } | undefined;
  // The mail is sent right after the registration's response: it may take a moment to arrive.
  for (let tries = 0; !mail && tries < 100; tries++) {
    mail = (await messages(server, cookie)).find((m) => m.subject === VERIFY_SUBJECT);
    if (!mail) await new Promise((r) => setTimeout(r, 100));
  }
  expect(mail, "the verification mail arrives").toBeDefined();
  const page = await (await fetch(`http://127.0.0.1:${server.port}/dev/mailbox/${mail!.id}`, { headers: { cookie } })).text();
  const path = /\/verify\/[0-9a-f]{40}\.[0-9a-f]{64}/.exec(page)?.[0];
  expect(path, "a /verify link in the mail").toBeDefined();
  expect((await post(server, path!, {}, cookie)).status).toBe(303);
}

describe("npm run reminders, on the embedded database", () => {
  const dataDir = tempDir();
  let server: Server;
  let cookie = "";
  // A person in Tokyo with the default 08:00 reminders: 08:30 there on 10 and 11 January 2030.
  const AT_HOUR = "2030-01-09T23:30:00Z";
  const NEXT_DAY = "2030-01-10T23:30:00Z";

  it("hands the run to the running server: one digest, at the person's hour only, and a second run adds nothing", { timeout: SLOW }, async () => {
    server = await startServer(dataDir);
    const registered = await post(server, "/register", { name: "Kenji", email: uniqueEmail(), password: "correct horse battery", timezone: "Asia/Tokyo" });
    expect(registered.status).toBe(303);
    cookie = registered.headers.getSetCookie()[0]!.split(";")[0]!;
    // No reminder goes to an unverified address.
    await verifyThroughMail(server, cookie);
    for (const title of ["Submit visa form", "Book flights"]) {
      expect((await post(server, "/tasks", { title, due_date: "2030-01-12" }, cookie)).status).toBe(303);
    }

    const early = await reminders(["--now", "2030-01-09T22:30:00Z"], { DATA_DIR: dataDir }); // 07:30 in Tokyo
    expect(early.code, early.stderr).toBe(0);
    expect(early.stdout).toContain('"via"');
    expect(await mailbox(server, cookie)).toEqual([]);

    const run = await reminders(["--now", AT_HOUR], { DATA_DIR: dataDir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/"via": "server pid \d+"/);
    expect(await mailbox(server, cookie)).toEqual(["2 due soon"]);
    // The mailbox dates the message at the --now it was sent at, not the machine's clock.
    const page = await (await fetch(`http://127.0.0.1:${server.port}/dev/mailbox`, { headers: { cookie } })).text();
    expect(page).toContain("2030-01-09 23:30 UTC");

    const again = await reminders(["--now", AT_HOUR], { DATA_DIR: dataDir });
    expect(again.code, again.stderr).toBe(0);
    expect(await mailbox(server, cookie)).toEqual(["2 due soon"]);
  });

  it("the server's run endpoint refuses a request without its secret or with a wrong one", { timeout: SLOW }, async () => {
    const { runUrl: url } = JSON.parse(readFileSync(join(dataDir, "control.json"), "utf8")) as { runUrl: string };
    const body = JSON.stringify({ now: NEXT_DAY });
    for (const secret of [undefined, "", "wrong", "0".repeat(64)]) {
      const headers: Record<string, string> = { "content-type": "application/json", ...(secret === undefined ? {} : { "x-smarttask-run-secret": secret }) };
      const res = await fetch(url, { method: "POST", headers, body });
      expect(res.status).toBe(403);
    }
    expect(await mailbox(server, cookie)).toEqual(["2 due soon"]);
  });

  it("the run endpoint is on its own loopback listener: the public port answers 404 for /internal/*, even with the secret", { timeout: SLOW }, async () => {
    const control = JSON.parse(readFileSync(join(dataDir, "control.json"), "utf8")) as { runUrl: string; secret: string };
    const internal = new URL(control.runUrl);
    expect(internal.hostname).toBe("127.0.0.1");
    expect(internal.port).not.toBe(String(server.port));
    for (const path of ["/internal/reminders/run", "/internal/anything"]) {
      const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-smarttask-run-secret": control.secret, origin: server.origin },
        body: JSON.stringify({ now: NEXT_DAY }),
      });
      expect(res.status).toBe(404);
    }
    expect(await mailbox(server, cookie)).toEqual(["2 due soon"]);
  });

  it("with the server stopped, opens the data directory itself", { timeout: SLOW }, async () => {
    await server.stop();
    expect(existsSync(join(dataDir, "control.json"))).toBe(false);
    const run = await reminders(["--now", NEXT_DAY], { DATA_DIR: dataDir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('"via"');
    // The run's log line, then its result.
    expect(JSON.parse(run.stdout.slice(run.stdout.indexOf("\n{\n") + 1))).toMatchObject({ scan: { usersScanned: 1, emailsQueued: 1 }, send: { sent: 1 } });
    expect(existsSync(join(dataDir, "smarttask.lock"))).toBe(false);

    server = await startServer(dataDir);
    expect(await mailbox(server, cookie)).toEqual(["2 due soon", "2 due soon"]);
    await server.stop();
  });

  it.each([["garbage"], ["5"], ["2026-02-30T08:00:00Z"], ["next tuesday"], ["(no value)"]])(
    "--now %s stops with exit code 1 and one clear line",
    { timeout: SLOW },
    async (value) => {
      const result = await reminders(value === "(no value)" ? ["--now"] : ["--now", value], { DATA_DIR: tempDir() });
      expect(result.code).toBe(1);
      const lines = result.stderr.trimEnd().split("\n");
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^Reminders run failed: .*--now/);
      expect(lines[0]).toMatch(/ISO-8601/);
      expect(result.stdout).toBe("");
    },
  );
});

describe("npm run reminders, with DATABASE_URL", () => {
  it("a run that fails prints one line, without SQL or parameters", { timeout: SLOW }, async () => {
    const result = await reminders(["--now", "2026-12-01T08:00:00Z"], { DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/nowhere`, DATA_DIR: tempDir() });
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^Reminders run failed: .*ECONNREFUSED/);
    expect(result.stdout).toBe("");
  });

  it("runs directly against PostgreSQL", { timeout: SLOW }, async () => {
    // The real server when the suite has one; otherwise the embedded database served over the wire.
    let url = process.env.TEST_DATABASE_URL;
    if (!url) {
      const embedded = await startEmbeddedPostgres({ dataDir: ":memory:", port: await freePort() });
      cleanups.push(() => embedded.stop());
      url = embedded.url;
    }
    const database = await openNodeDatabase({ url, migrate: false });
    cleanups.push(() => database.close());
    // Far in the past, so this run touches nothing of the other test files sharing the database.
    const email = uniqueEmail();
    const now = new Date("1990-01-10T08:30:00Z");
    const [user] = await database.db.insert(users).values({ email, name: "Pat", passwordHash: "x", timezone: "UTC", createdAt: now, updatedAt: now, emailVerifiedAt: now }).returning();
    await database.db.insert(tasks).values({ userId: user!.id, title: "Old deadline", dueDate: "1990-01-11", dueAt: dueMoment("1990-01-11", null, "UTC"), createdAt: now, updatedAt: now });

    const dataDir = tempDir();
    for (let i = 0; i < 2; i++) {
      const run = await reminders(["--now", now.toISOString()], { DATABASE_URL: url, DATA_DIR: dataDir });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).not.toContain('"via"');
      const mail = await database.db.select().from(devMailbox).where(eq(devMailbox.toAddress, email));
      expect(mail.map((m) => m.subject)).toEqual(["1 due soon"]);
    }
  });
});

/**
 * Makes the reminder outbox refuse rows for people whose email starts with "cli-refused-", so a
 * run fails inside the statement that carries addresses and signed links as parameters (other
 * files sharing the database are untouched).
 */
async function refuseMarkedOutboxRows(database: Database) {
  await database.db.execute(sql.raw(`
    create or replace function cli_test_refuse_outbox() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from users where id = new.user_id and email like 'cli-refused-%') then
        raise exception 'outbox refused this row';
      end if;
      return new;
    end $$`));
  await database.db.execute(sql.raw("drop trigger if exists cli_test_refuse_outbox on reminder_outbox"));
  await database.db.execute(sql.raw("create trigger cli_test_refuse_outbox before insert on reminder_outbox for each row execute function cli_test_refuse_outbox()"));
}

/** A person with a task due the next day, whose reminder the outbox will refuse. */
async function refusedPerson(database: Database, now: Date) {
  const email = `cli-refused-${crypto.randomUUID()}@example.com`;
  const [user] = await database.db.insert(users).values({ email, name: "Pat", passwordHash: "x", timezone: "UTC", createdAt: now, updatedAt: now, emailVerifiedAt: now }).returning();
  const dueDate = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  await database.db.insert(tasks).values({ userId: user!.id, title: "Secret project", dueDate, dueAt: dueMoment(dueDate, null, "UTC"), createdAt: now, updatedAt: now });
  return email;
}

/** One line naming the database's own error, and nothing of the statement: no SQL, no address, no link. */
function expectRedactedFailure(result: { code: number | null; stdout: string; stderr: string }, email: string) {
  expect(result.code).toBe(1);
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^Reminders run failed: .*outbox refused this row/);
  for (const leak of [email, "Failed query", "insert into", "params", "/email/", "Secret project"]) expect(result.stderr).not.toContain(leak);
  expect(result.stdout).not.toContain(email);
}

describe("npm run reminders, a run that fails inside a statement", () => {
  // 08:30 UTC, the default reminder hour, in 1991 so nothing else in a shared database is due.
  const NOW = new Date("1991-03-04T08:30:00Z");

  it("on the embedded database, run here or handed to the server, prints one redacted line (and so does the server)", { timeout: SLOW }, async () => {
    const dataDir = tempDir();
    const database = await openNodeDatabase({ dataDir });
    await refuseMarkedOutboxRows(database);
    const email = await refusedPerson(database, NOW);
    await database.close();

    expectRedactedFailure(await reminders(["--now", NOW.toISOString()], { DATA_DIR: dataDir }), email);

    const server = await startServer(dataDir);
    const handed = await reminders(["--now", NOW.toISOString()], { DATA_DIR: dataDir });
    expectRedactedFailure(handed, email);
    expect(handed.stderr).toMatch(/running server \(pid \d+\)/);
    await server.stop();
    for (const leak of [email, "Failed query", "/email/", "Secret project"]) expect(server.err()).not.toContain(leak);
    expect(server.err()).toContain("outbox refused this row");
  });

  it("with DATABASE_URL, prints one redacted line", { timeout: SLOW }, async () => {
    let url = process.env.TEST_DATABASE_URL;
    if (!url) {
      const embedded = await startEmbeddedPostgres({ dataDir: ":memory:", port: await freePort() });
      cleanups.push(() => embedded.stop());
      url = embedded.url;
    }
    const database = await openNodeDatabase({ url, migrate: false });
    cleanups.push(() => database.close());
    await refuseMarkedOutboxRows(database);
    cleanups.push(() => database.db.execute(sql.raw("drop trigger if exists cli_test_refuse_outbox on reminder_outbox")));
    const email = await refusedPerson(database, NOW);
    expectRedactedFailure(await reminders(["--now", NOW.toISOString()], { DATABASE_URL: url, DATA_DIR: tempDir() }), email);
  });
});
