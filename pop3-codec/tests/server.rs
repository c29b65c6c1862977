//! The server session (RFC 1939 §3-§10; RFC 2449 §5, §6.6; RFC 5034; RFC 2595 §4; RFC 6856 §2)
//! over [`VecMaildrop`]: every script run with the client's bytes fed whole and again one byte at
//! a time, with the same events and the same response bytes (except the STLS rows where a split
//! changes what the bytes mean, run whole only).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::cell::RefCell;
use std::rc::Rc;

use bytes::Bytes;
use pop3_codec::server::VecMaildrop;
use pop3_codec::{
    Capability, Error, Maildrop, Mechanism, Response, ResponseCode, ServerConfig, ServerEvent,
    ServerSession, apop_digest, sasl_plain,
};

/// A [`VecMaildrop`] the test keeps a handle on, to see what the session deleted.
#[derive(Debug, Clone)]
struct Shared(Rc<RefCell<VecMaildrop>>);

impl Shared {
    fn new(messages: &[&[u8]]) -> Shared {
        Shared(Rc::new(RefCell::new(VecMaildrop::new(
            messages.iter().map(|m| m.to_vec()).collect(),
        ))))
    }

    /// Which messages are left, by number.
    fn left(&self) -> Vec<bool> {
        self.0
            .borrow()
            .messages()
            .iter()
            .map(Option::is_some)
            .collect()
    }
}

impl Maildrop for Shared {
    fn count(&self) -> u32 {
        self.0.borrow().count()
    }
    fn size(&self, msg: u32) -> u64 {
        self.0.borrow().size(msg)
    }
    fn uid(&self, msg: u32) -> String {
        self.0.borrow().uid(msg)
    }
    fn read(&mut self, msg: u32) -> Result<Bytes, String> {
        self.0.borrow_mut().read(msg)
    }
    fn delete(&mut self, msgs: &[u32]) -> Result<(), String> {
        self.0.borrow_mut().delete(msgs)
    }
}

