//! RFC 9112 §3: the request-line.
//!
//! ```text
//! request-line   = method SP request-target SP HTTP-version        ; §3
//! method         = token                                           ; §3.1
//! request-target = origin-form / absolute-form / authority-form / asterisk-form   ; §3.2
//! origin-form    = absolute-path [ "?" query ]                     ; §3.2.1
//! absolute-form  = absolute-URI                                    ; §3.2.2
//! authority-form = uri-host ":" port                               ; §3.2.3
//! asterisk-form  = "*"                                             ; §3.2.4
//! HTTP-version   = HTTP-name "/" DIGIT "." DIGIT                   ; §2.3
//! ```

use super::{PResult, fail, failure, incomplete};
use crate::chars::{is_target_char, is_unsafe_target_char, plain_target_run, tchar_run};

/// Which of the four forms of RFC 9112 §3.2 a request-target has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetForm {
    /// `/path?query` (§3.2.1), the usual one.
    Origin,
    /// `http://host/path` (§3.2.2), to proxies.
    Absolute,
    /// `host:port` (§3.2.3), CONNECT only.
    Authority,
    /// `*` (§3.2.4), OPTIONS only.
    Asterisk,
}

/// `method = token`, followed by its SP.
#[inline]
pub(crate) fn method(input: &[u8]) -> PResult<'_, &[u8]> {
    let len = tchar_run(input);
    match (len < input.len()).then_some(len) {
        None => incomplete(),
        Some(0) => fail(input, "method", "method must be a token, RFC 9112 §3.1"),
        Some(n) => {
            let (m, rest) = input.split_at(n);
            match rest.first() {
                Some(b' ') => Ok((rest.get(1..).unwrap_or_default(), m)),
                _ => fail(rest, "SP", "exactly one SP after the method, RFC 9112 §3"),
            }
        }
    }
}

/// `request-target`, followed by its SP, checked against the method: authority-form only for
/// CONNECT, asterisk-form only for OPTIONS (RFC 9112 §3.2.3, §3.2.4).
#[inline]
pub(crate) fn request_target<'a>(
    input: &'a [u8],
    method: &[u8],
    unsafe_chars: bool,
) -> PResult<'a, (&'a [u8], TargetForm)> {
    let is_connect = method == b"CONNECT";
    let form = match input.first() {
        None => return incomplete(),
        Some(b'/') if !is_connect => TargetForm::Origin,
        Some(b'*') if method == b"OPTIONS" => TargetForm::Asterisk,
        Some(b'*') => {
            return fail(
                input,
                "request-target",
                "asterisk-form is only for OPTIONS, RFC 9112 §3.2.4",
            );
        }
        Some(_) if is_connect => TargetForm::Authority,
        Some(b) if b.is_ascii_alphabetic() => TargetForm::Absolute,
        Some(_) => {
            return fail(
                input,
                "request-target",
                "request-target must be origin-form, absolute-form, authority-form or asterisk-form, RFC 9112 §3.2",
            );
        }
    };
    let end = match form {
        TargetForm::Asterisk => 1,
        TargetForm::Authority => authority_form(input)?,
        TargetForm::Origin | TargetForm::Absolute => uri_chars(input, form, unsafe_chars)?,
    };
    let (target, rest) = input.split_at(end.min(input.len()));
    match rest.first() {
        None => incomplete(),
        Some(b' ') => Ok((rest.get(1..).unwrap_or_default(), (target, form))),
        Some(_) => fail(
            rest,
            "request-target",
            "space or control character in request-target, RFC 9112 §3.2",
        ),
    }
}

