// What a bench run measured, told: `run.mjs` writes its measures as JSON (target/bench/run.json,
// each section's raw runs), and this module renders them — the Markdown report whose tables
// BENCHMARKS.md quotes, and the flat figures `--check` and `--save` compare (report.json).
// `node bench/report.mjs [run.json]` renders a run again, without measuring.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const kb = (bytes) => (bytes / 1024).toFixed(1);
const mib = (bytes, digits = 0) => (bytes / 1024 / 1024).toFixed(digits);
const rounded = (value, digits) => Number(value.toFixed(digits));
const medianOf = (runs, key) => median(runs.map((run) => run[key]));

/** The ratio of two sets of wrk runs' median req/s. */
export const rpsRatio = (real, bare) => medianOf(real, "rps") / medianOf(bare, "rps");
/** How far apart runs of the same thing fell: (max − min) / median of their req/s. */
const spread = (runs) => {
  const rps = runs.map((r) => r.rps);
  return (Math.max(...rps) - Math.min(...rps)) / median(rps);
};
/** A Markdown table row of the medians of several wrk runs. */
const wrkRow = (name, runs) =>
  `| ${name} | ${medianOf(runs, "rps").toFixed(0)} | ${medianOf(runs, "p50").toFixed(2)} | ${medianOf(runs, "p99").toFixed(2)} |`;
const wrkHead = ["| route | req/s | p50 ms | p99 ms |", "|---|---:|---:|---:|"];

/** A section's lines, written with `say` as they come (`say()`: an empty line). */
function told(write) {
  const lines = [];
  write((...said) => lines.push(...(said.length ? said : [""])));
  return lines;
}

/** One row of the partner pages' table: medians of its cold loads. */
function elementRow({ runs }) {
  // A text the live view replaced before it painted has no time.
  const shown = runs.filter((r) => Number.isFinite(r.text));
  // Painted with the page's first paint when laid out before it, else at the next paint.
  const paintedBy = (r) => Math.max(r.text, r.fcp);
  return {
    content: medianOf(runs, "content"),
    fcp: medianOf(runs, "fcp"),
    ratio: median(runs.map((r) => r.content / r.fcp)),
    text: shown.length ? median(shown.map(paintedBy)) : NaN,
    textRatio: shown.length ? median(shown.map((r) => paintedBy(r) / r.fcp)) : NaN,
    cls: Math.max(...runs.map((r) => r.cls)),
    before: median(runs.map((r) => r.beforeAnyMove.content)),
    interactive: median(runs.map((r) => r.interactive.content + r.interactive.interaction)),
    images: median(runs.map((r) => r.interactive.images)),
  };
}

/** The variants of a partner page with one element, as the table names them. */
const PAGE_NAMES = {
  snippet: (kind) => kind,
  preload: (kind) => `${kind} + preload line`,
  painted: (kind) => `${kind} painted in the page's own HTML (control)`,
};

