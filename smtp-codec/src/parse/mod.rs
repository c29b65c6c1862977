//! The SMTP grammars (RFC 5321 §4.1.2, §4.1.3, §4.2; RFC 3461, 4954, 6531), one module per
//! ABNF section, each function named after the production it recognises.
//!
//! The productions run in nom's *complete* style over one whole line that the decoder has
//! already framed (frame first, then parse): the end of the input is the end of the line, and a
//! byte the grammar forbids is an error pointing at that byte, with the production and the rule.

pub(crate) mod address;
pub(crate) mod chars;
pub(crate) mod command;
pub(crate) mod param;
pub(crate) mod path;
pub(crate) mod reply;

use crate::error::{Error, Found};

/// A parse failure: where (`at` is the input from the offending byte on), which production and
/// which rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fail<'a> {
    pub at: &'a [u8],
    pub production: &'static str,
    pub reason: &'static str,
}

impl<'a> nom::error::ParseError<&'a [u8]> for Fail<'a> {
    fn from_error_kind(input: &'a [u8], _kind: nom::error::ErrorKind) -> Self {
        Fail {
            at: input,
            production: "valid syntax",
            reason: "RFC 5321 §4.1",
        }
    }

    fn append(_input: &'a [u8], _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

impl Fail<'_> {
    /// The crate error for this failure; `whole` is the line the offsets count from (`at` is
    /// always a suffix of it), `base` the stream offset of the line's first byte.
    pub(crate) fn into_error(self, whole: &[u8], base: u64) -> Error {
        Error::Syntax {
            offset: base + whole.len().saturating_sub(self.at.len()) as u64,
            production: self.production,
            found: Found::first_of(self.at),
            reason: self.reason,
        }
    }
}

/// A nom result over bytes with [`Fail`] as the error.
pub(crate) type PResult<'a, O> = nom::IResult<&'a [u8], O, Fail<'a>>;

/// Fails at `at` with this production and rule.
#[inline]
pub(crate) fn fail<'a, O>(
    at: &'a [u8],
    production: &'static str,
    reason: &'static str,
) -> PResult<'a, O> {
    Err(nom::Err::Error(Fail {
        at,
        production,
        reason,
    }))
}

/// Runs `parser` over the whole of `input`: anything left over is an error at its first byte.
pub(crate) fn whole<'a, O>(
    input: &'a [u8],
    base: u64,
    production: &'static str,
    reason: &'static str,
    parser: impl FnOnce(&'a [u8]) -> PResult<'a, O>,
) -> Result<O, Error> {
    match parser(input) {
        Ok(([], out)) => Ok(out),
        Ok((rest, _)) => Err(Fail {
            at: rest,
            production,
            reason,
        }
        .into_error(input, base)),
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => Err(f.into_error(input, base)),
        Err(nom::Err::Incomplete(_)) => Err(Fail {
            at: &[],
            production,
            reason,
        }
        .into_error(input, base)),
    }
}

/// One `SP` (RFC 5321 §4.1.1).
#[inline]
pub(crate) fn sp<'a>(
    input: &'a [u8],
    production: &'static str,
    reason: &'static str,
) -> PResult<'a, ()> {
    match input {
        [b' ', rest @ ..] => Ok((rest, ())),
        _ => fail(input, production, reason),
    }
}

/// The literal `word` compared case-insensitively (RFC 5321 §2.4: verbs and argument keywords
/// are case-insensitive).
#[inline]
pub(crate) fn tag_no_case<'a>(
    input: &'a [u8],
    word: &'static [u8],
    production: &'static str,
    reason: &'static str,
) -> PResult<'a, ()> {
    match (input.get(..word.len()), input.get(word.len()..)) {
        (Some(head), Some(rest)) if head.eq_ignore_ascii_case(word) => Ok((rest, ())),
        _ => fail(input, production, reason),
    }
}

/// Bytes a grammar has checked (ASCII and whole UTF-8 characters only) as an owned `String`:
/// the standard UTF-8 check, fast on ASCII, where `String::from_utf8_lossy` would walk the
/// bytes chunk by chunk; lossy only if a grammar ever let a broken character through.
#[inline]
pub(crate) fn owned_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Bytes a grammar has checked (ASCII and whole UTF-8 characters only) as `&str`, for the
/// borrowed values: the standard UTF-8 check, fast on ASCII. It never fails on what a grammar
/// accepted; should one ever let a broken character through, the line is refused at that
/// character (as `production`) rather than read wrongly.
#[inline]
pub(crate) fn checked_str<'a>(
    bytes: &'a [u8],
    production: &'static str,
) -> Result<&'a str, nom::Err<Fail<'a>>> {
    std::str::from_utf8(bytes).map_err(|e| {
        nom::Err::Error(Fail {
            at: bytes.get(e.valid_up_to()..).unwrap_or_default(),
            production,
            reason: "whole UTF-8 characters, RFC 6531 §3.3",
        })
    })
}

/// What stands at `at` in `bytes`, for an error.
pub(crate) fn found_at(bytes: &[u8], at: usize) -> Found {
    Found::first_of(bytes.get(at..).unwrap_or_default())
}
