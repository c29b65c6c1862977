//! The `h2` and `hpack` parts of the contract, over `http-codec`'s HTTP/2 frames and HPACK.
//!
//! ```text
//! wire decode h2 [--role server|client]       {"type":"PREFACE"} (server), then one object per frame
//! wire decode hpack [--table-size N]          {"wire":HEX} lines in, {"headers":[[N,V]...]} lines out
//! wire encode hpack [--table-size N]          {"headers":[[N,V]...]} lines in, {"wire":HEX} lines out
//! ```
//!
//! `h2` reads frames with [`FrameDecoder`] (`--role server`: the client preface first) and
//! prints each as an object: `type`, `stream`, `flags` and the type's fields. The first error
//! stops decoding; its kind is the RFC 9113 §7 error code in kebab case (`frame-size-error`),
//! its offset the start of the frame (or preface) that caused it.
//!
//! `encode h2` builds each frame from its object, writes it with [`FrameEncoder`] and reads it
//! back with [`FrameDecoder`]: an object that would not decode back as itself is refused.
//!
//! [`demo`] is `wire demo`'s HTTP/2 section: http-codec's client and server connections in
//! memory, every frame printed as `decode h2` prints it.
//!
//! `hpack` decodes one header block per input line with one [`Decoder`], so that the dynamic
//! table carries over from line to line as on a connection. Names and values are byte strings
//! in the contract's ISO-8859-1 mapping. `encode` uses one [`Encoder`] with
//! [`Indexing::Always`] (only fields marked never-indexed are kept out of the table) and refuses
//! a header list the decoder would refuse, so that `decode(encode(x)) == x`.

use bytes::{Bytes, BytesMut};
use framing::{Decoder as _, Encoder as _};
use http_codec::h2::frame::{Frame, FrameDecoder, FrameEncoder, PREFACE, Priority};
use http_codec::h2::hpack::{self, Decoder, Encoder, ErrorKind, HeaderField, Indexing};
use http_codec::h2::{Config, ConnEvent, Connection, Error, ErrorCode, SendError};
use http_codec::{Request, Response};
use serde_json::Value;

use crate::demo::{DemoError, Transcript};
use crate::json::{self, Fields, Json, Object};
use crate::proto::{self, ItemEncoder, ItemError, Options, Protocol, Reportable, Role, Sink};

impl Reportable for Error {
    fn kind(&self) -> &'static str {
        code_kind(self.code)
    }

    fn offset(&self) -> Option<u64> {
        Some(self.offset)
    }
}

/// The error kind for an HTTP/2 error code: its RFC 9113 §7 name in kebab case.
fn code_kind(code: ErrorCode) -> &'static str {
    match code.0 {
        0x0 => "no-error",
        0x1 => "protocol-error",
        0x2 => "internal-error",
        0x3 => "flow-control-error",
        0x4 => "settings-timeout",
        0x5 => "stream-closed",
        0x6 => "frame-size-error",
        0x7 => "refused-stream",
        0x8 => "cancel",
        0x9 => "compression-error",
        0xa => "connect-error",
        0xb => "enhance-your-calm",
        0xc => "inadequate-security",
        0xd => "http-1-1-required",
        _ => "error",
    }
}

/// `h2`: a byte stream of HTTP/2 frames (RFC 9113 §4, §6); `--role server` expects the client
/// preface (§3.4) first.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct H2 {}

/// What the h2 reader gives: the preface, or a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum H2Item {
    /// The client connection preface (RFC 9113 §3.4).
    Preface,
    /// One frame.
    Frame(Frame),
}

/// [`FrameDecoder`] that also reports the client preface as an item, and leaves input that ends
/// inside a frame to the caller (which reports it as `incomplete`).
#[derive(Debug, Clone)]
pub struct H2Reader {
    frames: FrameDecoder,
}

impl H2Reader {
    /// A reader of what a client sends (preface first) for [`Role::Server`], of what a server
    /// sends for [`Role::Client`].
    pub fn new(role: Role) -> H2Reader {
        H2Reader {
            frames: match role {
                Role::Server => FrameDecoder::server(),
                Role::Client => FrameDecoder::default(),
            },
        }
    }
}

