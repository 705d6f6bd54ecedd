// The XSS corpus (tests/xss/payloads.txt) injected through every field of three source kinds —
// a git repository's Markdown (front matter and body), a MediaWiki export, a DokuWiki folder —
// and through every attribute of the three elements, then rendered in Chromium on every surface:
// the elements on a partner page, /r/{id}, /embed/…, oEmbed's iframe, the builder's preview. A
// hook in every frame records any dialog or call of alert/confirm/prompt/print: there must be
// none. The figures go to target/xss/report.json (BENCHMARKS.md). BAO_XSS_SAMPLE=N renders one
// payload in N on the one-page-per-resource surfaces (CI: 1, all of them).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { FIXTURE_TEXT, ROOT, hostPage, launchBrowser, startHostSite, startServer } from "./support.mjs";

const PAYLOADS = readFileSync(join(ROOT, "tests/xss/payloads.txt"), "utf8")
  .split("\n")
  .filter((line) => line.trim() && !line.startsWith("#"))
  .map((line) => line.replaceAll("\\n", "\n"));
const SAMPLE = Number(process.env.BAO_XSS_SAMPLE || 1);
const sampled = (_, i) => i % SAMPLE === 0;

let server;
let browser;
let site;
const executions = [];
const tried = {};
const count = (surface, n) => (tried[surface] = (tried[surface] ?? 0) + n);

const yaml = (text) => JSON.stringify(text);
const xml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const attribute = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;");

/** Every payload in every field of a Markdown fiche, and of a filmed testimony (one in four). */
function markdownFixtures() {
  const files = {};
  PAYLOADS.forEach((payload, i) => {
    files[`xss/f${i}.md`] =
      `---\ntitle: ${yaml(`Piège ${i} ${payload}`)}\nsummary: ${yaml(payload)}\ntags: [${yaml(payload)}, xss]\n` +
      `authors: [${yaml(payload)}]\nlicence: ${yaml(payload)}\nimage_url: ${yaml(payload)}\nlang: ${yaml(payload)}\n---\n\n` +
      `${payload}\n\n${FIXTURE_TEXT}\n\n${payload}\n`;
    if (i % 4 === 0) {
      files[`xss/t${i}.md`] =
        `---\ntitle: ${yaml(`Témoignage ${i} ${payload}`)}\nvideo_url: /demo/media/atelier-velo.webm\n` +
        `duration: ${yaml(payload)}\ntags: [xss]\n---\n\n> ${payload}\n\n${FIXTURE_TEXT}\n\n## Transcription\n\n${payload}\n`;
    }
  });
  return files;
}

/** The same payloads as the pages of a MediaWiki export and of a DokuWiki folder. */
function wikiSources(dir) {
  const pages = PAYLOADS.map(
    (payload, i) =>
      `<page><title>Piège ${i}</title><ns>0</ns><id>${i + 1}</id><revision><id>${i + 1}</id>` +
      `<timestamp>2026-11-01T10:00:00Z</timestamp><text xml:space="preserve">${xml(`${payload}\n\n${FIXTURE_TEXT}\n\n${payload}`)}</text></revision></page>`,
  );
  const exportFile = join(dir, "xss-export.xml");
  writeFileSync(
    exportFile,
    `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="fr"><siteinfo>` +
      `<sitename>Wiki piégé</sitename><base>https://wiki.example/wiki/Accueil</base></siteinfo>${pages.join("")}</mediawiki>`,
  );
  const doku = join(dir, "xss-dokuwiki");
  mkdirSync(join(doku, "data/pages/pieges"), { recursive: true });
  PAYLOADS.forEach((payload, i) =>
    writeFileSync(join(doku, `data/pages/pieges/p${i}.txt`), `====== Piège ${i} ======\n\n${payload}\n\n${FIXTURE_TEXT}\n\n${payload}\n`),
  );
  return (
    `[[source]]\nid = "wiki-piege"\nkind = "mediawiki"\nurl = ${yaml(exportFile)}\nnetwork = { id = "wiki-piege", name = "Wiki piégé" }\n\n` +
    `[[source]]\nid = "doku-piege"\nkind = "dokuwiki"\nurl = ${yaml(doku)}\nsite = "https://doku.example/"\n` +
    `network = { id = "doku-piege", name = "DokuWiki piégé" }\n`
  );
}

