// Benchmarks of multibao-embed (run by `cargo xtask bench`; see BENCHMARKS.md). Measures, in one
// run on this machine: bundle size, page load to first card painted (and at 4× CPU throttling),
// CLS of the demo page, the resource endpoint's throughput and latency with a bare axum
// handler as baseline, and search over a 100k synthetic corpus (build, size, latency, memory). Prints a Markdown report and writes it to target/bench/report.md.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { ROOT, hostPage, launchBrowser, startHostSite, startServer } from "../e2e/support.mjs";

const LOADS = Number(process.env.BENCH_LOADS || 15);
const WRK_RUNS = Number(process.env.BENCH_WRK_RUNS || 3);
const WRK_SECONDS = Number(process.env.BENCH_WRK_SECONDS || 10);
const RESOURCE = "exemples-cercle-de-parole";
const SYNC_FILES = Number(process.env.BENCH_SYNC_FILES || 10_000);
const SYNC_RUNS = Number(process.env.BENCH_SYNC_RUNS || 5);
/** `BENCH_ONLY=sync,search` runs those sections only (the others take minutes). */
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(",") : null;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const kb = (bytes) => (bytes / 1024).toFixed(1);
const lines = [];
const say = (line = "") => {
  lines.push(line);
  console.log(line);
};

