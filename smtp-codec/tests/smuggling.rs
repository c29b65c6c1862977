//! SMTP smuggling (CVE-2023-51764 Postfix, CVE-2023-51765 Sendmail, CVE-2023-51766 Exim, and
//! the 2024 `<CR><CRLF>.<CR><CRLF>` bypass of a patched Postfix): a hostile table of message
//! contents with the exact result of the DATA decoder for each, strict and with
//! `normalize_bare_line_ends`, fed whole, one byte at a time and cut in two at every point; the
//! same bytes inside a BDAT chunk, where they are plain data; and the client side, where the
//! encoder stuffs and refuses or normalises.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bytes::BytesMut;
use framing::{Decoder, Encoder};
use smtp_codec::bdat::{BdatDecoder, BdatEvent};
use smtp_codec::data::{DataDecoder, DataEncoder, DataEvent};
use smtp_codec::{Error, Leniency, Limits};

/// What the decoder gave: the content (pieces joined), the error if any (the content is what
/// came before it), whether `End` came, and what was left in the buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    content: Vec<u8>,
    error: Option<Error>,
    end: bool,
    rest: Vec<u8>,
}

/// Feeds `pieces` to a fresh decoder; after the last one, `decode_eof` until nothing comes.
fn run(limits: Limits, leniency: Leniency, pieces: &[&[u8]]) -> Outcome {
    let mut decoder = DataDecoder::new(limits, leniency);
    let mut buf = BytesMut::new();
    let mut out = Outcome {
        content: Vec::new(),
        error: None,
        end: false,
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
                    assert!(!d.is_empty(), "an empty Data piece");
                    assert!(out.error.is_none(), "content after an error");
                    assert!(!out.end, "content after End");
                    out.content.extend_from_slice(&d);
                }
                Ok(Some(DataEvent::End)) => {
                    assert!(!out.end, "End twice");
                    out.end = true;
                }
                Ok(None) => break,
                Err(e) => {
                    assert!(
                        out.error.is_none(),
                        "a second error {e:?} after {:?}",
                        out.error
                    );
                    out.error = Some(e);
                }
            }
        }
    }
    out.rest = buf.to_vec();
    out
}

/// Runs `input` whole, byte by byte and cut in two at every point; all must agree.
fn run_all_splits(limits: Limits, leniency: Leniency, input: &[u8]) -> Outcome {
    let whole = run(limits, leniency, &[input]);
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(run(limits, leniency, &bytes), whole, "byte by byte");
    for cut in 0..=input.len() {
        let (a, b) = input.split_at(cut);
        assert_eq!(run(limits, leniency, &[a, b]), whole, "cut at {cut}");
    }
    whole
}

/// One row: an input and what it gives strict and lenient.
struct Case {
    name: &'static str,
    input: Vec<u8>,
    limits: Limits,
    strict: Outcome,
    lenient: Outcome,
}

const SUBJECT: &[u8] = b"Subject: x\r\n";
const SMUGGLED: &[u8] = b"MAIL FROM:<e@x>\r\n";
const AFTER: &[u8] = b"QUIT\r\n";

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn ended(content: &[u8], error: Option<Error>) -> Outcome {
    Outcome {
        content: content.to_vec(),
        error,
        end: true,
        rest: AFTER.to_vec(),
    }
}

fn bare(offset: u64, byte: u8) -> Option<Error> {
    Some(Error::BareLineEnd { offset, byte })
}

/// A smuggling row: `Subject: x<CRLF>`, the variant, a smuggled command, the real terminator,
/// and a pipelined QUIT. Strict: the content up to `strict_offset`, then the bare line end there;
/// lenient: `lenient_middle` (what the variant normalises to) between them; both end at the real
/// terminator only.
fn smuggling(
    name: &'static str,
    variant: &[u8],
    strict_offset: u64,
    strict_byte: u8,
    strict_content: &[u8],
    lenient_middle: &[u8],
) -> Case {
    Case {
        name,
        input: cat(&[SUBJECT, variant, SMUGGLED, b".\r\n", AFTER]),
        limits: Limits::default(),
        strict: ended(strict_content, bare(strict_offset, strict_byte)),
        lenient: ended(&cat(&[SUBJECT, lenient_middle, SMUGGLED]), None),
    }
}

fn same(name: &'static str, input: Vec<u8>, limits: Limits, outcome: Outcome) -> Case {
    Case {
        name,
        input,
        limits,
        strict: outcome.clone(),
        lenient: outcome,
    }
}

