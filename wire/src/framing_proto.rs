//! The `framing` part of the contract: `length`, `lines` and `handshake`, over the codecs of the
//! `framing` crate, and the framing section of `wire demo`.
//!
//! ```text
//! wire decode length --width N [--little-endian] [--type-byte] [--max N]   {"type":T,"payload":P}
//! wire decode lines [--lf]                                                 {"line":L}
//! wire decode handshake [--magic HEX]     {"magic":M,"version":V,"min_version":N,"capabilities":C}
//! ```

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use framing::blocking::{self, Framed};
use framing::delimited::Delimited;
use framing::handshake::{self, DEFAULT_MAGIC, Hello, HelloCodec};
use framing::length_delimited::{DEFAULT_MAX_FRAME_LENGTH, Frame, LengthDelimited, LengthField};
use framing::{AdapterError, Encoder, Error};
use serde_json::Value;

use crate::demo::{DemoError, Transcript};
use crate::json::{self, Fields, Object};
use crate::proto::{self, ItemEncoder, ItemError, Options, Protocol, Reportable, Sink};

impl Reportable for Error {
    fn kind(&self) -> &'static str {
        match self {
            Error::Truncated { .. } => "incomplete",
            Error::TooShort { .. } => "too-short",
            Error::TooLarge { .. } => "too-large",
            Error::LineTooLong { .. } => "line-too-long",
            Error::UnknownType { .. } => "unknown-type",
            Error::VersionMismatch { .. } => "version-mismatch",
            Error::BadMagic { .. } => "bad-magic",
            Error::Malformed { .. } => "malformed",
            Error::Unencodable { .. } => "unencodable",
            Error::Timeout => "timeout",
            _ => "error",
        }
    }

    fn offset(&self) -> Option<u64> {
        Error::offset(self)
    }
}

// ---------------------------------------------------------------------------------------------
// length

/// `length`: length-prefixed frames, `struct message { uintN_t length; [uint8_t type;] uint8_t
/// payload[]; }`; the length counts the payload only.
#[derive(Debug, Clone, clap::Args)]
pub struct Length {
    /// Width of the length field in bytes: 1, 2, 3, 4 or 8.
    #[arg(long, value_name = "N", value_parser = parse_width)]
    width: LengthField,
    /// The length field is least significant byte first (default: big-endian).
    #[arg(long)]
    little_endian: bool,
    /// A one-byte message type follows the length field.
    #[arg(long)]
    type_byte: bool,
    /// The largest payload accepted, in bytes.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_FRAME_LENGTH)]
    max: usize,
}

fn parse_width(s: &str) -> Result<LengthField, String> {
    match s {
        "1" => Ok(LengthField::U8),
        "2" => Ok(LengthField::U16),
        "3" => Ok(LengthField::U24),
        "4" => Ok(LengthField::U32),
        "8" => Ok(LengthField::U64),
        _ => Err("the width must be 1, 2, 3, 4 or 8".to_string()),
    }
}

impl Length {
    /// Frames with a big-endian length field of `width`, no type byte and the default maximum:
    /// `--width N` and no other option.
    pub fn with_width(width: LengthField) -> Length {
        Length {
            width,
            little_endian: false,
            type_byte: false,
            max: DEFAULT_MAX_FRAME_LENGTH,
        }
    }

    fn codec(&self) -> LengthDelimited {
        let mut builder = LengthDelimited::builder()
            .length_field(self.width)
            .max_frame_length(self.max);
        if self.little_endian {
            builder = builder.little_endian();
        }
        if self.type_byte {
            builder = builder.message_type();
        }
        builder.build()
    }
}

/// `{"type":T,"payload":P}`, `type` only when the frame has one.
pub fn frame_json(frame: &Frame) -> Object {
    let mut o = Object::new();
    if let Some(t) = frame.message_type {
        o = o.with("type", t);
    }
    o.with("payload", json::latin1(&frame.payload))
}

impl Protocol for Length {
    fn decode(&self, _: &Options, input: &[u8], sink: &mut Sink<'_>) -> Result<(), ItemError> {
        proto::decode_all(&mut self.codec(), input, sink, |f| frame_json(&f))
    }

    fn encoder(&self, _: &Options) -> Box<dyn ItemEncoder> {
        Box::new(LengthEncoder {
            codec: self.codec(),
            type_byte: self.type_byte,
        })
    }
}

struct LengthEncoder {
    codec: LengthDelimited,
    type_byte: bool,
}

