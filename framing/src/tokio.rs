//! Feature `tokio`: any framing codec as a `tokio_util::codec::{Decoder, Encoder}`, for
//! `FramedRead`, `FramedWrite` and `Framed`.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use futures_util::{SinkExt, StreamExt};
//! use framing::{delimited::Delimited, tokio::Compat};
//! use tokio_util::codec::Framed;
//!
//! let (a, b) = tokio::io::duplex(64);
//! let mut a = Framed::new(a, Compat::new(Delimited::crlf()));
//! let mut b = Framed::new(b, Compat::new(Delimited::crlf()));
//! a.send("ping").await.unwrap();
//! assert_eq!(b.next().await.unwrap().unwrap(), "ping");
//! # }
//! ```

use std::time::Duration;

use bytes::BytesMut;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::codec::{Decoder, Encoder};
use crate::error::{AdapterError, Error};
use crate::handshake::{Agreement, Event, Handshake};
use crate::session::Session;

/// Wraps a framing codec so tokio-util's `Framed*` can drive it. Errors become
/// [`AdapterError`], which tokio-util needs to be `From<std::io::Error>`.
#[derive(Debug, Clone, Default)]
pub struct Compat<C>(pub C);

impl<C> Compat<C> {
    /// Wraps `codec`.
    pub fn new(codec: C) -> Compat<C> {
        Compat(codec)
    }

    /// The wrapped codec.
    pub fn into_inner(self) -> C {
        self.0
    }
}

impl<C: Decoder> tokio_util::codec::Decoder for Compat<C> {
    type Item = C::Item;
    type Error = AdapterError<C::Error>;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<C::Item>, Self::Error> {
        self.0.decode(src).map_err(AdapterError::Codec)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<C::Item>, Self::Error> {
        self.0.decode_eof(src).map_err(AdapterError::Codec)
    }
}

impl<I, C: Encoder<I>> tokio_util::codec::Encoder<I> for Compat<C> {
    type Error = AdapterError<C::Error>;

    fn encode(&mut self, item: I, dst: &mut BytesMut) -> Result<(), Self::Error> {
        self.0.encode(item, dst).map_err(AdapterError::Codec)
    }
}

/// Runs a [`Handshake`] over a tokio stream: writes our hello, reads until the peer's hello is
/// in, and returns the agreement; the same semantics as [`crate::blocking::handshake`]. With a
/// session deadline ([`Handshake::with_deadline`]) the wait ends there with
/// [`Error::Timeout`]. The bytes that followed the peer's hello are in
/// `session.take_remaining()`: hand them to [`framed`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use framing::handshake::{Handshake, Hello};
/// use framing::length_delimited::{Frame, LengthDelimited};
/// use futures_util::{SinkExt, StreamExt};
///
/// let (mut a, mut b) = tokio::io::duplex(64);
/// let peer = tokio::spawn(async move {
///     let mut session = Handshake::new(Hello::new(2, 1, 0b01));
///     framing::tokio::handshake(&mut b, &mut session).await.unwrap();
///     let mut framed = framing::tokio::framed(b, LengthDelimited::new(), session.take_remaining());
///     framed.send(Frame::new("hi")).await.unwrap();
/// });
/// let mut session = Handshake::new(Hello::new(3, 1, 0b11));
/// let agreed = framing::tokio::handshake(&mut a, &mut session).await?;
/// assert_eq!((agreed.version, agreed.capabilities), (2, 0b01));
/// let mut framed = framing::tokio::framed(a, LengthDelimited::new(), session.take_remaining());
/// assert_eq!(framed.next().await.unwrap()?.payload, "hi");
/// peer.await?;
/// # Ok(()) }
/// ```
pub async fn handshake<S>(
    stream: &mut S,
    session: &mut Handshake,
) -> Result<Agreement, AdapterError<Error>>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    while let Some(hello) = session.poll_transmit() {
        stream.write_all(&hello).await?;
    }
    stream.flush().await?;
    let mut chunk = [0u8; 512];
    loop {
        if let Some(Event::Agreed(agreement)) = session.poll_event().map_err(AdapterError::Codec)? {
            return Ok(agreement);
        }
        let read = stream.read(&mut chunk);
        let n = match session.poll_timeout() {
            Some(deadline) => match tokio::time::timeout_at(deadline.into(), read).await {
                Ok(n) => n?,
                Err(_elapsed) => {
                    session.handle_timeout(std::time::Instant::now());
                    continue;
                }
            },
            None => read.await?,
        };
        match n {
            0 => session.receive_eof(),
            n => session.receive(chunk.get(..n).unwrap_or_default()),
        }
    }
}