fn table() -> Vec<Case> {
    let s = SUBJECT;
    let s_crlf = cat(&[SUBJECT, b"\r\n"]);
    let small = Limits {
        max_message_size: 10,
        ..Limits::default()
    };
    let long_ok = cat(&[&[b'a'; 998], b"\r\n.\r\n", AFTER]);
    let stuffed_long_ok = cat(&[b".", &[b'a'; 998], b"\r\n.\r\n", AFTER]);
    let long = cat(&[&[b'a'; 999], b"\r\n.\r\n", AFTER]);
    let second_long = cat(&[b"ab\r\n", &[b'b'; 1000], b"\r\n.\r\n", AFTER]);
    let lifted = Limits {
        max_content_line: None,
        ..Limits::default()
    };
    let huge_line = cat(&[&[b'c'; 5000], b"\r\n.\r\n", AFTER]);
    vec![
        // The end-of-data variants of the SMTP smuggling research, after a CRLF-ended line.
        smuggling("LF.LF", b"\n.\n", 12, b'\n', s, b"\r\n\r\n"),
        smuggling("LF.CR", b"\n.\r", 12, b'\n', s, b"\r\n\r\n"),
        smuggling("CR.LF", b"\r.\n", 12, b'\r', s, b"\r\n\r\n"),
        smuggling("CR.CR", b"\r.\r", 12, b'\r', s, b"\r\n\r\n"),
        smuggling("LF.CRLF", b"\n.\r\n", 12, b'\n', s, b"\r\n\r\n"),
        smuggling("CR.CRLF", b"\r.\r\n", 12, b'\r', s, b"\r\n\r\n"),
        smuggling("CRLF.LF", b"\r\n.\n", 15, b'\n', &s_crlf, b"\r\n\r\n"),
        smuggling("CRLF.CR", b"\r\n.\r", 15, b'\r', &s_crlf, b"\r\n\r\n"),
        smuggling(
            "CRLF.CRCRLF",
            b"\r\n.\r\r\n",
            15,
            b'\r',
            &s_crlf,
            b"\r\n\r\n\r\n",
        ),
        smuggling(
            "CRCRLF.CRCRLF (2024 Postfix bypass)",
            b"\r\r\n.\r\r\n",
            12,
            b'\r',
            s,
            b"\r\n\r\n\r\n\r\n",
        ),
        same(
            "CRLF NUL.CRLF is content",
            cat(&[SUBJECT, b"\r\n\x00.\r\n", SMUGGLED, b".\r\n", AFTER]),
            Limits::default(),
            ended(&cat(&[SUBJECT, b"\r\n\x00.\r\n", SMUGGLED]), None),
        ),
        // The same variants replacing the whole terminator (no CRLF before them).
        smuggling(
            "a control octet, LF.LF",
            b"\x08\n.\n",
            13,
            b'\n',
            b"Subject: x\r\n\x08",
            b"\x08\r\n\r\n",
        ),
        Case {
            name: "line then LF.CRLF",
            input: cat(&[b"Subject: x\n.\r\n", SMUGGLED, b".\r\n", AFTER]),
            limits: Limits::default(),
            strict: ended(b"Subject: x", bare(10, b'\n')),
            lenient: ended(&cat(&[b"Subject: x\r\n\r\n", SMUGGLED]), None),
        },
        Case {
            name: "line then CR.CRLF",
            input: cat(&[b"Subject: x\r.\r\n", SMUGGLED, b".\r\n", AFTER]),
            limits: Limits::default(),
            strict: ended(b"Subject: x", bare(10, b'\r')),
            lenient: ended(&cat(&[b"Subject: x\r\n\r\n", SMUGGLED]), None),
        },
        Case {
            name: "line then CRLF.LF",
            input: cat(&[b"Subject: x\r\n.\n", SMUGGLED, b".\r\n", AFTER]),
            limits: Limits::default(),
            strict: ended(b"Subject: x\r\n", bare(13, b'\n')),
            lenient: ended(&cat(&[b"Subject: x\r\n\r\n", SMUGGLED]), None),
        },
        // The start of the content is the start of a line.
        same(
            "first line is the terminator",
            cat(&[b".\r\n", AFTER]),
            Limits::default(),
            ended(b"", None),
        ),
        same(
            "first line stuffed",
            cat(&[b"..first\r\n.\r\n", AFTER]),
            Limits::default(),
            ended(b".first\r\n", None),
        ),
        same(
            "first line a lone stuffed dot",
            cat(&[b"..\r\n.\r\n", AFTER]),
            Limits::default(),
            ended(b".\r\n", None),
        ),
        Case {
            name: "first line LF.CRLF",
            input: cat(&[b"\n.\r\n", SMUGGLED, b".\r\n", AFTER]),
            limits: Limits::default(),
            strict: ended(b"", bare(0, b'\n')),
            lenient: ended(&cat(&[b"\r\n\r\n", SMUGGLED]), None),
        },
        Case {
            name: "first line .LF",
            input: cat(&[b".\n", SMUGGLED, b".\r\n", AFTER]),
            limits: Limits::default(),
            strict: ended(b"", bare(1, b'\n')),
            lenient: ended(&cat(&[b"\r\n", SMUGGLED]), None),
        },
        same(
            "dots inside lines stay",
            cat(&[b"a.b\r\n.\r\n", AFTER]),
            Limits::default(),
            ended(b"a.b\r\n", None),
        ),
        same(
            "only the first dot of a line goes",
            cat(&[b"...\r\n.\r\n", AFTER]),
            Limits::default(),
            ended(b"..\r\n", None),
        ),
        same(
            "empty lines",
            cat(&[b"\r\n\r\n.\r\n", AFTER]),
            Limits::default(),
            ended(b"\r\n\r\n", None),
        ),
        // NUL and other controls are content (RFC 5321 §4.1.1.4: any of the 128 ASCII codes).
        same(
            "NUL bytes",
            cat(&[b"a\x00b\r\n\x00\r\n.\x00\r\n.\r\n", AFTER]),
            Limits::default(),
            ended(b"a\x00b\r\n\x00\r\n\x00\r\n", None),
        ),
        // Line limits: 1000 octets with the CRLF, the stuffed dot not counted.
        same(
            "line of 998 + CRLF",
            long_ok,
            Limits::default(),
            ended(&cat(&[&[b'a'; 998], b"\r\n"]), None),
        ),
        same(
            "stuffed line of 998 + CRLF",
            stuffed_long_ok,
            Limits::default(),
            ended(&cat(&[&[b'a'; 998], b"\r\n"]), None),
        ),
        same(
            "line of 999 + CRLF",
            long,
            Limits::default(),
            ended(
                &[b'a'; 998],
                Some(Error::LineTooLong {
                    offset: 0,
                    what: "text line",
                    limit: 1000,
                }),
            ),
        ),
        same(
            "second line over",
            second_long,
            Limits::default(),
            ended(
                &cat(&[b"ab\r\n", &[b'b'; 998]]),
                Some(Error::LineTooLong {
                    offset: 4,
                    what: "text line",
                    limit: 1000,
                }),
            ),
        ),
        same(
            "line limit lifted",
            huge_line,
            lifted,
            ended(&cat(&[&[b'c'; 5000], b"\r\n"]), None),
        ),
        // max_message_size counts the content after unstuffing.
        same(
            "message over max_message_size",
            cat(&[b"0123456789\r\n.\r\n", AFTER]),
            small,
            ended(
                b"0123456789",
                Some(Error::TooLarge {
                    offset: 10,
                    what: "message",
                    limit: 10,
                }),
            ),
        ),
        same(
            "message at max_message_size",
            cat(&[b"..012345\r\n.\r\n", AFTER]),
            Limits {
                max_message_size: 9,
                ..Limits::default()
            },
            ended(b".012345\r\n", None),
        ),
        same(
            "over max_message_size cut inside CRLF",
            cat(&[b"012345678\r\n.\r\n", AFTER]),
            small,
            ended(
                b"012345678\r",
                Some(Error::TooLarge {
                    offset: 10,
                    what: "message",
                    limit: 10,
                }),
            ),
        ),
        Case {
            name: "over max_message_size cut inside CRLF, then a bare LF",
            input: cat(&[b"012345678\r\n\n.\r\n.\r\n", AFTER]),
            limits: small,
            strict: ended(
                b"012345678\r",
                Some(Error::TooLarge {
                    offset: 10,
                    what: "message",
                    limit: 10,
                }),
            ),
            lenient: ended(
                b"012345678\r",
                Some(Error::TooLarge {
                    offset: 10,
                    what: "message",
                    limit: 10,
                }),
            ),
        },
        // A bare line end cannot end the skipping after an error either.
        Case {
            name: "skipping after an error ends at CRLF.CRLF only",
            input: cat(&[b"a\nb\n.\nc\r.\r\r\n.\r\n", AFTER]),
            limits: Limits::default(),
            strict: ended(b"a", bare(1, b'\n')),
            lenient: ended(b"a\r\nb\r\n\r\nc\r\n\r\n\r\n", None),
        },
        // The input ends inside the content.
        Case {
            name: "truncated",
            input: b"abc\r\n.".to_vec(),
            limits: Limits::default(),
            strict: Outcome {
                content: b"abc\r\n".to_vec(),
                error: Some(Error::Truncated {
                    offset: 6,
                    inside: "message content",
                }),
                end: false,
                rest: b".".to_vec(),
            },
            lenient: Outcome {
                content: b"abc\r\n".to_vec(),
                error: Some(Error::Truncated {
                    offset: 6,
                    inside: "message content",
                }),
                end: false,
                rest: b".".to_vec(),
            },
        },
    ]
}

