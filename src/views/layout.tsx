import { jsxRenderer, useRequestContext } from "hono/jsx-renderer";
import type { HonoEnv } from "../deps.js";
import { takeNotice } from "../http/notice.js";
import { VerifyBanner } from "./verify-pages.js";
import type { NavCounts } from "../db/task-views.js";
import { ViewNav } from "./view-nav.js";
import { renderOnce } from "./render-once.js";

declare module "hono" {
  interface ContextRenderer {
    (content: string | Promise<string>, props: { title: string; nav?: NavCounts }): Response | Promise<Response>;
  }
}

// htmx's own indicator <style> would be blocked by our CSP (no inline styles); app.css has it instead.
const HTMX_CONFIG = '{"includeIndicatorCSS":false}';

/** The page shell every full page renders in; fragments never pass through it. */
export const layout = jsxRenderer(({ children, title, nav }) => {
  const c = useRequestContext<HonoEnv>();
  const user = c.var.user;
  const here = (path: string) => (c.req.path === path ? "page" : undefined);
  // A notice a post left for the page after its redirect (http/notice.ts): shown once.
  const notice = c.var.deps ? takeNotice(c, c.var.deps.config) : null;
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
              <a href="/settings" aria-current={here("/settings")}>
                Settings
              </a>
              <form method="post" action="/logout" class="inline">
                <button type="submit" class="link">
                  Log out <span class="who">{user.name}</span>
                </button>
              </form>
            </nav>
          ) : (
            <nav aria-label="Account">
              <a href="/login" aria-current={here("/login")}>
                Log in
              </a>
              <a href="/register" aria-current={here("/register")}>
                Register
              </a>
            </nav>
          )}
        </header>
        {/* The planning views (issue #13): with their counts on the views themselves, without elsewhere. */}
        {user ? <ViewNav counts={nav ?? null} current={c.req.path} /> : null}
        <main id="main" tabindex={-1}>
          {notice === "verified" ? (
            <p class="notice" role="status">
              Your address is confirmed.{user ? "" : " Log in to continue."}
            </p>
          ) : null}
          {/* Until the address is verified no reminder goes to it: every page says so and offers a new link. */}
          {user && !user.emailVerifiedAt ? <VerifyBanner email={user.email} state={notice === "verify-sent" ? { kind: "sent" } : undefined} /> : null}
          {children}
        </main>
        <footer class="foot">
          <button type="button" id="shortcuts-open" class="link js-only">
            Keyboard shortcuts <kbd>?</kbd>
          </button>
        </footer>
        {/* Filled by app.js after htmx swaps: what changed, in words ("“Rent” marked done. 3 tasks."). */}
        <div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
        {renderOnce("shortcuts-dialog", () => <ShortcutsDialog />)}
      </body>
    </html>
  );
});

/** The list `?` opens (app.js); Escape or the button closes it. */
function ShortcutsDialog() {
  const keys = [
    ["q", "Quick add"],
    ["n", "New task (on the task list)"],
    ["/", "Search tasks"],
    ["g t", "Go to Today"],
    ["g u", "Go to Upcoming"],
    ["g a", "Go to All tasks"],
    ["t", "Move the focused task to today"],
    ["m", "Move the focused task to tomorrow"],
    ["?", "Show these shortcuts"],
    ["Esc", "Close this list"],
  ];
  return (
    <dialog id="shortcuts" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl class="keys">
        {keys.map(([key, what]) => (
          <>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </>
        ))}
      </dl>
      <p class="hint">They do nothing while you type in a field.</p>
      <form method="dialog">
        <button type="submit" class="primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
