//! The type bit maps of NSEC (RFC 4034 §4.1.2), NSEC3 (RFC 5155 §3.2.1) and CSYNC
//! (RFC 7477 §2.1.1.2.1).
//!
//! ```text
//! ( Window Block # (8) | Bitmap Length (8) | Bitmap (1 to 32 octets) )+
//! ```
//!
//! A set of types has exactly one encoding: blocks in increasing order, no empty block, no
//! trailing zero octets (RFC 4034 §4.1.2: "MUST"). The decoder refuses every other encoding and
//! keeps the octets it checked: a [`TypeBitmap`] is one allocation the size of its wire form,
//! read lazily, and written back byte for byte. (A tree set of the types took up to 67 times
//! the octets of the bitmap, and a 64 KiB message of full bitmaps 4.4 MB and 40 ms to decode.)

use std::fmt;
use std::iter::FusedIterator;
use std::str::FromStr;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::presentation::{Token, tokens};
use crate::rtype::RType;

/// A set of record types in the type bit map encoding of RFC 4034 §4.1.2, the form NSEC, NSEC3
/// (RFC 5155 §3.2.1) and CSYNC (RFC 7477 §2.1.1.2.1) carry.
///
/// It holds the canonical wire form (at most 256 windows of 34 octets, 8,704 octets for all
/// 65,536 types) and reads the types out of it on demand: [`TypeBitmap::iter`] in increasing
/// order, [`TypeBitmap::contains`] by looking at one bit. Build one from types in any order,
/// duplicates allowed, with [`TypeBitmap::from_types`] or `collect()`. Since the encoding is
/// canonical, `==` and `Hash` on the octets are equality and hashing of the sets.
///
/// ```
/// use dns_codec::RType;
/// use dns_codec::rdata::TypeBitmap;
///
/// let types = TypeBitmap::from([RType::MX, RType::A, RType(1234), RType::A]);
/// assert_eq!(types.to_string(), "A MX TYPE1234");
/// assert_eq!(types.len(), 3);
/// assert!(types.contains(RType::MX) && !types.contains(RType::AAAA));
/// // Window 0: 2 octets (A, MX); window 4: 27 octets (1234 = 4 * 256 + 210).
/// assert_eq!(&types.as_wire()[..4], b"\x00\x02\x40\x01");
/// assert_eq!(types.as_wire().len(), 4 + 2 + 27);
/// assert_eq!("MX A TYPE1234".parse::<TypeBitmap>(), Ok(types));
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct TypeBitmap {
    /// The canonical wire form: windows in increasing order, each of 1 to 32 octets, the last
    /// octet of each nonzero.
    wire: Box<[u8]>,
}

impl TypeBitmap {
    /// The empty set, zero octets on the wire (RFC 4034 §4.1.2 allows an NSEC with no types).
    pub fn new() -> TypeBitmap {
        TypeBitmap::default()
    }

    /// The set of `types`, in any order, duplicates ignored: sorted once, then encoded in one
    /// pass into an allocation of the exact size (RFC 4034 §4.1.2).
    pub fn from_types(types: impl IntoIterator<Item = RType>) -> TypeBitmap {
        let mut values: Vec<u16> = types.into_iter().map(|t| t.0).collect();
        values.sort_unstable();
        values.dedup();
        // Each window takes 2 octets and the octets up to the one of its highest type.
        let len: usize = values
            .iter()
            .enumerate()
            .filter(|&(i, &v)| values.get(i + 1).is_none_or(|&next| next >> 8 != v >> 8))
            .map(|(_, &v)| 3 + usize::from((v & 0xFF) >> 3))
            .sum();
        let mut wire = Vec::with_capacity(len);
        // The current window and where its length octet is.
        let mut current: Option<(u8, usize)> = None;
        for v in values {
            let [window, low] = v.to_be_bytes();
            let length_at = match current {
                Some((w, at)) if w == window => at,
                _ => {
                    wire.extend_from_slice(&[window, 0]);
                    let at = wire.len() - 1;
                    current = Some((window, at));
                    at
                }
            };
            let octet = usize::from(low >> 3);
            let index = length_at + 1 + octet;
            if wire.len() <= index {
                wire.resize(index + 1, 0);
            }
            if let Some(bits) = wire.get_mut(index) {
                *bits |= 0x80 >> (low & 7);
            }
            if let Some(length) = wire.get_mut(length_at) {
                *length = octet as u8 + 1;
            }
        }
        TypeBitmap {
            wire: wire.into_boxed_slice(),
        }
    }

