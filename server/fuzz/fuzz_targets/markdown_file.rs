//! One file of a multiBàO repository, whatever its bytes (front matter, Markdown and raw HTML,
//! players, durations), read as a sync reads it and through the gate every batch passes: nothing
//! panics, and no body, address or player can run script.
#![no_main]

use bao_server::sources::forge::{WebAddresses, WebSettings};
use bao_server::sources::multibao::MultibaoRepository;
use bao_server::sources::tree::Tree;
use bao_server::sources::vetting;
use libfuzzer_sys::fuzz_target;

struct OneFile {
    paths: Vec<String>,
    bytes: Vec<u8>,
}

impl Tree for OneFile {
    fn paths(&self) -> &[String] {
        &self.paths
    }
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        (path == self.paths[0]).then(|| self.bytes.clone())
    }
}

fuzz_target!(|bytes: &[u8]| {
    let repository = MultibaoRepository {
        root: Default::default(),
        owner: "o".into(),
        repo: "r".into(),
        network: None,
        subfolder_networks: None,
        subfolder_names: Default::default(),
        default_licence: None,
        exclude: Vec::new(),
        // Relative links and images resolve on a forge: the resolver is fuzzed too.
        web: WebAddresses::of(Some("https://github.com/o/r"), "main", &WebSettings::default()),
    };
    let tree = OneFile { paths: vec!["temoignages/entretien.md".into()], bytes: bytes.to_vec() };
    let mut batch = repository.read_tree(&tree);
    vetting::vet(&mut batch, &[]);
    for new in &batch.resources {
        let resource = &new.resource;
        bao_fuzz::assert_inert(resource.body_html.as_deref().unwrap_or_default());
        assert!(resource.source_url.as_deref().is_some_and(bao_server::address::is_web_url));
        assert!(vetting::is_language_tag(&resource.lang), "{}", resource.lang);
        if let Some(video) = &new.video {
            assert!(vetting::is_allowed_player(video.provider, &video.embed_url, &[]), "{}", video.embed_url);
        }
    }
});
