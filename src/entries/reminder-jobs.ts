import { DateTime } from "luxon";
import { scanReminders, type ScanResult } from "../reminders/scan.js";
import { sendPending, type SendResult } from "../reminders/send.js";
import type { JobDeps } from "../reminders/jobs.js";
import { errorForLog } from "../log.js";
import { pruneLoginFailures } from "../auth/rate-limit.js";
import { sendAccountMail } from "../accounts/mail.js";
import { pruneAccountData } from "../accounts/housekeeping.js";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * A run's `now` as given to `npm run reminders -- --now` or the run endpoint: an ISO-8601 date and
 * time with Z or an offset, and a real one. `new Date` alone took "5" for May 2001 and rolled
 * 30 February over into March, so a typo silently ran the reminders of another day.
 */
export function parseInstant(text: string): Date | null {
  if (!ISO_INSTANT.test(text)) return null;
  const moment = DateTime.fromISO(text, { setZone: true });
  return moment.isValid ? moment.toJSDate() : null;
}

let running: Promise<unknown> = Promise.resolve();

/**
 * One scan then one send at `now`. The scan is called again while its batch bound stopped it
 * (`more`): Node has no CPU limit per invocation, and nobody's digest should wait for the next
 * hour. Runs in this process never overlap; other processes may.
 */
export function runReminderJobs(deps: JobDeps, now: Date): Promise<{ now: string; scan: ScanResult; send: SendResult }> {
  const run = running.then(async () => {
    const scan = await scanReminders(deps, now);
    while (scan.more) {
      const next = await scanReminders(deps, now);
      scan.usersScanned += next.usersScanned;
      scan.emailsQueued += next.emailsQueued;
      scan.batches += next.batches;
      scan.statements += next.statements;
      scan.more = next.more;
    }
    const send = await sendPending(deps, now);
    // The hourly job also sweeps failed logins past every limit's window (the Worker's cron does too).
    const loginFailuresPruned = await pruneLoginFailures(deps.database.db, now);
    // Account mail is sent right after each request; this catches what failed then (and its retries).
    const accountMail = await sendAccountMail(deps, now);
    const pruned = await pruneAccountData(deps.database.db, now);
    console.log(JSON.stringify({ event: "reminders.run", now: now.toISOString(), ...scan, ...send, loginFailuresPruned, accountMail, ...pruned }));
    return { now: now.toISOString(), scan, send };
  });
  running = run.catch(() => undefined);
  return run;
}

const MINUTE = 60 * 1000;

/**
 * The Node entry's schedule: a run at start (to catch up after downtime), then one just after
 * every hour boundary, and the sender each minute so retries go out on time.
 */
export function startReminderSchedule(deps: JobDeps): () => void {
  const timers: NodeJS.Timeout[] = [];
  const safely = (what: string, job: () => Promise<unknown>) =>
    job().catch((err: unknown) => {
      const { message, code } = errorForLog(err);
      console.error(JSON.stringify({ event: "reminders.error", what, message, code }));
    });

  safely("startup run", () => runReminderJobs(deps, new Date()));
  const scheduleHourly = () => {
    const now = Date.now();
    const nextHour = Math.ceil((now + 1) / (60 * MINUTE)) * 60 * MINUTE + 5000;
    timers[0] = setTimeout(() => {
      safely("hourly run", () => runReminderJobs(deps, new Date()));
      scheduleHourly();
    }, nextHour - now);
  };
  scheduleHourly();
  timers[1] = setInterval(() => {
    safely("retry send", () => sendPending(deps, new Date()));
    safely("account mail retry", () => sendAccountMail(deps, new Date()));
  }, MINUTE);
  return () => timers.forEach((t) => clearTimeout(t));
}
