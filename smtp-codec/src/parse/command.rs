//! RFC 5321 §4.1.1 command lines, with STARTTLS (RFC 3207 §4), AUTH (RFC 4954 §4) and BDAT
//! (RFC 3030 §2). The input is one line without its CRLF.
//!
//! ```text
//! ehlo     = "EHLO" SP ( Domain / address-literal ) CRLF
//! helo     = "HELO" SP Domain CRLF
//! mail     = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF
//! rcpt     = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" /
//!            Forward-path ) [SP Rcpt-parameters] CRLF
//! data     = "DATA" CRLF
//! rset     = "RSET" CRLF
//! vrfy     = "VRFY" SP String CRLF
//! expn     = "EXPN" SP String CRLF
//! help     = "HELP" [ SP String ] CRLF
//! noop     = "NOOP" [ SP String ] CRLF
//! quit     = "QUIT" CRLF
//! starttls = "STARTTLS" CRLF
//! auth     = "AUTH" SP sasl-mech [SP initial-response] CRLF
//! bdat     = "BDAT" SP chunk-size [ SP end-marker ] CRLF
//! chunk-size = 1*DIGIT
//! end-marker = "LAST"
//! String   = Atom / Quoted-string
//! ```

use super::chars::{is_atext, is_let_dig, run_with_utf8};
use super::param::parameters;
use super::path::{path, quoted_string};
use super::{PResult, checked_str, fail, sp, tag_no_case};
use crate::auth::{check_initial_response, check_mechanism};
use crate::command::CommandRef;
use crate::domain::DomainRef;
use crate::param::ParamSink;
use crate::path::{ForwardPathRef, ReversePathRef};

/// `String = Atom / Quoted-string` (RFC 5321 §4.1.2), UTF-8 included (RFC 6531 §3.3).
pub(crate) fn string(input: &[u8]) -> PResult<'_, &[u8]> {
    if input.first() == Some(&b'"') {
        return quoted_string(input);
    }
    let i = run_with_utf8(input, is_atext);
    if i == 0 {
        return fail(
            input,
            "String",
            "an Atom or a Quoted-string, RFC 5321 §4.1.2",
        );
    }
    let (s, rest) = input.split_at(i);
    Ok((rest, s))
}

/// `Reverse-path = Path / "<>"` (RFC 5321 §4.1.2).
pub(crate) fn reverse_path(input: &[u8]) -> PResult<'_, ReversePathRef<'_>> {
    if let Some(rest) = input.strip_prefix(b"<>") {
        return Ok((rest, ReversePathRef::Null));
    }
    let (rest, m) = path(input)?;
    Ok((rest, ReversePathRef::Mailbox(m)))
}

/// `Forward-path = Path` or `"<Postmaster>"` (RFC 5321 §4.1.1.3, §4.1.2).
pub(crate) fn forward_path(input: &[u8]) -> PResult<'_, ForwardPathRef<'_>> {
    // Most paths are not `<Postmaster>`: one octet tells (a `p` in either case after the `<`)
    // before the twelve-octet compare.
    let may_be_postmaster = input.get(1).is_some_and(|&b| b | 0x20 == b'p');
    if let (true, Some(p), Some(rest)) = (may_be_postmaster, input.get(..12), input.get(12..)) {
        if p.eq_ignore_ascii_case(b"<Postmaster>") {
            return Ok((rest, ForwardPathRef::Postmaster));
        }
    }
    let (rest, m) = path(input)?;
    Ok((rest, ForwardPathRef::Mailbox(m)))
}

/// `[SP Mail-parameters]` / `[SP Rcpt-parameters]` to the end of the line, into `P`.
fn opt_parameters<'a, P: ParamSink<'a>>(input: &'a [u8], mail: bool) -> PResult<'a, P> {
    match input {
        [] => Ok((input, P::default())),
        [b' ', rest @ ..] => parameters(rest, mail),
        _ => fail(
            input,
            "Path",
            "SP or the end of the line after the path, RFC 5321 §4.1.2",
        ),
    }
}

/// `[ SP String ]` to the end of the line.
fn opt_string(input: &[u8]) -> PResult<'_, Option<&str>> {
    match input {
        [] => Ok((input, None)),
        [b' ', rest @ ..] => {
            let (r, s) = string(rest)?;
            Ok((r, Some(checked_str(s, "String")?)))
        }
        _ => fail(input, "SP", "SP before the argument, RFC 5321 §4.1.1"),
    }
}

