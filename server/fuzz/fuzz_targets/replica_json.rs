//! What another companion server sends (`/api/v1/changes`), whatever its bytes: decoded with the
//! contract's types without panic, and what decodes encodes back to the same value.
#![no_main]

use bao_contract::ChangePage;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(page) = serde_json::from_slice::<ChangePage>(bytes) {
        let again: ChangePage = serde_json::from_slice(&serde_json::to_vec(&page).unwrap()).unwrap();
        assert_eq!(again, page);
    }
});
