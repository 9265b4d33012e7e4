// Checks pages for accessibility with axe-core in Debian's headless Chromium, as people's
// browsers show them: each URL in English in the light colour scheme, in Czech in the dark one
// (on a wide window), and in English on a narrow (phone) window. Prints one JSON object: the
// violations found on each page, by URL, of the WCAG 2.x A and AA rules and of axe's best
// practices (landmarks, heading order, one main heading…).
//
//   node axe.mjs URL...
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";

const axeSource = createRequire(import.meta.url)("axe-core").source;
const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
const views = [
  { locale: "en-GB", colorScheme: "light", viewport: { width: 1280, height: 900 } },
  { locale: "cs-CZ", colorScheme: "dark", viewport: { width: 1280, height: 900 } },
  { locale: "en-GB", colorScheme: "light", viewport: { width: 390, height: 844 } },
];

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const found = {};
try {
  for (const view of views) {
    const context = await browser.newContext(view);
    const page = await context.newPage();
    for (const url of process.argv.slice(2)) {
      const response = await page.goto(url, { waitUntil: "load" });
      await page.addScriptTag({ content: axeSource });
      const results = await page.evaluate(() =>
        // eslint-disable-next-line no-undef
        axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        }),
      );
      const where = `${url} (${view.locale}, ${view.colorScheme}, ${view.viewport.width}px, HTTP ${response.status()})`;
      for (const v of results.violations) {
        (found[where] ??= []).push({
          rule: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
        });
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(found, null, 2));
