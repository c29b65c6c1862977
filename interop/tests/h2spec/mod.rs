//! The shared machinery of the h2spec-like conformance suite (`h2spec_generic.rs`,
//! `h2spec_http2.rs`, `h2spec_hpack.rs`): a raw HTTP/2 client on a `TcpStream` that writes
//! frames byte for byte (malformed ones too) and reads the server's frames back as events,
//! and the verdicts h2spec (github.com/summerwind/h2spec, `spec/verifier.go`) gives.
//!
//! Each case starts its own `h2_server` on a fresh loopback port (so cases run in parallel and
//! one server's failure cannot spill into another case) and opens one or two connections to
//! it, as h2spec does: h2spec dials a new connection per case.
//!
//! How h2spec reads the server (`spec/connection.go`, `WaitEvent`): one frame per event; a read
//! that ends cleanly at a frame boundary or is reset is "connection closed"; a read timeout is
//! "timeout" and ends the case; anything else (end of stream inside a frame) is an error that
//! ends it too. The verdicts accept exactly what h2spec accepts, with one difference that makes
//! them stricter, never looser: a GOAWAY or RST_STREAM with an error code other than the
//! expected ones fails the case at once, where h2spec would keep reading and pass on a later
//! close.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    dead_code
)]

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use http_codec::h2::hpack::{Encoder, HeaderField};
use interop::{ChildGuard, start_example};

/// How long one wait for the server may take (h2spec's `--timeout`, 2 s by default; longer
/// here because several servers share a loaded machine: a passing case never waits it out).
pub const TIMEOUT: Duration = Duration::from_secs(5);
// The protocol constants below are written out again from the RFC rather than taken from
// `http_codec::h2::frame`: the suite judges that code, so a wrong constant there must not be
// able to make both sides agree.

/// The initial flow-control window (RFC 9113 §6.9.2).
pub const DEFAULT_WINDOW_SIZE: u32 = 65_535;
/// The initial SETTINGS_MAX_FRAME_SIZE (RFC 9113 §6.5.2).
pub const DEFAULT_FRAME_SIZE: u32 = 16_384;
/// h2spec's `--max-header-length`: the length of each dummy field value.
pub const MAX_HEADER_LEN: usize = 4000;
/// The client connection preface (RFC 9113 §3.4).
pub const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Frame types (RFC 9113 §6).
pub mod kind {
    pub const DATA: u8 = 0x0;
    pub const HEADERS: u8 = 0x1;
    pub const PRIORITY: u8 = 0x2;
    pub const RST_STREAM: u8 = 0x3;
    pub const SETTINGS: u8 = 0x4;
    pub const PUSH_PROMISE: u8 = 0x5;
    pub const PING: u8 = 0x6;
    pub const GOAWAY: u8 = 0x7;
    pub const WINDOW_UPDATE: u8 = 0x8;
    pub const CONTINUATION: u8 = 0x9;
}

/// Error codes (RFC 9113 §7).
pub mod code {
    pub const NO_ERROR: u32 = 0x0;
    pub const PROTOCOL_ERROR: u32 = 0x1;
    pub const FLOW_CONTROL_ERROR: u32 = 0x3;
    pub const STREAM_CLOSED: u32 = 0x5;
    pub const FRAME_SIZE_ERROR: u32 = 0x6;
    pub const REFUSED_STREAM: u32 = 0x7;
    pub const CANCEL: u32 = 0x8;
    pub const COMPRESSION_ERROR: u32 = 0x9;
}

/// SETTINGS identifiers (RFC 9113 §6.5.2).
pub mod setting {
    pub const HEADER_TABLE_SIZE: u16 = 0x1;
    pub const ENABLE_PUSH: u16 = 0x2;
    pub const MAX_CONCURRENT_STREAMS: u16 = 0x3;
    pub const INITIAL_WINDOW_SIZE: u16 = 0x4;
    pub const MAX_FRAME_SIZE: u16 = 0x5;
    pub const MAX_HEADER_LIST_SIZE: u16 = 0x6;
}

const END_STREAM: u8 = 0x1;
const ACK: u8 = 0x1;
const END_HEADERS: u8 = 0x4;
const PADDED: u8 = 0x8;
const PRIORITY_FLAG: u8 = 0x20;

