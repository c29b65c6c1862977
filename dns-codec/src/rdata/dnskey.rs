//! DNSKEY rdata (RFC 4034 §2.1): a zone's public key.
//!
//! ```text
//! |             FLAGS (16)            | PROTOCOL (8) | ALGORITHM (8) |
//! /                     PUBLIC KEY (the rest)                        /
//! ```
//!
//! The presentation form writes the key in base64 (RFC 4034 §2.2), through the `base64` crate.

use std::fmt;

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::Token;

/// A DNSSEC public key (RFC 4034 §2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dnskey {
    /// Flags: bit 7 (256) Zone Key, bit 15 (1) Secure Entry Point (RFC 4034 §2.1.1), bit 8
    /// (128) Revoke (RFC 5011 §7).
    pub flags: u16,
    /// Protocol: 3; a key with another value is invalid for verification but kept
    /// (RFC 4034 §2.1.2).
    pub protocol: u8,
    /// The key's algorithm (RFC 4034 §2.1.3, IANA "DNS Security Algorithm Numbers").
    pub algorithm: u8,
    /// The public key, in the algorithm's format (RFC 4034 §2.1.4).
    pub public_key: Bytes,
}

impl Dnskey {
    /// The key tag of this key (RFC 4034 Appendix B): the checksum DS and RRSIG use to name it.
    /// Algorithm 1 (RSA/MD5) uses its own rule (Appendix B.1).
    pub fn key_tag(&self) -> u16 {
        let mut rdata = Vec::with_capacity(4 + self.public_key.len());
        self.encode(&mut rdata);
        if self.algorithm == 1 {
            // RFC 4034 Appendix B.1: the third-to-last and second-to-last octets of the key.
            let len = self.public_key.len();
            return match (
                len.checked_sub(3).and_then(|i| self.public_key.get(i)),
                len.checked_sub(2).and_then(|i| self.public_key.get(i)),
            ) {
                (Some(hi), Some(lo)) => u16::from_be_bytes([*hi, *lo]),
                _ => 0,
            };
        }
        let mut ac: u32 = 0;
        for (i, &b) in rdata.iter().enumerate() {
            ac += if i & 1 == 0 {
                u32::from(b) << 8
            } else {
                u32::from(b)
            };
        }
        ac += (ac >> 16) & 0xFFFF;
        (ac & 0xFFFF) as u16
    }

    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Dnskey, Error> {
        Ok(Dnskey {
            flags: c.u16("DNSKEY flags")?,
            protocol: c.u8("DNSKEY protocol")?,
            algorithm: c.u8("DNSKEY algorithm")?,
            public_key: Bytes::copy_from_slice(c.rest()),
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) {
        msg.extend_from_slice(&self.flags.to_be_bytes());
        msg.extend_from_slice(&[self.protocol, self.algorithm]);
        msg.extend_from_slice(&self.public_key);
    }

    pub(crate) fn parse<'a>(
        rest: &mut impl Iterator<Item = &'a Token<'a>>,
    ) -> Result<Dnskey, Error> {
        Ok(Dnskey {
            flags: super::number(rest)?,
            protocol: super::number(rest)?,
            algorithm: super::number(rest)?,
            public_key: super::fields::parse_base64_rest(rest)?,
        })
    }
}

/// `FLAGS PROTOCOL ALGORITHM KEY`, the key in base64 in one word (RFC 4034 §2.2; a zone file
/// may split it into words).
impl fmt::Display for Dnskey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.flags, self.protocol, self.algorithm)?;
        if !self.public_key.is_empty() {
            f.write_str(" ")?;
            super::fields::fmt_base64(f, &self.public_key)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::Class;
    use crate::rdata::RData;
    use crate::rtype::RType;

    /// The key of RFC 4034 §5.4, whose key tag that section gives as 60485.
    const RFC4034_KEY: &str = "AQOeiiR0GOMYkDshWoSKz9Xz fwJr1AYtsmx3TGkJaNXVbfi/ \
        2pHm822aJ5iI9BMzNXxeYCmZ DRD99WYwYqUSdjMmmAphXdvx egXd/M5+X7OrzKBaMbCVdFLU \
        Uh6DhweJBjEVv5f2wwjM9Xzc nOf+EPbtG9DMBmADjFDc2w/r ljwvFw==";

    #[test]
    fn rfc4034_example_and_key_tag() {
        let text = format!("256 3 5 {RFC4034_KEY}");
        let data = RData::from_presentation(RType::DNSKEY, Class::IN, &text).unwrap();
        let RData::Dnskey(key) = &data else {
            unreachable!()
        };
        assert_eq!(key.key_tag(), 60485);
        assert_eq!(
            data.to_string(),
            format!("256 3 5 {}", RFC4034_KEY.replace(' ', ""))
        );
        let mut wire = Vec::new();
        key.encode(&mut wire);
        assert_eq!(&wire[..4], b"\x01\x00\x03\x05");
        assert_eq!(RData::from_wire(RType::DNSKEY, Class::IN, &wire), Ok(data));
        let empty = RData::from_wire(RType::DNSKEY, Class::IN, b"\x01\x01\x03\x0d").unwrap();
        assert_eq!(empty.to_string(), "257 3 13");
    }

    #[test]
    fn invalid() {
        assert_eq!(
            RData::from_wire(RType::DNSKEY, Class::IN, b"\x01\x01\x03"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::DNSKEY,
                rdlength: 3
            })
        );
        assert_eq!(
            RData::from_presentation(RType::DNSKEY, Class::IN, "257 3 13 AAAA AA!A"),
            Err(Error::Syntax {
                offset: 16,
                reason: "not base64 with padding (RFC 4648 §4)"
            })
        );
        assert!(RData::from_presentation(RType::DNSKEY, Class::IN, "257 3 13 AAA").is_err());
        assert!(RData::from_presentation(RType::DNSKEY, Class::IN, "65536 3 13 AA==").is_err());
    }
}
