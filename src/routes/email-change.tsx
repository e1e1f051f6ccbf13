import { Hono, type Context } from "hono";
import { clearSessionCookie } from "../auth/session-cookie.js";
import { confirmEmailChange, undoEmailChange } from "../accounts/email-change.js";
import { linkState } from "../accounts/link-state.js";
import type { HonoEnv } from "../deps.js";
import { AddressTakenPage, EmailConfirmedPage, EmailLinkPage, EmailRestoredPage } from "../views/email-change-pages.js";
import { LinkProblemPage } from "../views/reset-pages.js";

/** Links mailed for an address change: confirm the new address, undo from the old one (no sign-in needed). */
export const emailChangeRoutes = new Hono<HonoEnv>();

// A GET only shows what the link will do; the button's POST does it (mail scanners follow links).

emailChangeRoutes.get("/confirm/:token", async (c) => {
  const token = c.req.param("token");
  const link = await linkState(c.var.db, token, "email_change", c.var.deps.clock.now());
  if (link.state !== "usable") return linkProblem(c, link.state, "confirm");
  return c.render(
    <EmailLinkPage
      heading="Confirm your new address"
      text={`Make ${link.row.email} the address of your SmartTask account? Reminders and account mail will go to it from then on.`}
      action={`/email-change/confirm/${token}`}
      button="Confirm this address"
    />,
    { title: "Confirm your new address" },
  );
});

emailChangeRoutes.post("/confirm/:token", async (c) => {
  const { db, deps } = c.var;
  const now = deps.clock.now();
  const link = await linkState(db, c.req.param("token"), "email_change", now);
  if (link.state !== "usable") return linkProblem(c, link.state, "confirm");
  const outcome = await confirmEmailChange(deps, link.row, now);
  if (outcome === "used") return linkProblem(c, "used", "confirm");
  if (outcome === "taken") return addressTaken(c, false);
  console.log(JSON.stringify({ event: "email_change.confirmed", userId: link.row.userId }));
  return c.redirect("/email-change/confirmed", 303);
});

emailChangeRoutes.get("/confirmed", (c) => c.render(<EmailConfirmedPage signedIn={c.var.user !== null} />, { title: "Address confirmed" }));

emailChangeRoutes.get("/undo/:token", async (c) => {
  const token = c.req.param("token");
  const link = await linkState(c.var.db, token, "email_undo", c.var.deps.clock.now());
  if (link.state !== "usable") return linkProblem(c, link.state, "undo");
  return c.render(
    <EmailLinkPage
      heading="Undo the address change"
      text={`Restore ${link.row.email} as the address of your SmartTask account? Every device signed in to it will be signed out, and you will then reset your password.`}
      action={`/email-change/undo/${token}`}
      button="Restore my address"
    />,
    { title: "Undo the address change" },
  );
});

emailChangeRoutes.post("/undo/:token", async (c) => {
  const { db, deps } = c.var;
  const now = deps.clock.now();
  const link = await linkState(db, c.req.param("token"), "email_undo", now);
  if (link.state !== "usable") return linkProblem(c, link.state, "undo");
  const outcome = await undoEmailChange(deps, link.row, now);
  if (outcome === "used") return linkProblem(c, "used", "undo");
  if (outcome === "taken") return addressTaken(c, true);
  // Every session of the account ended; this browser's cookie, if it had one, goes with them.
  clearSessionCookie(c, deps.config);
  console.log(JSON.stringify({ event: "email_change.undone", userId: link.row.userId }));
  return c.redirect("/email-change/restored", 303);
});

emailChangeRoutes.get("/restored", (c) => c.render(<EmailRestoredPage />, { title: "Address restored" }));

function linkProblem(c: Context<HonoEnv>, state: "invalid" | "used" | "expired", kind: "confirm" | "undo") {
  c.status(state === "invalid" ? 404 : 410);
  const again =
    kind === "confirm" ? { href: "/settings/email", label: "Ask for a new confirmation link" } : { href: "/", label: "Back to SmartTask" };
  return c.render(<LinkProblemPage state={state} again={again} />, { title: kind === "confirm" ? "Confirmation link" : "Undo link" });
}

function addressTaken(c: Context<HonoEnv>, undo: boolean) {
  c.status(409);
  return c.render(<AddressTakenPage undo={undo} />, { title: "Address not changed" });
}
