// <bao-search> end to end: the real server holding real multiBàO data, the real wasm bundle, a
// partner page on another origin, headless Chromium driven by the keyboard as a visitor would.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { REAL_SOURCES, audit, hostPage, launchBrowser, newPage, startHostSite, startServer } from "./support.mjs";

let server;
let browser;
let site;

/** Partner pages, each with one search box configured by its attributes. */
function pages(serverUrl) {
  const page = (attributes, extra = "") =>
    hostPage(
      `<script src="${serverUrl}embed.js"></script><main><h1>Nos ressources</h1>` +
        `<bao-search ${attributes}><a href="${serverUrl}">Chercher dans multiBàO</a></bao-search>` +
        `<p><a href="#apres" id="apres">Après la recherche</a></p>${extra}</main>`,
    );
  return {
    "/": page(""),
    "/scoped": page('network="onpassealacte"'),
    "/link": page('open="link"'),
    "/cards-only": hostPage(
      `<script src="${serverUrl}embed.js"></script><main>` +
        `<bao-card resource="exemples-repair-cafe"><a href="${serverUrl}r/exemples-repair-cafe">Repair café</a></bao-card></main>`,
    ),
    "/cards-then-search": hostPage(
      `<script src="${serverUrl}embed.js"></script><main>` +
        `<bao-card resource="exemples-repair-cafe"><a href="${serverUrl}r/exemples-repair-cafe">Repair café</a></bao-card>` +
        `<p>Du texte entre les deux.</p><bao-search></bao-search></main>`,
    ),
    "/host-handles": page(
      "",
      `<script>document.addEventListener("bao:select", (e) => { e.preventDefault(); window.__chosen = e.detail; });</script>`,
    ),
  };
}

before(async () => {
  server = await startServer({ sources: REAL_SOURCES });
  browser = await launchBrowser();
  site = await startHostSite(pages(server.url));
});

after(async () => {
  await site?.close();
  await browser?.close();
  await server?.stop();
});

async function open(path = "/", contextOptions = {}) {
  const session = await newPage(browser, contextOptions);
  const searches = [];
  session.page.on("request", (request) => {
    if (request.url().includes("/api/v1/search")) searches.push(new URL(request.url()).searchParams.get("q"));
  });
  await session.page.goto(new URL(path, site.url).href);
  await session.page.locator("bao-search input[role=combobox]").waitFor();
  return { ...session, searches, input: session.page.locator("bao-search input[role=combobox]") };
}

/** Types like a person (one key at a time) and waits for the listbox to show the results. */
async function typeAndWait(page, input, text) {
  const answered = page.waitForResponse(
    (response) => response.url().includes("/api/v1/search") && new URL(response.url()).searchParams.get("q") === text,
  );
  await input.focus();
  await page.keyboard.type(text, { delay: 40 });
  await answered;
  await page.locator("bao-search [role=listbox]:not([hidden]) [role=option]").first().waitFor();
}

// Real fiches hot-link images from GitHub and Vimeo, whose names do not resolve on this closed
// network: Chromium logs those failed loads. Anything else in the console fails the test.
const offline = (problem) => problem.includes("net::ERR_NAME_NOT_RESOLVED");
const clean = (problems) => problems.filter((problem) => !offline(problem));

const optionTitles = (page) => page.locator("bao-search [role=option] .hit-title").allTextContents();

