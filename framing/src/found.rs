//! What a text grammar found where it wanted something else: shared by the protocol crates'
//! errors (`expected field-name at byte 17, found ' ' (0x20)`), so they print alike.

use std::fmt;

/// The byte found at the place of a syntax error, or the end of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// This byte.
    Byte(u8),
    /// The end of the line (or of the input the grammar was given).
    End,
}

impl Found {
    /// The first byte of `rest`, or [`Found::End`] when it is empty.
    pub fn first_of(rest: &[u8]) -> Found {
        rest.first().map_or(Found::End, |&b| Found::Byte(b))
    }
}

/// A printable byte as itself and in hex, any other in hex only, so a hostile byte never
/// reaches a terminal raw.
impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Found::Byte(b) if b.is_ascii_graphic() => write!(f, "{:?} (0x{b:02x})", b as char),
            Found::Byte(b) => write!(f, "0x{b:02x}"),
            Found::End => f.write_str("end of line"),
        }
    }
}
