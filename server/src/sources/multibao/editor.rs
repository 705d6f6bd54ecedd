//! Reading a file as an editor of the commons would: whether it is a fiche at all, which words can
//! be its summary, which heading can be its title, who wrote it, and which folder names are themes.
//!
//! Not a fiche (skipped with the reason): a form left to fill in (five or more labels with nothing
//! after their colon, a third of its lines or more) or a page of placeholders ("Titre", "Texte");
//! an index (five links or more, holding 60 % of its letters or more); a table (60 % of the
//! letters in tables); what is not a fiche in any source (`screening`).

use bao_contract::Kind;

use super::markdown::TextShape;
use crate::sources::screening;
use crate::sources::text::{fold, plain_text};

/// Headings that name a part of a document, not a fiche.
const GENERIC_TITLES: &[&str] = &[
    "definition",
    "definitions",
    "introduction",
    "presentation",
    "sommaire",
    "resume",
    "contexte",
    "objectif",
    "objectifs",
    "description",
    "accueil",
    "index",
    "titre",
    "en une phrase",
    "en bref",
];

/// Words a template puts where the content will go.
const PLACEHOLDER_LINES: &[&str] = &[
    "titre",
    "sous titre",
    "texte",
    "description",
    "resume",
    "image",
    "auteur",
    "auteurs",
    "tags",
    "licence",
];

/// Folder names that hold resources rather than say what they are about.
const CONTAINER_FOLDERS: &[&str] = &[
    "contributions",
    "fiches",
    "fiche",
    "temoignages",
    "temoignage",
    "videos",
    "video",
    "docs",
    "doc",
    "content",
    "contenu",
    "articles",
    "ressources",
    "outils",
    "methodes",
];

/// Why a document is not a fiche, if it is not.
pub fn not_a_fiche(body: &str, shape: &TextShape) -> Option<&'static str> {
    let lines: Vec<String> = body
        .lines()
        .map(|line| fold(line.trim().trim_start_matches(['#', '*', '-', '>', ' ', '_', '='])))
        .filter(|line| !line.trim().is_empty())
        .collect();
    // A label is empty when the next line is another label, or nothing.
    let is_label = |line: &String| line.trim_end().ends_with(':');
    let empty_labels = lines
        .iter()
        .enumerate()
        .filter(|(at, line)| is_label(line) && lines.get(at + 1).is_none_or(is_label))
        .count();
    if empty_labels >= 5 && empty_labels * 3 >= lines.len() {
        return Some("modèle à remplir (des rubriques sans contenu), pas une fiche");
    }
    let is_placeholder = |line: &String| {
        let words = line.trim_end_matches([':', ' ', '*', '_']).replace(['-', '_'], " ");
        PLACEHOLDER_LINES.contains(&words.trim())
    };
    if !lines.is_empty() && lines.iter().all(is_placeholder) {
        return Some("modèle (« Titre », « Texte »), pas une fiche");
    }
    if shape.links >= 5 && shape.link_letters * 10 >= shape.letters * 6 {
        return Some("page d'index (surtout des liens), pas une fiche");
    }
    if shape.letters > 0 && shape.table_letters * 10 >= shape.letters * 6 {
        return Some("tableau (de suivi ou d'inventaire), pas une fiche");
    }
    screening::stub(body)
}

/// Whether a paragraph can be a card's summary: prose of five words or more, not a photo credit
/// or a licence notice, not a line saying who wrote the fiche.
pub fn is_summary_prose(text: &str) -> bool {
    // A sentence ending on a colon introduces what follows: the sentences before it, if any, are
    // the prose ("…quelque peu oubliés. Ils ont été supplantés par :").
    let Some(text) = without_lead_in(text) else { return false };
    let words = text.split_whitespace().filter(|word| word.chars().any(char::is_alphabetic)).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    // "À lire également" points elsewhere.
    let points_elsewhere =
        ["a lire", "lire aussi", "voir aussi", "a voir"].iter().any(|start| fold(text).starts_with(start));
    words >= 5 && letters >= 25 && !is_credit(text) && !points_elsewhere
}

