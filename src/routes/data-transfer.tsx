import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { MAX_TASKS_PER_USER } from "../db/task-cap.js";
import { countTasks, insertImportedTasks, reminderPages, taskPages } from "../db/task-transfer.js";
import type { HonoEnv, SignedInEnv } from "../deps.js";
import { download } from "../http/download.js";
import { requireUser } from "../http/session-middleware.js";
import { csvExport, exportFileName, jsonExport } from "../tasks/export.js";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, readImport } from "../tasks/import.js";
import { importCapMessage } from "../tasks/task-cap.js";
import { DataTransferPage, type ImportReport } from "../views/data-transfer-pages.js";

/** Export (/export.json, /export.csv) and import (/import). */
export const dataTransferRoutes = new Hono<HonoEnv>();

// Mounted at the root: requireUser goes on each route, not on the sub-app (which would put it in front of every path).

dataTransferRoutes.get("/export.json", requireUser, (c) => {
  const { user, db } = c.var;
  const now = c.var.deps.clock.now();
  return download(c, jsonExport(user, now, taskPages(db, user.id), reminderPages(db, user.id)), {
    type: "application/json; charset=utf-8",
    filename: exportFileName(now, user.timezone, "json"),
  });
});

dataTransferRoutes.get("/export.csv", requireUser, (c) => {
  const { user, db } = c.var;
  return download(c, csvExport(taskPages(db, user.id)), {
    type: "text/csv; charset=utf-8; header=present",
    filename: exportFileName(c.var.deps.clock.now(), user.timezone, "csv"),
  });
});

dataTransferRoutes.get("/import", requireUser, async (c) => page(c));

const MEGABYTES = MAX_IMPORT_BYTES / (1024 * 1024);
const TOO_LARGE = `The file is larger than ${MEGABYTES} MB, the most one import takes. Nothing was imported. Split it into smaller files and import each.`;

// The app's 64 KiB limit skips this path (app.tsx); this is its own, with room for the multipart framing around the file.
const importBodyLimit = bodyLimit({ maxSize: MAX_IMPORT_BYTES + 64 * 1024, onError: (c) => page(c as Context<SignedInEnv>, { kind: "file", message: TOO_LARGE }, 413) });

dataTransferRoutes.post("/import", requireUser, importBodyLimit, async (c) => {
  const user = c.var.user;
  const file = await uploadedFile(c.req.raw);
  if (!file) return page(c, { kind: "file", message: "Choose a file to import: a JSON export from SmartTask or a CSV file." }, 422);
  if (file.size > MAX_IMPORT_BYTES) return page(c, { kind: "file", message: TOO_LARGE }, 413);

  const now = c.var.deps.clock.now();
  const read = readImport(new Uint8Array(await file.arrayBuffer()), user.timezone, now);
  if (read.kind === "unreadable") return page(c, { kind: "file", message: `${read.message} Nothing was imported.` }, 422);
  if (read.kind === "too_many")
    return page(c, { kind: "file", message: `The file has ${read.rows.toLocaleString("en")} tasks; one import takes at most ${MAX_IMPORT_ROWS.toLocaleString("en")}. Nothing was imported. Split it into smaller files and import each.` }, 422);
  if (read.kind === "refused") return page(c, { kind: "refused", rows: read.rows, refused: read.refused, format: read.format }, 422);

  const saved = await insertImportedTasks(c.var.db, user.id, read.tasks);
  if (!saved.ok) return page(c, { kind: "file", message: importCapMessage(saved.existing, read.tasks.length) }, 422, saved.existing);
  console.log(JSON.stringify({ event: "tasks.imported", format: read.format, count: saved.inserted }));
  return page(c, { kind: "imported", count: saved.inserted, format: read.format }, 200);
});

/** The uploaded file, or null when the post carries none (an empty file input sends a nameless, empty part). */
async function uploadedFile(req: Request): Promise<File | null> {
  if (!(req.headers.get("content-type") ?? "").includes("multipart/form-data")) return null;
  try {
    const file = (await req.formData()).get("file");
    return file instanceof File && (file.size > 0 || file.name !== "") ? file : null;
  } catch {
    return null; // a malformed body is treated as a post without a file
  }
}

async function page(c: Context<SignedInEnv>, report?: ImportReport, status: ContentfulStatusCode = 200, knownCount?: number) {
  const taskCount = knownCount ?? (await countTasks(c.var.db, c.var.user.id));
  c.status(status);
  return c.render(
    <DataTransferPage taskCount={taskCount} maxTasks={MAX_TASKS_PER_USER} maxRows={MAX_IMPORT_ROWS} maxMegabytes={MEGABYTES} report={report} />,
    { title: "Export and import" },
  );
}
