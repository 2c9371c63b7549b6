// The check every page of a journey goes through: screenshots at a phone's and a laptop's
// width (the page must not scroll sideways at either), then axe-core, failing on any serious
// or critical violation with the rule, its help and the offending elements, so a failure
// explains itself.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { repoRoot } from "./server.mjs";

const require = createRequire(import.meta.url);
export const SCREENSHOT_ROOT = join(repoRoot, "target", "browser-screenshots");
const WIDTHS = [390, 1280];
const BLOCKING = new Set(["serious", "critical"]);

let axeSource = null;

/** One line per offending element: its CSS path and the first line of what to fix. */
function describe(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      ${n.target.join(" ")}  (${(n.failureSummary || "").split("\n").slice(1, 2).join("").trim()})`)
        .join("\n");
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join("\n");
}

/** In the page: null, or how wide the page is and the innermost elements that stick out. */
function sticksOut() {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const width = root.clientWidth;
  // Inside a scrolling box an element is clipped, unless it is positioned absolutely.
  const clipped = (el) => {
    if (getComputedStyle(el).position === "absolute") return false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible" && up.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const out = [...document.body.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el));
  const leaves = out.filter((el) => !out.some((other) => other !== el && el.contains(other)));
  const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") + [...el.classList].map((c) => `.${c}`).join("");
  return `${root.scrollWidth}px wide; sticking out: ${leaves.slice(0, 5).map(name).join(", ")}`;
}

/** Runs axe-core in the page; fails on any serious or critical violation. */
async function runAxe(page, where) {
  // page.evaluate rather than a <script> tag: the pages' Content-Security-Policy refuses
  // inline scripts, and the test should see the page as users get it.
  axeSource ??= readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) {
    await page.evaluate(axeSource);
  }
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  assert.equal(
    blocking.length,
    0,
    `axe: ${blocking.length} serious or critical violation(s) on ${where} (${page.url()}):\n${describe(blocking)}`,
  );
}

/**
 * Returns `check(page, name)` for one journey: each call writes
 * target/browser-screenshots/<journey>/<nn>-<name>-390.png and -1280.png (full page),
 * asserts at each width that the page does not scroll sideways and that axe finds nothing
 * serious or critical.
 * Old screenshots of the journey go first.
 */
export function pageChecker(journey) {
  const dir = join(SCREENSHOT_ROOT, journey);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let count = 0;
  const check = async (page, name) => {
    count += 1;
    const stem = join(dir, `${String(count).padStart(2, "0")}-${name}`);
    const viewport = page.viewportSize();
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: viewport.height });
      await page.screenshot({ path: `${stem}-${width}.png`, fullPage: true });
      // Reflow (WCAG 1.4.10): at a phone's width the page must not scroll sideways; a wide
      // table may scroll inside its own box.
      const overflow = await page.evaluate(sticksOut);
      assert.equal(overflow, null, `${journey}/${name} scrolls sideways at ${width}px: ${overflow}`);
      // axe at both widths: the phone layout has its own colours, sizes and hidden parts.
      await runAxe(page, `${journey}/${name} at ${width}px`);
    }
    await page.setViewportSize(viewport);
  };
  return check;
}
