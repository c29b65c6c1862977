//! SVCB and HTTPS rdata (RFC 9460 §2.2): service bindings.
//!
//! ```text
//! |               SvcPriority (16)                |
//! /        TargetName (never compressed)          /
//! ( SvcParamKey (16) | SvcParamValue length (16) | SvcParamValue )*
//! ```
//!
//! Priority 0 is AliasMode, which has no SvcParams by RFC 9460 §2.4.2 ("SHOULD NOT include";
//! recipients ignore them): they are kept as sent rather than dropped, so a message writes back
//! byte for byte. Keys must be in strictly increasing order (RFC 9460 §2.2: an RR out of order
//! is malformed), the TargetName must not be compressed (RFC 9460 §2.2), each known key's value
//! must have its format (§7, §8), and every key `mandatory` lists must be present (§8); the
//! decoder refuses anything else with [`Error::BadRdata`] and the encoder with
//! [`Error::Unencodable`].
//!
//! Presentation (RFC 9460 §2.1 and Appendix A): `PRIORITY TARGET key=value ...`, the values
//! of `mandatory`, `alpn`, `ipv4hint` and `ipv6hint` comma-separated lists, `ech` base64,
//! `no-default-alpn` without a value, other keys as `keyNNNNN="escaped value"`. Params may be
//! written in any order and are sorted; a key written twice is refused.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::Bytes;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::name::Name;
use crate::presentation::Token;
use crate::rtype::RType;

/// A service binding, the rdata of SVCB and of HTTPS (RFC 9460 §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Svcb {
    /// SvcPriority: 0 is AliasMode, others ServiceMode, lower preferred (RFC 9460 §2.4.1).
    pub priority: u16,
    /// TargetName, uncompressed; `.` in ServiceMode means the owner name (RFC 9460 §2.5).
    pub target: Name,
    /// SvcParams in strictly increasing key order (RFC 9460 §2.2).
    pub params: Vec<SvcParam>,
}

/// One SvcParam (RFC 9460 §7, §14.3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SvcParam {
    /// Key 0, `mandatory`: keys a client must understand, strictly increasing, not 0 itself,
    /// at least one (RFC 9460 §8).
    Mandatory(Vec<u16>),
    /// Key 1, `alpn`: ALPN protocol IDs, each 1 to 255 octets, at least one (RFC 9460 §7.1).
    Alpn(Vec<Bytes>),
    /// Key 2, `no-default-alpn`: empty (RFC 9460 §7.1).
    NoDefaultAlpn,
    /// Key 3, `port` (RFC 9460 §7.2).
    Port(u16),
    /// Key 4, `ipv4hint`: at least one address (RFC 9460 §7.3).
    Ipv4Hint(Vec<Ipv4Addr>),
    /// Key 5, `ech`: an ECHConfigList, opaque here (RFC 9460 §14.3.2, RFC 9849).
    Ech(Bytes),
    /// Key 6, `ipv6hint`: at least one address (RFC 9460 §7.3).
    Ipv6Hint(Vec<Ipv6Addr>),
    /// Any other key (7 and up), its value opaque, written `keyNNNNN` (RFC 9460 §2.1).
    Unknown {
        /// The key, 7 or more.
        key: u16,
        /// The value as octets.
        value: Bytes,
    },
}

/// The names of keys 0 to 6 (RFC 9460 §14.3.2).
const KEY_NAMES: [&str; 7] = [
    "mandatory",
    "alpn",
    "no-default-alpn",
    "port",
    "ipv4hint",
    "ech",
    "ipv6hint",
];

/// Writes a key's name, or `keyNNNNN` (RFC 9460 §2.1).
fn fmt_key(f: &mut fmt::Formatter<'_>, key: u16) -> fmt::Result {
    match KEY_NAMES.get(usize::from(key)) {
        Some(name) => f.write_str(name),
        None => write!(f, "key{key}"),
    }
}

