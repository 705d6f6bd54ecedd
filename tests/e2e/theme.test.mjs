// Theming from the host page, read back inside the shadow roots: the page's font and text colour
// by default, `theme="light|dark|auto"`, custom properties, and `::part()`.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { launchBrowser, newPage, startHostSite, startServer } from "./support.mjs";

const require = createRequire(import.meta.url);
let server;
let browser;
let site;

before(async () => {
  server = await startServer({ seedFixtures: false });
  browser = await launchBrowser();
  const card = (id, attributes = "") =>
    `<bao-card id="${id}" resource="exemples-repair-cafe" ${attributes}><a href="${server.url}r/exemples-repair-cafe">Repair café</a></bao-card>`;
  site = await startHostSite({
    // A dark site: a card without theme, and one in our iframe.
    "/dark-page": `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Site sombre</title>` +
      `<link rel="icon" href="data:,"><script src="${server.url}embed.js"></script></head>` +
      `<body style="background:#121212;color:#eeeeee"><main>` +
      `<bao-card id="plain" resource="exemples-cercle-de-parole"><a href="${server.url}r/exemples-cercle-de-parole">Cercle</a></bao-card>` +
      `<iframe id="frame" src="${server.url}embed/r/exemples-cercle-de-parole" title="Fiche" style="width:100%;height:500px;border:0"></iframe>` +
      `<bao-search id="search" limit="2"><a href="${server.url}">Chercher</a></bao-search>` +
      `<bao-search id="search-dark" theme="dark" limit="2"><a href="${server.url}">Chercher</a></bao-search>` +
      `</main></body></html>`,
    // An old WordPress/Bootstrap habit: the root at 10 px, the body set back to 16 px.
    "/small-root": `<!doctype html><html lang="fr" style="font-size:62.5%"><head><meta charset="utf-8"><title>Racine</title>` +
      `<link rel="icon" href="data:,"><script src="${server.url}embed.js"></script></head>` +
      `<body style="font-size:1.6rem"><main>${card("plain")}</main></body></html>`,
    "/": `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Thèmes</title><link rel="icon" href="data:,">` +
      `<script src="${server.url}embed.js"></script><style>body{font-family:Georgia,serif;color:rgb(10, 80, 20)}` +
      `#custom{--bao-accent:rgb(200, 0, 0)} #parts::part(title){text-transform:uppercase}</style></head><body><main>` +
      card("plain") + card("dark", 'theme="dark"') + card("auto", 'theme="auto"') + card("custom", 'theme="dark"') + card("parts") +
      `<bao-testimonials id="carousel" theme="dark" limit="2"><a href="${server.url}">Témoignages</a></bao-testimonials>` +
      `</main></body></html>`,
  });
});

after(async () => {
  await site?.close();
  await browser?.close();
  await server?.stop();
});

async function openThemes(colorScheme) {
  const session = await newPage(browser, { colorScheme });
  await session.page.goto(site.url);
  await session.page.waitForFunction(() =>
    [...document.querySelectorAll("bao-card")].every((card) => card.shadowRoot?.querySelector("h2")),
  );
  await session.page.locator("bao-testimonials .slide h2").waitFor();
  return session;
}

const styleOf = (page, id, selector) =>
  page.evaluate(([id, selector]) => {
    const style = getComputedStyle(document.getElementById(id).shadowRoot.querySelector(selector));
    return { color: style.color, background: style.backgroundColor, font: style.fontFamily, transform: style.textTransform };
  }, [id, selector]);

test("by default the elements take the page's font and text colour", async () => {
  const { page, problems, close } = await openThemes("light");
  const plain = await styleOf(page, "plain", ".card");
  assert.equal(plain.color, "rgb(10, 80, 20)");
  assert.equal(plain.font, "Georgia, serif");
  assert.equal(plain.background, "rgba(0, 0, 0, 0)");
  assert.deepEqual(problems, []);
  await close();
});

