// The production nginx site (deploy/nginx-site.conf, Debian's nginx) in front of the real server
// started with the systemd unit's flags (deploy/multibao-embed.service): it keeps what the server
// says may be kept, serves it again without asking, revalidates with the server's validators, and
// each visitor stays a client of its own; restarts refuse nothing; and the scale-out (a primary,
// two replicas, deploy/nginx-scale-out.conf) keeps answering and counting while each stops.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { ROOT, serve, serverBin, startNginx, startServer } from "./support.mjs";

/** The proxies the unit tells the server to believe, as its environment says them. */
function unitTrustedProxies() {
  const unit = readFileSync(join(ROOT, "deploy/multibao-embed.service"), "utf8");
  return [...unit.matchAll(/--trusted-proxy[ =](\S+)/g)].map((match) => match[1]).join(",");
}

/** A request from the local address `from` (127.0.0.0/8 is all this machine's): its status. */
function askFrom(url, from, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    request(url, { localAddress: from, method, headers }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode));
    })
      .on("error", reject)
      .end(body);
  });
}

const getFrom = (url, from) => askFrom(url, from);

let server;
let nginx;

before(async () => {
  const proxies = unitTrustedProxies();
  server = await startServer({ seedFixtures: false, env: proxies ? { BAO_TRUSTED_PROXIES: proxies } : {} });
  nginx = await startNginx(server.url);
});

after(async () => {
  await nginx?.stop();
  await server?.stop();
});

test("nginx keeps first views and JSON, and passes the validators on", async () => {
  const views = `fragments?v=${encodeURIComponent("card?resource=exemples-repair-cafe")}&v=search`;
  for (const path of ["fragments/card/exemples-repair-cafe?lang=fr", views, "api/v1/resources/exemples-repair-cafe", "r/exemples-repair-cafe"]) {
    const first = await fetch(nginx.url + path);
    assert.equal(first.status, 200, path);
    assert.equal(first.headers.get("x-cache-status"), "MISS", path);
    const body = await first.text();
    const second = await fetch(nginx.url + path);
    assert.equal(second.headers.get("x-cache-status"), "HIT", `${path}: served by the cache`);
    assert.equal(await second.text(), body);
    const revalidated = await fetch(nginx.url + path, { headers: { "if-none-match": second.headers.get("etag") } });
    assert.equal(revalidated.status, 304, path);
  }
  // A problem is not kept: the next request asks the server again.
  for (let i = 0; i < 2; i++) {
    const problem = await fetch(`${nginx.url}api/v1/resources?limit=0`);
    assert.equal(problem.status, 400);
    assert.notEqual(problem.headers.get("x-cache-status"), "HIT");
  }
});

test("visitors behind nginx are each their own client: forty searching at once are not throttled together", async () => {
  // One visitor may make 30 searches at once, then 10 a second: forty taken for one client
  // would have a quarter refused. Distinct queries, so that nginx's cache answers none.
  const statuses = await Promise.all(
    Array.from({ length: 40 }, (_, n) => getFrom(`${nginx.url}api/v1/search?q=visiteur${n}`, `127.0.0.${n + 10}`)),
  );
  assert.deepEqual(statuses.filter((status) => status !== 200), [], "no search refused");
  // And one visitor in a loop is slowed, alone.
  const looping = await Promise.all(Array.from({ length: 45 }, (_, n) => getFrom(`${nginx.url}api/v1/search?q=boucle${n}`, "127.0.0.9")));
  assert.ok(looping.filter((status) => status === 429).length >= 10, `${looping}`);
});

// `systemctl restart` behind nginx once gave 278 × 502 in 30 s, 129 of them beacons lost: the
// server restarted twice the way systemd's socket activation does it (tests/restart_check.py),
// while visitors ask through the shipped nginx site — probes, and beacons that nginx never retries.
test("two restarts under load through nginx: nothing refused, no 502", async () => {
  const check = spawn("python3", [join(ROOT, "tests/restart_check.py"), serverBin(false), server.db, "--through-nginx"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: check.stdout })[Symbol.asyncIterator]();
  const { upstream } = JSON.parse((await lines.next()).value);
  const proxy = await startNginx(`http://${upstream}/`);
  try {
    check.stdin.end(`${proxy.url}\n`);
    const seen = JSON.parse((await lines.next()).value);
    assert.equal(seen.failures, 0, JSON.stringify(seen));
    assert.deepEqual(Object.keys(seen.statuses).sort(), ["200", "204"], JSON.stringify(seen));
    assert.ok(seen.answered > 50, JSON.stringify(seen));
    console.log(`two restarts through nginx: ${JSON.stringify(seen)}`);
  } finally {
    await proxy.stop();
  }
});

