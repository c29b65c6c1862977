//! Issue 11's "Bad input" table: hostile command lines the server session must refuse, with the
//! exact `-ERR` it sends and the exact error [`ServerSession::poll_event`] returns, and hostile
//! server bytes the client session must refuse, with the exact error.
//!
//! Every server row is run on a fresh session brought to the state it needs (`setup`, every
//! login accepted with a maildrop of two messages), then fed the hostile bytes whole, one byte
//! at a time and cut in two at every point (rows where a split changes what the bytes mean say
//! so and are run whole only); every run must give the same events, errors and response bytes.
//! Every client row is run on a session brought to the state it needs (greeted, logged in, STLS
//! or RETR sent, ...), fed the server's hostile bytes whole and (where a split does not change
//! their meaning) one byte at a time, with the exact events, errors and bytes written back.
//!
//! `HOSTILE_PRINT=1 cargo test -p pop3-codec@0.1.0 --test hostile -- --nocapture` prints what each row
//! gives as the Rust of its `.gives(...)`, for writing a new row (then check it by hand against
//! the RFC before pasting it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use framing::Found;
use pop3_codec::server::VecMaildrop;
use pop3_codec::{
    ClientConfig, ClientEvent, ClientSession, Error, Leniency, Mechanism, ServerConfig,
    ServerEvent, ServerSession,
};

/// An event as a short label (the payloads that matter kept), or the error.
type Seen = Result<String, Error>;

fn ok(label: &str) -> Seen {
    Ok(label.to_owned())
}

/// Runs of more than 16 of one character written as `c×n`, so long rows stay readable.
fn runs(text: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let n = chars[i..].iter().take_while(|&&d| d == c).count();
        if n > 16 {
            out.push_str(&format!("{c}×{n}"));
        } else {
            out.extend(std::iter::repeat_n(c, n));
        }
        i += n;
    }
    out
}

fn label(e: &ServerEvent) -> String {
    runs(&match e {
        ServerEvent::Login { user, password } => format!("Login {user} {password}"),
        ServerEvent::Apop { user, .. } => format!("Apop {user}"),
        ServerEvent::Auth { mechanism, initial } => match initial {
            Some(i) if i.len() > 32 => format!("Auth {mechanism} of {} octets", i.len()),
            Some(i) => format!("Auth {mechanism} {:?}", String::from_utf8_lossy(i)),
            None => format!("Auth {mechanism}"),
        },
        ServerEvent::AuthResponse(r) => format!("AuthResponse {:?}", String::from_utf8_lossy(r)),
        e => format!("{e:?}"),
    })
}

/// How a row's input is fed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Splits {
    /// Whole, byte by byte, and cut in two at every point.
    Every,
    /// Whole, byte by byte, and cut in two at every 61st point (long inputs).
    Sampled,
    /// Whole only: a split changes what the bytes are (STLS with bytes behind it).
    Whole,
}

/// One server row.
struct ServerRow {
    name: &'static str,
    config: ServerConfig,
    /// Bytes fed first (every decision accepted); their responses are not part of the row.
    setup: &'static [u8],
    input: Vec<u8>,
    splits: Splits,
    /// Events and errors, in order.
    events: Vec<Seen>,
    /// Every byte the session wrote after the setup.
    replies: Vec<u8>,
    /// Checks on the session after the row.
    check: fn(&mut ServerSession<VecMaildrop>),
}

fn nothing(_: &mut ServerSession<VecMaildrop>) {}

/// STLS refused for the bytes behind it: nothing kept for TLS, still in the clear and in
/// AUTHORIZATION, and the next command read in the clear.
fn stls_refused(s: &mut ServerSession<VecMaildrop>) {
    assert!(s.take_remaining().is_empty());
    assert!(s.tls_established().is_err());
    assert!(!s.is_authenticated());
    s.receive(b"CAPA\r\n");
    assert_eq!(s.poll_event(), Ok(None));
    let out = s.poll_transmit().unwrap();
    assert!(out.starts_with(b"+OK Capability list follows\r\n"));
    assert!(s.take_remaining().is_empty());
}

fn maildrop() -> VecMaildrop {
    VecMaildrop::new(vec![
        b"Subject: one\r\n\r\nfirst\r\n".to_vec(),
        b"Subject: two\r\n\r\n.second\r\n".to_vec(),
    ])
}

/// Polls until `None`, accepting every login (an AUTH without initial response is challenged
/// with an empty `+` first).
fn drain(s: &mut ServerSession<VecMaildrop>, out: &mut Vec<Seen>) {
    loop {
        match s.poll_event() {
            Ok(None) => return,
            Ok(Some(e)) => {
                match &e {
                    ServerEvent::Auth { initial: None, .. } => s.challenge(b"").unwrap(),
                    ServerEvent::Login { .. }
                    | ServerEvent::Apop { .. }
                    | ServerEvent::Auth { .. }
                    | ServerEvent::AuthResponse(_) => s.accept(maildrop()).unwrap(),
                    _ => {}
                }
                out.push(Ok(label(&e)));
            }
            Err(e) => out.push(Err(e)),
        }
    }
}

/// A session after `setup`, its responses taken.
fn ready(config: &ServerConfig, setup: &[u8]) -> ServerSession<VecMaildrop> {
    let mut s = ServerSession::new(config.clone());
    s.receive(setup);
    let mut seen = Vec::new();
    drain(&mut s, &mut seen);
    assert!(seen.iter().all(Result::is_ok), "setup refused: {seen:?}");
    while s.poll_transmit().is_some() {}
    s
}

fn feed(row: &ServerRow, pieces: &[&[u8]]) -> (Vec<Seen>, Vec<u8>, ServerSession<VecMaildrop>) {
    let mut s = ready(&row.config, row.setup);
    let mut seen = Vec::new();
    let mut wire = Vec::new();
    for p in pieces {
        s.receive(p);
        drain(&mut s, &mut seen);
        while let Some(out) = s.poll_transmit() {
            wire.extend_from_slice(&out);
        }
    }
    (seen, wire, s)
}

fn run_server_row(row: &ServerRow) -> (Vec<Seen>, Vec<u8>) {
    let (seen, wire, mut s) = feed(row, &[&row.input]);
    (row.check)(&mut s);
    if row.splits != Splits::Whole {
        let bytes: Vec<&[u8]> = row.input.chunks(1).collect();
        let (b_seen, b_wire, mut s) = feed(row, &bytes);
        assert_eq!(
            (&b_seen, &b_wire),
            (&seen, &wire),
            "{}: byte by byte",
            row.name
        );
        (row.check)(&mut s);
        let step = if row.splits == Splits::Every { 1 } else { 61 };
        for cut in (0..=row.input.len()).step_by(step) {
            let (a, b) = row.input.split_at(cut);
            let (c_seen, c_wire, _) = feed(row, &[a, b]);
            assert_eq!(
                (&c_seen, &c_wire),
                (&seen, &wire),
                "{}: cut at {cut}",
                row.name
            );
        }
    }
    (seen, wire)
}

