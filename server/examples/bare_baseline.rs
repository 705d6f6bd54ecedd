//! Benchmark baseline: a bare axum handler answering every GET with fixed JSON bytes (no
//! database, no middleware), to compare the real resource endpoint with in the same run.
//!
//! `bare_baseline <json-file>`; prints `listening on http://ADDR/` once bound on a free port.

use axum::Router;
use axum::http::header;
use axum::routing::get;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: bare_baseline <json-file>"))?;
    let body: &'static [u8] = Vec::leak(std::fs::read(&path)?);
    let app = Router::new()
        .fallback(get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening on http://{}/", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
