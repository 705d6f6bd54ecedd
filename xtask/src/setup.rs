//! Installs what the build and the tests need when the machine lacks it: Debian packages (as root,
//! through apt), the wikis the connectors are tested against, the Python validators of open data,
//! the wasm-bindgen CLI matching Cargo.lock, the npm packages of `tests/`.

use std::path::{Path, PathBuf};
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
    apt_install(packages)
}

/// Installs those of Debian `packages` that are not installed.
pub fn apt_packages(packages: &str) -> anyhow::Result<()> {
    let missing: Vec<&str> = packages
        .split_whitespace()
        .filter(|package| {
            let status = Command::new("dpkg-query").args(["-W", "-f=${Status}", package]).output();
            !status.is_ok_and(|out| String::from_utf8_lossy(&out.stdout).ends_with("installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    apt_install(&missing.join(" "))
}

fn apt_update() -> anyhow::Result<()> {
    let mut update_result = Ok(());
    APT_UPDATE.call_once(|| update_result = run(Command::new("apt-get").args(["update", "-q"])));
    update_result.context("apt-get update (installing packages needs root and Debian's apt)")
}

fn apt_install(packages: &str) -> anyhow::Result<()> {
    eprintln!("xtask: installing {packages} (Debian packages) …");
    apt_update()?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(packages.split_whitespace())
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Debian's nginx, for the tests and the benchmark of `deploy/nginx-site.conf`.
pub fn nginx() -> anyhow::Result<()> {
    apt_tool("/usr/sbin/nginx", "nginx")
}

/// PHP and Debian's MediaWiki and DokuWiki, unpacked (not installed) into `target/wikis/` for the
/// wiki connectors' tests, which install a fresh wiki from them per test
/// (`server/tests/it/common/wikis.rs`).
pub fn wikis(root: &Path) -> anyhow::Result<PathBuf> {
    apt_packages(
        "php-cli php-sqlite3 php-intl php-mbstring php-xml \
         php-phpseclib php-random-compat libphp-simplepie php-geshi",
    )?;
    let wikis = root.join("target/wikis");
    unpacked(&wikis, "mediawiki", "mediawiki mediawiki-classes")?;
    unpacked(&wikis, "dokuwiki", "dokuwiki")?;
    Ok(wikis)
}

/// Debian's WordPress (its French strings, a classic theme and a block theme, and the underscore
/// its block editor needs), unpacked into `target/wordpress/`, and MariaDB and PHP installed: the
/// browser tests run a real WordPress from them (`tests/e2e/wordpress.mjs`).
pub fn wordpress(root: &Path) -> anyhow::Result<PathBuf> {
    apt_packages("mariadb-server php-cli php-mysql php-curl php-mbstring php-xml")?;
    let target = root.join("target");
    unpacked(
        &target,
        "wordpress",
        "wordpress wordpress-l10n wordpress-theme-twentytwentyone wordpress-theme-twentytwentythree libjs-underscore",
    )?;
    Ok(target.join("wordpress"))
}

/// `packages`' files as they would be installed (`usr/`, `var/`, `etc/`), in `within/folder`,
/// unless these very packages are there already.
fn unpacked(within: &Path, folder: &str, packages: &str) -> anyhow::Result<()> {
    let list = within.join(folder).join("packages.unpacked");
    if std::fs::read_to_string(&list).ok().as_deref() == Some(packages) {
        return Ok(());
    }
    eprintln!("xtask: unpacking Debian's {packages} into {} …", within.display());
    let work = within.join(format!("{folder}.unpacking"));
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    apt_update()?;
    run(Command::new("apt-get").arg("download").args(packages.split_whitespace()).current_dir(&work))?;
    for entry in std::fs::read_dir(&work)? {
        let deb = entry?.path();
        if deb.extension().is_some_and(|extension| extension == "deb") {
            run(Command::new("dpkg").arg("-x").arg(&deb).arg(work.join("files")))?;
        }
    }
    if within.join(folder).exists() {
        std::fs::remove_dir_all(within.join(folder))?;
    }
    std::fs::rename(work.join("files"), within.join(folder))?;
    std::fs::remove_dir_all(&work)?;
    std::fs::write(list, packages)?;
    Ok(())
}

/// The Python tools of `tests/requirements.txt` (the open-data tests' validators), in a virtual
/// environment at `target/py/`; its `bin/` folder. Installed again when the requirements change.
pub fn python_tools(root: &Path) -> anyhow::Result<PathBuf> {
    apt_packages("python3 python3-venv")?;
    let venv = root.join("target/py");
    let requirements = std::fs::read_to_string(root.join("tests/requirements.txt"))?;
    let installed = venv.join("requirements.installed");
    if std::fs::read_to_string(&installed).ok().as_deref() != Some(requirements.as_str()) {
        eprintln!("xtask: installing tests/requirements.txt into {} …", venv.display());
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        run(Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(root.join("tests/requirements.txt")))?;
        std::fs::write(&installed, requirements)?;
    }
    Ok(venv.join("bin"))
}

/// Chromium, and the fonts the browser tests' pages name (`tests/e2e/support.mjs`), so that text
/// and the sizes that follow it are the same on every machine whatever fonts it happens to have.
pub fn chromium() -> anyhow::Result<()> {
    apt_tool("/usr/bin/chromium", "chromium")?;
    apt_packages(TEST_FONTS)
}

/// Debian's packages of the fonts the browser tests' pages name.
const TEST_FONTS: &str = "fonts-dejavu-core fonts-liberation";

/// `npm ci` in `tests/` when its packages are missing.
pub fn node_modules(root: &Path) -> anyhow::Result<()> {
    let tests = root.join("tests");
    let installed = ["playwright-core", "binaryen", "axe-core", "terser", "typescript"]
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
    #[derive(serde::Deserialize)]
    struct Lock {
        package: Vec<Package>,
    }
    #[derive(serde::Deserialize)]
    struct Package {
        name: String,
        version: String,
    }
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let lock: Lock = toml::from_str(&lock).context("reading Cargo.lock")?;
    let version = lock
        .package
        .into_iter()
        .find(|package| package.name == "wasm-bindgen")
        .map(|package| package.version)
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
