import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { createTasksOverHttp, localDate, newAccount, poll, register, type NewTask } from "./support/app.js";
import { openSession, useBrowser, type Session } from "./support/browser.js";
import { root, useServer } from "./support/server.js";

// Screenshots for the README (overwritten every run), layout at phone width, and page weight.
const server = useServer();
const chrome = useBrowser();
const TZ = "Europe/Berlin";
const SHOTS = join(root, "docs/screenshots");
const RESULTS = join(root, "e2e-results");
const VIEWPORTS = { phone: { width: 360, height: 800 }, desktop: { width: 1280, height: 800 } } as const;

const sessions: Session[] = [];
async function open(options: Parameters<typeof openSession>[2] = {}) {
  const session = await openSession(chrome.browser, server, { timezoneId: TZ, ...options });
  sessions.push(session);
  return session;
}
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.context.close();
});

const SAMPLE: NewTask[] = [
  { title: "Send the signed lease back", priority: "urgent", due_date: localDate(TZ, -1) },
  { title: "Book the dentist", priority: "high", due_date: localDate(TZ), due_time: "23:30" },
  { title: "Prepare the quarterly report", priority: "medium", due_date: localDate(TZ, 3), status: "in_progress", notes: "Numbers from finance; slides for Thursday." },
  { title: "Renew the passport", priority: "medium", due_date: localDate(TZ, 12) },
  { title: "Water the plants", priority: "low" },
  { title: "Pay the electricity bill", priority: "high", status: "done", due_date: localDate(TZ, -2) },
  { title: "Take the vitamins", priority: "high", due_date: localDate(TZ), due_time: "08:00", repeat: "daily" },
  { title: "Submit the expense report", priority: "high", due_date: localDate(TZ, 1), due_time: "17:00" },
  { title: "Call mum", priority: "high", due_date: localDate(TZ, 5), repeat: "weekly" },
];

/** True when nothing on the page is wider than the window (no sideways scrolling on a phone). */
function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe("look", () => {
  it("shows the main pages at phone and desktop width, light and dark, without sideways scrolling", async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const colorScheme of ["light", "dark"] as const) {
      const { page, context } = await open({ colorScheme });
      await register(page, newAccount("Margaret Hamilton"));
      await createTasksOverHttp(server, context, SAMPLE);
      await page.goto("/tasks");
      const taskUrl = (await page.getByRole("link", { name: "Prepare the quarterly report", exact: true }).getAttribute("href"))!;
      const pages = { today: "/today", upcoming: "/upcoming", tasks: "/tasks", task: taskUrl, settings: "/settings" };
      for (const [size, viewport] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(viewport);
        for (const [name, url] of Object.entries(pages)) {
          await page.goto(url);
          expect(await fitsWidth(page), `${name} at ${size} width fits`).toBe(true);
          // Light is what the README shows; dark is kept for Today and the task list only.
          if (colorScheme === "light" || name === "tasks" || name === "today") {
            const suffix = colorScheme === "dark" ? "-dark" : "";
            await page.screenshot({ path: join(SHOTS, `${name}-${size}${suffix}.png`), fullPage: true });
          }
        }
      }
      // The inline edit form and the register page must fit a phone too.
      await page.setViewportSize(VIEWPORTS.phone);
      await page.goto("/tasks");
      await page.getByRole("link", { name: "Edit “Water the plants”" }).click();
      await page.locator("li.task-form").waitFor();
      expect(await fitsWidth(page), "inline edit form fits a phone").toBe(true);
    }
  });
});

interface Weight {
  url: string;
  type: string;
  transferBytes: number;
  encodedBytes: number;
  decodedBytes: number;
}

/** What the browser fetched, from resource timing (and the navigation entry when asked). */
function weights(page: Page, withNavigation: boolean): Promise<Weight[]> {
  return page.evaluate((nav) => {
    const entries = [
      ...(nav ? (performance.getEntriesByType("navigation") as PerformanceResourceTiming[]) : []),
      ...(performance.getEntriesByType("resource") as PerformanceResourceTiming[]),
    ];
    return entries.map((e) => ({
      url: new URL(e.name).pathname + new URL(e.name).search,
      type: e.initiatorType,
      transferBytes: e.transferSize,
      encodedBytes: e.encodedBodySize,
      decodedBytes: e.decodedBodySize,
    }));
  }, withNavigation);
}

