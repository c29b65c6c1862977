//! The runnable examples, run as users run them (`cargo run --example NAME -- FLAGS`, here the
//! binaries `cargo test` builds), against real programs on 127.0.0.1: curl against
//! `http1_server`, `http1_get` against `http1_server`, `framing_echo` against itself.
//!
//! These tests fail (never skip) when curl or an example binary is missing: scripts/test.sh
//! installs curl and builds the examples.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{Read, Write};
use std::process::Command;
use std::time::Duration;

use interop::{connect, example, find_program, run, start_example};

const RUN_TIME: Duration = Duration::from_secs(20);

fn curl(args: &[&str]) -> String {
    let program = find_program("curl", &[], "curl").unwrap_or_else(|e| panic!("{e}"));
    let mut command = Command::new(program);
    command
        .args(["-sS", "--max-time", "10", "--noproxy", "*"])
        .args(args);
    let out = run("curl", &mut command, RUN_TIME).expect("run curl");
    assert!(out.status.success(), "curl {args:?}: {}", out.stderr);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn curl_against_the_http1_server_example() {
    let (_server, port) = start_example("http1_server", &[], RUN_TIME).unwrap();
    let listen = format!("127.0.0.1:{port}");
    let base = format!("http://{listen}");

    // Keep-alive: two URLs on one connection (curl says it reused it).
    let program = find_program("curl", &[], "curl").unwrap_or_else(|e| panic!("{e}"));
    let mut command = Command::new(program);
    command.args(["-sS", "-v", "--max-time", "10", "--noproxy", "*"]);
    command.args([format!("{base}/hello"), format!("{base}/hello")]);
    let out = run("curl", &mut command, RUN_TIME).unwrap();
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(out.stdout, b"Hello, world!\nHello, world!\n");
    assert!(
        out.stderr.contains("Re-using existing connection")
            || out.stderr.contains("Reusing existing"),
        "the connection was not kept alive: {}",
        out.stderr
    );

    // HEAD: the head only.
    let head = curl(&["-I", &format!("{base}/hello")]);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("Content-Length: 14\r\n"), "{head}");

    // POST /echo with a chunked upload, answered chunked with the X-Body-Length trailer.
    let body: String = (0..5000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let raw = curl(&[
        "--raw",
        "-i",
        "-H",
        "Transfer-Encoding: chunked",
        "--data-binary",
        &body,
        &format!("{base}/echo"),
    ]);
    assert!(raw.contains("Transfer-Encoding: chunked"), "{raw}");
    assert!(
        raw.contains("\r\nX-Body-Length: 5000\r\n"),
        "the trailer: {raw}"
    );
    let echoed = curl(&["--data-binary", &body, &format!("{base}/echo")]);
    assert_eq!(echoed, body);

    // 100-continue: curl waits for it before the body.
    let out = curl(&[
        "-i",
        "-H",
        "Expect: 100-continue",
        "--data-binary",
        "xyz",
        &format!("{base}/echo"),
    ]);
    assert!(
        out.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK"),
        "{out}"
    );

    // 1 MiB, and a 404.
    let big = curl(&[
        "-o",
        "/dev/null",
        "-w",
        "%{http_code} %{size_download}",
        &format!("{base}/big"),
    ]);
    assert_eq!(big, "200 1048576");
    let missing = curl(&[
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        &format!("{base}/nope"),
    ]);
    assert_eq!(missing, "404");

    // Pipelining over a raw socket: three requests in one write, the last after a close, which
    // the server must never answer (RFC 9112 §9.6).
    let mut stream = connect(port).unwrap();
    stream
        .write_all(
            b"GET /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /nope HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n",
        )
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let statuses: Vec<&str> = answer.matches("HTTP/1.1 ").collect();
    assert_eq!(statuses.len(), 2, "{answer}");
    assert!(answer.find("200 OK").unwrap() < answer.find("404 Not Found").unwrap());

    // A hostile request: the status the codec gives, then the server closes.
    let mut stream = connect(port).unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "{answer}"
    );
    assert!(answer.contains("Connection: close"), "{answer}");
}

#[test]
fn http1_get_pipelines_to_the_http1_server_example() {
    let (_server, port) = start_example("http1_server", &[], RUN_TIME).unwrap();
    let listen = format!("127.0.0.1:{port}");
    let mut command = Command::new(example("http1_get").unwrap());
    command.args([
        format!("http://{listen}/hello"),
        format!("http://{listen}/big"),
        format!("http://{listen}/nope"),
    ]);
    let out = run("http1_get", &mut command, RUN_TIME).unwrap();
    assert!(out.status.success(), "{}", out.stderr);
    let text = String::from_utf8(out.stdout).unwrap();
    let blocks: Vec<&str> = text
        .split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .collect();
    assert_eq!(blocks.len(), 3, "{text}");
    assert!(blocks[0].starts_with("HTTP/1.1 200 OK\n") && blocks[0].ends_with("body: 14 bytes"));
    assert!(
        blocks[1].contains("Content-Length: 1048576") && blocks[1].ends_with("body: 1048576 bytes")
    );
    assert!(
        blocks[2].starts_with("HTTP/1.1 404 Not Found\n") && blocks[2].ends_with("body: 10 bytes")
    );
}

#[test]
fn framing_echo_client_and_server() {
    let (_server, port) = start_example("framing_echo", &[], RUN_TIME).unwrap();
    let listen = format!("127.0.0.1:{port}");
    let lines: Vec<String> = (0..200)
        .map(|i| format!("line {i} {}", "x".repeat(i * 37)))
        .collect();
    let input = lines.join("\n") + "\n";
    let mut command = Command::new(example("framing_echo").unwrap());
    command.args(["--connect", &listen]);
    let out =
        interop::run_with_input("framing_echo", &mut command, input.as_bytes(), RUN_TIME).unwrap();
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), input);
    assert!(
        out.stderr.contains("agreed: version 3, capabilities 0b11"),
        "{}",
        out.stderr
    );
}

#[test]
fn zone_edit_reads_edits_and_writes_a_zone() {
    let zone = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../dns-codec/examples/example.zone"
    );
    let mut command = Command::new(example("zone_edit").unwrap());
    command.args([zone, "www.example.test.", "192.0.2.80"]);
    let out = run("zone_edit", &mut command, RUN_TIME).unwrap();
    assert!(out.status.success(), "{}", out.stderr);
    let text = String::from_utf8(out.stdout).unwrap();
    let before = dns_codec::zone::parse(&std::fs::read_to_string(zone).unwrap()).unwrap();
    let after = dns_codec::zone::parse(&text).unwrap();
    let serial = |records: &[dns_codec::Record]| {
        records.iter().find_map(|r| match &r.data {
            dns_codec::RData::Soa(soa) => Some(soa.serial),
            _ => None,
        })
    };
    assert_eq!(serial(&after), serial(&before).map(|s| s + 1));
    let www_a: Vec<String> = after
        .iter()
        .filter(|r| r.name == "www.example.test." && r.rtype() == dns_codec::RType::A)
        .map(|r| r.data.to_string())
        .collect();
    assert_eq!(www_a, ["192.0.2.80"]);
    // Nothing else changed: the same number of records but for the A records of www.
    let www_before = before
        .iter()
        .filter(|r| r.name == "www.example.test." && r.rtype() == dns_codec::RType::A)
        .count();
    assert_eq!(after.len(), before.len() - www_before + 1);
    assert!(
        out.stderr.contains(&format!("{} records", after.len())),
        "{}",
        out.stderr
    );
}