/// The application's answer to an event.
#[derive(Debug, Clone)]
enum Answer {
    Accept,
    Refuse(&'static str),
    RefuseWith(Response),
    Challenge(&'static [u8]),
}

type Policy = fn(&ServerEvent) -> Option<Answer>;

/// Accepts every login; challenges an AUTH without initial response with an empty `+`.
fn accept_all(e: &ServerEvent) -> Option<Answer> {
    match e {
        ServerEvent::Auth { initial: None, .. } => Some(Answer::Challenge(b"")),
        ServerEvent::Login { .. }
        | ServerEvent::Apop { .. }
        | ServerEvent::Auth { .. }
        | ServerEvent::AuthResponse(_) => Some(Answer::Accept),
        _ => None,
    }
}

/// Checks the credentials as an application would: mrose / tanstaaf.
fn check_password(e: &ServerEvent) -> Option<Answer> {
    let good = match e {
        ServerEvent::Login { user, password } => user == "mrose" && password == "tanstaaf",
        ServerEvent::Apop {
            user,
            digest,
            timestamp,
        } => user == "mrose" && *digest == apop_digest(timestamp, "tanstaaf"),
        ServerEvent::Auth {
            initial: Some(i), ..
        } => sasl_plain(i).is_some_and(|(_, u, p)| u == "mrose" && p == "tanstaaf"),
        ServerEvent::Auth { initial: None, .. } => return Some(Answer::Challenge(b"")),
        ServerEvent::AuthResponse(r) => {
            sasl_plain(r).is_some_and(|(_, u, p)| u == "mrose" && p == "tanstaaf")
        }
        _ => return None,
    };
    Some(match good {
        true => Answer::Accept,
        false => Answer::Refuse("invalid credentials"),
    })
}

/// The client's input, step by step.
#[derive(Debug, Clone, Copy)]
enum Step {
    In(&'static [u8]),
    Eof,
    /// TLS is up (after STLS's `+OK`): what the session kept for it is recorded.
    TlsUp,
}

/// What one step gave: the events (and refusals), the bytes written.
#[derive(Debug, PartialEq)]
struct Turn {
    events: Vec<Result<ServerEvent, Error>>,
    wire: String,
}

fn drive(
    config: &ServerConfig,
    messages: &[&[u8]],
    policy: Policy,
    steps: &[Step],
    bytewise: bool,
) -> (Vec<Turn>, Shared) {
    let drop = Shared::new(messages);
    let mut s: ServerSession<Shared> = ServerSession::new(config.clone());
    let mut turns = Vec::new();
    // The greeting is turn 0.
    let mut wire = Vec::new();
    while let Some(b) = s.poll_transmit() {
        wire.extend_from_slice(&b);
    }
    turns.push(Turn {
        events: vec![],
        wire: String::from_utf8(wire).unwrap(),
    });
    for step in steps {
        let mut events = Vec::new();
        let mut wire = Vec::new();
        let pump = |s: &mut ServerSession<Shared>, events: &mut Vec<_>| loop {
            match s.poll_event() {
                Ok(None) => return,
                Ok(Some(e)) => {
                    match policy(&e) {
                        Some(Answer::Accept) => s.accept(drop.clone()).unwrap(),
                        Some(Answer::Refuse(t)) => s.refuse(t).unwrap(),
                        Some(Answer::RefuseWith(r)) => s.refuse_with(r).unwrap(),
                        Some(Answer::Challenge(d)) => s.challenge(d).unwrap(),
                        None => {}
                    }
                    events.push(Ok(e));
                }
                Err(e) => events.push(Err(e)),
            }
        };
        match step {
            Step::In(bytes) if bytewise => {
                for b in bytes.iter() {
                    s.receive(std::slice::from_ref(b));
                    pump(&mut s, &mut events);
                }
            }
            Step::In(bytes) => {
                s.receive(bytes);
                pump(&mut s, &mut events);
            }
            Step::Eof => {
                s.receive_eof();
                pump(&mut s, &mut events);
            }
            Step::TlsUp => {
                let kept = s.take_remaining();
                s.tls_established().unwrap();
                wire.extend_from_slice(format!("[TLS with {} octets]", kept.len()).as_bytes());
            }
        }
        while let Some(b) = s.poll_transmit() {
            wire.extend_from_slice(&b);
        }
        turns.push(Turn {
            events,
            wire: String::from_utf8(wire).unwrap(),
        });
    }
    (turns, drop)
}

/// Runs the script whole and byte by byte: both must give the same events and bytes.
fn run(
    config: &ServerConfig,
    messages: &[&[u8]],
    policy: Policy,
    steps: &[Step],
) -> (Vec<Turn>, Shared) {
    let (whole, drop) = drive(config, messages, policy, steps, false);
    if std::env::var_os("POP3_PRINT").is_some() {
        for (i, t) in whole.iter().enumerate() {
            println!("TURN {i} {:?} {:?}", t.events, t.wire);
        }
    }
    let (bytewise, drop_b) = drive(config, messages, policy, steps, true);
    assert_eq!(whole, bytewise, "byte by byte differs");
    assert_eq!(drop.left(), drop_b.left());
    (whole, drop)
}

/// A message of `n` octets: a header, a blank line, lines of body.
fn message(n: usize, tag: &str) -> Vec<u8> {
    let mut m = format!("Subject: {tag}\r\n\r\n").into_bytes();
    while m.len() + 3 <= n {
        let room = (n - m.len() - 2).min(70);
        m.extend(std::iter::repeat_n(b'x', room));
        m.extend_from_slice(b"\r\n");
    }
    assert_eq!(m.len(), n, "message({n})");
    m
}

fn apop_config() -> ServerConfig {
    ServerConfig {
        apop_timestamp: Some("<1896.697170952@dbc.mtview.ca.us>".into()),
        ..ServerConfig::default()
    }
}

fn full_config() -> ServerConfig {
    ServerConfig {
        apop_timestamp: Some("<1896.697170952@dbc.mtview.ca.us>".into()),
        sasl: vec![Mechanism::new("PLAIN").unwrap()],
        stls: true,
        utf8: true,
        implementation: Some("pop3-codec".into()),
        ..ServerConfig::default()
    }
}

fn peer(offset: u64, reason: &'static str) -> Result<ServerEvent, Error> {
    Err(Error::Peer { offset, reason })
}

const BEFORE_LOGIN: &str = "a TRANSACTION command before login (RFC 1939 §3, §4)";
const AFTER_LOGIN: &str = "an AUTHORIZATION command after login (RFC 1939 §5)";
const NOT_OFFERED: &str = "a command the server does not offer (RFC 2449 §5)";

/// RFC 1939 §10's example session, byte for byte but for the session's own texts: every
/// response's status and content checked.
#[test]
fn rfc1939_example_session() {
    let m1 = message(120, "one");
    let m2 = message(200, "two");
    let (t, drop) = run(
        &apop_config(),
        &[&m1, &m2],
        check_password,
        &[
            Step::In(b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"),
            Step::In(b"STAT\r\n"),
            Step::In(b"LIST\r\n"),
            Step::In(b"RETR 1\r\n"),
            Step::In(b"DELE 1\r\n"),
            Step::In(b"RETR 2\r\n"),
            Step::In(b"DELE 2\r\n"),
            Step::In(b"QUIT\r\n"),
        ],
    );
    assert_eq!(
        t[0].wire,
        "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n"
    );
    assert_eq!(
        t[1].events,
        vec![Ok(ServerEvent::Apop {
            user: "mrose".into(),
            digest: apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf"),
            timestamp: "<1896.697170952@dbc.mtview.ca.us>".into(),
        })]
    );
    assert_eq!(t[1].wire, "+OK maildrop has 2 messages (320 octets)\r\n");
    assert_eq!(t[2].wire, "+OK 2 320\r\n");
    assert_eq!(t[3].wire, "+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n");
    assert_eq!(
        t[4].wire,
        format!("+OK 120 octets\r\n{}.\r\n", String::from_utf8_lossy(&m1))
    );
    assert_eq!(t[5].wire, "+OK message 1 deleted\r\n");
    assert_eq!(
        t[6].wire,
        format!("+OK 200 octets\r\n{}.\r\n", String::from_utf8_lossy(&m2))
    );
    assert_eq!(t[7].wire, "+OK message 2 deleted\r\n");
    assert_eq!(t[8].events, vec![Ok(ServerEvent::Quit)]);
    assert_eq!(t[8].wire, "+OK 2 messages deleted, bye\r\n");
    assert_eq!(drop.left(), vec![false, false]);
    // Nothing but the events above, no refusal anywhere.
    assert!(t.iter().flat_map(|t| &t.events).all(Result::is_ok));
}

/// Every TRANSACTION command before login: `-ERR` and [`Error::Peer`]; the session goes on.
#[test]
fn transaction_commands_before_login() {
    let cmds: [&'static [u8]; 8] = [
        b"STAT\r\n",
        b"LIST\r\n",
        b"LIST 1\r\n",
        b"RETR 1\r\n",
        b"DELE 1\r\n",
        b"NOOP\r\n",
        b"RSET\r\n",
        b"TOP 1 1\r\n",
    ];
    let mut steps: Vec<Step> = cmds.iter().map(|c| Step::In(c)).collect();
    steps.push(Step::In(b"UIDL 1\r\n"));
    steps.push(Step::In(b"USER mrose\r\nPASS tanstaaf\r\nSTAT\r\n"));
    let (t, _) = run(
        &ServerConfig::default(),
        &[b"hi\r\n"],
        check_password,
        &steps,
    );
    let mut offset = 0;
    for (i, c) in cmds.iter().chain([&&b"UIDL 1\r\n"[..]]).enumerate() {
        offset += c.len() as u64;
        assert_eq!(t[i + 1].events, vec![peer(offset, BEFORE_LOGIN)], "{i}");
        assert_eq!(
            t[i + 1].wire,
            "-ERR command not valid in the AUTHORIZATION state\r\n"
        );
    }
    let last = t.last().unwrap();
    assert!(matches!(last.events[..], [Ok(ServerEvent::Login { .. })]));
    assert_eq!(
        last.wire,
        "+OK send PASS\r\n+OK maildrop has 1 message (4 octets)\r\n+OK 1 4\r\n"
    );
}

/// USER, PASS, APOP, AUTH, STLS and UTF8 once logged in: `-ERR`, still logged in (RFC 1939 §5,
/// RFC 2595 §4, RFC 6856 §2).
#[test]
fn authorization_commands_after_login() {
    let (t, _) = run(
        &full_config(),
        &[b"hi\r\n"],
        accept_all,
        &[
            Step::In(b"USER a\r\nPASS b\r\n"),
            Step::In(b"USER a\r\n"),
            Step::In(b"PASS b\r\n"),
            Step::In(b"APOP a c4c9334bac560ecc979e58001b3e22fb\r\n"),
            Step::In(b"AUTH PLAIN =\r\n"),
            Step::In(b"STLS\r\n"),
            Step::In(b"UTF8\r\n"),
            Step::In(b"STAT\r\n"),
        ],
    );
    assert!(matches!(t[1].events[..], [Ok(ServerEvent::Login { .. })]));
    let mut offset = 16;
    for (i, len) in [(2, 8), (3, 8), (4, 41), (5, 14), (6, 6), (7, 6)] {
        offset += len;
        assert_eq!(t[i].events, vec![peer(offset, AFTER_LOGIN)], "{i}");
        assert_eq!(
            t[i].wire,
            "-ERR command not valid in the TRANSACTION state\r\n"
        );
    }
    assert_eq!(t[8].wire, "+OK 1 4\r\n");
}

/// PASS needs USER first; a refused PASS needs USER again; APOP needs a timestamp in the
/// greeting; an unknown command is `-ERR` (RFC 1939 §3, §7).
#[test]
fn authorization_rules() {
    let (t, _) = run(
        &ServerConfig::default(),
        &[b"hi\r\n"],
        check_password,
        &[
            Step::In(b"PASS tanstaaf\r\n"),
            Step::In(b"USER mrose\r\nPASS wrong\r\n"),
            Step::In(b"PASS tanstaaf\r\n"),
            Step::In(b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"),
            Step::In(b"XTND XMIT\r\n"),
            Step::In(b"USER other\r\nUSER mrose\r\nPASS tanstaaf\r\n"),
        ],
    );
    assert_eq!(t[0].wire, "+OK POP3 server ready\r\n");
    assert_eq!(
        t[1].events,
        vec![peer(15, "PASS without USER (RFC 1939 §7)")]
    );
    assert_eq!(t[1].wire, "-ERR USER first\r\n");
    assert_eq!(
        t[2].events,
        vec![Ok(ServerEvent::Login {
            user: "mrose".into(),
            password: "wrong".into()
        })]
    );
    assert_eq!(
        t[2].wire,
        "+OK send PASS\r\n-ERR [AUTH] invalid credentials\r\n"
    );
    assert_eq!(
        t[3].events,
        vec![peer(54, "PASS without USER (RFC 1939 §7)")]
    );
    assert_eq!(
        t[4].events,
        vec![peer(
            99,
            "APOP without a timestamp in the greeting (RFC 1939 §7)"
        )]
    );
    assert_eq!(t[4].wire, "-ERR APOP not supported\r\n");
    assert_eq!(t[5].events, vec![Err(Error::UnknownCommand { offset: 99 })]);
    assert_eq!(
        t[5].wire,
        "-ERR unknown command at byte 99 (RFC 1939 section 3)\r\n"
    );
    // The last USER counts.
    assert_eq!(
        t[6].events,
        vec![Ok(ServerEvent::Login {
            user: "mrose".into(),
            password: "tanstaaf".into()
        })]
    );
    assert_eq!(
        t[6].wire,
        "+OK send PASS\r\n+OK send PASS\r\n+OK maildrop has 1 message (4 octets)\r\n"
    );
}

/// A login refused with a code (RFC 2449 §8.1.1 IN-USE, RFC 3206 SYS/TEMP), and the decision
/// calls that are out of place.
#[test]
fn refusals_with_codes_and_local_errors() {
    fn in_use(e: &ServerEvent) -> Option<Answer> {
        matches!(e, ServerEvent::Login { .. })
            .then(|| Answer::RefuseWith(Response::err_with(ResponseCode::InUse, "maildrop locked")))
    }
    let (t, _) = run(
        &ServerConfig::default(),
        &[],
        in_use,
        &[Step::In(b"USER a\r\nPASS b\r\nSTAT\r\n")],
    );
    assert_eq!(
        t[1].wire,
        "+OK send PASS\r\n-ERR [IN-USE] maildrop locked\r\n-ERR command not valid in the AUTHORIZATION state\r\n"
    );
    let mut s: ServerSession<VecMaildrop> = ServerSession::new(ServerConfig::default());
    assert!(matches!(
        s.accept(VecMaildrop::default()),
        Err(Error::Local { .. })
    ));
    assert!(matches!(s.refuse("no"), Err(Error::Local { .. })));
    assert!(matches!(s.challenge(b""), Err(Error::Local { .. })));
    assert!(matches!(s.tls_established(), Err(Error::Local { .. })));
    s.receive(b"USER a\r\nPASS b\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(ServerEvent::Login { .. }))
    ));
    assert!(matches!(
        s.refuse_with(Response::ok("fine")),
        Err(Error::Local { .. })
    ));
    // A login is not an AUTH: no challenge.
    assert!(matches!(s.challenge(b""), Err(Error::Local { .. })));
    s.accept(VecMaildrop::default()).unwrap();
    assert!(s.is_authenticated());
}

/// DELE marks, RSET unmarks, STAT/LIST/UIDL count only live messages, deleted and missing
/// numbers are refused, QUIT in TRANSACTION deletes the marked ones (RFC 1939 §5, §6).
#[test]
fn dele_rset_quit() {
    let (t, drop) = run(
        &ServerConfig::default(),
        &[b"one\r\n", b"two!\r\n", b"three\r\n"],
        accept_all,
        &[
            Step::In(b"USER a\r\nPASS b\r\n"),
            Step::In(b"DELE 2\r\n"),
            Step::In(b"STAT\r\nLIST\r\nLIST 2\r\nRETR 2\r\nTOP 2 0\r\nUIDL 2\r\nDELE 2\r\n"),
            Step::In(b"RETR 4\r\nLIST 4294967295\r\nDELE 9\r\n"),
            Step::In(b"RSET\r\nSTAT\r\nLIST 2\r\n"),
            Step::In(b"DELE 1\r\nDELE 3\r\nNOOP\r\nSTAT\r\n"),
            Step::In(b"QUIT\r\n"),
            Step::In(b"STAT\r\n"),
            Step::Eof,
        ],
    );
    assert_eq!(t[2].wire, "+OK message 2 deleted\r\n");
    assert_eq!(
        t[3].wire,
        "+OK 2 12\r\n+OK 2 messages\r\n1 5\r\n3 7\r\n.\r\n\
-ERR message 2 already deleted\r\n-ERR message 2 already deleted\r\n-ERR message 2 already deleted\r\n\
-ERR message 2 already deleted\r\n-ERR message 2 already deleted\r\n"
    );
    let deleted = "a deleted message (RFC 1939 §5)";
    assert_eq!(
        t[3].events,
        vec![
            peer(44, deleted),
            peer(52, deleted),
            peer(61, deleted),
            peer(69, deleted),
            peer(77, deleted),
        ]
    );
    let range = "a message number out of range (RFC 1939 §5)";
    assert_eq!(
        t[4].events,
        vec![peer(85, range), peer(102, range), peer(110, range)]
    );
    assert_eq!(t[4].wire, "-ERR no such message\r\n".repeat(3));
    assert_eq!(
        t[5].wire,
        "+OK maildrop has 3 messages\r\n+OK 3 18\r\n+OK 2 6\r\n"
    );
    assert_eq!(
        t[6].wire,
        "+OK message 1 deleted\r\n+OK message 3 deleted\r\n+OK\r\n+OK 1 6\r\n"
    );
    // Nothing is deleted before QUIT.
    assert_eq!(t[7].events, vec![Ok(ServerEvent::Quit)]);
    assert_eq!(t[7].wire, "+OK 2 messages deleted, bye\r\n");
    // After QUIT nothing more is read or answered.
    assert_eq!(
        t[8],
        Turn {
            events: vec![],
            wire: String::new()
        }
    );
    assert_eq!(t[9].events, vec![Ok(ServerEvent::Closed)]);
    assert_eq!(drop.left(), vec![false, true, false]);
}

/// QUIT in AUTHORIZATION and a connection dropped in TRANSACTION delete nothing (RFC 1939 §6).
#[test]
fn nothing_deleted_without_quit_in_transaction() {
    let (t, drop) = run(
        &ServerConfig::default(),
        &[b"one\r\n"],
        accept_all,
        &[Step::In(b"USER a\r\nDELE 1\r\nQUIT\r\n")],
    );
    assert_eq!(
        t[1].wire,
        "+OK send PASS\r\n-ERR command not valid in the AUTHORIZATION state\r\n+OK bye\r\n"
    );
    assert_eq!(t[1].events[1], Ok(ServerEvent::Quit));
    assert_eq!(drop.left(), vec![true]);

    let (t, drop) = run(
        &ServerConfig::default(),
        &[b"one\r\n", b"two\r\n"],
        accept_all,
        &[
            Step::In(b"USER a\r\nPASS b\r\nDELE 1\r\nDELE 2\r\n"),
            Step::Eof,
        ],
    );
    assert_eq!(t[2].events, vec![Ok(ServerEvent::Closed)]);
    assert_eq!(t[2].wire, "");
    assert_eq!(drop.left(), vec![true, true]);
    // A connection dropped inside a command: the end of the stream inside the line (nobody to
    // answer), then Closed; nothing deleted. Regression: Closed never came while the half line
    // stayed buffered.
    let mut s: ServerSession<VecMaildrop> = ServerSession::new(ServerConfig::default());
    s.receive(b"USER a\r\nPASS b\r\nDELE 1\r\nQUI");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(ServerEvent::Login { .. }))
    ));
    s.accept(VecMaildrop::new(vec![b"x\r\n".to_vec()])).unwrap();
    assert_eq!(s.poll_event(), Ok(None));
    while s.poll_transmit().is_some() {}
    s.receive_eof();
    assert_eq!(
        s.poll_event(),
        Err(Error::Truncated {
            offset: 27,
            inside: "command line"
        })
    );
    assert_eq!(s.poll_event(), Ok(Some(ServerEvent::Closed)));
    assert_eq!(s.poll_transmit(), None);
    // The same inside an answer to an AUTH challenge.
    let mut s: ServerSession<VecMaildrop> = ServerSession::new(ServerConfig {
        sasl: vec![Mechanism::new("PLAIN").unwrap()],
        ..ServerConfig::default()
    });
    s.receive(b"AUTH PLAIN\r\nAG1y");
    assert!(matches!(s.poll_event(), Ok(Some(ServerEvent::Auth { .. }))));
    s.challenge(b"").unwrap();
    assert_eq!(s.poll_event(), Ok(None));
    s.receive_eof();
    assert_eq!(
        s.poll_event(),
        Err(Error::Truncated {
            offset: 16,
            inside: "command line"
        })
    );
    assert_eq!(s.poll_event(), Ok(Some(ServerEvent::Closed)));
    assert_eq!(s.poll_event(), Ok(None));
    assert!(!s.is_closing());
}

/// A maildrop that cannot delete: QUIT answers `-ERR [SYS/TEMP]` (RFC 1939 §6, RFC 3206 §4).
#[test]
fn failed_deletion_is_reported() {
    #[derive(Debug)]
    struct Stuck;
    impl Maildrop for Stuck {
        fn count(&self) -> u32 {
            1
        }
        fn size(&self, _: u32) -> u64 {
            3
        }
        fn uid(&self, _: u32) -> String {
            "u1".into()
        }
        fn read(&mut self, _: u32) -> Result<Bytes, String> {
            Err("gone".into())
        }
        fn delete(&mut self, _: &[u32]) -> Result<(), String> {
            Err("read-only".into())
        }
    }
    let mut s: ServerSession<Stuck> = ServerSession::new(ServerConfig::default());
    s.receive(b"USER a\r\nPASS b\r\nRETR 1\r\nUIDL\r\nDELE 1\r\nQUIT\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(ServerEvent::Login { .. }))
    ));
    s.accept(Stuck).unwrap();
    assert_eq!(s.poll_event(), Ok(Some(ServerEvent::Quit)));
    let out: Vec<u8> = std::iter::from_fn(|| s.poll_transmit()).flatten().collect();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "+OK POP3 server ready\r\n+OK send PASS\r\n+OK maildrop has 1 message (3 octets)\r\n\
-ERR [SYS/TEMP] gone\r\n+OK 1 message\r\n1 u1\r\n.\r\n+OK message 1 deleted\r\n\
-ERR [SYS/TEMP] some messages not deleted: read-only\r\n"
    );
    assert!(s.is_closing());
}