async function bundleSize() {
  const embed = await (await fetch(`${server.url}embed.js`)).text();
  const fetchBytes = async (name) => Buffer.from(await (await fetch(`${server.url}widget/${name}`)).arrayBuffer());
  const sizes = (bytes) => [
    bytes.length,
    gzipSync(bytes, { level: 9 }).length,
    brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  ];
  say("## Bundle size (bytes as served; gzip -9, brotli -q 11)");
  say("A page loads `embed.js` and the smallest module that has all its elements: cards only; cards and carousel; everything.");
  say("| what a page downloads | file | raw KiB | gzip KiB | brotli KiB |");
  say("|---|---|---:|---:|---:|");
  const pageKinds = [
    ["a page with cards only", "bao_card"],
    ["a page with a carousel (and cards)", "bao_media"],
    ["a page with a search box (and anything)", "bao_widget"],
  ];
  for (const [label, module] of pageKinds) {
    const glueName = embed.match(new RegExp(`${module}\\.[0-9a-f]+\\.js`))[0];
    const wasmName = embed.match(new RegExp(`${module}_bg\\.[0-9a-f]+\\.wasm`))[0];
    const total = [0, 0, 0];
    for (const [name, bytes] of [["embed.js", Buffer.from(embed)], [glueName, await fetchBytes(glueName)], [wasmName, await fetchBytes(wasmName)]]) {
      const measured = sizes(bytes);
      measured.forEach((size, i) => (total[i] += size));
      say(`| ${label} | ${name} | ${kb(measured[0])} | ${kb(measured[1])} | ${kb(measured[2])} |`);
    }
    say(`| ${label} | **total** | **${kb(total[0])}** | **${kb(total[1])}** | **${kb(total[2])}** (target ≤ 60 KiB) |`);
  }
  say();
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

// When the first slide of the carousel is painted: its title and its poster, two frames after both
// are in the shadow root and the poster has decoded.
const SLIDE_PROBE = () => {
  window.__bench = {};
  const check = () => {
    const slide = document.querySelector("bao-testimonials")?.shadowRoot?.querySelector(".slide");
    const poster = slide?.querySelector("button.play img");
    if (slide?.querySelector("h2") && poster?.complete && poster.naturalWidth > 0) {
      requestAnimationFrame(() => requestAnimationFrame(() => (window.__bench.slide = performance.now())));
    } else {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
};

/** One cold load of a partner page holding one carousel: paint times and every byte transferred. */
async function carouselLoadOnce(url, throttle) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  // Bytes on the wire (headers and compressed bodies) per request, as Chromium counts them.
  await cdp.send("Network.enable");
  const urls = new Map();
  const transferred = new Map();
  cdp.on("Network.requestWillBeSent", (event) => urls.set(event.requestId, event.request.url));
  cdp.on("Network.loadingFinished", (event) => transferred.set(urls.get(event.requestId), event.encodedDataLength));
  await page.addInitScript(SLIDE_PROBE);
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.slide !== undefined, null, { timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  const result = await page.evaluate(() => ({
    slide: window.__bench.slide,
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
  }));
  await context.close();
  return { ...result, transferred };
}

async function carouselLoads() {
  const site = await startHostSite({
    "/": hostPage(
      `<script src="${server.url}embed.js"></script><main><h1>Témoignages</h1><p>Une page de site partenaire.</p>` +
        `<bao-testimonials limit="8"><a href="${server.url}">Voir les témoignages filmés</a></bao-testimonials></main>`,
    ),
  });
  try {
    say(`## A partner page with one carousel: bytes before any click, time to first slide painted`);
    say(`Cold loads (new browser context each); the page is on another origin, as on a partner's site. ` +
      `Baseline: the page's first contentful paint (its own text).`);
    const first = await carouselLoadOnce(site.url, 1);
    const hosts = new Set([...first.transferred.keys()].map((url) => new URL(url).host));
    say("| request (first load) | bytes transferred |");
    say("|---|---:|");
    let total = 0;
    for (const [url, bytes] of first.transferred) {
      total += bytes;
      const { host, pathname, search } = new URL(url);
      const where = host === new URL(site.url).host ? "partner page" : "our server";
      say(`| ${where}: \`${pathname}${search.slice(0, 30)}\` | ${bytes} |`);
    }
    say(`| **total, before any click** | **${total} (${kb(total)} KiB)** |`);
    say(`Hosts contacted before a click: ${[...hosts].length} (the partner's and ours); none of a video platform.`);
    say();
    say(`| CPU | first slide painted ms (median of ${LOADS}) | FCP ms (baseline) | ratio |`);
    say("|---|---:|---:|---:|");
    for (const throttle of [1, 4]) {
      const runs = [];
      for (let i = 0; i < LOADS; i++) runs.push(await carouselLoadOnce(site.url, throttle));
      const slide = median(runs.map((r) => r.slide));
      const fcp = median(runs.map((r) => r.fcp));
      say(`| ${throttle}× | ${slide.toFixed(0)} | ${fcp.toFixed(0)} | ${(slide / fcp).toFixed(2)} |`);
    }
    say();
  } finally {
    await site.close();
  }
}

async function pageLoads() {
  say(`## Demo page: load to first card painted (median of ${LOADS} cold loads, new browser context each)`);
  say("Baseline: first contentful paint of the same page (the host's own text, before any card).");
  say("| CPU | first card painted ms | FCP ms (baseline) | ratio | CLS (median, max) |");
  say("|---|---:|---:|---:|---:|");
  for (const throttle of [1, 4]) {
    const runs = [];
    for (let i = 0; i < LOADS; i++) runs.push(await loadOnce(throttle));
    const card = median(runs.map((r) => r.card));
    const fcp = median(runs.map((r) => r.fcp));
    const cls = runs.map((r) => r.cls);
    say(
      `| ${throttle}× | ${card.toFixed(0)} | ${fcp.toFixed(0)} | ${(card / fcp).toFixed(2)} | ` +
        `${median(cls).toFixed(4)}, ${Math.max(...cls).toFixed(4)} |`,
    );
  }
  say();
}

function wrk(url, { connections = 32, script } = {}) {
  const args = ["-t2", `-c${connections}`, `-d${WRK_SECONDS}s`, "--latency"];
  if (script) args.push("-s", script);
  const out = execFileSync("wrk", [...args, url]).toString();
  const failed = out.match(/Non-2xx or 3xx responses:\s+(\d+)/);
  if (failed) throw new Error(`${failed[1]} failed responses from ${url}:\n${out}`);
  const ms = (text) => {
    const [, value, unit] = text.match(/([\d.]+)(us|ms|s)/);
    return Number(value) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);
  };
  return {
    rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]),
    p50: ms(out.match(/^\s+50%\s+(\S+)/m)[1]),
    p99: ms(out.match(/^\s+99%\s+(\S+)/m)[1]),
  };
}

