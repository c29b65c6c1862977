//! The paths of MAIL and RCPT (RFC 5321 §4.1.2): `Reverse-path = Path / "<>"`,
//! `Forward-path = Path`, and RCPT's `<Postmaster>` (§4.1.1.3). A source route
//! (`<@a,@b:user@c>`) is accepted and dropped, as §3.3 and Appendix C say, so it is never written
//! back.

use std::fmt;

use crate::mailbox::Mailbox;

/// The argument of `MAIL FROM:` (RFC 5321 §4.1.1.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReversePath {
    /// `<>`: the null reverse-path of notifications (RFC 5321 §4.5.5).
    Null,
    /// `<mailbox>`.
    Mailbox(Mailbox),
}

/// The argument of `RCPT TO:` (RFC 5321 §4.1.1.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ForwardPath {
    /// `<Postmaster>` without a domain (compared case-insensitively, written `<Postmaster>`).
    Postmaster,
    /// `<mailbox>` (which includes `<Postmaster@domain>`).
    Mailbox(Mailbox),
}

impl ReversePath {
    /// The mailbox, if not null.
    pub fn mailbox(&self) -> Option<&Mailbox> {
        match self {
            ReversePath::Null => None,
            ReversePath::Mailbox(m) => Some(m),
        }
    }
}

impl ForwardPath {
    /// The mailbox, if not the bare `<Postmaster>`.
    pub fn mailbox(&self) -> Option<&Mailbox> {
        match self {
            ForwardPath::Postmaster => None,
            ForwardPath::Mailbox(m) => Some(m),
        }
    }
}

/// The path without its angle brackets: `""` for `<>`, as `wire` prints it.
impl fmt::Display for ReversePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReversePath::Null => Ok(()),
            ReversePath::Mailbox(m) => m.fmt(f),
        }
    }
}

/// The path without its angle brackets: `Postmaster` for `<Postmaster>`.
impl fmt::Display for ForwardPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ForwardPath::Postmaster => f.write_str("Postmaster"),
            ForwardPath::Mailbox(m) => m.fmt(f),
        }
    }
}