/// USER/PASS, APOP (with a timestamp), SASL PLAIN and XOAUTH2, STLS and UTF8 offered; strict;
/// the default limits (RFC 2449 §4).
fn full() -> ServerConfig {
    ServerConfig {
        apop_timestamp: Some("<1896.697170952@dbc.mtview.ca.us>".into()),
        sasl: vec![
            Mechanism::new("PLAIN").unwrap(),
            Mechanism::new("XOAUTH2").unwrap(),
        ],
        stls: true,
        utf8: true,
        ..ServerConfig::default()
    }
}

fn lenient() -> ServerConfig {
    ServerConfig {
        leniency: Leniency::strict().normalize_bare_line_ends(true),
        ..full()
    }
}

/// Logged in (TRANSACTION), two messages.
const LOGIN: &[u8] = b"USER a\r\nPASS b\r\n";

fn syntax(offset: u64, production: &'static str, found: Found, reason: &'static str) -> Seen {
    Err(Error::Syntax {
        offset,
        production,
        found,
        reason,
    })
}

fn peer(offset: u64, reason: &'static str) -> Seen {
    Err(Error::Peer { offset, reason })
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn row(name: &'static str, config: ServerConfig, setup: &'static [u8], input: &[u8]) -> ServerRow {
    ServerRow {
        name,
        config,
        setup,
        input: input.to_vec(),
        splits: Splits::Every,
        events: Vec::new(),
        replies: Vec::new(),
        check: nothing,
    }
}

impl ServerRow {
    /// The events and errors, and the exact bytes written.
    fn gives(mut self, events: Vec<Seen>, replies: &str) -> ServerRow {
        self.events = events;
        self.replies = replies.as_bytes().to_vec();
        self
    }

    fn splits(mut self, splits: Splits) -> ServerRow {
        self.splits = splits;
        self
    }

    fn check(mut self, check: fn(&mut ServerSession<VecMaildrop>)) -> ServerRow {
        self.check = check;
        self
    }
}

fn server_rows() -> Vec<ServerRow> {
    // "AUTH XOAUTH2 " is 13 octets: 240 of base64 make a line of 255 with its CRLF.
    let at_limit = cat(&[b"AUTH XOAUTH2 ", &[b'A'; 240], b"\r\n"]);
    let over_limit = cat(&[b"AUTH XOAUTH2 ", &[b'A'; 241], b"\r\nCAPA\r\n"]);
    let never_ends = cat(&[&[b'A'; 5000], b"\r\nQUIT\r\n"]);
    let user_40 = cat(&[b"USER ", &[b'u'; 40], b"\r\n"]);
    let user_41 = cat(&[b"USER ", &[b'u'; 41], b"\r\nQUIT\r\n"]);
    let pass_41 = cat(&[b"USER a\r\nPASS ", &b"open sesame ".repeat(3), b"12345\r\n"]);
    // An answer to a challenge may have 12288 octets with its CRLF (RFC 5034 §4 sets no limit;
    // Limits::max_auth_line).
    let auth_over = cat(&[b"AUTH PLAIN\r\n", &[b'A'; 12288], b"\r\nQUIT\r\n"]);
    vec![
        // Line and argument limits (RFC 2449 §4).
        row("command line of 255 octets", full(), b"", &at_limit)
            .splits(Splits::Sampled)
            .gives(
                vec![
                    ok("Auth XOAUTH2 of 180 octets"),
                ],
                "+OK maildrop has 2 messages (48 octets)\r\n",
            ),
        row(
            "command line of 256 octets, skipped",
            full(),
            b"",
            &over_limit,
        )
        .splits(Splits::Sampled)
        .gives(
            vec![
                Err(Error::LineTooLong { offset: 0, what: "command line", limit: 255 }),
            ],
            "-ERR command line over 255 octets at byte 0 (RFC 2449 section 4)\r\n+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nSASL PLAIN XOAUTH2\r\nSTLS\r\nUTF8 USER\r\n.\r\n",
        ),
        row("a 5000-octet line is one error", full(), b"", &never_ends)
            .splits(Splits::Sampled)
            .gives(
                vec![
                    Err(Error::LineTooLong { offset: 0, what: "command line", limit: 255 }),
                    ok("Quit"),
                ],
                "-ERR command line over 255 octets at byte 0 (RFC 2449 section 4)\r\n+OK bye\r\n",
            ),
        row("USER of 40 octets", full(), b"", &user_40).gives(vec![], "+OK send PASS\r\n"),
        row("USER of 41 octets", full(), b"", &user_41).gives(vec![Err(Error::ArgumentTooLong { offset: 5, limit: 40 }), ok("Quit"), ], "-ERR argument over 40 octets at byte 5 (RFC 2449 section 4)\r\n+OK bye\r\n"),
        row("PASS of 41 octets with spaces", full(), b"", &pass_41).gives(vec![Err(Error::ArgumentTooLong { offset: 13, limit: 40 }), ], "+OK send PASS\r\n-ERR argument over 40 octets at byte 13 (RFC 2449 section 4)\r\n"),
        row("AUTH answer over 12288 octets", full(), b"", &auth_over)
            .splits(Splits::Sampled)
            .gives(
                vec![
                    ok("Auth PLAIN"),
                    Err(Error::LineTooLong { offset: 12, what: "AUTH response line", limit: 12288 }),
                    ok("Quit"),
                ],
                "+ \r\n-ERR AUTH response line over 12288 octets at byte 12 (RFC 2449 section 4)\r\n+OK bye\r\n",
            ),
        // Missing and extra arguments (RFC 1939 §5, §7).
        row("USER without a name", full(), b"", b"USER\r\nUSER \r\n").gives(vec![syntax(4, "param", Found::End, "a user name, RFC 1939 §7"), syntax(11, "param", Found::End, "an argument of one or more characters, RFC 2449 §9"), ], "-ERR expected param at byte 4, found end of line (a user name, RFC 1939 section 7)\r\n-ERR expected param at byte 11, found end of line (an argument of one or more characters, RFC 2449 section 9)\r\n"),
        row("RETR without a number", full(), LOGIN, b"RETR\r\nDELE\r\n").gives(vec![syntax(20, "msg", Found::End, "a message number, RFC 1939 §5"), syntax(26, "msg", Found::End, "a message number, RFC 1939 §5"), ], "-ERR expected msg at byte 20, found end of line (a message number, RFC 1939 section 5)\r\n-ERR expected msg at byte 26, found end of line (a message number, RFC 1939 section 5)\r\n"),
        row("TOP without a line count", full(), LOGIN, b"TOP 1\r\n").gives(vec![syntax(21, "number", Found::End, "a number of lines, RFC 1939 §7"), ], "-ERR expected number at byte 21, found end of line (a number of lines, RFC 1939 section 7)\r\n"),
        row("APOP without a digest", full(), b"", b"APOP mrose\r\n").gives(vec![syntax(10, "digest", Found::End, "32 lower-case hex digits, RFC 1939 §7"), ], "-ERR expected digest at byte 10, found end of line (32 lower-case hex digits, RFC 1939 section 7)\r\n"),
        row(
            "STAT and QUIT with an argument",
            full(),
            LOGIN,
            b"STAT 1\r\nQUIT now\r\n",
        )
        .gives(
            vec![
                syntax(20, "CRLF", Found::Byte(32), "no more arguments, RFC 1939 §5, §7"),
                syntax(28, "CRLF", Found::Byte(32), "no more arguments, RFC 1939 §5, §7"),
            ],
            "-ERR expected CRLF at byte 20, found 0x20 (no more arguments, RFC 1939 section 5, section 7)\r\n-ERR expected CRLF at byte 28, found 0x20 (no more arguments, RFC 1939 section 5, section 7)\r\n",
        ),
        row(
            "LIST with two numbers",
            full(),
            LOGIN,
            b"LIST 1 2\r\nUIDL 1 \r\n",
        )
        .gives(
            vec![
                syntax(22, "CRLF", Found::Byte(32), "no more arguments, RFC 1939 §5, §7"),
                syntax(32, "CRLF", Found::Byte(32), "no more arguments, RFC 1939 §5, §7"),
            ],
            "-ERR expected CRLF at byte 22, found 0x20 (no more arguments, RFC 1939 section 5, section 7)\r\n-ERR expected CRLF at byte 32, found 0x20 (no more arguments, RFC 1939 section 5, section 7)\r\n",
        ),
        row("two SPs before an argument", full(), LOGIN, b"RETR  1\r\n").gives(vec![syntax(21, "param", Found::Byte(32), "an argument of one or more characters, RFC 2449 §9"), ], "-ERR expected param at byte 21, found 0x20 (an argument of one or more characters, RFC 2449 section 9)\r\n"),
        // Message numbers (RFC 1939 §5).
        row(
            "non-numeric message numbers",
            full(),
            LOGIN,
            b"RETR one\r\nDELE 1a\r\n",
        )
        .gives(
            vec![
                syntax(21, "msg", Found::Byte(111), "decimal digits, RFC 1939 §3"),
                syntax(32, "msg", Found::Byte(97), "decimal digits, RFC 1939 §3"),
            ],
            "-ERR expected msg at byte 21, found 'o' (0x6f) (decimal digits, RFC 1939 section 3)\r\n-ERR expected msg at byte 32, found 'a' (0x61) (decimal digits, RFC 1939 section 3)\r\n",
        ),
        row(
            "message number zero",
            full(),
            LOGIN,
            b"RETR 0\r\nLIST 000\r\n",
        )
        .gives(
            vec![
                syntax(21, "msg", Found::Byte(48), "message numbers start at 1, RFC 1939 §5"),
                syntax(29, "msg", Found::Byte(48), "message numbers start at 1, RFC 1939 §5"),
            ],
            "-ERR expected msg at byte 21, found '0' (0x30) (message numbers start at 1, RFC 1939 section 5)\r\n-ERR expected msg at byte 29, found '0' (0x30) (message numbers start at 1, RFC 1939 section 5)\r\n",
        ),
        row(
            "negative message number",
            full(),
            LOGIN,
            b"DELE -1\r\nTOP -1 1\r\n",
        )
        .gives(
            vec![
                syntax(21, "msg", Found::Byte(45), "decimal digits, RFC 1939 §3"),
                syntax(29, "msg", Found::Byte(45), "decimal digits, RFC 1939 §3"),
            ],
            "-ERR expected msg at byte 21, found '-' (0x2d) (decimal digits, RFC 1939 section 3)\r\n-ERR expected msg at byte 29, found '-' (0x2d) (decimal digits, RFC 1939 section 3)\r\n",
        ),
        row(
            "message number over 2^32",
            full(),
            LOGIN,
            b"RETR 4294967296\r\n",
        )
        .gives(
            vec![
                syntax(21, "msg", Found::Byte(52), "a number below 2^32"),
            ],
            "-ERR expected msg at byte 21, found '4' (0x34) (a number below 2^32)\r\n",
        ),
        row(
            "message number 2^32 - 1, out of range",
            full(),
            LOGIN,
            b"UIDL 4294967295\r\n",
        )
        .gives(
            vec![
                peer(33, "a message number out of range (RFC 1939 §5)"),
            ],
            "-ERR no such message\r\n",
        ),
        row(
            "leading zeros are the number",
            full(),
            LOGIN,
            b"LIST 002\r\n",
        )
        .gives(
            vec![],
            "+OK 2 25\r\n",
        ),
        row(
            "a missing message",
            full(),
            LOGIN,
            b"RETR 3\r\nDELE 3\r\nTOP 3 0\r\n",
        )
        .gives(
            vec![
                peer(24, "a message number out of range (RFC 1939 §5)"),
                peer(32, "a message number out of range (RFC 1939 §5)"),
                peer(41, "a message number out of range (RFC 1939 §5)"),
            ],
            "-ERR no such message\r\n-ERR no such message\r\n-ERR no such message\r\n",
        ),
        row(
            "a deleted message",
            full(),
            LOGIN,
            b"DELE 1\r\nRETR 1\r\nDELE 1\r\nLIST 1\r\n",
        )
        .gives(
            vec![
                peer(32, "a deleted message (RFC 1939 §5)"),
                peer(40, "a deleted message (RFC 1939 §5)"),
                peer(48, "a deleted message (RFC 1939 §5)"),
            ],
            "+OK message 1 deleted\r\n-ERR message 1 already deleted\r\n-ERR message 1 already deleted\r\n-ERR message 1 already deleted\r\n",
        ),
        row(
            "TOP line count over 2^32",
            full(),
            LOGIN,
            b"TOP 1 4294967296\r\nTOP 1 99999999999999999999\r\n",
        )
        .gives(
            vec![
                syntax(22, "number", Found::Byte(52), "a number below 2^32"),
                syntax(40, "number", Found::Byte(57), "a number below 2^32"),
            ],
            "-ERR expected number at byte 22, found '4' (0x34) (a number below 2^32)\r\n-ERR expected number at byte 40, found '9' (0x39) (a number below 2^32)\r\n",
        ),
        row("TOP negative line count", full(), LOGIN, b"TOP 1 -1\r\n").gives(vec![syntax(22, "number", Found::Byte(45), "decimal digits, RFC 1939 §3"), ], "-ERR expected number at byte 22, found '-' (0x2d) (decimal digits, RFC 1939 section 3)\r\n"),
        // Commands in the wrong state (RFC 1939 §3-§5, RFC 2595 §4).
        row(
            "STAT and RETR before login",
            full(),
            b"",
            b"STAT\r\nRETR 1\r\n",
        )
        .gives(
            vec![
                peer(6, "a TRANSACTION command before login (RFC 1939 §3, §4)"),
                peer(14, "a TRANSACTION command before login (RFC 1939 §3, §4)"),
            ],
            "-ERR command not valid in the AUTHORIZATION state\r\n-ERR command not valid in the AUTHORIZATION state\r\n",
        ),
        row(
            "DELE and RSET before login",
            full(),
            b"",
            b"DELE 1\r\nRSET\r\n",
        )
        .gives(
            vec![
                peer(8, "a TRANSACTION command before login (RFC 1939 §3, §4)"),
                peer(14, "a TRANSACTION command before login (RFC 1939 §3, §4)"),
            ],
            "-ERR command not valid in the AUTHORIZATION state\r\n-ERR command not valid in the AUTHORIZATION state\r\n",
        ),
        row("PASS without USER", full(), b"", b"PASS secret\r\n").gives(vec![peer(13, "PASS without USER (RFC 1939 §7)"), ], "-ERR USER first\r\n"),
        row(
            "USER and APOP after login",
            full(),
            LOGIN,
            b"USER a\r\nAPOP a c4c9334bac560ecc979e58001b3e22fb\r\n",
        )
        .gives(
            vec![
                peer(24, "an AUTHORIZATION command after login (RFC 1939 §5)"),
                peer(65, "an AUTHORIZATION command after login (RFC 1939 §5)"),
            ],
            "-ERR command not valid in the TRANSACTION state\r\n-ERR command not valid in the TRANSACTION state\r\n",
        ),
        row(
            "STLS and AUTH after login",
            full(),
            LOGIN,
            b"STLS\r\nAUTH PLAIN =\r\n",
        )
        .gives(
            vec![
                peer(22, "an AUTHORIZATION command after login (RFC 1939 §5)"),
                peer(36, "an AUTHORIZATION command after login (RFC 1939 §5)"),
            ],
            "-ERR command not valid in the TRANSACTION state\r\n-ERR command not valid in the TRANSACTION state\r\n",
        ),
        row(
            "STLS not offered",
            ServerConfig::default(),
            b"",
            b"STLS\r\n",
        )
        .gives(
            vec![
                peer(6, "a command the server does not offer (RFC 2449 §5)"),
            ],
            "-ERR command not supported\r\n",
        ),
        row(
            "APOP without a timestamp",
            ServerConfig::default(),
            b"",
            b"APOP a c4c9334bac560ecc979e58001b3e22fb\r\n",
        )
        .gives(
            vec![
                peer(41, "APOP without a timestamp in the greeting (RFC 1939 §7)"),
            ],
            "-ERR APOP not supported\r\n",
        ),
        row(
            "AUTH with a mechanism not offered",
            full(),
            b"",
            b"AUTH CRAM-MD5\r\n",
        )
        .gives(
            vec![
                peer(15, "an AUTH mechanism not announced (RFC 5034 §4)"),
            ],
            "-ERR unsupported SASL mechanism\r\n",
        ),
        // LANG is valid in both states (RFC 6856 §3) but not offered: refused as such, not as
        // a command of the wrong state. Regression: it was "not valid in the TRANSACTION state".
        row(
            "LANG not offered, before and after login",
            full(),
            b"",
            b"LANG\r\nUSER a\r\nPASS b\r\nLANG fr\r\n",
        )
        .gives(
            vec![
                peer(6, "a command the server does not offer (RFC 2449 §5)"),
                ok("Login a b"),
                peer(31, "a command the server does not offer (RFC 2449 §5)"),
            ],
            "-ERR command not supported\r\n+OK send PASS\r\n+OK maildrop has 2 messages (48 octets)\r\n-ERR command not supported\r\n",
        ),
        // Data after STLS (RFC 2595 §4; the CVE-2011-0411 class).
        row(
            "STLS then CAPA in one read",
            full(),
            b"",
            b"STLS\r\nCAPA\r\n",
        )
        .splits(Splits::Whole)
        .check(stls_refused)
        .gives(
            vec![
                peer(6, "bytes after STLS before TLS (RFC 2595 §4; the CVE-2011-0411 class)"),
            ],
            "-ERR command pipelined behind STLS\r\n",
        ),
        row("STLS then part of a line", full(), b"", b"STLS\r\nU")
            .splits(Splits::Whole)
            .check(stls_refused)
            .gives(
                vec![
                    peer(6, "bytes after STLS before TLS (RFC 2595 §4; the CVE-2011-0411 class)"),
                ],
                "-ERR command pipelined behind STLS\r\n",
            ),
        // Bare line ends (RFC 1939 §3), strict and under the named leniency.
        row(
            "bare LF ends nothing",
            full(),
            LOGIN,
            b"STAT\nDELE 1\r\nNOOP\r\n",
        )
        .gives(
            vec![
                Err(Error::BareLineEnd { offset: 20, byte: 10 }),
            ],
            "-ERR bare LF at byte 20 (RFC 1939 section 3)\r\n+OK\r\n",
        ),
        row(
            "bare CR ends nothing",
            full(),
            LOGIN,
            b"STAT\rDELE 1\r\nNOOP\r\n",
        )
        .gives(
            vec![
                Err(Error::BareLineEnd { offset: 20, byte: 13 }),
            ],
            "-ERR bare CR at byte 20 (RFC 1939 section 3)\r\n+OK\r\n",
        ),
        row(
            "bare LF lines, lenient",
            lenient(),
            b"",
            b"USER a\nPASS b\nSTAT\r\n",
        )
        .gives(
            vec![
                ok("Login a b"),
            ],
            "+OK send PASS\r\n+OK maildrop has 2 messages (48 octets)\r\n+OK 2 48\r\n",
        ),
        row(
            "bare CR lines, lenient",
            lenient(),
            LOGIN,
            b"DELE 1\rRSET\rSTAT\r\n",
        )
        .gives(
            vec![],
            "+OK message 1 deleted\r\n+OK maildrop has 2 messages\r\n+OK 2 48\r\n",
        ),
        // NUL and other control characters (RFC 1939 §3).
        row("NUL in USER", full(), b"", b"USER a\0b\r\n").gives(vec![syntax(6, "param", Found::Byte(0), "printable characters, RFC 1939 §3 (UTF-8 after UTF8, RFC 6856 §2)"), ], "-ERR expected param at byte 6, found 0x00 (printable characters, RFC 1939 section 3 (UTF-8 after UTF8, RFC 6856 section 2))\r\n"),
        row("NUL in PASS", full(), b"", b"USER a\r\nPASS se\0cret\r\n").gives(vec![syntax(15, "param", Found::Byte(0), "printable characters, RFC 1939 §3 (UTF-8 after UTF8, RFC 6856 §2)"), ], "+OK send PASS\r\n-ERR expected param at byte 15, found 0x00 (printable characters, RFC 1939 section 3 (UTF-8 after UTF8, RFC 6856 section 2))\r\n"),
        row("NUL in the keyword", full(), b"", b"US\0R a\r\n").gives(vec![Err(Error::UnknownCommand { offset: 0 }), ], "-ERR unknown command at byte 0 (RFC 1939 section 3)\r\n"),
        row("ESC in USER", full(), b"", b"USER \x1b[2J\r\n").gives(vec![syntax(5, "param", Found::Byte(27), "printable characters, RFC 1939 §3 (UTF-8 after UTF8, RFC 6856 §2)"), ], "-ERR expected param at byte 5, found 0x1b (printable characters, RFC 1939 section 3 (UTF-8 after UTF8, RFC 6856 section 2))\r\n"),
        row(
            "UTF-8 in USER before UTF8",
            full(),
            b"",
            "USER jörg\r\n".as_bytes(),
        )
        .gives(
            vec![
                syntax(6, "param", Found::Byte(195), "printable characters, RFC 1939 §3 (UTF-8 after UTF8, RFC 6856 §2)"),
            ],
            "-ERR expected param at byte 6, found 0xc3 (printable characters, RFC 1939 section 3 (UTF-8 after UTF8, RFC 6856 section 2))\r\n",
        ),
        // Bad base64 (RFC 5034 §4, RFC 4648 §4).
        row(
            "AUTH initial response not base64",
            full(),
            b"",
            b"AUTH PLAIN abc\r\nAUTH PLAIN a*==\r\n",
        )
        .gives(
            vec![
                syntax(14, "initial-response", Found::End, "padded base64, RFC 5034 §4, RFC 4648 §4"),
                syntax(28, "initial-response", Found::Byte(42), "padded base64, RFC 5034 §4, RFC 4648 §4"),
            ],
            "-ERR expected initial-response at byte 14, found end of line (padded base64, RFC 5034 section 4, RFC 4648 section 4)\r\n-ERR expected initial-response at byte 28, found '*' (0x2a) (padded base64, RFC 5034 section 4, RFC 4648 section 4)\r\n",
        ),
        row(
            "AUTH answer not base64",
            full(),
            b"",
            b"AUTH PLAIN\r\nAG1yb3NlA\r\n",
        )
        .gives(
            vec![
                ok("Auth PLAIN"),
                syntax(21, "auth-response", Found::End, "padded base64, RFC 5034 §4, RFC 4648 §4"),
            ],
            "+ \r\n-ERR expected auth-response at byte 21, found end of line (padded base64, RFC 5034 section 4, RFC 4648 section 4)\r\n",
        ),
        row(
            "AUTH initial response empty",
            full(),
            b"",
            b"AUTH PLAIN \r\n",
        )
        .gives(
            vec![
                syntax(11, "param", Found::End, "an argument of one or more characters, RFC 2449 §9"),
            ],
            "-ERR expected param at byte 11, found end of line (an argument of one or more characters, RFC 2449 section 9)\r\n",
        ),
        // Unknown commands (RFC 1939 §3).
        row(
            "unknown commands",
            full(),
            b"",
            b"XTND XMIT\r\nRETRIEVE 1\r\n\r\n",
        )
        .gives(
            vec![
                Err(Error::UnknownCommand { offset: 0 }),
                Err(Error::UnknownCommand { offset: 11 }),
                Err(Error::UnknownCommand { offset: 23 }),
            ],
            "-ERR unknown command at byte 0 (RFC 1939 section 3)\r\n-ERR unknown command at byte 11 (RFC 1939 section 3)\r\n-ERR unknown command at byte 23 (RFC 1939 section 3)\r\n",
        ),
        row(
            "HELO from an SMTP client",
            full(),
            b"",
            b"HELO x\r\nMAIL FROM:<a@b>\r\n",
        )
        .gives(
            vec![
                Err(Error::UnknownCommand { offset: 0 }),
                Err(Error::UnknownCommand { offset: 8 }),
            ],
            "-ERR unknown command at byte 0 (RFC 1939 section 3)\r\n-ERR unknown command at byte 8 (RFC 1939 section 3)\r\n",
        ),
    ]
}

/// A row's outcome as the Rust of its `.gives(...)`, for writing the table.
fn rust(seen: &[Seen], wire: &[u8]) -> String {
    let mut out = String::from(".gives(vec![");
    for s in seen {
        let item = match s {
            Ok(l) => format!("ok({l:?})"),
            Err(Error::Syntax {
                offset,
                production,
                found,
                reason,
            }) => format!("syntax({offset}, {production:?}, Found::{found:?}, {reason:?})"),
            Err(Error::Peer { offset, reason }) => format!("peer({offset}, {reason:?})"),
            Err(e) => format!("Err(Error::{e:?})"),
        };
        out.push_str(&item);
        out.push_str(", ");
    }
    out.push_str(&format!("], {:?})", String::from_utf8_lossy(wire)));
    out
}

fn print_server(rows: &[ServerRow]) {
    for row in rows {
        let (seen, wire, _) = feed(row, &[&row.input]);
        println!("ROW {}", rust(&seen, &wire));
    }
}

#[test]
fn hostile_table_server() {
    let rows = server_rows();
    assert!(rows.len() >= 40, "{} rows", rows.len());
    if std::env::var_os("HOSTILE_PRINT").is_some() {
        print_server(&rows);
        return;
    }
    for row in &rows {
        let (seen, wire) = run_server_row(row);
        assert_eq!(seen, row.events, "{}: events", row.name);
        assert_eq!(
            String::from_utf8_lossy(&wire),
            String::from_utf8_lossy(&row.replies),
            "{}: replies",
            row.name
        );
        assert_eq!(wire, row.replies, "{}: replies", row.name);
    }
}

/// One client row: a session brought to a state, then the server's hostile bytes.
struct ClientRow {
    name: &'static str,
    setup: fn() -> ClientSession,
    input: Vec<u8>,
    /// Also fed one byte at a time (with the same outcome).
    bytewise: bool,
    /// The stream ends after the input.
    eof: bool,
    events: Vec<Seen>,
    /// What the client wrote in answer.
    sent: Vec<u8>,
    check: fn(&mut ClientSession),
}

fn client_label(e: &ClientEvent) -> String {
    match e {
        ClientEvent::Capabilities(c) => {
            let names: Vec<String> = c.0.iter().map(ToString::to_string).collect();
            format!("Capabilities {}", names.join(","))
        }
        ClientEvent::Greeting(r) => format!("Greeting {}", r.to_line().unwrap()),
        ClientEvent::LoggedIn(r) => format!("LoggedIn {}", r.to_line().unwrap()),
        ClientEvent::LoginFailed(r) => format!("LoginFailed {}", r.to_line().unwrap()),
        ClientEvent::Data(d) => format!("Data {:?}", String::from_utf8_lossy(d)),
        e => format!("{e:?}"),
    }
}

fn client_feed(row: &ClientRow, pieces: &[&[u8]]) -> (Vec<Seen>, Vec<u8>, ClientSession) {
    let mut s = (row.setup)();
    let mut events: Vec<Result<ClientEvent, Error>> = Vec::new();
    let mut sent = Vec::new();
    let poll = |s: &mut ClientSession, events: &mut Vec<_>, sent: &mut Vec<u8>| {
        loop {
            match s.poll_event() {
                // Data pieces joined: how the input was split does not show.
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
        while let Some(out) = s.poll_transmit() {
            sent.extend_from_slice(&out);
        }
    };
    for p in pieces {
        s.receive(p);
        poll(&mut s, &mut events, &mut sent);
    }
    if row.eof {
        s.receive_eof();
        poll(&mut s, &mut events, &mut sent);
    }
    let seen = events
        .into_iter()
        .map(|e| e.map(|e| client_label(&e)))
        .collect();
    (seen, sent, s)
}

fn session(leniency: Leniency) -> ClientSession {
    ClientSession::new(ClientConfig {
        leniency,
        ..ClientConfig::default()
    })
}

/// Polls the events and takes the bytes written, which the row does not count.
fn settle(mut s: ClientSession) -> ClientSession {
    while let Ok(Some(_)) = s.poll_event() {}
    while s.poll_transmit().is_some() {}
    s
}

/// Connected, no greeting yet.
fn fresh() -> ClientSession {
    session(Leniency::strict())
}

/// Greeted by a server whose CAPA listed PIPELINING and STLS.
fn greeted() -> ClientSession {
    let mut s = fresh();
    s.receive(b"+OK ready\r\n");
    s.capa().unwrap();
    s.receive(b"+OK\r\nPIPELINING\r\nSTLS\r\nUSER\r\n.\r\n");
    settle(s)
}

/// STLS sent, its answer awaited.
fn stls_sent() -> ClientSession {
    let mut s = greeted();
    s.stls().unwrap();
    settle(s)
}

/// The `+OK` to STLS read; TLS not up yet.
fn stls_ready() -> ClientSession {
    let mut s = stls_sent();
    s.receive(b"+OK Begin TLS\r\n");
    settle(s)
}

fn logged_in_with(leniency: Leniency) -> ClientSession {
    let mut s = session(leniency);
    s.receive(b"+OK ready\r\n");
    s.login("a", "b").unwrap();
    s.receive(b"+OK\r\n");
    s.receive(b"+OK\r\n");
    settle(s)
}

/// Logged in (offsets of the rows start at 21).
fn logged_in() -> ClientSession {
    logged_in_with(Leniency::strict())
}

/// RETR 1 sent, its answer awaited.
fn retr_sent() -> ClientSession {
    let mut s = logged_in();
    s.retr(1).unwrap();
    settle(s)
}

fn retr_sent_lenient() -> ClientSession {
    let mut s = logged_in_with(Leniency::strict().normalize_bare_line_ends(true));
    s.retr(1).unwrap();
    settle(s)
}

fn stat_sent() -> ClientSession {
    let mut s = logged_in();
    s.stat().unwrap();
    settle(s)
}

fn list_sent() -> ClientSession {
    let mut s = logged_in();
    s.list(None).unwrap();
    settle(s)
}

fn uidl_sent() -> ClientSession {
    let mut s = logged_in();
    s.uidl(None).unwrap();
    settle(s)
}

/// AUTH PLAIN with its initial response sent.
fn auth_sent() -> ClientSession {
    let mut s = fresh();
    s.receive(b"+OK ready\r\n");
    s.auth_plain("a", "b").unwrap();
    settle(s)
}

fn quit_sent() -> ClientSession {
    let mut s = logged_in();
    s.quit().unwrap();
    settle(s)
}

/// STLS injection refused: nothing handed to TLS, the capabilities forgotten, the session
/// stopped.
fn injection_refused(s: &mut ClientSession) {
    assert!(s.take_remaining().is_empty());
    assert!(s.capabilities().is_none());
    assert!(s.tls_established().is_err());
    assert_eq!(s.poll_transmit(), None);
    assert!(s.capa().is_err());
}

/// The session has stopped: nothing more can be sent.
fn stopped(s: &mut ClientSession) {
    assert!(s.quit().is_err());
    assert_eq!(s.poll_transmit(), None);
    assert_eq!(s.poll_event(), Ok(None));
}

/// Still usable (a leniency row): QUIT can be sent.
fn usable(s: &mut ClientSession) {
    assert!(s.quit().is_ok());
    assert_eq!(&s.poll_transmit().unwrap()[..], b"QUIT\r\n");
}

fn crow(name: &'static str, setup: fn() -> ClientSession, input: &[u8]) -> ClientRow {
    ClientRow {
        name,
        setup,
        input: input.to_vec(),
        bytewise: true,
        eof: false,
        events: Vec::new(),
        sent: Vec::new(),
        check: stopped,
    }
}

impl ClientRow {
    fn gives(mut self, events: Vec<Seen>, sent: &str) -> ClientRow {
        self.events = events;
        self.sent = sent.as_bytes().to_vec();
        self
    }

    fn whole_only(mut self) -> ClientRow {
        self.bytewise = false;
        self
    }

    fn eof(mut self) -> ClientRow {
        self.eof = true;
        self
    }

    fn check(mut self, check: fn(&mut ClientSession)) -> ClientRow {
        self.check = check;
        self
    }
}

fn client_rows() -> Vec<ClientRow> {
    let long = format!("+OK {}\r\n", "x".repeat(507));
    let uid71 = format!("+OK\r\n1 {}\r\n.\r\n", "u".repeat(71));
    vec![
        // STLS response injection (RFC 2595 §4; the "NO STARTTLS" findings).
        crow(
            "+OK to STLS with a CAPA answer behind it, one read",
            stls_sent,
            b"+OK Begin TLS\r\n+OK\r\nPLAIN\r\n.\r\n",
        )
        .whole_only()
        .check(injection_refused)
        .gives(
            vec![peer(
                58,
                "bytes behind the +OK to STLS (RFC 2595 §4; response injection)",
            )],
            "",
        ),
        crow(
            "bytes after the +OK to STLS, a later read",
            stls_ready,
            b"+OK\r\nPLAIN\r\n.\r\n",
        )
        .whole_only()
        .check(injection_refused)
        .gives(
            vec![peer(
                58,
                "bytes after the +OK to STLS, before TLS (RFC 2595 §4; response injection)",
            )],
            "",
        ),
        // Responses without a status (RFC 1939 §3).
        crow("no status", stat_sent, b"2 320\r\n").gives(
            vec![syntax(
                21,
                "status",
                Found::Byte(50),
                "+OK or -ERR, RFC 1939 §3",
            )],
            "",
        ),
        crow("lower-case status", stat_sent, b"+ok 2 320\r\n").gives(
            vec![syntax(
                21,
                "status",
                Found::Byte(43),
                "+OK or -ERR, RFC 1939 §3",
            )],
            "",
        ),
        crow("empty line", stat_sent, b"\r\n").gives(
            vec![syntax(21, "status", Found::End, "+OK or -ERR, RFC 1939 §3")],
            "",
        ),
        crow("greeting without a status", fresh, b"POP3 ready\r\n").gives(
            vec![syntax(
                0,
                "status",
                Found::Byte(80),
                "+OK or -ERR, RFC 1939 §3",
            )],
            "",
        ),
        crow("greeting -ERR", fresh, b"-ERR [SYS/TEMP] go away\r\n").gives(
            vec![peer(25, "a greeting that is not +OK (RFC 1939 §4)")],
            "",
        ),
        crow("status glued to its text", stat_sent, b"+OK2 320\r\n").gives(
            vec![syntax(
                24,
                "SP",
                Found::Byte(50),
                "SP or the end of the line after the status, RFC 2449 §9",
            )],
            "",
        ),
        crow(
            "a response code that does not close",
            stat_sent,
            b"-ERR [IN-USE locked\r\n",
        )
        .gives(
            vec![syntax(
                40,
                "resp-code",
                Found::End,
                "a ] to end the response code, RFC 2449 §9",
            )],
            "",
        ),
        crow("an empty response code", stat_sent, b"-ERR [] x\r\n").gives(
            vec![syntax(
                27,
                "resp-level",
                Found::Byte(93),
                "printable characters other than / and ], RFC 2449 §9",
            )],
            "",
        ),
        crow("a status line of 513 octets", stat_sent, long.as_bytes()).gives(
            vec![Err(Error::LineTooLong {
                offset: 21,
                what: "response line",
                limit: 512,
            })],
            "",
        ),
        crow("NUL in a status line", stat_sent, b"+OK 2\x00320\r\n").gives(
            vec![syntax(
                26,
                "text",
                Found::Byte(0),
                "printable characters, SP, HTAB or UTF-8, RFC 1939 §3, RFC 6856",
            )],
            "",
        ),
        crow(
            "a response with no command outstanding",
            logged_in,
            b"+OK hello\r\n",
        )
        .gives(
            vec![peer(
                21,
                "a response with no command outstanding (RFC 1939 §3)",
            )],
            "",
        ),
        crow(
            "bytes after the +OK to QUIT",
            quit_sent,
            b"+OK bye\r\n+OK more\r\n",
        )
        .gives(
            vec![
                ok("Closed"),
                peer(30, "bytes after the +OK to QUIT (RFC 1939 §6)"),
            ],
            "",
        ),
        // Multi-line responses cut before the terminator at the end of the stream.
        crow(
            "RETR cut inside a line",
            retr_sent,
            b"+OK\r\nSubject: x\r\n\r\nbo",
        )
        .eof()
        .gives(
            vec![
                ok("Message { msg: 1 }"),
                ok("Data \"Subject: x\\r\\n\\r\\nbo\""),
                Err(Error::Truncated {
                    offset: 42,
                    inside: "a multi-line response",
                }),
            ],
            "",
        ),
        crow("RETR cut after a line", retr_sent, b"+OK\r\nbody\r\n")
            .eof()
            .gives(
                vec![
                    ok("Message { msg: 1 }"),
                    ok("Data \"body\\r\\n\""),
                    Err(Error::Truncated {
                        offset: 32,
                        inside: "a multi-line response",
                    }),
                ],
                "",
            ),
        crow(
            "RETR cut inside the terminator",
            retr_sent,
            b"+OK\r\nbody\r\n.\r",
        )
        .eof()
        .gives(
            vec![
                ok("Message { msg: 1 }"),
                ok("Data \"body\\r\\n\""),
                Err(Error::Truncated {
                    offset: 34,
                    inside: "a multi-line response",
                }),
            ],
            "",
        ),
        crow("LIST cut", list_sent, b"+OK 2 messages\r\n1 120\r\n")
            .eof()
            .gives(
                vec![Err(Error::Truncated {
                    offset: 44,
                    inside: "a multi-line response",
                })],
                "",
            ),
        crow("a status line cut", stat_sent, b"+OK 2 3")
            .eof()
            .gives(
                vec![Err(Error::Truncated {
                    offset: 28,
                    inside: "response line",
                })],
                "",
            ),
        crow("nothing at all", stat_sent, b"").eof().gives(
            vec![Err(Error::Truncated {
                offset: 21,
                inside: "the wait for a response",
            })],
            "",
        ),
        // Smuggling-style terminators inside RETR content: refused, never an early end.
        crow(
            "RETR with LF.LF inside",
            retr_sent,
            b"+OK\r\nhi\n.\n+OK injected\r\n.\r\n",
        )
        .gives(
            vec![
                ok("Message { msg: 1 }"),
                ok("Data \"hi\""),
                Err(Error::BareLineEnd {
                    offset: 28,
                    byte: 10,
                }),
            ],
            "",
        ),
        crow(
            "RETR with CRLF.LF inside",
            retr_sent,
            b"+OK\r\nhi\r\n.\n+OK injected\r\n.\r\n",
        )
        .gives(
            vec![
                ok("Message { msg: 1 }"),
                ok("Data \"hi\\r\\n\""),
                Err(Error::BareLineEnd {
                    offset: 31,
                    byte: 10,
                }),
            ],
            "",
        ),
        crow(
            "RETR with LF.CRLF inside",
            retr_sent,
            b"+OK\r\nhi\n.\r\n+OK injected\r\n.\r\n",
        )
        .gives(
            vec![
                ok("Message { msg: 1 }"),
                ok("Data \"hi\""),
                Err(Error::BareLineEnd {
                    offset: 28,
                    byte: 10,
                }),
            ],
            "",
        ),
        crow(
            "RETR with CR.CR inside",
            retr_sent,
            b"+OK\r\nhi\r.\r+OK injected\r\n.\r\n",
        )
        .gives(
            vec![
                ok("Message { msg: 1 }"),
                ok("Data \"hi\""),
                Err(Error::BareLineEnd {
                    offset: 28,
                    byte: 13,
                }),
            ],
            "",
        ),
        crow(
            "RETR with CRLF.CR inside",
            retr_sent,
            b"+OK\r\nhi\r\n.\r+OK injected\r\n.\r\n",
        )
        .gives(
            vec![
                ok("Message { msg: 1 }"),
                ok("Data \"hi\\r\\n\""),
                Err(Error::BareLineEnd {
                    offset: 31,
                    byte: 13,
                }),
            ],
            "",
        ),
        crow(
            "RETR with CR CRLF.CR CRLF inside",
            retr_sent,
            b"+OK\r\nhi\r\r\n.\r\r\n+OK injected\r\n.\r\n",
        )
        .gives(
            vec![
                ok("Message { msg: 1 }"),
                ok("Data \"hi\""),
                Err(Error::BareLineEnd {
                    offset: 28,
                    byte: 13,
                }),
            ],
            "",
        ),
        crow(
            "RETR with NUL.CRLF inside",
            retr_sent,
            b"+OK\r\nhi\r\n\0.\r\n.\r\n",
        )
        .check(usable)
        .gives(
            vec![
                ok("Message { msg: 1 }"),
                ok("Data \"hi\\r\\n\\0.\\r\\n\""),
                ok("MessageEnd"),
            ],
            "",
        ),
        crow(
            "RETR with LF.LF inside, lenient",
            retr_sent_lenient,
            b"+OK\r\nhi\n.\n+OK injected\r\n.\r\n",
        )
        .check(usable)
        .gives(
            vec![
                ok("Message { msg: 1 }"),
                ok("Data \"hi\\r\\n\\r\\n+OK injected\\r\\n\""),
                ok("MessageEnd"),
            ],
            "",
        ),
        crow(
            "RETR with LF.CRLF inside, lenient",
            retr_sent_lenient,
            b"+OK\r\nhi\n.\r\n+OK injected\r\n.\r\n",
        )
        .check(usable)
        .gives(
            vec![
                ok("Message { msg: 1 }"),
                ok("Data \"hi\\r\\n\\r\\n+OK injected\\r\\n\""),
                ok("MessageEnd"),
            ],
            "",
        ),
        // Bare line ends in status lines, strict and lenient.
        crow("bare LF after a status", stat_sent, b"+OK 2 320\n").gives(
            vec![Err(Error::BareLineEnd {
                offset: 30,
                byte: 10,
            })],
            "",
        ),
        // Malformed typed answers.
        crow("STAT count over 2^32", stat_sent, b"+OK 4294967296 0\r\n").gives(
            vec![peer(
                39,
                "a STAT answer that is not 'count size' (RFC 1939 §5)",
            )],
            "",
        ),
        crow(
            "LIST line not 'msg size'",
            list_sent,
            b"+OK\r\n1 120\r\n2 two\r\n.\r\n",
        )
        .gives(
            vec![peer(43, "a LIST line that is not 'msg size' (RFC 1939 §5)")],
            "",
        ),
        crow("UIDL id of 71 characters", uidl_sent, uid71.as_bytes()).gives(
            vec![peer(
                104,
                "a UIDL line that is not 'msg unique-id' (RFC 1939 §7)",
            )],
            "",
        ),
        crow(
            "UIDL id with a control character",
            uidl_sent,
            b"+OK\r\n1 a\x01b\r\n.\r\n",
        )
        .gives(
            vec![peer(
                36,
                "a UIDL line that is not 'msg unique-id' (RFC 1939 §7)",
            )],
            "",
        ),
        // AUTH challenges (RFC 5034 §4).
        crow("a challenge that is not base64", auth_sent, b"+ abc\r\n").gives(
            vec![syntax(
                16,
                "continue-req",
                Found::End,
                "padded base64, RFC 5034 §4, RFC 4648 §4",
            )],
            "",
        ),
        crow(
            "a challenge to PLAIN with an initial response",
            auth_sent,
            b"+ \r\n-ERR [AUTH] no\r\n",
        )
        .check(usable)
        .gives(vec![ok("LoginFailed -ERR [AUTH] no")], "*\r\n"),
    ]
}

fn print_client(rows: &[ClientRow]) {
    for row in rows {
        let (seen, sent, _) = client_feed(row, &[&row.input]);
        println!("CROW {}", rust(&seen, &sent));
    }
}

#[test]
fn hostile_table_client() {
    let rows = client_rows();
    assert!(rows.len() >= 30, "{} rows", rows.len());
    if std::env::var_os("HOSTILE_PRINT").is_some() {
        print_client(&rows);
        return;
    }
    for row in &rows {
        let (seen, sent, mut s) = client_feed(row, &[&row.input]);
        assert_eq!(seen, row.events, "{}: events", row.name);
        assert_eq!(
            String::from_utf8_lossy(&sent),
            String::from_utf8_lossy(&row.sent),
            "{}: sent",
            row.name
        );
        (row.check)(&mut s);
        if row.bytewise {
            let bytes: Vec<&[u8]> = row.input.chunks(1).collect();
            let (b_seen, b_sent, mut s) = client_feed(row, &bytes);
            assert_eq!((b_seen, b_sent), (seen, sent), "{}: byte by byte", row.name);
            (row.check)(&mut s);
        }
    }
}
