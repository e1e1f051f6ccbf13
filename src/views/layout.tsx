import { jsxRenderer, useRequestContext } from "hono/jsx-renderer";
import type { HonoEnv } from "../deps.js";

declare module "hono" {
  interface ContextRenderer {
    (content: string | Promise<string>, props: { title: string }): Response | Promise<Response>;
  }
}

// htmx's own indicator <style> would be blocked by our CSP (no inline styles); app.css has it instead.
const HTMX_CONFIG = '{"includeIndicatorCSS":false}';

/** The page shell every full page renders in; fragments never pass through it. */
export const layout = jsxRenderer(({ children, title }) => {
  const c = useRequestContext<HonoEnv>();
  const user = c.var.user;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${title} · SmartTask`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/app.css" />
        <script src="/vendor/htmx.min.js" defer></script>
        <script src="/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/">SmartTask</a>
          {user ? (
            <nav aria-label="Account">
              <a href="/tasks">Tasks</a>
              <a href="/settings">Settings</a>
              <form method="post" action="/logout" class="inline">
                <button type="submit" class="link">Log out {user.name}</button>
              </form>
            </nav>
          ) : (
            <nav aria-label="Account">
              <a href="/login">Log in</a>
              <a href="/register">Register</a>
            </nav>
          )}
        </header>
        <main id="main" tabindex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
});
