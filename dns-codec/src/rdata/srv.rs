//! SRV rdata (RFC 2782): the location of a service.
//!
//! ```text
//! |                   PRIORITY                    |   16 bits
//! |                    WEIGHT                     |   16 bits
//! |                     PORT                      |   16 bits
//! /                    TARGET                     /   a name, never compressed
//! ```
//!
//! RFC 2782: "name compression is not to be used for this field", so the encoder never
//! compresses it. RFC 3597 §4 still asks receivers to decompress it (old servers did compress
//! it): the decoder follows a pointer there by default, and refuses one with
//! [`Error::BadRdata`] under [`crate::Leniency::strict`].

use std::fmt;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::name::Name;
use crate::presentation::Token;
use crate::rtype::RType;

/// A server for a service (RFC 2782).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Srv {
    /// PRIORITY: lower values are tried first.
    pub priority: u16,
    /// WEIGHT: the relative share among targets of the same priority.
    pub weight: u16,
    /// PORT: the service's port on the target.
    pub port: u16,
    /// TARGET: the host, uncompressed; `.` means the service is not available there.
    pub target: Name,
}

impl Srv {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Srv, Error> {
        Ok(Srv {
            priority: c.u16("SRV priority")?,
            weight: c.u16("SRV weight")?,
            port: c.u16("SRV port")?,
            target: super::fields::uncompressed_name(c, RType::SRV)?,
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) {
        for n in [self.priority, self.weight, self.port] {
            msg.extend_from_slice(&n.to_be_bytes());
        }
        self.target.encode(msg);
    }

    pub(crate) fn parse<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<Srv, Error> {
        Ok(Srv {
            priority: super::number(rest)?,
            weight: super::number(rest)?,
            port: super::number(rest)?,
            target: super::name(rest)?,
        })
    }
}

/// `PRIORITY WEIGHT PORT TARGET`, as RFC 2782 writes it: `0 5 5060 sipserver.example.com.`.
impl fmt::Display for Srv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {}",
            self.priority, self.weight, self.port, self.target
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::Class;
    use crate::rdata::RData;

    #[test]
    fn rfc2782_example() {
        // RFC 2782, "Usage rules" example: _ldap._tcp.example.com SRV 0 0 389 old-slow-box.
        let text = "0 0 389 old-slow-box.example.com.";
        let wire = b"\x00\x00\x00\x00\x01\x85\x0cold-slow-box\x07example\x03com\x00";
        let data = RData::from_presentation(RType::SRV, Class::IN, text).unwrap();
        assert_eq!(data.to_string(), text);
        assert_eq!(RData::from_wire(RType::SRV, Class::IN, wire), Ok(data));
        let root = RData::from_wire(RType::SRV, Class::IN, b"\xff\xff\xff\xff\xff\xff\x00");
        assert_eq!(root.unwrap().to_string(), "65535 65535 65535 .");
    }

    #[test]
    fn invalid() {
        assert!(
            // Rdata read on its own has no message to point into: a pointer cannot be
            // followed (in a message, RFC 3597 §4 decompression is tested in tests/hostile.rs).
            RData::from_wire(
                RType::SRV,
                Class::IN,
                b"\x00\x00\x00\x00\x01\x85\x01a\xc0\x00"
            )
            .is_err()
        );
        assert_eq!(
            RData::from_wire(RType::SRV, Class::IN, b"\x00\x00\x00\x00\x01"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::SRV,
                rdlength: 5
            })
        );
        assert_eq!(
            RData::from_presentation(RType::SRV, Class::IN, "0 0 65536 a."),
            Err(Error::Syntax {
                offset: 4,
                reason: "number out of range"
            })
        );
        assert!(RData::from_presentation(RType::SRV, Class::IN, "0 0 1").is_err());
    }
}
