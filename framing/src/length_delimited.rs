//! Length-prefixed frames: an optional fixed prefix, a length field, an optional message type
//! byte, then the payload.
//!
//! ```text
//! +----------------+----------------------+-------------+---------------------+
//! | prefix         | length field         | type        | payload             |
//! | offset bytes   | 1, 2, 3, 4 or 8      | 0 or 1 byte | length + adjustment |
//! |                | bytes, big-endian    |             | bytes               |
//! +----------------+----------------------+-------------+---------------------+
//! ```
//!
//! With the defaults (4-byte big-endian length counting the payload only) this is the classic
//! `struct message { uint32_t length; uint8_t payload[]; }`; with
//! [`Builder::message_type`] it is `struct message { uint32_t length; uint8_t type; uint8_t
//! payload[]; }`. Network byte order (big-endian) is the default, as RFC 1700 and every IETF
//! wire format use it.
//!
//! Unlike `tokio_util::codec::LengthDelimitedCodec`, the decoder never reserves the length the
//! peer claims: the buffer grows only with the bytes that actually arrive, so a 4-byte header
//! cannot make a connection allocate megabytes. The claimed length is checked against
//! `max_frame_length` as soon as the length field is read.

use bytes::{Buf, BufMut, Bytes, BytesMut};

use crate::codec::{Decoder, Encoder};
use crate::error::Error;
use crate::into_bytes::IntoBytes;

/// The default `max_frame_length`, for decoding and encoding: 8 MiB.
pub const DEFAULT_MAX_FRAME_LENGTH: usize = 8 * 1024 * 1024;

/// The width of the length field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthField {
    /// One byte: frames of at most 255 bytes.
    U8,
    /// Two bytes, as DNS over TCP (RFC 1035 §4.2.2).
    U16,
    /// Three bytes, as HTTP/2 frames (RFC 9113 §4.1) and TLS handshake messages.
    U24,
    /// Four bytes (the default).
    U32,
    /// Eight bytes.
    U64,
}

impl LengthField {
    /// The number of bytes the field takes on the wire.
    pub fn width(self) -> usize {
        match self {
            LengthField::U8 => 1,
            LengthField::U16 => 2,
            LengthField::U24 => 3,
            LengthField::U32 => 4,
            LengthField::U64 => 8,
        }
    }

    /// The largest value the field can hold.
    pub fn max_value(self) -> u64 {
        match self {
            LengthField::U64 => u64::MAX,
            other => (1u64 << (8 * other.width())) - 1,
        }
    }
}

/// The byte order of the length field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ByteOrder {
    /// Most significant byte first: network byte order, the default.
    #[default]
    BigEndian,
    /// Least significant byte first.
    LittleEndian,
}

/// One decoded frame.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Frame {
    /// The bytes before the length field (`length_field_offset` of them; empty by default).
    pub prefix: Bytes,
    /// The message type byte, present exactly when the codec is configured with one.
    pub message_type: Option<u8>,
    /// The payload, split off the input buffer without a copy.
    pub payload: Bytes,
}

impl Frame {
    /// A frame with only a payload: owned bytes move in, borrowed ones are copied
    /// ([`IntoBytes`]).
    pub fn new(payload: impl IntoBytes) -> Frame {
        Frame {
            prefix: Bytes::new(),
            message_type: None,
            payload: payload.into_shared(),
        }
    }

    /// A frame with a message type byte.
    pub fn typed(message_type: u8, payload: impl IntoBytes) -> Frame {
        Frame {
            prefix: Bytes::new(),
            message_type: Some(message_type),
            payload: payload.into_shared(),
        }
    }
}

/// Frames for the default configuration: no prefix, no type byte.
#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Frame {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Frame> {
        let payload: Vec<u8> = u.arbitrary()?;
        Ok(Frame::new(payload))
    }
}

