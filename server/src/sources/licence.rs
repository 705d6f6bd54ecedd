//! Licences as sources write them ("sous licence Creative Commons BY-NC-SA", `licence: CC-BY-SA`,
//! a LICENSE file saying "CC-BY-SA 4.0"), read into the contract's [`Licence`].

use bao_contract::Licence;

use super::text::fold;
use crate::address::has_web_scheme;
use crate::store::Found;

/// One Creative Commons licence: which elements, and the version when the source gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreativeCommons {
    zero: bool,
    non_commercial: bool,
    share_alike: bool,
    no_derivatives: bool,
    version: Option<String>,
}

impl CreativeCommons {
    /// Order of restriction: when a fiche mixes licences, the most restrictive one binds a reuser.
    fn restriction(&self) -> u8 {
        u8::from(self.non_commercial) * 4 + u8::from(self.no_derivatives) * 2 + u8::from(self.share_alike)
    }

    /// `by-nc-sa`, as in the deed URLs.
    fn code(&self) -> String {
        if self.zero {
            return "zero".into();
        }
        let mut code = String::from("by");
        for (on, part) in
            [(self.non_commercial, "-nc"), (self.no_derivatives, "-nd"), (self.share_alike, "-sa")]
        {
            if on {
                code.push_str(part);
            }
        }
        code
    }

    pub fn into_licence(self, raw: Option<String>) -> Licence {
        let code = self.code();
        let (label, spdx, url) = if self.zero {
            (
                "CC0 1.0".to_owned(),
                Some("CC0-1.0".to_owned()),
                Some("https://creativecommons.org/publicdomain/zero/1.0/deed.fr".to_owned()),
            )
        } else {
            let upper = code.to_uppercase();
            let label = match &self.version {
                Some(version) => format!("CC {upper} {version}"),
                None => format!("CC {upper}"),
            };
            let spdx = self.version.as_ref().map(|version| format!("CC-{upper}-{version}"));
            // Without a version, no deed: each one is a version, which the source did not state.
            let url = self
                .version
                .as_ref()
                .map(|version| format!("https://creativecommons.org/licenses/{code}/{version}/deed.fr"));
            (label, spdx, url)
        };
        Licence {
            spdx,
            label,
            url,
            raw,
            version_unknown: !self.zero && self.version.is_none(),
            open: !self.non_commercial && !self.no_derivatives,
        }
    }
}

/// The licence to record when a source says nothing.
pub fn unknown() -> Licence {
    Licence { label: "Licence non précisée".into(), ..Licence::default() }
}

/// The licence a sources file declares for a source (`licence = "CC BY-SA 4.0"`).
pub fn declared(text: &str) -> Licence {
    let raw = Some(format!("déclarée par la source : {text}"));
    match parse_line(text).into_iter().next() {
        Some(cc) => cc.into_licence(raw),
        None => Licence { label: text.to_owned(), raw, ..unknown() },
    }
}

/// The licence a whole site declares (a wiki's rights: a deed URL, a name or both), if it names
/// one; `None` when it says nothing, so that the sources file's may apply.
pub fn of_site(url: &str, text: &str) -> Option<Licence> {
    let (url, text) = (url.trim(), text.trim());
    if url.is_empty() && text.is_empty() {
        return None;
    }
    let raw = Some(match (url.is_empty(), text.is_empty()) {
        (false, false) => format!("licence du site : {text} ({url})"),
        (true, _) => format!("licence du site : {text}"),
        (_, true) => format!("licence du site : {url}"),
    });
    let found = deed_in(url).or_else(|| parse_line(text).into_iter().next());
    Some(match found {
        Some(cc) => cc.into_licence(raw),
        None => Licence {
            label: if text.is_empty() { url.to_owned() } else { text.to_owned() },
            url: has_web_scheme(url).then(|| url.to_owned()),
            raw,
            ..unknown()
        },
    })
}