/// A paragraph without its last sentence when that one ends on a colon, introducing what follows;
/// `None` when that sentence is all there is.
pub fn without_lead_in(text: &str) -> Option<&str> {
    let text = text.trim_end();
    let Some(lead_in) = text.strip_suffix(':') else { return Some(text) };
    let end = lead_in.char_indices().rfind(|&(at, c)| {
        matches!(c, '.' | '!' | '?' | '…') && lead_in[at + c.len_utf8()..].starts_with(char::is_whitespace)
    })?;
    Some(&text[..end.0 + end.1.len_utf8()])
}

/// A photo credit, a licence notice or an authorship line.
fn is_credit(text: &str) -> bool {
    let folded = fold(text.trim_start_matches(['*', '_', ' ', '(']));
    let starts = ["photo", "image", "illustration", "credit", "source :", "sources :", "fiche realisee par"];
    let words = text.split_whitespace().count();
    starts.iter().any(|start| folded.starts_with(start))
        || author_line(text).is_some()
        || (words < 25
            && ["licence", "license", "creative commons"].iter().any(|mention| folded.contains(mention)))
}

/// Whether a heading names a part of a document ("Introduction") rather than the fiche.
pub fn is_generic_title(title: &str) -> bool {
    let folded = fold(title.trim().trim_end_matches([':', ' ', '.']));
    GENERIC_TITLES.contains(&folded.as_str())
}

/// Whether a folder name says what its resources are about (`rompre_isolement`): two words or more
/// of letters, not a container (`contributions`, `fiches`) nor a date (`subventions_2016`).
pub fn is_theme_folder(name: &str) -> bool {
    let words: Vec<&str> = name.split(['_', '-', ' ']).filter(|word| !word.is_empty()).collect();
    words.len() >= 2
        && words.iter().all(|word| word.chars().all(char::is_alphabetic))
        && !CONTAINER_FOLDERS.contains(&fold(name).as_str())
}

/// The kind a folder's name declares (`temoignages/`), if any.
pub fn kind_of_folder(name: &str) -> Option<Kind> {
    match fold(name).as_str() {
        "temoignages" | "temoignage" | "retours d'experience" | "retours-experience" => {
            Some(Kind::Temoignage)
        }
        "fiches" | "fiche" => Some(Kind::Fiche),
        _ => None,
    }
}

/// The authors a document names in its text: "Auteur·e·s : A et B", "Rédigé par A", "Fiche
/// réalisée par A", "Publié par A via Réseau" lines, a heading "Auteurs :" followed by the names,
/// "par A" alone on one of the last lines, a "Contributeurs" section's names; translators as
/// "A (traduction)", amenders as "A (amendements)". Never guessed beyond that; e-mail addresses
/// never kept.
pub fn authors_in(markdown: &str) -> Vec<String> {
    let mut authors = Vec::new();
    let mut section = AuthorSection::None;
    // Under "Bibliographie" and the like, a licence's holder is another work's (under "Sources",
    // the holder of what the text comes from, whom its licence requires to credit).
    let mut citing = false;
    let lines: Vec<&str> = markdown.lines().collect();
    let last_lines = lines.len().saturating_sub(LAST_LINES);
    for (index, line) in lines.iter().enumerate() {
        let heading = line.trim_start().starts_with('#');
        if heading {
            let title = fold(&plain_text(line.trim_start_matches(['#', ' '])));
            let title = title.trim_end_matches([':', ' ', '\u{a0}']);
            citing = crate::sources::text::is_citing_heading(title) && !title.starts_with("source");
            section =
                if ["contributeurs", "contributeur", "contributeur(s)", "contributeurs et contributrices"]
                    .contains(&title)
                {
                    AuthorSection::Contributors
                } else if AUTHOR_HEADINGS.contains(&title) {
                    AuthorSection::Authors
                } else {
                    AuthorSection::None
                };
            continue;
        }
        let found = author_line(line)
            .or_else(|| match section {
                // In a contributors section, the names are the links' words or what follows "par".
                AuthorSection::Contributors => contributors_of(line),
                // Under "Auteurs :", the names are the lines that follow, up to a blank one.
                AuthorSection::Authors if !line.trim().is_empty() => Some(split_names(&plain_text(line))),
                _ => None,
            })
            .or_else(|| (index >= last_lines).then(|| by_line(line)).flatten())
            .or_else(|| if citing { None } else { licence_holder(line).or_else(|| licensor_line(line)) })
            .or_else(|| (!citing).then(|| name_beside_a_licence(&lines, index)).flatten());
        if section == AuthorSection::Authors && line.trim().is_empty() && !authors.is_empty() {
            section = AuthorSection::None;
        }
        for name in found.into_iter().flatten() {
            if !restates(&name, &authors) {
                authors.push(name);
            }
        }
    }
    authors.truncate(8);
    authors
}

