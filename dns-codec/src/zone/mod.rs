//! A zone-file subset (RFC 1035 §5.1) for tests and tools: text to [`Record`]s and back.
//!
//! ```text
//! $ORIGIN example.com.          ; relative names below end in example.com.
//! $TTL 1h                       ; default TTL (RFC 2308 §4), with a BIND unit suffix
//! @        IN  SOA ns1 hostmaster ( 2024010101 ; serial
//!                     2h 1h 2w 5m )            ; parentheses span lines
//!          IN  NS  ns1          ; blank owner: the previous owner
//! ns1  300 IN  A   192.0.2.1    ; TTL and class in either order
//! www  IN 300  TXT "a \"quoted\" string"
//! x        TYPE65280 \# 2 abcd  ; generic type and rdata (RFC 3597 §5)
//! ```
//!
//! What is read:
//! - `$ORIGIN <name>` (the name itself may be relative to the previous origin) and
//!   `$TTL <ttl>` (RFC 2308 §4). `$INCLUDE` and `$GENERATE` are refused: a parser for tests reads
//!   one text and opens no files.
//! - Owner names, absolute (`a.example.`), relative to `$ORIGIN` (`a`), or `@` for the origin; a
//!   line that starts with a blank has the previous record's owner.
//! - `[TTL] [class]` or `[class] [TTL]` before the type. A TTL is seconds, or BIND's unit form:
//!   numbers each followed by `s`, `m`, `h`, `d` or `w` (any case), summed (`1h30m` = 5400,
//!   `2w` = 1209600); it must fit 32 bits. Without a TTL a record takes `$TTL`, else the last TTL
//!   written (RFC 1035 §5.1), else it is an error. Without a class a record takes the last class
//!   written, IN at first.
//! - Types by mnemonic or `TYPEnnn`, classes by mnemonic or `CLASSnnn` (RFC 3597 §5). Rdata in
//!   the type's presentation form ([`RData::from_presentation`]) or the generic
//!   `\# len hex` form (RFC 3597 §5); domain names inside the rdata of NS, CNAME, PTR, DNAME,
//!   MX, SOA, SRV, NAPTR, RRSIG, NSEC, SVCB and HTTPS may be relative or `@` too.
//! - `( ... )` joins lines, `;` starts a comment to the end of the line, `"quoted strings"` hold
//!   blanks, `;` and parentheses, and `\X` / `\DDD` escape a character anywhere.
//! - The OPT pseudo-type is refused (RFC 6891 §6.1.1: it is never part of zone data).
//!
//! Errors carry the line and column (both from 1; the column counts characters) where the
//! problem is. [`write()`] prints records one per line, absolute names, every field written out,
//! so that [`parse`] reads exactly the same records back.

use std::fmt;
use std::fmt::Write as _;

use crate::class::Class;
use crate::error::Error;
use crate::name::Name;
use crate::rdata::RData;
use crate::record::Record;
use crate::rtype::RType;

/// Why a zone file was refused, with where (RFC 1035 §5.1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ZoneError {
    /// The text breaks the zone-file syntax of RFC 1035 §5.1 (or this subset of it).
    #[error("zone file line {line}, column {column}: {reason}")]
    Syntax {
        /// Line, from 1.
        line: usize,
        /// Column in characters, from 1.
        column: usize,
        /// What rule it breaks.
        reason: &'static str,
    },
    /// A name, type, class or rdata that the codec refuses; `error`'s own offset is within
    /// the field, `line` and `column` say where that is in the file.
    #[error("zone file line {line}, column {column}: {error}")]
    Data {
        /// Line, from 1.
        line: usize,
        /// Column in characters, from 1.
        column: usize,
        /// The codec's error.
        error: Error,
    },
}

impl ZoneError {
    /// The line of the error, from 1.
    pub fn line(&self) -> usize {
        match *self {
            ZoneError::Syntax { line, .. } | ZoneError::Data { line, .. } => line,
        }
    }

    /// The column of the error in characters, from 1.
    pub fn column(&self) -> usize {
        match *self {
            ZoneError::Syntax { column, .. } | ZoneError::Data { column, .. } => column,
        }
    }
}

/// Settings for reading a zone file (RFC 1035 §5.1): the origin and TTL in force before any
/// `$ORIGIN` or `$TTL` line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZoneParser {
    origin: Option<Name>,
    default_ttl: Option<u32>,
}

