//! The client session against scripted server bytes: every script is run twice, the server's
//! bytes fed whole and one byte at a time, and both runs must send and report the same.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use smtp_codec::{
    Capability, ClientConfig, ClientEvent, ClientSession, Domain, Envelope, Error, ForwardPath,
    Mailbox, Parameter, ReversePath, TlsPolicy,
};

#[derive(Clone)]
enum Step {
    Server(&'static [u8]),
    Mail(Envelope, &'static [u8]),
    Quit,
    StartTls,
    TlsUp,
    Auth(&'static str, &'static str),
    Eof,
}

type Outcome = Result<ClientEvent, Error>;

/// Per step: what the client sent, what it reported, and what the call itself returned.
#[derive(Debug, PartialEq)]
struct Turn {
    sent: Vec<u8>,
    events: Vec<Outcome>,
    call: Result<(), Error>,
}

fn session() -> ClientSession {
    ClientSession::new(ClientConfig::new(Domain::new("bar.com").unwrap()))
}

fn drive(steps: &[Step], bytewise: bool) -> Vec<Turn> {
    let mut s = session();
    let mut turns = Vec::new();
    for step in steps {
        let call = match step.clone() {
            Step::Server(bytes) => {
                if bytewise {
                    for b in bytes {
                        s.receive(std::slice::from_ref(b));
                    }
                } else {
                    s.receive(bytes);
                }
                Ok(())
            }
            Step::Mail(envelope, content) => s.send_mail(envelope, content),
            Step::Quit => s.quit(),
            Step::StartTls => s.start_tls(),
            Step::TlsUp => s.tls_established(),
            Step::Auth(user, password) => s.authenticate(user, password),
            Step::Eof => {
                s.receive_eof();
                Ok(())
            }
        };
        let mut sent = Vec::new();
        while let Some(out) = s.poll_transmit() {
            sent.extend_from_slice(&out);
        }
        let mut events = Vec::new();
        loop {
            match s.poll_event() {
                Ok(Some(e)) => events.push(Ok(e)),
                Ok(None) => break,
                Err(e) => events.push(Err(e)),
            }
        }
        turns.push(Turn { sent, events, call });
    }
    turns
}

/// Runs the script whole and byte by byte; both must agree.
fn run(steps: &[Step]) -> Vec<Turn> {
    let whole = drive(steps, false);
    assert_eq!(whole, drive(steps, true), "byte by byte differs");
    whole
}

fn fwd(s: &str) -> ForwardPath {
    ForwardPath::Mailbox(Mailbox::parse(s).unwrap())
}

fn envelope(from: &str, to: &[&str]) -> Envelope {
    Envelope::new(
        ReversePath::Mailbox(Mailbox::parse(from).unwrap()),
        to.iter().map(|t| fwd(t)).collect(),
    )
}

fn sent(turn: &Turn) -> &str {
    std::str::from_utf8(&turn.sent).unwrap()
}

fn is_peer_error(o: &Outcome) -> bool {
    matches!(o, Err(Error::Peer { .. }))
}

const GREETING: &[u8] = b"220 foo.com Simple Mail Transfer Service Ready\r\n";

/// RFC 5321 Appendix D.1, one command at a time (no PIPELINING): Green is refused, Jones and
/// Brown get the message.
#[test]
fn appendix_d1_lockstep() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(
            b"250-foo.com greets bar.com\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250 HELP\r\n",
        ),
        Step::Mail(
            envelope(
                "Smith@bar.com",
                &["Jones@foo.com", "Green@foo.com", "Brown@foo.com"],
            ),
            b"Blah blah blah...\r\n...etc. etc. etc.\r\n",
        ),
        Step::Server(b"250 OK\r\n"),
        Step::Server(b"250 OK\r\n"),
        Step::Server(b"550 No such user here\r\n"),
        Step::Server(b"250 OK\r\n"),
        Step::Server(b"354 Start mail input; end with <CRLF>.<CRLF>\r\n"),
        Step::Server(b"250 OK\r\n"),
        Step::Quit,
        Step::Server(b"221 foo.com Service closing transmission channel\r\n"),
    ]);
    assert!(matches!(&t[0].events[..], [Ok(ClientEvent::Greeting(r))] if r.code() == 220));
    assert_eq!(sent(&t[0]), "EHLO bar.com\r\n");
    let [Ok(ClientEvent::Capabilities(caps))] = &t[1].events[..] else {
        panic!("{:?}", t[1].events)
    };
    assert!(caps.contains(&Capability::Size(None)));
    assert_eq!(sent(&t[1]), "");
    // SIZE offered: the size is declared (RFC 1870 §6).
    assert_eq!(sent(&t[2]), "MAIL FROM:<Smith@bar.com> SIZE=38\r\n");
    assert_eq!(sent(&t[3]), "RCPT TO:<Jones@foo.com>\r\n");
    assert_eq!(sent(&t[4]), "RCPT TO:<Green@foo.com>\r\n");
    assert_eq!(sent(&t[5]), "RCPT TO:<Brown@foo.com>\r\n");
    assert!(matches!(
        &t[5].events[..],
        [Ok(ClientEvent::RecipientRefused { to, reply })] if *to == fwd("Green@foo.com") && reply.code() == 550
    ));
    assert_eq!(sent(&t[6]), "DATA\r\n");
    assert_eq!(
        sent(&t[7]),
        "Blah blah blah...\r\n....etc. etc. etc.\r\n.\r\n"
    );
    assert!(matches!(
        &t[8].events[..],
        [Ok(ClientEvent::Delivered { accepted, reply })]
            if *accepted == [fwd("Jones@foo.com"), fwd("Brown@foo.com")] && reply.code() == 250
    ));
    assert_eq!(sent(&t[9]), "QUIT\r\n");
    assert_eq!(t[10].events, [Ok(ClientEvent::Closed)]);
}