/// `h2_server` on a fresh loopback port, killed when this is dropped.
pub struct Server {
    _guard: ChildGuard,
    pub port: u16,
}

/// Starts `h2_server` on a loopback port it picks.
pub fn server() -> Server {
    let (guard, port) = start_example("h2_server", &[], Duration::from_secs(120)).unwrap();
    Server {
        _guard: guard,
        port,
    }
}

/// Runs one case: a fresh server, a connection to it, and `case`; panics with h2spec's
/// "expected / actual" when the case fails.
pub fn run(case: impl FnOnce(&Server, &mut Conn) -> Result<(), String>) {
    let server = server();
    let mut conn = Conn::dial(&server);
    if let Err(e) = case(&server, &mut conn) {
        panic!("{e}");
    }
}

/// One frame the server sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub kind: u8,
    pub flags: u8,
    pub stream: u32,
    pub payload: Vec<u8>,
}

impl Frame {
    /// The error code of a GOAWAY (octets 4..8) or RST_STREAM (octets 0..4).
    pub fn error_code(&self) -> Option<u32> {
        let at = match self.kind {
            kind::GOAWAY => 4,
            kind::RST_STREAM => 0,
            _ => return None,
        };
        let b = self.payload.get(at..at + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn is_ack(&self) -> bool {
        self.flags & ACK != 0
    }

    /// END_STREAM on a DATA or HEADERS frame.
    pub fn ends_stream(&self) -> bool {
        matches!(self.kind, kind::DATA | kind::HEADERS) && self.flags & END_STREAM != 0
    }
}

impl std::fmt::Display for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self.kind {
            kind::DATA => "DATA",
            kind::HEADERS => "HEADERS",
            kind::PRIORITY => "PRIORITY",
            kind::RST_STREAM => "RST_STREAM",
            kind::SETTINGS => "SETTINGS",
            kind::PUSH_PROMISE => "PUSH_PROMISE",
            kind::PING => "PING",
            kind::GOAWAY => "GOAWAY",
            kind::WINDOW_UPDATE => "WINDOW_UPDATE",
            kind::CONTINUATION => "CONTINUATION",
            _ => "unknown",
        };
        write!(
            f,
            "{name} frame (length:{}, flags:0x{:02x}, stream_id:{}",
            self.payload.len(),
            self.flags,
            self.stream
        )?;
        if let Some(code) = self.error_code() {
            write!(f, ", error code:0x{code:x}")?;
        }
        if self.kind == kind::GOAWAY && self.payload.len() > 8 {
            write!(
                f,
                ", debug:{:?}",
                String::from_utf8_lossy(&self.payload[8..])
            )?;
        }
        write!(f, ")")
    }
}

/// What one wait on the connection gave (h2spec's events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Frame(Frame),
    /// The server closed the connection (at a frame boundary) or reset it.
    Closed,
    /// Nothing arrived within [`TIMEOUT`].
    Timeout,
    /// The stream ended inside a frame, or another read error.
    Error(String),
}

impl Event {
    fn kind(&self) -> Option<u8> {
        match self {
            Event::Frame(f) => Some(f.kind),
            _ => None,
        }
    }
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::Frame(frame) => frame.fmt(f),
            Event::Closed => write!(f, "connection closed"),
            Event::Timeout => write!(f, "timeout"),
            Event::Error(e) => write!(f, "error: {e}"),
        }
    }
}

/// The parameters of a HEADERS frame (after Go's `http2.HeadersFrameParam`).
#[derive(Debug, Clone, Default)]
pub struct Headers {
    pub stream: u32,
    pub end_stream: bool,
    pub end_headers: bool,
    pub fragment: Vec<u8>,
    pub pad_length: u8,
    pub priority: Option<Priority>,
}

/// The priority fields of HEADERS and PRIORITY (RFC 9113 §5.3.2, §6.3; deprecated but parsed).
#[derive(Debug, Clone, Copy, Default)]
pub struct Priority {
    pub dependency: u32,
    pub exclusive: bool,
    pub weight: u8,
}

impl Priority {
    fn bytes(self) -> [u8; 5] {
        let dep = self.dependency | if self.exclusive { 1 << 31 } else { 0 };
        let d = dep.to_be_bytes();
        [d[0], d[1], d[2], d[3], self.weight]
    }
}

