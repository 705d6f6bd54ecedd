// Reuse counts (README, « Ce qui est compté »): one small request when a resource comes into
// view in an element, and one when its fiche is unfolded or its video played, each once per
// element, carrying the resource's id, the element's kind and the event, nothing else. None
// when the visitor asks not to be tracked, nor from an element (or one around it) that says
// counting="off". Fire and forget: it never delays or breaks an embed.

/** @typedef {(resource: string | null | undefined, event: "display" | "read") => void} Count */

/**
 * What counts for `element`, which remembers what it counted.
 * @param {HTMLElement} element
 * @returns {Count}
 */
function counter(element) {
  /** @type {Record<string, boolean>} */
  var counted = {};
  return function (resource, event) {
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
  };
}

// Counts a display of each resource on screen in the element (`data-bao-shown`, outside a view
// still hidden) once the element is in the viewport, and again as what it shows changes; and a
// read of each video played (`bao:play`, from the carousel's module).
/**
 * @param {HTMLElement} element
 * @param {ShadowRoot} root
 * @param {Count} count
 */
function countShown(element, root, count) {
  var visible = !window.IntersectionObserver;
  var look = function () {
    if (!visible) return;
    root.querySelectorAll("[data-bao-shown]").forEach(function (node) {
      if (!node.closest("[hidden]")) count(node.getAttribute("data-bao-shown"), "display");
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
    count(detail && detail.id, "read");
  });
}