/// How firmly a line states the licence of the text it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// A short line that is little more than a licence ("CC-BY-SA Lilian Ricaud").
    Bare,
    /// "… sous licence CC BY-SA", in a sentence about this text.
    Stated,
    /// In a "Licence" section, a badge, or "Cette fiche est publiée selon les termes de…".
    Firm,
}

/// What one line says of the licence of its text.
#[derive(Debug, Clone)]
struct Statement {
    strength: Strength,
    /// `None`: "sous licence Creative Commons", without saying which.
    licence: Option<CreativeCommons>,
    line: String,
}

/// Words that make a line the text's own licence statement wherever it stands.
const FIRM_CUES: &[&str] = &[
    "selon les termes",
    "cette fiche",
    "ce texte",
    "ce document",
    "ce contenu",
    "cet article",
    "cette ressource",
    "cette oeuvre",
    "cette œuvre",
    "tous les contenus",
    "toutes nos",
    "publie par",
    "publiee par",
    "publie sous",
    "publiee sous",
    "publies sous",
    "publiees sous",
    "mis a disposition",
    "mise a disposition",
    "licence :",
    "licence:",
    "license:",
    "licensed under",
    "texte :",
    "texte sous",
];

/// Words that say a line gives a licence, in a sentence.
const STATED_CUES: &[&str] = &[
    "sous licence",
    "sous la licence",
    "sous cc",
    "sous creative",
    "en creative",
    "en cc",
    "licence cc",
    "licence creative",
];

/// What credits of images and other media begin with: their licence is not the text's.
const CREDITS: &[&str] = &[
    "photo",
    "dessin",
    "illustration",
    "image",
    "credit",
    "visuel",
    "logo",
    "icone",
    "pictogramme",
    "schema",
    "infographie",
    "gravure",
    "affiche",
    "couverture",
    "carte",
    "musique",
    "croquis",
];

/// Headings of a section that states the text's licence.
const LICENCE_SECTIONS: &[&str] =
    &["licence", "license", "droits", "conditions de reutilisation", "reutilisation"];

/// Every licence statement of a text, as a reader would take them: credits of images, works a
/// text cites, and prose that merely talks about licences are left out.
fn statements(text: &str) -> Vec<Statement> {
    let mut found = Vec::new();
    let mut section = Section::Other;
    let mut in_code = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix('#') {
            let heading = fold(&super::text::plain_text(heading.trim_start_matches(['#', ' ', '\u{a0}'])));
            section = if LICENCE_SECTIONS.iter().any(|cue| heading.starts_with(cue)) {
                Section::Licence
            } else if heading.starts_with("source") {
                Section::Origin
            } else if super::text::is_citing_heading(&heading) {
                Section::Citing
            } else {
                Section::Other
            };
            continue;
        }
        if let Some(statement) = statement(line, section) {
            found.push(statement);
        }
    }
    found
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Licence,
    /// Where the text says it comes from ("Sources"): a line there that puts it under a licence
    /// ("Thomas Wolff, association …, sous licence Creative Commons BY-SA") is its licence (an
    /// adaptation keeps its original's conditions); a code merely cited is not.
    Origin,
    Citing,
    Other,
}

/// What `line` says of its text's licence, if it states one.
fn statement(line: &str, section: Section) -> Option<Statement> {
    let plain = super::text::plain_text(line);
    let folded = fold(&plain);
    let badge = deed_in(line);
    // Under a "Licence" heading, `BY-SA` alone is a licence.
    let in_licence_section = if section == Section::Licence { "licence " } else { "" };
    let named = parse_line(&format!("{in_licence_section}{plain}")).into_iter().next();
    let vague = named.is_none()
        && badge.is_none()
        && (folded.contains("creative commons") || folded.contains("creatives commons"));
    if named.is_none() && badge.is_none() && !vague {
        return None;
    }
    if is_credit(&folded) {
        return None;
    }
    let words = folded.split_whitespace().count();
    let strength =
        if section == Section::Licence || badge.is_some() || FIRM_CUES.iter().any(|cue| folded.contains(cue))
        {
            Strength::Firm
        } else if section == Section::Citing {
            return None;
        } else if STATED_CUES.iter().any(|cue| folded.contains(cue)) && words <= 40 {
            Strength::Stated
        } else if section == Section::Origin {
            return None;
        } else if other_words(&plain) <= 4 && !explains_a_licence(&folded) {
            Strength::Bare
        } else {
            // Prose about licences ("la licence la plus utilisée serait la BY-NC-SA").
            return None;
        };
    Some(Statement { strength, licence: badge.or(named), line: plain })
}

