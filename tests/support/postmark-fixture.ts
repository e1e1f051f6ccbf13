import { afterEach, beforeEach } from "vitest";
import { createPostmarkMailer } from "../../src/email/postmark-mailer.js";
import { addTask, jobDeps, makeUser, outboxOf, plusDays, type FixtureUser } from "./reminder-jobs.js";
import { PostmarkStandIn } from "./postmark-standin.js";
import type { TestApp } from "./test-app.js";

/**
 * A fresh Postmark stand-in for each test of the file, and the helpers the Postmark tests share:
 * job deps that send through the official client to it, what it received per address, and users
 * with a digest to send.
 */
export function postmarkFixture(t: TestApp) {
  let current: PostmarkStandIn;
  beforeEach(async () => {
    current = await new PostmarkStandIn().start();
  });
  afterEach(async () => {
    await current.stop();
  });

  return {
    get standin() {
      return current;
    },
    /** Starts a fresh stand-in in place of the current one, which is returned for the test to stop. */
    async replace(): Promise<PostmarkStandIn> {
      const previous = current;
      current = await new PostmarkStandIn().start();
      return previous;
    },
    postmark: (config: { messageStream?: string } = {}) =>
      jobDeps(t, createPostmarkMailer({ serverToken: current.token, apiUrl: current.url, timeoutSeconds: 1 }), config),
    sentTo: (email: string) => current.delivered.filter((m) => m.To === email),
    triedTo: (email: string) => current.requests.flat().filter((m) => m.To === email),
    idsOf: async (...us: FixtureUser[]) => (await outboxOf(t, ...us.map((u) => u.id))).map((r) => r.id),
    /** A user with something due on `day`, whose digest is queued at `hour` UTC. */
    async queuedDigest(day: string, opts: { hour?: number; name?: string } = {}) {
      const user = await makeUser(t, { reminderHour: opts.hour ?? 8, name: opts.name });
      await addTask(t, user, { title: `Due for ${user.email}`, dueDate: day });
      await addTask(t, user, { dueDate: plusDays(day, 1) });
      return user;
    },
  };
}
