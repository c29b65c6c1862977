//! RFC 5321 §4.1.2 and §4.1.3: domains and address literals, with the U-labels of RFC 6531 §3.3.
//!
//! ```text
//! Domain          = sub-domain *("." sub-domain)
//! sub-domain      = Let-dig [Ldh-str]            ; RFC 6531: =/ U-label
//! Ldh-str         = *( ALPHA / DIGIT / "-" ) Let-dig
//! address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
//!                         General-address-literal ) "]"
//! IPv4-address-literal    = Snum 3("."  Snum)
//! IPv6-address-literal    = "IPv6:" IPv6-addr
//! General-address-literal = Standardized-tag ":" 1*dcontent
//! Snum            = 1*3DIGIT                     ; 0 through 255
//! ```

use std::net::{Ipv4Addr, Ipv6Addr};

use super::chars::{is_dcontent, is_ldh, run_with_utf8};
use super::{PResult, fail};
use crate::domain::AddressLiteral;

/// `sub-domain = Let-dig [Ldh-str]` (RFC 5321 §4.1.2), or a U-label (RFC 6531 §3.3: UTF-8
/// characters stand where letters do).
pub(crate) fn sub_domain(input: &[u8]) -> PResult<'_, &[u8]> {
    if input.first() == Some(&b'-') {
        return fail(
            input,
            "sub-domain",
            "a sub-domain starts with a letter or digit, RFC 5321 §4.1.2",
        );
    }
    let i = run_with_utf8(input, is_ldh);
    // The last octet is a hyphen only if it ended an LDH run (a UTF-8 character ends in an
    // octet over 127).
    let last_hyphen = i > 0 && input.get(i - 1) == Some(&b'-');
    if i == 0 {
        return fail(
            input,
            "sub-domain",
            "expected a letter or digit, RFC 5321 §4.1.2",
        );
    }
    if last_hyphen {
        return fail(
            input.get(i - 1..).unwrap_or_default(),
            "Ldh-str",
            "a sub-domain ends with a letter or digit, RFC 5321 §4.1.2",
        );
    }
    let (s, rest) = input.split_at(i);
    Ok((rest, s))
}

/// `Domain = sub-domain *("." sub-domain)` (RFC 5321 §4.1.2): no empty label, no final dot.
#[inline]
pub(crate) fn domain(input: &[u8]) -> PResult<'_, &[u8]> {
    match ascii_domain(input) {
        Some(n) => {
            let (d, rest) = input.split_at(n);
            Ok((rest, d))
        }
        None => domain_by_labels(input),
    }
}

/// The common case of [`domain`] in one pass: ASCII labels of letters, digits and inner
/// hyphens joined by single dots. The length of the domain; `None` for anything else (a
/// U-label, an error), which [`domain_by_labels`] then reads label by label, so what is
/// accepted and every error stay exactly the grammar's.
#[inline]
fn ascii_domain(input: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        // One label: a run of letters, digits and hyphens (one table load per octet), which
        // neither starts nor ends with a hyphen and is not empty.
        let label = input.get(i..).unwrap_or_default();
        let run = label
            .iter()
            .position(|&b| !is_ldh(b))
            .unwrap_or(label.len());
        if run == 0 || label.first() == Some(&b'-') || label.get(run - 1) == Some(&b'-') {
            return None;
        }
        i += run;
        match input.get(i) {
            Some(b'.') => i += 1,
            // A U-label: read by the grammar.
            Some(&b) if b >= 0x80 => return None,
            _ => return Some(i),
        }
    }
}

/// [`domain`] one `sub-domain` at a time: U-labels, and the exact place and rule of an error.
fn domain_by_labels(input: &[u8]) -> PResult<'_, &[u8]> {
    let (mut rest, _) = sub_domain(input)?;
    while let [b'.', after @ ..] = rest {
        let (r, _) = sub_domain(after)?;
        rest = r;
    }
    let used = input.len() - rest.len();
    Ok((rest, input.get(..used).unwrap_or_default()))
}

