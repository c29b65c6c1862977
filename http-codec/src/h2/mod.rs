//! HTTP/2 (RFC 9113), growing by slices: the frame layer ([`frame`]) and its errors ([`Error`],
//! [`ErrorCode`], [`Scope`]), and HPACK ([`hpack`], RFC 7541, usable on its own) so far; the
//! sans-IO connection comes next.

pub mod error;
pub mod frame;
pub mod hpack;

pub use error::{Error, ErrorCode, Scope};
