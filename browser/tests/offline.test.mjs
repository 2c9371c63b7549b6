// A learner studies offline in a real browser (headless Chromium): the study pack downloads,
// the network goes away, they answer cards, close the tab and open the page again (served by
// the service worker), answer more, the network comes back, the page syncs, and the server
// has every answer, each once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newContext, openBrowser } from "../lib/browser.mjs";
import { pageChecker } from "../lib/check.mjs";

const PASSWORD = "quiet-river-lantern-42";
const DECK = "vietnam-cambodia";

/**
 * Answers the card on screen (the first choice, or "Good" on a flashcard), with the mouse or
 * with the keyboard as the study page's shortcuts allow; `onResult` runs while the result is
 * shown. Returns the card's id.
 */
async function answerOne(page, { keys = false, onResult = null } = {}) {
  const card = page.locator("#card:not([hidden])");
  await card.waitFor();
  const id = await card.getAttribute("data-card");
  const flashcard = !(await page.locator("#flashcard").isHidden());
  const order = !(await page.locator("#order").isHidden());
  if (order) {
    // A chronology: positions 1, 2, 3, 4 in the order shown (right or not), by keyboard
    // (Tab to each picker, Arrow Down) or with the mouse (select and click).
    const pickers = page.locator("#order select");
    const n = await pickers.count();
    for (let i = 0; i < n; i++) {
      if (keys) {
        await pickers.nth(i).focus();
        for (let p = 0; p <= i; p++) await page.keyboard.press("ArrowDown");
      } else {
        await pickers.nth(i).selectOption(String(i + 1));
      }
    }
    if (keys) {
      await page.locator("#order button[type=submit]").focus();
      await page.keyboard.press("Enter");
    } else {
      await page.locator("#order button[type=submit]").click();
    }
  } else if (keys) {
    if (flashcard) await page.keyboard.press(" ");
    await page.keyboard.press(flashcard ? "3" : "1");
  } else if (flashcard) {
    await page.locator("#flashcard summary").click();
    await page.locator('#flashcard button[data-grade="3"]').click();
  } else {
    await page.locator("#choices button").first().click();
  }
  await page.locator("#result:not([hidden])").waitFor();
  if (onResult) await onResult(page);
  if (keys) await page.keyboard.press("Enter");
  else await page.locator("#offline-next").click();
  await page.locator("#result").waitFor({ state: "hidden" });
  return id;
}

async function pending(page) {
  return Number(await page.locator("#offline").getAttribute("data-pending"));
}

