//! MX rdata (RFC 1035 §3.3.9).
//!
//! ```text
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! |                  PREFERENCE                   |
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! /                   EXCHANGE                    /
//! +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! ```

use std::fmt;

use crate::compress::Compressor;
use crate::cursor::Cursor;
use crate::error::Error;
use crate::name::Name;
use crate::presentation::Token;

/// A mail exchange for the owner name (RFC 1035 §3.3.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mx {
    /// PREFERENCE: lower values are preferred.
    pub preference: u16,
    /// EXCHANGE: the host that accepts mail; compressible (RFC 3597 §4).
    pub exchange: Name,
}

impl Mx {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Mx, Error> {
        Ok(Mx {
            preference: c.u16("MX preference")?,
            exchange: Name::decode(c)?,
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>, compressor: &mut Compressor) {
        msg.extend_from_slice(&self.preference.to_be_bytes());
        compressor.write(&self.exchange, msg);
    }

    pub(crate) fn parse<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<Mx, Error> {
        Ok(Mx {
            preference: super::number(rest)?,
            exchange: super::name(rest)?,
        })
    }
}

/// `PREFERENCE EXCHANGE`, as RFC 1035 §5.1 writes it: `10 mail.example.`.
impl fmt::Display for Mx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.preference, self.exchange)
    }
}
