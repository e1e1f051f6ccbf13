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

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

/** Both parts of an account mail, from the same words. */
export function composeAccountMessage(input: AccountMessageInput): ComposedAccountMessage {
  const text = [
    ...input.paragraphs,
    ...(input.action ? [`${input.action.label}: ${input.action.url}`] : []),
    ...(input.footnote ? [input.footnote] : []),
    "— SmartTask",
  ].join("\n\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a">
${input.paragraphs.map((p) => `<p>${esc(p)}</p>`).join("\n")}
${
  input.action
    ? `<p><a href="${esc(input.action.url)}" style="display:inline-block;padding:.6em 1.2em;background:#1d4ed8;color:#fff;border-radius:6px;text-decoration:none">${esc(input.action.label)}</a></p>
<p style="font-size:.9em;color:#555">Or open this address: ${esc(input.action.url)}</p>`
    : ""
}
${input.footnote ? `<p style="font-size:.9em;color:#555">${esc(input.footnote)}</p>` : ""}
<p>— SmartTask</p>
</body></html>`;
  return { subject: input.subject, html, text };
}
