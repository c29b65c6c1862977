//! Targets for pop3-codec's sessions.
//!
//! Input of `pop3_server_session`: one configuration byte, one count `k`, `k` bytes of the
//! application's decisions (each also sets the size of the next piece of client bytes fed), and
//! the client's bytes. Input of `pop3_client_session`: one configuration byte, one count `k`,
//! `k` bytes picking the commands the client gives (and how TLS goes), and the server's bytes.
//! With `k = 0` the bytes are fed whole (server) or in pieces of the configured size, every
//! login accepted (server) or a fixed script of commands given (client), so seeds are readable.

use bytes::BytesMut;
use framing::Decoder;
use pop3_codec::server::{ServerConfig, ServerEvent, ServerSession, VecMaildrop};
use pop3_codec::{
    Capabilities, ClientConfig, ClientEvent, ClientSession, Command, Error, Expect, Leniency,
    Limits, Mechanism, Response, ResponseCode, ResponseDecoder, ResponseEvent,
};

/// The maildrop every accepted login gets: dot-leading lines and a lone dot inside, an empty
/// message, a plain one, and one with a bare LF (which cannot be sent as it is).
const MESSAGES: [&[u8]; 4] = [
    b"From: a@example.org\r\nSubject: one\r\n\r\n.leading dot\r\n..two\r\n.\r\nend\r\n",
    b"",
    b"Subject: three\r\n\r\nbody\r\n",
    b"Subject: bare\r\n\r\na\nb\r\n",
];

const TIMESTAMP: &str = "<1896.697170952@dbc.mtview.ca.us>";

fn maildrop() -> VecMaildrop {
    VecMaildrop::new(MESSAGES.iter().map(|m| m.to_vec()).collect())
}

/// The server's configuration from one byte: bit 0 small limits, bit 1 lenient, bit 2 APOP,
/// bit 3 STLS, bit 4 SASL PLAIN and LOGIN, bit 5 UTF8, bit 6 no end of stream, bit 7 no
/// USER/PASS.
fn server_config(c: u8) -> ServerConfig {
    let mut config = ServerConfig::default();
    if c & 1 != 0 {
        config.limits.max_command_line = 32;
        config.limits.max_argument = 8;
        config.limits.max_auth_line = 24;
    }
    config.leniency = Leniency::strict().normalize_bare_line_ends(c & 2 != 0);
    if c & 4 != 0 {
        config.apop_timestamp = Some(TIMESTAMP.into());
    }
    config.stls = c & 8 != 0;
    if c & 16 != 0 {
        config.sasl = ["PLAIN", "LOGIN"]
            .iter()
            .filter_map(|m| Mechanism::new(m).ok())
            .collect();
    }
    config.utf8 = c & 32 != 0;
    config.user_pass = c & 128 == 0;
    config.implementation = Some("codec-fuzz".into());
    config
}

/// Whether the server's status line opens a multi-line response: its texts for CAPA, AUTH's
/// list, LIST and UIDL (`N message(s)`), RETR (`N octets`) and TOP.
fn multiline_status(line: &[u8]) -> bool {
    let Some(text) = line.strip_prefix(b"+OK ") else {
        return false;
    };
    let text = String::from_utf8_lossy(text);
    let counted = |words: &[&str]| {
        text.split_once(' ').is_some_and(|(n, rest)| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && words.contains(&rest)
        })
    };
    matches!(
        &*text,
        "Capability list follows" | "mechanisms follow" | "top of message follows"
    ) || counted(&["message", "messages", "octets"])
}

