//! The commons as a dataset: a Frictionless Data Package (v2) of two CSV tables —
//! `resources.csv`, one row per resource with its attribution and licence (NC and ND flagged,
//! never dropped unless asked), and `bodies.csv`, each resource's full text as HTML — and the
//! same files as one zip. Written to files one resource at a time, from one snapshot of the store:
//! memory stays bounded whatever the size of the commons.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use bao_contract::{Licence, Resource};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::spreadsheet::Spreadsheet;
use super::{Addresses, Filter, formula_safe};
use crate::store::{Database, DbError};

/// The descriptor inside the zip: its files beside it.
pub const PACKAGE: &str = "datapackage.json";
/// The descriptor served on the web: its files at their addresses.
pub const WEB_PACKAGE: &str = "datapackage.web.json";
pub const RESOURCES_CSV: &str = "resources.csv";
pub const BODIES_CSV: &str = "bodies.csv";
pub const ZIP: &str = "commons.zip";
/// The resources table for a spreadsheet ([`super::spreadsheet`]).
pub const RESOURCES_XLSX: &str = "ressources.xlsx";
/// What the dataset holds, for the catalogue ([`Summary`]).
pub const SUMMARY: &str = "summary.json";

/// Why a dataset could not be written. None is the client's fault.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Database(#[from] DbError),
    #[error("écriture du jeu de données : {0}")]
    Io(#[from] std::io::Error),
    #[error("écriture du CSV : {0}")]
    Csv(#[from] csv::Error),
    #[error("écriture du zip : {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("écriture du descripteur : {0}")]
    Json(#[from] serde_json::Error),
    #[error("écriture du tableur : {0}")]
    Spreadsheet(#[from] rust_xlsxwriter::XlsxError),
}

/// What a dataset holds: enough for a catalogue to describe it without reading it again.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    pub resources: u64,
    /// Per network id: its name, address, resources and latest change.
    pub networks: BTreeMap<String, NetworkSummary>,
    /// Per licence label: its address and SPDX id when known, and how many resources use it.
    pub licences: BTreeMap<String, LicenceSummary>,
    /// When its resources last changed here (`YYYY-MM-DD`).
    pub modified: Option<String>,
    /// The tags most used, most used first.
    pub keywords: Vec<String>,
    /// The files' sizes in bytes, by name.
    pub bytes: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NetworkSummary {
    pub name: String,
    pub url: Option<String>,
    pub resources: u64,
    pub modified: Option<String>,
    /// The licence labels its resources use.
    pub licences: Vec<String>,
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LicenceSummary {
    pub spdx: Option<String>,
    pub url: Option<String>,
    pub open: bool,
    pub resources: u64,
}

/// A table's column: its name, its type (Table Schema), its heading for people, its description.
type Column = (&'static str, &'static str, &'static str, &'static str);

/// A table written, as its descriptor tells it.
struct Table {
    file: &'static str,
    columns: &'static [Column],
    bytes: u64,
    sha256: String,
}

/// The columns of `resources.csv`.
const RESOURCE_COLUMNS: &[Column] = &[
    ("id", "string", "Identifiant", "Identifiant stable de la ressource : il désigne toujours la même."),
    ("kind", "string", "Type", "fiche, temoignage ou video."),
    ("title", "string", "Titre", "Titre."),
    ("summary", "string", "Résumé", "Résumé."),
    ("authors", "string", "Auteurs", "Auteurs et autrices, séparés par « ; »."),
    ("network_id", "string", "Identifiant du réseau", "Identifiant du réseau qui la publie."),
    ("network_name", "string", "Réseau", "Nom du réseau qui la publie."),
    ("tags", "string", "Mots-clés", "Mots-clés, séparés par « ; »."),
    ("licence", "string", "Licence", "Licence, telle qu'affichée."),
    (
        "licence_spdx",
        "string",
        "Licence (SPDX)",
        "Identifiant SPDX de la licence quand elle et sa version sont connues.",
    ),
    ("licence_url", "string", "Adresse de la licence", "Texte ou résumé de la licence."),
    (
        "licence_open",
        "boolean",
        "Réutilisation libre",
        "Vrai quand la licence permet toute réutilisation (ni NC, ni ND, connue).",
    ),
    (
        "licence_restrictions",
        "string",
        "Restrictions",
        "NC, ND, ou « licence non précisée » : ce qui limite la réutilisation.",
    ),
    ("licence_raw", "string", "La source dit", "Les mots de la source d'où la licence a été lue."),
    (
        "source_url",
        "string",
        "Où elle est écrite",
        "Où la ressource est écrite (dépôt, wiki) ; vide quand sa source n'a pas d'adresse publique.",
    ),
    ("page_url", "string", "Sa page", "Sa page sur ce serveur."),
    ("lang", "string", "Langue", "Langue (BCP 47)."),
    ("updated", "date", "Mise à jour", "Dernière modification, quand la source la donne."),
];

/// The columns of `bodies.csv`.
const BODY_COLUMNS: &[Column] = &[
    ("id", "string", "Identifiant", "Identifiant de la ressource (resources.csv)."),
    ("body_html", "string", "Texte (HTML)", "Texte intégral en HTML (nettoyé : ni script ni style)."),
    ("transcript", "string", "Transcription", "Transcription d'un témoignage filmé."),
];

/// How many tags a summary names.
const KEYWORDS: usize = 20;

/// Writes the dataset of the resources `filter` keeps into `dir`: the two tables, both
/// descriptors, the zip and the summary.
pub fn write(
    db: &Database,
    filter: &Filter,
    addresses: &Addresses,
    dir: &Path,
) -> Result<Summary, ExportError> {
    std::fs::create_dir_all(dir)?;
    let (mut summary, tags) = write_tables(db, filter, addresses, dir)?;
    for (network, at) in db.last_change_by_network()? {
        if let Some(summary) = summary.networks.get_mut(&network) {
            summary.modified = Some(at.chars().take(10).collect());
        }
    }
    summary.modified = summary.networks.values().filter_map(|network| network.modified.clone()).max();
    let mut all_tags: BTreeMap<String, u64> = BTreeMap::new();
    for (network, counted) in &tags {
        for (tag, count) in counted {
            *all_tags.entry(tag.clone()).or_default() += count;
        }
        if let Some(summary) = summary.networks.get_mut(network) {
            summary.keywords = most_used(counted);
        }
    }
    summary.keywords = most_used(&all_tags);

    let mut tables = Vec::new();
    for (file, columns) in [(RESOURCES_CSV, RESOURCE_COLUMNS), (BODIES_CSV, BODY_COLUMNS)] {
        let (bytes, sha256) = size_and_hash(&dir.join(file))?;
        summary.bytes.insert(file.to_owned(), bytes);
        tables.push(Table { file, columns, bytes, sha256 });
    }
    for (descriptor, at_address) in [(PACKAGE, false), (WEB_PACKAGE, true)] {
        let path = |name: &str| if at_address { (addresses.file)(name, filter) } else { name.to_owned() };
        let package = package(&summary, filter, addresses, &tables, &path);
        std::fs::write(dir.join(descriptor), serde_json::to_vec_pretty(&package)?)?;
    }
    write_zip(dir)?;
    summary.bytes.insert(ZIP.to_owned(), std::fs::metadata(dir.join(ZIP))?.len());
    std::fs::write(dir.join(SUMMARY), serde_json::to_vec(&summary)?)?;
    Ok(summary)
}

/// Tags counted per network, then per tag.
type TagCounts = BTreeMap<String, BTreeMap<String, u64>>;

/// Writes the two tables and the spreadsheet, one resource at a time; what they hold, summed up
/// (without dates and keywords), and the tags they carry.
fn write_tables(
    db: &Database,
    filter: &Filter,
    addresses: &Addresses,
    dir: &Path,
) -> Result<(Summary, TagCounts), ExportError> {
    let mut resources = csv::Writer::from_writer(BufWriter::new(File::create(dir.join(RESOURCES_CSV))?));
    let mut bodies = csv::Writer::from_writer(BufWriter::new(File::create(dir.join(BODIES_CSV))?));
    resources.write_record(RESOURCE_COLUMNS.iter().map(|(name, ..)| *name))?;
    bodies.write_record(BODY_COLUMNS.iter().map(|(name, ..)| *name))?;
    let headings: Vec<&str> = RESOURCE_COLUMNS.iter().map(|(_, _, heading, _)| *heading).collect();
    let mut spreadsheet = Spreadsheet::new("Ressources", &headings, dir)?;
    let mut summary = Summary::default();
    let mut tags = TagCounts::new();
    db.for_each_resource(|resource: Resource, transcript| -> Result<(), ExportError> {
        let keep = filter.network.as_ref().is_none_or(|network| *network == resource.network.id)
            && (!filter.open_only || resource.licence.open);
        if !keep {
            return Ok(());
        }
        let updated = resource.updated.as_deref().filter(|date| is_date(date));
        let licence = &resource.licence;
        let resource_cells = [
            resource.id.as_str(),
            resource.kind.as_str(),
            &resource.title,
            &resource.summary,
            &resource.authors.join(" ; "),
            &resource.network.id,
            &resource.network.name,
            &resource.tags.join(" ; "),
            &licence.label,
            licence.spdx.as_deref().unwrap_or_default(),
            licence.url.as_deref().unwrap_or_default(),
            if licence.open { "true" } else { "false" },
            &restrictions(licence),
            licence.raw.as_deref().unwrap_or_default(),
            resource.source_url.as_deref().unwrap_or_default(),
            &(addresses.page)(&resource.id),
            &resource.lang,
            updated.unwrap_or_default(),
        ];
        spreadsheet.row(&resource_cells)?;
        resources.write_record(resource_cells.map(formula_safe).iter().map(|cell| cell.as_bytes()))?;
        let body_cells = [
            resource.id.as_str(),
            resource.body_html.as_deref().unwrap_or_default(),
            transcript.as_deref().unwrap_or_default(),
        ];
        bodies.write_record(body_cells.map(formula_safe).iter().map(|cell| cell.as_bytes()))?;
        summary.count(&resource);
        let network_tags = tags.entry(resource.network.id.clone()).or_default();
        for tag in &resource.tags {
            *network_tags.entry(tag.clone()).or_default() += 1;
        }
        Ok(())
    })?;
    resources.into_inner().map_err(|error| error.into_error())?.flush()?;
    spreadsheet.save(&dir.join(RESOURCES_XLSX))?;
    bodies.into_inner().map_err(|error| error.into_error())?.flush()?;
    Ok((summary, tags))
}

impl Summary {
    /// One more resource of the dataset: its network and its licence counted.
    fn count(&mut self, resource: &Resource) {
        let licence = &resource.licence;
        self.resources += 1;
        let network = self.networks.entry(resource.network.id.clone()).or_default();
        network.name.clone_from(&resource.network.name);
        network.url.clone_from(&resource.network.url);
        network.resources += 1;
        if !network.licences.contains(&licence.label) {
            network.licences.push(licence.label.clone());
        }
        let licence_summary = self.licences.entry(licence.label.clone()).or_default();
        licence_summary.spdx.clone_from(&licence.spdx);
        licence_summary.url.clone_from(&licence.url);
        licence_summary.open = licence.open;
        licence_summary.resources += 1;
    }
}

/// The zip of the descriptor and the two tables.
fn write_zip(dir: &Path) -> Result<(), ExportError> {
    let mut zip = zip::ZipWriter::new(BufWriter::new(File::create(dir.join(ZIP))?));
    // Deflate level 3: on the 100 000-resource corpus, 2.4 times faster than the default (6)
    // for a zip 6 % larger (BENCHMARKS.md).
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(3));
    for name in [PACKAGE, RESOURCES_CSV, BODIES_CSV] {
        zip.start_file(name, options)?;
        std::io::copy(&mut File::open(dir.join(name))?, &mut zip)?;
    }
    zip.finish()?.flush()?;
    Ok(())
}

/// The Data Package descriptor: the tables with their schemas, sizes and hashes, the licences
/// the resources use, the networks as contributors.
fn package(
    summary: &Summary,
    filter: &Filter,
    addresses: &Addresses,
    tables: &[Table],
    path: &dyn Fn(&str) -> String,
) -> Value {
    let title = match &filter.network {
        Some(network) => {
            let network_name = summary.networks.get(network).map_or(network.as_str(), |n| n.name.as_str());
            format!("Communs multiBàO — {network_name}")
        }
        None => "Communs multiBàO".to_owned(),
    };
    let title = if filter.open_only { format!("{title} (licences ouvertes seulement)") } else { title };
    let licences: Vec<Value> = summary
        .licences
        .iter()
        .filter(|(_, licence)| licence.spdx.is_some() || licence.url.is_some())
        .map(|(label, licence)| {
            let mut described = json!({ "title": label });
            if let Some(spdx) = &licence.spdx {
                described["name"] = spdx.clone().into();
            }
            if let Some(url) = &licence.url {
                described["path"] = url.clone().into();
            }
            described
        })
        .collect();
    let contributors: Vec<Value> = summary
        .networks
        .values()
        .map(|network| {
            let mut contributor = json!({ "title": network.name, "roles": ["publisher"] });
            if let Some(url) = &network.url {
                contributor["path"] = url.clone().into();
            }
            contributor
        })
        .collect();
    let resources: Vec<Value> = tables.iter().map(|table| table_resource(table, path)).collect();
    json!({
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": name(filter),
        "title": title,
        "description": "Fiches et témoignages sur les pratiques collaboratives, écrits par les réseaux du commun multiBàO, \
                        avec l'attribution et la licence de chacun (NC et ND signalées dans licence_restrictions). \
                        Une cellule qui commencerait par =, +, -, @, une tabulation ou un retour chariot \
                        est précédée d'une apostrophe, pour qu'aucun tableur ne l'exécute comme une formule.",
        "homepage": addresses.home,
        "keywords": summary.keywords,
        "licenses": licences,
        "contributors": contributors,
        "resources": resources,
    })
}

/// One table of the package as a Data Package resource: its file, size, hash and schema.
fn table_resource(Table { file, columns, bytes, sha256 }: &Table, path: &dyn Fn(&str) -> String) -> Value {
    let fields: Vec<Value> = columns
        .iter()
        .map(|(name, kind, _, description)| json!({ "name": name, "type": kind, "description": description }))
        .collect();
    let mut schema = json!({ "fields": fields });
    if *file == RESOURCES_CSV {
        schema["primaryKey"] = json!(["id"]);
    } else {
        schema["foreignKeys"] =
            json!([{ "fields": ["id"], "reference": { "resource": "resources", "fields": ["id"] } }]);
    }
    json!({
        "name": file.trim_end_matches(".csv"),
        "type": "table",
        "path": path(file),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": bytes,
        "hash": format!("sha256:{sha256}"),
        "schema": schema,
    })
}

/// The dataset's name: `multibao-communs`, or `multibao-<network>`; `-ouverts` when it holds
/// openly licensed resources only.
pub fn name(filter: &Filter) -> String {
    let name = filter
        .network
        .as_deref()
        .map_or("multibao-communs".to_owned(), |network| format!("multibao-{network}"));
    if filter.open_only { format!("{name}-ouverts") } else { name }
}

/// What keeps a resource from being reused freely, in words: `NC`, `ND`, or an unknown licence.
fn restrictions(licence: &Licence) -> String {
    if licence.open {
        return String::new();
    }
    let parts: Vec<&str> = licence.spdx.as_deref().unwrap_or(&licence.label).split([' ', '-']).collect();
    let found: Vec<&str> = ["NC", "ND"].into_iter().filter(|mark| parts.contains(mark)).collect();
    if found.is_empty() { "licence non précisée".to_owned() } else { found.join(" ") }
}

fn most_used(counted: &BTreeMap<String, u64>) -> Vec<String> {
    let mut tags: Vec<(&String, &u64)> = counted.iter().collect();
    tags.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    tags.into_iter().take(KEYWORDS).map(|(tag, _)| tag.clone()).collect()
}

/// `YYYY-MM-DD`: what the table's `date` column holds.
fn is_date(text: &str) -> bool {
    crate::calendar::parse_day(text).is_some()
}

fn size_and_hash(path: &Path) -> Result<(u64, String), std::io::Error> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 64 * 1024];
    let mut bytes = 0;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        bytes += read as u64;
        hasher.update(&buffer[..read]);
    }
    Ok((bytes, format!("{:x}", hasher.finalize())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restrictions_are_said_not_hidden() {
        let licence = |spdx: Option<&str>, label: &str, open: bool| Licence {
            spdx: spdx.map(str::to_owned),
            label: label.into(),
            open,
            ..Licence::default()
        };
        assert_eq!(restrictions(&licence(Some("CC-BY-SA-4.0"), "CC BY-SA 4.0", true)), "");
        assert_eq!(restrictions(&licence(Some("CC-BY-NC-ND-4.0"), "CC BY-NC-ND 4.0", false)), "NC ND");
        assert_eq!(restrictions(&licence(None, "CC BY-NC", false)), "NC");
        assert_eq!(restrictions(&licence(None, "Licence non précisée", false)), "licence non précisée");
        assert!(is_date("2024-03-01") && !is_date("2024-3-1") && !is_date("hier"));
    }
}