/// TOP: the header, the blank line, n lines of the body, stuffed (RFC 1939 §7); a message with
/// bare line ends cannot be sent (RFC 1939 §3).
#[test]
fn top_and_retr() {
    let m: &[u8] = b"A: 1\r\nB: 2\r\n\r\n.l1\r\nl2\r\nl3\r\n";
    let (t, _) = run(
        &ServerConfig::default(),
        &[m, b"bare\nLF\r\n"],
        accept_all,
        &[
            Step::In(b"USER a\r\nPASS b\r\n"),
            Step::In(b"TOP 1 0\r\n"),
            Step::In(b"TOP 1 1\r\n"),
            Step::In(b"TOP 1 4294967295\r\n"),
            Step::In(b"RETR 1\r\n"),
            Step::In(b"RETR 2\r\nTOP 2 0\r\n"),
        ],
    );
    assert_eq!(
        t[2].wire,
        "+OK top of message follows\r\nA: 1\r\nB: 2\r\n\r\n.\r\n"
    );
    assert_eq!(
        t[3].wire,
        "+OK top of message follows\r\nA: 1\r\nB: 2\r\n\r\n..l1\r\n.\r\n"
    );
    assert_eq!(
        t[4].wire,
        "+OK top of message follows\r\nA: 1\r\nB: 2\r\n\r\n..l1\r\nl2\r\nl3\r\n.\r\n"
    );
    assert_eq!(
        t[5].wire,
        "+OK 27 octets\r\nA: 1\r\nB: 2\r\n\r\n..l1\r\nl2\r\nl3\r\n.\r\n"
    );
    assert_eq!(
        t[6].wire,
        "-ERR [SYS/PERM] message has bare line ends\r\n-ERR [SYS/PERM] message has bare line ends\r\n"
    );
}

