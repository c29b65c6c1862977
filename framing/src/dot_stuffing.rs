//! Dot-stuffed content: the message body of SMTP's DATA (RFC 5321 §4.1.1.4, §4.5.2) and the
//! multi-line responses of POP3 (RFC 1939 §3), which share one rule: a line that starts with a
//! dot is sent with one more, and `<CRLF>.<CRLF>` ends the content.
//!
//! The rules kept here, and why:
//!
//! - Only `<CRLF>.<CRLF>` ends the content, and the start of the content counts as the start of a
//!   line (the command's or the status line's CRLF precedes it), so `.<CRLF>` as the very first
//!   line is an empty content. Every variant made of bare line ends (`<LF>.<LF>`, `<CR>.<CR>`,
//!   `<CRLF>.<LF>`, `<CR><CRLF>.<CR><CRLF>`, ...) is refused as [`DotError::BareLineEnd`] by
//!   default: that is SMTP smuggling (CVE-2023-51764, CVE-2023-51765, CVE-2023-51766), where two
//!   agents on the path disagree on where the content ends. Under
//!   [`DotConfig::normalize_bare_line_ends`] a bare CR or LF becomes CRLF in the content, but is
//!   never taken as a line end for the terminator.
//! - A line starting with a dot loses it; a dot followed by a bare line end counts as a line with
//!   other characters on it, so under the leniency `<CRLF>.<LF>` gives the content
//!   `<CRLF><CRLF>`, never an end. Under the leniency a line that follows a normalised bare line
//!   end loses its leading dot too, even when `.<CRLF>` is all it holds: `<LF>.<CRLF>` is content
//!   (`<CRLF><CRLF>`), not the end, or a lenient decoder would end the content where a strict
//!   peer does not.
//! - A line is at most [`DotConfig::max_line`] octets with its CRLF, not counting the dot added
//!   for transparency; `None` lifts it. The content after unstuffing is at most
//!   [`DotConfig::max_size`] octets. With [`DotConfig::seven_bit`] an octet over 127 is refused.
//! - NUL and the other control characters are content; a NUL is never a line end, so
//!   `<CRLF><NUL>.<CRLF>` is content.
//!
//! After an error the decoder skips the rest of the content up to the real `<CRLF>.<CRLF>` and
//! then yields [`DotEvent::End`], so a server can answer and stay in step with its peer.

use crate::codec::{Decoder, Encoder};
use bytes::{Buf, BufMut, Bytes, BytesMut};

const CR: u8 = b'\r';
const LF: u8 = b'\n';
const DOT: u8 = b'.';
const CRLF: &[u8] = b"\r\n";
/// The end of the content, with the CRLF that ends the last line.
const TERMINATOR: &[u8; 5] = b"\r\n.\r\n";

/// What [`DotDecoder`] produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DotEvent {
    /// Content, after unstuffing; how it is cut into pieces depends on how the input arrived.
    Data(Bytes),
    /// `<CRLF>.<CRLF>` was read (the decoder consumes nothing after it).
    End,
}

/// Why content was refused; offsets count from the content's first octet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DotError {
    /// A CR or LF that is not part of a CRLF.
    #[error("bare {} at byte {offset}", if *byte == b'\r' { "CR" } else { "LF" })]
    BareLineEnd {
        /// Offset of the CR or LF.
        offset: u64,
        /// `\r` or `\n`.
        byte: u8,
    },
    /// A line over [`DotConfig::max_line`].
    #[error("text line over {limit} octets at byte {offset}")]
    LineTooLong {
        /// Offset of the line's first octet.
        offset: u64,
        /// The limit, CRLF included.
        limit: usize,
    },
    /// The content over [`DotConfig::max_size`].
    #[error("content over {limit} octets at byte {offset}")]
    TooLarge {
        /// Offset where the limit was crossed.
        offset: u64,
        /// The limit.
        limit: u64,
    },
    /// An octet over 127 under [`DotConfig::seven_bit`].
    #[error("octet 0x{byte:02x} over 127 at byte {offset}")]
    EightBit {
        /// Its offset.
        offset: u64,
        /// The octet.
        byte: u8,
    },
    /// The input ended inside the content.
    #[error("the input ended at byte {offset} inside the content")]
    Truncated {
        /// Offset of the end of input.
        offset: u64,
    },
}

