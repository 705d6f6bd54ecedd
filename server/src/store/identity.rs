//! How the store tells that two files hold the same resource: the same fiche kept in two places
//! (a copy), or a file that moved or was renamed since the last sync.
//!
//! - A **fingerprint** is the SHA-256 of the words of the title, summary and body, lowercased, with
//!   markup, punctuation and spacing left out: two files with equal fingerprints are copies of one
//!   fiche, whatever their front matter, folder or repository.
//! - Two texts of [`COPY_MIN_WORDS`] words or more are also copies when at least
//!   [`COPY_SIMILARITY`] of their three-word sequences are common to both (Jaccard index): the
//!   same fiche kept by two networks, one with a front-matter title and description and one
//!   without, or with a line of credits more. Such copies scored 0.96 to 0.999 in the
//!   repositories of issue 28; on the three real repositories of `shared/data` (27 028 pairs),
//!   two different texts of that length score at most 0.32. Shorter texts must be equal: two
//!   34-word stubs that share their boilerplate score 0.83.
//! - A file that vanished and a file that appeared in the same source are the same resource
//!   moved when their fingerprints are equal, or when their words are close: at least
//!   [`MOVE_SIMILARITY`] in common, so that a fiche moved and lightly edited in one commit keeps
//!   its id.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use bao_contract::Resource;
use sha2::{Digest, Sha256};

/// Share of three-word sequences two texts must have in common to be one moved file.
pub const MOVE_SIMILARITY: f64 = 0.7;

/// Share of three-word sequences two texts must have in common to be one text kept twice.
pub const COPY_SIMILARITY: f64 = 0.9;

/// Words a text needs for a close text to be its copy; shorter ones are copies only when equal.
pub const COPY_MIN_WORDS: usize = 50;

/// The words of a text, lowercased, without markup or punctuation: one string with a space
/// between two words (a fiche's 75 000 words held as as many `String`s took 320 MiB in a sync of
/// 200 such fiches).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    joined: String,
    count: usize,
}

impl Words {
    /// The words of a resource's title, summary and HTML body.
    pub fn of(resource: &Resource) -> Words {
        let body_html = resource.body_html.as_deref().unwrap_or_default();
        let mut text =
            String::with_capacity(resource.title.len() + resource.summary.len() + body_html.len() + 2);
        text.push_str(&resource.title);
        text.push(' ');
        text.push_str(&resource.summary);
        text.push(' ');
        let mut in_tag = false;
        for c in body_html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    text.push(' ');
                }
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        let mut words = Words { joined: String::with_capacity(text.len()), count: 0 };
        for word in text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()) {
            if words.count > 0 {
                words.joined.push(' ');
            }
            words.joined.push_str(&word.to_lowercase());
            words.count += 1;
        }
        words
    }

    /// Words kept as [`Words::joined`] gives them.
    pub fn from_joined(joined: &str) -> Words {
        let count = joined.split(' ').filter(|word| !word.is_empty()).count();
        Words { joined: joined.to_owned(), count }
    }

    /// The words with a space between two, as `withdrawn_resources.words` keeps them.
    pub fn joined(&self) -> &str {
        &self.joined
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        self.joined.split(' ').filter(|word| !word.is_empty())
    }
}

/// The fingerprint of a title and a body; empty for a resource without words.
pub fn fingerprint(words: &Words) -> String {
    if words.is_empty() {
        return String::new();
    }
    // Each word followed by a space, as fingerprints stored by earlier versions were made.
    let mut hasher = Sha256::new();
    hasher.update(words.joined.as_bytes());
    hasher.update([b' ']);
    format!("{:x}", hasher.finalize())
}

/// How close two texts are: the Jaccard index of their sets of three-word sequences.
pub fn similarity(a: &Words, b: &Words) -> f64 {
    Shingles::of(a).similarity(&Shingles::of(b))
}

/// The three-word sequences of a text, hashed, sorted and without repeats; a text of fewer
/// words is one sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shingles(Vec<u64>);

impl Shingles {
    pub fn of(words: &Words) -> Shingles {
        let words: Vec<&str> = words.iter().collect();
        let hash = |sequence: &[&str]| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            sequence.hash(&mut hasher);
            hasher.finish()
        };
        let mut hashes: Vec<u64> = if words.len() < 3 {
            std::iter::once(&words[..]).filter(|words| !words.is_empty()).map(hash).collect()
        } else {
            words.windows(3).map(hash).collect()
        };
        hashes.sort_unstable();
        hashes.dedup();
        // Kept for the whole sync in `CloseTexts`: a text repeating itself keeps few sequences.
        hashes.shrink_to_fit();
        Shingles(hashes)
    }

    /// The Jaccard index of the two sets: 1 for two empty texts.
    pub fn similarity(&self, other: &Shingles) -> f64 {
        let (a, b) = (&self.0, &other.0);
        if a.is_empty() && b.is_empty() {
            return 1.0;
        }
        let (mut i, mut j, mut common) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        common as f64 / (a.len() + b.len() - common) as f64
    }

    /// The first sequences (in hash order) that any text at least `threshold` similar to this
    /// one shares at least one of (prefix filtering: at that similarity, two sets share
    /// ⌈threshold·n⌉ of their n sequences, so one of their first n − ⌈threshold·n⌉ + 1).
    fn prefix(&self, threshold: f64) -> &[u64] {
        let n = self.0.len();
        // Rounded down a hair: a prefix one too long costs a comparison, one too short a copy.
        let required = ((threshold * n as f64) - 1e-9).ceil().max(0.0) as usize;
        &self.0[..(n - required.min(n) + 1).min(n)]
    }
}

