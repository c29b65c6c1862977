//! Serialization (RFC 9112 §2-7): heads written exactly as given (a parsed message comes back
//! byte for byte, so a proxy forwards unchanged what it did not touch), and bodies framed the way
//! the head says: Content-Length, chunked with trailers, or until close.
//!
//! The encoders refuse what would put the peer out of sync: a field or target that could inject
//! a line, more or less body than the Content-Length, a body where none may be.

use std::collections::VecDeque;

use bytes::{BufMut, Bytes, BytesMut};
use framing::Encoder;

use crate::chars::is_tchar;
use crate::error::Error;
use crate::h1::codec::Event;
use crate::h1::head::request_line;
use crate::h1::message_body::{BodyKind, FieldScan};
use crate::{Config, Headers, Request, Response};

/// Writes a request head: request-line, field lines, empty line (RFC 9112 §3).
pub fn encode_request_head(request: &Request, dst: &mut BytesMut) -> Result<(), Error> {
    if request.method.is_empty() || !request.method.iter().all(|&b| is_tchar(b)) {
        return Err(local("method must be a token, RFC 9110 §9.1"));
    }
    if request.target.is_empty() || request.target.iter().any(|&b| b <= b' ' || b == 0x7F) {
        return Err(local(
            "request-target must be non-empty with no space or control character, RFC 9112 §3.2",
        ));
    }
    dst.reserve(request.method.len() + request.target.len() + 12 + fields_len(&request.headers));
    dst.put_slice(&request.method);
    dst.put_u8(b' ');
    dst.put_slice(&request.target);
    dst.put_u8(b' ');
    dst.put_slice(&request.version.as_bytes());
    dst.put_slice(b"\r\n");
    encode_fields(&request.headers, dst);
    Ok(())
}

/// Writes a response head: status-line, field lines, empty line (RFC 9112 §4).
pub fn encode_response_head(response: &Response, dst: &mut BytesMut) -> Result<(), Error> {
    if !(100..=599).contains(&response.status) {
        return Err(local("status-code must be 100..599, RFC 9110 §15"));
    }
    if response
        .reason
        .iter()
        .any(|&b| (b < b' ' && b != b'\t') || b == 0x7F)
    {
        return Err(local("control character in reason-phrase, RFC 9112 §4"));
    }
    dst.reserve(response.reason.len() + 15 + fields_len(&response.headers));
    dst.put_slice(&response.version.as_bytes());
    dst.put_u8(b' ');
    let s = response.status;
    dst.put_slice(&[
        b'0' + (s / 100) as u8,
        b'0' + (s / 10 % 10) as u8,
        b'0' + (s % 10) as u8,
    ]);
    dst.put_u8(b' ');
    dst.put_slice(&response.reason);
    dst.put_slice(b"\r\n");
    encode_fields(&response.headers, dst);
    Ok(())
}

fn fields_len(headers: &Headers) -> usize {
    headers.iter().map(|f| f.line().len() + 2).sum::<usize>() + 2
}

/// Field lines and the empty line (RFC 9112 §2.1, §5). A trailer section is written the same
/// way (RFC 9112 §7.1.2).
fn encode_fields(headers: &Headers, dst: &mut BytesMut) {
    for field in headers {
        dst.put_slice(field.line());
        dst.put_slice(b"\r\n");
    }
    dst.put_slice(b"\r\n");
}

fn local(reason: &'static str) -> Error {
    Error::Local { reason }
}

/// How much body is still to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// Before a head, or after an end.
    Idle,
    /// No body may be written.
    Empty,
    Length(u64),
    Chunked,
    /// Raw bytes until the connection closes.
    Close,
}

/// The shared body writer of both encoders.
#[derive(Debug, Clone)]
struct BodyWriter {
    framing: Framing,
}

impl BodyWriter {
    fn start(&mut self, kind: BodyKind) -> Result<(), Error> {
        if self.framing != Framing::Idle {
            return Err(local("a head before the previous message ended"));
        }
        self.framing = match kind {
            BodyKind::Empty | BodyKind::Tunnel => Framing::Empty,
            BodyKind::Length(n) => Framing::Length(n),
            BodyKind::Chunked => Framing::Chunked,
            BodyKind::CloseDelimited => Framing::Close,
        };
        Ok(())
    }

