//! Targets for smtp-codec's message content: DATA (dot-stuffing) and BDAT (chunks).

use bytes::BytesMut;
use framing::testing::cut;
use framing::{Decoder, Encoder};
use smtp_codec::bdat::{BdatDecoder, BdatEvent};
use smtp_codec::data::{DataDecoder, DataEncoder, DataEvent};
use smtp_codec::{Error, Leniency, Limits};

/// What a DATA decoder gave: the content joined, errors and `End` in order (`None` for End), the
/// input consumed at End, and what stayed in the buffer.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    content: Vec<u8>,
    marks: Vec<Option<Error>>,
    end_at: Option<u64>,
    rest: Vec<u8>,
}

fn decode(mut decoder: DataDecoder, pieces: &[&[u8]]) -> Outcome {
    let mut buf = BytesMut::new();
    let mut out = Outcome {
        content: Vec::new(),
        marks: Vec::new(),
        end_at: None,
        rest: Vec::new(),
    };
    let empty: &[&[u8]] = &[b""];
    let pieces = if pieces.is_empty() { empty } else { pieces };
    let last = pieces.len() - 1;
    for (i, piece) in pieces.iter().enumerate() {
        buf.extend_from_slice(piece);
        loop {
            let r = if i == last {
                decoder.decode_eof(&mut buf)
            } else {
                decoder.decode(&mut buf)
            };
            match r {
                Ok(Some(DataEvent::Data(d))) => {
                    assert!(!d.is_empty(), "empty Data");
                    assert!(out.marks.is_empty(), "Data after an error or End");
                    out.content.extend_from_slice(&d);
                }
                Ok(Some(DataEvent::End)) => {
                    out.marks.push(None);
                    out.end_at = Some(decoder.position());
                }
                Ok(None) => break,
                Err(e) => out.marks.push(Some(e)),
            }
        }
    }
    assert!(out.marks.len() <= 2, "{:?}", out.marks);
    out.rest = buf.to_vec();
    out
}

/// Limits, leniency and BODY=7BIT chosen by one byte.
fn config(c: u8) -> (Limits, Leniency, bool) {
    let mut limits = Limits::default();
    if c & 1 != 0 {
        limits.max_content_line = Some(8);
    }
    if c & 2 != 0 {
        limits.max_content_line = None;
    }
    if c & 4 != 0 {
        limits.max_message_size = 20;
    }
    let leniency = Leniency::strict().normalize_bare_line_ends(c & 8 != 0);
    (limits, leniency, c & 16 != 0)
}

/// Bare CR and bare LF made CRLF, and a CRLF added at the end if missing: the content the
/// lenient encoder sends.
fn normalise(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        match (b, input.get(i + 1)) {
            (b'\r', Some(b'\n')) => {
                out.extend_from_slice(b"\r\n");
                i += 2;
            }
            (b'\r' | b'\n', _) => {
                out.extend_from_slice(b"\r\n");
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    if !out.is_empty() && !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn encode(leniency: Leniency, limits: Limits, pieces: &[&[u8]]) -> Result<Vec<u8>, Error> {
    let mut encoder = DataEncoder::new(limits, leniency);
    let mut wire = BytesMut::new();
    for piece in pieces {
        encoder.encode(*piece, &mut wire)?;
    }
    encoder.finish(&mut wire)?;
    Ok(wire.to_vec())
}

/// DATA and BDAT content: the first byte picks the configuration, the next four the cut points,
/// the rest is the input.
///
/// - any split (two cuts, one byte at a time) gives what the whole gives;
/// - `End` comes only right after `<CRLF>.<CRLF>` in the input (or `.<CRLF>` at its start),
///   never after a bare line end, and nothing after it is consumed;
/// - stuff → unstuff: the input, stuffed by the lenient encoder, reads back strict as the input
///   with bare line ends made CRLF, ending exactly at the terminator; stuffed by the strict
///   encoder (when it accepts it), as the input itself (plus a final CRLF if missing);
/// - BDAT: chunks of sizes taken from the input give the input back exactly.
pub fn smtp_data(data: &[u8]) {
    let [c, a, b, d, e, input @ ..] = data else {
        return;
    };
    let (limits, leniency, seven_bit) = config(*c);
    let make = || DataDecoder::new(limits, leniency).seven_bit(seven_bit);
    let points = [usize::from(*a) * 7, usize::from(*b) * 3];

    let whole = decode(make(), &[input]);
    assert_eq!(decode(make(), &cut(input, &points)), whole, "cut");
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(decode(make(), &bytes), whole, "bytewise");
    match whole.end_at {
        Some(end) => {
            let end = usize::try_from(end).unwrap_or(usize::MAX);
            let consumed = input.get(..end).unwrap_or_default();
            assert!(
                consumed == b".\r\n" || consumed.ends_with(b"\r\n.\r\n"),
                "End after {consumed:?}"
            );
            assert_eq!(whole.rest, input.get(end..).unwrap_or_default());
        }
        None => assert!(
            matches!(whole.marks.last(), Some(Some(Error::Truncated { .. }))),
            "no End and no Truncated: {:?}",
            whole.marks
        ),
    }

    let lifted = Limits {
        max_content_line: None,
        ..Limits::default()
    };
    let pieces = cut(input, &[usize::from(*d), usize::from(*e)]);
    let lenient = Leniency::strict().normalize_bare_line_ends(true);
    let wire = encode(lenient, lifted, &pieces);
    let Ok(wire) = wire else {
        panic!("the lenient encoder without a line limit refused {wire:?}")
    };
    let back = decode(
        DataDecoder::new(lifted, Leniency::strict()),
        &cut(&wire, &points),
    );
    assert_eq!(
        back.content,
        normalise(input),
        "lenient stuff -> strict unstuff"
    );
    assert_eq!(back.marks, [None]);
    assert_eq!(back.end_at, Some(wire.len() as u64));
    if let Ok(wire) = encode(Leniency::strict(), Limits::default(), &pieces) {
        let back = decode(
            DataDecoder::new(Limits::default(), Leniency::strict()),
            &[&wire],
        );
        assert_eq!(back.content, normalise(input), "strict stuff -> unstuff");
        assert_eq!(back.marks, [None]);
    }

    // BDAT: chunk sizes from the first bytes of the configuration.
    let sizes = [usize::from(*a % 32), usize::from(*b % 32), usize::from(*d)];
    let mut bdat = BdatDecoder::new(Limits::default());
    let mut buf = BytesMut::new();
    let mut at = 0;
    let mut next_piece = cut(input, &points).into_iter();
    for (i, &size) in sizes.iter().enumerate() {
        if at + size > input.len() {
            break;
        }
        let last = i + 1 == sizes.len();
        assert_eq!(bdat.chunk(size as u64, last), Ok(()));
        let mut chunk = Vec::new();
        loop {
            match bdat.decode(&mut buf) {
                Ok(Some(BdatEvent::Data(b))) => chunk.extend_from_slice(&b),
                Ok(Some(BdatEvent::ChunkEnd { last: l })) => {
                    assert_eq!(l, last);
                    break;
                }
                Ok(None) => match next_piece.next() {
                    Some(p) => buf.extend_from_slice(p),
                    None => panic!("BDAT wants more than the input holds"),
                },
                Err(e) => panic!("BDAT error {e:?}"),
            }
        }
        assert_eq!(chunk, input.get(at..at + size).unwrap_or_default());
        at += size;
    }
}
