import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { mailById, mailTo } from "../db/dev-mailbox.js";
import type { HonoEnv } from "../deps.js";
import { requireUser } from "../http/session-middleware.js";
import { UUID } from "../ids.js";
import { MailboxPage, MailPage } from "../views/dev-mailbox.js";
import type { MailView } from "../views/models.js";

type DevMail = NonNullable<Awaited<ReturnType<typeof mailById>>>;

/**
 * /dev/mailbox: mounted only when no Postmark token is configured. Each signed-in person sees
 * only the mail addressed to them, so a self-hosted instance without email leaks nothing.
 */
export const devMailboxRoutes = new Hono<HonoEnv>().use(requireUser);

devMailboxRoutes.get("/", async (c) => {
  const user = c.var.user;
  const mails = (await mailTo(c.var.db, user.email)).map((m) => ({ id: m.id, subject: m.subject, sentAt: m.createdAt }));
  return c.render(<MailboxPage mails={mails} address={user.email} />, { title: "Dev mailbox" });
});

devMailboxRoutes.get("/:id", async (c) => {
  const id = c.req.param("id");
  const mail = UUID.test(id) ? await mailById(c.var.db, c.var.user.email, id) : null;
  if (!mail) throw new HTTPException(404, { message: "There is no such message in your mailbox." });
  return c.render(<MailPage mail={mailView(mail)} />, { title: mail.subject });
});

function mailView(mail: DevMail): MailView {
  return {
    subject: mail.subject,
    from: mail.fromAddress,
    to: mail.toAddress,
    sentAt: mail.createdAt,
    stream: mail.messageStream,
    headers: mail.headers.map((h) => ({ name: h.Name, value: h.Value })),
    htmlBody: mail.htmlBody,
    textBody: mail.textBody,
  };
}
