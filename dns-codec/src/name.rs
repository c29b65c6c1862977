//! Domain names (RFC 1035 §3.1, §4.1.4; RFC 4343 for case).
//!
//! ```text
//! wire:          length octet (1..=63) + label octets, ..., a zero octet (the root)
//! compressed:    labels, then a two-octet pointer 11xxxxxx xxxxxxxx to an earlier name
//! presentation:  www.example.com.   (absolute, trailing dot; `\.` and `\DDD` escapes)
//! ```
//!
//! A [`Name`] holds its uncompressed wire form: at most 255 octets, labels of 1 to 63 octets.
//! Case is preserved byte for byte (a proxy forwards what it got) and ignored by `==` and
//! `Hash` (RFC 4343 §2).
//!
//! Decoding follows compression pointers in a loop, never by recursion. Every pointer must point
//! strictly before the start of the label sequence that contains it, so no pointer can loop and
//! every name ends; a cap on pointers per name and a budget for the whole message (see
//! [`crate::Limits`]) keep the total work linear in the message size.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::cursor::Cursor;
use crate::error::Error;

/// The most octets a name takes on the wire, uncompressed (RFC 1035 §2.3.4).
pub const MAX_NAME_LEN: usize = 255;
/// The most octets in one label (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// Names up to this many wire octets are kept inside the [`Name`] itself, without a heap
/// allocation. 30 covers most names seen in traffic (`www.example.com.` is 17, CDN names such
/// as `e1234.dscb.akamaiedge.net.` 27) and keeps a `Name` at 32 bytes.
const INLINE_LEN: usize = 30;

/// A domain name, absolute, in its uncompressed wire form (RFC 1035 §3.1).
#[derive(Clone)]
pub struct Name {
    /// Length-prefixed labels ending with the zero-length root label; at most 255 octets.
    repr: Repr,
}

/// Where the wire form lives: decoding a message makes one name per record, so short names
/// skip the allocator (it was a third of the full-decode time).
#[derive(Clone)]
enum Repr {
    /// The first `len` octets of `bytes`.
    Inline { len: u8, bytes: [u8; INLINE_LEN] },
    /// Longer names.
    Heap(Box<[u8]>),
}

impl Name {
    /// The root name, `.`.
    pub fn root() -> Name {
        Name::from_checked_wire(&[0])
    }

    /// Wraps a wire form that is already known to be valid, keeping its allocation when it is
    /// too long to store inline.
    fn from_checked_vec(wire: Vec<u8>) -> Name {
        if wire.len() <= INLINE_LEN {
            return Name::from_checked_wire(&wire);
        }
        Name {
            repr: Repr::Heap(wire.into_boxed_slice()),
        }
    }

    /// Wraps a wire form that is already known to be valid.
    fn from_checked_wire(wire: &[u8]) -> Name {
        let repr = match <[u8; INLINE_LEN]>::try_from(wire) {
            // Exactly full: the general case below handles it too, this just spares a branch.
            Ok(bytes) => Repr::Inline {
                len: INLINE_LEN as u8,
                bytes,
            },
            Err(_) if wire.len() < INLINE_LEN => {
                let mut bytes = [0u8; INLINE_LEN];
                if let Some(slot) = bytes.get_mut(..wire.len()) {
                    slot.copy_from_slice(wire);
                }
                Repr::Inline {
                    len: wire.len() as u8,
                    bytes,
                }
            }
            Err(_) => Repr::Heap(Box::from(wire)),
        };
        Name { repr }
    }

