// The labels live in src/tasks/labels.ts, where the reminder emails read them too (a view module
// there made reminders and views import each other).
export { PRIORITY_LABELS, PRIORITY_OPTIONS, STATUS_LABELS, STATUS_OPTIONS } from "../tasks/labels.js";
