//! The client session against scripted server bytes: every script is run twice, the server's
//! bytes fed whole and one byte at a time, and both runs must send and report the same (the
//! pieces of a streamed message joined), except where a split changes what the bytes mean
//! (STLS injection), run whole only and said so.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use pop3_codec::{
    Capability, ClientConfig, ClientEvent, ClientSession, Command, Error, Leniency, Response,
    ResponseCode,
};

#[derive(Debug, Clone)]
enum Step {
    Server(&'static [u8]),
    Login(&'static str, &'static str),
    Apop(&'static str, &'static str),
    AuthPlain(&'static str, &'static str),
    Capa,
    Stls,
    TlsUp,
    Utf8,
    Stat,
    List(Option<u32>),
    Uidl(Option<u32>),
    Retr(u32),
    Top(u32, u32),
    Dele(u32),
    Rset,
    Noop,
    Quit,
    Eof,
}

type Outcome = Result<ClientEvent, Error>;

/// Per step: what the client sent, what it reported (Data pieces joined), what the call returned.
#[derive(Debug, PartialEq)]
struct Turn {
    sent: String,
    events: Vec<Outcome>,
    call: Result<(), Error>,
}

fn drive_with(config: ClientConfig, steps: &[Step], bytewise: bool) -> (Vec<Turn>, ClientSession) {
    let mut s = ClientSession::new(config);
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
            Step::Login(u, p) => s.login(u, p),
            Step::Apop(u, p) => s.apop(u, p),
            Step::AuthPlain(u, p) => s.auth_plain(u, p),
            Step::Capa => s.capa(),
            Step::Stls => s.stls(),
            Step::TlsUp => s.tls_established(),
            Step::Utf8 => s.utf8(),
            Step::Stat => s.stat(),
            Step::List(m) => s.list(m),
            Step::Uidl(m) => s.uidl(m),
            Step::Retr(m) => s.retr(m),
            Step::Top(m, n) => s.top(m, n),
            Step::Dele(m) => s.dele(m),
            Step::Rset => s.rset(),
            Step::Noop => s.noop(),
            Step::Quit => s.quit(),
            Step::Eof => {
                s.receive_eof();
                Ok(())
            }
        };
        let mut sent = Vec::new();
        while let Some(out) = s.poll_transmit() {
            sent.extend_from_slice(&out);
        }
        let mut events: Vec<Outcome> = Vec::new();
        loop {
            match s.poll_event() {
                Ok(Some(ClientEvent::Data(d))) => match events.last_mut() {
                    Some(Ok(ClientEvent::Data(prev))) => {
                        let mut joined = prev.to_vec();
                        joined.extend_from_slice(&d);
                        *prev = joined.into();
                    }
                    _ => events.push(Ok(ClientEvent::Data(d))),
                },
                Ok(Some(e)) => events.push(Ok(e)),
                Ok(None) => break,
                Err(e) => events.push(Err(e)),
            }
        }
        turns.push(Turn {
            sent: String::from_utf8(sent).unwrap(),
            events,
            call,
        });
    }
    (turns, s)
}

/// Runs the script whole and byte by byte; both must agree.
fn run(steps: &[Step]) -> Vec<Turn> {
    run_session(steps).0
}

fn run_session(steps: &[Step]) -> (Vec<Turn>, ClientSession) {
    let (whole, s) = drive_with(ClientConfig::default(), steps, false);
    let (bytewise, _) = drive_with(ClientConfig::default(), steps, true);
    assert_eq!(whole, bytewise, "byte by byte differs");
    (whole, s)
}

const GREETING: &[u8] = b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n";

fn greeting() -> Response {
    Response::ok("POP3 server ready <1896.697170952@dbc.mtview.ca.us>")
}

fn peer(offset: u64, reason: &'static str) -> Outcome {
    Err(Error::Peer { offset, reason })
}

fn data(d: &[u8]) -> Outcome {
    Ok(ClientEvent::Data(d.to_vec().into()))
}

fn local(r: &Result<(), Error>) -> bool {
    matches!(r, Err(Error::Local { .. }))
}

