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
    #[cfg(feature = "testimonials")]
    pub source: &'static str,
    pub licence: &'static str,
    pub by: &'static str,
    pub topics: &'static str,
    version_unknown: &'static str,
    quote: (&'static str, &'static str),
    #[cfg(feature = "search")]
    pub search_label: &'static str,
    #[cfg(feature = "search")]
    pub search_placeholder: &'static str,
    #[cfg(feature = "search")]
    pub search_in: &'static str,
    #[cfg(feature = "search")]
    pub narrow: &'static str,
    #[cfg(feature = "search")]
    pub results: &'static str,
    #[cfg(feature = "search")]
    pub search_unavailable: &'static str,
    #[cfg(feature = "search")]
    pub search_unavailable_long: &'static str,
    #[cfg(feature = "search")]
    pub opened_below: &'static str,
    #[cfg(feature = "search")]
    pub no_result: &'static str,
    #[cfg(feature = "search")]
    one_result: &'static str,
    #[cfg(feature = "search")]
    many_results: &'static str,
    #[cfg(feature = "search")]
    nothing_matches: &'static str,
    #[cfg(feature = "search")]
    remove_filter: &'static str,
    #[cfg(feature = "search")]
    pub whole_library: &'static str,
    #[cfg(feature = "search")]
    pub back_to_results: &'static str,
    #[cfg(feature = "testimonials")]
    pub testimonials: &'static str,
    #[cfg(feature = "testimonials")]
    pub carousel: &'static str,
    #[cfg(feature = "testimonials")]
    pub testimony: &'static str,
    #[cfg(feature = "testimonials")]
    of: &'static str,
    #[cfg(feature = "testimonials")]
    pub previous: &'static str,
    #[cfg(feature = "testimonials")]
    pub next: &'static str,
    #[cfg(feature = "testimonials")]
    pub choose: &'static str,
    #[cfg(feature = "testimonials")]
    play: (&'static str, &'static str),
    #[cfg(feature = "testimonials")]
    pub video: &'static str,
    #[cfg(feature = "testimonials")]
    pub transcript: &'static str,
    #[cfg(feature = "testimonials")]
    pub testimony_page: &'static str,
    #[cfg(feature = "testimonials")]
    pub no_testimony: &'static str,
    #[cfg(feature = "search")]
    thousands: &'static str,
    colon: &'static str,
    pub reuse: &'static str,
    pub reuse_done: &'static str,
    pub reuse_failed: &'static str,
    to_reuse: &'static str,
}

pub static FRENCH: Strings = Strings {
    lang: "fr",
    kinds: ["Fiche", "Témoignage", "Vidéo"],
    read: "Lire la fiche",
    fold: "Replier la fiche",
    page: "Page de la fiche",
    original_source: "Source originale",
    #[cfg(feature = "testimonials")]
    source: "Source",
    licence: "Licence : ",
    by: "Par ",
    topics: "Thèmes",
    version_unknown: " (version non précisée par la source)",
    quote: ("« ", " »"),
    #[cfg(feature = "search")]
    search_label: "Rechercher dans la bibliothèque multiBàO",
    #[cfg(feature = "search")]
    search_placeholder: "Un mot, un thème, une méthode…",
    #[cfg(feature = "search")]
    search_in: "Dans : ",
    #[cfg(feature = "search")]
    narrow: "Affiner",
    #[cfg(feature = "search")]
    results: "Résultats",
    #[cfg(feature = "search")]
    search_unavailable: "La recherche est indisponible pour le moment.",
    #[cfg(feature = "search")]
    search_unavailable_long: "La recherche est indisponible pour le moment. Réessayez plus tard.",
    #[cfg(feature = "search")]
    opened_below: "Fiche ouverte ci-dessous.",
    #[cfg(feature = "search")]
    no_result: "Aucun résultat.",
    #[cfg(feature = "search")]
    one_result: "1 résultat, flèches haut et bas pour parcourir.",
    #[cfg(feature = "search")]
    many_results: " résultats, flèches haut et bas pour parcourir.",
    #[cfg(feature = "search")]
    nothing_matches: "Aucune ressource ne correspond à ",
    #[cfg(feature = "search")]
    remove_filter: "Retirer le filtre ",
    #[cfg(feature = "search")]
    whole_library: "Chercher dans toute la bibliothèque",
    #[cfg(feature = "search")]
    back_to_results: "← Retour aux résultats",
    #[cfg(feature = "testimonials")]
    testimonials: "Témoignages filmés",
    #[cfg(feature = "testimonials")]
    carousel: "carrousel",
    #[cfg(feature = "testimonials")]
    testimony: "témoignage",
    #[cfg(feature = "testimonials")]
    of: " sur ",
    #[cfg(feature = "testimonials")]
    previous: "Témoignage précédent",
    #[cfg(feature = "testimonials")]
    next: "Témoignage suivant",
    #[cfg(feature = "testimonials")]
    choose: "Choisir un témoignage",
    #[cfg(feature = "testimonials")]
    play: ("Lire la vidéo : ", " (hébergée par "),
    #[cfg(feature = "testimonials")]
    video: "Vidéo : ",
    #[cfg(feature = "testimonials")]
    transcript: "Transcription",
    #[cfg(feature = "testimonials")]
    testimony_page: "Page du témoignage",
    #[cfg(feature = "testimonials")]
    no_testimony: "Aucun témoignage filmé pour ce choix.",
    #[cfg(feature = "search")]
    thousands: "\u{202f}",
    colon: " : ",
    reuse: "Réutiliser cette fiche",
    reuse_done: "Attribution copiée ✓",
    reuse_failed: "Copie impossible : sélectionnez le texte ci-dessus",
    to_reuse: "Pour la réutiliser, citez : ",
};