/// UIDL: the ids are stable across sessions and across deletions, deleted messages left out
/// (RFC 1939 §7).
#[test]
fn uidl_stable() {
    let msgs: [&[u8]; 3] = [b"one\r\n", b"two\r\n", b"one\r\n"];
    let steps = [
        Step::In(b"USER a\r\nPASS b\r\n"),
        Step::In(b"UIDL\r\n"),
        Step::In(b"DELE 1\r\nUIDL\r\nUIDL 2\r\nUIDL 3\r\n"),
    ];
    let (t, _) = run(&ServerConfig::default(), &msgs, accept_all, &steps);
    let (again, _) = run(&ServerConfig::default(), &msgs, accept_all, &steps);
    assert_eq!(t, again);
    let listing = t[2].wire.strip_prefix("+OK 3 messages\r\n").unwrap();
    let lines: Vec<&str> = listing.split("\r\n").collect();
    assert_eq!(lines.len(), 5, "{listing:?}");
    assert_eq!(lines[3], ".");
    let uid = |l: &str| l.split(' ').nth(1).unwrap().to_owned();
    let uids: Vec<String> = lines[..3].iter().map(|l| uid(l)).collect();
    // Unique even for the same content; 1 to 70 characters from 0x21 to 0x7E.
    assert_ne!(uids[0], uids[2]);
    for u in &uids {
        assert!((1..=70).contains(&u.len()) && u.bytes().all(|b| (0x21..=0x7e).contains(&b)));
    }
    assert_eq!(
        t[3].wire,
        format!(
            "+OK message 1 deleted\r\n+OK 2 messages\r\n2 {}\r\n3 {}\r\n.\r\n+OK 2 {}\r\n+OK 3 {}\r\n",
            uids[1], uids[2], uids[1], uids[2]
        )
    );
}

