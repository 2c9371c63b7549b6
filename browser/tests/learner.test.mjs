// A learner registers, studies ten cards with the keyboard alone (the last two as flashcards),
// misses some on purpose, then finds them on the Missed page and puts them right from there,
// still by keyboard.
// Every page is checked with axe and photographed at phone and laptop width.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newContext, openBrowser } from "../lib/browser.mjs";
import { pageChecker } from "../lib/check.mjs";
import { answerCard, answerKey, answerOrder, pressAndWait, readCard, tabTo } from "../lib/keyboard.mjs";

const PASSWORD = "amber-harbour-violin-17";
const DECK = "vietnam-cambodia";
const MISS = new Set([1, 4, 8]); // which of the ten to get wrong
const TAB = new Set([2, 8]); // answered with Tab, then Enter or Space, instead of a number key
const FLASHCARDS_FROM = 8; // the last two as flashcards, switched to by keyboard

test("a learner studies ten cards by keyboard and reviews the missed ones", async (t) => {
  const env = await openBrowser(t);
  if (!env) return;
  const check = pageChecker("learner");
  const context = await newContext(env.browser, env.server);
  const page = await context.newPage();

  await page.goto("/register");
  await check(page, "register");
  await page.fill("#username", "lan");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${env.server.url}/`);
  await check(page, "dashboard");

  // No mouse from here on.
  await tabTo(page, `a.button[href="/study?deck=${DECK}"]`);
  await pressAndWait(page, "Enter", "section.study");

  const last = new Map(); // card id -> its last answer: { prompt, given, answer, missed }
  for (let i = 0; i < 10; i++) {
    if (i === FLASHCARDS_FROM) {
      await tabTo(page, "a[href$='mode=flashcard']");
      await page.keyboard.press("Enter");
      await page.waitForURL(/mode=flashcard/);
    }
    const card = await readCard(page);
    // A card that comes back is drawn afresh (a true/false may flip): ask for today's key.
    const answers = await answerKey(page, DECK);
    // Before the switch only flashcard cards (one kind among the others) are flashcards.
    assert.equal(
      card.presentation === "flashcard",
      i >= FLASHCARDS_FROM || card.id.endsWith("/flashcard"),
      `card ${i + 1} (${card.id}) is ${card.presentation}`,
    );
    await check(page, `study-${i + 1}`);
    // A missed card may come back once its one-minute step is due: it is missed again, so
    // that what the Missed page should list does not depend on the machine's speed.
    const miss = MISS.has(i) || Boolean(last.get(card.id)?.missed);
    const given = await answerCard(page, card, answers.get(card.id), { miss, tab: TAB.has(i) });
    last.set(card.id, { prompt: card.prompt, given, answer: answers.get(card.id), missed: miss });
    await check(page, `result-${i + 1}`);
    // The result page focuses "Next question"; Enter goes on.
    if (i < 9) await pressAndWait(page, "Enter", "section.study");
  }
  const missed = [...last.entries()].filter(([, a]) => a.missed);
  assert.ok(missed.length >= 2, `some cards missed: ${missed.length}`);

  // From the last result, Tab to the Missed link in the header: Enter must follow the link,
  // not the page's "Enter goes on" shortcut.
  await tabTo(page, 'header a[href="/missed"]');
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/missed$/);
  await page.locator("h1", { hasText: "Missed questions" }).waitFor();
  await check(page, "missed");
  assert.match(await page.locator("main").innerText(), new RegExp(`${missed.length} questions to put right`));
  const rows = await page.locator("ol.missed > li").allInnerTexts();
  assert.equal(rows.length, missed.length);
  for (const [id, a] of missed) {
    const row = rows.find((r) => r.includes(a.prompt.split("\n")[0]));
    assert.ok(row, `${id} ("${a.prompt}") is on the Missed page`);
    assert.ok(row.includes(a.given), `${id}: the row shows what was answered, "${a.given}"`);
    assert.ok(row.includes(a.answer), `${id}: the row shows the right answer, "${a.answer}"`);
  }

  // Review them from there; each comes back once and leaves the list when answered right.
  await tabTo(page, 'a[href="/study?mode=missed"]');
  await pressAndWait(page, "Enter", "section.study");
  const reviewed = new Set();
  for (let i = 0; i < missed.length; i++) {
    assert.match(await page.locator(".progress-label").innerText(), new RegExp(`${missed.length - i} missed left`));
    const card = await readCard(page);
    assert.ok(last.get(card.id)?.missed, `${card.id} was missed`);
    assert.ok(!reviewed.has(card.id), `${card.id} comes back only once`);
    reviewed.add(card.id);
    await check(page, `review-${i + 1}`);
    const answers = await answerKey(page, DECK);
    await answerCard(page, card, answers.get(card.id), { tab: i === 0 });
    await check(page, `review-result-${i + 1}`);
    await pressAndWait(page, "Enter", "section.study, section.done");
  }
  await page.locator("section.done h1", { hasText: "No missed questions left" }).waitFor();
  await check(page, "review-done");
  await tabTo(page, 'section.done a[href="/missed"]');
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/missed$/);
  assert.match(await page.locator("main").innerText(), /Nothing missed right now/);
  await check(page, "missed-empty");

  // The account page (settings, password, devices) is part of a learner's journey too.
  await page.goto(`${env.server.url}/account`);
  assert.equal(await page.title(), "Your account · Chronicle");
  await check(page, "account");
});

test("a chronology question is answered by keyboard alone, and the right order is shown with dates", async (t) => {
  const env = await openBrowser(t);
  if (!env) return;
  const check = pageChecker("chronology");
  const context = await newContext(env.browser, env.server);
  const page = await context.newPage();
  await page.goto("/register");
  await page.fill("#username", "minh");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${env.server.url}/`);
  // Enough new cards today to reach a chronology whatever this learner's order of new cards.
  await page.goto("/account");
  await page.fill("#new_per_day", "60");
  await page.click('form[action="/account/settings"] button[type=submit]');
  await page.waitForLoadState();
  await page.goto("/");

  // No mouse from here on: study until a chronology comes up.
  await tabTo(page, `a.button[href="/study?deck=${DECK}"]`);
  await pressAndWait(page, "Enter", "section.study");
  let card = await readCard(page);
  let answers = await answerKey(page, DECK);
  for (let i = 0; !card.slots.length; i++) {
    assert.ok(i < 50, "a chronology within 50 cards");
    await answerCard(page, card, answers.get(card.id));
    await pressAndWait(page, "Enter", "section.study");
    card = await readCard(page);
    answers = await answerKey(page, DECK); // a question is drawn afresh once answered
  }
  assert.equal(card.slots.length, 4);
  assert.equal(await page.locator(".choices button").count(), 0, "no lettered orders to pick from");
  // Every picker is labelled by its event, so a screen reader says which event it places.
  for (let i = 0; i < 4; i++) {
    const name = await page.locator(`#order-${i}`).evaluate((el) => el.labels[0]?.textContent.trim());
    assert.equal(name, card.slots[i]);
  }
  await check(page, "chronology");
  const given = await answerOrder(page, card, answers.get(card.id));
  await page.locator("h1.verdict").waitFor();
  assert.match(await page.locator("h1.verdict").innerText(), /Right/);
  const order = await page.locator("ol.right-order li").allInnerTexts();
  assert.equal(order.length, 4);
  assert.equal(order.map((li) => li.replace(/\s*\([^)]*\)\s*$/, "")).join(" → "), given, "earliest first");
  for (const li of order) assert.match(li, /\(.*\d{4}.*\)$/, `the date beside "${li}"`);
  await check(page, "chronology-result");
});
