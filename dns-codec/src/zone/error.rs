//! Why a zone file was refused, and where (RFC 1035 §5.1).

use std::fmt;

use crate::error::Error;

/// Why a zone-file entry was refused, with where: the line and column (both from 1; the column
/// counts characters) and the byte offset in the whole text (RFC 1035 §5.1).
///
/// The message names the line and column, and for a field's value the field (`SOA refresh`,
/// `MX exchange`, `owner`), never an offset inside the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ZoneError {
    /// The text breaks the zone-file syntax of RFC 1035 §5.1 (or this subset of it).
    #[error("zone file line {line}, column {column}: {reason}")]
    Syntax {
        /// Line, from 1.
        line: usize,
        /// Column in characters, from 1.
        column: usize,
        /// Byte offset in the whole text, from 0.
        offset: u64,
        /// What rule it breaks.
        reason: &'static str,
    },
    /// A field whose value the codec refuses: a name, or a part of the rdata (RFC 1035 §5.1 and
    /// the type's own RFC). `error` is the codec's error for the field alone; `line`, `column`
    /// and `offset` say where in the file the problem is.
    #[error("zone file line {line}, column {column}: {field}: {}", Reason(error))]
    Data {
        /// Line, from 1.
        line: usize,
        /// Column in characters, from 1.
        column: usize,
        /// Byte offset in the whole text, from 0.
        offset: u64,
        /// The field, in its RFC's words: `owner`, `$ORIGIN`, `SOA refresh`, `MX exchange`,
        /// `RRSIG signer's name`, `rdata` for a type without a typed form.
        field: &'static str,
        /// The codec's error.
        error: Error,
    },
    /// The text ended inside an entry: a `(` without its `)`, a quoted string without its
    /// closing quote, a backslash with nothing after it (RFC 1035 §5.1).
    #[error("zone file line {line}, column {column}: the text ends inside an entry: {reason}")]
    Incomplete {
        /// Line, from 1.
        line: usize,
        /// Column in characters, from 1.
        column: usize,
        /// Byte offset in the whole text, from 0.
        offset: u64,
        /// What was left open.
        reason: &'static str,
    },
    /// An entry (a line, or lines joined by parentheses) longer than
    /// [`ZoneLimits::max_entry_len`](super::ZoneLimits::max_entry_len); the position is the
    /// entry's start. RFC 1035 §5.1 sets no limit; a reader that keeps one entry in memory at a
    /// time needs one.
    #[error(
        "zone file line {line}, column {column}: entry longer than {limit} bytes (ZoneLimits::max_entry_len)"
    )]
    EntryTooLong {
        /// Line where the entry starts, from 1.
        line: usize,
        /// Column where the entry starts: always 1, an entry starts a line.
        column: usize,
        /// Byte offset of the entry's start in the whole text, from 0.
        offset: u64,
        /// The limit in force.
        limit: usize,
    },
}

impl ZoneError {
    /// The line of the error, from 1.
    pub fn line(&self) -> usize {
        match *self {
            ZoneError::Syntax { line, .. }
            | ZoneError::Data { line, .. }
            | ZoneError::Incomplete { line, .. }
            | ZoneError::EntryTooLong { line, .. } => line,
        }
    }

    /// The column of the error in characters, from 1.
    pub fn column(&self) -> usize {
        match *self {
            ZoneError::Syntax { column, .. }
            | ZoneError::Data { column, .. }
            | ZoneError::Incomplete { column, .. }
            | ZoneError::EntryTooLong { column, .. } => column,
        }
    }

    /// The byte offset of the error in the whole text, from 0.
    pub fn offset(&self) -> u64 {
        match *self {
            ZoneError::Syntax { offset, .. }
            | ZoneError::Data { offset, .. }
            | ZoneError::Incomplete { offset, .. }
            | ZoneError::EntryTooLong { offset, .. } => offset,
        }
    }
}

/// A codec error said without its offset: the zone error around it says where.
struct Reason<'a>(&'a Error);

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::Syntax { reason, .. } | Error::BadRdata { reason, .. } => f.write_str(reason),
            Error::LabelTooLong { length, .. } => {
                write!(f, "a label of {length} octets, over 63 (RFC 1035 §2.3.4)")
            }
            Error::NameTooLong { .. } => {
                f.write_str("a name longer than 255 octets (RFC 1035 §2.3.4)")
            }
            // Not made by presentation text; said whole rather than lost.
            other => write!(f, "{other}"),
        }
    }
}
