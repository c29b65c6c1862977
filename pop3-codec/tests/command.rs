//! Command lines through [`CommandDecoder`] and [`CommandEncoder`]: every command of RFC 1939,
//! 2449, 5034, 2595 and 6856 with its arguments, keywords in any case, a table of hostile lines
//! with the exact error each gives (and the proof that the decoder goes on with the next line),
//! message numbers and TOP's line count at their edges, APOP's digest, the limits of RFC 2449 §4
//! (40-octet arguments, 255-octet lines), UTF-8 after UTF8, AUTH and the answers to its
//! challenges, and the encoder's refusals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bytes::BytesMut;
use framing::testing::decode_pieces;
use framing::{Decoder, Encoder};
use pop3_codec::error::Found;
use pop3_codec::{
    Argument, AuthResponse, Command, CommandDecoder, CommandEncoder, Error, InitialResponse,
    Leniency, Limits, Mechanism,
};

fn decode_all(input: &[u8], limits: Limits, leniency: Leniency) -> Vec<Result<Command, Error>> {
    decode_pieces(&mut CommandDecoder::new(limits, leniency), &[input], |e| {
        !matches!(e, Error::Truncated { .. })
    })
}

fn strict(input: &[u8]) -> Vec<Result<Command, Error>> {
    decode_all(input, Limits::default(), Leniency::strict())
}

/// One line, strictly.
fn one(line: &str) -> Result<Command, Error> {
    let mut out = strict(format!("{line}\r\n").as_bytes());
    assert_eq!(out.len(), 1, "{line:?}: {out:?}");
    out.remove(0)
}

fn encode(cmds: &[Command]) -> Vec<u8> {
    let mut enc = CommandEncoder::default();
    let mut out = BytesMut::new();
    for c in cmds {
        enc.encode(c, &mut out).unwrap();
    }
    out.to_vec()
}

fn arg(s: &str) -> Argument {
    Argument::new(s).unwrap()
}

fn mech(s: &str) -> Mechanism {
    Mechanism::new(s).unwrap()
}

