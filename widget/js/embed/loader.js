/*! multibao-embed — the one script a webmaster pastes. Licence MIT. */
// (Only that line is served: every byte here is a byte before a partner page's content.)
//
// Defines the <bao-*> custom elements at once (so space is reserved and the light-DOM fallback
// stays readable), fetches each element's first view, rendered by our server, and paints it into
// the element's shadow root with the element's stylesheet: content shows without any wasm. A card
// needs nothing more. The search box and the carousel then load their WebAssembly module (on the
// visitor's first move for the search, at once for the carousel), which takes over from the
// painted view without losing what the visitor typed or clicked meanwhile. Nothing here may throw
// into the host page: every failure leaves the fallback, or the painted view.
// The server fills in the module list from the build's manifest (the modules, smallest first,
// each with its content-hashed glue and wasm files and the elements it makes interactive), the
// elements' stylesheets and the elements' table.
// The loader's first part (`cargo xtask build-widget` joins widget/js/embed/ in one function,
// this file first): it starts everything at its end, so the parts after it hold declarations only.

var script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
var base = new URL("./", (script && script.src) || location.href).href;
// A page loads the smallest module that has every interactive element it holds (or several, if
// elements arrive later). The last one has every element.
var MODULES = __BAO_MODULES__;
var STYLES = __BAO_STYLES__;
// The elements (bao_contract::elements): each one's attributes, first view, module function.
var TABLE = __BAO_ELEMENTS__;
var ALL = MODULES[MODULES.length - 1];
/** @type {Record<string, Promise<BaoGlue> | undefined>} */
var loading = {};
/** @type {Record<string, Promise<CSSStyleSheet | string> | undefined>} */
var sheets = {};

/** @param {BaoModule} module */
function loadModule(module) {
  var name = module.name;
  var glue = loading[name];
  if (!glue) {
    if (typeof WebAssembly !== "object") {
      glue = Promise.reject(new Error("WebAssembly n'est pas disponible dans ce navigateur"));
    } else {
      glue = import(base + "widget/" + module.glue).then(function (/** @type {BaoGlue} */ glue) {
        return glue.default({ module_or_path: base + "widget/" + module.wasm }).then(function () {
          return glue;
        });
      });
    }
    loading[name] = glue;
    glue.catch(function (error) {
      if (/Content Security Policy|wasm-unsafe-eval|wasm-eval/i.test(String(error && error.message))) {
        console.warn(
          "multibao-embed : la politique de sécurité (CSP) de ce site bloque WebAssembly ; les liens de secours restent affichés. " +
            "Ajoutez à la directive script-src : " + new URL(base).origin + " 'wasm-unsafe-eval'"
        );
      } else {
        console.warn("multibao-embed : le widget n'a pas pu se charger, les liens de secours restent affichés.", error);
      }
    });
  }
  return glue;
}

// An element's stylesheet, fetched once for the page (cached for a year under its hashed name):
// a constructed stylesheet, shared by every element of the kind, where the browser has them (a
// site's Content-Security-Policy does not govern it, whereas an inline <style> needs style-src
// 'unsafe-inline'); else its text.
/** @param {string} name */
function stylesheet(name) {
  if (!sheets[name]) {
    sheets[name] = fetch(base + "widget/" + STYLES[name]).then(function (response) {
      if (!response.ok) throw new Error("feuille de style : HTTP " + response.status);
      return response.text().then(constructed);
    });
  }
  return sheets[name];
}

/**
 * @param {string} css
 * @returns {CSSStyleSheet | string}
 */
function constructed(css) {
  if (!window.CSSStyleSheet || !CSSStyleSheet.prototype.replaceSync) return css;
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}

/**
 * @param {ShadowRoot} root
 * @param {(CSSStyleSheet | string)[]} sheets
 */
function adopt(root, sheets) {
  if ("adoptedStyleSheets" in root && typeof sheets[0] !== "string") {
    root.adoptedStyleSheets = /** @type {CSSStyleSheet[]} */ (sheets);
  } else {
    root.querySelectorAll("style").forEach(function (style) {
      style.remove();
    });
    sheets.forEach(function (css) {
      var style = document.createElement("style");
      style.textContent = String(css);
      root.prepend(style);
    });
  }
}