/** Each section: how it reads (`render`, its Markdown lines) and the flat figures it gives. */
export const SECTIONS = {
  bundleSize: {
    render: ({ files }) => told((say) => {
      say("## Bundle files (bytes as served; gzip -9, brotli -q 11)");
      say("Every page loads `embed.js` and each element's stylesheet; cards need nothing more. A carousel loads the media module, a search box the search module, a page with both the full one.");
      say("| file | raw KiB | gzip KiB | brotli KiB |");
      say("|---|---:|---:|---:|");
      for (const { name, raw, gzip, brotli } of files) say(`| ${name} | ${kb(raw)} | ${kb(gzip)} | ${kb(brotli)} |`);
      say();
    }),
  },

  elementLoads: {
    render: ({ loads, rows }) => told((say) => {
      say(`## Partner pages with one element: first content painted, and bytes (median of ${loads} cold loads each)`);
      say("Each page is on another origin, as on a partner's site; new browser context each load. Baseline: the page's own " +
        "first contentful paint (its text). Bytes on the wire from our server: before content (`embed.js`, the element's " +
        "stylesheet and first view), and for full interactivity (plus the wasm module and the JSON it asks; the search's " +
        "after the visitor focuses the box). Posters and images are counted apart.");
      say("Text: the element's own text (what the builder's snippet puts inside it) painted — with the page's first paint when it " +
        "is laid out before it (the animation frame before that paint), so a ratio of 1.00 means « in the page's first paint »; " +
        "live: the element's first view from our server painted in its place (two frames after it is in the shadow root: the ratio " +
        "of issue 13); CLS over the load, to network idle. The control is a page whose HTML holds the card already painted " +
        "(our own `/embed/r/{id}`, declarative shadow DOM): its live / FCP is the least this probe can measure.");
      say("| page | CPU | text painted ms | text / FCP | live view painted ms | FCP ms | live / FCP | CLS (max) | bytes before content | bytes interactive | images |");
      say("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (const row of rows) {
        const r = elementRow(row);
        const bytes = row.variant === "painted" ? "— | — | —" : `${kb(r.before)} KiB | ${kb(r.interactive)} KiB | ${kb(r.images)} KiB`;
        const text = Number.isFinite(r.text) ? `${r.text.toFixed(0)} | ${r.textRatio.toFixed(2)}` : "— | —";
        say(`| ${PAGE_NAMES[row.variant](row.kind)} | ${row.throttle}× | ${text} | ${r.content.toFixed(0)} | ${r.fcp.toFixed(0)} | ` +
          `${r.ratio.toFixed(2)} | ${r.cls.toFixed(4)} | ${bytes} |`);
      }
      say();
    }),
    figures: ({ rows }) => {
      const figures = {};
      let clsMax = 0;
      for (const row of rows) {
        const r = elementRow(row);
        const { kind, throttle, variant } = row;
        if (variant === "painted") {
          figures[`${kind}_painted_in_page_first_content_ratio_${throttle}x`] = rounded(r.ratio, 3);
          continue;
        }
        clsMax = Math.max(clsMax, r.cls);
        if (variant === "preload") {
          figures[`${kind}_preloaded_first_content_ratio_${throttle}x`] = rounded(r.ratio, 3);
          continue;
        }
        figures[`${kind}_text_at_fcp_ratio_${throttle}x`] = rounded(r.textRatio, 3);
        figures[`${kind}_first_content_ratio_${throttle}x`] = rounded(r.ratio, 3);
        if (throttle === 1) {
          figures[`${kind}_page_bytes_before_content`] = r.before;
          if (kind !== "card") figures[`${kind}_page_bytes_interactive`] = r.interactive;
        }
      }
      figures.page_cls_max = rounded(clsMax, 4);
      return figures;
    },
  },

  pageLoads: {
    render: ({ loads, rows }) => told((say) => {
      say(`## Demo page: load to first card painted (median of ${loads} cold loads, new browser context each)`);
      say("Baseline: first contentful paint of the same page (the host's own text, before any card).");
      say("| CPU | first card painted ms | FCP ms (baseline) | ratio | CLS (median, max) |");
      say("|---|---:|---:|---:|---:|");
      for (const { throttle, runs } of rows) {
        const [card, fcp] = [medianOf(runs, "card"), medianOf(runs, "fcp")];
        const cls = runs.map((r) => r.cls);
        say(`| ${throttle}× | ${card.toFixed(0)} | ${fcp.toFixed(0)} | ${(card / fcp).toFixed(2)} | ${median(cls).toFixed(4)}, ${Math.max(...cls).toFixed(4)} |`);
      }
      say();
    }),
  },

  wordpress: {
    render: ({ runs }) => told((say) => {
      const { fcp, card, shown, ratio } = wordpressFigures(runs);
      say(`## A card in a real WordPress post, on a slow phone (median of ${runs.length} cold loads)`);
      say("Debian's WordPress 6.1 (Twenty Twenty-One, `php -S`, MariaDB) on this machine; a post holding the fiche's address " +
        "alone on its line: WordPress's oEmbed, its sandboxed frame and its `wp-embed.js`. A 375 px phone, 4× CPU, " +
        "1.6 Mbps down, 750 kbps up, 150 ms round trips (Lighthouse's mobile preset), the post and our frame in one renderer " +
        "so that both are held to it; new browser context each load, after one untimed view that lets WordPress keep our answer. " +
        "Baseline: the post's own first contentful paint.");
      say("| post FCP ms | card painted in the frame ms | frame shown at its height ms | ratio (card visible / FCP) |");
      say("|---:|---:|---:|---:|");
      say(`| ${fcp.toFixed(0)} | ${card.toFixed(0)} | ${shown.toFixed(0)} | ${ratio.toFixed(2)} |`);
      say();
    }),
    figures: ({ runs }) => {
      const { fcp, card, shown, ratio } = wordpressFigures(runs);
      return {
        wordpress_slow_phone_fcp_ms: Math.round(fcp),
        wordpress_slow_phone_card_ms: Math.round(card),
        wordpress_slow_phone_frame_shown_ms: Math.round(shown),
        wordpress_slow_phone_card_ratio: rounded(ratio, 3),
      };
    },
  },

  throughput: {
    render: ({ jsonBytes, seconds, wrk }) => told((say) => {
      const { bare, real, brotli, notModified, fragment } = wrk;
      say(`## GET /api/v1/resources/{id} (${jsonBytes} bytes JSON), wrk -t2 -c32 -d${seconds}s, median of ${bare.length} runs`);
      say("wrk shares the 2 cores with the server: absolute numbers are a floor; the ratio is the figure to compare.");
      say("| server | req/s | p50 ms | p99 ms |");
      say("|---|---:|---:|---:|");
      say(wrkRow("bare axum handler, same bytes (baseline)", bare));
      say(wrkRow("multibao-embed (answers kept in memory, with every layer)", real));
      say(wrkRow("multibao-embed, `Accept-Encoding: gzip, deflate, br, zstd` (kept compressed)", brotli));
      say(wrkRow("multibao-embed, `If-None-Match` → 304", notModified));
      say(wrkRow("multibao-embed, the card's first view `/fragments/card/{id}`", fragment));
      say(`ratio of req/s to the baseline: **${rpsRatio(real, bare).toFixed(2)}** (304: ${rpsRatio(notModified, bare).toFixed(2)}; fragment: ${rpsRatio(fragment, bare).toFixed(2)}; brotli: ${rpsRatio(brotli, bare).toFixed(2)})`);
      say();
    }),
    figures: ({ wrk: { bare, real, brotli, notModified, fragment } }) => ({
      noise: { throughput_baseline: rounded(spread(bare), 3) },
      resource_rps_ratio_to_bare: rounded(rpsRatio(real, bare), 3),
      not_modified_rps_ratio_to_bare: rounded(rpsRatio(notModified, bare), 3),
      fragment_rps_ratio_to_bare: rounded(rpsRatio(fragment, bare), 3),
      brotli_resource_rps_ratio_to_bare: rounded(rpsRatio(brotli, bare), 3),
    }),
  },

  layers: {
    render: ({ seconds, variants }) => told((say) => {
      say(`## What each layer costs (\`server/examples/layer_bench.rs\`), wrk -t2 -c32 -d${seconds}s, median of ${variants[0].runs.length} runs`);
      say("The same bare handler (the resource's bytes) within more and more of the server: the listener, then each of `http::LAYERS` from the innermost.");
      say("| served by | req/s | ratio to axum::serve | p50 ms | p99 ms |");
      say("|---|---:|---:|---:|---:|");
      for (const { name, runs } of variants) {
        say(`| ${name} | ${medianOf(runs, "rps").toFixed(0)} | ${rpsRatio(runs, variants[0].runs).toFixed(2)} | ${medianOf(runs, "p50").toFixed(2)} | ${medianOf(runs, "p99").toFixed(2)} |`);
      }
      say();
    }),
    figures: ({ variants }) => ({
      noise: { layers_baseline: rounded(spread(variants[0].runs), 3) },
      layers: Object.fromEntries(variants.map(({ name, runs }) => [name, rounded(rpsRatio(runs, variants[0].runs), 3)])),
    }),
  },

  behindNginx: {
    render: ({ seconds, statuses, fragmentBytes, jsonBytes, wrk }) => told((say) => {
      const { fragment, staticFragment, json, staticJson } = wrk;
      say(`## Behind nginx's cache (\`deploy/nginx-site.conf\`), wrk -t2 -c32 -d${seconds}s, median of ${fragment.length} runs`);
      say(`Cache status of the card's first view, first then second request: ${statuses.join(", ")}. ` +
        "Baseline: the same nginx serving a static file of the same bytes.");
      say(...wrkHead);
      say(wrkRow(`static file, ${fragmentBytes} bytes (baseline)`, staticFragment));
      say(wrkRow("the card's first view `/fragments/card/{id}`", fragment));
      say(wrkRow(`static file, ${jsonBytes} bytes (baseline)`, staticJson));
      say(wrkRow("`/api/v1/resources/{id}`", json));
      say(`ratio of req/s to the static file: fragment **${rounded(rpsRatio(fragment, staticFragment), 3)}**, JSON **${rounded(rpsRatio(json, staticJson), 3)}**`);
      say();
    }),
    figures: ({ wrk: { fragment, staticFragment, json, staticJson } }) => ({
      nginx_fragment_rps_ratio_to_static: rounded(rpsRatio(fragment, staticFragment), 3),
      nginx_json_rps_ratio_to_static: rounded(rpsRatio(json, staticJson), 3),
    }),
  },

  search: {
    render: ({ corpus, seconds, connections, queries, wrk, backup, memory }) => told((say) => {
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
      const { bare, real, uncached } = wrk;
      say(`### Over HTTP: wrk -t2 -c${connections} -d${seconds}s, ${queries} typeahead queries in turn, median of ${bare.length} runs`);
      say(...wrkHead);
      say(wrkRow("`/healthz` of the same server (baseline)", bare));
      say(wrkRow("`/api/v1/search?limit=8&q=…` (the keystrokes repeat: answered from memory after the first round)", real));
      say(wrkRow("the same, each request unique (never from memory)", uncached));
      say(`ratio of req/s to the baseline: **${rpsRatio(real, bare).toFixed(3)}** (each unique: ${rpsRatio(uncached, bare).toFixed(3)})`);
      say();
      say(`**A backup of this database while it answers** (\`multibao-embed backup\`, SQLite's online backup; ${mib(corpus.db_bytes)} MiB): ` +
        `${backup.seconds.toFixed(1)} s, started 1 s into a ${seconds} s load of unique searches; over that load ${backup.held.rps.toFixed(0)} req/s, p99 ${backup.held.p99.toFixed(2)} ms, ` +
        `against ${backup.before.rps.toFixed(0)} req/s, p99 ${backup.before.p99.toFixed(2)} ms for the same load just before (one run each).`);
      say();
      say(`Server memory with the ${corpus.documents}-document corpus (index memory-mapped): ` +
        `${memory.idle.rss.toFixed(0)} MiB resident after start, ${memory.loaded.rss.toFixed(0)} MiB after the load, peak ${memory.loaded.peak.toFixed(0)} MiB.`);
      say();
    }),
    figures: ({ corpus, wrk: { bare, real, uncached }, backup }) => ({
      search_handler_p50_ms: rounded(corpus.handler_ms.p50, 3),
      search_handler_p99_ms: rounded(corpus.handler_ms.p99, 3),
      search_http_rps_ratio_to_healthz: rounded(rpsRatio(real, bare), 4),
      search_http_uncached_rps_ratio_to_healthz: rounded(rpsRatio(uncached, bare), 4),
      backup_seconds: rounded(backup.seconds, 2),
    }),
  },

  sync: {
    render: (measured) => told((say) => {
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
    }),
  },

  wikiSync: {
    render: (measured) => told((say) => {
      say(`## Syncing wiki sources (\`server/examples/wiki_sync_bench.rs\`, median of ${measured.runs} runs)`);
      say("A real MediaWiki 1.39 and DokuWiki (PHP's built-in server, one process) with the test fixtures, read through their APIs, from an export the wiki wrote (`dumpBackup.php`) and from the wiki's folder; YesWiki's answers served by the bench; each synced into a fresh database, then again with nothing changed. Baseline: the demo's folder of Markdown fiches.");
      say("| source | resources | first sync ms | unchanged sync ms | first sync ms per resource, ratio to the baseline's |");
      say("|---|---:|---:|---:|---:|");
      const perResource = (figures) => figures.first_ms / figures.resources;
      for (const [key, label] of WIKI_ROWS) {
        const figures = measured[key];
        const ratio = perResource(figures) / perResource(measured.baseline_folder);
        say(`| ${label} | ${figures.resources} | ${figures.first_ms.toFixed(1)} | ${figures.unchanged_ms.toFixed(1)} | ${ratio.toFixed(1)} |`);
      }
      say();
      const large = measured.mediawiki_large;
      say(`A larger MediaWiki (${large.resources} fiches, each the fixture's longest page), through its API: only the pages whose revision changed are read again.`);
      say("| sync | ms | ratio to the first sync |");
      say("|---|---:|---:|");
      for (const [key, label] of LARGE_WIKI_ROWS) say(`| ${label} | ${large[key].toFixed(1)} | ${(large[key] / large.first_ms).toFixed(3)} |`);
      say();
    }),
    figures: (measured) => {
      const figures = {};
      for (const [key] of WIKI_ROWS.slice(1)) {
        figures[`${key}_first_sync_ms`] = rounded(measured[key].first_ms, 1);
        figures[`${key}_unchanged_sync_ms`] = rounded(measured[key].unchanged_ms, 1);
      }
      for (const [key] of LARGE_WIKI_ROWS) figures[`mediawiki_large_${key}`] = rounded(measured.mediawiki_large[key], 1);
      return figures;
    },
  },

  openData: {
    render: ({ exports, replication }) => told((say) => {
      say("## Open data (`server/examples/opendata_bench.rs`, median of 3 runs)");
      say("The dataset written whole (both tables, both descriptors, the zip), against a baseline of reading the same rows from the same snapshot without writing them; memory is the process's peak resident memory above what it held before writing.");
      say("| database | resources | baseline read ms | export ms | ratio | resources.csv MiB | bodies.csv MiB | zip MiB | peak memory above start |");
      say("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (const [key, label] of [["real", "the demo and the real multiBàO data"], ["corpus", "the synthetic search corpus"]]) {
        const e = exports[key];
        say(`| ${label} | ${e.resources} | ${e.baseline_read_ms.toFixed(1)} | ${e.export_ms.toFixed(0)} | ${(e.export_ms / e.baseline_read_ms).toFixed(1)} | ${mib(e.bytes["resources.csv"], 1)} | ${mib(e.bytes["bodies.csv"], 1)} | ${mib(e.bytes["commons.zip"], 1)} | ${(e.peak_memory_above_start_kib / 1024).toFixed(1)} MiB |`);
      }
      say();
      say(`Following a server that holds the demo and the real data (${replication.resources} resources) from a fresh one (\`kind = "bao"\`, loopback):`);
      say("| sync | ms | ratio to the first |");
      say("|---|---:|---:|");
      for (const [key, label] of REPLICATION_ROWS) say(`| ${label} | ${replication[key].toFixed(1)} | ${(replication[key] / replication.first_ms).toFixed(3)} |`);
      say();
    }),
    figures: ({ exports, replication }) => {
      const figures = {};
      for (const [key, e] of Object.entries(exports)) {
        figures[`opendata_${key}_export_ms`] = rounded(e.export_ms, 0);
        figures[`opendata_${key}_zip_bytes`] = e.bytes["commons.zip"];
        figures[`opendata_${key}_peak_memory_kib`] = e.peak_memory_above_start_kib;
      }
      for (const [key] of REPLICATION_ROWS) figures[`replication_${key}`] = rounded(replication[key], 1);
      return figures;
    },
  },

  reliability: {
    render: ({ xss, fuzzSeconds, fuzz, faults }) => told((say) => {
      say("### Reliability and security");
      say();
      say(`**XSS corpus** (\`tests/e2e/xss.test.mjs\`): ${xss.payloads} payloads in ${xss.resources} resources (git Markdown, MediaWiki export, DokuWiki folder) and in every attribute of the three elements; **${renderings(xss)}** renderings in Chromium, **${xss.executions} executions**.`);
      say("| surface | renderings |");
      say("|---|---:|");
      for (const [surface, n] of Object.entries(xss.tried)) say(`| ${surface} | ${n} |`);
      say();
      say(`**Fuzzing** (\`cargo xtask fuzz ${fuzzSeconds}\`, libFuzzer, corpus kept in target/fuzz/corpus):`);
      say("| target | seconds | inputs | crashes |");
      say("|---|---:|---:|---:|");
      for (const [target, run] of Object.entries(fuzz)) say(`| ${target} | ${run.seconds} | ${run.runs} | ${run.crashes} |`);
      say();
      say(`**The API against its OpenAPI document** (schemathesis, 300 examples per operation, positive and negative): ${faults.schemathesis}; 0 server errors, every answer conforming.`);
      say(`**kill -9 during syncs** (10 kills, 300 → 1 500 fiches): database whole and old-or-new, index in step, each time: ${faults.kills}.`);
      say(`**Sources that misbehave** (a MediaWiki that hangs, streams without end, sends a 1 MiB gzip bomb of 1 GiB): ${faults.badSources} — each sync fails with its reason.`);
      say(`**Reads during a sync** (1 500 fiches written): ${faults.reads}, no error.`);
      say("**A full disk** (1 MiB tmpfs) fails the sync with its reason, the old content whole; **2 000 idle connections** and a slowloris client: normal requests answered in under a second meanwhile, the idle let go after 10 s (1 s in the test); the connection cap closes what is beyond at once.");
      say();
    }),
    figures: ({ xss, fuzz }) => ({ xss_payloads: xss.payloads, xss_renderings: renderings(xss), xss_executions: xss.executions, fuzz }),
  },

  mixedLoad: {
    render: ({ paths, load }) => told((say) => {
      say(`**Mixed partner-page load** (wrk -t2 -c32 for ${load.seconds} s over ${paths} paths: embed.js, first views, JSON, posters, search keystrokes; release server, search rate off): ${load.requests} requests, ${load.rps.toFixed(0)} req/s (**${load.rps_ratio_to_bare}** of a bare handler's, same run), p50 ${load.p50_ms.toFixed(2)} ms, p99 ${load.p99_ms.toFixed(2)} ms (${load.p99_ratio_to_bare}× the bare handler's), **${load.errors} errors**; server memory peak ${load.peak_mib_before} MiB before, ${load.peak_mib_after} MiB after.`);
      say();
    }),
    figures: ({ load }) => ({ mixed_load: load }),
  },

  reuse: {
    render: ({ seconds, beacons, health, counted, day }) => told((say) => {
      say("## Reuse counts (issue 16)");
      say();
      say(`### Taking beacons in (wrk -t2 -c32 -d${seconds}s, median of ${beacons.length} runs; each beacon from another client address and site)`);
      say(...wrkHead);
      say(wrkRow("`POST /api/v1/beacon`", beacons));
      say(wrkRow("`GET /healthz` (baseline)", health));
      say();
      say(`Beacons are taken in at **${rpsRatio(beacons, health).toFixed(2)}×** the rate of \`/healthz\`; of the ${answered(beacons)} beacons answered, ${counted} were in the counts by the end.`);
      say();
      say(`### A day of counts (\`server/examples/reuse_bench.rs\`): ${day.resources} resources each shown on ${day.sites} sites`);
      say("| figure | value |");
      say("|---|---:|");
      say(`| rows (one per resource and site) | ${day.rows} |`);
      say(`| written in | ${day.write_s.toFixed(1)} s (${day.rows_per_s.toFixed(0)} rows/s, one transaction per site) |`);
      say(`| bytes added to the database | ${mib(day.bytes_added, 1)} MiB (${day.bytes_per_row.toFixed(1)} bytes a row) |`);
      say(`| a network's report over that day (a tenth of the rows) | ${day.network_report_ms.toFixed(0)} ms |`);
      say(`| the whole commons' report over that day | ${day.commons_report_ms.toFixed(0)} ms |`);
      say(`| baseline: counting the day's rows | ${day.count_day_rows_ms.toFixed(0)} ms |`);
      say();
    }),
    figures: ({ beacons, health, counted, day }) => ({
      beacons_answered: answered(beacons),
      beacons_counted: counted,
      beacon_rps: rounded(medianOf(beacons, "rps"), 0),
      beacon_rps_ratio_to_healthz: rounded(rpsRatio(beacons, health), 3),
      reuse_day: day,
    }),
  },

  // The scorecard is the example's own Markdown (`server/examples/corpus_scorecard.rs`).
  corpus: {
    render: ({ scorecard }) => told((say) => {
      say("## Corpus scorecard (`server/examples/corpus_scorecard.rs`, truth in `tests/corpus/`)");
      say("Each fiche of a truth file, synced as its source is: the share right in each field a reader judged, and in all of them; what a commons cannot get wrong, counted.");
      say(scorecard);
      say();
    }),
  },
};

