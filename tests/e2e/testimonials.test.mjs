// <bao-testimonials> end to end: the real server (which fetched the posters itself), the real
// wasm bundle, a partner page on another origin, a video host of our own on a third origin, and
// headless Chromium driven by the keyboard, by touch, and with every request recorded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { FIXTURES_FORGE, audit, hostPage, launchBrowser, newPage, startHostSite, startServer, startVideoHost } from "./support.mjs";

let server;
let browser;
let site;
let videoHost;

/** Testimonies only the tests have: one on a PeerTube-like host with a poster there, one with
 * nothing (no poster, captions or transcript) and a hostile title and quote. */
function fixtures(videoHostUrl) {
  return {
    "temoignages/entretien-tube.md":
      `---\ntitle: Le café des parents\nimage_url: ${videoHostUrl}/poster.png\ntags: [tests carrousel]\n---\n\n` +
      `> Ici, personne ne juge.\n\n<iframe src="${videoHostUrl}/videos/embed/cafe-42"></iframe>\n\nUn café associatif.\n`,
    "temoignages/sans-rien.md":
      `---\ntitle: "<img src=x onerror=window.__pwned=1> Sans affiche"\ntags: [tests carrousel]\n---\n\n` +
      `> Une citation <img src=x onerror="window.__pwned=2"> & la suite\n\n[![](https://vimeo.invalid/thumb.jpg)](https://player.vimeo.com/video/76979871)\n`,
  };
}

const ELEMENT_PAGE = (serverUrl, attributes) =>
  hostPage(
    `<script src="${serverUrl}embed.js"></script><main><h1>Témoignages</h1>` +
      `<bao-testimonials ${attributes}><a href="${serverUrl}">Voir les témoignages filmés</a></bao-testimonials>` +
      `<p><a href="#suite" id="suite">Suite de la page</a></p>` +
      `<script>document.addEventListener("bao:play", (e) => { (window.__played ||= []).push(e.detail); });</script></main>`,
  );

before(async () => {
  videoHost = await startVideoHost();
  server = await startServer({ fixtures: fixtures(videoHost.url), videoHosts: [new URL(videoHost.url).host] });
  browser = await launchBrowser();
  site = await startHostSite({
    "/": ELEMENT_PAGE(server.url, 'limit="10"'),
    "/tests": ELEMENT_PAGE(server.url, 'tag="tests carrousel"'),
    "/vide": ELEMENT_PAGE(server.url, 'network="aucun-reseau"'),
  });
  // The server caches posters in the background after it starts: wait for the fixture's.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await fetch(`${server.url}api/v1/testimonials/fixtures-entretien-tube/poster`);
    if (response.headers.get("content-type") === "image/jpeg") break;
    if (Date.now() > deadline) throw new Error("the fixture's poster was never cached");
    await new Promise((r) => setTimeout(r, 200));
  }
});

after(async () => {
  await site?.close();
  await browser?.close();
  await server?.stop();
  await videoHost?.close();
});

/** Opens a partner page, recording every request the browser makes. */
async function open(path = "/", contextOptions = {}) {
  const session = await newPage(browser, contextOptions);
  const requests = [];
  const responses = [];
  session.page.on("request", (request) => requests.push(request.url()));
  session.page.on("response", (response) => responses.push(response));
  await session.page.goto(new URL(path, site.url).href);
  await session.page.locator("bao-testimonials [role=group][aria-roledescription=témoignage]").first().waitFor({ state: "attached" });
  // These tests drive the live carousel; first-paint.test.mjs covers the moments before it.
  await session.page.locator("bao-testimonials[data-bao-live]").waitFor({ state: "attached" });
  return { ...session, requests, responses };
}

const visibleSlide = (page) => page.locator("bao-testimonials .slide");
const pickerCount = (page) => page.locator("bao-testimonials [aria-label='Choisir un témoignage'] [role=tab]").count();

