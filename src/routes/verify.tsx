import { Hono, type Context } from "hono";
import { sendSoon } from "../accounts/mail.js";
import { linkState } from "../accounts/link-state.js";
import type { TokenState } from "../accounts/tokens.js";
import { queueVerification } from "../accounts/verification.js";
import { takeAccountAction } from "../auth/account-limits.js";
import { markAccountTokenUsed } from "../db/account-tokens.js";
import { markEmailVerified } from "../db/verified-address.js";
import type { HonoEnv } from "../deps.js";
import { readForm } from "../http/form.js";
import { field } from "../form-fields.js";
import { setNotice } from "../http/notice.js";
import { renderFragment, returnPath, wantsFragment } from "../http/render.js";
import { requireUser } from "../http/session-middleware.js";
import {
  AddressConfirmedPage,
  BannerWords,
  ConfirmAddressPage,
  LinkProblemPage,
  ResendLimitedPage,
  type LinkProblem,
} from "../views/verify-pages.js";

/** Email verification: /verify/:token (GET shows a button, POST verifies), POST /verify/resend. */
export const verifyRoutes = new Hono<HonoEnv>();

/**
 * Sends a new link to the signed-in person's address; the new link retires the earlier one.
 * Limited per account (ACCOUNT_LIMITS.verifyMail). A plain post goes back where it came from with
 * a notice; htmx gets the banner's new sentence.
 */
verifyRoutes.post("/resend", requireUser, async (c) => {
  const { db, deps, user } = c.var;
  const back = returnPath(c, field(await readForm(c.req.raw), "next"));
  const fragment = wantsFragment(c);
  // Nothing to resend once the address is verified; the page it came from no longer shows the banner.
  if (user.emailVerifiedAt) return fragment ? renderFragment(c, <>Your address is confirmed.</>) : c.redirect(back, 303);

  const now = deps.clock.now();
  const retryAfter = await takeAccountAction(deps, "verifyMail", { account: user.id }, now);
  if (retryAfter !== null) {
    c.header("Retry-After", String(retryAfter));
    const minutes = Math.ceil(retryAfter / 60);
    console.log(JSON.stringify({ event: "account.verify_resend_limited", userId: user.id, retryAfter }));
    if (fragment) return renderFragment(c, <BannerWords email={user.email} state={{ kind: "limited", minutes }} />, 429);
    c.status(429);
    return c.render(<ResendLimitedPage email={user.email} minutes={minutes} back={back} />, { title: "Too many links asked for" });
  }

  const ids = await db.transaction((tx) => queueVerification(tx, user, deps.config.appUrl, now));
  sendSoon(deps, ids);
  console.log(JSON.stringify({ event: "account.verify_resent", userId: user.id }));
  if (fragment) return renderFragment(c, <BannerWords email={user.email} state={{ kind: "sent" }} />);
  setNotice(c, deps.config, "verify-sent");
  return c.redirect(back, 303);
});

/** A GET only shows the button: mail scanners and link previews open links, and must not use them up. */
verifyRoutes.get("/:token", async (c) => {
  const link = await linkFor(c);
  if (link.state !== "usable") return problemPage(c, link.state);
  return c.render(<ConfirmAddressPage email={link.row.email} action={c.req.path} />, { title: "Confirm your address" });
});

/**
 * The token is the credential, so this works signed out too. Using the token and verifying the
 * address happen in one transaction: of two posts of the same link exactly one verifies, and a
 * failure leaves the link unused.
 */
verifyRoutes.post("/:token", async (c) => {
  const { db, deps } = c.var;
  const link = await linkFor(c);
  if (link.state !== "usable") return problemPage(c, link.state);
  const { row } = link;
  const now = deps.clock.now();
  const outcome = await db.transaction(async (tx): Promise<"verified" | LinkProblem> => {
    if (!(await markAccountTokenUsed(tx, row.id, now))) return "used";
    return (await markEmailVerified(tx, row.userId, row.email, now)) ? "verified" : "stale";
  });
  if (outcome !== "verified") return problemPage(c, outcome);
  console.log(JSON.stringify({ event: "account.email_verified", userId: row.userId }));

  const viewer = c.var.user;
  // Someone else's link opened in this browser: confirm it in words, not with this person's task list.
  if (viewer && viewer.id !== row.userId) return c.render(<AddressConfirmedPage email={row.email} />, { title: "Address confirmed" });
  // Where signing in lands. Signed out, it leads through the login page, which shows the notice.
  setNotice(c, deps.config, "verified");
  return c.redirect("/today", 303);
});

/** What the link in the URL is worth. An altered secret is the same as no such link. */
function linkFor(c: Context<HonoEnv>): Promise<TokenState> {
  return linkState(c.var.db, c.req.param("token") ?? "", "verify", c.var.deps.clock.now());
}

/** 404 for a link that never was one of ours; 410 for one that was, but is used up, expired or stale. */
function problemPage(c: Context<HonoEnv>, problem: LinkProblem) {
  const user = c.var.user;
  c.status(problem === "invalid" ? 404 : 410);
  const viewer = !user ? "signed-out" : user.emailVerifiedAt ? "verified" : "unverified";
  return c.render(<LinkProblemPage problem={problem} viewer={viewer} />, { title: "Link cannot be used" });
}
