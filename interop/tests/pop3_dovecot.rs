//! Our POP3 client against Dovecot's POP3 server, started by the test with its config, state
//! and a Maildir under a temporary directory (see `interop::pop3::Dovecot`): the messages
//! retrieved equal, byte for byte, the files put in the Maildir (CRLF line ends, lines that start
//! with a dot, 8-bit text, an empty body, a 200 KB message), and DELE then QUIT removes the
//! message's file while DELE then RSET then QUIT does not.
//!
//! - `pop3_codec::blocking::Client` directly: CAPA parsed into Dovecot's exact capabilities,
//!   logins with USER/PASS, AUTH PLAIN and APOP (and a refused password with its `[AUTH]` code),
//!   STAT, LIST, UIDL (the same ids on every connection), RETR, TOP, DELE, RSET, QUIT.
//! - The sans-IO `ClientSession` pipelining (Dovecot's CAPA has PIPELINING, RFC 2449 §6.6):
//!   STAT, LIST, UIDL, every RETR, TOP, two DELE and QUIT written in one write before any answer
//!   is read, the answers read in order into the expected events.
//! - The `pop3_fetch` example, run as users run it: the files it writes and the lines it prints.
//!
//! Dovecot runs as `nobody` when the tests run as root (its login process refuses root). The
//! tests fail (never skip) when Dovecot or the example is missing: scripts/test.sh installs
//! `dovecot-pop3d` and builds the examples.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use interop::pop3::{Dovecot, PASS, USER, assert_same_messages, test_messages, top_of};
use interop::smtp::wait_until;
use interop::{TempDir, connect, example, run};
use pop3_codec::blocking::{Client, ClientError};
use pop3_codec::{Capability, ClientEvent, ClientSession, Mechanism};

/// How long Dovecot may live, whatever happens to the test.
const DEADLINE: Duration = Duration::from_secs(90);

/// How long the example may run.
const RUN_TIME: Duration = Duration::from_secs(30);

fn client(dovecot: &Dovecot) -> Client<TcpStream> {
    Client::connect(connect(dovecot.port).unwrap())
        .unwrap_or_else(|e| panic!("greeting: {e}\ndovecot.log:\n{}", dovecot.log()))
}

/// Every message by number, retrieved; checks LIST's sizes against what RETR gave.
fn retrieve_all(client: &mut Client<TcpStream>) -> Vec<(u32, Vec<u8>)> {
    let listing = client.list().unwrap();
    let numbers: Vec<u32> = listing.iter().map(|(m, _)| *m).collect();
    assert_eq!(
        numbers,
        (1..=u32::try_from(listing.len()).unwrap()).collect::<Vec<_>>(),
        "LIST numbers"
    );
    listing
        .into_iter()
        .map(|(msg, size)| {
            let message = client.retr(msg).unwrap();
            assert_eq!(size, message.len() as u64, "LIST size of message {msg}");
            (msg, message)
        })
        .collect()
}

