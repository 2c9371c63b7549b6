// The classroom path of issue 16. A signed-out new student opens a class's join link,
// registers (a taken name first: the error summary takes focus and the password stays) and
// lands in the class; the teacher's confirmation, reset-link and item-analysis pages pass
// axe. Then the roster of 30 students and 6 assignments: at 1280 px no column is cut off,
// at 390 px the table scrolls in its own box with the student's name kept in sight.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newContext, openBrowser } from "../lib/browser.mjs";
import { pageChecker } from "../lib/check.mjs";

const PASSWORD = "copper-lantern-meadow-58";
const CLASS = "History 9C";

async function registerTeacher(page, server, username) {
  await page.goto("/register");
  await page.fill("#username", username);
  await page.fill("#password", PASSWORD);
  await page.check("input[name=role][value=teacher]");
  await page.click("button[type=submit]");
  await page.waitForURL(`${server.url}/`);
}

async function createClass(page) {
  await page.goto("/classes");
  await page.fill("#name", CLASS);
  await page.click("button:has-text('Create class')");
  await page.waitForURL(/\/classes\/\d+$/);
  return page.url();
}

/** The session's CSRF token on a page the context can open. */
async function csrf(request, path) {
  const html = await (await request.get(path)).text();
  return html.match(/name="csrf_token" value="([^"]+)"/)[1];
}

/** Sets an assignment of one kind of question through the form's POST; returns its path. */
async function addAssignment(page, classUrl, title, kind, due) {
  const request = page.context().request;
  const token = await csrf(request, `${classUrl}/assignments/new`);
  const r = await request.post(`${classUrl}/assignments`, {
    form: { csrf_token: token, title, deck: "vietnam-cambodia", kinds: kind, goal: "right_once", due_date: due },
    maxRedirects: 0,
  });
  assert.equal(r.status(), 303, await r.text());
  return r.headers()["location"];
}

