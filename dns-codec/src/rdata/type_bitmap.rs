//! The type bit maps of NSEC (RFC 4034 §4.1.2) and NSEC3 (RFC 5155 §3.2.1).
//!
//! ```text
//! ( Window Block # (8) | Bitmap Length (8) | Bitmap (1 to 32 octets) )+
//! ```
//!
//! A set of types has exactly one encoding: blocks in increasing order, no empty block, no
//! trailing zero octets (RFC 4034 §4.1.2: "MUST"). The decoder refuses every other encoding, so
//! the [`BTreeSet`] a bitmap decodes to writes back byte for byte.

use std::collections::BTreeSet;
use std::fmt;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::Token;
use crate::rtype::RType;

/// Reads the bit maps up to the end of the rdata; `rtype` names the record for the errors.
pub(crate) fn decode(c: &mut Cursor<'_>, rtype: RType) -> Result<BTreeSet<RType>, Error> {
    let mut types = BTreeSet::new();
    let mut previous: Option<u8> = None;
    while c.remaining() > 0 {
        let at = c.offset();
        let window = c.u8("type bitmap window")?;
        let len = c.u8("type bitmap length")?;
        let bad = |reason| Error::BadRdata {
            offset: at,
            rtype,
            reason,
        };
        if previous.is_some_and(|p| window <= p) {
            return Err(bad(
                "type bitmap windows not in increasing order (RFC 4034 §4.1.2)",
            ));
        }
        if len == 0 || len > 32 {
            return Err(bad("type bitmap length not 1 to 32 (RFC 4034 §4.1.2)"));
        }
        let bitmap = c.bytes(usize::from(len), "type bitmap")?;
        if bitmap.last() == Some(&0) {
            return Err(bad(
                "type bitmap with a trailing zero octet (RFC 4034 §4.1.2)",
            ));
        }
        for (i, &octet) in bitmap.iter().enumerate() {
            for bit in 0..8u16 {
                if octet & (0x80 >> bit) != 0 {
                    types.insert(RType(u16::from(window) << 8 | (i as u16) << 3 | bit));
                }
            }
        }
        previous = Some(window);
    }
    Ok(types)
}

/// Appends the bit maps of `types`.
pub(crate) fn encode(types: &BTreeSet<RType>, msg: &mut Vec<u8>) {
    let mut window: Option<(u8, [u8; 32], usize)> = None;
    let flush = |msg: &mut Vec<u8>, (w, bits, len): (u8, [u8; 32], usize)| {
        msg.push(w);
        msg.push(len as u8);
        msg.extend_from_slice(bits.get(..len).unwrap_or_default());
    };
    for t in types {
        let [w, low] = t.0.to_be_bytes();
        let current = match window {
            Some(current) if current.0 == w => current,
            other => {
                if let Some(done) = other {
                    flush(msg, done);
                }
                (w, [0u8; 32], 0)
            }
        };
        let (w, mut bits, _) = current;
        let index = usize::from(low >> 3);
        if let Some(octet) = bits.get_mut(index) {
            *octet |= 0x80 >> (low & 7);
        }
        window = Some((w, bits, index + 1));
    }
    if let Some(done) = window {
        flush(msg, done);
    }
}

/// The remaining tokens as type mnemonics or `TYPEnnn`, in any order (RFC 4034 §4.2).
pub(crate) fn parse<'a, 't: 'a>(
    rest: &mut impl Iterator<Item = &'a Token<'t>>,
) -> Result<BTreeSet<RType>, Error> {
    let mut types = BTreeSet::new();
    let mut rest = rest.peekable();
    while rest.peek().is_some() {
        types.insert(super::fields::parse_rtype(&mut rest)?);
    }
    Ok(types)
}

/// The types in increasing order, each after a space.
pub(crate) fn fmt(f: &mut fmt::Formatter<'_>, types: &BTreeSet<RType>) -> fmt::Result {
    for t in types {
        write!(f, " {t}")?;
    }
    Ok(())
}
