//! An HTTP/2 server (h2c) on the sans-IO `http_codec::h2::Connection`, driven over tokio by
//! `framing::tokio::SessionDriver`: prior knowledge (the client preface first) and the HTTP/1.1
//! `Upgrade: h2c` path (the HTTP/1 `ServerSession` reads the first request, answers 101 and
//! hands the rest of the bytes over to `Connection::upgrade`).
//!
//!   cargo run --example h2_server -- --listen 127.0.0.1:8080
//!   curl --http2-prior-knowledge http://127.0.0.1:8080/hello
//!   curl --http2 --data-binary @Cargo.toml http://127.0.0.1:8080/echo
//!
//! Routes: `GET /hello` → `Hello, world!\n`, `POST /echo` → the request body, `GET /big` →
//! 1 MiB, 404 otherwise. Request bodies are released (WINDOW_UPDATE) as they are read, so
//! uploads larger than the initial window flow; response bodies go out as the connection's send
//! capacity allows, the rest when it reports `Writable`.

use std::collections::HashMap;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use framing::tokio::SessionDriver;
use http_codec::h2::{Config, ConnEvent, Connection, SendError};
use http_codec::{Event, Request, Response, ServerEvent, ServerSession};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The client connection preface (RFC 9113 §3.4).
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
/// The largest request body `/echo` takes.
const MAX_ECHO: usize = 16 * 1024 * 1024;
/// How long a connection may stay silent.
const IDLE: Duration = Duration::from_secs(60);

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().collect();
    let listen = match args.get(1..) {
        Some([flag, addr]) if flag == "--listen" => addr.clone(),
        _ => return Err("usage: h2_server --listen ADDR".into()),
    };
    let listener = TcpListener::bind(&listen).await?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(async move {
            if let Err(e) = serve(stream).await {
                eprintln!("connection: {e}");
            }
        });
    }
}

fn config() -> Config {
    Config::default().max_concurrent_streams(128)
}

/// One connection: prior knowledge or HTTP/1.1 (with or without `Upgrade: h2c`).
async fn serve(mut stream: TcpStream) -> Result<(), Error> {
    stream.set_nodelay(true)?;
    let mut first = BytesMut::new();
    let mut buf = vec![0u8; 16 * 1024];
    // Read until the bytes either are the preface or cannot be.
    while first.len() < PREFACE.len() && PREFACE.starts_with(&first) {
        let n = tokio::time::timeout(IDLE, stream.read(&mut buf)).await??;
        if n == 0 {
            return Ok(());
        }
        first.extend_from_slice(buf.get(..n).unwrap_or_default());
    }
    if first.starts_with(PREFACE) {
        let mut conn = Connection::server(config());
        conn.receive(&first);
        return run_h2(stream, conn, HashMap::new()).await;
    }
    // HTTP/1.1: read the first request whole.
    let mut h1 = ServerSession::default();
    h1.receive(&first);
    // The start of the input, to tell a bad HTTP/1 request from what is not HTTP/1 at all.
    let mut start = first.to_vec();
    let (mut head, mut body) = (None::<Request>, BytesMut::new());
    loop {
        match h1.poll_event() {
            Ok(Some(ServerEvent::Message(Event::Head(h)))) => head = Some(h),
            Ok(Some(ServerEvent::Message(Event::Data(d)))) => {
                if body.len() + d.len() > MAX_ECHO {
                    return Ok(());
                }
                body.extend_from_slice(&d);
            }
            Ok(Some(ServerEvent::Message(Event::End(_)))) => break,
            Ok(Some(ServerEvent::Closed)) => return Ok(()),
            Ok(None) => {
                let n = tokio::time::timeout(IDLE, stream.read(&mut buf)).await??;
                match buf.get(..n) {
                    Some([]) | None => h1.receive_eof(),
                    Some(bytes) => {
                        if start.len() < 1024 {
                            start.extend_from_slice(bytes);
                        }
                        h1.receive(bytes);
                    }
                }
            }
            Err(_) if !names_http1(&start) => {
                // Neither the HTTP/2 preface nor an HTTP/1 request line: an invalid preface,
                // a connection error of type PROTOCOL_ERROR (RFC 9113 §3.4). The connection
                // says so in HTTP/2 (SETTINGS, GOAWAY), not in an HTTP/1 400 the peer would
                // read as a frame header.
                let mut conn = Connection::server(config());
                conn.receive(&first);
                let _ = conn.poll_event();
                while let Some(b) = conn.poll_transmit() {
                    stream.write_all(&b).await?;
                }
                linger(stream).await;
                return Ok(());
            }
            Err(e) => {
                let r = Response::new(e.status())
                    .header("Content-Length", "0")?
                    .header("Connection", "close")?;
                let _ = h1.send(Event::Head(r));
                while let Some(b) = h1.poll_transmit() {
                    stream.write_all(&b).await?;
                }
                return Ok(());
            }
        }
    }
    let Some(request) = head else { return Ok(()) };
    let settings = request.headers.get("http2-settings").map(<[u8]>::to_vec);
    let upgrade = request.asks_switch()
        && request
            .headers
            .get("upgrade")
            .is_some_and(|u| u.eq_ignore_ascii_case(b"h2c"));
    if let (true, Some(settings)) = (upgrade, settings) {
        let switching = Response::new(101)
            .header("Connection", "Upgrade")?
            .header("Upgrade", "h2c")?;
        h1.send(Event::Head(switching))?;
        while let Some(b) = h1.poll_transmit() {
            stream.write_all(&b).await?;
        }
        let mut remaining = h1.take_remaining();
        // The answer on stream 1 waits for the client's preface: a client that switched late
        // (curl) keeps only a small buffer for what follows the 101.
        while remaining.len() < PREFACE.len() {
            let n = tokio::time::timeout(IDLE, stream.read(&mut buf)).await??;
            if n == 0 {
                return Ok(());
            }
            remaining.extend_from_slice(buf.get(..n).unwrap_or_default());
        }
        let mut conn = Connection::upgrade(config(), &request, &settings)?;
        conn.receive(&remaining);
        let mut bodies = HashMap::new();
        bodies.insert(1, body.freeze());
        return run_h2(stream, conn, bodies).await;
    }
    // Plain HTTP/1.1: one answer, then close.
    let head = request.method_str() == "HEAD";
    let (status, content) = route(request.method_str(), &request.target, body.freeze());
    let r = Response::new(status)
        .header("Content-Length", content.len().to_string())?
        .header("Connection", "close")?;
    h1.send(Event::Head(r))?;
    if !content.is_empty() && !head {
        h1.send(Event::Data(content))?;
    }
    h1.send(Event::End(http_codec::Headers::new()))?;
    while let Some(b) = h1.poll_transmit() {
        stream.write_all(&b).await?;
    }
    stream.shutdown().await?;
    Ok(())
}

