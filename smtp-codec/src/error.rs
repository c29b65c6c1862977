//! The crate's error type: every way input is refused, with the byte offset where it happened,
//! the ABNF production that failed (RFC 5321 §4.1) and the rule, and the reply code a server
//! answers it with.

/// Why SMTP input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A byte the grammar does not allow at this place.
    #[error("expected {production} at byte {offset}, found {found} ({reason})")]
    Syntax {
        /// Byte offset of the offending byte.
        offset: u64,
        /// The ABNF production that failed (`Reverse-path`, `esmtp-param`, `Reply-code`, ...).
        production: &'static str,
        /// The byte found there, or the end of the line.
        found: Found,
        /// What rule it breaks, with its RFC section.
        reason: &'static str,
    },
    /// A line longer than its limit (RFC 5321 §4.5.3.1); the rest of the line was skipped.
    #[error("{what} over {limit} octets at byte {offset} (RFC 5321 §4.5.3.1)")]
    LineTooLong {
        /// Byte offset of the line's start.
        offset: u64,
        /// Which line: `command line`, `reply line`, `text line`.
        what: &'static str,
        /// The limit, CRLF included.
        limit: usize,
    },
    /// A bare CR or a bare LF (RFC 5321 §2.3.8): refused unless
    /// [`crate::Leniency::normalize_bare_line_ends`].
    #[error("bare {} at byte {offset} (RFC 5321 §2.3.8; SMTP smuggling)", if *byte == b'\r' { "CR" } else { "LF" })]
    BareLineEnd {
        /// Byte offset of the CR or LF.
        offset: u64,
        /// `\r` or `\n`.
        byte: u8,
    },
    /// More than a configured limit that is not a line's length (message size, recipients,
    /// reply lines, a BDAT chunk).
    #[error("{what} over the limit of {limit} at byte {offset}")]
    TooLarge {
        /// Byte offset where the limit was crossed.
        offset: u64,
        /// What: `message`, `BDAT chunk`, `reply lines`.
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
    /// A command verb this crate does not know (RFC 5321 §4.2.4: answered 500); the line was
    /// consumed, so the next call decodes the next command.
    #[error("unknown command at byte {offset} (RFC 5321 §4.2.4)")]
    UnknownCommand {
        /// Byte offset of the line's start.
        offset: u64,
    },
    /// The peer broke the protocol's rules: a reply code its command does not allow, a reply
    /// with no command outstanding, bytes after the 220 to STARTTLS (RFC 3207 §4.2, §5; response
    /// injection). Raised by sessions.
    #[error("protocol error at byte {offset}: {reason}")]
    Peer {
        /// Stream offset where it was seen (after the offending reply or bytes).
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

/// A line refused by the framing (RFC 5321 §2.3.8, §4.5.3.1).
impl From<framing::text_line::LineError> for Error {
    fn from(e: framing::text_line::LineError) -> Error {
        use framing::text_line::LineError;
        match e {
            LineError::TooLong {
                offset,
                what,
                limit,
            } => Error::LineTooLong {
                offset,
                what,
                limit,
            },
            LineError::BareLineEnd { offset, byte } => Error::BareLineEnd { offset, byte },
            LineError::Truncated { offset, inside } => Error::Truncated { offset, inside },
        }
    }
}

impl Error {
    /// The byte offset of the error, if it has one.
    pub fn offset(&self) -> Option<u64> {
        match *self {
            Error::Syntax { offset, .. }
            | Error::LineTooLong { offset, .. }
            | Error::BareLineEnd { offset, .. }
            | Error::TooLarge { offset, .. }
            | Error::Truncated { offset, .. }
            | Error::UnknownCommand { offset }
            | Error::Peer { offset, .. } => Some(offset),
            Error::Local { .. } => None,
        }
    }

    /// The reply code a server answers this error with (RFC 5321 §4.2.2, §4.5.3.1.10): 500 for
    /// a line too long, a bare line end or an unknown command (syntax error, command
    /// unrecognised), 501 for bad parameters or arguments, 503 for a peer out of
    /// sequence, 552 for too much mail data, 451 for a
    /// local error.
    pub fn reply_code(&self) -> u16 {
        match self {
            Error::LineTooLong { .. }
            | Error::BareLineEnd { .. }
            | Error::Truncated { .. }
            | Error::UnknownCommand { .. } => 500,
            Error::Syntax { .. } => 501,
            Error::Peer { .. } => 503,
            Error::TooLarge { .. } => 552,
            Error::Local { .. } => 451,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_offset_and_rule() {
        let e = Error::BareLineEnd {
            offset: 7,
            byte: b'\n',
        };
        assert_eq!(
            e.to_string(),
            "bare LF at byte 7 (RFC 5321 §2.3.8; SMTP smuggling)"
        );
        assert_eq!(e.reply_code(), 500);
        assert_eq!(e.offset(), Some(7));
    }
}
