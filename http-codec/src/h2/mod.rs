//! HTTP/2 (RFC 9113), growing by slices: the frame layer ([`frame`]) and its errors ([`Error`],
//! [`ErrorCode`], [`Scope`]) so far; HPACK (RFC 7541) and the sans-IO connection come next.

pub mod error;
pub mod frame;

pub use error::{Error, ErrorCode, Scope};