/// Reads a zone file with no origin and no default TTL set in advance (RFC 1035 §5.1).
pub fn parse(text: &str) -> Result<Vec<Record>, ZoneError> {
    ZoneParser::new().parse(text)
}

/// Writes records as a zone file, one record per line: `owner TTL class type rdata`, names
/// absolute (RFC 1035 §5.1). [`parse`] reads the same records back.
pub fn write(records: &[Record]) -> String {
    let mut out = String::new();
    for r in records {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{}", ZoneLine(r));
    }
    out
}

/// One record as a zone-file line, without the line end (RFC 1035 §5.1).
#[derive(Debug, Clone, Copy)]
pub struct ZoneLine<'a>(pub &'a Record);

impl fmt::Display for ZoneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        write!(
            f,
            "{} {} {} {} {}",
            r.name,
            r.ttl,
            r.class,
            r.rtype(),
            r.data
        )
    }
}

/// A TTL as seconds, or in BIND's unit form: one or more numbers each followed by `s`, `m`,
/// `h`, `d` or `w` (any case), summed (`1h30m` is 5400). `None` when it is neither or does not
/// fit 32 bits (RFC 1035 §3.2.1 makes the TTL a 32-bit field; RFC 2181 §8 asks senders to keep
/// it below 2^31, which this does not enforce).
pub fn parse_ttl(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let mut total: u64 = 0;
    let mut number: Option<u64> = None;
    for b in text.bytes() {
        if b.is_ascii_digit() {
            let n = number.unwrap_or(0);
            number = Some(n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?);
            if number > Some(u64::from(u32::MAX)) {
                return None;
            }
            continue;
        }
        let unit: u64 = match b.to_ascii_lowercase() {
            b's' => 1,
            b'm' => 60,
            b'h' => 3600,
            b'd' => 86_400,
            b'w' => 604_800,
            _ => return None,
        };
        total = total.checked_add(number.take()?.checked_mul(unit)?)?;
        if total > u64::from(u32::MAX) {
            return None;
        }
    }
    if number.is_some() {
        // A number without a unit after one with a unit: BIND refuses it too.
        return None;
    }
    u32::try_from(total).ok()
}

/// One token of a zone file.
#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    /// The text: for a quoted string without its quotes, escapes kept.
    raw: &'a str,
    /// Byte offset in the file of the token (of the opening quote for a quoted string).
    offset: usize,
    quoted: bool,
}

/// The tokens of one entry (a line, or lines joined by parentheses).
#[derive(Debug)]
struct Entry<'a> {
    /// Whether the entry's first line starts with a blank: the owner is the previous one.
    blank_owner: bool,
    /// Offset of the entry's first character.
    offset: usize,
    tokens: Vec<Tok<'a>>,
}

/// Splits the file into entries (RFC 1035 §5.1): comments dropped, parentheses joining lines.
fn entries(text: &str) -> Result<Vec<Entry<'_>>, (usize, &'static str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0usize;
    let mut depth = 0usize;
    let mut open_at = 0usize;
    let mut current = Entry {
        blank_owner: false,
        offset: 0,
        tokens: Vec::new(),
    };
    let mut line_start = true;
    while let Some(&b) = bytes.get(i) {
        if line_start && depth == 0 {
            current.blank_owner = b == b' ' || b == b'\t';
            current.offset = i;
        }
        line_start = false;
        match b {
            b'\n' => {
                if depth == 0 {
                    let done = std::mem::replace(
                        &mut current,
                        Entry {
                            blank_owner: false,
                            offset: i + 1,
                            tokens: Vec::new(),
                        },
                    );
                    if !done.tokens.is_empty() {
                        out.push(done);
                    }
                }
                line_start = true;
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b';' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'(' => {
                if depth == 0 {
                    open_at = i;
                }
                depth += 1;
                i += 1;
            }
            b')' => {
                if depth == 0 {
                    return Err((i, "')' without its '('"));
                }
                depth -= 1;
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let end = quoted_end(bytes, i)?;
                let raw = text
                    .get(start..end)
                    .ok_or((i, "not a character boundary"))?;
                current.tokens.push(Tok {
                    raw,
                    offset: i,
                    quoted: true,
                });
                i = end + 1;
            }
            _ => {
                let start = i;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b' ' | b'\t' | b'\r' | b'\n' | b'(' | b')' | b';' => break,
                        b'\\' => i = escape_end(bytes, i)?,
                        // A quoted part inside a word, as in SVCB's `alpn="h2,h3"`.
                        b'"' => i = quoted_end(bytes, i)? + 1,
                        _ => i += 1,
                    }
                }
                let raw = text
                    .get(start..i)
                    .ok_or((start, "not a character boundary"))?;
                current.tokens.push(Tok {
                    raw,
                    offset: start,
                    quoted: false,
                });
            }
        }
    }
    if depth > 0 {
        return Err((open_at, "'(' without its ')'"));
    }
    if !current.tokens.is_empty() {
        out.push(current);
    }
    Ok(out)
}

