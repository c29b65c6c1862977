//! An allocation-free reader of DNS messages: the header parsed at once, the four sections
//! walked lazily, names and records borrowed from the message (RFC 1035 §4.1).
//!
//! [`MessageReader`] is for hot paths that look at little of a message: a forwarder that only
//! wants the question, a cache that wants the TTLs, a scanner that counts records. Nothing it
//! does touches the heap; [`QuestionRef::to_owned`], [`RecordRef::to_owned`],
//! [`NameRef::to_owned`] and [`OptRef::to_owned`] turn a borrowed item into the owned types of
//! [`crate::Message`] when it is wanted.
//!
//! The reader is as strict as [`crate::Message::decode`] about the framing it walks over:
//!
//! - Walking to a section walks the sections before it (once: where each section starts is
//!   remembered) and refuses what the decoder refuses there: a name cut short, a label type
//!   other than 00 and 11, a label sequence over 255 octets, a compression pointer that points
//!   past the end or not strictly before the labels it ends, a field cut short, an RDLENGTH past
//!   the end, an OPT record outside the additional section, a second one, one whose owner is not
//!   the root, EDNS options cut by their RDLENGTH, and (after the last additional record) bytes
//!   that no count covers. Errors carry the same byte offsets as the decoder's.
//! - The rdata of a record is handed out as the bytes its RDLENGTH covers; its type's rules are
//!   checked by [`RecordRef::to_owned`], exactly as the decoder checks them.
//! - A [`NameRef`] follows compression pointers only when it is read ([`NameRef::labels`],
//!   [`NameRef::eq_name`], [`NameRef::to_owned`]), in a loop, with the decoder's rules: pointers
//!   strictly backwards, at most [`Limits::max_pointer_hops`] per name, and one budget of
//!   pointer follows for the whole message, shared by every name read from one reader, so the
//!   work stays linear in the message size however often its names are read.
//!
//! ```
//! use dns_codec::reader::MessageReader;
//! use dns_codec::{Message, Name, Question, RType};
//!
//! let mut query = Message::default();
//! query.header.id = 7;
//! query.question.push(Question::new("www.Example.com.".parse()?, RType::AAAA));
//! let wire = query.encode()?;
//!
//! let reader = MessageReader::new(&wire)?;
//! assert_eq!(reader.id(), 7);
//! let q = reader.question()?.expect("one question");
//! assert_eq!(q.qtype, RType::AAAA);
//! let wanted: Name = "www.example.com.".parse()?;
//! assert!(q.name.eq_name(&wanted)?);
//! assert_eq!(q.name.labels().count(), 3);
//! assert_eq!(q.to_owned()?, query.question[0]);
//! assert_eq!(reader.answers().count(), 0);
//! # Ok::<(), dns_codec::Error>(())
//! ```

use std::cell::Cell;
use std::fmt;

use crate::class::Class;
use crate::cursor::Cursor;
use crate::edns::Edns;
use crate::error::Error;
use crate::header::{Counts, HEADER_LEN, Header, Rcode};
use crate::limits::Limits;
use crate::name::{MAX_NAME_LEN, Name, pointer_target, write_label};
use crate::question::Question;
use crate::rdata::RData;
use crate::record::{Decoded, Record};
use crate::rtype::RType;

/// The largest message: what a 16-bit length prefix or a UDP datagram can carry.
const MAX_MESSAGE: usize = 65535;

/// A section of a message (RFC 1035 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// The question section.
    Question,
    /// The answer section.
    Answer,
    /// The authority section.
    Authority,
    /// The additional section.
    Additional,
}

impl Section {
    /// The name the decoder's errors use.
    fn name(self) -> &'static str {
        match self {
            Section::Question => "question",
            Section::Answer => "answer",
            Section::Authority => "authority",
            Section::Additional => "additional",
        }
    }

    fn index(self) -> usize {
        match self {
            Section::Question => 0,
            Section::Answer => 1,
            Section::Authority => 2,
            Section::Additional => 3,
        }
    }
}

/// A borrowed view of one DNS message: the header read at construction, everything else read
/// when asked for (see the [module docs](self)).
pub struct MessageReader<'a> {
    msg: &'a [u8],
    /// The 12 header octets, read into fields only when asked for: a forwarder that looks
    /// at the question never pays for the flags.
    head: [u8; HEADER_LEN],
    limits: Limits,
    /// Pointer follows left for every name read from this reader.
    follows_left: Cell<usize>,
    /// Where the answer, authority and additional sections start and where the last one ends,
    /// once a walk got there; 0 while unknown (nothing starts before the header's end).
    ends: [Cell<usize>; 4],
}

