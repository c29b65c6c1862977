//! Feeding a decoder in pieces, to check that any split gives what the whole gives.

use bytes::BytesMut;
use framing::{Decoder, Error};

/// Whether the decoder is out of sync after `e`, so that nothing more can be decoded.
fn fatal(e: &Error) -> bool {
    !matches!(
        e,
        Error::UnknownType { .. }
            | Error::Malformed { .. }
            | Error::LineTooLong {
                discarded: true,
                ..
            }
    )
}

/// Everything `codec` yields for `chunks` fed in order (then `decode_eof`), up to the first fatal
/// error. Caps the number of results, so that a pathological input cannot run for long.
pub fn feed<C: Decoder<Error = Error>>(
    codec: &mut C,
    chunks: &[&[u8]],
) -> Vec<Result<C::Item, Error>> {
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let last = chunks.len().saturating_sub(1);
    for (i, chunk) in chunks.iter().enumerate() {
        buf.extend_from_slice(chunk);
        loop {
            let r = if i == last {
                codec.decode_eof(&mut buf)
            } else {
                codec.decode(&mut buf)
            };
            match r {
                Ok(Some(item)) => out.push(Ok(item)),
                Ok(None) => break,
                Err(e) => {
                    let stop = fatal(&e);
                    out.push(Err(e));
                    if stop {
                        return out;
                    }
                }
            }
        }
    }
    out
}

/// `bytes` cut in two at `at` (modulo its length + 1).
pub fn halves(bytes: &[u8], at: u8) -> [&[u8]; 2] {
    let at = usize::from(at) % (bytes.len() + 1);
    let (a, b) = bytes.split_at(at);
    [a, b]
}