    fn data(&mut self, data: &Bytes, dst: &mut BytesMut) -> Result<(), Error> {
        match &mut self.framing {
            Framing::Idle => Err(local("body data before a head")),
            Framing::Empty if data.is_empty() => Ok(()),
            Framing::Empty => Err(local(
                "body data for a message without a body: a request needs Content-Length or Transfer-Encoding: chunked in its head to carry one, and a response to HEAD, a 1xx, 204 or 304 never has one, RFC 9112 §6.3",
            )),
            Framing::Length(remaining) => {
                let n = data.len() as u64;
                if n > *remaining {
                    return Err(local("more body than the Content-Length, RFC 9112 §6.2"));
                }
                *remaining -= n;
                dst.put_slice(data);
                Ok(())
            }
            Framing::Chunked => {
                // A zero-size chunk would be the last-chunk: skip empty data.
                if !data.is_empty() {
                    write_chunk_size(data.len() as u64, dst);
                    dst.reserve(data.len() + 2);
                    dst.put_slice(data);
                    dst.put_slice(b"\r\n");
                }
                Ok(())
            }
            Framing::Close => {
                dst.put_slice(data);
                Ok(())
            }
        }
    }

    fn end(&mut self, trailers: &Headers, dst: &mut BytesMut) -> Result<(), Error> {
        match self.framing {
            Framing::Idle => return Err(local("end of message before a head")),
            Framing::Length(n) if n > 0 => {
                return Err(local("less body than the Content-Length, RFC 9112 §6.2"));
            }
            Framing::Chunked => {
                dst.put_slice(b"0\r\n");
                encode_fields(trailers, dst);
            }
            Framing::Empty | Framing::Length(_) | Framing::Close if !trailers.is_empty() => {
                return Err(local("trailers need the chunked coding, RFC 9112 §7.1.2"));
            }
            Framing::Empty | Framing::Length(_) | Framing::Close => {}
        }
        self.framing = Framing::Idle;
        Ok(())
    }
}

/// `chunk-size CRLF` in lowercase hex (RFC 9112 §7.1).
fn write_chunk_size(size: u64, dst: &mut BytesMut) {
    let digits = (64 - size.leading_zeros()).div_ceil(4).max(1);
    dst.reserve(digits as usize + 2);
    for i in (0..digits).rev() {
        let nibble = ((size >> (i * 4)) & 0xF) as usize;
        dst.put_u8(b"0123456789abcdef".get(nibble).copied().unwrap_or(b'0'));
    }
    dst.put_slice(b"\r\n");
}

/// Encodes requests (the client side): a head, its body in `Data` events, then `End` with any
/// trailers. The body is framed as the head's Content-Length or Transfer-Encoding says; a request
/// with neither has no body.
///
/// ```
/// use bytes::BytesMut;
/// use framing::Encoder;
/// use http_codec::{Event, Headers, Request, RequestEncoder};
///
/// let mut request = Request::new("POST", "/upload");
/// request.headers.append("Host", "example.com")?;
/// request.headers.append("Transfer-Encoding", "chunked")?;
/// let mut out = BytesMut::new();
/// let mut encoder = RequestEncoder::default();
/// encoder.encode(Event::Head(request), &mut out)?;
/// encoder.encode(Event::Data("hello".into()), &mut out)?;
/// encoder.encode(Event::End(Headers::new()), &mut out)?;
/// assert_eq!(&out[..], &b"POST /upload HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"[..]);
/// # Ok::<(), http_codec::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct RequestEncoder {
    body: BodyWriter,
    config: Config,
}

impl Default for RequestEncoder {
    fn default() -> Self {
        RequestEncoder::new(Config::default())
    }
}

