// <bao-card> end to end: the real server, the real wasm bundle, headless Chromium.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  DEMO_IDS,
  FIXTURE_TEXT,
  addCard,
  audit,
  fetchJson,
  fragmentRequests,
  hostPage,
  launchBrowser,
  newPage,
  renderedTitles,
  startHostSite,
  startServer,
  unusedPreloadWarningTime,
} from "./support.mjs";

let server;
let browser;

before(async () => {
  server = await startServer({ fixtures: { "retiree.md": `# Fiche bientôt retirée\n\nSon réseau la retirera. ${FIXTURE_TEXT}\n` } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openDemo() {
  const session = await newPage(browser);
  await session.page.goto(`${server.url}demo/`);
  await session.page.waitForFunction(
    (count) => [...document.querySelectorAll("bao-card")].filter((c) => c.shadowRoot?.querySelector("h2")).length === count,
    DEMO_IDS.length,
  );
  return session;
}

describe("the demo page", () => {
  test("each card shows, in its shadow root, the title stored in the database", async () => {
    const { page, problems, close } = await openDemo();
    const titles = await renderedTitles(page);
    for (const id of DEMO_IDS) {
      const { status, body } = await fetchJson(`${server.url}api/v1/resources/${id}`);
      assert.equal(status, 200);
      assert.equal(titles[id], body.title, `card ${id}`);
    }
    // The title lives in the shadow root, not in the host page's DOM.
    assert.equal(await page.evaluate(() => document.querySelectorAll("bao-card h2").length), 0);
    assert.deepEqual(problems, []);
    await close();
  });

  test("each card shows its licence with a link, its network and a link to its canonical page", async () => {
    const { page, problems, close } = await openDemo();
    const card = page.locator('bao-card[resource="exemples-cercle-de-parole"]');
    const licence = card.locator("a[rel=license]");
    await assert.doesNotReject(licence.waitFor());
    assert.equal(await licence.textContent(), "CC BY-SA 4.0");
    assert.match(await licence.getAttribute("href"), /creativecommons\.org\/licenses\/by-sa\/4\.0/);
    assert.match(await card.locator(".meta").textContent(), /Réseau des communs exemplaires/);
    assert.match(await card.locator(".authors").textContent(), /Camille Martin, Youssef Benali/);
    const canonical = await card.locator("a", { hasText: "Page de la fiche" }).getAttribute("href");
    assert.equal(canonical, `${server.url}r/exemples-cercle-de-parole`);
    const pageResponse = await fetch(canonical);
    assert.equal(pageResponse.status, 200);
    assert.match(await pageResponse.text(), /class="title">Le cercle de parole<\/h1>/, "the same card, as the page's heading");
    assert.deepEqual(problems, []);
    await close();
  });

  test("“Lire la fiche” unfolds the full text inline, by mouse and by keyboard", async () => {
    const { page, problems, close } = await openDemo();
    const card = page.locator('bao-card[resource="exemples-cercle-de-parole"]');
    const toggle = card.locator("summary.read");
    const isOpen = () => card.locator("details.more").evaluate((details) => details.open);
    assert.equal(await toggle.innerText(), "Lire la fiche");
    assert.equal(await card.locator(".body").isVisible(), false);
    await toggle.click();
    assert.equal(await isOpen(), true);
    assert.equal(await toggle.innerText(), "Replier la fiche");
    await card.locator(".body li", { hasText: "Donner la parole" }).waitFor();
    assert.match(await card.locator(".body").textContent(), /Le cercle ne sert pas à convaincre/);
    assert.match(await card.locator(".body .licence-note").first().textContent(), /CC BY-SA 4\.0/);
    // Keyboard: Enter on the focused toggle folds it again.
    await toggle.focus();
    await page.keyboard.press("Enter");
    assert.equal(await isOpen(), false);
    // Tab order: from this card's toggle, Tab reaches its canonical link, then its licence.
    await toggle.focus();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.textContent), "Page de la fiche");
    // Space opens another card's full text.
    const second = page.locator('bao-card[resource="exemples-gouvernance-partagee"]');
    await second.locator("summary.read").focus();
    await page.keyboard.press("Space");
    await second.locator(".body table").waitFor();
    assert.deepEqual(problems, []);
    await close();
  });

  test("the host page's CSS does not leak into the cards", async () => {
    const { page, problems, close } = await openDemo();
    const styles = await page.evaluate(() => {
      const root = document.querySelector('bao-card[resource="exemples-repair-cafe"]').shadowRoot;
      const title = getComputedStyle(root.querySelector("h2"));
      const button = getComputedStyle(root.querySelector("summary.read"));
      const link = getComputedStyle(root.querySelector(".actions a"));
      const hostLink = getComputedStyle(document.querySelector("nav a"));
      const hostH2 = getComputedStyle(document.querySelector("main > h2"));
      return {
        titleColor: title.color, titleTransform: title.textTransform, titleBorder: title.borderBottomStyle,
        buttonBackground: button.backgroundColor, buttonBorder: button.borderTopStyle,
        hostColor: hostH2.color, hostTransform: hostH2.textTransform,
        linkDecoration: link.textDecorationStyle, hostLinkDecoration: hostLink.textDecorationStyle,
      };
    });
    // The host's rules really apply to its own h2 …
    assert.equal(styles.hostColor, "rgb(179, 38, 30)");
    assert.equal(styles.hostTransform, "uppercase");
    // … and not to ours.
    assert.notEqual(styles.titleColor, "rgb(179, 38, 30)");
    assert.equal(styles.titleTransform, "none");
    assert.equal(styles.titleBorder, "none");
    assert.equal(styles.buttonBackground, "rgb(75, 58, 156)");
    assert.equal(styles.buttonBorder, "solid");
    assert.equal(styles.hostLinkDecoration, "wavy");
    assert.equal(styles.linkDecoration, "solid");
    assert.deepEqual(problems, []);
    await close();
  });

  test("the page's elements ask their first views in one request, and a preloaded view is asked once", async () => {
    const session = await newPage(browser);
    const asked = fragmentRequests(session.page);
    await session.page.goto(`${server.url}demo/`);
    await session.page.waitForFunction(
      (count) => [...document.querySelectorAll("bao-card")].filter((c) => c.shadowRoot?.querySelector("h2")).length === count,
      DEMO_IDS.length,
    );
    assert.equal(asked.length, 1, asked.join("\n"));
    // The page's search box and carousel come with its cards.
    const views = new URL(asked[0]).searchParams.getAll("v");
    assert.deepEqual(views.slice(0, DEMO_IDS.length), DEMO_IDS.map((id) => `card?resource=${id}`));
    assert.deepEqual(views.slice(DEMO_IDS.length).map((view) => view.split("?")[0]), ["search", "testimonials"]);
    assert.deepEqual(session.problems, []);
    await session.close();

    // A partner page whose head preloads one card's view (the builder's optional line): that view
    // is fetched once, by the preload, and the other card's alone.
    const [first, second] = DEMO_IDS;
    const view = (id) => `${server.url}fragments?v=${encodeURIComponent(`card?resource=${id}`)}`;
    const preloaded = view(first);
    const site = await startHostSite({
      "/": `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Partenaire</title><link rel="icon" href="data:,">` +
        `<link rel="preload" href="${preloaded}" as="fetch" crossorigin></head><body>` +
        `<script src="${server.url}embed.js"></script><bao-card resource="${first}"></bao-card><bao-card resource="${second}"></bao-card></body></html>`,
    });
    const partner = await newPage(browser);
    const fromPartner = fragmentRequests(partner.page);
    await partner.page.goto(site.url);
    await partner.page.waitForFunction(() => [...document.querySelectorAll("bao-card")].every((c) => c.shadowRoot?.querySelector("h2")));
    await unusedPreloadWarningTime(partner.page);
    assert.deepEqual(fromPartner.sort(), [preloaded, view(second)].sort());
    assert.deepEqual(partner.problems, []);
    await partner.close();
    await site.close();
  });

  test("cards added or changed after load are upgraded", async () => {
    const { page, problems, close } = await openDemo();
    await addCard(page, { id: "late", resource: "exemples-repair-cafe", fallback: '<a href="/r/exemples-repair-cafe">Repair café</a>' });
    await page.locator("#late h2.title", { hasText: "Organiser un repair café" }).waitFor();
    await page.evaluate(() => document.querySelector("#late").setAttribute("resource", "exemples-jardin-partage"));
    await page.locator("#late h2.title", { hasText: "Notre jardin a changé la rue" }).waitFor();
    assert.equal(await page.locator("#late h2.title").count(), 1);
    assert.deepEqual(problems, []);
    await close();
  });
});

test("a fiche's page reads at 320 px (200 % zoom on a phone) without scrolling sideways", async () => {
  const { page, problems, close } = await newPage(browser, { viewport: { width: 320, height: 640 } });
  // The fiche whose source address is the longest.
  await page.goto(`${server.url}r/exemples-gouvernance-partagee`);
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `${scroll}px of content in ${width}px`);
  assert.equal(await page.locator("main h1").count(), 1);
  assert.deepEqual(problems, []);
  await close();
});

test("a snippet pinned to an older embed.js (stale SRI) keeps its fallback link readable", async () => {
  const stale = await startHostSite({
    "/": hostPage(
      `<script src="${server.url}embed.js" integrity="sha384-${"A".repeat(64)}" crossorigin="anonymous"></script>` +
        `<main><bao-card resource="exemples-repair-cafe"><a href="${server.url}r/exemples-repair-cafe">Organiser un repair café</a></bao-card></main>`,
    ),
  });
  const { page, problems, close } = await newPage(browser);
  await page.goto(stale.url);
  await page.waitForTimeout(300);
  assert.equal(await page.locator("bao-card > a").isVisible(), true);
  assert.equal(await page.locator("bao-card").evaluate((card) => card.shadowRoot), null, "the script was refused");
  assert.ok(problems.every((p) => p.includes("integrity")), problems.join("\n"));
  await close();
  await stale.close();
});

test("the demo page and the home page ask nothing of a third party before any click", async () => {
  for (const path of ["demo/", ""]) {
    const session = await newPage(browser);
    const hosts = new Set();
    session.page.on("request", (request) => hosts.add(new URL(request.url()).host));
    await session.page.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
    await session.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await session.page.waitForLoadState("networkidle");
    hosts.delete("");
    assert.deepEqual([...hosts], [new URL(server.url).host], `/${path}`);
    await session.close();
  }
});

test("the demo page's cards pass an axe-core accessibility audit (WCAG 2.1 A and AA)", async () => {
  const { page, problems, close } = await openDemo();
  // Audit the cards (axe-core enters open shadow roots), one open and the others folded.
  await page.locator('bao-card[resource="exemples-cercle-de-parole"] summary.read').click();
  const { violations, passes } = await audit(page, "bao-card");
  assert.deepEqual(violations, []);
  assert.ok(passes > 5, "axe-core really checked the cards");
  assert.deepEqual(problems, []);
  await close();
});

describe("fallbacks", () => {
  test("an unknown id keeps the element's own fallback link", async () => {
    const { page, problems, close } = await openDemo();
    const notFound = page.waitForResponse((r) => r.url().includes(`/fragments?v=${encodeURIComponent("card?resource=pas-une-fiche")}`));
    await addCard(page, { id: "unknown", resource: "pas-une-fiche", fallback: '<a href="https://multibao.org/">Voir sur multiBàO</a>' });
    assert.equal((await (await notFound).json())[0].status, 404, "the view says there is no such fiche");
    await page.waitForTimeout(200);
    const fallback = page.locator("#unknown > a");
    assert.equal(await fallback.isVisible(), true, "the fallback link is visible");
    assert.equal(await page.locator("#unknown h2.title").count(), 0);
    // A short, useful word instead of an empty box kept for a card that will not come.
    const note = page.locator("#unknown .missing");
    await note.waitFor();
    assert.match(await note.textContent(), /^Cette fiche n'existe pas ou a été retirée\. Parcourir la bibliothèque$/);
    const height = await page.locator("#unknown").evaluate((element) => element.getBoundingClientRect().height);
    assert.ok(height < 120, `the box shrinks to its message (${height}px)`);
    const home = await fetch(await note.locator("a").getAttribute("href"));
    assert.equal(home.status, 200, "the link leads to the library's home page");
    assert.deepEqual(problems, []);
    await close();
  });

  test("a fiche its network withdrew keeps the fallback link, with a note saying so", async () => {
    assert.equal((await fetchJson(`${server.url}api/v1/resources/fixtures-retiree`)).status, 200);
    rmSync(join(server.fixtureRepository, "retiree.md"));
    await server.resyncFixtures();
    const { status, body } = await fetchJson(`${server.url}api/v1/resources/fixtures-retiree`);
    assert.equal(status, 410);
    assert.match(body.detail, /retirée par son réseau/);

    const { page, problems, close } = await openDemo();
    const gone = page.waitForResponse((r) => r.url().includes(`/fragments?v=${encodeURIComponent("card?resource=fixtures-retiree")}`));
    await addCard(page, { id: "withdrawn", resource: "fixtures-retiree", fallback: '<a href="https://multibao.org/">Fiche bientôt retirée</a>' });
    assert.equal((await (await gone).json())[0].status, 410, "the view says the fiche was withdrawn");
    const note = page.locator("#withdrawn .missing");
    await assert.doesNotReject(note.waitFor());
    assert.equal(await note.textContent(), "Cette fiche a été retirée par son réseau. Parcourir la bibliothèque");
    assert.equal(await note.getAttribute("role"), "note");
    assert.equal(await note.locator("a").getAttribute("href"), server.url, "a way into the library");
    assert.equal(await page.locator("#withdrawn > a").isVisible(), true, "the fallback link is visible");
    assert.equal(await page.locator("#withdrawn h2.title").count(), 0);
    assert.deepEqual(problems, []);
    await close();
  });

  test("with the server stopped, the fallback link stays and the page works", async () => {
    const other = await startServer({ seedFixtures: false });
    const base = other.url;
    await other.stop();
    const site = await startHostSite({
      "/": hostPage(
        `<main><p id="host">Texte du site</p><bao-card resource="exemples-cercle-de-parole">` +
          `<a href="${base}r/exemples-cercle-de-parole">Le cercle de parole</a></bao-card>` +
          `<script src="${base}embed.js"></script><script>window.hostStillRuns = true</script></main>`,
      ),
    });
    const { page, close } = await newPage(browser);
    await page.goto(site.url);
    assert.equal(await page.locator("bao-card > a").isVisible(), true);
    assert.equal(await page.locator("bao-card > a").textContent(), "Le cercle de parole");
    assert.equal(await page.evaluate(() => window.hostStillRuns), true);
    await close();
    await site.close();
  });

  test("a server that stops after the bundle loaded leaves the fallback of new cards", async () => {
    const other = await startServer({ seedFixtures: false });
    const { page, problems, close } = await newPage(browser);
    await page.goto(`${other.url}demo/`);
    await page.locator('bao-card[resource="exemples-cercle-de-parole"] h2.title').waitFor();
    // Stopped once the page asks nothing more: a request cut midway would be another scenario.
    await page.waitForLoadState("networkidle");
    await other.stop();
    // (A card already shown would come from the browser's cache: this one was never asked for.)
    await addCard(page, { id: "offline", resource: "exemples-jamais-vue", fallback: '<a href="/r/exemples-jamais-vue">Une fiche (lien)</a>' });
    await page.waitForTimeout(500);
    assert.equal(await page.locator("#offline > a").isVisible(), true);
    assert.equal(await page.locator("#offline h2.title").count(), 0);
    // The browser reports the refused connection, and we say the link stays.
    assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_(REFUSED|RESET)/.test(p) && !/multibao-embed : (le widget n'a pas pu|contenu indisponible)/.test(p)), []);
    await close();
  });

  test("a card whose image is gone still shows its title and text", async () => {
    const { page, problems, close } = await newPage(browser);
    await page.goto(`${server.url}demo/`);
    await addCard(page, { id: "imageless", resource: "fixtures-hostile" });
    await page.locator("#imageless h2.title", { hasText: "Fiche piégée" }).waitFor();
    // Images load lazily: the card must be on screen for its image to be asked for.
    await page.locator("#imageless").scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector("#imageless").shadowRoot.querySelector(".media img").hidden);
    // No broken-image icon nor alt text: the band stays tinted.
    const shown = await page.locator("#imageless").evaluate((card) => getComputedStyle(card.shadowRoot.querySelector(".media img")).display);
    assert.equal(shown, "none");
    const box = await page.locator("#imageless").boundingBox();
    assert.ok(box.height >= 300, `the card keeps its height (${box.height})`);
    assert.deepEqual(problems.filter((p) => !p.includes("404")), []);
    await close();
  });
});

test("a server that sends the wasm with the wrong MIME type still makes the carousel live", async () => {
  // A misconfigured mirror that does not know .wasm files and sends them as application/octet-stream.
  const { createServer } = await import("node:http");
  const mirror = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = request.method === "POST" ? Buffer.concat(chunks) : undefined;
    const upstream = await fetch(new URL(request.url, server.url), { method: request.method, body });
    const type = request.url.endsWith(".wasm") ? "application/octet-stream" : upstream.headers.get("content-type");
    response.writeHead(upstream.status, { "content-type": type, "access-control-allow-origin": "*" });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise((r) => mirror.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${mirror.address().port}/`;
  const site = await startHostSite({
    "/": hostPage(`<script src="${base}embed.js"></script><bao-testimonials limit="3"><a href="#">Témoignages</a></bao-testimonials>`),
  });
  const { page, problems, close } = await newPage(browser);
  await page.goto(site.url);
  await page.locator("bao-testimonials .slide[aria-label^='1 sur ']").waitFor();
  // Playing needs the wasm: it came through.
  await page.locator("bao-testimonials button[data-replay=play]").click();
  await page.locator("bao-testimonials .player").first().waitFor({ state: "attached" });
  // wasm-bindgen's loader says why it fell back from streaming compilation, as a warning.
  assert.ok(problems.some((p) => p.startsWith("warning:") && p.includes("application/wasm")), problems.join("\n"));
  assert.deepEqual(problems.filter((p) => !p.startsWith("warning:")), []);
  await close();
  await site.close();
  await new Promise((r) => mirror.close(r));
});

describe("safety", () => {
  test("content cannot run script in the host page", async () => {
    const { page, problems, close } = await newPage(browser);
    await page.goto(`${server.url}demo/`);
    await addCard(page, { id: "hostile", resource: "fixtures-hostile" });
    await page.locator("#hostile summary.read").click();
    await page.locator("#hostile .body", { hasText: "Texte légitime de la fiche" }).waitFor();
    await page.locator("#hostile .body a", { hasText: "clic" }).click().catch(() => {});
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    const body = await page.locator("#hostile .body").innerHTML();
    assert.doesNotMatch(body, /<script|onerror|javascript:|evil\.example/);
    // The fixture's own images point at hosts this closed network cannot reach.
    assert.deepEqual(problems.filter((p) => !p.includes("404") && !p.includes("ERR_NAME_NOT_RESOLVED")), []);
    await close();
  });

  test("including the script twice defines the elements once, without errors", async () => {
    const { page, problems, close } = await newPage(browser);
    const site = await startHostSite({
      "/": hostPage(
        `<script src="${server.url}embed.js"></script><script src="${server.url}embed.js"></script>` +
          `<bao-card resource="exemples-jardin-partage"><a href="${server.url}r/exemples-jardin-partage">Jardin</a></bao-card>`,
      ),
    });
    // The partner's site is another origin: CORS and the module import must allow it.
    await page.goto(site.url);
    await page.locator("bao-card h2.title", { hasText: "Notre jardin a changé la rue" }).waitFor();
    assert.deepEqual(problems, []);
    await close();
    await site.close();
  });
});

describe("reuse", () => {
  test("unfolding a fiche tells the page (bao:open); “Réutiliser cette fiche” copies a ready attribution", async () => {
    const { page, problems, close } = await openDemo();
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(server.url).origin });
    await page.evaluate(() => document.addEventListener("bao:open", (event) => (window.__opened = event.detail)));
    const card = page.locator('bao-card[resource="exemples-cercle-de-parole"]');
    await card.locator("summary.read").click();
    // The event follows the click's toggle: wait for it rather than race it on a loaded machine.
    await page.waitForFunction(() => window.__opened);
    assert.deepEqual(await page.evaluate(() => window.__opened), { id: "exemples-cercle-de-parole", title: "Le cercle de parole" });
    const reuse = card.locator("button[data-copy]");
    assert.equal(await reuse.textContent(), "Réutiliser cette fiche");
    await reuse.click();
    await card.locator("button.reuse", { hasText: "Attribution copiée" }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    // Read to its end, the fiche folds from there, and the focus goes back to "Lire la fiche".
    await card.locator("button[data-fold]", { hasText: "Replier la fiche" }).click();
    assert.equal(await card.locator("details.more").evaluate((details) => details.open), false);
    assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.tagName), "SUMMARY");
    // The demo's fiches have no address at their source: the attribution cites the commons' page.
    assert.equal(
      copied,
      `« Le cercle de parole », Camille Martin, Youssef Benali (Réseau des communs exemplaires (démo)), ${server.url}r/exemples-cercle-de-parole` +
        " — Licence : CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/deed.fr)",
    );
    assert.deepEqual(problems, []);
    await close();
  });
});