test("theme=dark, theme=auto with a dark system, custom properties and ::part", async () => {
  const { page, problems, close } = await openThemes("dark");
  const dark = await styleOf(page, "dark", ".card");
  assert.deepEqual([dark.background, dark.color], ["rgb(29, 26, 39)", "rgb(241, 238, 248)"]);
  const auto = await styleOf(page, "auto", ".card");
  assert.deepEqual([auto.background, auto.color], ["rgb(29, 26, 39)", "rgb(241, 238, 248)"], "auto follows the system");
  // The page's custom property wins over the theme's.
  assert.equal((await styleOf(page, "custom", "summary.read")).background, "rgb(200, 0, 0)");
  assert.equal((await styleOf(page, "dark", "summary.read")).background, "rgb(196, 181, 255)");
  assert.equal((await styleOf(page, "parts", "h2")).transform, "uppercase");
  assert.equal((await styleOf(page, "carousel", ".carousel")).background, "rgb(29, 26, 39)");
  // The play button stays readable in the dark theme (its sign is on its own dark disc).
  const play = await styleOf(page, "carousel", ".icon");
  assert.ok(contrast(play.color, play.background, [128, 128, 128]) >= 4.5, `play ${play.color} on ${play.background}`);
  // The dark colours keep WCAG AA contrast.
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const results = await page.evaluate(() =>
    window.axe.run({ include: [["#dark"], ["#carousel"]] }, { runOnly: { type: "rule", values: ["color-contrast"] } }),
  );
  assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);
  assert.ok(results.passes.length > 0);
  assert.deepEqual(problems, []);
  await close();
});

test("theme=auto with a light system is light", async () => {
  const { page, close } = await openThemes("light");
  const auto = await styleOf(page, "auto", ".card");
  assert.deepEqual([auto.background, auto.color], ["rgb(255, 255, 255)", "rgb(31, 27, 46)"]);
  await close();
});

test("sizes follow the element, not the page's root: html { font-size: 62.5% } changes nothing", async () => {
  const sizes = async (path) => {
    const { page, close } = await newPage(browser);
    await page.goto(new URL(path, site.url).href);
    await page.waitForFunction(() => document.querySelector("bao-card").shadowRoot?.querySelector("h2"));
    const measured = await page.evaluate(() => {
      const root = document.querySelector("bao-card").shadowRoot;
      const size = (selector) => parseFloat(getComputedStyle(root.querySelector(selector)).fontSize);
      return { title: size("h2"), summary: size(".summary"), meta: size(".meta"), box: document.querySelector("bao-card").getBoundingClientRect().height };
    });
    await close();
    return measured;
  };
  const normal = await sizes("/");
  const smallRoot = await sizes("/small-root");
  assert.deepEqual(smallRoot, normal, "the same card whatever the root's size");
  assert.ok(smallRoot.meta >= 12 && smallRoot.title > smallRoot.summary, JSON.stringify(smallRoot));
});

/** WCAG contrast of two computed colours (rgb(), rgba() or color(srgb …)), the first over `under`. */
function contrast(fore, back, under = [18, 18, 18]) {
  const parse = (text) => {
    const srgb = text.match(/color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)/);
    if (srgb) return [...srgb.slice(1, 4).map((v) => Number(v) * 255), srgb[4] === undefined ? 1 : Number(srgb[4])];
    const [r, g, b, a = 1] = text.match(/[\d.]+/g).map(Number);
    return [r, g, b, a];
  };
  const over = ([r, g, b, a], [ur, ug, ub]) => [r * a + ur * (1 - a), g * a + ug * (1 - a), b * a + ub * (1 - a)];
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((v) => v / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = over(parse(back), under);
  const [l1, l2] = [luminance(over(parse(fore), background)), luminance(background)].sort((a, b) => b - a);
  return (l1 + 0.05) / (l2 + 0.05);
}

