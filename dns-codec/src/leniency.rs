//! The named relaxations of the strict decoder (RFC 1035, RFC 3597), shaped as http-codec's:
//! each flag's documentation names the rule it relaxes and what it re-opens.
//!
//! One flag is on by default, because the RFC asks for it: RFC 3597 §4 says a receiver SHOULD
//! decompress the names inside SRV and NAPTR rdata, which old servers compressed against their
//! own RFCs (the encoder never compresses them). [`Leniency::strict`] turns it off too.

/// Relaxations of the decoder's rules.
///
/// ```
/// use dns_codec::Leniency;
/// assert!(Leniency::default().compressed_srv_naptr_names());     // RFC 3597 §4 SHOULD
/// assert!(!Leniency::strict().compressed_srv_naptr_names());
/// let lenient = Leniency::from_names(["allow_trailing_bytes"]).unwrap();
/// assert!(lenient.trailing_bytes() && lenient.compressed_srv_naptr_names());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leniency {
    compressed_srv_naptr_names: bool,
    trailing_bytes: bool,
}

/// Every flag's name, as [`Leniency::from_names`] and `wire --lenient` accept them.
pub const LENIENCY_FLAGS: &[&str] = &["allow_compressed_srv_naptr_names", "allow_trailing_bytes"];

impl Default for Leniency {
    /// What the RFCs ask of a receiver: compressed names in SRV and NAPTR rdata followed
    /// (RFC 3597 §4), nothing else relaxed.
    fn default() -> Self {
        Leniency {
            compressed_srv_naptr_names: true,
            trailing_bytes: false,
        }
    }
}

impl Leniency {
    /// Nothing relaxed, not even what RFC 3597 §4 recommends: every name in the rdata of a type
    /// newer than RFC 1035 must be uncompressed.
    pub fn strict() -> Self {
        Leniency {
            compressed_srv_naptr_names: false,
            trailing_bytes: false,
        }
    }

    /// The default with the flags named (see [`LENIENCY_FLAGS`]) turned on; an unknown name is
    /// returned as the error.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, &'a str> {
        let mut l = Leniency::default();
        for name in names {
            match name {
                "allow_compressed_srv_naptr_names" => l.compressed_srv_naptr_names = true,
                "allow_trailing_bytes" => l.trailing_bytes = true,
                other => return Err(other),
            }
        }
        Ok(l)
    }

    /// Follow compression pointers in the SRV target (RFC 2782) and the NAPTR replacement
    /// (RFC 3403), as RFC 3597 §4 says receivers SHOULD; on by default. Re-opens nothing
    /// known: the pointers are bounded like every other (loops, forward pointers and the
    /// per-message budget are still refused). Off, such a pointer is [`crate::Error::BadRdata`].
    pub fn allow_compressed_srv_naptr_names(mut self, on: bool) -> Self {
        self.compressed_srv_naptr_names = on;
        self
    }

    /// Accept bytes after the last record the header counts, and ignore them (RFC 1035 §4.1
    /// gives a message no room for them). Re-opens: data hidden past the counted records, read
    /// by parsers that take the counts loosely and not by others (a differential that cache
    /// poisoning and filter evasion use).
    pub fn allow_trailing_bytes(mut self, on: bool) -> Self {
        self.trailing_bytes = on;
        self
    }

    /// Whether SRV and NAPTR names may be compressed.
    pub fn compressed_srv_naptr_names(&self) -> bool {
        self.compressed_srv_naptr_names
    }

    /// Whether bytes after the last record are ignored.
    pub fn trailing_bytes(&self) -> bool {
        self.trailing_bytes
    }
}