/// The offset just after an escape at `at` (a backslash): `\X` takes the whole next character.
fn escape_end(bytes: &[u8], at: usize) -> Result<usize, (usize, &'static str)> {
    let Some(&next) = bytes.get(at + 1) else {
        return Err((at, "backslash at the end of the file"));
    };
    if next == b'\n' {
        return Err((at, "backslash at the end of a line"));
    }
    // Skip a whole UTF-8 character so that slicing stays on boundaries; the rdata parser refuses
    // non-ASCII later with a precise reason.
    let mut end = at + 2;
    while bytes.get(end).is_some_and(|&c| c & 0xC0 == 0x80) {
        end += 1;
    }
    Ok(end)
}

/// The offset of the quote that closes the quoted string opening at `at`.
fn quoted_end(bytes: &[u8], at: usize) -> Result<usize, (usize, &'static str)> {
    let mut j = at + 1;
    loop {
        match bytes.get(j) {
            None => return Err((at, "quoted string without its closing quote")),
            Some(b'"') => return Ok(j),
            Some(b'\n') => return Err((at, "line end inside a quoted string")),
            Some(b'\\') => j = escape_end(bytes, j)?,
            Some(_) => j += 1,
        }
    }
}

/// Whether a name token ends with an unescaped dot: absolute (RFC 1035 §5.1).
fn is_absolute(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let mut i = 0usize;
    let mut last_dot = false;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' {
            last_dot = false;
            i += 2;
        } else {
            last_dot = b == b'.';
            i += 1;
        }
    }
    last_dot
}

/// Offsets in the file to lines and columns.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text.as_bytes()));
        Lines { text, starts }
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = match self.text.get(start..offset) {
            Some(s) => s.chars().count() + 1,
            None => offset - start + 1,
        };
        (line, column)
    }

    fn syntax(&self, offset: usize, reason: &'static str) -> ZoneError {
        let (line, column) = self.position(offset);
        ZoneError::Syntax {
            line,
            column,
            reason,
        }
    }

    fn data(&self, offset: usize, error: Error) -> ZoneError {
        let (line, column) = self.position(offset);
        ZoneError::Data {
            line,
            column,
            error,
        }
    }
}

/// The offsets just after each newline.
fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .map(|(i, _)| i + 1)
}

/// The index of the rdata tokens that are domain names, per type, so that they may be relative
/// (RFC 1035 §5.1). Types not listed have no names, or are read in the generic form only.
fn name_fields(rtype: RType) -> &'static [usize] {
    match rtype {
        RType::NS | RType::CNAME | RType::PTR | RType::DNAME | RType::NSEC => &[0],
        RType::MX | RType::SVCB | RType::HTTPS => &[1],
        RType::SOA => &[0, 1],
        RType::SRV => &[3],
        RType::NAPTR => &[5],
        RType::RRSIG => &[7],
        _ => &[],
    }
}

/// The state carried from line to line (RFC 1035 §5.1: omitted fields repeat the last ones).
struct State {
    origin: Option<Name>,
    default_ttl: Option<u32>,
    last_ttl: Option<u32>,
    last_class: Class,
    last_owner: Option<Name>,
}