/// The length of the origin-form or absolute-form target at the start of `input`: pchar, "/",
/// "?" and pct-encoded (RFC 3986 §2.1 `"%" HEXDIG HEXDIG`), ending at SP.
#[inline]
fn uri_chars(
    input: &[u8],
    form: TargetForm,
    unsafe_chars: bool,
) -> Result<usize, nom::Err<super::Fail<'_>>> {
    let mut i = 0;
    if form == TargetForm::Absolute {
        i = scheme(input)?;
    }
    loop {
        let rest = input.get(i..).unwrap_or_default();
        let n = plain_target_run(rest);
        if n == rest.len() {
            return Err(nom::Err::Incomplete(nom::Needed::Unknown));
        }
        i += n;
        let b = rest.get(n).copied().unwrap_or(b' ');
        if b == b' ' {
            return Ok(i);
        } else if b == b'%' {
            match (input.get(i + 1), input.get(i + 2)) {
                (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => i += 3,
                (None, _) => return Err(nom::Err::Incomplete(nom::Needed::Unknown)),
                (Some(h), None) if h.is_ascii_hexdigit() => {
                    return Err(nom::Err::Incomplete(nom::Needed::Unknown));
                }
                _ => {
                    return Err(failure(
                        input.get(i..).unwrap_or_default(),
                        "pct-encoded",
                        "'%' must be followed by two hex digits, RFC 3986 §2.1",
                    ));
                }
            }
        } else if (unsafe_chars && is_unsafe_target_char(b))
            || (form == TargetForm::Absolute && (b == b'[' || b == b']'))
        {
            i += 1;
        } else {
            return Err(failure(
                input.get(i..).unwrap_or_default(),
                "request-target",
                "character not allowed in a request-target, RFC 9112 §3.2 and RFC 3986 §3.3",
            ));
        }
    }
}

/// `scheme ":"` of an absolute-URI: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, RFC 3986
/// §3.1. Returns the length including the colon.
fn scheme(input: &[u8]) -> Result<usize, nom::Err<super::Fail<'_>>> {
    let mut i = 1;
    loop {
        match input.get(i) {
            None => return Err(nom::Err::Incomplete(nom::Needed::Unknown)),
            Some(b':') => return Ok(i + 1),
            Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') => i += 1,
            Some(_) => {
                return Err(failure(
                    input.get(i..).unwrap_or_default(),
                    "scheme",
                    "absolute-form must start with a URI scheme, RFC 3986 §3.1",
                ));
            }
        }
    }
}

/// `authority-form = uri-host ":" port` (RFC 9112 §3.2.3), with a port of 1 to 5 digits.
/// Returns its length.
fn authority_form(input: &[u8]) -> Result<usize, nom::Err<super::Fail<'_>>> {
    let host_len = uri_host(input)?;
    let rest = input.get(host_len..).unwrap_or_default();
    match rest.first() {
        None => return Err(nom::Err::Incomplete(nom::Needed::Unknown)),
        Some(b':') => {}
        Some(_) => {
            return Err(failure(
                rest,
                "authority-form",
                "CONNECT needs host:port, RFC 9112 §3.2.3",
            ));
        }
    }
    let digits = rest.get(1..).unwrap_or_default();
    let n = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == digits.len() {
        return Err(nom::Err::Incomplete(nom::Needed::Unknown));
    }
    if n == 0 || n > 5 || port_value(digits.get(..n).unwrap_or_default()) > 65535 {
        return Err(failure(
            digits,
            "port",
            "CONNECT needs a port of 1 to 65535, RFC 9112 §3.2.3",
        ));
    }
    Ok(host_len + 1 + n)
}

fn port_value(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0u32, |v, d| v * 10 + u32::from(d - b'0'))
}

/// `uri-host = IP-literal / IPv4address / reg-name` (RFC 3986 §3.2.2), loosely: an IP-literal is
/// `[` hex digits, `:` and `.` `]`; a reg-name is unreserved, pct-encoded and sub-delims. Used by
/// authority-form and by the Host field. Returns its length (the host ends at the first byte
/// that cannot continue it).
pub(crate) fn uri_host(input: &[u8]) -> Result<usize, nom::Err<super::Fail<'_>>> {
    if input.first() == Some(&b'[') {
        let mut i = 1;
        loop {
            match input.get(i) {
                None => return Err(nom::Err::Incomplete(nom::Needed::Unknown)),
                Some(b']') if i > 1 => return Ok(i + 1),
                Some(b) if b.is_ascii_hexdigit() || *b == b':' || *b == b'.' => i += 1,
                Some(_) => {
                    return Err(failure(
                        input.get(i..).unwrap_or_default(),
                        "IP-literal",
                        "bad IP-literal, RFC 3986 §3.2.2",
                    ));
                }
            }
        }
    }
    let n = input
        .iter()
        .take_while(|&&b| is_target_char(b) && !matches!(b, b':' | b'@' | b'/' | b'?'))
        .count();
    if n == 0 {
        return match input.first() {
            None => Err(nom::Err::Incomplete(nom::Needed::Unknown)),
            Some(_) => Err(failure(
                input,
                "uri-host",
                "empty or invalid host, RFC 3986 §3.2.2",
            )),
        };
    }
    Ok(n)
}