impl framing::Decoder for H2Reader {
    type Item = H2Item;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<H2Item>, Error> {
        if self.frames.awaits_preface() {
            if src.len() < PREFACE.len() {
                // The codec checks the bytes there are (a wrong one is an error at once).
                let mut head = BytesMut::from(&src[..]);
                self.frames.decode(&mut head)?;
                return Ok(None);
            }
            // The preface alone: the codec checks and consumes it, and has no frame to give.
            let mut head = src.split_to(PREFACE.len());
            self.frames.decode(&mut head)?;
            return Ok(Some(H2Item::Preface));
        }
        Ok(self.frames.decode(src)?.map(H2Item::Frame))
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<H2Item>, Error> {
        // A partial frame left over is reported by `decode_all` as `incomplete`.
        self.decode(src)
    }
}

impl Protocol for H2 {
    fn decode(
        &self,
        options: &Options,
        input: &[u8],
        sink: &mut Sink<'_>,
    ) -> Result<(), ItemError> {
        let mut reader = H2Reader::new(options.role);
        proto::decode_all(&mut reader, input, sink, item_json)
    }

    fn encoder(&self, options: &Options) -> Box<dyn ItemEncoder> {
        Box::new(H2Objects {
            preface: options.role == Role::Server,
            started: false,
            frames: FrameEncoder::default(),
        })
    }
}

/// `encode h2`: each object as `decode h2` prints it becomes its frame (or the preface), written
/// by [`FrameEncoder`] and read back by [`FrameDecoder`]; an object that would not come back as
/// itself is refused.
struct H2Objects {
    /// Whether the first object must be the preface (`--role server`).
    preface: bool,
    /// Whether an object was encoded.
    started: bool,
    frames: FrameEncoder,
}

impl ItemEncoder for H2Objects {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        let first = !self.started;
        if item.get("type") == Some(&Value::from("PREFACE")) {
            if !(self.preface && first) {
                return Err("PREFACE only comes first, and only with --role server".into());
            }
            let mut fields = Fields::new(item)?;
            fields.bytes("type")?;
            fields.finish()?;
            dst.extend_from_slice(PREFACE);
            self.started = true;
            return Ok(());
        }
        if self.preface && first {
            return Err("--role server: the first object must be {\"type\":\"PREFACE\"}".into());
        }
        let frame = frame_of(item.clone())?;
        let mut bytes = BytesMut::new();
        self.frames
            .encode(&frame, &mut bytes)
            .map_err(|e| format!("cannot be written: {e}"))?;
        // Read back as `decode` reads it: the same object, or a refusal.
        let mut check = bytes.clone();
        let back = match FrameDecoder::default().decode(&mut check) {
            Ok(Some(frame)) if check.is_empty() => frame_json(&frame),
            Ok(_) => return Err("the frame would not decode back".into()),
            Err(e) => return Err(format!("decode would refuse it: {e}")),
        };
        let back: Value =
            serde_json::from_str(&back.to_string()).map_err(|e| format!("internal: {e}"))?;
        if back != item {
            return Err(format!("it would decode back as {back}"));
        }
        dst.extend_from_slice(&bytes);
        self.started = true;
        Ok(())
    }
}

/// A field of hex digits.
fn hex_field(fields: &mut Fields, key: &str) -> Result<Vec<u8>, String> {
    let text = fields.bytes(key)?;
    json::from_hex(&text).map_err(|e| format!("field {key:?}: {}", e.message))
}

/// A 31-bit stream identifier field.
fn stream_field(fields: &mut Fields, key: &str) -> Result<u32, String> {
    Ok(fields.uint(key, 0x7fff_ffff)? as u32)
}

/// An error code field: a name of RFC 9113 §7 or `0x..`.
fn code_field(fields: &mut Fields) -> Result<ErrorCode, String> {
    let text = String::from_utf8(fields.bytes("error_code")?).map_err(|e| e.to_string())?;
    if let Some(digits) = text.strip_prefix("0x") {
        return u32::from_str_radix(digits, 16)
            .map(ErrorCode)
            .map_err(|_| format!("error_code {text:?} is not a code"));
    }
    (0..=0xd)
        .map(ErrorCode)
        .find(|c| c.name() == Some(text.as_str()))
        .ok_or_else(|| format!("error_code {text:?} is not a name of RFC 9113 §7"))
}

/// The priority fields, when there are any.
fn priority_field(fields: &mut Fields) -> Result<Option<Priority>, String> {
    if !fields.has("exclusive") && !fields.has("dependency") && !fields.has("weight") {
        return Ok(None);
    }
    Ok(Some(Priority {
        exclusive: fields.bool("exclusive")?,
        dependency: stream_field(fields, "dependency")?,
        weight: fields.uint("weight", 255)? as u8,
    }))
}

/// `padding`, when there is one.
fn padding_field(fields: &mut Fields) -> Result<Option<u8>, String> {
    if fields.has("padding") {
        Ok(Some(fields.uint("padding", 255)? as u8))
    } else {
        Ok(None)
    }
}