    /// The types in increasing order, read from the octets as they are needed.
    pub fn iter(&self) -> TypeBitmapIter<'_> {
        TypeBitmapIter {
            rest: &self.wire,
            window: 0,
            index: 0,
            bits: 0,
            octets: &[],
        }
    }

    /// Whether `rtype` is in the set: its window found in at most 256 steps, then one bit.
    pub fn contains(&self, rtype: RType) -> bool {
        let [window, low] = rtype.0.to_be_bytes();
        windows(&self.wire)
            .find(|&(w, _)| w >= window)
            .is_some_and(|(w, octets)| {
                w == window
                    && octets
                        .get(usize::from(low >> 3))
                        .is_some_and(|bits| bits & (0x80 >> (low & 7)) != 0)
            })
    }

    /// How many types the set holds (the bits set, counted over the octets).
    pub fn len(&self) -> usize {
        windows(&self.wire)
            .flat_map(|(_, octets)| octets)
            .map(|bits| bits.count_ones() as usize)
            .sum()
    }

    /// Whether the set is empty (and takes no octets on the wire).
    pub fn is_empty(&self) -> bool {
        self.wire.is_empty()
    }

    /// The wire form, exactly as RFC 4034 §4.1.2 encodes the set.
    pub fn as_wire(&self) -> &[u8] {
        &self.wire
    }

    /// Appends the wire form.
    pub(crate) fn encode(&self, msg: &mut Vec<u8>) {
        msg.extend_from_slice(&self.wire);
    }

    /// The remaining tokens as type mnemonics or `TYPEnnn`, in any order (RFC 4034 §4.2).
    pub(crate) fn parse<'a, 't: 'a>(
        rest: &mut impl Iterator<Item = &'a Token<'t>>,
    ) -> Result<TypeBitmap, Error> {
        let mut types = Vec::with_capacity(rest.size_hint().0);
        let mut rest = rest.peekable();
        while rest.peek().is_some() {
            types.push(super::fields::parse_rtype(&mut rest)?);
        }
        Ok(TypeBitmap::from_types(types))
    }
}

/// The windows of a checked wire form: (window number, its bitmap octets).
fn windows(wire: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    let mut rest = wire;
    std::iter::from_fn(move || {
        let (&window, after) = rest.split_first()?;
        let (&len, after) = after.split_first()?;
        let (octets, after) = after.split_at_checked(usize::from(len))?;
        rest = after;
        Some((window, octets))
    })
}

/// Reads the bit maps up to the end of the rdata, checking that they are the one encoding of
/// their set; `rtype` names the record for the errors. The octets are copied once.
pub(crate) fn decode(c: &mut Cursor<'_>, rtype: RType) -> Result<TypeBitmap, Error> {
    let wire = c.rest_peek();
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
        previous = Some(window);
    }
    Ok(TypeBitmap {
        wire: Box::from(wire),
    })
}

/// The types in increasing order, each after a space.
pub(crate) fn fmt(f: &mut fmt::Formatter<'_>, types: &TypeBitmap) -> fmt::Result {
    for t in types {
        write!(f, " {t}")?;
    }
    Ok(())
}

/// The types of a [`TypeBitmap`] in increasing order ([`TypeBitmap::iter`]).
#[derive(Debug, Clone)]
pub struct TypeBitmapIter<'a> {
    /// The windows not reached yet.
    rest: &'a [u8],
    /// The current window, shifted to the high octet of its types.
    window: u16,
    /// Which octet of the current window `bits` is.
    index: u16,
    /// The bits of that octet not yet returned.
    bits: u8,
    /// The octets of the current window after it.
    octets: &'a [u8],
}

impl Iterator for TypeBitmapIter<'_> {
    type Item = RType;

    fn next(&mut self) -> Option<RType> {
        loop {
            if self.bits != 0 {
                let bit = self.bits.leading_zeros() as u16;
                self.bits &= 0x7F >> bit;
                return Some(RType(self.window | self.index << 3 | bit));
            }
            if let Some((&bits, after)) = self.octets.split_first() {
                self.bits = bits;
                self.octets = after;
                self.index += 1;
                continue;
            }
            let (&window, after) = self.rest.split_first()?;
            let (&len, after) = after.split_first()?;
            let (octets, after) = after.split_at_checked(usize::from(len))?;
            let (&bits, octets) = octets.split_first()?;
            self.rest = after;
            self.window = u16::from(window) << 8;
            self.index = 0;
            self.bits = bits;
            self.octets = octets;
        }
    }
}

impl FusedIterator for TypeBitmapIter<'_> {}

impl<'a> IntoIterator for &'a TypeBitmap {
    type Item = RType;
    type IntoIter = TypeBitmapIter<'a>;

    fn into_iter(self) -> TypeBitmapIter<'a> {
        self.iter()
    }
}

