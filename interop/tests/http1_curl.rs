//! The real `curl` against our HTTP/1.1 server (`interop::http1_server`, built on
//! `http_codec::ServerCodec`), in-process on 127.0.0.1; and hostile raw requests over a plain
//! socket, which must get a 400 and a closed connection.
//!
//! These tests fail (never skip) when curl is not installed: scripts/test.sh installs it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{Read, Write};
use std::process::Command;
use std::time::Duration;

use interop::http1_server::{self, BIG_CHUNK, BIG_SIZE, HELLO};
use interop::{IO_TIMEOUT, TempDir, find_program, fnv1a};

/// curl's own limit; the process is killed a little after it in any case.
const CURL_MAX_TIME: Duration = Duration::from_secs(10);

/// The curl binary; panics (fails the test) with how to install it when it is missing.
fn curl_program() -> std::path::PathBuf {
    find_program("curl", &[], "curl").unwrap_or_else(|e| panic!("{e}"))
}

/// Our server on a fresh loopback port. Every test here starts with it, and it checks for curl
/// first, so no test of this file passes on a machine without curl, not even the raw ones.
fn start_server() -> u16 {
    curl_program();
    http1_server::start(IO_TIMEOUT).expect("start the codec's HTTP/1.1 server")
}

/// The base URL of our server on a fresh loopback port.
fn server() -> String {
    format!("http://127.0.0.1:{}", start_server())
}

