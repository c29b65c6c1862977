//! NSEC3 rdata (RFC 5155 §3.2): hashed authenticated denial of existence.
//!
//! ```text
//! | HASH ALG (8) | FLAGS (8) | ITERATIONS (16) | SALT LENGTH (8) | SALT
//! | HASH LENGTH (8) | NEXT HASHED OWNER NAME | TYPE BIT MAPS (RFC 4034 §4.1.2)
//! ```
//!
//! The next hashed owner prints as unpadded base32hex (RFC 5155 §3.3), which has no form for
//! zero octets: a hash length of 0 is refused with [`Error::BadRdata`].

use std::fmt;

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::Token;
use crate::rtype::RType;

use super::type_bitmap::TypeBitmap;

/// Hashed denial of existence (RFC 5155 §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nsec3 {
    /// The hash algorithm: 1 SHA-1 (RFC 5155 §3.1.1).
    pub hash_algorithm: u8,
    /// Flags: bit 0 (1) Opt-Out (RFC 5155 §3.1.2.1).
    pub flags: u8,
    /// Extra hash iterations (RFC 5155 §3.1.3).
    pub iterations: u16,
    /// The salt, 0 to 255 octets (RFC 5155 §3.1.5).
    pub salt: Bytes,
    /// The next hashed owner name, as raw hash octets, 1 to 255 (RFC 5155 §3.1.7).
    pub next_hashed_owner: Bytes,
    /// The types present at the original owner (RFC 5155 §3.1.8).
    pub types: TypeBitmap,
}

impl Nsec3 {
    /// Whether the Opt-Out flag is set (RFC 5155 §3.1.2.1).
    pub fn opt_out(&self) -> bool {
        self.flags & 1 != 0
    }

    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Nsec3, Error> {
        let hash_algorithm = c.u8("NSEC3 hash algorithm")?;
        let flags = c.u8("NSEC3 flags")?;
        let iterations = c.u16("NSEC3 iterations")?;
        let salt = super::fields::character_string(c, "NSEC3 salt")?;
        let at = c.offset();
        let next_hashed_owner = super::fields::character_string(c, "NSEC3 next hashed owner")?;
        if next_hashed_owner.is_empty() {
            return Err(Error::BadRdata {
                offset: at,
                rtype: RType::NSEC3,
                reason: "hash length 0 (RFC 5155 §3.3 has no presentation for it)",
            });
        }
        Ok(Nsec3 {
            hash_algorithm,
            flags,
            iterations,
            salt,
            next_hashed_owner,
            types: super::type_bitmap::decode(c, RType::NSEC3)?,
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) -> Result<(), Error> {
        if self.next_hashed_owner.is_empty() {
            return Err(Error::Unencodable {
                offset: msg.len() as u64,
                reason: "NSEC3 with an empty next hashed owner (RFC 5155 §3.3)",
            });
        }
        msg.extend_from_slice(&[self.hash_algorithm, self.flags]);
        msg.extend_from_slice(&self.iterations.to_be_bytes());
        super::fields::put_character_string(msg, &self.salt)?;
        super::fields::put_character_string(msg, &self.next_hashed_owner)?;
        self.types.encode(msg);
        Ok(())
    }

    pub(crate) fn parse<'a>(
        rest: &mut impl Iterator<Item = &'a Token<'a>>,
    ) -> Result<Nsec3, Error> {
        let hash_algorithm = super::number(rest)?;
        let flags = super::number(rest)?;
        let iterations = super::number(rest)?;
        let salt = super::nsec3param::salt(rest)?;
        let token = super::fields::next(rest, "missing next hashed owner")?;
        let hash = super::fields::base32hex_word(token)?;
        if hash.is_empty() || hash.len() > 255 {
            return Err(token.error("next hashed owner not 1 to 255 octets (RFC 5155 §3.2)"));
        }
        Ok(Nsec3 {
            hash_algorithm,
            flags,
            iterations,
            salt,
            next_hashed_owner: Bytes::from(hash),
            types: TypeBitmap::parse(rest)?,
        })
    }
}

/// `ALGORITHM FLAGS ITERATIONS SALT NEXT TYPE...`, the salt in hex or `-`, the next hashed
/// owner in uppercase base32hex as dig prints it (RFC 5155 §3.3).
impl fmt::Display for Nsec3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} ",
            self.hash_algorithm, self.flags, self.iterations
        )?;
        super::nsec3param::fmt_salt(f, &self.salt)?;
        f.write_str(" ")?;
        super::fields::fmt_base32hex(f, &self.next_hashed_owner)?;
        super::type_bitmap::fmt(f, &self.types)
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
        // RFC 5155 Appendix A, the NSEC3 of the apex.
        let text =
            "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG";
        let data = RData::from_presentation(RType::NSEC3, Class::IN, text).unwrap();
        assert_eq!(
            data.to_string(),
            "1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR NS SOA MX RRSIG DNSKEY NSEC3PARAM"
        );
        let RData::Nsec3(nsec3) = &data else {
            unreachable!()
        };
        assert!(nsec3.opt_out());
        assert_eq!(nsec3.next_hashed_owner.len(), 20);
        let mut wire = Vec::new();
        nsec3.encode(&mut wire).unwrap();
        assert_eq!(&wire[..10], b"\x01\x01\x00\x0c\x04\xaa\xbb\xcc\xdd\x14");
        assert_eq!(&wire[30..], b"\x00\x07\x22\x01\x00\x00\x00\x02\x90");
        assert_eq!(RData::from_wire(RType::NSEC3, Class::IN, &wire), Ok(data));
        let no_salt = RData::from_presentation(RType::NSEC3, Class::IN, "1 0 0 - CO").unwrap();
        assert_eq!(no_salt.to_string(), "1 0 0 - CO");
    }

    #[test]
    fn invalid() {
        assert_eq!(
            RData::from_wire(RType::NSEC3, Class::IN, b"\x01\x00\x00\x00\x00\x00"),
            Err(Error::BadRdata {
                offset: 5,
                rtype: RType::NSEC3,
                reason: "hash length 0 (RFC 5155 §3.3 has no presentation for it)"
            })
        );
        assert_eq!(
            RData::from_wire(RType::NSEC3, Class::IN, b"\x01\x00\x00\x00\x00\x02\x01"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::NSEC3,
                rdlength: 7
            })
        );
        assert_eq!(
            RData::from_presentation(RType::NSEC3, Class::IN, "1 0 0 - CW"),
            Err(Error::Syntax {
                offset: 9,
                reason: "not a base32hex digit (RFC 4648 §7)"
            })
        );
        assert!(RData::from_presentation(RType::NSEC3, Class::IN, "1 0 0 -").is_err());
        assert!(RData::from_presentation(RType::NSEC3, Class::IN, "1 0 0 - CO BOGUS").is_err());
    }
}
