//! Reads the export names of a wasm module, so that the build can drop the exports our bundle
//! never calls: `server_fn` (pulled by Leptos) exports wasm-streams' JS classes, which keeps
//! their code alive although no `<bao-*>` element uses them.

use anyhow::{Context, bail};

/// The names in the export section of `wasm`.
pub fn export_names(wasm: &[u8]) -> anyhow::Result<Vec<String>> {
    if wasm.get(..8) != Some(b"\0asm\x01\0\0\0".as_slice()) {
        bail!("not a wasm module");
    }
    let mut reader = Reader { bytes: wasm, at: 8 };
    while reader.at < wasm.len() {
        let id = reader.byte()?;
        let size = reader.leb()? as usize;
        let end = reader.at + size;
        if id == 7 {
            let count = reader.leb()?;
            let mut names = Vec::with_capacity(count as usize);
            for _ in 0..count {
                let length = reader.leb()? as usize;
                let name = wasm.get(reader.at..reader.at + length).context("truncated export name")?;
                names.push(String::from_utf8(name.to_vec())?);
                reader.at += length;
                reader.byte()?; // kind
                reader.leb()?; // index
            }
            return Ok(names);
        }
        reader.at = end;
    }
    Ok(Vec::new())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> anyhow::Result<u8> {
        let byte = *self.bytes.get(self.at).context("truncated wasm module")?;
        self.at += 1;
        Ok(byte)
    }

    fn leb(&mut self) -> anyhow::Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        bail!("malformed LEB128 number")
    }
}

/// The graph `wasm-metadce` reads: every export is listed, and the root reaches those to keep.
pub fn metadce_graph(exports: &[String], keep: impl Fn(&str) -> bool) -> String {
    let node = |name: &str| format!("\"export:{}\"", name.replace('"', ""));
    let reached: Vec<String> = exports.iter().filter(|name| keep(name)).map(|name| node(name)).collect();
    let mut graph = format!("[{{\"name\":\"root\",\"root\":true,\"reaches\":[{}]}}", reached.join(","));
    for name in exports {
        graph.push_str(&format!(",{{\"name\":{},\"export\":\"{}\"}}", node(name), name.replace('"', "")));
    }
    graph.push(']');
    graph
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
        let graph = metadce_graph(&["keep".into(), "drop".into()], |name| name == "keep");
        assert!(graph.starts_with("[{\"name\":\"root\",\"root\":true,\"reaches\":[\"export:keep\"]}"));
        assert!(graph.contains("{\"name\":\"export:drop\",\"export\":\"drop\"}"));
    }
}