test("answers given offline reach the server once the network returns", async (t) => {
  const env = await openBrowser(t);
  if (!env) return;
  const { server } = env;
  const check = pageChecker("offline");
  const context = await newContext(env.browser, server);
  let page = await context.newPage();

  await page.goto("/register");
  await check(page, "register");
  await page.fill("#username", "ann");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${server.url}/`);
  await check(page, "dashboard");
  await page.click(`a[href="/study/offline?deck=${DECK}"]`);
  await page.waitForURL(/\/study\/offline/);
  await page.locator("#pack-status", { hasText: "cards ready" }).waitFor();
  await page.locator('#offline[data-sw="ready"]').waitFor();
  // The page is controlled once the worker has claimed it: from then on it opens offline.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await check(page, "pack-ready");

  await context.setOffline(true);
  const answered = [];
  await page.locator("#connection", { hasText: "Offline" }).waitFor();
  await check(page, "offline-card");
  answered.push(await answerOne(page, { onResult: (p) => check(p, "offline-result") }));
  for (let i = 1; i < 3; i++) answered.push(await answerOne(page, { keys: i === 1 }));
  assert.equal(await pending(page), 3);

  // The dashboard, offline: the offline view says it needs the network and offers the saved
  // cards, instead of the browser's "No internet" page. (The Missed page takes the same path
  // in sw.js; a second offline navigation is not checked here because Playwright's offline
  // emulation can miss a service worker that Chromium restarted, which then goes online.)
  await page.goto("/");
  await page.locator("#elsewhere", { hasText: "that page needs the network" }).waitFor();
  await page.locator('#offline[data-pending="3"]').waitFor();
  await check(page, "offline-dashboard");

  // Close the tab while offline; a new one opens the page from the service worker's cache.
  await page.close();
  page = await context.newPage();
  await page.goto(`/study/offline?deck=${DECK}`);
  await page.locator("#connection", { hasText: "Offline" }).waitFor();
  await page.locator('#offline[data-pending="3"]').waitFor();
  await check(page, "reopened-offline");
  answered.push(await answerOne(page));
  assert.equal(await pending(page), 4);

  await context.setOffline(false);
  // Coming back online syncs by itself; "Sync now" is there when it does not.
  await page.locator('#offline[data-pending="0"]').waitFor({ timeout: 15_000 });
  await page.locator("#synced .sync-entry").first().waitFor();
  const log = await page.locator("#synced").innerText();
  assert.match(log, /accepted/);
  await check(page, "synced");

  // The server's view, through the API with a device token of its own.
  const issued = await fetch(`${server.url}/api/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "ann", password: PASSWORD, device_name: "checker" }),
  });
  assert.equal(issued.status, 201);
  const { token } = await issued.json();
  const synced = await fetch(`${server.url}/api/v1/sync`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ device_id: "checker", reviews: [] }),
  });
  assert.equal(synced.status, 200);
  const { changed } = await synced.json();
  const reps = changed.reduce((sum, s) => sum + s.reps, 0);
  assert.equal(reps, answered.length, "every answer counted once");
  const onServer = new Set(changed.map((s) => s.card_id));
  for (const id of answered) assert.ok(onServer.has(id), `${id} reached the server`);

  // "Sync now" with nothing waiting sends nothing and says so.
  await page.click("#sync");
  await page.locator("#connection", { hasText: "Nothing to sync" }).waitFor();
});

test("a chronology is ordered offline by keyboard, and the right order is shown with dates", async (t) => {
  const env = await openBrowser(t);
  if (!env) return;
  const { server } = env;
  const check = pageChecker("offline-chronology");
  const context = await newContext(env.browser, server);
  const page = await context.newPage();
  await page.goto("/register");
  await page.fill("#username", "binh");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${server.url}/`);
  // A pack big enough to hold a chronology whatever this learner's order of new cards.
  await page.goto("/account");
  await page.fill("#new_per_day", "60");
  await page.click('form[action="/account/settings"] button[type=submit]');
  await page.waitForLoadState();
  await page.goto(`/study/offline?deck=${DECK}`);
  await page.locator("#pack-status", { hasText: "cards ready" }).waitFor();
  await page.locator("#card:not([hidden])").waitFor();
  for (let i = 0; await page.locator("#order").isHidden(); i++) {
    assert.ok(i < 50, "a chronology within 50 cards of the pack");
    await answerOne(page);
  }
  const pickers = page.locator("#order select");
  assert.equal(await pickers.count(), 4);
  for (let i = 0; i < 4; i++) {
    const name = await pickers.nth(i).evaluate((el) => el.labels[0]?.textContent.trim());
    assert.ok(name, `picker ${i + 1} is labelled by its event`);
  }
  await check(page, "order");
  // By keyboard: positions 1, 2, 3, 4 as shown, never the right order (it is never shown
  // already sorted), so the answer is wrong and the right order is shown.
  for (let i = 0; i < 4; i++) {
    await pickers.nth(i).focus();
    for (let p = 0; p <= i; p++) await page.keyboard.press("ArrowDown");
  }
  await page.locator("#order button[type=submit]").focus();
  await page.keyboard.press("Enter");
  await page.locator("#result:not([hidden])").waitFor();
  assert.match(await page.locator("#verdict").innerText(), /Not quite/);
  const order = await page.locator("#right-answer ol.right-order li").allInnerTexts();
  assert.equal(order.length, 4);
  for (const li of order) assert.match(li, /\(.*\d{4}.*\)$/, `the date beside "${li}"`);
  assert.match(await page.locator("#source-list").innerText(), /Cambodia|Vietnam/, "sources by article title");
  assert.doesNotMatch(await page.locator("#result").innerText(), /\.txt/, "no file names");
  await check(page, "order-result");
});
