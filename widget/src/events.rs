//! Events the elements tell the host page about (`bao:select`, `bao:play`): `CustomEvent`s that
//! bubble out of the shadow root, with their details as plain string fields.

use wasm_bindgen::JsValue;
use web_sys::Element;

/// Dispatches `name` on `host` with `fields` as its `detail`; cancelable, so the host may call
/// `preventDefault()`. Returns false when it did.
pub fn dispatch(host: &Element, name: &str, fields: &[(&str, &str)]) -> bool {
    let detail = js_sys::Object::new();
    for (key, value) in fields {
        _ = js_sys::Reflect::set(&detail, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(true);
    init.set_detail(&detail);
    match web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        Ok(event) => host.dispatch_event(&event).unwrap_or(true),
        Err(_) => true,
    }
}
