//! Where content comes from: a multiBàO Markdown repository (`multibao`, followed with git),
//! wikis (`wiki`) and other companion servers (`companion`). Each kind reads the place it follows into one [`Batch`]; [`import`] stores a
//! batch in one transaction. The helpers every kind shares — the HTML sanitiser, licences,
//! videos, the poster fetcher — live beside them.

pub mod companion;
pub mod config;
pub mod forge;
pub mod git;
pub mod licence;
pub mod multibao;
pub mod posters;
pub mod sanitize;
pub mod screening;
pub mod secrets;
pub mod sync;
pub mod text;
pub mod tree;
pub mod vetting;
pub mod video;
pub mod wiki;

use std::fmt;
use std::path::PathBuf;

use bao_contract::NetworkRef;

use crate::french::counted;
use crate::store::{Database, DbError, NewResource, SourceUpdate, StoreOutcome};

/// What a source holds, read and checked, not yet stored.
#[derive(Debug, Default)]
pub struct Batch {
    pub networks: Vec<NetworkRef>,
    pub resources: Vec<NewResource>,
    pub skipped: Vec<Skipped>,
    /// Parts imported with a remark (front matter that was not valid YAML…).
    pub warnings: Vec<Skipped>,
    /// Pages taken as the last sync read them, their revision unchanged: not asked again.
    pub reused: usize,
    /// Ids now another resource's (`old`, `current`), as another companion server says.
    pub aliases: Vec<(String, String)>,
    /// More was there than one sync reads: the next sync reads on from where this one stopped.
    pub unfinished: bool,
}

/// A part of a source that was not imported (or was, with a remark), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Default, Clone)]
pub struct ImportReport {
    pub stored: StoreOutcome,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Skipped>,
    /// Pages taken as the last sync read them (see [`Batch::reused`]).
    pub reused: usize,
    /// See [`Batch::unfinished`].
    pub unfinished: bool,
}

impl ImportReport {
    /// What storing `batch` did.
    pub fn of(batch: Batch, stored: StoreOutcome) -> ImportReport {
        ImportReport {
            stored,
            skipped: batch.skipped,
            warnings: batch.warnings,
            reused: batch.reused,
            unfinished: batch.unfinished,
        }
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let StoreOutcome { created, updated, unchanged, moved, merged, withdrawn } = self.stored;
        let said = [
            counted(&created, "ajoutée", "ajoutées"),
            counted(&updated, "mise à jour", "mises à jour"),
            counted(&unchanged, "inchangée", "inchangées"),
            counted(&moved, "déplacée", "déplacées"),
            counted(&merged, "copie réunie", "copies réunies"),
            counted(&withdrawn, "retirée", "retirées"),
            counted(&self.skipped.len(), "fichier ignoré", "fichiers ignorés"),
        ];
        writeln!(f, "{}.", said.join(", "))?;
        if self.reused > 0 {
            let reused =
                counted(&self.reused, "page reprise telle que lue", "pages reprises telles que lues");
            writeln!(f, "  {reused} au passage précédent (sans changement depuis)")?;
        }
        for skipped in &self.skipped {
            writeln!(f, "  ignoré : {} — {}", skipped.path, skipped.reason)?;
        }
        for warning in &self.warnings {
            writeln!(f, "  remarque : {} — {}", warning.path, warning.reason)?;
        }
        Ok(())
    }
}

/// Why an import could not run at all. (A bad part is skipped instead, see [`Skipped`].)
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("impossible de lire le dossier {path}: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{0} n'est pas un dossier")]
    NotADirectory(PathBuf),
    #[error("le dossier {path} contient plus de {limit} fichiers : ce n'est pas un dépôt de fiches")]
    TooManyFiles { path: PathBuf, limit: usize },
    #[error("{0}")]
    Git(#[from] git::GitError),
    #[error("{0}")]
    Wiki(#[from] wiki::WikiError),
    /// A companion server followed did not answer, or not as one.
    #[error("{0}")]
    Companion(String),
    #[error("{0} n'a pas été récupéré")]
    NotFetched(String),
    #[error("la base de données a refusé l'import (rien n'a été modifié): {0}")]
    Database(#[from] DbError),
}

/// Reads a repository's folder and stores what it holds, atomically: what it no longer holds is
/// withdrawn. `video_hosts`: the PeerTube instances the source declares (see [`vetting`]).
pub fn import(
    db: &Database,
    source_id: &str,
    source: &multibao::MultibaoRepository,
    video_hosts: &[String],
) -> Result<ImportReport, SourceError> {
    let mut batch = source.read()?;
    vetting::vet(&mut batch, video_hosts);
    let update = SourceUpdate {
        source_id,
        networks: &batch.networks,
        resources: &batch.resources,
        aliases: &batch.aliases,
        sync: None,
    };
    let stored = db.store_source(&update)?;
    Ok(ImportReport::of(batch, stored))
}

/// An HTTP client for what a source sends: time limits, and a user agent that says who asks and
/// for what (`purpose`).
pub fn http_agent(
    timeout: std::time::Duration,
    connect_timeout: std::time::Duration,
    purpose: &str,
) -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(connect_timeout))
            .user_agent(format!("multibao-embed/{} ({purpose})", env!("CARGO_PKG_VERSION")))
            .build(),
    )
}

/// Lowercase ASCII letters, digits and single dashes; other letters by their ASCII spelling
/// (`œ` → `oe`, `ß` → `ss`), so that an id reads like its title.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_spell_every_letter_in_ascii() {
        assert_eq!(
            slugify("videos_initiatives-rompre_isolement/Club des aînés"),
            "videos-initiatives-rompre-isolement-club-des-aines"
        );
        assert_eq!(slugify("Le cœur de l'Ægée, ñandú & Straße"), "le-coeur-de-l-aegee-nandu-strasse");
        assert_eq!(slugify("  --  "), "");
    }
}
