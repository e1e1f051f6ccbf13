import { escapeHtml } from "../views/escape-html.js";

// Account mail is short and always the same shape: a greeting, a few paragraphs, at most one
// button (its address also written out, for text-only clients), and why the mail came.

export interface AccountMessageInput {
  subject: string;
  /** Plain sentences, one paragraph each; escaped for the HTML part. */
  paragraphs: string[];
  action?: { label: string; url: string };
  /** A last line in smaller type: why this mail came, or what to do if it was not expected. */
  footnote?: string;
}

export interface ComposedAccountMessage {
  subject: string;
  html: string;
  text: string;
}

/** Both parts of an account mail, from the same words. */
export function composeAccountMessage(input: AccountMessageInput): ComposedAccountMessage {
  const text = [
    ...input.paragraphs,
    ...(input.action ? [`${input.action.label}: ${input.action.url}`] : []),
    ...(input.footnote ? [input.footnote] : []),
    "— SmartTask",
  ].join("\n\n");
  // Plain HTML, like the reminder mails: no inline styles (the dev mailbox shows the part under
  // the app's CSP, which refuses them) and nothing a mail client could render differently.
  const html = `<!doctype html><html><body>
${input.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
${input.action ? `<p><a href="${escapeHtml(input.action.url)}"><strong>${escapeHtml(input.action.label)}</strong></a></p>\n<p>Or open this address: ${escapeHtml(input.action.url)}</p>` : ""}
${input.footnote ? `<p><small>${escapeHtml(input.footnote)}</small></p>` : ""}
<p>— SmartTask</p>
</body></html>`;
  return { subject: input.subject, html, text };
}
