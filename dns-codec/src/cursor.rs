//! The big-endian reader every decoder of the crate uses: a position in a message, the end it
//! may not read past (the end of the message, or of a record's rdata), and the message's
//! budget of compression pointer follows.

use crate::error::Error;
use crate::leniency::Leniency;
use crate::limits::Limits;

/// Reads fields off a DNS message, front to back.
#[derive(Debug)]
pub(crate) struct Cursor<'a> {
    /// The whole message up to `end`: compression pointers may point anywhere before the name
    /// they end, so the reader keeps the bytes before `pos` too.
    msg: &'a [u8],
    /// The length of the whole message, which a limited cursor's `msg` may stop short of.
    pub(crate) msg_len: usize,
    pos: usize,
    /// Pointer follows left for the whole message.
    pub(crate) follows_left: usize,
    /// Pointer follows allowed per name.
    pub(crate) max_hops: usize,
    /// The message's follow budget as configured, for the error.
    pub(crate) budget: usize,
    /// Every pointer followed and every label read, for the tests that count work.
    pub(crate) work: u64,
    /// The relaxations in force.
    pub(crate) leniency: Leniency,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `msg`, with `limits`' pointer budget for a message of that size.
    pub(crate) fn new(msg: &'a [u8], limits: &Limits) -> Cursor<'a> {
        let budget = msg.len().saturating_mul(limits.pointer_follows_per_byte);
        Cursor {
            msg,
            msg_len: msg.len(),
            pos: 0,
            follows_left: budget,
            max_hops: limits.max_pointer_hops,
            budget,
            work: 0,
            leniency: Leniency::default(),
        }
    }

    /// The position, as a byte offset in the message.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// The position as an error offset.
    pub(crate) fn offset(&self) -> u64 {
        self.pos as u64
    }

    /// Moves to `pos` (at most the end).
    pub(crate) fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.msg.len());
    }

    /// Bytes left before the end.
    pub(crate) fn remaining(&self) -> usize {
        self.msg.len().saturating_sub(self.pos)
    }

    /// The message up to the end.
    pub(crate) fn msg(&self) -> &'a [u8] {
        self.msg
    }

    /// A cursor over the same message that may not read past `end` (a record's rdata), sharing
    /// nothing: the caller copies the budget back with [`Cursor::join`].
    pub(crate) fn limited(&self, end: usize) -> Cursor<'a> {
        Cursor {
            msg: self.msg.get(..end).unwrap_or(self.msg),
            msg_len: self.msg_len,
            pos: self.pos,
            follows_left: self.follows_left,
            max_hops: self.max_hops,
            budget: self.budget,
            work: self.work,
            leniency: self.leniency,
        }
    }

    /// Takes back the position and the budget of a cursor made by [`Cursor::limited`].
    pub(crate) fn join(&mut self, inner: &Cursor<'a>) {
        self.pos = inner.pos;
        self.follows_left = inner.follows_left;
        self.work = inner.work;
    }

    /// The next `n` bytes.
    pub(crate) fn bytes(&mut self, n: usize, inside: &'static str) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(n);
        match end.and_then(|end| self.msg.get(self.pos..end)) {
            Some(b) => {
                self.pos += n;
                Ok(b)
            }
            None => Err(Error::Truncated {
                offset: self.offset(),
                inside,
            }),
        }
    }

    /// The rest of the bytes up to the end, without moving.
    pub(crate) fn rest_peek(&self) -> &'a [u8] {
        self.msg.get(self.pos..).unwrap_or_default()
    }

    /// The rest of the bytes up to the end.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let rest = self.msg.get(self.pos..).unwrap_or_default();
        self.pos = self.msg.len();
        rest
    }

    /// The next `N` bytes as an array.
    pub(crate) fn array<const N: usize>(&mut self, inside: &'static str) -> Result<[u8; N], Error> {
        let at = self.offset();
        self.bytes(N, inside)?
            .try_into()
            .map_err(|_| Error::Truncated { offset: at, inside })
    }

    /// One byte.
    pub(crate) fn u8(&mut self, inside: &'static str) -> Result<u8, Error> {
        match self.bytes(1, inside)? {
            [b] => Ok(*b),
            _ => Err(self.truncated(inside)),
        }
    }

    /// A 16-bit big-endian integer.
    pub(crate) fn u16(&mut self, inside: &'static str) -> Result<u16, Error> {
        match self.bytes(2, inside)? {
            [a, b] => Ok(u16::from_be_bytes([*a, *b])),
            _ => Err(self.truncated(inside)),
        }
    }

    /// A 32-bit big-endian integer.
    pub(crate) fn u32(&mut self, inside: &'static str) -> Result<u32, Error> {
        match self.bytes(4, inside)? {
            [a, b, c, d] => Ok(u32::from_be_bytes([*a, *b, *c, *d])),
            _ => Err(self.truncated(inside)),
        }
    }

    fn truncated(&self, inside: &'static str) -> Error {
        Error::Truncated {
            offset: self.offset(),
            inside,
        }
    }
}
