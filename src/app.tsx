import { planningViewRoutes } from "./routes/planning-views.js";
import { quickAddRoutes } from "./routes/quick-add.js";
import { rescheduleRoutes } from "./routes/reschedule.js";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { PasswordHasherBusy } from "./auth/password.js";
import type { Deps, HonoEnv } from "./deps.js";
import { noStore } from "./http/no-store.js";
import { sameOriginOnly } from "./http/same-origin.js";
import { securityHeaders } from "./http/security-headers.js";
import { pageOrFragment } from "./http/render.js";
import { loadSession } from "./http/session-middleware.js";
import { authRoutes, LANDING } from "./routes/auth.js";
import { devMailboxRoutes } from "./routes/dev-mailbox.js";
import { emailRoutes } from "./routes/email.js";
import { healthRoutes } from "./routes/health.js";
import { settingsRoutes } from "./routes/settings.js";
import { taskRoutes } from "./routes/tasks.js";
import { completionRoutes } from "./routes/completions.js";
import { accountSettingsRoutes } from "./routes/account-settings.js";
import { dataTransferRoutes } from "./routes/data-transfer.js";
import { deleteAccountRoutes } from "./routes/delete-account.js";
import { emailChangeRoutes } from "./routes/email-change.js";
import { passwordResetRoutes } from "./routes/password-reset.js";
import { sessionRoutes } from "./routes/sessions.js";
import { verifyRoutes } from "./routes/verify.js";
import { errorForLog } from "./log.js";
import { layout } from "./views/layout.js";
import { MessagePage } from "./views/message-page.js";

export const MAX_BODY_BYTES = 64 * 1024;
/** The one path that takes a body over MAX_BODY_BYTES (an export file coming back). */
export const IMPORT_PATH = "/import";

/** What an app built once for many requests' dependencies is built around (see createApp). */
export interface FixedForApp {
  /** The public origin, for the same-origin check. */
  appUrl: URL;
  /** Whether mail is kept for /dev/mailbox (no Postmark token), which mounts it. */
  devMailbox: boolean;
}

/**
 * Builds the SmartTask web app from its dependencies. The core reads no environment and imports
 * nothing runtime-specific: the Node and Worker entries build `deps` and hand them over, either
 * once (Node: one database for the process) or per request, as a function of the request (the
 * Worker, which builds the app once per isolate but must open a database for each request).
 *
 * @example
 * const app = createApp({ database, clock: systemClock, config, passwords, clientIp });
 * serve({ fetch: app.fetch, port: 3000 });
 * // Per request: the dependencies travel in the fetch's env.
 * const app = createApp((c) => c.env.deps, { fixed: { appUrl, devMailbox: false } });
 */
export function createApp(deps: Deps): Hono<HonoEnv>;
export function createApp(deps: (c: Context<HonoEnv>) => Deps, options: { fixed: FixedForApp }): Hono<HonoEnv>;
export function createApp(deps: Deps | ((c: Context<HonoEnv>) => Deps), options: { fixed?: FixedForApp } = {}) {
  const app = new Hono<HonoEnv>();
  const depsFor = typeof deps === "function" ? deps : () => deps;
  const fixed: FixedForApp =
    typeof deps === "function" ? options.fixed! : { appUrl: deps.config.appUrl, devMailbox: deps.mailer.kind === "dev" };

  app.use("*", async (c, next) => {
    const requestDeps = depsFor(c);
    c.set("deps", requestDeps);
    c.set("db", requestDeps.database.db);
    await next();
  });
  app.use("*", securityHeaders);
  app.use("*", noStore);
  // The layout comes before the checks below so that their refusals render as proper pages.
  app.use("*", layout);
  app.use(
    "*",
    sameOriginOnly([fixed.appUrl.origin], {
      // RFC 8058 one-click unsubscribe: the mail provider POSTs without cookies or Origin; the signed token is the credential.
      exempt: (c) => c.req.method === "POST" && c.req.path === "/email/unsubscribe",
    }),
  );
  const smallBodies = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new HTTPException(413, { message: `That was more than SmartTask accepts at once (${MAX_BODY_BYTES / 1024} KiB). Shorten the notes and try again.` });
    },
  });
  // An import is the one larger body; its route sets its own limit (routes/data-transfer.tsx).
  app.use("*", (c, next) => (c.req.path === IMPORT_PATH ? next() : smallBodies(c, next)));
  // Sign-in and registration never need the current session, which keeps them within their query budget.
  app.use("*", async (c, next) => {
    const path = c.req.path;
    if (c.req.method === "POST" && (path === "/login" || path === "/register")) {
      c.set("user", null);
      c.set("session", null);
      return next();
    }
    return loadSession(c, next);
  });

  app.get("/", (c) => c.redirect(c.var.user ? LANDING : "/login", 303));
  app.route("/", authRoutes);
  app.route("/", planningViewRoutes);
  // Before taskRoutes, whose /:id would otherwise take /tasks/quick.
  app.route("/tasks", quickAddRoutes);
  app.route("/tasks", rescheduleRoutes);
  app.route("/tasks", taskRoutes);
  app.route("/completions", completionRoutes);
  // The account pages under /settings come before the settings form's own sub-app.
  app.route("/settings", accountSettingsRoutes);
  app.route("/settings/sessions", sessionRoutes);
  app.route("/settings/delete", deleteAccountRoutes);
  app.route("/settings", settingsRoutes);
  app.route("/verify", verifyRoutes);
  app.route("/email-change", emailChangeRoutes);
  app.route("/", passwordResetRoutes);
  app.route("/", dataTransferRoutes);
  app.route("/healthz", healthRoutes);
  app.route("/email", emailRoutes);
  // The dev mailbox exists only when mail is kept locally instead of sent.
  if (fixed.devMailbox) app.route("/dev/mailbox", devMailboxRoutes);

  app.notFound((c) => {
    c.status(404);
    return c.render(<MessagePage heading="Not found" message="There is nothing at this address." />, { title: "Not found" });
  });

  app.onError((err, c) => {
    // Every password-hashing thread busy and their queue full: shed the request, ask for a retry.
    const busy = err instanceof PasswordHasherBusy;
    const status = busy ? 503 : err instanceof HTTPException ? err.status : 500;
    if (busy) {
      c.header("Retry-After", String(err.retryAfterSeconds));
      console.log(JSON.stringify({ event: "auth.hash_queue_full", path: c.req.path }));
    } else if (status >= 500) console.error(JSON.stringify({ event: "http.error", path: c.req.path, ...errorForLog(err) }));
    const message = busy
      ? `SmartTask is checking too many passwords right now. Please try again in ${err.retryAfterSeconds} seconds.`
      : status >= 500
        ? "Something went wrong on our side. Please try again in a moment."
        : err.message;
    const heading = HEADINGS[status] ?? "Something went wrong";
    // An htmx request gets the message alone, in place of what it would have swapped; a page otherwise.
    try {
      return pageOrFragment(
        c,
        {
          title: heading,
          page: () => <MessagePage heading={heading} message={message} />,
          fragment: () => (
            <p class="alert" role="alert">
              {message}
            </p>
          ),
        },
        status as ContentfulStatusCode,
      );
    } catch {
      return c.text(message, status as ContentfulStatusCode);
    }
  });

  return app;
}

const HEADINGS: Record<number, string> = {
  403: "Request refused",
  404: "Not found",
  413: "Too large",
  429: "Too many requests",
  503: "Busy right now",
};