/// A raw HTTP/2 client connection (h2spec's `spec.Conn`).
pub struct Conn {
    stream: TcpStream,
    /// The server's SETTINGS, from the handshake.
    pub settings: HashMap<u16, u32>,
    /// Set once a wait saw the end: closed, timeout or error (h2spec's `conn.Closed`).
    pub closed: bool,
    encoder: Encoder,
    /// Bytes read but not yet a whole frame.
    buf: Vec<u8>,
    /// h2spec's receive-window bookkeeping: it refills a window once it is used up.
    windows: HashMap<u32, i64>,
}

impl Conn {
    /// Connects to the server (loopback, with read and write timeouts).
    pub fn dial(server: &Server) -> Conn {
        let stream = interop::connect(server.port).unwrap();
        stream.set_write_timeout(Some(TIMEOUT)).unwrap();
        stream.set_nodelay(true).unwrap();
        Conn {
            stream,
            settings: HashMap::new(),
            closed: false,
            encoder: Encoder::new(4096),
            buf: Vec::new(),
            windows: HashMap::from([(0, i64::from(DEFAULT_WINDOW_SIZE))]),
        }
    }

    /// The preface, SETTINGS (INITIAL_WINDOW_SIZE = 65,535), then frames until the server's
    /// SETTINGS came (acknowledged) and ours were acknowledged (h2spec's `handshakeAsClient`).
    pub fn handshake(&mut self) -> Result<(), String> {
        self.send(PREFACE);
        self.write_settings(&[(setting::INITIAL_WINDOW_SIZE, DEFAULT_WINDOW_SIZE)]);
        let (mut local, mut remote) = (false, false);
        let deadline = Instant::now() + TIMEOUT;
        while !(local && remote) {
            match self.read_frame(deadline) {
                Event::Frame(f) if f.kind == kind::SETTINGS => {
                    if f.is_ack() {
                        local = true;
                    } else {
                        remote = true;
                        for p in f.payload.chunks_exact(6) {
                            let id = u16::from_be_bytes([p[0], p[1]]);
                            let value = u32::from_be_bytes([p[2], p[3], p[4], p[5]]);
                            self.settings.insert(id, value);
                        }
                        self.write_settings_ack();
                    }
                }
                Event::Frame(_) => {}
                other => return Err(format!("handshake failed: {other}")),
            }
        }
        Ok(())
    }

    /// The server's SETTINGS_MAX_FRAME_SIZE (16,384 unless it said otherwise).
    pub fn max_frame_size(&self) -> usize {
        self.settings
            .get(&setting::MAX_FRAME_SIZE)
            .copied()
            .unwrap_or(DEFAULT_FRAME_SIZE) as usize
    }

    /// Raw bytes. Write errors are ignored, as h2spec ignores them: the server may have
    /// closed already, and the verdict comes from what it sent.
    pub fn send(&mut self, bytes: &[u8]) {
        let _ = self.stream.write_all(bytes);
    }

    /// A frame with any type, flags, stream and payload (h2spec's `WriteRawFrame`).
    pub fn write_raw_frame(&mut self, kind: u8, flags: u8, stream: u32, payload: &[u8]) {
        let len = (payload.len() as u32).to_be_bytes();
        let mut frame = vec![len[1], len[2], len[3], kind, flags];
        frame.extend_from_slice(&stream.to_be_bytes());
        frame.extend_from_slice(payload);
        self.send(&frame);
    }

    pub fn write_data(&mut self, stream: u32, end_stream: bool, data: &[u8]) {
        let flags = if end_stream { END_STREAM } else { 0 };
        self.write_raw_frame(kind::DATA, flags, stream, data);
    }

    pub fn write_data_padded(&mut self, stream: u32, end_stream: bool, data: &[u8], pad: &[u8]) {
        let flags = PADDED | if end_stream { END_STREAM } else { 0 };
        let mut payload = vec![pad.len() as u8];
        payload.extend_from_slice(data);
        payload.extend_from_slice(pad);
        self.write_raw_frame(kind::DATA, flags, stream, &payload);
    }