/// Configures a [`LengthDelimited`] codec.
///
/// ```
/// use framing::length_delimited::{LengthDelimited, LengthField};
///
/// // struct message { uint16_t length; uint8_t type; uint8_t payload[]; } with types 1 and 2.
/// let codec = LengthDelimited::builder()
///     .length_field(LengthField::U16)
///     .known_types([1, 2])
///     .max_frame_length(4096)
///     .build();
/// # let _ = codec;
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    field: LengthField,
    order: ByteOrder,
    offset: usize,
    adjustment: i64,
    includes_header: bool,
    message_type: bool,
    known_types: Option<[u64; 4]>,
    max_decode: usize,
    max_encode: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            field: LengthField::U32,
            order: ByteOrder::BigEndian,
            offset: 0,
            adjustment: 0,
            includes_header: false,
            message_type: false,
            known_types: None,
            max_decode: DEFAULT_MAX_FRAME_LENGTH,
            max_encode: DEFAULT_MAX_FRAME_LENGTH,
        }
    }
}

impl Builder {
    /// The width of the length field (default [`LengthField::U32`]).
    pub fn length_field(mut self, field: LengthField) -> Self {
        self.field = field;
        self
    }

    /// Reads and writes the length field most significant byte first (the default).
    pub fn big_endian(mut self) -> Self {
        self.order = ByteOrder::BigEndian;
        self
    }

    /// Reads and writes the length field least significant byte first.
    pub fn little_endian(mut self) -> Self {
        self.order = ByteOrder::LittleEndian;
        self
    }

    /// The number of bytes before the length field (a magic, a version); they are handed back in
    /// [`Frame::prefix`] and must be supplied, exactly that many, when encoding. Default 0.
    pub fn length_field_offset(mut self, offset: usize) -> Self {
        self.offset = offset;
        self
    }

    /// A value added to the length field to get the payload length (default 0: the length counts
    /// the payload only). Added to the claimed length before `max_frame_length` is checked.
    pub fn length_adjustment(mut self, adjustment: i64) -> Self {
        self.adjustment = adjustment;
        self
    }

    /// The length field counts the whole frame: prefix, length field, type byte and payload.
    /// Applied on top of any [`Builder::length_adjustment`].
    pub fn length_includes_header(mut self) -> Self {
        self.includes_header = true;
        self
    }

    /// A one-byte message type follows the length field (any value accepted).
    pub fn message_type(mut self) -> Self {
        self.message_type = true;
        self
    }

    /// A one-byte message type follows the length field and must be one of `types`; any other is
    /// [`Error::UnknownType`], after which the decoder skips that frame and stays in sync.
    pub fn known_types(mut self, types: impl IntoIterator<Item = u8>) -> Self {
        let mut set = [0u64; 4];
        for t in types {
            if let Some(word) = set.get_mut(usize::from(t >> 6)) {
                *word |= 1 << (t & 63);
            }
        }
        self.message_type = true;
        self.known_types = Some(set);
        self
    }

    /// The largest payload accepted when decoding and when encoding (default 8 MiB).
    pub fn max_frame_length(mut self, max: usize) -> Self {
        self.max_decode = max;
        self.max_encode = max;
        self
    }

    /// The largest payload accepted when decoding (default 8 MiB).
    pub fn max_decode_frame_length(mut self, max: usize) -> Self {
        self.max_decode = max;
        self
    }

    /// The largest payload accepted when encoding (default 8 MiB).
    pub fn max_encode_frame_length(mut self, max: usize) -> Self {
        self.max_encode = max;
        self
    }

    /// The codec.
    pub fn build(self) -> LengthDelimited {
        let header_len = self
            .offset
            .saturating_add(self.field.width())
            .saturating_add(usize::from(self.message_type));
        let mut adjustment = i128::from(self.adjustment);
        if self.includes_header {
            adjustment -= header_len as i128;
        }
        LengthDelimited {
            config: Config {
                field: self.field,
                order: self.order,
                offset: self.offset,
                adjustment,
                header_len,
                message_type: self.message_type,
                known_types: self.known_types,
                max_decode: self.max_decode,
                max_encode: self.max_encode,
                plain: self.offset == 0 && !self.message_type && adjustment == 0,
            },
            state: State::Head,
            position: 0,
        }
    }
}

