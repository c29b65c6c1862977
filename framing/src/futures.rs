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
use std::time::Instant;

use bytes::BytesMut;
use futures_io::{AsyncRead, AsyncWrite};
use futures_util::io::AsyncWriteExt;

use crate::codec::{Decoder, Encoder};
use crate::error::{AdapterError, Error};
use crate::handshake::{Agreement, Event, Handshake};
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

/// Runs a [`Handshake`] over a `futures::io` stream, on any executor: writes our hello, reads
/// until the peer's hello is in, and returns the agreement; the same semantics as
/// [`crate::blocking::handshake`]. With a session deadline ([`Handshake::with_deadline`]) the
/// wait ends there with [`Error::Timeout`] (the timer is `futures-timer`'s, which needs no
/// runtime). The bytes that followed the peer's hello are in `session.take_remaining()`: hand
/// them to [`Framed::from_parts`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use framing::futures::{Framed, handshake};
/// use framing::handshake::{Handshake, Hello};
/// use framing::length_delimited::{Frame, LengthDelimited};
/// use tokio_util::compat::TokioAsyncReadCompatExt;
///
/// // Any futures::io stream; here tokio's in-memory pipe through tokio-util's compat layer.
/// let (a, b) = tokio::io::duplex(64);
/// let (mut a, mut b) = (a.compat(), b.compat());
/// let peer = tokio::spawn(async move {
///     let mut session = Handshake::new(Hello::new(2, 1, 0b01));
///     handshake(&mut b, &mut session).await.unwrap();
///     let mut framed = Framed::from_parts(b, LengthDelimited::new(), session.take_remaining());
///     framed.send(Frame::new("hi")).await.unwrap();
/// });
/// let mut session = Handshake::new(Hello::new(3, 1, 0b11));
/// let agreed = handshake(&mut a, &mut session).await.unwrap();
/// assert_eq!(agreed.version, 2);
/// let mut framed = Framed::from_parts(a, LengthDelimited::new(), session.take_remaining());
/// assert_eq!(framed.recv().await.unwrap(), Some(Frame::new("hi")));
/// peer.await.unwrap();
/// # }
/// ```
pub async fn handshake<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    session: &mut Handshake,
) -> Result<Agreement, AdapterError<Error>> {
    use futures_util::future::{Either, select};
    use futures_util::io::AsyncReadExt;

    while let Some(hello) = session.poll_transmit() {
        stream.write_all(&hello).await?;
    }
    stream.flush().await?;
    let mut chunk = [0u8; 512];
    loop {
        if let Some(Event::Agreed(agreement)) = session.poll_event().map_err(AdapterError::Codec)? {
            return Ok(agreement);
        }
        let n = {
            let read = stream.read(&mut chunk);
            match session.poll_timeout() {
                Some(deadline) => {
                    let wait = deadline.saturating_duration_since(Instant::now());
                    match select(read, futures_timer::Delay::new(wait)).await {
                        Either::Left((n, _)) => Some(n?),
                        Either::Right(((), _)) => None,
                    }
                }
                None => Some(read.await?),
            }
        };
        match n {
            None => session.handle_timeout(Instant::now()),
            Some(0) => session.receive_eof(),
            Some(n) => session.receive(chunk.get(..n).unwrap_or_default()),
        }
    }
}
