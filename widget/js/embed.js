/*! multibao-embed — the one script a webmaster pastes. Licence MIT.
 *
 * Defines the <bao-*> custom elements at once (so space is reserved and the light-DOM fallback
 * stays readable), then loads the WebAssembly widget once, and mounts it into each element's
 * shadow root. Nothing here may throw into the host page: every failure leaves the fallback.
 * The server fills in __BAO_GLUE__ and __BAO_WASM__ with content-hashed file names. */
(function () {
  "use strict";
  // Included twice (two snippets on one page): the first copy does the work.
  if (window.__multibaoEmbed) return;
  window.__multibaoEmbed = true;

  var script = document.currentScript;
  var base = new URL("./", (script && script.src) || location.href).href;
  var widget = null;

  function loadWidget() {
    if (!widget) {
      if (typeof WebAssembly !== "object") {
        widget = Promise.reject(new Error("WebAssembly n'est pas disponible dans ce navigateur"));
      } else {
        widget = import(base + "widget/__BAO_GLUE__").then(function (glue) {
          return glue.default({ module_or_path: base + "widget/__BAO_WASM__" }).then(function () {
            return glue;
          });
        });
      }
      widget.catch(function (error) {
        console.warn("multibao-embed : le widget n'a pas pu se charger, les liens de secours restent affichés.", error);
      });
    }
    return widget;
  }

  // Styles of the host box, applied before the wasm arrives: block layout and reserved height,
  // so nothing below the element moves when it renders.
  function hostCss(minHeight) {
    return (
      ":host{display:block;box-sizing:border-box;min-height:" + minHeight + ";" +
      "margin-block:var(--bao-margin,1rem);max-width:var(--bao-max-width,40rem);contain:layout style}" +
      ":host([hidden]){display:none}"
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
          var style = document.createElement("style");
          style.textContent = hostCss(minHeight);
          var shell = document.createElement("div");
          shell.setAttribute("data-bao-mount", "");
          shell.appendChild(document.createElement("slot"));
          root.append(style, shell);
        }
        var generation = (element._baoGeneration = (element._baoGeneration || 0) + 1);
        element._baoUnmount();
        loadWidget().then(
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

  defineElement("bao-card", ["resource"], "var(--bao-card-height,28rem)", function (glue, root, element) {
    return glue.mount_card(root, base, attribute(element, "resource"));
  });

  defineElement(
    "bao-search",
    ["network", "tag", "kind", "placeholder", "limit", "open", "lang"],
    "var(--bao-search-height,5.5rem)",
    function (glue, root, element) {
      var limit = parseInt(attribute(element, "limit"), 10);
      return glue.mount_search(
        root,
        base,
        attribute(element, "network"),
        attribute(element, "tag"),
        attribute(element, "kind"),
        attribute(element, "placeholder"),
        limit > 0 ? limit : 8,
        attribute(element, "open"),
        attribute(element, "lang") || (element.closest("[lang]") || document.documentElement).lang || ""
      );
    }
  );
})();
