//! `cargo xtask fuzz [SECONDS]`: every fuzz target of `server/fuzz` (cargo fuzz, libFuzzer) for
//! SECONDS each (300 by default), optimised, from a corpus seeded with the demo's files and kept in
//! `target/fuzz/corpus/`; a crash fails the run and leaves its input in `target/fuzz/artifacts/`.
//! Writes what ran to `target/fuzz/report.json` (BENCHMARKS.md reads it). `cargo xtask test` runs
//! 15 s of each built unoptimised in `target/fuzz-dev/` (half the build time, a third the speed).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::{run, setup};

/// The targets, and the demo files each corpus starts from.
const TARGETS: &[(&str, Option<&str>)] = &[
    ("markdown_file", Some("demo/content/exemples-fiches")),
    ("wiki_markup", Some("server/tests/fixtures/wikis")),
    ("api_request", None),
    ("companion_page", None),
    ("sources_file", Some("demo/sources.toml")),
];
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// How the targets are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    Optimised,
    /// Faster to build: for short runs.
    Unoptimised,
}

pub fn fuzz(root: &Path, seconds: u64, build: Build) -> anyhow::Result<()> {
    install_cargo_fuzz()?;
    let (target_dir, profile) = match build {
        Build::Optimised => (root.join("target/fuzz"), None),
        Build::Unoptimised => (root.join("target/fuzz-dev"), Some("--dev")),
    };
    let mut report = serde_json::Map::new();
    run(cargo_fuzz(root, &target_dir)
        .args(["build", "--fuzz-dir", "server/fuzz", "-s", "none"])
        .args(profile))?;
    for (target, seeds) in TARGETS {
        let corpus = target_dir.join("corpus").join(target);
        std::fs::create_dir_all(&corpus)?;
        if let Some(seeds) = seeds {
            seed(&root.join(seeds), &corpus)?;
        }
        let artifacts = target_dir.join("artifacts").join(target);
        std::fs::create_dir_all(&artifacts)?;
        eprintln!("xtask: fuzzing {target} for {seconds} s …");
        let output = cargo_fuzz(root, &target_dir)
            .args(["run", "--fuzz-dir", "server/fuzz", "-s", "none"])
            .args(profile)
            .arg(target)
            .arg(&corpus)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .args(["-print_final_stats=1", "-rss_limit_mb=2048", "-timeout=10"])
            .output()
            .context("cargo fuzz run")?;
        let said = String::from_utf8_lossy(&output.stderr);
        let runs = said
            .lines()
            .find_map(|line| line.strip_prefix("stat::number_of_executed_units:"))
            .and_then(|runs| runs.trim().parse::<u64>().ok())
            .unwrap_or(0);
        let crashed = !output.status.success();
        eprintln!("xtask: {target}: {runs} inputs, {}", if crashed { "CRASH" } else { "no crash" });
        report.insert(
            (*target).to_owned(),
            serde_json::json!({ "seconds": seconds, "runs": runs, "crashes": u8::from(crashed) }),
        );
        if crashed {
            let tail: Vec<&str> = said.lines().rev().take(40).collect();
            bail!("{target} crashed:\n{}", tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
        }
    }
    std::fs::write(target_dir.join("report.json"), serde_json::to_string_pretty(&report)?)?;
    Ok(())
}

/// `cargo fuzz` on the nightly toolchain when the machine has one, else on stable with its
/// unstable flags allowed (cargo fuzz needs them).
fn cargo_fuzz(root: &Path, target_dir: &Path) -> Command {
    let nightly = Command::new("rustup").args(["toolchain", "list"]).output().is_ok_and(|out| {
        String::from_utf8_lossy(&out.stdout).lines().any(|line| line.starts_with("nightly"))
    });
    let mut command = Command::new("cargo");
    if nightly {
        command.arg("+nightly");
    } else {
        command.env("RUSTC_BOOTSTRAP", "1");
    }
    command.arg("fuzz").current_dir(root).env("CARGO_TARGET_DIR", target_dir);
    command
}

fn install_cargo_fuzz() -> anyhow::Result<()> {
    let installed = Command::new("cargo").args(["fuzz", "--version"]).output();
    if installed.is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains(CARGO_FUZZ_VERSION)) {
        return Ok(());
    }
    setup::apt_tool("g++", "g++")?;
    run(Command::new("cargo").args(["install", "cargo-fuzz", "--locked", "--version", CARGO_FUZZ_VERSION]))
}

/// Copies the files of `from` (a folder, recursively) into the corpus, once.
fn seed(from: &Path, corpus: &Path) -> anyhow::Result<()> {
    if std::fs::read_dir(corpus)?.next().is_some() {
        return Ok(());
    }
    if let Some(name) = from.file_name().filter(|_| from.is_file()) {
        std::fs::copy(from, corpus.join(name))?;
        return Ok(());
    }
    if !from.is_dir() {
        return Ok(());
    }
    let mut folders = vec![from.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if let Some(name) = path.file_name() {
                std::fs::copy(&path, corpus.join(name))?;
            }
        }
    }
    Ok(())
}
