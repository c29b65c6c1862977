//! RFC 5321 §4.1.2: paths and mailboxes, with the UTF-8 of RFC 6531 §3.3.
//!
//! ```text
//! Reverse-path   = Path / "<>"
//! Forward-path   = Path
//! Path           = "<" [ A-d-l ":" ] Mailbox ">"
//! A-d-l          = At-domain *( "," At-domain )   ; source route: accepted, dropped
//! At-domain      = "@" Domain
//! Mailbox        = Local-part "@" ( Domain / address-literal )
//! Local-part     = Dot-string / Quoted-string
//! Dot-string     = Atom *("."  Atom)
//! Atom           = 1*atext                        ; RFC 6531: atext =/ UTF8-non-ascii
//! Quoted-string  = DQUOTE *QcontentSMTP DQUOTE
//! QcontentSMTP   = qtextSMTP / quoted-pairSMTP
//! quoted-pairSMTP = %d92 %d32-126
//! qtextSMTP      = %d32-33 / %d35-91 / %d93-126   ; RFC 6531: =/ UTF8-non-ascii
//! ```

use super::chars::{is_atext, is_qtext_smtp, run_with_utf8, utf8_non_ascii};
use super::{PResult, fail};
use crate::domain::DomainRef;
use crate::mailbox::MailboxRef;

/// `Atom = 1*atext` (RFC 5321 §4.1.2), UTF-8 characters included (RFC 6531 §3.3).
fn atom(input: &[u8]) -> PResult<'_, ()> {
    let i = run_with_utf8(input, is_atext);
    if i == 0 {
        return fail(input, "Atom", "expected atext, RFC 5321 §4.1.2");
    }
    Ok((input.get(i..).unwrap_or_default(), ()))
}

/// `Dot-string = Atom *("." Atom)` (RFC 5321 §4.1.2).
#[inline]
pub(crate) fn dot_string(input: &[u8]) -> PResult<'_, &[u8]> {
    match ascii_dot_string(input) {
        Some(n) => {
            let (d, rest) = input.split_at(n);
            Ok((rest, d))
        }
        None => dot_string_by_atoms(input),
    }
}

/// The common case of [`dot_string`] in one pass: ASCII atoms joined by single dots. Its
/// length; `None` for anything else (UTF-8, an error), which [`dot_string_by_atoms`] then reads
/// atom by atom, so what is accepted and every error stay exactly the grammar's.
#[inline]
fn ascii_dot_string(input: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        // One atom: a non-empty run of atext (one table load per octet).
        let atom = input.get(i..).unwrap_or_default();
        let run = atom
            .iter()
            .position(|&b| !is_atext(b))
            .unwrap_or(atom.len());
        if run == 0 {
            return None;
        }
        i += run;
        match input.get(i) {
            Some(b'.') => i += 1,
            // UTF-8: read by the grammar.
            Some(&b) if b >= 0x80 => return None,
            _ => return Some(i),
        }
    }
}

/// [`dot_string`] one `Atom` at a time: UTF-8, and the exact place and rule of an error.
fn dot_string_by_atoms(input: &[u8]) -> PResult<'_, &[u8]> {
    let (mut rest, ()) = atom(input)?;
    while let [b'.', after @ ..] = rest {
        let (r, ()) = atom(after)?;
        rest = r;
    }
    Ok((
        rest,
        input.get(..input.len() - rest.len()).unwrap_or_default(),
    ))
}

/// `Quoted-string = DQUOTE *QcontentSMTP DQUOTE` (RFC 5321 §4.1.2); the quotes are kept.
pub(crate) fn quoted_string(input: &[u8]) -> PResult<'_, &[u8]> {
    let Some(mut rest) = input.strip_prefix(b"\"") else {
        return fail(input, "Quoted-string", "expected DQUOTE, RFC 5321 §4.1.2");
    };
    loop {
        match rest {
            [b'"', after @ ..] => {
                return Ok((
                    after,
                    input.get(..input.len() - after.len()).unwrap_or_default(),
                ));
            }
            [b'\\', c, after @ ..] if (32..=126).contains(c) => rest = after,
            [b'\\', ..] => {
                return fail(
                    rest.get(1..).unwrap_or_default(),
                    "quoted-pairSMTP",
                    "a backslash quotes a printable ASCII character, RFC 5321 §4.1.2",
                );
            }
            [b, after @ ..] if is_qtext_smtp(*b) => rest = after,
            [] => {
                return fail(
                    rest,
                    "Quoted-string",
                    "missing closing DQUOTE, RFC 5321 §4.1.2",
                );
            }
            _ => match utf8_non_ascii(rest) {
                Some(n) => rest = rest.get(n..).unwrap_or_default(),
                None => {
                    return fail(
                        rest,
                        "qtextSMTP",
                        "printable ASCII or UTF-8 in a quoted local part, RFC 5321 §4.1.2",
                    );
                }
            },
        }
    }
}

