//! RFC 5321 §4.1.2 parameters, with the value grammars of the extensions (RFC 1870, 3461, 4954,
//! 6152, 6531, 6710, 8689).
//!
//! ```text
//! Mail-parameters = esmtp-param *(SP esmtp-param)
//! Rcpt-parameters = esmtp-param *(SP esmtp-param)
//! esmtp-param     = esmtp-keyword ["=" esmtp-value]
//! esmtp-keyword   = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
//! esmtp-value     = 1*(%d33-60 / %d62-126)       ; RFC 6531: =/ UTF8-non-ascii
//! xtext           = *( xchar / hexchar )         ; RFC 3461 §4
//! xchar           = %d33-42 / %d44-60 / %d62-126 ; any CHAR between "!" and "~" but + and =
//! hexchar         = "+" 2(%x30-39 / %x41-46)     ; upper-case hex
//! ```

use std::collections::HashSet;

use super::chars::{is_esmtp_value_char, is_ldh, is_let_dig, run_with_utf8, value_ascii_run};
use super::{PResult, fail};
use crate::param::{ParamSink, ParameterRef};

/// `esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")` (RFC 5321 §4.1.2).
pub(crate) fn esmtp_keyword(input: &[u8]) -> PResult<'_, &[u8]> {
    if !input.first().copied().is_some_and(is_let_dig) {
        return fail(
            input,
            "esmtp-keyword",
            "a parameter starts with a letter or digit, RFC 5321 §4.1.2",
        );
    }
    let n = input.iter().take_while(|&&b| is_ldh(b)).count();
    let (k, rest) = input.split_at(n);
    Ok((rest, k))
}

/// `esmtp-value = 1*(%d33-60 / %d62-126)` (RFC 5321 §4.1.2), UTF-8 characters included
/// (RFC 6531 §3.3).
#[inline(always)]
pub(crate) fn esmtp_value(input: &[u8]) -> PResult<'_, &[u8]> {
    // The ASCII run eight octets at a time; only a value holding UTF-8 is read again by
    // the octet-wise rule (which gives the same run up to its first UTF-8 octet).
    let i = value_ascii_run(input, false);
    let i = if input.get(i).is_some_and(|&b| b >= 0x80) {
        run_with_utf8(input, is_esmtp_value_char)
    } else {
        i
    };
    if i == 0 {
        return fail(
            input,
            "esmtp-value",
            "a value after \"=\" is not empty, RFC 5321 §4.1.2",
        );
    }
    let (v, rest) = input.split_at(i);
    Ok((rest, v))
}

/// Whether `value` is `xtext` (RFC 3461 §4); the index of the first bad byte if not.
pub(crate) fn xtext(value: &[u8]) -> Result<(), usize> {
    // The first run of xchar eight octets at a time (most values have no `+` at all).
    let mut i = value_ascii_run(value, true);
    loop {
        // A run of xchar at a time, then what ends it.
        let rest = value.get(i..).unwrap_or_default();
        i += rest
            .iter()
            .position(|&b| !matches!(b, 33..=42 | 44..=60 | 62..=126))
            .unwrap_or(rest.len());
        let Some(&b) = value.get(i) else {
            return Ok(());
        };
        match b {
            b'+' => {
                let hex = |j: usize| {
                    value
                        .get(j)
                        .is_some_and(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(c))
                };
                if !hex(i + 1) {
                    return Err(i + 1);
                }
                if !hex(i + 2) {
                    return Err(i + 2);
                }
                i += 3;
            }
            _ => return Err(i),
        }
    }
}

/// `esmtp-param = esmtp-keyword ["=" esmtp-value]` (RFC 5321 §4.1.2), typed. Inlined into
/// both forms of [`parameters`] (measured: called, it costs about 50 instructions a parameter).
#[inline(always)]
pub(crate) fn esmtp_param(input: &[u8], mail: bool) -> PResult<'_, ParameterRef<'_>> {
    let (rest, keyword) = esmtp_keyword(input)?;
    let (rest, value) = match rest {
        [b'=', after @ ..] => {
            let (r, v) = esmtp_value(after)?;
            (r, Some((after, v)))
        }
        _ => (rest, None),
    };
    match ParameterRef::typed(keyword, value, mail) {
        Ok(p) => Ok((rest, p)),
        Err((at, production, reason)) => fail(at.unwrap_or(input), production, reason),
    }
}

