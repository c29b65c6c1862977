//! The crate's error type: every way a message, a name or a presentation-format text can be
//! refused, each with the byte offset where it happened.
//!
//! Offsets count from the first byte of the DNS message (for [`crate::tcp`], from the first byte
//! of the stream; for presentation text, from the first byte of the text). Encoding errors carry
//! the offset in the output message where the refused part would have started.

use crate::rtype::RType;

/// Why a DNS message, name or record was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The message ended inside a field (RFC 1035 §4.1: every field has a fixed or stated size).
    #[error("the message ended inside the {inside} that starts at byte {offset}")]
    Truncated {
        /// Byte offset of the field that does not fit.
        offset: u64,
        /// What was being read: `header`, `question`, `label`, `rdata`, ...
        inside: &'static str,
    },
    /// The message is larger than [`crate::Limits::max_message_size`] or than 65535 octets.
    #[error("message of {claimed} bytes at byte {offset} exceeds the limit of {limit}")]
    TooLarge {
        /// Byte offset where the limit was crossed.
        offset: u64,
        /// The limit in force.
        limit: u64,
        /// The size found.
        claimed: u64,
    },
    /// A label longer than 63 octets (RFC 1035 §2.3.4). On the wire a length byte of 64 to 191
    /// is one of the label types of [`Error::BadLabelType`]; this is for presentation text.
    #[error("label at byte {offset} is {length} octets long, over 63 (RFC 1035 §2.3.4)")]
    LabelTooLong {
        /// Byte offset of the label.
        offset: u64,
        /// Its length.
        length: usize,
    },
    /// A name longer than 255 octets in its uncompressed wire form (RFC 1035 §2.3.4).
    #[error("name at byte {offset} is longer than 255 octets (RFC 1035 §2.3.4)")]
    NameTooLong {
        /// Byte offset of the name (on the wire: where it starts in the message).
        offset: u64,
    },
    /// A label length byte whose top two bits are 01 or 10: the extended label types of RFC 6891
    /// §5 are not in use, and RFC 1035 §4.1.4 reserves them.
    #[error("label type 0x{byte:02x} at byte {offset} is reserved (RFC 1035 §4.1.4, RFC 6891 §5)")]
    BadLabelType {
        /// Byte offset of the length byte.
        offset: u64,
        /// The length byte.
        byte: u8,
    },
    /// A compression pointer to a byte outside the message (RFC 1035 §4.1.4).
    #[error("compression pointer at byte {offset} points to {target}, past the end of the message")]
    PointerOutOfBounds {
        /// Byte offset of the pointer.
        offset: u64,
        /// Where it points.
        target: u64,
    },
    /// A compression pointer that does not point strictly before the label sequence it ends.
    /// RFC 1035 §4.1.4 says a pointer refers to a *prior* occurrence; requiring that makes every
    /// loop impossible and every name decode finite.
    #[error(
        "compression pointer at byte {offset} points forward or into its own name, to {target} (RFC 1035 §4.1.4)"
    )]
    ForwardPointer {
        /// Byte offset of the pointer.
        offset: u64,
        /// Where it points.
        target: u64,
    },
    /// One name followed more compression pointers than [`crate::Limits::max_pointer_hops`].
    #[error("name at byte {offset} follows more than {limit} compression pointers")]
    TooManyHops {
        /// Byte offset of the name.
        offset: u64,
        /// The limit.
        limit: usize,
    },
    /// The message as a whole followed more compression pointers than its budget (one per byte
    /// of the message): the defence against a long pointer chain referenced by many names.
    #[error("name at byte {offset} exceeds the message's budget of {limit} compression pointers")]
    PointerBudget {
        /// Byte offset of the name that ran out.
        offset: u64,
        /// The budget.
        limit: usize,
    },
    /// RDLENGTH ends before the rdata of its type does (RFC 1035 §4.1.3).
    #[error("RDLENGTH {rdlength} at byte {offset} is shorter than the {rtype} rdata")]
    RdLengthShort {
        /// Byte offset of the RDLENGTH field.
        offset: u64,
        /// The record type.
        rtype: RType,
        /// The RDLENGTH value.
        rdlength: u16,
    },
    /// RDLENGTH counts bytes after the end of the rdata of its type (RFC 1035 §4.1.3).
    #[error(
        "RDLENGTH {rdlength} at byte {offset} is longer than the {rtype} rdata of {used} bytes"
    )]
    RdLengthLong {
        /// Byte offset of the RDLENGTH field.
        offset: u64,
        /// The record type.
        rtype: RType,
        /// The RDLENGTH value.
        rdlength: u16,
        /// The bytes the rdata used.
        used: usize,
    },
    /// Rdata of a typed record that breaks its type's rules.
    #[error("bad {rtype} rdata at byte {offset}: {reason}")]
    BadRdata {
        /// Byte offset of the offending part.
        offset: u64,
        /// The record type.
        rtype: RType,
        /// What rule it breaks, with its RFC section.
        reason: &'static str,
    },
    /// A second OPT record (RFC 6891 §6.1.1: FORMERR).
    #[error("second OPT record at byte {offset} (RFC 6891 §6.1.1)")]
    DuplicateOpt {
        /// Byte offset of the second OPT record.
        offset: u64,
    },
    /// An OPT record in the answer or authority section (RFC 6891 §6.1.1: additional only).
    #[error("OPT record at byte {offset} in the {section} section (RFC 6891 §6.1.1)")]
    OptOutsideAdditional {
        /// Byte offset of the record.
        offset: u64,
        /// The section it was found in.
        section: &'static str,
    },
    /// An OPT record whose owner is not the root (RFC 6891 §6.1.2).
    #[error("OPT record at byte {offset} with an owner other than the root (RFC 6891 §6.1.2)")]
    OptOwnerNotRoot {
        /// Byte offset of the record.
        offset: u64,
    },
    /// Bytes after the last record the header counts (RFC 1035 §4.1: the counts say where the
    /// message ends).
    #[error("{count} bytes after the last record, at byte {offset}")]
    TrailingBytes {
        /// Byte offset of the first extra byte.
        offset: u64,
        /// How many extra bytes.
        count: usize,
    },
    /// Presentation-format text that does not follow RFC 1035 §5.1 or the type's own format.
    #[error("presentation format at byte {offset}: {reason}")]
    Syntax {
        /// Byte offset in the text.
        offset: u64,
        /// What rule it breaks.
        reason: &'static str,
    },
    /// A message that cannot be put on the wire; nothing was written.
    #[error("cannot encode at byte {offset}: {reason}")]
    Unencodable {
        /// Offset in the output message where the refused part would have started.
        offset: u64,
        /// Why.
        reason: &'static str,
    },
    /// The TCP length-prefix framing (RFC 1035 §4.2.2) failed: the stream ended inside a
    /// message, or a frame was refused.
    #[error("TCP framing at byte {offset}: {error}")]
    Framing {
        /// Stream offset where the framing failed.
        offset: u64,
        /// The framing error.
        error: framing::Error,
    },
}

