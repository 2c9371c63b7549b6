// Studying with the keyboard alone, as a learner without a mouse would: Tab to reach links
// and buttons (each must show where the focus is), the study page's keys for the rest.
import assert from "node:assert/strict";

/** WCAG contrast ratio of two `rgb(...)` colours. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Presses Tab until the element matching `selector` has the focus, then asserts that the
 * focus is visible: an outline at least 2px wide with 3:1 contrast against the page.
 */
export async function tabTo(page, selector, { max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const ring = await page.evaluate((sel) => {
      const el = document.activeElement;
      if (!el || !el.matches(sel)) return null;
      const s = getComputedStyle(el);
      return {
        style: s.outlineStyle,
        width: parseFloat(s.outlineWidth),
        color: s.outlineColor,
        page: getComputedStyle(document.body).backgroundColor,
      };
    }, selector);
    if (!ring) continue;
    assert.notEqual(ring.style, "none", `${selector} has the focus but no visible outline`);
    assert.ok(ring.width >= 2, `${selector}: focus outline only ${ring.width}px wide`);
    const ratio = contrast(ring.color, ring.page);
    assert.ok(ratio >= 3, `${selector}: focus outline ${ring.color} has contrast ${ratio.toFixed(2)}:1 against ${ring.page}, under 3:1`);
    return;
  }
  assert.fail(`Tab never reached ${selector} in ${max} presses on ${page.url()}`);
}

/** Presses `key` and waits for the page it leads to (identified by `selector`). */
export async function pressAndWait(page, key, selector) {
  await page.keyboard.press(key);
  await page.locator(selector).first().waitFor();
}

/** The right answer of every card of `deck`, from the API (the page's session is enough). */
export async function answerKey(page, deck) {
  // The whole deck with every question: over 30 s in a debug build on a busy machine.
  const res = await page.request.get(`/api/v1/decks/${deck}/cards`, { timeout: 120_000 });
  assert.equal(res.status(), 200, `GET /api/v1/decks/${deck}/cards`);
  const { cards } = await res.json();
  return new Map(cards.map((c) => [c.id, c.question.answer]));
}

/** The card on the study page: its id, how it is asked, its prompt and its choices. */
export async function readCard(page) {
  const study = page.locator("section.study");
  const choices = await study.locator(".choices button").evaluateAll((buttons) =>
    // Each button reads "<kbd>N</kbd> choice": drop the key.
    buttons.map((b) => b.textContent.replace(/^\s*\d\s*/, "").trim()),
  );
  // A chronology: the events to place, each labelling its position picker.
  const slots = await study.locator("fieldset.chronology label").allInnerTexts();
  const heading = (await study.locator("h1.prompt").innerText()).trim();
  return {
    id: await study.locator("input[name=card_id]").inputValue(),
    presentation: await study.getAttribute("data-presentation"),
    // As the Missed page and the result page echo it: a chronology with its events.
    prompt: slots.length ? `${heading} ${slots.map((s) => s.trim()).join(" · ")}` : heading,
    choices,
    slots: slots.map((s) => s.trim()),
  };
}

/**
 * Answers the card on the study page with the keyboard: right, or wrong when `miss`. A choice
 * is picked with its number key, or with Tab and Enter when `tab`; a flashcard is turned with
 * Space and graded 3 (Good) or 1 (Again) with the number key, or with Tab and Space when
 * `tab`; a typed answer is typed. Waits for the result page
 * and returns what was answered.
 */
export async function answerCard(page, card, answer, { miss = false, tab = false } = {}) {
  assert.ok(answer !== undefined, `no answer known for ${card.id}`);
  let given;
  if (card.presentation === "multiple_choice" && card.slots.length) {
    given = await answerOrder(page, card, answer, { miss });
  } else if (card.presentation === "multiple_choice") {
    const right = card.choices.indexOf(answer);
    assert.ok(right >= 0, `${card.id}: the right answer "${answer}" is not among ${JSON.stringify(card.choices)}`);
    const pick = miss ? (right + 1) % card.choices.length : right;
    given = card.choices[pick];
    if (tab) {
      await tabTo(page, `.choices li:nth-child(${pick + 1}) button`);
      await page.keyboard.press("Enter");
    } else {
      await page.keyboard.press(String(pick + 1));
    }
  } else if (card.presentation === "flashcard") {
    await page.keyboard.press(" ");
    await page.locator("details.flashcard[open]").waitFor();
    given = miss ? "Again (self-graded)" : "Good (self-graded)";
    const grade = miss ? "1" : "3";
    if (tab) {
      await tabTo(page, `.grades button[data-key="${grade}"]`);
      await page.keyboard.press(" "); // Space presses a focused button
    } else {
      await page.keyboard.press(grade);
    }
  } else {
    // Typed: the answer field has the focus when the page opens.
    given = miss ? "not the answer" : answer;
    await page.keyboard.type(given);
    await page.keyboard.press("Enter");
  }
  await page.locator("h1.verdict").waitFor();
  const verdict = (await page.locator("h1.verdict").innerText()).trim();
  // A flashcard graded Again says "Again", the learner's own word; a wrong answer "Not quite".
  const wrong = card.presentation === "flashcard" ? /Again/ : /Not quite/;
  assert.match(verdict, miss ? wrong : /Right/, `${card.id}: answered ${miss ? "wrong" : "right"} with "${given}"`);
  return given;
}

/**
 * Answers a chronology by keyboard alone: Tab to each event's position picker, Arrow Down to
 * the position (the right one, from `answer`, the API's "1. Title (date); 2. ..."; two
 * swapped when `miss`), then Tab to "Check the order" and Enter. Returns the order given, as
 * the result page writes it.
 */
export async function answerOrder(page, card, answer, { miss = false } = {}) {
  const at = card.slots.map((title) => {
    const i = answer.indexOf(title);
    assert.ok(i >= 0, `${card.id}: "${title}" is not in the right order "${answer}"`);
    return i;
  });
  const sorted = [...at].sort((a, b) => a - b);
  const positions = at.map((i) => sorted.indexOf(i) + 1);
  if (miss) [positions[0], positions[1]] = [positions[1], positions[0]];
  for (let i = 0; i < card.slots.length; i++) {
    await tabTo(page, `#order-${i}`);
    for (let p = 0; p < positions[i]; p++) await page.keyboard.press("ArrowDown");
    assert.equal(await page.locator(`#order-${i}`).inputValue(), String(positions[i]), `${card.id}: position of event ${i + 1}`);
  }
  await tabTo(page, "form.answer-form button[type=submit]");
  await page.keyboard.press("Enter");
  return card.slots
    .map((t, i) => [positions[i], t])
    .sort((a, b) => a[0] - b[0])
    .map(([, t]) => t)
    .join(" → ");
}
