//! Replies through [`ReplyDecoder`] and [`ReplyEncoder`]: the server side of RFC 5321 Appendix D,
//! multi-line assembly, enhanced status codes, the EHLO reply as [`Capabilities`], hostile reply
//! streams with their exact errors, and properties (encode then decode is identity, any split
//! gives the same replies).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bytes::BytesMut;
use framing::Encoder;
use framing::testing::{cut, decode_pieces};
use proptest::prelude::*;
use smtp_codec::error::Found;
use smtp_codec::{
    Capabilities, Capability, EnhancedCode, Error, Leniency, Limits, Reply, ReplyDecoder,
    ReplyEncoder,
};

fn decode_all(pieces: &[&[u8]], limits: Limits, leniency: Leniency) -> Vec<Result<Reply, Error>> {
    decode_pieces(&mut ReplyDecoder::new(limits, leniency), pieces, |e| {
        !matches!(e, Error::Truncated { .. })
    })
}

fn strict(input: &[u8]) -> Vec<Result<Reply, Error>> {
    decode_all(&[input], Limits::default(), Leniency::strict())
}

/// The server's replies of RFC 5321 Appendix D.1 and D.4, decoded and re-encoded byte for byte.
#[test]
fn rfc5321_appendix_d_replies() {
    let d1: &[u8] = b"220 foo.com Simple Mail Transfer Service Ready\r\n\
250-foo.com greets bar.com\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250 HELP\r\n\
250 OK\r\n250 OK\r\n250 OK\r\n550 No such user here\r\n250 OK\r\n\
354 Start mail input; end with <CRLF>.<CRLF>\r\n250 OK\r\n\
221 foo.com Service closing transmission channel\r\n";
    let replies: Vec<Reply> = strict(d1).into_iter().map(Result::unwrap).collect();
    assert_eq!(replies.len(), 10);
    assert_eq!(replies[0].code(), 220);
    assert_eq!(replies[1].lines().len(), 5);
    assert_eq!(replies[5].code(), 550);
    assert_eq!(
        replies[7].lines(),
        ["Start mail input; end with <CRLF>.<CRLF>"]
    );
    let caps = Capabilities::from_ehlo(&replies[1]).unwrap();
    assert_eq!(caps.domain().as_str(), "foo.com");
    assert_eq!(caps.greeting(), Some("greets bar.com"));
    assert!(caps.contains(&Capability::EightBitMime));
    assert!(caps.contains(&Capability::Size(None)));
    assert!(caps.contains(&Capability::Dsn));
    assert!(caps.has("HELP"));
    let mut enc = ReplyEncoder::default();
    let mut out = BytesMut::new();
    for r in &replies {
        enc.encode(r, &mut out).unwrap();
    }
    assert_eq!(&out[..], d1);

    let d4: &[u8] = b"250 Crispin, Terry <tcrispin@foo.com>\r\n\
553- User ambiguous; possibilities are\r\n553-Donald Duck <Donald.Duck@example.org>\r\n\
553-Slim Pickens <Slim.Pickens@example.org>\r\n553 Don Knuth <Don.Knuth@example.org>\r\n";
    let replies: Vec<Reply> = strict(d4).into_iter().map(Result::unwrap).collect();
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[1].lines()[0], " User ambiguous; possibilities are");
    assert_eq!(replies[1].to_bytes(), &d4[39..]);
}

