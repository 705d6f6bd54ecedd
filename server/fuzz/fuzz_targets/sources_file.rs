//! A sources file, whatever its bytes: parsed or refused with a message, never a panic; and what
//! it accepts never shows the credentials its addresses carry.
#![no_main]

use bao_server::sources::config::SourcesFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    if let Ok(file) = SourcesFile::parse(text) {
        for source in &file.sources {
            let shown = [source.public_url(), source.redact(&format!("échec de {} : refusé", source.url))];
            for secret in source.secrets.iter().filter(|secret| secret.len() >= 4) {
                for text in &shown {
                    assert!(!text.contains(secret.as_str()), "{secret:?} shown in {text:?}");
                }
            }
        }
    }
});
