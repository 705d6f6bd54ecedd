//! `cargo xtask build-widget`: wasm32 builds of `widget/` (the modules of [`MODULES`]) →
//! wasm-bindgen → wasm-opt, into `target/widget-dist/` under content-hashed names, with their
//! brotli files and `manifest.json`, the list the server reads and hands to `embed.js`.
//!
//! With a wasm32 standard library installed (a normal rustup), the ordinary build is used. Without
//! one (these machines), Debian's `rustc-web` builds std from source: see shared notes.

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use bao_contract::{WidgetManifest, WidgetModule};
use sha2::{Digest, Sha256};

use crate::{run, setup, wasm_exports};

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";
/// Features the current rustc emits and wasm-opt must accept.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
    "--enable-mutable-globals",
];

/// Cargo for the widget's builds on the host. stylers uses a nightly library feature, and
/// `RUSTC_BOOTSTRAP` changes the build scripts' outputs of proc-macro2, anyhow and thiserror:
/// in the workspace's target directory every build after one of these would rebuild nearly
/// everything, so they keep their own.
pub fn host_cargo(root: &Path) -> Command {
    let mut cargo = Command::new("cargo");
    cargo.env("RUSTC_BOOTSTRAP", "1").env("CARGO_TARGET_DIR", root.join("target/host-nightly"));
    cargo
}

/// A wasm module of the bundle.
struct Module {
    /// What the manifest calls it.
    name: &'static str,
    /// The name wasm-bindgen gives its files.
    file_stem: &'static str,
    features: &'static [&'static str],
    /// The custom elements those features compile in.
    elements: &'static [&'static str],
}

/// The wasm modules of the bundle, smallest first. A page loads the smallest one that has every
/// interactive element it holds (see `embed.js`): the carousel, the search, or both. Cards need
/// none: their view is the server's.
const MODULES: [Module; 3] = [
    Module {
        name: "media",
        file_stem: "bao_media",
        features: &["--no-default-features", "--features", "csr,testimonials"],
        elements: &["bao-testimonials"],
    },
    Module {
        name: "search",
        file_stem: "bao_search",
        features: &["--no-default-features", "--features", "csr,search"],
        elements: &["bao-search"],
    },
    Module {
        name: "full",
        file_stem: "bao_widget",
        features: &["--no-default-features", "--features", "csr,search,testimonials"],
        elements: &["bao-testimonials", "bao-search"],
    },
];

/// Builds the bundle and returns the folder holding it.
pub fn build(root: &Path) -> anyhow::Result<PathBuf> {
    let out_dir = root.join("target/widget-dist");
    std::fs::create_dir_all(&out_dir)?;
    setup::wasm_bindgen_cli(root)?;
    setup::node_modules(root)?;
    // Files of earlier builds go: the manifest names only this build's.
    for entry in std::fs::read_dir(&out_dir)?.flatten() {
        std::fs::remove_file(entry.path()).ok();
    }
    let mut manifest = WidgetManifest { modules: Vec::new(), styles: write_styles(root, &out_dir)? };
    for module in &MODULES {
        build_module(root, &out_dir, module.file_stem, module.features)?;
        let glue = hashed(&out_dir, &format!("{}.js", module.file_stem))?;
        let wasm = hashed(&out_dir, &format!("{}_bg.wasm", module.file_stem))?;
        precompress(&out_dir, &[glue.clone(), wasm.clone()])?;
        manifest.modules.push(WidgetModule {
            name: module.name.into(),
            glue,
            wasm,
            elements: module.elements.iter().map(|element| (*element).to_owned()).collect(),
        });
    }
    std::fs::write(out_dir.join("manifest.json"), serde_json::to_string_pretty(&manifest)?)?;
    // The loader, joined and minified; its `/*!` licence header stays.
    let joined = out_dir.join("embed.joined.js");
    std::fs::write(&joined, joined_loader(root)?)?;
    minify_js(root, &joined, &out_dir.join("embed.js"), &["--comments", "/^!/"])?;
    std::fs::remove_file(joined)?;
    Ok(out_dir)
}

/// The loader's parts (`widget/js/embed/`), in the order they are joined: the first starts
/// everything at its end, the others hold only declarations it calls.
const LOADER_PARTS: [&str; 3] = ["loader.js", "counting.js", "replay.js"];