/** The commons' displays counted so far, as the primary's public totals say. */
async function displays(url) {
  return (await (await fetch(`${url}api/v1/stats`)).json()).displays;
}

// One primary (the demo's content, keeping the counts), two replicas following it (`kind = "bao"`,
// sending it their counts) and nginx with the scale-out's upstreams, as deploy/README.md sets
// them up. Visitors from 150 addresses ask for a fiche's first view, search and send beacons
// while a replica stops and comes back, then the primary: every request is answered, and every
// beacon answered is counted by the primary in the end.
test("scale-out: a replica, then the primary, stopped under load — every page answered, no count lost", async () => {
  const key = "cle-des-repliques-du-test";
  const trusted = unitTrustedProxies();
  const env = { BAO_COUNTS_KEY: key, ...(trusted ? { BAO_TRUSTED_PROXIES: trusted } : {}) };
  const primary = await startServer({ seedFixtures: false, env });
  // The primary's process now: `primary` keeps its database; `again()` gives another process.
  let runningPrimary = primary;
  const dir = mkdtempSync(join(tmpdir(), "bao-replicas-"));
  const follow = join(dir, "sources.toml");
  writeFileSync(follow, `[[source]]\nid = "principal"\nkind = "bao"\nurl = "${primary.url}"\nnetwork = { id = "principal", name = "Serveur principal" }\n`);
  const replicas = [];
  let proxy;
  try {
    for (const name of ["r1", "r2"]) {
      replicas.push(await serve(join(dir, `${name}.sqlite3`), { sources: follow, syncInterval: "1s", env, args: ["--count-at", primary.url] }));
    }
    const total = async (url) => (await (await fetch(`${url}api/v1/resources?limit=1`)).json()).total;
    const expected = await total(primary.url);
    for (const replica of replicas) {
      for (let i = 0; (await total(replica.url)) !== expected; i++) {
        assert.ok(i < 100, "the replica follows the primary within 10 s");
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // A replica reads the ids it may count at its next write of counts (every 5 s).
    await new Promise((r) => setTimeout(r, 5_500));
    proxy = await startNginx(primary.url, {}, { replicas: replicas.map((replica) => replica.url) });
    const ids = (await (await fetch(`${primary.url}api/v1/resources?limit=8`)).json()).items.map((item) => item.id);
    const before = await displays(primary.url);

    const statuses = {};
    let beacons = 0;
    let asked = 0;
    let running = true;
    const visitor = async (n) => {
      for (let turn = 0; running; turn++) {
        const from = `127.0.1.${10 + ((n * 50 + turn) % 150)}`;
        const id = ids[turn % ids.length];
        const answers = await Promise.all([
          askFrom(`${proxy.url}fragments?v=${encodeURIComponent(`card?resource=${id}`)}`, from),
          askFrom(`${proxy.url}api/v1/search?q=visite${n}x${turn}`, from),
          askFrom(`${proxy.url}api/v1/beacon`, from, {
            method: "POST",
            headers: { "content-type": "text/plain", origin: "https://partenaire.example.org" },
            body: JSON.stringify({ resource: id, element: "card", event: "display" }),
          }),
        ]);
        for (const status of answers) statuses[status] = (statuses[status] ?? 0) + 1;
        if (answers[2] === 204) beacons += 1;
        asked += answers.length;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const load = Promise.all([0, 1, 2].map(visitor));
    const pause = (ms) => new Promise((r) => setTimeout(r, ms));
    await pause(1_500);
    await replicas[0].halt();
    await pause(2_000);
    replicas[0] = await replicas[0].again();
    await pause(2_000);
    await primary.halt();
    await pause(3_000);
    runningPrimary = await primary.again();
    await pause(3_000);
    running = false;
    await load;

    assert.deepEqual(Object.keys(statuses).sort(), ["200", "204"], `every request answered: ${JSON.stringify(statuses)}`);
    // The beacons taken by a replica while the primary was away reach it at the replica's
    // next write (every 5 s).
    let counted;
    for (let i = 0; i < 60; i++) {
      counted = (await displays(primary.url)) - before;
      if (counted === beacons) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(counted, beacons, "every beacon answered is counted by the primary");
    console.log(`scale-out: ${asked} requests, ${JSON.stringify(statuses)}, ${beacons} beacons, ${counted} counted`);
  } finally {
    await proxy?.stop();
    for (const replica of replicas) await replica.halt();
    await runningPrimary.halt();
    await primary.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
