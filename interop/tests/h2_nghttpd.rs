//! Our HTTP/2 client against `nghttpd` (nghttp2-server), started by each test on 127.0.0.1
//! with `--no-tls --echo-upload -d DIR PORT` over a temporary directory: the `h2_get` example
//! (GET, and 100 URLs on concurrent streams of one connection), and the sans-IO
//! `http_codec::h2::Connection` driven directly by `framing::blocking::SessionDriver` (a POST
//! whose body is larger than the initial window, echoed back).
//!
//! These tests fail (never skip) when nghttpd or the example is missing: scripts/test.sh
//! installs nghttp2-server and builds the examples.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use bytes::Bytes;
use framing::blocking::SessionDriver;
use http_codec::Request;
use http_codec::h2::{Config, ConnEvent, Connection, SendError};
use interop::{ChildGuard, TempDir, connect, example, find_program, free_port, run, wait_for_port};

const RUN_TIME: Duration = Duration::from_secs(60);

/// nghttpd serving the files of a fresh directory: the guard (which kills it), the directory
/// (removed on drop, after the server) and the port.
struct Nghttpd {
    _guard: ChildGuard,
    dir: TempDir,
    port: u16,
}

/// Starts nghttpd over a directory with `count` small files `f0.txt`… and one 300 KB `big.bin`.
fn nghttpd(count: usize) -> Nghttpd {
    let program = find_program("nghttpd", &[], "nghttp2-server").unwrap_or_else(|e| panic!("{e}"));
    let dir = TempDir::new("nghttpd").unwrap();
    for i in 0..count {
        std::fs::write(dir.join(format!("f{i}.txt")), format!("file number {i}\n")).unwrap();
    }
    std::fs::write(dir.join("big.bin"), body(300_000)).unwrap();
    let port = free_port().unwrap();
    let mut command = Command::new(program);
    command
        .args(["--no-tls", "--echo-upload", "-d"])
        .arg(dir.path())
        .arg(port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut guard = ChildGuard::spawn("nghttpd", &mut command, RUN_TIME * 2).unwrap();
    wait_for_port(port, Duration::from_secs(10), &mut guard).unwrap();
    Nghttpd {
        _guard: guard,
        dir,
        port,
    }
}

fn body(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| ((i * 13 + i / 16_384) % 256) as u8)
        .collect()
}

/// Runs the `h2_get` example with `urls`; panics unless it exits 0.
fn h2_get(urls: &[String]) -> String {
    let mut command = Command::new(example("h2_get").unwrap_or_else(|e| panic!("{e}")));
    command.args(urls);
    let out = run("h2_get", &mut command, RUN_TIME).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "h2_get failed ({}): {stdout}{}",
        out.status,
        out.stderr
    );
    stdout
}

/// h2_get's report, per URL: (status, content-length field, body length).
fn reports(stdout: &str) -> Vec<(String, u16, Option<usize>, usize)> {
    let mut out = Vec::new();
    for block in stdout.split("== ").filter(|b| !b.is_empty()) {
        let mut lines = block.lines();
        let url = lines.next().unwrap().to_owned();
        let (mut status, mut length, mut body) = (0, None, None);
        for line in lines {
            if let Some(s) = line.strip_prefix("status: ") {
                status = s.parse().unwrap();
            } else if let Some(n) = line.strip_prefix("content-length: ") {
                length = n.parse().ok();
            } else if let Some(n) = line.strip_prefix("body: ") {
                body = n.strip_suffix(" bytes").and_then(|n| n.parse().ok());
            }
        }
        out.push((url, status, length, body.expect("a body line")));
    }
    out
}

#[test]
fn h2_get_fetches_files_from_nghttpd() {
    let server = nghttpd(1);
    let base = format!("http://127.0.0.1:{}", server.port);
    let stdout = h2_get(&[
        format!("{base}/f0.txt"),
        format!("{base}/big.bin"),
        format!("{base}/missing.txt"),
    ]);
    let got = reports(&stdout);
    assert_eq!(got.len(), 3, "{stdout}");
    assert_eq!(got[0].1, 200, "{stdout}");
    assert_eq!(got[0].3, "file number 0\n".len());
    assert_eq!(
        (got[1].1, got[1].2, got[1].3),
        (200, Some(300_000), 300_000)
    );
    assert_eq!(got[2].1, 404, "{stdout}");
    assert!(stdout.contains("server: nghttpd"), "{stdout}");
}