let ids = [];
const dir = join(tmpdir(), `bao-xss-${process.pid}`);

before(async () => {
  mkdirSync(dir, { recursive: true });
  server = await startServer({ fixtures: markdownFixtures(), moreSources: wikiSources(dir) });
  const listed = [];
  for (let cursor = ""; ; ) {
    const page = await (await fetch(`${server.url}api/v1/resources?limit=100${cursor && `&cursor=${cursor}`}`)).json();
    listed.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  ids = listed.filter((resource) => /Piège|Témoignage/.test(resource.title)).map((resource) => resource.id);
  browser = await launchBrowser();
});

after(async () => {
  await site?.close();
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  const report = { payloads: PAYLOADS.length, resources: ids.length, tried, executions: executions.length };
  mkdirSync(join(ROOT, "target/xss"), { recursive: true });
  writeFileSync(join(ROOT, "target/xss/report.json"), JSON.stringify(report, null, 2));
});

/** A browser context whose every frame records any attempt to open a dialog. */
async function hookedContext() {
  const context = await browser.newContext();
  await context.exposeBinding("__xssHit", ({ frame }, what) => executions.push(`${what} in ${frame.url()}`));
  await context.addInitScript(() => {
    for (const name of ["alert", "confirm", "prompt", "print"]) {
      window[name] = () => window.__xssHit(name);
    }
  });
  context.on("page", (page) => page.on("dialog", (dialog) => (executions.push(`dialog ${dialog.message()}`), dialog.dismiss())));
  return context;
}

/** Opens every disclosure in every shadow root, so that bodies and transcripts are rendered. */
async function unfoldAll(page) {
  await page.evaluate(() => {
    const roots = [document, ...[...document.querySelectorAll("*")].map((element) => element.shadowRoot).filter(Boolean)];
    for (const root of roots) for (const details of root.querySelectorAll("details")) details.open = true;
  });
}

test("the hook sees what runs: a script and a handler of a page that is not ours, in a frame too", async () => {
  const context = await hookedContext();
  const page = await context.newPage();
  const unsafe = await startHostSite({
    "/": hostPage(`<script>alert(1)</script><img src=x onerror=confirm(1)><iframe srcdoc="<script>prompt(1)</script>"></iframe>`),
  });
  await page.goto(unsafe.url, { waitUntil: "networkidle" });
  await unsafe.close();
  await context.close();
  assert.equal(executions.length, 3, executions.join("\n"));
  executions.length = 0;
});

test("the corpus is large enough, and every fiche of each source kind was imported", () => {
  assert.ok(PAYLOADS.length >= 200, `${PAYLOADS.length} payloads`);
  const testimonies = PAYLOADS.filter((_, i) => i % 4 === 0).length;
  assert.ok(ids.length >= PAYLOADS.length * 2 + testimonies, `${ids.length} resources`);
});

test("cards of every poisoned resource on a partner page, unfolded, and their oEmbed iframes", async () => {
  const context = await hookedContext();
  const page = await context.newPage();
  const pages = {};
  const batches = [];
  for (let start = 0; start < ids.length; start += 60) batches.push(ids.slice(start, start + 60));
  const oembed = await Promise.all(
    ids.map(async (id) => (await (await fetch(`${server.url}oembed?url=${encodeURIComponent(`${server.url}r/${id}`)}`)).json()).html),
  );
  batches.forEach((batch, b) => {
    pages[`/cartes${b}`] = hostPage(
      `<script src="${server.url}embed.js"></script><main>${batch.map((id) => `<bao-card resource="${id}"></bao-card>`).join("")}</main>`,
    );
    pages[`/oembed${b}`] = hostPage(`<main>${oembed.slice(b * 60, b * 60 + 60).join("")}</main>`);
  });
  site = await startHostSite(pages);
  for (const [b, batch] of batches.entries()) {
    await page.goto(`${site.url}cartes${b}`);
    await page.waitForFunction((n) => [...document.querySelectorAll("bao-card")].filter((card) => card.shadowRoot?.querySelector("h2")).length === n, batch.length);
    await unfoldAll(page);
    await page.mouse.move(200, 200);
    await page.waitForTimeout(200);
    count("cartes sur une page partenaire", batch.length);
    await page.goto(`${site.url}oembed${b}`, { waitUntil: "networkidle" });
    count("iframes oEmbed", batch.length);
  }
  await context.close();
  assert.deepEqual(executions, []);
});

test("every poisoned resource's own page and iframe page", async () => {
  const context = await hookedContext();
  const page = await context.newPage();
  for (const id of ids.filter(sampled)) {
    await page.goto(`${server.url}r/${id}`);
    await unfoldAll(page);
    await page.goto(`${server.url}embed/r/${id}`);
    await unfoldAll(page);
    count("/r/{id}", 1);
    count("/embed/r/{id}", 1);
  }
  await context.close();
  assert.deepEqual(executions, []);
});

test("the search box and the carousel showing poisoned resources, and their iframe pages", async () => {
  const context = await hookedContext();
  const page = await context.newPage();
  const partner = await startHostSite({
    "/": hostPage(
      `<script src="${server.url}embed.js"></script><main><bao-search></bao-search>` +
        `<bao-testimonials tag="xss" limit="100"></bao-testimonials></main>`,
    ),
  });
  await page.goto(partner.url);
  const box = page.locator("bao-search input[role=combobox]");
  await box.waitFor();
  for (const query of ["Piège", "alert", "script", "onerror", "javascript", "svg", "img", "xss"]) {
    await box.fill(query);
    await page.waitForTimeout(400);
    await box.press("Enter");
    await page.waitForTimeout(300);
    count("résultats de <bao-search>", await page.locator("bao-search li").count());
  }
  // One slide is shown at a time: every one, by its "next" button, transcript unfolded.
  const { items } = await (await fetch(`${server.url}api/v1/testimonials?tag=xss&limit=100`)).json();
  assert.ok(items.length > 50, `${items.length} testimonies`);
  await page.locator("bao-testimonials .slide h2").waitFor();
  for (let i = 0; i < items.length; i++) {
    await unfoldAll(page);
    await page.locator("bao-testimonials button.step").last().click();
  }
  count("diapositives de <bao-testimonials>", items.length);
  for (const path of ["embed/recherche?q=Pi%C3%A8ge", "embed/temoignages?tag=xss&limit=100"]) {
    await page.goto(server.url + path);
    await unfoldAll(page);
    count("pages /embed/ de recherche et de témoignages", 1);
  }
  await partner.close();
  await context.close();
  assert.deepEqual(executions, []);
});

test("every payload in every attribute of the three elements on a partner page", async () => {
  const context = await hookedContext();
  const page = await context.newPage();
  const elements = (payload) => {
    const value = attribute(payload);
    return (
      `<bao-card resource="${value}"></bao-card><bao-card resource="exemples-repair-cafe" lang="${value}" theme="${value}"></bao-card>` +
      `<bao-search network="${value}" tag="${value}" kind="${value}" lang="${value}" theme="${value}"></bao-search>` +
      `<bao-testimonials network="${value}" tag="${value}" limit="${value}" lang="${value}" theme="${value}"></bao-testimonials>`
    );
  };
  const pages = {};
  for (let start = 0; start < PAYLOADS.length; start += 25) {
    pages[`/${start}`] = hostPage(`<script src="${server.url}embed.js"></script><main>${PAYLOADS.slice(start, start + 25).map(elements).join("")}</main>`);
  }
  const partner = await startHostSite(pages);
  for (const path of Object.keys(pages)) {
    await page.goto(partner.url + path.slice(1), { waitUntil: "networkidle" });
    await unfoldAll(page);
    count("attributs des trois éléments", Math.min(25, PAYLOADS.length - Number(path.slice(1))) * 13);
  }
  await partner.close();
  await context.close();
  assert.deepEqual(executions, []);
});

test("the builder's preview of poisoned fiches", async () => {
  const context = await hookedContext();
  const page = await context.newPage();
  await page.goto(`${server.url}integrer`);
  const field = page.getByLabel("Fiche (tapez un mot du titre)");
  for (const [i] of PAYLOADS.entries()) {
    if (i % Math.max(SAMPLE, 8) !== 0) continue;
    await field.fill(`Piège ${i} `);
    await page.waitForTimeout(300);
    await unfoldAll(page);
    count("aperçu de /integrer", 1);
  }
  await context.close();
  assert.deepEqual(executions, []);
});