/// Texts already stored, indexed so that those close to a new one are found without comparing
/// it with each of them.
#[derive(Debug)]
pub struct CloseTexts<K, V> {
    texts: Vec<Option<(K, V, Shingles)>>,
    places: HashMap<K, usize>,
    by_sequence: HashMap<u64, Vec<usize>>,
    threshold: f64,
}

impl<K: Clone + Eq + Hash, V> CloseTexts<K, V> {
    pub fn new(threshold: f64) -> Self {
        CloseTexts { texts: Vec::new(), places: HashMap::new(), by_sequence: HashMap::new(), threshold }
    }

    /// Adds (or replaces) the text known by `key`.
    pub fn insert(&mut self, key: K, value: V, shingles: Shingles) {
        self.remove(&key);
        let place = self.texts.len();
        for sequence in shingles.prefix(self.threshold) {
            self.by_sequence.entry(*sequence).or_default().push(place);
        }
        self.places.insert(key.clone(), place);
        self.texts.push(Some((key, value, shingles)));
    }

    pub fn remove(&mut self, key: &K) {
        if let Some(place) = self.places.remove(key) {
            self.texts[place] = None;
        }
    }

    /// The closest text at or above the threshold that `accept` takes, with its similarity;
    /// the earliest inserted of equally close ones.
    pub fn closest(&self, shingles: &Shingles, accept: impl Fn(&K, &V) -> bool) -> Option<(&K, &V, f64)> {
        let mut candidates: Vec<usize> = shingles
            .prefix(self.threshold)
            .iter()
            .filter_map(|sequence| self.by_sequence.get(sequence))
            .flatten()
            .copied()
            .collect::<HashSet<usize>>()
            .into_iter()
            .collect();
        candidates.sort_unstable();
        let mut best: Option<(&K, &V, f64)> = None;
        for place in candidates {
            let Some((key, value, other)) = &self.texts[place] else { continue };
            if !accept(key, value) {
                continue;
            }
            let score = shingles.similarity(other);
            if score >= self.threshold && best.is_none_or(|(_, _, best)| score > best) {
                best = Some((key, value, score));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bao_contract::{Kind, Licence, NetworkRef};

    fn words(title: &str, body_html: &str) -> Words {
        Words::of(&Resource {
            id: "x".into(),
            kind: Kind::Fiche,
            title: title.into(),
            summary: String::new(),
            image: None,
            authors: vec![],
            network: NetworkRef { id: "n".into(), name: "N".into(), url: None },
            tags: vec![],
            licence: Licence::default(),
            source_url: None,
            lang: "fr".into(),
            updated: None,
            body_html: Some(body_html.into()),
            sources: vec![],
        })
    }

    #[test]
    fn copies_have_one_fingerprint_whatever_their_markup() {
        let a = words("Le Kanban", "<p>Un tableau, des <em>colonnes</em>.</p>");
        let b = words("le kanban", "<h2>Un   tableau</h2><p>des colonnes</p>");
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&words("Le Kanban", "<p>Un tableau.</p>")));
        assert_eq!(fingerprint(&Words::default()), "");
        // Fingerprints stored by earlier versions (the words hashed one by one) still match.
        assert_eq!(fingerprint(&a), "b2feeba29bd2091cec0289fd55987fe783386dc73d22916a9afa9b65d161320f");
    }

    #[test]
    fn a_light_edit_stays_close_and_another_text_does_not() {
        let text = "Le kanban est un tableau de colonnes où chaque carte est une tâche que l'équipe \
                    déplace de gauche à droite quand elle avance, pour voir ensemble où en est le travail.";
        let edited = text.replace("ensemble", "tous ensemble");
        let other = "La gouvernance partagée répartit les décisions entre les cercles d'une \
                     organisation, chacun avec son rôle et ses règles de décision.";
        let (a, b, c) = (words("", text), words("", &edited), words("", other));
        assert!(similarity(&a, &b) >= MOVE_SIMILARITY, "{}", similarity(&a, &b));
        assert!(similarity(&a, &c) < 0.1);
        assert_eq!(similarity(&a, &a), 1.0);
    }

    #[test]
    fn close_texts_are_found_through_their_prefixes_only_above_the_threshold() {
        let of = |words: &[String]| Shingles::of(&Words::from_joined(&words.join(" ")));
        let text: Vec<String> = (0..400).map(|i| format!("mot{}", i % 97 * 7 + i)).collect();
        // One word in a hundred changed: about 0.94 of the sequences stay.
        let mut copy = text.clone();
        for i in (0..copy.len()).step_by(100) {
            copy[i] = format!("autre{i}");
        }
        let half: Vec<String> =
            text[..200].iter().cloned().chain((0..200).map(|i| format!("x{i}"))).collect();
        let mut close = CloseTexts::new(COPY_SIMILARITY);
        close.insert("moitié", "b", of(&half));
        close.insert("texte", "a", of(&text));
        let found = close.closest(&of(&copy), |_, _| true).expect("the copy is close");
        assert_eq!((*found.0, *found.1), ("texte", "a"));
        assert!(found.2 >= COPY_SIMILARITY && found.2 < 1.0, "{}", found.2);
        assert!(close.closest(&of(&copy), |key, _| *key != "texte").is_none());
        close.remove(&"texte");
        assert!(close.closest(&of(&copy), |_, _| true).is_none());
        // Every pair the index finds is a pair a full comparison finds, and the other way round.
        for cut in [1, 5, 20, 39, 41, 60, 399] {
            let edited: Vec<String> = text.iter().take(400 - cut).cloned().collect();
            let full = of(&edited).similarity(&of(&text)) >= COPY_SIMILARITY;
            let mut index = CloseTexts::new(COPY_SIMILARITY);
            index.insert(0, (), of(&text));
            assert_eq!(index.closest(&of(&edited), |_, _| true).is_some(), full, "{cut}");
        }
    }
}