/// `Snum = 1*3DIGIT` representing a decimal integer 0 through 255 (RFC 5321 §4.1.3).
fn snum(input: &[u8]) -> PResult<'_, u8> {
    let digits = input
        .iter()
        .take(4)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || digits > 3 {
        return fail(input, "Snum", "1 to 3 digits, RFC 5321 §4.1.3");
    }
    let (d, rest) = input.split_at(digits);
    let value = d.iter().fold(0u16, |v, b| v * 10 + u16::from(b - b'0'));
    match u8::try_from(value) {
        Ok(v) => Ok((rest, v)),
        Err(_) => fail(input, "Snum", "a number 0 through 255, RFC 5321 §4.1.3"),
    }
}

/// `IPv4-address-literal = Snum 3("." Snum)` (RFC 5321 §4.1.3).
pub(crate) fn ipv4_address_literal(input: &[u8]) -> PResult<'_, Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut rest = input;
    for (n, octet) in octets.iter_mut().enumerate() {
        if n > 0 {
            match rest {
                [b'.', r @ ..] => rest = r,
                _ => {
                    return fail(
                        rest,
                        "IPv4-address-literal",
                        "four numbers joined by dots, RFC 5321 §4.1.3",
                    );
                }
            }
        }
        let (r, v) = snum(rest)?;
        *octet = v;
        rest = r;
    }
    Ok((rest, Ipv4Addr::from(octets)))
}

/// `address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
/// General-address-literal ) "]"` (RFC 5321 §4.1.3). `IPv6-addr` is read by the standard
/// library's parser, which takes exactly the forms of RFC 4291 §2.2 that the ABNF spells out.
pub(crate) fn address_literal(input: &[u8]) -> PResult<'_, AddressLiteral> {
    let Some(inner) = input.strip_prefix(b"[") else {
        return fail(
            input,
            "address-literal",
            "an address literal starts with [, RFC 5321 §4.1.3",
        );
    };
    let Some(close) = inner.iter().position(|&b| b == b']') else {
        let end = inner
            .iter()
            .position(|&b| !is_dcontent(b))
            .unwrap_or(inner.len());
        return fail(
            inner.get(end..).unwrap_or_default(),
            "address-literal",
            "an address literal ends with ], RFC 5321 §4.1.3",
        );
    };
    // Every failure points into `inner` (a suffix of the line), so offsets stay right.
    let body = inner.get(..close).unwrap_or_default();
    let rest = inner.get(close + 1..).unwrap_or_default();
    if body
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"IPv6:"))
    {
        let v6 = body.get(5..).unwrap_or_default();
        return match std::str::from_utf8(v6)
            .ok()
            .and_then(|s| s.parse::<Ipv6Addr>().ok())
        {
            Some(a) => Ok((rest, AddressLiteral::Ipv6(a))),
            None => fail(
                inner.get(5..).unwrap_or_default(),
                "IPv6-addr",
                "not an IPv6 address, RFC 5321 §4.1.3",
            ),
        };
    }
    if body.first().is_some_and(u8::is_ascii_digit) && !body.contains(&b':') {
        let (r, a) = ipv4_address_literal(inner)?;
        return match r {
            [b']', ..] => Ok((rest, AddressLiteral::Ipv4(a))),
            _ => fail(
                r,
                "IPv4-address-literal",
                "four numbers joined by dots, RFC 5321 §4.1.3",
            ),
        };
    }
    let (_, (tag, content)) = general_address_literal(inner, close)?;
    Ok((
        rest,
        AddressLiteral::General {
            tag: String::from_utf8_lossy(tag).into_owned(),
            content: String::from_utf8_lossy(content).into_owned(),
        },
    ))
}

