//! The server session (RFC 5321 §3, §4.1.4; RFC 2920, 3207, 4954, 3030): every scenario run
//! with the input whole and again byte by byte, with the same events and replies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use bytes::BytesMut;
use framing::Decoder;
use smtp_codec::{
    Capability, Domain, Error, Mechanism, Reply, ReplyDecoder, ServerConfig, ServerEvent,
    ServerSession,
};

/// The application's answer to an event.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Accept,
    Refuse(u16),
    Challenge(&'static [u8]),
}

#[derive(Debug, PartialEq)]
struct Outcome {
    /// Events (Data pieces joined) and refusals.
    events: Vec<Result<ServerEvent, Error>>,
    replies: Vec<Reply>,
}

impl Outcome {
    fn codes(&self) -> Vec<u16> {
        self.replies.iter().map(Reply::code).collect()
    }

    fn content(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for e in &self.events {
            if let Ok(ServerEvent::Data(d)) = e {
                out.extend_from_slice(d);
            }
        }
        out
    }
}

fn config() -> ServerConfig {
    let mut c = ServerConfig::new(Domain::new("mx.example").unwrap());
    c.capabilities.extend([
        Capability::StartTls,
        Capability::Chunking,
        Capability::Size(Some(c.limits.max_message_size)),
        Capability::Auth(vec![Mechanism::new("PLAIN").unwrap()]),
    ]);
    c
}

/// The default application: accepts everything, challenges an AUTH without initial response.
fn accept_all(e: &ServerEvent) -> Option<Answer> {
    match e {
        ServerEvent::Auth { initial: None, .. } => Some(Answer::Challenge(b"")),
        ServerEvent::Mail { .. }
        | ServerEvent::Rcpt { .. }
        | ServerEvent::MessageEnd
        | ServerEvent::Auth { .. }
        | ServerEvent::AuthResponse(_) => Some(Answer::Accept),
        _ => None,
    }
}

fn answer(s: &mut ServerSession, a: Answer) {
    match a {
        Answer::Accept => s.accept().unwrap(),
        Answer::Refuse(code) => s.refuse(Reply::new(code, ["5.1.1 no"]).unwrap()).unwrap(),
        Answer::Challenge(d) => s.challenge(d).unwrap(),
    }
}

fn drain(
    s: &mut ServerSession,
    decide: &mut dyn FnMut(&ServerEvent) -> Option<Answer>,
    events: &mut Vec<Result<ServerEvent, Error>>,
) {
    loop {
        match s.poll_event() {
            Ok(None) => return,
            Ok(Some(e)) => {
                if let Some(a) = decide(&e) {
                    answer(s, a);
                }
                match (events.last_mut(), e) {
                    (Some(Ok(ServerEvent::Data(prev))), ServerEvent::Data(d)) => {
                        let mut joined = prev.to_vec();
                        joined.extend_from_slice(&d);
                        *prev = joined.into();
                    }
                    (_, e) => events.push(Ok(e)),
                }
            }
            Err(e) => events.push(Err(e)),
        }
    }
}

fn run_split(
    session: &mut ServerSession,
    input: &[u8],
    bytewise: bool,
    eof: bool,
    decide: &mut dyn FnMut(&ServerEvent) -> Option<Answer>,
) -> Outcome {
    let mut events = Vec::new();
    let mut wire = BytesMut::new();
    let pieces: Vec<&[u8]> = if bytewise {
        input.chunks(1).collect()
    } else {
        vec![input]
    };
    drain(session, decide, &mut events);
    for p in pieces {
        session.receive(p);
        drain(session, decide, &mut events);
        while let Some(out) = session.poll_transmit() {
            wire.extend_from_slice(&out);
        }
    }
    if eof {
        session.receive_eof();
        drain(session, decide, &mut events);
    }
    while let Some(out) = session.poll_transmit() {
        wire.extend_from_slice(&out);
    }
    let mut replies = Vec::new();
    let mut dec = ReplyDecoder::default();
    while let Some(r) = dec.decode(&mut wire).expect("a valid reply stream") {
        replies.push(r);
    }
    assert!(wire.is_empty(), "a partial reply: {wire:?}");
    Outcome { events, replies }
}

