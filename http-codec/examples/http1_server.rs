//! An HTTP/1.1 server on the sans-IO `ServerSession`, a thread per connection: keep-alive,
//! pipelining, `Expect: 100-continue`, chunked bodies with trailers, errors answered with the
//! status the codec gives.
//!
//!   cargo run --example http1_server -- --listen 127.0.0.1:8080
//!   curl -v http://127.0.0.1:8080/hello
//!   curl -v -H 'Transfer-Encoding: chunked' --data-binary @Cargo.toml http://127.0.0.1:8080/echo
//!
//! Routes: `GET`/`HEAD /hello`, `POST /echo` (the body back, chunked, with an `X-Body-Length`
//! trailer), `GET /big` (1 MiB in 16 KiB chunks), 404 otherwise.

#![allow(clippy::indexing_slicing)] // buf[..n] after a read of n bytes

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_codec::{Event, Headers, Request, Response, ServerEvent, ServerSession};

const MAX_ECHO: usize = 16 * 1024 * 1024;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let listen = match args.get(1..) {
        Some([flag, addr]) if flag == "--listen" => addr.clone(),
        _ => return Err(std::io::Error::other("usage: http1_server --listen ADDR")),
    };
    let listener = TcpListener::bind(&listen)?;
    println!("listening on http://{}", listener.local_addr()?);
    for stream in listener.incoming() {
        let stream = stream?;
        std::thread::spawn(move || {
            if let Err(e) = serve(stream) {
                eprintln!("connection: {e}");
            }
        });
    }
    Ok(())
}

/// One connection: feed what arrives, answer each request once it has been read whole.
fn serve(mut stream: TcpStream) -> Result<(), Box<dyn std::error::Error>> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut session = ServerSession::default();
    let mut buf = vec![0u8; 64 * 1024];
    let (mut request, mut body) = (None, BytesMut::new());
    loop {
        let n = stream.read(&mut buf)?;
        match n {
            0 => session.receive_eof(),
            n => session.receive(&buf[..n]),
        }
        loop {
            let event = match session.poll_event() {
                Ok(Some(event)) => event,
                Ok(None) => break,
                Err(e) => {
                    // A bad request: answer with the status the codec gives, then close.
                    let (r, b) = text(e.status(), &format!("{e}\n"))?;
                    send(
                        &mut session,
                        r.header("Connection", "close")?,
                        b,
                        Headers::new(),
                    )?;
                    flush(&mut session, &mut stream)?;
                    return Ok(());
                }
            };
            match event {
                ServerEvent::Message(Event::Head(head)) => {
                    if session.expects_continue() {
                        send(
                            &mut session,
                            Response::new(100),
                            Bytes::new(),
                            Headers::new(),
                        )?;
                    }
                    (request, body) = (Some(head), BytesMut::new());
                }
                ServerEvent::Message(Event::Data(d)) if body.len() + d.len() <= MAX_ECHO => {
                    body.extend_from_slice(&d);
                }
                ServerEvent::Message(Event::Data(_)) => {
                    let (mut r, b) = text(413, "too large\n")?;
                    r.headers.append("Connection", "close")?;
                    send(&mut session, r, b, Headers::new())?;
                    break;
                }
                ServerEvent::Message(Event::End(_)) => {
                    if let Some(head) = request.take() {
                        answer(&mut session, &head, body.split().freeze())?;
                    }
                }
                ServerEvent::Closed => return Ok(()),
            }
        }
        flush(&mut session, &mut stream)?;
        if session.is_closing() || n == 0 {
            return Ok(());
        }
    }
}

fn answer(
    session: &mut ServerSession,
    request: &Request,
    body: Bytes,
) -> Result<(), http_codec::Error> {
    let http11 = request.version.is_http11();
    let (response, body, trailers) = match (request.method_str(), &request.target[..]) {
        ("GET" | "HEAD", b"/hello") => {
            let (r, b) = text(200, "Hello, world!\n")?;
            (
                r,
                if request.method == "HEAD" {
                    Bytes::new()
                } else {
                    b
                },
                Headers::new(),
            )
        }
        ("POST", b"/echo") if http11 => {
            let response = Response::new(200)
                .header("Transfer-Encoding", "chunked")?
                .header("Trailer", "X-Body-Length")?;
            let mut trailers = Headers::new();
            trailers.append("X-Body-Length", body.len().to_string())?;
            (response, body, trailers)
        }
        ("POST", b"/echo") => {
            let response = Response::new(200).header("X-Body-Length", body.len().to_string())?;
            (
                response.header("Content-Length", body.len().to_string())?,
                body,
                Headers::new(),
            )
        }
        ("GET", b"/big") => {
            let big: Vec<u8> = (0..1 << 20)
                .map(|i| ((i % 251) as u8) ^ ((i >> 14) as u8))
                .collect();
            let response = Response::new(200).header("Content-Length", "1048576")?;
            (response, Bytes::from(big), Headers::new())
        }
        _ => {
            let (r, b) = text(404, "not found\n")?;
            (
                r,
                if request.method == "HEAD" {
                    Bytes::new()
                } else {
                    b
                },
                Headers::new(),
            )
        }
    };
    send(session, response, body, trailers)
}

fn text(status: u16, body: &str) -> Result<(Response, Bytes), http_codec::Error> {
    let response = Response::new(status)
        .header("Content-Type", "text/plain")?
        .header("Content-Length", body.len().to_string())?;
    Ok((response, Bytes::copy_from_slice(body.as_bytes())))
}

/// A whole response; a big body goes out in 16 KiB pieces, as a streaming server would.
fn send(
    session: &mut ServerSession,
    r: Response,
    mut body: Bytes,
    trailers: Headers,
) -> Result<(), http_codec::Error> {
    session.send(Event::Head(r))?;
    while !body.is_empty() {
        session.send(Event::Data(body.split_to(body.len().min(16 * 1024))))?;
    }
    session.send(Event::End(trailers))
}

fn flush(session: &mut ServerSession, stream: &mut TcpStream) -> std::io::Result<()> {
    while let Some(bytes) = session.poll_transmit() {
        stream.write_all(&bytes)?;
    }
    Ok(())
}
