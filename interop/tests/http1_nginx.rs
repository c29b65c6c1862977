//! Our HTTP/1.1 client (`http_codec::ClientCodec` over `framing::blocking::Framed`) against a
//! private nginx on 127.0.0.1: pipelined requests on one kept-alive connection (static files
//! with Content-Length, a gzip response in the chunked coding, HEAD, 204, 301, 404), a request
//! body in the chunked coding, and nginx as a reverse proxy in front of our own server
//! (`interop::http1_server`), so nginx is the client of our `ServerCodec` too.
//!
//! nginx runs as the current user with `daemon off; master_process off;` and every path in a
//! temporary directory; a guard kills it when the test ends, failing or not. These tests fail
//! (never skip) when nginx is not installed: scripts/test.sh installs it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Read;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use bytes::Bytes;
use framing::blocking::Framed;
use http_codec::{BodyKind, ClientCodec, Event, Headers, Request, Response};
use interop::{ChildGuard, IO_TIMEOUT, TempDir, find_program, http1_server};

/// How long nginx may live, whatever happens to the test.
const NGINX_DEADLINE: Duration = Duration::from_secs(60);

/// A small static file, served with a Content-Length.
const HELLO: &[u8] = b"Hello from nginx\n";

fn nginx_program() -> PathBuf {
    find_program("nginx", &["/usr/sbin", "/usr/local/sbin"], "nginx")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// 200 KiB of bytes that are not a repeated pattern at any small period.
fn data_bin() -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..200 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// 64 KiB of text, compressible.
fn text_txt() -> Vec<u8> {
    (0..1500)
        .map(|i| format!("line {i:05}: the quick brown fox jumps over the lazy dog\n"))
        .collect::<String>()
        .into_bytes()
}

/// A running private nginx; killed (and its directory removed) on drop. Prints its error log if
/// the test is failing.
struct Nginx {
    port: u16,
    dir: TempDir,
    process: ChildGuard,
}

impl Nginx {
    /// Starts nginx; `upstream` is the port `/proxy/` forwards to.
    fn start(upstream: Option<u16>) -> Nginx {
        let program = nginx_program();
        let dir = TempDir::new("nginx").unwrap();
        let root = dir.join("root");
        std::fs::create_dir_all(root.join("gz")).unwrap();
        std::fs::write(root.join("hello.txt"), HELLO).unwrap();
        std::fs::write(root.join("data.bin"), data_bin()).unwrap();
        std::fs::write(root.join("gz/text.txt"), text_txt()).unwrap();
        let port = interop::free_port().unwrap();
        let tmp = dir.path().display().to_string();
        let proxy = upstream.map_or(String::new(), |up| {
            format!(
                "location /proxy/ {{ proxy_pass http://127.0.0.1:{up}/; proxy_http_version 1.1; \
                 proxy_set_header Connection \"\"; proxy_read_timeout 10s; }}"
            )
        });
        let config = format!(
            r#"
daemon off;
master_process off;
worker_processes 1;
error_log {tmp}/error.log info;
pid {tmp}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ text/plain txt; application/octet-stream bin; }}
    default_type application/octet-stream;
    keepalive_requests 1000;
    keepalive_timeout 30s;
    client_body_timeout 10s;
    send_timeout 10s;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {tmp}/root;
        location /gz {{ gzip on; gzip_min_length 1; gzip_types text/plain; }}
        location = /nocontent {{ return 204; }}
        location /redirect {{ return 301 /hello.txt; }}
        location /post {{ return 200 "ok"; }}
        {proxy}
    }}
}}
"#
        );
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, config).unwrap();
        let mut command = Command::new(program);
        command
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(&conf);
        let mut process = ChildGuard::spawn("nginx", &mut command, NGINX_DEADLINE).unwrap();
        if let Err(e) = interop::wait_for_port(port, Duration::from_secs(10), &mut process) {
            let log = std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
            panic!("nginx did not start: {e}\nerror.log:\n{log}");
        }
        let nginx = Nginx { port, dir, process };
        nginx.check_ready();
        nginx
    }

    /// An accepted TCP connection only says that something listens on the port; one whole
    /// request answered with our file says that it is this nginx and that it serves.
    fn check_ready(&self) {
        let mut framed = self.connect();
        framed
            .feed(Event::Head(request(
                "GET",
                "/hello.txt",
                &[("Connection", "close")],
            )))
            .unwrap();
        framed.send(Event::End(Headers::new())).unwrap();
        let a = read_response(&mut framed);
        assert_eq!(
            (a.head.status, &a.body[..]),
            (200, HELLO),
            "readiness probe"
        );
    }

    /// Fails if nginx logged anything worse than an error (404s log errors).
    fn check_log(&self) {
        let log = std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default();
        let bad: Vec<&str> = log
            .lines()
            .filter(|l| {
                ["[crit]", "[alert]", "[emerg]"]
                    .iter()
                    .any(|w| l.contains(w))
            })
            .collect();
        assert!(bad.is_empty(), "nginx error.log:\n{log}");
    }

    /// A kept-alive connection to nginx, framed with our client codec.
    fn connect(&self) -> Framed<TcpStream, ClientCodec> {
        Framed::new(interop::connect(self.port).unwrap(), ClientCodec::default())
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let status = self.process.try_wait();
        self.process.kill();
        if std::thread::panicking() {
            // Whether nginx was still running when the test failed tells a reset sent by a
            // live nginx from one left by a process that had exited.
            eprintln!("nginx exit status before the kill: {status:?}");
            let log = std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default();
            eprintln!("nginx error.log:\n{log}");
        }
    }
}

