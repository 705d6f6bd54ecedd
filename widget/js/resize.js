/*! multibao-embed — on a page that embeds our /embed/… iframes: makes each iframe as tall as its
 * content. Licence MIT. Accepts a height only from a window that is one of our iframes, sent from
 * our origin (or from a sandboxed copy of it, whose origin reads "null"). */
(function () {
  "use strict";
  if (window.__multibaoResize) return;
  window.__multibaoResize = true;
  var script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  var origin = new URL((script && script.src) || location.href).origin;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "bao:resize" || typeof data.height !== "number") return;
    if (event.origin !== origin && event.origin !== "null") return;
    var frames = document.querySelectorAll("iframe");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (frame.src.indexOf(origin + "/embed/") !== 0) return;
      // An opened fiche on a phone runs to several thousand pixels: a cap only against absurd heights.
      frame.style.height = Math.max(80, Math.min(data.height, 30000)) + "px";
      return;
    }
  });
})();
