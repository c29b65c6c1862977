//! Why a header block was refused: every error names the byte offset in the block where it was
//! found and the RFC section it breaks.
//!
//! HPACK has no way to resynchronise: once a block fails, the decoder's dynamic table no longer
//! matches the encoder's, so HTTP/2 treats every decoding error as a connection error of type
//! COMPRESSION_ERROR (RFC 9113 §4.3): [`Error::h2_error_code`] gives the code and
//! [`Error::to_h2`] the HTTP/2 connection error.

use std::fmt;

/// A header block that could not be decoded (RFC 7541 §2-§6, RFC 9113 §4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Byte offset in the header block (or in the slice given to a primitive's `decode`) where
    /// the problem was found (the start of the representation, RFC 7541 §6, for table and
    /// limit errors).
    pub offset: u64,
    /// What is wrong, and so which section it breaks ([`ErrorKind::section`]).
    pub kind: ErrorKind,
}

/// What is wrong with a header block, one variant per rule of RFC 7541 §4-§6 and RFC 9113
/// §10.5.1 (each names its section through [`ErrorKind::section`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The block ended inside an integer (RFC 7541 §5.1).
    IntegerTruncated,
    /// An integer larger than 2^32 - 1 (RFC 7541 §5.1: encodings that exceed implementation
    /// limits in value are decoding errors).
    IntegerOverflow,
    /// An integer with more continuation octets than [`crate::h2::hpack::integer::MAX_CONTINUATION_OCTETS`]
    /// (RFC 7541 §5.1: limits on the octet length of an encoding; zero-padded integers would
    /// otherwise cost unbounded work).
    IntegerTooLong,
    /// A string literal whose length goes past the end of the block (RFC 7541 §5.2).
    StringTruncated {
        /// The length the literal claims.
        length: u32,
        /// The octets left in the block.
        available: u64,
    },
    /// The EOS symbol inside a Huffman-coded string (RFC 7541 §5.2: a decoding error).
    HuffmanEos,
    /// Huffman padding longer than 7 bits (RFC 7541 §5.2).
    HuffmanPaddingTooLong,
    /// Huffman padding that is not the most significant bits of EOS, i.e. not all ones
    /// (RFC 7541 §5.2).
    HuffmanPaddingNotOnes,
    /// Index 0 in an indexed header field (RFC 7541 §6.1).
    IndexZero,
    /// An index past the end of the static and dynamic tables (RFC 7541 §2.3.3).
    IndexOutOfRange {
        /// The index received.
        index: u32,
        /// The largest valid index at that point (61 + entries in the dynamic table).
        max: u32,
    },
    /// A dynamic table size update above the limit the decoder was given
    /// (SETTINGS_HEADER_TABLE_SIZE; RFC 7541 §6.3, §4.2).
    SizeUpdateTooLarge {
        /// The size the update asks for.
        requested: u32,
        /// The decoder's limit.
        limit: u64,
    },
    /// A dynamic table size update after the first header field of a block (RFC 7541 §4.2).
    SizeUpdateAfterField,
    /// The decoder's limit went below the table's size, and the block did not start with the
    /// dynamic table size update that must follow such a change (RFC 7541 §4.2).
    SizeUpdateMissing {
        /// The decoder's limit that the table has to be brought under.
        limit: u64,
    },
    /// The decoded header list grew past its limit (name + value + 32 octets per field,
    /// RFC 9113 §10.5.1 and RFC 7541 §4.1); refused before the field that crosses it is built.
    HeaderListTooLarge {
        /// The limit, in octets.
        limit: u64,
    },
    /// More fields than the decoder allows in one block (RFC 9113 §10.5.1).
    TooManyFields {
        /// The limit, in fields.
        limit: u64,
    },
}

impl ErrorKind {
    /// The RFC section the input breaks, such as `RFC 7541 §5.2`.
    pub fn section(&self) -> &'static str {
        match self {
            ErrorKind::IntegerTruncated
            | ErrorKind::IntegerOverflow
            | ErrorKind::IntegerTooLong => "RFC 7541 §5.1",
            ErrorKind::StringTruncated { .. }
            | ErrorKind::HuffmanEos
            | ErrorKind::HuffmanPaddingTooLong
            | ErrorKind::HuffmanPaddingNotOnes => "RFC 7541 §5.2",
            ErrorKind::IndexZero => "RFC 7541 §6.1",
            ErrorKind::IndexOutOfRange { .. } => "RFC 7541 §2.3.3",
            ErrorKind::SizeUpdateTooLarge { .. } => "RFC 7541 §6.3",
            ErrorKind::SizeUpdateAfterField | ErrorKind::SizeUpdateMissing { .. } => {
                "RFC 7541 §4.2"
            }
            ErrorKind::HeaderListTooLarge { .. } | ErrorKind::TooManyFields { .. } => {
                "RFC 9113 §10.5.1"
            }
        }
    }
}