/// PIPELINING (RFC 2449 §6.6): a burst is answered in order; a login decision holds the
/// commands behind it until it is answered.
#[test]
fn pipelining() {
    let mut s: ServerSession<VecMaildrop> = ServerSession::new(ServerConfig::default());
    while s.poll_transmit().is_some() {}
    s.receive(b"CAPA\r\nUSER a\r\nPASS b\r\nSTAT\r\nLIST\r\nRETR 1\r\nDELE 1\r\nQUIT\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(ServerEvent::Login { .. }))
    ));
    // Held back: nothing more is read while the login is decided.
    assert_eq!(s.poll_event(), Ok(None));
    let before: Vec<u8> = std::iter::from_fn(|| s.poll_transmit()).flatten().collect();
    let before = String::from_utf8(before).unwrap();
    assert!(before.starts_with("+OK Capability list follows\r\n"));
    assert!(before.ends_with(".\r\n+OK send PASS\r\n"), "{before}");
    assert!(s.buffered() > 0);
    s.accept(VecMaildrop::new(vec![b"hi\r\n".to_vec()]))
        .unwrap();
    assert_eq!(s.poll_event(), Ok(Some(ServerEvent::Quit)));
    let after: Vec<u8> = std::iter::from_fn(|| s.poll_transmit()).flatten().collect();
    assert_eq!(
        String::from_utf8(after).unwrap(),
        "+OK maildrop has 1 message (4 octets)\r\n+OK 1 4\r\n+OK 1 message\r\n1 4\r\n.\r\n\
+OK 4 octets\r\nhi\r\n.\r\n+OK message 1 deleted\r\n+OK 1 message deleted, bye\r\n"
    );
    // The same burst with the login refused: every command after it is refused in order.
    let mut s: ServerSession<VecMaildrop> = ServerSession::new(ServerConfig::default());
    while s.poll_transmit().is_some() {}
    s.receive(b"USER a\r\nPASS b\r\nSTAT\r\nQUIT\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(ServerEvent::Login { .. }))
    ));
    s.refuse("no").unwrap();
    assert_eq!(
        s.poll_event(),
        Err(Error::Peer {
            offset: 22,
            reason: BEFORE_LOGIN
        })
    );
    assert_eq!(s.poll_event(), Ok(Some(ServerEvent::Quit)));
    let out: Vec<u8> = std::iter::from_fn(|| s.poll_transmit()).flatten().collect();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "+OK send PASS\r\n-ERR [AUTH] no\r\n-ERR command not valid in the AUTHORIZATION state\r\n+OK bye\r\n"
    );
}

