// Embedding without our script tag, in headless Chromium: the oEmbed answer's iframe as WordPress
// keeps it (sandboxed, with a blockquote fallback and WordPress's height protocol), and our own
// iframe snippet with /resize.js. Both must render the element and fit their content.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { hostPage, launchBrowser, newPage, startHostSite, startServer } from "./support.mjs";

let server;
let browser;
let site;

// What WordPress's wp-embed.js does with the messages of an embedded iframe, reduced to that:
// the secret must match the iframe's and the sender must be that iframe; a height is kept between
// 200 and 1000 px; a link is followed by the top page only when it goes to the iframe's own host
// and the iframe has the focus.
const WORDPRESS_EMBED_SCRIPT = `<script>
window.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || !data.secret || !/^[A-Za-z0-9]+$/.test(data.secret)) return;
  for (const frame of document.querySelectorAll('iframe[data-secret="' + data.secret + '"]')) {
    if (frame.contentWindow !== event.source) continue;
    for (const quotation of document.querySelectorAll('blockquote[data-secret="' + data.secret + '"]')) quotation.style.display = "none";
    frame.removeAttribute("style");
    if (data.message === "height") frame.height = Math.min(Math.max(Number(data.value), 200), 1000);
    if (data.message === "link") {
      const source = new URL(frame.getAttribute("src"), location.href);
      const target = new URL(data.value, location.href);
      if (target.host === source.host && document.activeElement === frame) window.top.location.href = data.value;
    }
  }
});
</script>`;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const page = `${server.url}r/exemples-cercle-de-parole`;
  const oembed = await (await fetch(`${server.url}oembed?url=${encodeURIComponent(page)}&format=json`)).json();
  // WordPress strips the styles, sandboxes the iframe, gives it and the quotation a secret, and
  // shows the quotation's link until the iframe says its height.
  const secret = "Xk3pQ9";
  const kept = oembed.html
    .replace(/ style="[^"]*"/g, "")
    .replace("<blockquote ", `<blockquote data-secret="${secret}" `)
    .replace("<iframe ", `<iframe sandbox="allow-scripts" security="restricted" data-secret="${secret}" `)
    .replace(/<iframe ([^>]*?)src="([^"]+)"/, `<iframe $1src="$2#?secret=${secret}"`);
  site = await startHostSite({
    "/wordpress": hostPage(
      `<main><h1>Article WordPress</h1>${kept}<p id="after">Suite de l'article.</p></main>${WORDPRESS_EMBED_SCRIPT}`,
    ),
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

test("the oEmbed iframe, as WordPress keeps it (sandboxed), renders the card and fits its height", async () => {
  const { page, problems, close } = await newPage(browser);
  await page.goto(new URL("/wordpress", site.url).href);
  const frame = page.frameLocator("iframe.wp-embedded-content");
  await frame.locator("bao-card h2.title", { hasText: "Le cercle de parole" }).waitFor();
  await page.waitForFunction(() => document.querySelector("iframe.wp-embedded-content").height !== "480");
  const [height, content] = await Promise.all([
    page.locator("iframe.wp-embedded-content").getAttribute("height"),
    frame.locator("html").evaluate((html) => Math.ceil(html.getBoundingClientRect().height)),
  ]);
  assert.ok(Math.abs(Number(height) - content) <= 2, `iframe ${height} px for ${content} px of content`);
  assert.equal(await page.locator("blockquote.wp-embedded-content").isVisible(), false, "the quotation gives way to the frame");
  // The licence travels with the embed.
  assert.equal(await frame.locator("bao-card a[rel=license]").textContent(), "CC BY-SA 4.0");
  assert.deepEqual(problems, []);
  await close();
});

test("in WordPress's sandboxed iframe, clicked links navigate the page: ours, and a licence through /lien", async () => {
  const { page, problems, close } = await newPage(browser);
  // The licence's site is a third party: answer for it here, the test machine has no Internet.
  await page.route("https://creativecommons.org/**", (route) => route.fulfill({ contentType: "text/html", body: "<title>CC</title>licence" }));
  await page.goto(new URL("/wordpress", site.url).href);
  const frame = page.frameLocator("iframe.wp-embedded-content");
  const pageLink = frame.locator("bao-card a", { hasText: "Page de la fiche" });
  await pageLink.waitFor();
  await pageLink.click();
  await page.waitForURL(`${server.url}r/exemples-cercle-de-parole`);
  assert.match(await page.locator("h1").textContent(), /Le cercle de parole/);

  await page.goto(new URL("/wordpress", site.url).href);
  await frame.locator("bao-card a[rel=license]").click();
  await page.waitForURL(/^https:\/\/creativecommons\.org\/licenses\/by-sa\/4\.0\//);
  assert.deepEqual(problems.filter((p) => !p.includes("creativecommons")), []);
  await close();
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
