//! Reading a file as an editor of the commons would: whether it is a fiche at all, which words can
//! be its summary, which heading can be its title, who wrote it, and which folder names are themes.
//!
//! Not a fiche (skipped with the reason): a form left to fill in (five or more labels with nothing
//! after their colon, a third of its lines or more) or a page of placeholders ("Titre", "Texte");
//! an index (five links or more, holding 60 % of its letters or more); a table (60 % of the
//! letters in tables); a stub or a test page (no sentence of eight words, or under 20 words).

use bao_contract::Kind;

use super::markdown::TextShape;
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
    let words = body.split_whitespace().filter(|word| word.chars().any(char::is_alphabetic)).count();
    if words < 20 {
        return Some("ébauche (moins de 20 mots), pas une fiche");
    }
    None
}

/// Why a file whose name or title says it is a test or a draft is not a fiche.
pub fn test_page(stem: &str, title: &str) -> Option<&'static str> {
    let words =
        |text: &str| fold(text).split(|c: char| !c.is_alphanumeric()).map(str::to_owned).collect::<Vec<_>>();
    let said = |text: &str| {
        let words = words(text);
        ["test", "tester", "essai", "brouillon", "sandbox"].iter().any(|word| words.iter().any(|w| w == word))
            || fold(text).contains("bac a sable")
    };
    (said(stem) || said(title)).then_some("page d'essai ou brouillon (son nom le dit), pas une fiche")
}

/// Whether a paragraph can be a card's summary: prose of five words or more, not a photo credit
/// or a licence notice, not a line saying who wrote the fiche.
pub fn is_summary_prose(text: &str) -> bool {
    let words = text.split_whitespace().filter(|word| word.chars().any(char::is_alphabetic)).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    // A sentence ending on a colon introduces what follows; "À lire également" points elsewhere.
    let points_elsewhere =
        ["a lire", "lire aussi", "voir aussi", "a voir"].iter().any(|start| fold(text).starts_with(start));
    words >= 5 && letters >= 25 && !is_credit(text) && !text.trim_end().ends_with(':') && !points_elsewhere
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
/// réalisée par A" lines, or a "Contributeurs" section's names. Never guessed beyond that.
pub fn authors_in(markdown: &str) -> Vec<String> {
    let mut authors = Vec::new();
    let mut in_contributors = false;
    for line in markdown.lines() {
        let heading = line.trim_start().starts_with('#');
        if heading {
            let title = fold(line.trim_start_matches(['#', ' ']).trim().trim_end_matches([':', ' ']));
            in_contributors =
                ["contributeurs", "contributeur", "contributeur(s)", "contributeurs et contributrices"]
                    .contains(&title.as_str());
            continue;
        }
        let found = author_line(line).or_else(|| {
            // In a contributors section, the names are the links' words or what follows "par".
            in_contributors.then(|| contributors_of(line)).flatten()
        });
        for name in found.into_iter().flatten() {
            if !authors.contains(&name) {
                authors.push(name);
            }
        }
    }
    authors.truncate(8);
    authors
}

/// The names of an authorship line, if it is one.
fn author_line(line: &str) -> Option<Vec<String>> {
    let plain = plain_text(line);
    let folded = fold(&plain);
    let prefixes = [
        "auteur·e·s",
        "auteur.e.s",
        "auteur(s)",
        "auteures",
        "auteurs",
        "auteure",
        "auteur",
        "autrices",
        "autrice",
        "redige par",
        "redigee par",
        "ecrit par",
        "ecrite par",
        "fiche realisee par",
        "realise par",
        "realisee par",
    ];
    let prefix = prefixes.iter().find(|prefix| folded.starts_with(*prefix))?;
    // `fold` keeps the length of letters it folds only for the ASCII ones: cut by characters.
    let rest: String = plain.chars().skip(prefix.chars().count()).collect();
    let rest = rest.trim_start_matches([' ', ':', '\u{a0}']).trim();
    if rest.is_empty() || rest.len() > 160 {
        return None;
    }
    Some(split_names(rest))
}

fn contributors_of(line: &str) -> Option<Vec<String>> {
    let plain = plain_text(line);
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
            name.trim_end_matches(['.', ' ']).to_owned()
        })
        .filter(|name| !name.is_empty() && name.chars().count() <= 80)
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
        assert!(test_page("mur_nouveaux_contributeurs", "Une page pour te tester à l'écriture").is_some());
        assert!(test_page("demo_test", "Fiche Outil").is_some());
        assert!(test_page("kanban", "KANBAN").is_none() && test_page("contest", "Attestation").is_none());
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
}
