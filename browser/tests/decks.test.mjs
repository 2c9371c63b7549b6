// A teacher uploads a deck of their own with a mistake in it, sees the problem at its line,
// fixes it in the form, previews the deck (its events and a question of every kind), saves
// it and assigns it to a class. Every new page is checked with axe at phone and laptop width.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { newContext, openBrowser } from "../lib/browser.mjs";
import { pageChecker } from "../lib/check.mjs";
import { repoRoot } from "../lib/server.mjs";

const PASSWORD = "copper-lantern-meadow-58";
const CLASS = "History 9A";
const DECK = readFileSync(join(repoRoot, "server/tests/fixtures/teacher/hundred-years.toml"), "utf8");

test("a teacher uploads a deck with a mistake, fixes it, previews and assigns it", async (t) => {
  const env = await openBrowser(t);
  if (!env) return;
  const { server, browser } = env;
  const check = pageChecker("decks");
  const page = await (await newContext(browser, server)).newPage();

  await page.goto("/register");
  await page.fill("#username", "ms-lan");
  await page.fill("#password", PASSWORD);
  await page.check("input[name=role][value=teacher]");
  await page.click("button[type=submit]");
  await page.waitForURL(`${server.url}/`);
  await page.click('header a[href="/classes"]');
  await page.fill("#name", CLASS);
  await page.click("button:has-text('Create class')");
  await page.waitForURL(/\/classes\/\d+$/);

  await page.goto("/classes");
  await page.click("a:has-text('Upload a deck of your own')");
  await page.waitForURL(/\/decks\/new$/);
  await check(page, "upload-form");

  // The mistake: the last event lost its era.
  const broken = DECK.replace(/era = "lancastrian"\ntags = \["battle"\]\n\[\[event\.source\]\]\ndocument = "notes.txt"\nquote = "Castillon/,
    'tags = ["battle"]\n[[event.source]]\ndocument = "notes.txt"\nquote = "Castillon');
  assert.notEqual(broken, DECK);
  const eventLine = broken.split("\n").lastIndexOf("[[event]]") + 1;
  await page.setInputFiles("#file", { name: "hundred-years.toml", mimeType: "application/toml", buffer: Buffer.from(broken) });
  await page.click("button:has-text('Check and preview')");
  await page.locator("#error-summary").waitFor();
  await check(page, "upload-errors");
  const summary = await page.locator("#error-summary").innerText();
  assert.match(summary, new RegExp(`hundred-years\\.toml:${eventLine}: missing field \`era\``));
  assert.match(summary, /There is a problem/);
  assert.equal(await page.locator("#text").inputValue(), broken, "the deck is kept to fix in place");

  // Fixed in the form, as sent back.
  await page.fill("#text", DECK);
  await page.click("button:has-text('Check and preview')");
  await page.locator("h1:has-text('Preview')").waitFor();
  await check(page, "upload-preview");
  const preview = await page.locator("main").innerText();
  for (const title of ["Longbows beat the French knights", "The last English field army is broken"]) {
    assert.match(preview, new RegExp(title));
  }
  for (const kind of ["Date of an event", "Place", "True or false", "Flashcard"]) {
    assert.match(preview, new RegExp(kind));
  }
  assert.match(preview, /not checked against the articles/);

  await page.click("button:has-text('Save this deck')");
  await page.waitForURL(/\/decks\/t\.[0-9a-f]{8}$/);
  await check(page, "deck");
  const deckId = page.url().split("/decks/")[1];

  await page.click(`a:has-text('Assign to ${CLASS}')`);
  await page.waitForURL(/\/assignments\/new\?deck=/);
  await check(page, "assignment-form-own-deck");
  assert.equal(await page.locator("#deck").inputValue(), deckId);
  await page.fill("#title", "The war's battles");
  await page.check("input[name=goal][value=right_once]");
  await page.click("button:has-text('Save assignment')");
  await page.waitForURL(/\/classes\/\d+\/assignments\/\d+$/);
  assert.match(await page.locator("main").innerText(), /The war's battles/);

  await page.goto("/decks");
  await check(page, "decks");
  assert.match(await page.locator("main").innerText(), /The Hundred Years' War/);
});
