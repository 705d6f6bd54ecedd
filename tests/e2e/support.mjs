// Shared set-up of the browser tests: the real server on a free port, Debian's Chromium driven by
// playwright-core, and a console recorder so every scenario can check the console stays clean.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const serverBin = (release) =>
  process.env.BAO_SERVER_BIN || join(ROOT, release ? "target/release/multibao-embed" : "target/debug/multibao-embed");

/** The ids of the demo's sample fiches, as the importer names them. */
export const DEMO_IDS = [
  "exemples-cercle-de-parole",
  "exemples-gouvernance-partagee",
  "exemples-repair-cafe",
  "exemples-jardin-partage",
];

/** Words enough for a fixture to be a fiche (the importer skips stubs of under 20 words). */
export const FIXTURE_TEXT =
  "Elle décrit une pratique pas à pas, pour qu'un autre groupe la reprenne chez lui avec ses étapes et son matériel.";

/**
 * Resources that exist only for the tests: a hostile body and an image that is gone, plus
 * `extra` files (path → text) a scenario needs.
 */
function writeFixtureRepository(dir, extra) {
  const repo = join(dir, "fixtures-tests");
  mkdirSync(repo, { recursive: true });
  for (const [path, text] of Object.entries(extra)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  writeFileSync(
    join(repo, "hostile.md"),
    `---\ntitle: Fiche piégée\nimage_url: /demo/media/absente.svg\n---\n\n# Fiche piégée\n\n` +
      `<script>window.__pwned = "script"</script>\n\n<img src="x" onerror="window.__pwned = 'onerror'">\n\n` +
      `[clic](javascript:window.__pwned='href')\n\n<iframe src="https://evil.example/"></iframe>\n\n${FIXTURE_TEXT}\n\nTexte légitime de la fiche.\n`,
  );
  return repo;
}

/** The demo's sources file, which the browser tests follow too. */
const DEMO_SOURCES = join(ROOT, "demo/sources.toml");
/** The tests' video and image hosts are on this machine: the server may fetch media from it. */
const SERVER_ENV = { ...process.env, BAO_MEDIA_FROM_PRIVATE_ADDRESSES: "true" };
/** Sources of the demo's file that read real multiBàO repositories (the workplace's copy). */
/** The forge page the fixtures' sources file says they were copied from. */
export const FIXTURES_FORGE = "https://framagit.org/fiches-des-tests/fixtures";

export const REAL_SOURCES = ["lilianricaud-travail-en-reseau", "onpassealacte-videos-initiatives"];

/**
 * Runs `multibao-embed sync`; a source that cannot be read (real data absent) is said, not fatal.
 * Asynchronous: the hosts a scenario started in this process (posters) must answer meanwhile.
 */
async function sync(release, db, sourcesFile, only) {
  const args = ["--db", db, "sync", "--sources", sourcesFile, ...only.flatMap((id) => ["--only", id])];
  try {
    await promisify(execFile)(serverBin(release), args, { env: { ...SERVER_ENV, RUST_LOG: "error" } });
  } catch (error) {
    process.stderr.write(`sync ${only.join(", ")}: ${error.stdout}${error.stderr}\n`);
  }
}

/**
 * Syncs the demo's sample fiches (and the test fixtures, the demo's `sources` of real data, and
 * `moreSources`, the text of another sources file), then starts the real server on a free port, following the demo's sources file without syncing.
 */
export async function startServer({ seedFixtures = true, release = false, sources = [], fixtures = {}, moreSources = "", videoHosts = [], env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "bao-e2e-"));
  const db = join(dir, "e2e.sqlite3");
  await sync(release, db, DEMO_SOURCES, ["exemples-fiches", ...sources]);
  if (moreSources) {
    const file = join(dir, "more-sources.toml");
    writeFileSync(file, moreSources);
    await sync(release, db, file, []);
  }
  const fixtureSources = join(dir, "fixtures.toml");
  const fixtureRepository = seedFixtures ? writeFixtureRepository(dir, fixtures) : null;
  if (fixtureRepository) {
    writeFileSync(
      fixtureSources,
      `[[source]]\nid = "fixtures-tests"\nkind = "git"\nurl = ${JSON.stringify(fixtureRepository)}\n` +
        `video_hosts = ${JSON.stringify(videoHosts)}\n` +
        // Where the fixtures would live on a forge: their cards link there.
        `web_url = "${FIXTURES_FORGE}"\nbranch = "main"\n` +
        `network = { id = "fixtures", name = "Fiches des tests" }\n`,
    );
    await sync(release, db, fixtureSources, []);
  }
  const served = await serve(db, { release, env });
  return {
    ...served,
    db,
    /** The fixtures' folder, and a sync of it while the server runs (after a scenario changed it). */
    fixtureRepository,
    // Another process's sync: the server's cached answers follow within 250 ms.
    resyncFixtures: async () => {
      await sync(release, db, fixtureSources, []);
      await new Promise((resolve) => setTimeout(resolve, 300));
    },
    /** Stops the server and removes its database and fixtures. */
    async stop() {
      await served.halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real server serving `db` (`serve`, on a free port unless `listen` says), with the widget
 * and the demo page, following `sources` every `syncInterval` (`0`: never); `args` are more
 * flags. Its `url`, its process, `halt()` (SIGTERM, as systemd stops it) and `again()`, which
 * starts it anew on the same address and database.
 */
export async function serve(db, { release = false, env = {}, listen = "127.0.0.1:0", sources = DEMO_SOURCES, syncInterval = "0", args = [] } = {}) {
  const flags = [
    "--db", db, "serve", "--listen", listen, "--sources", sources, "--sync-interval", syncInterval,
    "--demo-dir", join(ROOT, "demo"), "--widget-dir", join(ROOT, "target/widget-dist"), ...args,
  ];
  const child = spawn(serverBin(release), flags, { stdio: ["ignore", "pipe", "pipe"], env: { ...SERVER_ENV, ...env, RUST_LOG: "warn" } });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${stderr}`)), 30_000);
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const match = stdout.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[0]);
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${stderr}`)));
  });
  const options = { release, env, sources, syncInterval, args };
  return {
    url,
    child,
    async halt() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    },
    again: () => serve(db, { ...options, listen: new URL(url).host }),
  };
}

