// Where the time goes between a partner page's FCP and its card's live view (issue 33): for 7 cold
// loads at 1×, when embed.js, the stylesheet and the first view were fetched (Resource Timing),
// DOMContentLoaded, the view put in the shadow root, each animation frame, and the bench's probe
// (two frames after the view is found). After `cargo xtask bench` (its release build and widget):
// `cd tests && node bench/timeline.mjs`.
import { hostPage, launchBrowser, startHostSite, startServer } from "../e2e/support.mjs";
const RESOURCE = "exemples-cercle-de-parole";
const server = await startServer({ seedFixtures: false, release: true });
const browser = await launchBrowser();
const element = `<bao-card resource="${RESOURCE}"><a href="#">Le cercle de parole</a><p>Un cercle.</p></bao-card>`;
const site = await startHostSite({ "/card": hostPage(`<script src="${server.url}embed.js"></script><main><h1>Une page partenaire</h1><p>Son propre texte.</p>${element}</main>`) });
const PROBE = () => {
  window.__t = {};
  document.addEventListener("DOMContentLoaded", () => (window.__t.dcl = performance.now()));
  const check = () => {
    const found = document.querySelector("bao-card")?.shadowRoot?.querySelector("h2.title");
    if (found) {
      window.__t.found = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => (window.__t.content = performance.now())));
    } else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    new MutationObserver(() => {
      if (!window.__t.inserted && root.querySelector("h2.title")) window.__t.inserted = performance.now();
    }).observe(root, { childList: true, subtree: true });
    return root;
  };
  window.__t.frames = [];
  const frame = (t) => { window.__t.frames.push(Math.round(t)); if (window.__t.frames.length < 30) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
};
const rows = [];
for (let i = 0; i < 7; i++) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  await page.goto(`${site.url}card`);
  await page.waitForFunction(() => window.__t.content !== undefined);
  rows.push(await page.evaluate(() => {
    const r = (part) => performance.getEntriesByType("resource").find((e) => e.name.includes(part));
    const span = (e) => (e ? `${e.startTime.toFixed(0)}→${e.responseEnd.toFixed(0)}` : "—");
    return {
      fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime.toFixed(0),
      embed: span(r("embed.js")), css: span(r(".css")), views: span(r("fragments")),
      dcl: window.__t.dcl.toFixed(0), inserted: window.__t.inserted?.toFixed(0), frames: window.__t.frames.slice(0, 12).join(" "), found: window.__t.found.toFixed(0), content: window.__t.content.toFixed(0),
    };
  }));
  await context.close();
}
console.table(rows);
await site.close();
await browser.close();
await server.stop();