/// `embed.js`: the loader's parts in one function, so that none of their names reaches the host
/// page's globals, after the first part's licence header.
fn joined_loader(root: &Path) -> anyhow::Result<String> {
    let mut parts = Vec::new();
    for part in LOADER_PARTS {
        let path = root.join("widget/js/embed").join(part);
        parts
            .push(std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?);
    }
    let joined = parts.join("\n");
    let (header, body) = match joined.strip_prefix("/*!").and_then(|rest| rest.split_once("*/")) {
        Some((header, body)) => (format!("/*!{header}*/\n"), body),
        None => (String::new(), joined.as_str()),
    };
    Ok(format!("{header}(function () {{\n\"use strict\";\n{body}\n}})();\n"))
}

/// Writes each element's stylesheet as `{element}.{hash}.css` (with its brotli file) and returns
/// their names. They come from the widget's own code (`examples/styles.rs`), built for the host.
fn write_styles(root: &Path, out_dir: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let output = host_cargo(root)
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "--locked",
            "-p",
            "bao-widget",
            "--example",
            "styles",
            "--no-default-features",
        ])
        .args(["--features", "styles,ssr,search,testimonials"])
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("cannot start cargo run --example styles")?;
    anyhow::ensure!(output.status.success(), "cargo run --example styles failed ({})", output.status);
    let sheets: BTreeMap<String, String> = serde_json::from_slice(&output.stdout)?;
    let mut names = BTreeMap::new();
    for (element, css) in sheets {
        std::fs::write(out_dir.join(format!("{element}.css")), css)?;
        let name = hashed(out_dir, &format!("{element}.css"))?;
        precompress(out_dir, std::slice::from_ref(&name))?;
        names.insert(element, name);
    }
    Ok(names)
}

/// Renames `dir/file` to `stem.{hash}.ext`, the hash of its bytes, and returns the new name: a
/// file's name changes when and only when its content does, so it can be cached for ever.
fn hashed(dir: &Path, file: &str) -> anyhow::Result<String> {
    let bytes = std::fs::read(dir.join(file))?;
    let digest = Sha256::digest(&bytes);
    let hash: String = digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect();
    let (stem, extension) = file.rsplit_once('.').unwrap_or((file, ""));
    let name = format!("{stem}.{hash}.{extension}");
    std::fs::rename(dir.join(file), dir.join(&name))?;
    Ok(name)
}

/// Writes `{file}.br` beside each file, at brotli's best quality: the server sends it to browsers
/// that accept brotli. Compressing per request would have to settle for a fast, weaker quality.
/// Node's zlib does it (node is already needed for the build).
fn precompress(dir: &Path, files: &[String]) -> anyhow::Result<()> {
    const SCRIPT: &str = "const {readFileSync, writeFileSync} = require('node:fs');\
        const {brotliCompressSync, constants} = require('node:zlib');\
        for (const file of process.argv.slice(1)) writeFileSync(file + '.br', brotliCompressSync(readFileSync(file), \
        {params: {[constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: readFileSync(file).length}}));";
    run(Command::new("node").arg("-e").arg(SCRIPT).args(files.iter().map(|file| dir.join(file))))
        .context("brotli compression of the bundle (node)")
}

/// terser (npm): whitespace, comments and local names out of the JavaScript we serve.
fn minify_js(root: &Path, from: &Path, to: &Path, options: &[&str]) -> anyhow::Result<()> {
    run(Command::new(root.join("tests/node_modules/.bin/terser"))
        .arg(from)
        .args(["--compress", "--mangle"])
        .args(options)
        .arg("--output")
        .arg(to))
    .context("terser (npm package)")
}

