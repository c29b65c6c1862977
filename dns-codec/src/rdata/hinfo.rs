//! HINFO rdata (RFC 1035 §3.3.2): two `<character-string>`s, CPU and OS.
//!
//! ```text
//! /                      CPU                      /
//! /                       OS                      /
//! ```
//!
//! RFC 8482 §4.2 gives HINFO a new use: the answer to an ANY query, `"RFC8482" ""`.

use std::fmt;

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::Token;

/// Host information (RFC 1035 §3.3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hinfo {
    /// CPU: the CPU type, at most 255 octets.
    pub cpu: Bytes,
    /// OS: the operating system, at most 255 octets.
    pub os: Bytes,
}

impl Hinfo {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Hinfo, Error> {
        Ok(Hinfo {
            cpu: super::fields::character_string(c, "HINFO CPU")?,
            os: super::fields::character_string(c, "HINFO OS")?,
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) -> Result<(), Error> {
        super::fields::put_character_string(msg, &self.cpu)?;
        super::fields::put_character_string(msg, &self.os)
    }

    pub(crate) fn parse<'a>(
        rest: &mut impl Iterator<Item = &'a Token<'a>>,
    ) -> Result<Hinfo, Error> {
        Ok(Hinfo {
            cpu: super::fields::parse_character_string(rest)?,
            os: super::fields::parse_character_string(rest)?,
        })
    }
}

/// `"CPU" "OS"`, both quoted as dig prints them (RFC 1035 §5.1).
impl fmt::Display for Hinfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::fields::fmt_quoted(f, &self.cpu)?;
        f.write_str(" ")?;
        super::fields::fmt_quoted(f, &self.os)
    }
}

#[cfg(test)]
mod tests {
    use crate::class::Class;
    use crate::error::Error;
    use crate::rdata::RData;
    use crate::rtype::RType;

    #[test]
    fn valid_and_rfc8482() {
        let data = RData::from_presentation(RType::HINFO, Class::IN, "\"RFC8482\" \"\"").unwrap();
        assert_eq!(data.to_string(), "\"RFC8482\" \"\"");
        assert_eq!(
            RData::from_wire(RType::HINFO, Class::IN, b"\x07RFC8482\x00"),
            Ok(data)
        );
        // Unquoted words are character-strings too (RFC 1035 §5.1).
        let data = RData::from_presentation(RType::HINFO, Class::IN, "INTEL-386 Unix").unwrap();
        assert_eq!(data.to_string(), "\"INTEL-386\" \"Unix\"");
    }

    #[test]
    fn invalid() {
        assert_eq!(
            RData::from_wire(RType::HINFO, Class::IN, b"\x03abc"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::HINFO,
                rdlength: 4
            })
        );
        assert_eq!(
            RData::from_wire(RType::HINFO, Class::IN, b"\x00\x00\x00"),
            Err(Error::RdLengthLong {
                offset: 0,
                rtype: RType::HINFO,
                rdlength: 3,
                used: 2
            })
        );
        assert!(RData::from_presentation(RType::HINFO, Class::IN, "\"a\"").is_err());
        assert!(RData::from_presentation(RType::HINFO, Class::IN, "a b c").is_err());
        let long = format!("a \"{}\"", "x".repeat(256));
        assert_eq!(
            RData::from_presentation(RType::HINFO, Class::IN, &long),
            Err(Error::Syntax {
                offset: 2,
                reason: "character-string over 255 octets (RFC 1035 §3.3)"
            })
        );
    }
}