/// Runs `input` whole and byte by byte on fresh sessions; both must agree.
fn run_with(
    config: ServerConfig,
    input: &[u8],
    eof: bool,
    decide: &mut dyn FnMut(&ServerEvent) -> Option<Answer>,
) -> Outcome {
    let whole = run_split(
        &mut ServerSession::new(config.clone()),
        input,
        false,
        eof,
        decide,
    );
    let bytewise = run_split(&mut ServerSession::new(config), input, true, eof, decide);
    assert_eq!(whole, bytewise, "whole and byte by byte differ");
    whole
}

fn run(input: &[u8]) -> Outcome {
    run_with(config(), input, false, &mut accept_all)
}

fn is_refusal(e: &Result<ServerEvent, Error>) -> bool {
    e.is_err()
}

#[test]
fn appendix_d1_transaction() {
    // RFC 5321 Appendix D.1, with the refused recipient.
    let input = b"EHLO bar.com\r\n\
        MAIL FROM:<Smith@bar.com>\r\n\
        RCPT TO:<Jones@foo.com>\r\n\
        RCPT TO:<Green@foo.com>\r\n\
        RCPT TO:<Brown@foo.com>\r\n\
        DATA\r\n\
        Blah blah blah...\r\n\
        ...etc. etc. etc.\r\n\
        .\r\n\
        QUIT\r\n";
    let mut decide = |e: &ServerEvent| match e {
        ServerEvent::Rcpt { to, .. } if to.to_string().starts_with("Green") => {
            Some(Answer::Refuse(550))
        }
        e => accept_all(e),
    };
    let out = run_with(config(), input, true, &mut decide);
    assert_eq!(out.codes(), [220, 250, 250, 250, 550, 250, 354, 250, 221]);
    assert_eq!(out.content(), b"Blah blah blah...\r\n..etc. etc. etc.\r\n");
    assert!(matches!(out.events.last(), Some(Ok(ServerEvent::Closed))));
    assert!(matches!(
        out.events.first(),
        Some(Ok(ServerEvent::Hello { extended: true, .. }))
    ));
    assert!(out.events.iter().all(|e| e.is_ok()));
    // The EHLO reply announces the capabilities.
    let ehlo = out.replies.get(1).unwrap();
    assert_eq!(*ehlo.lines().first().unwrap(), "mx.example");
    assert!(ehlo.lines().contains(&"PIPELINING"));
    assert!(ehlo.lines().contains(&"STARTTLS"));
}

#[test]
fn command_order_503() {
    let out = run(b"MAIL FROM:<a@b.example>\r\n\
        RCPT TO:<c@d.example>\r\n\
        DATA\r\n\
        HELO c.example\r\n\
        RCPT TO:<c@d.example>\r\n\
        DATA\r\n\
        MAIL FROM:<a@b.example>\r\n\
        MAIL FROM:<a@b.example>\r\n\
        DATA\r\n\
        RCPT TO:<c@d.example>\r\n\
        DATA\r\n");
    assert_eq!(
        out.codes(),
        [220, 503, 503, 503, 250, 503, 503, 250, 503, 554, 250, 354]
    );
    assert_eq!(out.events.iter().filter(|e| is_refusal(e)).count(), 7);
}