/// What the server transmitted, read as a client would (each status told multi-line by its
/// text, see [`multiline_status`]): every byte is part of a valid response; returns how many
/// status lines and challenges there were, and the greeting.
fn check_responses(wire: &[u8]) -> (usize, usize, Option<Response>) {
    let mut decoder = ResponseDecoder::new(Limits::default(), Leniency::strict());
    let mut buf = BytesMut::from(wire);
    let (mut statuses, mut challenges) = (0, 0);
    let mut greeting = None;
    let mut status: Option<Response> = None;
    let mut content = Vec::new();
    loop {
        if !decoder.in_content() {
            let Some(end) = buf.windows(2).position(|w| w == b"\r\n") else {
                assert!(buf.is_empty(), "a partial response line: {buf:?}");
                break;
            };
            if decoder.outstanding() == 0 {
                let line = &buf[..end];
                let expect = if line == b"+" || line.starts_with(b"+ ") {
                    Expect::Auth
                } else if multiline_status(line) {
                    Expect::MultiLine
                } else {
                    Expect::SingleLine
                };
                decoder.expect_as(expect);
            }
        }
        match decoder.decode(&mut buf) {
            Ok(Some(ResponseEvent::Status(r))) => {
                statuses += 1;
                if greeting.is_none() {
                    assert!(r.ok, "the greeting is +OK");
                    greeting = Some(r.clone());
                }
                content.clear();
                status = Some(r);
            }
            Ok(Some(ResponseEvent::Challenge(_))) => challenges += 1,
            Ok(Some(ResponseEvent::Data(d))) => content.extend_from_slice(&d),
            Ok(Some(ResponseEvent::End)) => {
                let text = status.take().map(|s| s.text).unwrap_or_default();
                if let Some(n) = text.strip_suffix(" octets") {
                    let n: usize = n.parse().expect("RETR's size");
                    assert!(
                        MESSAGES.iter().any(|m| m.len() == n && *m == content),
                        "RETR sent {content:?} as {n} octets"
                    );
                }
                if text == "Capability list follows" {
                    assert!(
                        Capabilities::decode(&content, 0).is_ok(),
                        "CAPA {content:?}"
                    );
                }
            }
            Ok(None) => panic!("a partial response: {buf:?}"),
            Err(e) => panic!("the server sent an invalid response: {e}"),
        }
    }
    assert!(
        !decoder.in_content(),
        "a multi-line response without its end"
    );
    (statuses, challenges, greeting)
}

