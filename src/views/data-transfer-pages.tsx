import { describedBy, Field, FormAlert } from "./fields.js";

/** What became of an import, as the page reports it. */
export type ImportReport =
  | { kind: "imported"; count: number; format: "json" | "csv" }
  /** Nothing imported: some rows were refused (the first `shown` of them are listed). */
  | { kind: "refused"; rows: number; refused: { row: number; problems: string[] }[]; format: "json" | "csv" }
  /** Nothing imported: the file as a whole was refused (unreadable, too large, too many rows, the cap). */
  | { kind: "file"; message: string };

/** How many refused rows the report lists; the rest are counted (fixing these shows the next ones). */
export const REFUSED_ROWS_SHOWN = 1000;

const n = (count: number) => count.toLocaleString("en");
const tasksWord = (count: number) => `${n(count)} ${count === 1 ? "task" : "tasks"}`;

/** The export links and the import form, with the report of an import above them when there is one. */
export function DataTransferPage(props: { taskCount: number; maxTasks: number; maxRows: number; maxMegabytes: number; report?: ImportReport }) {
  const { report } = props;
  const fileError = report?.kind === "file" ? report.message : report?.kind === "refused" ? "Nothing was imported: see the refused rows above." : undefined;
  return (
    <section class="narrow data-transfer">
      <h1>Export and import</h1>
      {report ? <Report report={report} /> : null}

      <h2>Export</h2>
      <ul>
        <li>
          <a href="/export.json" download>
            Download everything (JSON)
          </a>
          : your tasks, your settings and the reminder emails SmartTask sent you or has queued. SmartTask can import this file.
        </li>
        <li>
          <a href="/export.csv" download>
            Download your tasks (CSV)
          </a>
          : one row per task, for a spreadsheet. A cell that starts with = + - or @ gets an apostrophe in front, so that no spreadsheet runs it as a formula; an import takes it off again.
        </li>
      </ul>

      <h2>Import</h2>
      <p>Adds the tasks of a file to yours: a JSON export from SmartTask, or a CSV file whose first row names its columns (title, notes, priority, status, due_date, due_time, reminders, created_at, completed_at; only title is needed).</p>
      <ul>
        <li>Every row is checked like the task form. If any row is refused, nothing is imported and this page lists the rows and what was wrong.</li>
        <li>Imported tasks are added as new tasks: importing an export into the account it came from gives you each task twice. Settings and reminder history in a JSON export are not imported.</li>
        <li>
          At most {n(props.maxRows)} tasks and {props.maxMegabytes} MB in one file, and {n(props.maxTasks)} tasks in all: you have {tasksWord(props.taskCount)}, so there is room for {n(Math.max(0, props.maxTasks - props.taskCount))} more.
        </li>
      </ul>
      <FormAlert message={report?.kind === "file" ? "The file was not imported." : undefined} />
      <form method="post" action="/import" enctype="multipart/form-data">
        <Field id="file" label="File to import (JSON or CSV)" error={fileError}>
          <input id="file" name="file" type="file" accept=".json,.csv,application/json,text/csv" required {...describedBy("file", fileError)} />
        </Field>
        <button type="submit" class="primary">
          Import the file
        </button>
      </form>
    </section>
  );
}

function Report(props: { report: ImportReport }) {
  const { report } = props;
  if (report.kind === "imported")
    return (
      <div class="notice" role="status">
        <p>
          Imported {tasksWord(report.count)} from the {report.format.toUpperCase()} file. <a href="/tasks">See your tasks</a>
        </p>
      </div>
    );
  if (report.kind === "file") return null;
  const shown = report.refused.slice(0, REFUSED_ROWS_SHOWN);
  const more = report.refused.length - shown.length;
  return (
    <div class="import-report">
      <p class="alert" role="alert">
        Nothing was imported: {n(report.refused.length)} of the file's {n(report.rows)} rows {report.refused.length === 1 ? "was" : "were"} refused. Correct {report.refused.length === 1 ? "it" : "them"} and import the whole file again.
      </p>
      <table>
        <caption>
          Refused rows {report.format === "csv" ? "(row 1 is the first task, on the line after the header)" : "(row 1 is the first task in the list)"}
        </caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">What was wrong</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr>
              <th scope="row">{r.row}</th>
              <td>
                {r.problems.length === 1 ? (
                  r.problems[0]
                ) : (
                  <ul>
                    {r.problems.map((p) => (
                      <li>{p}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more > 0 ? <p>…and {n(more)} more refused rows, not listed here. Correct these first and import again to see the rest.</p> : null}
    </div>
  );
}
