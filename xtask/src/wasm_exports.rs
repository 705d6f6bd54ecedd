//! Reads the export names of a wasm module, so that the build can drop the exports our bundle
//! never calls: `server_fn` (pulled by Leptos) exports wasm-streams' JS classes, which keeps
//! their code alive although no `<bao-*>` element uses them.

use anyhow::Context;

/// The names in the export section of `wasm`.
pub fn export_names(wasm: &[u8]) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::ExportSection(exports) = payload.context("reading the wasm module")? {
            for export in exports {
                names.push(export.context("reading an export")?.name.to_owned());
            }
        }
    }
    Ok(names)
}

/// The graph `wasm-metadce` reads: every export is listed, and the root reaches those to keep.
pub fn metadce_graph(exports: &[String], keep: impl Fn(&str) -> bool) -> String {
    let node = |name: &str| format!("export:{name}");
    let reached: Vec<String> = exports.iter().filter(|name| keep(name)).map(|name| node(name)).collect();
    let root = serde_json::json!({ "name": "root", "root": true, "reaches": reached });
    let graph: Vec<serde_json::Value> = std::iter::once(root)
        .chain(exports.iter().map(|name| serde_json::json!({ "name": node(name), "export": name })))
        .collect();
    serde_json::Value::Array(graph).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_export_names() {
        // (module (func) (export "a" (func 0)) (export "bc" (func 0)))
        let wasm = [
            0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 10, 2, 1, 97, 0, 0, 2, 98, 99, 0,
            0, 10, 4, 1, 2, 0, 11,
        ];
        assert_eq!(export_names(&wasm).unwrap(), vec!["a", "bc"]);
        assert!(export_names(b"nope").is_err());
    }

    #[test]
    fn graph_roots_only_the_kept_exports() {
        let graph = metadce_graph(&["keep".into(), "drop\"".into()], |name| name == "keep");
        let graph: serde_json::Value = serde_json::from_str(&graph).unwrap();
        assert_eq!(graph[0], serde_json::json!({ "name": "root", "root": true, "reaches": ["export:keep"] }));
        assert_eq!(graph[2], serde_json::json!({ "name": "export:drop\"", "export": "drop\"" }));
    }
}
