import type { MailSummary, MailView } from "./models.js";

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export function MailboxPage(props: { mails: MailSummary[]; address: string }) {
  return (
    <section>
      <h1>Dev mailbox</h1>
      <p class="muted">
        No Postmark token is configured, so nothing is sent: this is what would have gone to {props.address}.
      </p>
      {props.mails.length === 0 ? (
        <p>No mail yet. Reminders go out at your reminder hour; `npm run reminders` runs a scan now.</p>
      ) : (
        <ul class="mailbox">
          {props.mails.map((m) => (
            <li>
              <a href={`/dev/mailbox/${m.id}`}>{m.subject}</a> <span class="muted">{when(m.sentAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One message: its headers, every link it holds (so they can be followed), and both parts. */
export function MailPage(props: { mail: MailView }) {
  const m = props.mail;
  const links = [...m.htmlBody.matchAll(/<a href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)].map((x) => ({
    href: x[1]!.replace(/&amp;/g, "&"),
    label: decodeText(x[2]!.replace(/<[^>]*>/g, "")),
  }));
  return (
    <article>
      <p>
        <a href="/dev/mailbox">← Mailbox</a>
      </p>
      <h1>{m.subject}</h1>
      <dl class="facts">
        <dt>From</dt>
        <dd>{m.from}</dd>
        <dt>To</dt>
        <dd>{m.to}</dd>
        <dt>Date</dt>
        <dd>{when(m.sentAt)}</dd>
        <dt>Stream</dt>
        <dd>{m.stream}</dd>
        {m.headers.map((h) => (
          <>
            <dt>{h.name}</dt>
            <dd class="wrap">{h.value}</dd>
          </>
        ))}
      </dl>
      <h2>HTML part</h2>
      <iframe class="mail-html" title="HTML part of the message" sandbox="allow-top-navigation-by-user-activation" srcdoc={m.htmlBody}></iframe>
      <h2>Links</h2>
      <ul>
        {links.map((link) => (
          <li>
            <a href={link.href}>{link.label}</a> <small class="muted wrap">{link.href}</small>
          </li>
        ))}
      </ul>
      <h2>Text part</h2>
      <pre class="mail-text">{m.textBody}</pre>
    </article>
  );
}

/** The text of a link in the mail's HTML (hono/jsx escaped it), for the list of its links. */
function decodeText(html: string): string {
  return html
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}
