//! One entry read into a record or a directive, with the state carried from entry to entry
//! (RFC 1035 §5.1: an omitted owner, TTL or class repeats the last one).

use std::fmt::Write as _;

use super::entry::{Tok, is_absolute, tokens};
use super::error::ZoneError;
use super::fields::{field_name, name_fields, ttl_fields};
use super::ttl::parse_ttl;
use crate::class::Class;
use crate::error::Error;
use crate::name::Name;
use crate::rdata::RData;
use crate::record::Record;
use crate::rtype::RType;

/// Why a timer written in BIND's unit form is refused.
const BAD_TIMER: &str = "not seconds, or numbers with units s/m/h/d/w, below 2^32";

/// One entry and where it is in the whole text: offsets in the entry to lines and columns.
struct Here<'a> {
    text: &'a [u8],
    /// Line of the entry's first byte (which starts a line).
    line: usize,
    /// Offset of the entry's first byte in the whole text.
    offset: u64,
}

impl Here<'_> {
    /// Line, column and offset in the whole text of the entry's byte `at`.
    fn place(&self, at: usize) -> (usize, usize, u64) {
        let before = self.text.get(..at).unwrap_or(self.text);
        let line = self.line + before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let column = before
            .get(line_start..)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count()
            + 1;
        (line, column, self.offset + before.len() as u64)
    }

    fn syntax(&self, at: usize, reason: &'static str) -> ZoneError {
        let (line, column, offset) = self.place(at);
        ZoneError::Syntax {
            line,
            column,
            offset,
            reason,
        }
    }

    fn incomplete(&self, at: usize, reason: &'static str) -> ZoneError {
        let (line, column, offset) = self.place(at);
        ZoneError::Incomplete {
            line,
            column,
            offset,
            reason,
        }
    }

    fn data(&self, at: usize, field: &'static str, error: Error) -> ZoneError {
        let (line, column, offset) = self.place(at);
        ZoneError::Data {
            line,
            column,
            offset,
            field,
            error,
        }
    }
}

/// The owner a blank-owner line takes.
#[derive(Debug, Clone)]
enum Owner {
    /// No record yet.
    Unset,
    /// The last owner written.
    Known(Name),
    /// The last entry that wrote an owner was refused there.
    Refused,
}

/// The state carried from entry to entry (RFC 1035 §5.1).
#[derive(Debug, Clone)]
pub(super) struct State {
    origin: Option<Name>,
    /// The origin in presentation form, to append to relative names.
    origin_text: Option<String>,
    default_ttl: Option<u32>,
    last_ttl: Option<u32>,
    last_class: Class,
    last_owner: Owner,
    /// Allocations kept from entry to entry: the tokens, the rdata text and its offset map.
    scratch_toks: Vec<Tok<'static>>,
    scratch_text: String,
    scratch_map: Vec<(usize, usize, usize)>,
    scratch_name: String,
}

impl State {
    /// The state before the first entry: `origin` and `default_ttl` as if set by `$ORIGIN` and
    /// `$TTL`.
    pub(super) fn new(origin: Option<Name>, default_ttl: Option<u32>) -> State {
        State {
            origin_text: origin.as_ref().map(Name::to_string),
            origin,
            default_ttl,
            last_ttl: None,
            last_class: Class::IN,
            last_owner: Owner::Unset,
            scratch_toks: Vec::new(),
            scratch_text: String::new(),
            scratch_map: Vec::new(),
            scratch_name: String::new(),
        }
    }