/// A syntax error's offset, production and byte found.
type At = (u64, &'static str, Found);

fn syntax(offset: u64, production: &'static str, found: Found) -> At {
    (offset, production, found)
}

/// The offset, production and byte found of a syntax error.
fn where_(e: &Error) -> Option<At> {
    match e {
        Error::Syntax {
            offset,
            production,
            found,
            ..
        } => Some((*offset, production, *found)),
        _ => None,
    }
}

/// The client's lines of RFC 1939 §10's example session (with the APOP of §7), decoded and
/// written back byte for byte.
#[test]
fn rfc1939_example_session() {
    let input =
        b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\nSTAT\r\nLIST\r\nRETR 1\r\nDELE 1\r\n\
RETR 2\r\nDELE 2\r\nQUIT\r\n";
    let cmds: Vec<Command> = strict(input).into_iter().map(Result::unwrap).collect();
    let digest = pop3_codec::apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf");
    assert_eq!(
        cmds,
        vec![
            Command::Apop {
                name: arg("mrose"),
                digest
            },
            Command::Stat,
            Command::List(None),
            Command::Retr(1),
            Command::Dele(1),
            Command::Retr(2),
            Command::Dele(2),
            Command::Quit,
        ]
    );
    assert_eq!(encode(&cmds), input);
}

/// Every command with every shape of its arguments (RFC 1939 §5, §7; RFC 2449 §5; RFC 5034 §4;
/// RFC 2595 §4; RFC 6856 §2, §3): decoded as expected and written back byte for byte.
#[test]
fn every_command_and_its_arguments() {
    let table: Vec<(&str, Command)> = vec![
        ("USER mrose", Command::User(arg("mrose"))),
        ("PASS secret", Command::Pass(arg("secret"))),
        (
            "APOP mrose c4c9334bac560ecc979e58001b3e22fb",
            Command::Apop {
                name: arg("mrose"),
                digest: [
                    0xc4, 0xc9, 0x33, 0x4b, 0xac, 0x56, 0x0e, 0xcc, 0x97, 0x9e, 0x58, 0x00, 0x1b,
                    0x3e, 0x22, 0xfb,
                ],
            },
        ),
        ("STAT", Command::Stat),
        ("LIST", Command::List(None)),
        ("LIST 2", Command::List(Some(2))),
        ("RETR 1", Command::Retr(1)),
        ("DELE 1", Command::Dele(1)),
        ("NOOP", Command::Noop),
        ("RSET", Command::Rset),
        ("QUIT", Command::Quit),
        ("TOP 1 10", Command::Top { msg: 1, lines: 10 }),
        ("TOP 100 3", Command::Top { msg: 100, lines: 3 }),
        ("TOP 1 0", Command::Top { msg: 1, lines: 0 }),
        ("UIDL", Command::Uidl(None)),
        ("UIDL 2", Command::Uidl(Some(2))),
        ("CAPA", Command::Capa),
        (
            "AUTH",
            Command::Auth {
                mechanism: None,
                initial: None,
            },
        ),
        (
            "AUTH GSSAPI",
            Command::Auth {
                mechanism: Some(mech("GSSAPI")),
                initial: None,
            },
        ),
        (
            "AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=",
            Command::Auth {
                mechanism: Some(mech("PLAIN")),
                initial: Some(InitialResponse::new("dGVzdAB0ZXN0AHRlc3Q=").unwrap()),
            },
        ),
        (
            "AUTH EXTERNAL =",
            Command::Auth {
                mechanism: Some(mech("EXTERNAL")),
                initial: Some(InitialResponse::new("=").unwrap()),
            },
        ),
        ("STLS", Command::Stls),
        ("UTF8", Command::Utf8),
        ("LANG", Command::Lang(None)),
        ("LANG es", Command::Lang(Some(arg("es")))),
        ("LANG *", Command::Lang(Some(arg("*")))),
    ];
    for (line, expected) in &table {
        assert_eq!(one(line).as_ref(), Ok(expected), "{line}");
        assert_eq!(expected.to_line().unwrap(), *line);
        assert_eq!(
            encode(std::slice::from_ref(expected)),
            format!("{line}\r\n").as_bytes()
        );
    }
    // RFC 5034 §4's example: the initial response of PLAIN decodes to its three parts.
    let Ok(Command::Auth {
        initial: Some(i), ..
    }) = one("AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=")
    else {
        panic!()
    };
    assert_eq!(i.decode(), b"test\0test\0test");
    assert_eq!(
        pop3_codec::sasl_plain(&i.decode()),
        Some(("test".into(), "test".into(), "test".into()))
    );
    // `=` is an empty initial response, never the same as none (RFC 5034 §4).
    let Ok(Command::Auth {
        initial: Some(i), ..
    }) = one("AUTH EXTERNAL =")
    else {
        panic!()
    };
    assert_eq!(i.decode(), b"");
    assert_eq!(InitialResponse::encode(b"").as_str(), "=");
}

/// What a positive answer to each command looks like (RFC 1939 §5, §7; RFC 2449 §5).
#[test]
fn multi_line_answers() {
    let multi = ["LIST", "UIDL", "RETR 1", "TOP 1 0", "CAPA", "AUTH", "LANG"];
    let single = [
        "LIST 1",
        "UIDL 1",
        "STAT",
        "DELE 1",
        "NOOP",
        "RSET",
        "QUIT",
        "USER a",
        "PASS b",
        "AUTH PLAIN",
        "STLS",
        "UTF8",
        "LANG en",
    ];
    for line in multi {
        assert!(one(line).unwrap().has_multiline_answer(), "{line}");
    }
    for line in single {
        assert!(!one(line).unwrap().has_multiline_answer(), "{line}");
    }
}

/// Keywords are case-insensitive (RFC 1939 §3), written back upper case; arguments keep their
/// case.
#[test]
fn keywords_in_any_case() {
    for line in [
        "stat",
        "Stat",
        "sTaT",
        "list 1",
        "rEtR 1",
        "dele 1",
        "noop",
        "rset",
        "quit",
        "top 1 2",
        "Top 1 2",
        "uidl",
        "capa",
        "stls",
        "utf8",
        "Utf8",
        "lang",
        "auth",
        "auth plain =",
    ] {
        let c = one(line).unwrap();
        assert_eq!(
            c.to_line().unwrap(),
            line.to_ascii_uppercase().replace("PLAIN", "plain")
        );
    }
    assert_eq!(one("user MRose").unwrap(), Command::User(arg("MRose")));
    assert_eq!(one("pAsS SeCrEt").unwrap(), Command::Pass(arg("SeCrEt")));
    // The mechanism name is kept as sent and compared case-insensitively.
    let Ok(Command::Auth {
        mechanism: Some(m), ..
    }) = one("AUTH plain")
    else {
        panic!()
    };
    assert_eq!(m.as_str(), "plain");
    assert!(m.is("PLAIN"));
}

/// Message numbers (RFC 1939 §5: "a message-number ... 1 ... or more"): a u32 from 1, leading
/// zeros read as the number, everything else refused at the first byte that is wrong.
#[test]
fn message_numbers() {
    for (line, expected) in [
        ("RETR 1", Command::Retr(1)),
        ("RETR 007", Command::Retr(7)),
        ("RETR 4294967295", Command::Retr(u32::MAX)),
        ("DELE 0000000001", Command::Dele(1)),
        ("LIST 09", Command::List(Some(9))),
        ("UIDL 010", Command::Uidl(Some(10))),
        (
            "TOP 4294967295 4294967295",
            Command::Top {
                msg: u32::MAX,
                lines: u32::MAX,
            },
        ),
        ("TOP 1 000", Command::Top { msg: 1, lines: 0 }),
    ] {
        assert_eq!(one(line), Ok(expected), "{line}");
    }
    // Leading zeros are not written back.
    assert_eq!(Command::Retr(7).to_line().unwrap(), "RETR 7");
    let b = Found::Byte;
    let refused: &[(&str, (u64, &str, Found), &str)] = &[
        (
            "RETR x",
            syntax(5, "msg", b(b'x')),
            "decimal digits, RFC 1939 §3",
        ),
        (
            "RETR 1x",
            syntax(6, "msg", b(b'x')),
            "decimal digits, RFC 1939 §3",
        ),
        (
            "RETR 1.5",
            syntax(6, "msg", b(b'.')),
            "decimal digits, RFC 1939 §3",
        ),
        (
            "RETR -1",
            syntax(5, "msg", b(b'-')),
            "decimal digits, RFC 1939 §3",
        ),
        (
            "RETR +1",
            syntax(5, "msg", b(b'+')),
            "decimal digits, RFC 1939 §3",
        ),
        (
            "RETR 0x10",
            syntax(6, "msg", b(b'x')),
            "decimal digits, RFC 1939 §3",
        ),
        (
            "RETR 0",
            syntax(5, "msg", b(b'0')),
            "message numbers start at 1, RFC 1939 §5",
        ),
        (
            "DELE 000",
            syntax(5, "msg", b(b'0')),
            "message numbers start at 1, RFC 1939 §5",
        ),
        (
            "LIST 0",
            syntax(5, "msg", b(b'0')),
            "message numbers start at 1, RFC 1939 §5",
        ),
        (
            "UIDL 0",
            syntax(5, "msg", b(b'0')),
            "message numbers start at 1, RFC 1939 §5",
        ),
        (
            "TOP 0 1",
            syntax(4, "msg", b(b'0')),
            "message numbers start at 1, RFC 1939 §5",
        ),
        (
            "RETR 4294967296",
            syntax(5, "msg", b(b'4')),
            "a number below 2^32",
        ),
        (
            "DELE 99999999999999999999",
            syntax(5, "msg", b(b'9')),
            "a number below 2^32",
        ),
        (
            "RETR",
            syntax(4, "msg", Found::End),
            "a message number, RFC 1939 §5",
        ),
        (
            "DELE",
            syntax(4, "msg", Found::End),
            "a message number, RFC 1939 §5",
        ),
        (
            "TOP",
            syntax(3, "msg", Found::End),
            "a message number, RFC 1939 §5",
        ),
        // TOP's line count: 0 or more, below 2^32.
        (
            "TOP 1",
            syntax(5, "number", Found::End),
            "a number of lines, RFC 1939 §7",
        ),
        (
            "TOP 1 -1",
            syntax(6, "number", b(b'-')),
            "decimal digits, RFC 1939 §3",
        ),
        (
            "TOP 1 x",
            syntax(6, "number", b(b'x')),
            "decimal digits, RFC 1939 §3",
        ),
        (
            "TOP 1 4294967296",
            syntax(6, "number", b(b'4')),
            "a number below 2^32",
        ),
        (
            "TOP 1 18446744073709551616",
            syntax(6, "number", b(b'1')),
            "a number below 2^32",
        ),
    ];
    for (line, at, reason) in refused {
        let e = one(line).unwrap_err();
        assert_eq!(where_(&e), Some(*at), "{line}: {e:?}");
        let Error::Syntax { reason: r, .. } = e else {
            unreachable!()
        };
        assert_eq!(r, *reason, "{line}");
    }
}

/// APOP's digest (RFC 1939 §7): exactly 32 lower-case hex digits; the example of §7.
#[test]
fn apop_digest() {
    let digest = pop3_codec::apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf");
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "c4c9334bac560ecc979e58001b3e22fb");
    let c = Command::Apop {
        name: arg("mrose"),
        digest,
    };
    assert_eq!(
        c.to_line().unwrap(),
        "APOP mrose c4c9334bac560ecc979e58001b3e22fb"
    );
    assert_eq!(one("apop mrose c4c9334bac560ecc979e58001b3e22fb"), Ok(c));
    // Every byte value round-trips through the hex.
    let all: [u8; 16] = std::array::from_fn(|i| (i as u8) * 17);
    let c = Command::Apop {
        name: arg("x"),
        digest: all,
    };
    assert_eq!(one(&c.to_line().unwrap()), Ok(c));

    let b = Found::Byte;
    let digest_at = |o, f| Some(syntax(o, "digest", f));
    for (line, expected) in [
        // Upper-case hex is not what §7 sends.
        (
            "APOP mrose C4C9334BAC560ECC979E58001B3E22FB",
            digest_at(11, b(b'C')),
        ),
        (
            "APOP mrose c4c9334bac560ecc979e58001b3e22fB",
            digest_at(42, b(b'B')),
        ),
        (
            "APOP mrose c4c9334bac560ecc979e58001b3e22fg",
            digest_at(42, b(b'g')),
        ),
        // 31 and 33 digits.
        (
            "APOP mrose c4c9334bac560ecc979e58001b3e22f",
            digest_at(42, Found::End),
        ),
        (
            "APOP mrose c4c9334bac560ecc979e58001b3e22fb0",
            digest_at(43, b(b'0')),
        ),
        ("APOP mrose", digest_at(10, Found::End)),
        ("APOP", Some(syntax(4, "param", Found::End))),
        (
            "APOP mrose c4c9334bac560ecc979e58001b3e22fb x",
            Some(syntax(43, "CRLF", b(b' '))),
        ),
    ] {
        assert_eq!(where_(&one(line).unwrap_err()), expected, "{line}");
    }
}

