//! The Set-Cookie response header, RFC 6265 §4.1.1 (what a server generates) and §5.2 (how a
//! user agent reads the attributes), with SameSite from RFC 6265bis §4.1.2.7.
//!
//! ```text
//! set-cookie-string = cookie-pair *( ";" SP cookie-av )
//! cookie-av         = expires-av / max-age-av / domain-av / path-av / secure-av
//!                   / httponly-av / samesite-av / extension-av
//! expires-av        = "Expires=" sane-cookie-date
//! max-age-av        = "Max-Age=" non-zero-digit *DIGIT
//! domain-av         = "Domain=" domain-value
//! path-av           = "Path=" path-value
//! secure-av         = "Secure"
//! httponly-av       = "HttpOnly"
//! samesite-av       = "SameSite=" ( "Strict" / "Lax" / "None" )       ; RFC 6265bis
//! extension-av      = <any CHAR except CTLs or ";">
//! ```
//!
//! The name=value pair follows the §4.1.1 grammar exactly (see [`super::cookie`]). Attributes
//! are read as §5.2 reads them: split on `;`, WSP trimmed around names and values, names
//! case-insensitive, the last of a duplicated attribute wins (§5.3 step 3 uses the last). Where
//! §5.2 says "ignore the attribute" this decoder is strict and refuses the value instead, so a
//! server's mistake is seen rather than silently dropped:
//!
//! - Expires must be a `sane-cookie-date` (RFC 6265 §4.1.1: rfc1123-date, which is IMF-fixdate),
//!   not anything the lenient cookie-date algorithm of §5.1.1 would accept
//!   (`Wed, 09-Jun-2021 10:18:14 GMT` is refused);
//! - Max-Age must be `-`? DIGIT+ (§5.2.2); a leading zero is accepted there, a sign is kept;
//! - Domain must not be empty (§5.2.3);
//! - Secure and HttpOnly take no value; SameSite is `Strict`, `Lax` or `None`, any case;
//! - an attribute value may not hold CTLs or non-ASCII bytes (§4.1.1 `extension-av`);
//! - empty attributes (`a=b;;Secure`, a trailing `;`) are refused.

use std::fmt;

use super::cookie::cookie_pair;
use super::date::HttpDate;
use super::{TypedError, syntax};

/// The SameSite attribute (RFC 6265bis §4.1.2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SameSite {
    /// `Strict`: sent on same-site requests only.
    Strict,
    /// `Lax`: also sent on top-level cross-site navigations with a safe method.
    Lax,
    /// `None`: sent on cross-site requests too (RFC 6265bis requires Secure with it).
    None,
}

impl SameSite {
    /// The attribute value as RFC 6265bis §4.1.1 spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

/// A Set-Cookie field value (RFC 6265 §4.1.1).
///
/// [`encode`](Self::encode) writes the attributes in one canonical order: Expires, Max-Age,
/// Domain, Path, Secure, HttpOnly, SameSite, then the unknown ones in their order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    /// `cookie-name`, a token.
    pub name: String,
    /// `cookie-value` without its surrounding DQUOTEs, if it had them.
    pub value: String,
    /// Whether the value was sent in DQUOTEs (written back the same way).
    pub quoted: bool,
    /// Expires (RFC 6265 §5.2.1).
    pub expires: Option<HttpDate>,
    /// Max-Age in seconds (RFC 6265 §5.2.2); zero or negative means "expire now". Saturates at
    /// the bounds of `i64`. Takes precedence over Expires (RFC 6265 §5.3 step 3).
    pub max_age: Option<i64>,
    /// Domain, without the leading `.` that RFC 6265 §5.2.3 says to drop; case as received.
    pub domain: Option<String>,
    /// Path (RFC 6265 §5.2.4), as received; a value that is empty or does not start with `/`
    /// means the default-path, which is for the cookie store to work out.
    pub path: Option<String>,
    /// Secure (RFC 6265 §5.2.5).
    pub secure: bool,
    /// HttpOnly (RFC 6265 §5.2.6).
    pub http_only: bool,
    /// SameSite (RFC 6265bis §5.6.7).
    pub same_site: Option<SameSite>,
    /// Attributes this codec does not know (`extension-av`, RFC 6265 §4.1.1), as (name, value
    /// after `=` if any), WSP-trimmed, in order.
    pub extensions: Vec<(String, Option<String>)>,
}