    /// The name made of `labels`, most specific first, without the root (RFC 1035 §3.1). Each
    /// label must be 1 to 63 octets and the whole at most 255 octets on the wire.
    pub fn from_labels<'a>(labels: impl IntoIterator<Item = &'a [u8]>) -> Result<Name, Error> {
        let mut wire = Vec::new();
        for label in labels {
            push_label(&mut wire, label, 0)?;
        }
        wire.push(0);
        Ok(Name::from_checked_vec(wire))
    }

    /// The name whose uncompressed wire form is exactly `wire` (no compression pointers, no
    /// bytes after the root label).
    pub fn from_wire(wire: &[u8]) -> Result<Name, Error> {
        let mut c = Cursor::new(wire, &crate::Limits::default());
        c.max_hops = 0;
        let name = Name::decode(&mut c)?;
        if c.remaining() != 0 {
            return Err(Error::TrailingBytes {
                offset: c.offset(),
                count: c.remaining(),
            });
        }
        Ok(name)
    }

    /// The uncompressed wire form, ending with the root label.
    pub fn as_wire(&self) -> &[u8] {
        match &self.repr {
            Repr::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Heap(wire) => wire,
        }
    }

    /// The length of the uncompressed wire form (1 for the root, at most 255).
    pub fn wire_len(&self) -> usize {
        match &self.repr {
            Repr::Inline { len, .. } => usize::from(*len),
            Repr::Heap(wire) => wire.len(),
        }
    }

    /// Whether this is the root name.
    pub fn is_root(&self) -> bool {
        self.wire_len() == 1
    }

    /// The labels, most specific first, without the root label.
    pub fn labels(&self) -> Labels<'_> {
        Labels {
            rest: self.as_wire(),
        }
    }

    /// The number of labels, without the root label.
    pub fn label_count(&self) -> usize {
        self.labels().count()
    }

    /// Whether the two names are the same byte for byte, case included (`==` ignores case).
    pub fn eq_exact(&self, other: &Name) -> bool {
        self.as_wire() == other.as_wire()
    }

    /// Reads a name at the cursor, following compression pointers (RFC 1035 §4.1.4); the
    /// cursor ends after the name's bytes at its first place (after the first pointer, if any).
    ///
    /// Two passes: the first checks every rule and measures the name, the second copies its
    /// runs of labels straight into storage of the exact size, with no scratch buffer.
    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Name, Error> {
        let msg = c.msg();
        let start = c.pos();
        let mut len_so_far = 0usize;
        let mut pos = start;
        // Pointers must point strictly before the start of the label sequence being read: each
        // pointer moves this back, so the walk ends after at most `start` pointers.
        let mut sequence_start = start;
        let mut resume = None;
        let mut hops = 0usize;
        loop {
            let Some(&byte) = msg.get(pos) else {
                return Err(Error::Truncated {
                    offset: pos as u64,
                    inside: "name",
                });
            };
            c.work += 1;
            match byte & 0xC0 {
                0x00 => {
                    let len = usize::from(byte);
                    if len == 0 {
                        c.set_pos(resume.unwrap_or(pos + 1));
                        let total = len_so_far + 1;
                        // The common shapes skip the second walk: no pointer (one run), or
                        // one pointer (labels here, then the rest of an earlier name).
                        let runs = match (hops, resume) {
                            (0, _) => [msg.get(start..=pos), Some(&[][..])],
                            (1, Some(after)) => {
                                [msg.get(start..after - 2), msg.get(sequence_start..=pos)]
                            }
                            _ => [None, None],
                        };
                        return Ok(match runs {
                            [Some(first), Some(second)] => Name::from_runs(first, second, total),
                            _ => Name::copy_out(msg, start, total),
                        });
                    }
                    // Room is kept for the root label that must follow.
                    if len_so_far + 1 + len > MAX_NAME_LEN - 1 {
                        return Err(Error::NameTooLong {
                            offset: start as u64,
                        });
                    }
                    if pos + 1 + len > msg.len() {
                        return Err(Error::Truncated {
                            offset: pos as u64,
                            inside: "label",
                        });
                    }
                    len_so_far += 1 + len;
                    pos += 1 + len;
                }
                0xC0 => {
                    let target = pointer_target(msg, pos, c.msg_len, sequence_start)?;
                    hops += 1;
                    if hops > c.max_hops {
                        return Err(Error::TooManyHops {
                            offset: start as u64,
                            limit: c.max_hops,
                        });
                    }
                    if c.follows_left == 0 {
                        return Err(Error::PointerBudget {
                            offset: start as u64,
                            limit: c.budget,
                        });
                    }
                    c.follows_left -= 1;
                    if resume.is_none() {
                        resume = Some(pos + 2);
                    }
                    pos = target;
                    sequence_start = target;
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

    /// A checked name made of two runs of labels, `total` octets together. Written out apart
    /// from [`Name::copy_out`] on purpose: a shared writer type cost 10-15% of the whole
    /// message decode (measured), and this is the path of nearly every name.
    fn from_runs(first: &[u8], second: &[u8], total: usize) -> Name {
        if total <= INLINE_LEN {
            let mut bytes = [0u8; INLINE_LEN];
            if let Some(slot) = bytes.get_mut(..first.len()) {
                slot.copy_from_slice(first);
            }
            if let Some(slot) = bytes.get_mut(first.len()..total) {
                slot.copy_from_slice(second);
            }
            Name {
                repr: Repr::Inline {
                    len: total as u8,
                    bytes,
                },
            }
        } else {
            let mut wire = Vec::with_capacity(total);
            wire.extend_from_slice(first);
            wire.extend_from_slice(second);
            Name {
                repr: Repr::Heap(wire.into_boxed_slice()),
            }
        }
    }

    /// The second pass of [`Name::decode`]: copies the name at `start`, already checked and
    /// `total` octets long uncompressed, run of labels by run of labels.
    fn copy_out(msg: &[u8], start: usize, total: usize) -> Name {
        if total <= INLINE_LEN {
            let mut bytes = [0u8; INLINE_LEN];
            let mut at = 0;
            for_each_run(msg, start, |run| {
                if let Some(slot) = bytes.get_mut(at..at + run.len()) {
                    slot.copy_from_slice(run);
                }
                at += run.len();
            });
            Name {
                repr: Repr::Inline {
                    len: total as u8,
                    bytes,
                },
            }
        } else {
            let mut wire = Vec::with_capacity(total);
            for_each_run(msg, start, |run| wire.extend_from_slice(run));
            Name {
                repr: Repr::Heap(wire.into_boxed_slice()),
            }
        }
    }

    /// Appends the uncompressed wire form (RFC 1035 §3.1).
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(self.as_wire());
    }
}

/// The target of the compression pointer at `pos` in `msg` (RFC 1035 §4.1.4), checked: inside
/// the message of `msg_len` octets and strictly before `sequence_start`, the start of the label
/// sequence that holds the pointer, so that no chain of pointers can loop.
#[inline(always)]
pub(crate) fn pointer_target(
    msg: &[u8],
    pos: usize,
    msg_len: usize,
    sequence_start: usize,
) -> Result<usize, Error> {
    let (Some(&high), Some(&low)) = (msg.get(pos), msg.get(pos + 1)) else {
        return Err(Error::Truncated {
            offset: pos as u64,
            inside: "compression pointer",
        });
    };
    let target = usize::from(u16::from_be_bytes([high & 0x3F, low]));
    if target >= msg_len {
        return Err(Error::PointerOutOfBounds {
            offset: pos as u64,
            target: target as u64,
        });
    }
    if target >= sequence_start {
        return Err(Error::ForwardPointer {
            offset: pos as u64,
            target: target as u64,
        });
    }
    Ok(target)
}

/// Calls `f` with each run of labels of the checked name at `start`, in order: the bytes up to
/// each compression pointer, then the bytes up to and with the root label.
///
/// Precondition: [`Name::decode`]'s first pass has checked this name in this same `msg`. The
/// walk has no bound of its own; it ends because that pass proved every pointer points
/// strictly backwards and the name reaches its root.
fn for_each_run(msg: &[u8], start: usize, mut f: impl FnMut(&[u8])) {
    let mut run = start;
    let mut pos = start;
    while let Some(&byte) = msg.get(pos) {
        if byte & 0xC0 == 0xC0 {
            f(msg.get(run..pos).unwrap_or_default());
            let low = msg.get(pos + 1).copied().unwrap_or_default();
            pos = usize::from(u16::from_be_bytes([byte & 0x3F, low]));
            run = pos;
        } else if byte == 0 {
            f(msg.get(run..=pos).unwrap_or_default());
            return;
        } else {
            pos += 1 + usize::from(byte);
        }
    }
}

/// Appends one label to a wire form under construction; `offset` is where the label starts in
/// the text it came from, for the errors.
fn push_label(wire: &mut Vec<u8>, label: &[u8], offset: u64) -> Result<(), Error> {
    if label.is_empty() {
        return Err(Error::Syntax {
            offset,
            reason: "empty label (RFC 1035 §3.1: only the root label is empty)",
        });
    }
    if label.len() > MAX_LABEL_LEN {
        return Err(Error::LabelTooLong {
            offset,
            length: label.len(),
        });
    }
    // Room is kept for the root label.
    if wire.len() + 1 + label.len() > MAX_NAME_LEN - 1 {
        return Err(Error::NameTooLong { offset: 0 });
    }
    wire.push(label.len() as u8);
    wire.extend_from_slice(label);
    Ok(())
}

/// The labels of a [`Name`], most specific first, without the root label.
#[derive(Debug, Clone)]
pub struct Labels<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Labels<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let (&len, after) = self.rest.split_first()?;
        let len = usize::from(len);
        if len == 0 {
            return None;
        }
        let label = after.get(..len)?;
        self.rest = after.get(len..).unwrap_or_default();
        Some(label)
    }
}

