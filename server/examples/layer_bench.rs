//! `cargo xtask bench`, section `layers`: what the listener and each layer of the server cost. One
//! bare handler answering fixed bytes (a resource's JSON, as the server gives it), served by
//! axum's own `serve` (the baseline), then by the server's listener, then within each of
//! `http::LAYERS` added in turn, innermost first, each on a port of its own.
//!
//! `layer_bench <json-file>`; prints one JSON line `[{"name", "url"}, …]` once every port is bound,
//! and serves until standard input closes.

use std::io::Read;

use axum::Router;
use axum::http::header;
use axum::routing::get;
use bao_server::http::origin::OriginPolicy;
use bao_server::http::serve::{Limits, serve};
use bao_server::http::{LAYERS, layered};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: layer_bench <json-file>"))?;
    let body: &'static [u8] = Vec::leak(std::fs::read(&path)?);
    let bare = Router::new()
        .fallback(get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }));
    let mut served = Vec::new();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    served.push(("axum::serve, bare handler (baseline)".to_owned(), listener.local_addr()?));
    tokio::spawn(axum::serve(listener, bare.clone()).into_future());
    for count in 0..=LAYERS.len() {
        let name = match count {
            0 => "the server's listener (connection cap, header timeout), bare handler".to_owned(),
            _ => format!("+ {}", LAYERS[count - 1]),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        served.push((name, listener.local_addr()?));
        let router = layered(bare.clone(), OriginPolicy::default(), count);
        tokio::spawn(serve(listener, router, Limits::for_this_machine(), std::future::pending()));
    }
    let list: Vec<serde_json::Value> = served
        .iter()
        .map(|(name, address)| serde_json::json!({"name": name, "url": format!("http://{address}/")}))
        .collect();
    println!("{}", serde_json::Value::Array(list));
    // Until the bench closes our standard input.
    tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await??;
    Ok(())
}