describe("the combobox", () => {
  test("typing shows ranked results, announced politely; the keyboard moves, chooses and comes back", async () => {
    const { page, problems, close, input, searches } = await open();
    await page.evaluate(() => {
      window.__selected = [];
      document.addEventListener("bao:select", (e) => window.__selected.push({ detail: e.detail, composed: e.composed }));
    });
    await typeAndWait(page, input, "réunion efficace");
    // Debounced: one request per pause, not one per keystroke (16 keys typed).
    assert.ok(searches.length <= 4, `requests sent: ${JSON.stringify(searches)}`);
    assert.equal(searches.at(-1), "réunion efficace");
    assert.equal(await input.getAttribute("aria-expanded"), "true");
    assert.equal(await input.getAttribute("aria-controls"), "bao-listbox");
    const titles = await optionTitles(page);
    assert.ok(titles.length >= 2, JSON.stringify(titles));
    const status = page.locator("bao-search [role=status]");
    await assert.doesNotReject(status.filter({ hasText: /\d+ résultats?/ }).waitFor());
    assert.equal(await status.getAttribute("aria-live"), "polite");
    // Highlights are <mark> elements built from text.
    assert.ok((await page.locator("bao-search [role=option] mark").count()) > 0);

    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    assert.equal(await input.getAttribute("aria-activedescendant"), "bao-option-1");
    assert.equal(await page.locator("bao-search #bao-option-1").getAttribute("aria-selected"), "true");
    await page.keyboard.press("ArrowUp");
    assert.equal(await input.getAttribute("aria-activedescendant"), "bao-option-0");
    await page.keyboard.press("ArrowUp");
    const options = await page.locator("bao-search [role=option]").count();
    assert.equal(await input.getAttribute("aria-activedescendant"), `bao-option-${options - 1}`, "wraps");
    await page.keyboard.press("ArrowDown");

    await page.keyboard.press("Enter");
    // Read inline: the chosen resource opens as a <bao-card>, focus on the way back.
    const card = page.locator("bao-search bao-card h2.title");
    await card.waitFor();
    assert.equal(await card.textContent(), titles[0]);
    assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.textContent), "← Retour aux résultats");
    const selected = await page.evaluate(() => window.__selected);
    assert.equal(selected.length, 1);
    assert.equal(selected[0].detail.title, titles[0]);
    assert.ok(selected[0].detail.url.endsWith(`/r/${selected[0].detail.id}`));
    assert.equal(selected[0].composed, true);
    assert.equal(await page.locator("bao-search [role=listbox]").isVisible(), false);

    await page.keyboard.press("Enter");
    await page.locator("bao-search [role=listbox]:not([hidden])").waitFor();
    assert.equal(await page.locator("bao-search bao-card").count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.id), "bao-q");

    const typed = await input.inputValue();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Escape");
    assert.equal(await input.getAttribute("aria-expanded"), "false");
    assert.equal(await input.getAttribute("aria-activedescendant"), null, "no active result in a closed list");
    assert.equal(await input.inputValue(), typed, "the first Escape only closes the list");
    await page.keyboard.press("Escape");
    assert.equal(await input.inputValue(), "", "a second Escape clears the box");
    assert.deepEqual(clean(problems), []);
    await close();
  });

  test("by keyboard, the active result and then the opened fiche are scrolled into view", async () => {
    const { page, problems, close, input } = await open("/", { viewport: { width: 800, height: 500 } });
    await typeAndWait(page, input, "réunion");
    const inView = (selector) =>
      page.locator(selector).evaluate((element) => {
        const box = element.getBoundingClientRect();
        return box.top >= -1 && box.bottom <= window.innerHeight + 1;
      });
    for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowDown");
    const active = await input.getAttribute("aria-activedescendant");
    assert.equal(active, "bao-option-5");
    await page.waitForFunction(() => {
      const option = document.querySelector("bao-search").shadowRoot.querySelector("#bao-option-5");
      const box = option.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight + 1; // a fraction of a pixel aside
    });
    await page.keyboard.press("Enter");
    await page.locator("bao-search bao-card h2.title").waitFor();
    // The fiche from its top: the way back, then its title, in the window.
    await page.waitForFunction(() => {
      const back = document.querySelector("bao-search").shadowRoot.querySelector("button.back");
      return back && back.getBoundingClientRect().top >= -1 && back.getBoundingClientRect().top < 100;
    });
    assert.ok(await inView("bao-search bao-card h2.title"), "the opened fiche's title in the window");
    assert.deepEqual(clean(problems), []);
    await close();
  });

  test("on a phone, the chips keep to one row that scrolls sideways, leaving room for results", async () => {
    const { page, problems, close, input } = await open("/", { viewport: { width: 360, height: 640 }, hasTouch: true });
    await input.focus();
    await page.keyboard.type("réunion", { delay: 20 });
    const chips = page.locator("bao-search .chips");
    await chips.waitFor();
    const [height, oneButton, scrolls] = await chips.evaluate((row) => [
      row.getBoundingClientRect().height,
      row.querySelector("button").getBoundingClientRect().height,
      row.scrollWidth > row.clientWidth,
    ]);
    assert.ok(height < oneButton * 1.6, `one row: ${height}px for buttons of ${oneButton}px`);
    assert.ok(scrolls, "the other chips are a swipe away");
    assert.deepEqual(clean(problems), []);
    await close();
  });

  test("Enter without an active option makes the first one active; more results are one option away", async () => {
    const { page, problems, close, input } = await open();
    await input.focus();
    await page.keyboard.type("réunion", { delay: 20 });
    const status = page.locator("bao-search [role=status]");
    await status.filter({ hasText: /\d+ résultats/ }).waitFor();
    const total = Number((await status.textContent()).match(/^([\d\u202f]+)/)[1].replace(/\u202f/g, ""));
    const shown = (await optionTitles(page)).length;
    assert.ok(total > shown, `${total} results, ${shown} shown`);
    await page.keyboard.press("Enter");
    assert.equal(await input.getAttribute("aria-activedescendant"), "bao-option-0");

    // The last option asks for more: the list grows and the first new result is active.
    const more = page.locator("bao-search [role=option].more");
    assert.equal(await more.textContent(), "Afficher plus de résultats");
    await page.keyboard.press("ArrowUp");
    assert.equal(await input.getAttribute("aria-activedescendant"), `bao-option-${shown}`);
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => document.querySelector("bao-search").shadowRoot.querySelectorAll("[role=option] .hit-title").length > n, shown);
    assert.equal(await input.getAttribute("aria-activedescendant"), `bao-option-${shown}`, "the first added result");
    assert.deepEqual(clean(problems), []);
    await close();
  });

  test("the last answer shown is the answer to the last text typed", async () => {
    const { page, problems, close, input } = await open();
    await typeAndWait(page, input, "gouvernance");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("holacratie", { delay: 10 });
    await page.locator("bao-search [role=option] .hit-title", { hasText: /holacratie/i }).first().waitFor();
    await page.waitForTimeout(600);
    const titles = await optionTitles(page);
    assert.match(titles[0], /holacratie/i);
    assert.deepEqual(clean(problems), []);
    await close();
  });

  test("facet chips narrow the results and say whether they are pressed", async () => {
    const { page, problems, close, input } = await open();
    await typeAndWait(page, input, "habitat");
    const chip = page.locator("bao-search .chips button", { hasText: /^Vidéo/ });
    assert.equal(await chip.getAttribute("aria-pressed"), "false");
    await chip.click();
    await page.locator("bao-search .chips button[aria-pressed=true]").waitFor();
    await page.waitForFunction(() => {
      const metas = [...document.querySelector("bao-search").shadowRoot.querySelectorAll(".hit-meta")];
      return metas.length > 0 && metas.every((meta) => meta.textContent.startsWith("Vidéo"));
    });
    assert.deepEqual(clean(problems), []);
    await close();
  });

  test("a server that stops after the box loaded: the box says search is unavailable", async () => {
    const other = await startServer({ seedFixtures: false });
    const { page, problems, close } = await newPage(browser);
    await page.goto(`${other.url}demo/`);
    const input = page.locator("bao-search input[role=combobox]");
    await input.waitFor();
    // The page's other elements finish loading first: the scenario is a server gone afterwards.
    await page.waitForLoadState("networkidle");
    await other.stop();
    await input.focus();
    await page.keyboard.type("jardin", { delay: 20 });
    await page.locator("bao-search .empty", { hasText: "La recherche est indisponible" }).waitFor();
    assert.equal(await page.locator("bao-search [role=status]").textContent(), "La recherche est indisponible pour le moment.");
    // The browser reports the stopped server itself (refused, or reset mid-way): nothing else may appear.
    assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_(REFUSED|RESET)/.test(p)), []);
    await close();
  });

  test("no results says so and offers to widen a fixed scope", async () => {
    const { page, problems, close, input } = await open("/scoped");
    await input.focus();
    await page.keyboard.type("kanban", { delay: 20 });
    const widen = page.locator("bao-search button", { hasText: "Chercher dans toute la bibliothèque" });
    await widen.waitFor();
    assert.match(await page.locator("bao-search .empty").textContent(), /Aucune ressource ne correspond à « kanban »/);
    await widen.click();
    await page.locator("bao-search [role=option] .hit-title", { hasText: /kanban/i }).first().waitFor();
    assert.deepEqual(clean(problems), []);
    await close();
  });
});