/// The frame an object describes (checked only as far as building it needs: the caller
/// compares what it decodes back to with the object).
fn frame_of(item: Value) -> Result<Frame, String> {
    let mut fields = Fields::new(item)?;
    let kind = String::from_utf8(fields.bytes("type")?).map_err(|e| e.to_string())?;
    let stream = stream_field(&mut fields, "stream")?;
    let flags: Vec<Value> = fields.array("flags")?;
    let flag = |name: &str| flags.iter().any(|f| f.as_str() == Some(name));
    let frame = match kind.as_str() {
        "DATA" => Frame::Data {
            stream,
            padding: padding_field(&mut fields)?,
            data: Bytes::from(fields.bytes("data")?),
            end_stream: flag("END_STREAM"),
        },
        "HEADERS" => Frame::Headers {
            stream,
            padding: padding_field(&mut fields)?,
            priority: priority_field(&mut fields)?,
            fragment: Bytes::from(hex_field(&mut fields, "header_block")?),
            end_stream: flag("END_STREAM"),
            end_headers: flag("END_HEADERS"),
        },
        "PRIORITY" => Frame::Priority {
            stream,
            priority: priority_field(&mut fields)?
                .ok_or("PRIORITY needs exclusive, dependency and weight")?,
        },
        "RST_STREAM" => Frame::RstStream {
            stream,
            code: code_field(&mut fields)?,
        },
        "SETTINGS" => {
            let mut params = Vec::new();
            for pair in fields.array("settings")? {
                let (id, value) = match pair.as_array().map(Vec::as_slice) {
                    Some([id, value]) => (id.as_u64(), value.as_u64()),
                    _ => (None, None),
                };
                match (
                    id.and_then(|i| u16::try_from(i).ok()),
                    value.and_then(|v| u32::try_from(v).ok()),
                ) {
                    (Some(id), Some(value)) => params.push((id, value)),
                    _ => return Err(format!("setting {pair} is not [id, value]")),
                }
            }
            Frame::Settings {
                ack: flag("ACK"),
                params,
            }
        }
        "PUSH_PROMISE" => Frame::PushPromise {
            stream,
            padding: padding_field(&mut fields)?,
            promised: stream_field(&mut fields, "promised")?,
            fragment: Bytes::from(hex_field(&mut fields, "header_block")?),
            end_headers: flag("END_HEADERS"),
        },
        "PING" => Frame::Ping {
            ack: flag("ACK"),
            data: hex_field(&mut fields, "opaque")?
                .try_into()
                .map_err(|_| "opaque must be 8 octets")?,
        },
        "GOAWAY" => Frame::GoAway {
            last_stream: stream_field(&mut fields, "last_stream")?,
            code: code_field(&mut fields)?,
            debug: Bytes::from(fields.bytes("debug")?),
        },
        "WINDOW_UPDATE" => Frame::WindowUpdate {
            stream,
            increment: fields.uint("increment", 0x7fff_ffff)? as u32,
        },
        "CONTINUATION" => Frame::Continuation {
            stream,
            fragment: Bytes::from(hex_field(&mut fields, "header_block")?),
            end_headers: flag("END_HEADERS"),
        },
        "UNKNOWN" => {
            let mut bits = 0u8;
            for f in &flags {
                let bit = f
                    .as_str()
                    .and_then(|t| t.strip_prefix("0x"))
                    .and_then(|d| u8::from_str_radix(d, 16).ok())
                    .filter(|b| b.is_power_of_two())
                    .ok_or_else(|| format!("flag {f} of an UNKNOWN frame is not 0x01 ... 0x80"))?;
                bits |= bit;
            }
            Frame::Unknown {
                kind: fields.uint("code", 255)? as u8,
                flags: bits,
                stream,
                payload: Bytes::from(fields.bytes("payload")?),
            }
        }
        other => return Err(format!("unknown frame type {other:?}")),
    };
    fields.finish()?;
    Ok(frame)
}

/// The object `decode h2` prints for `item`.
pub fn item_json(item: H2Item) -> Object {
    match item {
        H2Item::Preface => Object::new().with("type", "PREFACE"),
        H2Item::Frame(frame) => frame_json(&frame),
    }
}

/// The flag names of a frame, in bit order.
fn flag_names(names: &[(bool, &'static str)]) -> Json {
    Json::Value(Value::from(
        names
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| Value::from(*name))
            .collect::<Vec<_>>(),
    ))
}

/// `type`, `stream` and `flags`, the start of every frame object.
fn head(kind: &'static str, stream: u32, flags: &[(bool, &'static str)]) -> Object {
    Object::new()
        .with("type", kind)
        .with("stream", stream)
        .with("flags", flag_names(flags))
}

/// `padding` when the frame was PADDED.
fn with_padding(o: Object, padding: Option<u8>) -> Object {
    match padding {
        Some(pad) => o.with("padding", pad),
        None => o,
    }
}