/// `General-address-literal = Standardized-tag ":" 1*dcontent` (RFC 5321 §4.1.3), over
/// `inner[..close]` (what stands between the brackets).
fn general_address_literal(inner: &[u8], close: usize) -> PResult<'_, (&[u8], &[u8])> {
    let body = inner.get(..close).unwrap_or_default();
    let tag_len = body.iter().take_while(|&&b| is_ldh(b)).count();
    let tag = body.get(..tag_len).unwrap_or_default();
    if tag.is_empty() || tag.last() == Some(&b'-') || tag.first() == Some(&b'-') {
        return fail(
            inner,
            "Standardized-tag",
            "a tag of letters, digits and inner hyphens, RFC 5321 §4.1.3",
        );
    }
    if body.get(tag_len) != Some(&b':') {
        return fail(
            inner.get(tag_len..).unwrap_or_default(),
            "General-address-literal",
            "\":\" after the tag, RFC 5321 §4.1.3",
        );
    }
    let content = body.get(tag_len + 1..).unwrap_or_default();
    if content.is_empty() {
        return fail(
            inner.get(tag_len + 1..).unwrap_or_default(),
            "dcontent",
            "an address after the tag, RFC 5321 §4.1.3",
        );
    }
    if let Some(bad) = content.iter().position(|&b| !is_dcontent(b)) {
        return fail(
            inner.get(tag_len + 1 + bad..).unwrap_or_default(),
            "dcontent",
            "printable ASCII except [ \\ ], RFC 5321 §4.1.3",
        );
    }
    Ok((&[], (tag, content)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn domains() {
        assert_eq!(
            domain(b"mail.example.com>").unwrap(),
            (&b">"[..], &b"mail.example.com"[..])
        );
        assert_eq!(domain(b"a").unwrap().1, b"a");
        assert_eq!(domain(b"x-1.y2").unwrap().1, b"x-1.y2");
        assert_eq!(
            domain("bücher.example".as_bytes()).unwrap().1,
            "bücher.example".as_bytes()
        );
        assert!(domain(b"-a.example").is_err());
        assert!(domain(b"a-.example").is_err());
        assert!(domain(b"a..b").is_err());
        assert!(domain(b"a.").is_err());
        assert!(domain(b".a").is_err());
        assert!(domain(b"").is_err());
        assert!(domain(b"\xc3.a").is_err());
        assert_eq!(domain(b"a_b").unwrap().0, b"_b");
    }

    proptest::proptest! {
        /// The one-pass ASCII reading and the label-by-label one agree on every input: same
        /// domain and rest, same error (place, production, rule).
        #[test]
        fn one_pass_is_the_grammar(s in "[a-c0-9.\\-]{0,12}[>_ .@\\-]?[a-z.\\-]{0,4}") {
            let b = s.as_bytes();
            proptest::prop_assert_eq!(domain(b), domain_by_labels(b));
        }

        #[test]
        fn one_pass_is_the_grammar_on_bytes(b in proptest::collection::vec(
            proptest::sample::select(&b"ab9-.>\xc3\xa9 _"[..]), 0..14)) {
            proptest::prop_assert_eq!(domain(&b), domain_by_labels(&b));
        }
    }

    #[test]
    fn address_literals() {
        assert_eq!(
            address_literal(b"[192.0.2.1]").unwrap().1,
            AddressLiteral::Ipv4(Ipv4Addr::new(192, 0, 2, 1))
        );
        assert_eq!(
            address_literal(b"[001.0.0.255]").unwrap().1,
            AddressLiteral::Ipv4(Ipv4Addr::new(1, 0, 0, 255))
        );
        assert_eq!(
            address_literal(b"[IPv6:2001:db8::1]>").unwrap(),
            (
                &b">"[..],
                AddressLiteral::Ipv6("2001:db8::1".parse().unwrap())
            )
        );
        assert_eq!(
            address_literal(b"[ipv6:::1]").unwrap().1,
            AddressLiteral::Ipv6(Ipv6Addr::LOCALHOST)
        );
        assert_eq!(
            address_literal(b"[x-tag:some.thing]").unwrap().1,
            AddressLiteral::General {
                tag: "x-tag".into(),
                content: "some.thing".into()
            }
        );
        assert!(address_literal(b"[256.0.0.1]").is_err());
        assert!(address_literal(b"[1.2.3]").is_err());
        assert!(address_literal(b"[1.2.3.4.5]").is_err());
        assert!(address_literal(b"[1.2.3.0004]").is_err());
        assert!(address_literal(b"[IPv6:1.2.3.4]").is_err());
        assert!(address_literal(b"[IPv6:]").is_err());
        assert!(address_literal(b"[1.2.3.4").is_err());
        assert!(address_literal(b"[tag:]").is_err());
        assert!(address_literal(b"[tag:a b]").is_err());
        assert!(address_literal(b"[-tag:a]").is_err());
        assert!(address_literal(b"[]").is_err());
        assert!(address_literal(b"1.2.3.4").is_err());
    }
}