#[test]
fn syntax_errors_500_501_and_the_session_goes_on() {
    let long = format!("NOOP {}\r\n", "a".repeat(2000));
    let mut input = b"EHLO c.example\r\nMAIL FROM: <a@b>\r\nFOO bar\r\n".to_vec();
    input.extend_from_slice(long.as_bytes());
    input.extend_from_slice(b"RCPT TO:<a@b> SIZE=1\r\nNOOP\r\nMAIL FROM:<a@b>\r\n");
    let out = run(&input);
    assert_eq!(out.codes(), [220, 250, 501, 500, 500, 501, 250, 250]);
    assert!(matches!(out.events.get(1), Some(Err(Error::Syntax { .. }))));
    assert!(matches!(
        out.events.get(2),
        Some(Err(Error::UnknownCommand { .. }))
    ));
    assert!(matches!(
        out.events.get(3),
        Some(Err(Error::LineTooLong { .. }))
    ));
    assert!(
        out.replies
            .get(2)
            .unwrap()
            .lines()
            .first()
            .unwrap()
            .starts_with("5.5.4")
    );
}

#[test]
fn recipient_limit_452() {
    let mut c = config();
    c.max_recipients = 2;
    let out = run_with(
        c,
        b"EHLO c.example\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nRCPT TO:<x@z>\r\n\
          RCPT TO:<x@w>\r\nDATA\r\n.\r\n",
        false,
        &mut accept_all,
    );
    assert_eq!(out.codes(), [220, 250, 250, 250, 250, 452, 354, 250]);
    assert!(out.replies.get(5).unwrap().lines()[0].starts_with("4.5.3"));
}

#[test]
fn recipients_refused_do_not_count() {
    let mut c = config();
    c.max_recipients = 1;
    let mut decide = |e: &ServerEvent| match e {
        ServerEvent::Rcpt { to, .. } if to.to_string() == "x@y" => Some(Answer::Refuse(550)),
        e => accept_all(e),
    };
    let out = run_with(
        c,
        b"HELO c.example\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nRCPT TO:<x@z>\r\nRCPT TO:<x@w>\r\n",
        false,
        &mut decide,
    );
    assert_eq!(out.codes(), [220, 250, 250, 550, 250, 452]);
}

#[test]
fn size_limit_552() {
    let mut c = config();
    c.limits.max_message_size = 10;
    let out = run_with(
        c,
        b"EHLO c.example\r\nMAIL FROM:<a@b> SIZE=11\r\nMAIL FROM:<a@b> SIZE=10\r\n\
          RCPT TO:<x@y>\r\nDATA\r\n0123456789abc\r\n.\r\nRCPT TO:<x@y>\r\n\
          MAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nDATA\r\n0123\r\n.\r\n",
        false,
        &mut accept_all,
    );
    assert_eq!(
        out.codes(),
        [220, 250, 552, 250, 250, 354, 552, 503, 250, 250, 354, 250]
    );
    assert!(
        out.events
            .iter()
            .any(|e| matches!(e, Ok(ServerEvent::MessageRefused(Error::TooLarge { .. }))))
    );
    assert_eq!(out.content(), b"01234567890123\r\n");
}

#[test]
fn pipelined_replies_in_order() {
    // RFC 2920 §3.1's example group, in one read; the application refuses the second RCPT.
    let input = b"EHLO c.example\r\nMAIL FROM:<mrose@dbc.mtview.ca.us>\r\n\
        RCPT TO:<ned@innosoft.com>\r\nRCPT TO:<dan@innosoft.com>\r\n\
        RCPT TO:<kvc@innosoft.com>\r\nDATA\r\nhi\r\n.\r\nNOOP\r\nQUIT\r\n";
    let mut decide = |e: &ServerEvent| match e {
        ServerEvent::Rcpt { to, .. } if to.to_string().starts_with("dan") => {
            Some(Answer::Refuse(550))
        }
        e => accept_all(e),
    };
    let out = run_with(config(), input, false, &mut decide);
    assert_eq!(
        out.codes(),
        [220, 250, 250, 250, 550, 250, 354, 250, 250, 221]
    );

    // While a decision is awaited nothing more is read, and nothing behind it is answered.
    let mut s = ServerSession::new(config());
    s.receive(b"EHLO c.example\r\nMAIL FROM:<a@b>\r\nNOOP\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(ServerEvent::Hello { .. }))
    ));
    assert!(matches!(s.poll_event(), Ok(Some(ServerEvent::Mail { .. }))));
    assert_eq!(s.poll_event(), Ok(None));
    assert_eq!(s.buffered(), 6); // the NOOP waits
    let before = s.poll_transmit().unwrap();
    assert!(before.ends_with(b"PIPELINING\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-CHUNKING\r\n250-SIZE 67108864\r\n250 AUTH PLAIN\r\n"));
    s.refuse(Reply::new(550, ["5.7.1 not you"]).unwrap())
        .unwrap();
    assert_eq!(s.poll_event(), Ok(None));
    assert_eq!(
        &s.poll_transmit().unwrap()[..],
        b"550 5.7.1 not you\r\n250 2.0.0 Ok\r\n"
    );
}