    pub fn write_headers(&mut self, h: &Headers) {
        let mut flags = 0;
        let mut payload = Vec::new();
        if h.end_stream {
            flags |= END_STREAM;
        }
        if h.end_headers {
            flags |= END_HEADERS;
        }
        if h.pad_length > 0 {
            flags |= PADDED;
            payload.push(h.pad_length);
        }
        if let Some(p) = h.priority {
            flags |= PRIORITY_FLAG;
            payload.extend_from_slice(&p.bytes());
        }
        payload.extend_from_slice(&h.fragment);
        payload.resize(payload.len() + usize::from(h.pad_length), 0);
        self.write_raw_frame(kind::HEADERS, flags, h.stream, &payload);
    }

    pub fn write_priority(&mut self, stream: u32, p: Priority) {
        self.write_raw_frame(kind::PRIORITY, 0, stream, &p.bytes());
    }

    pub fn write_rst_stream(&mut self, stream: u32, code: u32) {
        self.write_raw_frame(kind::RST_STREAM, 0, stream, &code.to_be_bytes());
    }

    pub fn write_settings(&mut self, settings: &[(u16, u32)]) {
        let mut payload = Vec::new();
        for (id, value) in settings {
            payload.extend_from_slice(&id.to_be_bytes());
            payload.extend_from_slice(&value.to_be_bytes());
        }
        self.write_raw_frame(kind::SETTINGS, 0, 0, &payload);
    }

    pub fn write_settings_ack(&mut self) {
        self.write_raw_frame(kind::SETTINGS, ACK, 0, &[]);
    }

    pub fn write_push_promise(&mut self, stream: u32, promised: u32, fragment: &[u8]) {
        let mut payload = promised.to_be_bytes().to_vec();
        payload.extend_from_slice(fragment);
        self.write_raw_frame(kind::PUSH_PROMISE, END_HEADERS, stream, &payload);
    }

    pub fn write_ping(&mut self, ack: bool, data: [u8; 8]) {
        self.write_raw_frame(kind::PING, if ack { ACK } else { 0 }, 0, &data);
    }

    pub fn write_goaway(&mut self, last_stream: u32, code: u32, debug: &[u8]) {
        let mut payload = last_stream.to_be_bytes().to_vec();
        payload.extend_from_slice(&code.to_be_bytes());
        payload.extend_from_slice(debug);
        self.write_raw_frame(kind::GOAWAY, 0, 0, &payload);
    }

    pub fn write_window_update(&mut self, stream: u32, increment: u32) {
        self.write_raw_frame(kind::WINDOW_UPDATE, 0, stream, &increment.to_be_bytes());
    }

    pub fn write_continuation(&mut self, stream: u32, end_headers: bool, fragment: &[u8]) {
        let flags = if end_headers { END_HEADERS } else { 0 };
        self.write_raw_frame(kind::CONTINUATION, flags, stream, fragment);
    }

    /// A field block for `fields`, from this connection's HPACK encoder (its dynamic table
    /// carries over to the next call, as h2spec's does).
    pub fn encode_headers(&mut self, fields: &[(String, String)]) -> Vec<u8> {
        let fields: Vec<HeaderField> = fields
            .iter()
            .map(|(n, v)| HeaderField::new(n.clone().into_bytes(), v.clone().into_bytes()))
            .collect();
        let mut dst = BytesMut::new();
        self.encoder.encode(&fields, &mut dst);
        dst.to_vec()
    }

    /// The encoder's dynamic table size (a Dynamic Table Size Update opens its next block).
    pub fn set_max_dynamic_table_size(&mut self, size: usize) {
        self.encoder.set_max_table_size(size);
    }

    /// The next event (h2spec's `WaitEvent`): a frame, or the end. DATA is counted against the
    /// receive windows, which are refilled when used up, as h2spec does.
    pub fn wait_event(&mut self) -> Event {
        if self.closed {
            return Event::Closed;
        }
        let event = self.read_frame(Instant::now() + TIMEOUT);
        match &event {
            Event::Frame(f) if f.kind == kind::DATA => {
                self.update_window(f.stream, f.payload.len())
            }
            Event::Frame(_) => {}
            _ => self.closed = true,
        }
        event
    }

    /// Waits for a frame of type `kind`, skipping others (h2spec's `WaitEventByType`): the
    /// frame, or the last event seen.
    pub fn wait_event_by_type(&mut self, kind: u8) -> Result<Frame, Event> {
        let mut last = Event::Timeout;
        while !self.closed {
            match self.wait_event() {
                Event::Frame(f) if f.kind == kind => return Ok(f),
                Event::Timeout if last != Event::Timeout => break,
                other => last = other,
            }
        }
        Err(last)
    }

