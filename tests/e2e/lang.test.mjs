// Languages: on an English page (or with lang="en" on the element) the three elements show and
// announce no French string of their own; lang="fr" on an element wins over the page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPage, startHostSite, startServer } from "./support.mjs";

let server;
let browser;
let site;

// Our French strings, as they would leak: any of these in an English element's interface fails.
const FRENCH = /Lire |Fiche|fiche|Témoignage|témoignage|Rechercher|Résultat|résultat|Licence :|Transcription|hébergée|carrousel|\d sur \d|Thèmes|Affiner|Aucun|Vidéo :|Par |Source originale|Retour/;

before(async () => {
  server = await startServer({ seedFixtures: false });
  browser = await launchBrowser();
  site = await startHostSite({
    "/": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title><link rel="icon" href="data:,">` +
      `<script src="${server.url}embed.js"></script></head><body><main>` +
      `<bao-card id="en" resource="exemples-cercle-de-parole"><a href="${server.url}r/exemples-cercle-de-parole">Talking circle</a></bao-card>` +
      `<bao-card id="fr" lang="fr" resource="exemples-cercle-de-parole"></bao-card>` +
      `<bao-search><a href="${server.url}">Search</a></bao-search>` +
      `<bao-testimonials limit="3"><a href="${server.url}">Testimonies</a></bao-testimonials>` +
      `</main></body></html>`,
  });
});

after(async () => {
  await site?.close();
  await browser?.close();
  await server?.stop();
});

/** The interface text of an element: labels, names, role descriptions, buttons, announcements. */
const interfaceText = (page, selector) =>
  page.evaluate((selector) => {
    const root = document.querySelector(selector).shadowRoot;
    const texts = [];
    for (const element of root.querySelectorAll("*")) {
      for (const name of ["aria-label", "aria-roledescription", "placeholder", "title"]) {
        if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
      }
    }
    for (const element of root.querySelectorAll("button, summary, label, .meta, .heading, [role=status], .licence-note, .licence, .page, .authors")) {
      texts.push(element.textContent.trim());
    }
    return texts.filter(Boolean);
  }, selector);

test("on an English page, the elements speak English only", async () => {
  const { page, problems, close } = await newPage(browser);
  await page.goto(site.url);
  await page.locator("#en h2.title").waitFor();
  await page.locator("bao-testimonials .slide h2").waitFor();
  const input = page.locator("bao-search input[role=combobox]");
  await input.focus();
  await page.keyboard.type("parole", { delay: 30 });
  await page.locator("bao-search [role=option]").first().waitFor();
  await page.locator("bao-testimonials details.transcript summary").click();

  assert.equal(await page.locator("#en summary.read .closed").textContent(), "Read the sheet");
  assert.match(await page.locator("#en .meta").textContent(), /^Method sheet · /);
  assert.equal(await page.locator("bao-search label").textContent(), "Search the multiBàO library");
  assert.match(await page.locator("bao-search [role=status]").textContent(), /^\d+ results?, up and down arrows to browse\.$|^1 result/);
  assert.equal(await page.locator("bao-testimonials section").getAttribute("aria-label"), "Filmed testimonies");
  assert.match(await page.locator("bao-testimonials .slide").getAttribute("aria-label"), /^1 of \d+$/);
  assert.match(await page.locator("bao-testimonials button.play").getAttribute("aria-label"), /^Play the video: .+ \(hosted by multiBàO\)$/);

  for (const selector of ["#en", "bao-search", "bao-testimonials"]) {
    // Addresses are content (a source's path may hold French words), not interface.
    const leaks = (await interfaceText(page, selector)).filter((text) => FRENCH.test(text.replace(/https?:\/\/\S+/g, "")));
    assert.deepEqual(leaks, [], `${selector} shows French`);
  }
  // The element's own lang wins over the page's.
  await page.locator("#fr h2.title").waitFor();
  assert.equal(await page.locator("#fr summary.read .closed").textContent(), "Lire la fiche");
  assert.deepEqual(problems, []);
  await close();
});
