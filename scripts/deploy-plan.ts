// What `npm run deploy` checks before it touches anything: the production settings, wrangler.toml's
// [vars], and which migrations the database still needs (read-only). scripts/deploy.ts acts on it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { isPostgresUrl } from "../src/entries/settings.js";
import { productionAppUrlProblem, productionEmailFromProblem } from "../src/entries/production-config.js";

export interface Migration {
  tag: string;
  /** drizzle's `when`, compared with `created_at` of the last applied row, as drizzle's migrator does. */
  when: number;
  sql: string;
}

/** The settings a real deploy needs from its environment; each missing or wrong one is a sentence. */
export function configProblems(env: Record<string, string | undefined>, wranglerToml: string): string[] {
  const problems = [productionAppUrlProblem(env.APP_URL), productionEmailFromProblem(env.EMAIL_FROM)];
  const direct = env.DIRECT_DATABASE_URL;
  if (!direct) {
    problems.push("DIRECT_DATABASE_URL is not set: the migrations need Neon's direct connection string (the host without -pooler)");
  } else if (!isPostgresUrl(direct)) {
    problems.push("DIRECT_DATABASE_URL must be a postgres:// connection string");
  } else if (new URL(direct).hostname.includes("-pooler")) {
    problems.push("DIRECT_DATABASE_URL names Neon's pooler (-pooler): migrations need a session, so give the direct string");
  }
  problems.push(...varsProblems(wranglerToml));
  return problems.filter((p): p is string => p !== undefined);
}

/** wrangler.toml's [vars] ship with every deploy: no per-deployment or local value may sit there. */
export function varsProblems(wranglerToml: string): string[] {
  const vars = /^\[vars\]\s*$([\s\S]*?)(?=^\[)/m.exec(wranglerToml + "\n[")?.[1] ?? "";
  const problems: string[] = [];
  for (const line of vars.split("\n")) {
    const [, name, value] = /^\s*([A-Z0-9_]+)\s*=\s*(.*)$/.exec(line) ?? [];
    if (!name) continue;
    if (name === "APP_URL" || name === "EMAIL_FROM") problems.push(`wrangler.toml [vars] sets ${name}: remove it; npm run deploy passes the production value from the environment`);
    else if (name === "NEON_WS_PROXY") problems.push("wrangler.toml [vars] sets NEON_WS_PROXY, which is for local development only");
    else if (/localhost|127\.0\.0\.1|\[::1\]/i.test(value ?? "")) problems.push(`wrangler.toml [vars] ${name} holds a local value (${value})`);
  }
  return problems;
}

/** The committed migrations, in order, from drizzle's journal. */
export function readMigrations(folder: string): Migration[] {
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
  return journal.entries.map(({ tag, when }) => ({ tag, when, sql: readFileSync(join(folder, `${tag}.sql`), "utf8") }));
}

/**
 * `created_at` of the newest row in drizzle's `__drizzle_migrations`, or null when none was
 * applied. Inside a READ ONLY transaction: a dry run must change nothing, not even create the
 * table drizzle's migrator would.
 */
export async function lastAppliedMigration(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  await client.connect();
  try {
    await client.query("begin read only");
    const { rows } = await client.query<{ present: boolean }>("select to_regclass('drizzle.__drizzle_migrations') is not null as present");
    if (!rows[0]!.present) return null;
    const last = await client.query<{ created_at: string | null }>("select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1");
    return last.rows[0]?.created_at == null ? null : Number(last.rows[0].created_at);
  } finally {
    await client.query("rollback").catch(() => undefined);
    await client.end();
  }
}

/** The migrations drizzle's migrator would apply after `lastApplied` (its own rule: newer `when`). */
export function pendingMigrations(all: Migration[], lastApplied: number | null): Migration[] {
  return all.filter((m) => lastApplied === null || lastApplied < m.when);
}

const CONTRACTING = [
  /\bDROP\s+(TABLE|VIEW|MATERIALIZED\s+VIEW|SCHEMA|TYPE)\b/i,
  /\bDROP\s+COLUMN\b/i,
  /\bRENAME\b/i,
  /\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b/i,
  // The old code's inserts leave the column out: a new NOT NULL column needs a default, and an
  // existing one may only become NOT NULL once no serving version writes rows without it.
  /\bALTER\s+COLUMN\s+\S+\s+SET\s+NOT\s+NULL\b/i,
  // (ADD CONSTRAINT is not a column: a CHECK that says "is not null" asks nothing of old inserts by that.)
  /^(?=.*\bADD\s+(COLUMN\s+)?(?!CONSTRAINT\b)\S+\s[^;]*\bNOT\s+NULL\b)(?!.*\bDEFAULT\b)(?!.*\bGENERATED\b)/i,
];

/**
 * Statements that break the Worker version still serving while a deploy rolls out (it runs the
 * old code against the new schema): dropping or renaming a table or column, changing a type, or a
 * NOT NULL the old code's inserts do not satisfy.
 * Those belong in a later deploy, once no serving version uses what they remove (expand, then contract).
 */
export function contractingStatements(migration: Migration): string[] {
  const code = migration.sql.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
  return code
    .split(";")
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s && CONTRACTING.some((re) => re.test(s)));
}
