//! Hand-built DNS messages shared by the hostile-input tests (`tests/hostile.rs`), the reader
//! tests (`tests/reader.rs`) and the decoder's unit tests (`src/message.rs` includes this file),
//! so that every decoder is checked on the very same bytes.
// Each test binary uses part of this module.
#![allow(dead_code)]

/// A message: a header (ID 0x1234, RD set) with these counts, then `body` (RFC 1035 §4.1.1).
pub fn message(qd: u16, an: u16, ns: u16, ar: u16, body: &[u8]) -> Vec<u8> {
    let mut m = vec![0x12, 0x34, 0x01, 0x00];
    for n in [qd, an, ns, ar] {
        m.extend_from_slice(&n.to_be_bytes());
    }
    m.extend_from_slice(body);
    m
}

/// The question `example.` A IN at offset 12 (13 bytes, so the next thing starts at 25).
pub const QUESTION: &[u8] = b"\x07example\x00\x00\x01\x00\x01";

/// An A record owned by the question's name (a pointer to 12) with `rdlength` and `rdata`.
pub fn a_record(rdlength: u16, rdata: &[u8]) -> Vec<u8> {
    let mut r = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x0e\x10".to_vec();
    r.extend_from_slice(&rdlength.to_be_bytes());
    r.extend_from_slice(rdata);
    r
}

/// An OPT record with `owner` (wire form), payload size 1232, no options (RFC 6891 §6.1.2).
pub fn opt(owner: &[u8]) -> Vec<u8> {
    let mut r = owner.to_vec();
    r.extend_from_slice(b"\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00");
    r
}

/// The 2026 Unbound class: a chain of `hops` compression pointers, each pointing to the one
/// before, kept in the opaque rdata of a first answer, then `names` answers whose owner names
/// point at the deepest link a pointer can reach (offsets stop at 0x3FFF, so links past it
/// point there too and only ~8 000 are walkable).
pub fn pointer_chain_message(hops: usize, names: usize) -> Vec<u8> {
    let mut msg = Vec::new();
    msg.extend_from_slice(&[0, 0, 0, 0, 0, 1]);
    msg.extend_from_slice(&((names + 1) as u16).to_be_bytes());
    msg.extend_from_slice(&[0, 0, 0, 0]);
    msg.push(0); // 12: the question's name, the root, where the chain ends
    msg.extend_from_slice(&[0, 1, 0, 1]);
    // The first answer: owner root, TYPE65280, class IN, TTL 0, the chain as rdata.
    msg.push(0);
    msg.extend_from_slice(&[0xFF, 0x00, 0, 1, 0, 0, 0, 0]);
    msg.extend_from_slice(&((2 * hops) as u16).to_be_bytes());
    let chain_start = msg.len();
    let mut deepest = 12;
    for k in 0..hops {
        let here = chain_start + 2 * k;
        msg.extend_from_slice(&(0xC000 | deepest as u16).to_be_bytes());
        if here <= 0x3FFF {
            deepest = here;
        }
    }
    for _ in 0..names {
        msg.extend_from_slice(&(0xC000 | deepest as u16).to_be_bytes());
        msg.extend_from_slice(&[0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 192, 0, 2, 1]);
    }
    msg
}