// The demo's other resources hot-link images whose hosts do not resolve here; not on these pages.
test("before any click, the page asks nothing of any host but the partner's and ours", async () => {
  const { page, problems, close, requests, responses } = await open();
  await visibleSlide(page).locator("button.play img").waitFor();
  await page.waitForLoadState("networkidle");
  const origins = new Set(requests.map((url) => new URL(url).origin));
  assert.deepEqual([...origins].sort(), [new URL(site.url).origin, new URL(server.url).origin].sort());
  assert.ok(requests.some((url) => url.includes("/api/v1/testimonials?")), "the list came from our API");
  assert.ok(requests.some((url) => url.includes("bao_media")), "a carousel-only page loads the media module");
  assert.ok(!requests.some((url) => url.includes("bao_widget")), "…not the full one");
  const wasm = responses.find((response) => response.url().endsWith(".wasm"));
  assert.equal(await wasm.headerValue("content-encoding"), "br", "the wasm comes brotli-compressed by the build");
  // The first poster is the server's resized copy (the demo's own file here), never the host's.
  assert.ok(!requests.some((url) => url.startsWith(videoHost.url)));
  assert.deepEqual(problems, []);
  await close();
});

test("the carousel follows the APG pattern: labelled region, slides as groups, named controls", async () => {
  const { page, problems, close } = await open();
  const region = page.locator("bao-testimonials section[aria-roledescription=carrousel]");
  assert.equal(await region.getAttribute("aria-label"), "Témoignages filmés");
  const slides = page.locator("bao-testimonials [role=group][aria-roledescription=témoignage]");
  const count = await pickerCount(page);
  assert.ok(count >= 3, `${count} slides`);
  assert.equal(await slides.count(), 1, "one slide in the page at a time");
  assert.equal(await slides.first().getAttribute("aria-label"), `1 sur ${count}`);
  assert.equal(await page.locator("bao-testimonials #bao-slides").getAttribute("aria-live"), "polite");
  const play = visibleSlide(page).locator("button.play");
  assert.equal(await play.getAttribute("aria-label"), "Lire la vidéo : L'atelier vélo du quartier (hébergée par multiBàO)");
  // The picker is a tab list (APG): one tab stop, the current slide's tab selected.
  const picker = page.locator("bao-testimonials [role=tablist][aria-label='Choisir un témoignage'] [role=tab]");
  assert.equal(await picker.count(), count);
  assert.equal(await picker.first().getAttribute("aria-selected"), "true");
  assert.deepEqual(await picker.evaluateAll((tabs) => tabs.map((tab) => tab.tabIndex)), [0, ...Array(count - 1).fill(-1)]);
  // Every control is at least 24 × 24 CSS pixels (WCAG 2.2 target size).
  const sizes = await page.evaluate(() =>
    [...document.querySelector("bao-testimonials").shadowRoot.querySelectorAll("button, a, summary")]
      .filter((element) => element.getClientRects().length > 0 && !element.closest("p, blockquote"))
      .map((element) => [element.textContent.trim().slice(0, 20), element.getBoundingClientRect().width, element.getBoundingClientRect().height]),
  );
  for (const [name, width, height] of sizes) assert.ok(width >= 24 && height >= 24, `${name}: ${width}×${height}`);
  // Attribution of the commons: licence, network, source, canonical page.
  const slide = visibleSlide(page);
  assert.match(await slide.locator(".licence").textContent(), /Licence : CC BY-SA 4\.0/);
  assert.match(await slide.locator(".who").textContent(), /Karim B\. · Réseau des communs exemplaires \(démo\) · 12 s/);
  assert.equal(await slide.locator("a", { hasText: "Page du témoignage" }).getAttribute("href"), `${server.url}r/exemples-atelier-velo`);
  assert.deepEqual(problems, []);
  await close();
});

