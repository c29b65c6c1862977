//! Command lines through [`CommandDecoder`] and [`CommandEncoder`]: the RFC 5321 Appendix D
//! scenarios, a table of hostile lines with the exact error each gives (and the proof that the
//! decoder goes on with the next line), the line limit, bare line ends strict and lenient, the
//! BDAT and AUTH hand-offs, and the encoder's refusals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bytes::BytesMut;
use framing::testing::{cut, decode_pieces};
use framing::{Decoder, Encoder};
use smtp_codec::error::Found;
use smtp_codec::{
    Argument, AuthResponse, Body, Command, CommandDecoder, CommandEncoder, Domain, Error,
    ForwardPath, InitialResponse, Leniency, Limits, Mailbox, Mechanism, Notify, OtherParameter,
    Parameter, ReversePath, XText,
};

fn decode_all(input: &[u8], limits: Limits, leniency: Leniency) -> Vec<Result<Command, Error>> {
    decode_pieces(&mut CommandDecoder::new(limits, leniency), &[input], |e| {
        !matches!(e, Error::Truncated { .. })
    })
}

fn strict(input: &[u8]) -> Vec<Result<Command, Error>> {
    decode_all(input, Limits::default(), Leniency::strict())
}

fn encode(cmds: &[Command]) -> Vec<u8> {
    let mut enc = CommandEncoder::default();
    let mut out = BytesMut::new();
    for c in cmds {
        enc.encode(c, &mut out).unwrap();
    }
    out.to_vec()
}

fn mailbox(s: &str) -> Mailbox {
    Mailbox::parse(s).unwrap()
}

/// The client's lines of RFC 5321 Appendix D.1 (a typical transaction), D.2 (aborted), D.3
/// (relayed mail) and D.4 (verifying and sending); each decodes and re-encodes to the same bytes.
#[test]
fn rfc5321_appendix_d_scenarios() {
    let d1 = b"EHLO bar.com\r\nMAIL FROM:<Smith@bar.com>\r\nRCPT TO:<Jones@foo.com>\r\n\
RCPT TO:<Green@foo.com>\r\nRCPT TO:<Brown@foo.com>\r\nDATA\r\nQUIT\r\n";
    let cmds: Vec<Command> = strict(d1).into_iter().map(Result::unwrap).collect();
    assert_eq!(
        cmds,
        vec![
            Command::Ehlo(Domain::new("bar.com").unwrap()),
            Command::Mail {
                from: ReversePath::Mailbox(mailbox("Smith@bar.com")),
                params: vec![]
            },
            Command::Rcpt {
                to: ForwardPath::Mailbox(mailbox("Jones@foo.com")),
                params: vec![]
            },
            Command::Rcpt {
                to: ForwardPath::Mailbox(mailbox("Green@foo.com")),
                params: vec![]
            },
            Command::Rcpt {
                to: ForwardPath::Mailbox(mailbox("Brown@foo.com")),
                params: vec![]
            },
            Command::Data,
            Command::Quit,
        ]
    );
    assert_eq!(encode(&cmds), d1);

    let d2 = b"EHLO bar.com\r\nMAIL FROM:<Smith@bar.com>\r\nRCPT TO:<Jones@foo.com>\r\n\
RCPT TO:<Green@foo.com>\r\nRSET\r\nQUIT\r\n";
    let cmds: Vec<Command> = strict(d2).into_iter().map(Result::unwrap).collect();
    assert_eq!(cmds[4], Command::Rset);
    assert_eq!(encode(&cmds), d2);

    let d3 =
        b"EHLO foo.com\r\nMAIL FROM:<JQP@bar.com>\r\nRCPT TO:<Jones@XYZ.COM>\r\nDATA\r\nQUIT\r\n";
    let cmds: Vec<Command> = strict(d3).into_iter().map(Result::unwrap).collect();
    assert_eq!(encode(&cmds), d3);

    let d4 = b"EHLO bar.com\r\nVRFY Crispin\r\nMAIL FROM:<EAK@bar.com>\r\nRCPT TO:<Admin.MRC@foo.com>\r\n\
DATA\r\nQUIT\r\n";
    let cmds: Vec<Command> = strict(d4).into_iter().map(Result::unwrap).collect();
    assert_eq!(cmds[1], Command::Vrfy(Argument::new("Crispin").unwrap()));
    assert_eq!(encode(&cmds), d4);
}