/// RFC 1939 §10's example session from the client's side.
#[test]
fn rfc1939_example_session() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Apop("mrose", "tanstaaf"),
        Step::Server(b"+OK mrose's maildrop has 2 messages (320 octets)\r\n"),
        Step::Stat,
        Step::Server(b"+OK 2 320\r\n"),
        Step::List(None),
        Step::Server(b"+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n"),
        Step::Retr(1),
        Step::Server(b"+OK 120 octets\r\n<the POP3 server sends message 1>\r\n.\r\n"),
        Step::Dele(1),
        Step::Server(b"+OK message 1 deleted\r\n"),
        Step::Quit,
        Step::Server(b"+OK dewey POP3 server signing off\r\n"),
        Step::Eof,
    ]);
    assert_eq!(t[0].events, vec![Ok(ClientEvent::Greeting(greeting()))]);
    assert_eq!(t[1].sent, "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
    assert_eq!(
        t[2].events,
        vec![Ok(ClientEvent::LoggedIn(Response::ok(
            "mrose's maildrop has 2 messages (320 octets)"
        )))]
    );
    assert_eq!(t[3].sent, "STAT\r\n");
    assert_eq!(
        t[4].events,
        vec![Ok(ClientEvent::Stat {
            count: 2,
            size: 320
        })]
    );
    assert_eq!(t[5].sent, "LIST\r\n");
    assert_eq!(
        t[6].events,
        vec![Ok(ClientEvent::Listing(vec![(1, 120), (2, 200)]))]
    );
    assert_eq!(t[7].sent, "RETR 1\r\n");
    assert_eq!(
        t[8].events,
        vec![
            Ok(ClientEvent::Message { msg: 1 }),
            data(b"<the POP3 server sends message 1>\r\n"),
            Ok(ClientEvent::MessageEnd)
        ]
    );
    assert_eq!(t[9].sent, "DELE 1\r\n");
    assert_eq!(t[10].events, vec![Ok(ClientEvent::Deleted(1))]);
    assert_eq!(t[11].sent, "QUIT\r\n");
    assert_eq!(t[12].events, vec![Ok(ClientEvent::Closed)]);
    // The server closing after QUIT's answer is no error.
    assert_eq!(t[13].events, vec![]);
}

/// USER and PASS (RFC 1939 §7): PASS goes once USER is accepted; refusals with their codes
/// (RFC 2449 §8.1.1 IN-USE, RFC 3206 AUTH) and a second try.
#[test]
fn user_pass_logins() {
    let t = run(&[
        Step::Server(b"+OK ready\r\n"),
        Step::Login("alice", "open sesame"),
        Step::Server(b"+OK\r\n"),
        Step::Server(b"-ERR [AUTH] invalid password\r\n"),
        Step::Login("alice", "x"),
        Step::Server(b"-ERR [IN-USE] maildrop locked\r\n"),
        Step::Login("bob", "y"),
        Step::Server(b"-ERR no such user\r\n"),
        Step::Login("alice", "open sesame"),
        Step::Server(b"+OK\r\n+OK 1 message\r\n"),
        Step::Login("alice", "again"),
        Step::Apop("alice", "again"),
    ]);
    assert_eq!(t[1].sent, "USER alice\r\n");
    assert_eq!(t[2].sent, "PASS open sesame\r\n");
    assert_eq!(t[2].events, vec![]);
    assert_eq!(
        t[3].events,
        vec![Ok(ClientEvent::LoginFailed(Response::err_with(
            ResponseCode::Auth,
            "invalid password"
        )))]
    );
    assert_eq!(t[4].sent, "USER alice\r\n");
    // The USER step refused too: a login failure, PASS never sent.
    assert_eq!(t[5].sent, "");
    assert_eq!(
        t[5].events,
        vec![Ok(ClientEvent::LoginFailed(Response::err_with(
            ResponseCode::InUse,
            "maildrop locked"
        )))]
    );
    assert_eq!(t[6].sent, "USER bob\r\n");
    assert_eq!(t[7].sent, "");
    assert!(matches!(t[7].events[..], [Ok(ClientEvent::LoginFailed(_))]));
    assert_eq!(t[9].sent, "PASS open sesame\r\n");
    assert_eq!(
        t[9].events,
        vec![Ok(ClientEvent::LoggedIn(Response::ok("1 message")))]
    );
    // Logged in: no second login.
    assert!(local(&t[10].call) && local(&t[11].call));
}