#[test]
fn client_against_dovecot() {
    let started = Instant::now();
    let seeded = test_messages("dovecot-client");
    let total: u64 = seeded.iter().map(|m| m.len() as u64).sum();
    let n = u32::try_from(seeded.len()).unwrap();
    let dovecot = Dovecot::start(&seeded, DEADLINE).unwrap();

    // First connection: CAPA, USER/PASS, everything read, one message deleted.
    let mut c = client(&dovecot);
    let greeting = c.session().greeting().cloned().unwrap();
    assert!(
        greeting.ok && greeting.text.contains("Dovecot"),
        "{greeting:?}"
    );
    assert!(
        greeting.timestamp().is_some(),
        "no APOP timestamp: {greeting:?}"
    );
    let caps = c.capa().unwrap();
    assert_eq!(
        caps.0,
        vec![
            // Dovecot lists CAPA itself, which RFC 2449 does not define: kept as an unknown tag.
            Capability::Other {
                tag: "CAPA".into(),
                params: vec![]
            },
            Capability::Top,
            Capability::Uidl,
            Capability::RespCodes,
            Capability::Pipelining,
            Capability::AuthRespCode,
            Capability::User,
            Capability::Sasl(vec![
                Mechanism::new("PLAIN").unwrap(),
                Mechanism::new("LOGIN").unwrap()
            ]),
        ],
        "Dovecot's CAPA"
    );
    c.login(USER, PASS).unwrap();
    assert_eq!(c.stat().unwrap(), (n, total), "STAT");
    let uids = c.uidl().unwrap();
    assert_eq!(uids.len(), seeded.len(), "UIDL: {uids:?}");
    let distinct: std::collections::HashSet<&String> = uids.iter().map(|(_, u)| u).collect();
    assert_eq!(distinct.len(), uids.len(), "UIDL ids not unique: {uids:?}");
    let retrieved = retrieve_all(&mut c);
    assert_same_messages(
        "RETR",
        &retrieved.iter().map(|(_, m)| m.clone()).collect::<Vec<_>>(),
        &seeded,
    );
    // Each message's uid, by content, for the next connections.
    let uid_of: HashMap<Vec<u8>, String> = retrieved
        .iter()
        .map(|(msg, m)| {
            let uid = uids.iter().find(|(u, _)| u == msg).unwrap().1.clone();
            (m.clone(), uid)
        })
        .collect();
    // TOP of the message with dot lines: its header and 0, 2 and 100 body lines.
    let (dots, _) = retrieved.iter().find(|(_, m)| *m == seeded[0]).unwrap();
    for lines in [0, 2, 100] {
        assert_eq!(
            c.top(*dots, lines).unwrap(),
            top_of(&seeded[0], lines as usize),
            "TOP {dots} {lines}"
        );
    }
    c.dele(*dots).unwrap();
    assert_eq!(
        c.stat().unwrap(),
        (n - 1, total - seeded[0].len() as u64),
        "STAT after DELE"
    );
    c.quit().unwrap();
    let remaining: Vec<Vec<u8>> = seeded[1..].to_vec();
    let left = wait_until(
        "the deleted message gone from the Maildir",
        DEADLINE,
        || {
            let now = dovecot.messages().unwrap();
            (now.len() == remaining.len()).then_some(now)
        },
    )
    .unwrap();
    assert_same_messages("the Maildir after DELE + QUIT", &left, &remaining);

    // Second connection: AUTH PLAIN; the same uids; DELE, RSET, QUIT deletes nothing.
    let mut c = client(&dovecot);
    let caps = c.capa().unwrap();
    assert!(caps.sasl().iter().any(|m| m.is("PLAIN")), "{caps:?}");
    c.auth_plain(USER, PASS).unwrap();
    let retrieved = retrieve_all(&mut c);
    assert_same_messages(
        "RETR after the deletion",
        &retrieved.iter().map(|(_, m)| m.clone()).collect::<Vec<_>>(),
        &remaining,
    );
    let uids = c.uidl().unwrap();
    for (msg, m) in &retrieved {
        let uid = &uids.iter().find(|(u, _)| u == msg).unwrap().1;
        assert_eq!(Some(uid), uid_of.get(m), "UIDL of message {msg} changed");
    }
    c.dele(1).unwrap();
    c.dele(2).unwrap();
    c.rset().unwrap();
    let left_total: u64 = remaining.iter().map(|m| m.len() as u64).sum();
    assert_eq!(c.stat().unwrap(), (n - 1, left_total), "STAT after RSET");
    c.quit().unwrap();
    assert_same_messages(
        "the Maildir after DELE + RSET + QUIT",
        &dovecot.messages().unwrap(),
        &remaining,
    );

    // Third connection: APOP (the greeting's timestamp and the secret).
    let mut c = client(&dovecot);
    c.apop(USER, PASS).unwrap();
    assert_eq!(c.stat().unwrap(), (n - 1, left_total), "STAT after APOP");
    c.quit().unwrap();
    assert!(
        dovecot.log().contains("method=APOP"),
        "dovecot.log:\n{}",
        dovecot.log()
    );

    // Last (Dovecot's auth penalty delays every later login from the address after a failure):
    // a wrong password is refused with [AUTH] (RFC 3206).
    let mut c = client(&dovecot);
    match c.login(USER, "wrong") {
        Err(ClientError::LoginFailed(r)) => {
            assert_eq!(r.code.as_ref().map(|c| c.as_str()), Some("AUTH"), "{r:?}")
        }
        other => panic!("a wrong password: {other:?}"),
    }
    c.quit().unwrap();
    eprintln!("test took {:?}", started.elapsed());
}

#[test]
fn pop3_fetch_example_against_dovecot() {
    let started = Instant::now();
    let seeded = test_messages("dovecot-fetch");
    let dovecot = Dovecot::start(&seeded, DEADLINE).unwrap();
    let out = TempDir::new("pop3-fetch-out").unwrap();
    let mut command = Command::new(example("pop3_fetch").unwrap_or_else(|e| panic!("{e}")));
    command.args([
        "--server",
        &dovecot.addr(),
        "--user",
        USER,
        "--pass",
        PASS,
        "--out",
    ]);
    command.arg(out.path());
    let output = run("pop3_fetch", &mut command, RUN_TIME).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "pop3_fetch failed ({}):\n{stdout}{}\ndovecot.log:\n{}",
        output.status,
        output.stderr,
        dovecot.log()
    );
    // One line per message, `n uid size -> len octets`, and DIR/n.eml holding it.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), seeded.len(), "{stdout}");
    let mut fetched = Vec::new();
    let mut uids = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let fields: Vec<&str> = line.split(' ').collect();
        let file = std::fs::read(out.join(format!("{}.eml", i + 1))).unwrap();
        assert_eq!(
            fields,
            [
                (i + 1).to_string().as_str(),
                fields[1],
                file.len().to_string().as_str(),
                "->",
                file.len().to_string().as_str(),
                "octets"
            ],
            "{line}"
        );
        // Dovecot's default pop3_uidl_format %08Xu%08Xv: 16 hexadecimal digits.
        assert!(
            fields[1].len() == 16 && fields[1].bytes().all(|b| b.is_ascii_hexdigit()),
            "uid {line}"
        );
        uids.push(fields[1].to_owned());
        fetched.push(file);
    }
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), seeded.len(), "uids not unique: {stdout}");
    assert_same_messages("pop3_fetch's files", &fetched, &seeded);
    // pop3_fetch deletes nothing.
    assert_same_messages(
        "the Maildir after pop3_fetch",
        &dovecot.messages().unwrap(),
        &seeded,
    );
    eprintln!("test took {:?}", started.elapsed());
}

