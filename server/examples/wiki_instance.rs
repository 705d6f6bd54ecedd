//! A real wiki for the browser tests, made as the connectors' tests make theirs: installs a fresh
//! one, imports an export into it, prints its base URL, and serves it until standard input closes.
//!
//! `wiki_instance mediawiki <export.xml>`

// The tests use more of it than this program.
#[allow(dead_code)]
#[path = "../tests/common/wikis.rs"]
mod wikis;

use std::io::Read;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: wiki_instance mediawiki <export.xml>";
    let (Some(kind), Some(export)) = (args.next(), args.next()) else { anyhow::bail!(usage) };
    anyhow::ensure!(kind == "mediawiki", "{usage}");
    let Some(wiki) = wikis::MediaWiki::start() else {
        anyhow::bail!("no wiki to install: run `cargo xtask wikis`")
    };
    wiki.import(&PathBuf::from(export));
    println!("{}", wiki.base);
    // Until the test closes our input; then the wiki stops and its folder goes.
    std::io::stdin().read_to_end(&mut Vec::new())?;
    Ok(())
}