/// The rules a [`DotDecoder`] or [`DotEncoder`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DotConfig {
    /// The longest line, CRLF included, a stuffed dot excluded; `None` lifts the limit.
    pub max_line: Option<usize>,
    /// The most content octets after unstuffing (decoder only).
    pub max_size: u64,
    /// Turn a bare CR or LF into CRLF instead of refusing it; it never ends a line for the
    /// terminator.
    pub normalize_bare_line_ends: bool,
    /// Refuse octets over 127 (decoder only).
    pub seven_bit: bool,
}

impl Default for DotConfig {
    /// Lines of at most 1000 octets (RFC 5321 §4.5.3.1.6), 64 MiB, strict, 8-bit allowed.
    fn default() -> Self {
        DotConfig {
            max_line: Some(1000),
            max_size: 64 * 1024 * 1024,
            normalize_bare_line_ends: false,
            seven_bit: false,
        }
    }
}

/// Where the decoder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading content.
    Content,
    /// After an error: skipping to the terminator, `matched` octets of it seen.
    Discard { matched: u8 },
    /// After the terminator, or after the input ended inside the content.
    Done,
}

/// Why a scan of the content stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Nothing more can be decided without more input.
    More,
    /// A dot at the start of a line.
    Dot,
    /// A bare CR or LF.
    Bare,
    /// The line limit is crossed.
    Long,
}

/// A scan's result: content `..end` can be handed out; the state at `end`.
#[derive(Debug, Clone, Copy)]
struct Scan {
    end: usize,
    stop: Stop,
    bol: bool,
    line_len: usize,
    /// Index of the start of the line that `end` is in, if that line started in this buffer.
    line_start: Option<usize>,
}

/// The octets [`clean_lines`] checks at a time (with one octet of look-ahead).
const BLOCK: usize = 64;
/// The octets checked at a time inside a block that breaks the run, to find where.
const SUB: usize = 16;

/// Whether the pair `x`, `y` (two adjacent octets) breaks a clean run of lines: a CR not
/// followed by LF, an LF not preceded by CR (seen from the octet before it), or an LF followed
/// by a dot (a line that needs unstuffing, or the terminator). RFC 5321 §4.5.2 and the bare line
/// ends of SMTP smuggling are exactly these three.
#[inline(always)]
fn pair_breaks(x: u8, y: u8) -> bool {
    ((x == CR) ^ (y == LF)) | ((x == LF) & (y == DOT))
}

/// `(breaks, has_lf)` for the pairs `(a[k], b[k])` (`b` is `a` shifted by one octet): whether
/// any pair breaks the run ([`pair_breaks`]) and whether `a` holds an LF. No early exit and no
/// branch per octet, so the compiler vectorises it (SSE2 on x86-64).
#[inline(always)]
fn block_flags<const N: usize>(a: &[u8; N], b: &[u8; N]) -> (bool, bool) {
    let mut breaks = false;
    let mut lf = false;
    for (&x, &y) in a.iter().zip(b) {
        breaks |= pair_breaks(x, y);
        lf |= x == LF;
    }
    (breaks, lf)
}

/// The index of the first pair of `src` at `at..at + N` (`src[at + N]` included as look-ahead)
/// that breaks the run, [`SUB`] octets at a time and then octet by octet.
fn first_break<const N: usize>(src: &[u8], at: usize) -> Option<usize> {
    let mut j = at;
    while j < at + N {
        let (Some(a), Some(b)) = (array_at::<SUB>(src, j), array_at::<SUB>(src, j + 1)) else {
            break;
        };
        if block_flags(a, b).0 {
            return a
                .iter()
                .zip(b)
                .position(|(&x, &y)| pair_breaks(x, y))
                .map(|k| j + k);
        }
        j += SUB;
    }
    None
}

/// The `N` octets of `src` that start at `at`, if whole.
#[inline(always)]
fn array_at<const N: usize>(src: &[u8], at: usize) -> Option<&[u8; N]> {
    src.get(at..at.checked_add(N)?)
        .and_then(|s| <&[u8; N]>::try_from(s).ok())
}