function dayIn(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test("a signed-out new student joins by the link and lands in the class", async (t) => {
  const env = await openBrowser(t);
  if (!env) return;
  const { server, browser } = env;
  const check = pageChecker("classroom");

  const teacher = await (await newContext(browser, server)).newPage();
  await registerTeacher(teacher, server, "lan");
  const classUrl = await createClass(teacher);
  await check(teacher, "class-copy-button");
  assert.equal(await teacher.locator(".join-code button.copy").count(), 2, "Copy beside the code and the link");
  const link = (await teacher.locator(".join-code code.link").innerText()).trim();
  assert.match(link, /\/join\/[A-Z0-9]{8}$/);
  const assignment = await addAssignment(teacher, classUrl, "Dates of 1975", "date", dayIn(5));

  const student = await (await newContext(browser, server)).newPage();
  await student.goto(link);
  await check(student, "join-signed-out");
  assert.match(await student.locator("h1").innerText(), new RegExp(CLASS));
  await student.click("a:has-text('Create an account and join')");
  await check(student, "register-to-join");
  assert.match(await student.locator("main").innerText(), new RegExp(`join “${CLASS}”`));
  await student.fill("#username", "lan");
  await student.fill("#password", PASSWORD);
  await student.click("button[type=submit]");
  await student.locator("#error-summary").waitFor();
  await check(student, "register-to-join-error");
  assert.equal(await student.evaluate(() => document.activeElement.id), "error-summary", "focus on the summary");
  assert.equal(await student.inputValue("#password"), PASSWORD, "the password is kept");
  assert.match(await student.locator("main").innerText(), new RegExp(CLASS), "the class is still named");
  await student.click("#error-summary a[href='#username']");
  assert.equal(await student.evaluate(() => document.activeElement.id), "username");
  await student.fill("#username", "minh");
  await student.click("button[type=submit]");
  await student.waitForURL(classUrl);
  await check(student, "joined-class");
  assert.match(await student.locator("main").innerText(), /Taught by lan/);
  await student.goto("/");
  await check(student, "dashboard-with-assignment");
  const primary = student.locator("main a.button.primary").first();
  assert.match(await primary.innerText(), /Study “Dates of 1975”/, "the assignment has the main button");

  // The teacher's new pages.
  await teacher.goto(classUrl);
  const studentId = (await teacher.locator("table.roster th[scope=row] a").first().getAttribute("href")).split("/").pop();
  await teacher.click("a:has-text('New code…')");
  await check(teacher, "confirm-new-code");
  await teacher.goto(`${classUrl}/students/${studentId}/remove`);
  await check(teacher, "confirm-remove");
  await teacher.goto(`${assignment}/delete`);
  await check(teacher, "confirm-delete");
  await teacher.goto(`${assignment}/analysis`);
  await check(teacher, "item-analysis");
  await teacher.goto(`${classUrl}/students/${studentId}/reset`);
  await check(teacher, "confirm-reset");
  await teacher.click("button:has-text('Make the link')");
  await check(teacher, "reset-link");
  const resetLink = (await teacher.locator("#reset-link").innerText()).trim();
  const visitor = await (await newContext(browser, server)).newPage();
  await visitor.goto(resetLink);
  await check(visitor, "reset-form");
  await visitor.fill("#new_password", "harbour-violet-compass-7");
  await visitor.click("button[type=submit]");
  await visitor.waitForURL(/\/account\?changed=reset$/);
  await visitor.goto(resetLink);
  await check(visitor, "reset-used");
  assert.match(await visitor.locator("h1").innerText(), /no longer works/);
});

test("the roster of 30 students and 6 assignments fits 1280 px and works at 390 px", async (t) => {
  const env = await openBrowser(t);
  if (!env) return;
  const { server, browser } = env;
  const check = pageChecker("roster");
  const teacher = await (await newContext(browser, server)).newPage();
  await registerTeacher(teacher, server, "lan");
  const classUrl = await createClass(teacher);
  const titles = [
    "The fall of Phnom Penh, April 1975",
    "Democratic Kampuchea: the first year",
    "Border war and the December offensive",
    "The People's Republic of Kampuchea",
    "Refugees, camps and the border",
    "Paris Peace Accords and UNTAC",
  ];
  const kinds = ["date", "place", "event_on_date", "true_false", "cloze", "flashcard"];
  for (const [i, title] of titles.entries()) {
    await addAssignment(teacher, classUrl, title, kinds[i], i % 2 ? "" : dayIn(i));
  }
  const code = link(await teacher.locator(".join-code code.link").innerText());

  // 30 students join through the link, each answering one question so "Last active" is a time.
  for (let s = 0; s < 30; s += 1) {
    const ctx = await newContext(browser, server);
    const token = await csrf(ctx.request, `/register?join=${code}`);
    const r = await ctx.request.post("/register", {
      form: { csrf_token: token, username: `student-${String(s).padStart(2, "0")}-nguyen`, password: PASSWORD, role: "learner", join: code },
    });
    assert.ok(r.ok(), `student ${s}: ${r.status()}`);
    const session = await (await ctx.request.get("/api/v1/session")).json();
    const sync = await ctx.request.post("/api/v1/sync", {
      headers: { "X-CSRF-Token": session.csrf_token },
      data: {
        device_id: "browser",
        cursor: null,
        reviews: [{
          id: crypto.randomUUID(), card_id: "eastern-zone-uprising/date", rating: s % 3 ? 3 : 1,
          answered_at: Date.now(), duration_ms: 1200, given_answer: "",
        }],
      },
    });
    assert.ok(sync.ok(), `sync ${s}: ${sync.status()} ${await sync.text()}`);
    await ctx.close();
  }

  await teacher.goto(classUrl);
  assert.equal(await teacher.locator("table.roster tbody tr").count(), 30);
  assert.equal(await teacher.locator("table.roster thead th").count(), 1 + 6 + 4);
  await check(teacher, "roster");

  const measure = () =>
    teacher.evaluate(() => {
      const wrap = document.querySelector("table.roster").closest(".table-wrap");
      const box = wrap.getBoundingClientRect();
      const cells = [...document.querySelectorAll("table.roster thead th")].map((th) => {
        const r = th.getBoundingClientRect();
        return { text: th.innerText.trim(), left: r.left, right: r.right };
      });
      return { left: box.left, right: box.right, scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, cells };
    });

  await teacher.setViewportSize({ width: 1280, height: 900 });
  const wide = await measure();
  assert.ok(wide.scrollWidth <= wide.clientWidth, `the roster scrolls at 1280 px: ${wide.scrollWidth} > ${wide.clientWidth}`);
  for (const cell of wide.cells) {
    assert.ok(cell.left >= wide.left - 1 && cell.right <= wide.right + 1, `column "${cell.text}" is cut off at 1280 px: ${JSON.stringify(cell)} in ${wide.left}-${wide.right}`);
  }
  const remove = teacher.locator("table.roster tbody tr").last().locator("a:has-text('Remove')");
  const removeBox = await remove.boundingBox();
  assert.ok(removeBox.x + removeBox.width <= wide.right + 1, "Remove is in sight at 1280 px");

  // On a phone the table scrolls inside its box; the student's name stays in sight.
  await teacher.setViewportSize({ width: 390, height: 800 });
  await teacher.evaluate(() => {
    const wrap = document.querySelector("table.roster").closest(".table-wrap");
    wrap.scrollLeft = wrap.scrollWidth;
  });
  const narrow = await measure();
  const name = await teacher.locator("table.roster tbody th[scope=row]").first().boundingBox();
  assert.ok(name.x >= narrow.left - 1 && name.x + name.width <= narrow.right + 1, `the name scrolled away: ${JSON.stringify(name)}`);
  const removeNarrow = await remove.boundingBox();
  assert.ok(removeNarrow.x + removeNarrow.width <= narrow.right + 1, "Remove reachable by scrolling the table");
  await teacher.setViewportSize({ width: 1280, height: 900 });
});

/** The code at the end of a join link. */
function link(text) {
  return text.trim().split("/").pop();
}
