//! The streaming zone-file reader (RFC 1035 §5.1): text fed in pieces of any size, records out
//! entry by entry, memory bounded by the longest entry rather than the file.

use super::error::ZoneError;
use super::record::State;
use super::scanner::{Framer, Step};
use crate::name::Name;
use crate::record::Record;

/// Limits of the zone reader, with safe defaults (RFC 1035 §5.1 sets none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneLimits {
    /// The most bytes one entry (a line, or lines joined by parentheses, comments included,
    /// its line end not counted) may have: the reader keeps one entry in memory, so this bounds
    /// its memory. A longer entry is [`ZoneError::EntryTooLong`] and is skipped without being
    /// kept. Default 65 536: a record's rdata is at most 65 535 octets on the wire (RFC 1035
    /// §3.2.1), and real zone entries are far shorter; an unclosed `(` that would otherwise
    /// swallow the rest of the file is caught after this many bytes.
    pub max_entry_len: usize,
}

impl Default for ZoneLimits {
    fn default() -> ZoneLimits {
        ZoneLimits {
            max_entry_len: 65_536,
        }
    }
}

/// Settings for reading a zone file (RFC 1035 §5.1): the origin and TTL in force before any
/// `$ORIGIN` or `$TTL` line, and the [`ZoneLimits`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZoneParser {
    origin: Option<Name>,
    default_ttl: Option<u32>,
    limits: ZoneLimits,
}

impl ZoneParser {
    /// A parser with no origin, no default TTL and the default limits.
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

    /// The limits of the reader (RFC 1035 §5.1 sets none; see [`ZoneLimits`]).
    pub fn limits(mut self, limits: ZoneLimits) -> ZoneParser {
        self.limits = limits;
        self
    }

    /// Reads the records of a zone file (RFC 1035 §5.1), in file order, up to the first error.
    /// Reads `text` in place, entry by entry: an error on line 1 costs line 1.
    pub fn parse(&self, text: &str) -> Result<Vec<Record>, ZoneError> {
        let mut framer = Framer::default();
        let mut state = self.state();
        let mut rest = text.as_bytes();
        let mut records = Vec::new();
        loop {
            let mut consumed = 0;
            let next = pull(
                &mut framer,
                &mut state,
                self.limits.max_entry_len,
                rest,
                true,
                &mut consumed,
            );
            rest = rest.get(consumed..).unwrap_or_default();
            match next {
                Some(record) => records.push(record?),
                None => return Ok(records),
            }
        }
    }

    /// A reader to feed the text to in pieces (RFC 1035 §5.1).
    pub fn reader(&self) -> ZoneReader {
        ZoneReader {
            state: self.state(),
            max_entry_len: self.limits.max_entry_len,
            framer: Framer::default(),
            buf: Vec::new(),
            start: 0,
            finished: false,
        }
    }

    fn state(&self) -> State {
        State::new(self.origin.clone(), self.default_ttl)
    }
}

/// A sans-IO zone-file reader (RFC 1035 §5.1): [`feed`](ZoneReader::feed) it the text in
/// pieces of any size, cut anywhere (inside a line, inside a UTF-8 character), then
/// [`finish`](ZoneReader::finish) it, and take the records with
/// [`next_record`](ZoneReader::next_record) (or as an iterator) between feeds.
///
/// It keeps what was fed and not yet read: take the records after each piece and that is at
/// most one piece and one unfinished entry, whatever the size of the file (an entry is at most
/// [`ZoneLimits::max_entry_len`] bytes). Each byte is scanned once, so feeding byte by byte costs
/// what feeding the text whole does, and gives the same records and errors; lines, columns and
/// offsets count from the start of the first piece.
///
/// After an error the reader goes on with the next entry: an error costs its entry. A refused
/// entry changes nothing for the entries after it, except that the blank-owner lines after a
/// refused owner are refused too (rather than given the owner before it).
///
/// ```
/// use dns_codec::zone::ZoneParser;
///
/// let mut reader = ZoneParser::new().default_ttl(300).reader();
/// let mut names = Vec::new();
/// // Pieces cut anywhere, even inside a line.
/// for piece in ["a.example. A 192.0", ".2.1\nb.example. AA", "AA 2001:db8::1\n"] {
///     reader.feed(piece.as_bytes());
///     while let Some(record) = reader.next_record() {
///         names.push(record?.name.to_string());
///     }
/// }
/// reader.finish();
/// for record in reader.by_ref() {
///     names.push(record?.name.to_string());
/// }
/// assert_eq!(names, ["a.example.", "b.example."]);
/// # Ok::<(), dns_codec::zone::ZoneError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ZoneReader {
    state: State,
    max_entry_len: usize,
    framer: Framer,
    /// What was fed; `buf[start..]` is not read yet.
    buf: Vec<u8>,
    start: usize,
    finished: bool,
}