/// Enhanced status codes (RFC 3463, RFC 2034 §4), typed when every line has the same one of the
/// reply's class; the text after them is what `wire` prints as `lines`.
#[test]
fn enhanced_status_codes() {
    let input: &[u8] =
        b"250 2.1.0 Sender <a@b> OK\r\n550-5.1.1 no such user\r\n550 5.1.1 try again\r\n\
250-2.0.0 a\r\n250 2.0.1 b\r\n451 5.0.0 class mismatch\r\n250 2.0.0\r\n";
    let r: Vec<Reply> = strict(input).into_iter().map(Result::unwrap).collect();
    let e = |class, subject, detail| EnhancedCode {
        class,
        subject,
        detail,
    };
    assert_eq!(r[0].enhanced(), Some(e(2, 1, 0)));
    assert_eq!(r[0].enhanced().unwrap().to_string(), "2.1.0");
    assert_eq!(r[0].texts(), ["Sender <a@b> OK"]);
    assert_eq!(r[1].enhanced(), Some(e(5, 1, 1)));
    assert_eq!(r[1].texts(), ["no such user", "try again"]);
    assert_eq!(r[2].enhanced(), None);
    assert_eq!(r[2].texts(), ["2.0.0 a", "2.0.1 b"]);
    assert_eq!(r[3].enhanced(), None);
    assert_eq!(r[4].enhanced(), Some(e(2, 0, 0)));
    assert_eq!(r[4].texts(), [""]);
}

/// Code-only replies (`Reply-code [ SP textstring ] CRLF`) and empty continuation lines.
#[test]
fn code_only_replies() {
    let r: Vec<Reply> = strict(b"250\r\n250-\r\n250-x\r\n250\r\n")
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(r[0].lines(), [""]);
    assert_eq!(r[1].lines(), ["", "x", ""]);
    assert_eq!(r[1].to_bytes(), b"250-\r\n250-x\r\n250\r\n");
    assert_eq!(r[1].to_string(), "250-\n250-x\n250");
}

/// RFC 4954 §4: `continue-req = "334" SP [base64] CRLF`: an empty challenge keeps its SP both
/// ways; any other code with an SP and no text is refused (RFC 5321 §4.2).
#[test]
fn empty_334_challenge() {
    let r = strict(b"334 \r\n").remove(0).unwrap();
    assert_eq!(r.lines(), [""]);
    assert_eq!(r.sasl_challenge(), Some(Vec::new()));
    assert_eq!(r.to_bytes(), b"334 \r\n");
    assert_eq!(r.to_string(), "334 ");
    let mut out = BytesMut::new();
    ReplyEncoder::default().encode(&r, &mut out).unwrap();
    assert_eq!(&out[..], b"334 \r\n");
    assert!(matches!(
        strict(b"250 \r\n").remove(0),
        Err(Error::Syntax {
            offset: 4,
            production: "textstring",
            ..
        })
    ));
}