impl<'a> MessageReader<'a> {
    /// A reader over one complete message, with the default [`Limits`]. Reads the 12-byte
    /// header; nothing else is looked at yet.
    #[inline]
    pub fn new(msg: &'a [u8]) -> Result<MessageReader<'a>, Error> {
        MessageReader::with_limits(msg, &Limits::default())
    }

    /// A reader over one complete message, with `limits`.
    #[inline]
    pub fn with_limits(msg: &'a [u8], limits: &Limits) -> Result<MessageReader<'a>, Error> {
        let max = limits.max_message_size.min(MAX_MESSAGE);
        if msg.len() > max {
            return Err(Error::TooLarge {
                offset: max as u64,
                limit: max as u64,
                claimed: msg.len() as u64,
            });
        }
        let Some(&head) = msg.first_chunk::<HEADER_LEN>() else {
            return Err(Error::Truncated {
                offset: 0,
                inside: "header",
            });
        };
        Ok(MessageReader {
            msg,
            head,
            limits: *limits,
            follows_left: Cell::new(msg.len().saturating_mul(limits.pointer_follows_per_byte)),
            ends: Default::default(),
        })
    }

    /// The whole message.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.msg
    }

    /// ID and flags. The RCODE is the header's 4 bits; [`MessageReader::rcode`] adds the
    /// OPT record's 8.
    pub fn header(&self) -> Header {
        Header::from_flags(self.id(), self.flags())
    }

    /// ID.
    pub fn id(&self) -> u16 {
        let [i0, i1, ..] = self.head;
        u16::from_be_bytes([i0, i1])
    }

    /// The 16-bit flags word as on the wire.
    pub fn flags(&self) -> u16 {
        let [_, _, f0, f1, ..] = self.head;
        u16::from_be_bytes([f0, f1])
    }

    /// The four counts as on the wire.
    pub fn counts(&self) -> Counts {
        let [_, _, _, _, q0, q1, a0, a1, n0, n1, r0, r1] = self.head;
        Counts {
            qdcount: u16::from_be_bytes([q0, q1]),
            ancount: u16::from_be_bytes([a0, a1]),
            nscount: u16::from_be_bytes([n0, n1]),
            arcount: u16::from_be_bytes([r0, r1]),
        }
    }

    /// The full 12-bit RCODE (RFC 6891 §6.1.3): walks the message to its OPT record.
    pub fn rcode(&self) -> Result<Rcode, Error> {
        let low = self.flags() & 0xF;
        Ok(match self.edns()? {
            Some(opt) => Rcode((u16::from(opt.extended_rcode()) << 4) | low),
            None => Rcode(low),
        })
    }

    /// Compression pointer follows left in the message's budget.
    pub fn pointer_follows_left(&self) -> usize {
        self.follows_left.get()
    }

    /// The question section's entries, each `Err` once and then the end if the section is
    /// malformed.
    #[inline]
    pub fn questions(&self) -> Questions<'_> {
        Questions {
            reader: self,
            pos: HEADER_LEN,
            left: self.counts().qdcount,
            done: false,
        }
    }