/// The length of the longest prefix of `src` (which is not at the start of a line, and holds
/// `line_len` content octets of its line before it) that is whole lines the scan can pass in
/// bulk: each ends with CRLF, has no other CR or LF, is within `room` content octets, and the
/// lines after the first do not start with a dot. 0 where that cannot be shown cheaply, and the
/// line-by-line scan decides; it also takes the last octets (under a block) of the buffer.
///
/// One pass over [`BLOCK`]-octet blocks ([`block_flags`]), with no call per line. The line
/// limit (RFC 5321 §4.5.3.1.6) is checked without finding every LF: two LFs in blocks at most
/// `d` blocks apart are at most `64 (d + 1) - 1` octets apart, so the line between them holds
/// at most `64 (d + 1) - 3` content octets; `d` is bounded by what `room` allows. The first
/// line (which started before `src`) is measured exactly. At the first block whose pairs break
/// the run, the exact offending pair is found, and the prefix ends at the last LF before it (at
/// an LF followed by a dot, just after that LF, so the scan stops there for the dot).
fn clean_lines(src: &[u8], line_len: usize, room: Option<usize>) -> usize {
    // The most blocks between two blocks with an LF that keeps the line between them in `room`.
    let max_dist = match room {
        Some(r) => match (r + 3) / BLOCK {
            0 | 1 => return 0,
            d => d - 1,
        },
        None => usize::MAX,
    };
    // An LF first is bare: a CR before it would still be in the buffer.
    if src.first() == Some(&LF) {
        return 0;
    }
    // Whether an LF at `at` may end a line, given the block of the last LF before it.
    let line_ok = |at: usize, last_lf_block: Option<usize>| match last_lf_block {
        // `at` >= 1 (src[0] is not LF), with its CR at at - 1: the first line's content is
        // line_len + at - 1.
        None => room.is_none_or(|r| line_len + at - 1 <= r),
        Some(block) => at / BLOCK - block / BLOCK <= max_dist,
    };
    let mut j = 0;
    // The start of the last block with an LF in the accepted run.
    let mut last_lf_block: Option<usize> = None;
    while let (Some(a), Some(b)) = (array_at::<BLOCK>(src, j), array_at::<BLOCK>(src, j + 1)) {
        let (breaks, lf) = block_flags(a, b);
        if breaks {
            let k = first_break::<BLOCK>(src, j).map_or(0, |k| k - j);
            // The octet at k is fine in itself (its pair with the octet before it passed); an LF
            // there ends a line that may be handed out.
            let upto = k + usize::from(a.get(k) == Some(&LF));
            let head = a.get(..upto).unwrap_or_default();
            if let Some(first) = memchr::memchr(LF, head) {
                if line_ok(j + first, last_lf_block) {
                    // The LFs after `first` are in the same block: lines under BLOCK octets.
                    let last = memchr::memrchr(LF, head).unwrap_or(first);
                    return j + last + 1;
                }
            }
            break;
        }
        if lf {
            let ok = match last_lf_block {
                None => line_ok(j + memchr::memchr(LF, a).unwrap_or(0), None),
                Some(block) => (j - block) / BLOCK <= max_dist,
            };
            if !ok {
                break;
            }
            last_lf_block = Some(j);
        } else if (j - last_lf_block.unwrap_or(0)) / BLOCK >= max_dist {
            // The next LF would be too far from the last one (or from the start, for the first
            // line) to be shown within the limit: the line-by-line scan measures it.
            break;
        }
        j += BLOCK;
    }
    let Some(block) = last_lf_block else {
        return 0;
    };
    let last = array_at::<BLOCK>(src, block)
        .and_then(|a| memchr::memrchr(LF, a))
        .unwrap_or(0);
    block + last + 1
}

