//! The Cookie request header, RFC 6265 §4.2.1.
//!
//! ```text
//! cookie-header = "Cookie:" OWS cookie-string OWS
//! cookie-string = cookie-pair *( ";" SP cookie-pair )
//! cookie-pair   = cookie-name "=" cookie-value                       ; RFC 6265 §4.1.1
//! cookie-name   = token
//! cookie-value  = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )
//! cookie-octet  = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
//! ```
//!
//! Strict: pairs are separated by exactly `"; "`, as a user agent following RFC 6265 §5.4 sends
//! them; no trailing `;`, no empty pairs.

use std::fmt;

use super::rules::token;
use super::{TypedError, syntax};

/// `cookie-octet`, RFC 6265 §4.1.1: US-ASCII visible characters except DQUOTE, comma, semicolon
/// and backslash.
pub(crate) fn is_cookie_octet(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// One `cookie-pair` (RFC 6265 §4.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookiePair {
    /// `cookie-name`, a token; case-sensitive (RFC 6265 §5.3 compares names exactly).
    pub name: String,
    /// `cookie-value` without its surrounding DQUOTEs, if it had them.
    pub value: String,
    /// Whether the value was sent in DQUOTEs. RFC 6265 gives the quotes no meaning, but
    /// applications differ on whether they are part of the value, so they are written back as
    /// they came.
    pub quoted: bool,
}

/// A Cookie field value (RFC 6265 §4.2.1): the pairs in order, duplicates kept (RFC 6265 §5.4
/// sends cookies with the same name for different paths, longest path first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie {
    /// The cookie pairs, in field order.
    pub pairs: Vec<CookiePair>,
}

/// Reads a `cookie-pair` starting at `start`; returns it and the position after it. Shared with
/// Set-Cookie, whose name=value part is the same production.
pub(crate) fn cookie_pair(input: &[u8], start: usize) -> Result<(CookiePair, usize), TypedError> {
    let name_end = token(
        input,
        start,
        "cookie-name",
        "cookie-name is a token, RFC 6265 §4.1.1",
    )?;
    if input.get(name_end) != Some(&b'=') {
        return Err(syntax(
            "cookie-pair",
            name_end,
            "expected \"=\" right after cookie-name, RFC 6265 §4.1.1",
        ));
    }
    let mut pos = name_end + 1;
    let quoted = input.get(pos) == Some(&b'"');
    if quoted {
        pos += 1;
    }
    let value_start = pos;
    while input.get(pos).is_some_and(|&b| is_cookie_octet(b)) {
        pos += 1;
    }
    let value_end = pos;
    if quoted {
        if input.get(pos) != Some(&b'"') {
            return Err(syntax(
                "cookie-value",
                pos,
                "a quoted cookie-value is cookie-octets and a closing DQUOTE, RFC 6265 §4.1.1",
            ));
        }
        pos += 1;
    }
    // Tokens and cookie-octets are ASCII, so this is lossless.
    let text = |a: usize, b: usize| {
        String::from_utf8_lossy(input.get(a..b).unwrap_or_default()).into_owned()
    };
    let pair = CookiePair {
        name: text(start, name_end),
        value: text(value_start, value_end),
        quoted,
    };
    Ok((pair, pos))
}

impl CookiePair {
    fn write(&self, s: &mut String) {
        s.push_str(&self.name);
        s.push('=');
        if self.quoted {
            s.push('"');
        }
        s.push_str(&self.value);
        if self.quoted {
            s.push('"');
        }
    }
}

impl Cookie {
    /// Decodes a Cookie field value (RFC 6265 §4.2.1): one or more pairs.
    pub fn decode(value: &[u8]) -> Result<Self, TypedError> {
        let mut pairs = Vec::new();
        let mut pos = 0;
        loop {
            let (pair, end) = cookie_pair(value, pos)?;
            pairs.push(pair);
            match value.get(end..end + 2) {
                _ if end == value.len() => return Ok(Cookie { pairs }),
                Some(b"; ") => pos = end + 2,
                _ => {
                    return Err(syntax(
                        "cookie-string",
                        end,
                        "cookie-pairs are separated by \";\" SP, RFC 6265 §4.2.1",
                    ));
                }
            }
        }
    }

    /// Appends the pairs separated by `"; "` (RFC 6265 §4.2.1).
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.to_string().as_bytes());
    }

    /// The value of the first cookie with this name (case-sensitive), unquoted.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.as_str())
    }
}

impl fmt::Display for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        for (i, p) in self.pairs.iter().enumerate() {
            if i > 0 {
                s.push_str("; ");
            }
            p.write(&mut s);
        }
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(name: &str, value: &str, quoted: bool) -> CookiePair {
        CookiePair {
            name: name.into(),
            value: value.into(),
            quoted,
        }
    }

    fn err_offset(s: &str) -> usize {
        match Cookie::decode(s.as_bytes()) {
            Err(TypedError::Syntax { offset, .. }) => offset,
            other => panic!("{s:?}: {other:?}"),
        }
    }

    #[test]
    fn rfc_6265_example() {
        // RFC 6265 §3.1.
        let c = Cookie::decode(b"SID=31d4d96e407aad42; lang=en-US").unwrap();
        assert_eq!(
            c.pairs,
            [
                pair("SID", "31d4d96e407aad42", false),
                pair("lang", "en-US", false)
            ]
        );
        assert_eq!(c.get("lang"), Some("en-US"));
        assert_eq!(c.get("LANG"), None);
        assert_eq!(c.to_string(), "SID=31d4d96e407aad42; lang=en-US");
    }

    #[test]
    fn values_empty_quoted_and_every_octet_class() {
        let c = Cookie::decode(b"a=; b=\"\"; c=\"x\"; d=!#+-:<[]~").unwrap();
        assert_eq!(
            c.pairs,
            [
                pair("a", "", false),
                pair("b", "", true),
                pair("c", "x", true),
                pair("d", "!#+-:<[]~", false)
            ]
        );
        assert_eq!(c.to_string(), "a=; b=\"\"; c=\"x\"; d=!#+-:<[]~");
        assert_eq!(c.get("c"), Some("x"));
    }

    #[test]
    fn duplicates_kept() {
        let c = Cookie::decode(b"a=1; a=2").unwrap();
        assert_eq!(c.pairs.len(), 2);
        assert_eq!(c.get("a"), Some("1"));
    }

    #[test]
    fn invalid() {
        assert_eq!(err_offset(""), 0);
        assert_eq!(err_offset("a"), 1);
        assert_eq!(err_offset("=b"), 0);
        assert_eq!(err_offset("a=b;c=d"), 3);
        assert_eq!(err_offset("a=b;  c=d"), 5);
        assert_eq!(err_offset("a=b; "), 5);
        assert_eq!(err_offset("a=b;"), 3);
        assert_eq!(err_offset("a=b c"), 3);
        assert_eq!(err_offset("a=b,c"), 3);
        assert_eq!(err_offset("a=b\\c"), 3);
        assert_eq!(err_offset("a = b"), 1);
        assert_eq!(err_offset("a=\"b"), 4);
        assert_eq!(err_offset("a=\"b\"c"), 5);
        assert_eq!(err_offset("a=b\"c\""), 3);
        assert_eq!(err_offset("a=\u{e9}"), 2);
        assert_eq!(err_offset("a(=b"), 1);
    }
}
