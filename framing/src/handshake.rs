//! Version negotiation: each side sends a fixed 16-byte hello, both agree on the highest version
//! they share and on the capabilities both have.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                             magic                             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |            version            |          min_version          |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                          capabilities                         |
//! |                          (64 bits)                            |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! All fields are big-endian (network byte order). A hello announces every version from
//! `min_version` to `version`, with no gaps. Capability bits a side does not know are ignored: the
//! agreement keeps only the bits both sides set.
//!
//! # Security
//!
//! The hellos travel in clear and unauthenticated: an attacker on the path can rewrite them, for
//! instance to lower `version` or clear capability bits (a downgrade). A later authenticated layer
//! should bind both hellos exactly as sent, for which [`Handshake::transcript`] keeps their bytes,
//! and abort if either side saw different ones.

use std::ops::RangeInclusive;
use std::time::Instant;

use bytes::{Buf, BufMut, Bytes, BytesMut};

use crate::codec::{Decoder, Encoder};
use crate::error::Error;

/// The magic of `wire`'s own hello: `NETW` in ASCII.
pub const DEFAULT_MAGIC: u32 = 0x4E45_5457;

/// One side's hello: which versions and capabilities it supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Hello {
    /// Identifies the protocol; a peer with another magic speaks something else.
    pub magic: u32,
    /// The highest version this side speaks.
    pub version: u16,
    /// The lowest version this side speaks.
    pub min_version: u16,
    /// One bit per optional feature.
    pub capabilities: u64,
}

impl Hello {
    /// The size of a hello on the wire.
    pub const LEN: usize = 16;

    /// A hello with [`DEFAULT_MAGIC`] announcing `min_version..=version` and `capabilities`;
    /// [`Hello::with_magic`] for a protocol of one's own.
    ///
    /// ```
    /// use framing::handshake::Hello;
    /// let hello = Hello::new(3, 1, 0b11);
    /// assert_eq!(hello.versions(), 1..=3);
    /// ```
    pub fn new(version: u16, min_version: u16, capabilities: u64) -> Hello {
        Hello {
            magic: DEFAULT_MAGIC,
            version,
            min_version,
            capabilities,
        }
    }

    /// The same hello with another magic.
    pub fn with_magic(self, magic: u32) -> Hello {
        Hello { magic, ..self }
    }

    /// The versions this hello announces (empty if `min_version > version`).
    pub fn versions(&self) -> RangeInclusive<u16> {
        self.min_version..=self.version
    }

    /// The wire form.
    pub fn to_bytes(&self) -> [u8; Hello::LEN] {
        let mut out = [0u8; Hello::LEN];
        let mut dst = out.as_mut_slice();
        dst.put_u32(self.magic);
        dst.put_u16(self.version);
        dst.put_u16(self.min_version);
        dst.put_u64(self.capabilities);
        out
    }

    /// Reads the wire form; any 16 bytes are a hello (checks come with [`negotiate`]).
    pub fn from_bytes(bytes: &[u8; Hello::LEN]) -> Hello {
        let mut src = bytes.as_slice();
        Hello {
            magic: src.get_u32(),
            version: src.get_u16(),
            min_version: src.get_u16(),
            capabilities: src.get_u64(),
        }
    }
}

/// What both sides agreed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Agreement {
    /// The highest version both speak: `min(local.version, remote.version)`.
    pub version: u16,
    /// The capabilities both have: `local & remote`.
    pub capabilities: u64,
}

/// Agrees a version and capabilities, or says why not.
///
/// - [`Error::BadMagic`] if the magics differ;
/// - [`Error::VersionMismatch`] if the version ranges do not overlap (an empty range, with
///   `min_version > version`, overlaps nothing).
///
/// ```
/// use framing::handshake::{Hello, negotiate, DEFAULT_MAGIC};
///
/// let ours = Hello { magic: DEFAULT_MAGIC, version: 5, min_version: 2, capabilities: 0b1011 };
/// let theirs = Hello { magic: DEFAULT_MAGIC, version: 3, min_version: 1, capabilities: 0b0110 };
/// let agreed = negotiate(&ours, &theirs).unwrap();
/// assert_eq!((agreed.version, agreed.capabilities), (3, 0b0010));
/// ```
pub fn negotiate(local: &Hello, remote: &Hello) -> Result<Agreement, Error> {
    if local.magic != remote.magic {
        return Err(Error::BadMagic {
            offset: 0,
            expected: local.magic,
            found: remote.magic,
        });
    }
    let version = local.version.min(remote.version);
    let floor = local.min_version.max(remote.min_version);
    if floor > version {
        return Err(Error::VersionMismatch {
            local: local.versions(),
            remote: remote.versions(),
        });
    }
    Ok(Agreement {
        version,
        capabilities: local.capabilities & remote.capabilities,
    })
}

