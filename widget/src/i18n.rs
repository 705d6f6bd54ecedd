//! Every string the elements show or announce, in French and in English. An element speaks the
//! language of its `lang` attribute, else of its page (embed.js passes it): English for `en…`,
//! French for anything else — the commons is French first.

use bao_contract::{Kind, Licence};

/// The catalogue of one language. Sentences with a value in them are methods below.
pub struct Strings {
    pub lang: &'static str,
    kinds: [&'static str; 3],
    pub read: &'static str,
    pub fold: &'static str,
    pub page: &'static str,
    pub original_source: &'static str,
    pub source: &'static str,
    pub licence: &'static str,
    pub by: &'static str,
    pub topics: &'static str,
    version_unknown: &'static str,
    quote: (&'static str, &'static str),
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_in: &'static str,
    pub narrow: &'static str,
    pub results: &'static str,
    pub search_unavailable: &'static str,
    pub search_unavailable_long: &'static str,
    pub opened_below: &'static str,
    pub no_result: &'static str,
    one_result: &'static str,
    many_results: &'static str,
    nothing_matches: &'static str,
    remove_filter: &'static str,
    pub whole_library: &'static str,
    pub back_to_results: &'static str,
    pub testimonials: &'static str,
    pub carousel: &'static str,
    pub testimony: &'static str,
    of: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub choose: &'static str,
    play: (&'static str, &'static str),
    pub video: &'static str,
    pub transcript: &'static str,
    pub testimony_page: &'static str,
    pub no_testimony: &'static str,
    thousands: &'static str,
    colon: &'static str,
}

pub static FRENCH: Strings = Strings {
    lang: "fr",
    kinds: ["Fiche", "Témoignage", "Vidéo"],
    read: "Lire la fiche",
    fold: "Replier la fiche",
    page: "Page de la fiche",
    original_source: "Source originale",
    source: "Source",
    licence: "Licence : ",
    by: "Par ",
    topics: "Thèmes",
    version_unknown: " (version non précisée par la source)",
    quote: ("« ", " »"),
    search_label: "Rechercher dans la bibliothèque multiBàO",
    search_placeholder: "Un mot, un thème, une méthode…",
    search_in: "Dans : ",
    narrow: "Affiner",
    results: "Résultats",
    search_unavailable: "La recherche est indisponible pour le moment.",
    search_unavailable_long: "La recherche est indisponible pour le moment. Réessayez plus tard.",
    opened_below: "Fiche ouverte ci-dessous.",
    no_result: "Aucun résultat.",
    one_result: "1 résultat, flèches haut et bas pour parcourir.",
    many_results: " résultats, flèches haut et bas pour parcourir.",
    nothing_matches: "Aucune ressource ne correspond à ",
    remove_filter: "Retirer le filtre ",
    whole_library: "Chercher dans toute la bibliothèque",
    back_to_results: "← Retour aux résultats",
    testimonials: "Témoignages filmés",
    carousel: "carrousel",
    testimony: "témoignage",
    of: " sur ",
    previous: "Témoignage précédent",
    next: "Témoignage suivant",
    choose: "Choisir un témoignage",
    play: ("Lire la vidéo : ", " (hébergée par "),
    video: "Vidéo : ",
    transcript: "Transcription",
    testimony_page: "Page du témoignage",
    no_testimony: "Aucun témoignage filmé pour ce choix.",
    thousands: "\u{202f}",
    colon: " : ",
};

pub static ENGLISH: Strings = Strings {
    lang: "en",
    kinds: ["Method sheet", "Testimony", "Video"],
    read: "Read the sheet",
    fold: "Fold the sheet",
    page: "Sheet page",
    original_source: "Original source",
    source: "Source",
    licence: "Licence: ",
    by: "By ",
    topics: "Topics",
    version_unknown: " (version not given by the source)",
    quote: ("“", "”"),
    search_label: "Search the multiBàO library",
    search_placeholder: "A word, a topic, a method…",
    search_in: "In: ",
    narrow: "Narrow down",
    results: "Results",
    search_unavailable: "Search is unavailable at the moment.",
    search_unavailable_long: "Search is unavailable at the moment. Please try again later.",
    opened_below: "Sheet opened below.",
    no_result: "No result.",
    one_result: "1 result, up and down arrows to browse.",
    many_results: " results, up and down arrows to browse.",
    nothing_matches: "Nothing matches ",
    remove_filter: "Remove the filter ",
    whole_library: "Search the whole library",
    back_to_results: "← Back to the results",
    testimonials: "Filmed testimonies",
    carousel: "carousel",
    testimony: "testimony",
    of: " of ",
    previous: "Previous testimony",
    next: "Next testimony",
    choose: "Choose a testimony",
    play: ("Play the video: ", " (hosted by "),
    video: "Video: ",
    transcript: "Transcript",
    testimony_page: "Testimony page",
    no_testimony: "No filmed testimony for this choice.",
    thousands: ",",
    colon: ": ",
};

/// The catalogue for a BCP 47 tag.
pub fn strings(lang: &str) -> &'static Strings {
    if lang.get(..2).is_some_and(|prefix| prefix.eq_ignore_ascii_case("en")) { &ENGLISH } else { &FRENCH }
}