#[derive(Debug, Clone)]
struct Config {
    field: LengthField,
    order: ByteOrder,
    offset: usize,
    /// Payload length = length field + adjustment.
    adjustment: i128,
    header_len: usize,
    message_type: bool,
    known_types: Option<[u64; 4]>,
    max_decode: usize,
    max_encode: usize,
    /// No prefix, no type byte, no adjustment: the length field is the payload length.
    plain: bool,
}

impl Config {
    fn is_known(&self, message_type: u8) -> bool {
        match &self.known_types {
            None => true,
            Some(set) => set
                .get(usize::from(message_type >> 6))
                .is_some_and(|word| word & (1 << (message_type & 63)) != 0),
        }
    }

    /// Reads the length field at the front of `header`, which holds at least `header_len` bytes.
    /// The common widths get their own reads, which compile to one load.
    fn read_length(&self, header: &[u8]) -> u64 {
        let Some(mut field) = header.get(self.offset..self.offset + self.field.width()) else {
            return 0;
        };
        match (self.field, self.order) {
            (LengthField::U8, _) => u64::from(field.get_u8()),
            (LengthField::U16, ByteOrder::BigEndian) => u64::from(field.get_u16()),
            (LengthField::U16, ByteOrder::LittleEndian) => u64::from(field.get_u16_le()),
            (LengthField::U32, ByteOrder::BigEndian) => u64::from(field.get_u32()),
            (LengthField::U32, ByteOrder::LittleEndian) => u64::from(field.get_u32_le()),
            (LengthField::U64, ByteOrder::BigEndian) => field.get_u64(),
            (LengthField::U64, ByteOrder::LittleEndian) => field.get_u64_le(),
            (LengthField::U24, ByteOrder::BigEndian) => field.get_uint(3),
            (LengthField::U24, ByteOrder::LittleEndian) => field.get_uint_le(3),
        }
    }

    /// The payload length for a length field value, or why it is refused.
    fn payload_length(&self, raw: u64, field_offset: u64) -> Result<u64, Error> {
        let length = if self.adjustment == 0 {
            raw
        } else {
            let adjusted = i128::from(raw) + self.adjustment;
            if adjusted < 0 {
                return Err(Error::TooShort {
                    offset: field_offset,
                    claimed: raw,
                    minimum: u64::try_from(-self.adjustment).unwrap_or(u64::MAX),
                });
            }
            u64::try_from(adjusted).unwrap_or(u64::MAX)
        };
        if length > self.max_decode as u64 {
            return Err(Error::TooLarge {
                offset: field_offset,
                limit: self.max_decode as u64,
                claimed: length,
            });
        }
        Ok(length)
    }

    /// Writes the length field; `value` fits it. The common widths get their own calls, which
    /// compile to one store.
    fn put_length(&self, value: u64, dst: &mut BytesMut) {
        match (self.field, self.order) {
            (LengthField::U8, _) => dst.put_u8(value as u8),
            (LengthField::U16, ByteOrder::BigEndian) => dst.put_u16(value as u16),
            (LengthField::U16, ByteOrder::LittleEndian) => dst.put_u16_le(value as u16),
            (LengthField::U32, ByteOrder::BigEndian) => dst.put_u32(value as u32),
            (LengthField::U32, ByteOrder::LittleEndian) => dst.put_u32_le(value as u32),
            (LengthField::U64, ByteOrder::BigEndian) => dst.put_u64(value),
            (LengthField::U64, ByteOrder::LittleEndian) => dst.put_u64_le(value),
            (LengthField::U24, ByteOrder::BigEndian) => dst.put_uint(value, 3),
            (LengthField::U24, ByteOrder::LittleEndian) => dst.put_uint_le(value, 3),
        }
    }
}

