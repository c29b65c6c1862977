//! The streaming decoders: [`framing::Decoder`]s that turn a byte stream into a head, then body
//! data as it arrives, then the end of the message with its trailers (RFC 9112 §2-7).
//!
//! Frame first, then parse: the head is searched for its empty line with a scan that resumes
//! where it stopped, and parsed once when it is complete, so a head fed one byte at a time costs
//! about what it costs whole. Body data is split off the input buffer as `Bytes` (no copy) and
//! never buffered.

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use framing::{Decoder, IntoBytes};

use crate::error::{Error, Found, Limit};
use crate::field::{Field, Headers};
use crate::h1::chunked::{ChunkItem, Chunked};
use crate::h1::head::{Section, header_section, request_line, span, status_line};
use crate::h1::message_body::{BodyKind, Connection, FieldScan};
use crate::h1::scan::{BlockLimits, BlockScan};
use crate::{Config, Request, Response};

/// One piece of a message, in order: `Head`, any number of `Data`, `End`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event<H> {
    /// The head (request-line or status-line and header fields).
    Head(H),
    /// A piece of the body, with any transfer coding removed.
    Data(Bytes),
    /// The end of the message, with the trailer fields of a chunked body (RFC 9112 §7.1.2), or
    /// none.
    End(Headers),
}

impl<H> Event<H> {
    /// A piece of body: owned bytes move in, borrowed ones are copied ([`IntoBytes`]), so a
    /// `&str` that is not `'static` works as well as a `Bytes`.
    pub fn data(bytes: impl IntoBytes) -> Event<H> {
        Event::Data(bytes.into_shared())
    }
}

/// Where a decoder is in the stream.
#[derive(Debug, Clone)]
enum State {
    Head(BlockScan),
    Body(Body),
    /// The stream is no longer HTTP/1 (CONNECT, Upgrade) or awaits the caller's decision:
    /// nothing more is consumed.
    Paused,
}

#[derive(Debug, Clone)]
enum Body {
    Empty,
    Length(u64),
    Chunked(Chunked),
    Close,
}

/// What both decoders share: the configuration, the state, and the stream offset.
#[derive(Debug, Clone)]
struct Core {
    config: Config,
    state: State,
    /// Stream offset of the first byte of the buffer.
    offset: u64,
    body_size: u64,
    /// Whether this decodes requests (for which limit a long first line crosses).
    is_request: bool,
}

impl Core {
    fn new(config: Config, is_request: bool) -> Core {
        Core {
            config,
            state: State::Head(BlockScan::default()),
            offset: 0,
            body_size: 0,
            is_request,
        }
    }

    /// Drops the empty lines a request may be preceded by (RFC 9112 §2.2).
    fn skip_empty_lines(&mut self, src: &mut BytesMut) {
        let bare_lf = self.config.leniency.bare_lf();
        let mut n = 0;
        loop {
            match src.get(n..) {
                Some([b'\r', b'\n', ..]) => n += 2,
                Some([b'\n', ..]) if bare_lf => n += 1,
                _ => break,
            }
        }
        if n > 0 {
            let _ = src.split_to(n);
            self.offset += n as u64;
            // What the scan looked at so far was those empty lines.
            self.state = State::Head(BlockScan::default());
        }
    }