/// Arbitrary client bytes, cut as the decisions say, and arbitrary application decisions
/// (accept, refuse, refuse `[IN-USE]`, challenge). The session never panics and settles; what
/// it transmits is a valid response stream (the `+OK` greeting first, with the APOP timestamp
/// when configured; a RETR'd message sent exactly; CAPA parsing) with at most one status line
/// per line end the client sent (or per line over the limit) plus the greeting, and at most
/// one challenge per challenge decided; an answer with nothing awaited is refused; after STLS
/// is accepted nothing is read or sent, and `take_remaining` hands back exactly the bytes fed
/// since.
pub fn pop3_server_session(data: &[u8]) {
    let (&c, rest) = data.split_first().unwrap_or((&0, &[]));
    let (&k, rest) = rest.split_first().unwrap_or((&0, &[]));
    let k = usize::from(k).min(rest.len());
    let (decisions, client) = rest.split_at(k);
    let config = server_config(c);
    let limit = config.limits.max_command_line;
    let apop = config.apop_timestamp.is_some();
    let mut s = ServerSession::<VecMaildrop>::new(config);
    let mut next = 0usize;
    let mut decision = || {
        let d = decisions
            .get(next % decisions.len().max(1))
            .copied()
            .unwrap_or(0);
        next += 1;
        d
    };
    let mut wire = BytesMut::new();
    let mut line_ends = 0usize;
    let mut challenged = 0usize;
    // After an accepted STLS: the bytes fed since, those handed back, and the bytes sent then.
    let mut switched: Option<(Vec<u8>, Vec<u8>)> = None;
    let mut fed = 0usize;
    let mut polls = 0usize;
    loop {
        let d = decision();
        let n = if decisions.is_empty() {
            client.len()
        } else {
            usize::from(d % 16) + 1
        };
        let end = fed.saturating_add(n).min(client.len());
        let piece = client.get(fed..end).unwrap_or_default();
        fed = end;
        let at_end = fed == client.len();
        line_ends += piece.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
        s.receive(piece);
        if let Some((after, _)) = &mut switched {
            after.extend_from_slice(piece);
        }
        if at_end && c & 64 == 0 {
            s.receive_eof();
        }
        loop {
            polls += 1;
            assert!(polls < 1_000_000, "poll_event does not settle");
            let event = s.poll_event();
            if let Some((after, taken)) = &mut switched {
                assert_eq!(event, Ok(None), "an event after STLS was accepted");
                assert!(s.poll_transmit().is_none(), "sent after STLS was accepted");
                if d & 0x40 != 0 {
                    taken.extend_from_slice(&s.take_remaining());
                    assert_eq!(after, taken, "take_remaining is not what came after STLS");
                }
                if d & 0x80 != 0 {
                    assert!(s.tls_established().is_ok());
                    switched = None;
                    continue;
                }
                break;
            }
            let event = match event {
                Ok(None) => break,
                Ok(Some(e)) => e,
                Err(_) => continue,
            };
            let d = decision();
            let result = match event {
                ServerEvent::StartTls => {
                    assert!(
                        s.take_remaining().is_empty(),
                        "bytes buffered with STLS handed back"
                    );
                    while let Some(out) = s.poll_transmit() {
                        wire.extend_from_slice(&out);
                    }
                    assert!(
                        last_line(&wire).starts_with(b"+OK"),
                        "STLS answered {wire:?}"
                    );
                    switched = Some((Vec::new(), Vec::new()));
                    Ok(())
                }
                ServerEvent::Login { .. } | ServerEvent::Apop { .. } => match d % 4 {
                    1 => s.refuse("no"),
                    2 => s.refuse_with(Response::err_with(ResponseCode::InUse, "locked")),
                    _ => s.accept(maildrop()),
                },
                ServerEvent::Auth { .. } | ServerEvent::AuthResponse(_) => match d % 4 {
                    1 => s.refuse("no"),
                    2 | 3 => {
                        challenged += 1;
                        s.challenge(&[d; 3][..usize::from(d % 4 - 2) * 3])
                    }
                    _ => s.accept(maildrop()),
                },
                _ => {
                    assert!(
                        s.accept(maildrop()).is_err(),
                        "an accept with nothing awaited"
                    );
                    assert!(s.refuse("no").is_err(), "a refusal with nothing awaited");
                    Ok(())
                }
            };
            assert!(result.is_ok(), "a valid decision refused: {result:?}");
        }
        while let Some(out) = s.poll_transmit() {
            assert!(switched.is_none(), "sent after STLS was accepted");
            wire.extend_from_slice(&out);
        }
        if at_end {
            break;
        }
    }
    let (statuses, challenges, greeting) = check_responses(&wire);
    let greeting = greeting.expect("a greeting");
    assert_eq!(greeting.timestamp().is_some(), apop, "{greeting:?}");
    assert!(challenges <= challenged, "{challenges} challenges sent");
    // A line over the limit is answered when the limit is crossed, before its end.
    let long_lines = client.len() / limit.saturating_sub(2).max(1);
    assert!(
        statuses <= line_ends + long_lines + 1,
        "{statuses} responses for {line_ends} line ends and {} bytes",
        client.len()
    );
}

/// The last line of `bytes` (without its line end: CRLF, or a bare CR or LF).
fn last_line(bytes: &[u8]) -> &[u8] {
    let body = match bytes {
        [rest @ .., b'\r', b'\n'] | [rest @ .., b'\r' | b'\n'] => rest,
        _ => panic!("no line end at the end of {bytes:?}"),
    };
    let start = body
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    body.get(start..).unwrap_or_default()
}

/// The commands the client is told to give when there are no decisions: USER/PASS, CAPA, STAT,
/// LIST, UIDL, RETR 1, TOP 1 0, LIST 1, UIDL 1, DELE 1, QUIT.
const SCRIPT: [u8; 11] = [3, 0, 6, 7, 8, 9, 10, 11, 12, 13, 15];

