/*! multibao-embed — the one script a webmaster pastes. Licence MIT.
 *
 * Defines the <bao-*> custom elements at once (so space is reserved and the light-DOM fallback
 * stays readable), fetches each element's first view, rendered by our server, and paints it into
 * the element's shadow root with the element's stylesheet: content shows without any wasm. A card
 * needs nothing more. The search box and the carousel then load their WebAssembly module (on the
 * visitor's first move for the search, at once for the carousel), which takes over from the
 * painted view without losing what the visitor typed or clicked meanwhile. Nothing here may throw
 * into the host page: every failure leaves the fallback, or the painted view.
 * The server fills in the module list from the build's manifest (the modules, smallest first,
 * each with its content-hashed glue and wasm files and the elements it makes interactive), the
 * elements' stylesheets and the elements' table. */
(function () {
  "use strict";
  // Included twice (two snippets on one page): the first copy does the work.
  if (window.__multibaoEmbed) return;
  window.__multibaoEmbed = true;

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

  // The first views asked while the page is parsed, or in one task after (elements added
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
      if (asked.length === 1) {
        whenParsed().then(function () {
          setTimeout(sendViews, 0);
        });
      }
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
  // unfolded (`bao:open`, from `data-bao-open`), hiding an image that cannot be loaded; and, until
  // the wasm has taken over, keeping a click on a control (`data-replay`) to replay it then.
  /**
   * @param {ShadowRoot} root
   * @param {BaoHost} element
   */
  function listenInside(root, element) {
    root.addEventListener(
      "click",
      function (event) {
        var target = /** @type {HTMLElement} */ (event.target);
        var control = !element._baoLive && target.closest && target.closest("[data-replay]");
        if (!control) return;
        element._baoReplay = control.getAttribute("data-replay");
        element._baoWake();
      },
      true
    );
    // A swipe on the painted carousel, likewise kept as the step it asks for.
    /** @type {number[] | null} */
    var swipeFrom = null;
    root.addEventListener("pointerdown", function (down) {
      var event = /** @type {PointerEvent} */ (down);
      swipeFrom = !element._baoLive && event.pointerType === "touch" ? [event.clientX, event.clientY] : null;
    });
    root.addEventListener("pointerup", function (up) {
      var event = /** @type {PointerEvent} */ (up);
      if (!swipeFrom || element._baoLive) return;
      var dx = event.clientX - swipeFrom[0];
      var dy = event.clientY - swipeFrom[1];
      swipeFrom = null;
      // 48 px: the carousel's own SWIPE_MIN_PX (widget/src/testimonials.rs).
      if (Math.abs(dx) < 48 || Math.abs(dx) < Math.abs(dy) || !root.querySelector("[data-replay=next]")) return;
      element._baoReplay = dx < 0 ? "next" : "previous";
      element._baoWake();
    });
    root.addEventListener("bao:live", function () {
      element._baoLive = true;
      element.setAttribute("data-bao-live", "");
      var replay = element._baoReplay;
      element._baoReplay = null;
      var control = replay && root.querySelector('[data-bao-mount]:not([hidden]) [data-replay="' + replay + '"]');
      if (control) /** @type {HTMLElement} */ (control).click();
    });
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
        count(element, detail.id, "read");
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
    var mount = mountName && function (/** @type {BaoGlue} */ glue, /** @type {ShadowRoot} */ root, /** @type {BaoHost} */ element) {
      return glue[/** @type {string} */ (mountName)](root, base, attributesOf(spec, element));
    };
    // The element's state lives on it (`_bao…`, see BaoHost in globals.d.ts).
    /** @param {HTMLElement} element */
    var host = function (element) {
      return /** @type {BaoHost} */ (element);
    };

    class BaoElement extends HTMLElement {
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
        this._baoRender();
      }
      /**
       * @param {string} _name
       * @param {string | null} before
       * @param {string | null} after
       */
      attributeChangedCallback(_name, before, after) {
        // Attributes present at upgrade are read by the first render.
        if (before !== after && this.isConnected && host(this)._baoGeneration) this._baoRender();
      }
      disconnectedCallback() {
        this._baoUnmount();
      }
      _baoUnmount() {
        var mounted = host(this)._baoMounted;
        host(this)._baoMounted = null;
        if (mounted) {
          try {
            mounted.unmount();
          } catch (error) {
            console.warn("multibao-embed :", error);
          }
        }
      }
      _baoRender() {
        var element = host(this);
        var painted = element.shadowRoot;
        var paintedByPage = !!painted && !element._baoGeneration;
        // Our own pages write the element already painted (declarative shadow DOM): kept as is.
        var root = painted || element.attachShadow({ mode: "open" });
        var sheet = (hostSheet = hostSheet || constructed(hostCss("var(--" + name + "-height," + spec.height + ")")));
        if (!painted || paintedByPage) {
          adopt(root, [sheet]);
          if (!paintedByPage) root.append(shell("<slot></slot>"));
          listenInside(root, element);
          countShown(element, root);
          if (mount && spec.wake_on_move) {
            ["focusin", "pointerenter", "touchstart"].forEach(function (type) {
              root.addEventListener(type, function () {
                element._baoWake();
              }, { passive: true });
            });
          }
        }
        if (paintedByPage) {
          element._baoGeneration = element._baoPainted = 1;
          if (mount && !spec.wake_on_move) idle(element._baoWake.bind(element));
          return;
        }
        var generation = (element._baoGeneration = (element._baoGeneration || 0) + 1);
        var view = viewOf(spec, names, element);
        if (!view) return;
        Promise.all([requestView(view), stylesheet(name)]).then(
          function (answers) {
            // A newer render (attribute changed, element moved) or a removal won the race.
            if (generation !== element._baoGeneration || !element.isConnected) return;
            element._baoUnmount();
            element._baoLive = false;
            element.removeAttribute("data-bao-live");
            adopt(root, [sheet, answers[1]]);
            root.querySelectorAll("[data-bao-mount]").forEach(function (old) {
              old.remove();
            });
            root.append(shell(answers[0].html));
            element.toggleAttribute("data-bao-missing", answers[0].missing);
            if (!mount || answers[0].missing) return;
            element._baoPainted = generation;
            if (!spec.wake_on_move) idle(element._baoWake.bind(element));
            else if (root.activeElement) element._baoWake();
          },
          function (error) {
            console.warn("multibao-embed : contenu indisponible, le lien de secours reste affiché.", error);
          }
        );
      }
      // Loads the module and mounts the live view over the painted one (once per render).
      _baoWake() {
        var element = host(this);
        var generation = element._baoGeneration;
        if (element._baoPainted !== generation || element._baoWoken === generation) return;
        element._baoWoken = generation;
        whenParsed()
          .then(function () {
            return loadModule(moduleFor(name));
          })
          .then(
            function (glue) {
              if (generation !== element._baoGeneration || !element.isConnected || !mount || !element.shadowRoot) return;
              try {
                element._baoMounted = mount(glue, element.shadowRoot, element);
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

  // Reuse counts (README, « Ce qui est compté »): one small request when a resource comes into
  // view in an element, and one when its fiche is unfolded or its video played, each once per
  // element, carrying the resource's id, the element's kind and the event, nothing else. None
  // when the visitor asks not to be tracked, nor from an element (or one around it) that says
  // counting="off". Fire and forget: it never delays or breaks an embed.
  /**
   * @param {BaoHost} element
   * @param {string | null | undefined} resource
   * @param {"display" | "read"} event
   */
  function count(element, resource, event) {
    if (!resource || navigator.globalPrivacyControl === true || navigator.doNotTrack === "1" || window.doNotTrack === "1") return;
    // The element around, when this one is in its shadow root (a document has no host).
    /** @param {Element} node */
    var around = function (node) {
      return /** @type {ShadowRoot} */ (node.getRootNode()).host;
    };
    var outer = around(element);
    for (var node = /** @type {Element | undefined} */ (element); node; node = around(node)) {
      if (node.getAttribute("counting") === "off") return;
    }
    var counted = element._baoCounted || (element._baoCounted = {});
    if (counted[event + " " + resource]) return;
    counted[event + " " + resource] = true;
    /** @type {{ resource: string, element: string, event: string, page?: string }} */
    var beacon = { resource: resource, element: outer && outer.localName === "bao-search" ? "search" : element.localName.slice(4), event: event };
    // In one of our /embed/… frames the request's origin is ours: the page around says where.
    if (window.parent !== window && location.origin === new URL(base).origin && document.referrer) {
      try {
        beacon.page = new URL(document.referrer).host;
      } catch (error) {}
    }
    try {
      fetch(base + "api/v1/beacon", {
        method: "POST",
        body: JSON.stringify(beacon),
        headers: { "content-type": "text/plain" },
        mode: "no-cors",
        credentials: "omit",
        keepalive: true
      }).catch(function () {});
    } catch (error) {}
  }

  // Counts a display of each resource on screen in the element (`data-bao-shown`, outside a view
  // still hidden) once the element is in the viewport, and again as what it shows changes.
  /**
   * @param {BaoHost} element
   * @param {ShadowRoot} root
   */
  function countShown(element, root) {
    var visible = !window.IntersectionObserver;
    var look = function () {
      if (!visible) return;
      root.querySelectorAll("[data-bao-shown]").forEach(function (node) {
        if (!node.closest("[hidden]")) count(element, node.getAttribute("data-bao-shown"), "display");
      });
    };
    if (!visible) {
      new IntersectionObserver(function (entries) {
        visible = entries[entries.length - 1].isIntersecting;
        look();
      }).observe(element);
    }
    if (window.MutationObserver) new MutationObserver(look).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
    element.addEventListener("bao:play", function (event) {
      var detail = /** @type {CustomEvent<{ id?: string } | null>} */ (event).detail;
      count(element, detail && detail.id, "read");
    });
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

  TABLE.elements.forEach(defineElement);
})();