/// With PIPELINING, MAIL, the RCPTs and DATA go in one burst; the replies, read at once, are
/// matched in order.
#[test]
fn pipelined_burst() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 PIPELINING\r\n"),
        Step::Mail(
            envelope("a@bar.com", &["x@foo.com", "y@foo.com", "z@foo.com"]),
            b"hi\r\n",
        ),
        Step::Server(b"250 OK\r\n250 OK\r\n550 5.1.1 no\r\n250 OK\r\n354 go\r\n"),
        Step::Server(b"250 2.0.0 queued\r\n"),
        Step::Quit,
    ]);
    assert_eq!(
        sent(&t[2]),
        "MAIL FROM:<a@bar.com>\r\nRCPT TO:<x@foo.com>\r\nRCPT TO:<y@foo.com>\r\nRCPT TO:<z@foo.com>\r\nDATA\r\n"
    );
    assert_eq!(sent(&t[3]), "hi\r\n.\r\n");
    assert!(matches!(
        &t[3].events[..],
        [Ok(ClientEvent::RecipientRefused { to, .. })] if *to == fwd("y@foo.com")
    ));
    assert!(matches!(
        &t[4].events[..],
        [Ok(ClientEvent::Delivered { accepted, .. })] if *accepted == [fwd("x@foo.com"), fwd("z@foo.com")]
    ));
    assert_eq!(sent(&t[5]), "QUIT\r\n");
}

/// Every recipient refused without PIPELINING: no DATA, the transaction reset with RSET.
#[test]
fn all_refused_lockstep() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::Mail(
            envelope("a@bar.com", &["x@foo.com", "y@foo.com"]),
            b"hi\r\n",
        ),
        Step::Server(b"250 OK\r\n"),
        Step::Server(b"550 no\r\n"),
        Step::Server(b"551 not here\r\n"),
        Step::Server(b"250 reset\r\n"),
        Step::Quit,
    ]);
    assert_eq!(sent(&t[2]), "MAIL FROM:<a@bar.com>\r\n");
    assert_eq!(sent(&t[4]), "RCPT TO:<y@foo.com>\r\n");
    assert_eq!(sent(&t[5]), "RSET\r\n");
    assert!(matches!(
        &t[5].events[..],
        [Ok(ClientEvent::RecipientRefused { .. }), Ok(ClientEvent::MessageRefused(r))] if r.code() == 551
    ));
    assert_eq!(sent(&t[7]), "QUIT\r\n");
    assert_eq!(t[7].call, Ok(()));
}

