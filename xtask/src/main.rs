//! Project automation, so that every job is one command on a fresh machine:
//! `cargo xtask demo`, `cargo xtask test`, `cargo xtask build-widget`, `cargo xtask bench`,
//! `cargo xtask wikis`, `cargo xtask fuzz`.

mod fuzz;
mod setup;
mod wasm_exports;
mod widget;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

const USAGE: &str = "usage: cargo xtask <demo | test [STEP…] | build-widget | bench | wikis | fuzz [SECONDS]>
  demo          build everything and start the server with the demo content (prints the URL)
  test [STEP…]  run every test, or only the steps named (below)
  build-widget  build the wasm bundle into target/widget-dist
  bench         measure sizes, load times and throughput (writes target/bench/), and say what
                moved since BENCHMARKS.json; `--check` fails on a regression beyond the run's
                noise, `--save` writes this run's figures into BENCHMARKS.json
  wikis         install PHP and unpack the wikis the connectors' tests run against (target/wikis)
  fuzz          run every fuzz target SECONDS each (300 by default), from a kept corpus";

fn main() -> anyhow::Result<()> {
    let task = std::env::args().nth(1).unwrap_or_default();
    let root = workspace_root();
    std::env::set_current_dir(&root)?;
    match task.as_str() {
        "build-widget" => widget::build(&root).map(|_| ()),
        "demo" => demo(&root),
        "test" => test(&root, &std::env::args().skip(2).collect::<Vec<_>>()),
        "bench" => bench(&root, std::env::args().skip(2).collect()),
        "wikis" => setup::wikis(&root).map(|_| ()),
        "fuzz" => {
            let seconds = std::env::args().nth(2).map_or(Ok(300), |text| text.parse());
            fuzz::fuzz(
                &root,
                seconds.context("fuzz SECONDS: a whole number of seconds")?,
                fuzz::Build::Optimised,
            )
        }
        _ => {
            eprintln!("{USAGE}\nsteps of `test`:");
            for (name, what) in TEST_STEPS {
                eprintln!("  {name:<12}  {what}");
            }
            bail!("unknown task {task:?}");
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Builds the widget and the server, then serves the demo until interrupted.
fn demo(root: &Path) -> anyhow::Result<()> {
    widget::build(root)?;
    run(Command::new("cargo").args(["build", "--release", "-p", "bao-server"]))?;
    let listen = std::env::var("BAO_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let mut serve = Command::new(root.join("target/release/multibao-embed"));
    serve.args(["--db", "target/demo.sqlite3", "serve", "--listen", &listen]);
    serve.args(["--demo-dir", "demo", "--widget-dir", "target/widget-dist"]);
    // The server syncs the demo's sources in the background as it starts (the sample fiches,
    // and the real multiBàO repositories when the workplace's copy is beside the clone).
    serve.args(["--sources", "demo/sources.toml"]);
    run(&mut serve)
}

/// Every test, in the order that fails fastest.
/// The steps of `cargo xtask test`, in the order they run, each with its own set-up.
const TEST_STEPS: [(&str, &str); 6] = [
    ("fmt", "formatting"),
    ("clippy", "lints of the workspace, as the tests are built"),
    ("rust", "unit, router and importer tests, against real wikis and validators"),
    ("widget", "the widget's lints and unit tests on the host, its scripts' types"),
    ("browser", "browser tests in headless Chromium against the real server"),
    ("fuzz", "a short run of every fuzz target"),
];

/// Runs the `chosen` steps of [`TEST_STEPS`], all of them when none is chosen.
fn test(root: &Path, chosen: &[String]) -> anyhow::Result<()> {
    if let Some(unknown) = chosen.iter().find(|step| !TEST_STEPS.iter().any(|(name, _)| name == step)) {
        let steps: Vec<&str> = TEST_STEPS.iter().map(|(name, _)| *name).collect();
        bail!("test: no step {unknown:?} (steps: {})", steps.join(", "));
    }
    for (step, _) in TEST_STEPS {
        if chosen.is_empty() || chosen.iter().any(|name| name == step) {
            test_step(root, step)?;
        }
    }
    Ok(())
}

fn test_step(root: &Path, step: &str) -> anyhow::Result<()> {
    match step {
        "fmt" => run(Command::new("cargo").args(["fmt", "--all", "--check"])),
        "clippy" => {
            run(linting(&mut Command::new("cargo")).args(["test", "--no-run", "--all-targets", "--locked"]))
        }
        "rust" => {
            // The wiki connectors' tests need real wikis, the open-data tests their validators:
            // here they must run, never skip.
            let wikis = setup::wikis(root)?;
            let python_tools = setup::python_tools(root)?;
            // The tests that read the real data are `#[ignore = "real data"]`: run when it is
            // there, reported as ignored (not passed) when it is not.
            let real_data = root.join("../shared/data/multibao");
            let with_real_data: &[&str] = match real_data.is_dir() {
                true => &["--", "--include-ignored"],
                false => {
                    eprintln!(
                        "{} is absent: the tests that read it are reported ignored",
                        real_data.display()
                    );
                    &[]
                }
            };
            run_within(
                linting(&mut Command::new("cargo"))
                    .args(["test", "--locked"])
                    .args(with_real_data)
                    .env("BAO_WIKIS", &wikis)
                    .env("BAO_REQUIRE_WIKIS", "1")
                    .env("BAO_PYTHON_TOOLS", &python_tools)
                    .env("BAO_REQUIRE_PYTHON_TOOLS", "1"),
                RUST_STEP_MINUTES,
            )
        }
        "widget" => {
            run(linting(&mut widget::host_cargo(root)).args([
                "test",
                "--locked",
                "-p",
                "bao-widget",
                "--lib",
            ]))?;
            // The scripts partners' pages run, checked against their JSDoc types.
            setup::node_modules(root)?;
            run(Command::new(root.join("tests/node_modules/.bin/tsc"))
                .args(["-p", "widget/js"])
                .current_dir(root))
        }
        "browser" => {
            widget::build(root)?;
            setup::chromium()?;
            setup::nginx()?;
            setup::wikis(root)?;
            setup::wordpress(root)?;
            setup::node_modules(root)?;
            // The server and the examples the browser tests start (`wiki_instance`), built as the
            // `rust` step builds them: after it, nothing to do.
            run(linting(&mut Command::new("cargo")).args(["test", "--locked", "--no-run"]))?;
            // The XSS corpus renders one payload in four on the one-page-per-resource surfaces
            // here (every payload on the others); `cargo xtask bench` renders them all.
            run_within(
                Command::new("npm")
                    .args(["run", "--silent", "e2e"])
                    .current_dir(root.join("tests"))
                    .env("BAO_XSS_SAMPLE", "4"),
                BROWSER_TESTS_MINUTES,
            )
        }
        // What it finds fails the tests (`cargo xtask fuzz` runs longer).
        _ => fuzz::fuzz(root, FUZZ_SECONDS_IN_TESTS, fuzz::Build::Unoptimised),
    }
}

/// The most the `rust` step's `cargo test` (its build, then every test) may take before it is
/// taken for a hang: measured from a clean clone on 2 cores, 5 min of build and 2 of tests.
const RUST_STEP_MINUTES: u64 = 40;

/// The most the browser tests may take once built (measured: about 8 min on 2 cores).
const BROWSER_TESTS_MINUTES: u64 = 25;

/// Seconds each fuzz target runs in `cargo xtask test`.
const FUZZ_SECONDS_IN_TESTS: u64 = 15;

fn bench(root: &Path, options: Vec<String>) -> anyhow::Result<()> {
    let mut node = Command::new("node");
    for option in &options {
        match option.as_str() {
            "--check" => node.env("BENCH_CHECK", "1"),
            "--save" => node.env("BENCH_SAVE", "1"),
            _ => bail!("bench: unknown option {option:?} (--check, --save)"),
        };
    }
    widget::build(root)?;
    setup::chromium()?;
    setup::node_modules(root)?;
    setup::apt_tool("wrk", "wrk")?;
    setup::nginx()?;
    setup::wikis(root)?;
    setup::wordpress(root)?;
    run(Command::new("cargo").args([
        "build",
        "--release",
        "--locked",
        "-p",
        "bao-server",
        "--bins",
        "--examples",
    ]))?;
    run(node.arg("bench/run.mjs").current_dir(root.join("tests")))
}

/// Makes cargo compile the workspace's own crates with clippy's lints (`-D warnings`), as
/// `cargo clippy` does for a check: the tests' build is then the lint, and the dependencies are
/// built once instead of checked, then built (from a clean clone on 2 cores: 14.4 min for the
/// workspace, was 8.4 + 8.9; 5.4 for the widget's host step, was 4.7 + 2.6). Every step sets it
/// alike, so that none rebuilds what another built.
fn linting(cargo: &mut Command) -> &mut Command {
    cargo
        .env("RUSTC_WORKSPACE_WRAPPER", "clippy-driver")
        .env("CLIPPY_ARGS", ["-D", "warnings"].map(|arg| format!("{arg}__CLIPPY_HACKERY__")).concat())
}

/// Runs a command, failing with its name when it fails.
pub fn run(command: &mut Command) -> anyhow::Result<()> {
    let status = command.status().with_context(|| format!("cannot start {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}

/// Runs a command that must end within `minutes`: past them it is stopped with every process
/// it started, and fails saying so. A test that never ends then fails CI in its step, with the
/// log of what ran, instead of holding the machine until CI's own limit says nothing.
fn run_within(command: &mut Command, minutes: u64) -> anyhow::Result<()> {
    let mut child = command.spawn().with_context(|| format!("cannot start {command:?}"))?;
    let deadline = Instant::now() + Duration::from_secs(minutes * 60);
    loop {
        if let Some(status) = child.try_wait()? {
            if !status.success() {
                bail!("{command:?} failed ({status})");
            }
            return Ok(());
        }
        if Instant::now() >= deadline {
            kill_with_descendants(child.id());
            let _ = child.wait();
            bail!("{command:?} was still running after {minutes} min: stopped (a test that never ends?)");
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// Kills a process and, first, every process it started, found through `/proc`.
fn kill_with_descendants(pid: u32) {
    let parent_of = |entry: std::fs::DirEntry| -> Option<(u32, u32)> {
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
        // The parent is the second field after the command's name, which is in parentheses.
        let ppid = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()?;
        Some((pid, ppid))
    };
    let processes: Vec<(u32, u32)> =
        std::fs::read_dir("/proc").into_iter().flatten().flatten().filter_map(parent_of).collect();
    for (child, _) in processes.iter().filter(|(_, parent)| *parent == pid) {
        kill_with_descendants(*child);
    }
    let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
}