// The first views asked while the page is parsed, or by one script after (elements added
// together), go in one request, `/fragments?v=…&v=…`, whose answer lists them in order: each
// one's HTML, and whether it says there is no such resource (404, 410). A view the page
// preloads (the builder's optional `<link rel="preload" as="fetch">`) is asked alone, at the
// address preloaded. A failure leaves the fallback.
/** @typedef {{ view: string, resolve: (view: BaoView) => void, reject: (error: unknown) => void }} Asked */
/** @type {Asked[]} */
var asked = [];
/**
 * @param {string} view
 * @returns {Promise<BaoView>}
 */
function requestView(view) {
  return new Promise(function (resolve, reject) {
    asked.push({ view: view, resolve: resolve, reject: reject });
    // Sent as soon as the page is parsed, not a task later: that task would wait behind the
    // page's first rendering (measured: 4–40 ms, BENCHMARKS.md).
    if (asked.length === 1) whenParsed().then(sendViews);
  });
}

/** @param {string[]} views */
function viewsUrl(views) {
  return base + "fragments?" + views.map(function (view) {
    return "v=" + encodeURIComponent(view);
  }).join("&");
}

function sendViews() {
  /** @type {Asked[]} */
  var together = [];
  asked.forEach(function (view) {
    if (document.querySelector('link[rel="preload"][href="' + viewsUrl([view.view]) + '"]')) send([view]);
    else together.push(view);
  });
  asked = [];
  while (together.length) send(together.splice(0, TABLE.views_per_request));
}

/** @param {Asked[]} views */
function send(views) {
  fetch(viewsUrl(views.map(function (view) {
    return view.view;
  })))
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (/** @type {{ status?: number, html?: unknown }[]} */ answers) {
      views.forEach(function (view, i) {
        var answer = answers[i] || {};
        if (typeof answer.html === "string") view.resolve({ html: answer.html, missing: answer.status === 404 || answer.status === 410 });
        else view.reject(new Error("vue absente"));
      });
    })
    .catch(function (error) {
      views.forEach(function (view) {
        view.reject(error);
      });
    });
}

// Resolves once the HTML is parsed, so that the module is chosen knowing every element of the
// page (the elements keep their fallback meanwhile).
function whenParsed() {
  if (document.readyState !== "loading") return Promise.resolve();
  return new Promise(function (resolve) {
    document.addEventListener("DOMContentLoaded", resolve, { once: true });
  });
}

// The module for an interactive element: one already on its way that has it, else the smallest
// that has every interactive element of the page.
/** @param {string} name */
function moduleFor(name) {
  var has = function (/** @type {BaoModule} */ module, /** @type {string} */ element) {
    return module.elements.indexOf(element) >= 0;
  };
  var i;
  for (i = 0; i < MODULES.length; i++) {
    if (loading[MODULES[i].name] && has(MODULES[i], name)) return MODULES[i];
  }
  var present = ALL.elements.filter(function (element) {
    return element === name || document.querySelector(element);
  });
  for (i = 0; i < MODULES.length; i++) {
    if (present.every(has.bind(null, MODULES[i]))) return MODULES[i];
  }
  return ALL;
}

// Styles of the host box, applied before the wasm arrives: block layout and reserved height,
// so nothing below the element moves when it renders. (Its colours and themes come with the
// element's stylesheet: see widget/src/palette.rs.)
/** @param {string} minHeight */
function hostCss(minHeight) {
  return (
    ":host{display:block;box-sizing:border-box;min-height:" + minHeight + ";" +
    "margin-block:var(--bao-margin,1em);max-width:var(--bao-max-width,40em);contain:layout style}" +
    ":host([hidden]){display:none}:host([data-bao-missing]){min-height:0}"
  );
}

// What the views leave to us, marked by data attributes: copying a ready attribution
// (`data-copy`), folding a fiche from its end (`data-fold`), telling the page a fiche was
// unfolded (`bao:open`, from `data-bao-open`), hiding an image that cannot be loaded.
/**
 * @param {ShadowRoot} root
 * @param {HTMLElement} element
 * @param {Count} count
 */
