//! Open-data benchmark, for `cargo xtask bench`. Prints one JSON object.
//!
//! `opendata_bench export <database> [runs]`: writes the database's dataset (the two tables, the
//! descriptors, the zip) — time (median of `runs`), sizes, and the memory it took (the process's
//! peak resident memory above what it held before) — against a baseline of reading the same rows
//! from the same snapshot without writing anything.
//!
//! `opendata_bench replicate <database> [runs]`: serves the database on a loopback port and
//! follows it from a fresh server (`kind = "bao"`): first sync, nothing new, then one resource
//! edited on the first server; medians of `runs`.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use bao_server::opendata::{Addresses, Filter, dataset};
use bao_server::sources::config::SourcesFile;
use bao_server::sources::sync::{SyncContext, SyncOutcome, sync_source};
use bao_server::store::{Database, DbError, SourceUpdate};
use bao_server::{AppState, app};

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A line of `/proc/self/status` in KiB (`VmRSS`, `VmHWM`).
fn memory_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| {
            line.strip_prefix(field)?.trim_start_matches(':').split_whitespace().next()?.parse().ok()
        })
        .unwrap_or(0)
}

fn export(db: &Database, runs: usize) -> anyhow::Result<serde_json::Value> {
    let page = |id: &str| format!("https://communs.example/r/{id}");
    let file = |name: &str, _: &Filter| format!("https://communs.example/export/{name}");
    let addresses = Addresses { home: "https://communs.example/".into(), page: &page, file: &file };
    let (mut baseline, mut written) = (Vec::new(), Vec::new());
    let (mut memory_kib_used, mut summary) = (0, dataset::Summary::default());
    for run in 0..runs {
        let started = Instant::now();
        let mut bytes = 0usize;
        db.for_each_resource(|resource, transcript| -> Result<(), DbError> {
            bytes += resource.body_html.map_or(0, |body| body.len()) + transcript.map_or(0, |t| t.len());
            Ok(())
        })?;
        std::hint::black_box(bytes);
        baseline.push(started.elapsed().as_secs_f64() * 1000.0);

        let dir = tempfile::tempdir()?;
        let before = memory_kib("VmRSS");
        let started = Instant::now();
        summary = dataset::write(db, &Filter::default(), &addresses, dir.path())?;
        written.push(started.elapsed().as_secs_f64() * 1000.0);
        if run == 0 {
            memory_kib_used = memory_kib("VmHWM").saturating_sub(before);
        }
    }
    Ok(serde_json::json!({
        "resources": summary.resources,
        "bytes": summary.bytes,
        "baseline_read_ms": median(baseline),
        "export_ms": median(written),
        "peak_memory_above_start_kib": memory_kib_used,
    }))
}

fn replicate(db: Database, runs: usize) -> anyhow::Result<serde_json::Value> {
    let runtime = tokio::runtime::Runtime::new()?;
    let scratch = tempfile::tempdir()?;
    let search = bao_server::search::SearchIndex::open(&scratch.path().join("search"))?;
    let router = app(AppState::new(db.clone(), search));
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let base = format!("http://{}/", listener.local_addr()?);
    runtime.spawn(async move { axum::serve(listener, router).await });
    let config = SourcesFile::parse(&format!(
        "[[source]]\nid = \"suivi\"\nkind = \"bao\"\nurl = \"{base}\"\nnetwork = {{ id = \"suivi\", name = \"Suivi\" }}\n"
    ))
    .map_err(anyhow::Error::msg)?
    .sources
    .remove(0);
    // The edit: a source's first record with a new sentence, stored again with the others.
    let (source, mut records) = {
        let source = db.sources()?.into_iter().next().context("a source to edit")?.id;
        let records = db.source_records(&source)?;
        (source, records)
    };
    let networks: Vec<_> = records.iter().map(|record| record.resource.network.clone()).collect();
    let (mut first, mut unchanged, mut edited, mut resources) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for run in 0..runs {
        let dir = tempfile::tempdir()?;
        let follower = Database::open(&dir.path().join("suivi.sqlite3"))?;
        let context = SyncContext::new(&dir.path().join("sources.toml"), &dir.path().join("suivi.sqlite3"));
        let report = sync_source(&follower, &context, &config);
        let SyncOutcome::Stored { report: stored, .. } = &report.outcome else {
            anyhow::bail!("{report}");
        };
        resources = stored.stored.created;
        first.push(report.duration.as_secs_f64() * 1000.0);
        unchanged.push(sync_source(&follower, &context, &config).duration.as_secs_f64() * 1000.0);

        let record = records.first_mut().context("a record")?;
        if let Some(body) = record.resource.body_html.as_mut() {
            body.push_str(&format!("<p>Modifié ({run}).</p>"));
        }
        record.content_hash = format!("edit-{run}");
        db.store_source(&SourceUpdate {
            source_id: &source,
            networks: &networks,
            resources: &records,
            aliases: &[],
            sync: None,
        })?;
        let after_edit = sync_source(&follower, &context, &config);
        anyhow::ensure!(after_edit.changed(), "the edit was not followed: {after_edit}");
        edited.push(after_edit.duration.as_secs_f64() * 1000.0);
    }
    Ok(serde_json::json!({
        "resources": resources,
        "first_ms": median(first),
        "unchanged_ms": median(unchanged),
        "one_edited_ms": median(edited),
    }))
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: opendata_bench export|replicate <database> [runs]";
    let mode = args.next().context(usage)?;
    let path = args.next().context(usage)?;
    let runs: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(3);
    let db = Database::open(Path::new(&path))?;
    let figures = match mode.as_str() {
        "export" => export(&db, runs)?,
        "replicate" => replicate(db, runs)?,
        _ => anyhow::bail!(usage),
    };
    println!("{figures}");
    Ok(())
}
