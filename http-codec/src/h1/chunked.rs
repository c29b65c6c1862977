//! RFC 9112 §7.1: decoding the chunked transfer coding.
//!
//! ```text
//! chunked-body   = *chunk last-chunk trailer-section CRLF
//! chunk          = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//! last-chunk     = 1*("0") [ chunk-ext ] CRLF
//! trailer-section = *( field-line CRLF )
//! ```
//!
//! A resumable state machine: chunk data is handed out as it arrives (never buffered), a chunk
//! line is scanned for its end within the chunk-ext limit before it is parsed, and the trailer
//! section is found the way a head is.

use bytes::{Bytes, BytesMut};

use crate::Config;
use crate::error::{Error, Found, Limit};
use crate::field::{Field, Headers};
use crate::h1::head::{Section, header_section};
use crate::h1::parse::chunk::chunk_line;
use crate::h1::scan::{BlockLimits, BlockScan};

/// The longest chunk-size worth reading: 16 hex digits fill 64 bits; leading zeros beyond that
/// are allowed by the grammar but bounded here by the chunk-ext limit's allowance.
const SIZE_ALLOWANCE: usize = 64;

/// Where in a chunked body the decoder is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Chunked {
    /// Reading a chunk line; `scanned` bytes of it have been searched for its LF.
    Line { scanned: usize },
    /// Inside chunk-data with this many bytes to go.
    Data { remaining: u64 },
    /// After chunk-data: its CRLF must come next.
    DataEnd,
    /// Reading the trailer section.
    Trailers(BlockScan),
    /// The body has ended.
    Done,
}

/// What the chunked decoder produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChunkItem {
    /// Some chunk-data.
    Data(Bytes),
    /// The end of the body, with its trailer fields.
    End(Headers),
}

impl Chunked {
    pub(crate) fn new() -> Chunked {
        Chunked::Line { scanned: 0 }
    }

    /// Decodes from `src`, whose first byte is at stream offset `*offset` (advanced by what is
    /// consumed). `body_size` counts the chunk-data bytes for the body limit.
    pub(crate) fn decode(
        &mut self,
        src: &mut BytesMut,
        config: &Config,
        offset: &mut u64,
        body_size: &mut u64,
    ) -> Result<Option<ChunkItem>, Error> {
        loop {
            match self {
                Chunked::Line { scanned } => {
                    let limit = config.limits.max_chunk_extension + SIZE_ALLOWANCE;
                    let Some(lf) = src
                        .get(*scanned..)
                        .and_then(|rest| memchr::memchr(b'\n', rest))
                        .map(|i| *scanned + i)
                    else {
                        if src.len() > limit {
                            return Err(Error::TooLarge {
                                offset: *offset,
                                what: Limit::ChunkExtension,
                                limit: config.limits.max_chunk_extension as u64,
                            });
                        }
                        *scanned = src.len();
                        return Ok(None);
                    };
                    if lf > limit {
                        return Err(Error::TooLarge {
                            offset: *offset,
                            what: Limit::ChunkExtension,
                            limit: config.limits.max_chunk_extension as u64,
                        });
                    }
                    let size = {
                        let line = src.get(..lf).unwrap_or_default();
                        let line = match line.split_last() {
                            Some((b'\r', before)) => before,
                            _ if config.leniency.bare_lf() => line,
                            _ => {
                                return Err(Error::Syntax {
                                    offset: *offset + lf as u64,
                                    production: "chunk",
                                    found: Found::Byte(b'\n'),
                                    reason: "bare LF ends a chunk line, RFC 9112 §7.1 (request smuggling)",
                                });
                            }
                        };
                        let (size, _ext) =
                            chunk_line(line).map_err(|f| f.into_error(line).shifted(*offset))?;
                        size
                    };
                    let _ = src.split_to(lf + 1);
                    *offset += lf as u64 + 1;
                    *self = if size == 0 {
                        Chunked::Trailers(BlockScan::default())
                    } else {
                        *body_size = body_size.saturating_add(size);
                        if let Some(max) = config.limits.max_body_size {
                            if *body_size > max {
                                return Err(Error::TooLarge {
                                    offset: *offset,
                                    what: Limit::Body,
                                    limit: max,
                                });
                            }
                        }
                        Chunked::Data { remaining: size }
                    };
                }
                Chunked::Data { remaining } => {
                    if src.is_empty() {
                        return Ok(None);
                    }
                    let n = usize::try_from(*remaining)
                        .unwrap_or(usize::MAX)
                        .min(src.len());
                    let data = src.split_to(n).freeze();
                    *offset += n as u64;
                    *remaining -= n as u64;
                    if *remaining == 0 {
                        *self = Chunked::DataEnd;
                    }
                    return Ok(Some(ChunkItem::Data(data)));
                }
                Chunked::DataEnd => {
                    let at = |i: usize, b: u8| Error::Syntax {
                        offset: *offset + i as u64,
                        production: "chunk",
                        found: Found::Byte(b),
                        reason: "chunk-data must be followed by exactly CRLF, RFC 9112 §7.1",
                    };
                    let consumed = match (src.first(), src.get(1)) {
                        (None, _) | (Some(b'\r'), None) => return Ok(None),
                        (Some(b'\r'), Some(b'\n')) => 2,
                        (Some(b'\n'), _) if config.leniency.bare_lf() => 1,
                        (Some(b'\r'), Some(&b)) => return Err(at(1, b)),
                        (Some(&b), _) => return Err(at(0, b)),
                    };
                    let _ = src.split_to(consumed);
                    *offset += consumed as u64;
                    *self = Chunked::Line { scanned: 0 };
                }
                Chunked::Trailers(scan) => {
                    let limits = &config.limits;
                    let trailer_limits = BlockLimits {
                        first_line: (limits.max_field_line, Limit::FieldLine),
                        line: (limits.max_field_line, Limit::FieldLine),
                        total: (limits.max_trailer_size, Limit::Trailers),
                    };
                    let end = match scan.find_end(src, &trailer_limits) {
                        Ok(Some(end)) => end,
                        Ok(None) => return Ok(None),
                        Err(crossed) => {
                            return Err(Error::TooLarge {
                                offset: *offset + crossed.start as u64,
                                what: crossed.what,
                                limit: crossed.limit as u64,
                            });
                        }
                    };
                    let block = src.split_to(end).freeze();
                    let base = *offset;
                    *offset += end as u64;
                    let mut trailers = Headers::new();
                    header_section(&block, 0, 0, config, Section::Trailers, |f| {
                        trailers.push(Field::from_parsed(&block, f));
                        Ok(())
                    })
                    .map_err(|e| e.shifted(base))?;
                    *self = Chunked::Done;
                    return Ok(Some(ChunkItem::End(trailers)));
                }
                Chunked::Done => return Ok(None),
            }
        }
    }
}