impl RequestEncoder {
    /// An encoder that checks heads as a decoder with `config` would (so what it writes, a
    /// decoder with the same configuration accepts).
    pub fn new(config: Config) -> RequestEncoder {
        RequestEncoder {
            body: BodyWriter {
                framing: Framing::Idle,
            },
            config,
        }
    }
}

impl Encoder<Event<Request>> for RequestEncoder {
    type Error = Error;

    fn encode(&mut self, item: Event<Request>, dst: &mut BytesMut) -> Result<(), Error> {
        match item {
            Event::Head(request) => {
                let kind = scan(&request.headers)?.request_body(
                    &request.method,
                    request.version,
                    &self.config,
                    0,
                )?;
                if self.body.framing != Framing::Idle {
                    return Err(local("a head before the previous message ended"));
                }
                let start = dst.len();
                encode_request_head(&request, dst)?;
                if let Err(e) = within_limits(&request.headers, dst.len() - start, &self.config) {
                    dst.truncate(start);
                    return Err(e);
                }
                // What we write, a strict decoder must accept: check the request-line with the
                // decoder's own grammar (the target's form against the method, RFC 9112 §3.2).
                let written = dst.get(start..).unwrap_or_default();
                if !matches!(request_line(written, &self.config), Ok(Some(_))) {
                    dst.truncate(start);
                    return Err(local(
                        "the request-line would not parse: target form, characters or version, RFC 9112 §3",
                    ));
                }
                self.body.start(kind)
            }
            Event::Data(data) => self.body.data(&data, dst),
            Event::End(trailers) => self.body.end(&trailers, dst),
        }
    }
}

/// Encodes responses (the server side). A response's body depends on the request it answers:
/// queue each request's method with [`ResponseEncoder::expect`] (none queued means GET). A
/// response with neither Content-Length nor Transfer-Encoding is delimited by closing the
/// connection.
#[derive(Debug, Clone)]
pub struct ResponseEncoder {
    body: BodyWriter,
    config: Config,
    expected: VecDeque<Bytes>,
    interim: bool,
}

impl Default for ResponseEncoder {
    fn default() -> Self {
        ResponseEncoder::new(Config::default())
    }
}

impl ResponseEncoder {
    /// An encoder that checks heads as a decoder with `config` would.
    pub fn new(config: Config) -> ResponseEncoder {
        ResponseEncoder {
            body: BodyWriter {
                framing: Framing::Idle,
            },
            config,
            expected: VecDeque::new(),
            interim: false,
        }
    }

    /// The next response answers a request with this method.
    pub fn expect(&mut self, method: impl Into<Bytes>) {
        self.expected.push_back(method.into());
    }

    /// Whether the response being written ends when the connection closes.
    pub(crate) fn is_close_delimited(&self) -> bool {
        self.body.framing == Framing::Close
    }
}

impl Encoder<Event<Response>> for ResponseEncoder {
    type Error = Error;

    fn encode(&mut self, item: Event<Response>, dst: &mut BytesMut) -> Result<(), Error> {
        match item {
            Event::Head(response) => {
                let method = self.expected.front().map_or(&b"GET"[..], |m| &m[..]);
                let kind = scan(&response.headers)?.response_body(
                    method,
                    response.status,
                    response.version,
                    &self.config,
                )?;
                if self.body.framing != Framing::Idle {
                    return Err(local("a head before the previous message ended"));
                }
                let start = dst.len();
                encode_response_head(&response, dst)?;
                if let Err(e) = within_limits(&response.headers, dst.len() - start, &self.config) {
                    dst.truncate(start);
                    return Err(e);
                }
                self.body.start(kind)?;
                self.interim = response.is_informational() && response.status != 101;
                Ok(())
            }
            Event::Data(data) => self.body.data(&data, dst),
            Event::End(trailers) => {
                self.body.end(&trailers, dst)?;
                if !self.interim {
                    self.expected.pop_front();
                }
                Ok(())
            }
        }
    }
}