/// The key a name stands for.
fn key_of(name: &str) -> Option<u16> {
    if let Some(i) = KEY_NAMES.iter().position(|n| *n == name) {
        return u16::try_from(i).ok();
    }
    let digits = name.strip_prefix("key")?;
    if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl SvcParam {
    /// The SvcParamKey (RFC 9460 §14.3.2).
    pub fn key(&self) -> u16 {
        match self {
            SvcParam::Mandatory(_) => 0,
            SvcParam::Alpn(_) => 1,
            SvcParam::NoDefaultAlpn => 2,
            SvcParam::Port(_) => 3,
            SvcParam::Ipv4Hint(_) => 4,
            SvcParam::Ech(_) => 5,
            SvcParam::Ipv6Hint(_) => 6,
            SvcParam::Unknown { key, .. } => *key,
        }
    }

    /// Why the value breaks its key's format, if it does.
    fn fault(&self) -> Option<&'static str> {
        match self {
            SvcParam::Mandatory(keys) => {
                if keys.is_empty() {
                    Some("empty mandatory (RFC 9460 §8)")
                } else if keys.contains(&0) {
                    Some("mandatory lists itself (RFC 9460 §8)")
                } else if keys.windows(2).any(|w| w.first() >= w.get(1)) {
                    Some("mandatory keys not strictly increasing (RFC 9460 §8)")
                } else {
                    None
                }
            }
            SvcParam::Alpn(ids) => {
                if ids.is_empty() || ids.iter().any(|id| id.is_empty() || id.len() > 255) {
                    Some("alpn empty or with an ID not 1 to 255 octets (RFC 9460 §7.1.1)")
                } else {
                    None
                }
            }
            SvcParam::Ipv4Hint(a) if a.is_empty() => Some("empty ipv4hint (RFC 9460 §7.3)"),
            SvcParam::Ipv6Hint(a) if a.is_empty() => Some("empty ipv6hint (RFC 9460 §7.3)"),
            SvcParam::Unknown { key, value } => {
                if *key < 7 {
                    Some("opaque value for a key this crate types (RFC 9460 §14.3.2)")
                } else if value.len() > usize::from(u16::MAX) {
                    Some("SvcParamValue over 65535 octets")
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Reads the value of `key` from all of `value`, which starts at `at`.
    fn decode(key: u16, value: &[u8], at: u64) -> Result<SvcParam, Error> {
        let bad = |reason| Error::BadRdata {
            offset: at,
            rtype: RType::SVCB,
            reason,
        };
        let param = match key {
            0 if value.len() % 2 == 0 => SvcParam::Mandatory(
                value
                    .chunks(2)
                    .map(|p| {
                        u16::from_be_bytes([
                            p.first().copied().unwrap_or(0),
                            p.get(1).copied().unwrap_or(0),
                        ])
                    })
                    .collect(),
            ),
            1 => {
                let mut ids = Vec::new();
                let mut rest = value;
                while let Some((&len, after)) = rest.split_first() {
                    let id = after
                        .get(..usize::from(len))
                        .ok_or(bad("alpn ID runs past its value (RFC 9460 §7.1.1)"))?;
                    ids.push(Bytes::copy_from_slice(id));
                    rest = after.get(usize::from(len)..).unwrap_or_default();
                }
                SvcParam::Alpn(ids)
            }
            2 if value.is_empty() => SvcParam::NoDefaultAlpn,
            3 => match value {
                [a, b] => SvcParam::Port(u16::from_be_bytes([*a, *b])),
                _ => return Err(bad("port not 2 octets (RFC 9460 §7.2)")),
            },
            4 if value.len() % 4 == 0 => SvcParam::Ipv4Hint(
                value
                    .chunks(4)
                    .map(|a| Ipv4Addr::from(<[u8; 4]>::try_from(a).unwrap_or_default()))
                    .collect(),
            ),
            5 => SvcParam::Ech(Bytes::copy_from_slice(value)),
            6 if value.len() % 16 == 0 => SvcParam::Ipv6Hint(
                value
                    .chunks(16)
                    .map(|a| Ipv6Addr::from(<[u8; 16]>::try_from(a).unwrap_or_default()))
                    .collect(),
            ),
            0..=6 => {
                return Err(bad(
                    "SvcParamValue of the wrong length for its key (RFC 9460 §7, §8)",
                ));
            }
            _ => SvcParam::Unknown {
                key,
                value: Bytes::copy_from_slice(value),
            },
        };
        match param.fault() {
            Some(reason) => Err(bad(reason)),
            None => Ok(param),
        }
    }

    /// Appends the value, without key and length.
    fn encode_value(&self, msg: &mut Vec<u8>) {
        match self {
            SvcParam::Mandatory(keys) => {
                for k in keys {
                    msg.extend_from_slice(&k.to_be_bytes());
                }
            }
            SvcParam::Alpn(ids) => {
                for id in ids {
                    msg.push(id.len() as u8);
                    msg.extend_from_slice(id);
                }
            }
            SvcParam::NoDefaultAlpn => {}
            SvcParam::Port(p) => msg.extend_from_slice(&p.to_be_bytes()),
            SvcParam::Ipv4Hint(a) => a.iter().for_each(|a| msg.extend_from_slice(&a.octets())),
            SvcParam::Ipv6Hint(a) => a.iter().for_each(|a| msg.extend_from_slice(&a.octets())),
            SvcParam::Ech(v) | SvcParam::Unknown { value: v, .. } => msg.extend_from_slice(v),
        }
    }

    /// Reads the presentation value `value` (escapes resolved) of key `key`; `token` is where
    /// it was written, for the errors.
    fn parse(key: u16, value: Option<Vec<u8>>, token: &Token<'_>) -> Result<SvcParam, Error> {
        let needs = || token.error("this key needs a value (RFC 9460 Appendix A)");
        let text = |item: &[u8]| String::from_utf8(item.to_vec()).ok();
        let param = match key {
            0 => {
                let v = value.ok_or_else(needs)?;
                let mut keys = Vec::new();
                for item in value_list(&v) {
                    let k = text(&item)
                        .and_then(|t| key_of(&t))
                        .ok_or(token.error("unknown key in mandatory (RFC 9460 §8)"))?;
                    keys.push(k);
                }
                keys.sort_unstable();
                if keys.windows(2).any(|w| w.first() == w.get(1)) {
                    return Err(token.error("mandatory lists a key twice (RFC 9460 §8)"));
                }
                SvcParam::Mandatory(keys)
            }
            1 => {
                let v = value.ok_or_else(needs)?;
                let mut ids = Vec::with_capacity(value_list_len(&v));
                ids.extend(value_list(&v).map(Bytes::from));
                SvcParam::Alpn(ids)
            }
            2 => match value {
                Some(v) if !v.is_empty() => {
                    return Err(token.error("no-default-alpn has no value (RFC 9460 §7.1.1)"));
                }
                _ => SvcParam::NoDefaultAlpn,
            },
            3 => SvcParam::Port(
                text(&value.ok_or_else(needs)?)
                    .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|t| t.parse().ok())
                    .ok_or(token.error("port: a decimal number up to 65535 (RFC 9460 §7.2)"))?,
            ),
            4 | 6 => {
                let v = value.ok_or_else(needs)?;
                let items = text(&v).ok_or(token.error("not an address list"))?;
                let mut v4 = Vec::new();
                let mut v6 = Vec::new();
                for item in items.split(',') {
                    let ok = if key == 4 {
                        item.parse().map(|a| v4.push(a)).is_ok()
                    } else {
                        item.parse().map(|a| v6.push(a)).is_ok()
                    };
                    if !ok {
                        return Err(
                            token.error("not a comma-separated address list (RFC 9460 §7.3)")
                        );
                    }
                }
                if key == 4 {
                    SvcParam::Ipv4Hint(v4)
                } else {
                    SvcParam::Ipv6Hint(v6)
                }
            }
            5 => {
                let v = text(&value.ok_or_else(needs)?).ok_or(token.error("ech: base64"))?;
                SvcParam::Ech(super::fields::base64_word(&v, token.offset)?)
            }
            _ => SvcParam::Unknown {
                key,
                value: Bytes::from(value.unwrap_or_default()),
            },
        };
        match param.fault() {
            Some(reason) => Err(token.error(reason)),
            None => Ok(param),
        }
    }
}

/// The items of a value-list, split at unescaped commas, `\,` and `\\` resolved (RFC 9460
/// Appendix A.1), one at a time, each in a vector of its exact size: a list of 32,768 empty
/// items held at once, then turned into IDs, took 81 bytes of heap per byte of text.
fn value_list(v: &[u8]) -> ValueList<'_> {
    ValueList { rest: Some(v) }
}

/// How many items [`value_list`] yields: the unescaped commas, and one.
fn value_list_len(v: &[u8]) -> usize {
    let mut count = 1;
    let mut bytes = v.iter();
    while let Some(&b) = bytes.next() {
        match b {
            b'\\' => {
                bytes.next();
            }
            b',' => count += 1,
            _ => {}
        }
    }
    count
}

/// See [`value_list`].
struct ValueList<'a> {
    /// The text after the last item returned; `None` once the last item is out.
    rest: Option<&'a [u8]>,
}

impl Iterator for ValueList<'_> {
    type Item = Vec<u8>;

    fn next(&mut self) -> Option<Vec<u8>> {
        let rest = self.rest?;
        // Where the item ends, and its length once unescaped (a lone backslash at the very end
        // stands for nothing).
        let mut end = 0;
        let mut len = 0;
        while let Some(&b) = rest.get(end) {
            match b {
                b'\\' => {
                    len += usize::from(end + 1 < rest.len());
                    end += 2;
                }
                b',' => break,
                _ => {
                    len += 1;
                    end += 1;
                }
            }
        }
        self.rest = match rest.get(end) {
            Some(b',') => rest.get(end + 1..),
            _ => None,
        };
        let mut item = Vec::with_capacity(len);
        let mut bytes = rest.get(..end).unwrap_or(rest).iter();
        while let Some(&b) = bytes.next() {
            if b == b'\\' {
                item.extend(bytes.next());
            } else {
                item.push(b);
            }
        }
        Some(item)
    }
}

