/** A signed-in session as the sessions page shows it. */
export interface SessionView {
  /** The public half of the session token (see routes/sessions.tsx): it names the row, it grants nothing. */
  id: string;
  /** "Firefox on Linux"; "" when the browser was not recognised. */
  device: string;
  startedAt: Date;
  /** Recorded at most once an hour (src/auth/session.ts), so shown only to that precision. */
  lastUsedAt: Date | null;
  current: boolean;
}

/** What a form post on the page did, shown above the list. */
export type SessionNotice = "ended" | "others-ended";

const NOTICES: Record<SessionNotice, string> = {
  ended: "That session has ended: that browser has to sign in again.",
  "others-ended": "You are signed out everywhere else. Only this browser is still signed in.",
};

const HOUR = 60 * 60 * 1000;

interface ListProps {
  sessions: SessionView[];
  timezone: string;
  now: Date;
  notice?: SessionNotice | null;
}

/** The page: what it is for, then the list (the part htmx swaps after each button). */
export function SessionsPage(props: ListProps) {
  return (
    <section class="narrow">
      <p>
        <a href="/settings">← Settings</a>
      </p>
      <h1>Where you are signed in</h1>
      <p class="muted">
        Each browser you signed in with, while it stays signed in. The last use is recorded at most once an hour. End any you do not recognise, then
        change your password.
      </p>
      <SessionList {...props} />
    </section>
  );
}

/** The list with its buttons: the full page's part and the htmx fragment are this same component. */
export function SessionList(props: ListProps) {
  const at = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: props.timezone });
  const lastUsed = (d: Date | null) =>
    !d ? "not recorded" : props.now.getTime() - d.getTime() < HOUR ? "within the last hour" : at.format(d);
  const others = props.sessions.filter((s) => !s.current);
  return (
    <div id="session-list">
      {props.notice ? (
        <p class="notice" role="status">
          {NOTICES[props.notice]}
        </p>
      ) : null}
      <ul class="sessions">
        {props.sessions.map((s) => (
          <li id={`session-${s.id}`} class={s.current ? "session current" : "session"}>
            <h2>
              {s.device || "Unknown browser"}
              {s.current ? <strong class="badge"> · This browser</strong> : null}
            </h2>
            <dl class="facts">
              <dt>Signed in</dt>
              <dd>
                <time datetime={s.startedAt.toISOString()}>{at.format(s.startedAt)}</time>
              </dd>
              <dt>Last used</dt>
              <dd>{s.lastUsedAt ? <time datetime={s.lastUsedAt.toISOString()}>{lastUsed(s.lastUsedAt)}</time> : lastUsed(null)}</dd>
            </dl>
            {s.current ? (
              <p class="muted">To end this one, sign out.</p>
            ) : (
              <SessionButton action={`/settings/sessions/${s.id}/revoke`} label="End" ariaLabel={`End the session of ${s.device || "Unknown browser"}, signed in ${at.format(s.startedAt)}`} />
            )}
          </li>
        ))}
      </ul>
      {others.length ? (
        <SessionButton action="/settings/sessions/revoke-others" label="Sign out everywhere else" />
      ) : (
        <p class="muted">You are not signed in anywhere else.</p>
      )}
    </div>
  );
}

/** A plain form post (303 back to the page); with htmx the answer replaces the list. */
function SessionButton(props: { action: string; label: string; ariaLabel?: string }) {
  return (
    <form method="post" action={props.action} hx-post={props.action} hx-target="#session-list" hx-swap="outerHTML">
      <button type="submit" aria-label={props.ariaLabel}>
        {props.label}
      </button>
    </form>
  );
}