function listenInside(root, element, count) {
  root.addEventListener(
    "error",
    function (event) {
      var target = /** @type {HTMLElement} */ (event.target);
      if (target.tagName === "IMG") target.hidden = true;
    },
    true
  );
  root.addEventListener("click", function (event) {
    var target = /** @type {HTMLElement} */ (event.target);
    var fold = target.closest && target.closest("[data-fold]");
    var details = fold && fold.closest("details");
    if (details) {
      details.open = false;
      var summary = details.querySelector("summary");
      if (!summary) return;
      summary.focus();
      summary.scrollIntoView({ block: "nearest" });
      return;
    }
    // `const`: the functions below see it as the button it is after the check.
    const button = target.closest && target.closest("[data-copy]");
    if (!button) return;
    var say = function (/** @type {string} */ name) {
      button.textContent = button.getAttribute(name);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(attribute(button, "data-copy")).then(
        function () {
          say("data-done");
        },
        function () {
          say("data-failed");
        }
      );
    } else {
      say("data-failed");
    }
  });
  // `toggle` does not bubble: listen while it goes down.
  root.addEventListener(
    "toggle",
    function (event) {
      var details = /** @type {HTMLDetailsElement} */ (event.target);
      if (!details.open || !details.hasAttribute("data-bao-open")) return;
      var detail = { id: attribute(details, "data-id"), title: attribute(details, "data-title") };
      element.dispatchEvent(new CustomEvent("bao:open", { bubbles: true, composed: true, detail: detail }));
      count(detail.id, "read");
    },
    true
  );
}

