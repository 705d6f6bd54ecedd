//! What is not a fiche, whatever kind of source it comes from: test pages and drafts, templates
//! to copy, redirects and stubs, each skipped with the reason the sync prints. (Markdown has more
//! shapes an editor would not publish: see `multibao::editor`.)

use super::text::fold;

/// Fewer words than this is a stub.
const STUB_WORDS: usize = 20;

/// Why a page whose name or title says it is a test, a draft or a template is not a fiche.
pub fn test_page(name: &str, title: &str) -> Option<&'static str> {
    let words =
        |text: &str| fold(text).split(|c: char| !c.is_alphanumeric()).map(str::to_owned).collect::<Vec<_>>();
    let said = |text: &str| {
        let words = words(text);
        ["test", "tester", "essai", "brouillon", "sandbox"].iter().any(|word| words.iter().any(|w| w == word))
            || fold(text).contains("bac a sable")
    };
    if said(name) || said(title) {
        return Some("page d'essai ou brouillon (son nom le dit), pas une fiche");
    }
    // Only a file's name: "Modèle" begins many a title ("Le modèle coopératif").
    let name_words = words(name);
    let template = name_words.iter().any(|word| word == "template" || word == "gabarit")
        || (name_words.first().is_some_and(|word| word == "modele")
            && name_words.iter().skip(1).all(|word| ["", "de", "fiche", "vierge"].contains(&word.as_str())));
    template.then_some("modèle à copier (son nom le dit), pas une fiche")
}

/// Why a text is too short to be a fiche, if it is.
pub fn stub(text: &str) -> Option<&'static str> {
    let words = text.split_whitespace().filter(|word| word.chars().any(char::is_alphabetic)).count();
    (words < STUB_WORDS).then_some("ébauche (moins de 20 mots), pas une fiche")
}

/// Why a page that only sends its reader to another one is not a fiche: MediaWiki's
/// `#REDIRECT [[…]]` (`#REDIRECTION` in French) left as text, DokuWiki's `~~REDIRECT>…~~`.
pub fn redirect(text: &str) -> Option<&'static str> {
    let start = text.trim_start().to_lowercase();
    ["#redirect", "~~redirect>", "~~goto>"]
        .iter()
        .any(|marker| start.starts_with(marker))
        .then_some("redirection vers une autre page, pas une fiche")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tests_drafts_and_templates_say_so_in_their_names() {
        assert!(test_page("mur_nouveaux_contributeurs", "Une page pour te tester à l'écriture").is_some());
        assert!(test_page("demo_test", "Fiche Outil").is_some());
        assert!(test_page("BrouillonEssai", "Brouillon essai").is_some());
        assert!(test_page("kanban", "KANBAN").is_none() && test_page("contest", "Attestation").is_none());
        // A network's template: "# Titre / ## Sous-titre / Texte / Publié par [MonNom]".
        assert_eq!(
            test_page("template_reseautransition", "Template reseautransition"),
            Some("modèle à copier (son nom le dit), pas une fiche")
        );
        assert!(test_page("modele_de_fiche", "Titre").is_some());
        assert!(test_page("modele_cooperatif", "Le modèle coopératif").is_none());
    }

    #[test]
    fn redirects_and_stubs() {
        assert!(redirect("~~REDIRECT>espace:autre_page~~").is_some());
        assert!(redirect("  #REDIRECTION [[Autre page]]").is_some());
        assert!(redirect("Une redirection n'est pas le sujet de cette page.").is_none());
        assert!(stub("Page en cours de rédaction.").is_some());
        assert!(stub(&"mot ".repeat(20)).is_none());
    }
}
