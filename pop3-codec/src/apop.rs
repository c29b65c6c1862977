//! APOP (RFC 1939 §7): the digest is the MD5 of the greeting's timestamp followed by the shared
//! secret, sent as 32 lower-case hex digits. MD5 is broken for collisions, and APOP keeps the
//! secret in the clear on the server: use it only where the server offers nothing better (RFC
//! 1939 §13; prefer AUTH over TLS).

use md5::{Digest, Md5};

/// The APOP digest of `timestamp` (with its angle brackets, as [`crate::Response::timestamp`]
/// gives it) and `secret`.
///
/// ```
/// // The example of RFC 1939 §7.
/// let digest = pop3_codec::apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf");
/// let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
/// assert_eq!(hex, "c4c9334bac560ecc979e58001b3e22fb");
/// ```
pub fn apop_digest(timestamp: &str, secret: &str) -> [u8; 16] {
    let mut md5 = Md5::new();
    md5.update(timestamp.as_bytes());
    md5.update(secret.as_bytes());
    md5.finalize().into()
}