impl State {
    /// A name token made absolute: `@` is the origin, a relative name gets the origin appended.
    fn name(&self, lines: &Lines<'_>, tok: &Tok<'_>) -> Result<Name, ZoneError> {
        if tok.quoted {
            return Err(lines.syntax(tok.offset, "a domain name is not quoted"));
        }
        if tok.raw == "@" {
            return self
                .origin
                .clone()
                .ok_or_else(|| lines.syntax(tok.offset, "'@' without an $ORIGIN"));
        }
        let name: Name = tok.raw.parse().map_err(|e: Error| {
            let at = tok
                .offset
                .saturating_add(usize::try_from(e.offset()).unwrap_or(0));
            lines.data(at, e)
        })?;
        if is_absolute(tok.raw) {
            return Ok(name);
        }
        let Some(origin) = &self.origin else {
            return Err(lines.syntax(tok.offset, "relative name without an $ORIGIN"));
        };
        Name::from_labels(name.labels().chain(origin.labels()))
            .map_err(|e| lines.data(tok.offset, e))
    }
}

impl ZoneParser {
    /// A parser with no origin and no default TTL.
    pub fn new() -> ZoneParser {
        ZoneParser::default()
    }

    /// The origin before any `$ORIGIN` line: what `@` and relative names mean (RFC 1035 §5.1).
    pub fn origin(mut self, origin: Name) -> ZoneParser {
        self.origin = Some(origin);
        self
    }

    /// The TTL before any `$TTL` line (RFC 2308 §4).
    pub fn default_ttl(mut self, ttl: u32) -> ZoneParser {
        self.default_ttl = Some(ttl);
        self
    }

    /// Reads the records of a zone file (RFC 1035 §5.1), in file order.
    pub fn parse(&self, text: &str) -> Result<Vec<Record>, ZoneError> {
        let lines = Lines::new(text);
        let entries = entries(text).map_err(|(at, reason)| lines.syntax(at, reason))?;
        let mut state = State {
            origin: self.origin.clone(),
            default_ttl: self.default_ttl,
            last_ttl: None,
            last_class: Class::IN,
            last_owner: None,
        };
        let mut records = Vec::new();
        for entry in &entries {
            if let Some(record) = entry_record(&mut state, &lines, entry)? {
                records.push(record);
            }
        }
        Ok(records)
    }
}

/// One entry: a directive (`None`) or a record.
fn entry_record(
    state: &mut State,
    lines: &Lines<'_>,
    entry: &Entry<'_>,
) -> Result<Option<Record>, ZoneError> {
    let mut toks = entry.tokens.iter().peekable();
    let Some(first) = toks.peek().copied().copied() else {
        return Ok(None);
    };
    if !entry.blank_owner && !first.quoted && first.raw.starts_with('$') {
        toks.next();
        let arg = toks.next();
        let directive = first.raw;
        let value = match (directive, arg) {
            ("$ORIGIN" | "$TTL", None) => {
                return Err(lines.syntax(first.offset, "directive without its value"));
            }
            ("$ORIGIN" | "$TTL", Some(v)) => v,
            ("$INCLUDE", _) => {
                return Err(lines.syntax(first.offset, "$INCLUDE is not supported here"));
            }
            _ => return Err(lines.syntax(first.offset, "unknown $ directive")),
        };
        if let Some(extra) = toks.next() {
            return Err(lines.syntax(extra.offset, "more than one value after the directive"));
        }
        if directive == "$ORIGIN" {
            if value.raw == "@" {
                return Err(lines.syntax(value.offset, "$ORIGIN @ says nothing"));
            }
            state.origin = Some(state.name(lines, value)?);
        } else {
            let ttl = ttl_token(lines, value)?;
            state.default_ttl = Some(ttl);
        }
        return Ok(None);
    }
    let owner = if entry.blank_owner {
        state
            .last_owner
            .clone()
            .ok_or_else(|| lines.syntax(entry.offset, "blank owner with no previous record"))?
    } else {
        toks.next();
        state.name(lines, &first)?
    };
    let mut ttl = None;
    let mut class = None;
    let rtype = loop {
        let Some(tok) = toks.next() else {
            return Err(lines.syntax(
                entry.tokens.last().map_or(entry.offset, |t| t.offset),
                "record without a type",
            ));
        };
        if tok.quoted {
            return Err(lines.syntax(tok.offset, "expected a TTL, class or type"));
        }
        if tok.raw.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            if ttl.is_some() {
                return Err(lines.syntax(tok.offset, "a second TTL"));
            }
            ttl = Some(ttl_token(lines, tok)?);
            continue;
        }
        if class.is_none() {
            if let Ok(c) = tok.raw.parse::<Class>() {
                class = Some(c);
                continue;
            }
        }
        match tok.raw.parse::<RType>() {
            Ok(t) => break (t, tok.offset),
            Err(_) => {
                return Err(lines.syntax(tok.offset, "expected a TTL, class or type"));
            }
        }
    };
    let (rtype, type_offset) = rtype;
    if rtype == RType::OPT {
        return Err(lines.syntax(type_offset, "OPT is not zone data (RFC 6891 §6.1.1)"));
    }
    let class = class.unwrap_or(state.last_class);
    let ttl = match ttl {
        Some(t) => {
            state.last_ttl = Some(t);
            t
        }
        None => state
            .default_ttl
            .or(state.last_ttl)
            .ok_or_else(|| lines.syntax(type_offset, "no TTL: write one, or a $TTL line before"))?,
    };
    let rdata: Vec<Tok<'_>> = toks.copied().collect();
    let data = rdata_of(state, lines, rtype, class, &rdata, type_offset)?;
    state.last_class = class;
    state.last_owner = Some(owner.clone());
    Ok(Some(Record {
        name: owner,
        class,
        ttl,
        data,
    }))
}

