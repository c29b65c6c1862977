//! Name compression on encode (RFC 1035 §4.1.4), with a table whose every operation is constant
//! time, so a message of N names costs O(total name length), never O(N²).
//!
//! The table maps a *suffix* to the offset where it was written. A suffix is keyed by its first
//! label and the offset of the suffix after it (the root is [`ROOT`]), so looking up a name walks
//! its labels from the root outwards, one hash lookup per label, and each hit is checked against
//! the bytes already written (a hash collision costs a missed compression, never a wrong
//! pointer). Matching is byte-exact, case included, so compression never changes a name's case.
//!
//! Only offsets a pointer can hold (below 0x4000) are entered, which also bounds the table at
//! 16 384 entries.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::name::Name;

/// The parent key of a top-level label: the root, which is never pointed to.
const ROOT: u16 = u16::MAX;
/// The largest offset a compression pointer can hold (14 bits).
const MAX_POINTER: usize = 0x3FFF;
/// The most labels a name of 255 octets can have.
const MAX_LABELS: usize = 127;

/// Table entries reserved up front: a typical response enters a few dozen suffixes, and growing
/// the table rehashes it.
const INITIAL_ENTRIES: usize = 32;

/// No pointer: the root key, or an offset past [`MAX_POINTER`].
const NO_POINTER: u16 = u16::MAX;

/// The suffixes written so far in one message.
#[derive(Debug)]
pub(crate) struct Compressor {
    table: HashMap<(u16, u64), u16, BuildHasherDefault<KeyHasher>>,
    /// The last name written (its uncompressed wire form, `last_len` octets) and where its
    /// whole form can be pointed to: the records of an RRset, and a glue name's A and AAAA,
    /// repeat their owner back to back, and a repeat costs one comparison instead of a lookup
    /// per label. `NO_POINTER` when there is none.
    last: [u8; 255],
    last_len: usize,
    last_target: u16,
}

impl Default for Compressor {
    fn default() -> Self {
        Compressor::new()
    }
}