/// Every recipient refused with PIPELINING: DATA refused too, then RSET; a 354 anyway gets a
/// lone dot and nothing more is reported.
#[test]
fn all_refused_pipelined() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 PIPELINING\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"hi\r\n"),
        Step::Server(b"250 OK\r\n550 no\r\n554 no valid recipients\r\n"),
        Step::Server(b"250 reset\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"hi\r\n"),
        Step::Server(b"250 OK\r\n550 no\r\n354 go\r\n"),
        Step::Server(b"554 nothing to deliver\r\n"),
        Step::Quit,
    ]);
    assert_eq!(sent(&t[3]), "RSET\r\n");
    assert_eq!(t[3].events.len(), 2);
    assert!(matches!(&t[3].events[1], Ok(ClientEvent::MessageRefused(r)) if r.code() == 550));
    assert_eq!(sent(&t[6]), ".\r\n");
    assert!(t[7].events.is_empty());
    assert_eq!(sent(&t[7]), "");
    assert_eq!(sent(&t[8]), "QUIT\r\n");
}

/// MAIL refused: the transaction ends there (no RSET: nothing to reset).
#[test]
fn mail_refused() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"hi\r\n"),
        Step::Server(b"553 5.1.8 bad sender\r\n"),
        Step::Quit,
    ]);
    assert!(matches!(&t[3].events[..], [Ok(ClientEvent::MessageRefused(r))] if r.code() == 553));
    assert_eq!(sent(&t[3]), "");
    assert_eq!(sent(&t[4]), "QUIT\r\n");
}

/// A message over the server's SIZE is refused before MAIL; one at the limit goes.
#[test]
fn size_over_the_servers() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 SIZE 10\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"0123456789\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"01234567\r\n"),
    ]);
    assert!(matches!(t[2].call, Err(Error::Local { .. })));
    assert_eq!(sent(&t[2]), "");
    assert_eq!(sent(&t[3]), "MAIL FROM:<a@bar.com> SIZE=10\r\n");
}

/// A UTF-8 path needs SMTPUTF8: refused locally when not offered, declared when it is.
#[test]
fn smtputf8() {
    let utf8 = || envelope("jörg@bücher.example", &["x@foo.com"]);
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::Mail(utf8(), b"hi\r\n"),
        Step::Mail(envelope("a@bar.com", &["zoë@foo.com"]), b"hi\r\n"),
    ]);
    assert!(matches!(t[2].call, Err(Error::Local { .. })));
    assert!(matches!(t[3].call, Err(Error::Local { .. })));
    assert_eq!(sent(&t[2]), "");
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 SMTPUTF8\r\n"),
        Step::Mail(utf8(), b"hi\r\n"),
    ]);
    assert_eq!(t[2].call, Ok(()));
    assert_eq!(sent(&t[2]), "MAIL FROM:<jörg@bücher.example> SMTPUTF8\r\n");
}

/// Lines starting with a dot are stuffed, the first line too; a bare LF is refused locally.
#[test]
fn dot_stuffing() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 PIPELINING\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"x\n.\r\n"),
        Step::Mail(
            envelope("a@bar.com", &["x@foo.com"]),
            b".first\r\nmid\r\n.\r\n..two",
        ),
        Step::Server(b"250 OK\r\n250 OK\r\n354 go\r\n"),
    ]);
    assert!(matches!(t[2].call, Err(Error::BareLineEnd { .. })));
    assert_eq!(sent(&t[2]), "");
    assert_eq!(sent(&t[4]), "..first\r\nmid\r\n..\r\n...two\r\n.\r\n");
}

