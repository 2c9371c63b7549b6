// A learner studies offline in a real browser (headless Chromium), on a 390 x 844 phone: the
// study pack downloads, the network goes away, they answer cards (the question, then the
// verdict, in view; the count of cards left going down by one an answer; the result with the
// event's summary and the sources, as online), the dashboard and the Missed page open an
// offline view, they close the tab and open the page again (served by the service worker),
// answer more, the network comes back, the page syncs and says how many answers it saved, and
// the server has every answer, each once. Answers the server already had (a sync whose reply
// was lost) are reported as saved earlier.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newContext, openBrowser } from "../lib/browser.mjs";
import { pageChecker } from "../lib/check.mjs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../lib/server.mjs";

const PASSWORD = "quiet-river-lantern-42";
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

async function assertInView(page, selectors, when) {
  for (const sel of selectors.flatMap((sel) => (sel === QUESTION ? questionParts : [sel]))) {
    const p = await placement(page, sel);
    assert.ok(p.inView, `${sel} in view ${when}: top ${p.top}, bottom ${p.bottom} of ${p.height}`);
  }
}

// The question on screen: its prompt and the first thing to answer it with (a choice, a
// position picker, "Show answer"), which is what a learner must see without scrolling.
const QUESTION = "question";
const questionParts = ["#prompt", "#card :is(#choices button, #order select, #flashcard:not([hidden]) summary)"];

/** The deck as the API downloads it: each card's events, by card id, with their summaries. */
async function deckEvents(page) {
  // The whole deck with every question: slow in a debug build on a busy machine.
  const res = await page.request.get(`/api/v1/decks/${DECK}/cards`, { timeout: 120_000 });
  assert.equal(res.status(), 200);
  const { cards, events } = await res.json();
  const byId = new Map(events.map((e) => [e.id, e]));
  return new Map(cards.map((c) => [c.id, c.event_ids.map((id) => byId.get(id)).filter(Boolean)]));
}

/**
 * Answers the card on screen (the first choice, or `grade` on a flashcard: Good), with the mouse or
 * with the keyboard as the study page's shortcuts allow; `onResult` runs while the result is
 * shown. With `events` (from `deckEvents`), checks the result as the online one shows it: the
 * verdict, the right answer and "Next" in view with the focus on "Next", the count of cards
 * left one down, each event of the card with its summary, and the sources. Returns the
 * card's id.
 */
async function answerOne(page, { keys = false, onResult = null, events = null, grade = 3 } = {}) {
  const card = page.locator("#card:not([hidden])");
  await card.waitFor();
  const id = await card.getAttribute("data-card");
  const left = Number(await page.locator("#offline").getAttribute("data-left"));
  assert.match(await page.locator("#left").innerText(), new RegExp(`^${left} cards? left`));
  await assertInView(page, [QUESTION], "when the card opens");
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
    await page.keyboard.press(flashcard ? String(grade) : "1");
  } else if (flashcard) {
    await page.locator("#flashcard summary").click();
    await page.locator(`#flashcard button[data-grade="${grade}"]`).click();
  } else {
    await page.locator("#choices button").first().click();
  }
  await page.locator("#result:not([hidden])").waitFor();
  if (flashcard && grade === 1) {
    // The learner's own grade, not a verdict on them.
    const verdict = await page.locator("#verdict").innerText();
    assert.match(verdict, /Again/);
    assert.doesNotMatch(verdict, /Not quite/);
    flashcardsAgain += 1;
  }
  // One answer, one card fewer to go, right or wrong (a missed card comes back after).
  assert.equal(Number(await page.locator("#offline").getAttribute("data-left")), left - 1, `cards left after ${id}`);
  assert.match(await page.locator("#left").innerText(), new RegExp(`^${left - 1} cards? left`));
  if (events) {
    await assertInView(page, ["#verdict", "#right-answer", "#offline-next"], `when the result of ${id} opens`);
    assert.equal(await page.evaluate(() => document.activeElement.id), "offline-next");
    const notes = await page.locator("#event-notes").innerText();
    const expected = events.get(id);
    assert.ok(expected.length > 0 || id.includes("/speaker"), `${id} is about an event`);
    for (const e of expected) {
      assert.ok(notes.includes(e.title), `${id}: the event ${e.title} beside the answer`);
      assert.ok(notes.includes(e.summary), `${id}: its summary beside the answer`);
    }
    await assertCitedByTitle(page, "#source-list blockquote footer");
  }
  if (onResult) await onResult(page);
  if (keys) await page.keyboard.press("Enter");
  else await page.locator("#offline-next").click();
  await page.locator("#result").waitFor({ state: "hidden" });
  if (events) await assertInView(page, [QUESTION], `after ${id}, on the next card`);
  return id;
}

/** This learner's answers waiting in the page's IndexedDB, as the page would send them. */
async function waiting(page, username) {
  return page.evaluate((user) => new Promise((resolve, reject) => {
    const open = indexedDB.open("chronicle-offline", 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const r = open.result.transaction(["pending"]).objectStore("pending").index("user").getAll(user);
      r.onsuccess = () => resolve(r.result.map(({ user: _, ...review }) => review));
      r.onerror = () => reject(r.error);
    };
  }), username);
}

async function newestSync(page) {
  return page.locator("#synced .sync-entry").first().innerText();
}

