//! DATA and BDAT content: stuff → unstuff identity, split invariance, "only `<CRLF>.<CRLF>`
//! ends the content" on arbitrary bytes (proptest), and the options (BODY=7BIT, limits,
//! pipelining, reset, BDAT sizes).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bytes::BytesMut;
use framing::testing::cut;
use framing::{Decoder, Encoder};
use proptest::prelude::*;
use smtp_codec::bdat::{BdatDecoder, BdatEvent};
use smtp_codec::data::{DataDecoder, DataEncoder, DataEvent};
use smtp_codec::{Error, Leniency, Limits};

/// Content (joined), the events in order with data collapsed, and what stayed in the buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    content: Vec<u8>,
    /// `Err` entries and `End`, in order (`None` for End).
    marks: Vec<Option<Error>>,
    /// Input octets consumed when End came.
    end_at: Option<u64>,
    rest: Vec<u8>,
}

fn decode(mut decoder: DataDecoder, pieces: &[&[u8]]) -> Outcome {
    let pieces = if pieces.is_empty() {
        &[&b""[..]][..]
    } else {
        pieces
    };
    let mut buf = BytesMut::new();
    let mut out = Outcome {
        content: Vec::new(),
        marks: Vec::new(),
        end_at: None,
        rest: Vec::new(),
    };
    let last = pieces.len().saturating_sub(1);
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
                    assert!(!d.is_empty());
                    assert!(out.marks.is_empty(), "data after an error or End");
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

fn encode(leniency: Leniency, limits: Limits, pieces: &[&[u8]]) -> Result<Vec<u8>, Error> {
    let mut encoder = DataEncoder::new(limits, leniency);
    let mut wire = BytesMut::new();
    for piece in pieces {
        encoder.encode(*piece, &mut wire)?;
    }
    encoder.finish(&mut wire)?;
    Ok(wire.to_vec())
}

/// The content as the lenient encoder sends it: bare CR and bare LF made CRLF, a CRLF added at
/// the end if missing.
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

fn lenient() -> Leniency {
    Leniency::strict().normalize_bare_line_ends(true)
}

/// Bytes that hit the interesting cases often.
fn hostile_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(vec![b'\r', b'\n', b'.', b'a', 0, 0x80]),
            1 => any::<u8>(),
        ],
        0..max,
    )
}

