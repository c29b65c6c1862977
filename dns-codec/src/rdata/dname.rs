//! DNAME rdata (RFC 6672 §2.1): one domain name, the target of a redirection of a whole subtree.
//!
//! ```text
//! /                    TARGET                     /
//! ```
//!
//! RFC 6672 §2.5 forbids compressing the target, and RFC 3597 §4 forbids decompressing it: a
//! compression pointer in DNAME rdata is refused with [`crate::Error::BadRdata`].

use crate::cursor::Cursor;
use crate::error::Error;
use crate::name::Name;
use crate::rtype::RType;

/// Reads the target, refusing compression (RFC 6672 §2.5).
pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Name, Error> {
    super::fields::uncompressed_name(c, RType::DNAME)
}

#[cfg(test)]
mod tests {
    use crate::class::Class;
    use crate::error::Error;
    use crate::rdata::RData;
    use crate::rtype::RType;

    #[test]
    fn target_roundtrips_and_pointers_are_refused() {
        // RFC 6672 §3.1: example.com. DNAME example.net.
        let data = RData::from_presentation(RType::DNAME, Class::IN, "example.net.").unwrap();
        assert_eq!(data.to_string(), "example.net.");
        assert_eq!(
            RData::from_wire(RType::DNAME, Class::IN, b"\x07example\x03net\x00"),
            Ok(data)
        );
        assert_eq!(
            RData::from_wire(RType::DNAME, Class::IN, b"\x01a\xc0\x00"),
            Err(Error::BadRdata {
                offset: 2,
                rtype: RType::DNAME,
                reason: "compression pointer in a name of a type RFC 3597 §4 forbids to compress"
            })
        );
        assert!(RData::from_presentation(RType::DNAME, Class::IN, "").is_err());
        assert!(RData::from_presentation(RType::DNAME, Class::IN, "a. b.").is_err());
    }
}