fn request(method: &str, target: &str, fields: &[(&str, &str)]) -> Request {
    let mut r = Request::new(method.to_owned(), target.to_owned());
    r.headers.append("Host", "localhost").unwrap();
    r.headers
        .append("User-Agent", "http-codec-interop")
        .unwrap();
    for (name, value) in fields {
        r.headers.append(name, value).unwrap();
    }
    r
}

/// One response as our decoder saw it.
#[derive(Debug)]
struct Answer {
    head: Response,
    body: Vec<u8>,
    trailers: Headers,
    body_kind: BodyKind,
    keep_alive: bool,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.head
            .headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v).into_owned())
    }
}

/// Reads the next final response, whole (interim 1xx responses are skipped).
fn read_response(framed: &mut Framed<TcpStream, ClientCodec>) -> Answer {
    loop {
        let head = match framed.recv() {
            Ok(Some(Event::Head(head))) => head,
            other => panic!("want a response head, got {other:?}"),
        };
        let body_kind = framed.codec().decoder().body_kind().unwrap();
        let keep_alive = framed.codec().decoder().connection().unwrap().keep_alive;
        let mut body = Vec::new();
        let trailers = loop {
            match framed.recv() {
                Ok(Some(Event::Data(d))) => body.extend_from_slice(&d),
                Ok(Some(Event::End(t))) => break t,
                other => panic!(
                    "inside the body of {} {:?}: {other:?} (unread: {:?})",
                    head.status,
                    head.headers,
                    Bytes::copy_from_slice(framed.read_buffer())
                ),
            }
        };
        if head.is_informational() {
            continue;
        }
        return Answer {
            head,
            body,
            trailers,
            body_kind,
            keep_alive,
        };
    }
}

#[test]
fn nginx_is_installed() {
    nginx_program();
}

