//! HTTP/2 frames (RFC 9113 §4, §6): the 9-octet header, the ten frame types, the client preface,
//! and the checks a single frame can fail on its own, each mapped to its error code and to a
//! connection or stream error as §5.4 says. Checks that need the connection's state (stream
//! states, CONTINUATION sequencing, flow control) belong to the connection.
//!
//! ```text
//! +-----------------------------------------------+
//! |                 Length (24)                   |
//! +---------------+---------------+---------------+
//! |   Type (8)    |   Flags (8)   |
//! +-+-------------+---------------+-------------------------------+
//! |R|                 Stream Identifier (31)                      |
//! +=+=============================================================+
//! |                   Frame Payload (0...)                      ...
//! +---------------------------------------------------------------+
//! ```
//!
//! ```
//! use bytes::BytesMut;
//! use framing::{Decoder, Encoder};
//! use http_codec::h2::frame::{Frame, FrameDecoder, FrameEncoder};
//!
//! let mut wire = BytesMut::new();
//! let mut encoder = FrameEncoder::default();
//! encoder.encode(Frame::Ping { ack: false, data: *b"12345678" }, &mut wire)?;
//! encoder.encode(Frame::data(1, "hello", true), &mut wire)?;
//!
//! let mut decoder = FrameDecoder::default();
//! assert_eq!(decoder.decode(&mut wire)?, Some(Frame::Ping { ack: false, data: *b"12345678" }));
//! assert_eq!(decoder.decode(&mut wire)?, Some(Frame::data(1, "hello", true)));
//! # Ok::<(), http_codec::h2::Error>(())
//! ```

use bytes::{Buf, BufMut, Bytes, BytesMut};
use framing::{Decoder, Encoder};

use super::error::{Error, ErrorCode};

/// The client connection preface (RFC 9113 §3.4), sent before the client's first SETTINGS.
pub const PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// The frame header's length (§4.1).
pub const HEADER_LEN: usize = 9;

/// The initial SETTINGS_MAX_FRAME_SIZE, and its lowest legal value (§6.5.2).
pub const DEFAULT_MAX_FRAME_SIZE: u32 = 16_384;

/// The highest legal SETTINGS_MAX_FRAME_SIZE, 2^24 - 1 (§6.5.2).
pub const MAX_MAX_FRAME_SIZE: u32 = (1 << 24) - 1;

/// The frame type codes (§6, §11.2).
pub mod kind {
    /// DATA (§6.1).
    pub const DATA: u8 = 0x0;
    /// HEADERS (§6.2).
    pub const HEADERS: u8 = 0x1;
    /// PRIORITY (§6.3).
    pub const PRIORITY: u8 = 0x2;
    /// RST_STREAM (§6.4).
    pub const RST_STREAM: u8 = 0x3;
    /// SETTINGS (§6.5).
    pub const SETTINGS: u8 = 0x4;
    /// PUSH_PROMISE (§6.6).
    pub const PUSH_PROMISE: u8 = 0x5;
    /// PING (§6.7).
    pub const PING: u8 = 0x6;
    /// GOAWAY (§6.8).
    pub const GOAWAY: u8 = 0x7;
    /// WINDOW_UPDATE (§6.9).
    pub const WINDOW_UPDATE: u8 = 0x8;
    /// CONTINUATION (§6.10).
    pub const CONTINUATION: u8 = 0x9;
}

/// The flags this crate knows (§6); others are ignored on receipt and never sent (§4.1).
pub mod flag {
    /// END_STREAM on DATA and HEADERS.
    pub const END_STREAM: u8 = 0x1;
    /// ACK on SETTINGS and PING.
    pub const ACK: u8 = 0x1;
    /// END_HEADERS on HEADERS, PUSH_PROMISE and CONTINUATION.
    pub const END_HEADERS: u8 = 0x4;
    /// PADDED on DATA, HEADERS and PUSH_PROMISE.
    pub const PADDED: u8 = 0x8;
    /// PRIORITY on HEADERS.
    pub const PRIORITY: u8 = 0x20;
}

/// The setting identifiers (§6.5.2; RFC 8441 §3; RFC 9218 §2.1).
pub mod setting {
    /// SETTINGS_HEADER_TABLE_SIZE.
    pub const HEADER_TABLE_SIZE: u16 = 0x1;
    /// SETTINGS_ENABLE_PUSH: 0 or 1.
    pub const ENABLE_PUSH: u16 = 0x2;
    /// SETTINGS_MAX_CONCURRENT_STREAMS.
    pub const MAX_CONCURRENT_STREAMS: u16 = 0x3;
    /// SETTINGS_INITIAL_WINDOW_SIZE: at most 2^31 - 1.
    pub const INITIAL_WINDOW_SIZE: u16 = 0x4;
    /// SETTINGS_MAX_FRAME_SIZE: 2^14 to 2^24 - 1.
    pub const MAX_FRAME_SIZE: u16 = 0x5;
    /// SETTINGS_MAX_HEADER_LIST_SIZE.
    pub const MAX_HEADER_LIST_SIZE: u16 = 0x6;
    /// SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3): 0 or 1.
    pub const ENABLE_CONNECT_PROTOCOL: u16 = 0x8;
    /// SETTINGS_NO_RFC7540_PRIORITIES (RFC 9218 §2.1): 0 or 1.
    pub const NO_RFC7540_PRIORITIES: u16 = 0x9;
}

