//! Every string the elements show or announce, in French and in English. An element speaks the
//! language of its `lang` attribute, else of its page (embed.js passes it): English for `en…`,
//! French for anything else — the commons is French first.

use bao_contract::{Kind, Licence};

/// The catalogue of one language. Sentences with a value in them are methods below.
pub struct Strings {
    pub lang: &'static str,
    kinds: [&'static str; 3],
    /// What unfolds a card, by kind (as `kinds`): a video is watched, not read.
    read: [&'static str; 3],
    /// Beside the fallback link of a resource its network withdrew (410).
    pub withdrawn: &'static str,
    /// Beside the fallback link of an id no resource has (404).
    pub missing: &'static str,
    /// The link into the library from a missing card.
    pub browse: &'static str,
    /// What folds it again, by kind.
    fold: [&'static str; 3],
    pub page: &'static str,
    pub original_source: &'static str,
    pub licence: &'static str,
    pub by: &'static str,
    pub topics: &'static str,
    version_unknown: &'static str,
    quote: (&'static str, &'static str),
    colon: &'static str,
    pub reuse: &'static str,
    pub reuse_done: &'static str,
    pub reuse_failed: &'static str,
    to_reuse: &'static str,
    #[cfg(feature = "search")]
    pub search: SearchStrings,
    #[cfg(feature = "testimonials")]
    pub carousel: CarouselStrings,
}

/// The strings only `<bao-search>` shows.
#[cfg(feature = "search")]
pub struct SearchStrings {
    pub label: &'static str,
    pub placeholder: &'static str,
    pub scope: &'static str,
    pub narrow: &'static str,
    pub results: &'static str,
    pub unavailable: &'static str,
    pub unavailable_long: &'static str,
    pub opened_below: &'static str,
    pub no_result: &'static str,
    pub one_result: &'static str,
    pub many_results: &'static str,
    pub nothing_matches: &'static str,
    pub remove_filter: &'static str,
    pub whole_library: &'static str,
    /// The last option of a list that has more results: "{n} de plus".
    pub more_results: &'static str,
    pub back_to_results: &'static str,
    pub thousands: &'static str,
}

/// The strings only `<bao-testimonials>` shows.
#[cfg(feature = "testimonials")]
pub struct CarouselStrings {
    /// Where a video of ours could not be loaded (the server is gone).
    pub video_unavailable: &'static str,
    pub source: &'static str,
    pub testimonials: &'static str,
    pub role: &'static str,
    pub testimony: &'static str,
    pub of: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub choose: &'static str,
    pub play: (&'static str, &'static str),
    pub video: &'static str,
    pub transcript: &'static str,
    pub testimony_page: &'static str,
    pub no_testimony: &'static str,
}

/// The place of `kind` in the catalogues' lists by kind.
fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

pub static FRENCH: Strings = Strings {
    lang: "fr",
    kinds: ["Fiche", "Témoignage", "Vidéo"],
    read: ["Lire la fiche", "Lire le témoignage", "Voir la vidéo"],
    withdrawn: "Cette fiche a été retirée par son réseau.",
    missing: "Cette fiche n'existe pas ou a été retirée.",
    browse: "Parcourir la bibliothèque",
    fold: ["Replier la fiche", "Replier le témoignage", "Replier la vidéo"],
    page: "Page de la fiche",
    original_source: "Source originale",
    licence: "Licence : ",
    by: "Par ",
    topics: "Thèmes",
    version_unknown: " (version non précisée par la source)",
    quote: ("« ", " »"),
    colon: " : ",
    reuse: "Réutiliser cette fiche",
    reuse_done: "Attribution copiée ✓",
    reuse_failed: "Copie impossible : sélectionnez le texte ci-dessus",
    to_reuse: "Pour la réutiliser, citez : ",
    #[cfg(feature = "search")]
    search: SearchStrings {
        label: "Rechercher dans la bibliothèque multiBàO",
        placeholder: "Un mot, un thème, une méthode…",
        scope: "Dans : ",
        narrow: "Affiner",
        results: "Résultats",
        unavailable: "La recherche est indisponible pour le moment.",
        unavailable_long: "La recherche est indisponible pour le moment. Réessayez plus tard.",
        opened_below: "Fiche ouverte ci-dessous.",
        no_result: "Aucun résultat.",
        one_result: "1 résultat, flèches haut et bas pour parcourir.",
        many_results: " résultats, flèches haut et bas pour parcourir.",
        nothing_matches: "Aucune ressource ne correspond à ",
        remove_filter: "Retirer le filtre ",
        whole_library: "Chercher dans toute la bibliothèque",
        more_results: "Afficher plus de résultats",
        back_to_results: "← Retour aux résultats",
        thousands: "\u{202f}",
    },
    #[cfg(feature = "testimonials")]
    carousel: CarouselStrings {
        source: "Source",
        testimonials: "Témoignages filmés",
        role: "carrousel",
        testimony: "témoignage",
        of: " sur ",
        previous: "Témoignage précédent",
        next: "Témoignage suivant",
        choose: "Choisir un témoignage",
        play: ("Lire la vidéo : ", " (hébergée par "),
        video: "Vidéo : ",
        transcript: "Transcription",
        video_unavailable: "La vidéo ne peut pas être lue pour le moment. Réessayez plus tard.",
        testimony_page: "Page du témoignage",
        no_testimony: "Aucun témoignage filmé pour ce choix.",
    },
};

pub static ENGLISH: Strings = Strings {
    lang: "en",
    kinds: ["Method sheet", "Testimony", "Video"],
    read: ["Read the sheet", "Read the testimony", "Watch the video"],
    withdrawn: "This sheet was withdrawn by its network.",
    missing: "This sheet does not exist or was withdrawn.",
    browse: "Browse the library",
    fold: ["Fold the sheet", "Fold the testimony", "Fold the video"],
    page: "Sheet page",
    original_source: "Original source",
    licence: "Licence: ",
    by: "By ",
    topics: "Topics",
    version_unknown: " (version not given by the source)",
    quote: ("“", "”"),
    colon: ": ",
    reuse: "Reuse this sheet",
    reuse_done: "Attribution copied ✓",
    reuse_failed: "Could not copy: select the text above",
    to_reuse: "To reuse it, credit: ",
    #[cfg(feature = "search")]
    search: SearchStrings {
        label: "Search the multiBàO library",
        placeholder: "A word, a topic, a method…",
        scope: "In: ",
        narrow: "Narrow down",
        results: "Results",
        unavailable: "Search is unavailable at the moment.",
        unavailable_long: "Search is unavailable at the moment. Please try again later.",
        opened_below: "Sheet opened below.",
        no_result: "No result.",
        one_result: "1 result, up and down arrows to browse.",
        many_results: " results, up and down arrows to browse.",
        nothing_matches: "Nothing matches ",
        remove_filter: "Remove the filter ",
        whole_library: "Search the whole library",
        more_results: "Show more results",
        back_to_results: "← Back to the results",
        thousands: ",",
    },
    #[cfg(feature = "testimonials")]
    carousel: CarouselStrings {
        source: "Source",
        testimonials: "Filmed testimonies",
        role: "carousel",
        testimony: "testimony",
        of: " of ",
        previous: "Previous testimony",
        next: "Next testimony",
        choose: "Choose a testimony",
        play: ("Play the video: ", " (hosted by "),
        video: "Video: ",
        transcript: "Transcript",
        video_unavailable: "The video cannot be played right now. Please try again later.",
        testimony_page: "Testimony page",
        no_testimony: "No filmed testimony for this choice.",
    },
};

/// The catalogue for a BCP 47 tag.
pub fn strings(lang: &str) -> &'static Strings {
    if lang.get(..2).is_some_and(|prefix| prefix.eq_ignore_ascii_case("en")) { &ENGLISH } else { &FRENCH }
}

impl Strings {
    pub fn kind(&self, kind: Kind) -> &'static str {
        self.kinds[kind_index(kind)]
    }

    /// What unfolds a card of `kind`.
    pub fn read(&self, kind: Kind) -> &'static str {
        self.read[kind_index(kind)]
    }