/// APOP with the digest of the greeting's timestamp (RFC 1939 §7): right and wrong secrets.
#[test]
fn apop() {
    let (t, _) = run(
        &apop_config(),
        &[b"hi\r\n"],
        check_password,
        &[
            Step::In(b"APOP mrose 00000000000000000000000000000000\r\n"),
            Step::In(b"APOP mrose C4C9334BAC560ECC979E58001B3E22FB\r\n"),
            Step::In(b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"),
        ],
    );
    assert_eq!(t[1].wire, "-ERR [AUTH] invalid credentials\r\n");
    assert!(matches!(
        t[2].events[..],
        [Err(Error::Syntax {
            offset: 56,
            production: "digest",
            ..
        })]
    ));
    assert_eq!(
        t[2].wire,
        "-ERR expected digest at byte 56, found 'C' (0x43) (lower-case hex digits, RFC 1939 section 7)\r\n"
    );
    assert_eq!(t[3].wire, "+OK maildrop has 1 message (4 octets)\r\n");
}

/// AUTH PLAIN (RFC 5034 §4, RFC 4616): with an initial response, after an empty challenge,
/// cancelled, with an answer that is not base64, with a mechanism not offered, and AUTH alone.
#[test]
fn auth_plain() {
    let config = full_config();
    // "\0mrose\0tanstaaf" and "\0mrose\0wrong".
    let (t, _) = run(
        &config,
        &[b"hi\r\n"],
        check_password,
        &[
            Step::In(b"AUTH\r\n"),
            Step::In(b"AUTH PLAIN AG1yb3NlAHdyb25n\r\n"),
            Step::In(b"AUTH PLAIN\r\n"),
            Step::In(b"*\r\n"),
            Step::In(b"AUTH PLAIN\r\n"),
            Step::In(b"not base64\r\n"),
            Step::In(b"AUTH CRAM-MD5\r\n"),
            Step::In(b"AUTH PLAIN\r\n"),
            Step::In(b"AG1yb3NlAHRhbnN0YWFm\r\n"),
            Step::In(b"STAT\r\n"),
        ],
    );
    assert_eq!(t[1].wire, "+OK mechanisms follow\r\nPLAIN\r\n.\r\n");
    assert_eq!(
        t[2].events,
        vec![Ok(ServerEvent::Auth {
            mechanism: Mechanism::new("PLAIN").unwrap(),
            initial: Some(b"\0mrose\0wrong".to_vec())
        })]
    );
    assert_eq!(t[2].wire, "-ERR [AUTH] invalid credentials\r\n");
    assert_eq!(t[3].wire, "+ \r\n");
    assert_eq!(t[4].events, vec![Ok(ServerEvent::AuthCancelled)]);
    assert_eq!(t[4].wire, "-ERR AUTH cancelled\r\n");
    assert_eq!(t[5].wire, "+ \r\n");
    assert!(matches!(
        t[6].events[..],
        [Err(Error::Syntax {
            offset: 65,
            production: "auth-response",
            ..
        })]
    ));
    assert!(
        t[6].wire
            .starts_with("-ERR expected auth-response at byte 65")
    );
    assert_eq!(
        t[7].events,
        vec![peer(89, "an AUTH mechanism not announced (RFC 5034 §4)")]
    );
    assert_eq!(t[7].wire, "-ERR unsupported SASL mechanism\r\n");
    assert_eq!(t[8].wire, "+ \r\n");
    assert_eq!(
        t[9].events,
        vec![Ok(ServerEvent::AuthResponse(b"\0mrose\0tanstaaf".to_vec()))]
    );
    assert_eq!(t[9].wire, "+OK maildrop has 1 message (4 octets)\r\n");
    assert_eq!(t[10].wire, "+OK 1 4\r\n");
}

/// STLS offered only with [`ServerConfig::stls`]; bytes behind it refused and dropped; a clean
/// STLS hands later bytes to TLS and returns to AUTHORIZATION; not after login, not twice.
#[test]
fn stls() {
    // Not offered.
    let (t, _) = run(
        &ServerConfig::default(),
        &[],
        accept_all,
        &[Step::In(b"CAPA\r\n"), Step::In(b"STLS\r\n")],
    );
    assert!(!t[1].wire.contains("STLS"));
    assert_eq!(t[2].events, vec![peer(12, NOT_OFFERED)]);
    assert_eq!(t[2].wire, "-ERR command not supported\r\n");

    // Bytes behind STLS in the same read (RFC 2595 §4; CVE-2011-0411): run whole only, since
    // fed a byte at a time the STLS line would be alone.
    let (t, _) = drive(
        &full_config(),
        &[],
        accept_all,
        &[
            Step::In(b"STLS\r\nCAPA\r\n"),
            Step::In(b"CAPA\r\n"),
            Step::In(b"NOOP x\r\n"),
        ],
        false,
    );
    assert_eq!(
        t[1].events,
        vec![peer(
            6,
            "bytes after STLS before TLS (RFC 2595 §4; the CVE-2011-0411 class)"
        )]
    );
    assert_eq!(t[1].wire, "-ERR command pipelined behind STLS\r\n");
    // Still in the clear, STLS still offered, the dropped bytes still counted in offsets.
    assert!(t[2].wire.contains("\r\nSTLS\r\n"));
    assert!(matches!(
        t[3].events[..],
        [Err(Error::Syntax { offset: 22, .. })]
    ));

    // A clean STLS: the +OK, StartTls, what follows kept for TLS.
    let (t, _) = run(
        &full_config(),
        &[b"hi\r\n"],
        accept_all,
        &[
            Step::In(b"STLS\r\n"),
            Step::In(b"\x16\x03\x01\x02\x00"),
            Step::TlsUp,
            Step::In(b"CAPA\r\n"),
            Step::In(b"STLS\r\n"),
            Step::In(b"USER a\r\nPASS b\r\nSTAT\r\n"),
        ],
    );
    assert_eq!(t[1].events, vec![Ok(ServerEvent::StartTls)]);
    assert_eq!(t[1].wire, "+OK Begin TLS negotiation\r\n");
    assert_eq!(
        t[2],
        Turn {
            events: vec![],
            wire: String::new()
        }
    );
    assert_eq!(t[3].wire, "[TLS with 5 octets]");
    assert!(!t[4].wire.contains("STLS"));
    assert!(t[4].wire.contains("\r\nUSER\r\n"));
    // Offsets count the decrypted stream from its start.
    assert_eq!(t[5].events, vec![peer(12, NOT_OFFERED)]);
    assert_eq!(t[5].wire, "-ERR command not supported\r\n");
    assert!(t[6].wire.ends_with("+OK 1 4\r\n"));

    // take_remaining gives nothing before an accepted STLS.
    let mut s: ServerSession<VecMaildrop> = ServerSession::new(full_config());
    s.receive(b"CAPA\r\n");
    assert!(s.take_remaining().is_empty());
}

/// UTF8 (RFC 6856 §2): offered only when configured; USER and PASS take UTF-8 after it.
#[test]
fn utf8() {
    let (t, _) = run(
        &full_config(),
        &[b"hi\r\n"],
        accept_all,
        &[
            Step::In("USER jörg\r\n".as_bytes()),
            Step::In(b"UTF8\r\n"),
            Step::In("USER jörg\r\nPASS pässwort\r\n".as_bytes()),
        ],
    );
    assert!(matches!(
        t[1].events[..],
        [Err(Error::Syntax {
            offset: 6,
            production: "param",
            ..
        })]
    ));
    assert_eq!(
        t[1].wire,
        "-ERR expected param at byte 6, found 0xc3 (printable characters, RFC 1939 section 3 (UTF-8 after UTF8, RFC 6856 section 2))\r\n"
    );
    assert_eq!(t[2].wire, "+OK UTF8 enabled\r\n");
    assert_eq!(
        t[3].events,
        vec![Ok(ServerEvent::Login {
            user: "jörg".into(),
            password: "pässwort".into()
        })]
    );
    let (t, _) = run(
        &ServerConfig::default(),
        &[],
        accept_all,
        &[Step::In(b"UTF8\r\nLANG\r\n")],
    );
    assert_eq!(
        t[1].events,
        vec![peer(6, NOT_OFFERED), peer(12, NOT_OFFERED)]
    );
    assert_eq!(t[1].wire, "-ERR command not supported\r\n".repeat(2));
}

/// CAPA per state (RFC 2449 §5): STLS only before login and before TLS; the rest in both.
#[test]
fn capa_per_state() {
    let (t, _) = run(
        &full_config(),
        &[b"hi\r\n"],
        accept_all,
        &[
            Step::In(b"CAPA\r\n"),
            Step::In(b"USER a\r\nPASS b\r\nCAPA\r\n"),
        ],
    );
    assert_eq!(
        t[1].wire,
        "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n\
USER\r\nSASL PLAIN\r\nSTLS\r\nUTF8 USER\r\nIMPLEMENTATION pop3-codec\r\n.\r\n"
    );
    assert!(t[2].wire.ends_with(
        "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n\
USER\r\nSASL PLAIN\r\nUTF8 USER\r\nIMPLEMENTATION pop3-codec\r\n.\r\n"
    ));
    let mut s: ServerSession<VecMaildrop> = ServerSession::new(ServerConfig {
        user_pass: false,
        ..ServerConfig::default()
    });
    assert!(!s.capabilities().contains(&Capability::User));
    assert!(s.capabilities().contains(&Capability::Pipelining));
    // USER not offered: refused as a command the server does not offer.
    s.receive(b"USER a\r\n");
    assert_eq!(
        s.poll_event(),
        Err(Error::Peer {
            offset: 8,
            reason: NOT_OFFERED
        })
    );
}

/// Hostile lines answered `-ERR` with the error's text in ASCII, the session going on: the
/// 255-octet line, a 41-octet argument, bare line ends.
#[test]
fn refused_lines_are_answered_and_skipped() {
    let long = format!("USER {}\r\n", "a".repeat(300));
    let arg = format!("USER {}\r\n", "a".repeat(41));
    let mut s: ServerSession<VecMaildrop> = ServerSession::new(ServerConfig::default());
    while s.poll_transmit().is_some() {}
    s.receive(long.as_bytes());
    s.receive(arg.as_bytes());
    s.receive(b"QUIT\nCAPA\r\nQUIT\r\n");
    assert_eq!(
        s.poll_event(),
        Err(Error::LineTooLong {
            offset: 0,
            what: "command line",
            limit: 255
        })
    );
    assert_eq!(
        s.poll_event(),
        Err(Error::ArgumentTooLong {
            offset: 312,
            limit: 40
        })
    );
    assert_eq!(
        s.poll_event(),
        Err(Error::BareLineEnd {
            offset: 359,
            byte: b'\n'
        })
    );
    assert_eq!(s.poll_event(), Ok(Some(ServerEvent::Quit)));
    let out: Vec<u8> = std::iter::from_fn(|| s.poll_transmit()).flatten().collect();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "-ERR command line over 255 octets at byte 0 (RFC 2449 section 4)\r\n\
-ERR argument over 40 octets at byte 312 (RFC 2449 section 4)\r\n\
-ERR bare LF at byte 359 (RFC 1939 section 3)\r\n+OK bye\r\n"
    );
}