/// The priority fields (RFC 9113 §6.3).
fn with_priority(o: Object, p: &Priority) -> Object {
    o.with("exclusive", Json::Value(Value::Bool(p.exclusive)))
        .with("dependency", p.dependency)
        .with("weight", p.weight)
}

/// An error code: its RFC 9113 §7 name, or `0x..` for a code without one.
fn code_json(code: ErrorCode) -> Json {
    Json::from(code.to_string())
}

/// The object for one frame.
pub fn frame_json(frame: &Frame) -> Object {
    match frame {
        Frame::Data {
            stream,
            data,
            end_stream,
            padding,
        } => with_padding(
            head(
                "DATA",
                *stream,
                &[(*end_stream, "END_STREAM"), (padding.is_some(), "PADDED")],
            ),
            *padding,
        )
        .with("data", json::latin1(data)),
        Frame::Headers {
            stream,
            fragment,
            end_stream,
            end_headers,
            priority,
            padding,
        } => {
            let mut o = with_padding(
                head(
                    "HEADERS",
                    *stream,
                    &[
                        (*end_stream, "END_STREAM"),
                        (*end_headers, "END_HEADERS"),
                        (padding.is_some(), "PADDED"),
                        (priority.is_some(), "PRIORITY"),
                    ],
                ),
                *padding,
            );
            if let Some(p) = priority {
                o = with_priority(o, p);
            }
            o.with("header_block", json::to_hex(fragment))
        }
        Frame::Priority { stream, priority } => {
            with_priority(head("PRIORITY", *stream, &[]), priority)
        }
        Frame::RstStream { stream, code } => {
            head("RST_STREAM", *stream, &[]).with("error_code", code_json(*code))
        }
        Frame::Settings { ack, params } => head("SETTINGS", 0, &[(*ack, "ACK")]).with(
            "settings",
            Json::Value(Value::from(
                params
                    .iter()
                    .map(|&(id, value)| Value::from(vec![Value::from(id), Value::from(value)]))
                    .collect::<Vec<_>>(),
            )),
        ),
        Frame::PushPromise {
            stream,
            promised,
            fragment,
            end_headers,
            padding,
        } => with_padding(
            head(
                "PUSH_PROMISE",
                *stream,
                &[(*end_headers, "END_HEADERS"), (padding.is_some(), "PADDED")],
            ),
            *padding,
        )
        .with("promised", *promised)
        .with("header_block", json::to_hex(fragment)),
        Frame::Ping { ack, data } => {
            head("PING", 0, &[(*ack, "ACK")]).with("opaque", json::to_hex(data))
        }
        Frame::GoAway {
            last_stream,
            code,
            debug,
        } => head("GOAWAY", 0, &[])
            .with("last_stream", *last_stream)
            .with("error_code", code_json(*code))
            .with("debug", json::latin1(debug)),
        Frame::WindowUpdate { stream, increment } => {
            head("WINDOW_UPDATE", *stream, &[]).with("increment", *increment)
        }
        Frame::Continuation {
            stream,
            fragment,
            end_headers,
        } => head("CONTINUATION", *stream, &[(*end_headers, "END_HEADERS")])
            .with("header_block", json::to_hex(fragment)),
        Frame::Unknown {
            kind,
            flags,
            stream,
            payload,
        } => Object::new()
            .with("type", "UNKNOWN")
            .with("stream", *stream)
            .with("flags", unknown_flags(*flags))
            .with("code", *kind)
            .with("payload", json::latin1(payload)),
        // A frame type the codec adds later: kept visible rather than dropped.
        other => Object::new()
            .with("type", "UNKNOWN")
            .with("stream", other.stream())
            .with("flags", unknown_flags(0))
            .with("code", other.kind()),
    }
}

/// The flags of an UNKNOWN frame, which have no names: each bit set as `0x01` ... `0x80`.
fn unknown_flags(flags: u8) -> Json {
    Json::Value(Value::from(
        (0..8)
            .map(|bit| 1u8 << bit)
            .filter(|b| flags & b != 0)
            .map(|b| Value::from(format!("{b:#04x}")))
            .collect::<Vec<_>>(),
    ))
}

/// `hpack`: header blocks (RFC 7541), one per line as `{"wire":HEX}`, with one dynamic table.
#[derive(Debug, Clone, clap::Args)]
pub struct Hpack {
    /// The maximum dynamic table size (SETTINGS_HEADER_TABLE_SIZE), in octets.
    #[arg(long, value_name = "N", default_value_t = 4096)]
    pub table_size: usize,
}

impl Default for Hpack {
    fn default() -> Hpack {
        Hpack { table_size: 4096 }
    }
}