const WIKI_ROWS = [
  ["baseline_folder", "baseline: demo folder (git kind, local)"],
  ["mediawiki", "MediaWiki (api.php)"],
  ["mediawiki_export", "MediaWiki (export file)"],
  ["dokuwiki", "DokuWiki (XML-RPC)"],
  ["dokuwiki_folder", "DokuWiki (data folder)"],
  ["yeswiki", "YesWiki (Bazar API)"],
];
const LARGE_WIKI_ROWS = [["first_ms", "first (every page read)"], ["unchanged_ms", "unchanged (the listing only)"], ["one_edited_ms", "one page edited (the listing and that page)"]];
const REPLICATION_ROWS = [["first_ms", "first (everything)"], ["unchanged_ms", "nothing new (one request)"], ["one_edited_ms", "one resource edited"]];

function wordpressFigures(runs) {
  return {
    fcp: medianOf(runs, "fcp"),
    card: medianOf(runs, "card"),
    shown: medianOf(runs, "shown"),
    ratio: median(runs.map((r) => Math.max(r.card, r.shown) / r.fcp)),
  };
}
const renderings = (xss) => Object.values(xss.tried).reduce((a, b) => a + b, 0);
const answered = (runs) => runs.reduce((sum, run) => sum + run.requests, 0);

