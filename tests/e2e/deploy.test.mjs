// The production nginx site (deploy/nginx-site.conf, Debian's nginx) in front of the real server:
// it keeps what the server says may be kept, serves it again without asking, and revalidates
// with the server's validators.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startNginx, startServer } from "./support.mjs";

let server;
let nginx;

before(async () => {
  server = await startServer({ seedFixtures: false });
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
