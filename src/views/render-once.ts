import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

// Rendered HTML of views that depend on nothing but their key, by key. Bounded: the keys are a
// handful of constants and list URLs, but a list URL comes from the request.
const RENDERED = new Map<string, HtmlEscapedString>();
const MAX_ENTRIES = 200;

/**
 * A view whose markup depends only on `key` (no user, no clock, no request context), rendered
 * once and reused: the empty new-task form, the shared Move menu and the shortcuts list were half
 * of a list page's rendering time (profiled: the empty task form alone ~90 µs of JSX a request),
 * always producing the same bytes. Anything a view reads besides its key would be frozen into
 * the first answer, so only pass views that take no such input.
 */
export function renderOnce(key: string, view: () => unknown): HtmlEscapedString {
  let html = RENDERED.get(key);
  if (html === undefined) {
    const out = (view() as { toString(): unknown }).toString();
    // An async view would freeze a promise's text: refuse it loudly in development and tests.
    if (typeof out !== "string") throw new Error(`renderOnce(${key}): the view must render synchronously`);
    html = raw(out);
    if (RENDERED.size >= MAX_ENTRIES) RENDERED.clear();
    RENDERED.set(key, html);
  }
  return html;
}