/// CRLF-ended lines of any octets but CR and LF.
fn lines() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop::collection::vec(
            prop_oneof![
                3 => prop::sample::select(vec![b'.', b'a', 0, 0xff]),
                1 => any::<u8>().prop_filter("no CR or LF", |b| *b != b'\r' && *b != b'\n'),
            ],
            0..40,
        ),
        0..12,
    )
    .prop_map(|lines| {
        let mut content = Vec::new();
        for line in lines {
            content.extend_from_slice(&line);
            content.extend_from_slice(b"\r\n");
        }
        content
    })
}

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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Content of CRLF lines, stuffed in any pieces and unstuffed in any pieces, comes back.
    #[test]
    fn stuff_unstuff_identity(
        content in lines(),
        enc_cuts in prop::collection::vec(any::<usize>(), 0..4),
        dec_cuts in prop::collection::vec(any::<usize>(), 0..4),
    ) {
        let wire = encode(Leniency::strict(), Limits::default(), &cut(&content, &enc_cuts)).unwrap();
        let mut piped = wire.clone();
        piped.extend_from_slice(b"QUIT\r\n");
        let decoder = DataDecoder::new(Limits::default(), Leniency::strict());
        let got = decode(decoder, &cut(&piped, &dec_cuts));
        prop_assert_eq!(&got.content, &content);
        prop_assert_eq!(got.marks, vec![None]);
        prop_assert_eq!(got.end_at, Some(wire.len() as u64));
        prop_assert_eq!(got.rest, b"QUIT\r\n".to_vec());
    }

    /// Anything the lenient encoder accepts, a strict decoder reads as one message ending
    /// exactly where the encoder put the terminator; the content is the input with bare line
    /// ends made CRLF (and a CRLF added at the end if missing).
    #[test]
    fn lenient_encoder_output_is_strict(content in hostile_bytes(64), cuts in prop::collection::vec(any::<usize>(), 0..4)) {
        let wire = encode(lenient(), Limits { max_content_line: None, ..Limits::default() }, &cut(&content, &cuts)).unwrap();
        let decoder = DataDecoder::new(Limits { max_content_line: None, ..Limits::default() }, Leniency::strict());
        let got = decode(decoder, &[&wire]);
        prop_assert_eq!(got.marks, vec![None]);
        prop_assert!(got.rest.is_empty());
        prop_assert_eq!(got.content, normalise(&content));
    }

    /// Any cut of any input gives what the whole gives, under every configuration.
    #[test]
    fn split_invariance(input in hostile_bytes(96), cuts in prop::collection::vec(any::<usize>(), 0..6), c in any::<u8>()) {
        let (limits, leniency, seven_bit) = config(c);
        let make = || DataDecoder::new(limits, leniency).seven_bit(seven_bit);
        let whole = decode(make(), &[&input]);
        prop_assert_eq!(decode(make(), &cut(&input, &cuts)), whole.clone());
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        prop_assert_eq!(decode(make(), &bytes), whole);
    }

    /// The content ends only after `<CRLF>.<CRLF>` in the input (or `.<CRLF>` at its start), in
    /// every mode, and nothing after it is consumed.
    #[test]
    fn only_crlf_dot_crlf_ends(input in hostile_bytes(96), c in any::<u8>()) {
        let (limits, leniency, seven_bit) = config(c);
        let got = decode(DataDecoder::new(limits, leniency).seven_bit(seven_bit), &[&input]);
        if let Some(end) = got.end_at {
            let end = end as usize;
            let consumed = &input[..end];
            prop_assert!(consumed == b".\r\n" || consumed.ends_with(b"\r\n.\r\n"), "{:?}", consumed);
            prop_assert_eq!(&got.rest[..], &input[end..]);
            // In strict mode the terminator is the first `<CRLF>.<CRLF>` after a real line start
            // when nothing was refused.
            if got.marks == [None] && !leniency.bare_line_ends() {
                let mut framed = b"\r\n".to_vec();
                framed.extend_from_slice(&input);
                let first = framed.windows(5).position(|w| w == b"\r\n.\r\n").unwrap();
                prop_assert_eq!(first + 3, end);
            }
        } else {
            prop_assert!(matches!(got.marks.last(), Some(Some(Error::Truncated { .. }))), "{:?}", got.marks);
        }
    }

    /// BDAT: any chunk sizes and any cuts give the input back exactly, chunk by chunk.
    #[test]
    fn bdat_exact_and_split_invariant(
        input in hostile_bytes(96),
        sizes in prop::collection::vec(0usize..40, 1..5),
        cuts in prop::collection::vec(any::<usize>(), 0..6),
    ) {
        let total: usize = sizes.iter().sum();
        let input = if input.len() >= total { input } else { [input.clone(), vec![b'x'; total - input.len()]].concat() };
        let run = |pieces: Vec<&[u8]>| {
            let mut d = BdatDecoder::new(Limits::default());
            let mut buf = BytesMut::new();
            let mut chunks: Vec<Vec<u8>> = Vec::new();
            let mut next = 0;
            let mut current = None;
            for piece in pieces {
                buf.extend_from_slice(piece);
                loop {
                    if current.is_none() && next < sizes.len() {
                        d.chunk(sizes[next] as u64, next + 1 == sizes.len()).unwrap();
                        current = Some(Vec::new());
                        next += 1;
                    }
                    match d.decode(&mut buf).unwrap() {
                        Some(BdatEvent::Data(b)) => current.as_mut().unwrap().extend_from_slice(&b),
                        Some(BdatEvent::ChunkEnd { last }) => {
                            assert_eq!(last, next == sizes.len());
                            chunks.push(current.take().unwrap());
                        }
                        None => break,
                    }
                }
            }
            (chunks, buf.to_vec(), d.is_done())
        };
        let (chunks, rest, done) = run(cut(&input, &cuts));
        prop_assert!(done);
        let mut at = 0;
        for (chunk, size) in chunks.iter().zip(&sizes) {
            prop_assert_eq!(&chunk[..], &input[at..at + size]);
            at += size;
        }
        prop_assert_eq!(&rest[..], &input[total..]);
    }
}

