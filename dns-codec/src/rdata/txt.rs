//! TXT rdata (RFC 1035 §3.3.14): one or more `<character-string>`s, each a length octet and
//! that many octets (RFC 1035 §3.3).

use std::fmt;

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::Token;
use crate::rtype::RType;

/// The character-strings of a TXT record, in order (RFC 1035 §3.3.14). Each is at most 255
/// octets and there is at least one; the encoder refuses anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Txt {
    /// The strings, each as its octets without the length octet.
    pub strings: Vec<Bytes>,
}

/// How many character-strings `rdata` holds, counting a last one that runs past the end (the
/// decoder then reports it).
fn count_strings(rdata: &[u8]) -> usize {
    let mut count = 0;
    let mut pos = 0;
    while let Some(&len) = rdata.get(pos) {
        count += 1;
        pos += 1 + usize::from(len);
    }
    count
}

impl Txt {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Txt, Error> {
        if c.remaining() == 0 {
            return Err(Error::BadRdata {
                offset: c.offset(),
                rtype: RType::TXT,
                reason: "no character-string (RFC 1035 §3.3.14: one or more)",
            });
        }
        // Counted first, so the list is allocated once and at its size (a guess sized for the
        // worst case made a 2 KiB allocation per record).
        let mut strings = Vec::with_capacity(count_strings(c.rest_peek()));
        while c.remaining() > 0 {
            let len = c.u8("character-string")?;
            strings.push(Bytes::copy_from_slice(
                c.bytes(usize::from(len), "character-string")?,
            ));
        }
        Ok(Txt { strings })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) -> Result<(), Error> {
        if self.strings.is_empty() {
            return Err(Error::Unencodable {
                offset: msg.len() as u64,
                reason: "TXT with no character-string (RFC 1035 §3.3.14)",
            });
        }
        for s in &self.strings {
            super::fields::put_character_string(msg, s)?;
        }
        Ok(())
    }

    pub(crate) fn parse<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<Txt, Error> {
        // One string per token: sized once (a list grown by doubling had up to twice the room,
        // and with the tokens 64 bytes of heap per 2-byte word `a `).
        let mut strings = Vec::with_capacity(rest.size_hint().0);
        for token in rest.by_ref() {
            let bytes = token.bytes()?;
            if bytes.len() > 255 {
                return Err(token.error("character-string over 255 octets (RFC 1035 §3.3)"));
            }
            strings.push(Bytes::from(bytes));
        }
        if strings.is_empty() {
            return Err(Error::Syntax {
                offset: 0,
                reason: "TXT needs one or more character-strings (RFC 1035 §3.3.14)",
            });
        }
        Ok(Txt { strings })
    }
}

/// Each string quoted, separated by a space; `"` and `\` escaped with a backslash, octets
/// outside printable ASCII as `\DDD` (RFC 1035 §5.1).
impl fmt::Display for Txt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.strings.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str("\"")?;
            for &b in s.iter() {
                match b {
                    b'"' | b'\\' => write!(f, "\\{}", char::from(b))?,
                    0x20..=0x7E => write!(f, "{}", char::from(b))?,
                    _ => write!(f, "\\{b:03}")?,
                }
            }
            f.write_str("\"")?;
        }
        Ok(())
    }
}
