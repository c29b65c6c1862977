//! CSYNC rdata (RFC 7477 §2.1.1): what a parental agent should copy from the child zone.
//!
//! ```text
//! |                          SOA Serial (32)                          |
//! |            Flags (16)             |  Type Bit Map (RFC 4034 §4.1.2)
//! ```
//!
//! The presentation form is the serial and the flags in decimal, then the types as NSEC writes
//! them (RFC 7477 §2.1.2): `66 3 A NS AAAA`. Flags other than `immediate` and `soaminimum` are
//! kept as sent: RFC 7477 §2.1.1.2 has publishers set them to 0 and parental agents refuse to
//! act on a record with one they do not know, which is the application's decision, not the
//! codec's. The type bitmap must be in its one canonical encoding, as for NSEC.

use std::fmt;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::Token;
use crate::rtype::RType;

use super::type_bitmap::TypeBitmap;

/// Child-to-parent synchronization (RFC 7477 §2.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csync {
    /// The SOA serial of the child zone the record applies to (RFC 7477 §2.1.1.1).
    pub soa_serial: u32,
    /// The flags: `immediate` 0x0001, `soaminimum` 0x0002, the others reserved
    /// (RFC 7477 §2.1.1.2).
    pub flags: u16,
    /// The types the parent should copy from the child (RFC 7477 §2.1.1.2.1).
    pub types: TypeBitmap,
}

impl Csync {
    /// The `immediate` flag: process the record without waiting for the SOA serial
    /// (RFC 7477 §2.1.1.2, its use in §3).
    pub const IMMEDIATE: u16 = 0x0001;
    /// The `soaminimum` flag: process the record only if the child's SOA serial is at least
    /// [`Csync::soa_serial`] (RFC 7477 §2.1.1.2, its use in §3).
    pub const SOA_MINIMUM: u16 = 0x0002;

    /// Whether the `immediate` flag is set (RFC 7477 §2.1.1.2).
    pub fn immediate(&self) -> bool {
        self.flags & Csync::IMMEDIATE != 0
    }

    /// Whether the `soaminimum` flag is set (RFC 7477 §2.1.1.2).
    pub fn soa_minimum(&self) -> bool {
        self.flags & Csync::SOA_MINIMUM != 0
    }

    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Csync, Error> {
        Ok(Csync {
            soa_serial: c.u32("CSYNC SOA serial")?,
            flags: c.u16("CSYNC flags")?,
            types: super::type_bitmap::decode(c, RType::CSYNC)?,
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) {
        msg.extend_from_slice(&self.soa_serial.to_be_bytes());
        msg.extend_from_slice(&self.flags.to_be_bytes());
        self.types.encode(msg);
    }

    pub(crate) fn parse<'a>(
        rest: &mut impl Iterator<Item = &'a Token<'a>>,
    ) -> Result<Csync, Error> {
        Ok(Csync {
            soa_serial: super::number(rest)?,
            flags: super::number(rest)?,
            types: TypeBitmap::parse(rest)?,
        })
    }
}

/// `SERIAL FLAGS TYPE...`, the numbers in decimal, the types by mnemonic in increasing order
/// (RFC 7477 §2.1.2).
impl fmt::Display for Csync {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.soa_serial, self.flags)?;
        super::type_bitmap::fmt(f, &self.types)
    }
}

#[cfg(test)]
mod tests {
    use crate::class::Class;
    use crate::error::Error;
    use crate::rdata::{Csync, RData, TypeBitmap};
    use crate::rtype::RType;

    #[test]
    fn rfc7477_example() {
        // RFC 7477 §2.1.3: `example.com. 3600 IN CSYNC 66 3 A NS AAAA`.
        let data = RData::from_presentation(RType::CSYNC, Class::IN, "66 3 A NS AAAA").unwrap();
        assert_eq!(data.to_string(), "66 3 A NS AAAA");
        let RData::Csync(csync) = &data else {
            unreachable!()
        };
        assert!(csync.immediate() && csync.soa_minimum());
        assert_eq!(
            csync,
            &Csync {
                soa_serial: 66,
                flags: Csync::IMMEDIATE | Csync::SOA_MINIMUM,
                types: TypeBitmap::from([RType::A, RType::NS, RType::AAAA]),
            }
        );
        let mut wire = Vec::new();
        csync.encode(&mut wire);
        // Window 0, 4 octets: A (bit 1), NS (bit 2), AAAA (28: octet 3, bit 4).
        assert_eq!(wire, b"\x00\x00\x00\x42\x00\x03\x00\x04\x60\x00\x00\x08");
        assert_eq!(RData::from_wire(RType::CSYNC, Class::IN, &wire), Ok(data));
        // No types, reserved flags kept, the highest serial.
        let bare = RData::from_wire(RType::CSYNC, Class::IN, b"\xff\xff\xff\xff\x80\x00").unwrap();
        assert_eq!(bare.to_string(), "4294967295 32768");
        assert_eq!(
            RData::from_presentation(RType::CSYNC, Class::IN, "4294967295 32768"),
            Ok(bare)
        );
        assert_eq!(
            RData::from_presentation(RType::CSYNC, Class::IN, "\\# 6 000000010000"),
            RData::from_presentation(RType::CSYNC, Class::IN, "1 0")
        );
    }

    #[test]
    fn invalid() {
        assert_eq!(
            RData::from_wire(RType::CSYNC, Class::IN, b"\x00\x00\x00\x01\x00"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::CSYNC,
                rdlength: 5
            })
        );
        assert_eq!(
            RData::from_wire(
                RType::CSYNC,
                Class::IN,
                b"\x00\x00\x00\x01\x00\x00\x00\x02\x40\x00"
            ),
            Err(Error::BadRdata {
                offset: 6,
                rtype: RType::CSYNC,
                reason: "type bitmap with a trailing zero octet (RFC 4034 §4.1.2)"
            })
        );
        assert_eq!(
            RData::from_wire(
                RType::CSYNC,
                Class::IN,
                b"\x00\x00\x00\x01\x00\x00\x01\x01\x40\x00\x01\x40"
            ),
            Err(Error::BadRdata {
                offset: 9,
                rtype: RType::CSYNC,
                reason: "type bitmap windows not in increasing order (RFC 4034 §4.1.2)"
            })
        );
        let bad = |text| RData::from_presentation(RType::CSYNC, Class::IN, text).unwrap_err();
        assert!(matches!(bad("66"), Error::Syntax { .. }));
        assert!(matches!(bad("4294967296 0 A"), Error::Syntax { .. }));
        assert!(matches!(bad("66 65536 A"), Error::Syntax { .. }));
        assert!(matches!(
            bad("66 3 A BOGUS"),
            Error::Syntax { offset: 7, .. }
        ));
    }
}
