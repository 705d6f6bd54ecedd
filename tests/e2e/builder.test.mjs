// The snippet builder (/integrer) in headless Chromium, on a phone-sized screen: choose, see the
// preview, copy a snippet, paste it into a fresh partner page, and get the same thing there.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  audit,
  fragmentRequests,
  hostPage,
  launchBrowser,
  newPage,
  startHostSite,
  startServer,
  unusedPreloadWarningTime,
} from "./support.mjs";

let server;
let browser;

before(async () => {
  server = await startServer({ seedFixtures: false });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** The builder, with the clipboard allowed, and a way to read what "Copier" copied. */
async function openBuilder(options = {}) {
  const session = await newPage(browser, { ...PHONE, ...options });
  await session.page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(server.url).origin });
  await session.page.goto(`${server.url}integrer`);
  const copied = async (buttonName) => {
    await session.page.getByRole("button", { name: buttonName }).click();
    await session.page.locator("#copied", { hasText: "Copié" }).waitFor();
    return session.page.evaluate(() => navigator.clipboard.readText());
  };
  return { ...session, copied };
}

/** A fresh partner page (its own origin) whose body is what the webmaster pasted. */
async function pasteIntoFreshPage(snippet, options = {}) {
  const site = await startHostSite({ "/": hostPage(`<main><h1>Notre site</h1>${snippet}</main>`) });
  const session = await newPage(browser, { ...PHONE, ...options });
  await session.page.goto(site.url);
  return { ...session, closeAll: async () => (await session.close(), await site.close()) };
}

test("a fiche: the preview and the pasted script snippet show the same card", async () => {
  const { page, problems, close, copied } = await openBuilder();
  const resource = page.getByLabel("Fiche (tapez un mot du titre)");
  await resource.fill("Organiser un repair café");
  const previewTitle = page.locator("#preview bao-card h2.title");
  await previewTitle.waitFor();
  assert.equal(await previewTitle.textContent(), "Organiser un repair café");

  // Unpinned by default: a server update must not turn every pasted card into a plain link.
  const unpinned = await copied("Copier le script et l'élément");
  assert.match(unpinned, /^<script src="http:\/\/127\.0\.0\.1:\d+\/embed\.js"><\/script>\n<bao-card resource="exemples-repair-cafe">/);
  await page.getByLabel("Verrouiller la version du script").check();
  const snippet = await copied("Copier le script et l'élément");
  assert.match(snippet, /^<script src="http:\/\/127\.0\.0\.1:\d+\/embed\.js" integrity="sha384-[A-Za-z0-9+/=]+" crossorigin="anonymous"><\/script>\n<bao-card resource="exemples-repair-cafe">/);
  const fresh = await pasteIntoFreshPage(snippet);
  const pastedTitle = fresh.page.locator("bao-card h2.title");
  await pastedTitle.waitFor();
  assert.equal(await pastedTitle.textContent(), await previewTitle.textContent());
  assert.deepEqual(fresh.problems, [], "the SRI hash matches the served embed.js");
  await fresh.closeAll();

  const url = await copied("Copier l'adresse");
  assert.equal(url, `${server.url}r/exemples-repair-cafe`);
  const oembed = await fetch(`${server.url}oembed?url=${encodeURIComponent(url)}&format=json`);
  assert.equal(oembed.status, 200, "the address is one oEmbed answers for");
  assert.deepEqual(problems, []);
  await close();
});

test("a card's snippet carries its summary, network and licence: a page where no script runs still shows them", async () => {
  const { page, problems, close, copied } = await openBuilder();
  await page.getByLabel("Fiche (tapez un mot du titre)").fill("Organiser un repair café");
  await page.waitForFunction(() => document.getElementById("snippet-script").value.includes("<p>"));
  const snippet = await copied("Copier le script et l'élément");
  assert.match(
    snippet,
    /<bao-card resource="exemples-repair-cafe">\n {2}<a href="[^"]+\/r\/exemples-repair-cafe">Organiser un repair café<\/a>\n {2}<p>[^<]+<\/p>\n {2}<p>Réseau des communs exemplaires \(démo\) · [^<]*CC BY 4\.0<\/p>\n<\/bao-card>$/,
  );
  assert.deepEqual(problems, []);
  await close();

  const visitor = await pasteIntoFreshPage(snippet, { javaScriptEnabled: false });
  const shown = await visitor.page.locator("bao-card").innerText();
  assert.match(shown, /^Organiser un repair café\n+.+\n+Réseau des communs exemplaires \(démo\) · .*CC BY 4\.0$/s);
  await visitor.closeAll();
});