/// Whether every word of `name` is already in the names found: the same authors said again
/// ("*Auteurs : Association Outils-Réseaux, Vincent Tardieu*" above a block "Outils-réseaux
/// Vincent Tardieu"), not another author.
fn restates(name: &str, found: &[String]) -> bool {
    let words_found: Vec<String> = found
        .iter()
        .flat_map(|known| fold(known).split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    fold(name).split_whitespace().all(|word| words_found.iter().any(|known| known == word))
}

/// Where a line stands, for the names it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthorSection {
    None,
    Authors,
    Contributors,
}

/// Headings (folded, without their colon) followed by the authors' names.
const AUTHOR_HEADINGS: &[&str] = &[
    "auteurs",
    "auteur",
    "auteur(s)",
    "auteur·e·s",
    "auteur.e.s",
    "auteures",
    "auteure",
    "autrices",
    "autrice",
    "redaction",
    "redige par",
    "ecrit par",
];

/// How near the end a "par A" line alone names the author.
const LAST_LINES: usize = 6;

/// How an authorship line starts ("Auteur de l'article : X, amendements par Y"), folded, and
/// what it makes of the names that follow.
const AUTHORSHIP_PREFIXES: &[(&str, Role)] = &[
    ("auteur de l'article", Role::Author),
    ("auteure de l'article", Role::Author),
    ("auteur de la fiche", Role::Author),
    ("auteure de la fiche", Role::Author),
    ("auteur·e·s", Role::Author),
    ("auteur.e.s", Role::Author),
    ("auteur(s)", Role::Author),
    ("auteures", Role::Author),
    ("auteurs", Role::Author),
    ("auteure", Role::Author),
    ("auteur", Role::Author),
    ("autrices", Role::Author),
    ("autrice", Role::Author),
    ("redige par", Role::Author),
    ("redigee par", Role::Author),
    ("ecrit par", Role::Author),
    ("ecrite par", Role::Author),
    ("fiche realisee par", Role::Author),
    ("fiche compilee par", Role::Author),
    ("compilee par", Role::Author),
    ("compile par", Role::Author),
    ("realise par", Role::Author),
    ("realisee par", Role::Author),
    ("publie par", Role::Author),
    ("publiee par", Role::Author),
    ("traduction par", Role::Translator),
    ("traduit par", Role::Translator),
    ("traduite par", Role::Translator),
    ("une traduction par", Role::Translator),
    ("traduction francaise par", Role::Translator),
];

/// What ends the names of an authorship line.
const NAMES_END: &[&str] = &[
    " via ",
    " selon les termes",
    " sous licence",
    ", publi",
    " - publi",
    " publié sous",
    " (http",
    // Folded where the line's letters fold to as many bytes, else only lowercased.
    " a partir d",
    " à partir d",
    " d'apres ",
    " d'après ",
    " d’apres ",
    " d’après ",
];

/// What introduces, after the names, those who amended the text.
const AMENDERS: &[&str] =
    &[", amendements par ", " amendements par ", ", amendé par ", ", relu par ", ", relecture "];

/// The names of an authorship line, if it is one.
fn author_line(line: &str) -> Option<Vec<String>> {
    let plain = without_addresses(&plain_text(line));
    let folded = fold(&plain);
    let (role, rest) = match labelled_authors(&plain) {
        Some(names) => (Role::Author, names.to_owned()),
        None => {
            let (prefix, role) = AUTHORSHIP_PREFIXES.iter().find(|(prefix, _)| folded.starts_with(prefix))?;
            // `fold` keeps the length of letters it folds only for the ASCII ones: cut by characters.
            let rest: String = plain.chars().skip(prefix.chars().count()).collect();
            let rest = rest.trim_start_matches([' ', ':', '\u{a0}']).trim().to_owned();
            // "Auteur du livre" or "auteurs de référence" are no authorship lines: a name follows at once.
            if *role == Role::Author && starts_lowercase(&rest) && !prefix.ends_with("par") {
                return None;
            }
            (*role, rest)
        }
    };
    if rest.is_empty() || rest.len() > 200 {
        return None;
    }
    let rest = until_any(&rest, NAMES_END);
    let (names, amenders) = match split_at_folded(rest, AMENDERS) {
        Some((names, amenders)) => (names, Some(amenders)),
        None => (rest, None),
    };
    let mut found: Vec<String> = split_names(names).into_iter().map(|name| role.shown(name)).collect();
    found.extend(amenders.into_iter().flat_map(split_names).map(|name| format!("{name} (amendements)")));
    Some(found)
}

