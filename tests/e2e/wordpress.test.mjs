// In a real WordPress (Debian's 6.1, MariaDB, `php -S`; tests/e2e/wordpress.mjs), as a webmaster
// uses it: posts by an author (no unfiltered_html) holding a fiche's address alone on its line —
// in the classic editor's shape and in the block editor's — in a classic theme (Twenty
// Twenty-One) and a block theme (Twenty Twenty-Three). WordPress discovers our oEmbed answer, keeps
// what it allows, and runs its own wp-embed.js: the frame must fit its card and its column, on a
// desktop and on a phone, and its links must open where they lead. The browser tests' imitation
// of WordPress had hidden that its listener never ran (shared/notes/field.md). Then what each role
// can paste: an administrator's script and iframe snippets in Custom HTML blocks; an author's,
// which WordPress strips, and our plugin's shortcodes and block — the block picked by title in
// WordPress's own block editor, logged in as the author.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fetchJson, launchBrowser, newPage, startServer } from "./support.mjs";
import { startWordPress, wordPressAvailable } from "./wordpress.mjs";

const skip = wordPressAvailable() ? false : "no WordPress here: `cargo xtask test browser` unpacks it";
const FICHE = "exemples-cercle-de-parole";
/** The partner's site under a public name (the browser maps it to this machine). */
const HOST = "asso-des-communs.fr";
const REPORT = "network=exemples&key=demo-cle-du-reseau-exemples";
/** A post's text, in either theme. */
const POST_CONTENT = ":is(.entry-content, .wp-block-post-content)";
let server;
let browser;
let wordpress;
/** The two shapes of one post, by editor. */
const posts = {};

before(async () => {
  if (skip) return;
  server = await startServer({ seedFixtures: false });
  browser = await launchBrowser({ args: [`--host-resolver-rules=MAP ${HOST} 127.0.0.1`] });
  wordpress = await startWordPress({ host: HOST, plugin: `${server.url}integrer/multibao-wordpress.zip` });
  const address = `${server.url}r/${FICHE}`;
  await wordpress.evaluate(`update_option('multibao_serveur', '${server.url.replace(/\/$/, "")}');`);
  posts.classic = await wordpress.post("Une fiche du commun", `Voici une fiche que nous aimons :\n\n${address}\n\nSuite de l'article.`);
  // What the block editor saves for an address pasted alone: an embed block, its classes taken
  // from our answer (no ratio: the frame's width is the column's).
  posts.blocks = await wordpress.post("Une fiche en blocs", `<!-- wp:paragraph --><p>Voici une fiche que nous aimons :</p><!-- /wp:paragraph -->
<!-- wp:embed {"url":"${address}","type":"rich","providerNameSlug":"multibao","responsive":true} -->
<figure class="wp-block-embed is-type-rich is-provider-multibao wp-block-embed-multibao"><div class="wp-block-embed__wrapper">
${address}
</div></figure>
<!-- /wp:embed -->
<!-- wp:paragraph --><p>Suite de l'article.</p><!-- /wp:paragraph -->`);
});

after(async () => {
  await browser?.close();
  await wordpress?.stop();
  await server?.stop();
});

/** Opens `post` `width` px wide; resolves once WordPress has given the frame its card's height. */
async function openPost(post, width = 1280) {
  const opened = await newPage(browser, { viewport: { width, height: 900 } });
  await opened.page.goto(post);
  opened.frame = opened.page.frameLocator("iframe.wp-embedded-content");
  await opened.frame.locator("bao-card h2.title").waitFor();
  // WordPress hides the frame until it says its height, then shows it at that height.
  await opened.page.waitForFunction(() => !document.querySelector("iframe.wp-embedded-content").getAttribute("style"));
  return opened;
}

/** The frame's box and its card's height, the column's width and the page's. */
async function measure({ page, frame }) {
  const [box, content] = await Promise.all([
    page.locator("iframe.wp-embedded-content").evaluate((iframe) => ({
      width: iframe.getBoundingClientRect().width,
      height: iframe.getBoundingClientRect().height,
      column: iframe.closest("p, .wp-block-embed__wrapper").getBoundingClientRect().width,
      page: document.documentElement.scrollWidth,
    })),
    frame.locator("html").evaluate((html) => Math.ceil(html.getBoundingClientRect().height)),
  ]);
  return { ...box, content };
}