/// PASS takes the rest of the line, spaces included (RFC 1939 §7), within 40 octets.
#[test]
fn pass_with_spaces() {
    assert_eq!(
        one("PASS open sesame"),
        Ok(Command::Pass(Argument::with_spaces("open sesame").unwrap()))
    );
    assert_eq!(
        one("PASS  lead and trail "),
        Ok(Command::Pass(
            Argument::with_spaces(" lead and trail ").unwrap()
        ))
    );
    let forty = format!("PASS {}", "a b ".repeat(10));
    assert_eq!(one(&forty).unwrap().to_line().unwrap(), forty);
    let forty_one = format!("PASS {}x", "a b ".repeat(10));
    assert_eq!(
        one(&forty_one),
        Err(Error::ArgumentTooLong {
            offset: 5,
            limit: 40
        })
    );
    assert_eq!(
        where_(&one("PASS ").unwrap_err()),
        Some(syntax(5, "param", Found::End))
    );
    assert_eq!(
        where_(&one("PASS").unwrap_err()),
        Some(syntax(4, "param", Found::End))
    );
    assert_eq!(
        where_(&one("PASS a\tb").unwrap_err()),
        Some(syntax(6, "param", Found::Byte(b'\t')))
    );
    // USER's name has no spaces.
    assert_eq!(
        where_(&one("USER a b").unwrap_err()),
        Some(syntax(6, "CRLF", Found::Byte(b' ')))
    );
    assert!(Argument::new("open sesame").is_err());
}