/// The deprecated stream priority fields (§5.3.2, §6.3), parsed and kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Priority {
    /// The E flag.
    pub exclusive: bool,
    /// The stream this one depends on.
    pub dependency: u32,
    /// The weight minus one, as sent (0 to 255).
    pub weight: u8,
}

/// One HTTP/2 frame (§6). Payloads are `Bytes` split off the input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Frame {
    /// DATA (§6.1).
    Data {
        /// The stream.
        stream: u32,
        /// The data, without padding.
        data: Bytes,
        /// END_STREAM.
        end_stream: bool,
        /// The Pad Length when PADDED: the frame counts `data + pad + 1` against flow control.
        padding: Option<u8>,
    },
    /// HEADERS (§6.2): a field block fragment (HPACK, RFC 7541).
    Headers {
        /// The stream.
        stream: u32,
        /// The field block fragment, without padding and priority.
        fragment: Bytes,
        /// END_STREAM.
        end_stream: bool,
        /// END_HEADERS: no CONTINUATION follows.
        end_headers: bool,
        /// The priority fields when the PRIORITY flag is set.
        priority: Option<Priority>,
        /// The Pad Length when PADDED.
        padding: Option<u8>,
    },
    /// PRIORITY (§6.3), deprecated and parsed.
    Priority {
        /// The stream.
        stream: u32,
        /// The fields.
        priority: Priority,
    },
    /// RST_STREAM (§6.4).
    RstStream {
        /// The stream.
        stream: u32,
        /// Why.
        code: ErrorCode,
    },
    /// SETTINGS (§6.5): the parameters in order (a later one of the same id wins, §6.5.3).
    Settings {
        /// ACK: an acknowledgement, with no parameters.
        ack: bool,
        /// (identifier, value) pairs; unknown identifiers kept (they are ignored, §6.5.2).
        params: Vec<(u16, u32)>,
    },
    /// PUSH_PROMISE (§6.6).
    PushPromise {
        /// The stream the promise is on.
        stream: u32,
        /// The stream promised.
        promised: u32,
        /// The field block fragment.
        fragment: Bytes,
        /// END_HEADERS.
        end_headers: bool,
        /// The Pad Length when PADDED.
        padding: Option<u8>,
    },
    /// PING (§6.7).
    Ping {
        /// ACK: the answer to a PING.
        ack: bool,
        /// The 8 opaque octets.
        data: [u8; 8],
    },
    /// GOAWAY (§6.8).
    GoAway {
        /// The last stream the sender may have processed.
        last_stream: u32,
        /// Why.
        code: ErrorCode,
        /// Additional debug data.
        debug: Bytes,
    },
    /// WINDOW_UPDATE (§6.9); stream 0 is the connection.
    WindowUpdate {
        /// The stream, 0 for the connection.
        stream: u32,
        /// The increment, 1 to 2^31 - 1.
        increment: u32,
    },
    /// CONTINUATION (§6.10).
    Continuation {
        /// The stream.
        stream: u32,
        /// The field block fragment.
        fragment: Bytes,
        /// END_HEADERS.
        end_headers: bool,
    },
    /// A frame of a type this crate does not know, kept whole (§4.1, §5.5: ignored).
    Unknown {
        /// The type code.
        kind: u8,
        /// The flags as sent.
        flags: u8,
        /// The stream.
        stream: u32,
        /// The payload.
        payload: Bytes,
    },
}

impl Frame {
    /// A DATA frame without padding.
    pub fn data(stream: u32, data: impl Into<Bytes>, end_stream: bool) -> Frame {
        Frame::Data {
            stream,
            data: data.into(),
            end_stream,
            padding: None,
        }
    }