    /// The complete head at the start of `src`, split off, or `None`; refuses a head that has
    /// grown past a limit before its end arrived.
    fn take_head(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Error> {
        let State::Head(scan) = &mut self.state else {
            return Ok(None);
        };
        let limits = &self.config.limits;
        // A response has no request-line: its status-line counts against the head.
        let first = if self.is_request {
            Limit::RequestLine
        } else {
            Limit::Head
        };
        let block = BlockLimits {
            first_line: (limits.max_start_line, first),
            line: (limits.max_field_line, Limit::FieldLine),
            total: (limits.max_head_size, Limit::Head),
        };
        let end = match scan.find_end(src, &block) {
            Ok(Some(end)) => end,
            Ok(None) => return Ok(None),
            Err(crossed) => {
                return Err(Error::TooLarge {
                    offset: self.offset + crossed.start as u64,
                    what: crossed.what,
                    limit: crossed.limit as u64,
                });
            }
        };
        let head = src.split_to(end).freeze();
        Ok(Some(head))
    }

    fn start_body(&mut self, kind: BodyKind) {
        self.body_size = 0;
        self.state = State::Body(match kind {
            BodyKind::Empty | BodyKind::Tunnel => Body::Empty,
            BodyKind::Length(n) => Body::Length(n),
            BodyKind::Chunked => Body::Chunked(Chunked::new()),
            BodyKind::CloseDelimited => Body::Close,
        });
    }

    /// The next body event, or `None`; `Some(End)` also says the message is over.
    fn body(&mut self, src: &mut BytesMut, eof: bool) -> Result<Option<BodyEvent>, Error> {
        let State::Body(body) = &mut self.state else {
            return Ok(None);
        };
        match body {
            Body::Empty => Ok(Some(BodyEvent::End(Headers::new()))),
            Body::Length(0) => Ok(Some(BodyEvent::End(Headers::new()))),
            Body::Length(remaining) => {
                if src.is_empty() {
                    return if eof {
                        Err(Error::Truncated {
                            offset: self.offset,
                            inside: "a Content-Length body",
                        })
                    } else {
                        Ok(None)
                    };
                }
                let n = usize::try_from(*remaining)
                    .unwrap_or(usize::MAX)
                    .min(src.len());
                *remaining -= n as u64;
                self.offset += n as u64;
                Ok(Some(BodyEvent::Data(src.split_to(n).freeze())))
            }
            Body::Close => {
                if src.is_empty() {
                    return Ok(eof.then(|| BodyEvent::End(Headers::new())));
                }
                let mut n = src.len();
                if let Some(max) = self.config.limits.max_body_size {
                    // Hand out the body up to the limit, then refuse at the first byte past it:
                    // the same data and the same offset however the bytes arrived.
                    let allowed = max.saturating_sub(self.body_size);
                    if allowed == 0 {
                        return Err(Error::TooLarge {
                            offset: self.offset,
                            what: Limit::Body,
                            limit: max,
                        });
                    }
                    n = n.min(usize::try_from(allowed).unwrap_or(usize::MAX));
                }
                self.body_size = self.body_size.saturating_add(n as u64);
                self.offset += n as u64;
                Ok(Some(BodyEvent::Data(src.split_to(n).freeze())))
            }
            Body::Chunked(chunked) => {
                let item =
                    chunked.decode(src, &self.config, &mut self.offset, &mut self.body_size)?;
                match item {
                    Some(ChunkItem::Data(d)) => Ok(Some(BodyEvent::Data(d))),
                    Some(ChunkItem::End(t)) => Ok(Some(BodyEvent::End(t))),
                    None if eof => Err(Error::Truncated {
                        offset: self.offset + src.len() as u64,
                        inside: "a chunked body",
                    }),
                    None => Ok(None),
                }
            }
        }
    }

    /// After a message: the next head, or a pause if `last` switched protocols.
    fn end_message(&mut self, last: Option<Head>) {
        self.state = if last.is_some_and(|h| h.pause) {
            State::Paused
        } else {
            State::Head(BlockScan::default())
        };
    }

    fn truncated_head(&self, src: &BytesMut) -> Error {
        Error::Truncated {
            offset: self.offset + src.len() as u64,
            inside: "a message head",
        }
    }
}

enum BodyEvent {
    Data(Bytes),
    End(Headers),
}

/// Decodes requests (the server side of RFC 9112): [`Event::Head`] with a [`Request`], the
/// body, [`Event::End`]; then the next request, so pipelined requests come out in order.
///
/// After a CONNECT request or one asking for an Upgrade, the decoder pauses and consumes nothing
/// more: whatever follows may not be HTTP/1. Call [`RequestDecoder::resume`] if the server
/// refused the switch; otherwise take the remaining bytes from the buffer.
///
/// ```
/// use bytes::BytesMut;
/// use framing::Decoder;
/// use http_codec::{Event, RequestDecoder};
///
/// let mut decoder = RequestDecoder::default();
/// let mut buf = BytesMut::from(&b"POST /form HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"[..]);
/// let Some(Event::Head(req)) = decoder.decode(&mut buf)? else { panic!() };
/// assert_eq!(req.target, "/form");
/// assert_eq!(decoder.decode(&mut buf)?, Some(Event::Data("abc".into())));
/// assert!(matches!(decoder.decode(&mut buf)?, Some(Event::End(trailers)) if trailers.is_empty()));
/// assert_eq!(decoder.decode(&mut buf)?, None);
/// # Ok::<(), http_codec::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct RequestDecoder {
    core: Core,
    last: Option<Head>,
}

/// What a decoder learnt from the last head it decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head {
    body: BodyKind,
    connection: Connection,
    /// Whether the decoder pauses after this message.
    pause: bool,
}

impl Default for RequestDecoder {
    fn default() -> Self {
        RequestDecoder::new(Config::default())
    }
}

impl RequestDecoder {
    /// A decoder with these limits and relaxations.
    pub fn new(config: Config) -> RequestDecoder {
        RequestDecoder {
            core: Core::new(config, true),
            last: None,
        }
    }

    /// How the body of the last request is framed.
    pub fn body_kind(&self) -> Option<BodyKind> {
        self.last.map(|h| h.body)
    }

    /// Keep-alive, upgrade and 100-continue of the last request.
    pub fn connection(&self) -> Option<Connection> {
        self.last.map(|h| h.connection)
    }

