// Content at first paint: every element shows the server's view of its content before any wasm
// has arrived (the test holds the modules back), and what the visitor does meanwhile — typing in
// the search box, pressing play — is not lost when the wasm takes over.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPage, startServer } from "./support.mjs";

let server;
let browser;

before(async () => {
  server = await startServer({ seedFixtures: false });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The demo page with every wasm module held back until `release()`. */
async function openHeld() {
  const session = await newPage(browser);
  const held = [];
  let released = false;
  await session.page.route(/\/widget\/bao_\w+\.[0-9a-f]+\.(js|wasm)$/, (route) =>
    released ? route.continue() : held.push(route),
  );
  await session.page.goto(`${server.url}demo/`);
  const release = async () => {
    released = true;
    for (const route of held.splice(0)) await route.continue();
  };
  return { ...session, held, release };
}

test("every element paints its content while the wasm is held back", async () => {
  const { page, problems, close, held, release } = await openHeld();
  const card = page.locator('bao-card[resource="exemples-cercle-de-parole"]');
  await card.locator("h2.title", { hasText: "Le cercle de parole" }).waitFor();
  await page.locator("bao-search input[role=combobox]").waitFor();
  await page.locator("bao-testimonials .slide h2").waitFor();
  // The carousel asked for its module as soon as the page was idle; it is still held.
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 50 && held.length === 0; i++) await page.waitForTimeout(50);
    assert.ok(held.length > 0, "the carousel's module was asked for");
  });
  assert.equal(await page.locator("bao-testimonials[data-bao-live]").count(), 0, "not live yet");
  // A card needs nothing more: its disclosure is native.
  await card.locator("summary.read").click();
  assert.equal(await card.locator("details.more").evaluate((details) => details.open), true);
  // Styled by its stylesheet, not by the page.
  const radius = await card.evaluate((element) => getComputedStyle(element.shadowRoot.querySelector(".card")).borderTopLeftRadius);
  assert.equal(radius, "12px");
  await release();
  await page.locator("bao-testimonials[data-bao-live]").waitFor({ state: "attached" });
  assert.equal(await page.locator("bao-testimonials .slide").count(), 1, "one view: the wasm's replaced the server's");
  assert.deepEqual(problems, []);
  await close();
});

test("what the visitor types before the search's wasm arrives is searched once it does", async () => {
  const { page, problems, close, release } = await openHeld();
  const input = page.locator("bao-search input[role=combobox]");
  await input.click();
  await input.pressSequentially("vélo");
  await page.waitForTimeout(200);
  assert.equal(await page.locator("bao-search [role=option]").count(), 0, "no results without the wasm");
  await release();
  await page.locator("bao-search [role=option]").first().waitFor();
  assert.equal(await input.inputValue(), "vélo");
  const focused = await page.evaluate(() => document.querySelector("bao-search").shadowRoot.activeElement?.id);
  assert.equal(focused, "bao-q", "the focus stayed in the box");
  assert.deepEqual(problems, []);
  await close();
});

test("play pressed before the carousel's wasm arrives starts the video once it does", async () => {
  const { page, problems, close, release } = await openHeld();
  await page.locator("bao-testimonials button.play").click();
  await page.waitForTimeout(200);
  assert.equal(await page.locator("bao-testimonials .player").count(), 0);
  await release();
  await page.locator("bao-testimonials video.player").waitFor({ state: "attached" });
  assert.deepEqual(problems, []);
  await close();
});