    /// The frame's type code.
    pub fn kind(&self) -> u8 {
        match self {
            Frame::Data { .. } => kind::DATA,
            Frame::Headers { .. } => kind::HEADERS,
            Frame::Priority { .. } => kind::PRIORITY,
            Frame::RstStream { .. } => kind::RST_STREAM,
            Frame::Settings { .. } => kind::SETTINGS,
            Frame::PushPromise { .. } => kind::PUSH_PROMISE,
            Frame::Ping { .. } => kind::PING,
            Frame::GoAway { .. } => kind::GOAWAY,
            Frame::WindowUpdate { .. } => kind::WINDOW_UPDATE,
            Frame::Continuation { .. } => kind::CONTINUATION,
            Frame::Unknown { kind, .. } => *kind,
        }
    }

    /// The frame's stream (0 for the connection-level frames).
    pub fn stream(&self) -> u32 {
        match self {
            Frame::Data { stream, .. }
            | Frame::Headers { stream, .. }
            | Frame::Priority { stream, .. }
            | Frame::RstStream { stream, .. }
            | Frame::PushPromise { stream, .. }
            | Frame::WindowUpdate { stream, .. }
            | Frame::Continuation { stream, .. }
            | Frame::Unknown { stream, .. } => *stream,
            Frame::Settings { .. } | Frame::Ping { .. } | Frame::GoAway { .. } => 0,
        }
    }

    /// The octets of a DATA frame that count against flow control: the whole payload, padding
    /// and Pad Length included (§6.1); 0 for other frames.
    pub fn flow_controlled_len(&self) -> u32 {
        match self {
            Frame::Data { data, padding, .. } => {
                let pad = padding.map_or(0, |p| u32::from(p) + 1);
                u32::try_from(data.len())
                    .unwrap_or(u32::MAX)
                    .saturating_add(pad)
            }
            _ => 0,
        }
    }
}

/// The 9-octet frame header (§4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// The payload's length.
    pub length: u32,
    /// The type code.
    pub kind: u8,
    /// The flags.
    pub flags: u8,
    /// The stream, the reserved bit dropped (§4.1: ignored on receipt).
    pub stream: u32,
}

impl FrameHeader {
    /// Reads a header from 9 octets.
    pub fn parse(b: &[u8; HEADER_LEN]) -> FrameHeader {
        let [l0, l1, l2, kind, flags, s0, s1, s2, s3] = *b;
        FrameHeader {
            length: u32::from_be_bytes([0, l0, l1, l2]),
            kind,
            flags,
            stream: u32::from_be_bytes([s0, s1, s2, s3]) & 0x7fff_ffff,
        }
    }

    /// Writes the header (the reserved bit unset).
    pub fn write(&self, dst: &mut BytesMut) {
        let l = self.length.to_be_bytes();
        dst.put_slice(&[l[1], l[2], l[3], self.kind, self.flags]);
        dst.put_u32(self.stream & 0x7fff_ffff);
    }
}

/// Decodes frames (§4), checking each on its own (§4.2, §6). Optionally reads the client preface
/// first (a server: [`FrameDecoder::server`]).
///
/// SETTINGS_MAX_FRAME_SIZE is the one this side advertised: until the peer acknowledged a larger
/// one, [`FrameDecoder::set_max_frame_size`] is not called and 16,384 holds (§4.2).
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    max_frame_size: u32,
    preface: bool,
    /// Stream offset of the next byte.
    position: u64,
    /// Whether a self-dependent HEADERS or PRIORITY is refused here (§5.3.1).
    self_dependency: bool,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        FrameDecoder {
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
            preface: false,
            position: 0,
            self_dependency: true,
        }
    }
}

fn conn(code: ErrorCode, offset: u64, section: &'static str, reason: &'static str) -> Error {
    Error::connection(code, offset, section, reason)
}

impl FrameDecoder {
    /// A decoder for a server: the client preface first (§3.4).
    pub fn server() -> FrameDecoder {
        FrameDecoder {
            preface: true,
            ..FrameDecoder::default()
        }
    }

    /// The largest payload accepted from now on (our SETTINGS_MAX_FRAME_SIZE, once the peer
    /// acknowledged it), clamped to 16,384 ..= 2^24 - 1 (§6.5.2).
    pub fn set_max_frame_size(&mut self, size: u32) {
        self.max_frame_size = size.clamp(DEFAULT_MAX_FRAME_SIZE, MAX_MAX_FRAME_SIZE);
    }

    /// The largest payload accepted.
    pub fn max_frame_size(&self) -> u32 {
        self.max_frame_size
    }

    /// Whether a HEADERS or PRIORITY frame whose stream depends on itself is refused by the
    /// decoder with the stream error PROTOCOL_ERROR of §5.3.1 (the default), or decoded like
    /// any other and left to the caller. A connection turns the check off and makes it
    /// itself: it must decode a refused HEADERS frame's field block all the same (§4.3: HPACK
    /// state is the connection's) before it resets the stream, and the decoder's error would
    /// have dropped that block.
    pub fn check_self_dependency(&mut self, check: bool) {
        self.self_dependency = check;
    }

