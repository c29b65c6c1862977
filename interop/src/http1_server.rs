//! A small HTTP/1.1 server built on [`http_codec::ServerCodec`] over
//! [`framing::blocking::Framed`], a thread per connection, for real clients (curl, nginx as a
//! reverse proxy) to talk to.
//!
//! | request | response |
//! |---|---|
//! | `GET /hello` | 200, [`HELLO`] with Content-Length |
//! | `HEAD /hello` | the same head, no body |
//! | `POST /echo` | 200, the request body, chunked, with the trailer `X-Body-Length` |
//! | `GET /big` | 200, [`big_body`] (1 MiB) in chunks of [`BIG_CHUNK`] bytes |
//! | anything else | 404 |
//!
//! A request that does not decode gets the status [`http_codec::Error::status`] gives, with
//! `Connection: close`, and the connection is closed. `Connection: close` and HTTP/1.0's
//! keep-alive rules (RFC 9112 §9.3) are honoured, and `Expect: 100-continue` gets a
//! `100 Continue` before the body is read (RFC 9110 §10.1.1). An HTTP/1.0 client is never sent
//! the chunked coding (RFC 9112 §6.1): its responses have a Content-Length, and the echo's length
//! is a header field instead of a trailer.

use std::io::{self, Read};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use bytes::Bytes;
use framing::AdapterError;
use framing::blocking::Framed;
use http_codec::{Connection, Event, Headers, Request, Response, ServerCodec};

/// The body of `GET /hello`.
pub const HELLO: &[u8] = b"Hello, world!\n";

/// The size of `GET /big`'s body: 1 MiB.
pub const BIG_SIZE: usize = 1024 * 1024;

/// The size of the chunks `GET /big` is sent in: 16 KiB.
pub const BIG_CHUNK: usize = 16 * 1024;

/// The largest request body `POST /echo` accepts (413 above).
pub const MAX_ECHO: usize = 16 * 1024 * 1024;

/// The body of `GET /big`: [`BIG_SIZE`] bytes of a pattern that is not periodic at any chunk
/// boundary, so a lost, repeated or reordered chunk shows.
pub fn big_body() -> Vec<u8> {
    (0..BIG_SIZE)
        .map(|i| ((i % 251) as u8) ^ ((i / BIG_CHUNK) as u8))
        .collect()
}

/// Accepts connections on `listener` until accepting fails, serving each on its own thread with
/// `io_timeout` as its read and write timeout. Bind the listener to 127.0.0.1.
pub fn serve(listener: TcpListener, io_timeout: Duration) -> io::Result<()> {
    loop {
        let (stream, _) = listener.accept()?;
        thread::spawn(move || {
            // A connection's failure ends that connection only.
            let _ = connection(stream, io_timeout);
        });
    }
}

/// Binds 127.0.0.1 on a free port and runs [`serve`] there on a thread; returns the port.
pub fn start(io_timeout: Duration) -> io::Result<u16> {
    let listener = crate::bind_loopback()?;
    let port = listener.local_addr()?.port();
    thread::spawn(move || serve(listener, io_timeout));
    Ok(port)
}

/// Why a connection ended early.
#[derive(Debug)]
enum Failure {
    /// The socket failed.
    Io,
    /// The request did not decode: answer with this status and close.
    Refused(u16),
    /// We could not encode our own response (a bug here).
    Local,
}

impl From<AdapterError<http_codec::Error>> for Failure {
    fn from(e: AdapterError<http_codec::Error>) -> Failure {
        match e {
            AdapterError::Codec(e) => Failure::Refused(e.status()),
            _ => Failure::Io,
        }
    }
}

impl From<http_codec::Error> for Failure {
    fn from(_: http_codec::Error) -> Failure {
        Failure::Local
    }
}

type Conn = Framed<TcpStream, ServerCodec>;

/// Serves one connection: requests one after the other until the client closes, a message asks
/// to close, or a request is refused.
fn connection(stream: TcpStream, io_timeout: Duration) -> io::Result<()> {
    stream.set_read_timeout(Some(io_timeout))?;
    stream.set_write_timeout(Some(io_timeout))?;
    stream.set_nodelay(true)?;
    let mut framed = Framed::new(stream, ServerCodec::default());
    loop {
        let mut method = Bytes::new();
        match exchange(&mut framed, &mut method) {
            Ok(true) => {}
            Ok(false) => break,
            Err(Failure::Refused(status)) => {
                let _ = refuse(&mut framed, status, &method);
                break;
            }
            Err(Failure::Io | Failure::Local) => break,
        }
    }
    lingering_close(framed.get_ref());
    Ok(())
}