/// The names after a label that says "authors" however it is spelt ("Aut·eur·rice·s de la
/// ressource :", "Auteur.e.s :", "Autrices :"), if the line is one.
fn labelled_authors(plain: &str) -> Option<&str> {
    let (label, names) = plain.split_once(':')?;
    let label: String =
        fold(label).chars().filter(|c| c.is_alphabetic() || *c == ' ' || *c == '\'').collect();
    let mut words = label.split_whitespace();
    let first = words.next()?;
    let says_authors = first.starts_with("aut")
        && (first.contains("eur") || first.contains("rice"))
        && first.chars().count() <= 13;
    let of_this = words.next().is_none_or(|word| ["de", "du", "des", "d"].contains(&word));
    (says_authors && of_this && !starts_lowercase(names.trim())).then(|| names.trim())
}

/// A licence line that names its holder ("CC-BY-SA Lilian Ricaud (http://…)"): the holder.
fn licence_holder(line: &str) -> Option<Vec<String>> {
    let plain = until_any(&without_addresses(&plain_text(line)), &[" (http", " http"]).trim().to_owned();
    let codes = plain.split([' ', '-']).take_while(|word| is_licence_code(word)).count();
    let mut rest = plain.as_str();
    for _ in 0..codes {
        rest = rest.split_once([' ', '-']).map_or("", |(_, tail)| tail.trim_start());
    }
    (codes >= 2 && is_names(rest)).then(|| split_names(rest))
}

/// A line that gives a name, then its licence ("Thomas Wolff, publié sous licence Creative Commons
/// BY-SA, sur la base du travail de …"): the name, whose text it is.
fn licensor_line(line: &str) -> Option<Vec<String>> {
    let plain = without_addresses(&plain_text(line));
    let (name, _) = split_at_folded(
        &plain,
        // Folded where the line's letters fold to as many bytes, else only lowercased.
        &[", publie sous licence", ", publié sous licence", ", publiée sous licence", ", sous licence"],
    )?;
    let name = name.trim();
    is_names(name).then(|| split_names(name))
}

/// One to five words that could be names: capitalised but for particles, no digits.
fn is_names(text: &str) -> bool {
    (1..=5).contains(&text.split_whitespace().count())
        && text
            .split_whitespace()
            .all(|word| !starts_lowercase(word) || ["de", "du", "des", "la", "le", "et"].contains(&word))
        && !text.chars().any(|c| c.is_ascii_digit())
}

/// A word of a Creative Commons licence's code as files write it (`CC-BY-SA`, `CC BY NC`).
fn is_licence_code(word: &str) -> bool {
    ["CC", "BY", "SA", "NC", "ND"].contains(&word)
}

/// A name (two to four capitalised words) alone on its line, next to a line that is a licence's
/// code alone ("Lilian Ricaud" then "CC-BY-SA", or the other way round): the licence's holder.
fn name_beside_a_licence(lines: &[&str], index: usize) -> Option<Vec<String>> {
    let name = plain_text(lines[index]);
    let is_name = (2..=4).contains(&name.split_whitespace().count())
        && name.split_whitespace().all(|word| {
            word.chars().next().is_some_and(char::is_uppercase)
                && word.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
        });
    if !is_name {
        return None;
    }
    let is_code = |word: &str| is_licence_code(word) || word.parse::<f32>().is_ok();
    let bare_licence = |line: &&str| {
        let plain = plain_text(line);
        !plain.is_empty() && plain.split([' ', '-']).filter(|word| !word.is_empty()).all(is_code)
    };
    let next = lines[index + 1..].iter().find(|line| !line.trim().is_empty());
    let previous = lines[..index].iter().rev().find(|line| !line.trim().is_empty());
    (next.is_some_and(bare_licence) || previous.is_some_and(bare_licence)).then(|| vec![name])
}

