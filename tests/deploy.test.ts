import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { configProblems, contractingStatements, readMigrations, varsProblems } from "../scripts/deploy-plan.js";
import { startEmbeddedPostgres } from "../scripts/embedded-postgres.js";
import { openPglite } from "../src/db/pglite.js";

// `npm run deploy` as a fresh clone runs it: a child process with no credentials at all (issue #12, item 11).
const root = fileURLToPath(new URL("..", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "smarttask-deploy-home-"));
const cleanups: (() => Promise<unknown> | unknown)[] = [() => rmSync(home, { recursive: true, force: true })];
afterAll(async () => {
  for (const clean of cleanups.reverse()) await clean();
});
const committed = readMigrations(join(root, "drizzle"));
const PRODUCTION = { APP_URL: "https://tasks.example.com", EMAIL_FROM: "SmartTask <reminders@tasks.example.com>" };

/** Runs scripts/deploy.ts with only PATH, a fresh HOME (no wrangler login) and the given variables. */
function deploy(args: string[], vars: Record<string, string> = {}) {
  const env = { PATH: process.env.PATH!, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), ...vars };
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "scripts/deploy.ts", ...args], { cwd: root, env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let databases = 0;

/** An empty database: a new one beside TEST_DATABASE_URL's (dropped afterwards), else an empty embedded one. */
async function emptyDatabase(): Promise<string> {
  const server = process.env.TEST_DATABASE_URL;
  if (server) {
    const url = new URL(server);
    const name = `${url.pathname.slice(1)}_deploy_${++databases}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
    cleanups.push(async () => {
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    });
    url.pathname = `/${name}`;
    return url.toString();
  }
  const db = await openPglite(":memory:");
  const port = await freePort();
  const socket = new PGLiteSocketServer({ db, host: "127.0.0.1", port });
  await socket.start();
  cleanups.push(async () => {
    await socket.stop();
    await db.close();
  });
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

/** An up-to-date database: the suite's migrated TEST_DATABASE_URL, else a migrated embedded one. */
async function migratedDatabase(): Promise<string> {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const embedded = await startEmbeddedPostgres({ dataDir: ":memory:", port: await freePort() });
  cleanups.push(embedded.stop);
  return embedded.url;
}

/** What the database holds: drizzle's schema and the tables of public. */
async function contents(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ drizzle: boolean; tables: string }>(
      "select exists (select 1 from pg_namespace where nspname = 'drizzle') as drizzle, (select count(*) from pg_tables where schemaname = 'public') as tables",
    );
    return { drizzle: rows[0]!.drizzle, tables: Number(rows[0]!.tables) };
  } finally {
    await client.end();
  }
}

describe("npm run deploy -- --dry-run: happy", () => {
  it("passes on a fresh clone with no credentials, builds the bundle and says what a real deploy needs", { timeout: 120_000 }, async () => {
    const run = await deploy(["--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("missing for a real deploy: APP_URL is not set");
    expect(run.stdout).toContain("missing for a real deploy: EMAIL_FROM is not set");
    expect(run.stdout).toContain("missing for a real deploy: DIRECT_DATABASE_URL is not set");
    expect(run.stdout).toContain(`which of the ${committed.length} committed migrations are pending is unknown`);
    expect(run.stdout).toMatch(/Worker bundle: [\d.]+ KiB raw, [\d.]+ KiB gzipped/);
    expect(run.stdout).toContain("a real deploy would refuse until the 3 setting(s) above are given");
  });

  it("lists every committed migration as pending on an empty database, and changes nothing", { timeout: 120_000 }, async () => {
    const url = await emptyDatabase();
    const run = await deploy(["--dry-run"], { ...PRODUCTION, DIRECT_DATABASE_URL: url });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`would apply ${committed.length} of ${committed.length}:`);
    for (const m of committed) expect(run.stdout).toContain(`    ${m.tag}`);
    expect(run.stdout).toContain("Dry run done: a real deploy would go ahead.");
    // Not even drizzle's bookkeeping table, which its migrator would create.
    expect(await contents(url)).toEqual({ drizzle: false, tables: 0 });
  });

  it("says nothing is pending on an up-to-date database", { timeout: 120_000 }, async () => {
    const run = await deploy(["--dry-run"], { ...PRODUCTION, DIRECT_DATABASE_URL: await migratedDatabase() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`the database is up to date (${committed.length} applied); none to apply`);
  });
});

describe("npm run deploy: errors", () => {
  it.each([
    ["no APP_URL", {}, /APP_URL is not set/],
    ["an http APP_URL", { APP_URL: "http://tasks.example.com" }, /APP_URL must be an https:\/\/ origin/],
    ["the old localhost APP_URL", { APP_URL: "http://localhost:8787" }, /APP_URL must be an https:\/\/ origin/],
  ] as const)("a real deploy with %s is refused before it touches the database or Cloudflare", { timeout: 120_000 }, async (_label, appUrl, message) => {
    const url = await emptyDatabase();
    const run = await deploy([], { EMAIL_FROM: PRODUCTION.EMAIL_FROM, DIRECT_DATABASE_URL: url, ...appUrl });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Deploy refused before touching anything:/);
    expect(run.stderr).toMatch(message);
    expect(await contents(url)).toEqual({ drizzle: false, tables: 0 });
  });

  it("names a pooled or malformed DIRECT_DATABASE_URL", () => {
    const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
    expect(configProblems({ ...PRODUCTION, DIRECT_DATABASE_URL: "postgres://u:p@ep-cool-1-pooler.eu-central-1.aws.neon.tech/db" }, toml)).toEqual([
      expect.stringMatching(/DIRECT_DATABASE_URL names Neon's pooler/),
    ]);
    expect(configProblems({ ...PRODUCTION, DIRECT_DATABASE_URL: "mysql://x" }, toml)).toEqual([expect.stringMatching(/postgres:\/\/ connection string/)]);
    expect(configProblems({ ...PRODUCTION, DIRECT_DATABASE_URL: "postgres://u:p@ep-cool-1.eu-central-1.aws.neon.tech/db" }, toml)).toEqual([]);
  });
});

describe("npm run deploy: security (what ships, and rollouts)", () => {
  it("wrangler.toml's [vars] hold no per-deployment or local value; one put back would be named", () => {
    expect(varsProblems(readFileSync(join(root, "wrangler.toml"), "utf8"))).toEqual([]);
    const old = '[vars]\nAPP_URL = "http://localhost:8787"\nPOSTMARK_API_URL = "http://127.0.0.1:9999"\n\n[[queues.producers]]\nqueue = "x"\n';
    expect(varsProblems(old)).toEqual([expect.stringMatching(/sets APP_URL/), expect.stringMatching(/POSTMARK_API_URL holds a local value/)]);
  });

  it("flags migrations that drop, rename or retype what the serving Worker may use (expand, then contract)", () => {
    const flagged = (sql: string) => contractingStatements({ tag: "9999_test", when: 0, sql });
    expect(flagged('ALTER TABLE "tasks" DROP COLUMN "notes";--> statement-breakpoint')).toHaveLength(1);
    expect(flagged('DROP TABLE "sessions";')).toHaveLength(1);
    expect(flagged('ALTER TABLE "tasks" RENAME COLUMN "notes" TO "body";')).toHaveLength(1);
    expect(flagged('ALTER TABLE "users" RENAME TO "people";')).toHaveLength(1);
    expect(flagged('ALTER TABLE "tasks" ALTER COLUMN "title" SET DATA TYPE varchar(80);')).toHaveLength(1);
    // A NOT NULL the old code's inserts would break: a new column without a default, or SET NOT NULL.
    expect(flagged('ALTER TABLE "tasks" ADD COLUMN "colour" text NOT NULL;')).toHaveLength(1);
    expect(flagged('ALTER TABLE "tasks" ALTER COLUMN "notes" SET NOT NULL;')).toHaveLength(1);
    expect(flagged('ALTER TABLE "tasks" ADD COLUMN "colour" text DEFAULT \'blue\' NOT NULL;')).toEqual([]);
    expect(flagged('CREATE TABLE "tags" ("id" uuid PRIMARY KEY NOT NULL, "name" text NOT NULL);')).toEqual([]);
    expect(flagged('ALTER TABLE "tasks" ADD CONSTRAINT "tasks_rule_needs_date" CHECK ("tasks"."rule" is null or "tasks"."due_date" is not null);')).toEqual([]);
    // Expanding is fine, and so is an index: the old code never names one.
    expect(flagged('ALTER TABLE "tasks" ADD COLUMN "colour" text;--> statement-breakpoint\nDROP INDEX "tasks_due_at_idx";\n-- DROP TABLE in a comment')).toEqual([]);
  });

  it("no committed migration contracts, so today's deploy goes through without --allow-contract", () => {
    expect(committed.flatMap(contractingStatements)).toEqual([]);
  });
});