#[test]
fn rset_anywhere() {
    let out = run(
        b"RSET\r\nEHLO c.example\r\nRSET\r\nMAIL FROM:<a@b>\r\nRSET\r\n\
        RCPT TO:<x@y>\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nRSET\r\nDATA\r\n",
    );
    assert_eq!(
        out.codes(),
        [220, 250, 250, 250, 250, 250, 503, 250, 250, 250, 503]
    );
}

#[test]
fn starttls_with_bytes_behind_is_refused() {
    // CVE-2011-0411: the RSET sent in the clear behind STARTTLS must not reach TLS.
    let mut s = ServerSession::new(config());
    s.receive(b"EHLO c.example\r\nSTARTTLS\r\nRSET\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(ServerEvent::Hello { .. }))
    ));
    assert!(matches!(
        s.poll_event(),
        Err(Error::Peer { offset: 26, .. })
    ));
    assert_eq!(s.poll_event(), Ok(None));
    assert!(s.take_remaining().is_empty());
    s.receive(b"NOOP\r\n");
    assert_eq!(s.poll_event(), Ok(None));
    assert!(s.take_remaining().is_empty());
    let mut wire = BytesMut::from(&s.poll_transmit().unwrap()[..]);
    let mut dec = ReplyDecoder::default();
    let mut codes = Vec::new();
    while let Some(r) = dec.decode(&mut wire).unwrap() {
        codes.push(r.code());
    }
    // The RSET was never answered; the NOOP after the refusal is, in the clear.
    assert_eq!(codes, [220, 250, 554, 250]);
    assert!(!s.is_tls());

    // Byte by byte, with a poll after each byte, the STARTTLS line is read with nothing behind
    // it: accepted, and what follows is the client's TLS input, handed back, never parsed.
    let mut s = ServerSession::new(config());
    let mut events = Vec::new();
    for b in b"EHLO c.example\r\nSTARTTLS\r\nRSET\r\n" {
        s.receive(&[*b]);
        drain(&mut s, &mut accept_all, &mut events);
    }
    assert!(matches!(events.last(), Some(Ok(ServerEvent::StartTls))));
    assert_eq!(&s.take_remaining()[..], b"RSET\r\n");
}

#[test]
fn starttls_then_tls_resets_the_session() {
    for bytewise in [false, true] {
        let mut s = ServerSession::new(config());
        let out = run_split(
            &mut s,
            b"EHLO c.example\r\nMAIL FROM:<a@b>\r\nRSET\r\nSTARTTLS\r\n",
            bytewise,
            false,
            &mut accept_all,
        );
        assert_eq!(out.codes(), [220, 250, 250, 250, 220]);
        assert!(matches!(out.events.last(), Some(Ok(ServerEvent::StartTls))));
        // The client's handshake arrives: handed back, never parsed.
        s.receive(b"\x16\x03\x01\r\nQUIT\r\n");
        assert_eq!(s.poll_event(), Ok(None));
        assert_eq!(&s.take_remaining()[..], b"\x16\x03\x01\r\nQUIT\r\n");
        assert_eq!(s.poll_transmit(), None);
        s.tls_established().unwrap();
        assert!(s.is_tls());
        let out = run_split(
            &mut s,
            b"MAIL FROM:<a@b>\r\nSTARTTLS\r\nEHLO c.example\r\nSTARTTLS\r\n",
            bytewise,
            false,
            &mut accept_all,
        );
        // MAIL needs EHLO again; STARTTLS is neither announced nor accepted in TLS.
        assert_eq!(out.codes(), [503, 503, 250, 503]);
        assert!(!out.replies.get(2).unwrap().lines().contains(&"STARTTLS"));
    }
    let mut s = ServerSession::new(config());
    assert!(s.tls_established().is_err());
}