/// The end of a command that takes no argument.
fn end(input: &[u8]) -> PResult<'_, ()> {
    match input {
        [] => Ok((input, ())),
        _ => fail(
            input,
            "CRLF",
            "this command takes no argument, RFC 5321 §4.1.1",
        ),
    }
}

/// The end of a command after its last argument (EHLO, HELO, VRFY, EXPN, HELP, NOOP, BDAT).
fn end_after_argument(input: &[u8]) -> PResult<'_, ()> {
    match input {
        [] => Ok((input, ())),
        _ => fail(
            input,
            "CRLF",
            "the end of the line after the argument, RFC 5321 §4.1.1",
        ),
    }
}

/// The verb: letters up to SP or the end of the line.
pub(crate) fn verb(input: &[u8]) -> (&[u8], &[u8]) {
    let n = input
        .iter()
        .position(|&b| !is_let_dig(b))
        .unwrap_or(input.len());
    input.split_at(n)
}

/// `chunk-size = 1*DIGIT` (RFC 3030 §2), in a u64.
fn chunk_size(input: &[u8]) -> PResult<'_, u64> {
    let n = input.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return fail(
            input,
            "chunk-size",
            "the chunk size in decimal digits, RFC 3030 §2",
        );
    }
    let (d, rest) = input.split_at(n);
    match d.iter().try_fold(0u64, |v, c| {
        v.checked_mul(10)?.checked_add(u64::from(c - b'0'))
    }) {
        Some(v) => Ok((rest, v)),
        None => fail(input, "chunk-size", "a chunk size over 2^64-1, RFC 3030 §2"),
    }
}

/// `sasl-mech` (RFC 4422 §3.1), then `[SP initial-response]` (RFC 4954 §4).
fn auth(input: &[u8]) -> PResult<'_, CommandRef<'_>> {
    let n = input
        .iter()
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        .count();
    let (mech, rest) = input.split_at(n);
    if n == 0 || n > 20 {
        return fail(
            input.get(n.min(20)..).unwrap_or_default(),
            "sasl-mech",
            "1 to 20 letters, digits, - and _, RFC 4422 §3.1",
        );
    }
    // The run above is the mechanism's whole grammar; checked again by the rule `Mechanism`
    // builds with, so the two can never disagree.
    if check_mechanism(mech).is_err() {
        return fail(
            input,
            "sasl-mech",
            "1 to 20 letters, digits, - and _, RFC 4422 §3.1",
        );
    }
    let mechanism = checked_str(mech, "sasl-mech")?;
    let initial = match rest {
        [] => None,
        [b' ', resp @ ..] => match check_initial_response(resp) {
            Ok(()) => Some(checked_str(resp, "initial-response")?),
            Err(at) => {
                return fail(
                    resp.get(at..).unwrap_or_default(),
                    "initial-response",
                    "padded base64 or \"=\", RFC 4954 §4, RFC 4648 §4",
                );
            }
        },
        _ => {
            return fail(
                rest,
                "sasl-mech",
                "1 to 20 letters, digits, - and _, RFC 4422 §3.1",
            );
        }
    };
    Ok((&[], CommandRef::Auth { mechanism, initial }))
}

/// The verbs, as [`Verb::of`] finds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Ehlo,
    Helo,
    Mail,
    Rcpt,
    Data,
    Rset,
    Quit,
    StartTls,
    Vrfy,
    Expn,
    Help,
    Noop,
    Auth,
    Bdat,
}

impl Verb {
    /// The verb `v` spells, case-insensitively (RFC 5321 §2.4). `v` is letters and digits
    /// ([`verb`]), so clearing bit 5 of each octet folds a letter to upper case and never makes
    /// a digit into a letter: the four octets of a verb compare as one `u32` (STARTTLS as one
    /// `u64`), with no upper-cased copy.
    #[inline]
    fn of(v: &[u8]) -> Option<Verb> {
        const FOLD4: u32 = !0x2020_2020;
        if let Ok(four) = <[u8; 4]>::try_from(v) {
            let w = u32::from_be_bytes(four) & FOLD4;
            let is = |k: &[u8; 4]| w == u32::from_be_bytes(*k);
            return Some(match () {
                _ if is(b"MAIL") => Verb::Mail,
                _ if is(b"RCPT") => Verb::Rcpt,
                _ if is(b"EHLO") => Verb::Ehlo,
                _ if is(b"DATA") => Verb::Data,
                _ if is(b"RSET") => Verb::Rset,
                _ if is(b"QUIT") => Verb::Quit,
                _ if is(b"HELO") => Verb::Helo,
                _ if is(b"NOOP") => Verb::Noop,
                _ if is(b"AUTH") => Verb::Auth,
                _ if is(b"BDAT") => Verb::Bdat,
                _ if is(b"VRFY") => Verb::Vrfy,
                _ if is(b"EXPN") => Verb::Expn,
                _ if is(b"HELP") => Verb::Help,
                _ => return None,
            });
        }
        let eight = <[u8; 8]>::try_from(v).ok()?;
        (u64::from_be_bytes(eight) & !0x2020_2020_2020_2020 == u64::from_be_bytes(*b"STARTTLS"))
            .then_some(Verb::StartTls)
    }
}

