//! A blocking HTTP/1.1 client over any `std::io::Read + Write` stream: a thin driver that owns
//! the stream and runs a [`ClientSession`], which keeps every protocol rule (pipelining order,
//! keep-alive, the end of the connection, protocol switches). It sends a request with its body
//! and reads a whole response with its trailers.
//!
//! When to use which:
//! - [`Client`]: whole messages, buffered, one call each. Pipelining is [`Client::send`] several
//!   times, then [`Client::recv`] as many times.
//! - [`ClientSession`]: any I/O (async, an event loop, a test), bodies streamed piece by piece.
//! - `framing::blocking::Framed<_, ClientCodec>`: the raw event stream of one connection with
//!   no session rules on top (a proxy or a test tool that must see every byte as it comes).
//!
//! ```no_run
//! use std::net::TcpStream;
//! use http_codec::Request;
//! use http_codec::blocking::Client;
//!
//! let mut client = Client::new(TcpStream::connect("127.0.0.1:8080")?);
//! let response = client.request(Request::get("/hello").header("Host", "localhost")?, "")?;
//! println!("{} ({} bytes)", response.head, response.body.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{ErrorKind, Read, Write};

use bytes::{Bytes, BytesMut};
use framing::{AdapterError, IntoBytes};

use crate::error::{Error, Limit};
use crate::{ClientEvent, ClientSession, Config, Event, Headers, Request, Response};

/// What the blocking client reports: an I/O error, or the codec's.
pub type ClientError = AdapterError<Error>;

/// A whole response: interim (1xx) heads that came first, the final head, the body with its
/// transfer coding removed, and the trailers of a chunked body (RFC 9112 §7.1.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullResponse {
    /// Interim responses before the final one (`100 Continue`, `103 Early Hints`, ...).
    pub interim: Vec<Response>,
    /// The final response's head.
    pub head: Response,
    /// The body.
    pub body: Bytes,
    /// The trailer fields, empty unless the body was chunked and had some.
    pub trailers: Headers,
}

/// The largest body [`Client::recv`] buffers by default: 16 MiB.
pub const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;

/// A blocking HTTP/1 client on one connection (see the module docs).
#[derive(Debug)]
pub struct Client<S> {
    stream: S,
    session: ClientSession,
    max_body: usize,
    eof: bool,
}

impl<S: Read + Write> Client<S> {
    /// A client with the default limits and no relaxations.
    pub fn new(stream: S) -> Client<S> {
        Client::with_config(stream, Config::default())
    }

    /// A client whose response decoder has these limits and relaxations.
    pub fn with_config(stream: S, config: Config) -> Client<S> {
        Client {
            stream,
            session: ClientSession::new(config),
            max_body: DEFAULT_MAX_BODY,
            eof: false,
        }
    }

    /// The largest response body [`Client::recv`] buffers; a longer one is
    /// [`Error::TooLarge`] with [`Limit::Body`]. [`DEFAULT_MAX_BODY`] by default.
    pub fn max_body(mut self, max: usize) -> Client<S> {
        self.max_body = max;
        self
    }

    /// Writes `request` with `body`. A head with neither Content-Length nor Transfer-Encoding
    /// gets `Content-Length` when the body is not empty, or when the method is POST or PUT
    /// (RFC 9110 §8.6: a user agent sends it for those even when it is 0). The request may be
    /// pipelined: call [`Client::recv`] once per request, in order.
    pub fn send(&mut self, mut request: Request, body: impl IntoBytes) -> Result<(), ClientError> {
        let body = body.into_shared();
        let framed = request.headers.contains("content-length")
            || request.headers.contains("transfer-encoding");
        if !framed && (!body.is_empty() || request.method == "POST" || request.method == "PUT") {
            request
                .headers
                .append("Content-Length", body.len().to_string())
                .map_err(AdapterError::Codec)?;
        }
        let session = &mut self.session;
        session
            .send(Event::Head(request))
            .map_err(AdapterError::Codec)?;
        if !body.is_empty() {
            session
                .send(Event::Data(body))
                .map_err(AdapterError::Codec)?;
        }
        session
            .send(Event::End(Headers::new()))
            .map_err(AdapterError::Codec)?;
        while let Some(bytes) = self.session.poll_transmit() {
            self.stream.write_all(&bytes)?;
        }
        self.stream.flush()?;
        Ok(())
    }

