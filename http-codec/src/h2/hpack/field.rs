//! A header field as HPACK sees it (RFC 7541 §1.3): a name and a value, both arbitrary octets,
//! and whether it travels as a never-indexed literal (§6.2.3).

use bytes::Bytes;

/// One header field: a name and a value kept byte for byte, and the never-indexed mark
/// (RFC 7541 §1.3, §6.2.3).
///
/// HPACK does not check HTTP semantics (lowercase names, pseudo-header order, forbidden
/// characters: RFC 9113 §8.2 does, at the next layer), so any octets are carried exactly.
///
/// `sensitive` is set on a decoded field that arrived as a literal never indexed, and an
/// [`Encoder`](super::Encoder) always sends a field with `sensitive` set that way, so a proxy
/// that decodes and re-encodes keeps the protection RFC 7541 §7.1.3 asks intermediaries to keep.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct HeaderField {
    /// The field name (RFC 7541 §1.3: any octets).
    pub name: Bytes,
    /// The field value (RFC 7541 §1.3: any octets).
    pub value: Bytes,
    /// Never indexed: a literal that no encoder may add to a dynamic table (RFC 7541 §6.2.3).
    pub sensitive: bool,
}

/// The per-entry overhead of RFC 7541 §4.1, also used for the header list size of
/// RFC 9113 §6.5.2 (SETTINGS_MAX_HEADER_LIST_SIZE).
pub const ENTRY_OVERHEAD: usize = 32;

impl HeaderField {
    /// A field that may be indexed (RFC 7541 §6.2.1).
    pub fn new(name: impl Into<Bytes>, value: impl Into<Bytes>) -> HeaderField {
        HeaderField {
            name: name.into(),
            value: value.into(),
            sensitive: false,
        }
    }

    /// A field marked never indexed (RFC 7541 §6.2.3, §7.1.3): for values such as credentials
    /// that must not be exposed to compression-based attacks.
    pub fn sensitive(name: impl Into<Bytes>, value: impl Into<Bytes>) -> HeaderField {
        HeaderField {
            name: name.into(),
            value: value.into(),
            sensitive: true,
        }
    }

    /// Its size: name length + value length + 32 (RFC 7541 §4.1, RFC 9113 §6.5.2).
    pub fn size(&self) -> usize {
        entry_size(&self.name, &self.value)
    }
}

/// The size of an entry `name: value` (RFC 7541 §4.1).
pub(crate) fn entry_size(name: &[u8], value: &[u8]) -> usize {
    name.len()
        .saturating_add(value.len())
        .saturating_add(ENTRY_OVERHEAD)
}

/// Any name and value octets and any mark: HPACK carries them all (feature `arbitrary`).
#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for HeaderField {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let name: Vec<u8> = u.arbitrary()?;
        let value: Vec<u8> = u.arbitrary()?;
        Ok(HeaderField {
            name: name.into(),
            value: value.into(),
            sensitive: u.arbitrary()?,
        })
    }
}