/// The table's hasher: the key is already an FNV hash of the label and a parent offset, so a
/// multiply-rotate mix is enough (SipHash's flooding resistance buys nothing: every hit is
/// verified, and the table is bounded at 16 384 entries).
#[derive(Debug, Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// FNV-1a over a label: cheap and good enough, since every hit is verified.
fn label_hash(label: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in label {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl Compressor {
    /// A compressor for one message, written to a buffer that starts at the message's first
    /// byte.
    pub(crate) fn new() -> Compressor {
        Compressor {
            table: HashMap::with_capacity_and_hasher(INITIAL_ENTRIES, Default::default()),
            last: [0; 255],
            last_len: 0,
            last_target: NO_POINTER,
        }
    }

    /// Appends `name` to `msg`: its labels up to the longest suffix already written, then a
    /// pointer to that suffix (or the root label if none). The new labels become targets for
    /// later names.
    pub(crate) fn write(&mut self, name: &Name, msg: &mut Vec<u8>) {
        let wire = name.as_wire();
        // The name just written, again: a pointer to it.
        if self.last_target != NO_POINTER && self.last.get(..self.last_len) == Some(wire) {
            msg.extend_from_slice(&(0xC000 | self.last_target).to_be_bytes());
            return;
        }
        // (start in the name's wire form, length) of each label: a name is at most 255 octets.
        let mut labels = [(0u8, 0u8); MAX_LABELS];
        let mut count = 0usize;
        let mut at = 0usize;
        while let Some(&len) = wire.get(at) {
            if len == 0 || count == MAX_LABELS {
                break;
            }
            if let Some(slot) = labels.get_mut(count) {
                *slot = ((at + 1) as u8, len);
            }
            count += 1;
            at += 1 + usize::from(len);
        }
        let label = |i: usize| -> &[u8] {
            let (start, len) = labels.get(i).copied().unwrap_or_default();
            let (start, len) = (usize::from(start), usize::from(len));
            wire.get(start..start + len).unwrap_or_default()
        };

        // The longest suffix already in the message: labels `matched..count`.
        let mut parent = ROOT;
        let mut matched = count;
        while matched > 0 {
            let l = label(matched - 1);
            let Some(&offset) = self.table.get(&(parent, label_hash(l))) else {
                break;
            };
            let at = usize::from(offset);
            let written = msg.get(at + 1..at + 1 + l.len());
            if msg.get(at) != Some(&(l.len() as u8)) || written != Some(l) {
                break;
            }
            parent = offset;
            matched -= 1;
        }

        // Write the labels that were not found, remembering where each went (an offset no
        // pointer can hold as `NO_POINTER`).
        let mut offsets = [NO_POINTER; MAX_LABELS];
        for i in 0..matched {
            if let Some(slot) = offsets.get_mut(i) {
                *slot = if msg.len() <= MAX_POINTER {
                    msg.len() as u16
                } else {
                    NO_POINTER
                };
            }
            let l = label(i);
            msg.push(l.len() as u8);
            msg.extend_from_slice(l);
        }
        if matched < count {
            msg.extend_from_slice(&(0xC000 | parent).to_be_bytes());
        } else {
            msg.push(0);
        }

        // Enter them, innermost first, each keyed by the suffix that follows it.
        let mut next = parent;
        for i in (0..matched).rev() {
            let offset = offsets.get(i).copied().unwrap_or(NO_POINTER);
            if offset == NO_POINTER {
                // Later labels are further on: none of them fits a pointer either.
                break;
            }
            self.table
                .entry((next, label_hash(label(i))))
                .or_insert(offset);
            next = offset;
        }

        // Remember the name and where its whole form is (the root is shorter than a pointer).
        let whole = if matched > 0 {
            offsets.first().copied().unwrap_or(NO_POINTER)
        } else {
            parent
        };
        match self.last.get_mut(..wire.len()) {
            Some(slot) if wire.len() > 1 && whole != NO_POINTER => {
                slot.copy_from_slice(wire);
                self.last_len = wire.len();
                self.last_target = whole;
            }
            _ => self.last_target = NO_POINTER,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cursor::Cursor;
    use crate::limits::Limits;

    fn name(text: &str) -> Name {
        text.parse().unwrap()
    }

    #[test]
    fn shared_suffixes_become_pointers() {
        let mut c = Compressor::new();
        let mut msg = vec![0u8; 12];
        c.write(&name("www.example.com."), &mut msg);
        c.write(&name("mail.example.com."), &mut msg);
        c.write(&name("www.example.com."), &mut msg);
        c.write(&name("com."), &mut msg);
        c.write(&name("org."), &mut msg);
        c.write(&name("."), &mut msg);
        let mut expected = vec![0u8; 12];
        expected.extend_from_slice(b"\x03www\x07example\x03com\x00"); // 12..29
        expected.extend_from_slice(b"\x04mail\xC0\x10"); // example.com. at 16
        expected.extend_from_slice(b"\xC0\x0C");
        expected.extend_from_slice(b"\xC0\x18"); // com. at 24
        expected.extend_from_slice(b"\x03org\x00");
        expected.extend_from_slice(b"\x00");
        assert_eq!(msg, expected);
    }

    #[test]
    fn case_differences_are_not_compressed_away() {
        let mut c = Compressor::new();
        let mut msg = vec![0u8; 12];
        c.write(&name("example.com."), &mut msg);
        c.write(&name("EXAMPLE.com."), &mut msg);
        let mut cur = Cursor::new(&msg, &Limits::default());
        cur.set_pos(12);
        let first = Name::decode(&mut cur).unwrap();
        let second = Name::decode(&mut cur).unwrap();
        assert_eq!(first.to_string(), "example.com.");
        assert_eq!(second.to_string(), "EXAMPLE.com.");
        // The second shares "com." only.
        assert_eq!(msg.len(), 12 + 13 + 10);
    }

    #[test]
    fn offsets_past_the_pointer_range_are_not_entered() {
        let mut c = Compressor::new();
        let mut msg = vec![0u8; 0x4000];
        c.write(&name("far.example."), &mut msg);
        let len = msg.len();
        c.write(&name("far.example."), &mut msg);
        assert_eq!(msg.len() - len, len - 0x4000);
    }

    #[test]
    fn work_is_linear_in_the_names() {
        // 3000 distinct names under one parent: each write is one lookup per label.
        let mut c = Compressor::new();
        let mut msg = vec![0u8; 12];
        for i in 0..3000 {
            c.write(&name(&format!("host{i}.example.com.")), &mut msg);
        }
        assert!(c.table.len() <= 3002);
    }
}