/// RFC 2449 §4: arguments of up to 40 octets; the 41st is refused at the argument's start, and
/// the line is consumed, so the next command decodes.
#[test]
fn argument_limit_40() {
    let at = |line: String| strict(format!("{line}\r\nNOOP\r\n").as_bytes());
    for keyword in ["USER", "PASS", "LANG"] {
        let forty = format!("{keyword} {}", "a".repeat(40));
        let out = at(forty);
        assert!(out[0].is_ok(), "{out:?}");
        assert_eq!(out[1], Ok(Command::Noop));
        let out = at(format!("{keyword} {}", "a".repeat(41)));
        assert_eq!(
            out,
            vec![
                Err(Error::ArgumentTooLong {
                    offset: 5,
                    limit: 40
                }),
                Ok(Command::Noop)
            ]
        );
    }
    // The APOP name, a message number with leading zeros, TOP's count, a mechanism name.
    let out = at(format!(
        "APOP {} c4c9334bac560ecc979e58001b3e22fb",
        "n".repeat(41)
    ));
    assert_eq!(
        out[0],
        Err(Error::ArgumentTooLong {
            offset: 5,
            limit: 40
        })
    );
    let out = at(format!("RETR {}1", "0".repeat(39)));
    assert_eq!(out[0], Ok(Command::Retr(1)));
    let out = at(format!("RETR {}1", "0".repeat(40)));
    assert_eq!(
        out[0],
        Err(Error::ArgumentTooLong {
            offset: 5,
            limit: 40
        })
    );
    let out = at(format!("TOP 1 {}", "0".repeat(41)));
    assert_eq!(
        out[0],
        Err(Error::ArgumentTooLong {
            offset: 6,
            limit: 40
        })
    );
    let out = at(format!("AUTH {}", "A".repeat(41)));
    assert_eq!(
        out[0],
        Err(Error::ArgumentTooLong {
            offset: 5,
            limit: 40
        })
    );
    // A mechanism name within 40 octets but over RFC 4422's 20 characters.
    let out = at(format!("AUTH {}", "A".repeat(21)));
    assert_eq!(
        where_(out[0].as_ref().unwrap_err()),
        Some(syntax(25, "sasl-mech", Found::Byte(b'A')))
    );
    // The offset is the stream's: after a first line.
    let out = strict(format!("NOOP\r\nUSER {}\r\n", "u".repeat(41)).as_bytes());
    assert_eq!(
        out[1],
        Err(Error::ArgumentTooLong {
            offset: 11,
            limit: 40
        })
    );
    // A lower limit is honoured.
    let limits = Limits {
        max_argument: 8,
        ..Limits::default()
    };
    let out = decode_all(
        b"USER 12345678\r\nUSER 123456789\r\n",
        limits,
        Leniency::strict(),
    );
    assert_eq!(out[0], Ok(Command::User(arg("12345678"))));
    assert_eq!(
        out[1],
        Err(Error::ArgumentTooLong {
            offset: 20,
            limit: 8
        })
    );
}

