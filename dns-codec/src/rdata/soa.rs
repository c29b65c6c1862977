//! SOA rdata (RFC 1035 §3.3.13).
//!
//! ```text
//! /                     MNAME                     /
//! /                     RNAME                     /
//! |                    SERIAL                     |   32 bits each
//! |                    REFRESH                    |
//! |                     RETRY                     |
//! |                    EXPIRE                     |
//! |                    MINIMUM                    |
//! ```

use std::fmt;

use crate::compress::Compressor;
use crate::cursor::Cursor;
use crate::error::Error;
use crate::name::Name;
use crate::presentation::Token;

/// The start of a zone of authority (RFC 1035 §3.3.13; MINIMUM is the negative-caching TTL of
/// RFC 2308 §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Soa {
    /// MNAME: the primary name server; compressible (RFC 3597 §4).
    pub mname: Name,
    /// RNAME: the responsible person's mailbox, `@` written as the first `.`; compressible.
    pub rname: Name,
    /// SERIAL: the zone's version (RFC 1982 serial arithmetic).
    pub serial: u32,
    /// REFRESH: seconds between refreshes by a secondary.
    pub refresh: u32,
    /// RETRY: seconds before a failed refresh is retried.
    pub retry: u32,
    /// EXPIRE: seconds after which a secondary stops answering without a refresh.
    pub expire: u32,
    /// MINIMUM: the TTL of negative answers (RFC 2308 §4).
    pub minimum: u32,
}

impl Soa {
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Soa, Error> {
        Ok(Soa {
            mname: Name::decode(c)?,
            rname: Name::decode(c)?,
            serial: c.u32("SOA serial")?,
            refresh: c.u32("SOA refresh")?,
            retry: c.u32("SOA retry")?,
            expire: c.u32("SOA expire")?,
            minimum: c.u32("SOA minimum")?,
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>, compressor: &mut Compressor) {
        compressor.write(&self.mname, msg);
        compressor.write(&self.rname, msg);
        for n in [
            self.serial,
            self.refresh,
            self.retry,
            self.expire,
            self.minimum,
        ] {
            msg.extend_from_slice(&n.to_be_bytes());
        }
    }

    pub(crate) fn parse<'a>(rest: &mut impl Iterator<Item = &'a Token<'a>>) -> Result<Soa, Error> {
        Ok(Soa {
            mname: super::name(rest)?,
            rname: super::name(rest)?,
            serial: super::number(rest)?,
            refresh: super::seconds(rest)?,
            retry: super::seconds(rest)?,
            expire: super::seconds(rest)?,
            minimum: super::seconds(rest)?,
        })
    }
}

/// `MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM`, the numbers in seconds as dig prints them.
impl fmt::Display for Soa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {} {} {}",
            self.mname,
            self.rname,
            self.serial,
            self.refresh,
            self.retry,
            self.expire,
            self.minimum
        )
    }
}