impl Reportable for hpack::Error {
    fn kind(&self) -> &'static str {
        hpack_kind(&self.kind)
    }

    fn offset(&self) -> Option<u64> {
        Some(self.offset)
    }
}

/// The error kind for an HPACK error, in kebab case.
fn hpack_kind(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::IntegerTruncated => "integer-truncated",
        ErrorKind::IntegerOverflow => "integer-overflow",
        ErrorKind::IntegerTooLong => "integer-too-long",
        ErrorKind::StringTruncated { .. } => "string-truncated",
        ErrorKind::HuffmanEos => "huffman-eos",
        ErrorKind::HuffmanPaddingTooLong => "huffman-padding-too-long",
        ErrorKind::HuffmanPaddingNotOnes => "huffman-padding-not-ones",
        ErrorKind::IndexZero => "index-zero",
        ErrorKind::IndexOutOfRange { .. } => "index-out-of-range",
        ErrorKind::SizeUpdateTooLarge { .. } => "size-update-too-large",
        ErrorKind::SizeUpdateAfterField => "size-update-after-field",
        ErrorKind::SizeUpdateMissing { .. } => "size-update-missing",
        ErrorKind::HeaderListTooLarge { .. } => "header-list-too-large",
        ErrorKind::TooManyFields { .. } => "too-many-fields",
        _ => "error",
    }
}

/// Reads `{"wire":HEX}` lines and decodes each block with one HPACK decoder. Lines may be split
/// anywhere between calls to [`HpackReader::receive`]; a line is decoded once its LF arrives
/// (or at the end of the input).
#[derive(Debug, Clone)]
pub struct HpackReader {
    decoder: Decoder,
    /// Input not yet decoded: the start of a line.
    pending: Vec<u8>,
    /// Lines read so far.
    line: usize,
    /// Octets of the header blocks decoded so far: the offset of the next block's first octet.
    position: u64,
}

impl HpackReader {
    /// A reader whose dynamic table holds at most `table_size` octets.
    pub fn new(table_size: usize) -> HpackReader {
        HpackReader {
            decoder: Decoder::new(table_size),
            pending: Vec::new(),
            line: 0,
            position: 0,
        }
    }

    /// Adds input.
    pub fn receive(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
    }

    /// The next object: the header list of the next block, `None` when no complete line is
    /// there (with `eof`, when the input is used up). Blank lines are skipped.
    pub fn next(&mut self, eof: bool) -> Result<Option<Object>, ItemError> {
        loop {
            let line: Vec<u8> = match self.pending.iter().position(|&b| b == b'\n') {
                Some(end) => {
                    let line = self.pending.get(..end).unwrap_or_default().to_vec();
                    self.pending.drain(..=end);
                    line
                }
                None if eof && !self.pending.is_empty() => std::mem::take(&mut self.pending),
                None => return Ok(None),
            };
            self.line += 1;
            if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
                continue;
            }
            return self.block(&line).map(Some);
        }
    }

    /// Decodes one input line.
    fn block(&mut self, line: &[u8]) -> Result<Object, ItemError> {
        let bad = |message: String| ItemError {
            kind: "bad-line",
            offset: self.position,
            message: format!("line {}: {message}", self.line),
        };
        let text = std::str::from_utf8(line)
            .map_err(|e| bad(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
        let value: Value =
            serde_json::from_str(text).map_err(|e| bad(format!("invalid JSON: {e}")))?;
        let hex = match value.get("wire") {
            Some(Value::String(hex)) => hex.clone(),
            Some(_) => return Err(bad("field \"wire\" must be a string of hex digits".into())),
            None => return Err(bad("missing field \"wire\"".into())),
        };
        let block = json::from_hex(hex.as_bytes()).map_err(|e| ItemError {
            kind: "bad-hex",
            offset: self.position,
            message: format!(
                "line {}: field \"wire\" at hex digit {}: {}",
                self.line, e.offset, e.message
            ),
        })?;
        let length = block.len() as u64;
        let fields = self
            .decoder
            .decode(&Bytes::from(block))
            .map_err(|e| ItemError {
                kind: hpack_kind(&e.kind),
                offset: self.position + e.offset,
                message: format!("line {}: {e}", self.line),
            })?;
        self.position += length;
        Ok(headers_json(&fields))
    }
}

/// `{"headers":[[name, value]...]}`, and `never_indexed` (the indexes of the fields sent as
/// never-indexed literals) when there are any.
pub fn headers_json(fields: &[HeaderField]) -> Object {
    let pairs: Vec<Value> = fields
        .iter()
        .map(|f| {
            Value::from(vec![
                Value::from(json::latin1(&f.name)),
                Value::from(json::latin1(&f.value)),
            ])
        })
        .collect();
    let never: Vec<Value> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.sensitive)
        .map(|(i, _)| Value::from(i))
        .collect();
    let o = Object::new().with("headers", Json::Value(Value::from(pairs)));
    if never.is_empty() {
        o
    } else {
        o.with("never_indexed", Json::Value(Value::from(never)))
    }
}