    /// The first question, if any: a forwarder's one look at a query.
    pub fn question(&self) -> Result<Option<QuestionRef<'_>>, Error> {
        self.questions().next().transpose()
    }

    /// The answer section's records (walking the question section first).
    #[inline]
    pub fn answers(&self) -> Records<'_> {
        self.records(Section::Answer)
    }

    /// The authority section's records (walking the sections before it first).
    #[inline]
    pub fn authority(&self) -> Records<'_> {
        self.records(Section::Authority)
    }

    /// The additional section's records, the OPT record included; after the last one, an
    /// error if bytes follow that no count covers.
    #[inline]
    pub fn additional(&self) -> Records<'_> {
        self.records(Section::Additional)
    }

    /// The records of one section (`Section::Question` gives none).
    #[inline]
    pub fn records(&self, section: Section) -> Records<'_> {
        let counts = self.counts();
        let left = match section {
            Section::Question => 0,
            Section::Answer => counts.ancount,
            Section::Authority => counts.nscount,
            Section::Additional => counts.arcount,
        };
        Records {
            reader: self,
            section,
            pos: 0,
            left,
            seen_opt: false,
            state: State::Start,
        }
    }

    /// The OPT record (RFC 6891 §6), if there is one: walks the whole message, so a malformed
    /// one is an error.
    pub fn edns(&self) -> Result<Option<OptRef<'_>>, Error> {
        let mut opt = None;
        for record in self.additional() {
            let record = record?;
            if record.rtype == RType::OPT {
                opt = Some(OptRef { record });
            }
        }
        Ok(opt)
    }

    /// Where `section` starts, walking (and remembering) the sections before it.
    #[inline]
    fn section_start(&self, section: Section) -> Result<usize, Error> {
        let index = section.index();
        if index == 0 {
            return Ok(HEADER_LEN);
        }
        if let Some(known) = self.ends.get(index - 1).map(Cell::get).filter(|&p| p != 0) {
            return Ok(known);
        }
        let before = match section {
            Section::Question | Section::Answer => Section::Question,
            Section::Authority => Section::Answer,
            Section::Additional => Section::Authority,
        };
        let end = if before == Section::Question {
            let mut q = self.questions();
            for item in q.by_ref() {
                item?;
            }
            q.pos
        } else {
            let mut r = self.records(before);
            for item in r.by_ref() {
                item?;
            }
            r.pos
        };
        Ok(end)
    }

    /// Remembers that the section before `ends[index]` ends at `pos`.
    #[inline]
    fn remember(&self, index: usize, pos: usize) {
        if let Some(cell) = self.ends.get(index) {
            cell.set(pos);
        }
    }

    /// Reads the record at `pos` in `section`: its framing checked, its rdata not.
    #[inline]
    fn read_record(
        &self,
        pos: usize,
        section: Section,
        seen_opt: &mut bool,
    ) -> Result<(RecordRef<'_>, usize), Error> {
        let msg = self.msg;
        let at = skip_name(msg, pos)?;
        let field = |offset: usize, inside: &'static str| -> Result<u16, Error> {
            match msg.get(offset..offset + 2) {
                Some(&[a, b]) => Ok(u16::from_be_bytes([a, b])),
                _ => Err(Error::Truncated {
                    offset: offset as u64,
                    inside,
                }),
            }
        };
        let (rtype, class, ttl, rdlength) = match msg.get(at..at + 10) {
            // The common case: all four fields there.
            Some(&[t0, t1, c0, c1, l0, l1, l2, l3, r0, r1]) => (
                u16::from_be_bytes([t0, t1]),
                u16::from_be_bytes([c0, c1]),
                u32::from_be_bytes([l0, l1, l2, l3]),
                u16::from_be_bytes([r0, r1]),
            ),
            _ => {
                let rtype = field(at, "TYPE")?;
                let class = field(at + 2, "CLASS")?;
                let ttl = match msg.get(at + 4..at + 8) {
                    Some(&[a, b, c, d]) => u32::from_be_bytes([a, b, c, d]),
                    _ => {
                        return Err(Error::Truncated {
                            offset: (at + 4) as u64,
                            inside: "TTL",
                        });
                    }
                };
                (rtype, class, ttl, field(at + 8, "RDLENGTH")?)
            }
        };
        let start = at + 10;
        let end = start + usize::from(rdlength);
        let Some(rdata) = msg.get(start..end) else {
            return Err(Error::Truncated {
                offset: start as u64,
                inside: "rdata",
            });
        };
        if RType(rtype) == RType::OPT {
            // Checked from plain values: the record is only built afterwards, in registers.
            self.check_opt(pos, rdata, start, section, seen_opt)?;
        }
        let record = RecordRef {
            name: NameRef {
                reader: self,
                start: pos,
            },
            rtype: RType(rtype),
            class: Class(class),
            ttl,
            rdata,
            offset: pos,
            rdata_offset: start,
        };
        Ok((record, end))
    }

    /// The decoder's rules for an OPT record (RFC 6891 §6.1.1-2).
    fn check_opt(
        &self,
        pos: usize,
        rdata: &[u8],
        rdata_offset: usize,
        section: Section,
        seen_opt: &mut bool,
    ) -> Result<(), Error> {
        let offset = pos as u64;
        if section != Section::Additional {
            return Err(Error::OptOutsideAdditional {
                offset,
                section: section.name(),
            });
        }
        if *seen_opt {
            return Err(Error::DuplicateOpt { offset });
        }
        *seen_opt = true;
        let owner = NameRef {
            reader: self,
            start: pos,
        };
        if !owner.is_root()? {
            return Err(Error::OptOwnerNotRoot { offset });
        }
        let mut at = 0usize;
        while at < rdata.len() {
            let Some(&[_, _, l0, l1]) = rdata.get(at..at + 4) else {
                return Err(Error::BadRdata {
                    offset: (rdata_offset + at) as u64,
                    rtype: RType::OPT,
                    reason: "option header cut by the RDLENGTH (RFC 6891 §6.1.2)",
                });
            };
            let next = at + 4 + usize::from(u16::from_be_bytes([l0, l1]));
            if next > rdata.len() {
                return Err(Error::BadRdata {
                    offset: (rdata_offset + at) as u64,
                    rtype: RType::OPT,
                    reason: "OPTION-LENGTH runs past the RDLENGTH (RFC 6891 §6.1.2)",
                });
            }
            at = next;
        }
        Ok(())
    }

    /// A cursor at `pos` carrying this reader's pointer budget.
    fn cursor_at(&self, pos: usize) -> Cursor<'a> {
        let mut c = Cursor::new(self.msg, &self.limits);
        c.follows_left = self.follows_left.get();
        c.set_pos(pos);
        c
    }
}

