//! The host part of SMTP: `Domain / address-literal` (RFC 5321 §4.1.2, §4.1.3), the argument of
//! EHLO and the right-hand side of a mailbox, with the U-labels of SMTPUTF8 (RFC 6531 §3.3).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::Error;
use crate::parse::{self, address};
use crate::text::Text;

/// A `Domain` or an `address-literal` (RFC 5321 §4.1.2, §4.1.3), kept as sent (letter case, the
/// brackets of a literal). It can only hold what the grammar allows, so never a space, CR, LF
/// or NUL.
///
/// ```
/// use smtp_codec::{AddressLiteral, Domain};
/// let d = Domain::new("Mail.Example.com")?;
/// assert_eq!(d.as_str(), "Mail.Example.com");
/// let lit = Domain::new("[192.0.2.1]")?;
/// assert_eq!(lit.literal(), Some(&AddressLiteral::Ipv4([192, 0, 2, 1].into())));
/// assert!(Domain::new("example.com\r\nRSET").is_err());
/// # Ok::<(), smtp_codec::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain {
    text: Text,
    /// Boxed: literals are rare, and a `Domain` sits in every mailbox and so in every MAIL and
    /// RCPT command; unboxed it would more than double the domain's size (80 octets instead of
    /// 40) and every move of a parsed command with it.
    literal: Option<Box<AddressLiteral>>,
}

/// What an `address-literal` holds (RFC 5321 §4.1.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AddressLiteral {
    /// `IPv4-address-literal`: `[192.0.2.1]`.
    Ipv4(Ipv4Addr),
    /// `IPv6-address-literal`: `[IPv6:2001:db8::1]`.
    Ipv6(Ipv6Addr),
    /// `General-address-literal`: `[tag:content]`, for a tag registered with IANA.
    General {
        /// `Standardized-tag`.
        tag: String,
        /// `1*dcontent`.
        content: String,
    },
}

impl Domain {
    /// `text` checked as `Domain / address-literal` (RFC 5321 §4.1.2, §4.1.3).
    pub fn new(text: &str) -> Result<Domain, Error> {
        Domain::decode(text.as_bytes(), 0, true)
    }

    /// `text` checked as a `Domain` only (no address literal), as HELO takes (RFC 5321 §4.1.1.1).
    pub fn name(text: &str) -> Result<Domain, Error> {
        Domain::decode(text.as_bytes(), 0, false)
    }

    /// Parses the whole of `input` (offsets from `base`).
    pub(crate) fn decode(input: &[u8], base: u64, literals: bool) -> Result<Domain, Error> {
        parse::whole(
            input,
            base,
            "Domain",
            "only letters, digits, hyphens and dots, RFC 5321 §4.1.2",
            |i| DomainRef::parse(i, literals),
        )
        .map(|d| d.to_domain())
    }

    fn from_parsed(text: &[u8], literal: Option<AddressLiteral>) -> Domain {
        // The grammar lets through only ASCII and whole UTF-8 characters.
        Domain {
            text: Text::new(text),
            literal: literal.map(Box::new),
        }
    }

    /// The domain as sent (brackets included for a literal).
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// The address literal, if this is one.
    pub fn literal(&self) -> Option<&AddressLiteral> {
        self.literal.as_deref()
    }

    /// Whether it holds characters outside ASCII (an SMTPUTF8 U-label, RFC 6531 §3.3).
    pub fn is_utf8(&self) -> bool {
        !self.text.as_bytes().is_ascii()
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text.as_str())
    }
}

/// A `Domain` or an `address-literal` (RFC 5321 §4.1.2, §4.1.3) checked in place: the
/// borrowed form of [`Domain`], as [`crate::CommandRef`] holds it (nothing copied, nothing
/// allocated). Like [`Domain`], it only ever holds what the grammar allows.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DomainRef<'a> {
    /// The checked octets: ASCII, or the whole UTF-8 characters of a U-label. Kept as octets
    /// so that parsing does no UTF-8 check of its own; [`DomainRef::as_str`] does it on demand.
    text: &'a [u8],
    /// Whether `text` is an address literal (it starts with `[`).
    literal: bool,
}

impl<'a> DomainRef<'a> {
    /// The production at the start of `input`: an address literal only if `literals` (EHLO and
    /// mailboxes take one, HELO does not, RFC 5321 §4.1.1.1).
    pub(crate) fn parse(input: &'a [u8], literals: bool) -> parse::PResult<'a, DomainRef<'a>> {
        if literals && input.first() == Some(&b'[') {
            let (rest, _) = address::address_literal(input)?;
            let text = input.get(..input.len() - rest.len()).unwrap_or_default();
            return Ok((
                rest,
                DomainRef {
                    text,
                    literal: true,
                },
            ));
        }
        let (rest, text) = address::domain(input)?;
        Ok((
            rest,
            DomainRef {
                text,
                literal: false,
            },
        ))
    }

    /// The domain as sent (brackets included for a literal).
    pub fn as_str(&self) -> &'a str {
        // The grammar lets through only ASCII and whole UTF-8 characters, so this never
        // falls back.
        std::str::from_utf8(self.text).unwrap_or_default()
    }

    /// Whether it is an address literal (RFC 5321 §4.1.3); [`DomainRef::to_domain`] gives its
    /// typed address.
    pub fn is_literal(&self) -> bool {
        self.literal
    }

    /// Whether it holds characters outside ASCII (an SMTPUTF8 U-label, RFC 6531 §3.3).
    pub fn is_utf8(&self) -> bool {
        !self.text.is_ascii()
    }

    /// The owned [`Domain`]; an address literal is read into its typed address here.
    pub fn to_domain(&self) -> Domain {
        let literal = if self.literal {
            // Checked when this was parsed, so it parses again, whole.
            address::address_literal(self.text).ok().map(|(_, lit)| lit)
        } else {
            None
        };
        Domain::from_parsed(self.text, literal)
    }
}

/// The text as a string, not as octets.
impl fmt::Debug for DomainRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DomainRef")
            .field("text", &self.as_str())
            .field("literal", &self.literal)
            .finish()
    }
}

impl fmt::Display for DomainRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn new_checks_the_grammar() {
        assert!(Domain::new("example.com").is_ok());
        assert!(Domain::new("[IPv6:::1]").is_ok());
        assert!(Domain::name("[IPv6:::1]").is_err());
        assert!(Domain::new("").is_err());
        assert!(Domain::new("a b").is_err());
        assert!(Domain::new("a\0b").is_err());
        assert!(Domain::new("a\nb").is_err());
        assert!(Domain::new("[1.2.3.4]x").is_err());
        assert_eq!(
            Domain::new("a\rb").unwrap_err().to_string(),
            "expected Domain at byte 1, found 0x0d (only letters, digits, hyphens and dots, RFC 5321 §4.1.2)"
        );
    }
}