/// Bytes allowed in an attribute: `<any CHAR except CTLs or ";">` (RFC 6265 §4.1.1).
fn is_av_octet(b: u8) -> bool {
    (0x20..0x7F).contains(&b) && b != b';'
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `bytes[from..to]` without leading and trailing WSP, as offsets.
fn trim(bytes: &[u8], mut from: usize, mut to: usize) -> (usize, usize) {
    while from < to && bytes.get(from).is_some_and(|&b| is_wsp(b)) {
        from += 1;
    }
    while to > from && bytes.get(to - 1).is_some_and(|&b| is_wsp(b)) {
        to -= 1;
    }
    (from, to)
}

impl SetCookie {
    /// A cookie with just a name and a value, no attributes.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        SetCookie {
            name: name.into(),
            value: value.into(),
            quoted: false,
            expires: None,
            max_age: None,
            domain: None,
            path: None,
            secure: false,
            http_only: false,
            same_site: None,
            extensions: Vec::new(),
        }
    }

    /// Decodes a Set-Cookie field value (RFC 6265 §4.1.1, attributes per §5.2).
    pub fn decode(value: &[u8]) -> Result<Self, TypedError> {
        let (pair, mut pos) = cookie_pair(value, 0)?;
        let mut cookie = SetCookie::new(pair.name, pair.value);
        cookie.quoted = pair.quoted;
        while pos < value.len() {
            if value.get(pos) != Some(&b';') {
                return Err(syntax(
                    "set-cookie-string",
                    pos,
                    "expected \";\" after the cookie-pair, RFC 6265 §4.1.1",
                ));
            }
            let start = pos + 1;
            let end = value
                .get(start..)
                .and_then(|rest| rest.iter().position(|&b| b == b';'))
                .map_or(value.len(), |i| start + i);
            cookie.attribute(value, start, end)?;
            pos = end;
        }
        Ok(cookie)
    }

    /// Reads the cookie-av in `value[start..end]` (RFC 6265 §5.2 steps for one attribute).
    fn attribute(&mut self, value: &[u8], start: usize, end: usize) -> Result<(), TypedError> {
        if let Some(i) = value
            .get(start..end)
            .and_then(|av| av.iter().position(|&b| !is_av_octet(b) && b != b'\t'))
        {
            return Err(syntax(
                "cookie-av",
                start + i,
                "an attribute is any CHAR except CTLs or \";\", RFC 6265 §4.1.1",
            ));
        }
        let eq = value
            .get(start..end)
            .and_then(|av| av.iter().position(|&b| b == b'='))
            .map(|i| start + i);
        let (name_from, name_to) = trim(value, start, eq.unwrap_or(end));
        if name_from == name_to {
            return Err(syntax(
                "cookie-av",
                name_from,
                "empty attribute name, RFC 6265 §4.1.1",
            ));
        }
        let (val_from, val_to) = eq.map_or((end, end), |e| trim(value, e + 1, end));
        // Checked above: printable ASCII, so lossless.
        let text = |a: usize, b: usize| {
            String::from_utf8_lossy(value.get(a..b).unwrap_or_default()).into_owned()
        };
        let name = text(name_from, name_to);
        let val = value.get(val_from..val_to).unwrap_or_default();
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        let no_value = |what| -> Result<(), TypedError> {
            match eq {
                Some(e) => Err(syntax(
                    what,
                    e,
                    "this attribute takes no value, RFC 6265 §4.1.1",
                )),
                None => Ok(()),
            }
        };
        let need_value = |what| -> Result<(), TypedError> {
            match eq {
                Some(_) => Ok(()),
                None => Err(syntax(
                    what,
                    name_to,
                    "expected \"=\" and a value, RFC 6265 §4.1.1",
                )),
            }
        };
        if is("Expires") {
            need_value("expires-av")?;
            let date = HttpDate::decode_imf_fixdate(val).map_err(|e| match e {
                TypedError::Syntax {
                    what,
                    offset,
                    reason,
                } => syntax(what, val_from + offset, reason),
                TypedError::Range {
                    what,
                    offset,
                    reason,
                } => TypedError::Range {
                    what,
                    offset: val_from + offset,
                    reason,
                },
                other => other,
            })?;
            self.expires = Some(date);
        } else if is("Max-Age") {
            need_value("max-age-av")?;
            self.max_age = Some(max_age(val).ok_or(syntax(
                "max-age-av",
                val_from,
                "Max-Age is an optional \"-\" and 1*DIGIT, RFC 6265 §5.2.2",
            ))?);
        } else if is("Domain") {
            need_value("domain-av")?;
            let v = val.strip_prefix(b".").unwrap_or(val);
            if v.is_empty() {
                return Err(syntax(
                    "domain-av",
                    val_from,
                    "empty Domain, RFC 6265 §5.2.3",
                ));
            }
            self.domain = Some(text(val_to - v.len(), val_to));
        } else if is("Path") {
            need_value("path-av")?;
            self.path = Some(text(val_from, val_to));
        } else if is("Secure") {
            no_value("secure-av")?;
            self.secure = true;
        } else if is("HttpOnly") {
            no_value("httponly-av")?;
            self.http_only = true;
        } else if is("SameSite") {
            need_value("samesite-av")?;
            let same_site = [SameSite::Strict, SameSite::Lax, SameSite::None]
                .into_iter()
                .find(|s| val.eq_ignore_ascii_case(s.as_str().as_bytes()))
                .ok_or(syntax(
                    "samesite-av",
                    val_from,
                    "SameSite is Strict, Lax or None, RFC 6265bis §4.1.1",
                ))?;
            self.same_site = Some(same_site);
        } else {
            self.extensions
                .push((name, eq.map(|_| text(val_from, val_to))));
        }
        Ok(())
    }

    /// Appends the canonical form: `name=value` then the attributes in the order the type's
    /// documentation gives, each after `"; "` (RFC 6265 §4.1.1).
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.to_string().as_bytes());
    }
}

