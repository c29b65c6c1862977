//! The HTTP/1 grammars (RFC 9112 §2-7, RFC 9110 §5), one module per ABNF section, each function
//! named after the production it recognises.
//!
//! The productions are nom parsers in *streaming* style: running out of input is
//! `Err::Incomplete`, a byte the grammar forbids is `Err::Error` pointing at that byte. The
//! streaming decoders only run them over input whose end they already found (frame first, then
//! parse), so no input is parsed twice; the borrowed parser ([`crate::h1::head`]) runs them once over
//! whatever it is given.

pub(crate) mod chunk;
pub(crate) mod field_line;
pub(crate) mod request_line;
pub(crate) mod status_line;

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
            reason: "RFC 9112",
        }
    }

    fn append(_input: &'a [u8], _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

impl<'a> Fail<'a> {
    /// The crate error for this failure; `whole` is the input the offsets count from (`at` is
    /// always a suffix of it).
    pub(crate) fn into_error(self, whole: &[u8]) -> Error {
        Error::Syntax {
            offset: (whole.len() - self.at.len()) as u64,
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

/// The error value of [`fail`], for functions that return something other than a `PResult`.
#[inline]
pub(crate) fn failure<'a>(
    at: &'a [u8],
    production: &'static str,
    reason: &'static str,
) -> nom::Err<Fail<'a>> {
    nom::Err::Error(Fail {
        at,
        production,
        reason,
    })
}

/// Needs more input.
#[inline]
pub(crate) fn incomplete<'a, O>() -> PResult<'a, O> {
    Err(nom::Err::Incomplete(nom::Needed::Unknown))
}

/// `CRLF` ending a line (RFC 9112 §2.2); a bare LF only when `bare_lf` is allowed, a bare CR
/// never.
#[inline]
pub(crate) fn line_end<'a>(
    input: &'a [u8],
    bare_lf: bool,
    production: &'static str,
) -> PResult<'a, ()> {
    match input {
        [b'\r', b'\n', rest @ ..] => Ok((rest, ())),
        [b'\r'] | [] => incomplete(),
        [b'\n', rest @ ..] if bare_lf => Ok((rest, ())),
        [b'\n', ..] => fail(input, production, "bare LF as line ending, RFC 9112 §2.2"),
        [b'\r', rest @ ..] => fail(rest, production, "bare CR as line ending, RFC 9112 §2.2"),
        _ => fail(input, production, "expected CRLF, RFC 9112 §2.2"),
    }
}

/// One `SP`, RFC 9112 §3 and §4.
#[inline]
pub(crate) fn sp<'a>(input: &'a [u8], reason: &'static str) -> PResult<'a, ()> {
    match input.first() {
        Some(b' ') => Ok((input.get(1..).unwrap_or_default(), ())),
        None => incomplete(),
        Some(_) => fail(input, "SP", reason),
    }
}