impl Protocol for Hpack {
    fn decode(
        &self,
        _options: &Options,
        input: &[u8],
        sink: &mut Sink<'_>,
    ) -> Result<(), ItemError> {
        let mut reader = HpackReader::new(self.table_size);
        reader.receive(input);
        while let Some(object) = reader.next(true)? {
            sink.item(object);
        }
        Ok(())
    }

    fn encoder(&self, _options: &Options) -> Box<dyn ItemEncoder> {
        let mut encoder = Encoder::new(self.table_size);
        encoder.set_indexing(Indexing::Always);
        Box::new(HpackObjects {
            encoder,
            limits: Decoder::new(self.table_size),
        })
    }
}

/// `encode hpack`: one encoder for all lines, each `{"headers":[...]}` becoming `{"wire":HEX}`
/// and a newline.
struct HpackObjects {
    encoder: Encoder,
    /// A decoder with the defaults `decode` uses, for its limits.
    limits: Decoder,
}

/// The header list of an object `decode hpack` prints.
fn headers_of(item: Value) -> Result<Vec<HeaderField>, String> {
    let mut fields = Fields::new(item)?;
    let pairs = fields.array("headers")?;
    let never: Vec<Value> = if fields.has("never_indexed") {
        fields.array("never_indexed")?
    } else {
        Vec::new()
    };
    fields.finish()?;
    let mut list = Vec::with_capacity(pairs.len());
    for (i, pair) in pairs.into_iter().enumerate() {
        let bytes = |v: &Value| match v {
            Value::String(s) => json::from_latin1(s).map_err(|e| format!("header {i}: {e}")),
            other => Err(format!("header {i}: {other} is not a string")),
        };
        match pair.as_array().map(Vec::as_slice) {
            Some([name, value]) => list.push(HeaderField::new(bytes(name)?, bytes(value)?)),
            _ => {
                return Err(format!(
                    "header {i} must be a [name, value] pair, found {pair}"
                ));
            }
        }
    }
    let mut last = None;
    for index in never {
        let i = index
            .as_u64()
            .and_then(|i| usize::try_from(i).ok())
            .filter(|&i| i < list.len() && last.is_none_or(|l| i > l))
            .ok_or_else(|| format!("never_indexed: {index} is not the index of a later header"))?;
        last = Some(i);
        if let Some(f) = list.get_mut(i) {
            f.sensitive = true;
        }
    }
    Ok(list)
}

/// Whether no field is marked never-indexed.
fn fields_never_indexed_empty(list: &[HeaderField]) -> bool {
    list.iter().all(|f| !f.sensitive)
}

impl ItemEncoder for HpackObjects {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        let never_given = item.get("never_indexed").is_some();
        let list = headers_of(item)?;
        if never_given && fields_never_indexed_empty(&list) {
            return Err("never_indexed is empty: decode prints it only when there are some".into());
        }
        // The limits `decode` holds a block to (RFC 9113 §10.5.1), checked before encoding.
        if list.len() > self.limits.max_field_count() {
            return Err(format!(
                "{} header fields: decode refuses more than {}",
                list.len(),
                self.limits.max_field_count()
            ));
        }
        let size: usize = list.iter().map(HeaderField::size).sum();
        if size > self.limits.max_header_list_size() {
            return Err(format!(
                "a header list of {size} octets: decode refuses more than {}",
                self.limits.max_header_list_size()
            ));
        }
        let mut block = BytesMut::new();
        self.encoder.encode(&list, &mut block);
        let line = Object::new().with("wire", json::to_hex(&block));
        dst.extend_from_slice(line.to_string().as_bytes());
        dst.extend_from_slice(b"\n");
        Ok(())
    }
}

/// One direction of the demo's in-memory link: what one side writes is printed as `wire decode
/// h2` reads it, then given to the other side.
struct Direction {
    /// `C:` or `S:`.
    label: &'static str,
    reader: H2Reader,
    buffer: BytesMut,
}

impl Direction {
    /// Moves everything `from` has to write to `to`, printing each frame; the octets moved.
    fn carry(
        &mut self,
        t: &mut Transcript<'_>,
        from: &mut Connection,
        to: &mut Connection,
    ) -> Result<usize, DemoError> {
        let mut moved = 0;
        while let Some(bytes) = from.poll_transmit() {
            moved += bytes.len();
            self.show(t, &bytes)?;
            to.receive(&bytes);
        }
        Ok(moved)
    }

