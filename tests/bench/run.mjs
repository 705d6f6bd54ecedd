// Benchmarks of multibao-embed (run by `cargo xtask bench`; see BENCHMARKS.md). Measures, in one
// run on this machine: the bundle's files; per element, a partner page's first content painted
// against its own FCP (1× and 4× CPU) and the bytes before content and for interaction; the demo
// page's first card and CLS; the resource endpoint's throughput (and its 304, and the card's first
// view) with a bare axum handler as baseline; search over a 100k synthetic corpus; syncing.
// Writes what it measured to target/bench/run.json; report.mjs renders it (target/bench/report.md)
// and derives its flat figures (target/bench/report.json).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { DEMO_IDS, ROOT, hostPage, launchBrowser, startHostSite, startNginx, startServer } from "../e2e/support.mjs";
import { figuresOf, markdown, writeRun } from "./report.mjs";

const LOADS = Number(process.env.BENCH_LOADS || 15);
const WRK_RUNS = Number(process.env.BENCH_WRK_RUNS || 3);
const WRK_SECONDS = Number(process.env.BENCH_WRK_SECONDS || 10);
const RESOURCE = "exemples-cercle-de-parole";
const SYNC_FILES = Number(process.env.BENCH_SYNC_FILES || 10_000);
const SYNC_RUNS = Number(process.env.BENCH_SYNC_RUNS || 5);
/** `BENCH_ONLY=sync,search` runs those sections only (the others take minutes). */
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(",") : null;


async function bundleSize() {
  const embed = await (await get(`${server.url}embed.js`)).text();
  const fetchBytes = async (name) => Buffer.from(await (await get(`${server.url}widget/${name}`)).arrayBuffer());
  const sizes = (bytes) => [
    bytes.length,
    gzipSync(bytes, { level: 9 }).length,
    brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  ];
  const files = [["embed.js", Buffer.from(embed)]];
  for (const name of embed.match(/bao[-_][\w-]+\.[0-9a-f]{16}\.(?:js|wasm|css)/g).filter((v, i, all) => all.indexOf(v) === i)) {
    files.push([name, await fetchBytes(name)]);
  }
  return {
    files: files.map(([name, bytes]) => {
      const [raw, gzip, brotli] = sizes(bytes);
      return { name, raw, gzip, brotli };
    }),
  };
}

