import type { devMailbox } from "../db/schema.js";

type Mail = typeof devMailbox.$inferSelect;

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export function MailboxPage(props: { mails: Mail[]; address: string }) {
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
              <a href={`/dev/mailbox/${m.id}`}>{m.subject}</a> <span class="muted">{when(m.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One message: its headers, every link it holds (so they can be followed), and both parts. */
export function MailPage(props: { mail: Mail }) {
  const m = props.mail;
  const links = [...m.htmlBody.matchAll(/href="([^"]+)"/g)].map((x) => x[1]!.replace(/&amp;/g, "&"));
  return (
    <article>
      <p>
        <a href="/dev/mailbox">← Mailbox</a>
      </p>
      <h1>{m.subject}</h1>
      <dl class="facts">
        <dt>From</dt>
        <dd>{m.fromAddress}</dd>
        <dt>To</dt>
        <dd>{m.toAddress}</dd>
        <dt>Date</dt>
        <dd>{when(m.createdAt)}</dd>
        <dt>Stream</dt>
        <dd>{m.messageStream}</dd>
        {m.headers.map((h) => (
          <>
            <dt>{h.Name}</dt>
            <dd class="wrap">{h.Value}</dd>
          </>
        ))}
      </dl>
      <h2>HTML part</h2>
      <iframe class="mail-html" title="HTML part of the message" sandbox="allow-top-navigation-by-user-activation" srcdoc={m.htmlBody}></iframe>
      <h2>Links</h2>
      <ul>
        {links.map((href) => (
          <li>
            <a href={href} class="wrap">
              {href}
            </a>
          </li>
        ))}
      </ul>
      <h2>Text part</h2>
      <pre class="mail-text">{m.textBody}</pre>
    </article>
  );
}
