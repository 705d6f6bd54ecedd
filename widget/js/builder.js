/*! multibao-embed — the snippet builder of /integrer: the form's choices become the element shown
 * in the preview and the three snippets offered for copying. Licence MIT. */
(function () {
  "use strict";
  // The page's parts (templates/builder.html): there, or this script is not on its page.
  /** @param {string} id */
  function byId(id) {
    return /** @type {HTMLElement} */ (document.getElementById(id));
  }
  /** A snippet's text area, or the form's field named so. @param {string} id */
  function textArea(id) {
    return /** @type {HTMLTextAreaElement} */ (document.getElementById(id));
  }
  var main = byId("builder");
  var form = /** @type {HTMLFormElement} */ (byId("choices"));
  var origin = main.getAttribute("data-origin") || "";
  var integrity = main.getAttribute("data-integrity");
  var preview = byId("preview");
  var help = byId("resource-help");
  /** @type {Record<string, string>} */
  var titles = {};
  var options = document.querySelectorAll("#resources option");
  for (var i = 0; i < options.length; i++) titles[/** @type {HTMLOptionElement} */ (options[i]).value] = options[i].textContent || "";

  /** @param {string} name */
  function input(name) {
    return /** @type {HTMLInputElement | null} */ (form.elements.namedItem(name));
  }

  /** @param {unknown} text */
  function escape(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  /** @param {string} name */
  function value(name) {
    var field = input(name);
    return field ? String(field.value || "").trim() : "";
  }

  // Titles compared as people type them: case, accents and a phone's ’ aside.
  /** @param {string} text */
  function comparable(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[’‘`]/g, "'").toLowerCase().trim();
  }

  // A typed id or title is matched to its id; a word of the title, when only one title has it.
  function resourceId() {
    var typed = value("resource");
    if (titles[typed]) return typed;
    var wanted = comparable(typed);
    if (!wanted) return "";
    var found = [];
    for (var id in titles) {
      var title = comparable(titles[id]);
      if (title === wanted) return id;
      if (title.indexOf(wanted) >= 0) found.push(id);
    }
    return found.length === 1 ? found[0] : "";
  }

  // What the server accepts for a limit, so that a snippet never asks for more.
  var limitField = input("limit");
  var maxLimit = Number(limitField && limitField.max) || 30;

  // The WordPress plugin's shortcode (deploy/wordpress/): its attributes are French words, and a
  // double quote cannot be in one.
  /**
   * @param {string} what
   * @param {string[][]} pairs
   * @param {string} theme
   * @param {string} lang
   * @param {string} counting
   */
  function shortcode(what, pairs, theme, lang, counting) {
    var parts = ["multibao", what];
    pairs.concat([["theme", theme], ["langue", lang === "fr" ? "" : lang], ["comptage", counting ? "non" : ""]]).forEach(function (pair) {
      if (pair[1]) parts.push(pair[0] + '="' + String(pair[1]).replace(/["\[\]]/g, "") + '"');
    });
    return "[" + parts.join(" ") + "]";
  }

  // What a card's snippet carries besides its title, for pages where no script runs (a CMS that
  // strips it, scripts blocked): the summary, then the network, authors and licence, as plain
  // text the host's CSS styles. Asked of the API once per fiche; until it answers, the title alone.
  // (A carousel's snippet carries its first testimony the same way: see `firsts`.)
  /** @type {Record<string, string>} */
  var cards = {};
  /** @typedef {{ id: string, title: string, summary?: string, network: { name: string }, authors: string[], licence: { label: string } }} Resource */
  // Who writes a resource and under which licence, as a snapshot says it.
  /** @param {Resource} resource */
  function about(resource) {
    return [resource.network.name].concat(resource.authors.length ? [resource.authors.join(", ")] : [], [resource.licence.label]).join(" · ");
  }
  /** @param {string} id */
  function snapshot(id) {
    if (!(id in cards)) {
      cards[id] = "";
      fetch(origin + "/api/v1/resources/" + encodeURIComponent(id))
        .then(function (answer) {
          return answer.ok ? answer.json() : null;
        })
        .then(function (/** @type {Resource | null} */ resource) {
          if (!resource) return;
          var summary = resource.summary ? "\n  <p>" + escape(resource.summary) + "</p>" : "";
          cards[id] = summary + "\n  <p>" + escape(about(resource)) + "</p>";
          update();
        }, function () {});
    }
    return cards[id];
  }

  /** @typedef {{ html: string, iframe: string, height: number, title: string, url: string, shortcode: string, filters?: string[] }} Described */
  // What the element, the iframe and the address are for the current choices.
  /** @returns {Described | null} */
  function describe() {
    var element = value("element");
    var lang = value("lang");
    /** @type {string[]} */
    var attributes = [];
    var add = function (/** @type {string} */ name, /** @type {string} */ text) {
      if (text) attributes.push(name + '="' + escape(text) + '"');
    };
    /** @type {string[]} */
    var query = [];
    var param = function (/** @type {string} */ name, /** @type {string} */ text) {
      if (text) query.push(name + "=" + encodeURIComponent(text));
    };
    var theme = value("theme");
    var countingField = input("counting");
    var counting = countingField && countingField.checked ? "" : "off";
    if (element === "card") {
      var id = resourceId();
      if (!id) return null;
      add("resource", id);
      [["theme", theme], ["lang", lang === "fr" ? "" : lang], ["counting", counting]].forEach(function (pair) {
        add(pair[0], pair[1]);
        param(pair[0], pair[1]);
      });
      return {
        shortcode: shortcode('fiche="' + id + '"', [], theme, lang, counting),
        html: "<bao-card " + attributes.join(" ") + '>\n  <a href="' + origin + "/r/" + escape(id) + '">' + escape(titles[id]) + "</a>" +
          snapshot(id) + "\n</bao-card>",
        iframe: origin + "/embed/r/" + encodeURIComponent(id) + (query.length ? "?" + query.join("&") : ""),
        height: 480,
        title: titles[id],
        url: origin + "/r/" + id,
      };
    }
    var tag = element === "search" ? "bao-search" : "bao-testimonials";
    var names = element === "search" ? ["network", "tag", "kind"] : ["network", "tag", "limit"];
    /** @type {Record<string, string>} */
    var words = { network: "reseau", tag: "etiquette", kind: "type", limit: "nombre" };
    var said = names.map(function (name) {
      var text = value(name);
      if (name === "limit" && text) text = String(Math.min(Math.max(parseInt(text, 10) || 8, 1), maxLimit));
      add(name, text);
      param(name, text);
      return [words[name], text];
    });
    var filters = query.filter(function (pair) {
      return pair.indexOf("limit=") !== 0;
    });
    add("theme", theme);
    param("theme", theme);
    add("lang", lang === "fr" ? "" : lang);
    param("lang", lang === "fr" ? "" : lang);
    add("counting", counting);
    param("counting", counting);
    var label = element === "search" ? "Chercher dans multiBàO" : "Témoignages filmés";
    var path = element === "search" ? "/embed/recherche" : "/embed/temoignages";
    // Inside a search box, a form to the server's results page: it works before any script, and
    // where none runs. Inside a carousel, its first testimony (once the API said which).
    var first = element === "search" ? null : firsts[probe(element, filters)];
    var inside = element === "search"
      ? '  <form role="search" action="' + origin + '/recherche" method="get">\n' +
        said.filter(function (pair) { return pair[1]; }).map(function (pair) {
          return '    <input type="hidden" name="' + pair[0] + '" value="' + escape(pair[1]) + '">\n';
        }).join("") +
        '    <label>' + label + ' <input type="search" name="q"></label>\n    <button type="submit">Chercher</button>\n  </form>'
      : first
        ? '  <a href="' + origin + "/r/" + escape(first.resource.id) + '">' + escape(first.resource.title) + "</a>" +
          (first.quote ? "\n  <blockquote><p>" + escape(first.quote) + "</p></blockquote>" : "") +
          "\n  <p>" + escape(about(first.resource)) + "</p>"
        : '  <a href="' + origin + '/">' + label + "</a>";
    return {
      html: "<" + tag + (attributes.length ? " " + attributes.join(" ") : "") + ">\n" + inside + "\n</" + tag + ">",
      iframe: origin + path + (query.length ? "?" + query.join("&") : ""),
      height: element === "search" ? 420 : 640,
      title: label,
      url: "",
      filters: filters,
      shortcode: shortcode(element === "search" ? "recherche" : "temoignages", said, theme, lang, counting),
    };
  }

  // `crossorigin`: embed.js's fetch is a CORS request without credentials, which the preloaded
  // answer must match to be used.
  /** @param {string} address */
  function preloadLine(address) {
    return '<link rel="preload" href="' + escape(address) + '" as="fetch" crossorigin>';
  }

  // Whether a search box or a carousel with these filters would show anything: asked of the API
  // (one request per distinct choice, the answers kept), so that an empty one is not offered.
  /** @type {Record<string, boolean | null>} */
  var matches = {};
  /** @typedef {{ quote?: string, resource: Resource }} Testimony */
  /** @type {Record<string, Testimony | null>} */
  var firsts = {};
  /**
   * @param {string} element
   * @param {string[]} filters
   */
  function probe(element, filters) {
    return origin + (element === "search" ? "/api/v1/resources?" : "/api/v1/testimonials?") + filters.concat(["limit=1"]).join("&");
  }
  /**
   * @param {string} element
   * @param {Described} described
   */
  function matchesAnything(element, described) {
    var address = probe(element, described.filters || []);
    if (!(address in matches)) {
      matches[address] = null;
      fetch(address)
        .then(function (answer) {
          return answer.ok ? answer.json() : { items: [] };
        })
        .then(function (/** @type {{ items: Testimony[] }} */ page) {
          matches[address] = page.items.length > 0;
          firsts[address] = page.items[0] || null;
        }, function () {
          matches[address] = true; // unknown: offered, as before the question
        })
        .then(update);
    }
    return matches[address];
  }

  /** @type {string | null} */
  var lastElement = null;
  function update() {
    var element = value("element");
    // What was copied was another element's code.
    if (element !== lastElement) byId("copied").textContent = "";
    lastElement = element;
    var parts = document.querySelectorAll("[data-for]");
    for (var i = 0; i < parts.length; i++) {
      var part = /** @type {HTMLElement} */ (parts[i]);
      part.hidden = (part.getAttribute("data-for") || "").split(" ").indexOf(element) < 0;
    }
    var described = describe();
    help.textContent = element === "card" && !described ? "Aucune fiche (ou plusieurs) ne correspond : choisissez-la dans la liste." : "";
    var empty = byId("filters-help");
    empty.textContent = "";
    if (described && element !== "card" && matchesAnything(element, described) === false) {
      empty.textContent = element === "search"
        ? "Aucune ressource ne correspond à ce réseau, cette étiquette et ce type : la recherche ne trouverait rien. Changez un des choix."
        : "Aucun témoignage filmé ne correspond à ce réseau et cette étiquette : le carrousel serait vide. Changez un des choix.";
      described = null;
    }
    // No fiche chosen: no preview nor code of the previous one, nothing to copy.
    var copies = document.querySelectorAll("[data-copy]");
    for (var j = 0; j < copies.length; j++) {
      var copy = /** @type {HTMLButtonElement} */ (copies[j]);
      copy.disabled = !described || (copy.getAttribute("data-copy") === "snippet-url" && !described.url);
    }
    if (!described) {
      ["snippet-script", "snippet-preload", "snippet-iframe", "snippet-url", "snippet-yeswiki", "snippet-wordpress"].forEach(function (id) {
        textArea(id).value = "";
      });
      preview.removeAttribute("data-shown");
      preview.innerHTML = "";
      return;
    }
    var sri = input("sri");
    var pin = sri && sri.checked && integrity ? ' integrity="' + integrity + '" crossorigin="anonymous"' : "";
    textArea("snippet-script").value =
      '<script src="' + origin + '/embed.js"' + pin + "></script>\n" + described.html;
    var iframe = '<iframe src="' + escape(described.iframe) + '" title="' + escape(described.title) + '" style="width:100%;border:0" height="' +
      described.height + '" loading="lazy" allow="clipboard-write"></iframe>';
    textArea("snippet-iframe").value = iframe + '\n<script src="' + origin + '/resize.js"></script>';
    textArea("snippet-url").value = described.url;
    textArea("snippet-wordpress").value = described.shortcode;
    byId("url-none").hidden = Boolean(described.url);
    // YesWiki keeps raw HTML between double quotes; the iframe survives where scripts do not.
    textArea("snippet-yeswiki").value = '""' + iframe + '""';
    // The preview is the element itself, as the snippet will show it.
    if (preview.getAttribute("data-shown") !== described.html) {
      preview.setAttribute("data-shown", described.html);
      preview.innerHTML = described.html;
      // Trying a snippet here is no reuse: the preview counts nothing.
      var shown = preview.firstElementChild;
      if (!shown) return;
      shown.setAttribute("counting", "off");
      // The preload line names the address embed.js asks for the element's first view: embed.js
      // says it, for the element previewed here (a new preview, a new address).
      var preload = textArea("snippet-preload");
      preload.value = "";
      // `const`: the function below sees it as the element it is after the check.
      const previewed = shown;
      customElements.whenDefined(previewed.localName).then(function (element) {
        var defined = /** @type {CustomElementConstructor & { preload(element: Element): string }} */ (element);
        if (preview.firstElementChild === previewed) preload.value = preloadLine(defined.preload(previewed));
      });
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var target = /** @type {HTMLElement} */ (event.target);
    var button = target.closest && target.closest("[data-copy]");
    if (!button) return;
    var field = textArea(button.getAttribute("data-copy") || "");
    var status = byId("copied");
    var done = function () {
      status.textContent = "Copié dans le presse-papiers.";
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        field.select();
        status.textContent = "Sélectionné : copiez avec Ctrl+C.";
      });
    } else {
      field.select();
      status.textContent = document.execCommand("copy") ? "Copié dans le presse-papiers." : "Sélectionné : copiez avec Ctrl+C.";
    }
  });

  update();
})();
