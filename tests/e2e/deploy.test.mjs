// The production nginx site (deploy/nginx-site.conf, Debian's nginx) in front of the real server
// started with the systemd unit's flags (deploy/multibao-embed.service): it keeps what the server
// says may be kept, serves it again without asking, revalidates with the server's validators, and
// each visitor stays a client of its own.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { ROOT, serverBin, startNginx, startServer } from "./support.mjs";

/** The proxies the unit tells the server to believe, as its environment says them. */
function unitTrustedProxies() {
  const unit = readFileSync(join(ROOT, "deploy/multibao-embed.service"), "utf8");
  return [...unit.matchAll(/--trusted-proxy[ =](\S+)/g)].map((match) => match[1]).join(",");
}

/** A GET from the local address `from` (127.0.0.0/8 is all this machine's): its status. */
function getFrom(url, from) {
  return new Promise((resolve, reject) => {
    request(url, { localAddress: from }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode));
    })
      .on("error", reject)
      .end();
  });
}

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
  for (const path of ["fragments/card/exemples-repair-cafe?lang=fr", "api/v1/resources/exemples-repair-cafe", "r/exemples-repair-cafe"]) {
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