/// What [`command`] parses a line into: MAIL and RCPT with their parameters in `P` (in place
/// for [`CommandRef`], owned for [`crate::Command`], so neither is built from the other), any
/// other command as its [`CommandRef`].
pub(crate) enum Parsed<'a, P> {
    Mail { from: ReversePathRef<'a>, params: P },
    Rcpt { to: ForwardPathRef<'a>, params: P },
    Other(CommandRef<'a>),
}

/// A whole command line (RFC 5321 §4.1.1), without its CRLF. `Ok(None)` for an unknown verb.
pub(crate) fn command<'a, P: ParamSink<'a>>(line: &'a [u8]) -> PResult<'a, Option<Parsed<'a, P>>> {
    let (v, rest) = verb(line);
    let Some(v) = Verb::of(v) else {
        return Ok((&[], None));
    };
    let cmd = match v {
        Verb::Ehlo | Verb::Helo => {
            let (r, ()) = sp(rest, "SP", "SP after the verb, RFC 5321 §4.1.1.1")?;
            let (r, d) = DomainRef::parse(r, v == Verb::Ehlo)?;
            let (r, ()) = end_after_argument(r)?;
            let _ = r;
            if v == Verb::Ehlo {
                CommandRef::Ehlo(d)
            } else {
                CommandRef::Helo(d)
            }
        }
        Verb::Mail => {
            let (r, ()) = tag_no_case(
                rest,
                b" FROM:",
                "mail",
                "\"MAIL FROM:\" with no space before the path, RFC 5321 §4.1.1.2",
            )?;
            let at = r;
            let (r, from) = reverse_path(r)?;
            let (_, params) = opt_parameters::<P>(r, true)?;
            if from.mailbox().is_some_and(|m| m.is_utf8()) && !params.has_smtputf8() {
                return fail(
                    at,
                    "Reverse-path",
                    "UTF-8 in a path needs the SMTPUTF8 parameter, RFC 6531 §3.4",
                );
            }
            return Ok((&[], Some(Parsed::Mail { from, params })));
        }
        Verb::Rcpt => {
            let (r, ()) = tag_no_case(
                rest,
                b" TO:",
                "rcpt",
                "\"RCPT TO:\" with no space before the path, RFC 5321 §4.1.1.3",
            )?;
            let (r, to) = forward_path(r)?;
            let (_, params) = opt_parameters::<P>(r, false)?;
            return Ok((&[], Some(Parsed::Rcpt { to, params })));
        }
        Verb::Data => end(rest).map(|_| CommandRef::Data)?,
        Verb::Rset => end(rest).map(|_| CommandRef::Rset)?,
        Verb::Quit => end(rest).map(|_| CommandRef::Quit)?,
        Verb::StartTls => end(rest).map(|_| CommandRef::StartTls)?,
        Verb::Vrfy | Verb::Expn => {
            let (r, ()) = sp(
                rest,
                "SP",
                "SP and an argument after the verb, RFC 5321 §4.1.1.6",
            )?;
            let (r, s) = string(r)?;
            end_after_argument(r)?;
            let a = checked_str(s, "String")?;
            if v == Verb::Vrfy {
                CommandRef::Vrfy(a)
            } else {
                CommandRef::Expn(a)
            }
        }
        Verb::Help | Verb::Noop => {
            let (r, a) = opt_string(rest)?;
            end_after_argument(r)?;
            if v == Verb::Help {
                CommandRef::Help(a)
            } else {
                CommandRef::Noop(a)
            }
        }
        Verb::Auth => {
            let (r, ()) = sp(rest, "SP", "SP and a mechanism after AUTH, RFC 4954 §4")?;
            auth(r)?.1
        }
        Verb::Bdat => {
            let (r, ()) = sp(rest, "SP", "SP and a chunk size after BDAT, RFC 3030 §2")?;
            let (r, size) = chunk_size(r)?;
            let (r, last) = match r {
                [] => (r, false),
                [b' ', after @ ..] => {
                    let (r, ()) = tag_no_case(
                        after,
                        b"LAST",
                        "end-marker",
                        "LAST or nothing after the size, RFC 3030 §2",
                    )?;
                    (r, true)
                }
                _ => {
                    return fail(
                        r,
                        "chunk-size",
                        "the chunk size in decimal digits, RFC 3030 §2",
                    );
                }
            };
            end_after_argument(r)?;
            CommandRef::Bdat { size, last }
        }
    };
    Ok((&[], Some(Parsed::Other(cmd))))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn strings() {
        assert_eq!(string(b"Smith x").unwrap(), (&b" x"[..], &b"Smith"[..]));
        assert_eq!(string(b"\"a b\"").unwrap().1, b"\"a b\"");
        assert_eq!(string("jörg".as_bytes()).unwrap().1, "jörg".as_bytes());
        assert!(string(b"").is_err());
        assert!(string(b".a").is_err());
        assert!(string(b"<a@b>").is_err());
        assert_eq!(string(b"a.b").unwrap().0, b".b");
    }

    #[test]
    fn paths() {
        assert_eq!(reverse_path(b"<>").unwrap().1, ReversePathRef::Null);
        assert!(matches!(
            reverse_path(b"<a@b> X").unwrap(),
            (b" X", ReversePathRef::Mailbox(_))
        ));
        assert!(reverse_path(b"<").is_err());
        assert!(reverse_path(b"<> ").is_ok());
        assert_eq!(
            forward_path(b"<POSTMASTER>").unwrap().1,
            ForwardPathRef::Postmaster
        );
        assert!(matches!(
            forward_path(b"<Postmaster@x.y>").unwrap().1,
            ForwardPathRef::Mailbox(_)
        ));
        assert!(forward_path(b"<Postmaster").is_err());
        assert!(forward_path(b"<>").is_err());
    }

    #[test]
    fn chunk_sizes() {
        assert_eq!(chunk_size(b"0").unwrap().1, 0);
        assert_eq!(chunk_size(b"007 LAST").unwrap(), (&b" LAST"[..], 7));
        assert_eq!(chunk_size(b"18446744073709551615").unwrap().1, u64::MAX);
        assert!(chunk_size(b"18446744073709551616").is_err());
        assert!(chunk_size(b"").is_err());
        assert!(chunk_size(b"+1").is_err());
    }

    #[test]
    fn verbs() {
        assert_eq!(verb(b"EHLO x"), (&b"EHLO"[..], &b" x"[..]));
        assert_eq!(verb(b"starttls"), (&b"starttls"[..], &b""[..]));
        assert!(
            command::<crate::param::ParamsRef<'_>>(b"XYZZY")
                .unwrap()
                .1
                .is_none()
        );
        assert!(
            command::<crate::param::ParamsRef<'_>>(b"ehlo x")
                .unwrap()
                .1
                .is_some()
        );
    }

    /// The folded compare finds each verb in any case and nothing else: not a verb with a
    /// digit where a letter was (bit 5 cleared), not one octet too many or too few.
    #[test]
    fn verb_fold() {
        let all = [
            "EHLO", "HELO", "MAIL", "RCPT", "DATA", "RSET", "QUIT", "STARTTLS", "VRFY", "EXPN",
            "HELP", "NOOP", "AUTH", "BDAT",
        ];
        for v in all {
            let found = Verb::of(v.as_bytes()).unwrap();
            assert_eq!(Verb::of(v.to_ascii_lowercase().as_bytes()), Some(found));
            assert_eq!(format!("{found:?}").to_ascii_uppercase(), v);
            assert_eq!(Verb::of(&v.as_bytes()[1..]), None);
            assert_eq!(Verb::of(format!("{v}X").as_bytes()), None);
        }
        for other in [
            "",
            "MAI",
            "MAILS",
            "M1IL",
            "XXXX",
            "STARTTL5",
            "STARTTLSX",
            "0000",
        ] {
            assert_eq!(Verb::of(other.as_bytes()), None, "{other}");
        }
        for w in ["mAiL", "Rcpt", "qUIT", "starttls", "StartTls"] {
            assert!(Verb::of(w.as_bytes()).is_some());
        }
    }
}
