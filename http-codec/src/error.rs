//! The crate's error type: every way a message can be refused, with the byte offset where it
//! happened and the status code a server answers it with.
//!
//! Offsets count from the first byte the decoder was given (for the borrowed parser, from the
//! start of the slice). After any of these errors the connection is out of sync: HTTP/1.1 has no
//! way to find the next message after a bad one, so a server answers with [`Error::status`] and
//! closes. None of them is worth a retry on the same connection.

use std::fmt;

/// Why an HTTP/1 message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A byte the grammar does not allow at this place.
    #[error("expected {production} at byte {offset}, found {found} ({reason})")]
    Syntax {
        /// Byte offset of the offending byte.
        offset: u64,
        /// The ABNF production that failed (`field-name`, `chunk-size`, ...).
        production: &'static str,
        /// The byte found there, or end of input.
        found: Found,
        /// What rule it breaks, with its RFC section.
        reason: &'static str,
    },
    /// The input ended inside a message (at `decode_eof`).
    #[error("the input ended at byte {offset} inside {inside}")]
    Truncated {
        /// Byte offset of the end of input.
        offset: u64,
        /// What was being read: `message head`, `chunked body`, ...
        inside: &'static str,
    },
    /// A configured limit was exceeded; nothing beyond the limit was buffered.
    #[error("{what} exceeds the limit of {limit} at byte {offset}")]
    TooLarge {
        /// Byte offset where the limit was crossed.
        offset: u64,
        /// Which limit.
        what: Limit,
        /// The limit's value (bytes, or a count for [`Limit::HeaderCount`]).
        limit: u64,
    },
    /// An HTTP-version this codec does not implement (major version other than 1),
    /// RFC 9110 §6.2: answered with 505.
    #[error("HTTP/{major}.{minor} at byte {offset} is not supported (RFC 9110 §6.2)")]
    UnsupportedVersion {
        /// Byte offset of the version.
        offset: u64,
        /// Major version digit.
        major: u8,
        /// Minor version digit.
        minor: u8,
    },
    /// A Content-Length field that is not a valid decimal, overflows, or disagrees with another
    /// (RFC 9112 §6.3 item 5, RFC 9110 §8.6).
    #[error("invalid Content-Length at byte {offset}: {reason}")]
    ContentLength {
        /// Byte offset of the field line.
        offset: u64,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A Transfer-Encoding that cannot frame this message (RFC 9112 §6.1, §6.3).
    #[error("invalid Transfer-Encoding at byte {offset}: {reason}")]
    TransferEncoding {
        /// Byte offset of the field line.
        offset: u64,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A request whose transfer coding is not one this codec knows (RFC 9112 §6.1: 501).
    #[error("unknown transfer coding at byte {offset} (RFC 9112 §6.1)")]
    UnknownTransferCoding {
        /// Byte offset of the field line.
        offset: u64,
    },
    /// Both Transfer-Encoding and Content-Length: the request smuggling shape that
    /// RFC 9112 §6.3 item 3 says ought to be handled as an error.
    #[error(
        "Transfer-Encoding together with Content-Length at byte {offset} (RFC 9112 §6.3, request smuggling)"
    )]
    ContentLengthWithTransferEncoding {
        /// Byte offset of the second of the two fields.
        offset: u64,
    },
    /// Host missing from an HTTP/1.1 request, given twice, or not a valid uri-host [ ":" port ]
    /// (RFC 9112 §3.2).
    #[error("invalid Host at byte {offset}: {reason} (RFC 9112 §3.2)")]
    Host {
        /// Byte offset of the field line (or the end of the head when it is missing).
        offset: u64,
        /// What is wrong.
        reason: &'static str,
    },
    /// The local side broke the connection's rules (sent a response before a request, more body
    /// than its Content-Length, ...). Raised by sessions and encoders, never by decoders.
    #[error("local protocol error: {reason}")]
    Local {
        /// What rule was broken.
        reason: &'static str,
    },
}

/// What was found where the grammar wanted something else (shared with the other crates).
pub use framing::Found;