    /// Whether the decoder stopped after a CONNECT or Upgrade request.
    pub fn is_paused(&self) -> bool {
        matches!(self.core.state, State::Paused)
    }

    /// Goes on decoding requests after a pause (the server refused the switch).
    pub fn resume(&mut self) {
        if self.is_paused() {
            self.core.state = State::Head(BlockScan::default());
        }
    }

    /// Stream offset of the next byte the decoder will read.
    pub fn offset(&self) -> u64 {
        self.core.offset
    }

    fn head(&mut self, head: &Bytes) -> Result<Request, Error> {
        let config = self.core.config;
        let base = self.core.offset;
        let parsed = parse_request_head(head, &config).map_err(|e| e.shifted(base));
        self.core.offset += head.len() as u64;
        let (request, scan) = parsed?;
        let body = scan
            .request_body(&request.method, request.version, &config, head.len() as u64)
            .map_err(|e| e.shifted(base))?;
        let connection = scan.connection(request.version);
        let pause = request.method == "CONNECT" || connection.upgrade;
        self.last = Some(Head {
            body,
            connection,
            pause,
        });
        self.core.start_body(body);
        Ok(request)
    }

    fn next(&mut self, src: &mut BytesMut, eof: bool) -> Result<Option<Event<Request>>, Error> {
        match self.core.state {
            State::Paused => Ok(None),
            State::Head(_) => {
                self.core.skip_empty_lines(src);
                match self.core.take_head(src)? {
                    Some(head) => Ok(Some(Event::Head(self.head(&head)?))),
                    None if eof && !src.is_empty() => Err(self.core.truncated_head(src)),
                    None => Ok(None),
                }
            }
            State::Body(_) => match self.core.body(src, eof)? {
                Some(BodyEvent::Data(d)) => Ok(Some(Event::Data(d))),
                Some(BodyEvent::End(t)) => {
                    self.core.end_message(self.last);
                    Ok(Some(Event::End(t)))
                }
                None => Ok(None),
            },
        }
    }
}

impl Decoder for RequestDecoder {
    type Item = Event<Request>;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Event<Request>>, Error> {
        self.next(src, false)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Event<Request>>, Error> {
        self.next(src, true)
    }
}

/// Parses a complete request head (it ends with its empty line).
fn parse_request_head(head: &Bytes, config: &Config) -> Result<(Request, FieldScan), Error> {
    let line = request_line(head, config)?.ok_or_else(|| incomplete_line(head))?;
    let (headers, scan) = header_fields(head, line.end, line.start, config)?;
    let request = Request {
        method: head.slice_ref(span(head, line.method)),
        target: head.slice_ref(span(head, line.target)),
        version: line.version,
        headers,
    };
    Ok((request, scan))
}

/// The header section of a complete head, from `start`: the fields, and what their framing
/// fields say.
fn header_fields(
    head: &Bytes,
    start: usize,
    head_start: usize,
    config: &Config,
) -> Result<(Headers, FieldScan), Error> {
    let mut scan = FieldScan::default();
    let mut headers = Headers::new();
    header_section(head, start, head_start, config, Section::Head, |f| {
        let field = Field::from_parsed(head, f);
        scan.field(field.name(), field.value(), f.line_start as u64)?;
        headers.push(field);
        Ok(())
    })?;
    Ok((headers, scan))
}

/// A start-line the parser still wants more of although the head has ended: it ended early.
fn incomplete_line(head: &[u8]) -> Error {
    Error::Syntax {
        offset: head.len() as u64,
        production: "start-line",
        found: Found::End,
        reason: "the head ended inside its start-line, RFC 9112 §2.1",
    }
}

/// Decodes responses (the client side of RFC 9112). A response's body depends on the request it
/// answers (HEAD, CONNECT): tell the decoder with [`ResponseDecoder::expect`] in the order the
/// requests were sent; a response with nothing expected is taken as the answer to a GET.
///
/// Interim 1xx responses come out as a head and an end, before the final response to the same
/// request. After a 101 or a 2xx to CONNECT the decoder stops: what follows is another protocol,
/// left in the buffer. Told the whole request with [`ResponseDecoder::expect_request`], the
/// decoder refuses a 101 to a request that asked for no upgrade (RFC 9110 §15.2.2), so the
/// bytes after it stay HTTP/1.
#[derive(Debug, Clone)]
pub struct ResponseDecoder {
    core: Core,
    expected: VecDeque<Expected>,
    last: Option<Head>,
    interim: bool,
}

/// The request a response will answer, as far as its body and a protocol switch depend on it.
#[derive(Debug, Clone)]
struct Expected {
    method: Bytes,
    /// Whether the request asked for an upgrade; `None` when the caller gave the method only.
    upgrade: Option<bool>,
}

impl Default for ResponseDecoder {
    fn default() -> Self {
        ResponseDecoder::new(Config::default())
    }
}

impl ResponseDecoder {
    /// A decoder with these limits and relaxations.
    pub fn new(config: Config) -> ResponseDecoder {
        ResponseDecoder {
            core: Core::new(config, false),
            expected: VecDeque::new(),
            last: None,
            interim: false,
        }
    }

