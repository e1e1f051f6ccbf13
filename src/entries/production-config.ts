// What a deployed Worker must be given, shared by the Worker's own check (worker-env.ts) and by
// `npm run deploy` (scripts/deploy.ts), so both refuse the same settings with the same words.

// As URL spells hosts: 127.1 becomes 127.0.0.1, [::ffff:127.0.0.1] becomes [::ffff:7f00:1]. A
// trailing dot (the fully qualified form) names the same host; 0.0.0.0 and [::] reach this machine too.
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\])\.?$|\.localhost\.?$/i;

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
  const example = "such as SmartTask <reminders@tasks.example.com>";
  if (!value) return `EMAIL_FROM is not set: it must be a Postmark sender signature, ${example}`;
  const domain = senderDomain(value);
  if (!domain) return `EMAIL_FROM "${value}" holds no email address: it must be a Postmark sender signature, ${example}`;
  // The whole domain, not a word in it: localhost-mail.example.com is a public domain.
  if (/^localhost\.?$|\.localhost\.?$/i.test(domain)) return `EMAIL_FROM "${value}" is a local address: Postmark would refuse every message from it`;
  return undefined;
}

/** The domain of `local@domain` or `Name <local@domain>`, or undefined when there is no such address. */
function senderDomain(value: string): string | undefined {
  const address = /<([^<>]*)>\s*$/.exec(value)?.[1] ?? value;
  return /^[^\s@<>]+@([^\s@<>]+)$/.exec(address.trim())?.[1];
}

/** Without a Postmark token the Worker keeps mail in the dev mailbox: fine on a laptop only. */
export const MISSING_POSTMARK_TOKEN =
  "POSTMARK_SERVER_TOKEN is not set: outside local development reminders must go through Postmark (wrangler secret put POSTMARK_SERVER_TOKEN), or they would be kept in the dev mailbox and never sent";