impl ItemEncoder for LengthEncoder {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        let mut fields = Fields::new(item)?;
        let message_type = if self.type_byte {
            Some(fields.uint("type", u8::MAX.into())? as u8)
        } else if fields.has("type") {
            return Err(
                "field \"type\" given, but frames have no type byte without --type-byte"
                    .to_string(),
            );
        } else {
            None
        };
        let payload = fields.bytes("payload")?;
        fields.finish()?;
        let frame = Frame {
            prefix: Bytes::new(),
            message_type,
            payload: payload.into(),
        };
        self.codec.encode(frame, dst).map_err(|e| e.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// lines

/// `lines`: lines ending in CRLF (strictly: a bare CR or LF is an error), or in LF with `--lf`.
/// The default is CRLF.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Lines {
    /// Lines end in LF (a CR before it is part of the line) instead of CRLF.
    #[arg(long)]
    lf: bool,
}

impl Lines {
    fn codec(&self, options: &Options) -> Delimited {
        if self.lf {
            Delimited::lf()
        } else if options.lenient("allow_bare_lf") {
            Delimited::crlf().allow_bare_lf()
        } else {
            Delimited::crlf()
        }
    }
}

/// `{"line":L}`: a line without its delimiter.
pub fn line_json(line: &[u8]) -> Object {
    Object::new().with("line", json::latin1(line))
}

impl Protocol for Lines {
    fn lenient_flags(&self) -> &'static [&'static str] {
        &["allow_bare_lf"]
    }

    fn decode(
        &self,
        options: &Options,
        input: &[u8],
        sink: &mut Sink<'_>,
    ) -> Result<(), ItemError> {
        proto::decode_all(&mut self.codec(options), input, sink, |l| line_json(&l))
    }

    fn encoder(&self, options: &Options) -> Box<dyn ItemEncoder> {
        Box::new(LinesEncoder(self.codec(options)))
    }
}

struct LinesEncoder(Delimited);

impl ItemEncoder for LinesEncoder {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        let mut fields = Fields::new(item)?;
        let line = fields.bytes("line")?;
        fields.finish()?;
        self.0.encode(&line[..], dst).map_err(|e| e.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// handshake

/// `handshake`: 16-byte hellos (magic, version, min_version, capabilities; big-endian), one after
/// another; a wrong magic is an error.
#[derive(Debug, Clone, clap::Args)]
pub struct Handshake {
    /// The expected magic, as hex (default 4E455457, "NETW").
    #[arg(long, value_name = "HEX", value_parser = parse_magic, default_value = "4E455457")]
    magic: u32,
}

impl Default for Handshake {
    /// The default magic, as with no `--magic`.
    fn default() -> Handshake {
        Handshake {
            magic: DEFAULT_MAGIC,
        }
    }
}

fn parse_magic(s: &str) -> Result<u32, String> {
    let digits = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("the magic must be 1 to 8 hex digits, such as 4E455457".to_string());
    }
    u32::from_str_radix(digits, 16).map_err(|e| e.to_string())
}

/// `{"magic":M,"version":V,"min_version":N,"capabilities":C}`.
pub fn hello_json(hello: &Hello) -> Object {
    Object::new()
        .with("magic", hello.magic)
        .with("version", hello.version)
        .with("min_version", hello.min_version)
        .with("capabilities", hello.capabilities)
}

impl Protocol for Handshake {
    fn decode(&self, _: &Options, input: &[u8], sink: &mut Sink<'_>) -> Result<(), ItemError> {
        proto::decode_all(&mut HelloCodec::new(self.magic), input, sink, |h| {
            hello_json(&h)
        })
    }

