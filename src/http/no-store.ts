import { createMiddleware } from "hono/factory";

/**
 * Nothing the app answers may be stored by a browser or a shared cache: its pages show one
 * person's tasks, settings and mail, and the email pages carry signed tokens in their URL and
 * forms. Everything the app serves is dynamic (static files are served before it, by the Node
 * entry's file server or Workers Static Assets, and stay cacheable), so the rule is simply all of
 * it, set before the handler runs like the security headers, public pages and errors included.
 */
export const noStore = createMiddleware(async (c, next) => {
  c.header("Cache-Control", "no-store");
  await next();
});