/// CHUNKING: BDAT with the content as is, no stuffing, no terminator.
#[test]
fn chunking_sends_bdat() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250-CHUNKING\r\n250 PIPELINING\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b".a\r\n.\r\n"),
        Step::Server(b"250 OK\r\n250 OK\r\n250 2.0.0 got it\r\n"),
    ]);
    assert_eq!(
        sent(&t[2]),
        "MAIL FROM:<a@bar.com>\r\nRCPT TO:<x@foo.com>\r\nBDAT 7 LAST\r\n.a\r\n.\r\n"
    );
    assert!(matches!(
        &t[3].events[..],
        [Ok(ClientEvent::Delivered { .. })]
    ));
    // Without PIPELINING, BDAT waits for the RCPT replies.
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 CHUNKING\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"hi\r\n"),
        Step::Server(b"250 OK\r\n"),
        Step::Server(b"250 OK\r\n"),
        Step::Server(b"552 too big\r\n"),
        Step::Server(b"250 reset\r\n"),
    ]);
    assert_eq!(sent(&t[3]), "RCPT TO:<x@foo.com>\r\n");
    assert_eq!(sent(&t[4]), "BDAT 4 LAST\r\nhi\r\n");
    assert!(matches!(
        &t[5].events[..],
        [Ok(ClientEvent::MessageRefused(_))]
    ));
    assert_eq!(sent(&t[5]), "RSET\r\n");
}

const TLS_CAPS: &[u8] = b"250-foo.com\r\n250-PIPELINING\r\n250 STARTTLS\r\n";

/// Response injection: bytes behind the 220 to STARTTLS are an error, dropped, never carried
/// over to TLS. Fed byte by byte the 220 is complete before the rest arrives, so the session
/// reports StartTlsReady first; the rest is the same error.
#[test]
fn starttls_injection() {
    let steps = [
        Step::Server(GREETING),
        Step::Server(TLS_CAPS),
        Step::StartTls,
        Step::Server(b"220 Ready\r\n250-x\r\n250 AUTH LOGIN\r\n"),
        Step::TlsUp,
    ];
    for bytewise in [false, true] {
        let t = drive(&steps, bytewise);
        assert_eq!(sent(&t[2]), "STARTTLS\r\n");
        let events = &t[3].events;
        assert!(is_peer_error(events.last().unwrap()), "{events:?}");
        if bytewise {
            assert_eq!(events[0], Ok(ClientEvent::StartTlsReady));
        } else {
            assert_eq!(events.len(), 1);
        }
        assert!(t[4].call.is_err());
        assert_eq!(sent(&t[4]), "");
    }
    let mut s = session();
    s.receive(GREETING);
    s.receive(TLS_CAPS);
    s.start_tls().unwrap();
    s.receive(b"220 Ready\r\n250-x\r\n250 AUTH LOGIN\r\n");
    assert!(s.take_remaining().is_empty());
    assert!(s.capabilities().is_none());
    assert!(
        s.send_mail(envelope("a@bar.com", &["x@foo.com"]), b"")
            .is_err()
    );
}

/// A clean STARTTLS: the capabilities forgotten at the 220, EHLO again once TLS is up.
#[test]
fn starttls_clean() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(TLS_CAPS),
        Step::StartTls,
        Step::Server(b"220 2.0.0 Ready to start TLS\r\n"),
        Step::TlsUp,
        Step::Server(b"250-foo.com\r\n250 AUTH PLAIN\r\n"),
    ]);
    assert_eq!(t[3].events, [Ok(ClientEvent::StartTlsReady)]);
    assert_eq!(sent(&t[4]), "EHLO bar.com\r\n");
    assert!(
        matches!(&t[5].events[..], [Ok(ClientEvent::Capabilities(c))] if !c.contains(&Capability::StartTls))
    );

    let mut s = session();
    s.receive(GREETING);
    s.receive(TLS_CAPS);
    s.start_tls().unwrap();
    s.receive(b"220 Ready\r\n");
    assert!(s.capabilities().is_none());
    assert!(s.take_remaining().is_empty());
    assert!(s.start_tls().is_err());
    // Bytes fed before TLS is up are injection too.
    s.receive(b"250 x\r\n");
    while let Ok(Some(_)) = s.poll_event() {}
    assert!(s.tls_established().is_err());

    // Refused: the session goes on in the clear.
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(TLS_CAPS),
        Step::StartTls,
        Step::Server(b"454 4.7.0 TLS not available\r\n"),
        Step::Quit,
    ]);
    assert!(matches!(
        &t[3].events[..],
        [Ok(ClientEvent::StartTlsRefused(_))]
    ));
    assert_eq!(sent(&t[4]), "QUIT\r\n");
    // Not offered: refused locally.
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::StartTls,
    ]);
    assert!(t[2].call.is_err());
}