#[test]
fn pipelined_requests_on_one_connection() {
    let nginx = Nginx::start(None);
    let mut framed = nginx.connect();
    let requests = [
        request("GET", "/hello.txt", &[]),
        request("GET", "/gz/text.txt", &[("Accept-Encoding", "gzip")]),
        request("HEAD", "/data.bin", &[]),
        request("GET", "/nocontent", &[]),
        request("GET", "/redirect", &[]),
        request("GET", "/missing.txt", &[]),
        request("GET", "/data.bin", &[]),
    ];
    // All of them before reading any response.
    for r in requests {
        framed.feed(Event::Head(r)).unwrap();
        framed.feed(Event::End(Headers::new())).unwrap();
    }
    framed.flush().unwrap();

    let a = read_response(&mut framed);
    assert_eq!(a.head.status, 200, "{a:?}");
    assert_eq!(a.body_kind, BodyKind::Length(HELLO.len() as u64));
    assert_eq!(a.body, HELLO);
    assert_eq!(a.header("Content-Type").as_deref(), Some("text/plain"));
    assert!(a.keep_alive);

    let a = read_response(&mut framed);
    assert_eq!(a.head.status, 200, "{:?}", a.head);
    assert_eq!(a.body_kind, BodyKind::Chunked, "{:?}", a.head);
    assert_eq!(a.header("Content-Encoding").as_deref(), Some("gzip"));
    assert!(a.trailers.is_empty());
    assert!(a.keep_alive);
    assert_eq!(&a.body[..2], &[0x1f, 0x8b], "gzip magic");
    assert!(
        a.body.len() < text_txt().len() / 4,
        "{} bytes",
        a.body.len()
    );
    let mut inflated = Vec::new();
    flate2::read::GzDecoder::new(&a.body[..])
        .read_to_end(&mut inflated)
        .expect("the chunked body is a valid gzip stream");
    assert!(
        inflated == text_txt(),
        "the inflated body differs from the file"
    );

    let a = read_response(&mut framed);
    assert_eq!(a.head.status, 200, "{a:?}");
    assert_eq!(
        a.header("Content-Length"),
        Some(data_bin().len().to_string())
    );
    assert_eq!(
        a.body_kind,
        BodyKind::Empty,
        "a response to HEAD has no body"
    );
    assert!(a.body.is_empty());
    assert!(a.keep_alive);

    let a = read_response(&mut framed);
    assert_eq!(a.head.status, 204, "{a:?}");
    assert_eq!(a.body_kind, BodyKind::Empty);
    assert!(a.body.is_empty());
    assert!(a.keep_alive);

    let a = read_response(&mut framed);
    assert_eq!(a.head.status, 301, "{a:?}");
    let location = a.header("Location").unwrap();
    assert!(location.ends_with("/hello.txt"), "{location}");
    assert!(matches!(a.body_kind, BodyKind::Length(n) if n as usize == a.body.len()));
    assert!(a.keep_alive);

    let a = read_response(&mut framed);
    assert_eq!(a.head.status, 404, "{a:?}");
    assert!(String::from_utf8_lossy(&a.body).contains("404 Not Found"));
    assert!(a.keep_alive);

    let a = read_response(&mut framed);
    assert_eq!(a.head.status, 200, "{:?}", a.head);
    assert_eq!(a.body_kind, BodyKind::Length(data_bin().len() as u64));
    assert!(a.body == data_bin(), "data.bin differs");
    assert!(a.keep_alive);

    // Still usable after all that.
    framed
        .feed(Event::Head(request("GET", "/hello.txt", &[])))
        .unwrap();
    framed.send(Event::End(Headers::new())).unwrap();
    let a = read_response(&mut framed);
    assert_eq!((a.head.status, &a.body[..]), (200, HELLO));

    // Asking to close: nginx answers and closes, and our decoder sees a clean end.
    framed
        .feed(Event::Head(request(
            "GET",
            "/hello.txt",
            &[("Connection", "close")],
        )))
        .unwrap();
    framed.send(Event::End(Headers::new())).unwrap();
    let a = read_response(&mut framed);
    assert_eq!((a.head.status, &a.body[..]), (200, HELLO));
    assert!(!a.keep_alive, "{:?}", a.head);
    assert!(
        framed.recv().unwrap().is_none(),
        "want a clean end of stream"
    );
    nginx.check_log();
}

