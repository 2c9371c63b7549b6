// A teacher creates a class and an assignment; a student, in a second browser context with
// its own cookies, joins with the code and studies the assignment (missing one card first);
// the teacher then sees the student's progress and the missed question. Every page is checked
// with axe and photographed at phone and laptop width.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newContext, openBrowser } from "../lib/browser.mjs";
import { pageChecker } from "../lib/check.mjs";
import { answerCard, answerKey, readCard } from "../lib/keyboard.mjs";

const PASSWORD = "copper-lantern-meadow-58";
const DECK = "vietnam-cambodia";
const CLASS = "History 9B";
const TITLE = "Two dates of 1975";

async function register(page, server, username, role) {
  await page.goto("/register");
  await page.fill("#username", username);
  await page.fill("#password", PASSWORD);
  await page.check(`input[name=role][value=${role}]`);
  await page.click("button[type=submit]");
  await page.waitForURL(`${server.url}/`);
}

test("a teacher sets an assignment and sees a student's results", async (t) => {
  const env = await openBrowser(t);
  if (!env) return;
  const { server, browser } = env;
  const check = pageChecker("teacher");

  // The teacher: register, create a class, set an assignment of two date questions.
  const teacher = await (await newContext(browser, server)).newPage();
  await teacher.goto("/register");
  await check(teacher, "register");
  await register(teacher, server, "dao", "teacher");
  await check(teacher, "teacher-dashboard");
  await teacher.click('header a[href="/classes"]');
  await check(teacher, "teacher-classes");
  await teacher.fill("#name", CLASS);
  await teacher.click("button:has-text('Create class')");
  await teacher.waitForURL(/\/classes\/\d+$/);
  const classUrl = teacher.url();
  await check(teacher, "class-new");
  const code = (await teacher.locator(".join-code .code code").innerText()).trim();
  assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

  await teacher.click("a:has-text('New assignment')");
  await check(teacher, "assignment-form");
  await teacher.fill("#title", TITLE);
  await teacher.check("input[name=goal][value=right_once]");
  for (const kind of await teacher.locator("input[name=kinds]").all()) {
    if ((await kind.getAttribute("value")) !== "date") await kind.uncheck();
  }
  await teacher.click("summary:has-text('Single events')");
  // Two events whose date the deck asks (the lint holds some dates back: inferred, disputed,
  // or without three fair wrong dates).
  for (const id of ["eastern-zone-uprising", "phnom-penh-evacuation"]) {
    await teacher.check(`input[name=events][value="${id}"]`);
  }
  await teacher.click("button:has-text('Save assignment')");
  await teacher.waitForURL(/\/classes\/\d+\/assignments\/\d+$/);
  const assignmentUrl = teacher.url();
  await check(teacher, "assignment");
  assert.match(await teacher.locator("dl.facts").innerText(), /Questions\s+2:/);
  assert.match(await teacher.locator("main").innerText(), /No student in the class yet/);

  // The student, in a context of their own: register, join with the code, study.
  const student = await (await newContext(browser, server)).newPage();
  await register(student, server, "binh", "learner");
  await check(student, "student-dashboard");
  await student.click('header a[href="/classes"]');
  await check(student, "student-classes");
  // Typed as a student might: lower case, no dash.
  await student.fill("#code", code.toLowerCase().replace("-", " "));
  await student.click("button:has-text('Join')");
  await student.waitForURL(/\/classes\/\d+$/);
  await check(student, "student-class");
  const listed = await student.locator("ul.assignments").innerText();
  assert.match(listed, new RegExp(TITLE));
  assert.match(listed, /0 of 2 cards done/);

  const answers = await answerKey(student, DECK);
  await student.click(`a:has-text('Study “${TITLE}”')`);
  await student.locator("section.study").waitFor();
  const missed = [];
  let answered = 0;
  while (await student.locator("section.study").count()) {
    assert.ok(answered < 6, "two cards take at most a handful of answers");
    const card = await readCard(student);
    await check(student, `study-${answered + 1}`);
    const miss = answered === 0; // the first answer is wrong on purpose
    const given = await answerCard(student, card, answers.get(card.id), { miss });
    if (miss) missed.push({ ...card, given });
    answered += 1;
    await check(student, `result-${answered}`);
    await student.keyboard.press("Enter");
    await student.locator("section.study, section.done").first().waitFor();
  }
  assert.equal(answered, 3, "one miss, then both cards right");
  assert.match(await student.locator("section.done").innerText(), new RegExp(`You have finished “${TITLE}”`));
  await check(student, "study-done");

  // The teacher's class page: the student has joined and finished.
  await teacher.goto(classUrl);
  await check(teacher, "class-with-student");
  const row = await teacher.locator("table.roster tbody tr", { hasText: "binh" }).innerText();
  assert.match(row, /2\/2/, "both cards of the assignment done");
  assert.match(row, /66% of 3/, "two of three answers right");
  const assignmentRow = await teacher.locator("table.data tbody tr", { hasText: TITLE }).first().innerText();
  assert.match(assignmentRow, /1 of 1/, "one of one student finished");

  // The student's page and the assignment's page.
  await teacher.click("table.roster a:has-text('binh')");
  await teacher.waitForURL(/\/students\/\d+$/);
  await check(teacher, "student");
  assert.match(await teacher.locator("main").innerText(), new RegExp(`${TITLE}[\\s\\S]*2 of 2`));
  await teacher.goto(assignmentUrl);
  await check(teacher, "assignment-with-results");
  const progress = await teacher.locator("section[aria-labelledby=progress-h]").innerText();
  assert.match(progress, /binh[\s\S]*2 of 2[\s\S]*finished/);
  const mostMissed = await teacher.locator("section[aria-labelledby=missed-h]").innerText();
  assert.ok(mostMissed.includes(missed[0].prompt.split("\n")[0]), "the missed question is listed");
  assert.ok(mostMissed.includes(missed[0].given), "with the student's wrong answer");
});
