import { taskView } from "../../src/loaders/task-list.js";
import { TaskRows } from "../../src/views/task-list.js";
import { memoryModel, memoryTasks } from "./memory-model.js";

/** Issue #8's target for the markup of one list row. */
export const MAX_ROW_BYTES = 600;

/**
 * HTML bytes per list row (UTF-8, before compression): the 50 rows of the in-memory /tasks page
 * (the seed's shape of titles, dates and statuses), less the same region with no rows, over 50.
 * A size, not a speed: the same on every machine, so it is reported with the benchmark's targets.
 */
export async function rowWeight(now = new Date()): Promise<{ bytesPerRow: number; rows: number }> {
  const tasks = memoryTasks(now);
  const model = memoryModel(tasks, now);
  const bytes = async (rows: typeof tasks) =>
    new TextEncoder().encode(String(await (<TaskRows tasks={rows.map(taskView)} ctx={model.ctx} filter={model.filter} nextCursor={model.nextCursor} />))).length;
  const full = await bytes(tasks);
  const empty = await bytes([]);
  return { bytesPerRow: Math.round((full - empty) / tasks.length), rows: tasks.length };
}
