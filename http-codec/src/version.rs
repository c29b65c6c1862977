//! `HTTP-version = HTTP-name "/" DIGIT "." DIGIT`, RFC 9112 §2.3.

use std::fmt;

/// An HTTP/1 version. The major version is always 1 (others are refused with
/// [`crate::Error::UnsupportedVersion`]); a minor version above 1 is kept as received and
/// treated as HTTP/1.1, as RFC 9110 §6.2 asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    minor: u8,
}

impl Version {
    /// HTTP/1.0 (RFC 1945).
    pub const HTTP_10: Version = Version { minor: 0 };
    /// HTTP/1.1 (RFC 9112).
    pub const HTTP_11: Version = Version { minor: 1 };

    /// HTTP/1.`minor`; `minor` is a single digit.
    pub fn http1(minor: u8) -> Option<Version> {
        (minor <= 9).then_some(Version { minor })
    }

    /// The minor version digit.
    pub fn minor(self) -> u8 {
        self.minor
    }

    /// Whether this version has HTTP/1.1's rules (persistent connections, chunked coding, Host
    /// required): 1.1 and any later 1.x (RFC 9110 §6.2).
    pub fn is_http11(self) -> bool {
        self.minor >= 1
    }

    /// The eight bytes on the wire, `HTTP/1.x`.
    pub fn as_bytes(self) -> [u8; 8] {
        let mut v = *b"HTTP/1.0";
        v[7] = b'0' + self.minor;
        v
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP/1.{}", self.minor)
    }
}