    /// The next response answers a request with this method (queue one per request sent).
    /// Whether that request asked for an upgrade is unknown, so a 101 is taken as a switch; use
    /// [`ResponseDecoder::expect_request`] where the request is at hand.
    pub fn expect(&mut self, method: impl Into<Bytes>) {
        self.expected.push_back(Expected {
            method: method.into(),
            upgrade: None,
        });
    }

    /// The next response answers this request (queue one per request sent): its method decides
    /// the body (HEAD, CONNECT), and a 101 is refused unless it asked for an upgrade
    /// ([`Request::asks_switch`], RFC 9110 §15.2.2).
    pub fn expect_request(&mut self, request: &Request) {
        self.expect_switch(request.method.clone(), request.asks_switch());
    }

    /// [`ResponseDecoder::expect_request`] from what was read off the request beforehand.
    pub(crate) fn expect_switch(&mut self, method: Bytes, upgrade: bool) {
        self.expected.push_back(Expected {
            method,
            upgrade: Some(upgrade),
        });
    }

    /// How the body of the last response is framed.
    pub fn body_kind(&self) -> Option<BodyKind> {
        self.last.map(|h| h.body)
    }

    /// Keep-alive and upgrade of the last response.
    pub fn connection(&self) -> Option<Connection> {
        self.last.map(|h| h.connection)
    }

    /// Whether the connection has switched protocols (101, or 2xx to CONNECT).
    pub fn is_switched(&self) -> bool {
        matches!(self.core.state, State::Paused)
    }

    /// Stream offset of the next byte the decoder will read.
    pub fn offset(&self) -> u64 {
        self.core.offset
    }

    fn head(&mut self, head: &Bytes) -> Result<Response, Error> {
        let config = self.core.config;
        let base = self.core.offset;
        let parsed = parse_response_head(head, &config).map_err(|e| e.shifted(base));
        self.core.offset += head.len() as u64;
        let (response, scan) = parsed?;
        if response.status == 101
            && self
                .expected
                .front()
                .is_some_and(|e| e.upgrade == Some(false))
        {
            return Err(Error::Syntax {
                // The status-code follows "HTTP/1.x " (RFC 9112 §4).
                offset: base + 9,
                production: "status-code",
                found: Found::Byte(b'1'),
                reason: "101 Switching Protocols to a request that asked for no upgrade, RFC 9110 §15.2.2",
            });
        }
        let method = self.expected.front().map_or(&b"GET"[..], |e| &e.method[..]);
        let body = scan
            .response_body(method, response.status, response.version, &config)
            .map_err(|e| e.shifted(base))?;
        let connection = scan.connection(response.version);
        self.interim = response.is_informational() && response.status != 101;
        self.last = Some(Head {
            body,
            connection: Connection {
                keep_alive: connection.keep_alive && body != BodyKind::CloseDelimited,
                ..connection
            },
            pause: body == BodyKind::Tunnel,
        });
        self.core.start_body(body);
        Ok(response)
    }

    fn next(&mut self, src: &mut BytesMut, eof: bool) -> Result<Option<Event<Response>>, Error> {
        match self.core.state {
            State::Paused => Ok(None),
            State::Head(_) => match self.core.take_head(src)? {
                Some(head) => Ok(Some(Event::Head(self.head(&head)?))),
                None if eof && !src.is_empty() => Err(self.core.truncated_head(src)),
                None => Ok(None),
            },
            State::Body(_) => match self.core.body(src, eof)? {
                Some(BodyEvent::Data(d)) => Ok(Some(Event::Data(d))),
                Some(BodyEvent::End(t)) => {
                    if !self.interim {
                        self.expected.pop_front();
                    }
                    self.core.end_message(self.last);
                    Ok(Some(Event::End(t)))
                }
                None => Ok(None),
            },
        }
    }
}

impl Decoder for ResponseDecoder {
    type Item = Event<Response>;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Event<Response>>, Error> {
        self.next(src, false)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Event<Response>>, Error> {
        self.next(src, true)
    }
}

/// Parses a complete response head.
fn parse_response_head(head: &Bytes, config: &Config) -> Result<(Response, FieldScan), Error> {
    let line = status_line(head, config)?.ok_or_else(|| incomplete_line(head))?;
    let (headers, scan) = header_fields(head, line.end, 0, config)?;
    let response = Response {
        version: line.version,
        status: line.status,
        reason: head.slice_ref(span(head, line.reason)),
        headers,
    };
    Ok((response, scan))
}