    /// What folds a card of `kind` again.
    pub fn fold(&self, kind: Kind) -> &'static str {
        self.fold[kind_index(kind)]
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
        if let Some(raw) = licence.raw_excerpt() {
            caveats.push_str(" — ");
            caveats.push_str(&self.quoted(&raw));
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
                out.push_str(self.search.thousands);
            }
            out.push(digit);
        }
        out
    }

    #[cfg(feature = "search")]
    pub fn result_count(&self, total: u64) -> String {
        match total {
            0 => self.search.no_result.to_owned(),
            1 => self.search.one_result.to_owned(),
            _ => format!("{}{}", self.number(total), self.search.many_results),
        }
    }

    #[cfg(feature = "search")]
    pub fn nothing_matches(&self, query: &str) -> String {
        format!("{}{}.", self.search.nothing_matches, self.quoted(query))
    }

    #[cfg(feature = "search")]
    pub fn remove_filter(&self, label: &str) -> String {
        format!("{}{}", self.search.remove_filter, self.quoted(label))
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
        format!("{}{}{count}", index + 1, self.carousel.of)
    }

    #[cfg(feature = "testimonials")]
    pub fn play(&self, title: &str, host: &str) -> String {
        format!("{}{title}{}{host})", self.carousel.play.0, self.carousel.play.1)
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
