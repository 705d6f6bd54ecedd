/*! multibao-embed — inside an /embed/… iframe: tells the page around it how tall the content is,
 * so that the iframe can fit it. Licence MIT.
 * Two messages: ours ({type: "bao:resize", height}), read by /resize.js on the host page, and
 * WordPress's ({message: "height", value, secret}), read by WordPress's own wp-embed script when
 * WordPress gave the iframe a secret in its address (#?secret=…). Only a height is sent. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var secret = (location.hash.match(/secret=([A-Za-z0-9]+)/) || [])[1];
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (!height || height === last) return;
    last = height;
    window.parent.postMessage({ type: "bao:resize", height: height }, "*");
    if (secret) window.parent.postMessage({ message: "height", value: height, secret: secret }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.documentElement);
  window.addEventListener("load", send);
})();