pub static ENGLISH: Strings = Strings {
    lang: "en",
    kinds: ["Method sheet", "Testimony", "Video"],
    read: "Read the sheet",
    fold: "Fold the sheet",
    page: "Sheet page",
    original_source: "Original source",
    #[cfg(feature = "testimonials")]
    source: "Source",
    licence: "Licence: ",
    by: "By ",
    topics: "Topics",
    version_unknown: " (version not given by the source)",
    quote: ("“", "”"),
    #[cfg(feature = "search")]
    search_label: "Search the multiBàO library",
    #[cfg(feature = "search")]
    search_placeholder: "A word, a topic, a method…",
    #[cfg(feature = "search")]
    search_in: "In: ",
    #[cfg(feature = "search")]
    narrow: "Narrow down",
    #[cfg(feature = "search")]
    results: "Results",
    #[cfg(feature = "search")]
    search_unavailable: "Search is unavailable at the moment.",
    #[cfg(feature = "search")]
    search_unavailable_long: "Search is unavailable at the moment. Please try again later.",
    #[cfg(feature = "search")]
    opened_below: "Sheet opened below.",
    #[cfg(feature = "search")]
    no_result: "No result.",
    #[cfg(feature = "search")]
    one_result: "1 result, up and down arrows to browse.",
    #[cfg(feature = "search")]
    many_results: " results, up and down arrows to browse.",
    #[cfg(feature = "search")]
    nothing_matches: "Nothing matches ",
    #[cfg(feature = "search")]
    remove_filter: "Remove the filter ",
    #[cfg(feature = "search")]
    whole_library: "Search the whole library",
    #[cfg(feature = "search")]
    back_to_results: "← Back to the results",
    #[cfg(feature = "testimonials")]
    testimonials: "Filmed testimonies",
    #[cfg(feature = "testimonials")]
    carousel: "carousel",
    #[cfg(feature = "testimonials")]
    testimony: "testimony",
    #[cfg(feature = "testimonials")]
    of: " of ",
    #[cfg(feature = "testimonials")]
    previous: "Previous testimony",
    #[cfg(feature = "testimonials")]
    next: "Next testimony",
    #[cfg(feature = "testimonials")]
    choose: "Choose a testimony",
    #[cfg(feature = "testimonials")]
    play: ("Play the video: ", " (hosted by "),
    #[cfg(feature = "testimonials")]
    video: "Video: ",
    #[cfg(feature = "testimonials")]
    transcript: "Transcript",
    #[cfg(feature = "testimonials")]
    testimony_page: "Testimony page",
    #[cfg(feature = "testimonials")]
    no_testimony: "No filmed testimony for this choice.",
    #[cfg(feature = "search")]
    thousands: ",",
    colon: ": ",
    reuse: "Reuse this sheet",
    reuse_done: "Attribution copied ✓",
    reuse_failed: "Could not copy: select the text above",
    to_reuse: "To reuse it, credit: ",
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
    #[cfg(feature = "search")]
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

    #[cfg(feature = "search")]
    pub fn result_count(&self, total: u64) -> String {
        match total {
            0 => self.no_result.to_owned(),
            1 => self.one_result.to_owned(),
            _ => format!("{}{}", self.number(total), self.many_results),
        }
    }

    #[cfg(feature = "search")]
    pub fn nothing_matches(&self, query: &str) -> String {
        format!("{}{}.", self.nothing_matches, self.quoted(query))
    }

    #[cfg(feature = "search")]
    pub fn remove_filter(&self, label: &str) -> String {
        format!("{}{}", self.remove_filter, self.quoted(label))
    }

    /// What a reuser must write (title, authors, network, source, licence), as the licences ask.
    pub fn attribution(
        &self,
        title: &str,
        authors: &[String],
        network: &str,
        source: &str,
        licence: &Licence,
    ) -> String {
        let by = if authors.is_empty() {
            network.to_owned()
        } else {
            format!("{} ({network})", authors.join(", "))
        };
        let licence_text = match &licence.url {
            Some(url) => format!("{} ({url})", licence.label),
            None => licence.label.clone(),
        };
        format!("{}, {by}, {source}{}{licence_text}", self.quoted(title), format_args!(" — {}", self.licence))
    }

    /// The attribution with its lead-in, as shown under the text.
    pub fn to_reuse(&self, attribution: &str) -> String {
        format!("{}{attribution}", self.to_reuse)
    }

    /// `Page de la fiche : Titre`, `Sheet page: Title`.
    pub fn named(&self, label: &str, name: &str) -> String {
        format!("{label}{}{name}", self.colon)
    }

    /// `3 sur 8`.
    #[cfg(feature = "testimonials")]
    pub fn position(&self, index: usize, count: usize) -> String {
        format!("{}{}{count}", index + 1, self.of)
    }

    #[cfg(feature = "testimonials")]
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
        let licence = Licence {
            label: "CC BY-SA 4.0".into(),
            url: Some("https://cc.org/by-sa".into()),
            ..Licence::default()
        };
        assert_eq!(
            FRENCH.attribution("Kanban", &["Ana".into(), "Bo".into()], "Réseau", "https://src", &licence),
            "« Kanban », Ana, Bo (Réseau), https://src — Licence : CC BY-SA 4.0 (https://cc.org/by-sa)"
        );
    }
}
