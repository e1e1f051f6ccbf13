import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { HonoEnv } from "../deps.js";

/**
 * The one place that decides page or fragment: htmx requests get the fragment, except when
 * htmx is restoring history (it needs the whole page). Responses vary on HX-Request so no
 * cache serves a fragment where a page was asked for.
 */
export function wantsFragment(c: Context<HonoEnv>): boolean {
  return c.req.header("HX-Request") === "true" && c.req.header("HX-History-Restore-Request") !== "true";
}

export function pageOrFragment(
  c: Context<HonoEnv>,
  view: { title: string; page: () => Child; fragment: () => Child },
  status: 200 | 422 | 404 | 403 | 413 | 429 = 200,
) {
  if (wantsFragment(c)) return renderFragment(c, view.fragment(), status);
  c.header("Vary", "HX-Request");
  c.status(status);
  return c.render(<>{view.page()}</>, { title: view.title });
}

/** An htmx fragment on a URL that also serves pages: varies on HX-Request, like every such answer. */
export function renderFragment(c: Context<HonoEnv>, fragment: Child, status: 200 | 422 | 404 | 403 | 413 | 429 = 200) {
  c.header("Vary", "HX-Request");
  return c.html(<>{fragment}</>, status);
}

/** After a successful form post: 303 for a plain browser post, HX-Redirect for htmx. */
export function redirectAfterPost(c: Context<HonoEnv>, to: string) {
  if (c.req.header("HX-Request") === "true") {
    c.header("HX-Redirect", to);
    return c.body(null, 200);
  }
  return c.redirect(to, 303);
}

/** Only a local absolute path is honoured as a destination; anything else goes to the task list. */
export function safeNext(next: string | undefined | null, fallback = "/tasks"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\\]/.test(next) || next.length > 2000) return fallback;
  return next;
}

/**
 * Where a plain form post goes back to: the form's `next`, else the page the form was on (its
 * same-origin Referer, which our Referrer-Policy keeps), so list rows need no hidden field each.
 */
export function returnPath(c: Context<HonoEnv>, next: string | undefined | null, fallback = "/tasks"): string {
  if (next) return safeNext(next, fallback);
  const referer = c.req.header("Referer");
  if (!referer) return fallback;
  try {
    const from = new URL(referer);
    // Our public origin (a proxy may rewrite the Host the app sees), or the host the request came to.
    const ours = from.origin === c.var.deps.config.appUrl.origin || from.host === new URL(c.req.url).host;
    return ours ? safeNext(from.pathname + from.search, fallback) : fallback;
  } catch {
    return fallback;
  }
}