/// Reads one request and answers it; `Ok(false)` when the connection is to be closed.
fn exchange(framed: &mut Conn, method: &mut Bytes) -> Result<bool, Failure> {
    let request = match framed.recv()? {
        None => return Ok(false),
        Some(Event::Head(request)) => request,
        Some(_) => return Err(Failure::Local),
    };
    method.clone_from(&request.method);
    let connection = framed.codec().decoder().connection().unwrap_or(Connection {
        keep_alive: false,
        upgrade: false,
        expect_continue: false,
    });
    if connection.expect_continue && request.version.is_http11() {
        framed.feed(Event::Head(Response::new(100)))?;
        framed.send(Event::End(Headers::new()))?;
    }
    let body = read_body(framed)?;
    if framed.codec().decoder().is_paused() {
        // CONNECT or Upgrade: not offered here, so refuse the switch by answering as usual and
        // go on reading HTTP/1.
        framed.codec_mut().resume();
    }
    let keep_alive = connection.keep_alive;
    respond(framed, &request, &body, keep_alive)?;
    Ok(keep_alive)
}

/// The rest of the request: its body, whole.
fn read_body(framed: &mut Conn) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    loop {
        match framed.recv()? {
            Some(Event::Data(d)) => {
                if body.len() + d.len() > MAX_ECHO {
                    return Err(Failure::Refused(413));
                }
                body.extend_from_slice(&d);
            }
            Some(Event::End(_)) => return Ok(body),
            // The stream ended inside the body (the decoder reports truncation as an error,
            // so this is a head, which cannot happen before an end).
            Some(Event::Head(_)) | None => return Err(Failure::Refused(400)),
        }
    }
}

/// Writes the response to `request`.
fn respond(
    framed: &mut Conn,
    request: &Request,
    body: &[u8],
    keep_alive: bool,
) -> Result<(), Failure> {
    let http11 = request.version.is_http11();
    let method = request.method_str();
    let mut response = head(200, http11, keep_alive)?;
    let headers = &mut response.headers;
    match (method, request.target.as_ref()) {
        ("GET" | "HEAD", b"/hello") => {
            headers.append("Content-Type", "text/plain")?;
            headers.append("Content-Length", HELLO.len().to_string())?;
            framed.feed(Event::Head(response))?;
            if method == "GET" {
                framed.feed(Event::Data(Bytes::from_static(HELLO)))?;
            }
            framed.send(Event::End(Headers::new()))?;
        }
        ("POST", b"/echo") => {
            let length = body.len().to_string();
            let mut trailers = Headers::new();
            headers.append("Content-Type", "application/octet-stream")?;
            if http11 {
                headers.append("Transfer-Encoding", "chunked")?;
                headers.append("Trailer", "X-Body-Length")?;
                trailers.append("X-Body-Length", length)?;
            } else {
                headers.append("Content-Length", &length)?;
                headers.append("X-Body-Length", length)?;
            }
            framed.feed(Event::Head(response))?;
            framed.feed(Event::Data(Bytes::copy_from_slice(body)))?;
            framed.send(Event::End(trailers))?;
        }
        ("GET", b"/big") => {
            let mut rest = Bytes::from(big_body());
            headers.append("Content-Type", "application/octet-stream")?;
            if http11 {
                headers.append("Transfer-Encoding", "chunked")?;
            } else {
                headers.append("Content-Length", rest.len().to_string())?;
            }
            framed.send(Event::Head(response))?;
            while !rest.is_empty() {
                let piece = rest.split_to(rest.len().min(BIG_CHUNK));
                framed.send(Event::Data(piece))?;
            }
            framed.send(Event::End(Headers::new()))?;
        }
        _ => text(framed, 404, method, http11, keep_alive)?,
    }
    Ok(())
}

/// A response head with this status and the fields every response here has.
fn head(status: u16, http11: bool, keep_alive: bool) -> Result<Response, Failure> {
    let mut response = Response::new(status);
    response.headers.append("Server", "interop-http1-server")?;
    if !keep_alive {
        response.headers.append("Connection", "close")?;
    } else if !http11 {
        response.headers.append("Connection", "keep-alive")?;
    }
    Ok(response)
}

/// A short text response with this status (no body if it answers HEAD).
fn text(
    framed: &mut Conn,
    status: u16,
    method: &str,
    http11: bool,
    keep_alive: bool,
) -> Result<(), Failure> {
    let mut response = head(status, http11, keep_alive)?;
    let text = format!("{status} {}\n", response.reason.escape_ascii());
    response.headers.append("Content-Type", "text/plain")?;
    response
        .headers
        .append("Content-Length", text.len().to_string())?;
    framed.feed(Event::Head(response))?;
    if method != "HEAD" {
        framed.feed(Event::Data(Bytes::from(text)))?;
    }
    framed.send(Event::End(Headers::new()))?;
    Ok(())
}

/// Answers a refused request with `status` and `Connection: close`.
fn refuse(framed: &mut Conn, status: u16, method: &[u8]) -> Result<(), Failure> {
    let method = std::str::from_utf8(method).unwrap_or("");
    text(framed, status, method, true, false)
}

/// Closes after the last response: our side first, then whatever the client still sends is
/// read and dropped for a moment, so that unread input does not make the kernel reset the
/// connection before the client has read the response (RFC 9112 §9.6).
fn lingering_close(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut sink = [0u8; 4096];
    let mut left = 1024 * 1024;
    while left > 0 {
        match (&*stream).read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left -= n.min(left),
        }
    }
}