/// The streaming decoder of dot-stuffed content: unstuffs dots, ends at `<CRLF>.<CRLF>`,
/// refuses bare line ends, long lines and, on request, 8-bit octets (see the module docs).
///
/// Content that needs no unstuffing is split off the input without copying. After
/// [`DotEvent::End`] the decoder consumes nothing more, so what follows stays in the buffer.
///
/// ```
/// use bytes::BytesMut;
/// use framing::Decoder;
/// use framing::dot_stuffing::{DotConfig, DotDecoder, DotError, DotEvent};
///
/// let mut decoder = DotDecoder::new(DotConfig::default());
/// let mut buf = BytesMut::from(&b"Subject: hi\r\n..dot\r\n.\r\nQUIT\r\n"[..]);
/// let mut content = Vec::new();
/// while let Some(DotEvent::Data(piece)) = decoder.decode(&mut buf)? {
///     content.extend_from_slice(&piece);
/// }
/// assert_eq!(content, b"Subject: hi\r\n.dot\r\n");
/// assert_eq!(&buf[..], b"QUIT\r\n"); // what follows, untouched
///
/// // A bare LF never ends a line.
/// let mut decoder = DotDecoder::new(DotConfig::default());
/// let mut buf = BytesMut::from(&b"x\r\n\n.\n"[..]);
/// assert_eq!(decoder.decode(&mut buf)?, Some(DotEvent::Data("x\r\n".into())));
/// assert_eq!(decoder.decode(&mut buf), Err(DotError::BareLineEnd { offset: 3, byte: b'\n' }));
/// # Ok::<(), DotError>(())
/// ```
#[derive(Debug, Clone)]
pub struct DotDecoder {
    config: DotConfig,
    state: State,
    /// At the start of a line (nothing of it consumed).
    bol: bool,
    /// That line follows a bare line end made CRLF: a dot there is never the terminator.
    after_bare: bool,
    /// Content octets of the current line so far (a stuffed dot excluded).
    line_len: usize,
    /// Offset of the current line's first octet.
    line_start: u64,
    /// Input octets consumed.
    position: u64,
    /// Content octets handed out.
    size: u64,
    /// An error found while handing out the content before it, with the octets of the
    /// terminator matched at that point.
    pending: Option<(DotError, u8)>,
}

impl DotDecoder {
    /// A decoder for one content.
    pub fn new(config: DotConfig) -> DotDecoder {
        DotDecoder {
            config,
            state: State::Content,
            bol: true,
            after_bare: false,
            line_len: 0,
            line_start: 0,
            position: 0,
            size: 0,
            pending: None,
        }
    }

    /// The rules in force.
    pub fn config(&self) -> DotConfig {
        self.config
    }

    /// Get ready for the next content, keeping the rules.
    pub fn reset(&mut self) {
        *self = DotDecoder::new(self.config);
    }

    /// Whether the content has ended (`<CRLF>.<CRLF>` read, or the input ended inside it).
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Input octets consumed so far, the terminator included once read.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Content octets handed out so far (after unstuffing and normalisation).
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Scans `src` from its start (not at the start of a line) for where the content that can
    /// be handed out as it is ends.
    fn scan(&self, src: &[u8]) -> Scan {
        let room_of_line = self
            .config
            .max_line
            .map(|limit| limit.saturating_sub(CRLF.len()));
        let mut i = 0;
        let mut line_len = self.line_len;
        let mut line_start = None;
        let bulk = clean_lines(src, line_len, room_of_line);
        if bulk > 0 {
            // `src[..bulk]` is whole, valid lines: the scan goes on at a line start.
            i = bulk;
            line_len = 0;
            line_start = Some(i);
            let at_start = |stop| Scan {
                end: i,
                stop,
                bol: true,
                line_len: 0,
                line_start: Some(i),
            };
            match src.get(i) {
                None => return at_start(Stop::More),
                Some(&DOT) => return at_start(Stop::Dot),
                Some(_) => {}
            }
        }
        loop {
            let rest = src.get(i..).unwrap_or_default();
            let found = memchr::memchr2(CR, LF, rest);
            let k = found.unwrap_or(rest.len());
            if let Some(max) = room_of_line {
                let room = max.saturating_sub(line_len);
                if k > room {
                    return Scan {
                        end: i + room,
                        stop: Stop::Long,
                        bol: false,
                        line_len: line_len + room,
                        line_start,
                    };
                }
            }
            let mid_line = |end, stop| Scan {
                end,
                stop,
                bol: false,
                line_len: line_len + k,
                line_start,
            };
            let Some(k) = found else {
                return mid_line(src.len(), Stop::More);
            };
            let p = i + k;
            match (src.get(p), src.get(p + 1)) {
                (Some(&CR), Some(&LF)) => {
                    i = p + 2;
                    line_len = 0;
                    line_start = Some(i);
                    let at_start = |stop| Scan {
                        end: i,
                        stop,
                        bol: true,
                        line_len: 0,
                        line_start: Some(i),
                    };
                    match src.get(i) {
                        None => return at_start(Stop::More),
                        Some(&DOT) => return at_start(Stop::Dot),
                        Some(_) => {}
                    }
                }
                (Some(&CR), None) => return mid_line(p, Stop::More),
                _ => return mid_line(p, Stop::Bare),
            }
        }
    }