/// Wrong codes and replies with no command outstanding are errors, never accepted.
#[test]
fn every_reply_checked() {
    // A reply before any command, after the greeting.
    // Read at once, the 250 came before the EHLO was sent; fed byte by byte, the first 250
    // answers the EHLO and the second has no command. An error either way.
    for bytewise in [false, true] {
        let t = drive(
            &[Step::Server(
                b"220 foo.com\r\n250 surprise\r\n250 again\r\n",
            )],
            bytewise,
        );
        assert!(
            is_peer_error(t[0].events.last().unwrap()),
            "{:?}",
            t[0].events
        );
    }
    // MAIL answered 354.
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"hi\r\n"),
        Step::Server(b"354 go\r\n"),
        Step::Quit,
    ]);
    assert!(matches!(&t[3].events[..], [Err(Error::Peer { .. })]));
    assert!(t[4].call.is_err());
    // A greeting that is not 220.
    let t = run(&[Step::Server(b"250 hi\r\n")]);
    assert!(is_peer_error(&t[0].events[0]));
    // Bytes when idle.
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::Server(b"2"),
    ]);
    assert!(is_peer_error(&t[2].events[0]));
    // A QUIT reply that is not 221; bytes after the 221.
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::Quit,
        Step::Server(b"250 bye\r\n"),
    ]);
    assert!(is_peer_error(&t[3].events[0]));
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::Quit,
        Step::Server(b"221 bye\r\nx"),
    ]);
    assert_eq!(t[3].events[0], Ok(ClientEvent::Closed));
    assert!(is_peer_error(&t[3].events[1]));
    // A bare LF in a reply.
    let t = run(&[Step::Server(b"220 foo.com\n")]);
    assert!(matches!(&t[0].events[..], [Err(Error::BareLineEnd { .. })]));
    // Calls out of order are refused locally.
    let t = run(&[
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b""),
        Step::Quit,
    ]);
    assert!(t[0].call.is_err() && t[1].call.is_err());
}

/// A refused greeting or EHLO: QUIT; EHLO not known: HELO.
#[test]
fn greeting_and_helo() {
    let t = run(&[
        Step::Server(b"554 no service\r\n"),
        Step::Server(b"221 bye\r\n"),
    ]);
    assert!(matches!(&t[0].events[..], [Ok(ClientEvent::Rejected(r))] if r.code() == 554));
    assert_eq!(sent(&t[0]), "QUIT\r\n");
    assert_eq!(t[1].events, [Ok(ClientEvent::Closed)]);
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"502 what\r\n"),
        Step::Server(b"250 foo.com\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"hi\r\n"),
    ]);
    assert_eq!(sent(&t[1]), "HELO bar.com\r\n");
    assert!(matches!(&t[2].events[..], [Ok(ClientEvent::Helo(_))]));
    assert_eq!(sent(&t[3]), "MAIL FROM:<a@bar.com>\r\n");
    let t = run(&[Step::Server(GREETING), Step::Server(b"421 closing\r\n")]);
    // 421 to EHLO: the server is closing (RFC 5321 §3.8), no QUIT.
    assert!(matches!(
        &t[1].events[..],
        [Ok(ClientEvent::ServiceClosing(_))]
    ));
    assert_eq!(sent(&t[1]), "");
}

/// The end of the stream: a Closed when idle, an error while a reply is awaited or cut.
#[test]
fn end_of_stream() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::Eof,
    ]);
    assert_eq!(t[2].events, [Ok(ClientEvent::Closed)]);
    let t = run(&[Step::Server(GREETING), Step::Eof]);
    assert!(matches!(&t[1].events[..], [Err(Error::Truncated { .. })]));
    let t = run(&[Step::Server(b"220-foo.com\r\n"), Step::Eof]);
    assert!(matches!(&t[1].events[..], [Err(Error::Truncated { .. })]));
}

