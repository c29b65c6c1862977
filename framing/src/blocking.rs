//! The blocking adapter: any codec over a `std::io::Read + Write` stream (a `TcpStream`, a
//! `UnixStream`, an in-memory pipe), and a driver for the version handshake.

use std::io::{ErrorKind, Read, Write};
use std::time::Instant;

use bytes::BytesMut;

use crate::codec::{Decoder, Encoder};
use crate::error::{AdapterError, Error};
use crate::handshake::{Agreement, Event, Handshake};
use crate::read_buffer::{READ_CHUNK, ReadBuffer, Step};

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