/// RFC 2449 §4: command lines of up to 255 octets with the CRLF. AUTH's initial response is
/// bounded by the line only (RFC 5034 §4), so it can fill one.
#[test]
fn line_limit_255() {
    // "AUTH XOAUTH2 " is 13 octets: 240 octets of base64 make 253, 255 with the CRLF.
    let at_limit = format!("AUTH XOAUTH2 {}\r\nNOOP\r\n", "A".repeat(240));
    assert_eq!(at_limit.len(), 255 + 6);
    let out = strict(at_limit.as_bytes());
    assert_eq!(out.len(), 2, "{out:?}");
    let Ok(Command::Auth {
        initial: Some(i), ..
    }) = &out[0]
    else {
        panic!("{out:?}")
    };
    assert_eq!(i.as_str().len(), 240);
    assert_eq!(out[1], Ok(Command::Noop));

    // One over: refused at the line's start, skipped, the next command decodes.
    let over = format!("AUTH XOAUTH2 {}\r\nNOOP\r\n", "A".repeat(241));
    assert_eq!(
        strict(over.as_bytes()),
        vec![
            Err(Error::LineTooLong {
                offset: 0,
                what: "command line",
                limit: 255
            }),
            Ok(Command::Noop)
        ]
    );
    // Far over, arriving in pieces: one error, the line skipped as it arrives.
    let mut d = CommandDecoder::default();
    let mut buf = BytesMut::from(&b"STAT\r\n"[..]);
    assert_eq!(d.decode(&mut buf), Ok(Some(Command::Stat)));
    buf.extend_from_slice(&[b'A'; 200]);
    assert_eq!(d.decode(&mut buf), Ok(None));
    buf.extend_from_slice(&[b'A'; 200]);
    assert_eq!(
        d.decode(&mut buf),
        Err(Error::LineTooLong {
            offset: 6,
            what: "command line",
            limit: 255
        })
    );
    assert!(buf.len() <= 255);
    buf.extend_from_slice(&[b'A'; 5000]);
    assert_eq!(d.decode(&mut buf), Ok(None));
    assert!(buf.is_empty());
    buf.extend_from_slice(b"A\r\nQUIT\r\n");
    assert_eq!(d.decode(&mut buf), Ok(Some(Command::Quit)));
    assert_eq!(d.position(), 6 + 5401 + 2 + 6);
    // The encoder refuses what the decoder would.
    let too_long = Command::Auth {
        mechanism: Some(mech("XOAUTH2")),
        initial: Some(InitialResponse::new(&"A".repeat(244)).unwrap()),
    };
    let mut out = BytesMut::new();
    assert!(matches!(
        CommandEncoder::default().encode(&too_long, &mut out),
        Err(Error::Local { .. })
    ));
    assert!(out.is_empty());
}