/// `key=value` as dig prints it (RFC 9460 §2.1, Appendix A).
impl fmt::Display for SvcParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_key(f, self.key())?;
        match self {
            SvcParam::Mandatory(keys) => {
                for (i, k) in keys.iter().enumerate() {
                    f.write_str(if i == 0 { "=" } else { "," })?;
                    fmt_key(f, *k)?;
                }
                Ok(())
            }
            SvcParam::Alpn(ids) => {
                // Commas and backslashes in an ID are escaped for the value-list, then the
                // whole for the quoted string (RFC 9460 Appendix A.1).
                let mut list = Vec::new();
                for (i, id) in ids.iter().enumerate() {
                    if i > 0 {
                        list.push(b',');
                    }
                    for &b in id.iter() {
                        if b == b',' || b == b'\\' {
                            list.push(b'\\');
                        }
                        list.push(b);
                    }
                }
                f.write_str("=")?;
                super::fields::fmt_quoted(f, &list)
            }
            SvcParam::NoDefaultAlpn => Ok(()),
            SvcParam::Port(p) => write!(f, "={p}"),
            SvcParam::Ipv4Hint(a) => fmt_list(f, a),
            SvcParam::Ipv6Hint(a) => fmt_list(f, a),
            SvcParam::Ech(v) => {
                f.write_str("=")?;
                if v.is_empty() {
                    return f.write_str("\"\"");
                }
                super::fields::fmt_base64(f, v)
            }
            SvcParam::Unknown { value, .. } => {
                if value.is_empty() {
                    return Ok(());
                }
                f.write_str("=")?;
                super::fields::fmt_quoted(f, value)
            }
        }
    }
}

