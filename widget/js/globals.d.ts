// The types our scripts (embed.js's parts in widget/js/embed/, builder.js, frame.js, resize.js)
// are checked against (`tsc -p widget/js`, in `cargo xtask test widget`): declarations only,
// nothing of this is served.

/** A wasm module of the build (the manifest's `modules`): its files and the elements it makes interactive. */
interface BaoModule {
  name: string;
  glue: string;
  wasm: string;
  elements: string[];
}

/** An element of the table (`bao_contract::elements::Element`, as the server serialises it). */
interface BaoElementSpec {
  name: string;
  fragment: string;
  key?: string;
  attributes: string[];
  height: string;
  mount?: string;
  wake_on_move?: boolean;
}

/** What a module's glue exports: its initialiser, and each interactive element's mount function. */
type BaoGlue = { default(options: { module_or_path: string }): Promise<unknown> } & {
  [mount: string]: (root: ShadowRoot, base: string, attributes: Record<string, string>) => BaoMounted;
};

/** A view the wasm mounted; `unmount` removes it. */
interface BaoMounted {
  unmount(): void;
}

/** A first view: its HTML, and whether it says there is no such resource. */
interface BaoView {
  html: string;
  missing: boolean;
}

// Filled in by the server as it serves embed.js (server/src/http/bundle.rs).
declare const __BAO_MODULES__: BaoModule[];
declare const __BAO_STYLES__: Record<string, string>;
declare const __BAO_ELEMENTS__: { elements: BaoElementSpec[]; views_per_request: number; swipe_min_px: number };

interface Window {
  /** Set by the first copy of embed.js, and of resize.js, on a page that includes one twice. */
  __multibaoEmbed?: boolean;
  __multibaoResize?: boolean;
  /** Old browsers' Do Not Track. */
  doNotTrack?: string;
}

interface Navigator {
  /** Global Privacy Control (not yet in TypeScript's DOM types). */
  globalPrivacyControl?: boolean;
}
