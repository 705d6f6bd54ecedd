//! A real wiki for the browser tests, made as the connectors' tests make theirs: installs a fresh
//! one, loads pages into it, prints its base URL and the sources-file entry that follows it (one
//! JSON line), and serves it until standard input closes.
//!
//! `wiki_instance mediawiki <export.xml>` — imports a `Special:Export` file;
//! `wiki_instance dokuwiki <folder>` — saves the pages of a folder laid out as DokuWiki's.

// The tests use more of it than this program.
#[allow(dead_code)]
#[path = "../tests/it/common/wikis.rs"]
mod wikis;

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: wiki_instance mediawiki <export.xml> | dokuwiki <folder>";
    let (Some(kind), Some(pages)) = (args.next(), args.next().map(PathBuf::from)) else {
        anyhow::bail!(usage)
    };
    let missing = "no wiki to install: run `cargo xtask wikis`";
    // Each wiki stops, and its folder goes, when dropped at the end.
    let (base, source, _mediawiki, _dokuwiki) = match kind.as_str() {
        "mediawiki" => {
            let wiki = wikis::MediaWiki::start().context(missing)?;
            wiki.import(&pages);
            (wiki.base.clone(), wiki.source(), Some(wiki), None)
        }
        "dokuwiki" => {
            let wiki = wikis::DokuWiki::start().context(missing)?;
            wiki.put_folder(&pages, "floriane");
            (wiki.base.trim_end_matches('/').to_owned(), wiki.source(), None, Some(wiki))
        }
        _ => anyhow::bail!(usage),
    };
    println!("{}", serde_json::json!({ "base": base, "source": source }));
    // Until the test closes our input.
    std::io::stdin().read_to_end(&mut Vec::new())?;
    Ok(())
}