test("a carousel's snippet carries its first testimony: where no script runs, its title, words and licence", async () => {
  const { page, problems, close, copied } = await openBuilder();
  await page.getByLabel("Un carrousel de témoignages filmés").check();
  await page.getByLabel("Réseau").selectOption({ label: "Réseau des communs exemplaires (démo)" });
  await page.waitForFunction(() => document.getElementById("snippet-script").value.includes("/r/"));
  const snippet = await copied("Copier le script et l'élément");
  assert.match(snippet, /<bao-testimonials network="exemples" limit="8">\n {2}<a href="[^"]+\/r\/exemples-[\w-]+">[^<]+<\/a>\n(?: {2}<blockquote><p>[^<]+<\/p><\/blockquote>\n)? {2}<p>Réseau des communs exemplaires \(démo\) · [^<]+<\/p>\n<\/bao-testimonials>$/);
  assert.deepEqual(problems, []);
  await close();

  const visitor = await pasteIntoFreshPage(snippet, { javaScriptEnabled: false });
  assert.equal(await visitor.page.locator("bao-testimonials a").count(), 1, "a link to the testimony's page");
  assert.match(await visitor.page.locator("bao-testimonials").innerText(), /Réseau des communs exemplaires \(démo\) · .*CC BY-SA 4\.0$/s);
  await visitor.closeAll();
});

test("a search box's snippet holds a form: with JavaScript off it searches on the server, its filters kept", async () => {
  const { page, problems, close, copied } = await openBuilder();
  await page.getByLabel("Un champ de recherche").check();
  await page.getByLabel("Réseau").selectOption({ label: "Réseau des communs exemplaires (démo)" });
  const snippet = await copied("Copier le script et l'élément");
  assert.match(snippet, /<bao-search network="exemples">\n  <form role="search" action="http:\/\/127\.0\.0\.1:\d+\/recherche" method="get">/);
  assert.deepEqual(problems, []);
  await close();

  const visitor = await pasteIntoFreshPage(snippet, { javaScriptEnabled: false });
  await visitor.page.getByRole("searchbox", { name: "Chercher dans multiBàO" }).fill("jardin");
  await visitor.page.getByRole("button", { name: "Chercher" }).click();
  await visitor.page.waitForURL(`${server.url}recherche?reseau=exemples&q=jardin`);
  assert.match(await visitor.page.locator(".lead").textContent(), /pour « jardin »/);
  assert.equal(await visitor.page.locator(".tiles .tile-title").first().textContent(), "« Notre jardin a changé la rue »");
  assert.deepEqual(visitor.problems, []);
  await visitor.closeAll();
});

test("the optional preload line names the very view the pasted element asks: one request, made by the preload", async () => {
  const { page, problems, close, copied } = await openBuilder();
  const choices = {
    card: async () => page.getByLabel("Fiche (tapez un mot du titre)").fill("Organiser un repair café"),
    search: async () => {
      await page.getByLabel("Un champ de recherche").check();
      await page.getByLabel("Réseau").selectOption({ label: "Réseau des communs exemplaires (démo)" });
      await page.getByLabel("Langue").selectOption("en");
    },
    carousel: async () => {
      await page.getByLabel("Un carrousel de témoignages filmés").check();
      await page.getByLabel("Nombre de témoignages").fill("3");
    },
  };
  for (const [element, choose] of Object.entries(choices)) {
    await choose();
    const preload = await copied("Copier la ligne pour l'en-tête");
    assert.match(preload, /^<link rel="preload" href="http:\/\/127\.0\.0\.1:\d+\/fragments\?v=[^"]+" as="fetch" crossorigin>$/, element);
    const snippet = await copied("Copier le script et l'élément");
    const fresh = await pasteIntoFreshPage(`${preload}\n${snippet}`);
    const asked = fragmentRequests(fresh.page);
    await fresh.page.reload();
    await fresh.page.waitForFunction(() =>
      document.querySelector("bao-card, bao-search, bao-testimonials").shadowRoot?.querySelector("[data-bao-mount] > :not(slot)"));
    await unusedPreloadWarningTime(fresh.page);
    const href = preload.match(/href="([^"]+)"/)[1].replaceAll("&amp;", "&");
    assert.deepEqual(asked, [href], element);
    assert.deepEqual(fresh.problems, [], element);
    await fresh.closeAll();
  }
  assert.deepEqual(problems, []);
  await close();
});