#[derive(Debug, Clone)]
enum State {
    /// Waiting for a complete header.
    Head,
    /// The header was consumed; waiting for `length` payload bytes.
    Payload {
        length: usize,
        prefix: Bytes,
        message_type: Option<u8>,
    },
    /// Skipping the payload of a frame with an unknown type.
    Discard { remaining: u64 },
}

/// The length-prefixed codec; see the [module docs](self).
///
/// ```
/// use bytes::BytesMut;
/// use framing::{Decoder, Encoder, length_delimited::{Frame, LengthDelimited}};
///
/// let mut codec = LengthDelimited::new();
/// let mut buf = BytesMut::new();
/// codec.encode(Frame::new("hello"), &mut buf).unwrap();
/// assert_eq!(&buf[..], b"\x00\x00\x00\x05hello");
/// let frame = codec.decode(&mut buf).unwrap().unwrap();
/// assert_eq!(frame.payload, "hello");
/// ```
#[derive(Debug, Clone)]
pub struct LengthDelimited {
    config: Config,
    state: State,
    /// Bytes consumed from the stream so far, for error offsets.
    position: u64,
}

impl Default for LengthDelimited {
    fn default() -> Self {
        LengthDelimited::new()
    }
}

impl LengthDelimited {
    /// A codec with the defaults: 4-byte big-endian length counting the payload, no prefix, no
    /// type byte, 8 MiB limit.
    pub fn new() -> LengthDelimited {
        Builder::default().build()
    }

    /// A builder starting from the defaults.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The number of bytes before the payload: prefix, length field and type byte.
    pub fn header_len(&self) -> usize {
        self.config.header_len
    }