impl ErrorKind {
    /// A short description without the numbers, for [`crate::h2::Error::reason`].
    pub fn reason(&self) -> &'static str {
        match self {
            ErrorKind::IntegerTruncated => "HPACK: block ends inside an integer",
            ErrorKind::IntegerOverflow => "HPACK: integer larger than 2^32 - 1",
            ErrorKind::IntegerTooLong => "HPACK: integer with too many continuation octets",
            ErrorKind::StringTruncated { .. } => "HPACK: string literal past the end of the block",
            ErrorKind::HuffmanEos => "HPACK: EOS inside a Huffman-coded string",
            ErrorKind::HuffmanPaddingTooLong => "HPACK: Huffman padding longer than 7 bits",
            ErrorKind::HuffmanPaddingNotOnes => "HPACK: Huffman padding not all ones",
            ErrorKind::IndexZero => "HPACK: index 0",
            ErrorKind::IndexOutOfRange { .. } => "HPACK: index past the end of the table",
            ErrorKind::SizeUpdateTooLarge { .. } => {
                "HPACK: dynamic table size update above SETTINGS_HEADER_TABLE_SIZE"
            }
            ErrorKind::SizeUpdateAfterField => {
                "HPACK: dynamic table size update after a header field"
            }
            ErrorKind::SizeUpdateMissing { .. } => "HPACK: missing dynamic table size update",
            ErrorKind::HeaderListTooLarge { .. } => "HPACK: header list over its limit",
            ErrorKind::TooManyFields { .. } => "HPACK: too many header fields",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::IntegerTruncated => f.write_str("the block ends inside an integer"),
            ErrorKind::IntegerOverflow => f.write_str("integer larger than 2^32 - 1"),
            ErrorKind::IntegerTooLong => f.write_str("integer with too many continuation octets"),
            ErrorKind::StringTruncated { length, available } => write!(
                f,
                "string literal of {length} octets with only {available} left in the block"
            ),
            ErrorKind::HuffmanEos => f.write_str("EOS symbol inside a Huffman-coded string"),
            ErrorKind::HuffmanPaddingTooLong => f.write_str("Huffman padding longer than 7 bits"),
            ErrorKind::HuffmanPaddingNotOnes => f.write_str("Huffman padding that is not all ones"),
            ErrorKind::IndexZero => f.write_str("index 0"),
            ErrorKind::IndexOutOfRange { index, max } => {
                write!(f, "index {index} past the end of the table (largest {max})")
            }
            ErrorKind::SizeUpdateTooLarge { requested, limit } => write!(
                f,
                "dynamic table size update to {requested} above the limit of {limit}"
            ),
            ErrorKind::SizeUpdateAfterField => {
                f.write_str("dynamic table size update after a header field")
            }
            ErrorKind::SizeUpdateMissing { limit } => write!(
                f,
                "missing dynamic table size update to at most {limit} at the start of the block"
            ),
            ErrorKind::HeaderListTooLarge { limit } => {
                write!(f, "header list larger than {limit} octets")
            }
            ErrorKind::TooManyFields { limit } => write!(f, "more than {limit} header fields"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at byte {} of the header block ({})",
            self.kind,
            self.offset,
            self.kind.section()
        )
    }
}

impl std::error::Error for Error {}

impl Error {
    pub(crate) fn at(offset: usize, kind: ErrorKind) -> Error {
        Error {
            offset: offset as u64,
            kind,
        }
    }

    /// The RFC section the input breaks (see [`ErrorKind::section`]).
    pub fn section(&self) -> &'static str {
        self.kind.section()
    }

    /// The HTTP/2 error code to close the connection with: COMPRESSION_ERROR (0x9) for every
    /// HPACK error (RFC 9113 §4.3, §7), since the dynamic tables are out of step after one.
    pub fn h2_error_code(&self) -> crate::h2::ErrorCode {
        crate::h2::ErrorCode::COMPRESSION_ERROR
    }

    /// The HTTP/2 connection error for this one (COMPRESSION_ERROR, RFC 9113 §4.3), at
    /// `frame_offset`, the stream offset of the HEADERS or PUSH_PROMISE frame whose block it is.
    pub fn to_h2(&self, frame_offset: u64) -> crate::h2::Error {
        crate::h2::Error::connection(
            self.h2_error_code(),
            frame_offset,
            "§4.3",
            self.kind.reason(),
        )
    }

    /// This error with its offset moved by `base` (for a primitive decoded inside a block).
    pub(crate) fn shifted(mut self, base: usize) -> Error {
        self.offset += base as u64;
        self
    }
}