/// MAIL parameters given by the caller are kept; a SIZE given is not doubled.
#[test]
fn caller_parameters() {
    let mut e = envelope("a@bar.com", &["x@foo.com"]);
    e.mail_params = vec![Parameter::Size(3)];
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 SIZE 100\r\n"),
        Step::Mail(e, b"hi\r\n"),
    ]);
    assert_eq!(sent(&t[2]), "MAIL FROM:<a@bar.com> SIZE=3\r\n");
}

/// 8-bit content: BODY=8BITMIME when offered, refused locally when not (RFC 6152 §3).
#[test]
fn eight_bit_content() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), "café\r\n".as_bytes()),
    ]);
    assert!(matches!(t[2].call, Err(Error::Local { .. })));
    assert_eq!(sent(&t[2]), "");
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 8BITMIME\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), "café\r\n".as_bytes()),
    ]);
    assert_eq!(sent(&t[2]), "MAIL FROM:<a@bar.com> BODY=8BITMIME\r\n");
}

/// A 421 mid-transaction: the server is closing; what was outstanding is dropped, nothing more
/// may be sent, and only the end of the stream may follow (RFC 5321 §3.8).
#[test]
fn service_closing() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 PIPELINING\r\n"),
        Step::Mail(
            envelope("a@bar.com", &["x@foo.com", "y@foo.com"]),
            b"hi\r\n",
        ),
        Step::Server(b"250 OK\r\n421 4.3.2 shutting down\r\n"),
        Step::Quit,
        Step::Eof,
    ]);
    assert!(matches!(&t[3].events[..], [Ok(ClientEvent::ServiceClosing(r))] if r.code() == 421));
    assert_eq!(sent(&t[3]), "");
    assert!(t[4].call.is_err());
    assert_eq!(t[5].events, [Ok(ClientEvent::Closed)]);
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"hi\r\n"),
        Step::Server(b"421 bye\r\n250 OK\r\n"),
    ]);
    assert!(matches!(
        &t[3].events[..],
        [Ok(ClientEvent::ServiceClosing(_)), Err(Error::Peer { .. })]
    ));
}

fn with_policy(policy: TlsPolicy) -> ClientSession {
    let mut config = ClientConfig::new(Domain::new("bar.com").unwrap());
    config.tls = policy;
    ClientSession::new(config)
}

fn drain(s: &mut ClientSession) -> (String, Vec<Outcome>) {
    let mut sent = Vec::new();
    while let Some(out) = s.poll_transmit() {
        sent.extend_from_slice(&out);
    }
    let mut events = Vec::new();
    loop {
        match s.poll_event() {
            Ok(Some(e)) => events.push(Ok(e)),
            Ok(None) => break,
            Err(e) => events.push(Err(e)),
        }
    }
    (String::from_utf8(sent).unwrap(), events)
}

/// The TLS policies: STARTTLS sent by the session after the first EHLO that offers it, never
/// again after TLS; Required stops (after QUIT) when it is not offered or refused.
#[test]
fn tls_policies() {
    for policy in [TlsPolicy::Opportunistic, TlsPolicy::Required] {
        let mut s = with_policy(policy);
        s.receive(GREETING);
        drain(&mut s);
        s.receive(TLS_CAPS);
        let (sent, events) = drain(&mut s);
        assert_eq!(sent, "STARTTLS\r\n");
        assert!(matches!(&events[..], [Ok(ClientEvent::Capabilities(_))]));
        assert!(!s.is_ready());
        s.receive(b"220 go\r\n");
        assert_eq!(drain(&mut s).1, [Ok(ClientEvent::StartTlsReady)]);
        s.tls_established().unwrap();
        assert_eq!(drain(&mut s).0, "EHLO bar.com\r\n");
        s.receive(TLS_CAPS);
        let (sent, _) = drain(&mut s);
        assert_eq!(sent, "");
        assert!(s.is_ready());
    }
    // Not offered: Opportunistic goes on in the clear, Required quits.
    let mut s = with_policy(TlsPolicy::Opportunistic);
    s.receive(GREETING);
    s.receive(b"250 foo.com\r\n");
    assert_eq!(drain(&mut s).0, "EHLO bar.com\r\n");
    assert!(s.is_ready());
    let mut s = with_policy(TlsPolicy::Required);
    s.receive(GREETING);
    s.receive(b"250 foo.com\r\n");
    let (sent, events) = drain(&mut s);
    assert_eq!(sent, "EHLO bar.com\r\nQUIT\r\n");
    assert!(matches!(events.last(), Some(Err(Error::Local { .. }))));
    assert!(!s.is_ready());
    // Refused: Required quits.
    let mut s = with_policy(TlsPolicy::Required);
    s.receive(GREETING);
    s.receive(TLS_CAPS);
    drain(&mut s);
    s.receive(b"454 4.7.0 not now\r\n");
    let (sent, events) = drain(&mut s);
    assert_eq!(sent, "QUIT\r\n");
    assert!(matches!(
        &events[..],
        [
            Ok(ClientEvent::StartTlsRefused(_)),
            Err(Error::Local { .. })
        ]
    ));
}