/// tokio-util's `Framed` over `stream` with `codec`, starting with bytes already read from the
/// stream: the ones [`Handshake::take_remaining`] hands back after the peer's hello, or any a
/// protocol switch left over. Nothing is lost between the handshake and the first frame.
pub fn framed<S, C>(
    stream: S,
    codec: C,
    read_buf: BytesMut,
) -> tokio_util::codec::Framed<S, Compat<C>>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite,
{
    // Through the parts: a read buffer set this way is decoded before the first read (one set
    // with `read_buffer_mut` would wait for the stream to become readable first).
    let mut parts = tokio_util::codec::Framed::new(stream, Compat::new(codec)).into_parts();
    parts.read_buf = read_buf;
    tokio_util::codec::Framed::from_parts(parts)
}

/// Runs a [`Session`] over a tokio stream: writes what the session queued, returns its next
/// event, reads when it needs bytes, and gives up on a peer silent past the session's
/// [`Session::idle_timeout`] (or [`SessionDriver::idle_timeout`]). No protocol logic.
#[derive(Debug)]
pub struct SessionDriver<S, T> {
    stream: S,
    session: T,
    buf: Box<[u8]>,
    idle: Option<Duration>,
    eof: bool,
}

impl<S: AsyncRead + AsyncWrite + Unpin, T: Session> SessionDriver<S, T> {
    /// A driver for `session` over `stream`, with the session's idle timeout.
    pub fn new(stream: S, session: T) -> SessionDriver<S, T> {
        let idle = session.idle_timeout();
        SessionDriver {
            stream,
            session,
            buf: vec![0; 16 * 1024].into_boxed_slice(),
            idle,
            eof: false,
        }
    }

    /// How long a read may wait for the peer; a read that waits longer fails with
    /// [`std::io::ErrorKind::TimedOut`].
    pub fn idle_timeout(mut self, idle: Duration) -> SessionDriver<S, T> {
        self.idle = Some(idle);
        self
    }

    /// The session.
    pub fn session(&self) -> &T {
        &self.session
    }

    /// The session, to call its methods; what it queues goes out with the next
    /// [`SessionDriver::next_event`] or [`SessionDriver::flush`].
    pub fn session_mut(&mut self) -> &mut T {
        &mut self.session
    }

    /// The stream and the session (after a STARTTLS, for the caller's TLS layer).
    pub fn into_parts(self) -> (S, T) {
        (self.stream, self.session)
    }

    /// Writes what the session has queued.
    pub async fn flush(&mut self) -> std::io::Result<()> {
        let mut wrote = false;
        while let Some(bytes) = self.session.poll_transmit() {
            self.stream.write_all(&bytes).await?;
            wrote = true;
        }
        if wrote {
            self.stream.flush().await?;
        }
        Ok(())
    }

    /// Writes what the session queued, then returns its next event, reading as it needs. The
    /// outer `Err` is the stream's failure or the idle timeout; the inner one is the session's
    /// own (`poll_event`'s: for a server session, input it refused and already answered).
    /// Once the peer closed the stream and the session has nothing more to say,
    /// [`std::io::ErrorKind::UnexpectedEof`].
    pub async fn next_event(&mut self) -> std::io::Result<Result<T::Event, T::Error>> {
        loop {
            self.flush().await?;
            let polled = self.session.poll_event();
            // What the session queued while it consumed input goes out before a read blocks.
            self.flush().await?;
            match polled {
                Ok(Some(event)) => return Ok(Ok(event)),
                Err(e) => return Ok(Err(e)),
                Ok(None) if self.eof => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                Ok(None) => {}
            }
            let read = self.stream.read(&mut self.buf);
            let n = match self.idle {
                Some(idle) => tokio::time::timeout(idle, read)
                    .await
                    .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??,
                None => read.await?,
            };
            match self.buf.get(..n) {
                Some([]) | None => {
                    self.eof = true;
                    self.session.receive_eof();
                }
                Some(bytes) => self.session.receive(bytes),
            }
        }
    }
}
