/** Time comes from here, never from `new Date()` in the core, so tests and jobs can choose "now". */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
