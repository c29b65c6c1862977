//! `Mailbox = Local-part "@" ( Domain / address-literal )` (RFC 5321 §4.1.2), with the UTF-8 local
//! parts and domains of SMTPUTF8 (RFC 6531 §3.3).

use std::fmt;

use crate::domain::{Domain, DomainRef};
use crate::error::Error;
use crate::parse::{self, path};
use crate::text::Text;

/// A mailbox, `local-part@domain` (RFC 5321 §4.1.2), both parts kept as sent (a quoted local
/// part keeps its quotes and backslashes). Only what the grammar allows can be built, so a
/// mailbox never holds a space outside quotes, CR, LF or NUL.
///
/// ```
/// use smtp_codec::Mailbox;
/// let m = Mailbox::parse("\"john smith\"@example.com")?;
/// assert_eq!(m.local_part(), "\"john smith\"");
/// assert_eq!(m.domain().as_str(), "example.com");
/// assert!(Mailbox::parse("a@example.com>\r\nRCPT TO:<b@example.com").is_err());
/// # Ok::<(), smtp_codec::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox {
    local: Text,
    domain: Domain,
}

impl Mailbox {
    /// `text` checked as a `Mailbox` (RFC 5321 §4.1.2).
    pub fn parse(text: &str) -> Result<Mailbox, Error> {
        parse::whole(
            text.as_bytes(),
            0,
            "Mailbox",
            "nothing after the domain, RFC 5321 §4.1.2",
            path::mailbox,
        )
        .map(|m| m.to_mailbox())
    }

    /// A mailbox of a `Local-part` (a Dot-string or a Quoted-string, quotes included) and a
    /// domain.
    pub fn new(local_part: &str, domain: Domain) -> Result<Mailbox, Error> {
        let local = parse::whole(
            local_part.as_bytes(),
            0,
            "Local-part",
            "a Dot-string or a Quoted-string, RFC 5321 §4.1.2",
            path::local_part,
        )?;
        Ok(Mailbox::from_parsed(local, domain))
    }

    pub(crate) fn from_parsed(local: &[u8], domain: Domain) -> Mailbox {
        // The grammar lets through only ASCII and whole UTF-8 characters.
        Mailbox {
            local: Text::new(local),
            domain,
        }
    }

    /// The `Local-part` as sent.
    pub fn local_part(&self) -> &str {
        self.local.as_str()
    }

    /// The `Domain / address-literal` after the `@`.
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// Whether it holds characters outside ASCII, which only SMTPUTF8 allows (RFC 6531 §3.3).
    pub fn is_utf8(&self) -> bool {
        !self.local.as_bytes().is_ascii() || self.domain.is_utf8()
    }
}

/// A mailbox, `local-part@domain` (RFC 5321 §4.1.2), checked in place: the borrowed form of
/// [`Mailbox`], as [`crate::CommandRef`] holds it. Both parts as sent; like [`Mailbox`], it only
/// ever holds what the grammar allows.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MailboxRef<'a> {
    /// The checked octets of the local part (ASCII or whole UTF-8 characters), read as `&str`
    /// on demand by [`MailboxRef::local_part`].
    pub(crate) local: &'a [u8],
    pub(crate) domain: DomainRef<'a>,
}

impl<'a> MailboxRef<'a> {
    /// The `Local-part` as sent (a quoted one with its quotes and backslashes).
    pub fn local_part(&self) -> &'a str {
        // The grammar lets through only ASCII and whole UTF-8 characters, so this never
        // falls back.
        std::str::from_utf8(self.local).unwrap_or_default()
    }

    /// The `Domain / address-literal` after the `@`.
    pub fn domain(&self) -> DomainRef<'a> {
        self.domain
    }

    /// Whether it holds characters outside ASCII, which only SMTPUTF8 allows (RFC 6531 §3.3).
    pub fn is_utf8(&self) -> bool {
        !self.local.is_ascii() || self.domain.is_utf8()
    }

    /// The owned [`Mailbox`].
    pub fn to_mailbox(&self) -> Mailbox {
        Mailbox::from_parsed(self.local, self.domain.to_domain())
    }
}

/// The local part as a string, not as octets.
impl fmt::Debug for MailboxRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailboxRef")
            .field("local", &self.local_part())
            .field("domain", &self.domain)
            .finish()
    }
}

impl fmt::Display for MailboxRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local_part(), self.domain)
    }
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local, self.domain)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn new_and_parse() {
        let d = Domain::new("example.org").unwrap();
        assert_eq!(
            Mailbox::new("a.b", d.clone()).unwrap().to_string(),
            "a.b@example.org"
        );
        assert!(Mailbox::new("a b", d.clone()).is_err());
        assert!(Mailbox::new("a\r\n", d.clone()).is_err());
        assert!(Mailbox::new("", d).is_err());
        assert!(Mailbox::parse("a@b").is_ok());
        assert!(Mailbox::parse("a@b ").is_err());
        assert!(Mailbox::parse("ü@例え.jp").unwrap().is_utf8());
    }
}
