//! TLSA rdata (RFC 6698 §2.1): a TLS certificate association for DANE.
//!
//! ```text
//! | CERT USAGE (8) | SELECTOR (8) | MATCHING TYPE (8) | CERTIFICATE ASSOCIATION DATA (the rest) |
//! ```

use std::fmt;

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::Token;

/// A TLS certificate association (RFC 6698 §2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tlsa {
    /// Certificate usage: 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (RFC 6698 §2.1.1,
    /// RFC 7218).
    pub usage: u8,
    /// Selector: 0 the full certificate, 1 its SubjectPublicKeyInfo (RFC 6698 §2.1.2).
    pub selector: u8,
    /// Matching type: 0 exact, 1 SHA-256, 2 SHA-512 (RFC 6698 §2.1.3).
    pub matching_type: u8,
    /// The certificate association data (RFC 6698 §2.1.4).
    pub data: Bytes,
}

impl Tlsa {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Tlsa, Error> {
        Ok(Tlsa {
            usage: c.u8("TLSA certificate usage")?,
            selector: c.u8("TLSA selector")?,
            matching_type: c.u8("TLSA matching type")?,
            data: Bytes::copy_from_slice(c.rest()),
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) {
        msg.extend_from_slice(&[self.usage, self.selector, self.matching_type]);
        msg.extend_from_slice(&self.data);
    }

    pub(crate) fn parse<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<Tlsa, Error> {
        Ok(Tlsa {
            usage: super::number(rest)?,
            selector: super::number(rest)?,
            matching_type: super::number(rest)?,
            data: super::fields::parse_hex_rest(rest)?,
        })
    }
}

/// `USAGE SELECTOR MATCHING-TYPE DATA`, the data in uppercase hex in one word as dig prints it
/// (RFC 6698 §2.2; a zone file may split it into words).
impl fmt::Display for Tlsa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.usage, self.selector, self.matching_type)?;
        if !self.data.is_empty() {
            f.write_str(" ")?;
            super::fields::fmt_hex(f, &self.data)?;
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
    fn rfc6698_examples() {
        // RFC 6698 §2.3, the first example, split over two words as there.
        let text = "0 0 1 d2abde240d7cd3ee6b4b28c54df034b9 7983a1d16e8a410e4561cb106618e971";
        let data = RData::from_presentation(RType::TLSA, Class::IN, text).unwrap();
        assert_eq!(
            data.to_string(),
            "0 0 1 D2ABDE240D7CD3EE6B4B28C54DF034B97983A1D16E8A410E4561CB106618E971"
        );
        let mut wire = b"\x00\x00\x01".to_vec();
        wire.extend_from_slice(&[
            0xd2, 0xab, 0xde, 0x24, 0x0d, 0x7c, 0xd3, 0xee, 0x6b, 0x4b, 0x28, 0xc5, 0x4d, 0xf0,
            0x34, 0xb9, 0x79, 0x83, 0xa1, 0xd1, 0x6e, 0x8a, 0x41, 0x0e, 0x45, 0x61, 0xcb, 0x10,
            0x66, 0x18, 0xe9, 0x71,
        ]);
        assert_eq!(RData::from_wire(RType::TLSA, Class::IN, &wire), Ok(data));
        let empty = RData::from_wire(RType::TLSA, Class::IN, b"\x03\x01\x01").unwrap();
        assert_eq!(empty.to_string(), "3 1 1");
    }

    #[test]
    fn invalid() {
        assert_eq!(
            RData::from_wire(RType::TLSA, Class::IN, b"\x03\x01"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::TLSA,
                rdlength: 2
            })
        );
        assert_eq!(
            RData::from_presentation(RType::TLSA, Class::IN, "3 1 256 00"),
            Err(Error::Syntax {
                offset: 4,
                reason: "number out of range"
            })
        );
        assert_eq!(
            RData::from_presentation(RType::TLSA, Class::IN, "3 1 1 \"00\""),
            Err(Error::Syntax {
                offset: 6,
                reason: "hex digits are not quoted"
            })
        );
    }
}