/// Case-insensitive, as RFC 4343 §2 compares names. Length octets are below 64 and are never
/// letters, so comparing the whole wire form ASCII-case-insensitively compares label by label.
impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.as_wire().eq_ignore_ascii_case(other.as_wire())
    }
}

impl Eq for Name {}

/// A name equals text that reads as the same name ([`Name::from_str`]), compared
/// case-insensitively as DNS compares names (RFC 4343 §2); text that is not a name equals
/// nothing. `name == "www.example.com."` and `name == "WWW.example.com"` alike.
impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        other.parse::<Name>().is_ok_and(|n| *self == n)
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// Consistent with `==`: hashes the lowercase form.
impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let wire = self.as_wire();
        state.write_usize(wire.len());
        for b in wire {
            state.write_u8(b.to_ascii_lowercase());
        }
    }
}

/// The presentation form (RFC 1035 §5.1), absolute with a trailing dot. Letters, digits, `-` and
/// `_` are written as they are; a `.` inside a label is `\.`; every other octet is `\DDD`
/// (decimal). A label that is exactly `*` is written `*`, the wildcard of RFC 4592.
impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_root() {
            return f.write_str(".");
        }
        for label in self.labels() {
            write_label(f, label)?;
        }
        Ok(())
    }
}

