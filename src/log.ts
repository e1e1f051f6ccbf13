import { DrizzleQueryError } from "drizzle-orm/errors";

const MAX_MESSAGE = 300;

/**
 * What may be logged about an error: one line, without SQL or parameter values. A failed Drizzle
 * query carries its whole statement and every parameter in its message (email bodies with signed
 * links, session hashes, addresses; megabytes for a reminder batch), so only the driver's error
 * underneath is shown; a driver's own message may quote the value it choked on (`invalid input
 * syntax for type uuid: "…"`, a malformed array literal), so quoted values are cut out too.
 */
export function errorForLog(err: unknown): { message: string; code?: string; stack?: string } {
  const shown = driverError(err);
  if (!(shown instanceof Error)) return { message: oneLine(String(shown)) };
  const message = oneLine(shown.message);
  const code = (shown as { code?: unknown }).code;
  const out: { message: string; code?: string; stack?: string } = { message };
  if (typeof code === "string") out.code = code;
  // The stack's first line repeats the message: keep only the frames.
  const frames = shown.stack?.split("\n").filter((line) => /^\s+at /.test(line));
  if (frames?.length) out.stack = [`${shown.name}: ${message}`, ...frames.slice(0, 10)].join("\n");
  return out;
}

/** The error worth showing: under a failed query, the driver's; a query error without one says only that. */
function driverError(err: unknown): unknown {
  for (let current = err, depth = 0; depth < 5; depth++) {
    const isQueryError = current instanceof DrizzleQueryError || (current instanceof Error && current.message.startsWith("Failed query:"));
    if (!isQueryError) return current;
    const cause = (current as Error).cause;
    if (cause === undefined || cause === null) return new Error("a database statement failed");
    current = cause;
  }
  return new Error("a database statement failed");
}

function oneLine(text: string): string {
  const flat = text
    .replace(/:\s*"(?:[^"\\]|\\.)*"/g, ': "…"')
    .replace(/\s*\n\s*/g, " ")
    .trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}

/**
 * A security event (a failed or refused sign-in): one JSON line marked `security: true`, so a log
 * pipeline can alert on them. Callers pass digests and keys, never a password, token or raw email.
 */
export function logSecurityEvent(event: string, fields: Record<string, string | number | boolean | null>): void {
  console.log(JSON.stringify({ event, security: true, ...fields }));
}
