//! Feature `futures`: any framing codec over `futures::io::{AsyncRead, AsyncWrite}`.
//!
//! ```
//! # futures::executor::block_on(async {
//! use framing::{delimited::Delimited, futures::Framed};
//! use futures::io::Cursor;
//!
//! let mut framed = Framed::new(Cursor::new(b"one\r\ntwo\r\n".to_vec()), Delimited::crlf());
//! assert_eq!(framed.recv().await.unwrap().unwrap(), "one");
//! assert_eq!(framed.recv().await.unwrap().unwrap(), "two");
//! assert!(framed.recv().await.unwrap().is_none());
//! # });
//! ```

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::BytesMut;
use futures_io::{AsyncRead, AsyncWrite};
use futures_util::io::AsyncWriteExt;

use crate::codec::{Decoder, Encoder};
use crate::error::AdapterError;
use crate::read_buffer::{READ_CHUNK, ReadBuffer, Step};

/// What [`Framed::poll_recv`] yields: an item, a codec or I/O error, or `None` at the end.
pub type Received<C> = Option<Result<<C as Decoder>::Item, AdapterError<<C as Decoder>::Error>>>;

/// A stream and a codec: `send` and `recv` items asynchronously, or use it as a
/// `futures::Stream` of items.
#[derive(Debug)]
pub struct Framed<S, C> {
    stream: S,
    codec: C,
    read: ReadBuffer,
    write_buf: BytesMut,
}

impl<S, C> Framed<S, C> {
    /// Frames `stream` with `codec`.
    pub fn new(stream: S, codec: C) -> Framed<S, C> {
        Framed::from_parts(stream, codec, BytesMut::new())
    }

    /// Frames `stream` with `codec`, starting with bytes already read from it.
    pub fn from_parts(stream: S, codec: C, read_buf: BytesMut) -> Framed<S, C> {
        Framed {
            stream,
            codec,
            read: ReadBuffer::new(read_buf),
            write_buf: BytesMut::new(),
        }
    }

    /// The stream, the codec and the bytes read but not decoded.
    pub fn into_parts(self) -> (S, C, BytesMut) {
        (self.stream, self.codec, self.read.buf)
    }

    /// The codec.
    pub fn codec(&self) -> &C {
        &self.codec
    }
}

impl<S: AsyncRead + Unpin, C: Decoder + Unpin> Framed<S, C> {
    /// Polls for the next item; `None` at a clean end of stream.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Received<C>> {
        loop {
            if let Step::Ready(item) = self.read.step(&mut self.codec) {
                return Poll::Ready(item.map(|r| r.map_err(AdapterError::Codec)));
            }
            let mut chunk = [0u8; READ_CHUNK];
            match Pin::new(&mut self.stream).poll_read(cx, &mut chunk) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(n)) => self.read.filled(chunk.get(..n).unwrap_or_default()),
                Poll::Ready(Err(e)) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(AdapterError::Io(e)))),
            }
        }
    }

    /// The next item; `None` at a clean end of stream, an error if it ends inside an item.
    pub async fn recv(&mut self) -> Result<Option<C::Item>, AdapterError<C::Error>> {
        std::future::poll_fn(|cx| self.poll_recv(cx))
            .await
            .transpose()
    }
}

impl<S: AsyncWrite + Unpin, C> Framed<S, C> {
    /// Encodes `item`, writes it out and flushes.
    pub async fn send<I>(&mut self, item: I) -> Result<(), AdapterError<<C as Encoder<I>>::Error>>
    where
        C: Encoder<I>,
    {
        self.codec
            .encode(item, &mut self.write_buf)
            .map_err(AdapterError::Codec)?;
        self.stream.write_all(&self.write_buf).await?;
        self.write_buf.clear();
        self.stream.flush().await?;
        Ok(())
    }
}

impl<S: AsyncRead + Unpin, C: Decoder + Unpin> futures_util::Stream for Framed<S, C> {
    type Item = Result<C::Item, AdapterError<C::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx)
    }
}
