//! The crate's error type: every way input is refused, with the byte offset where it happened,
//! the ABNF production that failed (RFC 1939 §3, RFC 2449 §9) and the rule.

/// Why POP3 input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A byte the grammar does not allow at this place.
    #[error("expected {production} at byte {offset}, found {found} ({reason})")]
    Syntax {
        /// Byte offset of the offending byte.
        offset: u64,
        /// The ABNF production that failed (`keyword`, `msg`, `resp-code`, ...).
        production: &'static str,
        /// The byte found there, or the end of the line.
        found: Found,
        /// What rule it breaks, with its RFC section.
        reason: &'static str,
    },
    /// A line longer than its limit (RFC 2449 §4); the rest of the line was skipped.
    #[error("{what} over {limit} octets at byte {offset} (RFC 2449 §4)")]
    LineTooLong {
        /// Byte offset of the line's start.
        offset: u64,
        /// Which line: `command line`, `response line`, `AUTH response line`, `content line`.
        what: &'static str,
        /// The limit, CRLF included.
        limit: usize,
    },
    /// An argument longer than [`crate::Limits::max_argument`] (RFC 2449 §4: 40 octets).
    #[error("argument over {limit} octets at byte {offset} (RFC 2449 §4)")]
    ArgumentTooLong {
        /// Byte offset of the argument's first byte.
        offset: u64,
        /// The limit.
        limit: usize,
    },
    /// A bare CR or a bare LF (RFC 1939 §3: lines end in CRLF): refused unless
    /// [`crate::Leniency::normalize_bare_line_ends`].
    #[error("bare {} at byte {offset} (RFC 1939 §3)", if *byte == b'\r' { "CR" } else { "LF" })]
    BareLineEnd {
        /// Byte offset of the CR or LF.
        offset: u64,
        /// `\r` or `\n`.
        byte: u8,
    },
    /// More than a configured limit that is not a line's length (a multi-line response's size).
    #[error("{what} over the limit of {limit} at byte {offset}")]
    TooLarge {
        /// Byte offset where the limit was crossed.
        offset: u64,
        /// What: `multi-line response`.
        what: &'static str,
        /// The limit.
        limit: u64,
    },
    /// The input ended inside an item (at end of stream).
    #[error("the input ended at byte {offset} inside {inside}")]
    Truncated {
        /// Byte offset of the end of input.
        offset: u64,
        /// What was being read.
        inside: &'static str,
    },
    /// A command keyword this crate does not know (RFC 1939 §3: answered `-ERR`); the line was
    /// consumed, so the next call decodes the next command.
    #[error("unknown command at byte {offset} (RFC 1939 §3)")]
    UnknownCommand {
        /// Byte offset of the line's start.
        offset: u64,
    },
    /// The peer broke the protocol's rules: a command in the wrong state, a response with no
    /// command outstanding, bytes after the `+OK` to STLS (RFC 2595 §4; response injection).
    /// Raised by sessions.
    #[error("protocol error at byte {offset}: {reason}")]
    Peer {
        /// Stream offset where it was seen.
        offset: u64,
        /// What rule was broken, with its RFC section.
        reason: &'static str,
    },
    /// The local side broke the protocol's rules (a value that cannot be written, a command out
    /// of order). Raised by encoders and sessions, never by decoders.
    #[error("local protocol error: {reason}")]
    Local {
        /// What rule was broken.
        reason: &'static str,
    },
}

/// What was found where the grammar wanted something else (shared with the other crates).
pub use framing::Found;

impl Error {
    /// The error of a value checked on its own, its syntax offset moved by `by` to the value's
    /// place in the stream (other variants carry stream offsets already).
    pub(crate) fn shifted(self, by: u64) -> Error {
        match self {
            Error::Syntax {
                offset,
                production,
                found,
                reason,
            } => Error::Syntax {
                offset: offset + by,
                production,
                found,
                reason,
            },
            e => e,
        }
    }

    /// The byte offset of the error, if it has one.
    pub fn offset(&self) -> Option<u64> {
        match *self {
            Error::Syntax { offset, .. }
            | Error::LineTooLong { offset, .. }
            | Error::ArgumentTooLong { offset, .. }
            | Error::BareLineEnd { offset, .. }
            | Error::TooLarge { offset, .. }
            | Error::Truncated { offset, .. }
            | Error::UnknownCommand { offset }
            | Error::Peer { offset, .. } => Some(offset),
            Error::Local { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_offset_and_rule() {
        let e = Error::ArgumentTooLong {
            offset: 5,
            limit: 40,
        };
        assert_eq!(
            e.to_string(),
            "argument over 40 octets at byte 5 (RFC 2449 §4)"
        );
        let e = Error::BareLineEnd {
            offset: 7,
            byte: b'\n',
        };
        assert_eq!(e.to_string(), "bare LF at byte 7 (RFC 1939 §3)");
        assert_eq!(e.offset(), Some(7));
    }
}
