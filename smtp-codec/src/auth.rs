//! SMTP AUTH (RFC 4954): the mechanism name, the initial response of the AUTH command, the
//! client's answers to 334 challenges, and the base64 (RFC 4648 §4) they travel in.
//!
//! ```text
//! auth-command     = "AUTH" SP sasl-mech [SP initial-response] CRLF    ; RFC 4954 §4
//! initial-response = base64 / "="
//! sasl-mech        = 1*20mech-char                                      ; RFC 4422 §3.1
//! mech-char        = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
//! ```

use std::fmt;

use crate::error::Error;
use crate::parse::found_at;
use crate::text::Text;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Whether `text` is padded base64 (RFC 4648 §4); the index of the first bad byte if not. The
/// empty string is base64 of nothing.
pub(crate) fn check_base64(text: &[u8]) -> Result<(), usize> {
    let pad = text.iter().rev().take_while(|&&b| b == b'=').count();
    let body_len = text.len() - pad;
    if let Some(i) = text
        .iter()
        .take(body_len)
        .position(|b| !ALPHABET.contains(b))
    {
        return Err(i);
    }
    if pad > 2 {
        return Err(body_len);
    }
    if text.len() % 4 != 0 {
        return Err(text.len());
    }
    Ok(())
}

/// Decodes checked base64.
pub(crate) fn base64_decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in text {
        let Some(v) = ALPHABET.iter().position(|&a| a == c) else {
            break;
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// Encodes `raw` as padded base64.
pub(crate) fn base64_encode(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len().div_ceil(3) * 4);
    for chunk in raw.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let idx = ((n >> (18 - 6 * i)) & 63) as usize;
                out.push(char::from(ALPHABET.get(idx).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Whether `name` is `sasl-mech = 1*20mech-char` (RFC 4422 §3.1, lower case accepted); the
/// index of the first bad byte if not.
pub(crate) fn check_mechanism(name: &[u8]) -> Result<(), usize> {
    let bad = name
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    match bad {
        None if !name.is_empty() && name.len() <= 20 => Ok(()),
        _ => Err(bad.unwrap_or(name.len().min(20))),
    }
}

/// Whether `text` is `initial-response = base64 / "="` (RFC 4954 §4); the index of the first
/// bad byte if not.
pub(crate) fn check_initial_response(text: &[u8]) -> Result<(), usize> {
    if text == b"=" {
        return Ok(());
    }
    if text.is_empty() {
        return Err(0);
    }
    check_base64(text)
}

fn base64_error(text: &[u8], at: usize, production: &'static str) -> Error {
    Error::Syntax {
        offset: at as u64,
        production,
        found: found_at(text, at),
        reason: "padded base64, RFC 4954 §4, RFC 4648 §4",
    }
}

/// A SASL mechanism name, `1*20mech-char` (RFC 4422 §3.1), kept as sent (lower case accepted),
/// in place (20 octets at most: no allocation per mechanism of an EHLO reply).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mechanism(Text);

impl Mechanism {
    /// `name` checked: 1 to 20 letters, digits, hyphens, underscores.
    pub fn new(name: &str) -> Result<Mechanism, Error> {
        let b = name.as_bytes();
        match check_mechanism(b) {
            Ok(()) => Ok(Mechanism(Text::from(name))),
            Err(at) => Err(Error::Syntax {
                offset: at as u64,
                production: "sasl-mech",
                found: found_at(b, at),
                reason: "1 to 20 letters, digits, - and _, RFC 4422 §3.1",
            }),
        }
    }

    /// A name the parser has checked with [`check_mechanism`].
    pub(crate) fn checked(name: &str) -> Mechanism {
        Mechanism(Text::from(name))
    }

    /// The name as sent.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Whether it is `name`, compared case-insensitively.
    pub fn is(&self, name: &str) -> bool {
        self.0.as_bytes().eq_ignore_ascii_case(name.as_bytes())
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// The initial response of an AUTH command, `base64 / "="` (RFC 4954 §4), kept as sent: `=`
/// stands for an empty response.
///
/// ```
/// use smtp_codec::InitialResponse;
/// let r = InitialResponse::new("AGFsaWNlAHNlY3JldA==")?;
/// assert_eq!(r.decode(), b"\0alice\0secret");
/// assert_eq!(InitialResponse::encode(b"").as_str(), "=");
/// assert!(InitialResponse::new("not base64!").is_err());
/// # Ok::<(), smtp_codec::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InitialResponse(String);

impl InitialResponse {
    /// `text` checked as `base64 / "="`.
    pub fn new(text: &str) -> Result<InitialResponse, Error> {
        let b = text.as_bytes();
        check_initial_response(b).map_err(|at| base64_error(b, at, "initial-response"))?;
        Ok(InitialResponse(text.to_owned()))
    }

    /// A response the parser has checked with [`check_initial_response`].
    pub(crate) fn checked(text: &str) -> InitialResponse {
        InitialResponse(text.to_owned())
    }

    /// `raw` encoded (`=` when empty).
    pub fn encode(raw: &[u8]) -> InitialResponse {
        if raw.is_empty() {
            InitialResponse("=".into())
        } else {
            InitialResponse(base64_encode(raw))
        }
    }

    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The bytes it stands for.
    pub fn decode(&self) -> Vec<u8> {
        base64_decode(self.0.as_bytes())
    }
}

/// A client's line in answer to a 334 challenge (RFC 4954 §4): base64 (possibly empty), or `*`
/// to cancel the exchange. Decoded with [`crate::CommandDecoder::decode_auth_response`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthResponse {
    /// The base64 text as sent.
    Data(String),
    /// `*`: the client cancels (the server answers 501).
    Cancel,
}

impl AuthResponse {
    /// The response carrying `raw`.
    pub fn encode(raw: &[u8]) -> AuthResponse {
        AuthResponse::Data(base64_encode(raw))
    }

    /// A line's content checked: `*` or base64.
    pub fn decode(line: &[u8]) -> Result<AuthResponse, Error> {
        if line == b"*" {
            return Ok(AuthResponse::Cancel);
        }
        check_base64(line).map_err(|at| base64_error(line, at, "auth-response"))?;
        Ok(AuthResponse::Data(
            String::from_utf8_lossy(line).into_owned(),
        ))
    }

    /// The bytes it stands for (`None` for a cancel).
    pub fn data(&self) -> Option<Vec<u8>> {
        match self {
            AuthResponse::Data(t) => Some(base64_decode(t.as_bytes())),
            AuthResponse::Cancel => None,
        }
    }

    /// The line's content as written (refused if a hand-built `Data` is not base64).
    pub(crate) fn line(&self) -> Result<&[u8], Error> {
        match self {
            AuthResponse::Cancel => Ok(b"*"),
            AuthResponse::Data(t) => {
                check_base64(t.as_bytes()).map_err(|_| Error::Local {
                    reason: "an AUTH response that is not base64",
                })?;
                Ok(t.as_bytes())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn base64_rules() {
        for raw in [&b""[..], b"a", b"ab", b"abc", b"abcd", b"\0\xff\x10"] {
            let e = base64_encode(raw);
            assert_eq!(check_base64(e.as_bytes()), Ok(()));
            assert_eq!(base64_decode(e.as_bytes()), raw);
        }
        assert_eq!(base64_encode(b"\0alice\0secret"), "AGFsaWNlAHNlY3JldA==");
        assert_eq!(check_base64(b"abc"), Err(3));
        assert_eq!(check_base64(b"ab=c"), Err(2));
        assert_eq!(check_base64(b"a==="), Err(1));
        assert_eq!(check_base64(b"ab c"), Err(2));
    }

    #[test]
    fn mechanisms_and_responses() {
        assert!(Mechanism::new("SCRAM-SHA-256").is_ok());
        assert!(Mechanism::new("plain").unwrap().is("PLAIN"));
        assert!(Mechanism::new("").is_err());
        assert!(Mechanism::new("A23456789012345678901").is_err());
        assert!(Mechanism::new("PL AIN").is_err());
        assert_eq!(InitialResponse::new("=").unwrap().decode(), b"");
        assert!(InitialResponse::new("").is_err());
        assert!(InitialResponse::new("==").is_err());
        assert_eq!(AuthResponse::decode(b"*").unwrap(), AuthResponse::Cancel);
        assert_eq!(AuthResponse::decode(b"").unwrap().data().unwrap(), b"");
        assert!(AuthResponse::decode(b"**").is_err());
        assert!(AuthResponse::decode(b"dGVzdA").is_err());
    }
}