    /// Stream offset of the next byte to be read.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Whether the decoder still waits for (the rest of) the client preface.
    pub fn awaits_preface(&self) -> bool {
        self.preface
    }

    fn check_preface(&mut self, src: &mut BytesMut) -> Result<bool, Error> {
        let n = src.len().min(PREFACE.len());
        if src.get(..n) != PREFACE.get(..n) {
            // §3.4: an invalid preface is a connection error; an HTTP/1 request lands here.
            return Err(conn(
                ErrorCode::PROTOCOL_ERROR,
                self.position,
                "§3.4",
                "not the client connection preface",
            ));
        }
        if n < PREFACE.len() {
            return Ok(false);
        }
        src.advance(PREFACE.len());
        self.position += PREFACE.len() as u64;
        self.preface = false;
        Ok(true)
    }

    /// Checks the payload of one frame whose header is `h` and whose payload is `p`, at stream
    /// offset `at`.
    fn frame(&self, h: FrameHeader, mut p: Bytes, at: u64) -> Result<Frame, Error> {
        let stream = h.stream;
        let size_error = |section| {
            conn(
                ErrorCode::FRAME_SIZE_ERROR,
                at,
                section,
                "a payload of the wrong size",
            )
        };
        let on_stream_zero = |section| {
            conn(
                ErrorCode::PROTOCOL_ERROR,
                at,
                section,
                "a frame that needs a stream, on stream 0",
            )
        };
        let not_on_zero = |section| {
            conn(
                ErrorCode::PROTOCOL_ERROR,
                at,
                section,
                "a connection frame on a stream other than 0",
            )
        };
        // Padding (§6.1, §6.2, §6.6): Pad Length, then the rest, then the padding, all zero.
        let unpad = |p: &mut Bytes, section| -> Result<Option<u8>, Error> {
            if h.flags & flag::PADDED == 0 {
                return Ok(None);
            }
            if p.is_empty() {
                return Err(size_error(section));
            }
            let pad = p.get_u8();
            if usize::from(pad) > p.len() {
                return Err(conn(
                    ErrorCode::PROTOCOL_ERROR,
                    at,
                    section,
                    "padding as long as the payload or longer",
                ));
            }
            let padding = p.split_off(p.len() - usize::from(pad));
            if padding.iter().any(|&b| b != 0) {
                // §6.1: a receiver MAY treat non-zero padding as a connection error.
                return Err(conn(
                    ErrorCode::PROTOCOL_ERROR,
                    at,
                    section,
                    "padding octets that are not zero",
                ));
            }
            Ok(Some(pad))
        };
        let priority = |p: &mut Bytes| -> Priority {
            let word = p.get_u32();
            Priority {
                exclusive: word & 0x8000_0000 != 0,
                dependency: word & 0x7fff_ffff,
                weight: p.get_u8(),
            }
        };
        let frame = match h.kind {
            kind::DATA => {
                if stream == 0 {
                    return Err(on_stream_zero("§6.1"));
                }
                let padding = unpad(&mut p, "§6.1")?;
                Frame::Data {
                    stream,
                    data: p,
                    end_stream: h.flags & flag::END_STREAM != 0,
                    padding,
                }
            }
            kind::HEADERS => {
                if stream == 0 {
                    return Err(on_stream_zero("§6.2"));
                }
                let padding = unpad(&mut p, "§6.2")?;
                let prio = if h.flags & flag::PRIORITY != 0 {
                    if p.len() < 5 {
                        return Err(size_error("§6.2"));
                    }
                    let prio = priority(&mut p);
                    if self.self_dependency && prio.dependency == stream {
                        return Err(Error::stream(
                            stream,
                            ErrorCode::PROTOCOL_ERROR,
                            at,
                            "§5.3.1",
                            "a stream that depends on itself",
                        ));
                    }
                    Some(prio)
                } else {
                    None
                };
                Frame::Headers {
                    stream,
                    fragment: p,
                    end_stream: h.flags & flag::END_STREAM != 0,
                    end_headers: h.flags & flag::END_HEADERS != 0,
                    priority: prio,
                    padding,
                }
            }
            kind::PRIORITY => {
                if stream == 0 {
                    return Err(on_stream_zero("§6.3"));
                }
                if p.len() != 5 {
                    // §6.3: a stream error, PRIORITY does not change the connection's state.
                    return Err(Error::stream(
                        stream,
                        ErrorCode::FRAME_SIZE_ERROR,
                        at,
                        "§6.3",
                        "a PRIORITY frame that is not 5 octets",
                    ));
                }
                let prio = priority(&mut p);
                if self.self_dependency && prio.dependency == stream {
                    return Err(Error::stream(
                        stream,
                        ErrorCode::PROTOCOL_ERROR,
                        at,
                        "§5.3.1",
                        "a stream that depends on itself",
                    ));
                }
                Frame::Priority {
                    stream,
                    priority: prio,
                }
            }
            kind::RST_STREAM => {
                if stream == 0 {
                    return Err(on_stream_zero("§6.4"));
                }
                if p.len() != 4 {
                    return Err(size_error("§6.4"));
                }
                Frame::RstStream {
                    stream,
                    code: ErrorCode(p.get_u32()),
                }
            }
            kind::SETTINGS => {
                if stream != 0 {
                    return Err(not_on_zero("§6.5"));
                }
                let ack = h.flags & flag::ACK != 0;
                if (ack && !p.is_empty()) || p.len() % 6 != 0 {
                    return Err(size_error("§6.5"));
                }
                let mut params = Vec::with_capacity(p.len() / 6);
                while p.has_remaining() {
                    let (id, value) = (p.get_u16(), p.get_u32());
                    check_setting(id, value, at)?;
                    params.push((id, value));
                }
                Frame::Settings { ack, params }
            }
            kind::PUSH_PROMISE => {
                if stream == 0 {
                    return Err(on_stream_zero("§6.6"));
                }
                let padding = unpad(&mut p, "§6.6")?;
                if p.len() < 4 {
                    return Err(size_error("§6.6"));
                }
                Frame::PushPromise {
                    stream,
                    promised: p.get_u32() & 0x7fff_ffff,
                    fragment: p,
                    end_headers: h.flags & flag::END_HEADERS != 0,
                    padding,
                }
            }
            kind::PING => {
                if stream != 0 {
                    return Err(not_on_zero("§6.7"));
                }
                let data: [u8; 8] = p.as_ref().try_into().map_err(|_| size_error("§6.7"))?;
                Frame::Ping {
                    ack: h.flags & flag::ACK != 0,
                    data,
                }
            }
            kind::GOAWAY => {
                if stream != 0 {
                    return Err(not_on_zero("§6.8"));
                }
                if p.len() < 8 {
                    return Err(size_error("§6.8"));
                }
                Frame::GoAway {
                    last_stream: p.get_u32() & 0x7fff_ffff,
                    code: ErrorCode(p.get_u32()),
                    debug: p,
                }
            }
            kind::WINDOW_UPDATE => {
                if p.len() != 4 {
                    return Err(size_error("§6.9"));
                }
                let increment = p.get_u32() & 0x7fff_ffff;
                if increment == 0 {
                    let reason = "a window increment of 0";
                    return Err(match stream {
                        0 => conn(ErrorCode::PROTOCOL_ERROR, at, "§6.9", reason),
                        s => Error::stream(s, ErrorCode::PROTOCOL_ERROR, at, "§6.9", reason),
                    });
                }
                Frame::WindowUpdate { stream, increment }
            }
            kind::CONTINUATION => {
                if stream == 0 {
                    return Err(on_stream_zero("§6.10"));
                }
                Frame::Continuation {
                    stream,
                    fragment: p,
                    end_headers: h.flags & flag::END_HEADERS != 0,
                }
            }
            other => Frame::Unknown {
                kind: other,
                flags: h.flags,
                stream,
                payload: p,
            },
        };
        Ok(frame)
    }
}