impl fmt::Debug for MessageReader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageReader")
            .field("len", &self.msg.len())
            .field("header", &self.header())
            .field("counts", &self.counts())
            .finish_non_exhaustive()
    }
}

/// Skips the name at `pos` without following its pointer: checks its labels in place and that
/// a final pointer points inside the message and strictly before the name. Returns where the
/// name's bytes end.
#[inline]
fn skip_name(msg: &[u8], start: usize) -> Result<usize, Error> {
    let mut pos = start;
    loop {
        let Some(&byte) = msg.get(pos) else {
            return Err(Error::Truncated {
                offset: pos as u64,
                inside: "name",
            });
        };
        match byte & 0xC0 {
            0x00 => {
                if byte == 0 {
                    return Ok(pos + 1);
                }
                let next = pos + 1 + usize::from(byte);
                // Room is kept for the root label that must follow.
                if next - start > MAX_NAME_LEN - 1 {
                    return Err(Error::NameTooLong {
                        offset: start as u64,
                    });
                }
                if next > msg.len() {
                    return Err(Error::Truncated {
                        offset: pos as u64,
                        inside: "label",
                    });
                }
                pos = next;
            }
            0xC0 => {
                pointer_target(msg, pos, msg.len(), start)?;
                return Ok(pos + 2);
            }
            _ => {
                return Err(Error::BadLabelType {
                    offset: pos as u64,
                    byte,
                });
            }
        }
    }
}

/// The question section of a [`MessageReader`].
#[derive(Debug, Clone)]
pub struct Questions<'r> {
    reader: &'r MessageReader<'r>,
    pos: usize,
    left: u16,
    done: bool,
}

impl<'r> Iterator for Questions<'r> {
    type Item = Result<QuestionRef<'r>, Error>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if self.left == 0 {
            self.done = true;
            self.reader.remember(0, self.pos);
            return None;
        }
        let msg = self.reader.msg;
        let result = skip_name(msg, self.pos).and_then(|at| match msg.get(at..at + 4) {
            Some(&[t0, t1, c0, c1]) => Ok((
                QuestionRef {
                    name: NameRef {
                        reader: self.reader,
                        start: self.pos,
                    },
                    qtype: RType(u16::from_be_bytes([t0, t1])),
                    qclass: Class(u16::from_be_bytes([c0, c1])),
                },
                at + 4,
            )),
            _ => Err(Error::Truncated {
                offset: if at + 2 <= msg.len() { at + 2 } else { at } as u64,
                inside: if at + 2 <= msg.len() {
                    "QCLASS"
                } else {
                    "QTYPE"
                },
            }),
        });
        match result {
            Ok((q, next)) => {
                self.pos = next;
                self.left -= 1;
                Some(Ok(q))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(if self.done { 0 } else { usize::from(self.left) }))
    }
}

impl std::iter::FusedIterator for Questions<'_> {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Walking,
    Done,
}

/// The records of one section of a [`MessageReader`].
#[derive(Debug, Clone)]
pub struct Records<'r> {
    reader: &'r MessageReader<'r>,
    section: Section,
    pos: usize,
    left: u16,
    seen_opt: bool,
    state: State,
}

