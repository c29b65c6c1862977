//! A thin adapter from [`std::io::Read`] to the zone reader: the only place the zone module
//! touches I/O, and the only place [`std::io::Error`] appears.

use std::io::{self, Read};

use super::error::ZoneError;
use super::reader::{ZoneParser, ZoneReader};
use crate::record::Record;

/// How many bytes [`ZoneRecords`] reads at a time.
const CHUNK: usize = 64 * 1024;

/// Why [`ZoneRecords`] gave no record: the text, or reading it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ZoneReadError {
    /// An entry was refused (RFC 1035 §5.1); the records after it still come.
    #[error(transparent)]
    Zone(#[from] ZoneError),
    /// Reading failed; nothing comes after it.
    #[error("reading the zone text: {0}")]
    Io(#[from] io::Error),
}

/// The records of a zone file read from `R` 64 KiB at a time (RFC 1035 §5.1), from
/// [`ZoneParser::read`]: memory is one chunk and one entry, whatever the file's size.
///
/// ```
/// use dns_codec::zone::ZoneParser;
///
/// let text = "$ORIGIN example.\n$TTL 1h\n@ NS ns\nns A 192.0.2.1\n";
/// let records: Vec<_> = ZoneParser::new()
///     .read(text.as_bytes())
///     .collect::<Result<_, _>>()?;
/// assert_eq!(records[1].name.to_string(), "ns.example.");
/// assert_eq!(records[1].ttl, 3600);
/// # Ok::<(), dns_codec::zone::ZoneReadError>(())
/// ```
#[derive(Debug)]
pub struct ZoneRecords<R> {
    reader: ZoneReader,
    source: R,
    chunk: Vec<u8>,
    /// The source ended or failed: read no more.
    ended: bool,
}

impl ZoneParser {
    /// The records of the zone text `source` gives, read as it comes (see [`ZoneRecords`]).
    pub fn read<R: Read>(&self, source: R) -> ZoneRecords<R> {
        ZoneRecords {
            reader: self.reader(),
            source,
            chunk: Vec::new(),
            ended: false,
        }
    }
}

impl<R: Read> Iterator for ZoneRecords<R> {
    type Item = Result<Record, ZoneReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(next) = self.reader.next_record() {
                return Some(next.map_err(ZoneReadError::Zone));
            }
            if self.ended {
                return None;
            }
            self.chunk.resize(CHUNK, 0);
            match self.source.read(&mut self.chunk) {
                Ok(0) => {
                    self.ended = true;
                    self.chunk = Vec::new();
                    self.reader.finish();
                }
                Ok(n) => self.reader.feed(self.chunk.get(..n).unwrap_or_default()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.ended = true;
                    return Some(Err(ZoneReadError::Io(e)));
                }
            }
        }
    }
}
