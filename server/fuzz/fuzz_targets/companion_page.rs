//! What another companion server sends (`/api/v1/changes`), whatever its bytes: decoded with the
//! contract's types without panic, what decodes encodes back to the same value, and each change
//! a follower keeps has an id as ids are and a body where nothing runs.
#![no_main]

use bao_contract::ChangePage;
use bao_server::sources::companion::checked;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(page) = serde_json::from_slice::<ChangePage>(bytes) {
        let again: ChangePage = serde_json::from_slice(&serde_json::to_vec(&page).unwrap()).unwrap();
        assert_eq!(again, page);
        for change in page.items {
            if let Ok(record) = checked(change) {
                assert!(bao_server::sources::config::is_slug(&record.resource.id), "{}", record.resource.id);
                bao_fuzz::assert_inert(record.resource.body_html.as_deref().unwrap_or_default());
            }
        }
    }
});
