//! Responses through [`ResponseDecoder`] and [`ResponseEncoder`]: status lines with the codes of
//! RFC 2449 §8 and RFC 3206, greetings and their APOP timestamps, multi-line responses (LIST,
//! UIDL, RETR with dot-leading lines, TOP, CAPA typed) dot-unstuffed, AUTH challenges, the
//! `expect` queue (a `-ERR` to a multi-line command is one line; nothing expected, one line),
//! stream offsets across content, hostile streams with their exact errors, the encoders, and
//! properties (encode then decode is identity, any split gives the same events).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bytes::BytesMut;
use framing::testing::cut;
use framing::{Decoder, Encoder};
use pop3_codec::error::Found;
use pop3_codec::{
    Capabilities, Capability, Challenge, Command, Error, Expect, Leniency, Limits, Mechanism,
    Response, ResponseCode, ResponseDecoder, ResponseEncoder, ResponseEvent,
};
use proptest::prelude::*;

/// An event with the content pieces joined (how the input was cut does not show), or an error.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    Status(Response),
    Challenge(String),
    Content(Vec<u8>),
    End,
    Err(Error),
}

fn ok(text: &str) -> Ev {
    Ev::Status(Response::ok(text))
}

fn err(text: &str) -> Ev {
    Ev::Status(Response::err(text))
}

fn content(c: &[u8]) -> Ev {
    Ev::Content(c.to_vec())
}

/// Feeds `pieces` to a decoder told `expect`, `decode_eof` after the last; stops after a
/// `Truncated` (the end of the stream).
fn run_with(expect: &[Expect], pieces: &[&[u8]], limits: Limits, leniency: Leniency) -> Vec<Ev> {
    let mut d = ResponseDecoder::new(limits, leniency);
    for e in expect {
        d.expect_as(*e);
    }
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.iter().enumerate() {
        buf.extend_from_slice(piece);
        loop {
            let r = match i == last {
                true => d.decode_eof(&mut buf),
                false => d.decode(&mut buf),
            };
            match r {
                Ok(Some(ResponseEvent::Data(p))) => match out.last_mut() {
                    Some(Ev::Content(c)) => c.extend_from_slice(&p),
                    _ => out.push(Ev::Content(p.to_vec())),
                },
                Ok(Some(ResponseEvent::Status(r))) => out.push(Ev::Status(r)),
                Ok(Some(ResponseEvent::Challenge(c))) => {
                    out.push(Ev::Challenge(c.as_str().to_owned()))
                }
                Ok(Some(ResponseEvent::End)) => out.push(Ev::End),
                Ok(None) => break,
                Err(e) => {
                    let stop = matches!(e, Error::Truncated { .. });
                    out.push(Ev::Err(e));
                    if stop {
                        return out;
                    }
                }
            }
        }
    }
    out
}

/// Runs whole, byte by byte and cut in two at every point; all must agree.
fn run_leniency(expect: &[Expect], input: &[u8], leniency: Leniency) -> Vec<Ev> {
    let limits = Limits::default();
    let whole = run_with(expect, &[input], limits, leniency);
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(
        run_with(expect, &bytes, limits, leniency),
        whole,
        "byte by byte"
    );
    for at in 0..=input.len() {
        let (a, b) = input.split_at(at);
        assert_eq!(
            run_with(expect, &[a, b], limits, leniency),
            whole,
            "cut at {at}"
        );
    }
    whole
}

fn run(expect: &[Command], input: &[u8]) -> Vec<Ev> {
    let expect: Vec<Expect> = expect.iter().map(Expect::answer_to).collect();
    run_leniency(&expect, input, Leniency::strict())
}

fn parse(line: &str) -> Result<Response, Error> {
    Response::decode(line.as_bytes(), 0)
}

fn syntax(offset: u64, production: &'static str, found: Found) -> (u64, &'static str, Found) {
    (offset, production, found)
}