#[test]
fn seven_bit_refuses_8bit_octets() {
    let input = b"ok\r\nnot \xc3\xa9\r\n.\r\nQUIT\r\n";
    let got = decode(
        DataDecoder::new(Limits::default(), Leniency::strict()).seven_bit(true),
        &[input],
    );
    assert_eq!(got.content, b"ok\r\nnot ");
    assert!(matches!(
        got.marks[0],
        Some(Error::Syntax {
            offset: 8,
            production: "7bit text",
            ..
        })
    ));
    assert_eq!(got.marks[1], None);
    assert_eq!(got.rest, b"QUIT\r\n");
    let got = decode(
        DataDecoder::new(Limits::default(), Leniency::strict()),
        &[input],
    );
    assert_eq!(got.content, b"ok\r\nnot \xc3\xa9\r\n");
    assert_eq!(got.marks, [None]);
}

#[test]
fn reply_codes() {
    let big = Limits {
        max_message_size: 1,
        ..Limits::default()
    };
    let got = decode(DataDecoder::new(big, Leniency::strict()), &[b"ab\r\n.\r\n"]);
    assert_eq!(got.marks[0].as_ref().unwrap().reply_code(), 552);
    let got = decode(
        DataDecoder::new(Limits::default(), Leniency::strict()),
        &[b"a\nb\r\n.\r\n"],
    );
    assert_eq!(got.marks[0].as_ref().unwrap().reply_code(), 500);
}

#[test]
fn reset_reads_the_next_message() {
    let mut d = DataDecoder::new(Limits::default(), Leniency::strict());
    let mut buf = BytesMut::from(&b"a\r\n.\r\n..b\r\n.\r\n"[..]);
    assert_eq!(
        d.decode(&mut buf).unwrap(),
        Some(DataEvent::Data("a\r\n".into()))
    );
    assert_eq!(d.decode(&mut buf).unwrap(), Some(DataEvent::End));
    assert!(d.is_done());
    assert_eq!(d.decode(&mut buf).unwrap(), None);
    assert_eq!(buf.len(), 8);
    d.reset();
    assert_eq!(
        d.decode(&mut buf).unwrap(),
        Some(DataEvent::Data(".b\r\n".into()))
    );
    assert_eq!(d.decode(&mut buf).unwrap(), Some(DataEvent::End));
    assert_eq!(d.position(), 8);
    assert_eq!(d.size(), 4);
}

#[test]
fn unstuffed_content_is_split_off_the_input() {
    let mut d = DataDecoder::new(Limits::default(), Leniency::strict());
    let mut buf = BytesMut::from(&b"line one\r\nline two\r\n..three\r\n.\r\n"[..]);
    let start = buf.as_ptr();
    let Some(DataEvent::Data(first)) = d.decode(&mut buf).unwrap() else {
        panic!()
    };
    assert_eq!(first, "line one\r\nline two\r\n");
    assert_eq!(first.as_ptr(), start, "not copied");
}