#[test]
fn chunked_request_body() {
    let nginx = Nginx::start(None);
    let mut framed = nginx.connect();
    for round in 0..2 {
        let post = request("POST", "/post", &[("Transfer-Encoding", "chunked")]);
        framed.feed(Event::Head(post)).unwrap();
        for piece in ["hello", ", ", "nginx"] {
            framed.feed(Event::Data(Bytes::from(piece))).unwrap();
        }
        let mut trailers = Headers::new();
        trailers.append("X-Checksum", "none").unwrap();
        framed.send(Event::End(trailers)).unwrap();
        let a = read_response(&mut framed);
        assert_eq!(a.head.status, 200, "round {round}: {a:?}");
        assert_eq!(a.body, b"ok", "round {round}");
        assert!(a.keep_alive, "round {round}");
    }
    framed
        .feed(Event::Head(request("GET", "/hello.txt", &[])))
        .unwrap();
    framed.send(Event::End(Headers::new())).unwrap();
    let a = read_response(&mut framed);
    assert_eq!((a.head.status, &a.body[..]), (200, HELLO));
    nginx.check_log();
}

#[test]
fn nginx_as_reverse_proxy_to_our_server() {
    let upstream = http1_server::start(IO_TIMEOUT).unwrap();
    let nginx = Nginx::start(Some(upstream));
    let mut framed = nginx.connect();

    // nginx reads our chunked body whole, forwards it to our server with a Content-Length;
    // our server echoes it in the chunked coding, and nginx streams it back.
    let body: Vec<u8> = (0..50_000u32).map(|i| (i % 253) as u8).collect();
    let post = request("POST", "/proxy/echo", &[("Transfer-Encoding", "chunked")]);
    framed.feed(Event::Head(post)).unwrap();
    for piece in body.chunks(7_000) {
        framed
            .feed(Event::Data(Bytes::copy_from_slice(piece)))
            .unwrap();
    }
    framed.send(Event::End(Headers::new())).unwrap();
    let a = read_response(&mut framed);
    assert_eq!(a.head.status, 200, "{a:?}");
    assert_eq!(
        a.header("Server")
            .as_deref()
            .map(|s| s.starts_with("nginx")),
        Some(true)
    );
    assert_eq!(a.body.len(), body.len());
    assert!(a.body == body, "the body came back changed");
    assert!(a.keep_alive);

    // Pipelined through the proxy: a Content-Length body, a 1 MiB chunked download, a HEAD,
    // and a 404 from our server.
    let mut post = request("POST", "/proxy/echo", &[("Content-Length", "5")]);
    post.headers.append("Content-Type", "text/plain").unwrap();
    framed.feed(Event::Head(post)).unwrap();
    framed.feed(Event::Data(Bytes::from("hello"))).unwrap();
    framed.feed(Event::End(Headers::new())).unwrap();
    for (method, target) in [
        ("GET", "/proxy/big"),
        ("HEAD", "/proxy/hello"),
        ("GET", "/proxy/nothing-here"),
    ] {
        framed
            .feed(Event::Head(request(method, target, &[])))
            .unwrap();
        framed.feed(Event::End(Headers::new())).unwrap();
    }
    framed.flush().unwrap();

    let a = read_response(&mut framed);
    assert_eq!((a.head.status, &a.body[..]), (200, &b"hello"[..]), "{a:?}");
    let a = read_response(&mut framed);
    assert_eq!(a.head.status, 200, "{:?}", a.head);
    assert_eq!(a.body.len(), http1_server::BIG_SIZE);
    assert!(a.body == http1_server::big_body(), "/big came back changed");
    let a = read_response(&mut framed);
    assert_eq!(a.head.status, 200, "{a:?}");
    assert_eq!(a.header("Content-Length").as_deref(), Some("14"));
    assert!(a.body.is_empty());
    let a = read_response(&mut framed);
    assert_eq!(a.head.status, 404, "{a:?}");
    assert_eq!(a.body, b"404 Not Found\n");
    assert!(a.keep_alive);
    nginx.check_log();
}
