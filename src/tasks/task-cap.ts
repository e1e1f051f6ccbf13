import { MAX_TASKS_PER_USER } from "../db/task-cap.js";

/** What someone at the cap is told when adding a task. */
export function taskCapMessage(): string {
  return `You have ${MAX_TASKS_PER_USER.toLocaleString("en")} tasks, the most SmartTask keeps for one person. Delete tasks you no longer need (done ones, perhaps) to add more.`;
}

/** What an import that would pass the cap is told (nothing was imported). */
export function importCapMessage(existing: number, importing: number): string {
  const room = Math.max(0, MAX_TASKS_PER_USER - existing);
  return `You have ${existing.toLocaleString("en")} tasks and the file has ${importing.toLocaleString("en")}: together more than the ${MAX_TASKS_PER_USER.toLocaleString("en")} SmartTask keeps for one person. Nothing was imported. There is room for ${room.toLocaleString("en")} more; delete tasks or import a shorter file.`;
}
