/**
 * The most tasks one person keeps. Creating a task past it is refused (the insert itself checks,
 * so the cap costs no extra round trip) and so is an import that would pass it. It bounds what a
 * list, a count, an export and the reminder scan can ever have to read for one user.
 */
export const MAX_TASKS_PER_USER = 10_000;