/// `Local-part = Dot-string / Quoted-string` (RFC 5321 §4.1.2).
pub(crate) fn local_part(input: &[u8]) -> PResult<'_, &[u8]> {
    if input.first() == Some(&b'"') {
        quoted_string(input)
    } else {
        dot_string(input)
    }
}

/// `Mailbox = Local-part "@" ( Domain / address-literal )` (RFC 5321 §4.1.2).
pub(crate) fn mailbox(input: &[u8]) -> PResult<'_, MailboxRef<'_>> {
    let (rest, local) = local_part(input)?;
    let Some(rest) = rest.strip_prefix(b"@") else {
        return fail(
            rest,
            "Mailbox",
            "\"@\" after the local part, RFC 5321 §4.1.2",
        );
    };
    let (rest, domain) = DomainRef::parse(rest, true)?;
    Ok((rest, MailboxRef { local, domain }))
}

/// `A-d-l ":"`: a source route (RFC 5321 §4.1.2), which §3.3 and Appendix C say to accept and
/// ignore. Returns the input after the colon.
pub(crate) fn a_d_l(input: &[u8]) -> PResult<'_, ()> {
    let mut rest = input;
    loop {
        let Some(after) = rest.strip_prefix(b"@") else {
            return fail(rest, "At-domain", "expected \"@\" Domain, RFC 5321 §4.1.2");
        };
        let (r, _) = super::address::domain(after)?;
        match r {
            [b',', after @ ..] => rest = after,
            [b':', after @ ..] => return Ok((after, ())),
            _ => {
                return fail(
                    r,
                    "A-d-l",
                    "\",\" or \":\" after a source-route domain, RFC 5321 §4.1.2",
                );
            }
        }
    }
}

/// `Path = "<" [ A-d-l ":" ] Mailbox ">"` (RFC 5321 §4.1.2), the source route dropped.
pub(crate) fn path(input: &[u8]) -> PResult<'_, MailboxRef<'_>> {
    let Some(mut rest) = input.strip_prefix(b"<") else {
        return fail(input, "Path", "a path starts with \"<\", RFC 5321 §4.1.2");
    };
    if rest.first() == Some(&b'@') {
        (rest, ()) = a_d_l(rest)?;
    }
    let (rest, m) = mailbox(rest)?;
    match rest.strip_prefix(b">") {
        Some(after) => Ok((after, m)),
        None => fail(rest, "Path", "a path ends with \">\", RFC 5321 §4.1.2"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn local_parts() {
        assert_eq!(
            local_part(b"john.smith@x").unwrap(),
            (&b"@x"[..], &b"john.smith"[..])
        );
        assert_eq!(local_part(b"a+b=c@x").unwrap().1, b"a+b=c");
        assert_eq!(
            local_part(b"\"john smith\"@x").unwrap().1,
            b"\"john smith\""
        );
        assert_eq!(local_part(b"\"a\\\"b\"@x").unwrap().1, b"\"a\\\"b\"");
        assert_eq!(local_part(b"\"\"@x").unwrap().1, b"\"\"");
        assert_eq!(
            local_part("jörg@x".as_bytes()).unwrap().1,
            "jörg".as_bytes()
        );
        assert!(local_part(b".a@x").is_err());
        assert!(local_part(b"a..b@x").is_err());
        assert!(local_part(b"a.@x").is_err());
        assert!(local_part(b"\"abc@x").is_err());
        assert!(local_part(b"\"a\\\x01\"@x").is_err());
        assert!(local_part(b"\"a\0\"@x").is_err());
        assert!(local_part(b"@x").is_err());
    }

    proptest::proptest! {
        /// The one-pass ASCII reading and the atom-by-atom one agree on every input.
        #[test]
        fn one_pass_is_the_grammar(b in proptest::collection::vec(
            proptest::sample::select(&b"a+9.@\">\xc3\xa9 (_"[..]), 0..14)) {
            proptest::prop_assert_eq!(dot_string(&b), dot_string_by_atoms(&b));
        }
    }

    #[test]
    fn paths() {
        let (rest, m) = path(b"<user@example.com> SIZE=1").unwrap();
        assert_eq!(rest, b" SIZE=1");
        assert_eq!(m.to_string(), "user@example.com");
        let (_, m) = path(b"<@hosta.int,@jkl.org:userc@d.bar.org>").unwrap();
        assert_eq!(m.to_string(), "userc@d.bar.org");
        let (_, m) = path(b"<a@[IPv6:::1]>").unwrap();
        assert_eq!(m.domain().as_str(), "[IPv6:::1]");
        assert!(path(b"user@example.com").is_err());
        assert!(path(b"<user@example.com").is_err());
        assert!(path(b"<user>").is_err());
        assert!(path(b"<@a:>").is_err());
        assert!(path(b"<@a;b@c>").is_err());
        assert!(path(b"<@a,b@c>").is_err());
        assert!(path(b"<a@b@c>").is_err());
        assert!(path(b"<a@>").is_err());
        assert!(path(b"<a@b.>").is_err());
    }
}