impl<'r> Iterator for Records<'r> {
    type Item = Result<RecordRef<'r>, Error>;

    // Always: returned through memory, the record's small fields make the caller's copy wait
    // on a store it cannot forward from (a 40% slowdown on small messages).
    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        match self.state {
            State::Done => return None,
            State::Start => {
                if self.section == Section::Question {
                    self.state = State::Done;
                    return None;
                }
                match self.reader.section_start(self.section) {
                    Ok(pos) => {
                        self.pos = pos;
                        self.state = State::Walking;
                    }
                    Err(e) => {
                        self.state = State::Done;
                        return Some(Err(e));
                    }
                }
            }
            State::Walking => {}
        }
        if self.left == 0 {
            self.state = State::Done;
            let index = self.section.index();
            self.reader.remember(index, self.pos);
            if self.section == Section::Additional && self.pos != self.reader.msg.len() {
                let count = self.reader.msg.len().saturating_sub(self.pos);
                return Some(Err(Error::TrailingBytes {
                    offset: self.pos as u64,
                    count,
                }));
            }
            return None;
        }
        match self
            .reader
            .read_record(self.pos, self.section, &mut self.seen_opt)
        {
            Ok((record, next)) => {
                self.pos = next;
                self.left -= 1;
                Some(Ok(record))
            }
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let most = if self.state == State::Done {
            0
        } else {
            usize::from(self.left) + 1
        };
        (0, Some(most))
    }
}

impl std::iter::FusedIterator for Records<'_> {}

/// A name in a message, read (and its compression pointers followed) only when asked.
#[derive(Clone, Copy)]
pub struct NameRef<'r> {
    reader: &'r MessageReader<'r>,
    start: usize,
}

impl<'r> NameRef<'r> {
    /// Where the name starts in the message.
    pub fn offset(&self) -> usize {
        self.start
    }

    /// The labels, most specific first, without the root label, following compression
    /// pointers; an error (and then the end) where the name breaks a rule.
    pub fn labels(&self) -> LabelsRef<'r> {
        LabelsRef {
            msg: self.reader.msg,
            follows_left: &self.reader.follows_left,
            max_hops: self.reader.limits.max_pointer_hops,
            budget: self.budget(),
            start: self.start,
            pos: self.start,
            sequence_start: self.start,
            hops: 0,
            wire_len: 0,
            done: false,
        }
    }

    fn budget(&self) -> usize {
        self.reader
            .msg
            .len()
            .saturating_mul(self.reader.limits.pointer_follows_per_byte)
    }

    /// Whether this is the root name.
    pub fn is_root(&self) -> Result<bool, Error> {
        // The common case: no pointer to follow.
        if self.reader.msg.get(self.start) == Some(&0) {
            return Ok(true);
        }
        self.labels().next().transpose().map(|l| l.is_none())
    }

    /// Whether the name equals `other`, ignoring ASCII case (RFC 4343 §2). Reads as far as the
    /// names agree: `Ok(true)` means the whole name was read and is valid.
    pub fn eq_name(&self, other: &Name) -> Result<bool, Error> {
        let mut theirs = other.labels();
        for label in self.labels() {
            let label = label?;
            match theirs.next() {
                Some(t) if t.eq_ignore_ascii_case(label) => {}
                _ => return Ok(false),
            }
        }
        Ok(theirs.next().is_none())
    }

    /// The length of the uncompressed wire form (1 for the root).
    pub fn wire_len(&self) -> Result<usize, Error> {
        let mut len = 1;
        for label in self.labels() {
            len += 1 + label?.len();
        }
        Ok(len)
    }

    /// The owned name, exactly as [`crate::Message::decode`] reads it.
    pub fn to_owned(&self) -> Result<Name, Error> {
        let mut c = self.reader.cursor_at(self.start);
        let name = Name::decode(&mut c);
        self.reader.follows_left.set(c.follows_left);
        name
    }
}

/// Equal when [`NameRef::eq_name`] says `Ok(true)`; a malformed name equals nothing.
impl PartialEq<Name> for NameRef<'_> {
    fn eq(&self, other: &Name) -> bool {
        self.eq_name(other) == Ok(true)
    }
}