    fn encoder(&self, _: &Options) -> Box<dyn ItemEncoder> {
        Box::new(HelloEncoder(HelloCodec::new(self.magic)))
    }
}

struct HelloEncoder(HelloCodec);

impl ItemEncoder for HelloEncoder {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        let mut fields = Fields::new(item)?;
        let hello = Hello {
            magic: fields.uint("magic", u32::MAX.into())? as u32,
            version: fields.uint("version", u16::MAX.into())? as u16,
            min_version: fields.uint("min_version", u16::MAX.into())? as u16,
            capabilities: fields.uint("capabilities", u64::MAX)?,
        };
        fields.finish()?;
        self.0.encode(hello, dst).map_err(|e| e.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// demo

/// How long a demo socket read may block before the demo gives up (it never should).
const DEMO_TIMEOUT: Duration = Duration::from_secs(5);

/// Message types of the demo's typed frames.
const WELCOME: u8 = 1;
const GET_CONFIG: u8 = 2;
const CONFIG: u8 = 3;

/// The frames of the demo: `struct message { uint32_t length; uint8_t type; uint8_t payload[]; }`
/// with three known types and a 64 KiB limit.
fn demo_codec() -> LengthDelimited {
    LengthDelimited::builder()
        .length_field(LengthField::U32)
        .known_types([WELCOME, GET_CONFIG, CONFIG])
        .max_frame_length(64 * 1024)
        .build()
}

const CLIENT_HELLO: Hello = Hello {
    magic: DEFAULT_MAGIC,
    version: 3,
    min_version: 1,
    capabilities: 0b1011,
};

const SERVER_HELLO: Hello = Hello {
    magic: DEFAULT_MAGIC,
    version: 4,
    min_version: 2,
    capabilities: 0b0110,
};

/// A stream that holds back what is written until [`Corked::uncork`], like `TCP_CORK`: the
/// server's hello and its first frame leave in one write, so the client's handshake read takes in
/// bytes past the hello, which must be handed on to the next codec.
struct Corked<S> {
    inner: S,
    held: Option<Vec<u8>>,
}

impl<S: Write> Corked<S> {
    fn new(inner: S) -> Corked<S> {
        Corked {
            inner,
            held: Some(Vec::new()),
        }
    }

    /// Writes out everything held back, in one write, and stops holding.
    fn uncork(&mut self) -> std::io::Result<()> {
        if let Some(held) = self.held.take() {
            self.inner.write_all(&held)?;
        }
        self.inner.flush()
    }
}

impl<S: Read> Read for Corked<S> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl<S: Write> Write for Corked<S> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.held {
            Some(held) => {
                held.extend_from_slice(buf);
                Ok(buf.len())
            }
            None => self.inner.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.held {
            Some(_) => Ok(()),
            None => self.inner.flush(),
        }
    }
}

/// What the server thread tells the transcript: the lines it decoded, in order.
type Report = mpsc::Sender<String>;

/// The server side of the conversation, in its own thread. It reports each item it decodes as a
/// `C:` line; the client prints them in step, so the transcript is always in the same order.
fn server(stream: UnixStream, report: &Report) -> Result<(), DemoError> {
    let say = |line: String| {
        report
            .send(line)
            .map_err(|_| DemoError::from("report channel closed"))
    };

    let mut stream = Corked::new(stream);
    let mut session = handshake::Handshake::new(SERVER_HELLO);
    let agreement = blocking::handshake(&mut stream, &mut session)?;
    let transcript = session
        .transcript()
        .ok_or(DemoError::from("agreed without a transcript"))?;
    say(format!(
        "C: {}",
        hello_json(&Hello::from_bytes(&transcript.remote))
    ))?;
    say(format!(
        "-- server agrees: version {}, capabilities {:#06b}",
        agreement.version, agreement.capabilities
    ))?;

    // The first frame goes out right behind the hello, in the same write.
    let mut frames = Framed::from_parts(stream, demo_codec(), session.take_remaining());
    let welcome = format!("welcome, you speak version {}", agreement.version);
    frames.send(Frame::typed(WELCOME, welcome))?;
    frames.get_mut().uncork()?;

    let request = frames.recv()?.ok_or(DemoError::from("client left early"))?;
    say(format!("C: {}", frame_json(&request)))?;
    frames.send(Frame::typed(CONFIG, "max-connections=64\nlog-level=info"))?;

    // Same stream, now CRLF lines; bytes already read stay with the stream.
    let (stream, _, rest) = frames.into_parts();
    let mut lines = Framed::from_parts(stream, Delimited::crlf(), rest);
    while let Some(line) = lines.recv()? {
        say(format!("C: {}", line_json(&line)))?;
        let answer: &[u8] = match &line[..] {
            b"PING" => b"PONG",
            b"QUIT" => b"BYE",
            _ => b"ERR unknown command",
        };
        lines.send(answer)?;
    }
    say("-- server: the client closed the connection".to_string())?;
    Ok(())
}

/// The client side, in the calling thread; prints the transcript.
fn client(
    stream: UnixStream,
    reports: &mpsc::Receiver<String>,
    t: &mut Transcript<'_>,
) -> Result<(), DemoError> {
    // Prints the server's next report, waiting for it: this keeps the transcript in order.
    let relay = |t: &mut Transcript<'_>| -> Result<(), DemoError> {
        let line = reports
            .recv_timeout(DEMO_TIMEOUT)
            .map_err(|_| DemoError::from("the server stopped reporting"))?;
        t.line(&line)
    };

    let mut stream = stream;
    let mut session = handshake::Handshake::new(CLIENT_HELLO);
    let agreement = blocking::handshake(&mut stream, &mut session)?;
    let transcript = session
        .transcript()
        .ok_or(DemoError::from("agreed without a transcript"))?;
    relay(t)?;
    t.line(&format!(
        "S: {}",
        hello_json(&Hello::from_bytes(&transcript.remote))
    ))?;
    relay(t)?;
    t.line(&format!(
        "-- client agrees: version {}, capabilities {:#06b}",
        agreement.version, agreement.capabilities
    ))?;
    let remaining = session.take_remaining();

