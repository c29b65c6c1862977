//! The `zone` part of the contract, over `dns_codec::zone`: zone-file text (RFC 1035 §5) in,
//! one record object per line out, read as it arrives.
//!
//! ```text
//! wire decode zone [--origin NAME] [--ttl N]   zone text -> {"name":..,"ttl":..,"class":..,"type":..,"data":..} per record
//! wire encode zone                             record objects -> one zone line each, names absolute
//! ```
//!
//! `decode` feeds the input to a [`ZoneReader`] 64 KiB at a time and prints each record once its
//! entry is read, so its memory is one piece and one entry whatever the size of the text. The
//! first refused entry ends the output with the error line; its offset is the byte offset in the
//! text, its message names the line, the column and the field.

use std::io::{self, Read};

use bytes::BytesMut;
use dns_codec::Name;
use dns_codec::zone::{ZoneError, ZoneLine, ZoneParser, ZoneReader, parse_ttl};
use serde_json::Value;

use crate::dns::{record_from_json, record_json};
use crate::proto::{ItemEncoder, ItemError, Options, Protocol, Reportable, Sink};

/// How many bytes `decode` reads at a time.
const CHUNK: usize = 64 * 1024;

/// `zone`: zone-file text (RFC 1035 §5.1), one record object per record.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Zone {
    /// The $ORIGIN before any $ORIGIN line (absolute, the trailing dot optional).
    #[arg(long, value_name = "NAME", value_parser = origin)]
    pub origin: Option<Name>,
    /// The $TTL before any $TTL line: seconds, or BIND's unit form (1h30m).
    #[arg(long, value_name = "N", value_parser = ttl)]
    pub ttl: Option<u32>,
}

/// `--origin`'s value: a name, absolute whether or not it ends in a dot.
fn origin(text: &str) -> Result<Name, String> {
    text.parse().map_err(|e| format!("not a domain name: {e}"))
}

/// `--ttl`'s value.
fn ttl(text: &str) -> Result<u32, String> {
    parse_ttl(text).ok_or_else(|| {
        "not a TTL: seconds, or numbers with units s/m/h/d/w, below 2^32".to_string()
    })
}

impl Zone {
    fn reader(&self) -> ZoneReader {
        let mut parser = ZoneParser::new();
        if let Some(origin) = &self.origin {
            parser = parser.origin(origin.clone());
        }
        if let Some(ttl) = self.ttl {
            parser = parser.default_ttl(ttl);
        }
        parser.reader()
    }
}

impl Reportable for ZoneError {
    fn kind(&self) -> &'static str {
        match self {
            ZoneError::Data { error, .. } => error.kind(),
            ZoneError::Incomplete { .. } => "incomplete",
            ZoneError::EntryTooLong { .. } => "too-large",
            _ => "syntax",
        }
    }

    fn offset(&self) -> Option<u64> {
        Some(ZoneError::offset(self))
    }
}

/// Prints the records `reader` has ready; the first error stops.
fn drain(reader: &mut ZoneReader, sink: &mut Sink<'_>) -> Result<(), ItemError> {
    for record in reader {
        match record {
            Ok(record) => sink.item(record_json(&record)),
            Err(e) => return Err(ItemError::from_error(&e, 0)),
        }
    }
    Ok(())
}

impl Protocol for Zone {
    fn decode(&self, _: &Options, input: &[u8], sink: &mut Sink<'_>) -> Result<(), ItemError> {
        let mut reader = self.reader();
        reader.feed(input);
        reader.finish();
        drain(&mut reader, sink)
    }

    fn decode_read(
        &self,
        _: &Options,
        input: &mut dyn Read,
        sink: &mut Sink<'_>,
    ) -> io::Result<Result<(), ItemError>> {
        let mut reader = self.reader();
        let mut chunk = vec![0u8; CHUNK];
        loop {
            if let Err(e) = drain(&mut reader, sink) {
                return Ok(Err(e));
            }
            // What is printed goes out before waiting for more.
            sink.flush();
            let n = match input.read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let Some(piece) = chunk.get(..n).filter(|p| !p.is_empty()) else {
                reader.finish();
                return Ok(drain(&mut reader, sink));
            };
            reader.feed(piece);
        }
    }

    fn encoder(&self, _: &Options) -> Box<dyn ItemEncoder> {
        Box::new(Lines)
    }
}

/// Record objects into zone lines.
struct Lines;

impl ItemEncoder for Lines {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        let record = record_from_json(item)?;
        dst.extend_from_slice(format!("{}\n", ZoneLine(&record)).as_bytes());
        Ok(())
    }
}
