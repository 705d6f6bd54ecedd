//! A wiki page's text in each of the three syntaxes (the first byte chooses), made HTML and
//! sanitised as the wiki connectors do: nothing panics, nothing can run script.
#![no_main]

use bao_server::sources::sanitize::sanitize;
use bao_server::sources::wiki::markup::{Dialect, Syntax, Target, to_html};
use libfuzzer_sys::fuzz_target;

struct Wiki(Syntax);

impl Dialect for Wiki {
    fn syntax(&self) -> Syntax {
        self.0
    }
    fn page_url(&self, name: &str) -> Option<ammonia::Url> {
        ammonia::Url::parse("https://wiki.example/").ok()?.join(&format!("p/{name}")).ok()
    }
    fn media_url(&self, name: &str) -> Option<ammonia::Url> {
        ammonia::Url::parse("https://wiki.example/").ok()?.join(&format!("f/{name}")).ok()
    }
    fn target(&self, name: &str) -> Target {
        match name.split_once(':').map(|(prefix, _)| prefix) {
            Some("Catégorie") => Target::Hidden,
            Some("Fichier") => Target::File,
            _ => Target::Page,
        }
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&choice, text)) = bytes.split_first() else { return };
    let syntax = [Syntax::MediaWiki, Syntax::DokuWiki, Syntax::YesWiki][usize::from(choice % 3)];
    let html = to_html(&String::from_utf8_lossy(text), &Wiki(syntax));
    // Relative addresses resolve against the page, as a wiki source's do.
    let Ok(page) = ammonia::Url::parse("https://wiki.example/p/Page") else { return };
    bao_fuzz::assert_inert(&sanitize(&html, move |_, relative| page.join(relative).ok().map(String::from)));
});