/// A TTL token.
fn ttl_token(lines: &Lines<'_>, tok: &Tok<'_>) -> Result<u32, ZoneError> {
    if tok.quoted {
        return Err(lines.syntax(tok.offset, "a TTL is not quoted"));
    }
    parse_ttl(tok.raw).ok_or_else(|| {
        lines.syntax(
            tok.offset,
            "bad TTL: seconds, or numbers with units s/m/h/d/w, below 2^32",
        )
    })
}

/// The rdata of a record: its tokens joined again, relative names made absolute, read by
/// [`RData::from_presentation`]; an error's offset mapped back to the file.
fn rdata_of(
    state: &State,
    lines: &Lines<'_>,
    rtype: RType,
    class: Class,
    toks: &[Tok<'_>],
    type_offset: usize,
) -> Result<RData, ZoneError> {
    let generic = toks.first().is_some_and(|t| !t.quoted && t.raw == "\\#");
    let names = if generic { &[][..] } else { name_fields(rtype) };
    let mut text = String::new();
    // (offset in `text`, offset in the file, length in the file) of each token.
    let mut map: Vec<(usize, usize, usize)> = Vec::with_capacity(toks.len());
    for (i, tok) in toks.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        let at = text.len();
        if names.contains(&i) && !tok.quoted {
            let name = state.name(lines, tok)?;
            let _ = write!(text, "{name}");
            map.push((at, tok.offset, tok.raw.len()));
        } else if tok.quoted {
            text.push('"');
            text.push_str(tok.raw);
            text.push('"');
            map.push((at, tok.offset, tok.raw.len() + 2));
        } else {
            text.push_str(tok.raw);
            map.push((at, tok.offset, tok.raw.len()));
        }
    }
    RData::from_presentation(rtype, class, &text).map_err(|e| {
        let offset = usize::try_from(e.offset()).unwrap_or(usize::MAX);
        let at = match map.iter().rev().find(|(at, _, _)| *at <= offset) {
            Some(&(at, file, len)) => file + (offset - at).min(len),
            None => type_offset,
        };
        lines.data(at, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn n(text: &str) -> Name {
        text.parse().unwrap()
    }

    fn rdata(rtype: RType, text: &str) -> RData {
        RData::from_presentation(rtype, Class::IN, text).unwrap()
    }

    /// Parses, then checks that the written form parses back equal, byte for byte in names.
    fn parse_checked(text: &str) -> Vec<Record> {
        let records = parse(text).unwrap();
        let written = write(&records);
        let back = parse(&written).unwrap();
        assert_eq!(back, records, "{written}");
        for (a, b) in back.iter().zip(&records) {
            assert!(a.name.eq_exact(&b.name));
        }
        assert_eq!(write(&back), written);
        records
    }

    #[test]
    fn rfc1035_section_5_3_example() {
        // RFC 1035 §5.3, with a TTL added (the RFC's example predates $TTL and has none).
        let text = "\
$ORIGIN ISI.EDU.
$TTL 1d
@   IN  SOA     VENERA      Action\\.domains (
                                 20     ; SERIAL
                                 7200   ; REFRESH
                                 600    ; RETRY
                                 3600000; EXPIRE
                                 60)    ; MINIMUM

        NS      A.ISI.EDU.
        NS      VENERA
        NS      VAXA
        MX      10      VENERA
        MX      20      VAXA

A       A       26.3.0.103

VENERA  A       10.1.0.52
        A       128.9.0.32

VAXA    A       10.2.0.27
        A       128.9.0.33
";
        let records = parse_checked(text);
        assert_eq!(records.len(), 11);
        let soa = &records[0];
        assert_eq!(soa.name, n("ISI.EDU."));
        assert_eq!(soa.ttl, 86_400);
        assert_eq!(
            soa.data.to_string(),
            "VENERA.ISI.EDU. Action\\.domains.ISI.EDU. 20 7200 600 3600000 60"
        );
        assert_eq!(records[2].data, RData::Ns(n("VENERA.ISI.EDU.")));
        assert_eq!(records[4].name, n("ISI.EDU."));
        assert_eq!(records[4].data, rdata(RType::MX, "10 VENERA.ISI.EDU."));
        assert_eq!(records[6].name, n("A.ISI.EDU."));
        assert_eq!(records[8].name, n("VENERA.ISI.EDU."));
        assert_eq!(records[8].data, RData::A(Ipv4Addr::new(128, 9, 0, 32)));
        assert!(records.iter().all(|r| r.class == Class::IN));
    }

    #[test]
    fn ttl_and_class_in_either_order_and_inherited() {
        let text = "\
a.example. 300 IN A 192.0.2.1
b.example. IN 400 A 192.0.2.2
c.example. CH TXT \"x\"
d.example. TXT \"z\"
e.example. 1h30m TXT \"y\"
";
        let records = parse_checked(text);
        let ttls: Vec<u32> = records.iter().map(|r| r.ttl).collect();
        assert_eq!(ttls, [300, 400, 400, 400, 5400]);
        let classes: Vec<Class> = records.iter().map(|r| r.class).collect();
        assert_eq!(
            classes,
            [Class::IN, Class::IN, Class::CH, Class::CH, Class::CH]
        );
        // A in class CH is not an IPv4 address: only the generic form reads it.
        assert!(parse("x. 1 CH A 1.2.3.4").is_err());
        let ch = parse("x. 1 CH A \\# 2 0102").unwrap();
        assert_eq!(ch[0].data.to_string(), "\\# 2 0102");
    }

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl("0"), Some(0));
        assert_eq!(parse_ttl("4294967295"), Some(u32::MAX));
        assert_eq!(parse_ttl("4294967296"), None);
        assert_eq!(
            parse_ttl("1W2d3H4m5S"),
            Some(604_800 + 172_800 + 10_800 + 240 + 5)
        );
        assert_eq!(parse_ttl("2w"), Some(1_209_600));
        assert_eq!(parse_ttl("7102w"), None);
        assert_eq!(parse_ttl("1h30"), None);
        assert_eq!(parse_ttl("h"), None);
        assert_eq!(parse_ttl(""), None);
        assert_eq!(parse_ttl("1x"), None);
        assert_eq!(parse_ttl("99999999999999999999999s"), None);
    }

    #[test]
    fn directives_origin_and_at() {
        let text = "\
$TTL 60
$ORIGIN example.
@ NS ns
$ORIGIN sub          ; relative to the previous origin
@ CNAME @
www CNAME www.other.
";
        let records = parse_checked(text);
        assert_eq!(records[0].name, n("example."));
        assert_eq!(records[0].data, RData::Ns(n("ns.example.")));
        assert_eq!(records[1].name, n("sub.example."));
        assert_eq!(records[1].data, RData::Cname(n("sub.example.")));
        assert_eq!(records[2].name, n("www.sub.example."));
        assert_eq!(records[2].data, RData::Cname(n("www.other.")));
        let with = ZoneParser::new()
            .origin(n("z."))
            .default_ttl(7)
            .parse("a A 192.0.2.1")
            .unwrap();
        assert_eq!(with[0].name, n("a.z."));
        assert_eq!(with[0].ttl, 7);
    }

    #[test]
    fn relative_names_in_rdata() {
        let text = "\
$ORIGIN example.com.
$TTL 300
@ MX 10 mail
_sip._tcp SRV 0 5 5060 sip
n NAPTR 100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp
svc SVCB 1 svc port=53
h HTTPS 0 @
a NSEC b A NSEC
";
        let records = parse_checked(text);
        assert_eq!(records[0].data.to_string(), "10 mail.example.com.");
        assert_eq!(records[1].data.to_string(), "0 5 5060 sip.example.com.");
        assert!(
            records[2]
                .data
                .to_string()
                .ends_with(" _sip._udp.example.com.")
        );
        assert_eq!(records[3].data.to_string(), "1 svc.example.com. port=53");
        assert_eq!(records[4].data.to_string(), "0 example.com.");
        assert_eq!(records[5].data.to_string(), "b.example.com. A NSEC");
    }

    #[test]
    fn quoted_strings_comments_and_escapes() {
        let text = "$TTL 1\nt.example. TXT \"a; (not a comment)\" \"q\\\"q\" ; comment\n\
                    u.example. TXT ( \"multi\"\n  \"line\" )\n\
                    v\\.w.example. TXT x\\;y\n";
        let records = parse_checked(text);
        assert_eq!(
            records[0].data.to_string(),
            "\"a; (not a comment)\" \"q\\\"q\""
        );
        assert_eq!(records[1].data.to_string(), "\"multi\" \"line\"");
        assert_eq!(records[2].name.labels().next(), Some(&b"v.w"[..]));
        assert_eq!(records[2].data.to_string(), "\"x;y\"");
    }

    #[test]
    fn generic_type_and_rdata() {
        let text = "$TTL 1\n\
                    a.example. CLASS32 TYPE731 \\# 6 abcd (\n ef 01 23 45 )\n\
                    b.example. TYPE62347 \\# 0\n\
                    c.example. IN TYPE1 \\# 4 0A000001\n";
        let records = parse_checked(text);
        assert_eq!(records[0].class, Class(32));
        assert_eq!(records[0].rtype(), RType(731));
        assert_eq!(records[0].data.to_string(), "\\# 6 abcdef012345");
        assert_eq!(records[1].data.to_string(), "\\# 0");
        assert_eq!(records[2].data, RData::A(Ipv4Addr::new(10, 0, 0, 1)));
    }

    #[test]
    fn rfc4034_examples() {
        // The zone lines of RFC 4034 §2.3, §3.3, §4.3 and §5.4.
        let text = "\
example.com. 86400 IN DNSKEY 256 3 5 ( AQPSKmynfzW4kyBv015MUG2DeIQ3
                                      Cbl+BBZH4b/0PY1kxkmvHjcZc8no
                                      kfzj31GajIQKY+5CptLr3buXA10h
                                      WqTkF7H6RfoRqXQeogmMHfpftf6z
                                      Mv1LyBUgia7za6ZEzOJBOztyvhjL
                                      742iU/TpPSEDhm2SNKLijfUppn1U
                                      aNvv4w==  )
host.example.com. 86400 IN RRSIG A 5 3 86400 20030322173103 (
                                  20030220173103 2642 example.com.
                                  oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTr
                                  PYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6o
                                  B9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3t
                                  GNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkG
                                  J5D6fwFm8nN+6pBzeDQfsS3Ap3o= )
alfa.example.com. 86400 IN NSEC host.example.com. (
                                A MX RRSIG NSEC TYPE1234 )
dskey.example.com. 86400 IN DS 60485 5 1 ( 2BB183AF5F22588179A53B0A
                                           98631FAD1A292118 )
";
        let records = parse_checked(text);
        assert_eq!(records.len(), 4);
        let RData::Rrsig(sig) = &records[1].data else {
            panic!("not an RRSIG");
        };
        assert_eq!(sig.signer_name, n("example.com."));
        assert_eq!(sig.key_tag, 2642);
        assert_eq!(
            records[2].data.to_string(),
            "host.example.com. A MX RRSIG NSEC TYPE1234"
        );
        assert_eq!(
            records[3].data.to_string(),
            "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"
        );
        // Each also survives the wire.
        for r in &records {
            let mut msg = crate::Message::default();
            msg.answer.push(r.clone());
            let wire = msg.encode().unwrap();
            assert_eq!(crate::Message::decode(&wire).unwrap().answer[0], *r);
        }
    }

    #[test]
    fn rfc5155_examples() {
        // From the example zone of RFC 5155 Appendix A.
        let text = "\
$ORIGIN example.
$TTL 3600
example.       NSEC3PARAM 1 0 12 aabbccdd
0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. NSEC3 1 1 12 aabbccdd (
                       2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS
                       SOA NSEC3PARAM RRSIG )
2vptu5timamqttgl4luu9kg21e0aor3s NSEC3 1 1 12 aabbccdd (
                       35mthgpgcu1qg68fab165klnsnk3dpvl MX RRSIG )
";
        let records = parse_checked(text);
        assert_eq!(records[0].data.to_string(), "1 0 12 AABBCCDD");
        assert_eq!(
            records[2].name,
            n("2vptu5timamqttgl4luu9kg21e0aor3s.example.")
        );
        assert_eq!(
            records[2].data.to_string(),
            "1 1 12 AABBCCDD 35MTHGPGCU1QG68FAB165KLNSNK3DPVL MX RRSIG"
        );
    }

    #[test]
    fn aaaa_and_owner_wildcard() {
        let records = parse_checked("$TTL 5\n*.example. AAAA 2001:db8::1\n");
        assert_eq!(
            records[0].data,
            RData::Aaaa(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))
        );
        assert_eq!(records[0].name.labels().next(), Some(&b"*"[..]));
    }

    #[test]
    fn errors_have_line_and_column() {
        let err = |text: &str| parse(text).unwrap_err();
        let pos = |e: ZoneError| (e.line(), e.column());
        assert_eq!(pos(err("$TTL 1\na. A 1.2.3")), (2, 6));
        assert_eq!(pos(err("$TTL 1\na. A 1.2.3.4 5")), (2, 14));
        assert_eq!(pos(err("$TTL 1\n\na. MX 10 b..c.")), (3, 12));
        assert_eq!(pos(err("a. A 1.2.3.4")), (1, 4)); // no TTL
        assert_eq!(pos(err("$TTL 1\na A 1.2.3.4")), (2, 1)); // relative, no origin
        assert_eq!(pos(err("$TTL 1\n a A 1.2.3.4")), (2, 1)); // blank owner first
        assert_eq!(pos(err("$TTL 1\na. TXT ( \"x\"\n")), (2, 8));
        assert_eq!(pos(err("$TTL 1\na. TXT \"x\" )")), (2, 12));
        assert_eq!(pos(err("$TTL 1\na. TXT \"x")), (2, 8));
        assert_eq!(pos(err("$TTL 1\na. TXT \"x\ny\"")), (2, 8));
        assert_eq!(pos(err("$TTL 1h30\n")), (1, 6));
        assert_eq!(pos(err("$INCLUDE other\n")), (1, 1));
        assert_eq!(pos(err("$FOO x\n")), (1, 1));
        assert_eq!(pos(err("$ORIGIN\n")), (1, 1));
        assert_eq!(pos(err("$TTL 1 2\n")), (1, 8));
        assert_eq!(pos(err("$TTL 1\na. 1 2 A 1.2.3.4")), (2, 6));
        assert_eq!(pos(err("$TTL 1\na. FOO 1.2.3.4")), (2, 4));
        assert_eq!(pos(err("$TTL 1\na.\n")), (2, 1));
        assert_eq!(pos(err("$TTL 1\na. OPT \\# 0")), (2, 4));
        assert_eq!(pos(err("$TTL 1\nä. A 1.2.3.4")), (2, 1));
        assert_eq!(pos(err("$TTL 1\n\"a.\" A 1.2.3.4")), (2, 1));
        assert_eq!(pos(err("$TTL 1\nä. TXT x\\")), (2, 9));
        // Columns count characters, not bytes.
        assert_eq!(pos(err("$TTL 1\na. TXT \"ä\" (")), (2, 12));
        let text = err("$TTL 1\na. A 1.2.3").to_string();
        assert!(text.starts_with("zone file line 2, column 6: "), "{text}");
    }

    #[test]
    fn empty_and_comment_only() {
        assert_eq!(parse("").unwrap(), []);
        assert_eq!(parse("; nothing\n\n   ; more\n").unwrap(), []);
        assert_eq!(write(&[]), "");
    }

    #[test]
    fn crlf_line_ends() {
        let records = parse_checked("$TTL 1\r\na. A 192.0.2.1\r\n  TXT \"x\"\r\n");
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].name, n("a."));
    }
}
