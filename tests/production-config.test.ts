import { describe, expect, it } from "vitest";
import { productionAppUrlProblem, productionEmailFromProblem } from "../src/entries/production-config.js";

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

describe("production APP_URL: happy", () => {
  it.each(["https://tasks.example.com", "https://tasks.example.com/", "https://tasks.example.com:8443", "https://localhost-tasks.example.com"])("accepts %s", (value) => {
    expect(productionAppUrlProblem(value)).toBeUndefined();
  });
});

describe("production APP_URL: errors", () => {
  it.each([
    "https://localhost",
    "https://localhost.",
    "https://app.localhost.",
    "https://127.1",
    "https://[::1]",
    "https://[::ffff:127.0.0.1]",
    "https://0.0.0.0",
    "https://[::]",
  ])("refuses %s, which names this machine", (value) => {
    expect(productionAppUrlProblem(value)).toMatch(/APP_URL names this machine/);
  });
});