/// USER and PASS carry UTF-8 only after UTF8 was accepted (RFC 6856 §2); other arguments never.
#[test]
fn utf8_after_utf8_only() {
    let input = "USER jörg\r\nPASS pässwort\r\n".as_bytes();
    let out = strict(input);
    assert_eq!(
        out.iter()
            .map(|r| where_(r.as_ref().unwrap_err()))
            .collect::<Vec<_>>(),
        vec![
            Some(syntax(6, "param", Found::Byte(0xc3))),
            Some(syntax(18, "param", Found::Byte(0xc3))),
        ]
    );
    let mut d = CommandDecoder::default();
    d.set_utf8(true);
    let out = decode_pieces(&mut d, &[input], |_| true);
    assert_eq!(
        out,
        vec![
            Ok(Command::User(arg("jörg"))),
            Ok(Command::Pass(arg("pässwort")))
        ]
    );
    // Invalid UTF-8 stays refused; so does UTF-8 in LANG or an APOP name.
    let out = decode_pieces(
        &mut d,
        &[b"USER j\xc3\r\nUSER \xff\r\nUSER a\xc0\x80\r\nLANG \xc3\xa9\r\n"],
        |_| true,
    );
    let wheres: Vec<_> = out
        .iter()
        .map(|r| where_(r.as_ref().unwrap_err()))
        .collect();
    assert_eq!(
        wheres,
        vec![
            Some(syntax(34, "param", Found::Byte(0xc3))),
            Some(syntax(42, "param", Found::Byte(0xff))),
            Some(syntax(51, "param", Found::Byte(0xc0))),
            Some(syntax(60, "param", Found::Byte(0xc3))),
        ]
    );
    let out = decode_pieces(
        &mut d,
        &["APOP jörg c4c9334bac560ecc979e58001b3e22fb\r\n".as_bytes()],
        |_| true,
    );
    assert_eq!(
        where_(out[0].as_ref().unwrap_err()),
        Some(syntax(70, "param", Found::Byte(0xc3)))
    );
    // And off again.
    d.set_utf8(false);
    let out = decode_pieces(&mut d, &["USER jörg\r\n".as_bytes()], |_| true);
    assert!(out[0].is_err());
    // The 40-octet limit counts octets: 20 two-octet characters fit, one more octet does not.
    let mut d = CommandDecoder::default();
    d.set_utf8(true);
    let out = decode_pieces(
        &mut d,
        &[format!("USER {}\r\nUSER a{}\r\n", "ö".repeat(20), "ö".repeat(20)).as_bytes()],
        |_| true,
    );
    assert_eq!(out[0], Ok(Command::User(arg(&"ö".repeat(20)))));
    assert_eq!(
        out[1],
        Err(Error::ArgumentTooLong {
            offset: 52,
            limit: 40
        })
    );
}

/// AUTH (RFC 5034 §4): a mechanism, an optional initial response in padded base64 or `=`.
#[test]
fn auth_command() {
    let b = Found::Byte;
    for (line, expected) in [
        (
            "AUTH PLAIN not-base64",
            syntax(14, "initial-response", b(b'-')),
        ),
        (
            "AUTH PLAIN dGVzdA",
            syntax(17, "initial-response", Found::End),
        ),
        ("AUTH PLAIN abc", syntax(14, "initial-response", Found::End)),
        ("AUTH PLAIN ab=c", syntax(13, "initial-response", b(b'='))),
        ("AUTH PLAIN ==", syntax(11, "initial-response", b(b'='))),
        ("AUTH PLAIN ", syntax(11, "param", Found::End)),
        ("AUTH PL@IN", syntax(7, "sasl-mech", b(b'@'))),
        ("AUTH =", syntax(5, "sasl-mech", b(b'='))),
        ("AUTH PLAIN = x", syntax(12, "CRLF", b(b' '))),
        ("AUTH  PLAIN", syntax(5, "param", b(b' '))),
    ] {
        assert_eq!(where_(&one(line).unwrap_err()), Some(expected), "{line}");
    }
    // A valid initial response longer than 40 octets is fine (bounded by the line only).
    let long = format!("AUTH PLAIN {}", "QUFB".repeat(20));
    assert!(one(&long).is_ok());
    assert!(InitialResponse::new("not base64!").is_err());
    assert!(InitialResponse::new("").is_err());
}