function total(list: Weight[]) {
  const sum = (k: keyof Omit<Weight, "url" | "type">) => list.reduce((n, w) => n + w[k], 0);
  return { transferBytes: sum("transferBytes"), encodedBytes: sum("encodedBytes"), decodedBytes: sum("decodedBytes"), resources: list };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe("page weight", () => {
  it("reports the first page and a 50-task filter swap, compressed (a report, never a timing)", async () => {
    // A first visit with an empty cache: /login, with htmx, app.js and app.css.
    const visitor = await open();
    const encodings = new Map<string, string>();
    visitor.page.on("response", (res) => encodings.set(new URL(res.url()).pathname, res.headers()["content-encoding"] ?? "identity"));
    await visitor.page.goto("/login", { waitUntil: "load" });
    const login = total(await weights(visitor.page, true));
    expect(login.resources.map((r) => r.url).sort()).toEqual(["/app.css", "/app.js", "/login", "/vendor/htmx.min.js"]);
    // The Node entry compresses what it serves: the page, the script and the style sheet, in the
    // best encoding Chromium offers (it sends "gzip, deflate, br, zstd").
    expect(encodings.get("/vendor/htmx.min.js")).toBe("zstd");
    expect(encodings.get("/app.css")).toBe("zstd");
    expect(encodings.get("/login")).toBe("zstd");

    // 50 high-priority tasks (one full page of the list) and a few others.
    await register(visitor.page, newAccount());
    const many: NewTask[] = Array.from({ length: 50 }, (_, i) => ({
      title: `Follow up with supplier number ${i + 1} about the spring order`,
      priority: "high",
      due_date: localDate(TZ, (i % 20) - 5),
      due_time: i % 3 ? "" : "14:00",
    }));
    await createTasksOverHttp(server, visitor.context, [...many, ...SAMPLE.filter((t) => t.priority !== "high")]);

    // The signed-in first page, again with a cold cache (a new context with the same cookies).
    const fresh = await open({ storageState: await visitor.context.storageState() });
    await fresh.page.goto("/tasks", { waitUntil: "load" });
    const tasksPage = total(await weights(fresh.page, true));
    expect(await fresh.page.locator("li.task").count()).toBe(50);

    // The htmx swap when a filter changes to exactly those 50 tasks.
    await fresh.page.evaluate(() => performance.clearResourceTimings());
    await fresh.page.locator("#filters").getByRole("checkbox", { name: "High" }).check();
    await poll(() => new URL(fresh.page.url()).search).toBe("?priority=high");
    await poll(() => fresh.page.locator("#status-counts .summary").textContent()).toContain("50 tasks match");
    await poll(async () => (await weights(fresh.page, false)).filter((w) => w.type === "fetch").length).toBe(1);
    const swap = total((await weights(fresh.page, false)).filter((w) => w.type === "fetch"));
    expect(await fresh.page.locator("li.task").count()).toBe(50);

    const report = {
      measuredAt: new Date().toISOString(),
      note: "Bytes from the browser's resource timing: transfer = headers + compressed body; encoded = compressed body; decoded = uncompressed body.",
      targets: { firstPageTransferBytes: 50 * 1024, filterSwapTransferBytes: 10 * 1024 },
      firstPageLogin: login,
      firstPageTasks50: tasksPage,
      filterSwap50Tasks: swap,
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "page-weight.json"), JSON.stringify(report, null, 2) + "\n");
    console.log(
      [
        "Page weight (transfer / compressed body / uncompressed):",
        `  first page /login:          ${kb(login.transferBytes)} / ${kb(login.encodedBytes)} / ${kb(login.decodedBytes)}`,
        ...login.resources.map((r) => `      ${r.url.padEnd(22)} ${kb(r.transferBytes)} / ${kb(r.encodedBytes)} / ${kb(r.decodedBytes)}`),
        `  first page /tasks (50):     ${kb(tasksPage.transferBytes)} / ${kb(tasksPage.encodedBytes)} / ${kb(tasksPage.decodedBytes)}`,
        `  htmx filter swap, 50 tasks: ${kb(swap.transferBytes)} / ${kb(swap.encodedBytes)} / ${kb(swap.decodedBytes)}`,
        `  written to e2e-results/page-weight.json`,
      ].join("\n"),
    );
  });
});