/// Extension examples: RFC 3030 §4 (BDAT), RFC 3461 §9 (DSN), RFC 4954 §6 (AUTH), RFC 3207 §4.
#[test]
fn extension_examples() {
    let input = b"MAIL FROM:<Sam@Random.com> BODY=BINARYMIME\r\nBDAT 86 LAST\r\n\
MAIL FROM:<Alice@Example.ORG> RET=HDRS ENVID=QQ314159\r\n\
RCPT TO:<Bob@Example.COM> NOTIFY=SUCCESS ORCPT=rfc822;Bob@Example.COM\r\n\
RCPT TO:<Carol@Ivory.EDU> NOTIFY=FAILURE ORCPT=rfc822;Carol@Ivory.EDU\r\n\
AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=\r\nAUTH GSSAPI\r\nSTARTTLS\r\n";
    let cmds: Vec<Command> = strict(input).into_iter().map(Result::unwrap).collect();
    assert_eq!(
        cmds[0],
        Command::Mail {
            from: ReversePath::Mailbox(mailbox("Sam@Random.com")),
            params: vec![Parameter::Body(Body::BinaryMime)]
        }
    );
    assert_eq!(
        cmds[1],
        Command::Bdat {
            size: 86,
            last: true
        }
    );
    assert_eq!(
        cmds[3],
        Command::Rcpt {
            to: ForwardPath::Mailbox(mailbox("Bob@Example.COM")),
            params: vec![
                Parameter::Notify(Notify::On {
                    success: true,
                    failure: false,
                    delay: false
                }),
                Parameter::Orcpt {
                    addr_type: "rfc822".into(),
                    address: XText::new("Bob@Example.COM").unwrap()
                }
            ]
        }
    );
    let Command::Auth { mechanism, initial } = &cmds[5] else {
        panic!()
    };
    assert!(mechanism.is("PLAIN"));
    assert_eq!(initial.as_ref().unwrap().decode(), b"test\0test\x001234");
    assert_eq!(cmds[7], Command::StartTls);
    assert_eq!(encode(&cmds), input);
}