/// Which configured limit was exceeded (see [`crate::Limits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// The request-line (status 414).
    RequestLine,
    /// One field line (status 431).
    FieldLine,
    /// The whole head (status 431).
    Head,
    /// The number of header fields (status 431).
    HeaderCount,
    /// A chunk-ext (status 413).
    ChunkExtension,
    /// The trailer section (status 431).
    Trailers,
    /// The body, by Content-Length or by what arrived (status 413).
    Body,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::RequestLine => "request-line",
            Limit::FieldLine => "field line",
            Limit::Head => "message head",
            Limit::HeaderCount => "header count",
            Limit::ChunkExtension => "chunk extension",
            Limit::Trailers => "trailer section",
            Limit::Body => "body",
        })
    }
}

impl Error {
    /// The status code a server answers this error with (RFC 9110 §15): 400 for bad syntax,
    /// 414 for a long request-line, 431 for large heads, 413 for large bodies, 501 for an unknown
    /// transfer coding, 505 for an unsupported version, 500 for a local error.
    pub fn status(&self) -> u16 {
        match self {
            Error::TooLarge { what, .. } => match what {
                Limit::RequestLine => 414,
                Limit::FieldLine | Limit::Head | Limit::HeaderCount | Limit::Trailers => 431,
                Limit::ChunkExtension | Limit::Body => 413,
            },
            Error::UnsupportedVersion { .. } => 505,
            Error::UnknownTransferCoding { .. } => 501,
            Error::Local { .. } => 500,
            Error::Syntax { .. }
            | Error::Truncated { .. }
            | Error::ContentLength { .. }
            | Error::TransferEncoding { .. }
            | Error::ContentLengthWithTransferEncoding { .. }
            | Error::Host { .. } => 400,
        }
    }

    /// The byte offset of the error, if it has one.
    pub fn offset(&self) -> Option<u64> {
        match *self {
            Error::Syntax { offset, .. }
            | Error::Truncated { offset, .. }
            | Error::TooLarge { offset, .. }
            | Error::UnsupportedVersion { offset, .. }
            | Error::ContentLength { offset, .. }
            | Error::TransferEncoding { offset, .. }
            | Error::UnknownTransferCoding { offset }
            | Error::ContentLengthWithTransferEncoding { offset }
            | Error::Host { offset, .. } => Some(offset),
            Error::Local { .. } => None,
        }
    }

    /// The same error with its offset moved by `base` (a parser's offsets are relative to what it
    /// was given; a decoder's count from the start of the stream).
    pub(crate) fn shifted(mut self, base: u64) -> Self {
        match &mut self {
            Error::Syntax { offset, .. }
            | Error::Truncated { offset, .. }
            | Error::TooLarge { offset, .. }
            | Error::UnsupportedVersion { offset, .. }
            | Error::ContentLength { offset, .. }
            | Error::TransferEncoding { offset, .. }
            | Error::UnknownTransferCoding { offset }
            | Error::ContentLengthWithTransferEncoding { offset }
            | Error::Host { offset, .. } => *offset += base,
            Error::Local { .. } => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_production_offset_and_rule() {
        let e = Error::Syntax {
            offset: 17,
            production: "field-name",
            found: Found::Byte(b' '),
            reason: "whitespace before colon, RFC 9112 §5.1",
        };
        assert_eq!(
            e.to_string(),
            "expected field-name at byte 17, found 0x20 (whitespace before colon, RFC 9112 §5.1)"
        );
        assert_eq!(e.status(), 400);
        assert_eq!(e.shifted(3).offset(), Some(20));
    }

    #[test]
    fn limits_map_to_their_status() {
        let status = |what| {
            Error::TooLarge {
                offset: 0,
                what,
                limit: 1,
            }
            .status()
        };
        assert_eq!(status(Limit::RequestLine), 414);
        assert_eq!(status(Limit::Head), 431);
        assert_eq!(status(Limit::HeaderCount), 431);
        assert_eq!(status(Limit::Trailers), 431);
        assert_eq!(status(Limit::Body), 413);
        assert_eq!(status(Limit::ChunkExtension), 413);
    }
}