/// Writes what `session` queued, then reads until it has an event.
fn next_event(session: &mut ClientSession, stream: &mut TcpStream) -> ClientEvent {
    let mut buf = [0u8; 8192];
    loop {
        while let Some(bytes) = session.poll_transmit() {
            stream.write_all(&bytes).unwrap();
        }
        if let Some(event) = session.poll_event().unwrap() {
            return event;
        }
        let n = stream.read(&mut buf).unwrap();
        match n {
            0 => session.receive_eof(),
            n => session.receive(&buf[..n]),
        }
    }
}

#[test]
fn pipelined_session_against_dovecot() {
    let started = Instant::now();
    let seeded = test_messages("dovecot-pipelined");
    let total: u64 = seeded.iter().map(|m| m.len() as u64).sum();
    let n = u32::try_from(seeded.len()).unwrap();
    let dovecot = Dovecot::start(&seeded, DEADLINE).unwrap();
    let mut stream = connect(dovecot.port).unwrap();
    let mut s = ClientSession::default();
    assert!(matches!(
        next_event(&mut s, &mut stream),
        ClientEvent::Greeting(_)
    ));
    s.capa().unwrap();
    match next_event(&mut s, &mut stream) {
        ClientEvent::Capabilities(c) => assert!(c.contains(&Capability::Pipelining), "{c:?}"),
        other => panic!("CAPA: {other:?}"),
    }
    s.login(USER, PASS).unwrap();
    assert!(matches!(
        next_event(&mut s, &mut stream),
        ClientEvent::LoggedIn(_)
    ));

    // Everything at once: one write, nothing read in between.
    s.stat().unwrap();
    s.list(None).unwrap();
    s.uidl(None).unwrap();
    for msg in 1..=n {
        s.retr(msg).unwrap();
    }
    s.top(1, 0).unwrap();
    s.dele(1).unwrap();
    s.dele(n).unwrap();
    s.quit().unwrap();
    let burst = s.poll_transmit().unwrap();
    assert!(s.poll_transmit().is_none());
    let commands = burst.windows(2).filter(|w| w == b"\r\n").count();
    assert_eq!(
        commands,
        3 + seeded.len() + 4,
        "{}",
        String::from_utf8_lossy(&burst)
    );
    assert_eq!(s.outstanding(), commands, "answers awaited");
    stream.write_all(&burst).unwrap();

    assert_eq!(
        next_event(&mut s, &mut stream),
        ClientEvent::Stat {
            count: n,
            size: total
        }
    );
    let listing = match next_event(&mut s, &mut stream) {
        ClientEvent::Listing(l) => l,
        other => panic!("LIST: {other:?}"),
    };
    assert!(matches!(
        next_event(&mut s, &mut stream),
        ClientEvent::UniqueIds(u) if u.len() == seeded.len()
    ));
    let mut retrieved = Vec::new();
    for msg in 1..=n + 1 {
        // RETR 1..n, then TOP 1 0.
        let want = if msg > n { 1 } else { msg };
        assert_eq!(
            next_event(&mut s, &mut stream),
            ClientEvent::Message { msg: want }
        );
        let mut content = Vec::new();
        loop {
            match next_event(&mut s, &mut stream) {
                ClientEvent::Data(piece) => content.extend_from_slice(&piece),
                ClientEvent::MessageEnd => break,
                other => panic!("message {msg}: {other:?}"),
            }
        }
        retrieved.push(content);
    }
    let top = retrieved.pop().unwrap();
    assert_eq!(top, top_of(&retrieved[0], 0), "TOP 1 0");
    for (i, m) in retrieved.iter().enumerate() {
        assert_eq!(
            listing[i].1,
            m.len() as u64,
            "LIST size of message {}",
            i + 1
        );
    }
    assert_same_messages("pipelined RETR", &retrieved, &seeded);
    assert_eq!(next_event(&mut s, &mut stream), ClientEvent::Deleted(1));
    assert_eq!(next_event(&mut s, &mut stream), ClientEvent::Deleted(n));
    assert_eq!(next_event(&mut s, &mut stream), ClientEvent::Closed);
    assert_eq!(s.outstanding(), 0);

    // Messages 1 and n are gone from the Maildir, the others are there as they were.
    let kept: Vec<Vec<u8>> = retrieved[1..retrieved.len() - 1].to_vec();
    let left = wait_until(
        "the deleted messages gone from the Maildir",
        DEADLINE,
        || {
            let now = dovecot.messages().unwrap();
            (now.len() == kept.len()).then_some(now)
        },
    )
    .unwrap();
    assert_same_messages("the Maildir after the pipelined DELE + QUIT", &left, &kept);
    eprintln!("test took {:?}", started.elapsed());
}