fn where_(e: &Error) -> Option<(u64, &'static str, Found)> {
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

/// The server's side of RFC 1939 §10's example session, read as the client's commands say.
#[test]
fn rfc1939_example_session() {
    let input = b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n\
+OK mrose's maildrop has 2 messages (320 octets)\r\n\
+OK 2 320\r\n\
+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n\
+OK 120 octets\r\n<the POP3 server sends message 1>\r\n.\r\n\
+OK message 1 deleted\r\n\
+OK 200 octets\r\n<the POP3 server sends message 2>\r\n.\r\n\
+OK message 2 deleted\r\n\
+OK dewey POP3 server signing off (maildrop empty)\r\n";
    let mut expect = vec![Expect::SingleLine];
    let digest = pop3_codec::apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf");
    for c in [
        Command::Apop {
            name: pop3_codec::Argument::new("mrose").unwrap(),
            digest,
        },
        Command::Stat,
        Command::List(None),
        Command::Retr(1),
        Command::Dele(1),
        Command::Retr(2),
        Command::Dele(2),
        Command::Quit,
    ] {
        expect.push(Expect::answer_to(&c));
    }
    let out = run_leniency(&expect, input, Leniency::strict());
    assert_eq!(
        out,
        vec![
            ok("POP3 server ready <1896.697170952@dbc.mtview.ca.us>"),
            ok("mrose's maildrop has 2 messages (320 octets)"),
            ok("2 320"),
            ok("2 messages (320 octets)"),
            content(b"1 120\r\n2 200\r\n"),
            Ev::End,
            ok("120 octets"),
            content(b"<the POP3 server sends message 1>\r\n"),
            Ev::End,
            ok("message 1 deleted"),
            ok("200 octets"),
            content(b"<the POP3 server sends message 2>\r\n"),
            Ev::End,
            ok("message 2 deleted"),
            ok("dewey POP3 server signing off (maildrop empty)"),
        ]
    );
    let Ev::Status(greeting) = &out[0] else {
        panic!()
    };
    assert_eq!(
        greeting.timestamp(),
        Some("<1896.697170952@dbc.mtview.ca.us>")
    );
}

/// Status lines (RFC 1939 §3): `+OK` / `-ERR`, an optional text, upper-case indicators.
#[test]
fn status_lines() {
    for (line, is_ok, text) in [
        ("+OK", true, ""),
        ("-ERR", false, ""),
        ("+OK ", true, ""),
        ("+OK 2 320", true, "2 320"),
        (
            "-ERR no such message, only 2 messages in maildrop",
            false,
            "no such message, only 2 messages in maildrop",
        ),
        ("+OK  two spaces", true, " two spaces"),
        ("+OK tab\there", true, "tab\there"),
        ("+OK trailing ", true, "trailing "),
        ("+OK caf\u{e9} ouvert", true, "caf\u{e9} ouvert"),
        ("-ERR a ] bracket", false, "a ] bracket"),
    ] {
        let r = parse(line).unwrap();
        assert_eq!(
            (r.ok, r.code.as_ref(), r.text.as_str()),
            (is_ok, None, text),
            "{line}"
        );
    }
    assert_eq!(parse("+OK").unwrap().to_line().unwrap(), "+OK");
    assert_eq!(parse("+OK 2 320").unwrap().to_line().unwrap(), "+OK 2 320");
    let b = Found::Byte;
    for (line, at) in [
        ("", syntax(0, "status", Found::End)),
        ("OK", syntax(0, "status", b(b'O'))),
        ("+ok", syntax(0, "status", b(b'+'))),
        ("-err x", syntax(0, "status", b(b'-'))),
        ("+OKAY", syntax(3, "SP", b(b'A'))),
        ("-ERROR", syntax(4, "SP", b(b'O'))),
        ("+OK\tx", syntax(3, "SP", b(b'\t'))),
        (" +OK", syntax(0, "status", b(b' '))),
        ("+ OK", syntax(0, "status", b(b'+'))),
        ("+OK a\0b", syntax(5, "text", b(0))),
        ("+OK a\x1bb", syntax(5, "text", b(0x1b))),
        ("+OK a\x7f", syntax(5, "text", b(0x7f))),
    ] {
        let got = Response::decode(line.as_bytes(), 0);
        assert_eq!(where_(&got.unwrap_err()), Some(at), "{line:?}");
    }
    assert_eq!(
        where_(&Response::decode(b"+OK \xc3\xa9\xff", 100).unwrap_err()),
        Some(syntax(106, "text", b(0xff)))
    );
    assert_eq!(
        where_(&Response::decode(b"+OK \xc3", 0).unwrap_err()),
        Some(syntax(4, "text", b(0xc3)))
    );
}

/// The extended response codes (RFC 2449 §8, RFC 3206, RFC 6856 §5): known ones typed and
/// compared case-insensitively, others kept, malformed ones refused where they break.
#[test]
fn response_codes() {
    for (line, code, text) in [
        (
            "-ERR [IN-USE] Do you have another POP session running?",
            ResponseCode::InUse,
            "Do you have another POP session running?",
        ),
        (
            "-ERR [LOGIN-DELAY] minimum time between mail checks violated",
            ResponseCode::LoginDelay,
            "minimum time between mail checks violated",
        ),
        (
            "-ERR [SYS/TEMP] Problem locking maildrop",
            ResponseCode::SysTemp,
            "Problem locking maildrop",
        ),
        (
            "-ERR [SYS/PERM] Your maildrop is corrupt",
            ResponseCode::SysPerm,
            "Your maildrop is corrupt",
        ),
        (
            "-ERR [AUTH] Invalid password",
            ResponseCode::Auth,
            "Invalid password",
        ),
        ("-ERR [UTF8] needs UTF8", ResponseCode::Utf8, "needs UTF8"),
        (
            "-ERR [in-use] lower case",
            ResponseCode::InUse,
            "lower case",
        ),
        ("-ERR [Sys/Temp]", ResponseCode::SysTemp, ""),
        (
            "-ERR [X-VENDOR/A/B] x",
            ResponseCode::Other("X-VENDOR/A/B".into()),
            "x",
        ),
        ("+OK [LOGIN-DELAY]x", ResponseCode::LoginDelay, "x"),
        ("-ERR [AUTH]  two", ResponseCode::Auth, " two"),
        ("-ERR [AUTH] [not a code", ResponseCode::Auth, "[not a code"),
    ] {
        let r = parse(line).unwrap();
        assert_eq!(
            (r.code.as_ref(), r.text.as_str()),
            (Some(&code), text),
            "{line}"
        );
    }
    let r = parse("-ERR [IN-USE] locked").unwrap();
    assert_eq!(r, Response::err_with(ResponseCode::InUse, "locked"));
    assert_eq!(r.to_line().unwrap(), "-ERR [IN-USE] locked");
    assert_eq!(
        ResponseCode::new("sys/perm").unwrap(),
        ResponseCode::SysPerm
    );
    assert_eq!(ResponseCode::SysTemp.to_string(), "SYS/TEMP");
    let b = Found::Byte;
    for (line, at) in [
        // A code that does not close.
        ("-ERR [IN-USE", syntax(12, "resp-code", Found::End)),
        ("-ERR [IN-USE locked", syntax(19, "resp-code", Found::End)),
        // Empty levels, a bad character inside.
        ("-ERR [] x", syntax(6, "resp-level", b(b']'))),
        ("-ERR [A//B] x", syntax(8, "resp-level", b(b'/'))),
        ("-ERR [/A] x", syntax(6, "resp-level", b(b'/'))),
        ("-ERR [A/] x", syntax(8, "resp-level", b(b']'))),
        ("-ERR [IN USE] x", syntax(8, "resp-level", b(b' '))),
        ("-ERR [A\0] x", syntax(7, "resp-level", b(0))),
        ("-ERR [A\u{e9}] x", syntax(7, "resp-level", b(0xc3))),
    ] {
        assert_eq!(where_(&parse(line).unwrap_err()), Some(at), "{line:?}");
    }
    // The encoder refuses what would not read back as itself.
    assert!(Response::ok("[looks like a code").to_line().is_err());
    assert!(
        Response::err_with(ResponseCode::Other("A B".into()), "x")
            .to_line()
            .is_err()
    );
    assert!(Response::ok("a\r\n+OK b").to_line().is_err());
    assert!(Response::ok("a\nb").to_line().is_err());
}

/// The APOP timestamp of a greeting (RFC 1939 §7): `<...>` with its brackets.
#[test]
fn greeting_timestamps() {
    for (line, stamp) in [
        (
            "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>",
            Some("<1896.697170952@dbc.mtview.ca.us>"),
        ),
        ("+OK <a@b> and more text", Some("<a@b>")),
        (
            "+OK dovecot ready. <1f2e.3.5f5e4a1b.abc/def==@host>",
            Some("<1f2e.3.5f5e4a1b.abc/def==@host>"),
        ),
        // Regression: an earlier `<` hid the timestamp.
        ("+OK <-- ready --> <1.2@x>", Some("<1.2@x>")),
        ("+OK a < b <1.2@x>", Some("<1.2@x>")),
        ("+OK <a b> <c@d>", Some("<c@d>")),
        ("+OK ready", None),
        ("+OK <>", None),
        ("+OK <no end", None),
        ("+OK <a b>", None),
        ("+OK <a<b>", Some("<b>")),
        ("+OK no start>", None),
    ] {
        assert_eq!(parse(line).unwrap().timestamp(), stamp, "{line}");
    }
}

/// Multi-line responses (RFC 1939 §3): LIST and UIDL listings, RETR with dot-leading lines and
/// a lone "..", TOP; the content dot-unstuffed, `.CRLF` its end.
#[test]
fn multi_line_responses() {
    let out = run(
        &[Command::List(None), Command::Uidl(None)],
        b"+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n\
+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n.\r\n",
    );
    assert_eq!(
        out,
        vec![
            ok("2 messages (320 octets)"),
            content(b"1 120\r\n2 200\r\n"),
            Ev::End,
            ok(""),
            content(b"1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n"),
            Ev::End,
        ]
    );
    // RETR: dot-leading lines lose one dot, a lone ".." is a line holding ".", "..." is "..".
    let out = run(
        &[Command::Retr(1)],
        b"+OK 44 octets\r\nSubject: x\r\n\r\n..dot\r\n..\r\n...\r\n.. x\r\nend\r\n.\r\n",
    );
    assert_eq!(
        out,
        vec![
            ok("44 octets"),
            content(b"Subject: x\r\n\r\n.dot\r\n.\r\n..\r\n. x\r\nend\r\n"),
            Ev::End,
        ]
    );
    // An empty message, and a first line that starts with a dot.
    let out = run(
        &[Command::Retr(1), Command::Retr(2)],
        b"+OK 0 octets\r\n.\r\n+OK\r\n..\r\n.\r\n",
    );
    assert_eq!(
        out,
        vec![ok("0 octets"), Ev::End, ok(""), content(b".\r\n"), Ev::End]
    );
    // TOP: the header and n body lines.
    let out = run(
        &[Command::Top { msg: 1, lines: 1 }],
        b"+OK\r\nFrom: a\r\n\r\nfirst\r\n.\r\n",
    );
    assert_eq!(
        out,
        vec![ok(""), content(b"From: a\r\n\r\nfirst\r\n"), Ev::End]
    );
    // "." inside a line, "\r\n." not at a line start, NUL and 8-bit bytes are content.
    let out = run(
        &[Command::Retr(1)],
        b"+OK\r\na.b\r\nx\r\n\0.\r\n\xff\xfe\r\n.\r\n",
    );
    assert_eq!(
        out,
        vec![ok(""), content(b"a.b\r\nx\r\n\0.\r\n\xff\xfe\r\n"), Ev::End]
    );
}

/// The CAPA response (RFC 2449 §5's example, then every capability of §6, RFC 2595, RFC 3206,
/// RFC 6856) read as content and typed.
#[test]
fn capa_typed() {
    let out = run(
        &[Command::Capa],
        b"+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL CRAM-MD5 KERBEROS_V4\r\nRESP-CODES\r\n\
LOGIN-DELAY 900\r\nPIPELINING\r\nEXPIRE 60\r\nUIDL\r\nIMPLEMENTATION Shlemazle-Plotz-v302\r\n.\r\n",
    );
    let [Ev::Status(r), Ev::Content(c), Ev::End] = &out[..] else {
        panic!("{out:?}")
    };
    assert_eq!(r.text, "Capability list follows");
    let caps = Capabilities::decode(c, 29).unwrap();
    assert_eq!(
        caps.0,
        vec![
            Capability::Top,
            Capability::User,
            Capability::Sasl(vec![
                Mechanism::new("CRAM-MD5").unwrap(),
                Mechanism::new("KERBEROS_V4").unwrap()
            ]),
            Capability::RespCodes,
            Capability::LoginDelay {
                seconds: 900,
                per_user: false
            },
            Capability::Pipelining,
            Capability::Expire {
                days: Some(60),
                per_user: false
            },
            Capability::Uidl,
            Capability::Implementation("Shlemazle-Plotz-v302".into()),
        ]
    );
    assert_eq!(caps.sasl().len(), 2);
    assert_eq!(caps.to_content().as_bytes(), &c[..]);

    let more = b"STLS\r\nAUTH-RESP-CODE\r\nUTF8\r\nUTF8 USER\r\nLANG\r\nEXPIRE NEVER\r\n\
EXPIRE 0 USER\r\nLOGIN-DELAY 0 USER\r\nSASL\r\nX-VENDOR a b\r\ntop\r\nIMPLEMENTATION\r\n";
    let caps = Capabilities::decode(more, 0).unwrap();
    assert_eq!(
        caps.0,
        vec![
            Capability::Stls,
            Capability::AuthRespCode,
            Capability::Utf8 { user: false },
            Capability::Utf8 { user: true },
            Capability::Lang,
            Capability::Expire {
                days: None,
                per_user: false
            },
            Capability::Expire {
                days: Some(0),
                per_user: true
            },
            Capability::LoginDelay {
                seconds: 0,
                per_user: true
            },
            Capability::Sasl(vec![]),
            Capability::Other {
                tag: "X-VENDOR".into(),
                params: vec!["a".into(), "b".into()]
            },
            Capability::Top,
            Capability::Implementation(String::new()),
        ]
    );
    assert!(caps.sasl().is_empty());
    // Malformed lines, their offsets in the stream.
    let b = Found::Byte;
    for (line, at) in [
        (&b"TOP 1"[..], syntax(104, "capability", b(b'1'))),
        (b"LOGIN-DELAY x", syntax(112, "number", b(b'x'))),
        (b"LOGIN-DELAY", syntax(111, "capability", Found::End)),
        (b"EXPIRE -1", syntax(107, "number", b(b'-'))),
        (b"PIPELINING 1", syntax(111, "capability", b(b'1'))),
        (b"SASL PL@IN", syntax(105, "sasl-mech", b(b'P'))),
        (b"A  B", syntax(102, "param", b(b' '))),
        (b"X.Y", syntax(101, "cchar", b(b'.'))),
        (b"X\0", syntax(101, "pchar", b(0))),
        (b"", syntax(100, "capa-tag", Found::End)),
    ] {
        let mut c = line.to_vec();
        c.extend_from_slice(b"\r\n");
        assert_eq!(
            where_(&Capabilities::decode(&c, 100).unwrap_err()),
            Some(at),
            "{:?}",
            String::from_utf8_lossy(line)
        );
    }
}

/// AUTH with a mechanism (RFC 5034 §4): `+` challenges, then the status line; a bare `+` is an
/// empty challenge; a challenge that is not base64 is refused where it breaks.
#[test]
fn auth_challenges() {
    let out = run_leniency(
        &[Expect::Auth, Expect::Auth, Expect::Auth],
        b"+ \r\n+OK logged in\r\n+ VXNlcm5hbWU6\r\n+\r\n-ERR [AUTH] no\r\n+ abc\r\n+ AA==\r\n-ERR *\r\n",
        Leniency::strict(),
    );
    assert_eq!(
        out,
        vec![
            Ev::Challenge(String::new()),
            ok("logged in"),
            Ev::Challenge("VXNlcm5hbWU6".into()),
            Ev::Challenge(String::new()),
            Ev::Status(Response::err_with(ResponseCode::Auth, "no")),
            Ev::Err(Error::Syntax {
                offset: 59,
                production: "continue-req",
                found: Found::End,
                reason: "padded base64, RFC 5034 §4, RFC 4648 §4",
            }),
            Ev::Challenge("AA==".into()),
            err("*"),
        ]
    );
    assert_eq!(
        Challenge::decode_line(b"+ VXNlcm5hbWU6", 0)
            .unwrap()
            .unwrap()
            .decode(),
        b"Username:"
    );
    assert_eq!(Challenge::encode(b"").to_line(), "+ ");
    // Expected as anything else, a `+` line is not a status.
    let out = run(&[Command::Stat], b"+ abc\r\n");
    assert!(matches!(
        &out[..],
        [Ev::Err(Error::Syntax {
            offset: 0,
            production: "status",
            ..
        })]
    ));
    // AUTH without a mechanism lists the mechanisms, multi-line.
    let out = run(
        &[Command::Auth {
            mechanism: None,
            initial: None,
        }],
        b"+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n",
    );
    assert_eq!(out, vec![ok(""), content(b"PLAIN\r\nLOGIN\r\n"), Ev::End]);
}

/// The `expect` queue: each response takes the next expectation; `-ERR` to a multi-line command
/// is one line; with nothing expected a response is one line.
#[test]
fn expect_queue() {
    let out = run(
        &[Command::Retr(9), Command::List(None), Command::Capa, Command::Top { msg: 1, lines: 0 }, Command::Stat],
        b"-ERR no such message\r\n-ERR [SYS/TEMP] busy\r\n-ERR not here\r\n+OK\r\n.\r\n+OK 1 2\r\n+OK after\r\n+OK\r\n.\r\n",
    );
    assert_eq!(
        out,
        vec![
            err("no such message"),
            Ev::Status(Response::err_with(ResponseCode::SysTemp, "busy")),
            err("not here"),
            ok(""),
            Ev::End,
            ok("1 2"),
            // Nothing expected any more: one line each; ".\r\n" then is no status.
            ok("after"),
            ok(""),
            Ev::Err(Error::Syntax {
                offset: 92,
                production: "status",
                found: Found::Byte(b'.'),
                reason: "+OK or -ERR, RFC 1939 §3",
            }),
        ]
    );
    // The queue as seen from outside.
    let mut d = ResponseDecoder::default();
    d.expect(&Command::Retr(1));
    d.expect(&Command::Stat);
    assert_eq!(d.outstanding(), 2);
    let mut buf = BytesMut::from(&b"+OK\r\nx\r\n"[..]);
    assert!(matches!(
        d.decode(&mut buf),
        Ok(Some(ResponseEvent::Status(_)))
    ));
    assert_eq!(d.outstanding(), 1);
    assert!(d.in_content());
    assert_eq!(
        d.decode(&mut buf),
        Ok(Some(ResponseEvent::Data("x\r\n".into())))
    );
    assert_eq!(d.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b".\r\n+OK 0 0\r\n");
    assert_eq!(d.decode(&mut buf), Ok(Some(ResponseEvent::End)));
    assert!(!d.in_content());
    assert!(matches!(
        d.decode(&mut buf),
        Ok(Some(ResponseEvent::Status(_)))
    ));
    assert_eq!(d.outstanding(), 0);
    assert_eq!(d.position(), 20);
    // A refused status line stands for the response it was: the next one takes the next.
    let out = run(
        &[Command::Retr(1), Command::Stat],
        b"+OK\x01\r\n+OK 1 1\r\n",
    );
    assert!(matches!(out[0], Ev::Err(Error::Syntax { offset: 3, .. })));
    assert_eq!(out[1], ok("1 1"));
    assert_eq!(out.len(), 2);
    // LIST and UIDL with an argument are one line.
    let out = run(
        &[Command::List(Some(2)), Command::Uidl(Some(2))],
        b"+OK 2 200\r\n+OK 2 QhdPYR:00WBw1Ph7x7\r\n",
    );
    assert_eq!(out, vec![ok("2 200"), ok("2 QhdPYR:00WBw1Ph7x7")]);
}

/// Offsets count from the stream's start across content, stuffed dots included.
#[test]
fn offsets_across_content() {
    let out = run(
        &[Command::Retr(1), Command::Stat],
        b"+OK\r\n..a\r\n.\r\n+OK \x01\r\n",
    );
    assert_eq!(
        out[3],
        Ev::Err(Error::Syntax {
            offset: 17,
            production: "text",
            found: Found::Byte(1),
            reason: "printable characters, SP, HTAB or UTF-8, RFC 1939 §3, RFC 6856",
        })
    );
    // A bare LF inside content: its own offset; the content is skipped to its real end.
    let out = run(
        &[Command::Retr(1), Command::Stat],
        b"+OK\r\n..a\r\nb\nc\r\n.\r\n+OK 1 1\r\n",
    );
    assert_eq!(
        out,
        vec![
            ok(""),
            content(b".a\r\nb"),
            Ev::Err(Error::BareLineEnd {
                offset: 11,
                byte: b'\n'
            }),
            Ev::End,
            ok("1 1"),
        ]
    );
    // The end of the stream inside content, and inside a status line.
    let out = run(&[Command::Retr(1)], b"+OK\r\n..a\r\nb");
    assert_eq!(
        out.last(),
        Some(&Ev::Err(Error::Truncated {
            offset: 11,
            inside: "a multi-line response"
        }))
    );
    let out = run(&[Command::Retr(1)], b"+OK\r\n..a\r\n");
    assert_eq!(
        out,
        vec![
            ok(""),
            content(b".a\r\n"),
            Ev::Err(Error::Truncated {
                offset: 10,
                inside: "a multi-line response"
            })
        ]
    );
    let out = run(&[Command::Stat], b"+OK 1");
    assert_eq!(
        out,
        vec![Ev::Err(Error::Truncated {
            offset: 5,
            inside: "response line"
        })]
    );
}

/// A status line of 512 octets with its CRLF is read; one more is refused at its start and
/// skipped, and the next response is read (RFC 2449 §4).
#[test]
fn response_line_limit() {
    let at = format!("+OK {}\r\n+OK next\r\n", "x".repeat(506));
    let out = run(&[], at.as_bytes());
    assert_eq!(out.len(), 2);
    assert_eq!(out[1], ok("next"));
    let over = format!("+OK x\r\n+OK {}\r\n+OK next\r\n", "x".repeat(507));
    let out = run(&[], over.as_bytes());
    assert_eq!(
        out,
        vec![
            ok("x"),
            Ev::Err(Error::LineTooLong {
                offset: 7,
                what: "response line",
                limit: 512
            }),
            ok("next"),
        ]
    );
    // Content lines have no limit by default; a configured one is enforced.
    let long = format!("+OK\r\n{}\r\n.\r\n", "y".repeat(5000));
    let out = run(&[Command::Retr(1)], long.as_bytes());
    assert_eq!(
        out[1],
        Ev::Content(format!("{}\r\n", "y".repeat(5000)).into_bytes())
    );
    let limits = Limits {
        max_content_line: Some(100),
        max_multiline_size: 1000,
        ..Limits::default()
    };
    let out = run_with(
        &[Expect::MultiLine],
        &[format!("+OK\r\nab\r\n{}\r\n.\r\n", "y".repeat(99)).as_bytes()],
        limits,
        Leniency::strict(),
    );
    assert_eq!(
        out[2],
        Ev::Err(Error::LineTooLong {
            offset: 9,
            what: "content line",
            limit: 100
        })
    );
    assert_eq!(out[3], Ev::End);
    let big = format!("+OK\r\n{}.\r\n", "0123456789\r\n".repeat(100));
    let out = run_with(
        &[Expect::MultiLine],
        &[big.as_bytes()],
        limits,
        Leniency::strict(),
    );
    assert!(
        out.iter().any(|e| matches!(
            e,
            Ev::Err(Error::TooLarge {
                what: "multi-line response",
                limit: 1000,
                ..
            })
        )),
        "{out:?}"
    );
    assert_eq!(out.last(), Some(&Ev::End));
}

/// Bare line ends: refused strictly in status lines and content (never an early end); under
/// `normalize_bare_line_ends` they end status lines and become CRLF in content, but never end
/// the content.
#[test]
fn bare_line_ends() {
    let lenient = Leniency::strict().normalize_bare_line_ends(true);
    let input = b"+OK 1\n+OK\r\na\nb\r\n.\n.\r\n.\r\n";
    let expect = [Expect::SingleLine, Expect::MultiLine];
    let strict = run_leniency(&expect, input, Leniency::strict());
    assert_eq!(
        strict,
        vec![
            Ev::Err(Error::BareLineEnd {
                offset: 5,
                byte: b'\n'
            }),
            // "+OK\r\n" was part of the refused line; "a\nb\r\n" then is a line of its own,
            // refused too, and ".\n.\r\n": nothing is ever taken as content.
            Ev::Err(Error::BareLineEnd {
                offset: 12,
                byte: b'\n'
            }),
            Ev::Err(Error::BareLineEnd {
                offset: 17,
                byte: b'\n'
            }),
            Ev::Err(Error::Syntax {
                offset: 21,
                production: "status",
                found: Found::Byte(b'.'),
                reason: "+OK or -ERR, RFC 1939 §3",
            }),
        ]
    );
    let out = run_leniency(&expect, input, lenient);
    assert_eq!(
        out,
        vec![
            ok("1"),
            ok(""),
            // ".\n" loses its stuffed dot; the ".\r\n" after a bare LF is a line holding "",
            // never the end (a strict reader does not end there either); the real end follows.
            content(b"a\r\nb\r\n\r\n\r\n"),
            Ev::End
        ]
    );
}

/// The encoders: status lines, challenges, multi-line content stuffed.
#[test]
fn encoders() {
    let mut e = ResponseEncoder::default();
    let mut out = BytesMut::new();
    e.encode(&Response::ok("2 320"), &mut out).unwrap();
    e.encode(&Response::err_with(ResponseCode::InUse, "locked"), &mut out)
        .unwrap();
    e.encode(&Challenge::encode(b"Username:"), &mut out)
        .unwrap();
    e.encode_multiline(&Response::ok("follows"), b".a\r\n..\r\n.\r\nlast", &mut out)
        .unwrap();
    e.encode_multiline(&Response::ok("empty"), b"", &mut out)
        .unwrap();
    assert_eq!(
        &out[..],
        &b"+OK 2 320\r\n-ERR [IN-USE] locked\r\n+ VXNlcm5hbWU6\r\n+OK follows\r\n..a\r\n...\r\n..\r\nlast\r\n.\r\n+OK empty\r\n.\r\n"[..]
    );
    // Bare line ends in content cannot be sent (RFC 1939 §3): nothing is written.
    let before = out.len();
    assert!(matches!(
        e.encode_multiline(&Response::ok("x"), b"a\nb\r\n", &mut out),
        Err(Error::BareLineEnd {
            offset: 1,
            byte: b'\n'
        })
    ));
    assert_eq!(out.len(), before);
    // Over 512 octets, or text that cannot be written.
    assert!(matches!(
        e.encode(&Response::ok("x".repeat(507)), &mut out),
        Err(Error::Local { .. })
    ));
    e.encode(&Response::ok("x".repeat(506)), &mut out).unwrap();
    assert!(e.encode(&Response::ok("a\rb"), &mut out).is_err());
    // Streamed content: the status, the pieces, the end.
    let mut out = BytesMut::new();
    e.encode(&Response::ok("streamed"), &mut out).unwrap();
    let mut dot = e.content_encoder();
    dot.encode_content(b".first\r", &mut out).unwrap();
    dot.encode_content(b"\n.second\r\n", &mut out).unwrap();
    dot.finish(&mut out).unwrap();
    assert_eq!(&out[..], b"+OK streamed\r\n..first\r\n..second\r\n.\r\n");
}

fn response() -> impl Strategy<Value = Response> {
    let code = prop_oneof![
        Just(None),
        prop_oneof![
            Just(ResponseCode::InUse),
            Just(ResponseCode::LoginDelay),
            Just(ResponseCode::SysTemp),
            Just(ResponseCode::SysPerm),
            Just(ResponseCode::Auth),
            Just(ResponseCode::Utf8),
            "[A-Z0-9-]{1,8}(/[A-Za-z]{1,5}){0,2}".prop_map(|s| ResponseCode::new(&s).unwrap()),
        ]
        .prop_map(Some),
    ];
    (any::<bool>(), code, "[ -~\t\u{e9}\u{4e2d}]{0,60}").prop_filter_map(
        "a text starting with [ needs a code before it",
        |(ok, code, text)| {
            (code.is_some() || !text.starts_with('[')).then_some(Response { ok, code, text })
        },
    )
}

/// A message: lines without CR or LF (dot-leading ones often), each ending in CRLF.
fn message() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        proptest::collection::vec(
            any::<u8>().prop_filter("no CR or LF", |b| *b != b'\r' && *b != b'\n'),
            0..30
        ),
        "\\.{1,3}[a-z .]{0,5}".prop_map(String::into_bytes),
    ];
    proptest::collection::vec(line, 0..12).prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|mut l| {
                l.extend_from_slice(b"\r\n");
                l
            })
            .collect()
    })
}