    /// Reads one whole entry, `bytes` (its line end included when it has one), which starts
    /// at `line` and `offset` of the whole text; `last`: it ends at the end of the text.
    /// A directive or an entry of blanks and comments is `None`.
    ///
    /// A refused entry leaves the state as it was, except that a record entry that writes an
    /// owner sets the owner of the blank-owner lines after it, or, if its owner is refused,
    /// makes them errors too.
    pub(super) fn entry(
        &mut self,
        bytes: &[u8],
        line: usize,
        offset: u64,
        last: bool,
    ) -> Result<Option<Record>, ZoneError> {
        let here = Here {
            text: bytes,
            line,
            offset,
        };
        let mut toks = recycle(std::mem::take(&mut self.scratch_toks));
        let result = self.tokens_read(&here, bytes, last, &mut toks);
        self.scratch_toks = recycle(toks);
        result
    }

    /// [`State::entry`] with a token list to fill.
    fn tokens_read<'a>(
        &mut self,
        here: &Here<'_>,
        text: &'a [u8],
        last: bool,
        toks: &mut Vec<Tok<'a>>,
    ) -> Result<Option<Record>, ZoneError> {
        tokens(text, toks).map_err(|e| {
            if e.incomplete && last {
                here.incomplete(e.at, e.reason)
            } else {
                here.syntax(e.at, e.reason)
            }
        })?;
        let blank_owner = matches!(text.first(), Some(b' ' | b'\t'));
        let Some(first) = toks.first() else {
            return Ok(None);
        };
        if !blank_owner && !first.quoted && first.raw.starts_with('$') {
            self.directive(here, toks)?;
            return Ok(None);
        }
        self.record(here, blank_owner, toks).map(Some)
    }

    /// `$ORIGIN <name>` or `$TTL <ttl>` (RFC 1035 §5.1, RFC 2308 §4).
    fn directive(&mut self, here: &Here<'_>, toks: &[Tok<'_>]) -> Result<(), ZoneError> {
        let Some(first) = toks.first() else {
            return Ok(());
        };
        let directive = first.raw;
        let value = match (directive, toks.get(1)) {
            ("$ORIGIN" | "$TTL", None) => {
                return Err(here.syntax(first.offset, "directive without its value"));
            }
            ("$ORIGIN" | "$TTL", Some(v)) => v,
            ("$INCLUDE", _) => {
                return Err(here.syntax(first.offset, "$INCLUDE is not supported here"));
            }
            _ => return Err(here.syntax(first.offset, "unknown $ directive")),
        };
        if let Some(extra) = toks.get(2) {
            return Err(here.syntax(extra.offset, "more than one value after the directive"));
        }
        if directive == "$ORIGIN" {
            if value.raw == "@" {
                return Err(here.syntax(value.offset, "$ORIGIN @ says nothing"));
            }
            let origin = self.owned_name(here, value, "$ORIGIN")?;
            self.origin_text = Some(origin.to_string());
            self.origin = Some(origin);
        } else {
            self.default_ttl = Some(ttl_token(here, value)?);
        }
        Ok(())
    }

    /// `[owner] [TTL] [class] type rdata`, TTL and class in either order (RFC 1035 §5.1).
    fn record(
        &mut self,
        here: &Here<'_>,
        blank_owner: bool,
        toks: &[Tok<'_>],
    ) -> Result<Record, ZoneError> {
        let (owner, mut rest) = if blank_owner {
            let owner = match &self.last_owner {
                Owner::Known(name) => name.clone(),
                Owner::Unset => {
                    return Err(here.syntax(0, "blank owner with no previous record"));
                }
                Owner::Refused => {
                    return Err(here.syntax(0, "blank owner after a refused owner"));
                }
            };
            (owner, toks.iter())
        } else {
            let mut rest = toks.iter();
            let Some(first) = rest.next() else {
                return Err(here.syntax(0, "record without a type"));
            };
            match self.owned_name(here, first, "owner") {
                Ok(name) => {
                    self.last_owner = Owner::Known(name.clone());
                    (name, rest)
                }
                Err(e) => {
                    self.last_owner = Owner::Refused;
                    return Err(e);
                }
            }
        };
        let mut ttl = None;
        let mut class = None;
        let type_tok = loop {
            let Some(tok) = rest.next() else {
                return Err(
                    here.syntax(toks.last().map_or(0, |t| t.offset), "record without a type")
                );
            };
            if tok.quoted {
                return Err(here.syntax(tok.offset, "expected a TTL, class or type"));
            }
            if tok.raw.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                if ttl.is_some() {
                    return Err(here.syntax(tok.offset, "a second TTL"));
                }
                ttl = Some(ttl_token(here, tok)?);
                continue;
            }
            if class.is_none() {
                if let Ok(c) = tok.raw.parse::<Class>() {
                    class = Some(c);
                    continue;
                }
            }
            break tok;
        };
        let Ok(rtype) = type_tok.raw.parse::<RType>() else {
            return Err(here.syntax(type_tok.offset, "expected a TTL, class or type"));
        };
        if rtype == RType::OPT {
            return Err(here.syntax(type_tok.offset, "OPT is not zone data (RFC 6891 §6.1.1)"));
        }
        let class = class.unwrap_or(self.last_class);
        let written_ttl = ttl;
        let ttl = match ttl.or(self.default_ttl).or(self.last_ttl) {
            Some(t) => t,
            None => {
                return Err(
                    here.syntax(type_tok.offset, "no TTL: write one, or a $TTL line before")
                );
            }
        };
        let type_end = type_tok.offset + type_tok.raw.len();
        let mut text = std::mem::take(&mut self.scratch_text);
        let mut map = std::mem::take(&mut self.scratch_map);
        text.clear();
        map.clear();
        let data = self.rdata(
            here,
            rtype,
            class,
            rest.as_slice(),
            type_end,
            &mut text,
            &mut map,
        );
        self.scratch_text = text;
        self.scratch_map = map;
        let data = data?;
        if written_ttl.is_some() {
            self.last_ttl = written_ttl;
        }
        self.last_class = class;
        Ok(Record {
            name: owner,
            class,
            ttl,
            data,
        })
    }

    /// [`State::name`] with the state's own buffer.
    fn owned_name(
        &mut self,
        here: &Here<'_>,
        tok: &Tok<'_>,
        field: &'static str,
    ) -> Result<Name, ZoneError> {
        let mut buf = std::mem::take(&mut self.scratch_name);
        let name = self.name(here, tok, field, &mut buf);
        self.scratch_name = buf;
        name
    }

    /// A name token made absolute: `@` is the origin, a relative name gets the origin appended.
    /// `field` names it in an error; `buf` is a buffer to use.
    fn name(
        &self,
        here: &Here<'_>,
        tok: &Tok<'_>,
        field: &'static str,
        buf: &mut String,
    ) -> Result<Name, ZoneError> {
        if tok.quoted {
            return Err(here.syntax(tok.offset, "a domain name is not quoted"));
        }
        if tok.raw == "@" {
            return self
                .origin
                .clone()
                .ok_or_else(|| here.syntax(tok.offset, "'@' without an $ORIGIN"));
        }
        buf.clear();
        self.absolute(here, tok, buf)?;
        buf.parse().map_err(|e: Error| {
            // A fault in the origin part (a name made too long) is placed at the token's end.
            let inner = usize::try_from(e.offset()).map_or(0, |i| i.min(tok.raw.len()));
            here.data(tok.offset + inner, field, e)
        })
    }

    /// Appends the text of name token `tok` made absolute to `out`: `@` is the origin, a
    /// relative name gets the origin appended (RFC 1035 §5.1). The name's parser checks the
    /// rest.
    fn absolute(&self, here: &Here<'_>, tok: &Tok<'_>, out: &mut String) -> Result<(), ZoneError> {
        if tok.raw == "@" {
            let origin = self.origin_text.as_deref();
            out.push_str(origin.ok_or_else(|| here.syntax(tok.offset, "'@' without an $ORIGIN"))?);
            return Ok(());
        }
        out.push_str(tok.raw);
        if is_absolute(tok.raw) {
            return Ok(());
        }
        let Some(origin) = self.origin_text.as_deref() else {
            return Err(here.syntax(tok.offset, "relative name without an $ORIGIN"));
        };
        if origin != "." {
            out.push('.');
        }
        out.push_str(origin);
        Ok(())
    }

    /// The rdata of a record: its tokens joined again, relative names made absolute, timers in
    /// BIND's unit form made seconds, read by [`RData::from_presentation`]; an error is placed
    /// in the file and names its field. `type_end`: where the type token ends in the entry;
    /// `text` and `map`: empty buffers to use.
    #[allow(clippy::too_many_arguments, reason = "two of them are reused buffers")]
    fn rdata(
        &self,
        here: &Here<'_>,
        rtype: RType,
        class: Class,
        toks: &[Tok<'_>],
        type_end: usize,
        text: &mut String,
        map: &mut Vec<(usize, usize, usize)>,
    ) -> Result<RData, ZoneError> {
        let generic = toks.first().is_some_and(|t| !t.quoted && t.raw == "\\#");
        let (names, timers) = if generic {
            (&[][..], &[][..])
        } else {
            (name_fields(rtype), ttl_fields(rtype))
        };
        let field = |index: usize| field_name(rtype, generic, index);
        // `map`: (offset in `text`, offset in the entry, length in the entry) of each token.
        for (i, tok) in toks.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            let at = text.len();
            if tok.quoted {
                text.push('"');
                text.push_str(tok.raw);
                text.push('"');
                map.push((at, tok.offset, tok.raw.len() + 2));
                continue;
            }
            if names.contains(&i) {
                self.absolute(here, tok, text)?;
            } else if timers.contains(&i) {
                let Some(seconds) = parse_ttl(tok.raw) else {
                    let error = Error::Syntax {
                        offset: 0,
                        reason: BAD_TIMER,
                    };
                    return Err(here.data(tok.offset, field(i), error));
                };
                let _ = write!(text, "{seconds}");
            } else {
                text.push_str(tok.raw);
            }
            map.push((at, tok.offset, tok.raw.len()));
        }
        RData::from_presentation(rtype, class, text).map_err(|e| {
            let missing = toks.is_empty()
                || matches!(e, Error::Syntax { offset: 0, reason } if reason.starts_with("missing"));
            if missing {
                // Every field written was read: the next one is not there. Point after the last.
                let end = toks.last().map_or(type_end, |t| {
                    t.offset + t.raw.len() + if t.quoted { 2 } else { 0 }
                });
                return here.data(end, field(toks.len()), e);
            }
            let offset = usize::try_from(e.offset()).unwrap_or(usize::MAX);
            match map.iter().enumerate().rev().find(|(_, m)| m.0 <= offset) {
                Some((index, &(at, entry, len))) => {
                    here.data(entry + (offset - at).min(len), field(index), e)
                }
                None => here.data(type_end, field(0), e),
            }
        })
    }
}

/// An empty token list that keeps `toks`'s allocation, for entries of another lifetime.
fn recycle<'b>(mut toks: Vec<Tok<'_>>) -> Vec<Tok<'b>> {
    toks.clear();
    // Collecting an empty iterator into a Vec of the same layout reuses its allocation.
    toks.into_iter()
        .map(|t| Tok {
            raw: "",
            offset: t.offset,
            quoted: t.quoted,
        })
        .collect()
}

/// A TTL token (RFC 1035 §5.1, BIND's unit form too).
fn ttl_token(here: &Here<'_>, tok: &Tok<'_>) -> Result<u32, ZoneError> {
    if tok.quoted {
        return Err(here.syntax(tok.offset, "a TTL is not quoted"));
    }
    parse_ttl(tok.raw).ok_or_else(|| {
        here.syntax(
            tok.offset,
            "bad TTL: seconds, or numbers with units s/m/h/d/w, below 2^32",
        )
    })
}