/// Whether the first line of `start` is an HTTP/1 request line (it names the version).
fn names_http1(start: &[u8]) -> bool {
    let line = start.split(|&b| b == b'\n').next().unwrap_or_default();
    line.windows(7).any(|w| w == b"HTTP/1.")
}

/// The answer to a request: status and body (HEAD: GET's, whose body is not sent, RFC 9110
/// §9.3.2).
fn route(method: &str, target: &[u8], body: Bytes) -> (u16, Bytes) {
    let method = if method == "HEAD" { "GET" } else { method };
    match (method, target) {
        ("GET", b"/hello") => (200, Bytes::from_static(b"Hello, world!\n")),
        ("POST", b"/echo") => (200, body),
        ("GET", b"/big") => (200, big_body()),
        _ => (404, Bytes::from_static(b"not found\n")),
    }
}

/// 1 MiB of a recognisable pattern.
fn big_body() -> Bytes {
    static BIG: std::sync::OnceLock<Bytes> = std::sync::OnceLock::new();
    BIG.get_or_init(|| {
        let big: Vec<u8> = (0..1u32 << 20)
            .map(|i| ((i % 251) as u8) ^ ((i >> 14) as u8))
            .collect();
        Bytes::from(big)
    })
    .clone()
}

/// A request being read, then answered.
#[derive(Default)]
struct Exchange {
    method: String,
    target: Bytes,
    body: BytesMut,
    /// The response body still to queue.
    pending: Option<Bytes>,
}