describe("what the host asks", () => {
  test('open="link" follows the chosen result to its page', async () => {
    const { page, problems, close, input } = await open("/link");
    await typeAndWait(page, input, "holacratie");
    await Promise.all([page.waitForURL(/\/r\/onpassealacte-holacratie-creation$/), page.keyboard.press("ArrowDown").then(() => page.keyboard.press("Enter"))]);
    assert.match(await page.title(), /holacratie/i);
    assert.deepEqual(clean(problems), []);
    await close();
  });

  test("a host that handles bao:select itself keeps the choice", async () => {
    const { page, problems, close, input } = await open("/host-handles");
    await typeAndWait(page, input, "sociocratie");
    const [firstTitle] = await optionTitles(page);
    await page.locator("bao-search #bao-option-0").click();
    await page.waitForFunction(() => window.__chosen);
    assert.equal(await page.evaluate(() => window.__chosen.title), firstTitle);
    assert.equal(await page.locator("bao-search bao-card").count(), 0, "nothing opened inline");
    assert.deepEqual(clean(problems), []);
    await close();
  });
});

describe("which module a page loads", () => {
  async function modulesLoaded(path, ready, act = async () => {}) {
    const { page, problems, close } = await newPage(browser);
    const modules = new Set();
    page.on("request", (request) => {
      const match = request.url().match(/\/widget\/(bao_\w+?)(?:_bg)?\.[0-9a-f]+\.(js|wasm)$/);
      if (match) modules.add(`${match[1]}.${match[2]}`);
    });
    await page.goto(new URL(path, site.url).href);
    await page.locator(ready).waitFor();
    await page.waitForTimeout(300);
    const beforeAnyMove = [...modules].sort();
    await act(page);
    await close();
    return { beforeAnyMove, modules: [...modules].sort(), problems: clean(problems) };
  }

  test("cards load no wasm; a search box loads its module when the visitor comes to it", async () => {
    const cards = await modulesLoaded("/cards-only", "bao-card h2.title");
    assert.deepEqual(cards.modules, [], "a card is the server's view, with no wasm");
    assert.deepEqual(cards.problems, []);
    const mixed = await modulesLoaded("/cards-then-search", "bao-search input[role=combobox]", async (page) => {
      await page.locator("bao-search input").focus();
      await page.locator("bao-search input").pressSequentially("vélo");
      await page.locator("bao-search [role=option]").first().waitFor();
    });
    assert.deepEqual(mixed.beforeAnyMove, [], "nothing before the visitor comes to the box");
    assert.deepEqual(mixed.modules, ["bao_search.js", "bao_search.wasm"], "the search's own module, without the carousel");
    assert.deepEqual(mixed.problems, []);
  });
});

test("the search box with its results passes an axe-core audit (WCAG 2.1 A and AA)", async () => {
  const { page, problems, close, input } = await open();
  await typeAndWait(page, input, "réunion");
  await page.keyboard.press("ArrowDown");
  const { violations, passes } = await audit(page, "bao-search");
  assert.deepEqual(violations, []);
  assert.ok(passes > 5, "axe-core really checked the search box");
  assert.deepEqual(clean(problems), []);
  await close();
});

test("a hostile resource found by search cannot run script", async () => {
  const { page, problems, close, input } = await open();
  await typeAndWait(page, input, "piégée");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.locator("bao-search bao-card h2.title", { hasText: "Fiche piégée" }).waitFor();
  await page.locator("bao-search bao-card summary.read").click();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // The fixture's image is deliberately gone (404).
  assert.deepEqual(clean(problems).filter((problem) => !problem.includes("absente.svg")), []);
  await close();
});