test("an author's post: WordPress embeds the fiche, its frame fits the card, the quotation gives way", { skip }, async () => {
  const opened = await openPost(posts.classic);
  const { page, close } = opened;
  assert.equal(await page.locator("script[src*='wp-embed']").count(), 1, "WordPress loaded its listener");
  const { height, content } = await measure(opened);
  assert.ok(Math.abs(height - content) <= 2, `iframe ${height} px for ${content} px of card`);
  assert.equal(await page.locator("blockquote.wp-embedded-content").isVisible(), false);
  assert.equal(await page.locator("iframe.wp-embedded-content").getAttribute("frameborder"), "0");
  // Before any script, the post as WordPress sends it shows the fiche as text in the quotation
  // (its title as a link, its summary, network and licence), which gives way to the frame.
  const sent = await page.evaluate(async (post) => (await fetch(post)).text(), posts.classic);
  const quotation = sent.match(/<blockquote class="wp-embedded-content"[^>]*>(.*?)<\/blockquote>/s)?.[1] ?? "";
  const { body: fiche } = await fetchJson(`${server.url}api/v1/resources/${FICHE}`);
  assert.match(quotation, new RegExp(`<a href="${server.url}r/${FICHE}">`), quotation);
  // Letters only: WordPress makes quotes and dashes typographic.
  const letters = (text) => text.replace(/&#?\w+;/g, "").replace(/[^\p{L}\p{N}]+/gu, "");
  for (const text of [fiche.summary.slice(0, 60), fiche.network.name, fiche.licence.label]) {
    assert.ok(letters(quotation).includes(letters(text)), `${text} in ${quotation}`);
  }
  // Unfolded, the fiche is taller: the frame follows, up to the 1 000 px WordPress allows.
  await opened.frame.locator("summary.read").click();
  await page.waitForFunction((before) => Number(document.querySelector("iframe.wp-embedded-content").height) > before + 100, height);
  await close();
});

for (const theme of ["twentytwentyone", "twentytwentythree"]) {
  test(`in ${theme}, in either editor's post, on a desktop and on a 375 px phone: the frame is its column's width and its card's height`, { skip }, async () => {
    await wordpress.useTheme(theme);
    for (const [editor, post] of Object.entries(posts)) {
      for (const width of [1280, 375]) {
        const opened = await openPost(post, width);
        const box = await measure(opened);
        const where = `${theme}, ${editor} editor, ${width} px: ${JSON.stringify(box)}`;
        assert.ok(Math.abs(box.width - box.column) <= 1, `the column's width — ${where}`);
        assert.ok(box.page <= width, `no sideways scroll — ${where}`);
        assert.ok(Math.abs(box.height - box.content) <= 2, `the card's height — ${where}`);
        await opened.close();
      }
    }
  });
}

test("in WordPress, links clicked in the frame open where they lead: the fiche's page, and its licence through /lien", { skip }, async () => {
  const { page, frame, problems, close } = await openPost(posts.classic);
  assert.equal(await frame.locator("bao-card a[rel=license]").textContent(), "CC BY-SA 4.0", "the licence travels with the embed");
  await Promise.all([page.waitForURL(`${server.url}r/${FICHE}`), frame.getByRole("link", { name: /Page de la fiche/ }).click()]);
  assert.match(await page.locator("h1").textContent(), /Le cercle de parole/);
  // The licence's site is a third party (and this machine has no Internet): the window goes to
  // /lien, which sends it there.
  const again = await openPost(posts.classic);
  const [followed] = await Promise.all([
    again.page.waitForResponse(/\/lien\?vers=/),
    again.frame.locator("bao-card a[rel=license]").click(),
  ]);
  assert.equal(followed.status(), 303);
  assert.match(followed.headers().location, /^https:\/\/creativecommons\.org\/licenses\/by-sa\/4\.0\//);
  assert.equal(followed.frame(), again.page.mainFrame(), "the window itself, not the frame, follows the link");
  // What is left: WordPress's own favicon (`php -S` has none) and the licence's site, unreachable here.
  for (const seen of [problems, again.problems]) {
    assert.deepEqual(seen.filter((problem) => !/favicon\.ico|creativecommons/.test(problem)), []);
  }
  await Promise.all([close(), again.close()]);
});

test("an author's post: WordPress strips the script and iframe snippets; the plugin's shortcodes show a fiche and a carousel that fit", { skip }, async () => {
  const snippets = [
    // The builder's card snippet: the title, summary, network and licence inside the element.
    `<script src="${server.url}embed.js"></script>\n<bao-card resource="${FICHE}">\n  <a href="${server.url}r/${FICHE}">Le cercle de parole</a>\n  <p>Un cercle pour que chacun parle à son tour.</p>\n  <p>Réseau des communs exemplaires (démo) · CC BY-SA 4.0</p>\n</bao-card>`,
    `<iframe src="${server.url}embed/r/${FICHE}" title="Le cercle de parole" style="width:100%;border:0" height="480"></iframe>`,
    `[multibao fiche="${FICHE}"]`,
    `[multibao temoignages reseau="exemples" nombre="3"]`,
  ];
  const post = await wordpress.post("Ce que garde WordPress", snippets.join("\n\n"));
  const { page, problems, close } = await newPage(browser, { viewport: { width: 375, height: 900 } });
  await page.goto(post);
  const article = page.locator(POST_CONTENT);
  assert.equal(await article.locator("script[src*='embed.js'], bao-card").count(), 0, "WordPress strips an author's script and element");
  assert.equal(await article.locator(`iframe:not(.multibao)`).count(), 0, "and an author's iframe");
  assert.equal(await article.locator(`a[href="${server.url}r/${FICHE}"]`).count(), 1, "the link inside the element stays");
  assert.equal(await article.locator("p", { hasText: "Réseau des communs exemplaires (démo) · CC BY-SA 4.0" }).count(), 1, "and what the card says");
  // What the shortcodes became: our frames, their height fitted by our resize.js.
  const frames = article.locator("iframe.multibao");
  assert.equal(await frames.count(), 2);
  await frames.nth(0).contentFrame().locator("bao-card h2.title", { hasText: "Le cercle de parole" }).waitFor();
  await frames.nth(1).contentFrame().locator("bao-testimonials .slide h2").waitFor();
  for (const index of [0, 1]) {
    await page.waitForFunction((i) => document.querySelectorAll("iframe.multibao")[i].style.height !== "", index);
    const [height, content] = await Promise.all([
      frames.nth(index).evaluate((frame) => frame.getBoundingClientRect().height),
      frames.nth(index).contentFrame().locator("html").evaluate((html) => Math.ceil(html.getBoundingClientRect().height)),
    ]);
    assert.ok(Math.abs(height - content) <= 2, `frame ${index}: ${height} px for ${content} px`);
  }
  assert.equal(await frames.nth(1).getAttribute("src"), `${server.url}embed/temoignages?network=exemples&limit=3`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), "no sideways scroll on a phone");
  assert.deepEqual(problems.filter((problem) => !/favicon\.ico/.test(problem)), []);
  await close();
});

test("an administrator's Custom HTML blocks: the script snippet paints the card, the iframe snippet fits its column", { skip }, async () => {
  const html = (code) => `<!-- wp:html -->\n${code}\n<!-- /wp:html -->`;
  const post = await wordpress.post("Le code de l'administrateur", [
    html(`<script src="${server.url}embed.js"></script>\n<bao-card resource="${FICHE}"><a href="${server.url}r/${FICHE}">Le cercle de parole</a></bao-card>`),
    html(`<iframe src="${server.url}embed/r/${FICHE}" title="Le cercle de parole" style="width:100%;border:0" height="480" loading="lazy" allow="clipboard-write"></iframe>\n<script src="${server.url}resize.js"></script>`),
  ].join("\n\n"), "admin");
  for (const width of [1280, 375]) {
    const { page, problems, close } = await newPage(browser, { viewport: { width, height: 900 } });
    await page.goto(post);
    const article = page.locator(POST_CONTENT);
    await article.locator("bao-card h2.title", { hasText: "Le cercle de parole" }).waitFor();
    const frame = article.locator("iframe[src*='/embed/r/']");
    await frame.contentFrame().locator("bao-card h2.title").waitFor();
    await page.waitForFunction(() => document.querySelector("iframe[src*='/embed/r/']").style.height !== "");
    const sizes = await page.evaluate(() => {
      const card = document.querySelector("bao-card").getBoundingClientRect();
      const frame = document.querySelector("iframe[src*='/embed/r/']");
      return { card: card.width, frame: frame.getBoundingClientRect().width, column: frame.parentElement.getBoundingClientRect().width, page: document.documentElement.scrollWidth };
    });
    assert.ok(sizes.frame <= sizes.column + 1 && sizes.frame < width - 20, `${width} px: the frame keeps to its column ${JSON.stringify(sizes)}`);
    assert.ok(Math.abs(sizes.card - sizes.frame) <= 2, `${width} px: the card and the frame are as wide ${JSON.stringify(sizes)}`);
    assert.ok(sizes.page <= width, `${width} px: no sideways scroll`);
    assert.deepEqual(problems.filter((problem) => !/favicon\.ico/.test(problem)), []);
    await close();
  }
});

test("in the block editor, an author finds a fiche by typing words of its title, and the post shows it", { skip }, async () => {
  const { page, problems, close } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${wordpress.url}/wp-login.php`);
  await page.locator("#user_login").fill("autrice");
  await page.locator("#user_pass").fill("mot-de-passe-autrice");
  await Promise.all([page.waitForURL(/\/wp-admin\//), page.locator("#wp-submit").click()]);
  await page.goto(`${wordpress.url}/wp-admin/post-new.php`);
  await page.waitForFunction(() => window.wp?.blocks?.getBlockType("multibao/fiche"), null, { timeout: 60_000 });
  // The editor's welcome guide, on a first visit. (Its words are English here: Debian's French
  // files translate WordPress's PHP, not its editor's scripts; the block's own words are French.)
  await page.locator(".edit-post-welcome-guide").waitFor();
  await page.keyboard.press("Escape");
  await page.locator(".editor-post-title__input").fill("Une fiche choisie dans l'éditeur");
  // As an author inserts a block: « / » and its name in an empty paragraph.
  await page.keyboard.press("Enter");
  await page.keyboard.type("/multibao");
  await page.getByRole("option", { name: /Fiche multiBàO/ }).click();
  await page.getByRole("searchbox", { name: "Chercher une fiche multiBàO" }).pressSequentially("cercle parole");
  await page.getByRole("status").filter({ hasText: /fiches? trouvées? : choisissez-en une/ }).waitFor();
  await page.getByRole("button", { name: /^Le cercle de parole/ }).click();
  const preview = page.frameLocator("iframe.multibao-apercu");
  await preview.locator("bao-card h2.title", { hasText: "Le cercle de parole" }).waitFor();
  assert.match(
    await page.evaluate(() => window.wp.data.select("core/editor").getEditedPostContent()),
    new RegExp(`<!-- wp:multibao/fiche \\{"fiche":"${FICHE}"`),
    "the block saves the fiche's id",
  );
  await page.evaluate(() => {
    window.wp.data.dispatch("core/editor").editPost({ status: "publish" });
    return window.wp.data.dispatch("core/editor").savePost();
  });
  const address = await page.evaluate(() => window.wp.data.select("core/editor").getPermalink());
  // WordPress's own: its admin asks gravatar.com and s.w.org for pictures (no network here), and in
  // a block theme its editor asks for the post's template, which an author may not edit (403).
  const wordpressOwn = /favicon\.ico|gravatar\.com|s\.w\.org|403 .*wp%2Fv2%2Ftemplates/;
  assert.deepEqual(problems.filter((problem) => !wordpressOwn.test(problem)), []);
  await close();

  // A visitor: the fiche, in the frame the plugin renders on the server.
  const visitor = await newPage(browser);
  await visitor.page.goto(address);
  const frame = visitor.page.locator(`${POST_CONTENT} iframe.multibao`);
  assert.equal(await frame.getAttribute("src"), `${server.url}embed/r/${FICHE}`);
  await frame.contentFrame().locator("bao-card h2.title", { hasText: "Le cercle de parole" }).waitFor();
  await visitor.close();
});

test("the plugin refuses what is no id, and tells who writes when the server is not set", { skip }, async () => {
  const post = await wordpress.post("Codes courts mal écrits", `[multibao fiche="<script>alert(1)</script>"]\n\n[multibao]`);
  const { page, close } = await newPage(browser);
  await page.goto(post);
  await page.locator(POST_CONTENT).first().waitFor({ state: "attached" });
  assert.equal(await page.locator(`${POST_CONTENT} iframe`).count(), 0);
  assert.equal(await page.locator("script:not([src])").filter({ hasText: "alert(1)" }).count(), 0);
  // A visitor sees nothing broken: the notes are for who can edit.
  assert.equal(await page.locator(".multibao-erreur").count(), 0);
  await close();
  // Who can edit reads why, in the preview.
  const asEditor = (shortcode) => wordpress.evaluate(`wp_set_current_user(1); echo do_shortcode('${shortcode}');`);
  assert.match(await asEditor('[multibao fiche="<b>x</b>"]'), /identifiant de fiche invalide/);
  assert.match(await asEditor("[multibao]"), /écrivez fiche=&quot;identifiant&quot;, recherche ou temoignages/);
  await wordpress.evaluate("update_option('multibao_serveur', '');");
  assert.match(await asEditor(`[multibao fiche="${FICHE}"]`), /indiquez l&#039;adresse du serveur multiBàO dans Réglages → Général/);
  await wordpress.evaluate(`update_option('multibao_serveur', '${server.url.replace(/\/$/, "")}');`);
});

test("a display inside WordPress's sandboxed frame is counted under the post's site", { skip }, async () => {
  const { close } = await openPost(posts.classic);
  const deadline = Date.now() + 10_000;
  let sites = [];
  while (Date.now() < deadline && !sites.some(({ site }) => site === HOST)) {
    sites = (await fetchJson(`${server.url}api/v1/stats?${REPORT}`)).body.sites;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.ok(sites.some(({ site }) => site === HOST), JSON.stringify(sites));
  await close();
});