impl Error {
    /// The byte offset every variant carries.
    pub fn offset(&self) -> u64 {
        match *self {
            Error::Truncated { offset, .. }
            | Error::TooLarge { offset, .. }
            | Error::LabelTooLong { offset, .. }
            | Error::NameTooLong { offset }
            | Error::BadLabelType { offset, .. }
            | Error::PointerOutOfBounds { offset, .. }
            | Error::ForwardPointer { offset, .. }
            | Error::TooManyHops { offset, .. }
            | Error::PointerBudget { offset, .. }
            | Error::RdLengthShort { offset, .. }
            | Error::RdLengthLong { offset, .. }
            | Error::BadRdata { offset, .. }
            | Error::DuplicateOpt { offset }
            | Error::OptOutsideAdditional { offset, .. }
            | Error::OptOwnerNotRoot { offset }
            | Error::TrailingBytes { offset, .. }
            | Error::Syntax { offset, .. }
            | Error::Unencodable { offset, .. }
            | Error::Framing { offset, .. } => offset,
        }
    }

    /// The same error with `delta` added to its offset (and to a pointer target), for a message
    /// that starts `delta` bytes into a stream.
    pub fn shifted(mut self, delta: u64) -> Error {
        match &mut self {
            Error::PointerOutOfBounds { offset, target }
            | Error::ForwardPointer { offset, target } => {
                *offset = offset.saturating_add(delta);
                *target = target.saturating_add(delta);
            }
            Error::Truncated { offset, .. }
            | Error::TooLarge { offset, .. }
            | Error::LabelTooLong { offset, .. }
            | Error::NameTooLong { offset }
            | Error::BadLabelType { offset, .. }
            | Error::TooManyHops { offset, .. }
            | Error::PointerBudget { offset, .. }
            | Error::RdLengthShort { offset, .. }
            | Error::RdLengthLong { offset, .. }
            | Error::BadRdata { offset, .. }
            | Error::DuplicateOpt { offset }
            | Error::OptOutsideAdditional { offset, .. }
            | Error::OptOwnerNotRoot { offset }
            | Error::TrailingBytes { offset, .. }
            | Error::Syntax { offset, .. }
            | Error::Unencodable { offset, .. }
            | Error::Framing { offset, .. } => *offset = offset.saturating_add(delta),
        }
        self
    }
}
