//! RFC 9112 §7.1: the line that starts a chunk.
//!
//! ```text
//! chunk          = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//! chunk-size     = 1*HEXDIG
//! chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )   ; §7.1.1
//! chunk-ext-name = token
//! chunk-ext-val  = token / quoted-string
//! ```
//!
//! The chunked decoder finds the line end first (bounded by the chunk-ext limit), then hands the
//! line without its CRLF to [`chunk_line`]: the grammar runs over a complete line, so running out
//! of input is a failure here, not a reason to wait.

use super::{Fail, PResult, fail};
use crate::chars::{is_qdtext, is_quoted_pair_char, is_tchar, is_ws};

/// `chunk-size [ chunk-ext ]`, the whole line before its CRLF: the size, and the chunk-ext as
/// received (empty when there is none).
pub(crate) fn chunk_line(line: &[u8]) -> Result<(u64, &[u8]), Fail<'_>> {
    let (ext, size) = chunk_size(line).map_err(into_fail)?;
    let (rest, ()) = chunk_ext(ext).map_err(into_fail)?;
    debug_assert!(rest.is_empty());
    Ok((size, ext))
}

fn into_fail(e: nom::Err<Fail<'_>>) -> Fail<'_> {
    match e {
        nom::Err::Error(f) | nom::Err::Failure(f) => f,
        // The productions here never ask for more: they run over a complete line.
        nom::Err::Incomplete(_) => Fail {
            at: &[],
            production: "chunk",
            reason: "incomplete chunk line",
        },
    }
}

/// `chunk-size = 1*HEXDIG`, with no sign, no `0x`, no space, and no overflow of 64 bits.
pub(crate) fn chunk_size(input: &[u8]) -> PResult<'_, u64> {
    let mut size: u64 = 0;
    let mut n = 0;
    for &b in input {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => break,
        };
        if size > u64::MAX >> 4 {
            return fail(
                input.get(n..).unwrap_or_default(),
                "chunk-size",
                "chunk-size overflows 64 bits, RFC 9112 §7.1",
            );
        }
        size = (size << 4) | u64::from(digit);
        n += 1;
    }
    if n == 0 {
        return fail(
            input,
            "chunk-size",
            "chunk-size must be 1*HEXDIG, RFC 9112 §7.1",
        );
    }
    Ok((input.get(n..).unwrap_or_default(), size))
}

/// `chunk-ext`, the whole rest of the line.
pub(crate) fn chunk_ext(mut input: &[u8]) -> PResult<'_, ()> {
    loop {
        if input.is_empty() {
            return Ok((input, ()));
        }
        let semicolon = bws(input);
        match semicolon.first() {
            Some(b';') => input = bws(semicolon.get(1..).unwrap_or_default()),
            None => {
                return fail(
                    input,
                    "chunk-ext",
                    "whitespace is only allowed before ';', RFC 9112 §7.1.1",
                );
            }
            Some(_) => {
                return fail(
                    semicolon,
                    "chunk-ext",
                    "only ';' may follow the chunk-size, RFC 9112 §7.1.1",
                );
            }
        }
        let (rest, _name) = token(input, "chunk-ext-name")?;
        let after_ws = bws(rest);
        input = rest;
        if after_ws.first() == Some(&b'=') {
            let value = bws(after_ws.get(1..).unwrap_or_default());
            input = if value.first() == Some(&b'"') {
                quoted_string(value)?.0
            } else {
                token(value, "chunk-ext-val")?.0
            };
        }
    }
}

fn bws(input: &[u8]) -> &[u8] {
    let n = input.iter().take_while(|&&b| is_ws(b)).count();
    input.get(n..).unwrap_or_default()
}

/// `token = 1*tchar`, RFC 9110 §5.6.2.
pub(crate) fn token<'a>(input: &'a [u8], production: &'static str) -> PResult<'a, &'a [u8]> {
    let n = input.iter().take_while(|&&b| is_tchar(b)).count();
    if n == 0 {
        return fail(input, production, "expected a token, RFC 9110 §5.6.2");
    }
    let (t, rest) = input.split_at(n);
    Ok((rest, t))
}

/// `quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE`, RFC 9110 §5.6.4. Returns the
/// string with its quotes, as received.
pub(crate) fn quoted_string(input: &[u8]) -> PResult<'_, &[u8]> {
    if input.first() != Some(&b'"') {
        return fail(input, "quoted-string", "expected DQUOTE, RFC 9110 §5.6.4");
    }
    let mut i = 1;
    loop {
        match input.get(i) {
            Some(b'"') => {
                let (s, rest) = input.split_at(i + 1);
                return Ok((rest, s));
            }
            Some(b'\\') => match input.get(i + 1) {
                Some(&b) if is_quoted_pair_char(b) => i += 2,
                _ => {
                    return fail(
                        input.get(i + 1..).unwrap_or_default(),
                        "quoted-pair",
                        "backslash must escape HTAB, SP, VCHAR or obs-text, RFC 9110 §5.6.4",
                    );
                }
            },
            Some(&b) if is_qdtext(b) => i += 1,
            _ => {
                return fail(
                    input.get(i..).unwrap_or_default(),
                    "qdtext",
                    "control character or missing DQUOTE in quoted-string, RFC 9110 §5.6.4",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(line: &[u8]) -> Result<u64, &'static str> {
        chunk_line(line).map(|(s, _)| s).map_err(|f| f.reason)
    }

    #[test]
    fn chunk_size_is_hex_without_games() {
        assert_eq!(size(b"0"), Ok(0));
        assert_eq!(size(b"1a"), Ok(26));
        assert_eq!(size(b"FFFFFFFFFFFFFFFF"), Ok(u64::MAX));
        assert_eq!(size(b"00000000000000000001"), Ok(1));
        assert!(size(b"10000000000000000").unwrap_err().contains("overflow"));
        assert!(size(b"").is_err());
        assert!(size(b"0x5").is_err());
        assert!(size(b"+5").is_err());
        assert!(size(b"-5").is_err());
        assert!(size(b" 5").is_err());
        assert!(size(b"5 ").is_err());
        assert!(size(b"5\t").is_err());
        assert!(size(b"g").is_err());
    }

    #[test]
    fn chunk_ext_is_token_or_quoted_string() {
        assert_eq!(chunk_line(b"5;a").unwrap(), (5, &b";a"[..]));
        assert_eq!(size(b"5 ; a = b ; c=\"d;e\\\"\""), Ok(5));
        assert_eq!(size(b"5;a=\"\""), Ok(5));
        assert!(size(b"5;").is_err());
        assert!(size(b"5;a=").is_err());
        assert!(size(b"5;a=b c").is_err());
        assert!(size(b"5;a\x00").is_err());
        assert!(size(b"5;a=\"b\x00\"").is_err());
        assert!(size(b"5;a=\"b\rc\"").is_err());
        assert!(size(b"5;a=\"unterminated").is_err());
        assert!(size(b"5;a=\"bad\\\x01\"").is_err());
        assert!(size(b"5;a\rb").is_err());
        assert!(size(b"5,a").is_err());
    }
}
