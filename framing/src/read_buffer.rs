//! The read side shared by the blocking and async adapters: a buffer, and the rule for when to
//! call `decode`, `decode_eof`, or read more.

use bytes::BytesMut;

use crate::codec::Decoder;

/// How many bytes an adapter asks the stream for at a time. The buffer grows by what arrives,
/// never by what a peer claims.
pub(crate) const READ_CHUNK: usize = 16 * 1024;

/// What to do next.
pub(crate) enum Step<T, E> {
    /// An item, an error, or the clean end of the stream (`None`).
    Ready(Option<Result<T, E>>),
    /// The codec needs more bytes.
    NeedRead,
}

#[derive(Debug, Default)]
pub(crate) struct ReadBuffer {
    pub(crate) buf: BytesMut,
    eof: bool,
    finished: bool,
}

impl ReadBuffer {
    pub(crate) fn new(buf: BytesMut) -> ReadBuffer {
        ReadBuffer {
            buf,
            eof: false,
            finished: false,
        }
    }

    /// Asks the codec for the next item from what is buffered.
    pub(crate) fn step<C: Decoder>(&mut self, codec: &mut C) -> Step<C::Item, C::Error> {
        if self.finished {
            return Step::Ready(None);
        }
        let result = if self.eof {
            codec.decode_eof(&mut self.buf)
        } else {
            codec.decode(&mut self.buf)
        };
        match result {
            Ok(Some(item)) => Step::Ready(Some(Ok(item))),
            Ok(None) if self.eof => {
                self.finished = true;
                Step::Ready(None)
            }
            Ok(None) => Step::NeedRead,
            Err(e) => {
                // After the end of the stream, an error is the last word.
                self.finished = self.eof;
                Step::Ready(Some(Err(e)))
            }
        }
    }

    /// Records what a read returned; an empty read is the end of the stream.
    pub(crate) fn filled(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            self.eof = true;
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }
}
