import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { clearSessionCookie } from "../auth/session-cookie.js";
import { SESSION_ABSOLUTE_MS } from "../auth/session.js";
import { deleteOtherSessions, deleteUserSession, listActiveSessions } from "../db/sessions.js";
import type { HonoEnv, SignedInEnv } from "../deps.js";
import { pageOrFragment, redirectBrowser, wantsFragment } from "../http/render.js";
import { requireUser } from "../http/session-middleware.js";
import { SessionList, SessionsPage, type SessionNotice, type SessionView } from "../views/sessions-page.js";

/*
 * The sessions page, mounted at /settings/sessions: every browser signed in to this account, and
 * buttons to end one or all but this one.
 *
 * The forms name a session by its id in the URL. That id is the public half of the cookie token
 * (`id.secret`, src/auth/session.ts): the secret is stored only as a hash and the id alone signs
 * nobody in, so showing it in the page and in a form action gives nothing away. The routes still
 * act only on the signed-in user's own sessions: another user's id answers 404, like a missing one.
 */
export const sessionRoutes = new Hono<HonoEnv>().use(requireUser);

const SESSION_ID = /^[0-9a-f]{40}$/;
const NOTICES: Record<string, SessionNotice> = { one: "ended", others: "others-ended" };

sessionRoutes.get("/", async (c) => {
  const notice = NOTICES[c.req.query("ended") ?? ""] ?? null;
  const sessions = await sessionsOf(c);
  const props = { sessions, timezone: c.var.user.timezone, now: c.var.deps.clock.now(), notice };
  return pageOrFragment(c, { title: "Where you are signed in", page: () => <SessionsPage {...props} />, fragment: () => <SessionList {...props} /> });
});

sessionRoutes.post("/revoke-others", async (c) => {
  await deleteOtherSessions(c.var.db, c.var.user.id, c.var.session.id);
  return afterChange(c, "others");
});

sessionRoutes.post("/:id/revoke", async (c) => {
  const id = c.req.param("id");
  if (!SESSION_ID.test(id) || !(await deleteUserSession(c.var.db, c.var.user.id, id))) {
    throw new HTTPException(404, { message: "There is no such session. It may have ended already." });
  }
  // Ending this browser's own session is allowed (the page offers sign-out instead): it signs out here.
  if (id === c.var.session.id) {
    clearSessionCookie(c, c.var.deps.config);
    return redirectBrowser(c, "/login");
  }
  return afterChange(c, "one");
});

/** A plain form post goes back to the page (303, the notice in its URL); htmx gets the new list. */
async function afterChange(c: Context<SignedInEnv>, ended: keyof typeof NOTICES) {
  if (!wantsFragment(c)) return c.redirect(`/settings/sessions?ended=${ended}`, 303);
  const sessions = await sessionsOf(c);
  return c.html(<SessionList sessions={sessions} timezone={c.var.user.timezone} now={c.var.deps.clock.now()} notice={NOTICES[ended]} />);
}

async function sessionsOf(c: Context<SignedInEnv>): Promise<SessionView[]> {
  const now = c.var.deps.clock.now();
  const rows = await listActiveSessions(c.var.db, c.var.user.id, now, new Date(now.getTime() - SESSION_ABSOLUTE_MS));
  return rows.map((s) => ({ id: s.id, device: s.device, startedAt: s.createdAt, lastUsedAt: s.lastUsedAt, current: s.id === c.var.session.id }));
}