/// Builds one module into `out_dir` as `{name}.js` and `{name}_bg.wasm`.
fn build_module(root: &Path, out_dir: &Path, name: &str, features: &[&str]) -> anyhow::Result<()> {
    let target_dir = root.join("target/wasm");
    let mut cargo = if rustup_has_wasm_std() {
        let mut cargo = Command::new("cargo");
        // stylers uses a nightly library feature.
        cargo.env("RUSTC_BOOTSTRAP", "1").args(["build", "--target", TARGET]);
        cargo
    } else {
        setup::apt_tool("/usr/lib/rustlib/src/rust", "rustc-web cargo-web rust-web-src lld")?;
        let mut cargo = Command::new("/usr/bin/cargo");
        cargo
            .env("RUSTC", "/usr/bin/rustc")
            .env("RUSTDOC", "/usr/bin/rustdoc")
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", "wasm-ld")
            // Panics abort at once, without formatting machinery: ~7 KB less brotli. The widget
            // does not panic (clippy denies unwrap/expect/panic); embed.js catches a trap.
            .env(
                "RUSTFLAGS",
                "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none",
            )
            .args([
                "build",
                "--target",
                TARGET,
                "-Zbuild-std=std,panic_abort",
                "-Zbuild-std-features=optimize_for_size",
            ]);
        cargo
    };
    run(cargo
        .args(["--locked", "--profile", PROFILE, "-p", "bao-widget", "--target-dir"])
        .arg(&target_dir)
        .args(features)
        .env_remove("CARGO_BUILD_TARGET"))?;
    let wasm = target_dir.join(TARGET).join(PROFILE).join("bao_widget.wasm");

    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-name", name, "--out-dir"])
        .arg(out_dir)
        .arg(&wasm))?;

    let optimized = out_dir.join(format!("{name}_bg.wasm"));
    drop_unused_exports(root, &optimized)?;
    let wasm_opt = || {
        let mut wasm_opt = Command::new(root.join("tests/node_modules/.bin/wasm-opt"));
        wasm_opt.args(["-Oz", "--converge"]).args(WASM_FEATURES).arg(&optimized).arg("-o").arg(&optimized);
        wasm_opt
    };
    // npm's wasm-opt is binaryen compiled to wasm, run by node: node once died under it (SIGILL)
    // and the same command then passed. Killed by a signal, it runs once more (it writes its
    // output only when done, so the input is whole); a failure it reports is a failure.
    let status = wasm_opt().status().context("cannot start wasm-opt (npm package binaryen)")?;
    if status.signal().is_some() {
        eprintln!("xtask: wasm-opt was killed ({status}): once more");
        run(&mut wasm_opt()).context("wasm-opt (npm package binaryen)")?;
    } else {
        anyhow::ensure!(status.success(), "wasm-opt (npm package binaryen) failed ({status})");
    }
    let glue = out_dir.join(format!("{name}.js"));
    minify_js(root, &glue, &glue, &["--module"])?;
    let size = std::fs::metadata(&optimized)?.len();
    eprintln!("xtask: module {name} in {} (wasm {size} bytes)", out_dir.display());
    Ok(())
}

/// Exports of wasm-streams' JS classes (`IntoUnderlyingSource`…), which Leptos's `server_fn`
/// brings in and no element of ours calls.
fn is_unused_export(name: &str) -> bool {
    name.contains("intounderlying")
}

/// Removes the exports no element calls, and the code only they reached (binaryen's metadce).
fn drop_unused_exports(root: &Path, wasm: &Path) -> anyhow::Result<()> {
    let exports = wasm_exports::export_names(&std::fs::read(wasm)?)?;
    let graph = wasm_exports::metadce_graph(&exports, |name| !is_unused_export(name));
    let graph_file = wasm.with_extension("metadce.json");
    std::fs::write(&graph_file, graph)?;
    run(Command::new(root.join("tests/node_modules/.bin/wasm-metadce"))
        .args(WASM_FEATURES)
        .arg("--graph-file")
        .arg(&graph_file)
        .arg(wasm)
        .arg("-o")
        .arg(wasm)
        // It lists every function it removes; the size printed at the end says enough.
        .stdout(std::process::Stdio::null()))
    .context("wasm-metadce (npm package binaryen)")?;
    std::fs::remove_file(graph_file)?;
    Ok(())
}

/// True when rustup's toolchain has a prebuilt wasm32 standard library.
fn rustup_has_wasm_std() -> bool {
    Command::new("rustc")
        .args(["--print", "target-libdir", "--target", TARGET])
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .is_some_and(|dir| Path::new(dir.trim()).join("libstd.rlib").exists() || has_std_rlib(dir.trim()))
}

fn has_std_rlib(dir: &str) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|entry| entry.file_name().to_string_lossy().starts_with("libstd-"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_is_its_parts_in_one_function_after_its_licence() -> anyhow::Result<()> {
        let root = crate::workspace_root();
        let loader = joined_loader(&root)?;
        assert!(loader.starts_with("/*! multibao-embed"), "{}", loader.lines().next().unwrap_or_default());
        let (_, body) = loader
            .split_once("*/\n(function () {\n\"use strict\";\n")
            .expect("one function after the header");
        assert!(body.trim_end().ends_with("})();"));
        for part in LOADER_PARTS {
            let text = std::fs::read_to_string(root.join("widget/js/embed").join(part))?;
            let last_line = text.trim_end().lines().last().unwrap_or_default();
            assert!(body.contains(last_line), "{part} is inside");
        }
        Ok(())
    }
}