impl Default for ZoneReader {
    fn default() -> ZoneReader {
        ZoneReader::new()
    }
}

impl ZoneReader {
    /// A reader with no origin, no default TTL and the default limits; see [`ZoneParser`] to
    /// set them.
    pub fn new() -> ZoneReader {
        ZoneParser::new().reader()
    }

    /// Appends the next piece of the text. Bytes fed after [`finish`](ZoneReader::finish) are
    /// ignored.
    pub fn feed(&mut self, piece: &[u8]) {
        if self.finished {
            return;
        }
        // Drop what was read once it is at least half the buffer: each byte moves at most once.
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(piece);
    }

    /// Says that the text ended: the last entry needs no line end, and an entry left open
    /// (a `(` without its `)`) becomes [`ZoneError::Incomplete`].
    pub fn finish(&mut self) {
        self.finished = true;
    }

    /// The next record, or the error of the next refused entry; `None` when the text fed so far
    /// holds no more whole entry (feed more, or finish), and after the end of a finished text.
    pub fn next_record(&mut self) -> Option<Result<Record, ZoneError>> {
        let rest = self.buf.get(self.start..).unwrap_or_default();
        let mut consumed = 0;
        let next = pull(
            &mut self.framer,
            &mut self.state,
            self.max_entry_len,
            rest,
            self.finished,
            &mut consumed,
        );
        self.start += consumed;
        if next.is_none() && self.finished {
            // Nothing is left to read: give the memory back.
            self.buf = Vec::new();
            self.start = 0;
        }
        next
    }

    /// How many bytes fed are not yet read (the unfinished entry, and any whole entries not yet
    /// taken).
    pub fn buffered(&self) -> usize {
        self.buf.len().saturating_sub(self.start)
    }
}

/// The records as [`ZoneReader::next_record`] gives them; `None` means "feed more or finish"
/// until the reader is finished, so the iterator may yield again after a `None`.
impl Iterator for ZoneReader {
    type Item = Result<Record, ZoneError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
    }
}

/// The next record or error from `avail`, the bytes from the current entry's start on
/// (`finished`: nothing comes after them); adds the bytes it read to `consumed`.
fn pull(
    framer: &mut Framer,
    state: &mut State,
    max_entry_len: usize,
    mut avail: &[u8],
    finished: bool,
    consumed: &mut usize,
) -> Option<Result<Record, ZoneError>> {
    loop {
        let (n, step) = framer.step(avail, finished, max_entry_len);
        let (entry, rest) = avail.split_at_checked(n).unwrap_or((avail, &[]));
        avail = rest;
        *consumed += n;
        match step {
            Step::Entry { line, offset, last } => match state.entry(entry, line, offset, last) {
                Ok(Some(record)) => return Some(Ok(record)),
                Ok(None) => {}
                Err(e) => return Some(Err(e)),
            },
            Step::TooLong { line, offset } => {
                return Some(Err(ZoneError::EntryTooLong {
                    line,
                    column: 1,
                    offset,
                    limit: max_entry_len,
                }));
            }
            Step::Skipped => {}
            Step::More | Step::Done => return None,
        }
    }
}
