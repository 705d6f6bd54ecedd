//! How the store tells that two files hold the same resource: the same fiche kept in two places
//! (a copy), or a file that moved or was renamed since the last sync.
//!
//! - A **fingerprint** is the SHA-256 of the words of the title, summary and body, lowercased, with
//!   markup, punctuation and spacing left out: two files with equal fingerprints are copies of one
//!   fiche, whatever their front matter, folder or repository. Copies are merged only on equal
//!   fingerprints: two different fiches must never become one.
//! - A file that vanished and a file that appeared in the same source are the same resource
//!   moved when their fingerprints are equal, or when their words are close: at least
//!   [`MOVE_SIMILARITY`] of their three-word sequences in common (Jaccard index), so that a fiche
//!   moved and lightly edited in one commit keeps its id.

use std::collections::HashSet;

use bao_contract::Resource;
use sha2::{Digest, Sha256};

/// Share of three-word sequences two texts must have in common to be one moved file.
pub const MOVE_SIMILARITY: f64 = 0.7;

/// The words of a resource's title, summary and HTML body, lowercased, without markup.
pub fn words(resource: &Resource) -> Vec<String> {
    let body_html = resource.body_html.as_deref().unwrap_or_default();
    let mut text = String::with_capacity(resource.title.len() + resource.summary.len() + body_html.len() + 2);
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
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The fingerprint of a title and a body; empty for a resource without words.
pub fn fingerprint(words: &[String]) -> String {
    if words.is_empty() {
        return String::new();
    }
    let mut hasher = Sha256::new();
    for word in words {
        hasher.update(word.as_bytes());
        hasher.update([b' ']);
    }
    format!("{:x}", hasher.finalize())
}

/// How close two texts are: the Jaccard index of their sets of three-word sequences.
pub fn similarity(a: &[String], b: &[String]) -> f64 {
    let (a, b) = (shingles(a), shingles(b));
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.intersection(&b).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

fn shingles(words: &[String]) -> HashSet<&[String]> {
    if words.len() < 3 {
        return std::iter::once(words).filter(|words| !words.is_empty()).collect();
    }
    words.windows(3).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bao_contract::{Kind, Licence, NetworkRef};

    fn words(title: &str, body_html: &str) -> Vec<String> {
        super::words(&Resource {
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
        assert_eq!(fingerprint(&[]), "");
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
}
