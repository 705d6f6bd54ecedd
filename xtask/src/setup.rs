//! Installs what the build and the tests need when the machine lacks it: Debian packages (as root,
//! through apt), the wasm-bindgen CLI matching Cargo.lock, the npm packages of `tests/`.

use std::path::Path;
use std::process::Command;
use std::sync::Once;

use anyhow::Context;

use crate::run;

static APT_UPDATE: Once = Once::new();

/// Installs Debian `packages` unless `probe` (a path or a command name) is already there.
pub fn apt_tool(probe: &str, packages: &str) -> anyhow::Result<()> {
    if Path::new(probe).exists() || which(probe) {
        return Ok(());
    }
    eprintln!("xtask: installing {packages} (Debian packages) …");
    let mut update_result = Ok(());
    APT_UPDATE.call_once(|| update_result = run(Command::new("apt-get").args(["update", "-q"])));
    update_result.context("apt-get update (installing packages needs root and Debian's apt)")?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(packages.split_whitespace())
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Debian's nginx, for the tests and the benchmark of `deploy/nginx-site.conf`.
pub fn nginx() -> anyhow::Result<()> {
    apt_tool("/usr/sbin/nginx", "nginx")
}

pub fn chromium() -> anyhow::Result<()> {
    apt_tool("/usr/bin/chromium", "chromium fonts-dejavu-core")
}

/// `npm ci` in `tests/` when its packages are missing.
pub fn node_modules(root: &Path) -> anyhow::Result<()> {
    let tests = root.join("tests");
    let installed = ["playwright-core", "binaryen", "axe-core", "terser"]
        .iter()
        .all(|package| tests.join("node_modules").join(package).exists());
    if installed {
        return Ok(());
    }
    apt_tool("npm", "nodejs npm")?;
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(tests))
}

/// The wasm-bindgen CLI at exactly the version of the `wasm-bindgen` crate in Cargo.lock.
pub fn wasm_bindgen_cli(root: &Path) -> anyhow::Result<()> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let version = lock
        .split("[[package]]")
        .find(|package| package.contains("name = \"wasm-bindgen\"\n"))
        .and_then(|package| package.lines().find_map(|line| line.strip_prefix("version = \"")))
        .map(|version| version.trim_end_matches('"').to_owned())
        .context("no wasm-bindgen in Cargo.lock")?;
    let installed = Command::new("wasm-bindgen").arg("--version").output();
    if installed
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == format!("wasm-bindgen {version}"))
    {
        return Ok(());
    }
    eprintln!("xtask: installing wasm-bindgen-cli {version} (once per machine, a few minutes) …");
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))
}

pub fn which(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|status| status.success())
}
