// Embedding without our script tag, in headless Chromium: our own iframe snippet with /resize.js
// must render the element and fit its content. The oEmbed answer's frame is tested in a real
// WordPress (wordpress.test.mjs).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { hostPage, launchBrowser, newPage, startHostSite, startServer } from "./support.mjs";

let server;
let browser;
let site;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  site = await startHostSite({
    "/iframe": hostPage(
      `<main><h1>Nos témoignages</h1><iframe id="frame" src="${server.url}embed/temoignages?limit=3" title="Témoignages filmés" ` +
        `style="width:100%;border:0" height="150"></iframe><script src="${server.url}resize.js"></script></main>`,
    ),
  });
});

after(async () => {
  await site?.close();
  await browser?.close();
  await server?.stop();
});

test("our iframe snippet with /resize.js grows to the carousel it holds", async () => {
  const { page, problems, close } = await newPage(browser);
  await page.goto(new URL("/iframe", site.url).href);
  const frame = page.frameLocator("#frame");
  await frame.locator("bao-testimonials .slide h2").waitFor();
  await page.waitForFunction(() => parseInt(document.querySelector("#frame").style.height, 10) > 300);
  const [height, content] = await Promise.all([
    page.locator("#frame").evaluate((iframe) => parseInt(iframe.style.height, 10)),
    frame.locator("html").evaluate((html) => Math.ceil(html.getBoundingClientRect().height)),
  ]);
  assert.ok(Math.abs(height - content) <= 2, `iframe ${height} px for ${content} px of content`);
  assert.deepEqual(problems, []);
  await close();
});

test("a message from another window cannot resize our iframes", async () => {
  const { page, close } = await newPage(browser);
  await page.goto(new URL("/iframe", site.url).href);
  await page.frameLocator("#frame").locator("bao-testimonials .slide h2").waitFor();
  await page.waitForFunction(() => parseInt(document.querySelector("#frame").style.height, 10) > 300);
  const before = await page.locator("#frame").evaluate((iframe) => iframe.style.height);
  // The host page itself (not one of our iframes) posts a resize.
  await page.evaluate(() => window.postMessage({ type: "bao:resize", height: 5 }, "*"));
  await page.waitForTimeout(200);
  assert.equal(await page.locator("#frame").evaluate((iframe) => iframe.style.height), before);
  await close();
});
