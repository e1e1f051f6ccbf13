import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { getTask } from "../db/tasks.js";
import type { SignedInEnv } from "../deps.js";
import { UUID } from "../ids.js";

// The task a /tasks/:id route is about, for every route file that has one (tasks, reschedule).

/** The :id of the route, or 404: what is not a UUID cannot be a task, and never reaches the uuid column. */
export function taskIdParam(c: Context<SignedInEnv>): string {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) throw taskNotFound();
  return id.toLowerCase();
}

/** The signed-in owner's task named by :id; someone else's is a 404, like one that does not exist. */
export async function ownTask(c: Context<SignedInEnv>) {
  const task = await getTask(c.var.db, c.var.user.id, taskIdParam(c));
  if (!task) throw taskNotFound();
  return task;
}

export function taskNotFound() {
  return new HTTPException(404, { message: "There is no such task. It may have been deleted." });
}