    /// Octets of the terminator matched just before `src[..end]`'s end, for skipping after an
    /// error found at `end`.
    fn matched_before(&self, src: &[u8], end: usize) -> u8 {
        let before = src.get(..end).unwrap_or_default();
        if before.ends_with(CRLF) {
            2
        } else if before.ends_with(b"\r") {
            1
        } else if before.is_empty() && self.line_len == 0 && self.line_start == self.position {
            2
        } else {
            0
        }
    }

    /// Hands out `src[..end]` (`end > 0`).
    fn hand_out(&mut self, src: &mut BytesMut, end: usize) -> DotEvent {
        let piece = src.split_to(end).freeze();
        self.position += end as u64;
        self.size += end as u64;
        DotEvent::Data(piece)
    }

    /// Reports `error` found at the input's start and starts skipping to the terminator.
    fn fail(&mut self, error: DotError, matched: u8) -> Result<Option<DotEvent>, DotError> {
        self.state = State::Discard { matched };
        Err(error)
    }

    fn too_large(&self, offset: u64) -> DotError {
        DotError::TooLarge {
            offset,
            limit: self.config.max_size,
        }
    }

    /// Skips to the terminator after an error.
    fn discard(&mut self, src: &mut BytesMut, mut matched: u8) -> Option<DotEvent> {
        let mut i = 0;
        while let Some(rest) = src.get(i..) {
            if matched == 0 {
                match memchr::memchr(CR, rest) {
                    Some(k) => i += k,
                    None => {
                        i = src.len();
                        break;
                    }
                }
            }
            let Some(&b) = src.get(i) else { break };
            i += 1;
            matched = if TERMINATOR.get(usize::from(matched)) == Some(&b) {
                matched + 1
            } else {
                u8::from(b == CR)
            };
            if usize::from(matched) == TERMINATOR.len() {
                src.advance(i);
                self.position += i as u64;
                self.state = State::Done;
                return Some(DotEvent::End);
            }
        }
        src.advance(i);
        self.position += i as u64;
        self.state = State::Discard { matched };
        None
    }
}

impl Decoder for DotDecoder {
    type Item = DotEvent;
    type Error = DotError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<DotEvent>, DotError> {
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::Discard { matched } => return Ok(self.discard(src, matched)),
                State::Content => {}
            }
            if let Some((error, matched)) = self.pending.take() {
                return self.fail(error, matched);
            }
            if self.bol {
                match (src.first(), src.get(1), src.get(2)) {
                    (None, _, _) | (Some(&DOT), None, _) | (Some(&DOT), Some(&CR), None) => {
                        return Ok(None);
                    }
                    (Some(&DOT), Some(&CR), Some(&LF)) if !self.after_bare => {
                        src.advance(3);
                        self.position += 3;
                        self.state = State::Done;
                        return Ok(Some(DotEvent::End));
                    }
                    (Some(&DOT), Some(_), _) => {
                        // Transparency (§4.5.2): the first dot of a line with more on it goes,
                        // and so does a dot after a normalised bare line end, which never
                        // starts the terminator.
                        src.advance(1);
                        self.position += 1;
                    }
                    (Some(_), _, _) => {}
                }
                self.bol = false;
                self.after_bare = false;
            }

            let scan = self.scan(src);
            let mut end = scan.end;
            let mut pending = None;
            if self.config.seven_bit {
                let head = src.get(..end).unwrap_or_default();
                if !head.is_ascii() {
                    if let Some(q) = head.iter().position(|&b| b >= 0x80) {
                        end = q;
                        pending = Some(DotError::EightBit {
                            offset: self.position + q as u64,
                            byte: head.get(q).copied().unwrap_or(0x80),
                        });
                    }
                }
            }
            let room = self.config.max_size.saturating_sub(self.size);
            if end as u64 > room {
                end = usize::try_from(room).unwrap_or(end);
                pending = Some(self.too_large(self.position + room));
            }