/// Decodes and encodes hellos with a given magic; a wrong magic is reported as soon as its four
/// bytes arrive.
#[derive(Debug, Clone)]
pub struct HelloCodec {
    magic: u32,
    /// Bytes consumed from the stream so far, for error offsets.
    position: u64,
}

impl HelloCodec {
    /// A codec expecting `magic`.
    pub fn new(magic: u32) -> HelloCodec {
        HelloCodec { magic, position: 0 }
    }
}

impl Default for HelloCodec {
    fn default() -> Self {
        HelloCodec::new(DEFAULT_MAGIC)
    }
}

impl Decoder for HelloCodec {
    type Item = Hello;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Hello>, Error> {
        if let Some(magic) = src.get(..4).and_then(|b| <[u8; 4]>::try_from(b).ok()) {
            let found = u32::from_be_bytes(magic);
            if found != self.magic {
                return Err(Error::BadMagic {
                    offset: self.position,
                    expected: self.magic,
                    found,
                });
            }
        }
        let Some(bytes) = src
            .get(..Hello::LEN)
            .and_then(|b| <&[u8; 16]>::try_from(b).ok())
        else {
            return Ok(None);
        };
        let hello = Hello::from_bytes(bytes);
        src.advance(Hello::LEN);
        self.position += Hello::LEN as u64;
        Ok(Some(hello))
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Hello>, Error> {
        match self.decode(src)? {
            Some(hello) => Ok(Some(hello)),
            None if src.is_empty() => Ok(None),
            None => Err(Error::Truncated {
                offset: self.position + src.len() as u64,
                needed: (Hello::LEN - src.len()) as u64,
            }),
        }
    }
}

impl Encoder<Hello> for HelloCodec {
    type Error = Error;

    fn encode(&mut self, hello: Hello, dst: &mut BytesMut) -> Result<(), Error> {
        if hello.magic != self.magic {
            return Err(Error::Unencodable {
                reason: "hello magic differs from the codec's",
            });
        }
        dst.put_slice(&hello.to_bytes());
        Ok(())
    }
}

/// The exact bytes of both hellos, for binding into a later authenticated layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transcript {
    /// Our hello as sent.
    pub local: [u8; Hello::LEN],
    /// The peer's hello as received.
    pub remote: [u8; Hello::LEN],
}

/// What the handshake session reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// Both hellos were exchanged and agree.
    Agreed(Agreement),
}

#[derive(Debug, Clone)]
enum State {
    AwaitingHello,
    /// Agreed; the event has been reported if `reported`.
    Agreed {
        agreement: Agreement,
        remote: [u8; Hello::LEN],
        reported: bool,
    },
    Failed(Error),
}

/// The sans-IO handshake: sends our hello, reads theirs, agrees, and hands back every byte that
/// arrived after their hello so that the next codec starts exactly there.
///
/// ```
/// use framing::handshake::{Event, Handshake, Hello, DEFAULT_MAGIC};
///
/// let mut a = Handshake::new(Hello { magic: DEFAULT_MAGIC, version: 2, min_version: 1, capabilities: 3 });
/// let mut b = Handshake::new(Hello { magic: DEFAULT_MAGIC, version: 4, min_version: 2, capabilities: 1 });
/// let to_b = a.poll_transmit().unwrap();
/// let to_a = b.poll_transmit().unwrap();
/// b.receive(&to_b);
/// a.receive(&to_a);
/// a.receive(b"first frame");
/// let Some(Event::Agreed(agreed)) = a.poll_event().unwrap() else { panic!() };
/// assert_eq!((agreed.version, agreed.capabilities), (2, 1));
/// assert_eq!(&a.take_remaining()[..], b"first frame");
/// ```
#[derive(Debug, Clone)]
pub struct Handshake {
    local: Hello,
    transmitted: bool,
    received: BytesMut,
    state: State,
    deadline: Option<Instant>,
}

