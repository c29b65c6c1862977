//! The SASL pieces of AUTH (RFC 5034 §4, RFC 4422): mechanism names, the initial response and
//! the lines exchanged after a `+` challenge, each in padded base64 (RFC 4648 §4).
//!
//! ```text
//! auth-command   = "AUTH" SP sasl-mech [SP initial-response] CRLF
//! initial-response = base64 / "="          ; "=" is an empty response
//! continue-req   = "+" SP [base64] CRLF     ; the server's challenge
//! auth-response  = base64 / "*"             ; "*" cancels
//! ```

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::error::{Error, Found};

/// Whether `text` is padded base64; the error points at the first byte that is not.
pub(crate) fn check_base64(text: &[u8], production: &'static str) -> Result<(), Error> {
    let at = match STANDARD.decode(text) {
        Ok(_) => return Ok(()),
        Err(
            base64::DecodeError::InvalidByte(at, _)
            | base64::DecodeError::InvalidLastSymbol { offset: at, .. },
        ) => at,
        Err(base64::DecodeError::InvalidLength(len)) => len,
        // A wrong padding, or a variant a later base64 adds: the first `=`, or the end.
        Err(_) => text.iter().position(|&b| b == b'=').unwrap_or(text.len()),
    };
    Err(Error::Syntax {
        offset: at as u64,
        production,
        found: Found::first_of(text.get(at..).unwrap_or_default()),
        reason: "padded base64, RFC 5034 §4, RFC 4648 §4",
    })
}

/// Decodes checked base64.
pub(crate) fn base64_decode(text: &[u8]) -> Vec<u8> {
    STANDARD.decode(text).unwrap_or_default()
}

/// Encodes `raw` as padded base64.
pub(crate) fn base64_encode(raw: &[u8]) -> String {
    STANDARD.encode(raw)
}

/// A SASL mechanism name, `1*20mech-char` (RFC 4422 §3.1), kept as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mechanism(String);

impl Mechanism {
    /// `name` checked: 1 to 20 upper- or lower-case letters, digits, `-` and `_`.
    pub fn new(name: &str) -> Result<Mechanism, Error> {
        let b = name.as_bytes();
        let bad = b
            .iter()
            .position(|&c| !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_'))
            .or((b.is_empty() || b.len() > 20).then_some(b.len().min(20)));
        match bad {
            None => Ok(Mechanism(name.to_owned())),
            Some(at) => Err(Error::Syntax {
                offset: at as u64,
                production: "sasl-mech",
                found: Found::first_of(b.get(at..).unwrap_or_default()),
                reason: "1 to 20 letters, digits, - and _, RFC 4422 §3.1",
            }),
        }
    }

    /// The name as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it is `name`, compared case-insensitively.
    pub fn is(&self, name: &str) -> bool {
        self.0.eq_ignore_ascii_case(name)
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The initial response of AUTH, `base64 / "="` (RFC 5034 §4), kept as sent.
///
/// ```
/// use pop3_codec::InitialResponse;
/// let r = InitialResponse::new("AGFsaWNlAHNlY3JldA==")?;
/// assert_eq!(r.decode(), b"\0alice\0secret");
/// assert_eq!(InitialResponse::encode(b"").as_str(), "=");
/// assert!(InitialResponse::new("not base64!").is_err());
/// # Ok::<(), pop3_codec::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InitialResponse(String);

impl InitialResponse {
    /// `text` checked as `base64 / "="`.
    pub fn new(text: &str) -> Result<InitialResponse, Error> {
        if text == "=" {
            return Ok(InitialResponse(text.to_owned()));
        }
        if text.is_empty() {
            return Err(Error::Syntax {
                offset: 0,
                production: "initial-response",
                found: Found::End,
                reason: "base64, or = for an empty response, RFC 5034 §4",
            });
        }
        check_base64(text.as_bytes(), "initial-response")?;
        Ok(InitialResponse(text.to_owned()))
    }

    /// `raw` encoded (`=` when empty).
    pub fn encode(raw: &[u8]) -> InitialResponse {
        match raw.is_empty() {
            true => InitialResponse("=".into()),
            false => InitialResponse(base64_encode(raw)),
        }
    }

    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The bytes it stands for.
    pub fn decode(&self) -> Vec<u8> {
        match self.0.as_str() {
            "=" => Vec::new(),
            t => base64_decode(t.as_bytes()),
        }
    }
}

/// A client's line after a `+` challenge (RFC 5034 §4): base64, or `*` to cancel.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthResponse {
    /// The base64 text as sent.
    Data(String),
    /// `*`: the client cancels (the server answers `-ERR`).
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
        check_base64(line, "auth-response")?;
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
    pub fn line(&self) -> Result<&str, Error> {
        match self {
            AuthResponse::Cancel => Ok("*"),
            AuthResponse::Data(t) => {
                check_base64(t.as_bytes(), "auth-response").map_err(|_| Error::Local {
                    reason: "an AUTH response that is not base64",
                })?;
                Ok(t)
            }
        }
    }
}

/// The authorization identity, user name and password of a SASL PLAIN message (RFC 4616 §2:
/// `[authzid] NUL authcid NUL passwd`), `None` if it is not one (or not UTF-8).
///
/// ```
/// assert_eq!(
///     pop3_codec::sasl_plain(b"\0alice\0secret"),
///     Some((String::new(), "alice".to_owned(), "secret".to_owned()))
/// );
/// assert_eq!(pop3_codec::sasl_plain(b"alice\0secret"), None);
/// ```
pub fn sasl_plain(message: &[u8]) -> Option<(String, String, String)> {
    let mut parts = message.split(|&b| b == 0);
    let (authzid, user, password) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || user.is_empty() {
        return None;
    }
    let text = |b: &[u8]| std::str::from_utf8(b).ok().map(str::to_owned);
    Some((text(authzid)?, text(user)?, text(password)?))
}

/// The SASL PLAIN message for `user` and `password` (RFC 4616 §2), no authorization identity.
pub fn sasl_plain_message(user: &str, password: &str) -> Vec<u8> {
    format!("\0{user}\0{password}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_rules() {
        assert!(check_base64(b"", "x").is_ok());
        assert!(check_base64(b"dGVzdA==", "x").is_ok());
        assert!(matches!(
            check_base64(b"abc", "x"),
            Err(Error::Syntax { offset: 3, .. })
        ));
        assert!(matches!(
            check_base64(b"ab c", "x"),
            Err(Error::Syntax { offset: 2, .. })
        ));
        assert!(check_base64(b"dGVzdA", "x").is_err());
        assert_eq!(AuthResponse::decode(b"*").unwrap(), AuthResponse::Cancel);
        assert_eq!(AuthResponse::decode(b"").unwrap().data().unwrap(), b"");
        assert!(Mechanism::new("SCRAM-SHA-256").is_ok());
        assert!(Mechanism::new("").is_err());
        assert!(Mechanism::new("A23456789012345678901").is_err());
        assert_eq!(InitialResponse::new("=").unwrap().decode(), b"");
    }
}
