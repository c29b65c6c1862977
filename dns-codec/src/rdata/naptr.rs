//! NAPTR rdata (RFC 3403 §4.1): a rewrite rule of the Dynamic Delegation Discovery System.
//!
//! ```text
//! |                     ORDER                     |   16 bits
//! |                   PREFERENCE                  |   16 bits
//! /                     FLAGS                     /   <character-string>
//! /                   SERVICES                    /   <character-string>
//! /                    REGEXP                     /   <character-string>
//! /                  REPLACEMENT                  /   a name, never compressed
//! ```
//!
//! REPLACEMENT belongs to a type newer than RFC 1035: the encoder never compresses it, and the
//! decoder follows a pointer there only because RFC 3597 §4 asks receivers to (by default;
//! [`crate::Leniency::strict`] refuses one with [`Error::BadRdata`]). The strings are kept as octets, unchecked: their
//! grammar belongs to the DDDS application (RFC 3402), not to the DNS.

use std::fmt;

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::name::Name;
use crate::presentation::Token;
use crate::rtype::RType;

/// A naming authority pointer (RFC 3403 §4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Naptr {
    /// ORDER: rules are applied in increasing order.
    pub order: u16,
    /// PREFERENCE: among rules of the same order, lower is preferred.
    pub preference: u16,
    /// FLAGS: how the rewriting ends (`"u"`, `"s"`, `"a"`, `"p"` in RFC 3404), at most 255 octets.
    pub flags: Bytes,
    /// SERVICES: the protocol and service (`"E2U+sip"`), at most 255 octets.
    pub services: Bytes,
    /// REGEXP: a substitution expression (RFC 3402 §3.2), at most 255 octets.
    pub regexp: Bytes,
    /// REPLACEMENT: the next name to look up, or the root when REGEXP is used.
    pub replacement: Name,
}

impl Naptr {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Naptr, Error> {
        Ok(Naptr {
            order: c.u16("NAPTR order")?,
            preference: c.u16("NAPTR preference")?,
            flags: super::fields::character_string(c, "NAPTR flags")?,
            services: super::fields::character_string(c, "NAPTR services")?,
            regexp: super::fields::character_string(c, "NAPTR regexp")?,
            replacement: super::fields::uncompressed_name(c, RType::NAPTR)?,
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) -> Result<(), Error> {
        msg.extend_from_slice(&self.order.to_be_bytes());
        msg.extend_from_slice(&self.preference.to_be_bytes());
        for s in [&self.flags, &self.services, &self.regexp] {
            super::fields::put_character_string(msg, s)?;
        }
        self.replacement.encode(msg);
        Ok(())
    }

    pub(crate) fn parse<'a>(
        rest: &mut impl Iterator<Item = &'a Token<'a>>,
    ) -> Result<Naptr, Error> {
        Ok(Naptr {
            order: super::number(rest)?,
            preference: super::number(rest)?,
            flags: super::fields::parse_character_string(rest)?,
            services: super::fields::parse_character_string(rest)?,
            regexp: super::fields::parse_character_string(rest)?,
            replacement: super::name(rest)?,
        })
    }
}

/// `ORDER PREFERENCE "FLAGS" "SERVICES" "REGEXP" REPLACEMENT`, the strings quoted as dig prints
/// them (RFC 3403 §6).
impl fmt::Display for Naptr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.order, self.preference)?;
        for s in [&self.flags, &self.services, &self.regexp] {
            super::fields::fmt_quoted(f, s)?;
            f.write_str(" ")?;
        }
        write!(f, "{}", self.replacement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::Class;
    use crate::rdata::RData;

    #[test]
    fn rfc3403_examples() {
        // RFC 3403 §6.2 (the E.164 example).
        let text = "100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:information@foo.se!i\" .";
        let mut wire = b"\x00\x64\x00\x0a\x01u\x07E2U+sip\x1e".to_vec();
        wire.extend_from_slice(b"!^.*$!sip:information@foo.se!i\x00");
        let data = RData::from_presentation(RType::NAPTR, Class::IN, text).unwrap();
        assert_eq!(data.to_string(), text);
        assert_eq!(RData::from_wire(RType::NAPTR, Class::IN, &wire), Ok(data));
        // RFC 3403 §6.1: empty strings and a replacement instead of a regexp.
        let text = "100 50 \"s\" \"z3950+I2L+I2C\" \"\" _z3950._tcp.gatech.edu.";
        let data = RData::from_presentation(RType::NAPTR, Class::IN, text).unwrap();
        assert_eq!(data.to_string(), text);
    }

    #[test]
    fn invalid() {
        assert!(
            // Rdata read on its own has no message to point into: a pointer cannot be
            // followed (in a message, RFC 3597 §4 decompression is tested in tests/hostile.rs).
            RData::from_wire(
                RType::NAPTR,
                Class::IN,
                b"\x00\x01\x00\x01\x00\x00\x00\xc0\x00"
            )
            .is_err()
        );
        assert_eq!(
            RData::from_wire(RType::NAPTR, Class::IN, b"\x00\x01\x00\x01\x00\x00\x05ab"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::NAPTR,
                rdlength: 9
            })
        );
        assert!(RData::from_presentation(RType::NAPTR, Class::IN, "1 1 \"\" \"\" \"\"").is_err());
        assert_eq!(
            RData::from_presentation(RType::NAPTR, Class::IN, "1 1 \"\" \"\" \"\\256\" ."),
            Err(Error::Syntax {
                offset: 11,
                reason: "\\DDD escape above 255"
            })
        );
    }
}