/** A Markdown table row of the medians of several wrk runs. */
const wrkRow = (name, runs) =>
  `| ${name} | ${median(runs.map((r) => r.rps)).toFixed(0)} | ${median(runs.map((r) => r.p50)).toFixed(2)} | ${median(runs.map((r) => r.p99)).toFixed(2)} |`;
const rpsRatio = (real, bare) => median(real.map((r) => r.rps)) / median(bare.map((r) => r.rps));

async function throughput() {
  const resourceUrl = `${server.url}api/v1/resources/${RESOURCE}`;
  const json = Buffer.from(await (await fetch(resourceUrl)).arrayBuffer());
  const jsonPath = join(ROOT, "target/bench/resource.json");
  mkdirSync(join(ROOT, "target/bench"), { recursive: true });
  writeFileSync(jsonPath, json);
  const baseline = spawn(join(ROOT, "target/release/examples/bare_baseline"), [jsonPath], { stdio: ["ignore", "pipe", "inherit"] });
  const baselineUrl = await new Promise((resolve) =>
    baseline.stdout.on("data", (chunk) => resolve(chunk.toString().match(/http:\/\/\S+\//)[0])),
  );
  try {
    const real = [];
    const bare = [];
    // Alternate, so that noise on this shared machine falls on both alike.
    for (let i = 0; i < WRK_RUNS; i++) {
      bare.push(wrk(`${baselineUrl}api/v1/resources/${RESOURCE}`));
      real.push(wrk(resourceUrl));
    }
    say(`## GET /api/v1/resources/{id} (${json.length} bytes JSON), wrk -t2 -c32 -d${WRK_SECONDS}s, median of ${WRK_RUNS} runs`);
    say("wrk shares the 2 cores with the server: absolute numbers are a floor; the ratio is the figure to compare.");
    say("| server | req/s | p50 ms | p99 ms |");
    say("|---|---:|---:|---:|");
    say(wrkRow("bare axum handler, same bytes (baseline)", bare));
    say(wrkRow("multibao-embed (SQLite, CORS, tracing, compression layers)", real));
    say(`ratio of req/s to the baseline: **${rpsRatio(real, bare).toFixed(2)}**`);
    say();
  } finally {
    baseline.kill();
  }
}

const SEARCH_DOCS = Number(process.env.BENCH_SEARCH_DOCS || 100_000);
const SEARCH_CONNECTIONS = 8;

/** Starts the release server on an existing database, without seeds or demo. */
async function serveDatabase(db) {
  const args = ["--db", db, "serve", "--listen", "127.0.0.1:0", "--widget-dir", join(ROOT, "target/widget-dist")];
  const child = spawn(join(ROOT, "target/release/multibao-embed"), args, {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, RUST_LOG: "warn" },
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
  const mib = (bytes) => (bytes / 1024 / 1024).toFixed(0);
  say(`## Search over a synthetic corpus of ${corpus.documents} French fiches`);
  say("Built by `server/examples/search_corpus.rs` from the vocabulary of the real multiBàO data (fixed seed: the same corpus on every run).");
  say("| measure | value |");
  say("|---|---:|");
  say(`| storing the corpus in SQLite (one transaction) | ${corpus.store_seconds.toFixed(1)} s, ${mib(corpus.db_bytes)} MiB |`);
  say(`| building the search index (one commit) | ${corpus.index_seconds.toFixed(1)} s |`);
  say(`| index size on disk | ${mib(corpus.index_bytes)} MiB |`);
  say();
  say(`### Typeahead at the handler: every keystroke of 200 real title beginnings (${corpus.keystrokes} searches, 20 results, facets, snippets)`);
  say("| search | p50 ms | p99 ms |");
  say("|---|---:|---:|");
  say(`| baseline: one exact title term, top 20, no facets, no snippets | ${corpus.baseline_ms.p50.toFixed(3)} | ${corpus.baseline_ms.p99.toFixed(3)} |`);
  say(`| \`SearchIndex::search\` (what /api/v1/search runs) | ${corpus.handler_ms.p50.toFixed(2)} | ${corpus.handler_ms.p99.toFixed(2)} |`);
  say(`${corpus.keystrokes_with_hits} of ${corpus.keystrokes} keystrokes found something.`);
  say();

  // Over HTTP: wrk sends the keystrokes in turn (a Lua script), against /healthz of the same server.
  const script = join(out, "typeahead.lua");
  const paths = corpus.sample_queries.map((q) => `"/api/v1/search?limit=8&q=${encodeURIComponent(q)}"`);
  writeFileSync(
    script,
    `local paths = {${paths.join(",")}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n`,
  );
  const server = await serveDatabase(corpus.db);
  try {
    const idle = memory(server.child.pid);
    const real = [];
    const bare = [];
    for (let i = 0; i < WRK_RUNS; i++) {
      bare.push(wrk(`${server.url}healthz`, { connections: SEARCH_CONNECTIONS }));
      real.push(wrk(server.url, { connections: SEARCH_CONNECTIONS, script }));
    }
    const loaded = memory(server.child.pid);
    say(`### Over HTTP: wrk -t2 -c${SEARCH_CONNECTIONS} -d${WRK_SECONDS}s, ${paths.length} typeahead queries in turn, median of ${WRK_RUNS} runs`);
    say("| route | req/s | p50 ms | p99 ms |");
    say("|---|---:|---:|---:|");
    say(wrkRow("`/healthz` of the same server (baseline)", bare));
    say(wrkRow("`/api/v1/search?limit=8&q=…`", real));
    say(`ratio of req/s to the baseline: **${rpsRatio(real, bare).toFixed(3)}**`);
    say();
    say(`Server memory with the ${corpus.documents}-document corpus (index memory-mapped): ` +
      `${idle.rss.toFixed(0)} MiB resident after start, ${loaded.rss.toFixed(0)} MiB after the load, peak ${loaded.peak.toFixed(0)} MiB.`);
    say();
  } finally {
    server.child.kill();
  }
}

async function sync() {
  const out = join(ROOT, "target/bench/sync");
  const measured = JSON.parse(
    execFileSync(join(ROOT, "target/release/examples/sync_bench"), [join(ROOT, "../shared/data/multibao"), out, String(SYNC_FILES), String(SYNC_RUNS)]).toString(),
  );
  say(`## Syncing git sources (\`server/examples/sync_bench.rs\`, median of ${measured.runs} runs)`);
  say("Each repository is committed into a git repository and followed over `file://`, as a forge would be over https.");
  say("| sync | ms | ratio to the first sync |");
  say("|---|---:|---:|");
  say(`| the three real multiBàO repositories, first sync (fetch, read, store) | ${measured.real_first_ms.toFixed(0)} | 1 |`);
  say(`| the same, nothing changed (a fetch per source, no re-import) | ${measured.real_unchanged_ms.toFixed(0)} | ${(measured.real_unchanged_ms / measured.real_first_ms).toFixed(2)} |`);
  say(`| synthetic repository of ${measured.synthetic_files} files, first sync (one run) | ${measured.synthetic_first_ms.toFixed(0)} | 1 |`);
  say(`| the same, one file changed in a new commit | ${measured.synthetic_one_change_ms.toFixed(0)} | ${(measured.synthetic_one_change_ms / measured.synthetic_first_ms).toFixed(2)} |`);
  say(`Last one-change sync: ${measured.synthetic_one_change_outcome.join(" ")}`);
  say();
}

// Main: after every definition above, since the functions read the constants they use.
const server = await startServer({ seedFixtures: false, release: true });
const browser = await launchBrowser();
try {
  say(`# multibao-embed benchmark — ${new Date().toISOString()}`);
  say(`machine: ${execFileSync("nproc").toString().trim()} cores; Chromium ${browser.version()}`);
  say();
  const sections = { bundleSize, pageLoads, carouselLoads, throughput, search, sync };
  for (const [name, section] of Object.entries(sections)) {
    if (!ONLY || ONLY.includes(name)) await section();
  }
} finally {
  await browser.close();
  await server.stop();
}
mkdirSync(join(ROOT, "target/bench"), { recursive: true });
writeFileSync(join(ROOT, "target/bench/report.md"), lines.join("\n") + "\n");