/// Hostile reply streams: the exact error, and the decoder goes on with the next reply.
#[test]
fn hostile_replies() {
    let syntax = |offset, production| move |e: &Error| matches!(e, Error::Syntax { offset: o, production: p, .. } if *o == offset && *p == production);
    // Mixed codes: refused at the line that changes code; the partial reply is dropped.
    let out = strict(b"250-a\r\n251 b\r\n221 bye\r\n");
    assert!(syntax(7, "Reply-code")(out[0].as_ref().unwrap_err()));
    assert_eq!(out[1].as_ref().unwrap().code(), 221);

    for (input, offset, production) in [
        (&b"25 x\r\n"[..], 0, "Reply-code"),
        (b"199 x\r\n", 0, "Reply-code"),
        (b"600 x\r\n", 0, "Reply-code"),
        (b"260 x\r\n", 0, "Reply-code"),
        (b"250 \r\n", 4, "textstring"),
        (b"250x\r\n", 3, "Reply-line"),
        (b"2500 x\r\n", 3, "Reply-line"),
        (b"250 a\0b\r\n", 5, "textstring"),
        (b"250 a\xffb\r\n", 5, "textstring"),
        (b"250 a\x1bb\r\n", 5, "textstring"),
    ] {
        let mut s = input.to_vec();
        s.extend_from_slice(b"221 bye\r\n");
        let out = strict(&s);
        assert!(
            syntax(offset, production)(out[0].as_ref().unwrap_err()),
            "{}: {:?}",
            String::from_utf8_lossy(input),
            out[0]
        );
        assert_eq!(out[1].as_ref().unwrap().code(), 221);
        assert_eq!(out.len(), 2);
    }
    assert_eq!(
        strict(b"250 a\0b\r\n")[0],
        Err(Error::Syntax {
            offset: 5,
            production: "textstring",
            found: Found::Byte(0),
            reason: "tab, printable ASCII or UTF-8 in reply text, RFC 5321 §4.2"
        })
    );

    // Bare LF: refused, the rest of the line skipped; with the leniency, a line end.
    let out = strict(b"250 a\nb\r\n221 bye\r\n");
    assert_eq!(
        out[0],
        Err(Error::BareLineEnd {
            offset: 5,
            byte: b'\n'
        })
    );
    assert_eq!(out[1].as_ref().unwrap().code(), 221);
    let lenient = decode_all(
        &[b"250-a\n250 b\n"],
        Limits::default(),
        Leniency::strict().normalize_bare_line_ends(true),
    );
    assert_eq!(lenient[0].as_ref().unwrap().lines(), ["a", "b"]);

    // Too many lines: refused once, the rest of that reply dropped, the next reply decodes.
    let limits = Limits {
        max_reply_lines: 3,
        ..Limits::default()
    };
    let many = b"250-1\r\n250-2\r\n250-3\r\n250-4\r\n250-5\r\n250 6\r\n221 bye\r\n";
    let out = decode_all(&[many], limits, Leniency::strict());
    assert_eq!(
        out[0],
        Err(Error::TooLarge {
            offset: 21,
            what: "reply lines",
            limit: 3
        })
    );
    assert_eq!(out[1].as_ref().unwrap().code(), 221);
    assert_eq!(out.len(), 2);

    // A line over max_reply_line (512, CRLF included).
    let long = format!("250 {}\r\n221 bye\r\n", "x".repeat(507));
    let out = strict(long.as_bytes());
    assert_eq!(
        out[0],
        Err(Error::LineTooLong {
            offset: 0,
            what: "reply line",
            limit: 512
        })
    );
    assert_eq!(out[1].as_ref().unwrap().code(), 221);
    let fits = format!("250 {}\r\n", "x".repeat(506));
    assert!(strict(fits.as_bytes())[0].is_ok());

    // The end of input inside a multi-line reply.
    assert_eq!(
        strict(b"250-a\r\n"),
        vec![Err(Error::Truncated {
            offset: 7,
            inside: "multi-line reply"
        })]
    );
}

/// The encoder refuses what the decoder would refuse.
#[test]
fn encoder_limits() {
    let mut enc = ReplyEncoder::new(Limits {
        max_reply_lines: 2,
        max_reply_line: 16,
        ..Limits::default()
    });
    let mut out = BytesMut::new();
    assert!(
        enc.encode(Reply::new(250, ["a", "b", "c"]).unwrap(), &mut out)
            .is_err()
    );
    assert!(
        enc.encode(Reply::new(250, ["1234567890a"]).unwrap(), &mut out)
            .is_err()
    );
    assert!(
        enc.encode(Reply::new(250, ["1234567890"]).unwrap(), &mut out)
            .is_ok()
    );
    assert_eq!(&out[..], b"250 1234567890\r\n");
    // A code-only line is five octets.
    let mut tight = ReplyEncoder::new(Limits {
        max_reply_line: 5,
        ..Limits::default()
    });
    assert!(
        tight
            .encode(Reply::new(250, [""]).unwrap(), &mut out)
            .is_ok()
    );
    assert!(
        tight
            .encode(Reply::new(250, ["", ""]).unwrap(), &mut out)
            .is_err()
    );
}

/// Every two-piece split and one byte at a time give what the whole gives.
#[test]
fn every_split() {
    let input: &[u8] = b"220 hi\r\n250-a\r\n250-\r\n250 b\r\n250-x\r\n251 y\r\n25\r\n\
250 a\nb\r\n250-1\r\n250-2\r\n250-3\r\n250 4\r\n354 go\r\n250-tail";
    for lenient in [false, true] {
        let l = Leniency::strict().normalize_bare_line_ends(lenient);
        let limits = Limits {
            max_reply_lines: 3,
            max_reply_line: 12,
            ..Limits::default()
        };
        let whole = decode_all(&[input], limits, l);
        for at in 0..=input.len() {
            assert_eq!(
                whole,
                decode_all(&cut(input, &[at]), limits, l),
                "cut at {at}"
            );
        }
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        assert_eq!(whole, decode_all(&bytes, limits, l));
    }
}