            if let Some(error) = pending {
                let matched = self.matched_before(src, end);
                if end == 0 {
                    return self.fail(error, matched);
                }
                self.pending = Some((error, matched));
                return Ok(Some(self.hand_out(src, end)));
            }

            if end > 0 {
                self.bol = scan.bol;
                self.line_len = scan.line_len;
                if let Some(start) = scan.line_start {
                    self.line_start = self.position + start as u64;
                }
                return Ok(Some(self.hand_out(src, end)));
            }
            match scan.stop {
                Stop::More => return Ok(None),
                Stop::Dot => self.bol = true,
                Stop::Long => {
                    let limit = self.config.max_line.unwrap_or(usize::MAX);
                    let error = DotError::LineTooLong {
                        offset: self.line_start,
                        limit,
                    };
                    return self.fail(error, 0);
                }
                Stop::Bare => {
                    let byte = src.first().copied().unwrap_or(LF);
                    if !self.config.normalize_bare_line_ends {
                        let error = DotError::BareLineEnd {
                            offset: self.position,
                            byte,
                        };
                        return self.fail(error, 0);
                    }
                    if room < CRLF.len() as u64 {
                        let error = self.too_large(self.position);
                        return self.fail(error, 0);
                    }
                    src.advance(1);
                    self.position += 1;
                    self.size += CRLF.len() as u64;
                    self.bol = true;
                    self.after_bare = true;
                    self.line_len = 0;
                    self.line_start = self.position;
                    return Ok(Some(DotEvent::Data(Bytes::from_static(CRLF))));
                }
            }
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<DotEvent>, DotError> {
        if let Some(event) = self.decode(src)? {
            return Ok(Some(event));
        }
        if self.state == State::Done {
            return Ok(None);
        }
        self.state = State::Done;
        Err(DotError::Truncated {
            offset: self.position + src.len() as u64,
        })
    }
}

/// The streaming encoder of dot-stuffed content: stuffs a dot before every line that starts
/// with one, the first line included, and ends the content with `<CRLF>.<CRLF>`.
///
/// A bare CR or LF in the content is refused ([`DotError::BareLineEnd`], offset in the content
/// given so far), or under [`DotConfig::normalize_bare_line_ends`] written as CRLF, with the line
/// after it stuffed like any other. A line over [`DotConfig::max_line`] is
/// [`DotError::LineTooLong`]. An error writes nothing of the piece that caused it, and leaves the
/// encoder as it was before that piece.
///
/// Content that does not end with CRLF gets one before the terminator ([`DotEncoder::finish`]):
/// the terminator's first CRLF ends the last line, so the peer reads the content back with a CRLF
/// added. Decoding what this encoder writes gives the content back exactly when it is empty or
/// ends with CRLF.
///
/// ```
/// use bytes::BytesMut;
/// use framing::dot_stuffing::{DotConfig, DotEncoder, DotError};
///
/// let mut encoder = DotEncoder::new(DotConfig::default());
/// let mut wire = BytesMut::new();
/// encoder.encode_content(b".first\r\n", &mut wire)?;
/// encoder.encode_content(b"last, no CRLF", &mut wire)?;
/// encoder.finish(&mut wire)?;
/// assert_eq!(&wire[..], b"..first\r\nlast, no CRLF\r\n.\r\n");
///
/// assert_eq!(
///     encoder.encode_content(b"x\n.\n", &mut wire),
///     Err(DotError::BareLineEnd { offset: 1, byte: b'\n' })
/// );
/// # Ok::<(), DotError>(())
/// ```
#[derive(Debug, Clone)]
pub struct DotEncoder {
    lenient: bool,
    max_line: Option<usize>,
    line: EncoderLine,
}

