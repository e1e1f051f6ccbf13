/** A mailed link's page: what it will do, and a button (only the POST acts, so mail scanners that follow links cannot). */
export function EmailLinkPage(props: { heading: string; text: string; action: string; button: string }) {
  return (
    <section class="narrow">
      <h1>{props.heading}</h1>
      <p class="wrap">{props.text}</p>
      <form method="post" action={props.action}>
        <button type="submit" class="primary">
          {props.button}
        </button>
      </form>
    </section>
  );
}

/** After the new address is confirmed. */
export function EmailConfirmedPage(props: { signedIn: boolean }) {
  return (
    <section class="narrow">
      <h1>Your new address is confirmed</h1>
      <p role="status">Reminders and account mail go to it from now on. We told your old address, with a link to undo the change.</p>
      <p>{props.signedIn ? <a href="/settings">Back to settings</a> : <a href="/login">Log in</a>}</p>
    </section>
  );
}

/** After an undo: the address is back, everyone is signed out, and the password may be known to whoever changed it. */
export function EmailRestoredPage() {
  return (
    <section class="narrow">
      <h1>Your address is restored</h1>
      <p role="status">The change was undone and every device signed in to your account was signed out.</p>
      <p>
        Whoever changed your address may know your password. <a href="/forgot">Reset your password now</a> with a link sent to your restored address.
      </p>
    </section>
  );
}

/** The new (or restored) address became another account's in the meantime. */
export function AddressTakenPage(props: { undo: boolean }) {
  return (
    <section class="narrow">
      <h1>{props.undo ? "The address could not be restored" : "The address could not be changed"}</h1>
      <p role="alert">
        {props.undo
          ? "That address now belongs to another SmartTask account, so your account keeps its current address. Nothing was changed."
          : "That address now belongs to another SmartTask account. Nothing was changed: your account keeps its current address."}
      </p>
      <p>
        <a href="/">Back to SmartTask</a>
      </p>
    </section>
  );
}
