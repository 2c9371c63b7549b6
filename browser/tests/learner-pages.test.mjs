// The learner's own pages: the verdict in view after an answer on a phone and a laptop,
// choosing an era from the dashboard, browse and search, statistics and the timeline (by
// keyboard). Every page is checked with axe and photographed at both widths, in the light
// theme and again with the system set to dark.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newContext, openBrowser } from "../lib/browser.mjs";
import { pageChecker } from "../lib/check.mjs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../lib/server.mjs";
import { answerCard, answerKey, readCard, tabTo } from "../lib/keyboard.mjs";

const PASSWORD = "amber-harbour-violin-17";
const DECK = "vietnam-cambodia";

/** The deck's article titles, read from its TOML file: what every source must be cited by. */
const ARTICLES = [...readFileSync(join(repoRoot, "questions", `${DECK}.toml`), "utf8")
  .matchAll(/^\[\[document\]\]\s*\nid = "[^"]*"\s*\ntitle = "([^"]*)"/gm)].map((m) => m[1]);

/** Each source under `selector` is cited by one of the deck's article titles. */
async function assertCitedByTitle(page, selector) {
  const citations = await page.locator(selector).allInnerTexts();
  assert.ok(citations.length > 0, `sources under ${selector}`);
  for (const c of citations) {
    assert.ok(ARTICLES.some((title) => c.startsWith(title)), `"${c}" names its article by title`);
  }
}

/** Where an element sits in the viewport, and whether it is wholly inside it. */
async function placement(page, selector) {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, inView: r.top >= 0 && r.bottom <= window.innerHeight, height: window.innerHeight };
  }, selector);
}

test("a learner sees the verdict, chooses an era, browses, and reads their statistics and timeline", async (t) => {
  const env = await openBrowser(t);
  if (!env) return;
  const check = pageChecker("learner-pages");
  const context = await newContext(env.browser, env.server);
  const page = await context.newPage();
  // Both themes for each page: light, then with the system set to dark.
  const checkBoth = async (name) => {
    await check(page, name);
    await page.emulateMedia({ colorScheme: "dark" });
    await check(page, `${name}-dark`);
    await page.emulateMedia({ colorScheme: "light" });
  };

  await page.goto("/register");
  await page.fill("#username", "mai");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${env.server.url}/`);
  assert.match(await page.locator("h1").innerText(), /Welcome to Chronicle, mai/);
  await checkBoth("dashboard-new");
  const answers = await answerKey(page, DECK);

  // The verdict and the right answer are in view when the result opens, at a phone's and a
  // laptop's size, and the focus is on "Next question" so Enter goes on.
  for (const [width, height] of [[390, 844], [1280, 800]]) {
    await page.setViewportSize({ width, height });
    await page.goto(`/study?deck=${DECK}`);
    const card = await readCard(page);
    await answerCard(page, card, answers.get(card.id), { miss: true });
    for (const sel of ["#verdict", "#right-answer", "#next"]) {
      const p = await placement(page, sel);
      assert.ok(p.inView, `${sel} in view at ${width}x${height}: top ${p.top}, bottom ${p.bottom} of ${p.height}`);
    }
    assert.equal(await page.evaluate(() => document.activeElement.id), "next");
    assert.equal(await page.evaluate(() => window.scrollY), 0, `the result opens at the top at ${width}px`);
    // A chronology's right answer is shown as an ordered list of its events with dates.
    const expected = card.id.endsWith("/chronology")
      ? answers.get(card.id).split("; ").map((e) => e.replace(/^\d+\. /, "")).join("\n")
      : answers.get(card.id);
    assert.equal((await page.locator("#right-answer").innerText()).trim(), expected);
    // Read out as the focus lands: the link's description is the verdict and the answer.
    const described = await page.locator("#next").getAttribute("aria-describedby");
    assert.deepEqual(described.split(" "), ["verdict", "right-answer-said"]);
    assert.equal(await page.locator("#verdict-box").getAttribute("role"), "status");
    await assertCitedByTitle(page, ".sources blockquote footer");
  }
  assert.equal(ARTICLES.length, 5, "the five articles of the deck");
  await page.setViewportSize({ width: 1280, height: 800 });
  await checkBoth("result");

  // Choosing an era and a kind from the dashboard.
  await page.goto("/");
  assert.match(await page.locator("h1").innerText(), /Welcome back, mai/);
  await page.locator("details.focus-picker summary").first().click();
  const era = await page.locator(`#era-${DECK} option`).nth(2);
  const eraId = await era.getAttribute("value");
  const eraTitle = (await era.innerText()).replace(/ \(.*\)$/, "");
  await page.selectOption(`#era-${DECK}`, eraId);
  await page.check(`details.focus-picker input[name=kind][value=date]`);
  await checkBoth("dashboard-choice");
  await page.click("details.focus-picker button[type=submit]");
  await page.locator("section.study").waitFor();
  assert.match(page.url(), new RegExp(`era=${eraId}`));
  assert.match(await page.locator(".focus-label").innerText(), new RegExp(`Studying era “${eraTitle}” · date`));
  const card = await readCard(page);
  assert.match(card.id, /\/date$/, "only date cards");
  await answerCard(page, card, answers.get(card.id));
  assert.match(await page.locator("#next").getAttribute("href"), new RegExp(`era=${eraId}&kind=date`));

  // Browse and search: every result shows the word searched for.
  await page.goto("/browse");
  await checkBoth("browse");
  await page.fill("#q", "Phnom Penh");
  await page.click("form.search button[type=submit]");
  await page.waitForURL(/q=Phnom/);
  const results = await page.locator("ol.browse > li").allInnerTexts();
  assert.ok(results.length > 0, "events in Phnom Penh");
  for (const r of results) assert.match(r, /phnom/i);
  assert.match(await page.locator("#result-count").innerText(), new RegExp(`^${results.length} of \\d+ events matching “Phnom Penh”`));
  await page.selectOption("#era", eraId);
  await page.click("form.search button[type=submit]");
  await page.waitForURL(new RegExp(`era=${eraId}`));
  for (const r of await page.locator("ol.browse > li").allInnerTexts()) assert.ok(r.includes(eraTitle), `result in ${eraTitle}`);
  await check(page, "browse-search");

  // Statistics: the three cards answered today show; five charts, each with its table.
  await page.goto("/stats");
  assert.equal(await page.locator("#today dd").first().innerText(), "3");
  assert.equal(await page.locator("svg.chart").count(), 5);
  await checkBoth("stats");

  // The timeline, by keyboard: Tab to an event, Enter opens it with its sources.
  await page.goto("/timeline");
  await checkBoth("timeline");
  await tabTo(page, "a.event-link", { max: 30 });
  const href = await page.evaluate(() => document.activeElement.getAttribute("href"));
  await page.keyboard.press("Enter");
  await page.waitForURL(/event=/);
  assert.ok(href.includes(new URL(page.url()).search));
  await page.locator("#event-detail").waitFor();
  assert.ok((await page.locator("#event-detail blockquote").count()) > 0, "the event's sources");
  assert.ok(await page.locator("#event-detail a", { hasText: "Study this event" }).isVisible());
  await checkBoth("timeline-event");

  // The favicon is there.
  const icon = await page.request.get("/favicon.ico");
  assert.equal(icon.status(), 200);
  assert.equal(icon.headers()["content-type"], "image/x-icon");
});