/// Whether a decoder with `config` would take a head of `len` bytes with these fields: what an
/// encoder writes, its own side's decoder must accept.
fn within_limits(headers: &Headers, len: usize, config: &Config) -> Result<(), Error> {
    let limits = &config.limits;
    if headers.len() > limits.max_headers {
        return Err(local("more header fields than the configured max_headers"));
    }
    if headers
        .iter()
        .any(|f| f.line().len() > limits.max_field_line)
    {
        return Err(local(
            "a field line longer than the configured max_field_line",
        ));
    }
    if len > limits.max_head_size {
        return Err(local("a head larger than the configured max_head_size"));
    }
    Ok(())
}

fn scan(headers: &Headers) -> Result<FieldScan, Error> {
    let mut scan = FieldScan::default();
    for field in headers {
        scan.field(field.name(), field.value(), 0)?;
    }
    Ok(scan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_sizes_are_minimal_hex() {
        for (n, hex) in [
            (1u64, "1"),
            (15, "f"),
            (16, "10"),
            (4096, "1000"),
            (u64::MAX, "ffffffffffffffff"),
        ] {
            let mut b = BytesMut::new();
            write_chunk_size(n, &mut b);
            assert_eq!(&b[..], format!("{hex}\r\n").as_bytes());
        }
    }

    #[test]
    fn body_must_match_the_framing() {
        let mut e = ResponseEncoder::default();
        let mut out = BytesMut::new();
        let mut r = Response::new(200);
        r.headers.append("Content-Length", "2").unwrap();
        e.encode(Event::Head(r.clone()), &mut out).unwrap();
        assert!(e.encode(Event::Data("abc".into()), &mut out).is_err());
        e.encode(Event::Data("a".into()), &mut out).unwrap();
        assert!(e.encode(Event::End(Headers::new()), &mut out).is_err());
        e.encode(Event::Data("b".into()), &mut out).unwrap();
        e.encode(Event::End(Headers::new()), &mut out).unwrap();
        assert!(e.encode(Event::Data("x".into()), &mut out).is_err());

        let mut e = ResponseEncoder::default();
        e.expect("HEAD");
        e.encode(Event::Head(r), &mut out).unwrap();
        assert!(e.encode(Event::Data("ab".into()), &mut out).is_err());
    }

    #[test]
    fn a_refused_head_starts_no_body() {
        let mut e = RequestEncoder::default();
        let mut out = BytesMut::new();
        let mut r = Request::new("", "/");
        r.headers.append("Host", "a").unwrap();
        r.headers.append("Content-Length", "3").unwrap();
        assert!(e.encode(Event::Head(r), &mut out).is_err());
        assert!(e.encode(Event::Data("abc".into()), &mut out).is_err());
        assert!(out.is_empty());
        for (method, target) in [
            ("GET", "*"),
            ("CONNECT", "/"),
            ("GET", "/a<b"),
            ("GET", "/\u{e9}"),
        ] {
            let mut r = Request::new(method, target.to_string());
            r.headers.append("Host", "a").unwrap();
            assert!(
                e.encode(Event::Head(r), &mut out).is_err(),
                "{method} {target}"
            );
            assert!(out.is_empty());
        }
    }

    #[test]
    fn heads_over_the_limits_are_refused() {
        let mut r = Response::new(200);
        for i in 0..101 {
            r.headers.append(format!("X-{i}"), "v").unwrap();
        }
        let mut out = BytesMut::new();
        assert!(
            ResponseEncoder::default()
                .encode(Event::Head(r), &mut out)
                .is_err()
        );
        assert!(out.is_empty());
    }

    #[test]
    fn heads_that_would_inject_are_refused() {
        let mut out = BytesMut::new();
        assert!(encode_request_head(&Request::new("GET", "/a b"), &mut out).is_err());
        assert!(encode_request_head(&Request::new("G T", "/"), &mut out).is_err());
        assert!(encode_request_head(&Request::new("GET", "/\r\nX: y"), &mut out).is_err());
        let mut r = Response::new(200);
        r.reason = "OK\r\nX: y".into();
        assert!(encode_response_head(&r, &mut out).is_err());
        assert!(encode_response_head(&Response::new(99), &mut out).is_err());
    }
}