/// Bytes that look like POP3 responses.
fn responses_like() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(&b"+OK"[..]),
        Just(&b"-ERR"[..]),
        Just(&b" [IN-USE]"[..]),
        Just(&b" ["[..]),
        Just(&b"+ "[..]),
        Just(&b"+"[..]),
        Just(&b"dGVzdA=="[..]),
        Just(&b"."[..]),
        Just(&b".."[..]),
        Just(&b"\r\n"[..]),
        Just(&b"\r\n.\r\n"[..]),
        Just(&b"\n.\n"[..]),
        Just(&b"\r"[..]),
        Just(&b"\n"[..]),
        Just(&b"\0"[..]),
        Just(&b"x"[..]),
        Just(&b" "[..]),
    ];
    proptest::collection::vec(token, 0..60).prop_map(|t| t.concat())
}

fn expect() -> impl Strategy<Value = Expect> {
    prop_oneof![
        Just(Expect::SingleLine),
        Just(Expect::MultiLine),
        Just(Expect::Auth)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn status_lines_encode_then_decode(r in response()) {
        let mut out = BytesMut::new();
        ResponseEncoder::default().encode(&r, &mut out).unwrap();
        let got = run_with(&[], &[&out], Limits::default(), Leniency::strict());
        prop_assert_eq!(got, vec![Ev::Status(r.clone())]);
        prop_assert_eq!(Response::decode(r.to_line().unwrap().as_bytes(), 0).unwrap(), r);
    }

    #[test]
    fn multiline_encode_then_decode(
        status in response().prop_map(|r| Response { ok: true, ..r }),
        messages in proptest::collection::vec(message(), 1..4),
        points in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let mut e = ResponseEncoder::default();
        let mut out = BytesMut::new();
        let mut expected = Vec::new();
        for m in &messages {
            e.encode_multiline(&status, m, &mut out).unwrap();
            expected.push(Ev::Status(status.clone()));
            if !m.is_empty() {
                expected.push(Ev::Content(m.clone()));
            }
            expected.push(Ev::End);
        }
        let expect = vec![Expect::MultiLine; messages.len()];
        let whole = run_with(&expect, &[&out], Limits::default(), Leniency::strict());
        prop_assert_eq!(&whole, &expected);
        let split = run_with(&expect, &cut(&out, &points), Limits::default(), Leniency::strict());
        prop_assert_eq!(&split, &expected);
        let bytewise: Vec<&[u8]> = out.chunks(1).collect();
        prop_assert_eq!(run_with(&expect, &bytewise, Limits::default(), Leniency::strict()), expected);
    }

    #[test]
    fn any_split_gives_the_same_events(
        input in responses_like(),
        expects in proptest::collection::vec(expect(), 0..10),
        points in proptest::collection::vec(any::<usize>(), 0..8),
        lenient in any::<bool>(),
        max in 8usize..600,
    ) {
        let limits = Limits {
            max_response_line: max,
            max_content_line: Some(max),
            max_multiline_size: 200,
            ..Limits::default()
        };
        let leniency = Leniency::strict().normalize_bare_line_ends(lenient);
        let whole = run_with(&expects, &[&input], limits, leniency);
        let split = run_with(&expects, &cut(&input, &points), limits, leniency);
        prop_assert_eq!(&whole, &split);
        let bytewise: Vec<&[u8]> = input.chunks(1).collect();
        prop_assert_eq!(&whole, &run_with(&expects, &bytewise, limits, leniency));
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        input in proptest::collection::vec(any::<u8>(), 0..600),
        expects in proptest::collection::vec(expect(), 0..10),
    ) {
        let limits = Limits { max_response_line: 64, max_auth_line: 100, ..Limits::default() };
        let mut d = ResponseDecoder::new(limits, Leniency::strict());
        for e in &expects {
            d.expect_as(*e);
        }
        let mut buf = BytesMut::from(&input[..]);
        let mut rounds = 0;
        while !matches!(d.decode(&mut buf), Ok(None)) {
            rounds += 1;
            prop_assert!(rounds <= 2 * input.len() + 2);
        }
        prop_assert!(d.in_content() || buf.len() <= 100);
        let _ = d.decode_eof(&mut buf);
        prop_assert!(d.position() <= input.len() as u64);
    }
}

/// The end of the stream inside content is one error: the decoder then has nothing more to say,
/// even when the content ended in a CR whose LF never came.
#[test]
fn truncated_once() {
    for input in [
        &b"+OK\r\nab\r"[..],
        b"+OK\r\nab\r\n",
        b"+OK\r\nab",
        b"+OK\r\n",
    ] {
        let mut d = ResponseDecoder::default();
        d.expect(&Command::Retr(1));
        let mut buf = BytesMut::from(input);
        let mut errors = Vec::new();
        for _ in 0..6 {
            match d.decode_eof(&mut buf) {
                Err(e) => errors.push(e),
                Ok(None) => break,
                Ok(Some(_)) => {}
            }
        }
        assert_eq!(
            errors,
            vec![Error::Truncated {
                offset: input.len() as u64,
                inside: "a multi-line response"
            }],
            "{input:?}"
        );
        assert_eq!(d.position(), input.len() as u64, "{input:?}");
    }
}

/// While AUTH is answered, a challenge may be as long as a GSSAPI token (RFC 5034 §4: "MUST be
/// able to handle the maximum encoded size of challenges ... independent of any line length
/// limitations"): up to [`Limits::max_auth_line`], not RFC 2449's 512. Regression: a challenge
/// over 510 octets was refused.
#[test]
fn long_challenges() {
    let token = "QUFB".repeat(1000);
    let input = format!("+ {token}\r\n+OK\r\n+OK {}\r\n", "x".repeat(600));
    let out = run_leniency(
        &[Expect::Auth, Expect::SingleLine],
        input.as_bytes(),
        Leniency::strict(),
    );
    assert_eq!(
        out,
        vec![
            Ev::Challenge(token.clone()),
            ok(""),
            // Past the exchange, status lines are held to 512 octets again.
            Ev::Err(Error::LineTooLong {
                offset: 4009,
                what: "response line",
                limit: 512
            }),
        ]
    );
    let over = format!("+ {}\r\n+OK\r\n", "QUFB".repeat(3072));
    let out = run_with(
        &[Expect::Auth],
        &[over.as_bytes()],
        Limits::default(),
        Leniency::strict(),
    );
    assert_eq!(
        out,
        vec![
            Ev::Err(Error::LineTooLong {
                offset: 0,
                what: "response line",
                limit: 12_288
            }),
            // The refused line stood for the AUTH answer; the next is read as nothing expected.
            ok(""),
        ]
    );
}