#[test]
fn hostile_table_data() {
    let lenient = Leniency::strict().normalize_bare_line_ends(true);
    let table = table();
    assert!(table.len() >= 30, "{} rows", table.len());
    for case in &table {
        let strict = run_all_splits(case.limits, Leniency::strict(), &case.input);
        assert_eq!(strict, case.strict, "{} (strict)", case.name);
        let got = run_all_splits(case.limits, lenient, &case.input);
        assert_eq!(got, case.lenient, "{} (lenient)", case.name);
    }
}

/// Every row's bytes inside one BDAT chunk are data, exactly: nothing ends the chunk early.
#[test]
fn hostile_table_bdat() {
    for case in table() {
        let mut pieces: Vec<Vec<u8>> = vec![case.input.clone()];
        pieces.extend(case.input.chunks(1).map(<[u8]>::to_vec));
        for split in [false, true] {
            let mut decoder = BdatDecoder::new(Limits::default());
            decoder.chunk(case.input.len() as u64, true).unwrap();
            let mut buf = BytesMut::new();
            let mut data = Vec::new();
            let mut ends = Vec::new();
            let chunks: Vec<&[u8]> = if split {
                case.input.chunks(1).collect()
            } else {
                vec![&case.input[..]]
            };
            for piece in chunks {
                buf.extend_from_slice(piece);
                while let Some(event) = decoder.decode(&mut buf).unwrap() {
                    match event {
                        BdatEvent::Data(d) => data.extend_from_slice(&d),
                        BdatEvent::ChunkEnd { last } => ends.push(last),
                    }
                }
            }
            buf.extend_from_slice(AFTER);
            assert_eq!(decoder.decode(&mut buf).unwrap(), None, "{}", case.name);
            assert_eq!(data, case.input, "{}", case.name);
            assert_eq!(ends, [true], "{}", case.name);
            assert_eq!(&buf[..], AFTER, "{}", case.name);
        }
    }
}