/// The presentation form, as [`Name`] prints it; where the name breaks a rule (or runs out of
/// the pointer budget), `<malformed name>` after the labels read so far.
impl fmt::Display for NameRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut any = false;
        for label in self.labels() {
            let Ok(label) = label else {
                return f.write_str("<malformed name>");
            };
            any = true;
            write_label(f, label)?;
        }
        if !any {
            f.write_str(".")?;
        }
        Ok(())
    }
}

impl fmt::Debug for NameRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NameRef({} at {})", self, self.start)
    }
}

/// The labels of a [`NameRef`], compression pointers followed as they come.
#[derive(Debug, Clone)]
pub struct LabelsRef<'r> {
    msg: &'r [u8],
    follows_left: &'r Cell<usize>,
    max_hops: usize,
    budget: usize,
    start: usize,
    pos: usize,
    sequence_start: usize,
    hops: usize,
    wire_len: usize,
    done: bool,
}

impl<'r> LabelsRef<'r> {
    fn fail(&mut self, e: Error) -> Option<Result<&'r [u8], Error>> {
        self.done = true;
        Some(Err(e))
    }
}

impl<'r> Iterator for LabelsRef<'r> {
    type Item = Result<&'r [u8], Error>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let pos = self.pos;
            let Some(&byte) = self.msg.get(pos) else {
                return self.fail(Error::Truncated {
                    offset: pos as u64,
                    inside: "name",
                });
            };
            match byte & 0xC0 {
                0x00 => {
                    if byte == 0 {
                        self.done = true;
                        return None;
                    }
                    let len = usize::from(byte);
                    if self.wire_len + 1 + len > MAX_NAME_LEN - 1 {
                        return self.fail(Error::NameTooLong {
                            offset: self.start as u64,
                        });
                    }
                    let Some(label) = self.msg.get(pos + 1..pos + 1 + len) else {
                        return self.fail(Error::Truncated {
                            offset: pos as u64,
                            inside: "label",
                        });
                    };
                    self.wire_len += 1 + len;
                    self.pos = pos + 1 + len;
                    return Some(Ok(label));
                }
                0xC0 => {
                    let target =
                        match pointer_target(self.msg, pos, self.msg.len(), self.sequence_start) {
                            Ok(target) => target,
                            Err(e) => return self.fail(e),
                        };
                    self.hops += 1;
                    if self.hops > self.max_hops {
                        return self.fail(Error::TooManyHops {
                            offset: self.start as u64,
                            limit: self.max_hops,
                        });
                    }
                    let left = self.follows_left.get();
                    if left == 0 {
                        return self.fail(Error::PointerBudget {
                            offset: self.start as u64,
                            limit: self.budget,
                        });
                    }
                    self.follows_left.set(left - 1);
                    self.pos = target;
                    self.sequence_start = target;
                }
                _ => {
                    return self.fail(Error::BadLabelType {
                        offset: pos as u64,
                        byte,
                    });
                }
            }
        }
    }
}

impl std::iter::FusedIterator for LabelsRef<'_> {}

/// One entry of the question section, borrowed (RFC 1035 §4.1.2).
#[derive(Debug, Clone, Copy)]
pub struct QuestionRef<'r> {
    /// QNAME.
    pub name: NameRef<'r>,
    /// QTYPE.
    pub qtype: RType,
    /// QCLASS.
    pub qclass: Class,
}

impl QuestionRef<'_> {
    /// The owned question, exactly as [`crate::Message::decode`] reads it.
    pub fn to_owned(&self) -> Result<Question, Error> {
        Ok(Question {
            name: self.name.to_owned()?,
            qtype: self.qtype,
            qclass: self.qclass,
        })
    }
}

/// One resource record, borrowed (RFC 1035 §4.1.3): its rdata as the bytes its RDLENGTH covers.
#[derive(Debug, Clone, Copy)]
pub struct RecordRef<'r> {
    /// NAME: the owner.
    pub name: NameRef<'r>,
    /// TYPE.
    pub rtype: RType,
    /// CLASS (for OPT, the UDP payload size).
    pub class: Class,
    /// TTL (for OPT, the extended RCODE, version and flags).
    pub ttl: u32,
    /// RDATA as on the wire; names in it may be compression pointers into the message.
    pub rdata: &'r [u8],
    offset: usize,
    rdata_offset: usize,
}