test("a testimony whose source says where it lives links there, on its forge and branch", async () => {
  const { page, problems, close } = await open("/tests");
  const source = visibleSlide(page).locator(".licence a", { hasText: "Source" });
  assert.match(await source.getAttribute("href"), new RegExp(`^${FIXTURES_FORGE}/-/blob/main/temoignages/[a-z-]+\\.md$`));
  assert.deepEqual(problems, []);
  await close();
});

test("keyboard only: from the first slide to the last and round, then play a video with captions", async () => {
  const { page, problems, close } = await open();
  const count = await pickerCount(page);
  // Tab order: play, transcript, links of the slide, then previous, picker, next.
  await page.locator("body").focus();
  const focusedName = () =>
    page.evaluate(() => {
      const active = document.activeElement?.shadowRoot?.activeElement ?? document.activeElement;
      return active.getAttribute("aria-label") || active.textContent.trim();
    });
  const names = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Tab");
    names.push(await focusedName());
  }
  assert.match(names[0], /^Lire la vidéo : L'atelier vélo du quartier/);
  assert.equal(names[1], "CC BY-SA 4.0");
  // The demo's own content has no web address given: no "Source" link (never a guessed one).
  assert.equal(names[2], "Transcription");
  assert.equal(names[3], "Page du témoignage : L'atelier vélo du quartier");
  assert.equal(names[4], "Témoignage précédent");
  // The picker is one tab stop (APG tabs): its arrows choose the slide, Home and End its ends.
  await page.keyboard.press("Tab");
  assert.match(await focusedName(), new RegExp(`^1 sur ${count} : `));
  await page.keyboard.press("ArrowRight");
  assert.equal(await visibleSlide(page).getAttribute("aria-label"), `2 sur ${count}`);
  assert.match(await focusedName(), new RegExp(`^2 sur ${count} : `), "the focus follows the chosen tab");
  await page.keyboard.press("End");
  assert.equal(await visibleSlide(page).getAttribute("aria-label"), `${count} sur ${count}`);
  await page.keyboard.press("ArrowRight");
  assert.equal(await visibleSlide(page).getAttribute("aria-label"), `1 sur ${count}`, "the arrows wrap round");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Home");
  assert.equal(await visibleSlide(page).getAttribute("aria-label"), `1 sur ${count}`);
  await page.keyboard.press("Tab");
  assert.equal(await focusedName(), "Témoignage suivant");
  for (let i = 2; i <= count; i++) {
    await page.keyboard.press("Enter");
    assert.equal(await visibleSlide(page).getAttribute("aria-label"), `${i} sur ${count}`);
  }
  assert.equal(await focusedName(), "Témoignage suivant", "focus stays on the button");
  await page.keyboard.press("Enter");
  assert.equal(await visibleSlide(page).getAttribute("aria-label"), `1 sur ${count}`, "wraps round");

  // Back to the play button with Shift+Tab, and play: the browser's player takes the focus.
  for (let i = 0; i < count + 6; i++) {
    await page.keyboard.press("Shift+Tab");
    if ((await focusedName()).startsWith("Lire la vidéo")) break;
  }
  await page.keyboard.press("Enter");
  const video = visibleSlide(page).locator("video");
  await video.waitFor();
  assert.equal(await page.evaluate(() => document.querySelector("bao-testimonials").shadowRoot.activeElement?.tagName), "VIDEO");
  const tracks = await video.locator("track").evaluateAll((tracks) => tracks.map((t) => [t.srclang, t.label, t.kind]));
  assert.deepEqual(tracks.sort(), [["en", "English", "captions"], ["fr", "Français", "captions"]]);
  await page.waitForFunction(() => document.querySelector("bao-testimonials").shadowRoot.querySelector("video").currentTime > 0.3);
  const cues = await video.evaluate((v) => [...v.textTracks].filter((t) => t.mode === "showing").map((t) => [t.language, t.cues?.length ?? 0]));
  assert.deepEqual(cues, [["fr", 3]], "on a French page, the French captions are loaded and shown");
  assert.deepEqual(await page.evaluate(() => window.__played), [{ id: "exemples-atelier-velo", title: "L'atelier vélo du quartier", provider: "file" }]);
  // Leaving the slide stops the video (the facade comes back).
  await page.locator("bao-testimonials button[aria-label='Témoignage suivant']").click();
  assert.equal(await page.locator("bao-testimonials video").count(), 0);
  assert.deepEqual(problems, []);
  await close();
});

