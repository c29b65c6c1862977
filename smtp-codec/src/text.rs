//! [`Text`]: the string inside the values a command is parsed into (a domain, a local part, an
//! xtext), kept in place when short so that parsing a command line does not allocate once per
//! value.
//!
//! Almost every domain, local part and xtext of real mail fits in [`INLINE`] octets; only longer
//! ones go to the heap. No `unsafe`: the in-place bytes are read back as `&str` through
//! `std::str::from_utf8`, which only ever sees valid UTF-8 (see [`Text::new`]), so it is a fast
//! check that never fails.

use std::fmt;
use std::hash::{Hash, Hasher};

/// Octets kept in place (the enum is then 32 octets, a `String` 24 plus its heap block).
const INLINE: usize = 30;

/// A string, in place up to [`INLINE`] octets, else on the heap. Always valid UTF-8.
#[derive(Clone)]
pub(crate) enum Text {
    /// `len` octets of `buf`: ASCII, or UTF-8 checked when built.
    Inline { len: u8, buf: [u8; INLINE] },
    /// A longer string.
    Heap(Box<str>),
}

impl Text {
    /// `bytes` as text. A grammar has let through only ASCII and whole UTF-8 characters; should
    /// one ever let a broken character through, it is replaced (as `String::from_utf8_lossy`
    /// does) rather than kept.
    #[inline]
    pub(crate) fn new(bytes: &[u8]) -> Text {
        let mut buf = [0u8; INLINE];
        match buf.get_mut(..bytes.len()) {
            // ASCII needs no UTF-8 check; anything else is checked once, here.
            Some(head) if bytes.is_ascii() || std::str::from_utf8(bytes).is_ok() => {
                head.copy_from_slice(bytes);
                Text::Inline {
                    // bytes.len() <= INLINE < 256.
                    len: bytes.len() as u8,
                    buf,
                }
            }
            _ => Text::Heap(String::from_utf8_lossy(bytes).into()),
        }
    }

    /// The text's octets (no UTF-8 check on the way, unlike [`Text::as_str`]).
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Text::Inline { len, buf } => buf.get(..usize::from(*len)).unwrap_or_default(),
            Text::Heap(s) => s.as_bytes(),
        }
    }

    /// The text.
    #[inline]
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Text::Inline { len, buf } => {
                let bytes = buf.get(..usize::from(*len)).unwrap_or_default();
                // Valid UTF-8 by construction (`Text::new`), so this never falls back.
                std::str::from_utf8(bytes).unwrap_or_default()
            }
            Text::Heap(s) => s,
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::new(s.as_bytes())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        if s.len() <= INLINE {
            Text::new(s.as_bytes())
        } else {
            Text::Heap(s.into_boxed_str())
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// As the string's own `Debug` (quoted), so the values holding a `Text` print as they did
/// with a `String`.
impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn in_place_and_on_the_heap_read_back_alike() {
        for s in [
            "",
            "a",
            "jörg",
            "例え.jp",
            &"x".repeat(30),
            &"x".repeat(31),
            &"é".repeat(20),
        ] {
            let t = Text::new(s.as_bytes());
            assert_eq!(t.as_str(), s);
            assert_eq!(Text::from(s.to_owned()), t);
            assert_eq!(format!("{t:?}"), format!("{s:?}"));
            assert_eq!(t.to_string(), s);
        }
        assert!(matches!(Text::new(&[b'x'; 30]), Text::Inline { .. }));
        assert!(matches!(Text::new(&[b'x'; 31]), Text::Heap(_)));
        // A broken character (no grammar lets one through) is replaced, never kept.
        assert_eq!(Text::new(b"a\xc3").as_str(), "a\u{fffd}");
    }

    proptest::proptest! {
        /// Any string reads back as itself, and equality is the string's.
        #[test]
        fn reads_back(a in ".{0,40}", b in ".{0,40}") {
            let (ta, tb) = (Text::from(a.as_str()), Text::from(b.clone()));
            proptest::prop_assert_eq!(ta.as_str(), a.as_str());
            proptest::prop_assert_eq!(tb.as_str(), b.as_str());
            proptest::prop_assert_eq!(ta == tb, a == b);
        }
    }
}