/// Bytes that look like a POP3 client's (no STLS: bytes behind it are refused whole but not
/// when they arrive later, a difference by design).
fn client_like() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    let token = prop_oneof![
        Just(&b"USER a\r\n"[..]),
        Just(&b"PASS b c\r\n"[..]),
        Just(&b"APOP a c4c9334bac560ecc979e58001b3e22fb\r\n"[..]),
        Just(&b"AUTH PLAIN\r\n"[..]),
        Just(&b"AUTH PLAIN AGEAYg==\r\n"[..]),
        Just(&b"AGEAYg==\r\n"[..]),
        Just(&b"*\r\n"[..]),
        Just(&b"STAT\r\n"[..]),
        Just(&b"LIST"[..]),
        Just(&b"RETR "[..]),
        Just(&b"DELE "[..]),
        Just(&b"TOP 1 "[..]),
        Just(&b"UIDL"[..]),
        Just(&b"RSET\r\n"[..]),
        Just(&b"NOOP\r\n"[..]),
        Just(&b"CAPA\r\n"[..]),
        Just(&b"UTF8\r\n"[..]),
        Just(&b"QUIT\r\n"[..]),
        Just(&b"1"[..]),
        Just(&b"0"[..]),
        Just(&b" "[..]),
        Just(&b"\r\n"[..]),
        Just(&b"\n"[..]),
        Just(&b"\r"[..]),
        Just(&b"\0"[..]),
        Just(&b"\xc3\xb6"[..]),
    ];
    proptest::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