#[test]
fn starttls_not_announced_502() {
    let mut c = config();
    c.capabilities.retain(|c| *c != Capability::StartTls);
    let out = run_with(
        c,
        b"EHLO c.example\r\nSTARTTLS\r\nNOOP\r\n",
        false,
        &mut accept_all,
    );
    assert_eq!(out.codes(), [220, 250, 502, 250]);
}

#[test]
fn auth_exchange() {
    // AUTH PLAIN, challenged, answered, accepted.
    let out = run(b"EHLO c.example\r\nAUTH PLAIN\r\nAGFsaWNlAHNlY3JldA==\r\nAUTH PLAIN =\r\nMAIL FROM:<a@b>\r\n");
    assert_eq!(out.codes(), [220, 250, 334, 235, 503, 250]);
    assert!(
        out.events
            .contains(&Ok(ServerEvent::AuthResponse(b"\0alice\0secret".to_vec())))
    );
    assert_eq!(out.replies.get(2).unwrap().sasl_challenge(), Some(vec![]));

    // Cancelled with `*`: 501, and the session goes on; AUTH may be tried again.
    let out = run(b"EHLO c.example\r\nAUTH PLAIN\r\n*\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
    assert_eq!(out.codes(), [220, 250, 334, 501, 235]);
    assert!(out.events.contains(&Ok(ServerEvent::AuthCancelled)));

    // Not base64: 501. Unknown mechanism: 504. Before EHLO: 503. Refused by the application.
    let mut decide = |e: &ServerEvent| match e {
        ServerEvent::AuthResponse(_) => Some(Answer::Refuse(535)),
        e => accept_all(e),
    };
    let out = run_with(
        config(),
        b"AUTH PLAIN\r\nEHLO c.example\r\nAUTH LOGIN\r\nAUTH PLAIN\r\nnot base64!\r\n\
          AUTH PLAIN\r\ndGVzdA==\r\nNOOP\r\n",
        false,
        &mut decide,
    );
    assert_eq!(out.codes(), [220, 503, 250, 504, 334, 501, 334, 535, 250]);

    // Not announced: 502.
    let mut c = config();
    c.capabilities.retain(|c| !matches!(c, Capability::Auth(_)));
    let out = run_with(
        c,
        b"EHLO c.example\r\nAUTH PLAIN\r\n",
        false,
        &mut accept_all,
    );
    assert_eq!(out.codes(), [220, 250, 502]);
}

#[test]
fn smuggling_in_data_is_refused_and_the_session_resynchronises() {
    // A bare LF before the dot: the content is refused with 500 at its real end, and the
    // "smuggled" MAIL inside it is never a command.
    let out = run(
        b"EHLO c.example\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nDATA\r\n\
        hi\r\n\n.\n\r\nMAIL FROM:<evil@b>\r\nRCPT TO:<x@y>\r\nDATA\r\nx\r\n.\r\n\
        MAIL FROM:<a@b>\r\nQUIT\r\n",
    );
    assert_eq!(out.codes(), [220, 250, 250, 250, 354, 500, 250, 221]);
    assert!(out.events.iter().any(|e| matches!(
        e,
        Ok(ServerEvent::MessageRefused(Error::BareLineEnd {
            byte: b'\n',
            ..
        }))
    )));
    let mails = out
        .events
        .iter()
        .filter(|e| matches!(e, Ok(ServerEvent::Mail { .. })))
        .count();
    assert_eq!(mails, 2);
    assert!(
        !out.events
            .iter()
            .any(|e| matches!(e, Ok(ServerEvent::MessageEnd)))
    );
}

#[test]
fn bdat_chunks() {
    let out = run(b"EHLO c.example\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\n\
        BDAT 5\r\n\r\n.\r\nBDAT 3 LAST\r\nabcNOOP\r\n");
    assert_eq!(out.codes(), [220, 250, 250, 250, 250, 250, 250]);
    assert_eq!(out.content(), b"\r\n.\r\nabc");
    // A BDAT refused: its octets are skipped, never read as commands, then answered.
    let out = run(b"EHLO c.example\r\nBDAT 6\r\nQUIT\r\nNOOP\r\n");
    assert_eq!(out.codes(), [220, 250, 503, 250]);
    let mut c = config();
    c.capabilities.retain(|c| *c != Capability::Chunking);
    let out = run_with(
        c,
        b"EHLO c.example\r\nBDAT 6 LAST\r\nQUIT\r\nNOOP\r\n",
        false,
        &mut accept_all,
    );
    assert_eq!(out.codes(), [220, 250, 502, 250]);
    // Over the size limit: 552, the transaction ends.
    let mut c = config();
    c.limits.max_message_size = 4;
    let out = run_with(
        c,
        b"EHLO c.example\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nBDAT 5 LAST\r\n12345RCPT TO:<x@y>\r\n",
        false,
        &mut accept_all,
    );
    assert_eq!(out.codes(), [220, 250, 250, 250, 552, 503]);
}

#[test]
fn quit_closed_and_misuse() {
    let out = run_with(config(), b"QUIT\r\nNOOP\r\n", true, &mut accept_all);
    assert_eq!(out.codes(), [220, 221]);
    assert_eq!(out.events, [Ok(ServerEvent::Quit), Ok(ServerEvent::Closed)]);
    let mut s = ServerSession::new(config());
    assert!(s.accept().is_err());
    assert!(s.refuse(Reply::new(550, ["x"]).unwrap()).is_err());
    assert!(s.challenge(b"x").is_err());
    s.receive(b"EHLO c.example\r\nMAIL FROM:<a@b>\r\n");
    let _ = s.poll_event();
    assert!(matches!(s.poll_event(), Ok(Some(ServerEvent::Mail { .. }))));
    assert!(s.refuse(Reply::new(250, ["x"]).unwrap()).is_err());
    assert!(s.accept_with(Reply::new(550, ["x"]).unwrap()).is_err());
    assert!(s.challenge(b"x").is_err());
    s.accept().unwrap();
    // The connection closes inside the content: refused, then Closed.
    s.receive(b"RCPT TO:<x@y>\r\n");
    assert!(matches!(s.poll_event(), Ok(Some(ServerEvent::Rcpt { .. }))));
    s.accept().unwrap();
    s.receive(b"DATA\r\npartial");
    assert_eq!(
        s.poll_event(),
        Ok(Some(ServerEvent::Data("partial".into())))
    );
    s.receive_eof();
    assert!(matches!(s.poll_event(), Err(Error::Truncated { .. })));
    assert_eq!(s.poll_event(), Ok(Some(ServerEvent::Closed)));
    assert_eq!(s.poll_event(), Ok(None));
}

#[test]
fn parameters_of_extensions_not_announced_555() {
    // config() announces SIZE but neither DSN, SMTPUTF8 nor REQUIRETLS.
    let out = run(
        b"EHLO c.example\r\nMAIL FROM:<a@b> RET=HDRS\r\nMAIL FROM:<a@b> SMTPUTF8\r\n\
        MAIL FROM:<a@b> X-FOO=1\r\nMAIL FROM:<a@b> BODY=7BIT SIZE=10 BODY=8BITMIME\r\n\
        MAIL FROM:<a@b> BODY=7BIT SIZE=10\r\nRCPT TO:<x@y> NOTIFY=NEVER\r\nRCPT TO:<x@y>\r\n",
    );
    assert_eq!(out.codes(), [220, 250, 555, 555, 555, 501, 250, 555, 250]);
    let mut c = config();
    c.capabilities
        .extend([Capability::Dsn, Capability::SmtpUtf8]);
    let out = run_with(
        c,
        "EHLO c.example\r\nMAIL FROM:<jörg@b> SMTPUTF8 RET=FULL\r\nRCPT TO:<x@y> NOTIFY=NEVER\r\n"
            .as_bytes(),
        false,
        &mut accept_all,
    );
    assert_eq!(out.codes(), [220, 250, 250, 250]);
}

#[test]
fn smtputf8_recipients_and_binarymime_data() {
    let mut c = config();
    c.capabilities
        .extend([Capability::SmtpUtf8, Capability::BinaryMime]);
    let out = run_with(
        c,
        "EHLO c.example\r\nMAIL FROM:<a@b>\r\nRCPT TO:<jörg@b>\r\nRSET\r\n\
         MAIL FROM:<a@b> SMTPUTF8\r\nRCPT TO:<jörg@b>\r\nRSET\r\n\
         MAIL FROM:<a@b> BODY=BINARYMIME\r\nRCPT TO:<x@y>\r\nDATA\r\nBDAT 2 LAST\r\n\0\n"
            .as_bytes(),
        false,
        &mut accept_all,
    );
    assert_eq!(
        out.codes(),
        [220, 250, 250, 553, 250, 250, 250, 250, 250, 250, 503, 250]
    );
    assert_eq!(out.content(), b"\0\n");
}

/// Runs `input` cut at `cuts` (positions into it).
fn run_cut(input: &[u8], cuts: &[usize]) -> Outcome {
    let mut s = ServerSession::new(config());
    let mut events = Vec::new();
    let mut wire = BytesMut::new();
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    points.push(input.len());
    points.sort_unstable();
    let mut from = 0;
    for to in points {
        s.receive(input.get(from..to).unwrap());
        from = to;
        drain(&mut s, &mut accept_all, &mut events);
    }
    s.receive_eof();
    drain(&mut s, &mut accept_all, &mut events);
    while let Some(out) = s.poll_transmit() {
        wire.extend_from_slice(&out);
    }
    let mut replies = Vec::new();
    let mut dec = ReplyDecoder::default();
    while let Some(r) = dec.decode(&mut wire).unwrap() {
        replies.push(r);
    }
    Outcome { events, replies }
}

proptest::proptest! {
    /// Any cut of a dialogue with every feature gives the same events and replies as the whole.
    #[test]
    fn any_split_gives_the_same_session(cuts in proptest::collection::vec(0usize..400, 0..12)) {
        let input: &[u8] = b"EHLO c.example\r\nAUTH PLAIN\r\nAGFsaWNlAHNlY3JldA==\r\n\
            MAIL FROM:<a@b> SIZE=20\r\nRCPT TO:<x@y>\r\nDATA\r\n..a\r\nb\r\n.\r\n\
            MAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nBDAT 3\r\n\r\n.BDAT 0 LAST\r\n\
            MAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nDATA\r\nx\n.\r\n.\r\nFOO\r\nRSET\r\nQUIT\r\n";
        let whole = run_cut(input, &[]);
        assert_eq!(
            whole.codes(),
            [220, 250, 334, 235, 250, 250, 354, 250, 250, 250, 250, 250, 250, 250, 354, 500, 500,
             250, 221]
        );
        proptest::prop_assert_eq!(run_cut(input, &cuts), whole);
    }
}