impl Handshake {
    /// A session that will send `local`.
    pub fn new(local: Hello) -> Handshake {
        Handshake {
            local,
            transmitted: false,
            received: BytesMut::new(),
            state: State::AwaitingHello,
            deadline: None,
        }
    }

    /// Fail with [`Error::Timeout`] if the peer's hello has not arrived by `deadline` (checked in
    /// [`Handshake::handle_timeout`]).
    pub fn with_deadline(mut self, deadline: Instant) -> Handshake {
        self.deadline = Some(deadline);
        self
    }

    /// Feeds bytes from the peer. Bytes after the peer's hello are kept for
    /// [`Handshake::take_remaining`].
    pub fn receive(&mut self, bytes: &[u8]) {
        self.received.extend_from_slice(bytes);
    }

    /// Our hello, once; then `None`.
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        if self.transmitted {
            return None;
        }
        self.transmitted = true;
        Some(Bytes::copy_from_slice(&self.local.to_bytes()))
    }

    /// Processes what arrived: `Agreed` once, when the peer's hello is in and agrees; an error if
    /// it does not (reported again on every later call).
    pub fn poll_event(&mut self) -> Result<Option<Event>, Error> {
        match &mut self.state {
            State::Failed(e) => return Err(e.clone()),
            State::Agreed {
                agreement,
                reported,
                ..
            } => {
                if *reported {
                    return Ok(None);
                }
                *reported = true;
                return Ok(Some(Event::Agreed(*agreement)));
            }
            State::AwaitingHello => {}
        }
        match HelloCodec::new(self.local.magic).decode(&mut self.received) {
            Ok(None) => Ok(None),
            Ok(Some(remote)) => match negotiate(&self.local, &remote) {
                Ok(agreement) => {
                    self.state = State::Agreed {
                        agreement,
                        remote: remote.to_bytes(),
                        reported: true,
                    };
                    Ok(Some(Event::Agreed(agreement)))
                }
                Err(e) => self.fail(e),
            },
            Err(e) => self.fail(e),
        }
    }

    fn fail(&mut self, e: Error) -> Result<Option<Event>, Error> {
        self.state = State::Failed(e.clone());
        Err(e)
    }

    /// When [`Handshake::handle_timeout`] should next be called: the deadline while the peer's
    /// hello is awaited, `None` otherwise.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::AwaitingHello => self.deadline,
            _ => None,
        }
    }

    /// Tells the session the time; past the deadline, an unfinished handshake fails with
    /// [`Error::Timeout`].
    pub fn handle_timeout(&mut self, now: Instant) {
        if let (State::AwaitingHello, Some(deadline)) = (&self.state, self.deadline) {
            if now >= deadline {
                self.state = State::Failed(Error::Timeout);
            }
        }
    }

    /// Tells the session the peer closed the stream: before its hello is complete, that is
    /// [`Error::Truncated`]. (The same verb as every session of the workspace.)
    pub fn receive_eof(&mut self) {
        if let State::AwaitingHello = self.state {
            let have = self.received.len() as u64;
            self.state = State::Failed(Error::Truncated {
                offset: have,
                needed: (Hello::LEN as u64).saturating_sub(have),
            });
        }
    }

    /// The old name of [`Handshake::receive_eof`].
    #[deprecated(
        since = "0.1.0",
        note = "renamed receive_eof, the verb every session uses"
    )]
    pub fn handle_eof(&mut self) {
        self.receive_eof();
    }

    /// The agreement, once reached.
    pub fn agreement(&self) -> Option<Agreement> {
        match &self.state {
            State::Agreed { agreement, .. } => Some(*agreement),
            _ => None,
        }
    }

    /// The bytes of both hellos, once agreed.
    pub fn transcript(&self) -> Option<Transcript> {
        match &self.state {
            State::Agreed { remote, .. } => Some(Transcript {
                local: self.local.to_bytes(),
                remote: *remote,
            }),
            _ => None,
        }
    }

    /// Every byte received after the peer's hello (before agreement: nothing, the bytes stay).
    pub fn take_remaining(&mut self) -> BytesMut {
        match self.state {
            State::Agreed { .. } => std::mem::take(&mut self.received),
            _ => BytesMut::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;
    use std::time::Duration;

    fn hello(min_version: u16, version: u16, capabilities: u64) -> Hello {
        Hello {
            magic: DEFAULT_MAGIC,
            version,
            min_version,
            capabilities,
        }
    }

    #[test]
    fn wire_form_is_big_endian() {
        let h = hello(1, 3, 11);
        assert_eq!(
            h.to_bytes(),
            *b"NETW\x00\x03\x00\x01\x00\x00\x00\x00\x00\x00\x00\x0b"
        );
        assert_eq!(Hello::from_bytes(&h.to_bytes()), h);
    }

    #[test]
    fn negotiate_takes_the_highest_common_version_and_common_capabilities() {
        let a = negotiate(&hello(1, 5, 0b1100), &hello(3, 9, 0b0110)).unwrap();
        assert_eq!(
            a,
            Agreement {
                version: 5,
                capabilities: 0b0100
            }
        );
        // Symmetric.
        assert_eq!(
            negotiate(&hello(3, 9, 0b0110), &hello(1, 5, 0b1100)).unwrap(),
            a
        );
        // Touching ranges overlap in one version.
        assert_eq!(
            negotiate(&hello(1, 3, 0), &hello(3, 4, 0)).unwrap().version,
            3
        );
    }

    #[test]
    fn disjoint_or_empty_ranges_mismatch() {
        assert_eq!(
            negotiate(&hello(1, 2, 0), &hello(3, 4, 0)),
            Err(Error::VersionMismatch {
                local: 1..=2,
                remote: 3..=4
            })
        );
        assert!(matches!(
            negotiate(&hello(1, 9, 0), &hello(5, 4, 0)),
            Err(Error::VersionMismatch { .. })
        ));
    }

    #[test]
    fn codec_rejects_bad_magic_after_four_bytes() {
        let mut codec = HelloCodec::default();
        let mut buf = BytesMut::from(&b"GET "[..]);
        assert_eq!(
            codec.decode(&mut buf),
            Err(Error::BadMagic {
                offset: 0,
                expected: DEFAULT_MAGIC,
                found: 0x4745_5420
            })
        );
    }

    #[test]
    fn session_hands_back_bytes_after_the_hello_split_anywhere() {
        let theirs = hello(2, 4, 7).to_bytes();
        let mut stream = theirs.to_vec();
        stream.extend_from_slice(b"next codec starts here");
        for split in 0..stream.len() {
            let mut s = Handshake::new(hello(1, 3, 5));
            s.receive(&stream[..split]);
            let first = s.poll_event().unwrap();
            s.receive(&stream[split..]);
            let event = first.or_else(|| s.poll_event().unwrap());
            assert_eq!(
                event,
                Some(Event::Agreed(Agreement {
                    version: 3,
                    capabilities: 5
                }))
            );
            assert_eq!(s.poll_event().unwrap(), None);
            assert_eq!(&s.take_remaining()[..], b"next codec starts here");
            assert_eq!(s.transcript().unwrap().remote, theirs);
        }
    }

    #[test]
    fn session_times_out_only_while_waiting() {
        let start = Instant::now();
        let deadline = start + Duration::from_secs(5);
        let mut s = Handshake::new(hello(1, 1, 0)).with_deadline(deadline);
        assert_eq!(s.poll_timeout(), Some(deadline));
        s.handle_timeout(start + Duration::from_secs(1));
        assert_eq!(s.poll_event(), Ok(None));
        s.handle_timeout(deadline);
        assert_eq!(s.poll_event(), Err(Error::Timeout));
        assert_eq!(s.poll_timeout(), None);

        let mut done = Handshake::new(hello(1, 1, 0)).with_deadline(deadline);
        done.receive(&hello(1, 1, 0).to_bytes());
        assert!(done.poll_event().unwrap().is_some());
        done.handle_timeout(deadline + Duration::from_secs(1));
        assert_eq!(done.poll_event(), Ok(None));
        assert_eq!(done.poll_timeout(), None);
    }

    #[test]
    fn session_reports_a_mismatch_every_time() {
        let mut s = Handshake::new(hello(1, 2, 0));
        s.receive(&hello(5, 6, 0).to_bytes());
        assert!(matches!(s.poll_event(), Err(Error::VersionMismatch { .. })));
        assert!(matches!(s.poll_event(), Err(Error::VersionMismatch { .. })));
        assert!(s.take_remaining().is_empty());
    }
}
