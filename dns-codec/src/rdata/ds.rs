//! DS rdata (RFC 4034 §5.1): the digest of a child zone's DNSKEY, held by the parent.
//!
//! ```text
//! |           KEY TAG (16)            | ALGORITHM (8) | DIGEST TYPE (8) |
//! /                         DIGEST (the rest)                           /
//! ```

use std::fmt;

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::Token;

/// A delegation signer (RFC 4034 §5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ds {
    /// The key tag of the DNSKEY it refers to (RFC 4034 §5.1.1, Appendix B).
    pub key_tag: u16,
    /// That DNSKEY's algorithm (RFC 4034 §5.1.2, IANA "DNS Security Algorithm Numbers").
    pub algorithm: u8,
    /// The digest's algorithm: 1 SHA-1 (RFC 4034 §5.1.3), 2 SHA-256 (RFC 4509), 4 SHA-384
    /// (RFC 6605).
    pub digest_type: u8,
    /// The digest (RFC 4034 §5.1.4), kept whatever its length.
    pub digest: Bytes,
}

impl Ds {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Ds, Error> {
        Ok(Ds {
            key_tag: c.u16("DS key tag")?,
            algorithm: c.u8("DS algorithm")?,
            digest_type: c.u8("DS digest type")?,
            digest: Bytes::copy_from_slice(c.rest()),
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) {
        msg.extend_from_slice(&self.key_tag.to_be_bytes());
        msg.extend_from_slice(&[self.algorithm, self.digest_type]);
        msg.extend_from_slice(&self.digest);
    }

    pub(crate) fn parse<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<Ds, Error> {
        Ok(Ds {
            key_tag: super::number(rest)?,
            algorithm: super::number(rest)?,
            digest_type: super::number(rest)?,
            digest: super::fields::parse_hex_rest(rest)?,
        })
    }
}

/// `KEY-TAG ALGORITHM DIGEST-TYPE DIGEST`, the digest in uppercase hex in one word
/// (RFC 4034 §5.3; a zone file may split it into words).
impl fmt::Display for Ds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.key_tag, self.algorithm, self.digest_type
        )?;
        if !self.digest.is_empty() {
            f.write_str(" ")?;
            super::fields::fmt_hex(f, &self.digest)?;
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
    fn rfc4034_example() {
        // RFC 4034 §5.4, the digest split as there.
        let text = "60485 5 1 2BB183AF5F22588179A53B0A9 8631FAD1A292118";
        let data = RData::from_presentation(RType::DS, Class::IN, text).unwrap();
        assert_eq!(
            data.to_string(),
            "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"
        );
        let mut wire = b"\xec\x45\x05\x01".to_vec();
        wire.extend_from_slice(&[
            0x2b, 0xb1, 0x83, 0xaf, 0x5f, 0x22, 0x58, 0x81, 0x79, 0xa5, 0x3b, 0x0a, 0x98, 0x63,
            0x1f, 0xad, 0x1a, 0x29, 0x21, 0x18,
        ]);
        assert_eq!(RData::from_wire(RType::DS, Class::IN, &wire), Ok(data));
    }

    #[test]
    fn invalid() {
        assert_eq!(
            RData::from_wire(RType::DS, Class::IN, b"\xec\x45\x05"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::DS,
                rdlength: 3
            })
        );
        assert_eq!(
            RData::from_presentation(RType::DS, Class::IN, "1 5 1 2B B"),
            Err(Error::Syntax {
                offset: 9,
                reason: "odd number of hex digits"
            })
        );
    }
}
