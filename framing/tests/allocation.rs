//! Allocation bounds, measured with a counting global allocator: a hostile length field must not
//! make the decoder or the adapters allocate what it claims.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::io::Cursor;
use std::sync::Mutex;

use bytes::BytesMut;
use framing::blocking::Framed;
use framing::delimited::Delimited;
use framing::length_delimited::LengthDelimited;
use framing::{AdapterError, Decoder, Error};
use proptest::prelude::*;

// dhat's allocator counts every allocation of every thread while a profiler runs; only one may
// run at a time.
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;
static SERIAL: Mutex<()> = Mutex::new(());

/// Held for a whole test: another test allocating while this one measures would be counted.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` under a fresh heap profiler (call with [`serial`] held): its result, the peak of live
/// heap bytes above the level at the start, and the total bytes allocated.
fn measure<T>(f: impl FnOnce() -> T) -> (T, usize, u64) {
    let _profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let out = f();
    let after = dhat::HeapStats::get();
    (
        out,
        after.max_bytes.saturating_sub(before.curr_bytes),
        after.total_bytes - before.total_bytes,
    )
}

#[test]
fn a_header_claiming_nearly_the_limit_allocates_nothing_for_it() {
    let _serial = serial();
    // 8 MiB - 1 claimed (just under the default limit), 10 bytes sent, then the stream ends.
    let mut input = vec![0x00, 0x7f, 0xff, 0xff];
    input.extend_from_slice(&[0u8; 10]);
    let (result, peak, _) = measure(|| {
        let mut framed = Framed::new(Cursor::new(input), LengthDelimited::new());
        framed.recv()
    });
    assert!(matches!(
        result,
        Err(AdapterError::Codec(Error::Truncated {
            needed: 8_388_597,
            ..
        }))
    ));
    // The adapter's read chunk lives on the stack; the buffer holds the 14 bytes that arrived.
    assert!(peak < 64 * 1024, "peak {peak} bytes");
}

#[test]
fn an_endless_line_is_discarded_in_bounded_memory() {
    let _serial = serial();
    let mut input = vec![b'x'; 4 << 20];
    input.extend_from_slice(b"\r\nafter\r\n");
    let (lines, peak, _) = measure(|| {
        let codec = Delimited::crlf().max_length(1024).discard_overlong();
        let framed = Framed::new(Cursor::new(&input[..]), codec);
        framed.collect::<Vec<_>>()
    });
    assert!(matches!(
        lines[0],
        Err(AdapterError::Codec(Error::LineTooLong {
            length: 4_194_304,
            discarded: true,
            ..
        }))
    ));
    assert_eq!(lines[1].as_ref().unwrap(), "after");
    assert!(peak < 256 * 1024, "peak {peak} bytes");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Arbitrary bytes fed in arbitrary chunks: what the decoder itself allocates per call stays
    /// under a small constant, whatever lengths the bytes claim.
    #[test]
    fn decode_allocates_at_most_a_constant_per_call(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096),
        chunk in 1usize..512,
        max in prop_oneof![Just(16usize), Just(1024), Just(8 << 20)],
    ) {
        let _serial = serial();
        type Decode = Box<dyn FnMut(&mut BytesMut) -> Result<bool, Error>>;
        let mut codecs: Vec<Decode> = vec![
            {
                let mut c = LengthDelimited::builder().max_frame_length(max).build();
                Box::new(move |b| c.decode(b).map(|f| f.is_some()))
            },
            {
                let mut c = Delimited::crlf().max_length(max).discard_overlong();
                Box::new(move |b| c.decode(b).map(|f| f.is_some()))
            },
        ];
        for decode in codecs.iter_mut() {
            let mut buf = BytesMut::with_capacity(bytes.len());
            for piece in bytes.chunks(chunk) {
                buf.extend_from_slice(piece);
                loop {
                    let (r, _, allocated) = measure(|| decode(&mut buf));
                    prop_assert!(allocated <= 256, "decode allocated {} bytes", allocated);
                    match r {
                        Ok(true) => continue,
                        Ok(false) => break,
                        Err(Error::LineTooLong { discarded: true, .. } | Error::Malformed { .. }) => continue,
                        Err(_) => break,
                    }
                }
            }
        }
    }
}