// Records, inside the page, when the static fallback first painted (FCP: the baseline) and when
// the first card's title is painted (two animation frames after it is in the shadow root).
const PAINT_PROBE = () => {
  window.__bench = { shifts: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__bench.shifts += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  const check = () => {
    const title = document.querySelector("bao-card")?.shadowRoot?.querySelector("h2");
    if (title) {
      requestAnimationFrame(() => requestAnimationFrame(() => (window.__bench.card = performance.now())));
    } else {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
};

async function loadOnce(throttle) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  await page.addInitScript(PAINT_PROBE);
  await page.goto(`${server.url}demo/`);
  await page.waitForFunction(() => window.__bench.card !== undefined, null, { timeout: 60_000 });
  await page.waitForTimeout(1000); // let late shifts, if any, be recorded
  const result = await page.evaluate(() => ({
    card: window.__bench.card,
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
    cls: window.__bench.shifts,
  }));
  await context.close();
  return result;
}

/** What a partner page holding one element shows first, and when it is ready for the visitor.
 * Each element holds what the builder's snippet puts inside it (issue 33), its first line marked
 * `data-bao-text`: when that text paints is the « text » time. */
const ELEMENT_PAGES = {
  card: {
    element: `<bao-card resource="${RESOURCE}"><a href="#" data-bao-text>Le cercle de parole</a>` +
      "<p>Un cercle pour que chacun parle à son tour.</p><p>Réseau des communs exemplaires (démo) · CC BY-SA 4.0</p></bao-card>",
    content: "bao-card h2.title",
  },
  search: {
    element: '<bao-search><form role="search" action="#"><label data-bao-text>Chercher dans multiBàO ' +
      '<input type="search" name="q"></label> <button type="submit">Chercher</button></form></bao-search>',
    content: "bao-search input",
    live: "bao-search input[role=combobox]",
  },
  carousel: {
    element: '<bao-testimonials limit="8"><a href="#" data-bao-text>L\'atelier vélo du quartier</a>' +
      "<blockquote><p>On répare ensemble, on apprend ensemble.</p></blockquote><p>Réseau des communs exemplaires (démo) · Karim B. · CC BY-SA 4.0</p></bao-testimonials>",
    content: "bao-testimonials .slide h2",
    live: "bao-testimonials",
  },
};

// When the element's content is first painted: two animation frames after it is in the shadow
// root (a carousel's first slide: with its poster decoded).
const CONTENT_PROBE = (selector) => {
  window.__bench = { shifts: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__bench.shifts += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  const [host, inner] = [selector.split(" ")[0], selector.split(" ").slice(1).join(" ")];
  // The element's own text: the first animation frame in which it has a box (the shadow root's
  // slot shows it) comes before the paint that shows it — the page's first one when it is there
  // by then.
  const text = () => {
    const own = document.querySelector("[data-bao-text]");
    if (own && own.getClientRects().length > 0) {
      window.__bench.text = performance.now();
    } else {
      requestAnimationFrame(text);
    }
  };
  requestAnimationFrame(text);
  const check = () => {
    const found = document.querySelector(host)?.shadowRoot?.querySelector(inner);
    const poster = host === "bao-testimonials" ? found?.closest(".slide")?.querySelector("button.play img") : null;
    if (found && (!poster || (poster.complete && poster.naturalWidth > 0))) {
      requestAnimationFrame(() => requestAnimationFrame(() => (window.__bench.content = performance.now())));
    } else {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
};

/** Bytes on the wire from our server, by what they are for: content (loader, stylesheets, first
 * views), interaction (wasm modules and the JSON they ask), images (posters). */
function bytesOf(transferred) {
  const bytes = { content: 0, interaction: 0, images: 0 };
  for (const [url, size] of transferred) {
    const { pathname } = new URL(url);
    if (/^\/(embed\.js|fragments($|\/)|widget\/bao-[\w-]+\.[0-9a-f]+\.css)/.test(pathname)) bytes.content += size;
    else if (/^\/(widget\/bao_|api\/v1\/(search|testimonials|resources)($|\?|\/[^/]+$))/.test(pathname)) bytes.interaction += size;
    else if (!url.startsWith(partnerOrigin)) bytes.images += size;
  }
  return bytes;
}
let partnerOrigin = "";

/** One cold load of a partner page holding one element of `kind`. */
async function elementLoadOnce(url, kind, throttle) {
  const { content, live } = ELEMENT_PAGES[kind];
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  await cdp.send("Network.enable");
  const urls = new Map();
  const transferred = new Map();
  cdp.on("Network.requestWillBeSent", (event) => urls.set(event.requestId, event.request.url));
  cdp.on("Network.loadingFinished", (event) => transferred.set(urls.get(event.requestId), event.encodedDataLength));
  await page.addInitScript(CONTENT_PROBE, content);
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.content !== undefined, null, { timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  const painted = await page.evaluate(() => ({
    content: window.__bench.content,
    text: window.__bench.text,
    cls: window.__bench.shifts,
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
  }));
  const beforeAnyMove = bytesOf(transferred);
  // The search loads its module when the visitor comes to the box.
  if (kind === "search") await page.locator(live).focus();
  if (live) await page.locator(`${live.split(" ")[0]}[data-bao-live]`).waitFor({ state: "attached", timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  const interactive = bytesOf(transferred);
  await context.close();
  return { ...painted, beforeAnyMove, interactive };
}

async function elementLoads() {
  // Each element's page as the builder's snippet makes it, and with the builder's optional line
  // that preloads its first view in the page's head (the address embed.js says it asks).
  const body = (element) => `<script src="${server.url}embed.js"></script><main><h1>Une page partenaire</h1><p>Son propre texte.</p>${element}</main>`;
  const pages = Object.fromEntries(Object.entries(ELEMENT_PAGES).map(([kind, { element }]) => [`/${kind}`, hostPage(body(element))]));
  const site = await startHostSite(pages);
  partnerOrigin = new URL(site.url).origin;
  for (const [kind, { element, content }] of Object.entries(ELEMENT_PAGES)) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}${kind}`);
    const address = await page.evaluate(async (tag) => (await customElements.whenDefined(tag)).preload(document.querySelector(tag)), content.split(" ")[0]);
    await context.close();
    pages[`/${kind}-preload`] = hostPage(body(element), `<link rel="preload" href="${address}" as="fetch" crossorigin>`);
  }
  // The control: a page whose HTML holds the card already painted (our own frame page).
  const painted = `${server.url}embed/r/${RESOURCE}`;
  try {
    const rows = [];
    const variants = Object.keys(ELEMENT_PAGES).flatMap((kind) => [[kind, "snippet"], [kind, "preload"]]).concat([["card", "painted"]]);
    for (const [kind, variant] of variants) {
      const url = { snippet: `${site.url}${kind}`, preload: `${site.url}${kind}-preload`, painted }[variant];
      for (const throttle of [1, 4]) {
        const runs = [];
        for (let i = 0; i < LOADS; i++) runs.push(await elementLoadOnce(url, kind, throttle));
        rows.push({ kind, variant, throttle, runs });
      }
    }
    return { loads: LOADS, rows };
  } finally {
    await site.close();
  }
}

/** A slow phone, as Lighthouse's mobile preset: 4× CPU, 1.6 Mbps down, 750 kbps up, 150 ms RTT. */
const SLOW_PHONE = { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8, offline: false };
const WORDPRESS_LOADS = Number(process.env.BENCH_WORDPRESS_LOADS || 7);

// In the post's page and in our frame alike (the same clock, epoch milliseconds): when WordPress
// shows the frame at its height (it hides it until our first message), and when the card's title
// is painted inside it.
const FRAME_PROBE = () => {
  const now = () => performance.timeOrigin + performance.now();
  window.__bench = {};
  const inFrame = location.pathname.startsWith("/embed/");
  const check = () => {
    if (inFrame) {
      if (document.querySelector("bao-card")?.shadowRoot?.querySelector("h2.title")) {
        return requestAnimationFrame(() => requestAnimationFrame(() => (window.__bench.card = now())));
      }
    } else if (document.querySelector("iframe.wp-embedded-content:not([style])")) {
      return (window.__bench.shown = now());
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
};

/** A card in a real WordPress post (its address alone on a line: WordPress's oEmbed), on a slow phone. */
async function wordpress() {
  const { startWordPress, wordPressAvailable } = await import("../e2e/wordpress.mjs");
  if (!wordPressAvailable()) throw new Error("no WordPress here: `cargo xtask bench` unpacks it");
  const host = "asso-des-communs.fr";
  // One renderer for the post and our frame, so that the CPU and network limits hold for both.
  const phone = await launchBrowser({
    args: [`--host-resolver-rules=MAP ${host} 127.0.0.1`, "--disable-site-isolation-trials", "--disable-features=IsolateOrigins,site-per-process"],
  });
  const site = await startWordPress({ host, plugin: `${server.url}integrer/multibao-wordpress.zip` });
  try {
    await site.evaluate(`update_option('multibao_serveur', '${server.url.replace(/\/$/, "")}');`);
    const post = await site.post("Une fiche du commun", `Voici une fiche que nous aimons :\n\n${server.url}r/${RESOURCE}\n\nSuite de l'article.`);
    // WordPress keeps our oEmbed answer with the post on its first view: that one is not timed.
    const warm = await phone.newPage();
    await warm.goto(post);
    await warm.close();
    const runs = [];
    for (let i = 0; i < WORDPRESS_LOADS; i++) {
      const context = await phone.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, deviceScaleFactor: 2 });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", SLOW_PHONE);
      await page.addInitScript(FRAME_PROBE);
      await page.goto(post, { timeout: 120_000 });
      await page.waitForFunction(() => window.__bench.shown !== undefined, null, { timeout: 120_000 });
      const frame = page.frames().find((f) => f.url().includes(`/embed/r/${RESOURCE}`));
      await frame.waitForFunction(() => window.__bench.card !== undefined, null, { timeout: 120_000 });
      const [start, fcp, shown] = await page.evaluate(() => [
        performance.timeOrigin,
        performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
        window.__bench.shown,
      ]);
      const card = await frame.evaluate(() => window.__bench.card);
      runs.push({ fcp, card: card - start, shown: shown - start });
      await context.close();
    }
    return { runs };
  } finally {
    await site.stop();
    await phone.close();
  }
}

async function pageLoads() {
  const rows = [];
  for (const throttle of [1, 4]) {
    const runs = [];
    for (let i = 0; i < LOADS; i++) runs.push(await loadOnce(throttle));
    rows.push({ throttle, runs });
  }
  return { loads: LOADS, rows };
}

/**
 * `fetch`, and once more if the kept-alive connection it reused had been closed by the server:
 * wrk runs synchronously, so the client's idle timer cannot drop such a connection first.
 */
async function get(url) {
  try {
    return await fetch(url);
  } catch (error) {
    if (error.cause?.code !== "UND_ERR_SOCKET") throw error;
    return fetch(url);
  }
}

function wrk(url, options = {}) {
  return wrkFigures(url, execFileSync("wrk", wrkArgs(url, options)).toString());
}

/** The same as `wrk`, run beside what the caller does meanwhile. */
function wrkBeside(url, options = {}) {
  return new Promise((resolve, reject) => {
    let out = "";
    const child = spawn("wrk", wrkArgs(url, options), { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("exit", () => {
      try {
        resolve(wrkFigures(url, out));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** wrk's `done` hook: its figures as one line of JSON, the last it prints (times in µs). */
const WRK_REPORT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration_us":%d,"failed":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

/** wrk's arguments: its `script` (requests, headers), if any, followed by the JSON report. */
function wrkArgs(url, { connections = 32, script, seconds = WRK_SECONDS } = {}) {
  const reporting = script ? `${script}.report.lua` : join(ROOT, "target/bench/report.lua");
  writeFileSync(reporting, (script ? readFileSync(script, "utf8") : "") + WRK_REPORT);
  return ["-t2", `-c${connections}`, `-d${seconds}s`, "-s", reporting, url];
}

/** What wrk's JSON report says: requests, req/s, latencies in ms, failed answers and socket errors. */
function wrkReport(out) {
  const figures = JSON.parse(out.trim().split("\n").at(-1));
  return {
    requests: figures.requests,
    rps: figures.requests / (figures.duration_us / 1e6),
    p50: figures.p50_us / 1000,
    p99: figures.p99_us / 1000,
    failed: figures.failed,
    socketErrors: figures.socket_errors,
  };
}

/** wrk's figures of a run in which every answer must succeed. */
function wrkFigures(url, out) {
  const figures = wrkReport(out);
  if (figures.failed) throw new Error(`${figures.failed} failed responses from ${url}:\n${out}`);
  return figures;
}

async function throughput() {
  const resourceUrl = `${server.url}api/v1/resources/${RESOURCE}`;
  const json = Buffer.from(await (await get(resourceUrl)).arrayBuffer());
  const jsonPath = join(ROOT, "target/bench/resource.json");
  writeFileSync(jsonPath, json);
  const baseline = spawn(join(ROOT, "target/release/examples/bare_baseline"), [jsonPath], { stdio: ["ignore", "pipe", "inherit"] });
  const baselineUrl = await new Promise((resolve) =>
    baseline.stdout.on("data", (chunk) => resolve(chunk.toString().match(/http:\/\/\S+\//)[0])),
  );
  const etag = (await get(resourceUrl)).headers.get("etag");
  const revalidate = join(ROOT, "target/bench/if-none-match.lua");
  writeFileSync(revalidate, `wrk.headers["If-None-Match"] = ${JSON.stringify(etag)}\n`);
  // What a browser sends over https; the resource's answer is then the cache's brotli bytes.
  const acceptBrotli = join(ROOT, "target/bench/accept-br.lua");
  writeFileSync(acceptBrotli, `wrk.headers["Accept-Encoding"] = "gzip, deflate, br, zstd"\n`);
  try {
    const real = [];
    const bare = [];
    const notModified = [];
    const fragment = [];
    const brotli = [];
    // Alternate, so that noise on this shared machine falls on both alike.
    for (let i = 0; i < WRK_RUNS; i++) {
      bare.push(wrk(`${baselineUrl}api/v1/resources/${RESOURCE}`));
      real.push(wrk(resourceUrl));
      notModified.push(wrk(resourceUrl, { script: revalidate }));
      fragment.push(wrk(`${server.url}fragments/card/${RESOURCE}`));
      brotli.push(wrk(resourceUrl, { script: acceptBrotli }));
    }
    return { jsonBytes: json.length, seconds: WRK_SECONDS, wrk: { bare, real, notModified, fragment, brotli } };
  } finally {
    baseline.kill();
  }
}

/** What the server's listener and each of its layers cost (`server/examples/layer_bench.rs`): one
 * bare handler answering the resource's bytes, served by axum's own `serve`, then by our listener,
 * then within each layer added in turn; runs alternate, so that noise falls on all alike. */
async function layers() {
  const json = Buffer.from(await (await get(`${server.url}api/v1/resources/${RESOURCE}`)).arrayBuffer());
  const jsonPath = join(ROOT, "target/bench/resource.json");
  writeFileSync(jsonPath, json);
  const child = spawn(join(ROOT, "target/release/examples/layer_bench"), [jsonPath], { stdio: ["pipe", "pipe", "inherit"] });
  const variants = JSON.parse(await new Promise((resolve) => child.stdout.once("data", (chunk) => resolve(chunk.toString()))));
  try {
    const runs = variants.map(() => []);
    for (let i = 0; i < WRK_RUNS; i++) {
      variants.forEach((variant, k) => runs[k].push(wrk(`${variant.url}api/v1/resources/${RESOURCE}`)));
    }
    return { seconds: WRK_SECONDS, variants: variants.map((variant, k) => ({ name: variant.name, runs: runs[k] })) };
  } finally {
    child.stdin.end();
    child.kill();
  }
}

/** The server behind nginx with deploy/nginx-site.conf, against the same nginx serving static
 * files of the same sizes. */
async function behindNginx() {
  const fragmentPath = `/fragments/card/${RESOURCE}`;
  const jsonPath = `/api/v1/resources/${RESOURCE}`;
  const fragment = Buffer.from(await (await get(new URL(fragmentPath, server.url))).arrayBuffer());
  const json = Buffer.from(await (await get(new URL(jsonPath, server.url))).arrayBuffer());
  const nginx = await startNginx(server.url, { "fragment.html": fragment, "resource.json": json });
  const base = nginx.url;
  try {
    const cacheStatus = async (path) => (await get(base + path.slice(1))).headers.get("x-cache-status");
    const statuses = [await cacheStatus(fragmentPath), await cacheStatus(fragmentPath)];
    const runs = { fragment: [], staticFragment: [], json: [], staticJson: [] };
    for (let i = 0; i < WRK_RUNS; i++) {
      runs.staticFragment.push(wrk(`${base}static/fragment.html`));
      runs.fragment.push(wrk(base + fragmentPath.slice(1)));
      runs.staticJson.push(wrk(`${base}static/resource.json`));
      runs.json.push(wrk(base + jsonPath.slice(1)));
    }
    return { seconds: WRK_SECONDS, statuses, fragmentBytes: fragment.length, jsonBytes: json.length, wrk: runs };
  } finally {
    await nginx.stop();
  }
}

const SEARCH_DOCS = Number(process.env.BENCH_SEARCH_DOCS || 100_000);
const SEARCH_CONNECTIONS = 8;

/** Starts the release server on an existing database, without seeds or demo. */
async function serveDatabase(db) {
  const args = ["--db", db, "serve", "--listen", "127.0.0.1:0", "--widget-dir", join(ROOT, "target/widget-dist")];
  const child = spawn(join(ROOT, "target/release/multibao-embed"), args, {
    stdio: ["ignore", "pipe", "inherit"],
    // wrk is one client: the per-client search rate would answer it 429.
    env: { ...process.env, RUST_LOG: "warn", BAO_SEARCH_RATE: "0", BAO_API_RATE: "0" },
  });
  const url = await new Promise((resolve) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) resolve(match[0]);
    });
  });
  return { url, child };
}

/** Resident memory of a process, from /proc: current and peak, in MiB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const mib = (key) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))[1]) / 1024;
  return { rss: mib("VmRSS"), peak: mib("VmHWM") };
}

async function search() {
  const out = join(ROOT, "target/bench/search");
  const corpus = JSON.parse(
    execFileSync(join(ROOT, "target/release/examples/search_corpus"), [join(ROOT, "../shared/data/multibao"), out, String(SEARCH_DOCS)], {
      maxBuffer: 1 << 26,
    }).toString(),
  );
  // Over HTTP: wrk sends the keystrokes in turn (a Lua script), against /healthz of the same server.
  const script = join(out, "typeahead.lua");
  const paths = corpus.sample_queries.map((q) => `"/api/v1/search?limit=8&q=${encodeURIComponent(q)}"`);
  writeFileSync(
    script,
    `local paths = {${paths.join(",")}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n`,
  );
  // The same keystrokes, each made unique (an extra parameter), so that none is answered from memory.
  const uncachedScript = join(out, "typeahead-uncached.lua");
  writeFileSync(
    uncachedScript,
    `local paths = {${paths.join(",")}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format("GET", paths[i % #paths + 1] .. "&n=" .. i)\nend\n`,
  );
  const server = await serveDatabase(corpus.db);
  try {
    const idle = memory(server.child.pid);
    const real = [];
    const bare = [];
    const uncached = [];
    for (let i = 0; i < WRK_RUNS; i++) {
      bare.push(wrk(`${server.url}healthz`, { connections: SEARCH_CONNECTIONS }));
      real.push(wrk(server.url, { connections: SEARCH_CONNECTIONS, script }));
      uncached.push(wrk(server.url, { connections: SEARCH_CONNECTIONS, script: uncachedScript }));
    }
    const loaded = memory(server.child.pid);
    // A backup of this database while it answers (README, « Sauvegarder et restaurer »): how long
    // it takes, and the answers' p99 over the load that holds it, against the same load before.
    const copy = join(out, "sauvegarde.sqlite3");
    const before = wrk(server.url, { connections: SEARCH_CONNECTIONS, script: uncachedScript });
    const during = wrkBeside(server.url, { connections: SEARCH_CONNECTIONS, script: uncachedScript });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const started = Date.now();
    execFileSync(join(ROOT, "target/release/multibao-embed"), ["--db", corpus.db, "backup", copy]);
    const backupSeconds = (Date.now() - started) / 1000;
    const held = await during;
    rmSync(copy, { force: true });
    // The corpus's figures, without its queries and paths.
    const { db, sample_queries, ...figures } = corpus;
    return {
      corpus: figures,
      seconds: WRK_SECONDS,
      connections: SEARCH_CONNECTIONS,
      queries: paths.length,
      wrk: { bare, real, uncached },
      backup: { seconds: backupSeconds, held, before },
      memory: { idle, loaded },
    };
  } finally {
    server.child.kill();
  }
}

async function sync() {
  const out = join(ROOT, "target/bench/sync");
  const measured = JSON.parse(
    execFileSync(join(ROOT, "target/release/examples/sync_bench"), [join(ROOT, "../shared/data/multibao"), out, String(SYNC_FILES), String(SYNC_RUNS)]).toString(),
  );
  return measured;
}

async function wikiSync() {
  const measured = JSON.parse(execFileSync(join(ROOT, "target/release/examples/wiki_sync_bench"), [String(SYNC_RUNS)]).toString());
  return measured;
}

async function openData() {
  const out = join(ROOT, "target/bench/opendata");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const real = join(out, "real.sqlite3");
  execFileSync(join(ROOT, "target/release/multibao-embed"), ["--db", real, "sync", "--sources", join(ROOT, "demo/sources.toml")], { stdio: "ignore" });
  const corpus = join(ROOT, "target/bench/search/corpus.sqlite3");
  if (!existsSync(corpus)) {
    execFileSync(join(ROOT, "target/release/examples/search_corpus"), [join(ROOT, "../shared/data/multibao"), join(ROOT, "target/bench/search"), String(SEARCH_DOCS)], { maxBuffer: 1 << 26 });
  }
  const bench = (...args) => JSON.parse(execFileSync(join(ROOT, "target/release/examples/opendata_bench"), args).toString());
  const exports = { real: bench("export", real, "3"), corpus: bench("export", corpus, "3") };
  const replication = bench("replicate", real, "3");
  return { exports, replication };
}

const REUSE_RESOURCES = Number(process.env.BENCH_REUSE_RESOURCES || 10_000);
const REUSE_SITES = Number(process.env.BENCH_REUSE_SITES || 1_000);

// The importer's cards of real repositories against what a reader finds in them (tests/corpus/).
async function corpus() {
  return { scorecard: execFileSync(join(ROOT, "target/release/examples/corpus_scorecard")).toString().trimEnd() };
}

/** Reuse counting: how fast beacons are taken in, and what a day of counts weighs. */
async function reuse() {
  // Each beacon from another client (X-Forwarded-For, from a proxy the server trusts) and another
  // site, for one of the demo's resources: every one is counted, none held back by a budget.
  const script = join(ROOT, "target/bench/beacon.lua");
  writeFileSync(script, [
    `local ids = {${DEMO_IDS.map((id) => JSON.stringify(id)).join(", ")}}`,
    `wrk.method = "POST"`,
    `wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"`,
    `local i = 0`,
    `request = function()`,
    `  i = i + 1`,
    `  wrk.headers["Origin"] = "https://www.association-" .. (i % 1000) .. ".fr"`,
    `  wrk.headers["X-Forwarded-For"] = "10." .. (i % 250) .. "." .. (math.floor(i / 250) % 250) .. "." .. (math.floor(i / 62500) % 250)`,
    `  return wrk.format(nil, nil, nil, '{"resource":"' .. ids[i % #ids + 1] .. '","element":"card","event":"display"}')`,
    `end`,
  ].join("\n") + "\n");
  const before = (await (await get(`${server.url}api/v1/stats`)).json()).displays;
  const beacons = [];
  const health = [];
  for (let run = 0; run < WRK_RUNS; run++) {
    beacons.push(wrk(`${server.url}api/v1/beacon`, { script }));
    health.push(wrk(`${server.url}healthz`));
  }
  const counted = (await (await get(`${server.url}api/v1/stats`)).json()).displays - before;
  const day = JSON.parse(execFileSync(join(ROOT, "target/release/examples/reuse_bench"), [join(ROOT, "target/bench/reuse"), String(REUSE_RESOURCES), String(REUSE_SITES)]).toString());
  rmSync(join(ROOT, "target/bench/reuse"), { recursive: true, force: true });
  return { seconds: WRK_SECONDS, beacons, health, counted, day };
}

const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS || 60);
const FUZZ_SECONDS = Number(process.env.BENCH_FUZZ_SECONDS || 120);

/** A peak of resident memory of a process, in MiB. */
const peakMib = (pid) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmHWM:\s+(\d+)/)[1]) / 1024;

/** What the attack and failure tests tried and what held: they run here at their full size. */
async function reliability() {
  const node = spawnSync("node", ["--test", "e2e/xss.test.mjs"], { cwd: join(ROOT, "tests"), encoding: "utf8" });
  if (node.status !== 0) throw new Error(`the XSS corpus failed:\n${node.stdout}`);
  const xss = JSON.parse(readFileSync(join(ROOT, "target/xss/report.json"), "utf8"));
  execFileSync("cargo", ["xtask", "fuzz", String(FUZZ_SECONDS)], { cwd: ROOT, stdio: "inherit" });
  const fuzz = JSON.parse(readFileSync(join(ROOT, "target/fuzz/report.json"), "utf8"));
  const cargo = spawnSync("cargo", ["test", "--locked", "-p", "bao-server", "--test", "it", "--", "openapi::", "faults::", "connections::", "--nocapture"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, BAO_API_FUZZ_EXAMPLES: "300", RUST_LOG: "error" },
  });
  if (cargo.status !== 0) throw new Error(`the fault tests failed:\n${cargo.stdout}\n${cargo.stderr}`);
  // What the tests print of what they tried.
  const line = (prefix) => cargo.stderr.split("\n").find((l) => l.startsWith(prefix))?.slice(prefix.length).trim();
  const faults = { schemathesis: line("schemathesis:"), kills: line("kill -9 during syncs:"), badSources: line("bad sources:"), reads: line("reads during a sync:") };
  return { xss, fuzzSeconds: FUZZ_SECONDS, fuzz, faults };
}

/** A partner page's traffic, mixed: the loader, first views, JSON, search keystrokes, posters. */
async function mixedLoad() {
  const paths = [
    "/embed.js", "/fragments/card/exemples-repair-cafe", "/fragments/testimonials?limit=3", "/api/v1/resources/exemples-cercle-de-parole",
    "/api/v1/testimonials?limit=3", "/api/v1/testimonials/exemples-atelier-velo/poster", "/r/exemples-gouvernance-partagee",
    ...["c", "ce", "cer", "cerc", "cercle", "r", "re", "rep", "repa", "repair"].map((q) => `/api/v1/search?limit=8&q=${q}`),
  ];
  const script = join(ROOT, "target/bench/mixed.lua");
  writeFileSync(script, `local paths = {${paths.map((p) => JSON.stringify(p)).join(", ")}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n`);
  const before = peakMib(server.child.pid);
  const figures = wrkReport(execFileSync("wrk", wrkArgs(server.url.replace(/\/$/, ""), { script, seconds: LOAD_SECONDS })).toString());
  const load = {
    seconds: LOAD_SECONDS,
    requests: figures.requests,
    rps: figures.rps,
    p50_ms: figures.p50,
    p99_ms: figures.p99,
    errors: figures.failed + figures.socketErrors,
    peak_mib_before: Number(before.toFixed(1)),
    peak_mib_after: Number(peakMib(server.child.pid).toFixed(1)),
  };
  // The baseline, same run, same wrk: a bare handler serving one resource's bytes.
  const jsonPath = join(ROOT, "target/bench/resource.json");
  writeFileSync(jsonPath, Buffer.from(await (await get(`${server.url}api/v1/resources/${RESOURCE}`)).arrayBuffer()));
  const baseline = spawn(join(ROOT, "target/release/examples/bare_baseline"), [jsonPath], { stdio: ["ignore", "pipe", "inherit"] });
  const baselineUrl = await new Promise((resolve) => baseline.stdout.on("data", (chunk) => resolve(chunk.toString().match(/http:\/\/\S+\//)[0])));
  let bare;
  try {
    bare = wrk(`${baselineUrl}api/v1/resources/${RESOURCE}`);
  } finally {
    baseline.kill();
  }
  Object.assign(load, { rps_ratio_to_bare: Number((load.rps / bare.rps).toFixed(3)), p99_ratio_to_bare: Number((load.p99_ms / bare.p99).toFixed(2)) });
  return { paths: paths.length, load };
}

/** The figures of the last run committed (`cargo xtask bench --save`). */
const COMMITTED = join(ROOT, "BENCHMARKS.json");

/** The figures `--check` watches: which way is better, and a limit some must keep whatever the
 * last run said. Ratios to a baseline of the same run, so that a slower machine moves both. */
const WATCHED = {
  resource_rps_ratio_to_bare: { better: "higher" },
  not_modified_rps_ratio_to_bare: { better: "higher" },
  fragment_rps_ratio_to_bare: { better: "higher" },
  brotli_resource_rps_ratio_to_bare: { better: "higher" },
  "mixed_load.rps_ratio_to_bare": { better: "higher" },
  nginx_fragment_rps_ratio_to_static: { better: "higher" },
  search_http_rps_ratio_to_healthz: { better: "higher" },
  beacon_rps_ratio_to_healthz: { better: "higher" },
  card_page_bytes_before_content: { better: "lower", limit: 8 * 1024, exact: true },
  search_page_bytes_before_content: { better: "lower", exact: true },
  carousel_page_bytes_before_content: { better: "lower", exact: true },
};

const figure = (object, key) => key.split(".").reduce((value, part) => value?.[part], object);

/** Every watched figure that moved beyond this run's noise since the committed run, with how
 * many got worse (or broke their limit). The noise: the spread, (max − min) / median, of the
 * baseline's own wrk runs in this run (the same handler measured again and again); a ratio of two
 * such figures may move by twice that. Bytes are exact: any growth beyond 1 % counts. */
function compareWithCommitted(figures) {
  const spreads = Object.values(figures.noise || {});
  const noise = spreads.length ? Math.max(...spreads) : 0.1;
  const committed = existsSync(COMMITTED) ? JSON.parse(readFileSync(COMMITTED, "utf8")) : {};
  const moved = [];
  for (const [key, { better, limit, exact }] of Object.entries(WATCHED)) {
    const now = figure(figures, key);
    if (now === undefined) continue;
    const before = figure(committed, key);
    const allowed = exact ? 0.01 : Math.max(2 * noise, 0.03);
    const change = before ? (now - before) / before : 0;
    const regressed = better === "higher" ? change < -allowed : change > allowed;
    const overLimit = limit !== undefined && now > limit;
    if (regressed || overLimit || Math.abs(change) > allowed) {
      const verdict = regressed ? "**worse**" : overLimit ? `**over its limit of ${limit}**` : "better";
      moved.push({ key, before, now, change, verdict, worse: regressed || overLimit });
    }
  }
  return { noise, measuredNoise: spreads.length > 0, moved };
}

// Main: after every definition above, since the functions read the constants they use.
// wrk is one client: the per-client search rate would answer it 429.
// The reuse section's beacons name their client in X-Forwarded-For, from this machine.
const server = await startServer({ seedFixtures: false, release: true, env: { BAO_SEARCH_RATE: "0", BAO_API_RATE: "0", BAO_TRUSTED_PROXIES: "127.0.0.1" } });
const browser = await launchBrowser();
mkdirSync(join(ROOT, "target/bench"), { recursive: true });
const run = {
  date: new Date().toISOString(),
  machine: { cores: Number(execFileSync("nproc").toString().trim()), chromium: browser.version() },
  sections: {},
};
try {
  const sections = { bundleSize, elementLoads, pageLoads, wordpress, throughput, layers, behindNginx, search, sync, wikiSync, openData, reliability, mixedLoad, reuse, corpus };
  for (const [name, section] of Object.entries(sections)) {
    if (ONLY && !ONLY.includes(name)) continue;
    console.error(`bench: ${name} …`);
    run.sections[name] = await section();
  }
} finally {
  await browser.close();
  await server.stop();
}
const figures = figuresOf(run);
run.comparison = compareWithCommitted(figures);
writeRun(join(ROOT, "target/bench"), run);
console.log(markdown(run));
if (process.env.BENCH_SAVE) {
  const committed = existsSync(COMMITTED) ? JSON.parse(readFileSync(COMMITTED, "utf8")) : {};
  writeFileSync(COMMITTED, JSON.stringify({ ...committed, ...figures }, null, 2) + "\n");
  console.log(`figures of this run written into ${COMMITTED}`);
}
const regressions = run.comparison.moved.filter(({ worse }) => worse).length;
if (process.env.BENCH_CHECK && regressions > 0) {
  console.error(`${regressions} figure(s) regressed beyond the noise of this run: see above`);
  process.exit(1);
}