test("on a dark site: a card without theme takes its colours from the page, our iframe is light", async () => {
  const { page, problems, close } = await newPage(browser);
  await page.goto(new URL("/dark-page", site.url).href);
  await page.waitForFunction(() => document.getElementById("plain").shadowRoot?.querySelector("h2"));
  const colours = await page.evaluate(() => {
    const root = document.getElementById("plain").shadowRoot;
    const style = (selector) => getComputedStyle(root.querySelector(selector));
    return {
      link: style("a").color,
      meta: style(".meta").color,
      chip: [style(".tags li").color, style(".tags li").backgroundColor],
    };
  });
  const page_ = "rgb(18, 18, 18)";
  assert.ok(contrast(colours.link, page_) >= 4.5, `link ${colours.link}: ${contrast(colours.link, page_)}`);
  assert.ok(contrast(colours.meta, page_) >= 4.5, `meta ${colours.meta}`);
  const chipContrast = contrast(colours.chip[0], colours.chip[1]);
  assert.ok(chipContrast >= 4.5, `chip ${colours.chip}: ${chipContrast}`);

  const frame = page.frameLocator("#frame");
  await frame.locator("bao-card h2.title").waitFor();
  const framed = await frame.locator("bao-card").evaluate((card) => {
    const style = getComputedStyle(card.shadowRoot.querySelector(".card"));
    return [style.color, style.backgroundColor];
  });
  assert.deepEqual(framed[1], "rgb(255, 255, 255)", "the frame has its own background");
  assert.ok(contrast(framed[0], framed[1]) >= 4.5);
  assert.deepEqual(problems, []);
  await close();
});

// Found in a real partner's dark theme: « Afficher plus de résultats » took the page's light text
// onto the results' own white background (1.16:1). Every state a visitor can bring the box to is
// checked, with the page's colours (no theme) and with theme="dark".
for (const id of ["search", "search-dark"]) {
  test(`on a dark site: every state of the search box #${id} keeps its contrast`, async () => {
    const { page, problems, close } = await newPage(browser, { bypassCSP: true });
    await page.goto(new URL("/dark-page", site.url).href);
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const search = page.locator(`#${id}`);
    const input = search.locator("input");
    await input.waitFor();
    const failures = [];
    const check = async (state) => {
      const results = await page.evaluate((id) =>
        window.axe.run({ include: [[`#${id}`]] }, { runOnly: { type: "rule", values: ["color-contrast"] } }), id);
      failures.push(...results.violations.flatMap((v) => v.nodes.map((n) => `${state}: ${n.target.join(" ")}: ${n.failureSummary}`)));
      // axe cannot see a focus ring: the focused element's outline against what lies behind it.
      const ring = await search.evaluate((host) => {
        const focused = host.shadowRoot.activeElement;
        if (!focused) return null;
        const style = getComputedStyle(focused);
        if (style.outlineStyle === "none") return null;
        let behind = focused.parentElement;
        while (behind && getComputedStyle(behind).backgroundColor === "rgba(0, 0, 0, 0)") {
          behind = behind.parentElement ?? behind.getRootNode().host?.parentElement ?? null;
        }
        return [style.outlineColor, behind ? getComputedStyle(behind).backgroundColor : "rgb(18, 18, 18)"];
      });
      if (ring && contrast(...ring) < 3) failures.push(`${state}: focus ring ${ring[0]} on ${ring[1]} (${contrast(...ring).toFixed(2)}:1)`);
    };

    await input.focus();
    await check("empty, focused");
    await input.fill("fiche");
    await search.locator("li.more").waitFor();
    await check("results");
    await input.press("ArrowDown");
    await check("first result active");
    await input.press("End");
    await check("« more » active");
    const chip = search.locator(".chips button").first();
    await chip.click();
    await page.waitForFunction((id) => document.getElementById(id).shadowRoot.querySelector('.chips button[aria-pressed="true"]'), id);
    await check("chip pressed");
    await chip.click();
    await input.fill("zzqxw");
    await search.locator(".empty").waitFor();
    await check("no result");
    await input.fill("fiche");
    await search.locator("li.option").first().waitFor();
    await input.press("ArrowDown");
    await input.press("Enter");
    await search.locator(".chosen .back").waitFor();
    await check("fiche opened");
    await search.locator(".chosen .back").focus();
    await check("« back » focused");
    await search.locator(".chosen .back").click();
    await page.route("**/api/v1/search**", (route) => route.abort());
    await input.fill("coopération");
    await search.locator(".empty").waitFor();
    await check("search unavailable");

    assert.deepEqual(failures, []);
    assert.deepEqual(problems.filter((p) => !/api\/v1\/search|ERR_FAILED/.test(p)), []);
    await close();
  });
}
