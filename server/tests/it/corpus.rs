//! The corpus scorecard (`tests/corpus/`) as a test: no score may go down, and what a commons
//! cannot get wrong stays at zero.

use crate::common::corpus;

/// Fiches right in every field, per repository: raise them when the importer gets better.
const FLOORS: &[(&str, usize)] = &[
    ("lilianricaud-travail-en-reseau", 11),
    ("lilianricaud-tutoriels", 13),
    ("multibao-contributions", 8),
    ("onpassealacte-videos_initiatives", 6),
    ("pointbar-multibao-agfr2015", 4),
    ("supagroflorac-cooptic", 40),
];

#[test]
#[ignore = "real data"]
fn the_corpus_scorecard_never_goes_down() {
    skip_without_real_data!();
    let scores: Vec<corpus::Score> =
        corpus::truths().iter().map(|(name, truth)| corpus::score(name, truth)).collect();
    eprintln!("{}", corpus::table(&scores));
    for score in &scores {
        eprintln!("{}: {:#?}", score.name, score.misses);
        assert!(score.more_permissive.is_empty(), "{}: {:?}", score.name, score.more_permissive);
        assert!(score.guessed_hosts.is_empty(), "{}: {:?}", score.name, score.guessed_hosts);
        assert_eq!(score.listed_twice, 0, "{}", score.name);
        assert!(score.not_skipped.is_empty(), "{}: {:?}", score.name, score.not_skipped);
        assert!(score.addresses_shown.is_empty(), "{}: {:?}", score.name, score.addresses_shown);
        let floor = FLOORS.iter().find(|(name, _)| *name == score.name).map_or(0, |(_, floor)| *floor);
        assert!(score.all_right >= floor, "{}: {} right, {floor} before", score.name, score.all_right);
    }
}
