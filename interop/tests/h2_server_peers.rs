//! Real HTTP/2 clients against the `h2_server` example (the sans-IO `http_codec::h2::Connection`
//! on tokio), started on 127.0.0.1 by each test: `curl --http2-prior-knowledge` (and curl's
//! `Upgrade: h2c`), `nghttp` (nghttp2-client) with concurrent requests and an upload, and
//! `h2load` with 10,000 requests over 10 connections. Bodies are larger than the initial window
//! (65,535) both ways, so flow control has to release them.
//!
//! These tests fail (never skip) when a peer or the example is missing: scripts/test.sh installs
//! curl, nghttp2-client and builds the examples.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::process::Command;
use std::time::Duration;

use interop::{ChildGuard, TempDir, find_program, fnv1a, run, start_example};

/// How long one client run may take before it is killed.
const RUN_TIME: Duration = Duration::from_secs(60);

/// `h2_server` on a fresh loopback port: the guard (which kills it) and the base URL.
fn server() -> (ChildGuard, String) {
    let (guard, port) = start_example("h2_server", &[], RUN_TIME * 3).unwrap();
    (guard, format!("http://127.0.0.1:{port}"))
}

/// Runs `program` (from `package`) with `args`; panics unless it exits 0.
fn run_ok(program: &str, package: &str, args: &[&str]) -> interop::Output {
    let path = find_program(program, &[], package).unwrap_or_else(|e| panic!("{e}"));
    let mut command = Command::new(path);
    command.args(args);
    let out = run(program, &mut command, RUN_TIME).expect("run the peer");
    assert!(
        out.status.success(),
        "{program} {args:?} failed ({}): {}",
        out.status,
        out.stderr
    );
    out
}

fn curl(args: &[&str]) -> interop::Output {
    let mut all = vec!["-sS", "--max-time", "30", "--noproxy", "*"];
    all.extend_from_slice(args);
    run_ok("curl", "curl", &all)
}

/// A body that is not periodic at any frame boundary, larger than the initial window.
fn upload(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| ((i * 7 + i / 16_384) % 256) as u8)
        .collect()
}

