//! SSHFP rdata (RFC 4255 §3.1): the fingerprint of an SSH host key.
//!
//! ```text
//! | ALGORITHM (8) | FP TYPE (8) | FINGERPRINT (the rest) |
//! ```

use std::fmt;

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::Token;

/// An SSH host key fingerprint (RFC 4255 §3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sshfp {
    /// The key's algorithm: 1 RSA, 2 DSA (RFC 4255 §3.1.1), 3 ECDSA (RFC 6594), 4 Ed25519
    /// (RFC 7479).
    pub algorithm: u8,
    /// The fingerprint's hash: 1 SHA-1 (RFC 4255 §3.1.2), 2 SHA-256 (RFC 6594).
    pub fp_type: u8,
    /// The fingerprint, kept whatever its length (RFC 4255 §3.1.3).
    pub fingerprint: Bytes,
}

impl Sshfp {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Sshfp, Error> {
        Ok(Sshfp {
            algorithm: c.u8("SSHFP algorithm")?,
            fp_type: c.u8("SSHFP fingerprint type")?,
            fingerprint: Bytes::copy_from_slice(c.rest()),
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) {
        msg.push(self.algorithm);
        msg.push(self.fp_type);
        msg.extend_from_slice(&self.fingerprint);
    }

    pub(crate) fn parse<'a>(
        rest: &mut impl Iterator<Item = &'a Token<'a>>,
    ) -> Result<Sshfp, Error> {
        Ok(Sshfp {
            algorithm: super::number(rest)?,
            fp_type: super::number(rest)?,
            fingerprint: super::fields::parse_hex_rest(rest)?,
        })
    }
}

/// `ALGORITHM FP-TYPE FINGERPRINT`, the fingerprint in uppercase hex as dig prints it
/// (RFC 4255 §3.2 allows either case; a zone file may split it into words).
impl fmt::Display for Sshfp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.algorithm, self.fp_type)?;
        if !self.fingerprint.is_empty() {
            f.write_str(" ")?;
            super::fields::fmt_hex(f, &self.fingerprint)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::class::Class;
    use crate::error::Error;
    use crate::rdata::RData;
    use crate::rtype::RType;

    #[test]
    fn rfc4255_example() {
        // RFC 4255 §3.3.
        let text = "2 1 123456789abcdef67890123456789abcdef67890";
        let data = RData::from_presentation(RType::SSHFP, Class::IN, text).unwrap();
        assert_eq!(data.to_string(), text.to_uppercase());
        let mut wire = b"\x02\x01".to_vec();
        wire.extend_from_slice(
            b"\x12\x34\x56\x78\x9a\xbc\xde\xf6\x78\x90\x12\x34\x56\x78\x9a\xbc\xde\xf6\x78\x90",
        );
        assert_eq!(RData::from_wire(RType::SSHFP, Class::IN, &wire), Ok(data));
        // Split into words, as a zone file may write it.
        let split = RData::from_presentation(RType::SSHFP, Class::IN, "2 1 1234 5678").unwrap();
        assert_eq!(split.to_string(), "2 1 12345678");
        // No fingerprint at all: the boundary, printed without one.
        let empty = RData::from_wire(RType::SSHFP, Class::IN, b"\x01\x01").unwrap();
        assert_eq!(empty.to_string(), "1 1");
        assert_eq!(
            RData::from_presentation(RType::SSHFP, Class::IN, "1 1"),
            Ok(empty)
        );
    }

    #[test]
    fn invalid() {
        assert_eq!(
            RData::from_wire(RType::SSHFP, Class::IN, b"\x01"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::SSHFP,
                rdlength: 1
            })
        );
        assert_eq!(
            RData::from_presentation(RType::SSHFP, Class::IN, "1 1 abc"),
            Err(Error::Syntax {
                offset: 4,
                reason: "odd number of hex digits"
            })
        );
        assert_eq!(
            RData::from_presentation(RType::SSHFP, Class::IN, "1 1 ab xz"),
            Err(Error::Syntax {
                offset: 7,
                reason: "not a hex digit"
            })
        );
    }
}
