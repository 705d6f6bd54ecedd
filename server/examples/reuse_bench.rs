//! Reuse counts benchmark, for `cargo xtask bench`. Prints one JSON object.
//!
//! `reuse_bench <folder> <resources> <sites>`: a database of `resources` fiches in ten networks,
//! then one day on which every resource was shown on every site (`resources` × `sites` rows, as
//! the server writes them: one transaction per batch of counts): the time to write it, the bytes
//! it adds to the database file, and the time of a network's report and of the whole commons'
//! over that day (median of 3), against the baseline of counting the day's rows.

use std::time::Instant;

use bao_contract::reuse::{CountedElement, ReuseEvent};
use bao_contract::{Kind, Licence, NetworkRef, Resource};
use bao_server::reuse::ROW_CAP;
use bao_server::store::counts::CountKey;
use bao_server::store::{Database, NewResource, SourceUpdate};
use r2d2_sqlite::rusqlite::Connection;

const NETWORKS: usize = 10;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn fiche(index: usize) -> NewResource {
    let network =
        NetworkRef { id: format!("reseau-{}", index % NETWORKS), name: "Réseau".into(), url: None };
    let id = format!("reseau-{}-fiche-{index:05}", index % NETWORKS);
    NewResource {
        resource: Resource {
            id: id.clone(),
            kind: Kind::Fiche,
            title: format!("Fiche {index}"),
            summary: String::new(),
            image: None,
            authors: vec![],
            network,
            tags: vec![],
            licence: Licence::default(),
            source_url: Some(format!("https://example.org/{id}.md")),
            lang: "fr".into(),
            updated: None,
            body_html: Some("<p>texte</p>".into()),
            sources: vec![],
        },
        video: None,
        source_key: format!("o/r/{id}.md"),
        content_hash: id.clone(),
        provenance: Default::default(),
        edit_url: None,
        path: format!("{id}.md"),
    }
}

/// The database's bytes on disk, its write-ahead log folded in first.
fn bytes_on_disk(path: &std::path::Path) -> anyhow::Result<u64> {
    Connection::open(path)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
    Ok(std::fs::metadata(path)?.len())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [folder, resources, sites] = args.as_slice() else {
        anyhow::bail!("usage: reuse_bench <folder> <resources> <sites>");
    };
    let (resources, sites): (usize, usize) = (resources.parse()?, sites.parse()?);
    std::fs::create_dir_all(folder)?;
    let path = std::path::Path::new(folder).join("reuse.sqlite3");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let db = Database::open(&path)?;
    let files: Vec<NewResource> = (0..resources).map(fiche).collect();
    let networks: Vec<NetworkRef> =
        files.iter().take(NETWORKS).map(|file| file.resource.network.clone()).collect();
    db.store_source(&SourceUpdate {
        source_id: "s",
        networks: &networks,
        resources: &files,
        aliases: &[],
        sync: None,
    })?;
    let before = bytes_on_disk(&path)?;

    let day = bao_server::calendar::today();
    let started = Instant::now();
    for site in 0..sites {
        let batch: Vec<(CountKey, u64)> = files
            .iter()
            .map(|file| {
                let key = CountKey {
                    day,
                    resource: file.resource.id.clone(),
                    site: format!("www.association-{site:04}.fr"),
                    element: CountedElement::Card,
                    event: ReuseEvent::Display,
                };
                (key, 3)
            })
            .collect();
        db.add_reuse_counts(&batch, ROW_CAP)?;
    }
    let write_s = started.elapsed().as_secs_f64();
    let after = bytes_on_disk(&path)?;

    let conn = Connection::open(&path)?;
    let time = |run: &dyn Fn() -> anyhow::Result<()>| -> anyhow::Result<f64> {
        let mut runs = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            run()?;
            runs.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        Ok(median(runs))
    };
    let baseline_ms = time(&|| {
        conn.query_row(
            "SELECT count(*) FROM reuse_counts WHERE day = ?1",
            [bao_server::calendar::unix_days(day)],
            |row| row.get::<_, i64>(0),
        )?;
        Ok(())
    })?;
    let network_ms = time(&|| {
        db.reuse_stats(Some("reseau-3"), day, day)?;
        Ok(())
    })?;
    let commons_ms = time(&|| {
        db.reuse_stats(None, day, day)?;
        Ok(())
    })?;
    let rows = (resources * sites) as f64;
    println!(
        "{}",
        serde_json::json!({
            "resources": resources,
            "sites": sites,
            "rows": resources * sites,
            "write_s": write_s,
            "rows_per_s": rows / write_s,
            "bytes_added": after - before,
            "bytes_per_row": (after - before) as f64 / rows,
            "count_day_rows_ms": baseline_ms,
            "network_report_ms": network_ms,
            "commons_report_ms": commons_ms,
        })
    );
    Ok(())
}
