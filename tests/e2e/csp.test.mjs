// The elements on partner pages with a strict Content-Security-Policy: scripts from our origin
// only, WebAssembly allowed, no inline style at all. And the same page without
// 'wasm-unsafe-eval': the content shows all the same (the server's views need no wasm), and the
// console says which CSP line the interactive elements miss.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPage, startHostSite, startServer } from "./support.mjs";

let server;
let browser;
let site;

function strictPage(serverUrl, scriptSrc) {
  const origin = new URL(serverUrl).origin;
  const csp =
    `default-src 'none'; script-src ${scriptSrc}; connect-src ${origin}; img-src ${origin}; ` +
    `media-src ${origin}; style-src 'none'; base-uri 'none'`;
  return (
    `<!doctype html><html lang="fr"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}"><title>Site strict</title>` +
    `<script src="${serverUrl}embed.js"></script></head><body><main>` +
    `<bao-card resource="exemples-repair-cafe"><a href="${serverUrl}r/exemples-repair-cafe">Organiser un repair café</a></bao-card>` +
    `<bao-search><a href="${serverUrl}">Chercher dans multiBàO</a></bao-search>` +
    `<bao-testimonials limit="3"><a href="${serverUrl}r/exemples-atelier-velo">L'atelier vélo</a></bao-testimonials>` +
    `</main></body></html>`
  );
}

before(async () => {
  server = await startServer({ seedFixtures: false });
  browser = await launchBrowser();
  const origin = new URL(server.url).origin;
  site = await startHostSite({
    "/strict": strictPage(server.url, `${origin} 'wasm-unsafe-eval'`),
    "/sans-wasm": strictPage(server.url, origin),
  });
});

after(async () => {
  await site?.close();
  await browser?.close();
  await server?.stop();
});

test("a strict CSP (our scripts, 'wasm-unsafe-eval', no inline style) renders all three elements, styled", async () => {
  const { page, problems, close } = await newPage(browser);
  const violations = [];
  await page.exposeFunction("__violation", (text) => violations.push(text));
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) => window.__violation(`${e.violatedDirective} ${e.blockedURI}`)),
  );
  await page.goto(new URL("/strict", site.url).href);
  await page.locator("bao-card h2.title", { hasText: "Organiser un repair café" }).waitFor();
  await page.locator("bao-search input[role=combobox]").waitFor();
  await page.locator("bao-testimonials .slide h2").waitFor();
  // The stylesheets applied although style-src is 'none': constructed sheets, no inline style.
  const styles = await page.evaluate(() => ({
    card: getComputedStyle(document.querySelector("bao-card").shadowRoot.querySelector(".card")).borderTopLeftRadius,
    host: getComputedStyle(document.querySelector("bao-card")).display,
    next: getComputedStyle(document.querySelector("bao-testimonials").shadowRoot.querySelector(".step")).minWidth,
  }));
  assert.deepEqual(styles, { card: "12px", host: "block", next: "44px" });
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await close();
});

test("without 'wasm-unsafe-eval' the content still shows and the console names the missing CSP line", async () => {
  const { page, problems, close } = await newPage(browser);
  await page.goto(new URL("/sans-wasm", site.url).href);
  for (const shown of ["bao-card h2.title", "bao-search input[role=combobox]", "bao-testimonials .slide h2"]) {
    await assert.doesNotReject(page.locator(shown).waitFor(), shown);
  }
  // The carousel asks for its module as soon as the page is idle: refused, it says why.
  await page.waitForTimeout(1500);
  assert.equal(await page.locator("bao-testimonials .slide h2").count(), 1, "the painted carousel stays");
  const origin = new URL(server.url).origin;
  const hint = problems.find((problem) => problem.includes("multibao-embed : la politique de sécurité (CSP)"));
  assert.ok(hint, problems.join("\n"));
  assert.ok(hint.includes(`script-src : ${origin} 'wasm-unsafe-eval'`), hint);
  await close();
});

test("our own pages carry a strict CSP, framed where framing is their point, and break none of it", async () => {
  const pages = [
    ["", "frame-ancestors 'self'"],
    ["r/exemples-repair-cafe", "frame-ancestors 'self'"],
    ["r/exemples-atelier-velo", "frame-ancestors 'self'"],
    ["integrer", "frame-ancestors 'self'"],
    ["embed/r/exemples-repair-cafe", null],
    ["embed/temoignages?limit=3", null],
  ];
  for (const [path, ancestors] of pages) {
    const { page, problems, close } = await newPage(browser);
    const violations = [];
    await page.exposeFunction("__violation", (text) => violations.push(text));
    await page.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) => window.__violation(`${e.violatedDirective} ${e.blockedURI}`)),
    );
    const response = await page.goto(server.url + path);
    const policy = response.headers()["content-security-policy"] ?? "";
    assert.ok(policy.includes("script-src 'self' 'wasm-unsafe-eval'") && policy.includes("default-src 'none'"), `${path}: ${policy}`);
    assert.equal(policy.includes("frame-ancestors"), ancestors !== null, `${path}: ${policy}`);
    if (ancestors) assert.ok(policy.includes(ancestors), policy);
    await page.waitForLoadState("networkidle");
    const play = page.locator("button.play").first();
    if (path.startsWith("embed/temoignages")) {
      await play.click();
      await page.locator("video, iframe").first().waitFor();
      await page.waitForTimeout(300);
    }
    assert.deepEqual(violations, [], path);
    assert.deepEqual(problems, [], path);
    await close();
  }
});
