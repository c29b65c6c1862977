//! The error type of every framing codec, and the error of the I/O adapters.
//!
//! Incomplete input is not an error: a decoder returns `Ok(None)` and waits for more bytes.
//! Everything else is one of the variants below, each with the fields a caller needs to log it or
//! to answer the peer.
//!
//! # Which errors are worth a retry
//!
//! | variant | stream still in sync? | retry? |
//! |---|---|---|
//! | [`Error::Truncated`] | no: the stream ended | a new connection may succeed |
//! | [`Error::TooShort`], [`Error::TooLarge`] (decoding) | no: the header cannot be trusted | final |
//! | [`Error::TooLarge`] (encoding), [`Error::Unencodable`] | yes: nothing was written | fix the item |
//! | [`Error::UnknownType`] | yes: the frame is skipped | next `decode` goes on |
//! | [`Error::LineTooLong`] with `discarded: true` | yes: the line was skipped | next `decode` goes on |
//! | [`Error::LineTooLong`] with `discarded: false` | no | final |
//! | [`Error::Malformed`] from a line codec (bad UTF-8, bare CR/LF) | yes: the line is consumed | next `decode` goes on |
//! | [`Error::Malformed`] from a hello | no | final |
//! | [`Error::BadMagic`], [`Error::VersionMismatch`] | no: the peer speaks something else | final |
//! | [`Error::Timeout`] | no | a new connection may succeed |

use std::ops::RangeInclusive;

/// Every error a framing codec or the version handshake can report.
///
/// Offsets count bytes from the start of the stream the decoder has seen (not from the start of
/// the current buffer), so a message can be found in a capture.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The stream ended inside a frame: at least `needed` more bytes were expected.
    #[error("stream ended inside a frame at byte {offset}: {needed} more bytes needed")]
    Truncated {
        /// Stream offset where the input ended.
        offset: u64,
        /// The smallest number of bytes that would have let the frame finish.
        needed: u64,
    },
    /// A length field, after the length adjustment, is smaller than the frame header it must cover.
    #[error(
        "length field at byte {offset} says {claimed}, less than the {minimum} bytes it must count"
    )]
    TooShort {
        /// Stream offset of the length field.
        offset: u64,
        /// The value of the length field as read.
        claimed: u64,
        /// The smallest value that would be valid.
        minimum: u64,
    },
    /// A frame is larger than the configured limit or than its length field can express.
    #[error("frame at byte {offset} of {claimed} bytes exceeds the limit of {limit}")]
    TooLarge {
        /// When decoding, the stream offset of the length field (or of the line); when encoding,
        /// the offset in the output buffer where the frame would have started.
        offset: u64,
        /// The limit in force (a configured maximum, or the largest value of the length field).
        limit: u64,
        /// The size the peer claimed, or the size of the item to encode.
        claimed: u64,
    },
    /// A line is longer than the configured maximum.
    ///
    /// When the codec discards over-long lines, `length` is the exact length of the discarded line
    /// (without its delimiter); otherwise it is the number of bytes seen without a delimiter, a
    /// lower bound.
    #[error("line at byte {offset} is {length} bytes long, over the limit of {limit}")]
    LineTooLong {
        /// Stream offset where the line starts.
        offset: u64,
        /// The configured maximum line length.
        limit: usize,
        /// The line's length (exact when discarded, a lower bound otherwise).
        length: u64,
        /// Whether the line was skipped up to and including its delimiter, leaving the decoder in
        /// sync with the next line.
        discarded: bool,
    },
    /// A message type byte that is not in the configured set of known types.
    #[error("unknown message type {message_type} at byte {offset}")]
    UnknownType {
        /// Stream offset of the type byte.
        offset: u64,
        /// The type byte as read.
        message_type: u8,
    },
    /// The version ranges of the two sides of a handshake do not overlap.
    #[error("no common version: we speak {local:?}, the peer speaks {remote:?}")]
    VersionMismatch {
        /// Our supported versions (`min_version..=version`).
        local: RangeInclusive<u16>,
        /// The peer's supported versions.
        remote: RangeInclusive<u16>,
    },
    /// A hello does not start with the expected magic number.
    #[error("bad magic {found:#010x} at byte {offset}, expected {expected:#010x}")]
    BadMagic {
        /// Stream offset of the magic.
        offset: u64,
        /// The magic we expect.
        expected: u32,
        /// The magic that arrived.
        found: u32,
    },
    /// Bytes that break the framing's grammar.
    #[error("malformed input at byte {offset}: {reason}")]
    Malformed {
        /// Stream offset of the first offending byte.
        offset: u64,
        /// What rule was broken.
        reason: &'static str,
    },
    /// An item that this codec configuration cannot put on the wire; nothing was written.
    #[error("cannot encode: {reason}")]
    Unencodable {
        /// Why the item does not fit the configuration.
        reason: &'static str,
    },
    /// A session's deadline passed before it finished.
    #[error("timed out")]
    Timeout,
}

impl Error {
    /// For an error from `decode`: whether the decoder is still in sync with the stream, so that
    /// the next `decode` reads the next item (the middle column of the table in the
    /// [module docs](self)). Holds for this crate's codecs. (An error from `encode` wrote
    /// nothing and changed nothing: the encoder can always go on.)
    pub fn is_recoverable(&self) -> bool {
        match self {
            Error::UnknownType { .. } | Error::Malformed { .. } | Error::Unencodable { .. } => true,
            Error::LineTooLong { discarded, .. } => *discarded,
            _ => false,
        }
    }

    /// The byte offset the error carries, if any (`VersionMismatch`, `Unencodable` and `Timeout`
    /// are about no byte in particular).
    pub fn offset(&self) -> Option<u64> {
        match self {
            Error::Truncated { offset, .. }
            | Error::TooShort { offset, .. }
            | Error::TooLarge { offset, .. }
            | Error::LineTooLong { offset, .. }
            | Error::UnknownType { offset, .. }
            | Error::BadMagic { offset, .. }
            | Error::Malformed { offset, .. } => Some(*offset),
            Error::VersionMismatch { .. } | Error::Unencodable { .. } | Error::Timeout => None,
        }
    }
}

/// The error of the I/O adapters: either the transport failed or the codec rejected the bytes.
///
/// The codec traits do not require `From<std::io::Error>`, so codec errors stay plain values
/// (`Clone`, `Eq`); only the adapters at the edge meet `io::Error`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdapterError<E> {
    /// Reading from or writing to the stream failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// The codec rejected the input or the item.
    #[error(transparent)]
    Codec(E),
}