/// Feeds `pieces` to a session that accepts every login, then closes; returns every event,
/// error and response byte.
fn session_run(
    config: &ServerConfig,
    pieces: &[&[u8]],
) -> (Vec<Result<ServerEvent, Error>>, Vec<u8>, Vec<bool>) {
    let drop = Shared::new(&[b"one\r\n", b"two\r\n.dot\r\n", b"three\r\n"]);
    let mut s: ServerSession<Shared> = ServerSession::new(config.clone());
    let mut events = Vec::new();
    let mut wire = Vec::new();
    let pump = |s: &mut ServerSession<Shared>, events: &mut Vec<_>| loop {
        match s.poll_event() {
            Ok(None) => return,
            Ok(Some(e)) => {
                match accept_all(&e) {
                    Some(Answer::Accept) => s.accept(drop.clone()).unwrap(),
                    Some(Answer::Challenge(d)) => s.challenge(d).unwrap(),
                    _ => {}
                }
                events.push(Ok(e));
            }
            Err(e) => events.push(Err(e)),
        }
    };
    for p in pieces {
        s.receive(p);
        pump(&mut s, &mut events);
    }
    s.receive_eof();
    pump(&mut s, &mut events);
    while let Some(b) = s.poll_transmit() {
        wire.extend_from_slice(&b);
    }
    (events, wire, drop.left())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Any split of the client's bytes gives the same events, errors, responses and deletions;
    /// the session always ends with Closed or Quit.
    #[test]
    fn any_split_gives_the_same_session(
        input in client_like(),
        points in proptest::collection::vec(proptest::prelude::any::<usize>(), 0..8),
        lenient in proptest::prelude::any::<bool>(),
    ) {
        let config = ServerConfig {
            apop_timestamp: Some("<1.2@x>".into()),
            sasl: vec![Mechanism::new("PLAIN").unwrap()],
            utf8: true,
            leniency: pop3_codec::Leniency::strict().normalize_bare_line_ends(lenient),
            ..ServerConfig::default()
        };
        let whole = session_run(&config, &[&input]);
        let split = session_run(&config, &framing::testing::cut(&input, &points));
        proptest::prop_assert_eq!(&whole, &split);
        let bytewise: Vec<&[u8]> = input.chunks(1).collect();
        proptest::prop_assert_eq!(&whole, &session_run(&config, &bytewise));
        let last = whole.0.iter().rev().find_map(|e| e.as_ref().ok());
        proptest::prop_assert!(
            matches!(last, Some(ServerEvent::Closed | ServerEvent::Quit)),
            "{:?}",
            whole.0
        );
    }
}

/// A message holding what looks like the end of a multi-line response (a line of ".", a line
/// of "..", "+OK" lines after it) is stuffed on the way out and read back whole by the client
/// decoder: no early end, nothing read as a response (RFC 1939 §3).
#[test]
fn retr_content_that_looks_like_an_end() {
    use bytes::BytesMut;
    use framing::Decoder;
    use pop3_codec::{Command, ResponseDecoder, ResponseEvent};
    let tricky: &[u8] = b"Subject: x\r\n\r\n.\r\n+OK injected\r\n..\r\n.\r\n.\r\n-ERR\r\n. \r\n";
    let mut s: ServerSession<VecMaildrop> = ServerSession::new(ServerConfig::default());
    s.receive(b"USER a\r\nPASS b\r\nRETR 1\r\nTOP 1 2\r\nSTAT\r\n");
    assert!(matches!(
        s.poll_event(),
        Ok(Some(ServerEvent::Login { .. }))
    ));
    s.accept(VecMaildrop::new(vec![tricky.to_vec()])).unwrap();
    assert_eq!(s.poll_event(), Ok(None));
    let wire: Vec<u8> = std::iter::from_fn(|| s.poll_transmit()).flatten().collect();
    let mut d = ResponseDecoder::default();
    for c in [
        Command::Stat,
        Command::User(pop3_codec::Argument::new("a").unwrap()),
        Command::Pass(pop3_codec::Argument::new("b").unwrap()),
        Command::Retr(1),
        Command::Top { msg: 1, lines: 2 },
        Command::Stat,
    ] {
        // The greeting is read as a single line, like STAT's answer.
        d.expect(&c);
    }
    let mut buf = BytesMut::from(&wire[..]);
    let mut contents = Vec::new();
    let mut statuses = Vec::new();
    while let Some(e) = d.decode_eof(&mut buf).unwrap() {
        match e {
            ResponseEvent::Status(r) => {
                statuses.push(r.to_line().unwrap());
                contents.push(Vec::new());
            }
            ResponseEvent::Data(p) => contents.last_mut().unwrap().extend_from_slice(&p),
            ResponseEvent::End | ResponseEvent::Challenge(_) => {}
        }
    }
    assert_eq!(
        statuses,
        [
            "+OK POP3 server ready",
            "+OK send PASS",
            "+OK maildrop has 1 message (51 octets)",
            "+OK 51 octets",
            "+OK top of message follows",
            "+OK 1 51",
        ]
    );
    assert_eq!(contents[3], tricky);
    assert_eq!(contents[4], b"Subject: x\r\n\r\n.\r\n+OK injected\r\n");
}