/// `=a,b,c`.
fn fmt_list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, a) in items.iter().enumerate() {
        f.write_str(if i == 0 { "=" } else { "," })?;
        write!(f, "{a}")?;
    }
    Ok(())
}

/// Why the params as a whole break RFC 9460 §2.2 and §8, if they do.
fn params_fault(params: &[SvcParam]) -> Option<&'static str> {
    if params.windows(2).any(|w| match w {
        [a, b] => a.key() >= b.key(),
        _ => false,
    }) {
        return Some("SvcParamKeys not in strictly increasing order (RFC 9460 §2.2)");
    }
    if let Some(SvcParam::Mandatory(keys)) = params.first() {
        // Keys out of order are the value's own fault, reported below; in order, one walk over
        // the params (in order too) finds every key.
        let sorted = keys.windows(2).all(|w| w.first() < w.get(1));
        let mut present = params.iter().map(SvcParam::key).peekable();
        let all_present = keys.iter().all(|k| {
            while present.next_if(|p| p < k).is_some() {}
            present.peek() == Some(k)
        });
        if sorted && !all_present {
            return Some("mandatory lists a key that is not present (RFC 9460 §8)");
        }
    }
    params.iter().find_map(SvcParam::fault)
}

impl Svcb {
    /// Whether this is AliasMode (priority 0, RFC 9460 §2.4.2).
    pub fn is_alias(&self) -> bool {
        self.priority == 0
    }

