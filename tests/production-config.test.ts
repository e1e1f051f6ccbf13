import { describe, expect, it } from "vitest";
import { productionEmailFromProblem } from "../src/entries/production-config.js";

// The settings a deployed Worker and `npm run deploy` refuse (the Worker's 500 itself is tested in
// tests-workerd/production-config.test.ts): here, which values count as wrong.

describe("production EMAIL_FROM: happy", () => {
  it.each([
    "SmartTask <reminders@tasks.example.com>",
    "reminders@tasks.example.com",
    // Public domains that merely contain the word.
    "SmartTask <reminders@localhost-mail.example.com>",
    "reminders@mail.localhost.example.com",
    "reminders@localhost.com",
  ])("accepts %s", (value) => {
    expect(productionEmailFromProblem(value)).toBeUndefined();
  });
});

describe("production EMAIL_FROM: errors", () => {
  it.each([
    ["SmartTask <reminders@smarttask.localhost>", /is a local address/],
    ["reminders@localhost", /is a local address/],
    ["reminders@LOCALHOST.", /is a local address/],
    ["SmartTask", /holds no email address/],
    ["SmartTask <>", /holds no email address/],
    [undefined, /EMAIL_FROM is not set/],
  ])("refuses %s", (value, message) => {
    expect(productionEmailFromProblem(value)).toMatch(message);
  });
});
