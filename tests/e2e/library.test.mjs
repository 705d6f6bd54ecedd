// The library's own pages in headless Chromium, as a visitor meets the commons: the home page,
// a network's page, a theme's and the search results (with JavaScript off too), on a 320 px
// phone and a desktop, readable (axe-core, WCAG 2.1 A and AA) and paginated; titles in capitals read as sentences, the data keeping them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { REAL_SOURCES, audit, launchBrowser, newPage, startServer } from "./support.mjs";

let server;
let browser;

before(async () => {
  server = await startServer({ sources: REAL_SOURCES });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const width of [320, 1280]) {
  test(`at ${width} px, the home page, a network's page, a theme's and search results fit the screen and pass axe`, async () => {
    const { page, problems, close } = await newPage(browser, { viewport: { width, height: 800 }, bypassCSP: true });
    await page.goto(server.url);
    const theme = await page.locator("#themes + ul .tile-title").first().getAttribute("href").catch(() => null);
    for (const path of ["", "reseaux/exemples", "recherche?q=cercle", ...(theme ? [theme.slice(1)] : [])]) {
      await page.goto(`${server.url}${path}`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${path || "/"}: no sideways scroll`);
      assert.deepEqual((await audit(page)).violations, [], path || "/");
    }
    assert.deepEqual(problems, []);
    await close();
  });
}

test("the home page leads to each network's page, whose fiches come a page at a time", async (t) => {
  const { page, problems, close } = await newPage(browser);
  await page.goto(server.url);
  const networks = page.locator("#reseaux + ul .tile-title");
  if ((await networks.count()) < 2) return t.skip("the real multiBàO data is absent (../shared/data): one network only");
  await networks.filter({ hasText: "Lilian Ricaud" }).click();
  await page.waitForURL(`${server.url}reseaux/lilianricaud`);
  assert.match(await page.locator(".lead").textContent(), /^112 ressources écrites par ce réseau/);
  const first = await page.locator(".tiles .tile-title").allTextContents();
  assert.equal(first.length, 24);
  await page.getByRole("link", { name: "Page suivante" }).click();
  const second = await page.locator(".tiles .tile-title").allTextContents();
  assert.equal(second.length, 24);
  assert.ok(!second.some((title) => first.includes(title)), "the next page holds the next fiches");
  assert.match(await page.locator(".lead").textContent(), /page 2/);
  // No title shouts: one written in capitals by its source reads as a sentence here.
  for (const title of [...first, ...second]) assert.ok(/[a-zà-ÿ]/.test(title) || title.split(/\s+/).length < 2, title);
  await page.getByRole("link", { name: "Première page" }).click();
  assert.deepEqual(await page.locator(".tiles .tile-title").allTextContents(), first);
  assert.deepEqual(problems, []);
  await close();
});

test("the home page's themes lead to the fiches of every network that carry them", async (t) => {
  const { page, problems, close } = await newPage(browser);
  await page.goto(server.url);
  const themes = page.locator("#themes + ul .tile");
  if ((await themes.count()) < 1) return t.skip("the real multiBàO data is absent (../shared/data): no theme two resources share");
  const first = themes.first();
  const [name, count] = [await first.locator(".tile-title").textContent(), await first.locator(".tile-meta").textContent()];
  await first.locator(".tile-title").click();
  await page.waitForURL(/\/themes\//);
  assert.equal(await page.locator("h1").textContent(), name);
  assert.match(await page.locator(".lead").textContent(), new RegExp(`^${count} sur ce thème`));
  const shown = await page.locator(".tiles .tile").count();
  assert.equal(shown, Math.min(24, Number.parseInt(count, 10)), "the theme's fiches, a page of them");
  assert.deepEqual(problems, []);
  await close();
});

test("without JavaScript, the home page's search box sends its words to /recherche, whose facets narrow them", async () => {
  const { page, problems, close } = await newPage(browser, { javaScriptEnabled: false, viewport: { width: 320, height: 800 } });
  await page.goto(server.url);
  await page.getByRole("searchbox", { name: "Chercher dans la bibliothèque" }).fill("cercle de parole");
  await page.getByRole("button", { name: "Chercher" }).click();
  await page.waitForURL(/\/recherche\?q=cercle\+de\+parole$/);
  assert.match(await page.locator(".lead").textContent(), /^\d+ ressources? pour « cercle de parole »/);
  assert.equal(await page.locator(".tiles .tile-title").first().textContent(), "Le cercle de parole");
  assert.equal(await page.getByRole("searchbox", { name: "Mots cherchés" }).inputValue(), "cercle de parole");
  // A facet narrows and keeps the words; its filter can be taken off.
  const facets = page.locator(".facets a");
  if ((await facets.count()) > 0) {
    await facets.first().click();
    assert.match(page.url(), /q=cercle%20de%20parole&/);
    await page.getByRole("link", { name: "retirer ce filtre" }).click();
    assert.match(page.url(), /\/recherche\?q=cercle%20de%20parole$/);
  }
  assert.deepEqual(problems, []);
  await close();
});