    fn update_window(&mut self, stream: u32, len: usize) {
        let len = len as i64;
        for id in [stream, 0] {
            let window = self
                .windows
                .entry(id)
                .or_insert(i64::from(DEFAULT_WINDOW_SIZE));
            *window -= len;
            if *window <= 0 {
                let increment = i64::from(DEFAULT_WINDOW_SIZE) - *window;
                *window += increment;
                self.write_window_update(id, increment as u32);
            }
        }
    }

    /// One frame, or the end, by `deadline`.
    fn read_frame(&mut self, deadline: Instant) -> Event {
        loop {
            if self.buf.len() >= 9 {
                let len = u32::from_be_bytes([0, self.buf[0], self.buf[1], self.buf[2]]) as usize;
                if self.buf.len() >= 9 + len {
                    let frame = Frame {
                        kind: self.buf[3],
                        flags: self.buf[4],
                        stream: u32::from_be_bytes([
                            self.buf[5] & 0x7f,
                            self.buf[6],
                            self.buf[7],
                            self.buf[8],
                        ]),
                        payload: self.buf[9..9 + len].to_vec(),
                    };
                    self.buf.drain(..9 + len);
                    return Event::Frame(frame);
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Event::Timeout;
            }
            self.stream.set_read_timeout(Some(left)).unwrap();
            let mut chunk = [0u8; 16_384];
            match self.stream.read(&mut chunk) {
                Ok(0) if self.buf.is_empty() => return Event::Closed,
                Ok(0) => {
                    return Event::Error(format!(
                        "the connection ended inside a frame ({} octets of it read)",
                        self.buf.len()
                    ));
                }
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Event::Timeout;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::ConnectionReset => return Event::Closed,
                Err(e) => return Event::Error(e.to_string()),
            }
        }
    }
}

// ------------------------------------------------------------------ fields (spec/util.go)

fn field(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

/// Writes a request on stream 1 (END_STREAM, END_HEADERS) whose field block is the common
/// fields with the raw representation `rep` after them, or before them when `first`: the shape
/// of h2spec's generic/5 and hpack cases.
pub fn write_request_with(server: &Server, conn: &mut Conn, rep: &[u8], first: bool) {
    let valid = conn.encode_headers(&common_headers(server));
    let fragment = if first {
        [rep, &valid].concat()
    } else {
        [&valid, rep].concat()
    };
    conn.write_headers(&Headers {
        stream: 1,
        end_stream: true,
        end_headers: true,
        fragment,
        ..Headers::default()
    });
}

/// `:method GET`, `:scheme http`, `:path /`, `:authority 127.0.0.1:PORT` (h2spec's
/// `CommonHeaders`, with its default path `/`).
pub fn common_headers(server: &Server) -> Vec<(String, String)> {
    vec![
        field(":method", "GET"),
        field(":scheme", "http"),
        field(":path", "/"),
        field(":authority", &format!("127.0.0.1:{}", server.port)),
    ]
}

/// A field to add to a list.
pub fn header(name: &str, value: &str) -> (String, String) {
    field(name, value)
}

/// `x-dummy0` .. `x-dummyN-1`, each with [`MAX_HEADER_LEN`] `x`s (h2spec's `DummyHeaders`).
pub fn dummy_headers(n: usize) -> Vec<(String, String)> {
    let value = "x".repeat(MAX_HEADER_LEN);
    (0..n)
        .map(|i| field(&format!("x-dummy{i}"), &value))
        .collect()
}

/// `len` `x`s (h2spec's `DummyBytes`).
pub fn dummy_bytes(len: usize) -> Vec<u8> {
    vec![b'x'; len]
}

/// The total length of the DATA frames of the answer to `GET /`, on a connection of its own
/// (h2spec's `ServerDataLength`: the flow-control cases are skipped when it is too short, and
/// a skipped case fails here: `h2_server` must answer `/` with a body).
pub fn server_data_length(server: &Server) -> Result<usize, String> {
    let mut conn = Conn::dial(server);
    conn.handshake()?;
    let fragment = conn.encode_headers(&common_headers(server));
    conn.write_headers(&Headers {
        stream: 1,
        end_stream: true,
        end_headers: true,
        fragment,
        ..Headers::default()
    });
    let mut len = 0;
    while !conn.closed {
        if let Event::Frame(f) = conn.wait_event() {
            if f.kind == kind::DATA {
                len += f.payload.len();
            }
            if f.ends_stream() {
                return Ok(len);
            }
        }
    }
    Err("unable to get the length of the server's data for GET /".into())
}

/// HEADERS with END_HEADERS on `stream` for `fields`.
pub fn headers(conn: &mut Conn, stream: u32, end_stream: bool, fields: &[(String, String)]) {
    let fragment = conn.encode_headers(fields);
    conn.write_headers(&Headers {
        stream,
        end_stream,
        end_headers: true,
        fragment,
        ..Headers::default()
    });
}

/// [`common_headers`] with another method.
pub fn request_headers(server: &Server, method: &str) -> Vec<(String, String)> {
    let mut h = common_headers(server);
    h[0].1 = method.to_owned();
    h
}

// ------------------------------------------------------------------ verdicts (spec/verifier.go)

fn code_list(codes: &[u32]) -> String {
    codes
        .iter()
        .map(|c| format!("0x{c:x}"))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn failure(expected: &str, actual: &Event) -> String {
    format!("expected: {expected}\n  actual: {actual}")
}

/// The connection is closed (h2spec's `VerifyConnectionClose`): frames before the close are
/// allowed.
pub fn verify_connection_close(conn: &mut Conn) -> Result<(), String> {
    let mut actual = Event::Timeout;
    while !conn.closed {
        match conn.wait_event() {
            Event::Closed => return Ok(()),
            Event::Timeout => {}
            other => actual = other,
        }
    }
    Err(failure("connection closed", &actual))
}

/// A connection error (h2spec's `VerifyConnectionError`): GOAWAY with one of `codes`, or the
/// connection closed.
pub fn verify_connection_error(conn: &mut Conn, codes: &[u32]) -> Result<(), String> {
    verify_error(conn, codes, false)
}

/// A stream error (h2spec's `VerifyStreamError`): RST_STREAM or GOAWAY with one of `codes`,
/// or the connection closed.
pub fn verify_stream_error(conn: &mut Conn, codes: &[u32]) -> Result<(), String> {
    verify_error(conn, codes, true)
}

fn verify_error(conn: &mut Conn, codes: &[u32], rst_stream: bool) -> Result<(), String> {
    let expected = if rst_stream {
        format!(
            "GOAWAY or RST_STREAM with error code {}, or connection closed",
            code_list(codes)
        )
    } else {
        format!(
            "GOAWAY with error code {}, or connection closed",
            code_list(codes)
        )
    };
    let mut actual = Event::Timeout;
    while !conn.closed {
        match conn.wait_event() {
            Event::Closed => return Ok(()),
            Event::Frame(f)
                if f.kind == kind::GOAWAY || (rst_stream && f.kind == kind::RST_STREAM) =>
            {
                if f.error_code().is_some_and(|c| codes.contains(&c)) {
                    return Ok(());
                }
                // Stricter than h2spec, which reads on (and passes on a later close): an
                // error with another code is the server judging the input otherwise.
                return Err(failure(&expected, &Event::Frame(f)));
            }
            Event::Timeout => {}
            other => actual = other,
        }
    }
    Err(failure(&expected, &actual))
}

/// The stream is closed (h2spec's `VerifyStreamClose`): DATA or HEADERS with END_STREAM, or
/// RST_STREAM with NO_ERROR.
pub fn verify_stream_close(conn: &mut Conn) -> Result<(), String> {
    let mut actual = Event::Timeout;
    while !conn.closed {
        match conn.wait_event() {
            Event::Frame(f) if f.ends_stream() => return Ok(()),
            Event::Frame(f)
                if f.kind == kind::RST_STREAM && f.error_code() == Some(code::NO_ERROR) =>
            {
                return Ok(());
            }
            Event::Timeout => {}
            other => actual = other,
        }
    }
    Err(failure("stream closed", &actual))
}

/// A HEADERS frame arrives, and it is on `stream` (h2spec's `VerifyHeadersFrame`).
pub fn verify_headers_frame(conn: &mut Conn, stream: u32) -> Result<(), String> {
    let expected = format!("HEADERS frame (stream_id:{stream})");
    match conn.wait_event_by_type(kind::HEADERS) {
        Ok(f) if f.stream == stream => Ok(()),
        Ok(f) => Err(failure(&expected, &Event::Frame(f))),
        Err(actual) => Err(failure(&expected, &actual)),
    }
}

/// A SETTINGS frame arrives, and it is an ACK (h2spec's `VerifySettingsFrameWithAck`).
pub fn verify_settings_frame_with_ack(conn: &mut Conn) -> Result<(), String> {
    let expected = "SETTINGS frame (length:0, flags:0x01, stream_id:0)";
    match conn.wait_event_by_type(kind::SETTINGS) {
        Ok(f) if f.is_ack() => Ok(()),
        Ok(f) => Err(failure(expected, &Event::Frame(f))),
        Err(actual) => Err(failure(expected, &actual)),
    }
}

/// A PING frame arrives, and it is an ACK with `data` (h2spec's `VerifyPingFrameWithAck`).
pub fn verify_ping_frame_with_ack(conn: &mut Conn, data: [u8; 8]) -> Result<(), String> {
    let expected = format!("PING frame (length:8, flags:0x01, stream_id:0, opaque_data:{data:?})");
    match conn.wait_event_by_type(kind::PING) {
        Ok(f) if f.is_ack() && f.payload == data => Ok(()),
        Ok(f) => Err(failure(&expected, &Event::Frame(f))),
        Err(actual) => Err(failure(&expected, &actual)),
    }
}

/// A PING ACK with `data`, or the connection closed (h2spec's
/// `VerifyPingFrameOrConnectionClose`).
pub fn verify_ping_frame_or_connection_close(conn: &mut Conn, data: [u8; 8]) -> Result<(), String> {
    let mut actual = Event::Timeout;
    while !conn.closed {
        match conn.wait_event() {
            Event::Closed => return Ok(()),
            Event::Frame(f) if f.kind == kind::PING && f.is_ack() && f.payload == data => {
                return Ok(());
            }
            Event::Timeout => {}
            other => actual = other,
        }
    }
    Err(failure(
        &format!("connection closed, or PING frame (flags:0x01, opaque_data:{data:?})"),
        &actual,
    ))
}

/// A frame of type `kind` arrives (h2spec's `VerifyEventType`).
pub fn verify_event_type(conn: &mut Conn, kind: u8) -> Result<(), String> {
    match conn.wait_event_by_type(kind) {
        Ok(_) => Ok(()),
        Err(actual) => Err(failure(&format!("a frame of type 0x{kind:x}"), &actual)),
    }
}

/// A DATA frame arrives, and it carries exactly one octet (the flow-control cases).
pub fn verify_data_frame_of_length_1(conn: &mut Conn, stream: u32) -> Result<(), String> {
    let expected = format!("DATA frame (length:1, flags:0x00, stream_id:{stream})");
    match conn.wait_event_by_type(kind::DATA) {
        Ok(f) if f.payload.len() == 1 => Ok(()),
        Ok(f) => Err(failure(&expected, &Event::Frame(f))),
        Err(actual) => Err(failure(&expected, &actual)),
    }
}

/// A GOAWAY arrives, with `code` (h2spec's own check in 6.9.1 and 5.4.1).
pub fn verify_goaway_frame(conn: &mut Conn, code: Option<u32>) -> Result<(), String> {
    let expected = match code {
        Some(c) => format!("GOAWAY frame (error code:0x{c:x})"),
        None => "GOAWAY frame".to_owned(),
    };
    match conn.wait_event_by_type(kind::GOAWAY) {
        Ok(f) if code.is_none() || f.error_code() == code => Ok(()),
        Ok(f) => Err(failure(&expected, &Event::Frame(f))),
        Err(actual) => Err(failure(&expected, &actual)),
    }
}

/// An RST_STREAM on `stream` with `code` arrives (h2spec's own check in 6.9.1).
pub fn verify_rst_stream_frame(conn: &mut Conn, stream: u32, code: u32) -> Result<(), String> {
    let expected = format!("RST_STREAM frame (stream_id:{stream}, error code:0x{code:x})");
    match conn.wait_event_by_type(kind::RST_STREAM) {
        Ok(f) if f.stream == stream && f.error_code() == Some(code) => Ok(()),
        Ok(f) => Err(failure(&expected, &Event::Frame(f))),
        Err(actual) => Err(failure(&expected, &actual)),
    }
}
