/*! multibao-embed — the one script a webmaster pastes. Licence MIT.
 *
 * Defines the <bao-*> custom elements at once (so space is reserved and the light-DOM fallback
 * stays readable), then loads the WebAssembly widget once, and mounts it into each element's
 * shadow root. Nothing here may throw into the host page: every failure leaves the fallback.
 * The server fills in the module list from the build's manifest: the modules, smallest first, each
 * with its content-hashed glue and wasm files and the elements it defines. */
(function () {
  "use strict";
  // Included twice (two snippets on one page): the first copy does the work.
  if (window.__multibaoEmbed) return;
  window.__multibaoEmbed = true;

  var script = document.currentScript;
  var base = new URL("./", (script && script.src) || location.href).href;
  // A page loads the smallest module that has every element it holds (or several, if elements
  // arrive later). The last one has every element.
  var MODULES = __BAO_MODULES__;
  var ALL = MODULES[MODULES.length - 1];
  var loading = {};

  function loadModule(module) {
    var name = module.name;
    if (!loading[name]) {
      if (typeof WebAssembly !== "object") {
        loading[name] = Promise.reject(new Error("WebAssembly n'est pas disponible dans ce navigateur"));
      } else {
        loading[name] = import(base + "widget/" + module.glue).then(function (glue) {
          return glue.default({ module_or_path: base + "widget/" + module.wasm }).then(function () {
            return glue;
          });
        });
      }
      loading[name].catch(function (error) {
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
    return loading[name];
  }

  // Resolves once the HTML is parsed, so that the module is chosen knowing every element of the
  // page (the elements keep their fallback meanwhile).
  function whenParsed() {
    if (document.readyState !== "loading") return Promise.resolve();
    return new Promise(function (resolve) {
      document.addEventListener("DOMContentLoaded", resolve, { once: true });
    });
  }

  // The module for an element: one already on its way that has it, else the smallest that has
  // every element of the page.
  function moduleFor(name) {
    var has = function (module, element) {
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
  // so nothing below the element moves when it renders.
  // Themes: without `theme`, the element takes the page's font and text colour; `light` and
  // `dark` set every colour; `auto` follows the visitor's system. Custom properties set by the
  // page win over all of them.
  var LIGHT =
    "--bao-background:#fff;--bao-text:#1f1b2e;--bao-border:#d9d4e8;--bao-accent:#4b3a9c;--bao-link:#3b2c85;" +
    "--bao-muted:#524c66;--bao-tag:#eee9fa;--bao-on-accent:#fff;--bao-mark:#fde68a;color-scheme:light";
  var DARK =
    "--bao-background:#1d1a27;--bao-text:#f1eef8;--bao-border:#4a4360;--bao-accent:#c4b5ff;--bao-link:#d4c9ff;" +
    "--bao-muted:#cbc4de;--bao-tag:#37304a;--bao-on-accent:#1d1a27;--bao-mark:#7a5d00;color-scheme:dark";
  var FROM_PAGE =
    "--bao-link:currentColor;--bao-muted:currentColor;--bao-accent-text:currentColor;" +
    "--bao-tag:color-mix(in srgb,currentColor 13%,transparent);--bao-border:color-mix(in srgb,currentColor 30%,transparent)";
  function hostCss(minHeight) {
    return (
      ":host{display:block;box-sizing:border-box;min-height:" + minHeight + ";" +
      "margin-block:var(--bao-margin,1em);max-width:var(--bao-max-width,40em);contain:layout style}" +
      ":host([hidden]){display:none}:host([data-bao-missing]){min-height:0}" +
      // Without a theme the element sits on the page's own background, which it cannot know:
      // text, links, chips and borders derive from the page's text colour, readable wherever it is.
      ":host(:not([theme])){" + FROM_PAGE + "}" +
      ":host([theme=light]){" + LIGHT + "}:host([theme=dark]){" + DARK + "}" +
      "@media (prefers-color-scheme:light){:host([theme=auto]){" + LIGHT + "}}" +
      "@media (prefers-color-scheme:dark){:host([theme=auto]){" + DARK + "}}"
    );
  }

  // A constructed stylesheet where the browser has them: a site's Content-Security-Policy does
  // not govern it, whereas an inline <style> needs style-src 'unsafe-inline'.
  function adoptStyle(root, css) {
    if ("adoptedStyleSheets" in root && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      var style = document.createElement("style");
      style.textContent = css;
      root.append(style);
    }
  }

  // What the views leave to us, marked by data attributes: copying a ready attribution
  // (`data-copy`) and telling the page a fiche was unfolded (`bao:open`, from `data-bao-open`).
  function listenInside(root, element) {
    root.addEventListener("click", function (event) {
      var fold = event.target.closest && event.target.closest("[data-fold]");
      if (fold) {
        var details = fold.closest("details");
        details.open = false;
        var summary = details.querySelector("summary");
        summary.focus();
        summary.scrollIntoView({ block: "nearest" });
        return;
      }
      var button = event.target.closest && event.target.closest("[data-copy]");
      if (!button) return;
      var say = function (name) {
        button.textContent = button.getAttribute(name);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(
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
        var details = event.target;
        if (!details.open || !details.hasAttribute("data-bao-open")) return;
        var detail = { id: details.getAttribute("data-id"), title: details.getAttribute("data-title") };
        element.dispatchEvent(new CustomEvent("bao:open", { bubbles: true, composed: true, detail: detail }));
      },
      true
    );
  }

  function defineElement(name, attributes, minHeight, mount) {
    if (!window.customElements || customElements.get(name)) return;

    class BaoElement extends HTMLElement {
      static get observedAttributes() {
        return attributes;
      }
      connectedCallback() {
        this._baoRender();
      }
      attributeChangedCallback(_name, before, after) {
        // Attributes present at upgrade are read by the first render.
        if (before !== after && this.isConnected && this._baoMounted !== undefined) this._baoRender();
      }
      disconnectedCallback() {
        this._baoUnmount();
      }
      _baoUnmount() {
        var mounted = this._baoMounted;
        this._baoMounted = null;
        if (mounted) {
          try {
            mounted.unmount();
          } catch (error) {
            console.warn("multibao-embed :", error);
          }
        }
      }
      _baoRender() {
        var element = this;
        var root = element.shadowRoot;
        if (!root) {
          root = element.attachShadow({ mode: "open" });
          adoptStyle(root, hostCss(minHeight));
          var shell = document.createElement("div");
          shell.setAttribute("data-bao-mount", "");
          shell.appendChild(document.createElement("slot"));
          root.append(shell);
          listenInside(root, element);
        }
        var generation = (element._baoGeneration = (element._baoGeneration || 0) + 1);
        element._baoUnmount();
        whenParsed()
          .then(function () {
            return loadModule(moduleFor(name));
          })
          .then(
            function (glue) {
              // A newer render (attribute changed, element moved) or a removal won the race.
              if (generation !== element._baoGeneration || !element.isConnected) return;
              try {
                element._baoMounted = mount(glue, root, element);
              } catch (error) {
                console.warn("multibao-embed : affichage impossible, le lien de secours reste affiché.", error);
              }
            },
            function () {}
          );
      }
    }
    customElements.define(name, BaoElement);
  }

  function attribute(element, name) {
    return element.getAttribute(name) || "";
  }

  // The `limit` attribute as a positive number, else 8.
  function limit(element) {
    var value = parseInt(attribute(element, "limit"), 10);
    return value > 0 ? value : 8;
  }

  // The language: the element's `lang`, else the nearest ancestor's, else the page's.
  function language(element) {
    return attribute(element, "lang") || (element.closest("[lang]") || document.documentElement).lang || "";
  }

  defineElement("bao-card", ["resource", "lang"], "var(--bao-card-height,28em)", function (glue, root, element) {
    return glue.mount_card(root, base, attribute(element, "resource"), language(element));
  });

  defineElement(
    "bao-search",
    ["network", "tag", "kind", "placeholder", "limit", "open", "lang"],
    "var(--bao-search-height,5.5em)",
    function (glue, root, element) {
      return glue.mount_search(
        root,
        base,
        attribute(element, "network"),
        attribute(element, "tag"),
        attribute(element, "kind"),
        attribute(element, "placeholder"),
        limit(element),
        attribute(element, "open"),
        language(element)
      );
    }
  );

  defineElement(
    "bao-testimonials",
    ["network", "tag", "limit", "lang"],
    "var(--bao-testimonials-height,30em)",
    function (glue, root, element) {
      return glue.mount_testimonials(
        root,
        base,
        attribute(element, "network"),
        attribute(element, "tag"),
        limit(element),
        language(element)
      );
    }
  );
})();
