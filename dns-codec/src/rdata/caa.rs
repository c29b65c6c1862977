//! CAA rdata (RFC 8659 §4.1): which certification authorities may issue for a domain.
//!
//! ```text
//! | FLAGS (8) | TAG LENGTH (8) | TAG (TAG LENGTH octets) | VALUE (the rest) |
//! ```
//!
//! The tag is at least one octet of ASCII letters and digits (RFC 8659 §4.1: "Tags MUST NOT
//! contain any other characters"); the decoder refuses anything else with
//! [`Error::BadRdata`] and the encoder with [`Error::Unencodable`]. The value is kept as octets
//! (its grammar depends on the tag, RFC 8659 §4.2-4.4).

use std::fmt;

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::Token;
use crate::rtype::RType;

/// A certification authority authorization property (RFC 8659 §4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caa {
    /// Flags; bit 7 (value 128) is Issuer Critical (RFC 8659 §4.1).
    pub flags: u8,
    /// The property tag (`issue`, `issuewild`, `iodef`, ...): 1 to 255 ASCII letters and digits,
    /// case kept (RFC 8659 §4.1: matched case-insensitively).
    pub tag: String,
    /// The property value, as octets (RFC 8659 §4.1).
    pub value: Bytes,
}

/// Whether `tag` is a tag RFC 8659 §4.1 allows.
fn valid_tag(tag: &[u8]) -> bool {
    !tag.is_empty() && tag.len() <= 255 && tag.iter().all(u8::is_ascii_alphanumeric)
}

impl Caa {
    /// Whether the Issuer Critical flag is set (RFC 8659 §4.1).
    pub fn critical(&self) -> bool {
        self.flags & 0x80 != 0
    }

    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Caa, Error> {
        let flags = c.u8("CAA flags")?;
        let at = c.offset();
        let len = c.u8("CAA tag length")?;
        let tag = c.bytes(usize::from(len), "CAA tag")?;
        if !valid_tag(tag) {
            return Err(Error::BadRdata {
                offset: at,
                rtype: RType::CAA,
                reason: "tag empty or not ASCII letters and digits (RFC 8659 §4.1)",
            });
        }
        Ok(Caa {
            flags,
            tag: String::from_utf8_lossy(tag).into_owned(),
            value: Bytes::copy_from_slice(c.rest()),
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) -> Result<(), Error> {
        if !valid_tag(self.tag.as_bytes()) {
            return Err(Error::Unencodable {
                offset: msg.len() as u64,
                reason: "CAA tag empty, over 255 octets or not ASCII letters and digits (RFC 8659 §4.1)",
            });
        }
        msg.push(self.flags);
        msg.push(self.tag.len() as u8);
        msg.extend_from_slice(self.tag.as_bytes());
        msg.extend_from_slice(&self.value);
        Ok(())
    }

    pub(crate) fn parse<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<Caa, Error> {
        let flags = super::number(rest)?;
        let token = super::fields::next(rest, "missing CAA tag")?;
        if token.quoted || !valid_tag(token.raw.as_bytes()) {
            return Err(token.error("CAA tag: ASCII letters and digits (RFC 8659 §4.1.1)"));
        }
        let value = super::fields::next(rest, "missing CAA value")?.bytes()?;
        Ok(Caa {
            flags,
            tag: token.raw.to_string(),
            value: Bytes::from(value),
        })
    }
}

/// `FLAGS TAG "VALUE"`, the value quoted as dig prints it (RFC 8659 §4.1.1):
/// `0 issue "ca.example.net"`.
impl fmt::Display for Caa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.flags, self.tag)?;
        super::fields::fmt_quoted(f, &self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::Class;
    use crate::rdata::RData;

    #[test]
    fn rfc8659_examples() {
        // RFC 8659 §4.3 and §4.1.
        for (text, wire) in [
            (
                "0 issue \"ca.example.net\"",
                &b"\x00\x05issueca.example.net"[..],
            ),
            (
                "0 issue \"ca.example.net; account=230123\"",
                b"\x00\x05issueca.example.net; account=230123",
            ),
            ("128 tbs \"Unknown\"", b"\x80\x03tbsUnknown"),
            ("0 issue \";\"", b"\x00\x05issue;"),
            ("0 iodef \"\"", b"\x00\x05iodef"),
        ] {
            let data = RData::from_presentation(RType::CAA, Class::IN, text).unwrap();
            assert_eq!(data.to_string(), text);
            assert_eq!(RData::from_wire(RType::CAA, Class::IN, wire), Ok(data));
        }
        let unquoted = RData::from_presentation(RType::CAA, Class::IN, "0 issue ca.example.net");
        assert_eq!(unquoted.unwrap().to_string(), "0 issue \"ca.example.net\"");
        let RData::Caa(caa) = RData::from_wire(RType::CAA, Class::IN, b"\x80\x03tbs").unwrap()
        else {
            unreachable!()
        };
        assert!(caa.critical());
    }

    #[test]
    fn invalid() {
        let bad = |wire: &[u8]| RData::from_wire(RType::CAA, Class::IN, wire);
        let tag = Err(Error::BadRdata {
            offset: 1,
            rtype: RType::CAA,
            reason: "tag empty or not ASCII letters and digits (RFC 8659 §4.1)",
        });
        assert_eq!(bad(b"\x00\x00value"), tag);
        assert_eq!(bad(b"\x00\x02a-"), tag);
        assert_eq!(
            bad(b"\x00\x09issue"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::CAA,
                rdlength: 7
            })
        );
        assert_eq!(
            RData::from_presentation(RType::CAA, Class::IN, "0 is_sue \"x\""),
            Err(Error::Syntax {
                offset: 2,
                reason: "CAA tag: ASCII letters and digits (RFC 8659 §4.1.1)"
            })
        );
        assert!(RData::from_presentation(RType::CAA, Class::IN, "256 issue \"x\"").is_err());
        assert!(RData::from_presentation(RType::CAA, Class::IN, "0 issue").is_err());
        let mut out = Vec::new();
        let caa = Caa {
            flags: 0,
            tag: String::new(),
            value: Bytes::new(),
        };
        assert!(matches!(
            caa.encode(&mut out),
            Err(Error::Unencodable { offset: 0, .. })
        ));
    }
}