// Defines the element `spec` of the table: its first view asked of the server, then, for an
// interactive one, its module's `mount` on the visitor's first move or as soon as the page is idle.
/** @param {BaoElementSpec} spec */
function defineElement(spec) {
  var name = spec.name;
  if (!window.customElements || customElements.get(name)) return;
  /** @type {CSSStyleSheet | string | undefined} */
  var hostSheet;
  // The attributes that name and shape its view: a card's id first.
  var names = (spec.key ? [spec.key] : []).concat(spec.attributes);
  var mountName = spec.mount;

  class BaoElement extends HTMLElement {
    /** Counts the element's renders: an answer for an older render is dropped. */
    #generation = 0;
    /** The render whose view is painted and may be woken. */
    #painted = 0;
    /** The render whose module was asked for. */
    #woken = 0;
    /** @type {BaoMounted | null} */
    #mounted = null;
    #count = counter(this);
    /** Called as a new view is painted: its early moves are kept until it is live (replay.js). */
    #awaitLive = function () {};

    static get observedAttributes() {
      return names;
    }
    // The address of `element`'s first view, which a page may preload: the builder's
    // preload line (widget/js/builder.js).
    /** @param {HTMLElement} element */
    static preload(element) {
      var view = viewOf(spec, names, element);
      return view ? viewsUrl([view]) : "";
    }
    connectedCallback() {
      this.#render();
    }
    /**
     * @param {string} _name
     * @param {string | null} before
     * @param {string | null} after
     */
    attributeChangedCallback(_name, before, after) {
      // Attributes present at upgrade are read by the first render.
      if (before !== after && this.isConnected && this.#generation) this.#render();
    }
    disconnectedCallback() {
      this.#unmount();
    }
    #unmount() {
      var mounted = this.#mounted;
      this.#mounted = null;
      if (mounted) {
        try {
          mounted.unmount();
        } catch (error) {
          console.warn("multibao-embed :", error);
        }
      }
    }
    #render() {
      var painted = this.shadowRoot;
      var paintedByPage = !!painted && !this.#generation;
      // Our own pages write the element already painted (declarative shadow DOM): kept as is.
      var root = painted || this.attachShadow({ mode: "open" });
      var sheet = (hostSheet = hostSheet || constructed(hostCss("var(--" + name + "-height," + spec.height + ")")));
      var wake = () => this.#wake();
      if (!painted || paintedByPage) {
        adopt(root, [sheet]);
        if (!paintedByPage) root.append(shell("<slot></slot>"));
        listenInside(root, this, this.#count);
        countShown(this, root, this.#count);
        if (mountName) this.#awaitLive = keepEarlyMoves(root, this, wake);
        if (mountName && spec.wake_on_move) {
          ["focusin", "pointerenter", "touchstart"].forEach(function (type) {
            root.addEventListener(type, wake, { passive: true });
          });
        }
      }
      if (paintedByPage) {
        this.#generation = this.#painted = 1;
        if (mountName && !spec.wake_on_move) idle(wake);
        return;
      }
      var generation = ++this.#generation;
      var view = viewOf(spec, names, this);
      if (!view) return;
      Promise.all([requestView(view), stylesheet(name)]).then(
        (answers) => {
          // A newer render (attribute changed, element moved) or a removal won the race.
          if (generation !== this.#generation || !this.isConnected) return;
          this.#unmount();
          this.#awaitLive();
          adopt(root, [sheet, answers[1]]);
          root.querySelectorAll("[data-bao-mount]").forEach(function (old) {
            old.remove();
          });
          root.append(shell(answers[0].html));
          this.toggleAttribute("data-bao-missing", answers[0].missing);
          if (!mountName || answers[0].missing) return;
          this.#painted = generation;
          if (!spec.wake_on_move) idle(wake);
          else if (root.activeElement) wake();
        },
        function (error) {
          console.warn("multibao-embed : contenu indisponible, le lien de secours reste affiché.", error);
        }
      );
    }
    // Loads the module and mounts the live view over the painted one (once per render).
    #wake() {
      var generation = this.#generation;
      if (this.#painted !== generation || this.#woken === generation) return;
      this.#woken = generation;
      whenParsed()
        .then(function () {
          return loadModule(moduleFor(name));
        })
        .then(
          (glue) => {
            var root = this.shadowRoot;
            if (generation !== this.#generation || !this.isConnected || !mountName || !root) return;
            try {
              this.#mounted = glue[mountName](root, base, attributesOf(spec, this));
            } catch (error) {
              console.warn("multibao-embed : le contenu reste affiché sans interaction.", error);
            }
          },
          function () {}
        );
    }
  }
  customElements.define(name, BaoElement);
}

// The container of a view in the shadow root; the wasm's replace it.
/** @param {string} html */
function shell(html) {
  var div = document.createElement("div");
  div.setAttribute("data-bao-mount", "");
  div.innerHTML = html;
  return div;
}

/** @param {() => void} callback */
function idle(callback) {
  if ("requestIdleCallback" in window) requestIdleCallback(callback, { timeout: 1500 });
  else setTimeout(callback, 50);
}

/**
 * @param {Element} element
 * @param {string} name
 */
function attribute(element, name) {
  return element.getAttribute(name) || "";
}

// The language: the element's `lang`, else the nearest ancestor's, else the page's.
/** @param {Element} element */
function language(element) {
  return attribute(element, "lang") || /** @type {HTMLElement} */ (element.closest("[lang]") || document.documentElement).lang || "";
}

// The element's attributes that shape its view, those set, as the widget's mount reads them.
// French, the elements' first language, goes unsaid: one address per view.
/**
 * @param {BaoElementSpec} spec
 * @param {Element} element
 */
function attributesOf(spec, element) {
  /** @type {Record<string, string>} */
  var values = {};
  spec.attributes.forEach(function (name) {
    var value = name === "lang" ? language(element) : attribute(element, name);
    if (name === "lang" && /^fr\b/i.test(value)) value = "";
    if (value) values[name] = value;
  });
  return values;
}

// An element's first view as a request names it: its name, then its `names` set, in the
// table's order, which caches share. None for a card without an id.
/**
 * @param {BaoElementSpec} spec
 * @param {string[]} names
 * @param {Element} element
 */
function viewOf(spec, names, element) {
  var values = attributesOf(spec, element);
  if (spec.key) {
    values[spec.key] = attribute(element, spec.key);
    if (!values[spec.key]) return null;
  }
  var pairs = names.filter(function (name) {
    return values[name];
  }).map(function (name) {
    return name + "=" + encodeURIComponent(values[name]);
  });
  return spec.fragment + (pairs.length ? "?" + pairs.join("&") : "");
}

// Included twice (two snippets on one page): the first copy does the work.
if (!window.__multibaoEmbed) {
  window.__multibaoEmbed = true;
  TABLE.elements.forEach(defineElement);
}