/// The encoder's place in the content.
#[derive(Debug, Clone, Copy)]
struct EncoderLine {
    /// At the start of a line.
    bol: bool,
    /// The previous piece ended with a CR, not written yet.
    pending_cr: bool,
    /// Content octets of the current line.
    line_len: usize,
    /// Offset of the current line's start.
    line_start: u64,
    /// Content octets taken so far.
    position: u64,
}

impl EncoderLine {
    const START: EncoderLine = EncoderLine {
        bol: true,
        pending_cr: false,
        line_len: 0,
        line_start: 0,
        position: 0,
    };
}

impl DotEncoder {
    /// An encoder with `config`'s line limit and leniency.
    pub fn new(config: DotConfig) -> DotEncoder {
        DotEncoder {
            lenient: config.normalize_bare_line_ends,
            max_line: config.max_line,
            line: EncoderLine::START,
        }
    }

    /// Writes a piece of content, stuffed, to `dst`.
    pub fn encode_content(&mut self, piece: &[u8], dst: &mut BytesMut) -> Result<(), DotError> {
        let saved = (self.line, dst.len());
        let result = self.stuff(piece, dst);
        if result.is_err() {
            self.line = saved.0;
            dst.truncate(saved.1);
        }
        result
    }

    /// Ends the content: a CRLF if the content does not end with one, then `.<CRLF>`. The encoder
    /// is then ready for the next message.
    pub fn finish(&mut self, dst: &mut BytesMut) -> Result<(), DotError> {
        let line = &mut self.line;
        if line.pending_cr {
            if !self.lenient {
                return Err(DotError::BareLineEnd {
                    offset: line.position.saturating_sub(1),
                    byte: CR,
                });
            }
            dst.put_slice(CRLF);
            line.bol = true;
        }
        if !line.bol {
            dst.put_slice(CRLF);
        }
        dst.put_slice(b".\r\n");
        self.line = EncoderLine::START;
        Ok(())
    }

    fn line_end(line: &mut EncoderLine, next: usize, dst: &mut BytesMut) {
        dst.put_slice(CRLF);
        line.bol = true;
        line.line_len = 0;
        line.line_start = line.position + next as u64;
    }

    fn stuff(&mut self, piece: &[u8], dst: &mut BytesMut) -> Result<(), DotError> {
        let lenient = self.lenient;
        let room_of_line = self.max_line.map(|l| l.saturating_sub(CRLF.len()));
        let line = &mut self.line;
        let mut i = 0;
        if line.pending_cr {
            let Some(&first) = piece.first() else {
                return Ok(());
            };
            if first != LF && !lenient {
                return Err(DotError::BareLineEnd {
                    offset: line.position.saturating_sub(1),
                    byte: CR,
                });
            }
            line.pending_cr = false;
            i = usize::from(first == LF);
            Self::line_end(line, i, dst);
        }
        dst.reserve(piece.len().saturating_sub(i) + 8);
        while let Some(rest) = piece.get(i..) {
            if line.bol {
                match rest.first() {
                    None => break,
                    Some(&DOT) => dst.put_u8(DOT),
                    Some(_) => {}
                }
                line.bol = false;
            }
            // Whole clean lines (CRLF only, within the limit, none starting with a dot after
            // the first) are copied in one piece, as the decoder passes them.
            let bulk = clean_lines(rest, line.line_len, room_of_line);
            if bulk > 0 {
                dst.put_slice(rest.get(..bulk).unwrap_or_default());
                i += bulk;
                line.bol = true;
                line.line_len = 0;
                line.line_start = line.position + i as u64;
                continue;
            }
            let found = memchr::memchr2(CR, LF, rest);
            let k = found.unwrap_or(rest.len());
            if let Some(max) = room_of_line {
                if line.line_len + k > max {
                    return Err(DotError::LineTooLong {
                        offset: line.line_start,
                        limit: max + CRLF.len(),
                    });
                }
            }
            dst.put_slice(rest.get(..k).unwrap_or_default());
            line.line_len += k;
            let Some(k) = found else { break };
            let p = i + k;
            match (piece.get(p), piece.get(p + 1)) {
                (Some(&CR), Some(&LF)) => {
                    i = p + 2;
                    Self::line_end(line, i, dst);
                }
                (Some(&CR), None) => {
                    line.pending_cr = true;
                    break;
                }
                (byte, _) => {
                    if !lenient {
                        return Err(DotError::BareLineEnd {
                            offset: line.position + p as u64,
                            byte: byte.copied().unwrap_or(LF),
                        });
                    }
                    i = p + 1;
                    Self::line_end(line, i, dst);
                }
            }
        }
        line.position += piece.len() as u64;
        Ok(())
    }
}