/// APOP needs a timestamp in the greeting (RFC 1939 §7); AUTH PLAIN sends its initial response
/// (RFC 5034 §4, RFC 4616) and answers a challenge with `*`.
#[test]
fn apop_and_auth_plain() {
    let t = run(&[
        Step::Server(b"+OK no timestamp here\r\n"),
        Step::Apop("mrose", "tanstaaf"),
        Step::AuthPlain("alice", "secret"),
        Step::Server(b"+ \r\n"),
        Step::Server(b"-ERR [AUTH] cancelled\r\n"),
        Step::AuthPlain("alice", "secret"),
        Step::Server(b"+OK welcome\r\n"),
    ]);
    assert!(local(&t[1].call));
    assert_eq!(t[1].sent, "");
    assert_eq!(t[2].sent, "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
    assert_eq!(t[3].sent, "*\r\n");
    assert_eq!(t[3].events, vec![]);
    assert_eq!(
        t[4].events,
        vec![Ok(ClientEvent::LoginFailed(Response::err_with(
            ResponseCode::Auth,
            "cancelled"
        )))]
    );
    assert_eq!(
        t[6].events,
        vec![Ok(ClientEvent::LoggedIn(Response::ok("welcome")))]
    );
    // A NUL in a credential cannot be sent (RFC 4616 §2); CR or LF never reach the wire.
    let (t, _) = drive_with(
        ClientConfig::default(),
        &[
            Step::Server(b"+OK\r\n"),
            Step::AuthPlain("a\0b", "c"),
            Step::Login("a\r\nQUIT", "b"),
            Step::Login("a", "b\r\nQUIT"),
        ],
        false,
    );
    assert!(local(&t[1].call));
    assert!(t[2].call.is_err() && t[3].call.is_err());
    assert!(t.iter().all(|t| t.sent.is_empty()));
}

/// STAT, LIST and UIDL typed; RETR and TOP streamed exactly, dot-unstuffed; DELE, RSET, NOOP,
/// refusals (RFC 1939 §5, §7).
#[test]
fn transaction_commands_typed() {
    let t = run(&[
        Step::Server(b"+OK\r\n"),
        Step::Login("a", "b"),
        Step::Server(b"+OK\r\n+OK\r\n"),
        Step::Stat,
        Step::Server(b"+OK 3 4294967296000 and some text\r\n"),
        Step::List(Some(2)),
        Step::Server(b"+OK 2 200\r\n"),
        Step::Uidl(None),
        Step::Server(b"+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n.\r\n"),
        Step::Uidl(Some(2)),
        Step::Server(b"+OK 2 QhdPYR:00WBw1Ph7x7\r\n"),
        Step::Retr(1),
        Step::Server(b"+OK 30 octets\r\nSubject: x\r\n\r\n..dot\r\n..\r\n.\r\n"),
        Step::Top(1, 0),
        Step::Server(b"+OK\r\nSubject: x\r\n\r\n.\r\n"),
        Step::Retr(9),
        Step::Server(b"-ERR no such message\r\n"),
        Step::Dele(1),
        Step::Server(b"+OK\r\n"),
        Step::Rset,
        Step::Server(b"+OK maildrop has 2 messages\r\n"),
        Step::Noop,
        Step::Server(b"+OK\r\n"),
        Step::List(None),
        Step::Server(b"+OK\r\n.\r\n"),
    ]);
    assert_eq!(
        t[4].events,
        vec![Ok(ClientEvent::Stat {
            count: 3,
            size: 4_294_967_296_000
        })]
    );
    assert_eq!(t[5].sent, "LIST 2\r\n");
    assert_eq!(t[6].events, vec![Ok(ClientEvent::Listing(vec![(2, 200)]))]);
    assert_eq!(
        t[8].events,
        vec![Ok(ClientEvent::UniqueIds(vec![
            (1, "whqtswO00WBw418f9t5JxYwZ".into()),
            (2, "QhdPYR:00WBw1Ph7x7".into())
        ]))]
    );
    assert_eq!(
        t[10].events,
        vec![Ok(ClientEvent::UniqueIds(vec![(
            2,
            "QhdPYR:00WBw1Ph7x7".into()
        )]))]
    );
    assert_eq!(
        t[12].events,
        vec![
            Ok(ClientEvent::Message { msg: 1 }),
            data(b"Subject: x\r\n\r\n.dot\r\n.\r\n"),
            Ok(ClientEvent::MessageEnd)
        ]
    );
    assert_eq!(t[13].sent, "TOP 1 0\r\n");
    assert_eq!(
        t[14].events,
        vec![
            Ok(ClientEvent::Message { msg: 1 }),
            data(b"Subject: x\r\n\r\n"),
            Ok(ClientEvent::MessageEnd)
        ]
    );
    assert_eq!(
        t[16].events,
        vec![Ok(ClientEvent::Refused {
            command: Command::Retr(9),
            response: Response::err("no such message")
        })]
    );
    assert_eq!(t[18].events, vec![Ok(ClientEvent::Deleted(1))]);
    assert_eq!(
        t[20].events,
        vec![Ok(ClientEvent::Done(Response::ok(
            "maildrop has 2 messages"
        )))]
    );
    assert_eq!(t[22].events, vec![Ok(ClientEvent::Done(Response::ok("")))]);
    assert_eq!(t[24].events, vec![Ok(ClientEvent::Listing(vec![]))]);
}

/// Local refusals: nothing before the greeting, no TRANSACTION command before a login, message
/// number 0, STLS and UTF8 only before login.
#[test]
fn local_refusals() {
    let t = run(&[
        Step::Capa,
        Step::Server(b"+OK\r\n"),
        Step::Stat,
        Step::Retr(1),
        Step::Login("a", "b"),
        Step::Retr(0),
        Step::Dele(0),
        Step::Top(0, 1),
        Step::List(Some(0)),
        Step::Stls,
        Step::Utf8,
    ]);
    assert!(local(&t[0].call));
    assert!(local(&t[2].call) && local(&t[3].call));
    assert_eq!(t[4].sent, "USER a\r\n");
    for turn in &t[5..] {
        assert!(local(&turn.call), "{turn:?}");
        assert_eq!(turn.sent, "");
    }
}

/// Without PIPELINING one command at a time; after CAPA lists PIPELINING, bursts, with USER,
/// PASS, APOP, AUTH and STLS kept in lockstep (RFC 2449 §6.6).
#[test]
fn pipelining_only_when_offered() {
    let t = run(&[
        Step::Server(b"+OK\r\n"),
        Step::Login("a", "b"),
        Step::Stat,
        Step::List(None),
        Step::Server(b"+OK\r\n"),
        Step::Server(b"+OK\r\n"),
        Step::Server(b"+OK 1 5\r\n"),
    ]);
    assert_eq!(t[1].sent, "USER a\r\n");
    assert_eq!(t[2].sent, "");
    assert_eq!(t[3].sent, "");
    assert_eq!(t[4].sent, "PASS b\r\n");
    assert_eq!(t[5].sent, "STAT\r\n");
    assert_eq!(t[6].sent, "LIST\r\n");

    let t = run(&[
        Step::Server(b"+OK\r\n"),
        Step::Capa,
        Step::Stls,
        Step::Server(b"+OK\r\nPIPELINING\r\nSTLS\r\nUSER\r\n.\r\n"),
        Step::Server(b"-ERR not now\r\n"),
        Step::Capa,
        Step::Login("a", "b"),
        Step::Stat,
        Step::Server(b"+OK\r\nPIPELINING\r\n.\r\n"),
        Step::Server(b"+OK\r\n"),
        Step::Server(b"+OK\r\n"),
        Step::List(None),
        Step::Retr(1),
        Step::Dele(1),
        Step::Quit,
        Step::Server(b"+OK 1 5\r\n+OK\r\n1 5\r\n.\r\n+OK\r\nhi\r\n.\r\n+OK\r\n+OK bye\r\n"),
    ]);
    // STLS waits for CAPA's answer, CAPA for STLS's.
    assert_eq!(t[1].sent, "CAPA\r\n");
    assert_eq!(t[2].sent, "");
    assert_eq!(t[3].sent, "STLS\r\n");
    let [Ok(ClientEvent::Capabilities(caps))] = &t[3].events[..] else {
        panic!("{:?}", t[3].events)
    };
    assert!(caps.contains(&Capability::Pipelining) && caps.contains(&Capability::Stls));
    assert!(matches!(
        t[4].events[..],
        [Ok(ClientEvent::Refused {
            command: Command::Stls,
            ..
        })]
    ));
    // USER waits for CAPA, STAT for PASS; then the rest in one burst.
    assert_eq!(t[5].sent, "CAPA\r\n");
    assert_eq!(t[6].sent, "");
    assert_eq!(t[7].sent, "");
    assert_eq!(t[8].sent, "USER a\r\n");
    assert_eq!(t[9].sent, "PASS b\r\n");
    assert_eq!(t[10].sent, "STAT\r\n");
    assert_eq!(t[11].sent, "LIST\r\n");
    assert_eq!(t[12].sent, "RETR 1\r\n");
    assert_eq!(t[13].sent, "DELE 1\r\n");
    assert_eq!(t[14].sent, "QUIT\r\n");
    assert_eq!(
        t[15].events,
        vec![
            Ok(ClientEvent::Stat { count: 1, size: 5 }),
            Ok(ClientEvent::Listing(vec![(1, 5)])),
            Ok(ClientEvent::Message { msg: 1 }),
            data(b"hi\r\n"),
            Ok(ClientEvent::MessageEnd),
            Ok(ClientEvent::Deleted(1)),
            Ok(ClientEvent::Closed),
        ]
    );
}

/// STLS (RFC 2595 §4): a clean `+OK` then TLS, the capabilities forgotten; the injection of
/// `+OK\r\nPLAIN\r\n.\r\n` behind the `+OK` in one read is an error, nothing handed back.
#[test]
fn stls() {
    let (t, mut s) = run_session(&[
        Step::Server(b"+OK\r\n"),
        Step::Capa,
        Step::Server(b"+OK\r\nSTLS\r\nSASL PLAIN\r\n.\r\n"),
        Step::Stls,
        Step::Server(b"+OK Begin TLS\r\n"),
        Step::Capa,
        Step::TlsUp,
        Step::Capa,
        Step::Server(b"+OK\r\nSASL PLAIN\r\n.\r\n"),
        Step::TlsUp,
    ]);
    assert_eq!(t[3].sent, "STLS\r\n");
    assert_eq!(t[4].events, vec![Ok(ClientEvent::StartTlsReady)]);
    // Nothing is written while TLS is set up.
    assert!(local(&t[5].call));
    assert_eq!(t[6].call, Ok(()));
    assert_eq!(t[7].sent, "CAPA\r\n");
    assert!(matches!(
        t[8].events[..],
        [Ok(ClientEvent::Capabilities(_))]
    ));
    assert!(local(&t[9].call));
    assert!(s.take_remaining().is_empty());
    assert_eq!(s.capabilities().unwrap().sasl().len(), 1);

    // The injection, whole only: fed a byte at a time the client sees the +OK alone first.
    let steps = [
        Step::Server(b"+OK\r\n"),
        Step::Capa,
        Step::Server(b"+OK\r\nSTLS\r\nPIPELINING\r\n.\r\n"),
        Step::Stls,
        Step::Server(b"+OK Begin TLS\r\n+OK\r\nPLAIN\r\n.\r\n"),
        Step::TlsUp,
        Step::Capa,
    ];
    let (t, mut s) = drive_with(ClientConfig::default(), &steps, false);
    assert_eq!(
        t[4].events,
        vec![peer(
            46,
            "bytes behind the +OK to STLS (RFC 2595 §4; response injection)"
        )]
    );
    assert!(s.capabilities().is_none());
    assert!(s.take_remaining().is_empty());
    assert!(local(&t[5].call));
    assert!(local(&t[6].call));
    assert_eq!(t[6].sent, "");
    // Byte by byte: the +OK is read, then the first byte behind it is the injection.
    let (t, s) = drive_with(ClientConfig::default(), &steps, true);
    assert_eq!(
        t[4].events,
        vec![
            Ok(ClientEvent::StartTlsReady),
            peer(
                46,
                "bytes after the +OK to STLS, before TLS (RFC 2595 §4; response injection)"
            )
        ]
    );
    assert!(s.capabilities().is_none());
    assert!(local(&t[5].call));
}

/// Malformed STAT, LIST and UIDL answers stop the session with [`Error::Peer`].
#[test]
fn malformed_answers() {
    let logged_in = || {
        vec![
            Step::Server(b"+OK\r\n"),
            Step::Login("a", "b"),
            Step::Server(b"+OK\r\n+OK\r\n"),
        ]
    };
    let uid71 = format!("+OK 1 {}\r\n", "u".repeat(71)).leak().as_bytes();
    for (cmd, answer, reason) in [
        (
            Step::Stat,
            &b"+OK two 320\r\n"[..],
            "a STAT answer that is not 'count size' (RFC 1939 §5)",
        ),
        (
            Step::Stat,
            b"+OK\r\n",
            "a STAT answer that is not 'count size' (RFC 1939 §5)",
        ),
        (
            Step::Stat,
            b"+OK 4294967296 1\r\n",
            "a STAT answer that is not 'count size' (RFC 1939 §5)",
        ),
        (
            Step::Stat,
            b"+OK -1 1\r\n",
            "a STAT answer that is not 'count size' (RFC 1939 §5)",
        ),
        (
            Step::List(Some(1)),
            b"+OK 0 5\r\n",
            "a LIST answer that is not 'msg size' (RFC 1939 §5)",
        ),
        (
            Step::List(Some(1)),
            b"+OK 1\r\n",
            "a LIST answer that is not 'msg size' (RFC 1939 §5)",
        ),
        (
            Step::List(None),
            b"+OK\r\n1 5\r\n2 x\r\n.\r\n",
            "a LIST line that is not 'msg size' (RFC 1939 §5)",
        ),
        (
            Step::Uidl(None),
            b"+OK\r\n1 a b\r\n.\r\n",
            "a UIDL line that is not 'msg unique-id' (RFC 1939 §7)",
        ),
        (
            Step::Uidl(None),
            b"+OK\r\n1\r\n.\r\n",
            "a UIDL line that is not 'msg unique-id' (RFC 1939 §7)",
        ),
        (
            Step::Uidl(Some(1)),
            uid71,
            "a UIDL answer that is not 'msg unique-id' (RFC 1939 §7)",
        ),
    ] {
        let mut steps = logged_in();
        steps.push(cmd);
        steps.push(Step::Server(answer));
        steps.push(Step::Noop);
        let t = run(&steps);
        let offset = 15 + answer.len() as u64;
        assert_eq!(
            t[4].events,
            vec![peer(offset, reason)],
            "{:?}",
            String::from_utf8_lossy(answer)
        );
        // The session has stopped.
        assert!(local(&t[5].call));
    }
}

/// The end of the stream: mid-response is [`Error::Truncated`]; with nothing outstanding it
/// is [`ClientEvent::Closed`]; before a greeting, truncated too.
#[test]
fn end_of_stream() {
    let t = run(&[
        Step::Server(b"+OK\r\n"),
        Step::Login("a", "b"),
        Step::Server(b"+OK\r\n+OK\r\n"),
        Step::Retr(1),
        Step::Server(b"+OK\r\nline one\r\nline t"),
        Step::Eof,
        Step::Stat,
    ]);
    assert_eq!(
        t[4].events,
        vec![
            Ok(ClientEvent::Message { msg: 1 }),
            data(b"line one\r\nline t")
        ]
    );
    assert_eq!(
        t[5].events,
        vec![Err(Error::Truncated {
            offset: 36,
            inside: "a multi-line response"
        })]
    );
    assert!(local(&t[6].call));

    let t = run(&[
        Step::Server(b"+OK\r\n"),
        Step::Login("a", "b"),
        Step::Server(b"+OK\r\n+O"),
        Step::Eof,
    ]);
    assert_eq!(
        t[3].events,
        vec![Err(Error::Truncated {
            offset: 12,
            inside: "response line"
        })]
    );
    let t = run(&[Step::Server(b"+OK\r\n"), Step::Stat, Step::Eof]);
    assert!(local(&t[1].call));
    assert_eq!(t[2].events, vec![Ok(ClientEvent::Closed)]);
    let t = run(&[Step::Server(b"+OK\r\n"), Step::Capa, Step::Eof]);
    assert_eq!(
        t[2].events,
        vec![Err(Error::Truncated {
            offset: 5,
            inside: "the wait for a response"
        })]
    );
    let t = run(&[Step::Eof]);
    assert_eq!(
        t[0].events,
        vec![Err(Error::Truncated {
            offset: 0,
            inside: "the wait for a response"
        })]
    );
}

/// Responses no command asked for, a greeting that is not `+OK`, bytes after QUIT's answer.
#[test]
fn unsolicited_responses() {
    let t = run(&[Step::Server(b"+OK\r\n+OK surprise\r\n"), Step::Capa]);
    assert_eq!(
        t[0].events,
        vec![
            Ok(ClientEvent::Greeting(Response::ok(""))),
            peer(5, "a response with no command outstanding (RFC 1939 §3)")
        ]
    );
    assert!(local(&t[1].call));
    let t = run(&[Step::Server(b"-ERR go away\r\n")]);
    assert_eq!(
        t[0].events,
        vec![peer(14, "a greeting that is not +OK (RFC 1939 §4)")]
    );
    let t = run(&[
        Step::Server(b"+OK\r\n"),
        Step::Quit,
        Step::Server(b"+OK bye\r\n-ERR more\r\n"),
    ]);
    assert_eq!(t[1].sent, "QUIT\r\n");
    assert_eq!(
        t[2].events,
        vec![
            Ok(ClientEvent::Closed),
            peer(14, "bytes after the +OK to QUIT (RFC 1939 §6)")
        ]
    );
    // A status line that does not parse stops the session with the decoder's error.
    let t = run(&[
        Step::Server(b"+OK\r\n"),
        Step::Capa,
        Step::Server(b"+OK\r\nX.Y\r\n.\r\n"),
    ]);
    assert_eq!(
        t[2].events,
        vec![peer(18, "a CAPA line that does not parse (RFC 2449 §9)")]
    );
    let t = run(&[Step::Server(b"OK ready\r\n")]);
    assert!(matches!(
        t[0].events[..],
        [Err(Error::Syntax {
            offset: 0,
            production: "status",
            ..
        })]
    ));
}

/// UTF8 before login (RFC 6856 §2) is answered `Done`; bare line ends from the server are
/// refused strictly and read under the named leniency.
#[test]
fn utf8_and_leniency() {
    let t = run(&[
        Step::Server(b"+OK\r\n"),
        Step::Utf8,
        Step::Server(b"+OK UTF8 enabled\r\n"),
    ]);
    assert_eq!(t[1].sent, "UTF8\r\n");
    assert_eq!(
        t[2].events,
        vec![Ok(ClientEvent::Done(Response::ok("UTF8 enabled")))]
    );
    let steps = [
        Step::Server(b"+OK\n"),
        Step::Login("a", "b"),
        Step::Server(b"+OK\n+OK\r\n"),
        Step::Retr(1),
        Step::Server(b"+OK\nline\nnext\r\n.\r\n"),
    ];
    let (t, _) = drive_with(ClientConfig::default(), &steps, false);
    assert_eq!(
        t[0].events,
        vec![Err(Error::BareLineEnd {
            offset: 3,
            byte: b'\n'
        })]
    );
    let lenient = ClientConfig {
        leniency: Leniency::strict().normalize_bare_line_ends(true),
        ..ClientConfig::default()
    };
    let (whole, _) = drive_with(lenient, &steps, false);
    let (bytewise, _) = drive_with(lenient, &steps, true);
    assert_eq!(whole, bytewise);
    assert!(matches!(
        whole[2].events[..],
        [Ok(ClientEvent::LoggedIn(_))]
    ));
    assert_eq!(
        whole[4].events,
        vec![
            Ok(ClientEvent::Message { msg: 1 }),
            data(b"line\r\nnext\r\n"),
            Ok(ClientEvent::MessageEnd)
        ]
    );
}

/// A login given while another command is unanswered: USER goes once that answer is read.
/// Regression: USER waited on its own password and was never written.
#[test]
fn user_queued_behind_another_command() {
    let t = run(&[
        Step::Server(b"+OK\r\n"),
        Step::Capa,
        Step::Login("a", "b"),
        Step::Server(b"+OK\r\nUSER\r\n.\r\n"),
    ]);
    assert_eq!(t[1].sent, "CAPA\r\n");
    assert_eq!(t[2].sent, "");
    assert_eq!(t[3].sent, "USER a\r\n");
    let t = run(&[
        Step::Server(b"+OK\r\n"),
        Step::Utf8,
        Step::Login("a", "b"),
        Step::Server(b"+OK UTF8 enabled\r\n"),
        Step::Server(b"+OK\r\n"),
        Step::Server(b"+OK\r\n"),
    ]);
    assert_eq!(t[1].sent, "UTF8\r\n");
    assert_eq!(t[2].sent, "");
    assert_eq!(t[3].sent, "USER a\r\n");
    assert_eq!(t[4].sent, "PASS b\r\n");
    assert!(matches!(t[5].events[..], [Ok(ClientEvent::LoggedIn(_))]));
}

/// Bytes that look like a POP3 server's.
fn server_like() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    let token = prop_oneof![
        // Whole responses, so scripts get far.
        Just(&b"+OK\r\n"[..]),
        Just(&b"+OK\r\nPIPELINING\r\n.\r\n"[..]),
        Just(&b"+OK 2 320\r\n"[..]),
        Just(&b"+OK\r\n1 120\r\n2 200\r\n.\r\n"[..]),
        Just(&b"+OK\r\n..dot\r\nline\r\n.\r\n"[..]),
        Just(&b"-ERR [AUTH] no\r\n"[..]),
        Just(&b"+ \r\n"[..]),
        // Pieces and noise.
        Just(&b"+OK"[..]),
        Just(&b"-ERR"[..]),
        Just(&b" [AUTH]"[..]),
        Just(&b" 2 320"[..]),
        Just(&b" <1.2@x>"[..]),
        Just(&b"+ "[..]),
        Just(&b"1 120"[..]),
        Just(&b"1 whqtswO00WBw418f9t5JxYwZ"[..]),
        Just(&b"PIPELINING"[..]),
        Just(&b"."[..]),
        Just(&b".."[..]),
        Just(&b"\r\n"[..]),
        Just(&b"\r\n.\r\n"[..]),
        Just(&b"\n"[..]),
        Just(&b"\r"[..]),
        Just(&b"\0"[..]),
        Just(&b" "[..]),
        Just(&b"x"[..]),
    ];
    proptest::collection::vec(token, 0..50).prop_map(|t| t.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Whatever the server sends, fed whole, cut anywhere or byte by byte, the client sends and
    /// reports the same (streamed pieces joined), and never panics.
    #[test]
    fn any_split_gives_the_same_client(
        input in server_like(),
        points in proptest::collection::vec(proptest::prelude::any::<usize>(), 0..8),
        eof in proptest::prelude::any::<bool>(),
    ) {
        let steps = |pieces: Vec<&'static [u8]>| {
            let mut steps = vec![
                Step::Server(b"+OK ready <1.2@x>\r\n"),
                Step::Capa,
                Step::Login("a", "b"),
                Step::Stat,
                Step::List(None),
                Step::Retr(1),
                Step::Uidl(None),
                Step::Top(1, 0),
                Step::Dele(1),
            ];
            steps.extend(pieces.into_iter().map(Step::Server));
            if eof {
                steps.push(Step::Eof);
            }
            steps
        };
        let input: &'static [u8] = input.leak();
        let flatten = |turns: Vec<Turn>| {
            // How the bytes were cut shows in which turn a thing happened: compare the whole.
            let mut sent = String::new();
            let mut events: Vec<Outcome> = Vec::new();
            for t in turns {
                sent.push_str(&t.sent);
                for e in t.events {
                    match (events.last_mut(), e) {
                        (Some(Ok(ClientEvent::Data(prev))), Ok(ClientEvent::Data(d))) => {
                            let mut joined = prev.to_vec();
                            joined.extend_from_slice(&d);
                            *prev = joined.into();
                        }
                        (_, e) => events.push(e),
                    }
                }
            }
            (sent, events)
        };
        let whole = flatten(drive_with(ClientConfig::default(), &steps(vec![input]), false).0);
        let split = flatten(drive_with(ClientConfig::default(), &steps(framing::testing::cut(input, &points)), false).0);
        proptest::prop_assert_eq!(&whole, &split);
        let bytewise = flatten(drive_with(ClientConfig::default(), &steps(vec![input]), true).0);
        proptest::prop_assert_eq!(&whole, &bytewise);
    }
}