/// Without PIPELINING a reply that arrived before its command was written is an error: the
/// server cannot have seen the command (RFC 2920 §3.1; a reply injected or pipelined early).
/// Fed byte by byte, each reply comes after the command it answers, and all is well.
#[test]
fn replies_before_their_commands() {
    let steps = [
        Step::Server(GREETING),
        Step::Server(b"250 foo.com\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"hi\r\n"),
        Step::Server(b"250 OK\r\n250 OK\r\n354 go\r\n250 OK\r\n"),
    ];
    let t = drive(&steps, false);
    assert_eq!(sent(&t[3]), "RCPT TO:<x@foo.com>\r\n");
    assert!(
        matches!(&t[3].events[..], [Err(Error::Peer { .. })]),
        "{:?}",
        t[3].events
    );
    let t = drive(&steps, true);
    assert!(
        matches!(&t[3].events[..], [Ok(ClientEvent::Delivered { .. })]),
        "{:?}",
        t[3].events
    );
    // With PIPELINING the burst's replies may come at once, but not the reply to the content.
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 PIPELINING\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"hi\r\n"),
        Step::Server(b"250 OK\r\n250 OK\r\n354 go\r\n"),
    ]);
    assert_eq!(sent(&t[3]), "hi\r\n.\r\n");
    let t = drive(
        &[
            Step::Server(GREETING),
            Step::Server(b"250-foo.com\r\n250 PIPELINING\r\n"),
            Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"hi\r\n"),
            Step::Server(b"250 OK\r\n250 OK\r\n354 go\r\n250 OK\r\n"),
        ],
        false,
    );
    assert!(
        matches!(&t[3].events[..], [Err(Error::Peer { .. })]),
        "{:?}",
        t[3].events
    );
}

/// AUTH PLAIN (RFC 4954 §4, RFC 4616): the credentials in the initial response, 235 accepted;
/// a second AUTH is refused locally (RFC 4954 §4).
#[test]
fn auth_plain() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 AUTH LOGIN PLAIN\r\n"),
        Step::Auth("alice", "secret"),
        Step::Server(b"235 2.7.0 Authentication successful\r\n"),
        Step::Auth("alice", "secret"),
    ]);
    assert_eq!(sent(&t[2]), "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
    assert!(matches!(&t[3].events[..], [Ok(ClientEvent::Authenticated(r))] if r.code() == 235));
    assert!(matches!(t[4].call, Err(Error::Local { .. })));
    assert_eq!(sent(&t[4]), "");
}

/// AUTH LOGIN when PLAIN is not offered: the user name and the password each answer a 334;
/// a 535 is AuthFailed and the session stays usable.
#[test]
fn auth_login_refused() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 AUTH LOGIN\r\n"),
        Step::Auth("alice", "secret"),
        Step::Server(b"334 VXNlcm5hbWU6\r\n"),
        Step::Server(b"334 UGFzc3dvcmQ6\r\n"),
        Step::Server(b"535 5.7.8 Authentication credentials invalid\r\n"),
        Step::Mail(envelope("a@bar.com", &["b@foo.com"]), b"hi\r\n"),
    ]);
    assert_eq!(sent(&t[2]), "AUTH LOGIN\r\n");
    assert_eq!(sent(&t[3]), "YWxpY2U=\r\n");
    assert_eq!(sent(&t[4]), "c2VjcmV0\r\n");
    assert!(matches!(&t[5].events[..], [Ok(ClientEvent::AuthFailed(r))] if r.code() == 535));
    assert_eq!(t[6].call, Ok(()));
    assert_eq!(sent(&t[6]), "MAIL FROM:<a@bar.com>\r\n");
}

