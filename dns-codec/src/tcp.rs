//! DNS over TCP: each message preceded by its length as a two-octet big-endian integer
//! (RFC 1035 §4.2.2), many messages per connection, in either direction (RFC 7766 §6.2.1).
//!
//! [`TcpCodec`] is a [`framing::Decoder`] and [`framing::Encoder`] over
//! [`framing::length_delimited::LengthDelimited`] with a 16-bit length field. The frame is
//! found first, then the message is decoded whole, so bytes arriving one at a time cost no more
//! than bytes arriving together. A message that does not decode costs only itself: the frame
//! was consumed and the next `decode` reads the next message ([`is_recoverable`]).

use bytes::BytesMut;
use framing::length_delimited::{Frame, LengthDelimited, LengthField};
use framing::{Decoder, Encoder};

use crate::error::Error;
use crate::limits::Limits;
use crate::message::Message;

/// Length-prefixed DNS messages over a stream (RFC 1035 §4.2.2, RFC 7766).
#[derive(Debug, Clone)]
pub struct TcpCodec {
    frames: LengthDelimited,
    limits: Limits,
    /// Stream offset of the next frame, for error offsets.
    position: u64,
}

impl Default for TcpCodec {
    fn default() -> Self {
        TcpCodec::new(Limits::default())
    }
}

impl TcpCodec {
    /// A codec decoding with `limits`.
    pub fn new(limits: Limits) -> TcpCodec {
        let max = limits.max_message_size.min(65535);
        TcpCodec {
            frames: LengthDelimited::builder()
                .length_field(LengthField::U16)
                .max_frame_length(max)
                .build(),
            limits,
            position: 0,
        }
    }

    fn next(&mut self, src: &mut BytesMut, eof: bool) -> Result<Option<Message>, Error> {
        let before = src.len();
        let frame = if eof {
            self.frames.decode_eof(src)
        } else {
            self.frames.decode(src)
        };
        let consumed = before.saturating_sub(src.len()) as u64;
        let frame = match frame {
            Ok(Some(frame)) => frame,
            Ok(None) => {
                self.position += consumed;
                return Ok(None);
            }
            Err(error) => {
                return Err(Error::Framing {
                    offset: error.offset().unwrap_or(self.position),
                    error,
                });
            }
        };
        // Frame and length prefix may have been consumed in two calls: the message starts
        // where the frame's payload does.
        let start = self.position + consumed - frame.payload.len() as u64;
        self.position += consumed;
        Message::decode_with(&frame.payload, &self.limits)
            .map(Some)
            .map_err(|e| e.shifted(start))
    }
}

/// Whether the stream is still in sync after `error` from [`TcpCodec`]'s `decode`: true for an
/// error inside a message (the frame was consumed whole), false for a framing error.
pub fn is_recoverable(error: &Error) -> bool {
    !matches!(error, Error::Framing { .. })
}

impl Decoder for TcpCodec {
    type Item = Message;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Message>, Error> {
        self.next(src, false)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Message>, Error> {
        self.next(src, true)
    }
}

impl Encoder<&Message> for TcpCodec {
    type Error = Error;

    fn encode(&mut self, item: &Message, dst: &mut BytesMut) -> Result<(), Error> {
        let msg = item.encode()?;
        let at = dst.len() as u64;
        self.frames
            .encode(Frame::new(msg), dst)
            .map_err(|error| Error::Framing { offset: at, error })
    }
}

impl Encoder<Message> for TcpCodec {
    type Error = Error;

    fn encode(&mut self, item: Message, dst: &mut BytesMut) -> Result<(), Error> {
        self.encode(&item, dst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_two_octets() {
        let mut codec = TcpCodec::default();
        let mut out = BytesMut::new();
        codec.encode(&Message::default(), &mut out).unwrap();
        assert_eq!(&out[..], b"\x00\x0c\0\0\0\0\0\0\0\0\0\0\0\0");
        assert_eq!(codec.decode(&mut out), Ok(Some(Message::default())));
        assert!(out.is_empty());
    }
}
