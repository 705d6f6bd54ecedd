// In a real WordPress (Debian's 6.1, MariaDB, `php -S`; tests/e2e/wordpress.mjs), as a webmaster
// uses it: a post by an author (no unfiltered_html) holding a fiche's address alone on its line.
// WordPress discovers our oEmbed answer, keeps what it allows, and runs its own wp-embed.js: the
// frame must fit its card, and its links must open where they lead. The browser tests' imitation
// of WordPress had hidden that its listener never ran (shared/notes/field.md).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPage, startServer } from "./support.mjs";
import { startWordPress, wordPressAvailable } from "./wordpress.mjs";

const skip = wordPressAvailable() ? false : "no WordPress here: `cargo xtask test browser` unpacks it";
const FICHE = "exemples-cercle-de-parole";
let server;
let browser;
let wordpress;
let post;

before(async () => {
  if (skip) return;
  server = await startServer({ seedFixtures: false });
  browser = await launchBrowser();
  wordpress = await startWordPress();
  post = await wordpress.post("Une fiche du commun", `Voici une fiche que nous aimons :\n\n${server.url}r/${FICHE}\n\nSuite de l'article.`);
});

after(async () => {
  await browser?.close();
  await wordpress?.stop();
  await server?.stop();
});

test("an author's post: WordPress embeds the fiche, its frame fits the card, the quotation gives way", { skip }, async () => {
  const { page, close } = await newPage(browser);
  await page.goto(post);
  const frame = page.frameLocator("iframe.wp-embedded-content");
  await frame.locator("bao-card h2.title").waitFor();
  assert.equal(await page.locator("script[src*='wp-embed']").count(), 1, "WordPress loaded its listener");
  // WordPress hides the frame until it says its height, then shows it at that height.
  await page.waitForFunction(() => !document.querySelector("iframe.wp-embedded-content").getAttribute("style"));
  const [height, content] = await Promise.all([
    page.locator("iframe.wp-embedded-content").getAttribute("height"),
    frame.locator("html").evaluate((html) => Math.ceil(html.getBoundingClientRect().height)),
  ]);
  assert.ok(Math.abs(Number(height) - content) <= 2, `iframe ${height} px for ${content} px of card`);
  assert.equal(await page.locator("blockquote.wp-embedded-content").isVisible(), false);
  assert.equal(await page.locator("iframe.wp-embedded-content").getAttribute("frameborder"), "0");
  await close();
});

test("in WordPress, « Page de la fiche » clicked in the frame opens the fiche's page", { skip }, async () => {
  const { page, close } = await newPage(browser);
  await page.goto(post);
  const frame = page.frameLocator("iframe.wp-embedded-content");
  await frame.locator("bao-card h2.title").waitFor();
  await page.waitForFunction(() => !document.querySelector("iframe.wp-embedded-content").getAttribute("style"));
  await Promise.all([page.waitForURL(`${server.url}r/${FICHE}`), frame.getByRole("link", { name: /Page de la fiche/ }).click()]);
  await close();
});