/// A syntax error's offset, production and byte found; `None` for an unknown command.
type Expected = Option<(u64, &'static str, Found)>;

/// Hostile lines, each followed by `NOOP`: the exact error, then the NOOP (the decoder stays in
/// step).
#[test]
fn hostile_command_lines() {
    let syntax = |offset: u64, production: &'static str, found: Found| (offset, production, found);
    let b = Found::Byte;
    let table: &[(&[u8], Expected)] = &[
        (b"FOO bar", None),
        (b"", None),
        (b" EHLO x", None),
        (b"EHLO", Some(syntax(4, "SP", Found::End))),
        (b"EHLO a\0b", Some(syntax(6, "CRLF", b(0)))),
        (b"EHLO a\0", Some(syntax(6, "CRLF", b(0)))),
        (b"\0EHLO a", None),
        (b"EHLO exa mple", Some(syntax(8, "CRLF", b(b' ')))),
        (b"EHLO -a", Some(syntax(5, "sub-domain", b(b'-')))),
        (b"EHLO [300.1.1.1]", Some(syntax(6, "Snum", b(b'3')))),
        (b"EHLO [IPv6:zz]", Some(syntax(11, "IPv6-addr", b(b'z')))),
        (b"HELO [1.2.3.4]", Some(syntax(5, "sub-domain", b(b'[')))),
        (
            b"MAIL FROM:<a@b> SIZE",
            Some(syntax(16, "esmtp-param", b(b'S'))),
        ),
        (
            b"MAIL FROM:<a@b> SIZE=",
            Some(syntax(21, "esmtp-value", Found::End)),
        ),
        (
            b"MAIL FROM:<a@b> SIZE=1 size=2",
            Some(syntax(23, "esmtp-param", b(b's'))),
        ),
        (
            b"MAIL FROM:<a@b> SIZE=18446744073709551616",
            Some(syntax(21, "size-value", b(b'1'))),
        ),
        (
            b"MAIL FROM:<a@b> BODY=8BIT",
            Some(syntax(21, "body-value", b(b'8'))),
        ),
        (
            b"MAIL FROM:<a@b> X=1 X=2",
            Some(syntax(20, "esmtp-param", b(b'X'))),
        ),
        (
            b"MAIL FROM:<a@b> NOTIFY=NEVER",
            Some(syntax(16, "esmtp-param", b(b'N'))),
        ),
        (
            b"MAIL FROM:<a@b> AUTH=a+zz",
            Some(syntax(23, "xtext", b(b'z'))),
        ),
        (
            b"MAIL FROM:<a@b> SMTPUTF8=1",
            Some(syntax(25, "esmtp-param", b(b'1'))),
        ),
        (
            b"MAIL FROM:<a@b>  SIZE=1",
            Some(syntax(16, "esmtp-keyword", b(b' '))),
        ),
        (
            b"MAIL FROM:<a@b> ",
            Some(syntax(16, "esmtp-keyword", Found::End)),
        ),
        (b"MAIL FROM: <a@b>", Some(syntax(10, "Path", b(b' ')))),
        (b"MAIL FROM:<a@b", Some(syntax(14, "Path", Found::End))),
        (b"MAIL FROM:<a b@c>", Some(syntax(12, "Mailbox", b(b' ')))),
        (b"MAIL FROM:<a@b>>", Some(syntax(15, "Path", b(b'>')))),
        (
            b"MAIL FROM:<\"a\0\"@b>",
            Some(syntax(13, "qtextSMTP", b(0))),
        ),
        (b"MAIL FROM:<a@b@c>", Some(syntax(14, "Path", b(b'@')))),
        (b"MAIL FROM:<@a:>", Some(syntax(14, "Atom", b(b'>')))),
        (
            b"MAIL FROM:<\xc3\xa9@b>",
            Some(syntax(10, "Reverse-path", b(b'<'))),
        ),
        (b"MAIL FROM:<\xff@b>", Some(syntax(11, "Atom", b(0xff)))),
        (b"MAIL FROM:<a@b>\rRCPT TO:<c@d>", None),
        (b"RCPT TO:<>", Some(syntax(9, "Atom", b(b'>')))),
        (
            b"RCPT TO:<Postmaster> RET=FULL",
            Some(syntax(21, "esmtp-param", b(b'R'))),
        ),
        (
            b"RCPT TO:<a@b> ORCPT=rfc822",
            Some(syntax(20, "original-recipient-address", b(b'r'))),
        ),
        (
            b"RCPT TO:<a@b> NOTIFY=NEVER,SUCCESS",
            Some(syntax(21, "notify-list", b(b'N'))),
        ),
        (b"DATA now", Some(syntax(4, "CRLF", b(b' ')))),
        (b"QUIT ", Some(syntax(4, "CRLF", b(b' ')))),
        (b"STARTTLS x", Some(syntax(8, "CRLF", b(b' ')))),
        (
            b"AUTH PLAIN not-base64",
            Some(syntax(14, "initial-response", b(b'-'))),
        ),
        (
            b"AUTH PLAIN dGVzdA",
            Some(syntax(17, "initial-response", Found::End)),
        ),
        (
            b"AUTH PLAIN ",
            Some(syntax(11, "initial-response", Found::End)),
        ),
        (b"AUTH PL@IN", Some(syntax(7, "sasl-mech", b(b'@')))),
        (
            b"BDAT 99999999999999999999999",
            Some(syntax(5, "chunk-size", b(b'9'))),
        ),
        (b"BDAT -1", Some(syntax(5, "chunk-size", b(b'-')))),
        (b"BDAT 1 LAST LAST", Some(syntax(11, "CRLF", b(b' ')))),
        (b"BDAT 1  LAST", Some(syntax(7, "end-marker", b(b' ')))),
        (b"VRFY <a@b>", Some(syntax(5, "String", b(b'<')))),
    ];
    let mut bad = Vec::new();
    for (line, want) in table {
        let mut input = line.to_vec();
        input.extend_from_slice(b"\r\nNOOP\r\n");
        let out = strict(&input);
        assert_eq!(out.len(), 2, "{}: {out:?}", String::from_utf8_lossy(line));
        match (want, &out[0]) {
            (None, Err(Error::UnknownCommand { offset: 0 })) => {}
            (
                Some((o, p, f)),
                Err(Error::Syntax {
                    offset,
                    production,
                    found,
                    ..
                }),
            ) if o == offset && p == production && f == found => {}
            (None, Err(Error::BareLineEnd { .. })) if line.contains(&b'\r') => {}
            (_, got) => {
                bad.push(format!("{}: got {got:?}", String::from_utf8_lossy(line)));
                continue;
            }
        }
        assert_eq!(
            out[0].as_ref().unwrap_err().reply_code(),
            if want.is_some() { 501 } else { 500 }
        );
        assert_eq!(
            out[1],
            Ok(Command::Noop(None)),
            "{}",
            String::from_utf8_lossy(line)
        );
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// §4.5.3.1.4: a line over the limit is refused once, skipped through its CRLF, and the next
/// command decodes; the limit counts the CRLF.
#[test]
fn line_limit_skips_and_goes_on() {
    let limits = Limits {
        max_command_line: 16,
        ..Limits::default()
    };
    // 14 octets + CRLF = 16: accepted; 15 + CRLF: refused.
    let ok = b"NOOP 123456789\r\n";
    assert_eq!(ok.len(), 16);
    let input = [&ok[..], b"NOOP 1234567890\r\n", b"RSET\r\n"].concat();
    let out = decode_all(&input, limits, Leniency::strict());
    assert!(matches!(out[0], Ok(Command::Noop(Some(_)))));
    assert_eq!(
        out[1],
        Err(Error::LineTooLong {
            offset: 16,
            what: "command line",
            limit: 16
        })
    );
    assert_eq!(out[1].as_ref().unwrap_err().reply_code(), 500);
    assert_eq!(out[2], Ok(Command::Rset));
    assert_eq!(out.len(), 3);

    // A megabyte of junk fed in pieces: the decoder never holds more than the limit.
    let mut dec = CommandDecoder::new(limits, Leniency::strict());
    let mut buf = BytesMut::new();
    let mut errors = 0;
    for _ in 0..1024 {
        buf.extend_from_slice(&[b'A'; 1024]);
        while let Err(e) = dec.decode(&mut buf) {
            assert!(matches!(e, Error::LineTooLong { offset: 0, .. }));
            errors += 1;
        }
        assert!(buf.len() <= 16);
    }
    buf.extend_from_slice(b"\r\nQUIT\r\n");
    assert_eq!(dec.decode(&mut buf), Ok(Some(Command::Quit)));
    assert_eq!(errors, 1);

    // The default is 512 + 512 for extension parameters (RFC 1869 §4.1.2).
    let long = format!("MAIL FROM:<a@b> X-A={}\r\n", "v".repeat(1000));
    assert!(matches!(
        strict(long.as_bytes())[0],
        Ok(Command::Mail { .. })
    ));
    let too_long = format!("MAIL FROM:<a@b> X-A={}\r\n", "v".repeat(1003));
    assert!(matches!(
        strict(too_long.as_bytes())[0],
        Err(Error::LineTooLong { .. })
    ));
}

/// Bare LF and bare CR are refused with their offset, the bytes up to the next CRLF are part of
/// the refused line (so `\n` cannot start a second command), unless `normalize_bare_line_ends`.
#[test]
fn bare_line_ends() {
    let input = b"NOOP\nRSET\r\nMAIL FROM:<a@b>\rRCPT TO:<c@d>\r\nQUIT\r\n";
    let out = strict(input);
    assert_eq!(
        out,
        vec![
            Err(Error::BareLineEnd {
                offset: 4,
                byte: b'\n'
            }),
            Err(Error::BareLineEnd {
                offset: 26,
                byte: b'\r'
            }),
            Ok(Command::Quit),
        ]
    );
    let lenient = decode_all(
        input,
        Limits::default(),
        Leniency::strict().normalize_bare_line_ends(true),
    );
    assert_eq!(lenient.len(), 5);
    assert_eq!(lenient[0], Ok(Command::Noop(None)));
    assert_eq!(lenient[1], Ok(Command::Rset));
    assert!(matches!(lenient[3], Ok(Command::Rcpt { .. })));
    assert_eq!(lenient[4], Ok(Command::Quit));
}

/// The end of input inside a line is `Truncated`; between lines, a clean end.
#[test]
fn end_of_input() {
    assert_eq!(
        strict(b"QUIT\r\nNOO"),
        vec![
            Ok(Command::Quit),
            Err(Error::Truncated {
                offset: 9,
                inside: "command line"
            })
        ]
    );
    assert_eq!(strict(b"QUIT\r\n"), vec![Ok(Command::Quit)]);
}

/// After BDAT the decoder has taken only the command line: the chunk's bytes are still in the
/// buffer for the caller (even when they look like commands), and after them the next command
/// decodes.
#[test]
fn bdat_hands_over_the_chunk() {
    let mut dec = CommandDecoder::default();
    let mut buf = BytesMut::from(&b"BDAT 11\r\nQUIT\r\nRSET\r\nNOOP\r\n"[..]);
    let Ok(Some(Command::Bdat { size, last: false })) = dec.decode(&mut buf) else {
        panic!()
    };
    let chunk = buf.split_to(size as usize);
    assert_eq!(&chunk[..], b"QUIT\r\nRSET\r");
    assert_eq!(
        dec.decode(&mut buf),
        Err(Error::BareLineEnd {
            offset: 9,
            byte: b'\n'
        })
    );
    let mut buf = BytesMut::from(&b"BDAT 6\r\nQUIT\r\nNOOP\r\n"[..]);
    let mut dec = CommandDecoder::default();
    assert!(matches!(
        dec.decode(&mut buf),
        Ok(Some(Command::Bdat { .. }))
    ));
    let _ = buf.split_to(6);
    assert_eq!(dec.decode(&mut buf), Ok(Some(Command::Noop(None))));
}

/// AUTH (RFC 4954 §4): the client's answers to 334, base64 or `*`, not base64 refused.
#[test]
fn auth_exchange() {
    let mut dec = CommandDecoder::default();
    let mut buf =
        BytesMut::from(&b"AUTH LOGIN\r\ndGVzdA==\r\n\r\nnot base64!\r\n*\r\nQUIT\r\n"[..]);
    assert!(matches!(
        dec.decode(&mut buf),
        Ok(Some(Command::Auth { initial: None, .. }))
    ));
    let r = dec.decode_auth_response(&mut buf).unwrap().unwrap();
    assert_eq!(r.data().unwrap(), b"test");
    assert_eq!(
        dec.decode_auth_response(&mut buf),
        Ok(Some(AuthResponse::Data(String::new())))
    );
    assert!(matches!(
        dec.decode_auth_response(&mut buf),
        Err(Error::Syntax {
            offset: 27,
            production: "auth-response",
            ..
        })
    ));
    assert_eq!(
        dec.decode_auth_response(&mut buf),
        Ok(Some(AuthResponse::Cancel))
    );
    assert_eq!(dec.decode(&mut buf), Ok(Some(Command::Quit)));

    // RFC 4954 §4: response lines up to 12288 octets, over the 1024 of commands.
    let big = "QUJD".repeat(3071);
    let mut buf = BytesMut::from(format!("{big}\r\n{big}QUJD\r\nQUIT\r\n").as_bytes());
    assert_eq!(
        dec.decode_auth_response(&mut buf)
            .unwrap()
            .unwrap()
            .data()
            .unwrap()
            .len(),
        9213
    );
    assert!(matches!(
        dec.decode_auth_response(&mut buf),
        Err(Error::LineTooLong { limit: 12288, .. })
    ));
    assert_eq!(dec.decode(&mut buf), Ok(Some(Command::Quit)));

    let mut out = BytesMut::new();
    let mut enc = CommandEncoder::default();
    enc.encode(AuthResponse::encode(&[0; 9213]), &mut out)
        .unwrap();
    out.clear();
    enc.encode(AuthResponse::encode(b"test"), &mut out).unwrap();
    enc.encode(AuthResponse::Cancel, &mut out).unwrap();
    assert!(
        enc.encode(AuthResponse::Data("a\r\nQUIT".into()), &mut out)
            .is_err()
    );
    assert_eq!(&out[..], b"dGVzdA==\r\n*\r\n");
}

/// Injection is impossible by construction: no part of a command can hold CR, LF or NUL.
#[test]
fn no_part_can_carry_a_second_command() {
    for evil in ["x\r\nRSET", "x\nRSET", "x\rRSET", "x\0y", "x RSET"] {
        assert!(Domain::new(evil).is_err(), "{evil:?}");
        assert!(Mailbox::parse(&format!("{evil}@b")).is_err(), "{evil:?}");
        assert!(Mailbox::parse(&format!("a@{evil}")).is_err(), "{evil:?}");
        assert!(Argument::new(evil).is_err(), "{evil:?}");
        assert!(Mechanism::new(evil).is_err(), "{evil:?}");
        assert!(InitialResponse::new(evil).is_err(), "{evil:?}");
        assert!(XText::new(evil).is_err(), "{evil:?}");
        assert!(OtherParameter::new("X", Some(evil)).is_err(), "{evil:?}");
        assert!(OtherParameter::new(evil, None).is_err(), "{evil:?}");
    }
    assert!(Argument::new("\"x\r\nRSET\"").is_err());
    assert!(Mailbox::parse("\"x\r\n\"@b").is_err());

    // The encoder refuses what a server could not read back.
    let mut enc = CommandEncoder::new(Limits {
        max_command_line: 20,
        ..Limits::default()
    });
    let mut out = BytesMut::new();
    assert!(
        enc.encode(
            Command::Noop(Some(Argument::new("a-long-argument-here").unwrap())),
            &mut out
        )
        .is_err()
    );
    assert!(out.is_empty());
}

/// Any cut of a session's bytes gives what the whole gives.
#[test]
fn every_two_piece_split() {
    let input: &[u8] =
        b"EHLO a.example\r\nMAIL FROM:<a@b> SIZE=10\r\nX\nY\r\nRCPT TO:<Postmaster>\r\n\
DATA x\r\nAUTH PLAIN =\r\nBDAT 5 LAST\r\nQUIT\r\nNO";
    for limit in [12, 30, 1024] {
        let limits = Limits {
            max_command_line: limit,
            ..Limits::default()
        };
        for lenient in [false, true] {
            let l = Leniency::strict().normalize_bare_line_ends(lenient);
            let whole = decode_pieces(&mut CommandDecoder::new(limits, l), &[input], |e| {
                !matches!(e, Error::Truncated { .. })
            });
            for at in 0..=input.len() {
                let split = decode_pieces(
                    &mut CommandDecoder::new(limits, l),
                    &cut(input, &[at]),
                    |e| !matches!(e, Error::Truncated { .. }),
                );
                assert_eq!(whole, split, "limit {limit} lenient {lenient} cut at {at}");
            }
            let bytes: Vec<&[u8]> = input.chunks(1).collect();
            let one_by_one = decode_pieces(&mut CommandDecoder::new(limits, l), &bytes, |e| {
                !matches!(e, Error::Truncated { .. })
            });
            assert_eq!(whole, one_by_one);
        }
    }
}

/// The borrowed form: values as slices of the line, the first four parameters in place and the
/// rest after them in order, repeats refused past the in-place ones too, and `decode_with` the
/// same framing and errors as `decode`.
#[test]
fn borrowed_commands() {
    use smtp_codec::{CommandRef, ForwardPathRef, ParameterRef, ReversePathRef};

    let line = b"MAIL FROM:<J\xc3\xb6rg@[IPv6:::1]> SMTPUTF8 SIZE=9 X-A=1 RET=HDRS X-B X-C=\xc3\xa9 ENVID=a+2Bb";
    let cmd = CommandRef::decode(line, 0).unwrap();
    let CommandRef::Mail {
        from: ReversePathRef::Mailbox(m),
        params,
    } = &cmd
    else {
        panic!("{cmd:?}");
    };
    assert_eq!(m.local_part(), "Jörg");
    assert!(m.domain().is_literal() && m.is_utf8());
    assert_eq!(m.to_string(), "Jörg@[IPv6:::1]");
    assert_eq!(params.len(), 7);
    let seen: Vec<ParameterRef<'_>> = params.iter().copied().collect();
    assert_eq!(seen[0], ParameterRef::SmtpUtf8);
    assert_eq!(
        seen[5],
        ParameterRef::Other {
            keyword: "X-C",
            value: Some("é")
        }
    );
    let ParameterRef::EnvId(x) = seen[6] else {
        panic!("{seen:?}");
    };
    assert_eq!((x.as_str(), x.decode()), ("a+2Bb", b"a+b".to_vec()));
    assert_eq!(cmd.to_command(), Command::decode(line, 0).unwrap());

    // A repeat after the fourth parameter, typed or not, is still a repeat (RFC 1869 §6).
    for (line, at) in [
        (&b"MAIL FROM:<a@b> X-A X-B X-C X-D X-E x-b"[..], 36),
        (&b"MAIL FROM:<a@b> X-A X-B X-C X-D SIZE=1 size=2"[..], 39),
    ] {
        assert!(
            matches!(CommandRef::decode(line, 0), Err(Error::Syntax { offset, production: "esmtp-param", .. }) if offset == at),
            "{:?}",
            CommandRef::decode(line, 0)
        );
    }

    // Past sixteen parameters the unknown keywords are checked in a set: the same answers.
    let mut many = b"RCPT TO:<a@b>".to_vec();
    for i in 0..20 {
        many.extend_from_slice(format!(" X-{i}=v").as_bytes());
    }
    let owned = Command::decode(&many, 0).unwrap();
    assert_eq!(CommandRef::decode(&many, 0).unwrap().to_command(), owned);
    let at = many.len() as u64 + 1;
    many.extend_from_slice(b" x-3");
    assert_eq!(
        CommandRef::decode(&many, 0).map(|c| c.to_command()),
        Command::decode(&many, 0)
    );
    assert!(matches!(
        Command::decode(&many, 0),
        Err(Error::Syntax { offset, production: "esmtp-param", .. }) if offset == at
    ));

    assert_eq!(
        CommandRef::decode(b"RCPT TO:<postmaster>", 0),
        Ok(CommandRef::Rcpt {
            to: ForwardPathRef::Postmaster,
            params: Default::default()
        })
    );

    let mut dec = CommandDecoder::default();
    let mut buf = BytesMut::from(&b"EHLO a.example\r\nFOO\r\nVRFY \"a b\"\r\n"[..]);
    let hello = dec.decode_with(&mut buf, |c| match c {
        CommandRef::Ehlo(d) => d.as_str().to_owned(),
        _ => String::new(),
    });
    assert_eq!(hello, Ok(Some("a.example".to_owned())));
    assert_eq!(
        dec.decode_with(&mut buf, |c| c.to_command()),
        Err(Error::UnknownCommand { offset: 16 })
    );
    assert_eq!(
        dec.decode_with(&mut buf, |c| matches!(c, CommandRef::Vrfy("\"a b\""))),
        Ok(Some(true))
    );
    assert_eq!(dec.decode_with(&mut buf, |c| c.to_command()), Ok(None));
}
