//! NSEC rdata (RFC 4034 §4.1): the next owner name in the zone and the types at this one.
//!
//! ```text
//! /                  NEXT DOMAIN NAME (never compressed)                  /
//! /                  TYPE BIT MAPS (RFC 4034 §4.1.2)                      /
//! ```
//!
//! The next name must not be compressed (RFC 4034 §4.1.1); a pointer is refused with
//! [`crate::Error::BadRdata`], as is a type bitmap in any but its one canonical encoding.

use std::fmt;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::name::Name;
use crate::presentation::Token;
use crate::rtype::RType;

use super::type_bitmap::TypeBitmap;

/// Authenticated denial of existence (RFC 4034 §4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nsec {
    /// The next owner name in canonical order, uncompressed (RFC 4034 §4.1.1).
    pub next_domain_name: Name,
    /// The types present at the owner (RFC 4034 §4.1.2).
    pub types: TypeBitmap,
}

impl Nsec {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Nsec, Error> {
        Ok(Nsec {
            next_domain_name: super::fields::uncompressed_name(c, RType::NSEC)?,
            types: super::type_bitmap::decode(c, RType::NSEC)?,
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) {
        self.next_domain_name.encode(msg);
        self.types.encode(msg);
    }

    pub(crate) fn parse<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<Nsec, Error> {
        Ok(Nsec {
            next_domain_name: super::name(rest)?,
            types: TypeBitmap::parse(rest)?,
        })
    }
}

/// `NEXT TYPE...`, the types by mnemonic in increasing order (RFC 4034 §4.2).
impl fmt::Display for Nsec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.next_domain_name)?;
        super::type_bitmap::fmt(f, &self.types)
    }
}

#[cfg(test)]
mod tests {
    use crate::class::Class;
    use crate::error::Error;
    use crate::rdata::RData;
    use crate::rtype::RType;

    /// RFC 4034 §4.3, rdata as that section spells it out: the next name, window 0 of 6
    /// octets (A, MX, RRSIG, NSEC), window 4 of 27 octets (TYPE1234 = 4 * 256 + 210).
    fn rfc4034_wire() -> Vec<u8> {
        let mut wire = b"\x04host\x07example\x03com\x00".to_vec();
        wire.extend_from_slice(b"\x00\x06\x40\x01\x00\x00\x00\x03\x04\x1b");
        wire.extend_from_slice(&[0; 26]);
        wire.push(0x20);
        wire
    }

    #[test]
    fn rfc4034_example() {
        let data = RData::from_presentation(
            RType::NSEC,
            Class::IN,
            "host.example.com. TYPE1234 A MX RRSIG NSEC",
        )
        .unwrap();
        assert_eq!(
            data.to_string(),
            "host.example.com. A MX RRSIG NSEC TYPE1234"
        );
        let mut wire = Vec::new();
        if let RData::Nsec(nsec) = &data {
            nsec.encode(&mut wire);
        }
        assert_eq!(wire, rfc4034_wire());
        assert_eq!(
            RData::from_wire(RType::NSEC, Class::IN, &rfc4034_wire()),
            Ok(data)
        );
        // No types at all, and the highest type.
        let none = RData::from_wire(RType::NSEC, Class::IN, b"\x00").unwrap();
        assert_eq!(none.to_string(), ".");
        let top = RData::from_presentation(RType::NSEC, Class::IN, ". TYPE65535 TYPE0").unwrap();
        assert_eq!(top.to_string(), ". TYPE0 TYPE65535");
        let mut wire = Vec::new();
        if let RData::Nsec(nsec) = &top {
            nsec.encode(&mut wire);
        }
        assert_eq!(&wire[..4], b"\x00\x00\x01\x80");
        assert_eq!(&wire[4..6], b"\xff\x20");
        assert_eq!(wire[wire.len() - 1], 0x01);
    }

    #[test]
    fn non_canonical_bitmaps_are_refused() {
        let bad = |bitmap: &[u8], offset, reason| {
            let mut wire = b"\x00".to_vec();
            wire.extend_from_slice(bitmap);
            assert_eq!(
                RData::from_wire(RType::NSEC, Class::IN, &wire),
                Err(Error::BadRdata {
                    offset,
                    rtype: RType::NSEC,
                    reason
                })
            );
        };
        bad(
            b"\x00\x01\x40\x00\x01\x40",
            4,
            "type bitmap windows not in increasing order (RFC 4034 §4.1.2)",
        );
        bad(
            b"\x01\x01\x40\x00\x01\x40",
            4,
            "type bitmap windows not in increasing order (RFC 4034 §4.1.2)",
        );
        bad(
            b"\x00\x00",
            1,
            "type bitmap length not 1 to 32 (RFC 4034 §4.1.2)",
        );
        bad(
            &[&[0u8, 33][..], &[1; 33]].concat(),
            1,
            "type bitmap length not 1 to 32 (RFC 4034 §4.1.2)",
        );
        bad(
            b"\x00\x02\x40\x00",
            1,
            "type bitmap with a trailing zero octet (RFC 4034 §4.1.2)",
        );
        assert_eq!(
            RData::from_wire(RType::NSEC, Class::IN, b"\x00\x00\x02\x40"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::NSEC,
                rdlength: 4
            })
        );
        assert_eq!(
            RData::from_wire(RType::NSEC, Class::IN, b"\xc0\x00"),
            Err(Error::BadRdata {
                offset: 0,
                rtype: RType::NSEC,
                reason: "compression pointer in a name of a type RFC 3597 §4 forbids to compress"
            })
        );
    }
}
