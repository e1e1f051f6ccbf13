// What a deployed Worker must be given, shared by the Worker's own check (worker-env.ts) and by
// `npm run deploy` (scripts/deploy.ts), so both refuse the same settings with the same words.

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$|\.localhost$/i;

/** Why `value` cannot be a deployed Worker's APP_URL, or undefined when it can. */
export function productionAppUrlProblem(value: string | undefined): string | undefined {
  const example = "such as https://tasks.example.com";
  if (!value) return `APP_URL is not set: it must be the public https:// origin, ${example}`;
  if (!URL.canParse(value)) return `APP_URL "${value}" is not a URL: it must be the public https:// origin, ${example}`;
  const url = new URL(value);
  // An http:// origin refuses nothing by itself, but the session cookie would lose Secure and __Host-.
  if (url.protocol !== "https:") return `APP_URL must be an https:// origin outside local development, ${example} (it is ${url.protocol}//…)`;
  if (LOOPBACK.test(url.hostname)) return `APP_URL names this machine (${url.hostname}): a deployed Worker needs its public origin, ${example}`;
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    return `APP_URL must be an origin only (no path, query or credentials), ${example}`;
  }
  return undefined;
}

/** Why `value` cannot be the sender of a deployed Worker's mail (a Postmark sender signature). */
export function productionEmailFromProblem(value: string | undefined): string | undefined {
  if (!value) return "EMAIL_FROM is not set: it must be a Postmark sender signature, such as SmartTask <reminders@tasks.example.com>";
  if (/@[^>\s]*\.localhost\b|@localhost\b/i.test(value)) return `EMAIL_FROM "${value}" is a local address: Postmark would refuse every message from it`;
  return undefined;
}

/** Without a Postmark token the Worker keeps mail in the dev mailbox: fine on a laptop only. */
export const MISSING_POSTMARK_TOKEN =
  "POSTMARK_SERVER_TOKEN is not set: outside local development reminders must go through Postmark (wrangler secret put POSTMARK_SERVER_TOKEN), or they would be kept in the dev mailbox and never sent";