test("the provider's player is asked for only after the click, and gets the focus", async () => {
  const { page, problems, close, requests } = await open("/tests");
  const slide = visibleSlide(page);
  await slide.locator("button.play img").waitFor();
  await page.waitForLoadState("networkidle");
  assert.equal(await slide.locator("h2").textContent(), "Le café des parents");
  const play = slide.locator("button.play");
  assert.equal(await play.getAttribute("aria-label"), `Lire la vidéo : Le café des parents (hébergée par ${new URL(videoHost.url).host})`);
  // The poster is the server's JPEG, resized from the host's 1280 × 720 PNG.
  const poster = await slide.locator("button.play img").evaluate((img) => [img.currentSrc, img.naturalWidth, img.naturalHeight]);
  assert.equal(poster[0], `${server.url}api/v1/testimonials/fixtures-entretien-tube/poster`);
  assert.deepEqual(poster.slice(1), [640, 360]);
  assert.ok(!requests.some((url) => url.startsWith(videoHost.url)), "nothing asked of the video host yet");

  await play.focus();
  await page.keyboard.press("Enter");
  const iframe = slide.locator("iframe");
  await iframe.waitFor();
  assert.equal(await iframe.getAttribute("src"), `${videoHost.url}/videos/embed/cafe-42?autoplay=1`);
  assert.equal(await iframe.getAttribute("title"), "Vidéo : Le café des parents");
  await page.waitForFunction(() => document.querySelector("bao-testimonials").shadowRoot.activeElement?.tagName === "IFRAME");
  await iframe.contentFrame().locator("p").waitFor();
  assert.ok(requests.some((url) => url.startsWith(`${videoHost.url}/videos/embed/cafe-42`)), "the player loads after the click");
  assert.equal((await page.evaluate(() => window.__played))[0].provider, "peertube");
  assert.deepEqual(problems, []);
  await close();
});

test("a testimony without poster, captions or transcript still renders, and its text cannot run script", async () => {
  const { page, problems, close } = await open("/tests");
  await page.locator("bao-testimonials button[aria-label^='2 sur 2 :']").click();
  const slide = visibleSlide(page);
  assert.match(await slide.locator("h2").textContent(), /^<img src=x onerror=window.__pwned=1> Sans affiche$/);
  assert.equal(await slide.locator(".quote").textContent(), "« Une citation & la suite »");
  assert.equal(await slide.locator("details").count(), 0, "no transcript, no disclosure");
  const img = slide.locator("button.play img");
  await page.waitForFunction(
    () => document.querySelector("bao-testimonials").shadowRoot.querySelector(".slide button.play img")?.complete,
  );
  const [src, width] = await img.evaluate((i) => [i.currentSrc, i.naturalWidth]);
  assert.equal(src, `${server.url}api/v1/testimonials/fixtures-sans-rien/poster`);
  assert.ok(width > 0, "the placeholder poster drawn by the server is an image");
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(problems, []);
  await close();
});

test("touch: a swipe moves to the next slide; the buttons remain the alternative", async () => {
  const { page, problems, close } = await open();
  await visibleSlide(page).waitFor();
  const swipe = (fromX, toX) =>
    page.evaluate(([fromX, toX]) => {
      const slides = document.querySelector("bao-testimonials").shadowRoot.querySelector("#bao-slides");
      const event = (type, x) => new PointerEvent(type, { pointerType: "touch", clientX: x, clientY: 200, bubbles: true });
      slides.dispatchEvent(event("pointerdown", fromX));
      slides.dispatchEvent(event("pointerup", toX));
    }, [fromX, toX]);
  await swipe(300, 120);
  await page.locator("bao-testimonials .slide[aria-label^='2 sur ']").waitFor();
  await swipe(120, 300);
  assert.match(await visibleSlide(page).getAttribute("aria-label"), /^1 sur /);
  await swipe(300, 280);
  assert.match(await visibleSlide(page).getAttribute("aria-label"), /^1 sur /, "a small move is not a swipe");
  assert.deepEqual(problems, []);
  await close();
});