    t.line("-- length-prefixed frames: struct message { uint32_t length; uint8_t type; uint8_t payload[]; }")?;
    t.line(&format!(
        "-- {} bytes that came in behind the server's hello go to Framed::from_parts",
        remaining.len()
    ))?;
    let mut frames = Framed::from_parts(stream, demo_codec(), remaining);
    let welcome = frames.recv()?.ok_or(DemoError::from("server left early"))?;
    t.line(&format!("S: {}", frame_json(&welcome)))?;
    frames.send(Frame::typed(GET_CONFIG, "all"))?;
    relay(t)?;
    let config = frames.recv()?.ok_or(DemoError::from("server left early"))?;
    t.line(&format!("S: {}", frame_json(&config)))?;

    t.line("-- CRLF lines on the same stream (Delimited::crlf)")?;
    let (stream, _, rest) = frames.into_parts();
    let mut lines = Framed::from_parts(stream, Delimited::crlf(), rest);
    for command in ["PING", "QUIT"] {
        lines.send(command)?;
        relay(t)?;
        let answer = lines.recv()?.ok_or(DemoError::from("server left early"))?;
        t.line(&format!("S: {}", line_json(&answer)))?;
    }
    drop(lines);
    relay(t)
}

/// Prints `error` as `decode` would, as the server's answer to hostile input.
fn rejected(t: &mut Transcript<'_>, error: &Error, position: u64) -> Result<(), DemoError> {
    t.line(&format!(
        "-- rejected: {}",
        ItemError::from_error(error, position).to_json()
    ))
}

/// Hostile and mismatched peers, and how they are turned away.
fn hostile(t: &mut Transcript<'_>) -> Result<(), DemoError> {
    t.line("-- hostile input")?;

    // A frame header claiming 4 GiB: refused as soon as the header is in, nothing reserved.
    let (mut attacker, victim) = UnixStream::pair()?;
    victim.set_read_timeout(Some(DEMO_TIMEOUT))?;
    let header = b"\xff\xff\xff\xff\x01";
    attacker.write_all(header)?;
    t.line(&format!(
        "-- a client sends {}: a type-1 frame header claiming 4294967295 bytes (4 GiB)",
        json::to_hex(header)
    ))?;
    let mut frames = Framed::new(victim, demo_codec());
    match frames.recv() {
        Err(AdapterError::Codec(e)) => rejected(t, &e, 0)?,
        other => return Err(DemoError::from(format!("expected TooLarge, got {other:?}"))),
    }
    t.line(&format!(
        "-- nothing was reserved for the claim: the read buffer holds the {} bytes that came",
        frames.read_buffer().len()
    ))?;

    // An HTTP client at the handshake: wrong magic.
    let mut session = handshake::Handshake::new(SERVER_HELLO);
    let request = b"GET / HTTP/1.1\r\n";
    session.receive(request);
    t.line(&format!(
        "-- an HTTP client sends {} (\"GET / HTTP/1.1\\r\\n\") to the handshake",
        json::to_hex(request)
    ))?;
    match session.poll_event() {
        Err(e) => rejected(t, &e, 0)?,
        other => return Err(DemoError::from(format!("expected BadMagic, got {other:?}"))),
    }

    // A peer whose versions do not overlap ours.
    let future = Hello {
        magic: DEFAULT_MAGIC,
        version: 9,
        min_version: 7,
        capabilities: 0,
    };
    let mut session = handshake::Handshake::new(SERVER_HELLO);
    session.receive(&future.to_bytes());
    t.line("-- a client from the future, speaking versions 7 to 9 only:")?;
    t.line(&format!("C: {}", hello_json(&future)))?;
    match session.poll_event() {
        Err(e) => rejected(t, &e, 0),
        other => Err(DemoError::from(format!(
            "expected VersionMismatch, got {other:?}"
        ))),
    }
}

/// The framing section of `wire demo`: a handshake, typed frames and CRLF lines between a client
/// (this thread) and a server thread over a Unix socket pair, then hostile input.
pub fn demo(t: &mut Transcript<'_>) -> Result<(), DemoError> {
    t.line("-- version handshake (framing::handshake::Handshake, framing::blocking::handshake)")?;
    let (client_end, server_end) = UnixStream::pair()?;
    client_end.set_read_timeout(Some(DEMO_TIMEOUT))?;
    server_end.set_read_timeout(Some(DEMO_TIMEOUT))?;
    let (report, reports) = mpsc::channel();
    let server = thread::spawn(move || server(server_end, &report));
    let client_result = client(client_end, &reports, t);
    let server_result = server
        .join()
        .map_err(|_| DemoError::from("the server thread panicked"))?;
    server_result?;
    client_result?;
    hostile(t)
}