/// POSTs `len` octets to `/echo` with curl and `mode` (`--http2-prior-knowledge`, or `--http2`
/// for the Upgrade path, where the body goes over HTTP/1.1 and comes back on stream 1): the
/// answer is 200 over HTTP/2 and the echoed body equals what was sent.
fn curl_echo(dir: &TempDir, base: &str, mode: &str, len: usize) {
    let body = upload(len);
    let file = dir.join("body.bin");
    std::fs::write(&file, &body).unwrap();
    let echoed = dir.join("echoed.bin");
    let out = curl(&[
        mode,
        "--data-binary",
        &format!("@{}", file.display()),
        "-o",
        echoed.to_str().unwrap(),
        "-w",
        "%{http_version} %{http_code}",
        &format!("{base}/echo"),
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2 200");
    let echoed = std::fs::read(echoed).unwrap();
    assert_eq!(echoed.len(), body.len());
    assert!(echoed == body, "the echoed body differs");
}

#[test]
fn curl_prior_knowledge_hello_echo_big() {
    let (_server, base) = server();
    let out = curl(&[
        "--http2-prior-knowledge",
        "-w",
        "|%{http_version} %{http_code}",
        &format!("{base}/hello"),
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Hello, world!\n|2 200"
    );

    let dir = TempDir::new("h2-curl").unwrap();
    curl_echo(&dir, &base, "--http2-prior-knowledge", 300_000);

    let big = dir.join("big.bin");
    let out = curl(&[
        "--http2-prior-knowledge",
        "-o",
        big.to_str().unwrap(),
        "-w",
        "%{http_version} %{http_code}",
        &format!("{base}/big"),
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2 200");
    let big = std::fs::read(big).unwrap();
    let expected = interop::http1_server::big_body();
    assert_eq!(big.len(), expected.len());
    assert_eq!(fnv1a(&big), fnv1a(&expected), "GET /big differs");

    let out = curl(&[
        "--http2-prior-knowledge",
        "-w",
        "|%{http_code}",
        &format!("{base}/missing"),
    ]);
    assert!(
        String::from_utf8_lossy(&out.stdout).ends_with("|404"),
        "{:?}",
        out.stdout
    );
}

#[test]
fn curl_upgrades_to_h2c() {
    let (_server, base) = server();
    let out = curl(&[
        "--http2",
        "-v",
        "-w",
        "|%{http_version} %{http_code}",
        &format!("{base}/hello"),
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Hello, world!\n|2 200"
    );
    assert!(
        out.stderr.contains("101 Switching Protocols"),
        "{}",
        out.stderr
    );

    // The upgrading request's body is read over HTTP/1.1 and echoed on stream 1.
    let dir = TempDir::new("h2-upgrade").unwrap();
    curl_echo(&dir, &base, "--http2", 200_000);
}

#[test]
fn nghttp_concurrent_requests() {
    let (_server, base) = server();
    // Three URLs, each asked 10 times (-m), on one connection; -s prints one row per request.
    let out = run_ok(
        "nghttp",
        "nghttp2-client",
        &[
            "-n",
            "-s",
            "-m",
            "10",
            &format!("{base}/hello"),
            &format!("{base}/big"),
            &format!("{base}/missing"),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("/hello") || l.contains("/big") || l.contains("/missing"))
        .collect();
    assert_eq!(rows.len(), 30, "{stdout}");
    for row in &rows {
        let code = if row.contains("/missing") {
            "404"
        } else {
            "200"
        };
        assert!(row.split_whitespace().any(|w| w == code), "{row}");
    }
    assert!(
        rows.iter()
            .filter(|r| r.contains("/big"))
            .all(|r| r.contains(" 1M ") || r.contains("1024K")),
        "{stdout}"
    );

    // The announced stream limit is at least 100.
    let out = run_ok(
        "nghttp",
        "nghttp2-client",
        &["-nv", &format!("{base}/hello")],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let limit = stdout
        .lines()
        .skip_while(|l| !l.contains("recv SETTINGS"))
        .find_map(|l| {
            l.trim()
                .strip_prefix("[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):")?
                .strip_suffix(']')?
                .parse::<u32>()
                .ok()
        });
    assert!(limit.is_some_and(|n| n >= 100), "{stdout}");
}

#[test]
fn nghttp_upload_is_echoed() {
    let (_server, base) = server();
    let dir = TempDir::new("h2-nghttp").unwrap();
    let body = upload(500_000);
    let file = dir.join("body.bin");
    std::fs::write(&file, &body).unwrap();
    let out = run_ok(
        "nghttp",
        "nghttp2-client",
        &["-d", file.to_str().unwrap(), &format!("{base}/echo")],
    );
    assert_eq!(out.stdout.len(), body.len(), "{}", out.stderr);
    assert!(out.stdout == body, "the echoed body differs");
}

#[test]
fn h2load_ten_thousand_requests_all_succeed() {
    let (_server, base) = server();
    let out = run_ok(
        "h2load",
        "nghttp2-client",
        &[
            "-n",
            "10000",
            "-c",
            "10",
            "-m",
            "10",
            &format!("{base}/hello"),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("requests:"))
        .unwrap_or_else(|| panic!("no summary: {stdout}"));
    assert!(
        summary.contains("10000 total")
            && summary.contains("10000 done")
            && summary.contains("10000 succeeded")
            && summary.contains(" 0 failed")
            && summary.contains(" 0 errored"),
        "{summary}"
    );
    let status = stdout
        .lines()
        .find(|l| l.starts_with("status codes:"))
        .unwrap_or_default();
    assert!(status.contains("10000 2xx"), "{status}");
}