fn reply() -> impl Strategy<Value = Reply> {
    let code = (2u16..=5, 0u16..=5, 0u16..=9).prop_map(|(a, b, c)| a * 100 + b * 10 + c);
    let line = prop_oneof![
        Just(String::new()),
        "[\t -~]{1,20}",
        "[a-z ]{0,5}é[a-z]{0,3}",
        "[245]\\.[0-9]{1,3}\\.[0-9]{1,3} [a-z]{0,8}",
    ];
    (code, proptest::collection::vec(line, 1..6))
        .prop_map(|(code, lines)| Reply::new(code, lines).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn encode_then_decode_is_identity(
        replies in proptest::collection::vec(reply(), 1..6),
        points in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let mut enc = ReplyEncoder::default();
        let mut buf = BytesMut::new();
        for r in &replies {
            enc.encode(r, &mut buf).unwrap();
        }
        let got: Vec<Reply> = decode_all(&[&buf], Limits::default(), Leniency::strict())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        prop_assert_eq!(&got, &replies);
        let split = decode_all(&cut(&buf, &points), Limits::default(), Leniency::strict());
        prop_assert_eq!(split.into_iter().map(Result::unwrap).collect::<Vec<_>>(), replies);
    }

    #[test]
    fn hostile_bytes_split_the_same(
        tokens in proptest::collection::vec(prop_oneof![
            Just(&b"250"[..]), Just(&b"251"[..]), Just(&b"-"[..]), Just(&b" "[..]), Just(&b"x"[..]),
            Just(&b"2.0.0"[..]), Just(&b"\r\n"[..]), Just(&b"\r"[..]), Just(&b"\n"[..]), Just(&b"\0"[..]),
        ], 0..40),
        points in proptest::collection::vec(any::<usize>(), 0..6),
        lenient in any::<bool>(),
    ) {
        let input = tokens.concat();
        let l = Leniency::strict().normalize_bare_line_ends(lenient);
        let limits = Limits { max_reply_lines: 3, max_reply_line: 16, ..Limits::default() };
        let whole = decode_all(&[&input], limits, l);
        prop_assert_eq!(&whole, &decode_all(&cut(&input, &points), limits, l));
        for r in whole.into_iter().flatten() {
            let bytes = r.to_bytes();
            let again = decode_all(&[&bytes], Limits::default(), Leniency::strict());
            prop_assert_eq!(again, vec![Ok(r)]);
        }
    }
}

/// `Capabilities` of a modern server, and back.
#[test]
fn capabilities_of_a_modern_server() {
    let input = b"250-mx.example.net Hello [192.0.2.7]\r\n250-SIZE 52428800\r\n250-PIPELINING\r\n\
250-AUTH PLAIN LOGIN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-BINARYMIME\r\n\
250-CHUNKING\r\n250-SMTPUTF8\r\n250-DSN\r\n250-REQUIRETLS\r\n250 MT-PRIORITY MIXER\r\n";
    let r = strict(input).remove(0).unwrap();
    let caps = Capabilities::from_ehlo(&r).unwrap();
    assert_eq!(caps.size(), Some(52_428_800));
    assert_eq!(caps.auth_mechanisms().len(), 2);
    for c in [
        Capability::Pipelining,
        Capability::StartTls,
        Capability::EnhancedStatusCodes,
        Capability::EightBitMime,
        Capability::BinaryMime,
        Capability::Chunking,
        Capability::SmtpUtf8,
        Capability::Dsn,
        Capability::RequireTls,
    ] {
        assert!(caps.contains(&c), "{c:?}");
    }
    assert!(caps.contains(&Capability::Other {
        keyword: "MT-PRIORITY".into(),
        params: vec!["MIXER".into()]
    }));
    assert_eq!(caps.to_reply().unwrap(), r);
}