#[test]
fn h2_get_hundred_concurrent_streams_against_nghttpd() {
    let server = nghttpd(100);
    let base = format!("http://127.0.0.1:{}", server.port);
    let urls: Vec<String> = (0..100).map(|i| format!("{base}/f{i}.txt")).collect();
    let stdout = h2_get(&urls);
    let got = reports(&stdout);
    assert_eq!(got.len(), 100);
    for (i, (url, status, _, len)) in got.iter().enumerate() {
        assert_eq!(url, &urls[i]);
        assert_eq!(*status, 200, "{url}");
        assert_eq!(*len, format!("file number {i}\n").len(), "{url}");
    }
    assert!(server.dir.path().is_dir());
}

/// The library client, driven by the blocking driver: sends each (path, body) as a request
/// (a POST when it has a body) on its own stream, all at once, the bodies as send capacity
/// allows; returns (status, body) per request.
fn fetch(port: u16, requests: &[(&str, Option<Bytes>)]) -> Vec<(u16, Vec<u8>)> {
    let stream = connect(port).unwrap();
    let mut driver = SessionDriver::new(stream, Connection::client(Config::default()));
    let authority = format!("127.0.0.1:{port}");
    let mut index = HashMap::new();
    let mut pending: HashMap<u32, Bytes> = HashMap::new();
    for (i, (path, body)) in requests.iter().enumerate() {
        let request = match body {
            Some(b) => Request::post(*path)
                .header("Host", &authority)
                .unwrap()
                .header("content-length", b.len().to_string())
                .unwrap(),
            None => Request::get(*path).header("Host", &authority).unwrap(),
        };
        let conn = driver.session_mut();
        let id = conn.send_request(request, body.is_none()).unwrap();
        index.insert(id, i);
        if let Some(b) = body {
            pending.insert(id, b.clone());
            pump(conn, &mut pending, id);
        }
    }
    let mut results: Vec<(u16, Vec<u8>, bool)> = vec![(0, Vec::new(), false); requests.len()];
    while results.iter().any(|r| !r.2) {
        let event = driver.next_event().unwrap().unwrap();
        let conn = driver.session_mut();
        match event {
            ConnEvent::Response {
                stream,
                response,
                end_stream,
            } if !response.is_informational() => {
                let r = &mut results[index[&stream]];
                r.0 = response.status;
                r.2 |= end_stream;
            }
            ConnEvent::Data {
                stream,
                data,
                end_stream,
            } => {
                conn.release_capacity(stream, data.len() as u32);
                let r = &mut results[index[&stream]];
                r.1.extend_from_slice(&data);
                r.2 |= end_stream;
            }
            ConnEvent::Trailers { stream, .. } => results[index[&stream]].2 = true,
            ConnEvent::Writable { stream } => pump(conn, &mut pending, stream),
            ConnEvent::Reset { stream, code } => panic!("stream {stream} reset: {code:?}"),
            ConnEvent::StreamError(e) => panic!("{e}"),
            ConnEvent::GoAway { code, .. } => panic!("GOAWAY {code:?}"),
            ConnEvent::Closed => panic!("nghttpd closed the connection"),
            _ => {}
        }
    }
    results.into_iter().map(|(s, b, _)| (s, b)).collect()
}

/// Queues what `stream`'s body the connection takes now; the rest waits for `Writable`.
fn pump(conn: &mut Connection, pending: &mut HashMap<u32, Bytes>, stream: u32) {
    let Some(mut rest) = pending.remove(&stream) else {
        return;
    };
    loop {
        let capacity = conn.send_capacity(stream);
        if capacity >= rest.len() {
            conn.send_data(stream, rest, true).unwrap();
            return;
        }
        if capacity == 0 {
            let refused = conn.send_data(stream, rest.clone(), true);
            assert!(
                matches!(refused, Err(SendError::BufferFull { .. })),
                "{refused:?}"
            );
            pending.insert(stream, rest);
            return;
        }
        conn.send_data(stream, rest.split_to(capacity), false)
            .unwrap();
    }
}

#[test]
fn the_library_client_posts_a_body_to_nghttpd() {
    let server = nghttpd(1);
    let upload = Bytes::from(body(700_000));
    let small = Bytes::from_static(b"a small body");
    let got = fetch(
        server.port,
        &[
            ("/f0.txt", Some(upload.clone())),
            ("/f0.txt", None),
            ("/f0.txt", Some(small.clone())),
        ],
    );
    assert_eq!(got[0].0, 200);
    assert_eq!(got[0].1.len(), upload.len());
    assert!(got[0].1 == upload, "the echoed upload differs");
    assert_eq!((got[1].0, &got[1].1[..]), (200, &b"file number 0\n"[..]));
    assert_eq!((got[2].0, &got[2].1[..]), (200, &small[..]));
}