let flashcardsAgain = 0;

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
  // The offline page's states in both themes: light, then with the system set to dark.
  const checkBoth = async (p, name) => {
    await check(p, name);
    await p.emulateMedia({ colorScheme: "dark" });
    await check(p, `${name}-dark`);
    await p.emulateMedia({ colorScheme: "light" });
  };
  await page.setViewportSize({ width: 390, height: 844 });

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
  const events = await deckEvents(page);
  // A device token of the test's own, to look at the server's side.
  const issued = await fetch(`${server.url}/api/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "ann", password: PASSWORD, device_name: "checker" }),
  });
  assert.equal(issued.status, 201);
  const { token } = await issued.json();
  const apiSync = async (reviews) => {
    const r = await fetch(`${server.url}/api/v1/sync`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ device_id: "checker", reviews }),
    });
    assert.equal(r.status, 200);
    return r.json();
  };

  // Offline for the page (the browser's own offline mode) and for real: the server goes down
  // too, since Playwright's emulation misses a service worker that Chromium restarted.
  const goOffline = async () => {
    await context.setOffline(true);
    await server.down();
  };
  const goOnline = async () => {
    await server.up();
    await context.setOffline(false);
  };

  await goOffline();
  const answered = [];
  await page.locator("#connection", { hasText: "Offline" }).waitFor();
  await checkBoth(page, "offline-card");
  answered.push(await answerOne(page, { events, onResult: (p) => checkBoth(p, "offline-result") }));
  for (let i = 1; i < 3; i++) answered.push(await answerOne(page, { keys: i === 1, events }));
  assert.equal(await pending(page), 3);

  // The dashboard and the Missed page, offline: the offline view names the page that needs
  // the network and offers the saved cards right below, instead of the browser's "No
  // internet" page.
  for (const [path, name] of [["/", "The dashboard"], ["/missed", "The Missed page"]]) {
    await page.goto(path);
    await page.locator(`#offline[data-elsewhere="${path}"]`).waitFor();
    assert.match(await page.locator("#elsewhere").innerText(), new RegExp(`^You are offline. ${name} needs the network`));
    await page.locator('#offline[data-pending="3"]').waitFor();
    await assertInView(page, ["#elsewhere", QUESTION], `on the offline view of ${path}`);
    await checkBoth(page, `offline-${path === "/" ? "dashboard" : "missed"}`);
  }

  // Close the tab while offline; a new one opens the page from the service worker's cache.
  await page.close();
  page = await context.newPage();
  await page.goto(`/study/offline?deck=${DECK}`);
  await page.locator("#connection", { hasText: "Offline" }).waitFor();
  await page.locator('#offline[data-pending="3"]').waitFor();
  await assertInView(page, [QUESTION], "when the page reopens offline");
  await check(page, "reopened-offline");
  answered.push(await answerOne(page, { events }));
  assert.equal(await pending(page), 4);

  await goOnline();
  // Coming back online syncs by itself (on the "online" event, or by trying again every few
  // seconds while answers wait); "Sync now" is there when it does not.
  await page.locator('#offline[data-pending="0"]').waitFor({ timeout: 40_000 });
  await page.locator("#synced .sync-entry").first().waitFor();
  assert.match(await newestSync(page), /: 4 answers saved\.$/);
  await checkBoth(page, "synced");

  // The server's view: every answer, each once.
  const serverView = async () => {
    const { changed } = await apiSync([]);
    const onServer = new Set(changed.map((s) => s.card_id));
    for (const id of answered) assert.ok(onServer.has(id), `${id} reached the server`);
    return changed.reduce((sum, s) => sum + s.reps, 0);
  };
  assert.equal(await serverView(), answered.length, "every answer counted once");

  // Two more answers offline reach the server by another way first (as when a sync's reply is
  // lost on the way back); the page's own sync then finds them there and says so.
  await goOffline();
  await page.locator("#connection", { hasText: "Offline" }).waitFor();
  for (let i = 0; i < 2; i++) answered.push(await answerOne(page, { events }));
  const early = await waiting(page, "ann");
  assert.equal(early.length, 2);
  await server.up();
  const first = await apiSync(early);
  assert.equal(first.accepted, 2);
  await context.setOffline(false);
  await page.locator('#offline[data-pending="0"]').waitFor({ timeout: 40_000 });
  await page.locator("#synced .sync-entry", { hasText: "already saved earlier" }).first().waitFor();
  assert.match(await newestSync(page), /: 2 answers already saved earlier\.$/);
  assert.doesNotMatch(await page.locator("#synced").innerText(), /accepted|already there/);
  assert.equal(await serverView(), answered.length, "still every answer once");

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
    // Flashcards on the way are graded Again, which the result must not call "Not quite".
    await answerOne(page, { grade: 1 });
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
  await page.locator("#offline-next").click();

  // A flashcard graded Again says "Again", not "Not quite". New cards rarely come as
  // flashcards, so the next card of the stored pack is made one; an answer waits offline
  // first, so that opening the page again keeps this pack instead of downloading a new one.
  await context.setOffline(true);
  await answerOne(page);
  await page.evaluate((key) => new Promise((resolve, reject) => {
    const open = indexedDB.open("chronicle-offline", 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const t = open.result.transaction(["meta"], "readwrite");
      const store = t.objectStore("meta");
      const r = store.get(key);
      r.onsuccess = () => {
        const pack = r.result.value;
        pack.cards.find((c) => c.card_id === pack.queue[0]).presentation = "flashcard";
        store.put(r.result);
      };
      t.oncomplete = () => resolve();
      t.onerror = () => reject(t.error);
    };
  }), `pack:binh:${DECK}`);
  await page.reload();
  await page.locator("#flashcard:not([hidden])").waitFor();
  flashcardsAgain = 0;
  await answerOne(page, { grade: 1 });
  assert.equal(flashcardsAgain, 1, "the flashcard was graded Again and said so");
  await context.setOffline(false);
});
