import { describe, expect, it } from "vitest";
import { dbTask, fieldError, formValue, insertTasks, signedIn, statusCounts } from "./support/tasks.js";
import { makeTestApp, taskIdsIn, textOf } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });

const isFragment = (html: string) => !/<html|<head|<body/i.test(html);

/** The outermost element of a fragment: its tag name and id. */
function roots(html: string): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const m of html.matchAll(/<(\/?)([a-z0-9]+)([^>]*?)(\/?)>/gi)) {
    const [, closing, tag, attrs, selfClosing] = m;
    if (["input", "meta", "br", "img", "link"].includes(tag!.toLowerCase()) || selfClosing) {
      if (depth === 0) out.push(`${tag}#${attrs!.match(/id="([^"]+)"/)?.[1] ?? ""}`);
      continue;
    }
    if (closing) depth -= 1;
    else {
      if (depth === 0) out.push(`${tag}#${attrs!.match(/id="([^"]+)"/)?.[1] ?? ""}`);
      depth += 1;
    }
  }
  return out;
}

describe("tasks: htmx fragments and full pages", () => {
  it("gives htmx the results fragment, a browser the full page, and varies on HX-Request", async () => {
    const { browser } = await signedIn(t);
    await browser.createTask({ title: "Fragment me" });
    const page = await browser.get("/tasks");
    const pageHtml = await page.text();
    expect(pageHtml).toContain("<html");
    expect(pageHtml).toContain('id="filters"');
    expect(page.headers.get("vary")).toMatch(/HX-Request/i);

    const frag = await browser.get("/tasks", { htmx: true });
    const fragHtml = await frag.text();
    expect(frag.status).toBe(200);
    expect(frag.headers.get("vary")).toMatch(/HX-Request/i);
    expect(isFragment(fragHtml)).toBe(true);
    expect(roots(fragHtml)).toEqual(["section#task-results"]);
    expect(textOf(fragHtml)).toContain("Fragment me");

    const restore = await browser.get("/tasks", { htmx: true, headers: { "HX-History-Restore-Request": "true" } });
    const restoreHtml = await restore.text();
    expect(restoreHtml).toContain("<html");
    expect(restoreHtml).toContain('id="filters"');
  });

  it("answers an htmx filter change with the filtered #task-results section", async () => {
    const { browser } = await signedIn(t);
    const done = await browser.createTask({ title: "Finished thing", status: "done" });
    await browser.createTask({ title: "Open thing" });
    const res = await browser.get("/tasks?status=done&status=bogus&due=", { htmx: true });
    expect(res.headers.get("HX-Push-Url")).toBe("/tasks?status=done");
    const html = await res.text();
    expect(roots(html)).toEqual(["section#task-results"]);
    expect(taskIdsIn(html)).toEqual([done]);
    expect(statusCounts(html)).toEqual({ Open: 1, "To do": 1, "In progress": 0, Done: 1, All: 2 });
  });

  it("answers htmx load more with just the next rows", async () => {
    const { browser, userId } = await signedIn(t);
    await insertTasks(t, userId, Array.from({ length: 105 }, (_, i) => ({ title: `Row ${i}` })));
    const first = await (await browser.get("/tasks", { htmx: true })).text();
    const more = (html: string) => html.match(/<li class="more"><a class="button" href="([^"]+)" hx-get="\1"/)?.[1]?.replace(/&amp;/g, "&");
    const url = more(first)!;
    expect(url).toMatch(/^\/tasks\?cursor=/);
    const second = await (await browser.get(url, { htmx: true })).text();
    expect(isFragment(second)).toBe(true);
    expect(second).not.toContain("task-results");
    expect(second).not.toContain("status-counts");
    expect(roots(second).every((r) => r.startsWith("li#"))).toBe(true);
    expect(taskIdsIn(second)).toHaveLength(50);
    const third = await (await browser.get(more(second)!, { htmx: true })).text();
    expect(taskIdsIn(third)).toHaveLength(5);
    expect(more(third)).toBeUndefined();
    expect(new Set([...taskIdsIn(first), ...taskIdsIn(second), ...taskIdsIn(third)]).size).toBe(105);
  });

  it("answers htmx complete and reopen with the row and out-of-band counts for the list on screen", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "Tick me", priority: "high" });
    await browser.createTask({ title: "Other low", priority: "low" });
    const res = await browser.post(`/tasks/${id}/complete`, {}, { htmx: "/tasks?priority=high" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(isFragment(html)).toBe(true);
    expect(roots(html)).toEqual([`li#task-${id}`, expect.stringMatching(/#status-counts$/), "nav#view-nav"]);
    expect(html).toMatch(new RegExp(`<li id="task-${id}" class="[^"]*\\bis-done\\b`));
    expect(html).toMatch(/id="status-counts"[^>]*hx-swap-oob="true"/);
    expect(html).toMatch(/id="view-nav"[^>]*hx-swap-oob="true"/);
    // Counts follow the filter in HX-Current-URL (only high-priority tasks).
    expect(statusCounts(html)).toEqual({ Open: 0, "To do": 0, "In progress": 0, Done: 1, All: 1 });
    // The counts' links keep the filter of the list on screen.
    expect(html).toContain('href="/tasks?status=done&amp;priority=high"');
    expect(await dbTask(t, id)).toMatchObject({ status: "done" });

    const reopened = await (await browser.post(`/tasks/${id}/reopen`, {}, { htmx: true })).text();
    expect(roots(reopened)).toEqual([`li#task-${id}`, expect.stringMatching(/#status-counts$/), "nav#view-nav"]);
    expect(reopened).not.toMatch(/\bis-done\b/);
    expect(statusCounts(reopened)).toEqual({ Open: 2, "To do": 2, "In progress": 0, Done: 0, All: 2 });
  });

  it("answers htmx delete with the out-of-band counts only", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "Remove me" });
    await browser.createTask({ title: "Keep me" });
    for (const method of ["POST", "DELETE"]) {
      const target = method === "POST" ? id : await browser.createTask({ title: "Remove me too" });
      const res = await browser.request(method, method === "POST" ? `/tasks/${target}/delete` : `/tasks/${target}`, { htmx: true });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(roots(html)).toEqual([expect.stringMatching(/#status-counts$/), "nav#view-nav"]);
      expect(html).toContain('hx-swap-oob="true"');
      expect(taskIdsIn(html)).toEqual([]);
      expect(statusCounts(html)).toEqual({ Open: 1, "To do": 1, "In progress": 0, Done: 0, All: 1 });
      expect(await dbTask(t, target)).toBeUndefined();
    }
  });

  it("sends htmx to the list after a delete from the task's own page (no row there to remove)", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "Deleted from its page" });
    const res = await browser.post(`/tasks/${id}/delete`, { next: "/tasks" }, { htmx: `/tasks/${id}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("hx-redirect")).toBe("/tasks");
    expect(await res.text()).toBe("");
    expect(await dbTask(t, id)).toBeUndefined();
  });

  it("answers htmx create with a fresh form and the results out of band", async () => {
    const { browser } = await signedIn(t);
    await browser.createTask({ title: "Already here", priority: "low" });
    const res = await browser.post("/tasks", { title: "Made by htmx", priority: "high", notes: "n", due_date: "2026-06-16" }, { htmx: "/tasks?priority=high" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(isFragment(html)).toBe(true);
    expect(roots(html)).toEqual(["div#new-task", "section#task-results"]);
    expect(html).toMatch(/<section id="task-results"[^>]*hx-swap-oob="true"/);
    const form = html.slice(0, html.indexOf("<section"));
    expect(formValue(form, "title")).toBe("");
    expect(formValue(form, "notes")).toBe("");
    expect(formValue(form, "priority")).toBe("medium");
    // The results are those of the list on screen: high priority only.
    const results = textOf(html.slice(html.indexOf("<section")));
    expect(results).toContain("Made by htmx");
    expect(results).not.toContain("Already here");
  });

  it("answers htmx create with bad input with the form and its messages (422)", async () => {
    const { browser } = await signedIn(t);
    const res = await browser.post("/tasks", { title: "", notes: "keep me", due_time: "07:00" }, { htmx: true });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(roots(html)).toEqual(["div#new-task"]);
    expect(fieldError(html, "title")).toMatch(/title/);
    expect(fieldError(html, "due_date")).toMatch(/A time needs a date/);
    expect(formValue(html, "notes")).toBe("keep me");
    expect(formValue(html, "due_time")).toBe("07:00");
  });

  it("edits inline: the form row, then the updated row or the form again with messages", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "Inline", priority: "low" });
    const edit = await (await browser.get(`/tasks/${id}/edit`, { htmx: true })).text();
    expect(roots(edit)).toEqual([`li#task-${id}`]);
    expect(edit).toContain(`hx-post="/tasks/${id}"`);
    expect(formValue(edit, "title")).toBe("Inline");

    const bad = await browser.post(`/tasks/${id}`, { title: "x".repeat(201), priority: "low", due_date: "2026-13-01" }, { htmx: true });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(roots(badHtml)).toEqual([`li#task-${id}`]);
    expect(fieldError(badHtml, "title", id)).toMatch(/200 characters/);
    expect(fieldError(badHtml, "due_date", id)).toMatch(/real date/);
    expect(formValue(badHtml, "title")).toBe("x".repeat(201));
    expect(formValue(badHtml, "due_date")).toBe("2026-13-01");
    expect((await dbTask(t, id))!.title).toBe("Inline");

    const ok = await browser.post(`/tasks/${id}`, { title: "Inline edited", priority: "urgent" }, { htmx: true });
    expect(ok.status).toBe(200);
    const okHtml = await ok.text();
    expect(roots(okHtml)).toEqual([`li#task-${id}`, expect.stringMatching(/#status-counts$/), "nav#view-nav"]);
    expect(textOf(okHtml)).toContain("Inline edited");
    expect(textOf(okHtml)).toContain("Urgent");

    const row = await (await browser.get(`/tasks/${id}`, { htmx: true })).text();
    expect(roots(row)).toEqual([`li#task-${id}`]);
  });

  it("answers htmx requests that fail with a fragment", async () => {
    const { browser } = await signedIn(t);
    const missing = await browser.get(`/tasks/${crypto.randomUUID()}`, { htmx: true });
    expect(missing.status).toBe(404);
    const html = await missing.text();
    expect(isFragment(html)).toBe(true);
    expect(textOf(html)).toContain("There is no such task");
  });

  it("tells htmx to go to the login page when signed out, back to the list on screen", async () => {
    const stranger = t.browser();
    const list = await stranger.get("/tasks?status=done", { htmx: "/tasks?status=done" });
    expect(list.headers.get("HX-Redirect")).toBe("/login?next=%2Ftasks%3Fstatus%3Ddone");
    expect(isFragment(await list.text())).toBe(true);
    const post = await stranger.post(`/tasks/${crypto.randomUUID()}/complete`, {}, { htmx: "/tasks?priority=high" });
    expect(post.headers.get("HX-Redirect")).toBe("/login?next=%2Ftasks%3Fpriority%3Dhigh");
    const create = await stranger.post("/tasks", { title: "x" }, { htmx: true });
    expect(create.headers.get("HX-Redirect")).toBe("/login?next=%2Ftasks");
  });
});
