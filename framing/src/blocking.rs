//! The blocking adapter: any codec over a `std::io::Read + Write` stream (a `TcpStream`, a
//! `UnixStream`, an in-memory pipe), and a driver for the version handshake.

use std::io::{ErrorKind, Read, Write};
use std::time::Instant;

use bytes::BytesMut;

use crate::codec::{Decoder, Encoder};
use crate::error::{AdapterError, Error};
use crate::handshake::{Agreement, Event, Handshake};
use crate::read_buffer::{READ_CHUNK, ReadBuffer, Step};
use crate::session::Session;

/// A stream and a codec: [`Framed::send`] items, [`Framed::recv`] them, or iterate.
///
/// ```
/// use std::os::unix::net::UnixStream;
/// use framing::{blocking::Framed, delimited::Delimited};
///
/// let (a, b) = UnixStream::pair().unwrap();
/// let mut a = Framed::new(a, Delimited::crlf());
/// let mut b = Framed::new(b, Delimited::crlf());
/// a.send("hello").unwrap();
/// drop(a);
/// assert_eq!(b.recv().unwrap().unwrap(), "hello");
/// assert!(b.recv().unwrap().is_none()); // clean end of stream
/// ```
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

    /// Frames `stream` with `codec`, starting with bytes already read from it (what a handshake
    /// handed back).
    pub fn from_parts(stream: S, codec: C, read_buf: BytesMut) -> Framed<S, C> {
        Framed {
            stream,
            codec,
            read: ReadBuffer::new(read_buf),
            write_buf: BytesMut::new(),
        }
    }

    /// The stream.
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// The stream, mutably (reading from it directly skips the codec).
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    /// The codec.
    pub fn codec(&self) -> &C {
        &self.codec
    }

    /// The codec, mutably.
    pub fn codec_mut(&mut self) -> &mut C {
        &mut self.codec
    }

    /// Bytes read from the stream but not yet decoded.
    pub fn read_buffer(&self) -> &BytesMut {
        &self.read.buf
    }

    /// The stream, the codec and the bytes read but not decoded (to switch codecs mid-stream).
    pub fn into_parts(self) -> (S, C, BytesMut) {
        (self.stream, self.codec, self.read.buf)
    }
}

impl<S: Read, C: Decoder> Framed<S, C> {
    /// The next item; `None` at a clean end of stream, an error (such as
    /// [`Error::Truncated`]) if the stream ends inside an item.
    pub fn recv(&mut self) -> Result<Option<C::Item>, AdapterError<C::Error>> {
        loop {
            if let Step::Ready(item) = self.read.step(&mut self.codec) {
                return item.transpose().map_err(AdapterError::Codec);
            }
            let mut chunk = [0u8; READ_CHUNK];
            match self.stream.read(&mut chunk) {
                Ok(n) => self.read.filled(chunk.get(..n).unwrap_or_default()),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(AdapterError::Io(e)),
            }
        }
    }
}

impl<S: Write, C> Framed<S, C> {
    /// Encodes `item` into the write buffer without writing it; see [`Framed::flush`].
    pub fn feed<I>(&mut self, item: I) -> Result<(), AdapterError<<C as Encoder<I>>::Error>>
    where
        C: Encoder<I>,
    {
        self.codec
            .encode(item, &mut self.write_buf)
            .map_err(AdapterError::Codec)
    }

    /// Writes the write buffer out and flushes the stream.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.stream.write_all(&self.write_buf)?;
        self.write_buf.clear();
        self.stream.flush()
    }

    /// Encodes `item` and writes it out.
    pub fn send<I>(&mut self, item: I) -> Result<(), AdapterError<<C as Encoder<I>>::Error>>
    where
        C: Encoder<I>,
    {
        self.feed(item)?;
        self.flush().map_err(AdapterError::Io)
    }
}

impl<S: Read, C: Decoder> Iterator for Framed<S, C> {
    type Item = Result<C::Item, AdapterError<C::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.recv().transpose()
    }
}

/// Runs a [`Handshake`] over a blocking stream: writes our hello, reads until the peer's hello is
/// in, and returns the agreement. The bytes that followed the peer's hello are in
/// `session.take_remaining()`; hand them to [`Framed::from_parts`].
///
/// For a deadline, give the session one ([`Handshake::with_deadline`]) and the stream a read
/// timeout (`TcpStream::set_read_timeout`): each timed-out read checks the deadline. Without a
/// session deadline, a timed-out read is returned as the I/O error it is.
pub fn handshake<S: Read + Write>(
    stream: &mut S,
    session: &mut Handshake,
) -> Result<Agreement, AdapterError<Error>> {
    while let Some(hello) = session.poll_transmit() {
        stream.write_all(&hello)?;
    }
    stream.flush()?;
    let mut chunk = [0u8; 512];
    loop {
        if let Some(Event::Agreed(agreement)) = session.poll_event().map_err(AdapterError::Codec)? {
            return Ok(agreement);
        }
        match stream.read(&mut chunk) {
            Ok(0) => session.receive_eof(),
            Ok(n) => session.receive(chunk.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e)
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
                    && session.poll_timeout().is_some() =>
            {
                session.handle_timeout(Instant::now());
            }
            Err(e) => return Err(AdapterError::Io(e)),
        }
    }
}