    /// Prints the frames `bytes` complete.
    fn show(&mut self, t: &mut Transcript<'_>, bytes: &[u8]) -> Result<(), DemoError> {
        self.buffer.extend_from_slice(bytes);
        while let Some(item) = self
            .reader
            .decode(&mut self.buffer)
            .map_err(|e| format!("h2 demo: {e}"))?
        {
            t.line(&format!("{} {}", self.label, item_json(item)))?;
        }
        Ok(())
    }
}

/// The events `c` has, each described on a `--` line as `who` saw it.
fn h2_events(
    t: &mut Transcript<'_>,
    who: &str,
    c: &mut Connection,
) -> Result<Vec<ConnEvent>, DemoError> {
    let mut out = Vec::new();
    loop {
        match c.poll_event() {
            Ok(Some(event)) => {
                let what = match &event {
                    ConnEvent::Request {
                        stream,
                        head,
                        end_stream,
                    } => format!(
                        "{} {} on stream {stream}{}",
                        head.request.method_str(),
                        String::from_utf8_lossy(&head.request.target),
                        if *end_stream {
                            ", no body"
                        } else {
                            ", a body follows"
                        }
                    ),
                    ConnEvent::Response {
                        stream, response, ..
                    } => format!("{} on stream {stream}", response.status),
                    ConnEvent::Data {
                        stream,
                        data,
                        end_stream,
                    } => format!(
                        "{} octets on stream {stream}{}",
                        data.len(),
                        if *end_stream { ", the end" } else { "" }
                    ),
                    other => format!("{other:?}"),
                };
                t.line(&format!("-- {who}: {what}"))?;
                out.push(event);
            }
            Ok(None) => return Ok(out),
            Err(e) => return Err(format!("h2 demo: {who}: {e}").into()),
        }
    }
}

/// Carries bytes both ways until neither side has anything to write, printing every frame.
fn h2_settle(
    t: &mut Transcript<'_>,
    up: &mut Direction,
    down: &mut Direction,
    client: &mut Connection,
    server: &mut Connection,
) -> Result<(), DemoError> {
    loop {
        let a = up.carry(t, client, server)?;
        h2_events(t, "server", server)?;
        let b = down.carry(t, server, client)?;
        h2_events(t, "client", client)?;
        if a == 0 && b == 0 {
            return Ok(());
        }
    }
}

