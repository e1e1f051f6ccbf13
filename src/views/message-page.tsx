/** A plain page for errors and notices (404, 403, 413, 429, 500). */
export function MessagePage(props: { heading: string; message: string }) {
  return (
    <section class="narrow">
      <h1>{props.heading}</h1>
      <p role="alert">{props.message}</p>
      <p>
        <a href="/">Back to SmartTask</a>
      </p>
    </section>
  );
}