/// The client's answers to `+` challenges (RFC 5034 §4): base64 or `*`, in lines of up to
/// [`Limits::max_auth_line`].
#[test]
fn decode_auth_response() {
    let mut d = CommandDecoder::default();
    let mut buf = BytesMut::from(&b"dGVzdA==\r\n*\r\n\r\nabc\r\nab c\r\nNOOP\r\n"[..]);
    assert_eq!(
        d.decode_auth_response(&mut buf),
        Ok(Some(AuthResponse::Data("dGVzdA==".into())))
    );
    assert_eq!(
        d.decode_auth_response(&mut buf),
        Ok(Some(AuthResponse::Cancel))
    );
    let empty = d.decode_auth_response(&mut buf).unwrap().unwrap();
    assert_eq!(empty.data(), Some(Vec::new()));
    let e = d.decode_auth_response(&mut buf).unwrap_err();
    assert_eq!(where_(&e), Some(syntax(18, "auth-response", Found::End)));
    let e = d.decode_auth_response(&mut buf).unwrap_err();
    assert_eq!(
        where_(&e),
        Some(syntax(22, "auth-response", Found::Byte(b' ')))
    );
    // Commands go on after.
    assert_eq!(d.decode(&mut buf), Ok(Some(Command::Noop)));
    assert_eq!(AuthResponse::Cancel.data(), None);
    assert_eq!(AuthResponse::encode(b"test").line(), Ok("dGVzdA=="));
    assert!(AuthResponse::Data("not base64".into()).line().is_err());

    // An answer may be longer than a command line, up to max_auth_line with its CRLF.
    let limits = Limits {
        max_auth_line: 1026,
        ..Limits::default()
    };
    let mut d = CommandDecoder::new(limits, Leniency::strict());
    let mut buf = BytesMut::new();
    buf.extend_from_slice(&[b'A'; 1024]);
    buf.extend_from_slice(b"\r\n");
    buf.extend_from_slice(&[b'A'; 1028]);
    buf.extend_from_slice(b"\r\nNOOP\r\n");
    assert!(matches!(
        d.decode_auth_response(&mut buf),
        Ok(Some(AuthResponse::Data(t))) if t.len() == 1024
    ));
    assert_eq!(
        d.decode_auth_response(&mut buf),
        Err(Error::LineTooLong {
            offset: 1026,
            what: "AUTH response line",
            limit: 1026
        })
    );
    // Commands are bounded by the command line again.
    assert_eq!(d.decode(&mut buf), Ok(Some(Command::Noop)));
    let mut buf = BytesMut::from(format!("NOOP {}\r\n", "a".repeat(300)).as_bytes());
    assert!(matches!(
        d.decode(&mut buf),
        Err(Error::LineTooLong { limit: 255, .. })
    ));
}

/// Hostile lines, each followed by `NOOP`: the exact error, then the NOOP (the decoder stays in
/// step). `None`: an unknown command.
#[test]
fn hostile_command_lines() {
    let b = Found::Byte;
    let table: &[(&[u8], Option<At>)] = &[
        (b"FOO", None),
        (b"", None),
        (b" STAT", None),
        (b"ST", None),
        (b"RETRIEVE 1", None),
        (b"STAT\t", None),
        (b"\0STAT", None),
        (b"ST\0T", None),
        (b"XTND XMIT", None),
        (b"STAT ", Some(syntax(4, "CRLF", b(b' ')))),
        (b"STAT x", Some(syntax(4, "CRLF", b(b' ')))),
        (b"NOOP\0", None),
        (b"QUIT now", Some(syntax(4, "CRLF", b(b' ')))),
        (b"RSET 1", Some(syntax(4, "CRLF", b(b' ')))),
        (b"CAPA x", Some(syntax(4, "CRLF", b(b' ')))),
        (b"STLS x", Some(syntax(4, "CRLF", b(b' ')))),
        (b"UTF8 x", Some(syntax(4, "CRLF", b(b' ')))),
        (b"LIST 1 2", Some(syntax(6, "CRLF", b(b' ')))),
        (b"LIST  1", Some(syntax(5, "param", b(b' ')))),
        (b"LIST 1 ", Some(syntax(6, "CRLF", b(b' ')))),
        (b"UIDL x", Some(syntax(5, "msg", b(b'x')))),
        (b"TOP 1 2 3", Some(syntax(7, "CRLF", b(b' ')))),
        (b"USER", Some(syntax(4, "param", Found::End))),
        (b"USER a\0b", Some(syntax(6, "param", b(0)))),
        (b"USER \x7f", Some(syntax(5, "param", b(0x7f)))),
        (b"PASS a\0b", Some(syntax(6, "param", b(0)))),
        (b"PASS a\x1bb", Some(syntax(6, "param", b(0x1b)))),
        (b"LANG a b", Some(syntax(6, "CRLF", b(b' ')))),
    ];
    for (line, expected) in table {
        let mut input = line.to_vec();
        input.extend_from_slice(b"\r\nNOOP\r\n");
        let out = strict(&input);
        assert_eq!(out.len(), 2, "{:?}: {out:?}", String::from_utf8_lossy(line));
        match expected {
            None => assert_eq!(out[0], Err(Error::UnknownCommand { offset: 0 })),
            Some(at) => assert_eq!(
                where_(out[0].as_ref().unwrap_err()),
                Some(*at),
                "{:?}",
                String::from_utf8_lossy(line)
            ),
        }
        assert_eq!(
            out[1],
            Ok(Command::Noop),
            "{:?}",
            String::from_utf8_lossy(line)
        );
    }
}

