//! French as an association reads it: counts with the plural they take, dates and months in
//! words.

/// `count` followed by `one` or `many` as French says it: the singular for 0 and 1
/// (`1 réseau`, `0 ressource`), the plural from 2 (`9 réseaux`).
/// (Taken by reference: askama passes its arguments so.)
pub fn counted<N: Copy + TryInto<u64>>(count: &N, one: &str, many: &str) -> String {
    let count: u64 = (*count).try_into().unwrap_or(u64::MAX);
    format!("{count} {}", if count < 2 { one } else { many })
}

/// A title written all in capitals (`LE CERCLE DE PAROLE`), as a sentence (`Le cercle de
/// parole`) for a list where it would shout; any other title as it is. Shown so only: the data
/// keeps what the source wrote.
pub fn as_sentence(title: &str) -> std::borrow::Cow<'_, str> {
    // One word in capitals is more likely an acronym than a shout.
    let words = title.split_whitespace().filter(|word| word.chars().any(char::is_alphabetic)).count();
    if words < 2 || title.chars().any(char::is_lowercase) {
        return title.into();
    }
    let mut sentence = String::with_capacity(title.len());
    let mut initial_seen = false;
    for c in title.chars() {
        if initial_seen || !c.is_alphabetic() {
            sentence.extend(c.to_lowercase());
        } else {
            initial_seen = true;
            sentence.push(c);
        }
    }
    sentence.into()
}

/// A tag as the name of a theme: as a sentence, with a capital (`prise de décision` → `Prise de
/// décision`, `GOUVERNANCE PARTAGÉE` → `Gouvernance partagée`).
pub fn theme_name(tag: &str) -> String {
    let sentence = as_sentence(tag.trim());
    let mut chars = sentence.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// The months as French abbreviates them (Lexique des règles typographiques de l'Imprimerie
/// nationale).
const MONTHS_SHORT: [&str; 12] =
    ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];

/// The month's index (0–11) of `2026-11…`.
fn month_index(month: &str) -> usize {
    month.get(5..7).and_then(|m| m.parse::<usize>().ok()).unwrap_or(1).clamp(1, 12) - 1
}

/// `2026-11` → `nov.`: the month abbreviated, as a chart's label.
pub fn short_month(month: &str) -> &'static str {
    MONTHS_SHORT[month_index(month)]
}

/// `2026-11` → `novembre 2026`.
pub fn french_month(month: &str) -> String {
    format!("{} {}", MONTHS[month_index(month)], month.get(..4).unwrap_or(""))
}

/// `2026-11-03` → `3 novembre 2026`; the first of a month is the `1er`.
pub fn french_date(day: &str) -> String {
    match day.get(8..10).and_then(|d| d.parse::<u32>().ok()).unwrap_or(1) {
        1 => format!("1er {}", french_month(day)),
        date => format!("{date} {}", french_month(day)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_in_capitals_reads_as_a_sentence_and_no_other_changes() {
        assert_eq!(as_sentence("LE CERCLE DE PAROLE"), "Le cercle de parole");
        assert_eq!(as_sentence("« ÉCOUTE ACTIVE »"), "« Écoute active »");
        assert_eq!(as_sentence("Le World Café"), "Le World Café");
        assert_eq!(as_sentence("AMAP"), "AMAP", "one word: an acronym");
    }

    #[test]
    fn a_tag_named_as_a_theme_starts_with_a_capital() {
        assert_eq!(theme_name("prise de décision"), "Prise de décision");
        assert_eq!(theme_name("GOUVERNANCE PARTAGÉE"), "Gouvernance partagée");
        assert_eq!(theme_name("écologie"), "Écologie");
        assert_eq!(theme_name(" "), "");
    }

    #[test]
    fn counts_take_their_plural_from_two() {
        assert_eq!(counted(&0u64, "ressource", "ressources"), "0 ressource");
        assert_eq!(counted(&1u64, "réseau", "réseaux"), "1 réseau");
        assert_eq!(counted(&229u64, "ressource", "ressources"), "229 ressources");
    }

    #[test]
    fn months_and_days_in_french() {
        assert_eq!(french_month("2026-08"), "août 2026");
        assert_eq!(french_date("2026-11-03"), "3 novembre 2026");
        assert_eq!(french_date("2026-01-01"), "1er janvier 2026");
    }
}