/// A credit of an image or another medium ("Une photo par X sous licence CC BY-NC",
/// "Dessins : X - CC-BY-SA").
fn is_credit(folded: &str) -> bool {
    let start = ["un ", "une ", "les ", "des ", "la ", "le ", "l'"]
        .iter()
        .find_map(|article| folded.strip_prefix(article))
        .unwrap_or(folded);
    CREDITS.iter().any(|credit| start.starts_with(credit))
        || [" photo par", " photo de ", "(photo", "credit photo", "credits photo"]
            .iter()
            .any(|cue| folded.contains(cue))
}

/// A line that explains what a licence means ("CC BY-NC : pas d'usage commercial").
fn explains_a_licence(folded: &str) -> bool {
    let mut words = folded.split([':', '—', '=']);
    words.next().is_some_and(|head| head.contains("cc") || head.contains("by"))
        && words.next().is_some_and(|tail| tail.split_whitespace().count() >= 2)
}

/// The licence of a Creative Commons deed or badge the line links to
/// (`creativecommons.org/licenses/by-sa/4.0/`, `i.creativecommons.org/l/by-nc/3.0/88x31.png`,
/// `creativecommons.org/publicdomain/zero/1.0/`).
fn deed_in(line: &str) -> Option<CreativeCommons> {
    [
        "creativecommons.org/licenses/",
        "creativecommons.org/l/",
        "licensebuttons.net/l/",
        "creativecommons.org/publicdomain/",
    ]
    .iter()
    .find_map(|marker| {
        let (_, path) = line.split_once(marker)?;
        let mut parts = path.split(['/', ')', ' ', '"']);
        let code = parts.next()?;
        let version = parts.next().unwrap_or_default();
        parse_line(&format!("CC {code} {version}")).into_iter().next()
    })
}

/// The licence a resource's text states, and where it was found: its front matter's field, else
/// the statements of its text (the firmest; the most restrictive when they disagree, keeping what
/// each line says), else `fallback` (what the sources file declares, then the repository's
/// licence). A statement that names no licence ("sous licence Creative Commons") gives way to a
/// fallback that names one, and is shown as it is otherwise.
pub fn resolve(front_matter: Option<&str>, body: &str, fallback: Option<&Licence>) -> (Licence, Found) {
    if let Some(field) = front_matter {
        let licence =
            match parse_line(&super::text::plain_text(field)).into_iter().next().or_else(|| deed_in(field)) {
                Some(cc) => cc.into_licence(Some(field.to_owned())),
                None if fold(field).contains("creative") => vague(field),
                None => Licence { label: field.to_owned(), raw: Some(field.to_owned()), ..unknown() },
            };
        return (licence, Found::Stated);
    }
    let found = statements(body);
    let precise: Vec<&Statement> = found.iter().filter(|statement| statement.licence.is_some()).collect();
    let firmest = precise.iter().map(|statement| statement.strength).max();
    let chosen: Vec<&Statement> =
        precise.into_iter().filter(|statement| Some(statement.strength) == firmest).collect();
    if let Some(strictest) =
        chosen.iter().filter_map(|statement| statement.licence.as_ref()).max_by_key(|cc| cc.restriction())
    {
        let mut lines: Vec<&str> = Vec::new();
        for statement in &chosen {
            if !lines.contains(&statement.line.as_str()) {
                lines.push(&statement.line);
            }
        }
        let raw: String = lines.join(" / ").chars().take(600).collect();
        return (strictest.clone().into_licence(Some(raw)), Found::InText);
    }
    match (fallback, found.first()) {
        (Some(fallback), _) if !is_vague(fallback) => (fallback.clone(), Found::FromSource),
        (_, Some(statement)) => (vague(&statement.line), Found::InText),
        (Some(fallback), None) => (fallback.clone(), Found::FromSource),
        (None, None) => (unknown(), Found::Missing),
    }
}