/// [`TypeBitmap::from_types`].
impl FromIterator<RType> for TypeBitmap {
    fn from_iter<I: IntoIterator<Item = RType>>(types: I) -> TypeBitmap {
        TypeBitmap::from_types(types)
    }
}

/// [`TypeBitmap::from_types`].
impl<const N: usize> From<[RType; N]> for TypeBitmap {
    fn from(types: [RType; N]) -> TypeBitmap {
        TypeBitmap::from_types(types)
    }
}

/// The set of types, as a tree set of them would print.
impl fmt::Debug for TypeBitmap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// The types in increasing order, separated by spaces, by mnemonic or as `TYPEnnn`
/// (RFC 4034 §4.2, RFC 3597 §5); nothing for the empty set.
impl fmt::Display for TypeBitmap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{t}")?;
        }
        Ok(())
    }
}

/// Type mnemonics or `TYPEnnn`, separated by blanks, in any order, duplicates ignored
/// (RFC 4034 §4.2, RFC 3597 §5). Error offsets count from the start of the text.
impl FromStr for TypeBitmap {
    type Err = Error;

    fn from_str(text: &str) -> Result<TypeBitmap, Error> {
        let tokens = tokens(text)?;
        TypeBitmap::parse(&mut tokens.iter())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::limits::Limits;

    fn decoded(wire: &[u8]) -> Result<TypeBitmap, Error> {
        let mut c = Cursor::new(wire, &Limits::default());
        decode(&mut c, RType::NSEC)
    }

    #[test]
    fn every_type_roundtrips_alone_and_together() {
        for t in (0..=u16::MAX).step_by(7).chain([0, 255, 256, 65535]) {
            let one = TypeBitmap::from([RType(t)]);
            assert_eq!(one.iter().collect::<Vec<_>>(), [RType(t)]);
            assert_eq!(one.len(), 1);
            assert!(one.contains(RType(t)));
            assert!(!one.contains(RType(t ^ 1)));
            assert_eq!(one.as_wire().len(), 3 + usize::from((t & 0xFF) >> 3));
            assert_eq!(decoded(one.as_wire()), Ok(one));
        }
        let all = TypeBitmap::from_types((0..=u16::MAX).rev().map(RType));
        assert_eq!(all.as_wire().len(), 256 * 34);
        assert_eq!(all.len(), 65536);
        assert!(all.iter().map(|t| t.0).eq(0..=u16::MAX));
        assert!(all.contains(RType(0)) && all.contains(RType(65535)));
        assert_eq!(decoded(all.as_wire()).as_ref(), Ok(&all));
    }

    #[test]
    fn the_same_set_as_a_tree_set() {
        let mut seed = 0x2545_f491_u32;
        for round in 0..200 {
            let mut set = BTreeSet::new();
            for _ in 0..round % 40 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let t = if seed & 1 == 0 {
                    seed as u16 % 300
                } else {
                    (seed >> 8) as u16
                };
                set.insert(RType(t));
            }
            let bitmap: TypeBitmap = set.iter().rev().chain(set.iter()).copied().collect();
            assert!(bitmap.iter().eq(set.iter().copied()), "{set:?}");
            assert_eq!(bitmap.len(), set.len());
            assert_eq!(bitmap.is_empty(), set.is_empty());
            assert_eq!(format!("{bitmap:?}"), format!("{set:?}"));
            for t in [0u16, 1, 2, 15, 46, 255, 256, 1234, 65535] {
                assert_eq!(bitmap.contains(RType(t)), set.contains(&RType(t)));
            }
            assert_eq!(decoded(bitmap.as_wire()), Ok(bitmap.clone()));
            assert_eq!(bitmap.to_string().parse::<TypeBitmap>(), Ok(bitmap));
        }
    }

    #[test]
    fn empty_and_presentation() {
        let empty = TypeBitmap::new();
        assert!(empty.is_empty() && empty.iter().next().is_none());
        assert_eq!(empty.len(), 0);
        assert_eq!(empty.to_string(), "");
        assert_eq!("".parse::<TypeBitmap>(), Ok(empty.clone()));
        assert_eq!(decoded(b""), Ok(empty));
        assert_eq!(
            "A  TYPE65535\tmx a"
                .parse::<TypeBitmap>()
                .map(|t| t.to_string()),
            Ok("A MX TYPE65535".to_string())
        );
        assert_eq!(
            "A BOGUS".parse::<TypeBitmap>(),
            Err(Error::Syntax {
                offset: 2,
                reason: "unknown type mnemonic (RFC 3597 §5: write TYPE and the number)"
            })
        );
        assert_eq!(
            "A \"MX\"".parse::<TypeBitmap>(),
            Err(Error::Syntax {
                offset: 2,
                reason: "a type is not quoted"
            })
        );
    }
}