    pub(crate) fn decode(c: &mut Cursor<'_>, rtype: RType) -> Result<Svcb, Error> {
        let priority = c.u16("SvcPriority")?;
        let target = super::fields::uncompressed_name(c, rtype)?;
        let mut params: Vec<SvcParam> = Vec::new();
        while c.remaining() > 0 {
            let at = c.offset();
            let key = c.u16("SvcParamKey")?;
            let len = c.u16("SvcParamValue length")?;
            let value = c.bytes(usize::from(len), "SvcParamValue")?;
            if params.last().is_some_and(|p| p.key() >= key) {
                return Err(Error::BadRdata {
                    offset: at,
                    rtype,
                    reason: "SvcParamKeys not in strictly increasing order (RFC 9460 §2.2)",
                });
            }
            let param = SvcParam::decode(key, value, at).map_err(|e| match e {
                Error::BadRdata { offset, reason, .. } => Error::BadRdata {
                    offset,
                    rtype,
                    reason,
                },
                other => other,
            })?;
            params.push(param);
        }
        if let Some(reason) = params_fault(&params) {
            return Err(Error::BadRdata {
                offset: c.offset(),
                rtype,
                reason,
            });
        }
        Ok(Svcb {
            priority,
            target,
            params,
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>) -> Result<(), Error> {
        if let Some(reason) = params_fault(&self.params) {
            return Err(Error::Unencodable {
                offset: msg.len() as u64,
                reason,
            });
        }
        msg.extend_from_slice(&self.priority.to_be_bytes());
        self.target.encode(msg);
        for p in &self.params {
            msg.extend_from_slice(&p.key().to_be_bytes());
            let len_at = msg.len();
            msg.extend_from_slice(&[0, 0]);
            p.encode_value(msg);
            let Ok(len) = u16::try_from(msg.len() - len_at - 2) else {
                return Err(Error::Unencodable {
                    offset: len_at as u64,
                    reason: "SvcParamValue over 65535 octets (RFC 9460 §2.2)",
                });
            };
            if let Some(field) = msg.get_mut(len_at..len_at + 2) {
                field.copy_from_slice(&len.to_be_bytes());
            }
        }
        Ok(())
    }

    /// Reads the presentation form from the whole rdata text. SVCB needs its own words:
    /// `key="quoted value"` is one word (RFC 9460 Appendix A), which the general tokenizer
    /// refuses as a quote inside a word.
    pub(crate) fn parse_text(text: &str) -> Result<Svcb, Error> {
        let words = words(text)?;
        let mut rest = words.iter();
        let priority = super::number(&mut rest)?;
        let target = super::name(&mut rest)?;
        let rest: Vec<&Token<'_>> = rest.collect();
        let repeated = first_repeated_key(&rest);
        let mut params: Vec<SvcParam> = Vec::with_capacity(rest.len());
        for (index, word) in rest.into_iter().enumerate() {
            let (key_text, value) = match word.raw.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (word.raw, None),
            };
            let key = key_of(key_text)
                .ok_or(word.error("unknown SvcParamKey (RFC 9460 §2.1: keyNNNNN)"))?;
            let value = match value {
                None => None,
                Some(v) => {
                    let offset = word.offset + key_text.len() + 1;
                    let quoted = v.len() >= 2 && v.starts_with('"') && v.ends_with('"');
                    let inner = if quoted {
                        v.get(1..v.len() - 1).unwrap_or("")
                    } else {
                        v
                    };
                    if inner.contains('"') && !quoted {
                        return Err(word.error("quote inside a SvcParamValue"));
                    }
                    let token = Token {
                        raw: inner,
                        offset,
                        quoted,
                    };
                    Some(token.bytes()?)
                }
            };
            if repeated == Some(index) {
                return Err(word.error("SvcParamKey written twice (RFC 9460 §2.1)"));
            }
            params.push(SvcParam::parse(key, value, word)?);
        }
        params.sort_by_key(SvcParam::key);
        if let Some(reason) = params_fault(&params) {
            return Err(Error::Syntax { offset: 0, reason });
        }
        Ok(Svcb {
            priority,
            target,
            params,
        })
    }
}

/// The index of the first word whose key an earlier word already has, found by sorting (the
/// words may be thousands: comparing each with all before it would be quadratic). Words whose
/// key does not read are skipped here; the main loop refuses them in order.
fn first_repeated_key(words: &[&Token<'_>]) -> Option<usize> {
    let mut keys: Vec<(u16, usize)> = words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let key_text = w.raw.split_once('=').map_or(w.raw, |(k, _)| k);
            key_of(key_text).map(|k| (k, i))
        })
        .collect();
    keys.sort_unstable();
    // In each run of one key, sorted by index, the second is the first to repeat it.
    keys.windows(2)
        .filter_map(|w| match w {
            [(a, _), (b, i)] if a == b => Some(*i),
            _ => None,
        })
        .min()
}

