// Reuse counting end to end: a partner page in headless Chromium shows a card and a carousel; the
// real server's counts move by exactly one for each display, unfolding and play; nothing is sent
// when the visitor asks not to be tracked (Global Privacy Control) or the element says
// counting="off"; a card out of view is not counted until it is seen; the report passes axe;
// the demo network's figures open with its key (demo/sources.toml) and name its partner site.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { audit, fetchJson, hostPage, launchBrowser, newPage, startHostSite, startServer } from "./support.mjs";

const CARD = "exemples-repair-cafe";
const FAR_CARD = "exemples-jardin-partage";
/** The demo network's key, from demo/sources.toml: its figures open with it. */
const REPORT = `network=exemples&key=demo-cle-du-reseau-exemples`;
let server;
let browser;
let site;
let testimony;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  testimony = (await fetchJson(`${server.url}api/v1/testimonials?network=exemples&limit=1`)).body.items[0].resource.id;
  const script = `<script src="${server.url}embed.js"></script>`;
  site = await startHostSite({
    "/": hostPage(`${script}<main><bao-card resource="${CARD}"></bao-card><bao-testimonials network="exemples" limit="1"></bao-testimonials>` +
      `<div style="height:3000px"></div><bao-card id="loin" resource="${FAR_CARD}"></bao-card></main>`),
    "/cadre": hostPage(`<main><iframe title="Une fiche" src="${server.url}embed/r/${CARD}" style="width:100%;height:40em"></iframe></main>`),
    "/sans-comptage": hostPage(`${script}<main><bao-card resource="${CARD}" counting="off"></bao-card></main>`),
  });
});

after(async () => {
  await site?.close();
  await browser?.close();
  await server?.stop();
});

/** Displays and reads of `id` counted so far (the report writes what the server holds first). */
async function counts(id) {
  const stats = (await fetchJson(`${server.url}api/v1/stats?${REPORT}`)).body;
  const row = stats.resources.find((resource) => resource.id === id);
  return { displays: row?.displays ?? 0, reads: row?.reads ?? 0 };
}

/** Waits until `id`'s counts are `expected` (beacons are sent without waiting for them). */
async function countsBecome(id, expected) {
  const deadline = Date.now() + 10_000;
  let now;
  while (Date.now() < deadline) {
    now = await counts(id);
    if (now.displays === expected.displays && now.reads === expected.reads) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.deepEqual(now, expected, `${id}'s counts`);
}

/** A partner page with every beacon it sends recorded. */
async function openPartner(path, { globalPrivacyControl = false } = {}) {
  const opened = await newPage(browser);
  if (globalPrivacyControl) {
    await opened.page.addInitScript(() => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true }));
  }
  const beacons = [];
  opened.page.on("request", (request) => {
    if (request.url().endsWith("/api/v1/beacon")) beacons.push({ body: JSON.parse(request.postData()), headers: request.headers() });
  });
  await opened.page.goto(site.url + path.slice(1));
  return { ...opened, beacons };
}

test("a card shown, unfolded and unfolded again, and a video played: each count moves by exactly one", async () => {
  const before = { card: await counts(CARD), testimony: await counts(testimony), far: await counts(FAR_CARD) };
  const { page, problems, close, beacons } = await openPartner("/");
  const card = page.locator(`bao-card[resource="${CARD}"]`);
  await card.locator("h2.title").waitFor();
  await countsBecome(CARD, { displays: before.card.displays + 1, reads: before.card.reads });
  await countsBecome(testimony, { displays: before.testimony.displays + 1, reads: before.testimony.reads });

  for (let i = 0; i < 2; i++) {
    await card.locator("summary.read").click();
    await card.locator("summary.read").click();
  }
  await countsBecome(CARD, { displays: before.card.displays + 1, reads: before.card.reads + 1 });

  await page.locator("bao-testimonials button.play").click();
  await page.locator("bao-testimonials video.player").waitFor();
  await countsBecome(testimony, { displays: before.testimony.displays + 1, reads: before.testimony.reads + 1 });

  // The card below the fold is counted once the visitor scrolls to it, not before.
  assert.deepEqual(await counts(FAR_CARD), before.far);
  await page.locator("#loin").scrollIntoViewIfNeeded();
  await countsBecome(FAR_CARD, { displays: before.far.displays + 1, reads: before.far.reads });

  // What the beacons carried: the resource, the element, the event; no cookie, nothing more.
  const carried = beacons.map(({ body }) => `${body.element} ${body.event} ${body.resource}`).sort();
  assert.deepEqual(carried, [
    `card display ${CARD}`, `card display ${FAR_CARD}`, `card read ${CARD}`,
    `testimonials display ${testimony}`, `testimonials read ${testimony}`,
  ].sort());
  for (const { body, headers } of beacons) {
    assert.deepEqual(Object.keys(body).sort(), ["element", "event", "resource"]);
    assert.equal(headers.cookie, undefined);
  }
  assert.deepEqual(problems, []);
  await close();
});

test("with Global Privacy Control on, or counting=\"off\", nothing is sent", async () => {
  const before = await counts(CARD);
  // Chromium has no switch for it yet: the signal as a browser or an extension that sets it gives it.
  const gpc = await openPartner("/", { globalPrivacyControl: true });
  const off = await openPartner("/sans-comptage");
  for (const { page } of [gpc, off]) {
    const card = page.locator(`bao-card[resource="${CARD}"]`).first();
    await card.locator("h2.title").waitFor();
    await card.locator("summary.read").click();
  }
  await gpc.page.locator("#loin").scrollIntoViewIfNeeded();
  await gpc.page.locator("#loin h2.title").waitFor();
  await gpc.page.waitForTimeout(500);
  assert.equal(gpc.beacons.length, 0, "Global Privacy Control: nothing sent");
  assert.equal(off.beacons.length, 0, "counting=off: nothing sent");
  assert.deepEqual(await counts(CARD), before);
  for (const { problems, close } of [gpc, off]) {
    assert.deepEqual(problems, []);
    await close();
  }
});

test("inside an /embed/ iframe, the beacon names the page around it", async () => {
  const { page, problems, close, beacons } = await openPartner("/cadre");
  await page.frameLocator("iframe").locator("bao-card h2.title").waitFor();
  const deadline = Date.now() + 5_000;
  while (!beacons.length && Date.now() < deadline) await page.waitForTimeout(100);
  assert.deepEqual(beacons.map(({ body }) => body), [{ resource: CARD, element: "card", event: "display", page: new URL(site.url).host }]);
  assert.deepEqual(problems, []);
  await close();
});

test("the report page passes an axe-core audit and, with the network's key, offers its CSV", async () => {
  const { page, problems, close } = await newPage(browser, { bypassCSP: true });
  // As a coordinator opens it: the public totals, then the network and its key in the form.
  await page.goto(`${server.url}statistiques`);
  assert.equal(await page.locator("#sites").count(), 0, "no site named in the public totals");
  await page.getByLabel("Réseau").selectOption("exemples");
  await page.getByLabel("Sa clé").fill("demo-cle-du-reseau-exemples");
  await page.getByRole("button", { name: "Afficher" }).click();
  await page.locator("#sites").waitFor();
  assert.match(await page.locator("h1").textContent(), /Où le commun est lu : Réseau des communs exemplaires/);
  assert.deepEqual((await audit(page)).violations, []);
  const csv = await (await fetch(new URL(await page.locator("a[download]").getAttribute("href"), server.url))).text();
  assert.match(csv, new RegExp(`,${CARD},\\(local\\),card,display,\\d+\\n`));
  assert.deepEqual(problems, []);
  await close();
});