/// Runs a [`Session`] over a blocking stream: writes what the session queued, returns its next
/// event, reads when it needs bytes. No protocol logic: the session's rules are its own.
///
/// The stream's read timeout, if any, bounds each read (`TcpStream::set_read_timeout`).
///
/// ```
/// use framing::Session;
/// use framing::blocking::SessionDriver;
///
/// // A session that reports each byte it receives and echoes it.
/// #[derive(Default)]
/// struct Echo { pending: Vec<u8>, out: Vec<u8>, eof: bool }
/// impl Session for Echo {
///     type Event = u8;
///     type Error = std::convert::Infallible;
///     fn receive(&mut self, bytes: &[u8]) { self.pending.extend_from_slice(bytes); }
///     fn receive_eof(&mut self) { self.eof = true; }
///     fn poll_transmit(&mut self) -> Option<bytes::Bytes> {
///         (!self.out.is_empty()).then(|| std::mem::take(&mut self.out).into())
///     }
///     fn poll_event(&mut self) -> Result<Option<u8>, Self::Error> {
///         if self.pending.is_empty() { return Ok(None); }
///         let b = self.pending.remove(0);
///         self.out.push(b);
///         Ok(Some(b))
///     }
/// }
///
/// let stream = std::io::Cursor::new(b"hi".to_vec());
/// let mut driver = SessionDriver::new(stream, Echo::default());
/// assert_eq!(driver.next_event()?.ok(), Some(b'h'));
/// assert_eq!(driver.next_event()?.ok(), Some(b'i'));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct SessionDriver<S, T> {
    stream: S,
    session: T,
    buf: Box<[u8]>,
    eof: bool,
}

impl<S: Read + Write, T: Session> SessionDriver<S, T> {
    /// A driver for `session` over `stream`.
    pub fn new(stream: S, session: T) -> SessionDriver<S, T> {
        SessionDriver {
            stream,
            session,
            buf: vec![0; READ_CHUNK].into_boxed_slice(),
            eof: false,
        }
    }

    /// The session.
    pub fn session(&self) -> &T {
        &self.session
    }

    /// The session, to call its methods (send a command, answer an event); what it queues goes
    /// out with the next [`SessionDriver::next_event`] or [`SessionDriver::flush`].
    pub fn session_mut(&mut self) -> &mut T {
        &mut self.session
    }

    /// The stream.
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// The stream and the session.
    pub fn into_parts(self) -> (S, T) {
        (self.stream, self.session)
    }

    /// Writes what the session has queued.
    pub fn flush(&mut self) -> std::io::Result<()> {
        let mut wrote = false;
        while let Some(bytes) = self.session.poll_transmit() {
            self.stream.write_all(&bytes)?;
            wrote = true;
        }
        if wrote {
            self.stream.flush()?;
        }
        Ok(())
    }

    /// Writes what the session queued, then returns its next event, reading as it needs. The
    /// outer `Err` is the stream's failure; the inner one is the session's own
    /// (`poll_event`'s). Once the peer closed the stream and the session has nothing more to
    /// say, [`ErrorKind::UnexpectedEof`].
    pub fn next_event(&mut self) -> std::io::Result<Result<T::Event, T::Error>> {
        loop {
            if let Some(next) = self.next_event_unless(|_| false)? {
                return Ok(next);
            }
        }
    }

    /// [`SessionDriver::next_event`], but `None` instead of blocking on a read once `done`
    /// says the session needs nothing more (answers that make no event, such as a client's
    /// wait for the reply to a command it sent by itself).
    pub fn next_event_unless(
        &mut self,
        done: impl Fn(&T) -> bool,
    ) -> std::io::Result<Option<Result<T::Event, T::Error>>> {
        loop {
            self.flush()?;
            let polled = self.session.poll_event();
            // What the session queued while it consumed input goes out before a read blocks.
            self.flush()?;
            match polled {
                Ok(Some(event)) => return Ok(Some(Ok(event))),
                Err(e) => return Ok(Some(Err(e))),
                Ok(None) if self.eof => return Err(ErrorKind::UnexpectedEof.into()),
                Ok(None) if done(&self.session) => return Ok(None),
                Ok(None) => {}
            }
            let n = self.stream.read(&mut self.buf)?;
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
