//! The paths of MAIL and RCPT (RFC 5321 §4.1.2): `Reverse-path = Path / "<>"`,
//! `Forward-path = Path`, and RCPT's `<Postmaster>` (§4.1.1.3). A source route
//! (`<@a,@b:user@c>`) is accepted and dropped, as §3.3 and Appendix C say, so it is never written
//! back.

use std::fmt;

use crate::mailbox::{Mailbox, MailboxRef};

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

/// The argument of `MAIL FROM:` (RFC 5321 §4.1.1.2), borrowed from the line: the form of
/// [`ReversePath`] that [`crate::CommandRef`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReversePathRef<'a> {
    /// `<>`: the null reverse-path of notifications (RFC 5321 §4.5.5).
    Null,
    /// `<mailbox>`.
    Mailbox(MailboxRef<'a>),
}

/// The argument of `RCPT TO:` (RFC 5321 §4.1.1.3), borrowed from the line: the form of
/// [`ForwardPath`] that [`crate::CommandRef`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForwardPathRef<'a> {
    /// `<Postmaster>` without a domain (compared case-insensitively).
    Postmaster,
    /// `<mailbox>` (which includes `<Postmaster@domain>`).
    Mailbox(MailboxRef<'a>),
}

impl<'a> ReversePathRef<'a> {
    /// The mailbox, if not null.
    pub fn mailbox(&self) -> Option<MailboxRef<'a>> {
        match self {
            ReversePathRef::Null => None,
            ReversePathRef::Mailbox(m) => Some(*m),
        }
    }

    /// The owned [`ReversePath`].
    pub fn to_reverse_path(&self) -> ReversePath {
        match self {
            ReversePathRef::Null => ReversePath::Null,
            ReversePathRef::Mailbox(m) => ReversePath::Mailbox(m.to_mailbox()),
        }
    }
}

impl<'a> ForwardPathRef<'a> {
    /// The mailbox, if not the bare `<Postmaster>`.
    pub fn mailbox(&self) -> Option<MailboxRef<'a>> {
        match self {
            ForwardPathRef::Postmaster => None,
            ForwardPathRef::Mailbox(m) => Some(*m),
        }
    }

    /// The owned [`ForwardPath`].
    pub fn to_forward_path(&self) -> ForwardPath {
        match self {
            ForwardPathRef::Postmaster => ForwardPath::Postmaster,
            ForwardPathRef::Mailbox(m) => ForwardPath::Mailbox(m.to_mailbox()),
        }
    }
}

/// The path without its angle brackets, as [`ReversePath`]'s: `""` for `<>`.
impl fmt::Display for ReversePathRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReversePathRef::Null => Ok(()),
            ReversePathRef::Mailbox(m) => m.fmt(f),
        }
    }
}

/// The path without its angle brackets, as [`ForwardPath`]'s: `Postmaster` for `<Postmaster>`.
impl fmt::Display for ForwardPathRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ForwardPathRef::Postmaster => f.write_str("Postmaster"),
            ForwardPathRef::Mailbox(m) => m.fmt(f),
        }
    }
}