/// Runs curl with `-sS --max-time 10` and `args`; panics unless it exits 0.
fn curl(args: &[&str]) -> interop::Output {
    let mut command = Command::new(curl_program());
    command
        .args(["-sS", "--max-time"])
        .arg(CURL_MAX_TIME.as_secs().to_string())
        .args(["--noproxy", "*"])
        .args(args);
    let out = interop::run("curl", &mut command, CURL_MAX_TIME + Duration::from_secs(5))
        .expect("run curl");
    assert!(
        out.status.success(),
        "curl {args:?} failed ({}): {}",
        out.status,
        out.stderr
    );
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Header lines of a verbose curl transcript: `prefix` is `"> "` (sent) or `"< "` (received).
fn verbose_lines(stderr: &str, prefix: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .map(|l| l.trim_end().to_owned())
        .collect()
}

fn has_line(lines: &[String], wanted: &str) -> bool {
    lines.iter().any(|l| l.eq_ignore_ascii_case(wanted))
}

#[test]
fn curl_is_installed() {
    curl_program();
}

#[test]
fn keep_alive_across_two_urls() {
    let base = server();
    let out = curl(&[
        "--http1.1",
        "-v",
        "-w",
        "|%{http_code} %{num_connects} %{size_download}\n",
        &format!("{base}/hello"),
        &format!("{base}/missing"),
    ]);
    assert_eq!(
        text(&out.stdout),
        "Hello, world!\n|200 1 14\n404 Not Found\n|404 0 14\n",
        "stderr: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("Re-using existing connection"),
        "curl did not reuse the connection: {}",
        out.stderr
    );
    let received = verbose_lines(&out.stderr, "< ");
    assert!(has_line(&received, "HTTP/1.1 200 OK"), "{received:?}");
    assert!(
        has_line(&received, "HTTP/1.1 404 Not Found"),
        "{received:?}"
    );
    assert!(has_line(&received, "Content-Length: 14"), "{received:?}");
    assert!(!has_line(&received, "Connection: close"), "{received:?}");
}

#[test]
fn post_chunked_request_body_is_echoed_with_a_trailer() {
    let base = server();
    let dir = TempDir::new("curl-chunked").unwrap();
    let body: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let file = dir.join("body.bin");
    std::fs::write(&file, &body).unwrap();
    let headers = dir.join("headers.txt");
    let out = curl(&[
        "--http1.1",
        "-v",
        "-H",
        "Transfer-Encoding: chunked",
        "--data-binary",
        &format!("@{}", file.display()),
        "-D",
        headers.to_str().unwrap(),
        "-w",
        "%{http_code}",
        "-o",
        dir.join("out.bin").to_str().unwrap(),
        &format!("{base}/echo"),
    ]);
    assert_eq!(text(&out.stdout), "200");
    let echoed = std::fs::read(dir.join("out.bin")).unwrap();
    assert_eq!(echoed.len(), body.len());
    assert!(echoed == body, "the echoed body differs from the file");
    let sent = verbose_lines(&out.stderr, "> ");
    assert!(has_line(&sent, "Transfer-Encoding: chunked"), "{sent:?}");
    assert!(
        !sent.iter().any(|l| l.starts_with("Content-Length")),
        "{sent:?}"
    );
    let dumped = std::fs::read_to_string(headers).unwrap();
    let dumped: Vec<String> = dumped.lines().map(|l| l.trim_end().to_owned()).collect();
    assert!(has_line(&dumped, "HTTP/1.1 200 OK"), "{dumped:?}");
    assert!(
        has_line(&dumped, "Transfer-Encoding: chunked"),
        "{dumped:?}"
    );
    assert!(has_line(&dumped, "Trailer: X-Body-Length"), "{dumped:?}");
    // curl hands the trailer to its header output after the body.
    assert!(has_line(&dumped, "X-Body-Length: 100000"), "{dumped:?}");
}

#[test]
fn raw_chunked_response_bytes() {
    let base = server();
    let out = curl(&[
        "--http1.1",
        "--raw",
        "--data-binary",
        "hello",
        &format!("{base}/echo"),
    ]);
    assert_eq!(
        text(&out.stdout),
        "5\r\nhello\r\n0\r\nX-Body-Length: 5\r\n\r\n",
        "the chunked coding as it went over the wire"
    );
}

#[test]
fn expect_100_continue() {
    let base = server();
    let dir = TempDir::new("curl-expect").unwrap();
    let body: Vec<u8> = (0..4096u32).map(|i| b'a' + (i % 26) as u8).collect();
    let file = dir.join("body.txt");
    std::fs::write(&file, &body).unwrap();
    let out = curl(&[
        "--http1.1",
        "-v",
        "-H",
        "Expect: 100-continue",
        "--expect100-timeout",
        "5",
        "--data-binary",
        &format!("@{}", file.display()),
        &format!("{base}/echo"),
    ]);
    assert!(out.stdout == body, "echo: {}", text(&out.stdout));
    let sent = verbose_lines(&out.stderr, "> ");
    assert!(has_line(&sent, "Expect: 100-continue"), "{sent:?}");
    assert!(has_line(&sent, "Content-Length: 4096"), "{sent:?}");
    let received = verbose_lines(&out.stderr, "< ");
    let interim = received.iter().position(|l| l == "HTTP/1.1 100 Continue");
    let last = received.iter().position(|l| l == "HTTP/1.1 200 OK");
    assert!(
        matches!((interim, last), (Some(a), Some(b)) if a < b),
        "want 100 Continue then 200 OK: {received:?}"
    );
    assert!(
        !out.stderr.contains("Done waiting for 100-continue"),
        "curl gave up waiting for 100 Continue: {}",
        out.stderr
    );
}

#[test]
fn head_has_headers_only() {
    let base = server();
    let out = curl(&[
        "--http1.1",
        "-I",
        "-w",
        "|%{http_code} %{size_download}",
        &format!("{base}/hello"),
    ]);
    let stdout = text(&out.stdout);
    let (head, stats) = stdout.split_once('|').unwrap();
    assert_eq!(stats, "200 0");
    let lines: Vec<String> = head.lines().map(|l| l.trim_end().to_owned()).collect();
    assert_eq!(lines[0], "HTTP/1.1 200 OK");
    assert!(has_line(&lines, "Content-Length: 14"), "{lines:?}");
    assert!(has_line(&lines, "Content-Type: text/plain"), "{lines:?}");
    assert!(head.ends_with("\r\n\r\n"), "{head:?}");
    assert!(
        !head.contains("Hello"),
        "a HEAD response with a body: {head:?}"
    );
}

#[test]
fn http10_closes_unless_keep_alive_is_asked() {
    let base = server();
    // HTTP/1.0 without keep-alive: one connection per request, each closed by the server,
    // and no chunked coding (the 1 MiB body comes with a Content-Length).
    let out = curl(&[
        "--http1.0",
        "-v",
        "-w",
        "|%{http_code} %{num_connects} %{size_download}\n",
        "-o",
        "/dev/null",
        &format!("{base}/hello"),
        "-o",
        "/dev/null",
        &format!("{base}/big"),
    ]);
    assert_eq!(
        text(&out.stdout),
        format!("|200 1 14\n|200 1 {BIG_SIZE}\n"),
        "{}",
        out.stderr
    );
    let sent = verbose_lines(&out.stderr, "> ");
    assert!(has_line(&sent, "GET /hello HTTP/1.0"), "{sent:?}");
    let received = verbose_lines(&out.stderr, "< ");
    assert!(has_line(&received, "Connection: close"), "{received:?}");
    assert!(has_line(
        &received,
        format!("Content-Length: {BIG_SIZE}").as_str()
    ));
    assert!(
        !has_line(&received, "Transfer-Encoding: chunked"),
        "{received:?}"
    );

    // HTTP/1.0 asking for keep-alive: the second request reuses the connection.
    let out = curl(&[
        "--http1.0",
        "-v",
        "-H",
        "Connection: keep-alive",
        "-w",
        "|%{http_code} %{num_connects}\n",
        &format!("{base}/hello"),
        "--next",
        "--http1.0",
        "-v",
        "-H",
        "Connection: keep-alive",
        "-w",
        "|%{http_code} %{num_connects}\n",
        "--data-binary",
        "ping",
        &format!("{base}/echo"),
    ]);
    assert_eq!(
        text(&out.stdout),
        "Hello, world!\n|200 1\nping|200 0\n",
        "{}",
        out.stderr
    );
    let received = verbose_lines(&out.stderr, "< ");
    assert!(
        has_line(&received, "Connection: keep-alive"),
        "{received:?}"
    );
    assert!(has_line(&received, "X-Body-Length: 4"), "{received:?}");
    assert!(!has_line(&received, "Connection: close"), "{received:?}");
}

#[test]
fn one_mebibyte_chunked_download() {
    let base = server();
    let dir = TempDir::new("curl-big").unwrap();
    let file = dir.join("big.bin");
    let out = curl(&[
        "--http1.1",
        "-v",
        "-w",
        "%{http_code} %{size_download}",
        "-o",
        file.to_str().unwrap(),
        &format!("{base}/big"),
    ]);
    assert_eq!(text(&out.stdout), format!("200 {BIG_SIZE}"));
    let received = verbose_lines(&out.stderr, "< ");
    assert!(
        has_line(&received, "Transfer-Encoding: chunked"),
        "{received:?}"
    );
    let got = std::fs::read(&file).unwrap();
    let want = http1_server::big_body();
    assert_eq!(got.len(), BIG_SIZE);
    assert_eq!(
        fnv1a(&got),
        fnv1a(&want),
        "the downloaded body differs from what the server sent"
    );
    assert!(got == want);

    // The same download without decoding the chunked coding: 64 chunks of 16 KiB, then the
    // last-chunk and an empty trailer section.
    let raw = curl(&["--http1.1", "--raw", &format!("{base}/big")]).stdout;
    let mut rest = &raw[..];
    for (i, piece) in want.chunks(BIG_CHUNK).enumerate() {
        let size = format!("{BIG_CHUNK:x}\r\n");
        assert!(
            rest.starts_with(size.as_bytes()),
            "chunk {i}: bad size line"
        );
        rest = &rest[size.len()..];
        assert!(rest.starts_with(piece), "chunk {i}: bad data");
        rest = &rest[piece.len()..];
        assert!(
            rest.starts_with(b"\r\n"),
            "chunk {i}: no CRLF after the data"
        );
        rest = &rest[2..];
    }
    assert_eq!(text(rest), "0\r\n\r\n");
}

/// Sends `request` raw, reads until the server closes; returns everything it sent.
fn raw_exchange(request: &[u8]) -> String {
    let mut stream = interop::connect(start_server()).unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    // Ends with Ok only if the server closed the connection (a read timeout is an error).
    stream
        .read_to_end(&mut response)
        .unwrap_or_else(|e| panic!("the server did not close the connection: {e}"));
    text(&response)
}

#[test]
fn hostile_requests_get_400_and_a_closed_connection() {
    let cases: &[(&str, &[u8])] = &[
        (
            "Content-Length with Transfer-Encoding (request smuggling)",
            b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n",
        ),
        (
            "two different Content-Lengths",
            b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        ),
        (
            "whitespace before the colon",
            b"GET /hello HTTP/1.1\r\nHost: a\r\nX-Smuggle : 1\r\n\r\n",
        ),
        (
            "obs-fold",
            b"GET /hello HTTP/1.1\r\nHost: a\r\nX-Folded: a\r\n b\r\n\r\n",
        ),
        (
            "bare LF",
            b"GET /hello HTTP/1.1\nHost: a\n\n",
        ),
        (
            "no Host in HTTP/1.1",
            b"GET /hello HTTP/1.1\r\n\r\n",
        ),
        (
            "bad chunk size",
            b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        ),
        (
            "chunked not last",
            b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
        ),
    ];
    for (what, request) in cases {
        let response = raw_exchange(request);
        assert!(
            response.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{what}: {response:?}"
        );
        assert!(
            response.contains("\r\nConnection: close\r\n"),
            "{what}: {response:?}"
        );
        assert_eq!(
            response.matches("HTTP/1.1 ").count(),
            1,
            "{what}: a second response after the refusal: {response:?}"
        );
    }
}

#[test]
fn a_valid_request_then_a_hostile_one_on_the_same_connection() {
    let response = raw_exchange(
        b"GET /hello HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    );
    let (first, second) = response
        .split_once("Hello, world!\n")
        .unwrap_or_else(|| panic!("no first response: {response:?}"));
    assert!(first.starts_with("HTTP/1.1 200 OK\r\n"), "{first:?}");
    assert!(
        second.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "{second:?}"
    );
    assert!(second.contains("\r\nConnection: close\r\n"), "{second:?}");
    assert_eq!(HELLO, b"Hello, world!\n");
}

#[test]
fn oversized_head_gets_431() {
    let mut request = b"GET /hello HTTP/1.1\r\nHost: a\r\n".to_vec();
    for i in 0..20 {
        request.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "x".repeat(4000)).as_bytes());
    }
    request.extend_from_slice(b"\r\n");
    let response = raw_exchange(&request);
    assert!(
        response.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
        "{response:?}"
    );
    assert!(
        response.contains("\r\nConnection: close\r\n"),
        "{response:?}"
    );
}

#[test]
fn an_upgrade_request_is_answered_in_http1_and_the_next_request_too() {
    let response = raw_exchange(
        b"GET /hello HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(
        response.matches("HTTP/1.1 200 OK\r\n").count(),
        2,
        "{response:?}"
    );
    assert_eq!(
        response.matches("Hello, world!\n").count(),
        2,
        "{response:?}"
    );
}
