// Fiches of real wikis on a partner's page: a MediaWiki and a DokuWiki installed afresh with pages
// written from the Wiki-Brest and Savoirs Communs seeds, followed by the real server, shown by
// <bao-card> in headless Chromium.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT, hostPage, launchBrowser, newPage, startHostSite, startServer, startWiki } from "./support.mjs";

let wiki;
let dokuwiki;
let server;
let browser;

before(async () => {
  wiki = await startWiki("mediawiki", join(ROOT, "server/tests/fixtures/wikis/wiki-brest.xml"));
  dokuwiki = await startWiki("dokuwiki", join(ROOT, "server/tests/fixtures/wikis/savoirs-communs"));
  server = await startServer({
    seedFixtures: false,
    moreSources: wiki.source + dokuwiki.source,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await wiki?.stop();
  await dokuwiki?.stop();
});

test("a MediaWiki page is a card with the wiki's content, licence and address", async () => {
  const site = await startHostSite({
    "/": hostPage(
      `<main><script src="${server.url}embed.js"></script>` +
        `<bao-card resource="wiki-brest-territoires-et-cooperations"><a href="${wiki.base}/">Wiki-Brest</a></bao-card></main>`,
    ),
  });
  const { page, problems, close } = await newPage(browser);
  await page.goto(site.url);
  const card = page.locator("bao-card");
  await card.locator("h2.title").waitFor();
  assert.equal(await card.locator("h2.title").textContent(), "Territoires et coopérations");
  assert.equal(await card.locator("a[rel=license]").textContent(), "CC BY-SA 4.0");
  assert.match(await card.locator(".meta").textContent(), /Wiki-Brest/);
  assert.match(await card.locator(".authors").textContent(), /Briand/);
  await card.locator("summary.read").click();
  const body = card.locator(".body");
  await body.locator("h2", { hasText: "Faire avec" }).waitFor();
  assert.equal(
    await body.locator("a", { hasText: "Faire avec" }).first().getAttribute("href"),
    `${wiki.base}/index.php/Faire_avec`,
    "a link of the wiki leads to the wiki",
  );
  assert.equal(await body.locator("script").count(), 0);
  const source = await card.locator(`a[href="${wiki.base}/index.php/Territoires_et_coop%C3%A9rations"]`).count();
  assert.ok(source >= 1, "the card links to the page on its wiki");
  assert.deepEqual(problems, []);
  await close();
  await site.close();
});

test("a DokuWiki page is a card titled by its first heading, with the wiki's licence", async () => {
  const site = await startHostSite({
    "/": hostPage(
      `<main><script src="${server.url}embed.js"></script>` +
        `<bao-card resource="savoirs-communs-le-dispositif-savoirs-communs"><a href="${dokuwiki.base}/">Savoirs Communs</a></bao-card></main>`,
    ),
  });
  const { page, problems, close } = await newPage(browser);
  await page.goto(site.url);
  const card = page.locator("bao-card");
  await card.locator("h2.title").waitFor();
  assert.equal(await card.locator("h2.title").textContent(), "Le dispositif Savoirs Communs");
  assert.equal(await card.locator("a[rel=license]").textContent(), "CC BY-SA 4.0");
  assert.match(await card.locator(".authors").textContent(), /floriane/);
  await card.locator("summary.read").click();
  await card.locator(".body h2", { hasText: "Un dispositif en 3 actions" }).waitFor();
  assert.equal(await card.locator(".body script").count(), 0);
  assert.deepEqual(problems, []);
  await close();
  await site.close();
});
