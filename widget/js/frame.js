/*! multibao-embed — inside an /embed/… iframe: tells the page around it how tall the content is,
 * so that the iframe can fit it, and, inside WordPress, asks it to follow the links clicked.
 * Licence MIT.
 * Messages: ours ({type: "bao:resize", height}), read by /resize.js on the host page, and
 * WordPress's, read by WordPress's own wp-embed script when WordPress gave the iframe a secret in
 * its address (#?secret=…): {message: "height", value, secret} (again when it says {message:
 * "ready"}), and {message: "link", value, secret} for a clicked link — WordPress sandboxes the
 * iframe, so a link cannot navigate by itself, and WordPress follows only links to the iframe's
 * own host: a link elsewhere goes through /lien on our host, which redirects only to addresses
 * the commons holds. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var secret = (location.hash.match(/secret=([A-Za-z0-9]+)/) || [])[1];
  var last = 0;
  var tries = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    // A frame its page hides may not be laid out yet (0 px), nor observed when it is: WordPress
    // hides ours until it knows the height. Asked again for a while.
    if (!height && tries++ < 50) setTimeout(send, 100);
    if (!height || height === last) return;
    last = height;
    window.parent.postMessage({ type: "bao:resize", height: height }, "*");
    if (secret) window.parent.postMessage({ message: "height", value: height, secret: secret }, "*");
  }
  send();
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.documentElement);
  window.addEventListener("load", send);
  if (!secret) return;

  // wp-embed.js says "ready" once it listens: a height sent before went to nobody, send it again.
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== window.parent || !data || data.message !== "ready" || data.secret !== secret) return;
    last = 0;
    send();
  });

  // WordPress caps the iframe at 1000 px: a taller content scrolls inside instead of being cut.
  document.documentElement.classList.add("bao-wordpress");
  document.addEventListener(
    "click",
    function (event) {
      if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var path = event.composedPath ? event.composedPath() : [event.target];
      /** @type {HTMLAnchorElement | null} */
      var link = null;
      for (var i = 0; i < path.length && !link; i++) {
        var node = path[i];
        if (node instanceof HTMLAnchorElement && node.href) link = node;
      }
      if (!link) return;
      var url = new URL(link.href, location.href);
      if (url.protocol !== "https:" && url.protocol !== "http:") return;
      if (url.origin === location.origin && url.pathname === location.pathname && url.hash) return;
      event.preventDefault();
      var value = url.host === location.host ? url.href : location.origin + "/lien?vers=" + encodeURIComponent(url.href);
      window.parent.postMessage({ message: "link", value: value, secret: secret }, "*");
    },
    true
  );
})();