/// A command the client took: exactly this one, or (APOP, AUTH PLAIN: their arguments are
/// computed) one with this keyword.
#[derive(Debug)]
enum Given {
    Exact(Command),
    Keyword(&'static str),
}

/// Gives the command `d` picks; the command given, if the session took it (PASS excluded).
fn give(s: &mut ClientSession, d: u8) -> Option<Given> {
    let msg = u32::from(d >> 5) + 1;
    let r = match d % 16 {
        0 => s.capa().map(|()| Command::Capa),
        1 => s.stls().map(|()| Command::Stls),
        2 => s.utf8().map(|()| Command::Utf8),
        3 => s
            .login("alice", "open sesame")
            .map(|()| Command::User(arg("alice"))),
        4 => return took(s.apop("mrose", "tanstaaf")).map(|()| Given::Keyword("APOP")),
        5 => return took(s.auth_plain("alice", "secret")).map(|()| Given::Keyword("AUTH")),
        6 => s.stat().map(|()| Command::Stat),
        7 => s.list(None).map(|()| Command::List(None)),
        8 => s.uidl(None).map(|()| Command::Uidl(None)),
        9 => s.retr(msg).map(|()| Command::Retr(msg)),
        10 => s.top(msg, u32::from(d & 16)).map(|()| Command::Top {
            msg,
            lines: u32::from(d & 16),
        }),
        11 => s.list(Some(msg)).map(|()| Command::List(Some(msg))),
        12 => s.uidl(Some(msg)).map(|()| Command::Uidl(Some(msg))),
        13 => s.dele(msg).map(|()| Command::Dele(msg)),
        14 => s.rset().map(|()| Command::Rset),
        _ => s.quit().map(|()| Command::Quit),
    };
    took(r).map(Given::Exact)
}

/// The command's value if the session took it; refusals are local only.
fn took<T>(r: Result<T, Error>) -> Option<T> {
    match r {
        Ok(c) => Some(c),
        Err(Error::Local { .. }) => None,
        Err(e) => panic!("a command refused with {e}"),
    }
}

fn arg(text: &str) -> pop3_codec::Argument {
    pop3_codec::Argument::new(text).expect("an argument")
}

/// Arbitrary server bytes against the client session, fed line by line or in pieces (the
/// configuration's low nibble), strict or lenient (bit 4), small limits (bit 5); the decisions pick the commands
/// given after each piece and, bit 4 of each, whether TLS comes up after the `+OK` to STLS.
/// It must not panic, its events must keep their order (Data only inside a message, nothing
/// after the session stopped), after the `+OK` to STLS nothing more is read (the `+OK` was the
/// last byte fed; bytes before TLS stop the session), and what it sends must read back as
/// commands: the ones it was given, in order (PASS after an accepted USER, `*` after an AUTH
/// challenge).
pub fn pop3_client_session(data: &[u8]) {
    let [c, k, rest @ ..] = data else {
        return;
    };
    let k = usize::from(*k).min(rest.len());
    let (decisions, server) = rest.split_at(k);
    let mut config = ClientConfig {
        leniency: Leniency::strict().normalize_bare_line_ends(c & 16 != 0),
        ..ClientConfig::default()
    };
    if c & 32 != 0 {
        config.limits.max_response_line = 32;
        config.limits.max_multiline_size = 64;
        config.limits.max_content_line = Some(16);
    }
    let mut s = ClientSession::new(config);
    let mut given: Vec<Given> = Vec::new();
    let mut sent = BytesMut::new();
    let mut next = 0usize;
    let mut fed: Vec<u8> = Vec::new();
    let (mut in_message, mut stopped, mut closed) = (false, false, false);
    // StartTlsReady came and TLS was left down: the next bytes are response injection.
    let mut tls_wait = false;
    // Line by line (so a script's commands go between the answers), or in pieces of 1 to 15.
    let mut pieces: std::vec::IntoIter<&[u8]> = match usize::from(c & 15) {
        0 => server.split_inclusive(|&b| b == b'\n').collect::<Vec<_>>(),
        n => server.chunks(n).collect(),
    }
    .into_iter();
    loop {
        let more = pieces.next();
        match more {
            Some(p) => {
                fed.extend_from_slice(p);
                s.receive(p);
                if tls_wait && !p.is_empty() {
                    let e = s.poll_event();
                    assert!(
                        matches!(e, Err(Error::Peer { .. })),
                        "bytes read after the +OK to STLS: {e:?}"
                    );
                    stopped = true;
                    tls_wait = false;
                }
            }
            None => s.receive_eof(),
        }
        loop {
            let event = s.poll_event();
            if stopped {
                assert_eq!(event, Ok(None), "an event after the session stopped");
            }
            match event {
                Ok(None) => break,
                Err(_) => {
                    stopped = true;
                    in_message = false;
                }
                Ok(Some(e)) => {
                    assert!(!closed, "an event after Closed: {e:?}");
                    match e {
                        ClientEvent::Message { .. } => {
                            assert!(!in_message);
                            in_message = true;
                        }
                        ClientEvent::Data(d) => {
                            assert!(in_message && !d.is_empty(), "Data outside a message");
                        }
                        ClientEvent::MessageEnd => {
                            assert!(in_message);
                            in_message = false;
                        }
                        ClientEvent::StartTlsReady => {
                            assert!(s.capabilities().is_none(), "capabilities kept after STLS");
                            assert!(s.take_remaining().is_empty());
                            // Nothing was read after the +OK: it was the last line fed.
                            assert!(last_line(&fed).starts_with(b"+OK"), "read past STLS's +OK");
                            tls_wait = true;
                        }
                        ClientEvent::Closed => closed = true,
                        _ => assert!(!in_message, "an event inside a message"),
                    }
                }
            }
        }
        let d = decisions
            .get(next % decisions.len().max(1))
            .copied()
            .unwrap_or(0);
        if tls_wait && !stopped && (decisions.is_empty() || d & 16 != 0) {
            assert!(
                s.tls_established().is_ok(),
                "TLS refused after StartTlsReady"
            );
            tls_wait = false;
        }
        if decisions.is_empty() {
            // The script, as far as the session takes it now.
            while let Some(command) = SCRIPT.get(next).and_then(|&d| give(&mut s, d)) {
                assert!(
                    !stopped && !closed,
                    "a command taken after the session ended"
                );
                given.push(command);
                next += 1;
            }
        } else {
            next += 1;
            if let Some(command) = give(&mut s, d) {
                assert!(
                    !stopped && !closed,
                    "a command taken after the session ended"
                );
                given.push(command);
            }
        }
        while let Some(out) = s.poll_transmit() {
            sent.extend_from_slice(&out);
        }
        if more.is_none() {
            break;
        }
    }
    check_commands(&sent, &given);
}

/// The client's bytes as a server reads them: the commands given, in order, each one whole.
fn check_commands(sent: &[u8], given: &[Given]) {
    let mut buf = BytesMut::from(sent);
    let mut commands = pop3_codec::CommandDecoder::new(
        Limits {
            max_argument: 1 << 10,
            ..Limits::default()
        },
        Leniency::strict(),
    );
    commands.set_utf8(true);
    let mut i = 0;
    let mut last: Option<Command> = None;
    loop {
        if buf.starts_with(b"*\r\n") {
            assert!(
                matches!(last, Some(Command::Auth { .. })),
                "* after {last:?}"
            );
            let _ = buf.split_to(3);
            continue;
        }
        let command = match commands.decode(&mut buf) {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => panic!("the client sent what is not a command: {e}"),
        };
        if let Command::Pass(_) = command {
            assert!(
                matches!(last, Some(Command::User(_))),
                "PASS after {last:?}"
            );
        } else {
            match given.get(i).expect("a command sent that was not given") {
                Given::Exact(expected) => assert_eq!(&command, expected),
                Given::Keyword(k) => assert_eq!(command.keyword(), *k, "{command:?}"),
            }
            i += 1;
        }
        last = Some(command);
    }
    assert!(buf.is_empty(), "a command without its CRLF");
}