/// A licence stated without its conditions ("sous licence Creative Commons"): shown as such,
/// never taken for one that allows more.
pub fn vague(line: &str) -> Licence {
    Licence {
        label: "Creative Commons (conditions non précisées)".into(),
        raw: Some(line.chars().take(600).collect()),
        version_unknown: true,
        ..unknown()
    }
}

/// Whether a licence is one a text stated without its conditions.
pub fn is_vague(licence: &Licence) -> bool {
    licence.spdx.is_none() && licence.url.is_none() && licence.label.starts_with("Creative Commons (")
}

/// The licence a whole repository states, and the file that states it: the first statement of
/// its licence file, or of its README; a licence file holding a Creative Commons legal code is
/// read by its title.
pub fn of_repository<'a>(files: &[(&'a str, &str)]) -> Option<(&'a str, Licence)> {
    files.iter().find_map(|(name, text)| {
        let title = text
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty() && !fold(line).starts_with("creative commons legal code"));
        let legal_code = title
            .filter(|title| fold(title).starts_with("attribution"))
            .and_then(|title| parse_line(&format!("CC {title}")).into_iter().next());
        let statement = match legal_code {
            Some(cc) => Statement {
                strength: Strength::Firm,
                licence: Some(cc),
                line: title.unwrap_or_default().to_owned(),
            },
            None => {
                let found = statements(text);
                found.iter().find(|statement| statement.licence.is_some()).or(found.first())?.clone()
            }
        };
        // The source's words only: a visitor reads them in quotes under the licence's name; where
        // they were found is the provenance (`Found::FromSource`) the quality report gives.
        let raw = Some(statement.line.clone());
        Some((
            *name,
            match statement.licence {
                Some(cc) => cc.into_licence(raw),
                None => Licence { raw, ..vague(&statement.line) },
            },
        ))
    })
}

/// Reads the licences of one line: `CC`, `CC0` or `Creative Commons`, then BY/NC/SA/ND (or
/// their names, in French or English), then an optional version. Emphasis, brackets, dashes
/// and "Creatives Commons" are read as a reader reads them; a bare `BY-NC-SA` counts where the
/// line says "licence".
fn parse_line(line: &str) -> Vec<CreativeCommons> {
    let normalized = licence_words(line);
    let words: Vec<&str> = normalized.split_whitespace().collect();
    let says_licence = words.iter().any(|word| word.starts_with("LICEN"));
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let start = match (words[i], words.get(i + 1)) {
            ("CC0", _) => {
                found.push(CreativeCommons::zero());
                i += 1;
                continue;
            }
            ("CC", _) => i + 1,
            ("CCBY", _) => i,
            ("CREATIVE" | "CREATIVES", Some(&"COMMONS" | &"COMMON")) => i + 2,
            // `Licence BY-NC-SA`: the elements alone, in a line that says it is a licence.
            ("BY", Some(&"NC" | &"SA" | &"ND")) if says_licence => i,
            _ => {
                i += 1;
                continue;
            }
        };
        let mut cc = CreativeCommons::by();
        let mut j = start;
        let mut has_by = false;
        while let Some(word) = words.get(j) {
            match *word {
                "BY" | "CCBY" => has_by = true,
                "NC" => cc.non_commercial = true,
                "SA" => cc.share_alike = true,
                "ND" => cc.no_derivatives = true,
                "ZERO" | "0" if j == start => {
                    cc = CreativeCommons::zero();
                    has_by = true;
                }
                _ => break,
            }
            j += 1;
        }
        if let Some(version) = words.get(j).filter(|w| is_version(w)) {
            cc.version = Some((*version).to_owned());
            j += 1;
        }
        if has_by {
            found.push(cc);
        }
        i = j.max(i + 1);
    }
    found
}