/// `Mail-parameters` / `Rcpt-parameters = esmtp-param *(SP esmtp-param)` (RFC 5321 §4.1.2):
/// one SP between parameters, none after the last, no keyword twice (RFC 1869 §6: "a given
/// parameter keyword MUST NOT appear more than once"). Into `P`: in place for
/// [`crate::CommandRef`], owned for [`crate::Command`].
pub(crate) fn parameters<'a, P: ParamSink<'a>>(input: &'a [u8], mail: bool) -> PResult<'a, P> {
    let mut out = P::with_room();
    let mut count = 0;
    // A typed keyword is repeated exactly when its bit is set (an unknown keyword never spells
    // a typed one). Unknown keywords are compared with the unknown ones before them: in place
    // up to LINEAR parameters (every real command), past that (a line limit raised far above
    // RFC 5321's 512) in a set, to stay linear.
    const LINEAR: usize = 16;
    let mut typed_seen: u16 = 0;
    let mut seen: Option<HashSet<String>> = None;
    let mut rest = input;
    loop {
        let start = rest;
        let (r, p) = esmtp_param(rest, mail)?;
        let bit = p.typed_bit();
        let twice = match p.other_keyword() {
            None => {
                let twice = typed_seen & bit != 0;
                typed_seen |= bit;
                twice
            }
            Some(keyword) => match &mut seen {
                Some(set) => !set.insert(keyword.to_ascii_uppercase()),
                None => {
                    let twice = out.has_other(keyword);
                    if !twice && count >= LINEAR {
                        let mut set = out.others_upper();
                        set.insert(keyword.to_ascii_uppercase());
                        seen = Some(set);
                    }
                    twice
                }
            },
        };
        if twice {
            return fail(
                start,
                "esmtp-param",
                "a parameter appears twice, RFC 1869 §6",
            );
        }
        out.put(p);
        count += 1;
        match r {
            [] => return Ok((r, out)),
            [b' ', after @ ..] => rest = after,
            _ => {
                return fail(
                    r,
                    "esmtp-param",
                    "parameters are separated by one SP, RFC 5321 §4.1.2",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keywords_and_values() {
        assert_eq!(
            esmtp_keyword(b"MT-PRIORITY=1").unwrap(),
            (&b"=1"[..], &b"MT-PRIORITY"[..])
        );
        assert!(esmtp_keyword(b"-X").is_err());
        assert!(esmtp_keyword(b"").is_err());
        assert_eq!(esmtp_value(b"a<b> c").unwrap(), (&b" c"[..], &b"a<b>"[..]));
        assert!(esmtp_value(b"=x").is_err());
        assert!(esmtp_value(b"").is_err());
        assert!(esmtp_value(b"\0").is_err());
    }

    #[test]
    fn xtext_values() {
        assert_eq!(xtext(b"abc+2Bdef"), Ok(()));
        assert_eq!(xtext(b""), Ok(()));
        assert_eq!(xtext(b"a+2b"), Err(3));
        assert_eq!(xtext(b"a+"), Err(2));
        assert_eq!(xtext(b"a=b"), Err(1));
        assert_eq!(xtext(b"a b"), Err(1));
    }

    #[test]
    fn parameter_lists() {
        let (_, p): (_, crate::param::ParamsRef<'_>) =
            parameters(b"SIZE=10 BODY=8BITMIME X-Y", true).unwrap();
        assert_eq!(p.len(), 3);
        assert!(parameters::<Vec<crate::Parameter>>(b"SIZE=10 size=11", true).is_err());
        assert!(parameters::<Vec<crate::Parameter>>(b"SIZE=10  BODY=7BIT", true).is_err());
        assert!(parameters::<Vec<crate::Parameter>>(b"SIZE=10 ", true).is_err());
        assert!(parameters::<Vec<crate::Parameter>>(b"SIZE", true).is_err());
        assert!(parameters::<Vec<crate::Parameter>>(b"SIZE=", true).is_err());
        assert!(parameters::<Vec<crate::Parameter>>(b"NOTIFY=NEVER", true).is_err());
        assert!(parameters::<Vec<crate::Parameter>>(b"SIZE=1", false).is_err());
        assert!(parameters::<Vec<crate::Parameter>>(b"X=1 x=2", false).is_err());
    }
}
