//! The listener under idle, slow and too many connections (issue 17's faults), on a real socket:
//! 2 000 idle connections do not keep normal requests from being answered, a slowloris client is
//! let go, the connection cap holds; and who may set the public origin (issue 18, point 6).

use crate::common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bao_server::http::origin::OriginPolicy;
use bao_server::http::rate::ClientRate;
use bao_server::http::serve::{self, Limits};
use bao_server::{AppState, app};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A server on a free port with `limits` and `origin`, serving the demo's fiches.
async fn start(limits: Limits, origin: OriginPolicy) -> (tempfile::TempDir, SocketAddr) {
    start_with_rates(limits, origin, ClientRate::default(), ClientRate::default()).await
}

async fn start_with_rates(
    limits: Limits,
    origin: OriginPolicy,
    search_rate: ClientRate,
    api_rate: ClientRate,
) -> (tempfile::TempDir, SocketAddr) {
    let (dir, db) = common::temp_db();
    common::import(&db, "exemples-fiches");
    let search = common::search_index(&dir, &db);
    let router = app(AppState { origin, search_rate, api_rate, ..AppState::new(db, search) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(serve::serve(listener, router, limits, std::future::pending()));
    (dir, address)
}

/// One request on a fresh connection: the status line and the body.
async fn request(address: SocketAddr, path: &str, headers: &str) -> (String, String) {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nHost: bao.test\r\n{headers}Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (status, rest) = answer.split_once("\r\n").unwrap_or((&answer, ""));
    (status.to_owned(), rest.split_once("\r\n\r\n").map_or("", |(_, body)| body).to_owned())
}

/// True when the server closed `stream` (a read gives end of file or an error).
async fn closed_by_server(stream: &mut TcpStream, within: Duration) -> bool {
    let mut byte = [0u8; 1];
    matches!(tokio::time::timeout(within, stream.read(&mut byte)).await, Ok(Ok(0) | Err(_)))
}

const TIMEOUTS: Limits = Limits { max_connections: 4096, header_read_timeout: Duration::from_secs(1) };

#[tokio::test]
async fn idle_and_slow_connections_are_let_go_and_others_are_answered_meanwhile() {
    let (_dir, address) = start(TIMEOUTS, OriginPolicy::default()).await;
    let mut idle = Vec::new();
    for _ in 0..2000 {
        idle.push(TcpStream::connect(address).await.unwrap());
    }
    // A slowloris client: a request's headers, one byte at a time, never finished.
    let mut slow = TcpStream::connect(address).await.unwrap();
    slow.write_all(b"GET /api/v1/resources HTTP/1.1\r\nHost: bao.test\r\n").await.unwrap();

    let started = Instant::now();
    for _ in 0..6 {
        let (status, body) = request(address, "/api/v1/resources/exemples-cercle-de-parole", "").await;
        assert_eq!(status, "HTTP/1.1 200 OK", "{body}");
    }
    assert!(started.elapsed() < Duration::from_secs(1), "answered in {:?}", started.elapsed());

    for _ in 0..4 {
        let _ = slow.write_all(b"X").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(closed_by_server(&mut slow, Duration::from_secs(2)).await, "the slow client is let go");
    for stream in &mut idle {
        assert!(closed_by_server(stream, Duration::from_secs(2)).await, "an idle connection is let go");
    }
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_once_idle() {
    let (_dir, address) = start(TIMEOUTS, OriginPolicy::default()).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: bao.test\r\n\r\n").await.unwrap();
    let mut answer = [0u8; 512];
    let read = stream.read(&mut answer).await.unwrap();
    assert!(answer[..read].starts_with(b"HTTP/1.1 200 OK"));
    assert!(closed_by_server(&mut stream, Duration::from_secs(3)).await);
}

#[tokio::test]
async fn connections_over_the_cap_are_closed_at_once() {
    let limits = Limits { max_connections: 8, ..TIMEOUTS };
    let (_dir, address) = start(limits, OriginPolicy::default()).await;
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(TcpStream::connect(address).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut over = TcpStream::connect(address).await.unwrap();
    assert!(closed_by_server(&mut over, Duration::from_millis(500)).await);
    drop(held);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, _) = request(address, "/healthz", "").await;
    assert_eq!(status, "HTTP/1.1 200 OK", "slots come back");
}

/// `X-Forwarded-Host` from any client made `/integrer` offer snippets loading another site's
/// script. Now only a configured proxy is believed, and a configured public URL wins over all.
#[tokio::test]
async fn only_a_trusted_proxy_or_the_configuration_sets_the_public_origin() {
    let forged = "X-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n";
    let (_dir, address) = start(TIMEOUTS, OriginPolicy::default()).await;
    let (status, page) = request(address, "/integrer", forged).await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(!page.contains("evil.example") && page.contains("http://bao.test/embed.js"), "{page}");

    let proxied = OriginPolicy::new(None, vec!["127.0.0.1".parse().unwrap()]).unwrap();
    let (_dir, address) = start(TIMEOUTS, proxied).await;
    let forwarded = "X-Forwarded-Host: commun.example\r\nX-Forwarded-Proto: https\r\n";
    let (_, page) = request(address, "/integrer", forwarded).await;
    assert!(page.contains("https://commun.example/embed.js"), "{page}");

    let configured = OriginPolicy::new(Some("https://commun.example.org"), vec![]).unwrap();
    let (_dir, address) = start(TIMEOUTS, configured).await;
    let (_, page) = request(address, "/integrer", forged).await;
    assert!(!page.contains("evil.example") && page.contains("https://commun.example.org/embed.js"), "{page}");
    let (_, page) = request(address, "/r/exemples-cercle-de-parole", "Host: evil.example\r\n").await;
    assert!(page.contains("https://commun.example.org/r/exemples-cercle-de-parole"), "{page}");
}

/// Asks `paths` in turn as the client `headers` name: how many were answered, and how many were
/// refused with `refusal` said.
async fn answered_or_refused(
    address: SocketAddr,
    paths: impl Iterator<Item = String>,
    headers: &str,
    refusal: &str,
) -> (usize, usize) {
    let (mut answered, mut refused) = (0, 0);
    for path in paths {
        let (status, body) = request(address, &path, headers).await;
        match status.as_str() {
            "HTTP/1.1 200 OK" => answered += 1,
            "HTTP/1.1 429 Too Many Requests" => {
                refused += 1;
                assert!(body.contains(refusal), "{body}");
            }
            other => panic!("{other}: {body}"),
        }
    }
    (answered, refused)
}

/// One script looping on search cannot starve the others: past its rate it is answered 429
/// (problem+json, `Retry-After`), while another client's searches are all answered.
#[tokio::test]
async fn a_client_searching_in_a_loop_is_slowed_and_others_are_not() {
    let proxied = OriginPolicy::new(None, vec!["127.0.0.1".parse().unwrap()]).unwrap();
    let (_dir, address) =
        start_with_rates(TIMEOUTS, proxied, ClientRate::searches(10), ClientRate::default()).await;
    // Another client's first view of the search box: its answer is now kept, and kept answers of
    // a limited route are never given before the limit (the cache in front of the router).
    let (status, _) =
        request(address, "/fragments/search?q=cercle", "X-Forwarded-For: 203.0.113.9\r\n").await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    let paths = std::iter::repeat_n("/api/v1/search?q=cercle".to_owned(), 100);
    let (answered, refused) =
        answered_or_refused(address, paths, "X-Forwarded-For: 198.51.100.7\r\n", "Trop de recherches").await;
    assert!(
        (30..=40).contains(&answered) && refused == 100 - answered,
        "{answered} answered, {refused} refused"
    );
    for _ in 0..20 {
        let (status, _) =
            request(address, "/api/v1/search?q=cercle", "X-Forwarded-For: 203.0.113.9\r\n").await;
        assert_eq!(status, "HTTP/1.1 200 OK", "another client");
    }
    let (status, _) =
        request(address, "/fragments/search?q=cercle", "X-Forwarded-For: 198.51.100.7\r\n").await;
    assert_eq!(status, "HTTP/1.1 429 Too Many Requests", "the first view of the search box counts too");
}

/// 20 parallel requests to `/api/v1/resources` took a server from 113 MB to 1.24 GB: every API
/// answer computed counts against a rate per client, while answers the cache holds are given to
/// anyone, and other clients are answered.
#[tokio::test]
async fn a_client_asking_the_api_for_new_answers_in_a_loop_is_slowed() {
    let proxied = OriginPolicy::new(None, vec!["127.0.0.1".parse().unwrap()]).unwrap();
    let (_dir, address) =
        start_with_rates(TIMEOUTS, proxied, ClientRate::default(), ClientRate::api_answers(2)).await;
    let looping = "X-Forwarded-For: 198.51.100.7\r\n";
    let (status, _) = request(address, "/api/v1/networks", looping).await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    let paths = (1..=40).map(|limit| format!("/api/v1/resources?limit={limit}"));
    let (answered, refused) = answered_or_refused(address, paths, looping, "Trop de demandes").await;
    assert!(
        (5..=8).contains(&answered) && refused == 40 - answered,
        "{answered} answered, {refused} refused"
    );
    for path in ["/api/v1/networks", "/api/v1/resources?limit=1"] {
        let (status, _) = request(address, path, looping).await;
        assert_eq!(status, "HTTP/1.1 200 OK", "{path}: an answer the cache holds is not counted");
    }
    for path in ["/api/v1/resources?limit=41", "/api/v1/changes", "/api/v1/stats"] {
        let (status, _) = request(address, path, "X-Forwarded-For: 203.0.113.9\r\n").await;
        assert_eq!(status, "HTTP/1.1 200 OK", "{path}: another client");
    }
    for path in ["/api/v1/resources?limit=42", "/api/v1/changes", "/api/v1/stats"] {
        let (status, _) = request(address, path, looping).await;
        assert_eq!(status, "HTTP/1.1 429 Too Many Requests", "{path}");
    }
}

/// An IPv6 client has a whole /64 to change its address in: rates (and budgets) count the /64 as
/// one client, so that changing the last half of the address gives no new allowance.
#[tokio::test]
async fn an_ipv6_client_changing_its_address_within_its_network_keeps_one_rate() {
    let proxied = OriginPolicy::new(None, vec!["127.0.0.1".parse().unwrap()]).unwrap();
    let (_dir, address) =
        start_with_rates(TIMEOUTS, proxied, ClientRate::default(), ClientRate::api_answers(2)).await;
    let mut answered = 0;
    for n in 1..=20 {
        let from = format!("X-Forwarded-For: 2001:db8:5:6::{n:x}\r\n");
        let (status, _) = request(address, &format!("/api/v1/resources?limit={n}"), &from).await;
        answered += usize::from(status == "HTTP/1.1 200 OK");
    }
    assert!((5..=8).contains(&answered), "{answered} of 20 answered");
    let (status, _) =
        request(address, "/api/v1/resources?limit=21", "X-Forwarded-For: 2001:db8:5:7::1\r\n").await;
    assert_eq!(status, "HTTP/1.1 200 OK", "another /64 is another client");
}