/// Writes one label in presentation form followed by its dot (RFC 1035 §5.1): letters,
/// digits, `-` and `_` as they are, `.` as `\.`, every other octet as `\DDD`; a label that is
/// exactly `*` stays `*` (the wildcard of RFC 4592).
pub(crate) fn write_label(f: &mut fmt::Formatter<'_>, label: &[u8]) -> fmt::Result {
    if label == b"*" {
        return f.write_str("*.");
    }
    for &b in label {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            write!(f, "{}", char::from(b))?;
        } else if b == b'.' {
            f.write_str("\\.")?;
        } else {
            write!(f, "\\{b:03}")?;
        }
    }
    f.write_str(".")
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({self})")
    }
}

/// Reads the presentation form (RFC 1035 §5.1): labels separated by `.`, `\X` for a literal
/// character X, `\DDD` for the octet of decimal value DDD. The name is absolute whether or not
/// it ends with a dot (relative names need an origin: the zone-file parser's job). Characters
/// outside printable ASCII must be escaped.
impl FromStr for Name {
    type Err = Error;

    fn from_str(text: &str) -> Result<Name, Error> {
        let bytes = text.as_bytes();
        if bytes == b"." {
            return Ok(Name::root());
        }
        if bytes.is_empty() {
            return Err(Error::Syntax {
                offset: 0,
                reason: "empty name",
            });
        }
        let mut wire = Vec::with_capacity(bytes.len() + 2);
        let mut label = Vec::with_capacity(MAX_LABEL_LEN);
        let mut label_start = 0usize;
        let mut i = 0usize;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'.' => {
                    push_label(&mut wire, &label, label_start as u64)?;
                    label.clear();
                    i += 1;
                    label_start = i;
                }
                b'\\' => {
                    let (octet, used) = escape(bytes, i)?;
                    label.push(octet);
                    i += used;
                }
                0x21..=0x7E => {
                    label.push(b);
                    i += 1;
                }
                0x80.. => {
                    return Err(Error::Syntax {
                        offset: i as u64,
                        reason: "a non-ASCII character: for an internationalized name use Name::from_unicode (IDNA A-labels, RFC 5891), or write each octet as \\DDD",
                    });
                }
                _ => {
                    return Err(Error::Syntax {
                        offset: i as u64,
                        reason: "a space or control character must be written \\DDD",
                    });
                }
            }
            if label.len() > MAX_LABEL_LEN {
                return Err(Error::LabelTooLong {
                    offset: label_start as u64,
                    length: label.len(),
                });
            }
        }
        if !label.is_empty() {
            push_label(&mut wire, &label, label_start as u64)?;
        }
        wire.push(0);
        Ok(Name::from_checked_vec(wire))
    }
}

