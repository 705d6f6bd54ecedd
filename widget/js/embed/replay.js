// The visitor's moves on a painted view before its module has taken over (`bao:live`): a click
// on a control (`data-replay`) or a swipe on the carousel wakes the element and is replayed on
// the live view, so that nothing the visitor did while the wasm arrived is lost.

/**
 * Keeps the early moves inside `root`, whose element `wake` loads and mounts the module.
 * @param {ShadowRoot} root
 * @param {HTMLElement} element
 * @param {() => void} wake
 * @returns {() => void} to call when a new view is painted: its moves are kept until it is live.
 */
function keepEarlyMoves(root, element, wake) {
  var live = false;
  /** @type {string | null} */
  var replay = null;
  /** @param {string | null} move */
  var keep = function (move) {
    replay = move;
    wake();
  };
  root.addEventListener(
    "click",
    function (event) {
      var target = /** @type {HTMLElement} */ (event.target);
      var control = !live && target.closest && target.closest("[data-replay]");
      if (control) keep(control.getAttribute("data-replay"));
    },
    true
  );
  /** @type {number[] | null} */
  var swipeFrom = null;
  root.addEventListener("pointerdown", function (down) {
    var event = /** @type {PointerEvent} */ (down);
    swipeFrom = !live && event.pointerType === "touch" ? [event.clientX, event.clientY] : null;
  });
  root.addEventListener("pointerup", function (up) {
    var event = /** @type {PointerEvent} */ (up);
    if (!swipeFrom || live) return;
    var dx = event.clientX - swipeFrom[0];
    var dy = event.clientY - swipeFrom[1];
    swipeFrom = null;
    if (Math.abs(dx) < TABLE.swipe_min_px || Math.abs(dx) < Math.abs(dy) || !root.querySelector("[data-replay=next]")) return;
    keep(dx < 0 ? "next" : "previous");
  });
  root.addEventListener("bao:live", function () {
    live = true;
    element.setAttribute("data-bao-live", "");
    var control = replay && root.querySelector('[data-bao-mount]:not([hidden]) [data-replay="' + replay + '"]');
    replay = null;
    if (control) /** @type {HTMLElement} */ (control).click();
  });
  return function () {
    live = false;
    element.removeAttribute("data-bao-live");
  };
}
