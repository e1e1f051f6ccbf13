import { lifetimeInWords } from "../accounts/tokens.js";

export const RESEND_PATH = "/verify/resend";

/** What the banner says: the standing reminder, a new link just sent, or a refused resend. */
export type BannerState = { kind: "reminder" } | { kind: "sent" } | { kind: "limited"; minutes: number };

const minutesInWords = (minutes: number) => `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;

/** The banner's sentence; also the fragment an htmx resend answers with. */
export function BannerWords(props: { email: string; state: BannerState }) {
  const { email, state } = props;
  if (state.kind === "sent") return <>We sent a new link to {email}. It works for {lifetimeInWords("verify")}; earlier links no longer do.</>;
  if (state.kind === "limited")
    return (
      <>
        You have asked for several links in a short time. Please try again in {minutesInWords(state.minutes)}, or use the last link we sent to {email}.
      </>
    );
  return <>Confirm your address to get reminders. We sent a link to {email}.</>;
}

/**
 * Shown at the top of every full page while the signed-in person's address is unverified. The
 * button is a plain form; with htmx it answers only the sentence, swapped into the live region.
 */
export function VerifyBanner(props: { email: string; state?: BannerState }) {
  return (
    <div id="verify-banner" class="verify-banner">
      <p id="verify-banner-words" role="status">
        <BannerWords email={props.email} state={props.state ?? { kind: "reminder" }} />
      </p>
      <form method="post" action={RESEND_PATH} hx-post={RESEND_PATH} hx-target="#verify-banner-words" hx-swap="innerHTML" class="inline">
        <button type="submit">Send the link again</button>
      </form>
    </div>
  );
}

/** The page a mailed link opens: nothing happens until the button is pressed (mail scanners only GET). */
export function ConfirmAddressPage(props: { email: string; action: string }) {
  return (
    <section class="narrow">
      <h1>Confirm your address</h1>
      <p>
        Confirm that <strong>{props.email}</strong> is your address, so that SmartTask can send you reminders.
      </p>
      <form method="post" action={props.action}>
        <button type="submit" class="primary">
          Confirm my address
        </button>
      </form>
    </section>
  );
}

/** Why a link cannot be used: unknown or altered, used, past its lifetime, or for an address the account no longer has. */
export type LinkProblem = "invalid" | "used" | "expired" | "stale";

const PROBLEMS: Record<LinkProblem, { heading: string; text: string }> = {
  invalid: { heading: "This link does not work", text: "Check that you opened the whole link from the mail. If it still does not work, ask for a new one." },
  used: { heading: "This link was already used", text: "Each link works once. If you confirmed your address with it, there is nothing more to do." },
  expired: { heading: "This link has expired", text: `Links work for ${lifetimeInWords("verify")}. Ask for a new one.` },
  stale: { heading: "This link is for another address", text: "Your account no longer uses the address this link was sent to, so it confirms nothing." },
};

/**
 * A link that cannot be used, and how to get a new one: signed in and unverified, the banner above
 * offers "Send the link again"; signed out, log in first.
 */
export function LinkProblemPage(props: { problem: LinkProblem; viewer: "signed-out" | "unverified" | "verified" }) {
  const { heading, text } = PROBLEMS[props.problem];
  return (
    <section class="narrow">
      <h1>{heading}</h1>
      <p role="alert">{text}</p>
      {props.viewer === "unverified" ? (
        <p>Use “Send the link again” at the top of this page to get a new link by mail.</p>
      ) : props.viewer === "verified" ? (
        <p>
          Your address is confirmed. <a href="/tasks">Go to your tasks</a>.
        </p>
      ) : (
        <p>
          To get a new link, <a href="/login?next=%2Ftasks">log in</a> and choose “Send the link again”.
        </p>
      )}
    </section>
  );
}

/** A link confirmed while signed in as someone else: said plainly, since their own banner does not change. */
export function AddressConfirmedPage(props: { email: string }) {
  return (
    <section class="narrow">
      <h1>Address confirmed</h1>
      <p role="status">
        The address <strong>{props.email}</strong> is confirmed.
      </p>
      <p>
        <a href="/tasks">Back to SmartTask</a>
      </p>
    </section>
  );
}

/** A resend refused without JavaScript: the message, and the way back. */
export function ResendLimitedPage(props: { email: string; minutes: number; back: string }) {
  return (
    <section class="narrow">
      <h1>Too many links asked for</h1>
      <p role="alert">
        <BannerWords email={props.email} state={{ kind: "limited", minutes: props.minutes }} />
      </p>
      <p>
        <a href={props.back}>Back</a>
      </p>
    </section>
  );
}
