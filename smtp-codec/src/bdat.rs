//! Message content in BDAT chunks (RFC 3030 §2, CHUNKING):
//!
//! ```text
//! bdat-cmd   ::= "BDAT" SP chunk-size [ SP end-marker ] CR LF
//! chunk-size ::= 1*DIGIT
//! end-marker ::= "LAST"
//! ```
//!
//! followed by exactly `chunk-size` octets of content. The octets are binary: no dot-stuffing,
//! no line ends, CR and LF are plain data, so nothing in a chunk can end the message early (the
//! `<CRLF>.<CRLF>` variants of SMTP smuggling are content here). The command line itself is
//! parsed elsewhere; [`BdatDecoder::chunk`] takes its size and its LAST.
//!
//! The running total of the message is checked against [`Limits::max_message_size`] when a
//! chunk is announced, before any of its octets is read, and a size that overflows the total is
//! refused the same way.

use bytes::{Buf, Bytes, BytesMut};
use framing::Decoder;

use crate::{Error, Limits};

/// What [`BdatDecoder`] produces (RFC 3030 §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BdatEvent {
    /// Octets of the chunk, as they arrived (split off the input, never copied).
    Data(Bytes),
    /// The chunk's last octet was read; `last` when it was announced with LAST, which ends the
    /// message.
    ChunkEnd {
        /// The chunk was `BDAT <size> LAST`.
        last: bool,
    },
}

/// Where the decoder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between chunks: waiting for [`BdatDecoder::chunk`]; consumes nothing.
    Idle,
    /// Inside a chunk, `remaining` octets to go; `keep` false when the chunk was refused and its
    /// octets are skipped.
    Chunk {
        remaining: u64,
        last: bool,
        keep: bool,
    },
    /// After the LAST chunk.
    Done,
}

/// The decoder of one message's BDAT chunks: reads exactly the announced number of octets per
/// chunk, binary-safe, and stops between chunks so the next command line stays in the buffer.
///
/// A chunk whose size takes the message over [`Limits::max_message_size`] (or overflows a
/// `u64`) is refused by [`BdatDecoder::chunk`] before anything is read; the decoder then skips
/// its octets (they are on their way: RFC 3030 §2 gives the client no way to take them back)
/// and reports its [`BdatEvent::ChunkEnd`], so the server answers 552 in step with the client.
/// Every later chunk of the same message is refused too. Offsets count from the first octet of
/// the first chunk.
///
/// ```
/// use bytes::BytesMut;
/// use framing::Decoder;
/// use smtp_codec::bdat::{BdatDecoder, BdatEvent};
/// use smtp_codec::{Error, Limits};
///
/// let mut decoder = BdatDecoder::new(Limits::default());
/// let mut buf = BytesMut::from(&b"\r\n.\r\nQUIT\r\n"[..]);
/// decoder.chunk(5, true)?; // BDAT 5 LAST
/// assert_eq!(decoder.decode(&mut buf)?, Some(BdatEvent::Data("\r\n.\r\n".into())));
/// assert_eq!(decoder.decode(&mut buf)?, Some(BdatEvent::ChunkEnd { last: true }));
/// assert_eq!(&buf[..], b"QUIT\r\n");
///
/// let mut decoder = BdatDecoder::new(Limits { max_message_size: 10, ..Limits::default() });
/// assert_eq!(
///     decoder.chunk(u64::MAX, false),
///     Err(Error::TooLarge { offset: 10, what: "message", limit: 10 })
/// );
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct BdatDecoder {
    max_message_size: u64,
    state: State,
    /// Octets of the message accepted so far (announced sizes).
    total: u64,
    /// Octets consumed so far.
    position: u64,
    /// A chunk of this message was refused.
    failed: bool,
}

impl BdatDecoder {
    /// A decoder for one message, with the size limit of `limits` (`max_message_size`).
    pub fn new(limits: Limits) -> BdatDecoder {
        BdatDecoder {
            max_message_size: limits.max_message_size,
            state: State::Idle,
            total: 0,
            position: 0,
            failed: false,
        }
    }

    /// Announces the next chunk: `BDAT <size>` or, with `last`, `BDAT <size> LAST`.
    ///
    /// Refused: a chunk announced before the previous one was read, or after LAST
    /// ([`Error::Local`], nothing changes); a chunk that takes the message over the limit or
    /// overflows it ([`Error::TooLarge`] at the offset where the limit would be crossed; its
    /// octets are then skipped).
    pub fn chunk(&mut self, size: u64, last: bool) -> Result<(), Error> {
        match self.state {
            State::Chunk { .. } => {
                return Err(Error::Local {
                    reason: "a BDAT chunk announced before the previous one was read (RFC 3030 §2)",
                });
            }
            State::Done => {
                return Err(Error::Local {
                    reason: "a BDAT chunk after the LAST one (RFC 3030 §2)",
                });
            }
            State::Idle => {}
        }
        let total = self
            .total
            .checked_add(size)
            .filter(|&t| t <= self.max_message_size && !self.failed);
        match total {
            Some(total) => {
                self.total = total;
                self.state = State::Chunk {
                    remaining: size,
                    last,
                    keep: true,
                };
                Ok(())
            }
            None => {
                let room = self.max_message_size.saturating_sub(self.total);
                let offset = if self.failed {
                    self.position
                } else {
                    self.position.saturating_add(room)
                };
                self.failed = true;
                self.state = State::Chunk {
                    remaining: size,
                    last,
                    keep: false,
                };
                Err(Error::TooLarge {
                    offset,
                    what: "message",
                    limit: self.max_message_size,
                })
            }
        }
    }

    /// Get ready for the next message.
    pub fn reset(&mut self) {
        *self = BdatDecoder {
            max_message_size: self.max_message_size,
            state: State::Idle,
            total: 0,
            position: 0,
            failed: false,
        };
    }

    /// Whether the LAST chunk has been read.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Whether a chunk is being read (its octets are still to come).
    pub fn in_chunk(&self) -> bool {
        matches!(self.state, State::Chunk { .. })
    }

    /// Whether a chunk of this message was refused (the message must be answered with 552).
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// Octets of the message accepted so far (the sizes of the chunks announced and not
    /// refused).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Octets consumed so far.
    pub fn position(&self) -> u64 {
        self.position
    }
}

impl Decoder for BdatDecoder {
    type Item = BdatEvent;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<BdatEvent>, Error> {
        loop {
            let State::Chunk {
                remaining,
                last,
                keep,
            } = self.state
            else {
                return Ok(None);
            };
            if remaining == 0 {
                self.state = if last { State::Done } else { State::Idle };
                return Ok(Some(BdatEvent::ChunkEnd { last }));
            }
            if src.is_empty() {
                return Ok(None);
            }
            let n = usize::try_from(remaining).map_or(src.len(), |r| r.min(src.len()));
            self.position += n as u64;
            self.state = State::Chunk {
                remaining: remaining - n as u64,
                last,
                keep,
            };
            if keep {
                return Ok(Some(BdatEvent::Data(src.split_to(n).freeze())));
            }
            src.advance(n);
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<BdatEvent>, Error> {
        if let Some(event) = self.decode(src)? {
            return Ok(Some(event));
        }
        if !self.in_chunk() {
            return Ok(None);
        }
        self.state = State::Idle;
        Err(Error::Truncated {
            offset: self.position + src.len() as u64,
            inside: "BDAT chunk",
        })
    }
}
