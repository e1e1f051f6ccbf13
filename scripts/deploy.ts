// `npm run deploy`: migrations (direct connection string), then `wrangler deploy`, then /healthz.
// `npm run deploy -- --dry-run`: checks the settings, builds the bundle and lists the migrations it
// would apply, touching no Cloudflare account and changing no database; it exits 0 and says what a
// real deploy would still need. See README "Deploy to Cloudflare and Neon".
//
// Environment: APP_URL (public https:// origin) and EMAIL_FROM (Postmark sender signature), passed
// to the Worker as --var so they never sit in wrangler.toml; DIRECT_DATABASE_URL (Neon's direct
// string) for the migrations. Secrets live in Cloudflare (`wrangler secret put`).
// Flags: --dry-run; --allow-contract to apply a migration that drops or renames (see deploy-plan.ts).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openNodeDatabase } from "../src/db/node-database.js";
import { configProblems, contractingStatements, lastAppliedMigration, pendingMigrations, readMigrations, type Migration } from "./deploy-plan.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = new Set(process.argv.slice(2));
const dryRun = args.has("--dry-run");
const allowContract = args.has("--allow-contract");
const env = process.env;
// Wrangler would otherwise report usage over the network, which a dry run must not need.
const childEnv = { ...env, WRANGLER_SEND_METRICS: "false" };
const REQUIRED_SECRETS = ["DATABASE_URL", "POSTMARK_SERVER_TOKEN"];

class Refused extends Error {}

async function main() {
  console.log(dryRun ? "Deploy dry run: nothing is uploaded and no database is changed." : "Deploying SmartTask.");
  const problems = configProblems(env, readFileSync(`${root}/wrangler.toml`, "utf8"));
  if (dryRun) {
    for (const p of problems) console.log(`  missing for a real deploy: ${p}`);
    if (problems.length === 0) console.log("  settings: APP_URL, EMAIL_FROM and DIRECT_DATABASE_URL are fit for a real deploy");
  } else if (problems.length) {
    throw new Refused(`Deploy refused before touching anything:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }

  const pending = await planMigrations(problems);
  const contracting = pending.flatMap((m) => contractingStatements(m).map((s) => `${m.tag}: ${s}`));
  if (contracting.length) {
    const why = `these statements drop, rename or retype what the Worker still serving may use (expand, then contract: README):\n${contracting.map((s) => `  - ${s}`).join("\n")}`;
    if (dryRun) console.log(`  a real deploy would refuse unless --allow-contract: ${why}`);
    else if (!allowContract) throw new Refused(`Deploy refused: ${why}\nDeploy the code that stops using them first; then rerun with --allow-contract.`);
  }

  if (dryRun) {
    run("node", ["scripts/bundle-size.mjs", "dist/worker"]);
    const secrets = REQUIRED_SECRETS.join(", ");
    console.log(`Not checked by a dry run: the Cloudflare login and the Worker's secrets (${secrets}), read at a real deploy with \`wrangler secret list\`.`);
    console.log(problems.length ? `Dry run done: a real deploy would refuse until the ${problems.length} setting(s) above are given.` : "Dry run done: a real deploy would go ahead.");
    return;
  }

  checkSecrets();
  if (pending.length) {
    console.log(`Applying ${pending.length} migration(s) through DIRECT_DATABASE_URL…`);
    const database = await openNodeDatabase({ url: env.DIRECT_DATABASE_URL!, driver: "pg" });
    await database.close();
  }
  run("npx", ["wrangler", "deploy", "--var", `APP_URL:${env.APP_URL}`, "--var", `EMAIL_FROM:${env.EMAIL_FROM}`]);
  await checkHealth(new URL("/healthz", env.APP_URL!).toString());
}

/** Lists the pending migrations (read-only) when a direct string is given; says so when not. */
async function planMigrations(problems: string[]): Promise<Migration[]> {
  const all = readMigrations(`${root}/drizzle`);
  const url = env.DIRECT_DATABASE_URL;
  if (!url || problems.some((p) => p.startsWith("DIRECT_DATABASE_URL"))) {
    console.log(`  migrations: no usable DIRECT_DATABASE_URL, so which of the ${all.length} committed migrations are pending is unknown`);
    return [];
  }
  let last: number | null;
  try {
    last = await lastAppliedMigration(url);
  } catch (err) {
    throw new Refused(`Could not read the applied migrations through DIRECT_DATABASE_URL: ${(err as Error).message}`);
  }
  const pending = pendingMigrations(all, last);
  const verb = dryRun ? "would apply" : "will apply";
  if (pending.length === 0) console.log(`  migrations: the database is up to date (${all.length} applied); none to apply`);
  else console.log(`  migrations: ${verb} ${pending.length} of ${all.length}:\n${pending.map((m) => `    ${m.tag}`).join("\n")}`);
  return pending;
}

/** A real deploy needs a logged-in wrangler and the secrets set; finding out before migrating. */
function checkSecrets() {
  const listed = spawnSync("npx", ["wrangler", "secret", "list", "--format", "json"], { cwd: root, env: childEnv, encoding: "utf8" });
  if (listed.status !== 0) {
    throw new Refused(`Deploy refused: \`wrangler secret list\` failed (log in with \`npx wrangler login\` or set CLOUDFLARE_API_TOKEN; set the secrets first, README step 4):\n${(listed.stderr || listed.stdout).trim()}`);
  }
  // wrangler may print a notice (an update, a warning) around the JSON: read the array itself.
  const json = listed.stdout.slice(listed.stdout.indexOf("["), listed.stdout.lastIndexOf("]") + 1);
  let secrets: { name: string }[];
  try {
    secrets = JSON.parse(json) as { name: string }[];
  } catch {
    throw new Refused(`Deploy refused: could not read the output of \`wrangler secret list\`:\n${listed.stdout.trim().slice(0, 500)}`);
  }
  const names = new Set(secrets.map((s) => s.name));
  const missing = REQUIRED_SECRETS.filter((n) => !names.has(n));
  if (missing.length) throw new Refused(`Deploy refused: the Worker has no ${missing.join(", ")} secret; set it with \`npx wrangler secret put NAME\``);
  if (!names.has("SIGNING_SECRET")) console.log("  note: no SIGNING_SECRET secret; the Worker keeps a generated one in the database");
}

/** The new version can take a few seconds to reach every location: ask for up to 90 s. */
async function checkHealth(url: string) {
  let last = "no answer";
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      const body = await res.text();
      if (res.ok && /"database":"ok"/.test(body)) {
        console.log(`Deployed: ${url} answers ${body}`);
        return;
      }
      last = `${res.status} ${body.slice(0, 300)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 3_000));
  }
  throw new Refused(`The Worker is deployed but ${url} is not healthy: ${last}\n\`npx wrangler rollback\` returns to the previous version; the migrations stay (they only expand).`);
}

function run(command: string, argv: string[]) {
  const result = spawnSync(command, argv, { cwd: root, env: childEnv, stdio: "inherit" });
  if (result.status !== 0) throw new Refused(`\`${command} ${argv.join(" ")}\` failed (exit ${result.status ?? result.signal}).`);
}

main().catch((err: Error) => {
  console.error(err instanceof Refused ? err.message : `Deploy failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