/// Bare line ends (RFC 1939 §3: CRLF ends a line): refused strictly, the bytes up to the next
/// CRLF belonging to the refused line (a bare LF never starts a second command); under
/// `normalize_bare_line_ends` they end lines.
#[test]
fn bare_line_ends() {
    let input = b"STAT\nQUIT\r\nLIST\rDELE 1\r\nNOOP\r\n";
    assert_eq!(
        strict(input),
        vec![
            Err(Error::BareLineEnd {
                offset: 4,
                byte: b'\n'
            }),
            Err(Error::BareLineEnd {
                offset: 15,
                byte: b'\r'
            }),
            Ok(Command::Noop),
        ]
    );
    let lenient = Leniency::from_names(["normalize_bare_line_ends"]).unwrap();
    assert_eq!(
        decode_all(input, Limits::default(), lenient),
        vec![
            Ok(Command::Stat),
            Ok(Command::Quit),
            Ok(Command::List(None)),
            Ok(Command::Dele(1)),
            Ok(Command::Noop),
        ]
    );
    assert_eq!(Leniency::from_names(["nope"]), Err("nope"));
    // The end of the stream inside a line.
    assert_eq!(
        strict(b"STAT\r\nQUI"),
        vec![
            Ok(Command::Stat),
            Err(Error::Truncated {
                offset: 9,
                inside: "command line"
            })
        ]
    );
    assert_eq!(strict(b"STAT\r\n"), vec![Ok(Command::Stat)]);
}

/// What the encoder refuses: values that cannot be built, message number 0, lines over the limit.
#[test]
fn encoder_refusals() {
    for bad in ["", "a b", "a\r\nQUIT", "a\nb", "a\0b", "a\tb", "\x7f"] {
        assert!(Argument::new(bad).is_err(), "{bad:?}");
    }
    for bad in ["", "a\r\nQUIT", "a\0"] {
        assert!(Argument::with_spaces(bad).is_err(), "{bad:?}");
    }
    assert!(Argument::with_spaces("a b").is_ok());
    for c in [
        Command::Retr(0),
        Command::Dele(0),
        Command::Top { msg: 0, lines: 1 },
        Command::List(Some(0)),
        Command::Uidl(Some(0)),
    ] {
        let mut out = BytesMut::new();
        assert!(
            matches!(
                CommandEncoder::default().encode(&c, &mut out),
                Err(Error::Local { .. })
            ),
            "{c:?}"
        );
        assert!(out.is_empty());
    }
    assert!(Mechanism::new("").is_err());
    assert!(Mechanism::new("A23456789012345678901").is_err());
    assert!(Mechanism::new("SCRAM-SHA-256").is_ok());
    assert_eq!(
        encode(&[Command::Top { msg: 1, lines: 0 }, Command::Quit]),
        b"TOP 1 0\r\nQUIT\r\n"
    );
    // AUTH responses are written as lines too.
    let mut out = BytesMut::new();
    let mut enc = CommandEncoder::default();
    enc.encode(&AuthResponse::Cancel, &mut out).unwrap();
    enc.encode(&AuthResponse::encode(b"\0u\0p"), &mut out)
        .unwrap();
    assert_eq!(&out[..], b"*\r\nAHUAcA==\r\n");
}

/// The decoder's offsets count from the stream's start, across lines of every kind.
#[test]
fn offsets_across_lines() {
    let out = strict(b"USER a\r\nPASS b c\r\nRETR 0\r\n");
    assert_eq!(out[0], Ok(Command::User(arg("a"))));
    assert_eq!(
        where_(out[2].as_ref().unwrap_err()),
        Some(syntax(23, "msg", Found::Byte(b'0')))
    );
    let mut d = CommandDecoder::default();
    let mut buf = BytesMut::from(&b"STAT\r\nNOOP\r\n"[..]);
    d.decode(&mut buf).unwrap();
    assert_eq!(d.position(), 6);
    d.decode(&mut buf).unwrap();
    assert_eq!(d.position(), 12);
}