    /// Reads the next whole response, the answer to the oldest request not yet answered.
    pub fn recv(&mut self) -> Result<FullResponse, ClientError> {
        let mut interim = Vec::new();
        let mut head = None;
        let mut body = BytesMut::new();
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            while let Some(event) = self.session.poll_event().map_err(AdapterError::Codec)? {
                match event {
                    ClientEvent::Message(Event::Head(h)) => head = Some(h),
                    ClientEvent::Message(Event::Data(d)) => {
                        if body.len().saturating_add(d.len()) > self.max_body {
                            return Err(AdapterError::Codec(Error::TooLarge {
                                offset: body.len() as u64,
                                what: Limit::Body,
                                limit: self.max_body as u64,
                            }));
                        }
                        body.extend_from_slice(&d);
                    }
                    ClientEvent::Message(Event::End(trailers)) => match head.take() {
                        Some(h) if h.is_informational() && h.status != 101 => interim.push(h),
                        Some(h) => {
                            return Ok(FullResponse {
                                interim,
                                head: h,
                                body: body.freeze(),
                                trailers,
                            });
                        }
                        None => {}
                    },
                    ClientEvent::Closed => {
                        return Err(AdapterError::Io(ErrorKind::UnexpectedEof.into()));
                    }
                }
            }
            if self.eof {
                return Err(AdapterError::Io(ErrorKind::UnexpectedEof.into()));
            }
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    self.eof = true;
                    self.session.receive_eof();
                }
                Ok(n) => self.session.receive(chunk.get(..n).unwrap_or_default()),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(AdapterError::Io(e)),
            }
        }
    }

    /// [`Client::send`], then [`Client::recv`].
    pub fn request(
        &mut self,
        request: Request,
        body: impl IntoBytes,
    ) -> Result<FullResponse, ClientError> {
        self.send(request, body)?;
        self.recv()
    }

    /// The session: [`ClientSession::outstanding`], [`ClientSession::is_closing`], ...
    pub fn session(&self) -> &ClientSession {
        &self.session
    }

    /// The stream.
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// The stream and, after a protocol switch, the bytes the server sent after its 101 or 2xx
    /// head (they belong to the new protocol).
    pub fn into_parts(mut self) -> (S, BytesMut) {
        let rest = self.session.take_remaining();
        (self.stream, rest)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// A stream that reads from a script and records what is written.
    struct Script {
        input: std::io::Cursor<Vec<u8>>,
        output: Vec<u8>,
    }

    impl Read for Script {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            // Two bytes at a time: the client must put responses together from pieces.
            let n = buf.len().min(2);
            self.input.read(&mut buf[..n])
        }
    }

    impl Write for Script {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.output.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn client(input: &[u8]) -> Client<Script> {
        Client::new(Script {
            input: std::io::Cursor::new(input.to_vec()),
            output: Vec::new(),
        })
    }

    #[test]
    fn pipelined_requests_get_whole_responses_with_trailers() {
        let mut c = client(
            b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi\
              HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n1\r\nd\r\n0\r\nX-Sum: 4\r\n\r\n",
        );
        c.send(Request::get("/1").header("Host", "a").unwrap(), "")
            .unwrap();
        c.send(Request::post("/2").header("Host", "a").unwrap(), "body")
            .unwrap();
        let first = c.recv().unwrap();
        assert_eq!(first.interim.len(), 1);
        assert_eq!(first.interim[0].status, 103);
        assert_eq!(first.body, "hi");
        let second = c.recv().unwrap();
        assert_eq!(second.body, "abcd");
        assert_eq!(second.trailers.get("x-sum"), Some(&b"4"[..]));
        assert_eq!(
            c.get_ref().output,
            b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody"
        );
        assert!(c.session().is_idle());
        // No third response: the connection ended.
        c.send(Request::get("/3").header("Host", "a").unwrap(), "")
            .unwrap();
        assert!(
            matches!(c.recv(), Err(AdapterError::Io(e)) if e.kind() == ErrorKind::UnexpectedEof)
        );
    }

    #[test]
    fn a_body_over_the_limit_is_refused() {
        let mut c = client(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789").max_body(4);
        let e = c
            .request(Request::get("/").header("Host", "a").unwrap(), "")
            .unwrap_err();
        assert!(
            matches!(
                e,
                AdapterError::Codec(Error::TooLarge {
                    what: Limit::Body,
                    limit: 4,
                    ..
                })
            ),
            "{e}"
        );
    }
}