test("a carousel of one network: the pasted iframe shows the same slides and fits its height", async () => {
  const { page, problems, close, copied } = await openBuilder();
  await page.getByLabel("Un carrousel de témoignages filmés").check();
  await page.getByLabel("Réseau").selectOption({ label: "Réseau des communs exemplaires (démo)" });
  await page.getByLabel("Nombre de témoignages").fill("3");
  await page.getByLabel("Apparence").selectOption("dark");
  const previewSlide = page.locator("#preview bao-testimonials .slide h2");
  await previewSlide.waitFor();
  assert.equal(await page.locator("#preview bao-testimonials").getAttribute("network"), "exemples");

  const snippet = await copied("Copier l'iframe");
  assert.match(snippet, /\/embed\/temoignages\?network=exemples&amp;limit=3&amp;theme=dark"/);
  assert.match(snippet, /<script src="http:\/\/127\.0\.0\.1:\d+\/resize\.js"><\/script>$/);
  const fresh = await pasteIntoFreshPage(snippet);
  const frame = fresh.page.frameLocator("iframe");
  await frame.locator("bao-testimonials .slide h2").waitFor();
  assert.equal(await frame.locator("bao-testimonials .slide h2").textContent(), await previewSlide.textContent());
  assert.equal(await frame.locator("bao-testimonials").getAttribute("theme"), "dark", "the chosen theme travels with the snippet");
  await fresh.page.waitForFunction(() => document.querySelector("iframe").style.height !== "");
  assert.deepEqual(fresh.problems, []);
  await fresh.closeAll();
  assert.deepEqual(problems, []);
  await close();
});

test("the builder passes an axe-core audit and says when a fiche is unknown", async () => {
  // axe-core is injected as an inline script, which the page's CSP rightly refuses.
  const { page, problems, close } = await openBuilder({ bypassCSP: true });
  await page.locator("#preview bao-card h2.title").waitFor();
  assert.deepEqual((await audit(page)).violations, []);
  // An unknown fiche says so, and leaves no preview nor code of the previous one to copy.
  await page.getByLabel("Fiche (tapez un mot du titre)").fill("n'existe pas");
  assert.equal(await page.locator("#resource-help").textContent(), "Aucune fiche (ou plusieurs) ne correspond : choisissez-la dans la liste.");
  assert.equal(await page.locator("#snippet-script").inputValue(), "");
  assert.equal(await page.locator("#preview bao-card").count(), 0);
  assert.equal(await page.getByRole("button", { name: "Copier le script et l'élément" }).isDisabled(), true);
  assert.deepEqual(problems, []);
  await close();
});

test("a word of the title, typed as on a phone (’, no accents), finds the fiche; limits are kept", async () => {
  const { page, problems, close } = await openBuilder();
  const resource = page.getByLabel("Fiche (tapez un mot du titre)");
  await resource.fill("repair cafe");
  await page.locator("#preview bao-card h2.title", { hasText: "Organiser un repair café" }).waitFor();
  assert.match(await page.locator("#snippet-script").inputValue(), /resource="exemples-repair-cafe"/);
  await resource.fill("L’atelier vélo");
  await page.locator("#preview bao-card h2.title", { hasText: "L'atelier vélo du quartier" }).waitFor();
  // YesWiki's form is the iframe between double quotes, which YesWiki keeps where it drops scripts.
  assert.match(await page.locator("#snippet-yeswiki").inputValue(), /^""<iframe src=".+\/embed\/r\/exemples-atelier-velo" [^>]*><\/iframe>""$/);

  // Search and carousel have no oEmbed address: nothing to copy, and the page says why.
  await page.getByLabel("Un carrousel de témoignages filmés").check();
  assert.equal(await page.getByRole("button", { name: "Copier l'adresse" }).isDisabled(), true);
  assert.equal(await page.locator("#url-none").isVisible(), true);
  await page.getByLabel("Nombre de témoignages").fill("50");
  assert.match(await page.locator("#snippet-script").inputValue(), /limit="30"/, "the server's maximum, not more");
  // Counting is on unless the webmaster unticks it; the preview never counts.
  assert.doesNotMatch(await page.locator("#snippet-script").inputValue(), /counting/);
  assert.equal(await page.locator("#preview bao-testimonials").getAttribute("counting"), "off");
  await page.getByLabel("Compter les affichages (statistiques sans cookie)").uncheck();
  assert.match(await page.locator("#snippet-script").inputValue(), /<bao-testimonials [^>]*counting="off"/);
  assert.match(await page.locator("#snippet-iframe").inputValue(), /\/embed\/temoignages\?[^"]*counting=off/);
  // The WordPress plugin's shortcode says the same in its French words.
  assert.equal(await page.locator("#snippet-wordpress").inputValue(), '[multibao temoignages nombre="30" comptage="non"]');
  await page.getByLabel("Une fiche").check();
  assert.equal(await page.locator("#snippet-wordpress").inputValue(), '[multibao fiche="exemples-atelier-velo" comptage="non"]');
  // The plugin itself, zipped as WordPress's upload form takes it.
  const zip = await fetch(new URL(await page.locator("a", { hasText: "multibao.php" }).getAttribute("href"), server.url));
  assert.equal(zip.headers.get("content-type"), "application/zip");
  assert.match(Buffer.from(await zip.arrayBuffer()).toString("latin1"), /multibao\/multibao\.php/);
  assert.deepEqual(problems, []);
  await close();
});

test("without JavaScript the code boxes hold the first fiche's snippets", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}integrer`);
  assert.match(await page.locator("#snippet-script").inputValue(), /^<script src="http:\/\/127\.0\.0\.1:\d+\/embed\.js"><\/script>\n<bao-card resource="[a-z0-9-]+">/);
  assert.match(await page.locator("#snippet-iframe").inputValue(), /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\/r\//);
  assert.match(await page.locator("#snippet-url").inputValue(), /\/r\/[a-z0-9-]+$/);
  assert.match(await page.locator("#snippet-yeswiki").inputValue(), /^""<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\/r\/[^"]+" [^>]*><\/iframe>""$/);
  await context.close();
});

test("the builder's list opens on a title as an index reads it, not on punctuation", async () => {
  const { page, close } = await openBuilder();
  const titles = await page.locator("#resources option").evaluateAll((options) => options.map((option) => option.textContent));
  assert.match(titles[0], /^[A-Za-zÀ-ÿ0-9]/, `first: ${titles[0]}`);
  const folded = titles.map((title) => title.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/^[^A-Za-z0-9]+/, "").toLowerCase());
  assert.deepEqual(folded, [...folded].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  await close();
});

test("a carousel or search that would show nothing cannot be copied; « Copié » goes with the element copied", async () => {
  const { page, problems, close, copied } = await openBuilder();
  await copied("Copier le script et l'élément");
  await page.getByLabel("Un carrousel de témoignages filmés").check();
  assert.equal(await page.locator("#copied").textContent(), "", "the fiche's « Copié » is not the carousel's");
  await page.getByLabel("Étiquette (mot-clé exact des fiches, facultatif)").fill("aucune-fiche-ne-porte-ce-mot");
  await page.locator("#filters-help", { hasText: "le carrousel serait vide" }).waitFor();
  for (const name of ["Copier le script et l'élément", "Copier l'iframe", "Copier le code pour YesWiki"]) {
    assert.equal(await page.getByRole("button", { name }).isDisabled(), true, name);
  }
  // A disabled button looks disabled: not the enabled ones' filled colour.
  const [enabled, disabled] = await Promise.all(
    ["Copier le script et l'élément", "Copier l'adresse"].map(async (name) =>
      page.getByRole("button", { name }).evaluate((button) => getComputedStyle(button).backgroundColor)),
  );
  assert.equal(enabled, disabled, "both disabled here");
  await page.getByLabel("Un champ de recherche").check();
  await page.locator("#filters-help", { hasText: "la recherche ne trouverait rien" }).waitFor();
  await page.getByLabel("Étiquette (mot-clé exact des fiches, facultatif)").fill("");
  await page.locator("#filters-help:empty").waitFor({ state: "attached" });
  const on = await page.getByRole("button", { name: "Copier l'iframe" }).evaluate((button) => [button.disabled, getComputedStyle(button).backgroundColor]);
  assert.deepEqual(on[0], false);
  assert.notEqual(on[1], enabled, "an enabled button looks different from a disabled one");
  assert.deepEqual(problems, []);
  await close();
});

test("on a 1 280 px screen the code is beside the choices, in the first screen", async () => {
  const { page, close } = await openBuilder({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });
  await page.locator("#preview bao-card h2.title").waitFor();
  const code = await page.locator("#snippet-script").boundingBox();
  const form = await page.locator("#choices").boundingBox();
  assert.ok(code.y + code.height < 800, `the script snippet at y = ${code.y}`);
  assert.ok(code.x > form.x + form.width, "beside the choices");
  await close();
});
