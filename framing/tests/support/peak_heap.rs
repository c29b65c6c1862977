//! What the peak-heap tests of the workspace share (framing's and http-codec's include this
//! file): the bound, and a decode loop under dhat's counting allocator. The test binary that
//! includes it declares `#[global_allocator] static ALLOC: dhat::Alloc = dhat::Alloc;`.

use std::fmt::Debug;

use bytes::BytesMut;
use framing::Decoder;

/// The bound: heap bytes at the peak per byte of input.
pub const MAX_RATIO: f64 = 64.0;

/// Decodes every item of `input` with `decoder`, fed in pieces of `piece` bytes (the whole at
/// once if 0), keeping them all: the items and the peak heap above the level at the start.
pub fn measure<D>(mut decoder: D, input: &[u8], piece: usize) -> (Vec<D::Item>, u64)
where
    D: Decoder,
    D::Error: Debug,
{
    let mut items = Vec::with_capacity(input.len() + 1);
    let mut buf = BytesMut::with_capacity(input.len());
    let profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let pieces = if piece == 0 {
        input.chunks(input.len().max(1))
    } else {
        input.chunks(piece)
    };
    for bytes in pieces {
        buf.extend_from_slice(bytes);
        while let Some(item) = decoder.decode(&mut buf).unwrap() {
            items.push(item);
        }
    }
    while let Some(item) = decoder.decode_eof(&mut buf).unwrap() {
        items.push(item);
    }
    let after = dhat::HeapStats::get();
    drop(profiler);
    assert!(buf.is_empty(), "{} bytes left", buf.len());
    (items, (after.max_bytes - before.curr_bytes) as u64)
}