/// The octet an escape at `bytes[at]` (a backslash) stands for, and the bytes it takes
/// (RFC 1035 §5.1: `\X` and `\DDD`).
pub(crate) fn escape(bytes: &[u8], at: usize) -> Result<(u8, usize), Error> {
    match bytes.get(at + 1..) {
        Some([a, b, c, ..]) if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => {
            let value = u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0');
            u8::try_from(value)
                .map(|v| (v, 4))
                .map_err(|_| Error::Syntax {
                    offset: at as u64,
                    reason: "\\DDD escape above 255",
                })
        }
        Some([d, ..]) if d.is_ascii_digit() => Err(Error::Syntax {
            offset: at as u64,
            reason: "\\DDD escape needs exactly three digits",
        }),
        Some([x, ..]) if (0x20..=0x7E).contains(x) => Ok((*x, 2)),
        _ => Err(Error::Syntax {
            offset: at as u64,
            reason: "backslash at the end or before a non-printable character",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Limits;

    fn decode_at(msg: &[u8], at: usize) -> Result<(Name, usize), Error> {
        let mut c = Cursor::new(msg, &Limits::default());
        c.set_pos(at);
        let name = Name::decode(&mut c)?;
        Ok((name, c.pos()))
    }

    fn name(text: &str) -> Name {
        text.parse().unwrap()
    }

    #[test]
    fn names_compare_with_text_ignoring_case() {
        let n = name("www.Example.com.");
        assert!(n == "WWW.example.COM.");
        assert!(n == *"www.example.com");
        assert!(n != "example.com.");
        assert!(n != "not a name");
    }

    #[test]
    fn non_ascii_text_points_to_from_unicode() {
        let e = "m\u{fc}nchen.de".parse::<Name>().unwrap_err();
        assert!(e.to_string().contains("Name::from_unicode"), "{e}");
        assert!(matches!(e, Error::Syntax { offset: 1, .. }));
        let e = "a b.de".parse::<Name>().unwrap_err();
        assert!(!e.to_string().contains("from_unicode"), "{e}");
    }

    #[test]
    fn plain_name_decodes_and_prints() {
        let (n, end) = decode_at(b"\x03www\x07example\x03com\x00", 0).unwrap();
        assert_eq!(end, 17);
        assert_eq!(n.to_string(), "www.example.com.");
        assert_eq!(n.label_count(), 3);
        assert_eq!(n.wire_len(), 17);
    }

    #[test]
    fn root_is_one_zero_octet() {
        let (n, end) = decode_at(b"\x00", 0).unwrap();
        assert!(n.is_root());
        assert_eq!(end, 1);
        assert_eq!(n.to_string(), ".");
        assert_eq!(name("."), Name::root());
    }

    #[test]
    fn rfc1035_4_1_4_compression_example() {
        // RFC 1035 §4.1.4: F.ISI.ARPA at 20, FOO.F.ISI.ARPA at 40, ARPA at 64, the root at 92.
        let mut msg = vec![0u8; 20];
        msg.extend_from_slice(b"\x01F\x03ISI\x04ARPA\x00"); // 20..32
        msg.resize(40, 0);
        msg.extend_from_slice(b"\x03FOO\xC0\x14"); // 40..46
        msg.resize(64, 0);
        msg.extend_from_slice(b"\xC0\x1A"); // 64: pointer to ARPA at 26
        let (foo, end) = decode_at(&msg, 40).unwrap();
        assert_eq!(foo.to_string(), "FOO.F.ISI.ARPA.");
        assert_eq!(end, 46);
        let (arpa, end) = decode_at(&msg, 64).unwrap();
        assert_eq!(arpa.to_string(), "ARPA.");
        assert_eq!(end, 66);
    }

    #[test]
    fn case_is_kept_and_ignored_by_eq_and_hash() {
        use std::collections::hash_map::DefaultHasher;
        let a = name("WWW.Example.COM.");
        let b = name("www.example.com");
        assert_eq!(a, b);
        assert!(!a.eq_exact(&b));
        assert_eq!(a.to_string(), "WWW.Example.COM.");
        let hash = |n: &Name| {
            let mut h = DefaultHasher::new();
            n.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&a), hash(&b));
        assert_ne!(a, name("www.example.org."));
    }

    #[test]
    fn escapes_print_and_parse_back() {
        let n = Name::from_labels([&b"a.b"[..], b"sp ace", b"\x00\xff", b"x_y-z", b"*"]).unwrap();
        let text = n.to_string();
        assert_eq!(text, "a\\.b.sp\\032ace.\\000\\255.x_y-z.*.");
        assert!(name(&text).eq_exact(&n));
        assert!(name("a\\046b.").eq_exact(&name("a\\.b.")));
        assert_eq!(name("\\\\.").labels().next(), Some(&b"\\"[..]));
    }

    #[test]
    fn label_of_63_is_the_longest() {
        let ok = [b'a'; 63];
        let mut msg = vec![63];
        msg.extend_from_slice(&ok);
        msg.push(0);
        assert!(decode_at(&msg, 0).is_ok());
        // A length byte of 64 has the top bits 01: a reserved label type.
        let mut bad = vec![64];
        bad.extend_from_slice(&[b'a'; 64]);
        bad.push(0);
        assert_eq!(
            decode_at(&bad, 0),
            Err(Error::BadLabelType {
                offset: 0,
                byte: 64
            })
        );
        assert_eq!(
            decode_at(b"\x80\x00", 0),
            Err(Error::BadLabelType {
                offset: 0,
                byte: 0x80
            })
        );
        let text = format!("{}.com.", "a".repeat(64));
        assert_eq!(
            text.parse::<Name>(),
            Err(Error::LabelTooLong {
                offset: 0,
                length: 64
            })
        );
    }

    /// A name of `total` wire octets: labels of 63 and a last shorter label.
    fn long_name_wire(total: usize) -> Vec<u8> {
        let mut wire = Vec::new();
        while wire.len() + 1 < total {
            let len = (total - 1 - wire.len() - 1).min(63);
            wire.push(len as u8);
            wire.extend(std::iter::repeat_n(b'x', len));
        }
        wire.push(0);
        assert_eq!(wire.len(), total);
        wire
    }

    #[test]
    fn name_of_255_is_the_longest() {
        let wire = long_name_wire(255);
        let (n, _) = decode_at(&wire, 0).unwrap();
        assert_eq!(n.wire_len(), 255);
        assert!(n.to_string().parse::<Name>().unwrap().eq_exact(&n));
        let wire = long_name_wire(256);
        assert_eq!(decode_at(&wire, 0), Err(Error::NameTooLong { offset: 0 }));
        let text = Name::from_checked_wire(&wire).to_string();
        assert_eq!(text.parse::<Name>(), Err(Error::NameTooLong { offset: 0 }));
    }

    /// Every length from the root to 255 octets, in labels of 1 and of up to 63 octets, and
    /// split by a pointer: around 30 octets a name moves from inline storage to the heap.
    #[test]
    fn every_length_decodes_the_same_inline_or_on_the_heap() {
        for total in (1..=255usize).filter(|t| t % 2 == 1) {
            let mut short = [1, b'a'].repeat((total - 1) / 2);
            short.push(0);
            check_every_form(&short);
        }
        // No name takes 2 octets: the shortest label is one octet after its length.
        for total in (1..=255usize).filter(|&t| t != 2) {
            check_every_form(&wide_labels(total));
        }
    }

    /// A name of `total` wire octets in labels of up to 63 octets, none empty.
    fn wide_labels(total: usize) -> Vec<u8> {
        let mut wire = Vec::new();
        let mut left = total - 1;
        while left > 0 {
            let mut len = (left - 1).min(63);
            // A last label needs two octets at least.
            if left - (len + 1) == 1 {
                len -= 1;
            }
            wire.push(len as u8);
            wire.extend(std::iter::repeat_n(b'x', len));
            left -= len + 1;
        }
        wire.push(0);
        assert_eq!(wire.len(), total);
        wire
    }

    fn check_every_form(wire: &[u8]) {
        let (n, end) = decode_at(wire, 0).unwrap();
        assert_eq!((n.as_wire(), end), (wire, wire.len()));
        assert_eq!(n.wire_len(), wire.len());
        assert_eq!(n.is_root(), wire.len() == 1);
        assert!(Name::from_wire(wire).unwrap().eq_exact(&n));
        assert!(n.to_string().parse::<Name>().unwrap().eq_exact(&n));
        let mut out = Vec::new();
        n.encode(&mut out);
        assert_eq!(out, wire);
        // The same name with its last label behind a pointer.
        let labels: Vec<&[u8]> = n.labels().collect();
        if let Some((last, first)) = labels.split_last() {
            let mut msg = vec![last.len() as u8];
            msg.extend_from_slice(last);
            msg.push(0);
            let start = msg.len();
            for label in first {
                msg.push(label.len() as u8);
                msg.extend_from_slice(label);
            }
            msg.extend_from_slice(&[0xC0, 0]);
            let (m, end) = decode_at(&msg, start).unwrap();
            assert!(m.eq_exact(&n), "{m} != {n}");
            assert_eq!(end, msg.len());
            let upper = Name::from_wire(&wire.to_ascii_uppercase()).unwrap();
            assert_eq!(upper, n);
            assert_eq!(hash_of(&upper), hash_of(&n));
        }
    }

    fn hash_of(n: &Name) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        n.hash(&mut h);
        h.finish()
    }

    #[test]
    fn name_over_255_through_pointers() {
        // 200 octets of labels at 0, then 60 more pointing to them: 260 > 255.
        let mut msg = long_name_wire(200);
        let second = msg.len();
        msg.push(59);
        msg.extend_from_slice(&[b'y'; 59]);
        msg.extend_from_slice(b"\xC0\x00");
        assert_eq!(
            decode_at(&msg, second),
            Err(Error::NameTooLong {
                offset: second as u64
            })
        );
    }

    #[test]
    fn pointer_to_itself_and_loops_are_forward_pointers() {
        assert_eq!(
            decode_at(b"\xC0\x00", 0),
            Err(Error::ForwardPointer {
                offset: 0,
                target: 0
            })
        );
        // 0: "a" then pointer to 4; 4: "b" then pointer to 0. Read from 4: 4 -> 0 -> 4 is refused.
        let msg = b"\x01a\xC0\x04\x01b\xC0\x00";
        assert_eq!(
            decode_at(msg, 4),
            Err(Error::ForwardPointer {
                offset: 2,
                target: 4
            })
        );
        assert_eq!(
            decode_at(b"\x00\xC0\x03\x01a\x00", 1),
            Err(Error::ForwardPointer {
                offset: 1,
                target: 3
            })
        );
    }

    #[test]
    fn pointer_past_the_end() {
        assert_eq!(
            decode_at(b"\x00\xC0\x09", 1),
            Err(Error::PointerOutOfBounds {
                offset: 1,
                target: 9
            })
        );
        assert_eq!(
            decode_at(b"\x00\xC0", 1),
            Err(Error::Truncated {
                offset: 1,
                inside: "compression pointer"
            })
        );
    }

    #[test]
    fn truncated_labels() {
        assert_eq!(
            decode_at(b"\x03ww", 0),
            Err(Error::Truncated {
                offset: 0,
                inside: "label"
            })
        );
        assert_eq!(
            decode_at(b"\x03www", 0),
            Err(Error::Truncated {
                offset: 4,
                inside: "name"
            })
        );
    }

    #[test]
    fn from_wire_refuses_pointers_and_trailing_bytes() {
        assert!(Name::from_wire(b"\x01a\x00").is_ok());
        assert_eq!(
            Name::from_wire(b"\x01a\x00\x00"),
            Err(Error::TrailingBytes {
                offset: 3,
                count: 1
            })
        );
        assert!(Name::from_wire(b"\x00\xC0\x00").is_err());
    }

    #[test]
    fn presentation_errors() {
        assert!("a..b".parse::<Name>().is_err());
        assert!(".a".parse::<Name>().is_err());
        assert!("".parse::<Name>().is_err());
        assert!("a b".parse::<Name>().is_err());
        assert!("a\\256".parse::<Name>().is_err());
        assert!("a\\25".parse::<Name>().is_err());
        assert!("a\\".parse::<Name>().is_err());
        assert_eq!(name("a").to_string(), "a.");
    }
}
