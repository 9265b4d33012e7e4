// A reader in headless Chromium (the browser asking for English) opens a page, clicks a
// language in the page's header, then follows a link on the page. Prints, a line per page
// seen, its `<html lang>` and its main heading.
//
//   node switch_language.mjs URL LANGUAGE-NAME LINK-SELECTOR
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";

const [url, language, link] = process.argv.slice(2);
const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
try {
  const page = await (await browser.newContext({ locale: "en-GB" })).newPage();
  const seen = async () => {
    const lang = await page.getAttribute("html", "lang");
    console.log(`${lang} ${(await page.textContent("h1")).trim()}`);
  };
  await page.goto(url);
  await seen();
  await Promise.all([page.waitForURL(/lang=/), page.click(`header nav >> text=${language}`)]);
  await seen();
  await Promise.all([page.waitForNavigation(), page.click(`main ${link}`)]);
  await seen();
} finally {
  await browser.close();
}
