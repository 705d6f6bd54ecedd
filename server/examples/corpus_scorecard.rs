//! `cargo xtask bench`, section `corpus`: the corpus scorecard (`tests/corpus/`) as Markdown, one
//! line per repository, then what was wrong, fiche by fiche. Needs the real data beside the clone.

#[path = "../tests/it/common/corpus.rs"]
mod corpus;

fn main() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/multibao");
    if !data.is_dir() {
        println!("(no real multiBàO data at {}: no corpus scorecard)", data.display());
        return;
    }
    let scores: Vec<corpus::Score> =
        corpus::truths().iter().map(|(name, truth)| corpus::score(name, truth)).collect();
    print!("{}", corpus::table(&scores));
    let misses: Vec<&String> = scores.iter().flat_map(|score| &score.misses).collect();
    if !misses.is_empty() {
        println!("\nWrong: {}", misses.iter().map(|miss| miss.as_str()).collect::<Vec<_>>().join(" · "));
    }
}
