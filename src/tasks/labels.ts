import type { TaskPriority, TaskStatus } from "../db/schema.js";

export const STATUS_LABELS: Record<TaskStatus, string> = { todo: "To do", in_progress: "In progress", done: "Done" };
export const PRIORITY_LABELS: Record<TaskPriority, string> = { low: "Low", medium: "Medium", high: "High", urgent: "Urgent" };

export const STATUS_OPTIONS = Object.entries(STATUS_LABELS) as [TaskStatus, string][];
export const PRIORITY_OPTIONS = Object.entries(PRIORITY_LABELS) as [TaskPriority, string][];