/// The values §6.5.2 forbids: a connection error each.
fn check_setting(id: u16, value: u32, at: u64) -> Result<(), Error> {
    let bad = |code, reason| Err(conn(code, at, "§6.5.2", reason));
    match id {
        setting::ENABLE_PUSH
        | setting::ENABLE_CONNECT_PROTOCOL
        | setting::NO_RFC7540_PRIORITIES
            if value > 1 =>
        {
            bad(
                ErrorCode::PROTOCOL_ERROR,
                "a boolean setting other than 0 or 1",
            )
        }
        setting::INITIAL_WINDOW_SIZE if value > 0x7fff_ffff => bad(
            ErrorCode::FLOW_CONTROL_ERROR,
            "SETTINGS_INITIAL_WINDOW_SIZE above 2^31 - 1",
        ),
        setting::MAX_FRAME_SIZE
            if !(DEFAULT_MAX_FRAME_SIZE..=MAX_MAX_FRAME_SIZE).contains(&value) =>
        {
            bad(
                ErrorCode::PROTOCOL_ERROR,
                "SETTINGS_MAX_FRAME_SIZE outside 2^14 ..= 2^24 - 1",
            )
        }
        _ => Ok(()),
    }
}

impl Decoder for FrameDecoder {
    type Item = Frame;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, Error> {
        if self.preface && !self.check_preface(src)? {
            return Ok(None);
        }
        let Some(head) = src
            .get(..HEADER_LEN)
            .and_then(|h| <&[u8; HEADER_LEN]>::try_from(h).ok())
        else {
            return Ok(None);
        };
        let h = FrameHeader::parse(head);
        let at = self.position;
        if h.length > self.max_frame_size {
            // §4.2: a connection error for frames that carry a field block, SETTINGS, and any
            // frame on stream 0; a stream error otherwise. Refused before the payload arrives.
            let whole = matches!(
                h.kind,
                kind::HEADERS | kind::PUSH_PROMISE | kind::CONTINUATION | kind::SETTINGS
            ) || h.stream == 0;
            let reason = "a frame over SETTINGS_MAX_FRAME_SIZE";
            return Err(match whole {
                true => conn(ErrorCode::FRAME_SIZE_ERROR, at, "§4.2", reason),
                false => Error::stream(h.stream, ErrorCode::FRAME_SIZE_ERROR, at, "§4.2", reason),
            });
        }
        let total = HEADER_LEN + h.length as usize;
        if src.len() < total {
            src.reserve(total - src.len());
            return Ok(None);
        }
        src.advance(HEADER_LEN);
        let payload = src.split_to(h.length as usize).freeze();
        self.position += total as u64;
        self.frame(h, payload, at).map(Some)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, Error> {
        match self.decode(src)? {
            Some(frame) => Ok(Some(frame)),
            None if src.is_empty() => Ok(None),
            None => Err(conn(
                ErrorCode::PROTOCOL_ERROR,
                self.position,
                "§4.1",
                "the stream ended inside a frame",
            )),
        }
    }
}

/// Writes frames (§4.1, §6): only the flags the frame's fields say, the reserved bit unset,
/// padding octets zero. A payload over the peer's SETTINGS_MAX_FRAME_SIZE is refused, not split:
/// splitting DATA and field blocks is the connection's job.
#[derive(Debug, Clone)]
pub struct FrameEncoder {
    max_frame_size: u32,
}

impl Default for FrameEncoder {
    fn default() -> Self {
        FrameEncoder {
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
        }
    }
}

impl FrameEncoder {
    /// The peer's SETTINGS_MAX_FRAME_SIZE (§6.5.2), clamped to its legal range.
    pub fn set_max_frame_size(&mut self, size: u32) {
        self.max_frame_size = size.clamp(DEFAULT_MAX_FRAME_SIZE, MAX_MAX_FRAME_SIZE);
    }

