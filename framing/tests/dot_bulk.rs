//! The dot-stuffing decoder's bulk path (whole lines checked 64 octets at a time) against its
//! line-by-line path: long inputs of mostly clean lines with a few hostile octets, decoded from
//! one buffer (bulk path) and one octet at a time (the buffer never holds a block, so line by
//! line), must give the same content, errors and rest.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use bytes::BytesMut;
use framing::Decoder;
use framing::dot_stuffing::{DotConfig, DotDecoder, DotEncoder, DotError, DotEvent};
use proptest::prelude::*;

#[derive(Debug, Clone, PartialEq)]
struct Outcome {
    content: Vec<u8>,
    errors: Vec<DotError>,
    ended: bool,
    rest: Vec<u8>,
}

fn decode(config: DotConfig, input: &[u8], piece: usize) -> Outcome {
    let mut d = DotDecoder::new(config);
    let mut buf = BytesMut::new();
    let mut out = Outcome {
        content: Vec::new(),
        errors: Vec::new(),
        ended: false,
        rest: Vec::new(),
    };
    let mut pieces = input.chunks(piece).peekable();
    loop {
        let last = pieces.peek().is_none();
        let event = if last {
            d.decode_eof(&mut buf)
        } else {
            d.decode(&mut buf)
        };
        match event {
            Ok(Some(DotEvent::Data(b))) => out.content.extend_from_slice(&b),
            Ok(Some(DotEvent::End)) => {
                out.ended = true;
                break;
            }
            Ok(None) if last => break,
            Ok(None) => buf.extend_from_slice(pieces.next().unwrap()),
            Err(e @ DotError::Truncated { .. }) => {
                out.errors.push(e);
                break;
            }
            Err(e) => out.errors.push(e),
        }
    }
    out.rest = buf.to_vec();
    out.rest.extend(pieces.flatten());
    out
}

/// Lines of 0 to 400 printable octets, some of them with a hostile octet (CR, LF, a dot first,
/// NUL, 8-bit) somewhere, some ending with the terminator.
fn input() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        (
            0usize..400,
            prop_oneof![
                20 => Just(None),
                1 => prop::sample::select(vec![b'\r', b'\n', b'.', 0, 0x80]).prop_map(Some),
            ],
            any::<u16>(),
            prop_oneof![30 => Just(false), 1 => Just(true)],
        ),
        1..40,
    )
    .prop_map(|lines| {
        let mut out = Vec::new();
        for (len, odd, at, end) in lines {
            let start = out.len();
            out.extend((0..len).map(|k| b' ' + ((start + k) % 95) as u8));
            if let Some(b) = odd {
                let at = if len == 0 { 0 } else { usize::from(at) % len };
                out.insert(start + at, b);
            }
            out.extend_from_slice(if end { b"\r\n.\r\n" } else { b"\r\n" });
        }
        out
    })
}

fn config(c: u8) -> DotConfig {
    DotConfig {
        // 1000 (the default), limits the bulk path bounds with a few blocks between LFs (600,
        // 300, 200, 130), one it leaves to the line-by-line scan (100), and none.
        max_line: match c % 8 {
            0 => Some(1000),
            1 => Some(300),
            2 => Some(200),
            3 => Some(600),
            4 => Some(130),
            5 => Some(100),
            6 => Some(1000),
            _ => None,
        },
        normalize_bare_line_ends: c & 8 != 0,
        seven_bit: c & 16 != 0,
        ..DotConfig::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn bulk_equals_line_by_line(input in input(), c in any::<u8>(), piece in 256usize..5000) {
        let config = config(c);
        let bytewise = decode(config, &input, 1);
        prop_assert_eq!(decode(config, &input, input.len().max(1)), bytewise.clone());
        prop_assert_eq!(decode(config, &input, piece), bytewise);
    }

    /// The encoder's bulk path (whole clean lines copied in one piece) against its line-by-line
    /// path (one octet per piece never holds a block): the same output, the same error.
    #[test]
    fn encoder_bulk_equals_line_by_line(input in input(), c in any::<u8>(), piece in 256usize..5000) {
        let config = config(c);
        let bytewise = encode(config, &input, 1);
        prop_assert_eq!(encode(config, &input, input.len().max(1)), bytewise.clone());
        prop_assert_eq!(encode(config, &input, piece), bytewise);
    }
}

/// The stuffed output of `input` given in pieces, up to the first error (an error writes
/// nothing of its piece, so the octets before it in that piece are written one at a time to
/// find exactly where it is), and that error.
fn encode(config: DotConfig, input: &[u8], piece: usize) -> (Vec<u8>, Option<DotError>) {
    let mut e = DotEncoder::new(config);
    let mut out = BytesMut::new();
    for p in input.chunks(piece) {
        if e.encode_content(p, &mut out).is_err() {
            for b in p.chunks(1) {
                if let Err(err) = e.encode_content(b, &mut out) {
                    return (out.to_vec(), Some(err));
                }
            }
        }
    }
    let end = e.finish(&mut out).err();
    (out.to_vec(), end)
}