/** Headless Chromium from Debian, with the flags that work as root on a closed network. */
export async function launchBrowser({ args = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium",
    args: [
      "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", ...args,
    ],
  });
}

/** A new page whose console errors, warnings and uncaught exceptions are recorded. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      problems.push(`${message.type()}: ${message.text()} (${message.location().url})`);
    }
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  return { page, problems, close: () => context.close() };
}

/** The addresses of the first views (`/fragments…`) `page` asks from now on, as they are asked. */
export function fragmentRequests(page) {
  const asked = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/fragments")) asked.push(request.url());
  });
  return asked;
}

/** Waits as long as Chromium takes to warn of a preload left unused (a few seconds after the load). */
export function unusedPreloadWarningTime(page) {
  return page.waitForTimeout(3500);
}

/** The card titles rendered inside each element's shadow root, by resource id. */
export async function renderedTitles(page) {
  return page.$$eval("bao-card", (cards) =>
    Object.fromEntries(cards.map((card) => [card.getAttribute("resource"), card.shadowRoot?.querySelector("h2")?.textContent ?? null])),
  );
}

export async function fetchJson(url) {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/**
 * A partner's website on its own origin (another port), serving the given pages: what a
 * webmaster's site is to the widget. `pages` maps a path to its HTML.
 */
export async function startHostSite(pages) {
  const { createServer } = await import("node:http");
  const site = createServer((request, response) => {
    const html = pages[new URL(request.url, "http://host").pathname];
    response.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    response.end(html ?? "introuvable");
  });
  await new Promise((r) => site.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${site.address().port}/`,
    close: () => new Promise((r) => site.close(r)),
  };
}

/** A PNG of one colour, `width` × `height`, encoded here (no image library needed). */
export function solidPng(width, height, [r, g, b]) {
  const { crc32, deflateSync } = require("node:zlib");
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A video host of our own on another origin, as a PeerTube instance is: a player page at
 * `/videos/embed/{id}` and a thumbnail at `/poster.png`. Records every request it gets.
 */
export async function startVideoHost() {
  const { createServer } = await import("node:http");
  const requests = [];
  const poster = solidPng(1280, 720, [30, 90, 160]);
  const host = createServer((request, response) => {
    requests.push(request.url);
    if (request.url === "/poster.png") {
      response.writeHead(200, { "content-type": "image/png" });
      response.end(poster);
    } else if (request.url.startsWith("/videos/embed/")) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(`<!doctype html><html lang="fr"><title>Lecteur</title><body><p>Lecteur vidéo ${request.url}</p></body></html>`);
    } else {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("introuvable");
    }
  });
  await new Promise((r) => host.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${host.address().port}`,
    requests,
    close: () => new Promise((r) => host.close(r)),
  };
}

/** A minimal partner page around `body`. */
/** The font of every partner page of the tests, installed by `cargo xtask test` (xtask/src/setup.rs):
 * sizes that follow the text are then the same on every machine. */
export const HOST_FONT = `html { font-family: "DejaVu Sans"; }`;

export function hostPage(body, head = "") {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Site partenaire</title>` +
    `<link rel="icon" href="data:,"><style>${HOST_FONT}</style>${head}</head><body>${body}</body></html>`;
}

/** Appends `<bao-card id resource>fallback</bao-card>` to the page's `<main>`, as a host page's script would. */
export async function addCard(page, { id, resource, fallback = "" }) {
  await page.evaluate(({ id, resource, fallback }) => {
    const card = document.createElement("bao-card");
    card.id = id;
    card.setAttribute("resource", resource);
    card.innerHTML = fallback;
    document.querySelector("main").append(card);
  }, { id, resource, fallback });
}

/** A port of 127.0.0.1 free now. */
export function freePort() {
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** nginx with the production site `deploy/nginx-site.conf` in front of the server at `serverUrl`,
 * its ports and folders swapped for this run's; `staticFiles` ({name: bytes}) are served under
 * `/static/` by the same nginx (the benchmark's baseline); with two `replicas`, the scale-out's
 * upstreams (`deploy/nginx-scale-out.conf`), `serverUrl` the primary. Needs Debian's nginx. */
export async function startNginx(serverUrl, staticFiles = {}, { replicas = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "bao-nginx-"));
  mkdirSync(join(dir, "static"));
  mkdirSync(join(dir, "temp"));
  for (const [name, bytes] of Object.entries(staticFiles)) writeFileSync(join(dir, "static", name), bytes);
  const port = await freePort();
  const host = (url) => new URL(url).host;
  // With replicas, the site's two upstream blocks replaced with the scale-out's, as its comment says.
  const upstreams = replicas.length
    ? readFileSync(join(ROOT, "deploy/nginx-scale-out.conf"), "utf8")
        .replaceAll("10.0.0.1:8080", host(serverUrl))
        .replaceAll("10.0.0.2:8080", host(replicas[0]))
        .replaceAll("10.0.0.3:8080", host(replicas[1]))
    : null;
  let site = readFileSync(join(ROOT, "deploy/nginx-site.conf"), "utf8");
  site = (upstreams ? site.replace(/^upstream [\s\S]*?(?=^server \{)/m, `${upstreams}\n`) : site)
    .replace("/var/cache/nginx/multibao-embed", join(dir, "cache"))
    .replaceAll("server 127.0.0.1:8080;", `server ${host(serverUrl)};`)
    .replace("listen 80;", `listen 127.0.0.1:${port};`)
    .replace("listen [::]:80;", "")
    .replace("location / {", `location /static/ { root ${dir}; }\n    location / {`);
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `${kind}_temp_path ${dir}/temp/${kind};`).join(" ");
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    // As root, nginx's workers would otherwise run as nobody, who cannot write the cache here.
    `${process.getuid?.() === 0 ? "user root;" : ""} worker_processes 2; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;\n` +
      `events { worker_connections 1024; }\nhttp { access_log off; ${temp} include /etc/nginx/mime.types; default_type application/octet-stream;\n${site}\n}\n`,
  );
  const child = spawn("/usr/sbin/nginx", ["-c", conf, "-p", dir], { stdio: ["ignore", "inherit", "inherit"] });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    try {
      await fetch(url + "healthz");
      break;
    } catch (error) {
      if (i === 100 || child.exitCode !== null) throw new Error(`nginx did not start: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGQUIT");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A real wiki installed afresh, with pages loaded (`server/examples/wiki_instance.rs`, built by
 * `cargo test`): its `base` URL, the sources-file entry that follows it, and `stop()`, which
 * closes its input, stopping it and removing it.
 */
export async function startWiki(kind, pages) {
  const bin = join(ROOT, "target/debug/examples/wiki_instance");
  const child = spawn(bin, [kind, pages], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const { base, source } = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no wiki in 60 s:\n${stderr}`)), 60_000);
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (stdout.includes("\n")) {
        clearTimeout(timer);
        resolvePromise(JSON.parse(stdout.slice(0, stdout.indexOf("\n"))));
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`wiki_instance exited (${code}):\n${stderr}`)));
  });
  return {
    base,
    source,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.stdin.end();
      await exited;
    },
  };
}

/**
 * An axe-core audit of `page` against WCAG 2.1 A and AA, of what `within` selects (the whole
 * document by default; axe enters open shadow roots): the violations as `rule: targets` lines,
 * and how many checks passed (so that a test can tell the audit really ran). axe-core is injected
 * as an inline script: open the page with `bypassCSP` where its CSP refuses them.
 */
export async function audit(page, within = null) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) {
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  }
  const results = await page.evaluate((include) =>
    window.axe.run(include ? { include: [[include]] } : document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  within);
  return {
    violations: results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    passes: results.passes.length,
  };
}