/// "par A" alone on a line (near the end of a file): A.
fn by_line(line: &str) -> Option<Vec<String>> {
    let plain = without_addresses(&plain_text(line));
    let rest = plain.strip_prefix("par ").or_else(|| plain.strip_prefix("Par "))?.trim();
    let words = rest.split_whitespace().count();
    (words > 0 && words <= 6 && !starts_lowercase(rest)).then(|| split_names(rest))
}

/// What someone named did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Author,
    Translator,
}

impl Role {
    fn shown(self, name: String) -> String {
        match self {
            Role::Author => name,
            Role::Translator => format!("{name} (traduction)"),
        }
    }
}

fn starts_lowercase(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_lowercase)
}

/// `text` up to the first of `ends` (case and accents aside).
fn until_any<'a>(text: &'a str, ends: &[&str]) -> &'a str {
    split_at_folded(text, ends).map_or(text, |(head, _)| head)
}

/// `text` split around the first of `separators` found in it (case and accents aside).
fn split_at_folded<'a>(text: &'a str, separators: &[&str]) -> Option<(&'a str, &'a str)> {
    let lower = text.to_lowercase();
    // Lowercasing may change byte lengths outside ASCII: only cut where the two agree.
    if lower.len() != text.len() {
        return separators.iter().find_map(|separator| text.split_once(separator));
    }
    let folded = fold(&lower);
    let start = if folded.len() == text.len() { &folded } else { &lower };
    separators
        .iter()
        .filter_map(|separator| start.find(separator).map(|at| (at, separator.len())))
        .min()
        .map(|(at, len)| (&text[..at], &text[at + len..]))
}

/// `text` without e-mail addresses (`<a@b.fr>`, `(a@b.fr)`, `mailto:`): names stay, addresses never
/// travel to cards.
fn without_addresses(text: &str) -> String {
    text.split_whitespace().filter(|word| !is_mail_address(word)).collect::<Vec<_>>().join(" ")
}

fn is_mail_address(word: &str) -> bool {
    let word = word.trim_matches(['<', '>', '(', ')', '[', ']', ',', ';', '.']);
    word.starts_with("mailto:")
        || word.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
}

fn contributors_of(line: &str) -> Option<Vec<String>> {
    let plain = without_addresses(&plain_text(line));
    let after_par = plain.rsplit_once(" par ").map(|(_, names)| names)?;
    Some(split_names(after_par.trim_end_matches(['.', ' '])))
}