/// A 334 the mechanism has no answer for is cancelled with `*` (RFC 4954 §4); the 501 to it is
/// AuthFailed. AUTH not offered, or a NUL in a credential, is refused locally.
#[test]
fn auth_edges() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 AUTH PLAIN\r\n"),
        Step::Auth("a\0b", "secret"),
        Step::Auth("alice", "secret"),
        Step::Server(b"334 \r\n"),
        Step::Server(b"501 5.7.0 cancelled\r\n"),
    ]);
    assert!(matches!(t[2].call, Err(Error::Local { .. })));
    assert_eq!(sent(&t[4]), "*\r\n", "{:?}", t[4].events);
    assert!(matches!(&t[5].events[..], [Ok(ClientEvent::AuthFailed(r))] if r.code() == 501));

    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 PIPELINING\r\n"),
        Step::Auth("alice", "secret"),
    ]);
    assert!(matches!(t[2].call, Err(Error::Local { .. })));
    assert_eq!(sent(&t[2]), "");

    // A reply code AUTH does not allow is a peer error.
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 AUTH PLAIN\r\n"),
        Step::Auth("alice", "secret"),
        Step::Server(b"250 ok\r\n"),
    ]);
    assert!(
        is_peer_error(t[3].events.last().unwrap()),
        "{:?}",
        t[3].events
    );
}

/// A 334 whose text is not base64 (RFC 4954 §4) is cancelled with `*`: the credentials are never
/// sent on it.
#[test]
fn auth_login_bad_challenge_gets_no_credentials() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250 AUTH LOGIN\r\n"),
        Step::Auth("alice", "secret"),
        Step::Server(b"334 Username please\r\n"),
        Step::Server(b"501 5.7.0 cancelled\r\n"),
    ]);
    assert_eq!(sent(&t[3]), "*\r\n");
    assert!(matches!(&t[4].events[..], [Ok(ClientEvent::AuthFailed(r))] if r.code() == 501));
}

/// An extension line whose parameters are not what the extension takes (`SIZE abc`) is
/// ignored as if not offered (RFC 5321 §4.1.1.1, RFC 1869 §4.5); the other extensions are used
/// (PIPELINING: one burst; 8BITMIME: BODY declared) and the message is sent.
#[test]
fn ehlo_extension_with_bad_parameters_ignored() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Server(b"250-foo.com\r\n250-SIZE abc\r\n250-PIPELINING\r\n250 8BITMIME\r\n"),
        Step::Mail(envelope("a@bar.com", &["x@foo.com"]), b"caf\xc3\xa9\r\n"),
        Step::Server(b"250 OK\r\n250 OK\r\n354 go\r\n"),
        Step::Server(b"250 2.0.0 queued\r\n"),
    ]);
    let [Ok(ClientEvent::Capabilities(caps))] = &t[1].events[..] else {
        panic!("{:?}", t[1].events);
    };
    assert_eq!(
        caps.iter().cloned().collect::<Vec<_>>(),
        [Capability::Pipelining, Capability::EightBitMime]
    );
    assert_eq!(caps.size(), None);
    assert_eq!(
        sent(&t[2]),
        "MAIL FROM:<a@bar.com> BODY=8BITMIME\r\nRCPT TO:<x@foo.com>\r\nDATA\r\n"
    );
    assert_eq!(sent(&t[3]), "caf\u{e9}\r\n.\r\n");
    assert!(matches!(
        &t[4].events[..],
        [Ok(ClientEvent::Delivered { accepted, .. })] if *accepted == [fwd("x@foo.com")]
    ));
}