#[test]
fn encoder_line_limit_and_roundtrip_of_events() {
    let mut e = DataEncoder::new(Limits::default(), Leniency::strict());
    let mut wire = BytesMut::new();
    let line = [b'x'; 999];
    assert_eq!(
        e.encode_content(&line, &mut wire),
        Err(Error::LineTooLong {
            offset: 0,
            what: "text line",
            limit: 1000
        })
    );
    assert!(wire.is_empty(), "nothing of a refused piece is written");
    e.encode_content(&line[..998], &mut wire).unwrap();
    e.encode_content(b"\r\n", &mut wire).unwrap();
    let mut lifted = DataEncoder::new(
        Limits {
            max_content_line: None,
            ..Limits::default()
        },
        Leniency::strict(),
    );
    lifted.encode_content(&[b'y'; 5000], &mut wire).unwrap();

    // Events out of the decoder go back into the encoder.
    let input = b"..a\r\nb\r\n.\r\n";
    let mut d = DataDecoder::new(Limits::default(), Leniency::strict());
    let mut buf = BytesMut::from(&input[..]);
    let mut e = DataEncoder::new(Limits::default(), Leniency::strict());
    let mut out = BytesMut::new();
    while let Some(event) = d.decode(&mut buf).unwrap() {
        e.encode(event, &mut out).unwrap();
    }
    assert_eq!(&out[..], input);
}

#[test]
fn bdat_size_is_checked_before_reading() {
    let limits = Limits {
        max_message_size: 100,
        ..Limits::default()
    };
    let mut d = BdatDecoder::new(limits);
    d.chunk(60, false).unwrap();
    let mut buf = BytesMut::from(&[b'\n'; 60][..]);
    assert_eq!(
        d.decode(&mut buf).unwrap(),
        Some(BdatEvent::Data(vec![b'\n'; 60].into()))
    );
    assert_eq!(
        d.decode(&mut buf).unwrap(),
        Some(BdatEvent::ChunkEnd { last: false })
    );
    // 60 + 41 > 100: refused before a byte of it is read, then skipped.
    assert_eq!(
        d.chunk(41, false),
        Err(Error::TooLarge {
            offset: 100,
            what: "message",
            limit: 100
        })
    );
    assert!(d.failed());
    buf.extend_from_slice(&[b'.'; 41]);
    buf.extend_from_slice(b"BDAT 0 LAST\r\n");
    assert_eq!(
        d.decode(&mut buf).unwrap(),
        Some(BdatEvent::ChunkEnd { last: false })
    );
    assert_eq!(&buf[..], b"BDAT 0 LAST\r\n");
    // Later chunks of a failed message are refused too, even small ones.
    assert!(matches!(d.chunk(0, true), Err(Error::TooLarge { .. })));
    assert_eq!(
        d.decode(&mut buf).unwrap(),
        Some(BdatEvent::ChunkEnd { last: true })
    );
    assert!(d.is_done());
    assert!(matches!(d.chunk(1, true), Err(Error::Local { .. })));
    d.reset();
    assert_eq!(
        d.chunk(u64::MAX, true),
        Err(Error::TooLarge {
            offset: 100,
            what: "message",
            limit: 100
        })
    );
    // A size overflowing the running total.
    let mut d = BdatDecoder::new(Limits {
        max_message_size: u64::MAX,
        ..Limits::default()
    });
    d.chunk(5, false).unwrap();
    let mut buf = BytesMut::from(&b"12345"[..]);
    while d.decode(&mut buf).unwrap().is_some() {}
    assert!(matches!(d.chunk(1, false), Ok(())));
    assert!(matches!(d.chunk(2, false), Err(Error::Local { .. })));
    buf.extend_from_slice(b"6");
    while d.decode(&mut buf).unwrap().is_some() {}
    assert_eq!(
        d.chunk(u64::MAX, false),
        Err(Error::TooLarge {
            offset: u64::MAX,
            what: "message",
            limit: u64::MAX
        })
    );
}

#[test]
fn bdat_truncated_and_chunk_order() {
    let mut d = BdatDecoder::new(Limits::default());
    d.chunk(10, true).unwrap();
    let mut buf = BytesMut::from(&b"abc"[..]);
    assert_eq!(
        d.decode_eof(&mut buf).unwrap(),
        Some(BdatEvent::Data("abc".into()))
    );
    assert_eq!(
        d.decode_eof(&mut buf),
        Err(Error::Truncated {
            offset: 3,
            inside: "BDAT chunk"
        })
    );
    assert_eq!(d.decode_eof(&mut buf), Ok(None));
}