/// The words of SVCB rdata text: blank-separated, a word may hold a `"quoted part"` with
/// blanks in it, and a backslash escapes the next character.
fn words(text: &str) -> Result<Vec<Token<'_>>, Error> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b == b' ' || b == b'\t' {
            i += 1;
            continue;
        }
        let start = i;
        let mut in_quotes = false;
        while let Some(&c) = bytes.get(i) {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    in_quotes = !in_quotes;
                    i += 1;
                }
                b' ' | b'\t' if !in_quotes => break,
                _ => i += 1,
            }
        }
        if in_quotes {
            return Err(Error::Syntax {
                offset: start as u64,
                reason: "quoted string without its closing quote",
            });
        }
        let end = i.min(bytes.len());
        let raw = text.get(start..end).ok_or(Error::Syntax {
            offset: start as u64,
            reason: "not a character boundary",
        })?;
        out.push(Token {
            raw,
            offset: start,
            quoted: false,
        });
    }
    Ok(out)
}

/// `PRIORITY TARGET key=value ...` (RFC 9460 §2.1).
impl fmt::Display for Svcb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.priority, self.target)?;
        for p in &self.params {
            write!(f, " {p}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::Class;
    use crate::rdata::RData;

    #[test]
    fn value_lists_split_at_unescaped_commas() {
        for (text, items) in [
            (&b""[..], &[&b""[..]][..]),
            (b"a", &[b"a"]),
            (b"a,", &[b"a", b""]),
            (b",,", &[b"", b"", b""]),
            (b"h2,h3", &[b"h2", b"h3"]),
            (br"f\\oo\,bar,h2", &[br"f\oo,bar", b"h2"]),
            (br"a\", &[b"a"]),
            (br"\,\\", &[br",\"]),
        ] {
            let got: Vec<Vec<u8>> = value_list(text).collect();
            assert_eq!(got, items, "{}", String::from_utf8_lossy(text));
            assert_eq!(value_list_len(text), items.len());
            assert!(got.iter().all(|item| item.capacity() == item.len()));
        }
    }

    fn check(rtype: RType, text: &str, printed: &str, wire: &[u8]) {
        let data = RData::from_presentation(rtype, Class::IN, text).unwrap();
        assert_eq!(data.to_string(), printed);
        assert_eq!(RData::from_wire(rtype, Class::IN, wire), Ok(data.clone()));
        assert_eq!(
            RData::from_presentation(rtype, Class::IN, printed),
            Ok(data)
        );
    }

    #[test]
    fn rfc9460_appendix_d() {
        // D.1 AliasMode.
        check(
            RType::HTTPS,
            "0 foo.example.com.",
            "0 foo.example.com.",
            b"\x00\x00\x03foo\x07example\x03com\x00",
        );
        // D.2 ServiceMode.
        check(RType::SVCB, "1 .", "1 .", b"\x00\x01\x00");
        check(
            RType::SVCB,
            "16 foo.example.com. port=53",
            "16 foo.example.com. port=53",
            b"\x00\x10\x03foo\x07example\x03com\x00\x00\x03\x00\x02\x00\x35",
        );
        check(
            RType::SVCB,
            "1 foo.example.com. key667=hello",
            "1 foo.example.com. key667=\"hello\"",
            b"\x00\x01\x03foo\x07example\x03com\x00\x02\x9b\x00\x05hello",
        );
        check(
            RType::SVCB,
            "1 foo.example.com. key667=\"hello\\210qoo\"",
            "1 foo.example.com. key667=\"hello\\210qoo\"",
            b"\x00\x01\x03foo\x07example\x03com\x00\x02\x9b\x00\x09hello\xd2qoo",
        );
        let mut v6 = b"\x00\x01\x03foo\x07example\x03com\x00\x00\x06\x00\x20".to_vec();
        v6.extend_from_slice(b"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01");
        v6.extend_from_slice(b"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\x53\0\x01");
        check(
            RType::SVCB,
            "1 foo.example.com. ipv6hint=\"2001:db8::1,2001:db8::53:1\"",
            "1 foo.example.com. ipv6hint=2001:db8::1,2001:db8::53:1",
            &v6,
        );
        let mut wire = b"\x00\x10\x03foo\x07example\x03org\x00".to_vec();
        wire.extend_from_slice(b"\x00\x00\x00\x04\x00\x01\x00\x04");
        wire.extend_from_slice(b"\x00\x01\x00\x09\x02h2\x05h3-19");
        wire.extend_from_slice(b"\x00\x04\x00\x04\xc0\x00\x02\x01");
        check(
            RType::SVCB,
            "16 foo.example.org. alpn=h2,h3-19 mandatory=ipv4hint,alpn ipv4hint=192.0.2.1",
            "16 foo.example.org. mandatory=alpn,ipv4hint alpn=\"h2,h3-19\" ipv4hint=192.0.2.1",
            &wire,
        );
        let mut wire = b"\x00\x10\x03foo\x07example\x03org\x00".to_vec();
        wire.extend_from_slice(b"\x00\x01\x00\x0c\x08f\\oo,bar\x02h2");
        check(
            RType::SVCB,
            "16 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"",
            "16 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"",
            &wire,
        );
        check(
            RType::SVCB,
            "16 foo.example.org. alpn=f\\\\\\092oo\\092,bar,h2",
            "16 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"",
            &wire,
        );
    }

    #[test]
    fn other_keys() {
        check(
            RType::HTTPS,
            "1 . no-default-alpn alpn=h2 ech=AEX+ key65000",
            "1 . alpn=\"h2\" no-default-alpn ech=AEX+ key65000",
            b"\x00\x01\x00\x00\x01\x00\x03\x02h2\x00\x02\x00\x00\x00\x05\x00\x03\x00\x45\xfe\xfd\xe8\x00\x00",
        );
    }

    #[test]
    fn rfc9460_appendix_d3_failures() {
        let bad = |text: &str| RData::from_presentation(RType::SVCB, Class::IN, text);
        // Multiple instances of the same key.
        assert_eq!(
            bad("1 foo.example.com. key123=abc key123=def"),
            Err(Error::Syntax {
                offset: 30,
                reason: "SvcParamKey written twice (RFC 9460 §2.1)"
            })
        );
        // Missing values that must be non-empty.
        assert!(bad("1 foo.example.com. mandatory").is_err());
        assert!(bad("1 foo.example.com. alpn").is_err());
        assert!(bad("1 foo.example.com. port").is_err());
        assert!(bad("1 foo.example.com. ipv4hint").is_err());
        assert!(bad("1 foo.example.com. ipv6hint").is_err());
        // no-default-alpn with a value.
        assert!(bad("1 foo.example.com. no-default-alpn=abc").is_err());
        // A mandatory key missing.
        assert_eq!(
            bad("1 foo.example.com. mandatory=key123"),
            Err(Error::Syntax {
                offset: 0,
                reason: "mandatory lists a key that is not present (RFC 9460 §8)"
            })
        );
        // Recursive and duplicate mandatory keys.
        assert!(bad("1 foo.example.com. mandatory=mandatory").is_err());
        assert!(bad("1 foo.example.com. mandatory=key123,key123 key123=abc").is_err());
        assert!(bad("1 foo.example.com. bogus=1").is_err());
        assert!(bad("1 foo.example.com. port=65536").is_err());
        assert!(bad("1 foo.example.com. alpn=\"h2").is_err());
    }

    #[test]
    fn wire_failures() {
        let bad = |params: &[u8]| {
            let mut wire = b"\x00\x01\x00".to_vec();
            wire.extend_from_slice(params);
            RData::from_wire(RType::SVCB, Class::IN, &wire)
        };
        let err = |offset, reason| {
            Err(Error::BadRdata {
                offset,
                rtype: RType::SVCB,
                reason,
            })
        };
        assert_eq!(
            bad(b"\x00\x03\x00\x02\x00\x35\x00\x01\x00\x03\x02h2"),
            err(
                9,
                "SvcParamKeys not in strictly increasing order (RFC 9460 §2.2)"
            )
        );
        assert_eq!(
            bad(b"\x00\x03\x00\x02\x00\x35\x00\x03\x00\x02\x00\x35"),
            err(
                9,
                "SvcParamKeys not in strictly increasing order (RFC 9460 §2.2)"
            )
        );
        assert_eq!(
            bad(b"\x00\x03\x00\x01\x00"),
            err(3, "port not 2 octets (RFC 9460 §7.2)")
        );
        assert_eq!(
            bad(b"\x00\x01\x00\x03\x03h2"),
            err(3, "alpn ID runs past its value (RFC 9460 §7.1.1)")
        );
        assert_eq!(
            bad(b"\x00\x01\x00\x00"),
            err(
                3,
                "alpn empty or with an ID not 1 to 255 octets (RFC 9460 §7.1.1)"
            )
        );
        assert_eq!(
            bad(b"\x00\x04\x00\x03\x01\x02\x03"),
            err(
                3,
                "SvcParamValue of the wrong length for its key (RFC 9460 §7, §8)"
            )
        );
        assert_eq!(
            bad(b"\x00\x00\x00\x02\x00\x03"),
            err(9, "mandatory lists a key that is not present (RFC 9460 §8)")
        );
        assert_eq!(
            RData::from_wire(RType::SVCB, Class::IN, b"\x00\x01\x01a\xc0\x00"),
            err(
                4,
                "compression pointer in a name of a type RFC 3597 §4 forbids to compress"
            )
        );
        assert_eq!(
            bad(b"\x00\x03\x00\x02\x00"),
            Err(Error::RdLengthShort {
                offset: 0,
                rtype: RType::SVCB,
                rdlength: 8
            })
        );
        let unsorted = Svcb {
            priority: 1,
            target: Name::root(),
            params: vec![
                SvcParam::Port(1),
                SvcParam::Alpn(vec![Bytes::from_static(b"h2")]),
            ],
        };
        assert!(matches!(
            unsorted.encode(&mut Vec::new()),
            Err(Error::Unencodable { .. })
        ));
    }

    #[test]
    fn many_keys_are_checked_in_linear_time() {
        // 20,000 distinct keys, then one written twice: refused at that word, found by sorting
        // (comparing each key with all before it took 200 million comparisons).
        let mut text = String::from("1 .");
        for k in 100..20_100u32 {
            text.push_str(&format!(" key{k}"));
        }
        let dup_at = text.len() + 1;
        text.push_str(" key150 key7");
        match RData::from_presentation(RType::SVCB, Class::IN, &text) {
            Err(Error::Syntax { offset, reason }) => {
                assert_eq!(offset, dup_at as u64);
                assert!(reason.contains("written twice"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        // A mandatory list over thousands of present keys.
        let mut text = String::from("1 . mandatory=");
        let keys: Vec<String> = (100..5_100u32).map(|k| format!("key{k}")).collect();
        text.push_str(&keys.join(","));
        for k in &keys {
            text.push(' ');
            text.push_str(k);
        }
        assert!(RData::from_presentation(RType::SVCB, Class::IN, &text).is_ok());
    }
}
