//! Typed header fields: parsers and serializers for the fields users reach for first.
//!
//! Every type here has the same two verbs: `decode(value: &[u8])`, which takes one field value
//! with its surrounding OWS already removed (RFC 9110 §5.5) and is strict by default, and
//! `encode(&self, dst: &mut Vec<u8>)`, which appends the canonical form. Where the value is text,
//! `Display` writes the same bytes as `encode`.
//!
//! | module | field | RFC |
//! |---|---|---|
//! | [`date`] | Date, Last-Modified, If-Modified-Since, Expires | RFC 9110 §5.6.7 |
//! | [`media_type`] | Content-Type | RFC 9110 §8.3.1, RFC 2046 §5.1.1 |
//! | [`cache_control`] | Cache-Control | RFC 9111 §5.2 |
//! | [`percent`] | percent-encoded request-target components | RFC 3986 §2.1 |
//! | [`form_urlencoded`] | `application/x-www-form-urlencoded` bodies and queries | WHATWG URL §5 |
//! | [`cookie`] | Cookie | RFC 6265 §4.2.1 |
//! | [`set_cookie`] | Set-Cookie | RFC 6265 §4.1.1, §5.2 |
//! | [`host`] | Host | RFC 9110 §7.2, RFC 9112 §3.2 |
//! | [`content_length`] | Content-Length | RFC 9110 §8.6 |
//! | [`transfer_encoding`] | Transfer-Encoding | RFC 9112 §6.1 |
//! | [`connection`] | Connection | RFC 9110 §7.6.1 |
//! | [`list`] | the `#element` list syntax the others share | RFC 9110 §5.6.1 |

pub mod cache_control;
pub mod connection;
pub mod content_length;
pub mod cookie;
pub mod date;
pub mod form_urlencoded;
pub mod host;
pub mod list;
pub mod media_type;
pub mod percent;
mod rules;
pub mod set_cookie;
pub mod transfer_encoding;

pub use cache_control::{CacheControl, Directive};
pub use connection::Connection;
pub use content_length::ContentLength;
pub use cookie::{Cookie, CookiePair};
pub use date::{HttpDate, Weekday};
pub use host::Host;
pub use media_type::MediaType;
pub use set_cookie::{SameSite, SetCookie};
pub use transfer_encoding::TransferEncoding;

/// Why a typed field value was refused.
///
/// Offsets count from the first byte of the value given to `decode`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TypedError {
    /// A byte the grammar does not allow at this place, or the value ended too early.
    #[error("invalid {what} at byte {offset} ({reason})")]
    Syntax {
        /// The production that failed (`IMF-fixdate`, `parameter`, `cookie-octet`, ...).
        what: &'static str,
        /// Byte offset of the offending byte (the value's length if it ended too early).
        offset: usize,
        /// What rule it breaks, with its RFC section.
        reason: &'static str,
    },
    /// Well-formed, but a number is outside its range (a 31st of April, an hour 24, a date
    /// before the Unix epoch).
    #[error("{what} out of range at byte {offset} ({reason})")]
    Range {
        /// The production whose value is out of range.
        what: &'static str,
        /// Byte offset where that production starts.
        offset: usize,
        /// The range, with its RFC section.
        reason: &'static str,
    },
    /// Something the value needs is not there (a multipart Content-Type without a boundary).
    #[error("missing {what} ({reason})")]
    Missing {
        /// What is missing.
        what: &'static str,
        /// Why it is required, with its RFC section.
        reason: &'static str,
    },
}

/// Shorthand for a [`TypedError::Syntax`].
pub(crate) fn syntax(what: &'static str, offset: usize, reason: &'static str) -> TypedError {
    TypedError::Syntax {
        what,
        offset,
        reason,
    }
}
