//! NSEC3PARAM rdata (RFC 5155 §4.2): the NSEC3 parameters an authoritative server uses.
//!
//! ```text
//! | HASH ALG (8) | FLAGS (8) | ITERATIONS (16) | SALT LENGTH (8) | SALT |
//! ```

use std::fmt;

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::Token;

/// The NSEC3 parameters of a zone (RFC 5155 §4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nsec3param {
    /// The hash algorithm: 1 SHA-1 (RFC 5155 §4.1.1).
    pub hash_algorithm: u8,
    /// Flags: all zero in NSEC3PARAM (RFC 5155 §4.1.2), kept as sent.
    pub flags: u8,
    /// Extra hash iterations (RFC 5155 §4.1.3; RFC 9276 recommends 0).
    pub iterations: u16,
    /// The salt, 0 to 255 octets (RFC 5155 §4.1.5).
    pub salt: Bytes,
}

impl Nsec3param {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Nsec3param, Error> {
        Ok(Nsec3param {
            hash_algorithm: c.u8("NSEC3PARAM hash algorithm")?,
            flags: c.u8("NSEC3PARAM flags")?,
            iterations: c.u16("NSEC3PARAM iterations")?,
            salt: super::fields::character_string(c, "NSEC3PARAM salt")?,
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) -> Result<(), Error> {
        msg.extend_from_slice(&[self.hash_algorithm, self.flags]);
        msg.extend_from_slice(&self.iterations.to_be_bytes());
        super::fields::put_character_string(msg, &self.salt)
    }

    pub(crate) fn parse<'a>(
        rest: &mut impl Iterator<Item = &'a Token<'a>>,
    ) -> Result<Nsec3param, Error> {
        Ok(Nsec3param {
            hash_algorithm: super::number(rest)?,
            flags: super::number(rest)?,
            iterations: super::number(rest)?,
            salt: salt(rest)?,
        })
    }
}

/// The next token as a salt: `-` for none, else hex (RFC 5155 §3.3, §4.3).
pub(crate) fn salt<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<Bytes, Error> {
    let token = super::fields::next(rest, "missing salt")?;
    if token.raw == "-" && !token.quoted {
        return Ok(Bytes::new());
    }
    let salt = super::fields::hex_word(token)?;
    if salt.is_empty() || salt.len() > 255 {
        return Err(token.error("salt not 1 to 255 octets of hex, or - (RFC 5155 §3.3)"));
    }
    Ok(Bytes::from(salt))
}

/// Writes a salt: `-` for none, else uppercase hex as dig prints it (RFC 5155 §3.3).
pub(crate) fn fmt_salt(f: &mut fmt::Formatter<'_>, salt: &[u8]) -> fmt::Result {
    if salt.is_empty() {
        f.write_str("-")
    } else {
        super::fields::fmt_hex(f, salt)
    }
}

/// `ALGORITHM FLAGS ITERATIONS SALT` (RFC 5155 §4.3).
impl fmt::Display for Nsec3param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} ",
            self.hash_algorithm, self.flags, self.iterations
        )?;
        fmt_salt(f, &self.salt)
    }
}

#[cfg(test)]
mod tests {
    use crate::class::Class;
    use crate::error::Error;
    use crate::rdata::RData;
    use crate::rtype::RType;

    #[test]
    fn rfc5155_example() {
        // RFC 5155 Appendix A: example. NSEC3PARAM 1 0 12 aabbccdd
        let data =
            RData::from_presentation(RType::NSEC3PARAM, Class::IN, "1 0 12 aabbccdd").unwrap();
        assert_eq!(data.to_string(), "1 0 12 AABBCCDD");
        assert_eq!(
            RData::from_wire(
                RType::NSEC3PARAM,
                Class::IN,
                b"\x01\x00\x00\x0c\x04\xaa\xbb\xcc\xdd"
            ),
            Ok(data)
        );
        let none = RData::from_wire(RType::NSEC3PARAM, Class::IN, b"\x01\x00\x00\x00\x00");
        assert_eq!(none.unwrap().to_string(), "1 0 0 -");
    }

    #[test]
    fn invalid() {
        assert_eq!(
            RData::from_wire(RType::NSEC3PARAM, Class::IN, b"\x01\x00\x00\x00\x02\xaa"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::NSEC3PARAM,
                rdlength: 6
            })
        );
        assert_eq!(
            RData::from_presentation(RType::NSEC3PARAM, Class::IN, "1 0 0 \"-\""),
            Err(Error::Syntax {
                offset: 6,
                reason: "hex digits are not quoted"
            })
        );
        assert!(RData::from_presentation(RType::NSEC3PARAM, Class::IN, "1 0 0").is_err());
        assert!(RData::from_presentation(RType::NSEC3PARAM, Class::IN, "1 0 0 - x").is_err());
    }
}