fn split_names(text: &str) -> Vec<String> {
    // Footnote calls (`… (FNAB) 1 2`) end some credit lines.
    let text = text.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '.');
    text.split([',', ';', '&'])
        .flat_map(|part| part.split(" et "))
        .map(|name| {
            let name = name.trim();
            let name = ["la ", "le ", "les ", "l'", "l’"]
                .iter()
                .find_map(|article| name.strip_prefix(article))
                .unwrap_or(name);
            name.trim_end_matches(['.', ' ', ':']).to_owned()
        })
        .filter(|name| !name.is_empty() && name.chars().count() <= 80 && !is_mail_address(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::multibao::markdown::text_shape;

    fn reason(body: &str) -> Option<&'static str> {
        not_a_fiche(body, &text_shape(body))
    }

    const PROSE: &str = "Le cercle de parole donne à chacun un temps pour s'exprimer sans être \
        interrompu, pendant que les autres écoutent. On le pratique en ouverture et en clôture.";

    #[test]
    fn forms_placeholders_indexes_tables_and_stubs_are_not_fiches() {
        assert_eq!(reason(PROSE), None);
        let form = "Fiche Outil\n===\n\nNom:\n\nContributeur(s) :\n\nmails :\n\nLicence :\n\nEnjeux :\n\nObjectifs :\n";
        assert!(reason(form).unwrap().starts_with("modèle à remplir"));
        assert!(reason("# Titre\n\nTexte\n").unwrap().starts_with("modèle"));
        let index = "# Fiches\n\n- [Cercle](a.md)\n- [Forum](b.md)\n- [Kanban](c.md)\n- [Vote](d.md)\n- [Café](e.md)\n";
        assert!(reason(index).unwrap().starts_with("page d'index"));
        let table = "| fiche | état | relecture |\n|---|---|---|\n| cercle de parole | à relire | Camille |\n\
                     | forum ouvert | fait | Youssef |\n| kanban | en cours | Amina |\n";
        assert!(reason(table).unwrap().starts_with("tableau"));
        assert!(reason("> En attente de validation.\n").unwrap().starts_with("ébauche"));
        let filled = "## **Catégories** :\n\nÉnergisant\n\n## **Timing** :\n\n3 minutes\n\n## Lieu :\n\nDehors\n\n\
                      ## Public :\n\nTous\n\n## Matériel :\n\nAucun\n\n";
        assert_eq!(reason(&format!("{filled}{PROSE}")), None, "labels with content are a fiche's parts");
    }

    #[test]
    fn summaries_are_prose() {
        assert!(is_summary_prose("Le forum ouvert est une approche participative basée sur l'émulation."));
        for not_prose in [
            "Com",
            "Tets",
            "La charte",
            "Photo par Jean-Pierre Dalbéra, sous licence Creative Commons BY",
            "Fiche réalisée par la Fédération Nationale d'Agriculture Biologique (FNAB) 1 2",
            "Courts circuits. Creative Commons BY-NC",
            "Auteurs : Audrey Auriault et GARC.ESS",
            "Produire des pizzas en équipe, avec le format :",
            "A lire également : Décrire son dépôt de fiches",
        ] {
            assert!(!is_summary_prose(not_prose), "{not_prose}");
        }
        // A sentence leading into a list: the sentences before it are the prose (Coop-tic).
        let leads_in = "Appelés traditionnellement \"ressources communes\", les biens communs ont été quelque \
                        peu oubliés. Ils ont été supplantés par :";
        assert!(is_summary_prose(leads_in));
        assert_eq!(
            without_lead_in(leads_in),
            Some(
                "Appelés traditionnellement \"ressources communes\", les biens communs ont été quelque peu oubliés."
            )
        );
        assert_eq!(without_lead_in("Ceci résulte de :"), None);
    }

    #[test]
    fn titles_folders_and_kinds() {
        assert!(is_generic_title("Présentation") && is_generic_title("Introduction :"));
        assert!(!is_generic_title("Présentation éclair"));
        assert!(is_theme_folder("rompre_isolement") && is_theme_folder("habiter-ensemble"));
        for container in ["contributions", "fiches", "subventions_2016", "edutech"] {
            assert!(!is_theme_folder(container), "{container}");
        }
        assert_eq!(kind_of_folder("Témoignages"), Some(Kind::Temoignage));
        assert_eq!(kind_of_folder("rompre_isolement"), None);
    }

    #[test]
    fn authors_where_the_files_put_them() {
        assert_eq!(
            authors_in("texte\n\n##Auteur(s) et licence :\nAuteurs : Audrey Auriault et GARC.ESS\n"),
            ["Audrey Auriault", "GARC.ESS"]
        );
        assert_eq!(
            authors_in(
                "**Fiche réalisée par la Fédération Nationale d'Agriculture Biologique (FNAB)** **[1](#note)**"
            ),
            ["Fédération Nationale d'Agriculture Biologique (FNAB)"]
        );
        assert_eq!(
            authors_in("Rédigé par Camille Martin, Youssef Benali."),
            ["Camille Martin", "Youssef Benali"]
        );
        assert_eq!(authors_in("Auteur·e·s : Amina"), ["Amina"]);
        assert_eq!(
            authors_in(
                "## Contributeurs\nAnimation réalisée aux rencontres MOUSTIC 2015 par [kokonet](http://k.fr/cv/).\n"
            ),
            ["kokonet"]
        );
        assert!(authors_in("L'auteur du livre dit que…\n\nUn texte par ailleurs.").is_empty());
    }

    /// The sentences of real networks' files (issue 28), as they write them.
    #[test]
    fn authors_as_networks_write_them() {
        let text = "Un texte.\n\n### Auteurs\u{a0}:\nMarie Durand\n\nLa suite du texte, par ailleurs.";
        assert_eq!(authors_in(text), ["Marie Durand"]);
        assert_eq!(
            authors_in("Texte.\n\n## Auteur(s) :\n\nJean Dupont et Zoé Martin\n"),
            ["Jean Dupont", "Zoé Martin"]
        );
        assert_eq!(
            authors_in(
                "Publié par [François WUIDARD](mailto: francois.wuidard@student.ulg.ac.be) via [Réseau transition \
                 Belgique]( http://www.reseautransition.be/) selon les termes de la licence Creative Commons BY-NC-SA."
            ),
            ["François WUIDARD"]
        );
        assert_eq!(authors_in("Traduction par Fabrice Aimetti"), ["Fabrice Aimetti (traduction)"]);
        assert_eq!(
            authors_in(
                "Une traduction par [Fabrice Aimetti](http://wiki.ayeba.fr/x), publié sous licence Creative Commons BY"
            ),
            ["Fabrice Aimetti (traduction)"]
        );
        assert_eq!(authors_in("Un long texte.\n\nBla.\n\npar Camille Lenoir\n"), ["Camille Lenoir"]);
        assert!(authors_in("par exemple, ceci\n").is_empty());
        assert_eq!(
            authors_in("Auteur de l'article : Michel Elie, amendements par Hélène Mulot et Paul Roux"),
            ["Michel Elie", "Hélène Mulot (amendements)", "Paul Roux (amendements)"]
        );
        assert_eq!(authors_in("Auteur : Léa <lea@example.org>"), ["Léa"]);
        assert_eq!(
            authors_in(
                "*Auteurs : Association Outils-Réseaux, Vincent Tardieu*\n\n## Auteurs :\nOutils-réseaux Vincent Tardieu\n"
            ),
            ["Association Outils-Réseaux", "Vincent Tardieu"]
        );
        assert!(authors_in("Auteur : [lea@example.org](mailto:lea@example.org)").is_empty());
        // The sentences of the corpus scorecard (tests/corpus/), as their files write them.
        assert_eq!(
            authors_in(
                "Aut·eur·rice·s de la ressource : Audrey Auriault
Licence : CC BY SA"
            ),
            ["Audrey Auriault"]
        );
        assert_eq!(
            authors_in("## Source\nTraduit par Lilian Ricaud à partir de What is a Retrospective?\n"),
            ["Lilian Ricaud (traduction)"]
        );
        assert_eq!(
            authors_in("# Titre\n\nCC-BY-SA Lilian Ricaud (http://www.lilianricaud.com/)\n"),
            ["Lilian Ricaud"]
        );
        assert_eq!(
            authors_in("## Source\n\nCC-BY-SA Lilian Ricaud\nwww.lilianricaud.com\n"),
            ["Lilian Ricaud"]
        );
        assert!(
            authors_in("## Bibliographie\n\nCC-BY-SA Université du Nous\n").is_empty(),
            "another work's holder"
        );
        assert_eq!(authors_in("Texte.\n\nLilian Ricaud \nCC-BY-SA\n"), ["Lilian Ricaud"]);
        assert_eq!(authors_in("Texte.\n\nCC-BY-SA\nLilian Ricaud \n"), ["Lilian Ricaud"]);
        assert!(authors_in("## Matériel\n\nPost-it\nCC-BY-SA\n").is_empty());
        assert_eq!(authors_in("* Fiche compilée par [D-SIDD](http://www.d-sidd.com)"), ["D-SIDD"]);
        assert!(authors_in("Les autrices : elles ont écrit ceci.").is_empty());
        assert!(authors_in("## Licence\nCC-BY-SA\n").is_empty());
        // pointbar/multibao-agfr2015 (the scorecard's fixture), after its mail links are dropped.
        assert_eq!(
            authors_in(
                "## Compilation\n* Thomas Wolff, publié sous licence Creative Commons BY-SA, sur la base du \
                 travail designed par [Agile Garden](www.agilegarden.fr/) et Julie Boiveau"
            ),
            ["Thomas Wolff"]
        );
        assert_eq!(
            authors_in(
                "# Sources\n* Compilé par Thomas Wolff, sous licence Creative Commons BY-SA\n> à complêter\n\
                 * **(1)** Photographies issues de [Agile42](http://www.agile42.com/), publié sous licence Creative \
                 Commons BY-SA"
            ),
            ["Thomas Wolff"]
        );
        assert!(authors_in("## Bibliographie\n* Ayeba, sous licence CC0\n").is_empty(), "another work's");
    }
}