test("motion: each new slide animates in, except for visitors who ask for reduced motion", async () => {
  for (const reducedMotion of ["no-preference", "reduce"]) {
    const { page, close } = await open("/", { reducedMotion });
    // The first slide does not move in: not when painted, not when the wasm takes over.
    const names = [await visibleSlide(page).evaluate((slide) => getComputedStyle(slide).animationName)];
    for (let i = 0; i < 2; i++) {
      await page.locator("bao-testimonials button[aria-label='Témoignage suivant']").click();
      const moved = page.locator(`bao-testimonials .slide[aria-label^='${i + 2} sur ']`);
      names.push(await moved.evaluate((slide) => getComputedStyle(slide).animationName));
    }
    if (reducedMotion === "reduce") assert.deepEqual(names, ["none", "none", "none"]);
    // A new name each move: the browser restarts the animation of the slide rebuilt in place.
    else assert.deepEqual(names, ["none", "bao-slide-in", "bao-slide-in-again"]);
    await close();
  }
});

test("the transcript is a disclosure that reveals what is said", async () => {
  const { page, problems, close } = await open();
  const details = visibleSlide(page).locator("details.transcript");
  assert.equal(await details.evaluate((d) => d.open), false);
  await details.locator("summary").click();
  assert.match(await details.textContent(), /Bonjour, je m'appelle Karim\./);
  assert.deepEqual(problems, []);
  await close();
});

test("the carousel passes an axe-core audit (WCAG 2.1 A and AA), before and while playing", async () => {
  const { page, problems, close } = await open();
  await visibleSlide(page).locator("button.play img").waitFor();
  for (const step of ["facade", "playing"]) {
    if (step === "playing") await visibleSlide(page).locator("button.play").click();
    const results = await audit(page, "bao-testimonials");
    assert.deepEqual(results.violations, [], step);
    assert.ok(results.passes > 5, "axe-core really checked the carousel");
  }
  assert.deepEqual(problems, []);
  await close();
});

test("no testimony for the filters: a sentence says so", async () => {
  const { page, problems, close } = await newPage(browser);
  await page.goto(new URL("/vide", site.url).href);
  const empty = page.locator("bao-testimonials .empty");
  await empty.waitFor();
  assert.equal(await empty.textContent(), "Aucun témoignage filmé pour ce choix.");
  assert.deepEqual(problems, []);
  await close();
});

test("a video of ours whose server is gone says so instead of a dead player; one testimony has no prev/next", async () => {
  const other = await startServer({ seedFixtures: false });
  const page_ = await startHostSite({ "/": ELEMENT_PAGE(other.url, 'network="exemples"') });
  const { page, problems, close } = await newPage(browser);
  await page.goto(page_.url);
  await page.locator("bao-testimonials .slide h2").waitFor();
  assert.equal(await page.locator("bao-testimonials .controls").isVisible(), false, "a single testimony");
  await page.waitForLoadState("networkidle");
  await other.stop();
  await page.locator("bao-testimonials button.play").click();
  const failed = page.locator("bao-testimonials .failed");
  await failed.waitFor();
  assert.equal(await failed.textContent(), "La vidéo ne peut pas être lue pour le moment. Réessayez plus tard.");
  assert.equal(await failed.getAttribute("role"), "alert");
  assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_(REFUSED|RESET)/.test(p)), []);
  await close();
  await page_.close();
});