impl Encoder<&[u8]> for DotEncoder {
    type Error = DotError;

    /// [`DotEncoder::encode_content`].
    fn encode(&mut self, item: &[u8], dst: &mut BytesMut) -> Result<(), DotError> {
        self.encode_content(item, dst)
    }
}

impl Encoder<DotEvent> for DotEncoder {
    type Error = DotError;

    /// Content for [`DotEvent::Data`], [`DotEncoder::finish`] for [`DotEvent::End`]: what
    /// [`DotDecoder`] reads, written back.
    fn encode(&mut self, item: DotEvent, dst: &mut BytesMut) -> Result<(), DotError> {
        match item {
            DotEvent::Data(piece) => self.encode_content(&piece, dst),
            DotEvent::End => self.finish(dst),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn decode_all(input: &[u8], config: DotConfig) -> (Vec<u8>, Vec<Result<(), DotError>>) {
        let mut d = DotDecoder::new(config);
        let mut buf = BytesMut::from(input);
        let mut content = Vec::new();
        let mut events = Vec::new();
        loop {
            match d.decode_eof(&mut buf) {
                Ok(Some(DotEvent::Data(b))) => content.extend_from_slice(&b),
                Ok(Some(DotEvent::End)) => {
                    events.push(Ok(()));
                    break;
                }
                Ok(None) => break,
                Err(e) => events.push(Err(e)),
            }
        }
        (content, events)
    }

    #[test]
    fn first_line_dot_is_line_start() {
        let strict = DotConfig::default();
        assert_eq!(decode_all(b".\r\n", strict), (vec![], vec![Ok(())]));
        assert_eq!(
            decode_all(b"..a\r\n.\r\n", strict),
            (b".a\r\n".to_vec(), vec![Ok(())])
        );
        assert_eq!(
            decode_all(b"a\r\n", strict),
            (
                b"a\r\n".to_vec(),
                vec![Err(DotError::Truncated { offset: 3 })]
            )
        );
    }

    #[test]
    fn limits_and_seven_bit() {
        let config = DotConfig {
            max_line: Some(5),
            max_size: 6,
            seven_bit: true,
            ..DotConfig::default()
        };
        let (_, events) = decode_all(b"abcd\r\n.\r\n", config);
        assert_eq!(
            events,
            vec![
                Err(DotError::LineTooLong {
                    offset: 0,
                    limit: 5
                }),
                Ok(())
            ]
        );
        let (_, events) = decode_all(b"ab\r\n\xe9\r\n.\r\n", config);
        assert_eq!(
            events,
            vec![
                Err(DotError::EightBit {
                    offset: 4,
                    byte: 0xe9
                }),
                Ok(())
            ]
        );
        let (_, events) = decode_all(b"ab\r\nab\r\n.\r\n", config);
        assert_eq!(
            events,
            vec![
                Err(DotError::TooLarge {
                    offset: 6,
                    limit: 6
                }),
                Ok(())
            ]
        );
    }

    #[test]
    fn encoder_stuffs_first_line_and_after_normalised_ends() {
        let lenient = DotConfig {
            normalize_bare_line_ends: true,
            ..DotConfig::default()
        };
        let mut e = DotEncoder::new(lenient);
        let mut out = BytesMut::new();
        e.encode_content(b".a\n.b\r.c", &mut out).unwrap();
        e.finish(&mut out).unwrap();
        assert_eq!(&out[..], b"..a\r\n..b\r\n..c\r\n.\r\n");
    }

    #[test]
    fn encoder_split_crlf() {
        let mut e = DotEncoder::new(DotConfig::default());
        let mut out = BytesMut::new();
        e.encode_content(b"a\r", &mut out).unwrap();
        e.encode_content(b"\n.", &mut out).unwrap();
        e.finish(&mut out).unwrap();
        assert_eq!(&out[..], b"a\r\n..\r\n.\r\n");
    }
}