impl Strings {
    pub fn kind(&self, kind: Kind) -> &'static str {
        self.kinds[Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)]
    }

    /// `« text »` or `“text”`.
    pub fn quoted(&self, text: &str) -> String {
        format!("{}{text}{}", self.quote.0, self.quote.1)
    }

    /// The licence as a sentence, with the caveat of an unknown version and the source's words.
    pub fn licence_sentence(&self, licence: &Licence) -> String {
        format!("{}{}{}", self.licence, licence.label, self.licence_caveats(licence))
    }

    pub fn licence_caveats(&self, licence: &Licence) -> String {
        let mut caveats = String::new();
        if licence.version_unknown {
            caveats.push_str(self.version_unknown);
        }
        if let Some(raw) = &licence.raw {
            caveats.push_str(" — ");
            caveats.push_str(&self.quoted(raw));
        }
        caveats
    }

    /// A count with the language's thousands separator (`12 345`, `12,345`).
    pub fn number(&self, value: u64) -> String {
        let digits = value.to_string();
        let mut out = String::with_capacity(digits.len() + 4);
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                out.push_str(self.thousands);
            }
            out.push(digit);
        }
        out
    }

    pub fn result_count(&self, total: u64) -> String {
        match total {
            0 => self.no_result.to_owned(),
            1 => self.one_result.to_owned(),
            _ => format!("{}{}", self.number(total), self.many_results),
        }
    }

    pub fn nothing_matches(&self, query: &str) -> String {
        format!("{}{}.", self.nothing_matches, self.quoted(query))
    }

    pub fn remove_filter(&self, label: &str) -> String {
        format!("{}{}", self.remove_filter, self.quoted(label))
    }

    /// `Page de la fiche : Titre`, `Sheet page: Title`.
    pub fn named(&self, label: &str, name: &str) -> String {
        format!("{label}{}{name}", self.colon)
    }

    /// `3 sur 8`.
    pub fn position(&self, index: usize, count: usize) -> String {
        format!("{}{}{count}", index + 1, self.of)
    }

    pub fn play(&self, title: &str, host: &str) -> String {
        format!("{}{title}{}{host})", self.play.0, self.play.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_and_formats() {
        assert_eq!(strings("en-GB").lang, "en");
        assert_eq!(strings("fr").lang, "fr");
        assert_eq!(strings("").lang, "fr");
        assert_eq!(strings("de").lang, "fr", "French first");
        assert_eq!(FRENCH.number(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(ENGLISH.number(100_000), "100,000");
        assert_eq!(ENGLISH.number(12), "12");
        assert_eq!(FRENCH.result_count(1234), "1\u{202f}234 résultats, flèches haut et bas pour parcourir.");
        assert_eq!(ENGLISH.play("Title", "Vimeo"), "Play the video: Title (hosted by Vimeo)");
        assert_eq!(FRENCH.position(2, 8), "3 sur 8");
        assert_eq!(ENGLISH.kind(Kind::Fiche), "Method sheet");
    }
}