/// `line` in capitals, accents folded, the elements' names as their codes, punctuation as spaces.
fn licence_words(line: &str) -> String {
    let mut normalized = fold(line).to_uppercase();
    for (name, code) in ELEMENT_NAMES {
        normalized = normalized.replace(name, code);
    }
    normalized
        .replace(['-', '_', '/', '(', ')', ',', '*', '[', ']', '`', '–', '—', '|', '«', '»', '"', '+'], " ")
        .split_whitespace()
        .map(|word| word.trim_end_matches(['.', ';', ':', '!', '?']))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How many words of `line` are not the words of a licence: a line of three or four is little
/// more than one ("CC-BY-SA Lilian Ricaud").
fn other_words(line: &str) -> usize {
    const LICENCE_WORDS: &[&str] = &[
        "CC",
        "CC0",
        "CCBY",
        "BY",
        "NC",
        "SA",
        "ND",
        "CREATIVE",
        "CREATIVES",
        "COMMONS",
        "COMMON",
        "LICENCE",
        "LICENSE",
        "FRANCE",
        "FR",
        "INTERNATIONAL",
        "UNPORTED",
        "",
    ];
    licence_words(line).split(' ').filter(|word| !LICENCE_WORDS.contains(word) && !is_version(word)).count()
}

/// The elements' names, folded and in capitals, as licences spell them out.
const ELEMENT_NAMES: &[(&str, &str)] = &[
    ("PATERNITE", " BY "),
    ("ATTRIBUTION", " BY "),
    ("PAS D'UTILISATION COMMERCIALE", " NC "),
    ("PAS D’UTILISATION COMMERCIALE", " NC "),
    ("NONCOMMERCIAL", " NC "),
    ("NON COMMERCIAL", " NC "),
    ("PARTAGE DANS LES MEMES CONDITIONS", " SA "),
    ("SHAREALIKE", " SA "),
    ("SHARE ALIKE", " SA "),
    ("PAS DE MODIFICATION", " ND "),
    ("NODERIVATIVES", " ND "),
    ("NODERIVS", " ND "),
];

impl CreativeCommons {
    fn by() -> Self {
        CreativeCommons {
            zero: false,
            non_commercial: false,
            share_alike: false,
            no_derivatives: false,
            version: None,
        }
    }

    fn zero() -> Self {
        CreativeCommons { zero: true, version: Some("1.0".into()), ..CreativeCommons::by() }
    }
}

fn is_version(word: &str) -> bool {
    matches!(word, "1.0" | "2.0" | "2.5" | "3.0" | "4.0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sites_licence_from_its_deed_or_its_name() {
        let by_url =
            of_site("https://creativecommons.org/licenses/by-sa/4.0/deed.fr", "Creative Commons").unwrap();
        assert_eq!((by_url.label.as_str(), by_url.spdx.as_deref()), ("CC BY-SA 4.0", Some("CC-BY-SA-4.0")));
        let by_name = of_site("", "cc-by-nc-sa").unwrap();
        assert!(!by_name.open, "{by_name:?}");
        let other = of_site("https://example.org/licence", "Licence Art Libre").unwrap();
        assert_eq!(other.label, "Licence Art Libre");
        assert_eq!(other.url.as_deref(), Some("https://example.org/licence"));
        assert_eq!(of_site(" ", ""), None);
    }

    #[test]
    fn reads_inline_french_mentions() {
        let licence = resolve(None, "Publié sous licence Creative Commons BY-NC-SA.", None).0;
        assert_eq!(licence.label, "CC BY-NC-SA");
        assert!(licence.version_unknown);
        assert!(!licence.open);
        assert_eq!(licence.spdx, None);
        assert_eq!(licence.url, None, "every deed is of a version, which the text does not state");
    }

    #[test]
    fn versioned_licences_get_an_spdx_id() {
        let (declared, found) = resolve(Some("CC-BY-SA 4.0"), "", None);
        assert_eq!(found, Found::Stated);
        let (licence, found) = resolve(None, "", Some(&declared));
        assert_eq!(found, Found::FromSource);
        assert_eq!(resolve(None, "Licence : CC BY 4.0", Some(&declared)).1, Found::InText);
        assert_eq!(resolve(None, "Un texte.", None).1, Found::Missing);
        assert_eq!(licence.spdx.as_deref(), Some("CC-BY-SA-4.0"));
        assert_eq!(licence.label, "CC BY-SA 4.0");
        assert!(licence.open);
        assert!(!licence.version_unknown);
    }

    #[test]
    fn credits_of_images_are_not_the_texts_licence() {
        let body = "Texte de la fiche.\n\nUne photo par [Frédéric BISSON](https://www.flickr.com/x) sous licence \
                    Creative Commons BY-NC\n\nDessins : Marie X - CC-BY-SA\n\nCe texte est publié sous licence CC BY-SA 4.0.";
        let licence = resolve(None, body, None).0;
        assert_eq!(licence.label, "CC BY-SA 4.0");
        assert_eq!(licence.raw.as_deref(), Some("Ce texte est publié sous licence CC BY-SA 4.0."));
        // A credit alone says nothing of the text: the source's licence applies.
        let declared = declared("CC BY 4.0");
        assert_eq!(
            resolve(None, "Texte.\n\nDessins : Marie X - CC-BY-SA", Some(&declared)).0.label,
            "CC BY 4.0"
        );
    }

    /// The licence lines of real networks' files (issue 28), as they write them.
    #[test]
    fn licences_as_networks_write_them() {
        let cases = [
            ("CC-BY-SA", "CC BY-SA"),
            ("**CC BY-SA**", "CC BY-SA"),
            ("Licence : *CC BY-NC-SA***", "CC BY-NC-SA"),
            ("Sous licence Creative Commons BY-NC-SA**", "CC BY-NC-SA"),
            (
                "Licence : [CC BY-NC-ND](https://creativecommons.org/licenses/by-nc-nd/4.0/)",
                "CC BY-NC-ND 4.0",
            ),
            ("Creatives Commons By-Sa", "CC BY-SA"),
            ("Licence BY NC SA", "CC BY-NC-SA"),
            ("CC–BY–SA 3.0", "CC BY-SA 3.0"),
            ("Documenté par Lilian Ricaud CC-BY-SA", "CC BY-SA"),
            (
                "Publié par [François WUIDARD](mailto: f@example.org) via [Réseau transition Belgique]( \
                 http://www.reseautransition.be/) selon les termes de la licence Creative Commons BY-NC-SA.",
                "CC BY-NC-SA",
            ),
            (
                "[![Licence Creative Commons](https://i.creativecommons.org/l/by-sa/4.0/88x31.png)](http://creativecommons.org/licenses/by-sa/4.0/)",
                "CC BY-SA 4.0",
            ),
            ("Paternité - Partage dans les Mêmes Conditions 3.0 France (CC BY-SA 3.0)", "CC BY-SA 3.0"),
        ];
        for (line, label) in cases {
            assert_eq!(resolve(None, &format!("Un texte.\n\n{line}\n"), None).0.label, label, "{line}");
        }
        let in_section = resolve(None, "Texte.\n\n## Licence\n\nBY-SA, Réseau X\n", None).0;
        assert_eq!(in_section.label, "CC BY-SA");
    }

    #[test]
    fn prose_about_licences_and_cited_works_are_not_the_texts_licence() {
        let about = "Tous types de contenus confondus, les statistiques de Creative Commons montrent que la licence \
                     la plus utilisée serait la BY-NC-SA (29 %), devant la BY-NC-ND (18 %). La plus permissive, la \
                     licence BY, ne serait utilisée que sur 10 % des œuvres.\n\n- CC BY-NC : pas d'usage commercial \
                     sans accord\n- CC BY-ND : pas de modification du tout\n";
        let declared = declared("CC BY-SA 4.0");
        assert_eq!(resolve(None, about, Some(&declared)).0.label, "CC BY-SA 4.0");
        assert_eq!(resolve(None, about, None).0.label, "Licence non précisée");
        let cited = "Texte.\n\n## Bibliographie\n\n- ART of HOSTING (2012) ouvrage collectif, CC-BY-NC-SA Communauté\n";
        assert_eq!(resolve(None, cited, Some(&declared)).0.label, "CC BY-SA 4.0");
        // Where the text comes from puts it under that licence; a bare code cited there does not.
        let origin = "Texte.\n\n## Sources:\n* Thomas Wolff, association Centre des pratiques de la coopération, \
                      sous licence Creative Commons BY-SA\n* Livre (2012), CC-BY-NC Éditions\n";
        let (licence, found) = resolve(None, origin, None);
        assert_eq!((licence.label.as_str(), found), ("CC BY-SA", Found::InText));
    }

    #[test]
    fn a_licence_stated_without_its_conditions_is_shown_as_such() {
        let vague_text = resolve(None, "Texte.\n\nPublié sous licence Creative Commons.", None).0;
        assert_eq!(vague_text.label, "Creative Commons (conditions non précisées)");
        assert!(!vague_text.open && is_vague(&vague_text));
        let declared = declared("CC BY-SA 4.0");
        assert_eq!(
            resolve(None, "Publié sous licence Creative Commons.", Some(&declared)).0.label,
            "CC BY-SA 4.0"
        );
        let readme = "Toutes nos fiches sont publiées sous licence Creative Commons.";
        assert!(is_vague(&of_repository(&[("README.md", readme)]).unwrap().1));
    }

    #[test]
    fn a_repositorys_licence_file_or_readme() {
        let legal_code = "Attribution-NonCommercial-ShareAlike 4.0 International\n\n=====\n\nCreative Commons Corporation…";
        assert_eq!(of_repository(&[("LICENSE", legal_code)]).unwrap().1.label, "CC BY-NC-SA 4.0");
        assert_eq!(of_repository(&[("LICENSE", "CC-BY-SA 4.0\n")]).unwrap().1.label, "CC BY-SA 4.0");
        let readme = "Toutes nos vidéos sont publiées sous licence Creative Commons BY-SA.";
        let from_readme = of_repository(&[("README.md", readme)]).unwrap().1;
        assert_eq!(from_readme.label, "CC BY-SA");
        // Quoted to visitors as the source wrote it, without the file's name; no deed of a
        // version it does not state.
        assert_eq!(from_readme.raw.as_deref(), Some(readme));
        assert_eq!(from_readme.url, None);
        assert_eq!(of_repository(&[("README.md", "Un dépôt de fiches.")]), None);
    }

    #[test]
    fn front_matter_wins_and_unknown_text_is_kept() {
        assert_eq!(resolve(Some("CC-BY-SA"), "CC BY-NC", None).0.label, "CC BY-SA");
        let odd = resolve(Some("Art libre"), "", None).0;
        assert_eq!(odd.label, "Art libre");
        assert!(!odd.open);
        assert_eq!(resolve(None, "licences libres", None).0.label, "Licence non précisée");
        assert_eq!(resolve(None, "", None).0.label, "Licence non précisée");
    }

    #[test]
    fn cc_zero() {
        let licence = resolve(Some("CC0"), "", None).0;
        assert_eq!(licence.spdx.as_deref(), Some("CC0-1.0"));
        assert!(licence.open);
    }
}