/// `HTTP-version = "HTTP/" DIGIT "." DIGIT` (RFC 9112 §2.3): the two digits.
#[inline]
pub(crate) fn http_version(input: &[u8]) -> PResult<'_, (u8, u8)> {
    match input {
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor, rest @ ..]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            Ok((rest, (major - b'0', minor - b'0')))
        }
        _ if input.len() < 8 && version_prefix(input) => incomplete(),
        _ => fail(
            input,
            "HTTP-version",
            "expected HTTP/DIGIT.DIGIT, RFC 9112 §2.3",
        ),
    }
}

/// Whether `input` (shorter than 8 bytes) could still become an HTTP-version.
fn version_prefix(input: &[u8]) -> bool {
    input.iter().enumerate().all(|(i, &b)| match i {
        0..=4 => b == b"HTTP/".get(i).copied().unwrap_or(0),
        5 | 7 => b.is_ascii_digit(),
        _ => b == b'.',
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(t: &[u8], m: &[u8]) -> Result<(&'static [u8], TargetForm), String> {
        let mut v = t.to_vec();
        v.push(b' ');
        let leaked: &'static [u8] = Box::leak(v.into_boxed_slice());
        match request_target(leaked, m, false) {
            Ok((_, (t, f))) => Ok((t, f)),
            Err(nom::Err::Error(f)) => Err(f.reason.to_string()),
            Err(e) => Err(format!("{e:?}")),
        }
    }

    #[test]
    fn method_is_a_token_then_one_space() {
        assert_eq!(method(b"GET / ").unwrap().1, b"GET");
        assert!(method(b"GET  /").unwrap().0.starts_with(b" "));
        assert!(method(b"G(T /").is_err());
        assert!(matches!(method(b"GE"), Err(nom::Err::Incomplete(_))));
        assert!(method(b" GET /").is_err());
    }

    #[test]
    fn four_forms_checked_against_the_method() {
        assert_eq!(target(b"/a?b=c%20d", b"GET").unwrap().1, TargetForm::Origin);
        assert_eq!(
            target(b"http://h:80/x", b"GET").unwrap().1,
            TargetForm::Absolute
        );
        assert_eq!(
            target(b"http://[::1]:80/x", b"GET").unwrap().1,
            TargetForm::Absolute
        );
        assert_eq!(
            target(b"h.example:443", b"CONNECT").unwrap().1,
            TargetForm::Authority
        );
        assert_eq!(
            target(b"[::1]:443", b"CONNECT").unwrap().1,
            TargetForm::Authority
        );
        assert_eq!(target(b"*", b"OPTIONS").unwrap().1, TargetForm::Asterisk);
        assert!(target(b"*", b"GET").is_err());
        assert!(target(b"/x", b"CONNECT").is_err());
        assert!(target(b"h.example", b"CONNECT").is_err());
        assert!(target(b"h.example:99999", b"CONNECT").is_err());
        assert!(target(b"h.example:", b"CONNECT").is_err());
    }

    #[test]
    fn target_characters_are_rfc_3986() {
        assert!(target(b"/a%2", b"GET").is_err());
        assert!(target(b"/a%zz", b"GET").is_err());
        assert!(target(b"/a#frag", b"GET").is_err());
        assert!(target(b"/a\"b", b"GET").is_err());
        assert!(target(b"/a{b}", b"GET").is_err());
        assert!(target(b"/a\x7fb", b"GET").is_err());
        assert!(target(b"/a\x80b", b"GET").is_err());
        assert!(target(b"/a\tb", b"GET").is_err());
        assert!(target(b"/[x]", b"GET").is_err());
        let lenient = request_target(b"/a|b ", b"GET", true);
        assert_eq!(lenient.unwrap().1.0, b"/a|b");
    }

    #[test]
    fn version_digits_and_prefixes() {
        assert_eq!(http_version(b"HTTP/1.1\r\n").unwrap().1, (1, 1));
        assert_eq!(http_version(b"HTTP/2.0\r\n").unwrap().1, (2, 0));
        assert!(matches!(
            http_version(b"HTTP/1"),
            Err(nom::Err::Incomplete(_))
        ));
        assert!(matches!(http_version(b"HTTP/1.10"), Ok((b"0", (1, 1)))));
        assert!(http_version(b"HTTP/1,1").is_err());
        assert!(http_version(b"http/1.1").is_err());
        assert!(http_version(b"HTTX").is_err());
    }
}