    /// The largest payload written.
    pub fn max_frame_size(&self) -> u32 {
        self.max_frame_size
    }
}

fn local(reason: &'static str, section: &'static str) -> Error {
    conn(ErrorCode::INTERNAL_ERROR, 0, section, reason)
}

/// Writes `pad` (Pad Length) before and zeros after `body`.
fn padded(dst: &mut BytesMut, padding: Option<u8>, body: impl FnOnce(&mut BytesMut)) {
    if let Some(pad) = padding {
        dst.put_u8(pad);
    }
    body(dst);
    if let Some(pad) = padding {
        dst.put_bytes(0, usize::from(pad));
    }
}

impl Encoder<Frame> for FrameEncoder {
    type Error = Error;

    fn encode(&mut self, frame: Frame, dst: &mut BytesMut) -> Result<(), Error> {
        self.encode(&frame, dst)
    }
}

impl Encoder<&Frame> for FrameEncoder {
    type Error = Error;

    fn encode(&mut self, frame: &Frame, dst: &mut BytesMut) -> Result<(), Error> {
        let set = |on: bool, f: u8| if on { f } else { 0 };
        let pad_flag = |p: &Option<u8>| set(p.is_some(), flag::PADDED);
        let stream_ok = |s: u32, zero: bool| (s == 0) == zero && s <= 0x7fff_ffff;
        let (flags, ok) = match frame {
            Frame::Data {
                stream,
                end_stream,
                padding,
                ..
            } => (
                set(*end_stream, flag::END_STREAM) | pad_flag(padding),
                stream_ok(*stream, false),
            ),
            Frame::Headers {
                stream,
                end_stream,
                end_headers,
                priority,
                padding,
                ..
            } => (
                set(*end_stream, flag::END_STREAM)
                    | set(*end_headers, flag::END_HEADERS)
                    | set(priority.is_some(), flag::PRIORITY)
                    | pad_flag(padding),
                stream_ok(*stream, false),
            ),
            Frame::Priority { stream, .. } | Frame::RstStream { stream, .. } => {
                (0, stream_ok(*stream, false))
            }
            Frame::Settings { ack, params } => (set(*ack, flag::ACK), !*ack || params.is_empty()),
            Frame::PushPromise {
                stream,
                end_headers,
                padding,
                ..
            } => (
                set(*end_headers, flag::END_HEADERS) | pad_flag(padding),
                stream_ok(*stream, false),
            ),
            Frame::Ping { ack, .. } => (set(*ack, flag::ACK), true),
            Frame::GoAway { .. } => (0, true),
            Frame::WindowUpdate { stream, increment } => (
                0,
                *stream <= 0x7fff_ffff && (1..=0x7fff_ffff).contains(increment),
            ),
            Frame::Continuation {
                stream,
                end_headers,
                ..
            } => (
                set(*end_headers, flag::END_HEADERS),
                stream_ok(*stream, false),
            ),
            Frame::Unknown { flags, stream, .. } => (*flags, *stream <= 0x7fff_ffff),
        };
        if !ok {
            return Err(local(
                "a frame its section forbids (stream, flags or increment)",
                "§6",
            ));
        }
        let start = dst.len();
        dst.put_bytes(0, HEADER_LEN);
        match frame {
            Frame::Data { data, padding, .. } => padded(dst, *padding, |d| d.put_slice(data)),
            Frame::Headers {
                fragment,
                priority,
                padding,
                ..
            } => padded(dst, *padding, |d| {
                if let Some(p) = priority {
                    d.put_u32(
                        p.dependency & 0x7fff_ffff | if p.exclusive { 0x8000_0000 } else { 0 },
                    );
                    d.put_u8(p.weight);
                }
                d.put_slice(fragment);
            }),
            Frame::Priority { priority: p, .. } => {
                dst.put_u32(p.dependency & 0x7fff_ffff | if p.exclusive { 0x8000_0000 } else { 0 });
                dst.put_u8(p.weight);
            }
            Frame::RstStream { code, .. } => dst.put_u32(code.0),
            Frame::Settings { params, .. } => {
                for (id, value) in params {
                    dst.put_u16(*id);
                    dst.put_u32(*value);
                }
            }
            Frame::PushPromise {
                promised,
                fragment,
                padding,
                ..
            } => padded(dst, *padding, |d| {
                d.put_u32(promised & 0x7fff_ffff);
                d.put_slice(fragment);
            }),
            Frame::Ping { data, .. } => dst.put_slice(data),
            Frame::GoAway {
                last_stream,
                code,
                debug,
            } => {
                dst.put_u32(last_stream & 0x7fff_ffff);
                dst.put_u32(code.0);
                dst.put_slice(debug);
            }
            Frame::WindowUpdate { increment, .. } => dst.put_u32(*increment),
            Frame::Continuation { fragment, .. } => dst.put_slice(fragment),
            Frame::Unknown { payload, .. } => dst.put_slice(payload),
        }
        let length = dst.len() - start - HEADER_LEN;
        if length > self.max_frame_size as usize {
            dst.truncate(start);
            return Err(local(
                "a payload over the peer's SETTINGS_MAX_FRAME_SIZE",
                "§4.2",
            ));
        }
        let header = FrameHeader {
            length: length as u32,
            kind: frame.kind(),
            flags,
            stream: frame.stream(),
        };
        let mut head = BytesMut::with_capacity(HEADER_LEN);
        header.write(&mut head);
        if let Some(slot) = dst.get_mut(start..start + HEADER_LEN) {
            slot.copy_from_slice(&head);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<Option<Frame>, Error> {
        FrameDecoder::default().decode(&mut BytesMut::from(bytes))
    }

    fn roundtrip(frame: Frame) {
        let mut wire = BytesMut::new();
        FrameEncoder::default().encode(&frame, &mut wire).unwrap();
        let mut d = FrameDecoder::default();
        assert_eq!(d.decode(&mut wire).unwrap(), Some(frame));
        assert!(wire.is_empty());
    }

    #[test]
    fn every_frame_roundtrips() {
        let prio = Priority {
            exclusive: true,
            dependency: 3,
            weight: 200,
        };
        roundtrip(Frame::data(1, "x", false));
        roundtrip(Frame::Data {
            stream: 1,
            data: Bytes::from_static(b"abc"),
            end_stream: true,
            padding: Some(4),
        });
        roundtrip(Frame::Headers {
            stream: 5,
            fragment: Bytes::from_static(b"\x82"),
            end_stream: true,
            end_headers: false,
            priority: Some(prio),
            padding: Some(0),
        });
        roundtrip(Frame::Priority {
            stream: 5,
            priority: prio,
        });
        roundtrip(Frame::RstStream {
            stream: 7,
            code: ErrorCode::CANCEL,
        });
        roundtrip(Frame::Settings {
            ack: false,
            params: vec![(setting::MAX_CONCURRENT_STREAMS, 100), (0x99, 7)],
        });
        roundtrip(Frame::Settings {
            ack: true,
            params: vec![],
        });
        roundtrip(Frame::PushPromise {
            stream: 1,
            promised: 2,
            fragment: Bytes::from_static(b"\x82"),
            end_headers: true,
            padding: None,
        });
        roundtrip(Frame::Ping {
            ack: true,
            data: [1; 8],
        });
        roundtrip(Frame::GoAway {
            last_stream: 9,
            code: ErrorCode::ENHANCE_YOUR_CALM,
            debug: Bytes::from_static(b"calm"),
        });
        roundtrip(Frame::WindowUpdate {
            stream: 0,
            increment: 0x7fff_ffff,
        });
        roundtrip(Frame::Continuation {
            stream: 3,
            fragment: Bytes::from_static(b"\x84"),
            end_headers: true,
        });
        roundtrip(Frame::Unknown {
            kind: 0xfa,
            flags: 0xff,
            stream: 3,
            payload: Bytes::from_static(b"?"),
        });
    }

    #[test]
    fn errors_have_their_code_and_scope() {
        let code = |b: &[u8]| decode(b).unwrap_err();
        // DATA on stream 0.
        let e = code(b"\x00\x00\x01\x00\x00\x00\x00\x00\x00x");
        assert_eq!(
            (e.code, e.is_connection_error(), e.section),
            (ErrorCode::PROTOCOL_ERROR, true, "§6.1")
        );
        // Padding as long as the payload.
        let e = code(b"\x00\x00\x02\x00\x08\x00\x00\x00\x01\x01x");
        assert_eq!((e.code, e.section), (ErrorCode::PROTOCOL_ERROR, "§6.1"));
        // PRIORITY of 4 octets: a stream error.
        let e = code(b"\x00\x00\x04\x02\x00\x00\x00\x00\x01\x00\x00\x00\x00");
        assert_eq!(
            (e.code, e.scope),
            (
                ErrorCode::FRAME_SIZE_ERROR,
                super::super::error::Scope::Stream(1)
            )
        );
        // SETTINGS ACK with a payload; SETTINGS of 5 octets; ENABLE_PUSH 2.
        assert_eq!(
            code(b"\x00\x00\x06\x04\x01\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00").code,
            ErrorCode::FRAME_SIZE_ERROR
        );
        assert_eq!(
            code(b"\x00\x00\x05\x04\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00").code,
            ErrorCode::FRAME_SIZE_ERROR
        );
        assert_eq!(
            code(b"\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x02").code,
            ErrorCode::PROTOCOL_ERROR
        );
        assert_eq!(
            code(b"\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x04\x80\x00\x00\x00").code,
            ErrorCode::FLOW_CONTROL_ERROR
        );
        // WINDOW_UPDATE of 0 on a stream: a stream error.
        let e = code(b"\x00\x00\x04\x08\x00\x00\x00\x00\x03\x00\x00\x00\x00");
        assert_eq!(e.scope, super::super::error::Scope::Stream(3));
        // A frame over the limit is refused from its header alone.
        let e = code(b"\x00\x40\x01\x00\x00\x00\x00\x00\x01");
        assert_eq!(
            (e.code, e.scope),
            (
                ErrorCode::FRAME_SIZE_ERROR,
                super::super::error::Scope::Stream(1)
            )
        );
        let e = code(b"\x00\x40\x01\x01\x04\x00\x00\x00\x01");
        assert!(e.is_connection_error());
        // PING of 7 octets.
        assert_eq!(
            code(b"\x00\x00\x07\x06\x00\x00\x00\x00\x00abcdefg").code,
            ErrorCode::FRAME_SIZE_ERROR
        );
        // A stream that depends on itself.
        assert_eq!(
            code(b"\x00\x00\x05\x02\x00\x00\x00\x00\x01\x00\x00\x00\x01\x10").scope,
            super::super::error::Scope::Stream(1)
        );
    }

    #[test]
    fn preface_then_frames_and_offsets() {
        let mut d = FrameDecoder::server();
        let mut buf = BytesMut::from(&PREFACE[..10]);
        assert_eq!(d.decode(&mut buf).unwrap(), None);
        buf.extend_from_slice(&PREFACE[10..]);
        buf.extend_from_slice(
            b"\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00x",
        );
        assert_eq!(
            d.decode(&mut buf).unwrap(),
            Some(Frame::Settings {
                ack: false,
                params: vec![]
            })
        );
        assert_eq!(d.decode(&mut buf).unwrap_err().offset, 33);
        let mut d = FrameDecoder::server();
        let e = d
            .decode(&mut BytesMut::from(&b"GET / HTTP/1.1\r\n"[..]))
            .unwrap_err();
        assert_eq!((e.code, e.section), (ErrorCode::PROTOCOL_ERROR, "§3.4"));
    }
}
