//! Helpers for testing any [`Decoder`] the way this workspace tests its own: feed the input in
//! pieces and collect everything that comes out, so that a test can assert that any split of the
//! input gives what the whole gives.
//!
//! ```
//! use framing::delimited::Delimited;
//! use framing::testing::{cut, decode_pieces};
//!
//! let input = b"one\r\ntwo\r\n";
//! let whole = decode_pieces(&mut Delimited::crlf(), &[input], |_| false);
//! let pieces = decode_pieces(&mut Delimited::crlf(), &cut(input, &[2, 4, 7]), |_| false);
//! assert_eq!(whole, pieces);
//! assert_eq!(whole.len(), 2);
//! ```

use bytes::BytesMut;

use crate::codec::Decoder;
use crate::error::Error;

/// Feeds `pieces` to `codec` one after the other, calling `decode` until it wants more and
/// `decode_eof` after the last piece; returns every item and error in order. After an error it
/// goes on only if `recoverable` says the decoder is still in sync (for this crate's codecs:
/// [`Error::is_recoverable`]).
pub fn decode_pieces<C: Decoder>(
    codec: &mut C,
    pieces: &[&[u8]],
    recoverable: impl Fn(&C::Error) -> bool,
) -> Vec<Result<C::Item, C::Error>> {
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.iter().enumerate() {
        buf.extend_from_slice(piece);
        loop {
            let result = if i == last {
                codec.decode_eof(&mut buf)
            } else {
                codec.decode(&mut buf)
            };
            match result {
                Ok(Some(item)) => out.push(Ok(item)),
                Ok(None) => break,
                Err(e) => {
                    let go_on = recoverable(&e);
                    out.push(Err(e));
                    if !go_on {
                        return out;
                    }
                }
            }
        }
    }
    out
}

/// `bytes` cut at `points`, each taken modulo `bytes.len() + 1` (so any `usize` from a property
/// test or a fuzzer is a valid point); empty pieces included.
pub fn cut<'a>(bytes: &'a [u8], points: &[usize]) -> Vec<&'a [u8]> {
    let mut at: Vec<usize> = points.iter().map(|p| p % (bytes.len() + 1)).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    at.windows(2)
        .filter_map(|w| match w {
            [a, b] => bytes.get(*a..*b),
            _ => None,
        })
        .collect()
}

/// Clears the one field of this crate's errors that depends on how the input was split: the
/// `length` of a [`Error::LineTooLong`] raised without discarding, which is how much was
/// buffered when the limit was passed.
pub fn split_independent<T>(results: Vec<Result<T, Error>>) -> Vec<Result<T, Error>> {
    results
        .into_iter()
        .map(|r| match r {
            Err(Error::LineTooLong {
                offset,
                limit,
                discarded: false,
                ..
            }) => Err(Error::LineTooLong {
                offset,
                limit,
                length: 0,
                discarded: false,
            }),
            other => other,
        })
        .collect()
}