impl RecordRef<'_> {
    /// Where the record starts in the message.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Where the rdata starts in the message.
    pub fn rdata_offset(&self) -> usize {
        self.rdata_offset
    }

    /// The owned record, its rdata typed and checked exactly as [`crate::Message::decode`]
    /// does. An OPT record comes back as [`RData::Unknown`]; [`OptRef::to_owned`] reads it as
    /// EDNS.
    pub fn to_owned(&self) -> Result<Record, Error> {
        let reader = self.name.reader;
        let mut c = reader.cursor_at(self.offset);
        let decoded = Record::decode(&mut c);
        reader.follows_left.set(c.follows_left);
        match decoded? {
            Decoded::Record(r) => Ok(r),
            Decoded::Opt {
                owner,
                class,
                ttl,
                rdata,
                ..
            } => Ok(Record {
                name: owner,
                class: Class(class),
                ttl,
                data: RData::Unknown {
                    rtype: RType::OPT,
                    bytes: bytes::Bytes::copy_from_slice(rdata),
                },
            }),
        }
    }
}

/// The OPT pseudo-record of a message, borrowed (RFC 6891 §6.1.2). Its framing (owner, options)
/// has been checked.
#[derive(Debug, Clone, Copy)]
pub struct OptRef<'r> {
    record: RecordRef<'r>,
}

impl<'r> OptRef<'r> {
    /// The record itself.
    pub fn record(&self) -> RecordRef<'r> {
        self.record
    }

    /// The requestor's UDP payload size (RFC 6891 §6.2.3).
    pub fn udp_payload_size(&self) -> u16 {
        self.record.class.0
    }

    /// The high 8 bits of the RCODE (RFC 6891 §6.1.3).
    pub fn extended_rcode(&self) -> u8 {
        (self.record.ttl >> 24) as u8
    }

    /// VERSION (RFC 6891 §6.1.3).
    pub fn version(&self) -> u8 {
        (self.record.ttl >> 16) as u8
    }

    /// DO: DNSSEC OK (RFC 3225 §3).
    pub fn dnssec_ok(&self) -> bool {
        self.record.ttl & 0x8000 != 0
    }

    /// The other 15 flag bits (RFC 6891 §6.1.4).
    pub fn z(&self) -> u16 {
        (self.record.ttl & 0x7FFF) as u16
    }

    /// The options, `(OPTION-CODE, OPTION-DATA)`, in order, duplicates kept.
    pub fn options(&self) -> OptionsRef<'r> {
        OptionsRef {
            rest: self.record.rdata,
        }
    }

    /// The owned EDNS, exactly as [`crate::Message::decode`] reads it.
    pub fn to_owned(&self) -> Result<Edns, Error> {
        Edns::decode(
            self.record.class.0,
            self.record.ttl,
            self.record.rdata,
            self.record.rdata_offset,
        )
        .map(|(edns, _)| edns)
    }
}

/// The options of an [`OptRef`].
#[derive(Debug, Clone)]
pub struct OptionsRef<'r> {
    rest: &'r [u8],
}

impl<'r> Iterator for OptionsRef<'r> {
    type Item = (u16, &'r [u8]);

    fn next(&mut self) -> Option<(u16, &'r [u8])> {
        let (&[c0, c1, l0, l1], after) = self.rest.split_first_chunk::<4>()?;
        let len = usize::from(u16::from_be_bytes([l0, l1]));
        let Some((data, rest)) = after.split_at_checked(len) else {
            self.rest = &[];
            return None;
        };
        self.rest = rest;
        Some((u16::from_be_bytes([c0, c1]), data))
    }
}

impl std::iter::FusedIterator for OptionsRef<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Message;

    #[test]
    fn sections_are_remembered_and_walked_once() {
        let mut m = Message::default();
        m.question
            .push(Question::new("a.example.".parse().unwrap(), RType::A));
        m.answer.push(Record::new(
            "a.example.".parse().unwrap(),
            60,
            RData::A([192, 0, 2, 1].into()),
        ));
        m.edns = Some(Edns::default());
        let wire = m.encode().unwrap();
        let r = MessageReader::new(&wire).unwrap();
        assert_eq!(r.additional().count(), 1);
        assert_ne!(r.ends[0].get(), 0);
        assert_ne!(r.ends[3].get(), 0);
        assert_eq!(r.edns().unwrap().unwrap().udp_payload_size(), 1232);
        let a = r.answers().next().unwrap().unwrap();
        assert_eq!(a.rdata, [192, 0, 2, 1]);
        assert_eq!(a.name.to_string(), "a.example.");
        assert_eq!(a.to_owned().unwrap(), m.answer[0]);
    }
}