    /// Reads the header at the front of `src` (which holds at least `header_len` bytes) and
    /// consumes it; then the whole frame if its payload is there too.
    fn decode_head(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, Error> {
        let c = &self.config;
        let field_offset = self.position + c.offset as u64;
        let field_end = c.offset + c.field.width();
        let length = c.payload_length(c.read_length(src), field_offset)?;
        let message_type = if c.message_type {
            src.get(field_end).copied()
        } else {
            None
        };
        let prefix = if c.offset == 0 {
            Bytes::new()
        } else {
            src.split_to(c.offset).freeze()
        };
        src.advance(c.header_len - c.offset);
        self.position += c.header_len as u64;
        if let Some(t) = message_type {
            if !c.is_known(t) {
                self.state = State::Discard { remaining: length };
                return Err(Error::UnknownType {
                    offset: field_offset + c.field.width() as u64,
                    message_type: t,
                });
            }
        }
        // `length <= max_decode`, a usize, so the conversion is exact.
        let length = length as usize;
        if src.len() >= length {
            self.position += length as u64;
            return Ok(Some(Frame {
                prefix,
                message_type,
                payload: src.split_to(length).freeze(),
            }));
        }
        // Make room for the payload by moving what is buffered to the front, if that is all it
        // takes: `try_reclaim` never allocates, so the claimed length still reserves nothing, but
        // a large payload is not left to be moved again when the buffer next grows.
        if src.capacity() < length {
            let _ = src.try_reclaim(length);
        }
        self.state = State::Payload {
            length,
            prefix,
            message_type,
        };
        Ok(None)
    }

    /// [`LengthDelimited::encode_parts`] for a plain configuration: the length is the payload's.
    fn encode_plain(&self, payload: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        let c = &self.config;
        let length = payload.len() as u64;
        for limit in [c.max_encode as u64, c.field.max_value()] {
            if length > limit {
                return Err(Error::TooLarge {
                    offset: dst.len() as u64,
                    limit,
                    claimed: length,
                });
            }
        }
        dst.reserve(c.header_len + payload.len());
        c.put_length(length, dst);
        dst.put_slice(payload);
        Ok(())
    }

    /// Checks `payload` against the configuration and appends the frame to `dst`.
    fn encode_parts(
        &self,
        prefix: &[u8],
        message_type: Option<u8>,
        payload: &[u8],
        dst: &mut BytesMut,
    ) -> Result<(), Error> {
        let c = &self.config;
        if c.plain && prefix.is_empty() && message_type.is_none() {
            return self.encode_plain(payload, dst);
        }
        if prefix.len() != c.offset {
            return Err(Error::Unencodable {
                reason: "prefix length differs from length_field_offset",
            });
        }
        match message_type {
            Some(_) if !c.message_type => {
                return Err(Error::Unencodable {
                    reason: "message type given, but the codec has no type byte",
                });
            }
            None if c.message_type => {
                return Err(Error::Unencodable {
                    reason: "the codec needs a message type",
                });
            }
            Some(t) if !c.is_known(t) => {
                return Err(Error::Unencodable {
                    reason: "message type not in known_types",
                });
            }
            _ => {}
        }
        if payload.len() > c.max_encode {
            return Err(Error::TooLarge {
                offset: dst.len() as u64,
                limit: c.max_encode as u64,
                claimed: payload.len() as u64,
            });
        }
        let raw = payload.len() as i128 - c.adjustment;
        let max = c.field.max_value();
        let raw = match u64::try_from(raw) {
            Ok(raw) if raw <= max => raw,
            Ok(raw) => {
                return Err(Error::TooLarge {
                    offset: dst.len() as u64,
                    limit: max,
                    claimed: raw,
                });
            }
            Err(_) => {
                return Err(Error::Unencodable {
                    reason: "payload shorter than the length adjustment allows",
                });
            }
        };
        dst.reserve(c.header_len + payload.len());
        dst.put_slice(prefix);
        c.put_length(raw, dst);
        if let Some(t) = message_type {
            dst.put_u8(t);
        }
        dst.put_slice(payload);
        Ok(())
    }
}

impl Decoder for LengthDelimited {
    type Item = Frame;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, Error> {
        loop {
            match &mut self.state {
                State::Head => {
                    if src.len() < self.config.header_len {
                        return Ok(None);
                    }
                    return self.decode_head(src);
                }
                State::Payload { length, .. } => {
                    let length = *length;
                    if src.len() < length {
                        return Ok(None);
                    }
                    let State::Payload {
                        prefix,
                        message_type,
                        ..
                    } = std::mem::replace(&mut self.state, State::Head)
                    else {
                        return Ok(None);
                    };
                    self.position += length as u64;
                    return Ok(Some(Frame {
                        prefix,
                        message_type,
                        payload: src.split_to(length).freeze(),
                    }));
                }
                State::Discard { remaining } => {
                    let n = usize::try_from(*remaining)
                        .unwrap_or(usize::MAX)
                        .min(src.len());
                    src.advance(n);
                    *remaining -= n as u64;
                    self.position += n as u64;
                    if *remaining > 0 {
                        return Ok(None);
                    }
                    self.state = State::Head;
                }
            }
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, Error> {
        if let Some(frame) = self.decode(src)? {
            return Ok(Some(frame));
        }
        let have = src.len() as u64;
        let needed = match &self.state {
            State::Head if src.is_empty() => return Ok(None),
            State::Head => self.config.header_len as u64 - have,
            State::Payload { length, .. } => *length as u64 - have,
            State::Discard { remaining } => *remaining,
        };
        Err(Error::Truncated {
            offset: self.position + have,
            needed,
        })
    }
}

impl Encoder<Frame> for LengthDelimited {
    type Error = Error;

    fn encode(&mut self, frame: Frame, dst: &mut BytesMut) -> Result<(), Error> {
        self.encode_parts(&frame.prefix, frame.message_type, &frame.payload, dst)
    }
}

impl Encoder<&Frame> for LengthDelimited {
    type Error = Error;

    fn encode(&mut self, frame: &Frame, dst: &mut BytesMut) -> Result<(), Error> {
        self.encode_parts(&frame.prefix, frame.message_type, &frame.payload, dst)
    }
}

impl Encoder<Bytes> for LengthDelimited {
    type Error = Error;

    fn encode(&mut self, payload: Bytes, dst: &mut BytesMut) -> Result<(), Error> {
        self.encode_parts(&[], None, &payload, dst)
    }
}

impl Encoder<&[u8]> for LengthDelimited {
    type Error = Error;

    fn encode(&mut self, payload: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        self.encode_parts(&[], None, payload, dst)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn decode_all(codec: &mut LengthDelimited, bytes: &[u8]) -> Result<Vec<Frame>, Error> {
        let mut buf = BytesMut::from(bytes);
        let mut frames = Vec::new();
        while let Some(f) = codec.decode_eof(&mut buf)? {
            frames.push(f);
        }
        Ok(frames)
    }

    #[test]
    fn default_is_u32_big_endian_payload_only() {
        let frames = decode_all(&mut LengthDelimited::new(), b"\0\0\0\x02hi\0\0\0\0").unwrap();
        assert_eq!(frames, vec![Frame::new("hi"), Frame::new("")]);
    }

    #[test]
    fn every_width_and_order() {
        for field in [
            LengthField::U8,
            LengthField::U16,
            LengthField::U24,
            LengthField::U32,
            LengthField::U64,
        ] {
            for le in [false, true] {
                let b = LengthDelimited::builder().length_field(field);
                let mut codec = if le { b.little_endian() } else { b }.build();
                let mut buf = BytesMut::new();
                codec.encode(Frame::new("abc"), &mut buf).unwrap();
                assert_eq!(buf.len(), field.width() + 3);
                let expected_first = if le || field.width() == 1 { 3 } else { 0 };
                assert_eq!(buf[0], expected_first, "{field:?} le={le}");
                assert_eq!(codec.decode(&mut buf).unwrap(), Some(Frame::new("abc")));
                assert!(buf.is_empty());
            }
        }
    }

    #[test]
    fn u24_reads_three_bytes() {
        let mut codec = LengthDelimited::builder()
            .length_field(LengthField::U24)
            .build();
        let mut buf = BytesMut::from(&b"\x00\x01\x00"[..]);
        buf.extend_from_slice(&[7u8; 256]);
        let f = codec.decode(&mut buf).unwrap().unwrap();
        assert_eq!(f.payload.len(), 256);
    }

    #[test]
    fn claimed_length_over_limit_is_rejected_before_the_payload_arrives() {
        let mut codec = LengthDelimited::new();
        let mut buf = BytesMut::from(&b"\xff\xff\xff\xff"[..]);
        let capacity = buf.capacity();
        assert_eq!(
            codec.decode(&mut buf),
            Err(Error::TooLarge {
                offset: 0,
                limit: DEFAULT_MAX_FRAME_LENGTH as u64,
                claimed: u32::MAX as u64,
            })
        );
        assert_eq!(buf.capacity(), capacity);
    }

    #[test]
    fn claimed_length_under_limit_reserves_nothing() {
        let mut codec = LengthDelimited::new();
        let mut buf = BytesMut::with_capacity(8);
        buf.extend_from_slice(b"\x00\x7f\xff\xffab");
        assert_eq!(codec.decode(&mut buf), Ok(None));
        assert!(buf.capacity() <= 8);
    }

    #[test]
    fn limit_applies_after_adjustment() {
        let mut codec = LengthDelimited::builder()
            .length_adjustment(10)
            .max_frame_length(10)
            .build();
        assert_eq!(
            decode_all(&mut codec, b"\0\0\0\x01"),
            Err(Error::TooLarge {
                offset: 0,
                limit: 10,
                claimed: 11
            })
        );
    }

    #[test]
    fn length_includes_header() {
        let mut codec = LengthDelimited::builder()
            .length_field(LengthField::U16)
            .message_type()
            .length_includes_header()
            .build();
        let mut buf = BytesMut::new();
        codec.encode(Frame::typed(9, "xy"), &mut buf).unwrap();
        assert_eq!(&buf[..], b"\x00\x05\x09xy");
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(Frame::typed(9, "xy")));
        assert_eq!(
            decode_all(&mut codec, b"\x00\x02\x09"),
            Err(Error::TooShort {
                offset: 5,
                claimed: 2,
                minimum: 3
            })
        );
    }

    #[test]
    fn prefix_is_handed_back_and_required_on_encode() {
        let mut codec = LengthDelimited::builder().length_field_offset(2).build();
        let frames = decode_all(&mut codec, b"MG\0\0\0\x01z").unwrap();
        assert_eq!(frames[0].prefix, "MG");
        assert_eq!(frames[0].payload, "z");
        let mut buf = BytesMut::new();
        assert!(matches!(
            codec.encode(Frame::new("z"), &mut buf),
            Err(Error::Unencodable { .. })
        ));
        assert!(buf.is_empty());
        codec.encode(&frames[0], &mut buf).unwrap();
        assert_eq!(&buf[..], b"MG\0\0\0\x01z");
    }

    #[test]
    fn unknown_type_skips_the_frame_and_stays_in_sync() {
        let mut codec = LengthDelimited::builder()
            .length_field(LengthField::U8)
            .known_types([1])
            .build();
        let mut buf = BytesMut::from(&b"\x02\x07ab\x01\x01c"[..]);
        assert_eq!(
            codec.decode(&mut buf),
            Err(Error::UnknownType {
                offset: 1,
                message_type: 7
            })
        );
        assert_eq!(codec.decode(&mut buf), Ok(Some(Frame::typed(1, "c"))));
    }

    #[test]
    fn truncated_at_eof_says_how_much_is_missing() {
        let mut codec = LengthDelimited::new();
        assert_eq!(
            decode_all(&mut codec, b"\0\0"),
            Err(Error::Truncated {
                offset: 2,
                needed: 2
            })
        );
        let mut codec = LengthDelimited::new();
        assert_eq!(
            decode_all(&mut codec, b"\0\0\0\x05ab"),
            Err(Error::Truncated {
                offset: 6,
                needed: 3
            })
        );
    }

    #[test]
    fn encoder_refuses_what_the_field_cannot_hold() {
        let mut codec = LengthDelimited::builder()
            .length_field(LengthField::U8)
            .build();
        let mut buf = BytesMut::new();
        assert_eq!(
            codec.encode(&[0u8; 256][..], &mut buf),
            Err(Error::TooLarge {
                offset: 0,
                limit: 255,
                claimed: 256
            })
        );
        codec.encode(&[0u8; 255][..], &mut buf).unwrap();
        assert_eq!(buf.len(), 256);
    }

    #[test]
    fn encoder_checks_its_own_limit() {
        let mut codec = LengthDelimited::builder()
            .max_encode_frame_length(3)
            .build();
        let mut buf = BytesMut::new();
        assert_eq!(
            codec.encode(&b"abcd"[..], &mut buf),
            Err(Error::TooLarge {
                offset: 0,
                limit: 3,
                claimed: 4
            })
        );
        assert!(buf.is_empty());
    }

    #[test]
    fn u64_field_with_huge_claim_is_too_large() {
        let mut codec = LengthDelimited::builder()
            .length_field(LengthField::U64)
            .build();
        assert!(matches!(
            decode_all(&mut codec, &[0xff; 8]),
            Err(Error::TooLarge {
                claimed: u64::MAX,
                ..
            })
        ));
    }
}
