//! Classes (RFC 1035 §3.2.4 and §3.2.5, RFC 2136 §1.3 for NONE) and their mnemonics; a class
//! without one is written `CLASS12345` (RFC 3597 §5).

use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::rtype::generic_number;

/// A class, or a query class (QCLASS, RFC 1035 §3.2.5), as its 16-bit value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Class(pub u16);

const MNEMONICS: &[(u16, &str)] = &[(1, "IN"), (3, "CH"), (4, "HS"), (254, "NONE"), (255, "ANY")];

impl Class {
    /// The Internet (RFC 1035 §3.2.4).
    pub const IN: Class = Class(1);
    /// Chaos (RFC 1035 §3.2.4).
    pub const CH: Class = Class(3);
    /// Hesiod (RFC 1035 §3.2.4).
    pub const HS: Class = Class(4);
    /// NONE, in dynamic updates (RFC 2136 §1.3).
    pub const NONE: Class = Class(254);
    /// Any class, a query class and in dynamic updates (RFC 1035 §3.2.5).
    pub const ANY: Class = Class(255);

    /// The registered mnemonic, if this crate knows one.
    pub fn mnemonic(self) -> Option<&'static str> {
        MNEMONICS
            .iter()
            .find(|(value, _)| *value == self.0)
            .map(|(_, name)| *name)
    }
}

/// The mnemonic, or `CLASS` and the decimal value (RFC 3597 §5).
impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(name) => f.write_str(name),
            None => write!(f, "CLASS{}", self.0),
        }
    }
}

/// A mnemonic (any case), or `CLASS` and a decimal value (RFC 3597 §5).
impl FromStr for Class {
    type Err = Error;

    fn from_str(text: &str) -> Result<Class, Error> {
        if let Some((value, _)) = MNEMONICS
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(text))
        {
            return Ok(Class(*value));
        }
        generic_number(text, "CLASS")
            .map(Class)
            .ok_or(Error::Syntax {
                offset: 0,
                reason: "unknown class mnemonic (RFC 3597 §5: write CLASS and the number)",
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mnemonics_and_generic_form() {
        assert_eq!(Class::IN.to_string(), "IN");
        assert_eq!(Class(4096).to_string(), "CLASS4096");
        assert_eq!("ch".parse::<Class>(), Ok(Class::CH));
        assert_eq!("CLASS1".parse::<Class>(), Ok(Class::IN));
        assert!("CLASS".parse::<Class>().is_err());
        assert!("XX".parse::<Class>().is_err());
    }
}