/** The run's flat figures (report.json): what `--check` compares and `--save` keeps. */
export function figuresOf(run) {
  const figures = {};
  for (const [name, measured] of Object.entries(run.sections)) {
    const { noise, ...rest } = SECTIONS[name].figures?.(measured) ?? {};
    Object.assign(figures, rest);
    if (noise) figures.noise = { ...figures.noise, ...noise };
  }
  return figures;
}

/** The run as Markdown: its sections in the order they ran, then what moved since the committed figures. */
export function markdown(run) {
  const lines = [`# multibao-embed benchmark — ${run.date}`, `machine: ${run.machine.cores} cores; Chromium ${run.machine.chromium}`, ""];
  for (const [name, measured] of Object.entries(run.sections)) lines.push(...SECTIONS[name].render(measured));
  if (run.comparison) lines.push(...comparison(run.comparison));
  return lines.join("\n") + "\n";
}

function comparison({ noise, measuredNoise, moved }) {
  return told((say) => {
    say("## Against the committed figures (`BENCHMARKS.json`)");
    say(measuredNoise
      ? `Noise of this run: the baseline's req/s spread by ${(100 * noise).toFixed(1)} % between its own runs; a ratio moving by more than ${(200 * noise).toFixed(1)} % (at least 3 %) is reported.`
      : "Noise not measured in this run (no throughput section): 10 % assumed.");
    for (const { key, before, now, change, verdict } of moved) say(`- ${key}: ${before ?? "—"} → ${now} (${(100 * change).toFixed(1)} %): ${verdict}`);
    if (!moved.some(({ worse }) => worse)) say("Nothing watched got worse beyond the noise.");
    say();
  });
}

/** Writes a run's JSON, its Markdown and its flat figures into `dir`. */
export function writeRun(dir, run) {
  writeFileSync(join(dir, "run.json"), JSON.stringify(run, null, 2) + "\n");
  writeFileSync(join(dir, "report.md"), markdown(run));
  writeFileSync(join(dir, "report.json"), JSON.stringify(figuresOf(run), null, 2) + "\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] || join(fileURLToPath(new URL("../..", import.meta.url)), "target/bench/run.json");
  process.stdout.write(markdown(JSON.parse(readFileSync(file, "utf8"))));
}