/// The HTTP/2 connection, after the preface or the upgrade. `bodies`: request bodies read
/// before the hand-over (stream 1 of an upgrade).
async fn run_h2(
    stream: TcpStream,
    conn: Connection,
    mut bodies: HashMap<u32, Bytes>,
) -> Result<(), Error> {
    let mut driver = SessionDriver::new(stream, conn).idle_timeout(IDLE);
    let mut exchanges: HashMap<u32, Exchange> = HashMap::new();
    loop {
        let event = match driver.next_event().await {
            Ok(Ok(event)) => event,
            // A connection error: GOAWAY was queued; flush it and stop.
            Ok(Err(e)) => {
                let _ = driver.flush().await;
                linger(driver.into_parts().0).await;
                return Err(e.into());
            }
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let conn = driver.session_mut();
        match event {
            ConnEvent::Request {
                stream,
                head,
                end_stream,
            } => {
                let mut exchange = Exchange {
                    method: head.request.method_str().to_owned(),
                    target: head.request.target.clone(),
                    ..Exchange::default()
                };
                if let Some(body) = bodies.remove(&stream) {
                    exchange.body.extend_from_slice(&body);
                }
                exchanges.insert(stream, exchange);
                if end_stream {
                    respond(conn, &mut exchanges, stream)?;
                }
            }
            ConnEvent::Data {
                stream,
                data,
                end_stream,
            } => {
                conn.release_capacity(stream, data.len() as u32);
                let Some(exchange) = exchanges.get_mut(&stream) else {
                    continue;
                };
                if exchange.body.len() + data.len() > MAX_ECHO {
                    exchanges.remove(&stream);
                    let _ = conn.reset(stream, http_codec::h2::ErrorCode::REFUSED_STREAM);
                    continue;
                }
                exchange.body.extend_from_slice(&data);
                if end_stream {
                    respond(conn, &mut exchanges, stream)?;
                }
            }
            ConnEvent::Trailers { stream, .. } => respond(conn, &mut exchanges, stream)?,
            ConnEvent::Writable { stream } => pump(conn, &mut exchanges, stream)?,
            ConnEvent::Reset { stream, .. } => {
                exchanges.remove(&stream);
            }
            ConnEvent::StreamError(e) => {
                if let http_codec::h2::Scope::Stream(stream) = e.scope {
                    exchanges.remove(&stream);
                }
            }
            ConnEvent::Closed => {
                let _ = driver.flush().await;
                return Ok(());
            }
            _ => {}
        }
    }
}

/// After a connection error (GOAWAY written): close our side, then read and drop what the peer
/// still sends for a moment, so closing with unread input does not reset the connection
/// before the peer has read the GOAWAY.
async fn linger(mut stream: TcpStream) {
    let _ = stream.shutdown().await;
    let mut buf = [0u8; 4096];
    let drain = async {
        while let Ok(n) = stream.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), drain).await;
}

/// The request on `stream` is complete: answer it.
fn respond(
    conn: &mut Connection,
    exchanges: &mut HashMap<u32, Exchange>,
    stream: u32,
) -> Result<(), Error> {
    let Some(exchange) = exchanges.get_mut(&stream) else {
        return Ok(());
    };
    let body = exchange.body.split().freeze();
    let (status, content) = route(&exchange.method, &exchange.target, body);
    let mut response = Response::new(status).header("content-length", content.len().to_string())?;
    let head = exchange.method == "HEAD";
    if status == 200 && exchange.target.as_ref() != b"/big" && (head || exchange.method == "GET") {
        response = response.header("content-type", "text/plain")?;
    }
    if content.is_empty() || head {
        exchanges.remove(&stream);
        return ignore_gone(conn.send_response(stream, response, true));
    }
    if let Err(e) = conn.send_response(stream, response, false) {
        exchanges.remove(&stream);
        return ignore_gone(Err(e));
    }
    exchange.pending = Some(content);
    pump(conn, exchanges, stream)
}

/// Queues as much of `stream`'s response body as the connection takes now; the rest waits for
/// [`ConnEvent::Writable`].
fn pump(
    conn: &mut Connection,
    exchanges: &mut HashMap<u32, Exchange>,
    stream: u32,
) -> Result<(), Error> {
    let Some(exchange) = exchanges.get_mut(&stream) else {
        return Ok(());
    };
    let Some(mut rest) = exchange.pending.take() else {
        return Ok(());
    };
    loop {
        let capacity = conn.send_capacity(stream);
        if capacity >= rest.len() {
            exchanges.remove(&stream);
            return ignore_gone(conn.send_data(stream, rest, true));
        }
        if capacity == 0 {
            // Refused for want of room: the connection reports Writable when it drains.
            match conn.send_data(stream, rest.clone(), true) {
                Err(SendError::BufferFull { .. }) => {
                    exchange.pending = Some(rest);
                    return Ok(());
                }
                other => {
                    exchanges.remove(&stream);
                    return ignore_gone(other);
                }
            }
        }
        let chunk = rest.split_to(capacity);
        if let Err(e) = conn.send_data(stream, chunk, false) {
            exchanges.remove(&stream);
            return ignore_gone(Err(e));
        }
    }
}

/// A stream the peer reset or closed meanwhile is no failure of the connection.
fn ignore_gone(result: Result<(), SendError>) -> Result<(), Error> {
    match result {
        Ok(()) => Ok(()),
        Err(SendError::UnknownStream(_) | SendError::State { .. } | SendError::Closing) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