/// `wire demo`'s HTTP/2 section: http-codec's client and server connections in memory.
pub fn demo(t: &mut Transcript<'_>) -> Result<(), DemoError> {
    let send = |e: SendError| DemoError::Script(format!("h2 demo: {e}"));
    t.line("-- HTTP/2 in memory (http_codec::h2::Connection client <-> server); the server opens")?;
    t.line("-- streams with a 16-octet window (SETTINGS_INITIAL_WINDOW_SIZE, id 4)")?;
    let mut client = Connection::client(Config::default());
    let mut server = Connection::server(Config::default().initial_window_size(16));
    let mut up = Direction {
        label: "C:",
        reader: H2Reader::new(Role::Server),
        buffer: BytesMut::new(),
    };
    let mut down = Direction {
        label: "S:",
        reader: H2Reader::new(Role::Client),
        buffer: BytesMut::new(),
    };
    h2_settle(t, &mut up, &mut down, &mut client, &mut server)?;

    t.line("-- two concurrent streams: GET /a, and POST /upload with 40 octets")?;
    let get = Request::get("/a")
        .header("host", "example.com")
        .map_err(|e| format!("h2 demo: {e}"))?;
    let post = Request::post("/upload")
        .header("host", "example.com")
        .and_then(|r| r.header("content-length", "40"))
        .map_err(|e| format!("h2 demo: {e}"))?;
    let a = client.send_request(get, true).map_err(send)?;
    let b = client.send_request(post, false).map_err(send)?;
    client
        .send_data(b, "0123456789abcdefghijklmnopqrstuvwxyzABCD", true)
        .map_err(send)?;
    up.carry(t, &mut client, &mut server)?;
    let mut events = h2_events(t, "server", &mut server)?;
    loop {
        let waiting = client.buffered(b);
        if waiting == 0 {
            break;
        }
        t.line(&format!(
            "-- client: stream {b}'s window is used up, {waiting} octets wait; the server consumes what came"
        ))?;
        for event in &events {
            if let ConnEvent::Data { stream, data, .. } = event {
                server.release_capacity(*stream, data.len() as u32);
            }
        }
        down.carry(t, &mut server, &mut client)?;
        h2_events(t, "client", &mut client)?;
        up.carry(t, &mut client, &mut server)?;
        events = h2_events(t, "server", &mut server)?;
    }
    let ok = |length: &str| {
        Response::new(200)
            .header("content-length", length)
            .map_err(|e| DemoError::Script(format!("h2 demo: {e}")))
    };
    server.send_response(a, ok("3")?, false).map_err(send)?;
    server.send_data(a, "hi\n", true).map_err(send)?;
    server.send_response(b, ok("9")?, false).map_err(send)?;
    server.send_data(b, "stored 40", true).map_err(send)?;
    h2_settle(t, &mut up, &mut down, &mut client, &mut server)?;

    t.line("")?;
    t.line("-- a CONTINUATION flood (CVE-2024-27316 class) against a new server: a HEADERS frame")?;
    t.line("-- without END_HEADERS, then empty CONTINUATIONs; the server allows 16 per block")?;
    let mut server = Connection::server(Config::default());
    let mut up = Direction {
        label: "C:",
        reader: H2Reader::new(Role::Server),
        buffer: BytesMut::new(),
    };
    let mut block = BytesMut::new();
    Encoder::default().encode(
        &[
            HeaderField::new(":method", "GET"),
            HeaderField::new(":scheme", "http"),
            HeaderField::new(":path", "/"),
            HeaderField::new(":authority", "example.com"),
        ],
        &mut block,
    );
    let mut frames = FrameEncoder::default();
    let mut bytes = BytesMut::from(&PREFACE[..]);
    let mut put = |frame: Frame, bytes: &mut BytesMut| {
        frames
            .encode(frame, bytes)
            .map_err(|e| DemoError::Script(format!("h2 demo: {e}")))
    };
    put(
        Frame::Settings {
            ack: false,
            params: Vec::new(),
        },
        &mut bytes,
    )?;
    put(
        Frame::Headers {
            stream: 1,
            fragment: block.freeze(),
            end_stream: true,
            end_headers: false,
            priority: None,
            padding: None,
        },
        &mut bytes,
    )?;
    let continuation = || Frame::Continuation {
        stream: 1,
        fragment: Bytes::new(),
        end_headers: false,
    };
    for _ in 0..2 {
        put(continuation(), &mut bytes)?;
    }
    up.show(t, &bytes)?;
    server.receive(&bytes);
    let mut rest = BytesMut::new();
    for _ in 0..15 {
        put(continuation(), &mut rest)?;
    }
    t.line("-- ... 15 more like it")?;
    server.receive(&rest);
    loop {
        match server.poll_event() {
            Ok(Some(event)) => t.line(&format!("-- server: {event:?}"))?,
            Ok(None) => return Err("h2 demo: the flood was not refused".into()),
            Err(e) => {
                t.line(&format!("-- server refuses it: {e}"))?;
                break;
            }
        }
    }
    let mut down = Direction {
        label: "S:",
        reader: H2Reader::new(Role::Client),
        buffer: BytesMut::new(),
    };
    while let Some(bytes) = server.poll_transmit() {
        down.show(t, &bytes)?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::expect_used)]
mod tests {
    use super::*;

    /// Every object `decode` gives for `input` fed in pieces split at `cut`.
    fn h2_split(role: Role, input: &[u8], cut: usize) -> Vec<String> {
        let mut reader = H2Reader::new(role);
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        for part in [&input[..cut], &input[cut..]] {
            buf.extend_from_slice(part);
            while let Some(item) = reader.decode(&mut buf).expect("valid") {
                out.push(item_json(item).to_string());
            }
        }
        assert!(buf.is_empty());
        out
    }

    #[test]
    fn h2_items_are_the_same_under_any_split() {
        let mut input = PREFACE.to_vec();
        input.extend_from_slice(b"\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x64");
        input.extend_from_slice(b"\x00\x00\x02\x00\x01\x00\x00\x00\x01hi");
        let whole = h2_split(Role::Server, &input, input.len());
        assert_eq!(whole.len(), 3);
        for cut in 0..=input.len() {
            assert_eq!(h2_split(Role::Server, &input, cut), whole, "cut at {cut}");
        }
    }

    #[test]
    fn hpack_objects_are_the_same_under_any_split() {
        let input = b"{\"wire\":\"828684410f7777772e6578616d706c652e636f6d\"}\n{\"wire\":\"be\"}\n";
        let run = |cut: usize| {
            let mut reader = HpackReader::new(4096);
            let mut out = Vec::new();
            for part in [&input[..cut], &input[cut..]] {
                reader.receive(part);
                while let Some(o) = reader.next(false).expect("valid") {
                    out.push(o.to_string());
                }
            }
            while let Some(o) = reader.next(true).expect("valid") {
                out.push(o.to_string());
            }
            out
        };
        let whole = run(input.len());
        assert_eq!(whole.len(), 2);
        for cut in 0..=input.len() {
            assert_eq!(run(cut), whole, "cut at {cut}");
        }
    }
}