/// APOP and AUTH are kept in lockstep under PIPELINING too: each waits for the answers before
/// it, and nothing goes behind it before its own answer (RFC 2449 §6.6).
#[test]
fn apop_and_auth_in_lockstep() {
    let t = run(&[
        Step::Server(GREETING),
        Step::Capa,
        Step::Server(b"+OK\r\nPIPELINING\r\n.\r\n"),
        Step::Capa,
        Step::Apop("mrose", "tanstaaf"),
        Step::Stat,
        Step::Server(b"+OK\r\nPIPELINING\r\n.\r\n"),
        Step::Server(b"+OK logged in\r\n"),
        Step::Server(b"+OK 0 0\r\n"),
    ]);
    assert_eq!(t[3].sent, "CAPA\r\n");
    assert_eq!(t[4].sent, "");
    assert_eq!(t[5].sent, "");
    assert_eq!(t[6].sent, "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
    assert_eq!(t[7].sent, "STAT\r\n");
    assert_eq!(
        t[8].events,
        vec![Ok(ClientEvent::Stat { count: 0, size: 0 })]
    );

    let t = run(&[
        Step::Server(b"+OK\r\n"),
        Step::Capa,
        Step::Server(b"+OK\r\nPIPELINING\r\nSASL PLAIN\r\n.\r\n"),
        Step::Capa,
        Step::AuthPlain("alice", "secret"),
        Step::Stat,
        Step::List(None),
        Step::Server(b"+OK\r\nPIPELINING\r\nSASL PLAIN\r\n.\r\n"),
        Step::Server(b"+OK\r\n"),
    ]);
    assert_eq!(t[3].sent, "CAPA\r\n");
    assert_eq!(t[4].sent, "");
    assert_eq!(t[7].sent, "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
    // Logged in under PIPELINING: the rest goes in one burst.
    assert_eq!(t[8].sent, "STAT\r\nLIST\r\n");
}