/// The client side: what the encoder writes for hostile content, strict and lenient.
#[test]
fn hostile_table_encoder() {
    type Expected = Result<&'static [u8], Error>;
    let rows: &[(&[u8], Expected, &[u8])] = &[
        (b".first", Ok(b"..first\r\n.\r\n"), b"..first\r\n.\r\n"),
        (b".\r\n", Ok(b"..\r\n.\r\n"), b"..\r\n.\r\n"),
        (
            b"x\n.\n",
            Err(Error::BareLineEnd {
                offset: 1,
                byte: b'\n',
            }),
            b"x\r\n..\r\n.\r\n",
        ),
        (
            b"x\r\n.\r",
            Err(Error::BareLineEnd {
                offset: 4,
                byte: b'\r',
            }),
            b"x\r\n..\r\n.\r\n",
        ),
        (
            b"x\r.\r\n",
            Err(Error::BareLineEnd {
                offset: 1,
                byte: b'\r',
            }),
            b"x\r\n..\r\n.\r\n",
        ),
        (
            b"x\r\r\n.\r\r\n",
            Err(Error::BareLineEnd {
                offset: 1,
                byte: b'\r',
            }),
            b"x\r\n\r\n..\r\n\r\n.\r\n",
        ),
        (b"\x00.\r\n", Ok(b"\x00.\r\n.\r\n"), b"\x00.\r\n.\r\n"),
        (b"", Ok(b".\r\n"), b".\r\n"),
    ];
    let lenient = Leniency::strict().normalize_bare_line_ends(true);
    for &(content, ref strict, lenient_wire) in rows {
        for split in [false, true] {
            let encode = |leniency: Leniency| -> Result<Vec<u8>, Error> {
                let mut e = DataEncoder::new(Limits::default(), leniency);
                let mut wire = BytesMut::new();
                if split {
                    for b in content.chunks(1) {
                        e.encode(b, &mut wire)?;
                    }
                } else {
                    e.encode(content, &mut wire)?;
                }
                e.finish(&mut wire)?;
                Ok(wire.to_vec())
            };
            assert_eq!(
                encode(Leniency::strict()),
                strict.clone().map(<[u8]>::to_vec),
                "{content:?}"
            );
            let wire = encode(lenient).unwrap();
            assert_eq!(wire, lenient_wire, "{content:?}");
            // What the lenient encoder writes, a strict decoder reads: one End, at the end.
            let got = run_all_splits(Limits::default(), Leniency::strict(), &wire);
            assert!(
                got.end && got.error.is_none() && got.rest.is_empty(),
                "{got:?}"
            );
        }
    }
}
