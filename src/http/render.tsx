import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { HonoEnv } from "../deps.js";
import type { NavCounts } from "../db/task-views.js";

/*
 * Every htmx decision the server makes lives here: page or fragment, how to send the browser
 * somewhere else, and which page an htmx request came from. Routes and middleware never read
 * the HX-* headers themselves.
 */

/** Any request htmx sent, history restores included. */
function fromHtmx(c: Context): boolean {
  return c.req.header("HX-Request") === "true";
}

/**
 * The one place that decides page or fragment: htmx requests get the fragment, except when
 * htmx is restoring history (it needs the whole page). Asking marks the answer `Vary: HX-Request`,
 * so no cache serves a fragment where a page was asked for, or the other way round.
 */
export function wantsFragment(c: Context): boolean {
  c.header("Vary", "HX-Request");
  return fromHtmx(c) && c.req.header("HX-History-Restore-Request") !== "true";
}

/** The full page in the layout, or the fragment alone, as wantsFragment decides. */
export function pageOrFragment<E extends HonoEnv>(
  c: Context<E>,
  view: { title: string; page: () => Child; fragment: () => Child; nav?: NavCounts },
  status: ContentfulStatusCode = 200,
) {
  if (wantsFragment(c)) return c.html(<>{view.fragment()}</>, status);
  c.status(status);
  return c.render(<>{view.page()}</>, { title: view.title, nav: view.nav });
}

/** An htmx fragment on a URL that also serves pages: varies on HX-Request, like every such answer. */
export function renderFragment<E extends HonoEnv>(c: Context<E>, fragment: Child, status: ContentfulStatusCode = 200) {
  c.header("Vary", "HX-Request");
  return c.html(<>{fragment}</>, status);
}

/**
 * Sends the browser to another page: htmx gets HX-Redirect (a 3xx would be followed by its fetch
 * and the target page swapped into the element), a plain browser a 303 See Other.
 */
export function redirectBrowser(c: Context, to: string) {
  c.header("Vary", "HX-Request");
  if (fromHtmx(c)) {
    c.header("HX-Redirect", to);
    return c.body(null, 200);
  }
  return c.redirect(to, 303);
}

/**
 * The page an htmx request was sent from (HX-Current-URL), when it is one of ours: our public
 * origin (a proxy may rewrite the Host the app sees) or the host the request came to. Null for
 * plain requests and for a missing, malformed or foreign header.
 */
export function currentPage<E extends HonoEnv>(c: Context<E>): URL | null {
  if (!fromHtmx(c)) return null;
  const url = parseUrl(c.req.header("HX-Current-URL"));
  return url && isOurs(c, url) ? url : null;
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
export function returnPath<E extends HonoEnv>(c: Context<E>, next: string | undefined | null, fallback = "/tasks"): string {
  if (next) return safeNext(next, fallback);
  const from = parseUrl(c.req.header("Referer"));
  return from && isOurs(c, from) ? safeNext(from.pathname + from.search, fallback) : fallback;
}

function isOurs<E extends HonoEnv>(c: Context<E>, url: URL): boolean {
  return url.origin === c.var.deps.config.appUrl.origin || url.host === new URL(c.req.url).host;
}

function parseUrl(value: string | undefined): URL | null {
  if (!value) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