/// `-`? DIGIT+, saturating (RFC 6265 §5.2.2).
fn max_age(v: &[u8]) -> Option<i64> {
    let (negative, digits) = match v.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, v),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut n: i64 = 0;
    for &d in digits {
        let d = i64::from(d - b'0');
        n = n.saturating_mul(10);
        n = if negative {
            n.saturating_sub(d)
        } else {
            n.saturating_add(d)
        };
    }
    Some(n)
}

impl fmt::Display for SetCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = if self.quoted { "\"" } else { "" };
        write!(f, "{}={q}{}{q}", self.name, self.value)?;
        if let Some(date) = &self.expires {
            write!(f, "; Expires={date}")?;
        }
        if let Some(secs) = self.max_age {
            write!(f, "; Max-Age={secs}")?;
        }
        if let Some(domain) = &self.domain {
            // Decoding trims WSP, then drops one leading "." (RFC 6265 §5.2, §5.2.3): a domain
            // that starts with a "." or WSP (from "Domain=..x", "Domain=. x") needs that dot
            // written back, or it would not decode the same.
            let dot = if domain.starts_with(['.', ' ', '\t']) {
                "."
            } else {
                ""
            };
            write!(f, "; Domain={dot}{domain}")?;
        }
        if let Some(path) = &self.path {
            write!(f, "; Path={path}")?;
        }
        if self.secure {
            f.write_str("; Secure")?;
        }
        if self.http_only {
            f.write_str("; HttpOnly")?;
        }
        if let Some(s) = self.same_site {
            write!(f, "; SameSite={}", s.as_str())?;
        }
        for (name, value) in &self.extensions {
            write!(f, "; {name}")?;
            if let Some(v) = value {
                write!(f, "={v}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sc(s: &str) -> SetCookie {
        SetCookie::decode(s.as_bytes()).unwrap()
    }

    fn err_offset(s: &str) -> usize {
        match SetCookie::decode(s.as_bytes()) {
            Err(TypedError::Syntax { offset, .. } | TypedError::Range { offset, .. }) => offset,
            other => panic!("{s:?}: {other:?}"),
        }
    }

    #[test]
    fn rfc_6265_examples() {
        // RFC 6265 §3.1.
        let c = sc("SID=31d4d96e407aad42");
        assert_eq!(c, SetCookie::new("SID", "31d4d96e407aad42"));

        let c = sc("SID=31d4d96e407aad42; Path=/; Domain=example.com");
        assert_eq!(c.path.as_deref(), Some("/"));
        assert_eq!(c.domain.as_deref(), Some("example.com"));
        assert_eq!(
            c.to_string(),
            "SID=31d4d96e407aad42; Domain=example.com; Path=/"
        );

        let c = sc("SID=31d4d96e407aad42; Path=/; Secure; HttpOnly");
        assert!(c.secure && c.http_only);
        assert_eq!(
            c.to_string(),
            "SID=31d4d96e407aad42; Path=/; Secure; HttpOnly"
        );

        let c = sc("lang=en-US; Path=/; Domain=example.com");
        assert_eq!(c.name, "lang");

        let c = sc("lang=en-US; Expires=Wed, 09 Jun 2021 10:18:14 GMT");
        assert_eq!(
            c.expires,
            Some(HttpDate::new(2021, 6, 9, 10, 18, 14).unwrap())
        );
        assert_eq!(
            c.to_string(),
            "lang=en-US; Expires=Wed, 09 Jun 2021 10:18:14 GMT"
        );

        let c = sc("lang=; Expires=Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(c.value, "");
        assert_eq!(c.expires.unwrap().unix_seconds(), 784_111_777);
    }

    #[test]
    fn a_domain_left_with_a_leading_dot_roundtrips() {
        // Found by the http1_typed fuzz target: "..com" decodes to ".com", which was written
        // as "Domain=.com" and decoded again to "com"; ". x" to " x", written "Domain= x".
        let c = sc("a=b; Domain=..com");
        assert_eq!(c.domain.as_deref(), Some(".com"));
        assert_eq!(c.to_string(), "a=b; Domain=..com");
        assert_eq!(sc(&c.to_string()), c);
        let c = sc("a=b; Domain=. x");
        assert_eq!(c.domain.as_deref(), Some(" x"));
        assert_eq!(c.to_string(), "a=b; Domain=. x");
        assert_eq!(sc(&c.to_string()), c);
    }

    #[test]
    fn attributes_case_insensitive_and_trimmed() {
        let c = sc("a=b;secure ; HTTPONLY;  max-age = 60 ;sameSite=lax;DOMAIN=.Example.COM");
        assert!(c.secure && c.http_only);
        assert_eq!(c.max_age, Some(60));
        assert_eq!(c.same_site, Some(SameSite::Lax));
        assert_eq!(c.domain.as_deref(), Some("Example.COM"));
        assert_eq!(
            c.to_string(),
            "a=b; Max-Age=60; Domain=Example.COM; Secure; HttpOnly; SameSite=Lax"
        );
    }

    #[test]
    fn max_age_forms() {
        assert_eq!(sc("a=b; Max-Age=0").max_age, Some(0));
        assert_eq!(sc("a=b; Max-Age=-1").max_age, Some(-1));
        assert_eq!(sc("a=b; Max-Age=007").max_age, Some(7));
        assert_eq!(
            sc("a=b; Max-Age=99999999999999999999").max_age,
            Some(i64::MAX)
        );
        assert_eq!(
            sc("a=b; Max-Age=-99999999999999999999").max_age,
            Some(i64::MIN)
        );
        assert_eq!(err_offset("a=b; Max-Age=1s"), 13);
        assert_eq!(err_offset("a=b; Max-Age=-"), 13);
        assert_eq!(err_offset("a=b; Max-Age=+1"), 13);
        assert_eq!(err_offset("a=b; Max-Age="), 13);
        assert_eq!(err_offset("a=b; Max-Age"), 12);
    }

    #[test]
    fn last_duplicate_wins_and_extensions_kept() {
        let c = sc("a=b; Path=/x; Partitioned; Path=/y; Priority=High; x=");
        assert_eq!(c.path.as_deref(), Some("/y"));
        assert_eq!(
            c.extensions,
            [
                ("Partitioned".to_string(), None),
                ("Priority".to_string(), Some("High".to_string())),
                ("x".to_string(), Some(String::new()))
            ]
        );
        assert_eq!(
            c.to_string(),
            "a=b; Path=/y; Partitioned; Priority=High; x="
        );
    }

    #[test]
    fn same_site_values() {
        assert_eq!(sc("a=b; SameSite=Strict").same_site, Some(SameSite::Strict));
        assert_eq!(
            sc("a=b; SameSite=NONE; Secure").same_site,
            Some(SameSite::None)
        );
        assert_eq!(err_offset("a=b; SameSite=Sometimes"), 14);
        assert_eq!(err_offset("a=b; SameSite"), 13);
    }

    #[test]
    fn quoted_value_and_empty_path() {
        let c = sc("a=\"x y\"".replace(' ', "").as_str());
        assert!(c.quoted);
        assert_eq!(c.value, "xy");
        assert_eq!(c.to_string(), "a=\"xy\"");
        assert_eq!(sc("a=b; Path=").path.as_deref(), Some(""));
    }

    #[test]
    fn strict_expires() {
        assert_eq!(err_offset("a=b; Expires=Wed, 09-Jun-2021 10:18:14 GMT"), 20);
        assert_eq!(
            err_offset("a=b; Expires=Wednesday, 09-Jun-21 10:18:14 GMT"),
            16
        );
        assert_eq!(err_offset("a=b; Expires=Thu, 09 Jun 2021 10:18:14 GMT"), 13);
        assert_eq!(err_offset("a=b; Expires=Wed, 31 Jun 2021 10:18:14 GMT"), 18);
        assert_eq!(err_offset("a=b; Expires"), 12);
    }

    #[test]
    fn invalid() {
        assert_eq!(err_offset(""), 0);
        assert_eq!(err_offset("a"), 1);
        assert_eq!(err_offset("a=b c"), 3);
        assert_eq!(err_offset("a=b;"), 4);
        assert_eq!(err_offset("a=b; ; Secure"), 5);
        assert_eq!(err_offset("a=b; =x"), 5);
        assert_eq!(err_offset("a=b; Secure=yes"), 11);
        assert_eq!(err_offset("a=b; HttpOnly="), 13);
        assert_eq!(err_offset("a=b; Domain="), 12);
        assert_eq!(err_offset("a=b; Domain=."), 12);
        assert_eq!(err_offset("a=b; Path=/\x01"), 11);
        assert_eq!(err_offset("a=b; Path=/\u{e9}"), 11);
    }
}
