//! Hostile input that is not DATA content (that table is in `smuggling.rs`): command lines the
//! server session must refuse, with the exact reply it sends and the exact error
//! [`ServerSession::poll_event`] returns, and server bytes the client session must refuse, with
//! the exact error. Issue 10's "Bad input" list is covered by the two tables together.
//!
//! Every server row is run on a fresh session brought to the state it needs (`setup`, every
//! decision accepted), then fed the hostile bytes whole, one byte at a time and cut in two at
//! every point (rows where a split changes what the bytes mean say so and are run whole only);
//! every run must give the same events, errors and reply bytes. Every client row is run on a
//! session brought to the state it needs (greeted, STARTTLS or AUTH sent, ...), fed the
//! server's hostile bytes whole and (where a split does not change their meaning) one byte at a
//! time, with the exact events, errors and bytes the client writes in answer.
//!
//! `HOSTILE_PRINT=1 cargo test -p smtp-codec@0.1.0 --test hostile -- --nocapture` prints what
//! each row gives as the Rust of its `.gives(...)`, for writing a new row (then check it by
//! hand against the RFC before pasting it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use framing::Found;
use smtp_codec::{
    Capability, ClientConfig, ClientEvent, ClientSession, Domain, Error, Leniency, Mechanism,
    Parameter, ServerConfig, ServerEvent, ServerSession,
};

/// An event as a short label (the payloads that matter kept), or the error.
type Seen = Result<String, Error>;

fn ok(label: &str) -> Seen {
    Ok(label.to_owned())
}

fn params(params: &[Parameter]) -> String {
    params
        .iter()
        .map(|p| match p.value() {
            Some(v) => format!(" {}={v}", p.keyword()),
            None => format!(" {}", p.keyword()),
        })
        .collect()
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
    runs(&raw_label(e))
}

fn raw_label(e: &ServerEvent) -> String {
    match e {
        ServerEvent::Hello { domain, extended } => {
            format!("{} {domain}", if *extended { "EHLO" } else { "HELO" })
        }
        ServerEvent::Mail { from, params: p } => format!("MAIL <{from}>{}", params(p)),
        ServerEvent::Rcpt { to, params: p } => format!("RCPT <{to}>{}", params(p)),
        ServerEvent::Data(d) => format!("Data {}", String::from_utf8_lossy(d)),
        ServerEvent::Auth { mechanism, initial } => match initial {
            Some(i) => format!("AUTH {mechanism} {}", i.as_str()),
            None => format!("AUTH {mechanism}"),
        },
        ServerEvent::AuthResponse(r) if r.len() > 64 => format!("AuthResponse of {}", r.len()),
        ServerEvent::AuthResponse(r) => format!("AuthResponse {:?}", String::from_utf8_lossy(r)),
        e => format!("{e:?}"),
    }
}

/// How a row's input is fed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Splits {
    /// Whole, byte by byte, and cut in two at every point.
    Every,
    /// Whole, byte by byte, and cut in two at every 61st point (long inputs).
    Sampled,
    /// Whole only: a split changes what the bytes are (STARTTLS with bytes behind it).
    Whole,
}

/// One server row.
struct ServerRow {
    name: &'static str,
    config: ServerConfig,
    /// Bytes fed first (every decision accepted); their replies are not part of the row.
    setup: &'static [u8],
    input: Vec<u8>,
    splits: Splits,
    /// Events (Data pieces joined) and errors, in order.
    events: Vec<Seen>,
    /// Every byte the session wrote after the setup.
    replies: Vec<u8>,
    /// Checks on the session after the row.
    check: fn(&mut ServerSession),
}

fn nothing(_: &mut ServerSession) {}

/// The RSET behind a refused STARTTLS never ran: the transaction is still open.
fn rset_never_ran(s: &mut ServerSession) {
    assert!(s.take_remaining().is_empty());
    s.receive(b"RCPT TO:<x@y.example>\r\n");
    assert!(matches!(s.poll_event(), Ok(Some(ServerEvent::Rcpt { .. }))));
}

/// STARTTLS refused for the bytes behind it: nothing kept for TLS, still in the clear, and the
/// next command is read in the clear.
fn starttls_refused(s: &mut ServerSession) {
    assert!(s.take_remaining().is_empty());
    assert!(!s.is_tls());
    s.receive(b"NOOP\r\n");
    assert_eq!(s.poll_event(), Ok(None));
    assert!(s.take_remaining().is_empty());
    assert_eq!(&s.poll_transmit().unwrap()[..], b"250 2.0.0 Ok\r\n");
}

/// Polls until `None`, accepting every decision (an AUTH without initial response is
/// challenged with an empty 334 first).
fn drain(s: &mut ServerSession, out: &mut Vec<Seen>) {
    loop {
        match s.poll_event() {
            Ok(None) => return,
            Ok(Some(e)) => {
                match &e {
                    ServerEvent::Auth { initial: None, .. } => s.challenge(b"").unwrap(),
                    ServerEvent::Mail { .. }
                    | ServerEvent::Rcpt { .. }
                    | ServerEvent::MessageEnd
                    | ServerEvent::Auth { .. }
                    | ServerEvent::AuthResponse(_) => s.accept().unwrap(),
                    _ => {}
                }
                match (out.last_mut(), &e) {
                    // Data pieces joined: how the input was split does not show.
                    (Some(Ok(prev)), ServerEvent::Data(d)) if prev.starts_with("Data ") => {
                        let mut joined = prev["Data ".len()..].to_owned();
                        joined.push_str(&String::from_utf8_lossy(d));
                        *prev = format!("Data {joined}");
                    }
                    _ => out.push(Ok(label(&e))),
                }
            }
            Err(e) => out.push(Err(e)),
        }
    }
}

/// A session after `setup`, its replies taken.
fn ready(config: &ServerConfig, setup: &[u8]) -> ServerSession {
    let mut s = ServerSession::new(config.clone());
    s.receive(setup);
    let mut seen = Vec::new();
    drain(&mut s, &mut seen);
    assert!(seen.iter().all(Result::is_ok), "setup refused: {seen:?}");
    while s.poll_transmit().is_some() {}
    s
}

fn feed(row: &ServerRow, pieces: &[&[u8]]) -> (Vec<Seen>, Vec<u8>, ServerSession) {
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

/// PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES, STARTTLS, CHUNKING, SIZE and AUTH PLAIN LOGIN
/// announced; strict; the default limits (a command line of 1024 octets).
fn full() -> ServerConfig {
    let mut c = ServerConfig::new(Domain::new("mx.example").unwrap());
    c.capabilities.extend([
        Capability::StartTls,
        Capability::Chunking,
        Capability::Size(Some(c.limits.max_message_size)),
        Capability::Auth(vec![
            Mechanism::new("PLAIN").unwrap(),
            Mechanism::new("LOGIN").unwrap(),
        ]),
    ]);
    c
}

fn lenient() -> ServerConfig {
    let mut c = full();
    c.leniency = Leniency::strict().normalize_bare_line_ends(true);
    c
}

/// The command line limit at RFC 5321 §4.5.3.1.4's 512 octets.
fn rfc_512() -> ServerConfig {
    let mut c = full();
    c.limits.max_command_line = 512;
    c
}

fn smtputf8() -> ServerConfig {
    let mut c = full();
    c.capabilities.push(Capability::SmtpUtf8);
    c
}

const EHLO: &[u8] = b"EHLO c.example\r\n";
const MAIL: &[u8] = b"EHLO c.example\r\nMAIL FROM:<a@b.example>\r\n";
const RCPT: &[u8] = b"EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<x@y.example>\r\n";

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

    fn check(mut self, check: fn(&mut ServerSession)) -> ServerRow {
        self.check = check;
        self
    }
}

fn server_rows() -> Vec<ServerRow> {
    let at_limit = cat(&[b"NOOP ", &[b'a'; 1017], b"\r\nNOOP\r\n"]);
    let over_limit = cat(&[b"NOOP ", &[b'a'; 1018], b"\r\nNOOP\r\n"]);
    // "MAIL FROM:<" 11, the local part 488, "@b.example>" 11, CRLF 2: 512.
    let at_512 = cat(&[b"MAIL FROM:<", &[b'l'; 488], b"@b.example>\r\n"]);
    let over_512 = cat(&[b"MAIL FROM:<", &[b'l'; 489], b"@b.example>\r\nRSET\r\n"]);
    let never_ends = cat(&[&[b'A'; 5000], b"\r\nNOOP\r\n"]);
    // An AUTH response line may have 12288 octets with its CRLF (RFC 4954 §4): 12286 octets
    // are framed (and judged as base64: 12286 is no multiple of 4); 12284 are base64.
    let auth_at_limit = cat(&[b"AUTH PLAIN\r\n", &[b'A'; 12286], b"\r\n"]);
    let auth_largest = cat(&[b"AUTH PLAIN\r\n", &[b'A'; 12284], b"\r\n"]);
    let auth_over = cat(&[b"AUTH PLAIN\r\n", &[b'A'; 12288], b"\r\nNOOP\r\n"]);
    vec![
        // Line limits (RFC 5321 §4.5.3.1.4, raised for extensions by RFC 1869 §4.1.2).
        row("command line at the limit", full(), EHLO, &at_limit)
            .splits(Splits::Sampled)
            .gives(
                vec![],
                "250 2.0.0 Ok\r\n250 2.0.0 Ok\r\n",
            ),
        row("command line one over the limit, skipped", full(), EHLO, &over_limit)
            .splits(Splits::Sampled)
            .gives(
                vec![
                    Err(Error::LineTooLong { offset: 16, what: "command line", limit: 1024 }),
                ],
                "500 5.5.2 command line over 1024 octets at byte 16 (RFC 5321 section 4.5.3.1)\r\n250 2.0.0 Ok\r\n",
            ),
        row("512-octet limit: at it", rfc_512(), EHLO, &at_512)
            .splits(Splits::Sampled)
            .gives(
                vec![
                    ok("MAIL <l×488@b.example>"),
                ],
                "250 2.1.0 Originator ok\r\n",
            ),
        row("512-octet limit: one over, skipped", rfc_512(), EHLO, &over_512)
            .splits(Splits::Sampled)
            .gives(
                vec![
                    Err(Error::LineTooLong { offset: 16, what: "command line", limit: 512 }),
                ],
                "500 5.5.2 command line over 512 octets at byte 16 (RFC 5321 section 4.5.3.1)\r\n250 2.0.0 Ok\r\n",
            ),
        row("a 5000-octet line is one error", full(), EHLO, &never_ends)
            .splits(Splits::Sampled)
            .gives(
                vec![
                    Err(Error::LineTooLong { offset: 16, what: "command line", limit: 1024 }),
                ],
                "500 5.5.2 command line over 1024 octets at byte 16 (RFC 5321 section 4.5.3.1)\r\n250 2.0.0 Ok\r\n",
            ),
        // NUL.
        row("NUL in the EHLO domain", full(), b"", b"EHLO c\0.example\r\nNOOP\r\n")
            .gives(
                vec![
                    syntax(
                        6,
                        "CRLF",
                        Found::Byte(0),
                        "the end of the line after the argument, RFC 5321 §4.1.1",
                    ),
                ],
                "501 5.5.4 expected CRLF at byte 6, found 0x00 (the end of the line after the argument, RFC 5321 section 4.1.1)\r\n250 2.0.0 Ok\r\n",
            ),
        row("EHLO without a domain", full(), b"", b"EHLO\r\nEHLO \r\n")
            .gives(
                vec![
                    syntax(4, "SP", Found::End, "SP after the verb, RFC 5321 §4.1.1.1"),
                    syntax(
                        11,
                        "sub-domain",
                        Found::End,
                        "expected a letter or digit, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected SP at byte 4, found end of line (SP after the verb, RFC 5321 section 4.1.1.1)\r\n501 5.5.4 expected sub-domain at byte 11, found end of line (expected a letter or digit, RFC 5321 section 4.1.2)\r\n",
            ),
        row("HELO with an address literal", full(), b"", b"HELO [192.0.2.1]\r\n")
            .gives(
                vec![
                    syntax(
                        5,
                        "sub-domain",
                        Found::Byte(91),
                        "expected a letter or digit, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected sub-domain at byte 5, found '[' (0x5b) (expected a letter or digit, RFC 5321 section 4.1.2)\r\n",
            ),
        row("NUL in the verb", full(), EHLO, b"MA\0IL FROM:<a@b.example>\r\n")
            .gives(
                vec![
                    Err(Error::UnknownCommand { offset: 16 }),
                ],
                "500 5.5.2 unknown command at byte 16 (RFC 5321 section 4.2.4)\r\n",
            ),
        row("NUL in a path", full(), EHLO, b"MAIL FROM:<a\0b@c.example>\r\n")
            .gives(
                vec![
                    syntax(
                        28,
                        "Mailbox",
                        Found::Byte(0),
                        "\"@\" after the local part, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected Mailbox at byte 28, found 0x00 (\"@\" after the local part, RFC 5321 section 4.1.2)\r\n",
            ),
        row("NUL after the verb", full(), EHLO, b"NOOP\0\r\nDATA\0\r\n")
            .gives(
                vec![
                    syntax(20, "SP", Found::Byte(0), "SP before the argument, RFC 5321 §4.1.1"),
                    syntax(
                        27,
                        "CRLF",
                        Found::Byte(0),
                        "this command takes no argument, RFC 5321 §4.1.1",
                    ),
                ],
                "501 5.5.4 expected SP at byte 20, found 0x00 (SP before the argument, RFC 5321 section 4.1.1)\r\n501 5.5.4 expected CRLF at byte 27, found 0x00 (this command takes no argument, RFC 5321 section 4.1.1)\r\n",
            ),
        // Bare line ends (RFC 5321 §2.3.8).
        row("bare LF ends nothing: the line runs to CRLF", full(), EHLO, b"NOOP\nRSET\r\nNOOP\r\n")
            .gives(
                vec![
                    Err(Error::BareLineEnd { offset: 20, byte: 10 }),
                ],
                "500 5.5.2 bare LF at byte 20 (RFC 5321 section 2.3.8; SMTP smuggling)\r\n250 2.0.0 Ok\r\n",
            ),
        row("bare LF, lenient: a line end", lenient(), EHLO, b"NOOP\nRSET\r\nNOOP\r\n")
            .gives(
                vec![],
                "250 2.0.0 Ok\r\n250 2.0.0 Ok\r\n250 2.0.0 Ok\r\n",
            ),
        row(
            "MAIL and RCPT ended by bare LF",
            full(),
            EHLO,
            b"MAIL FROM:<a@b.example>\nRCPT TO:<x@y.example>\n\r\nNOOP\r\n",
        )
        .gives(
            vec![
                Err(Error::BareLineEnd { offset: 39, byte: 10 }),
            ],
            "500 5.5.2 bare LF at byte 39 (RFC 5321 section 2.3.8; SMTP smuggling)\r\n250 2.0.0 Ok\r\n",
        ),
        row(
            "MAIL and RCPT ended by bare LF, lenient",
            lenient(),
            EHLO,
            b"MAIL FROM:<a@b.example>\nRCPT TO:<x@y.example>\n\r\nNOOP\r\n",
        )
        .gives(
            vec![
                ok("MAIL <a@b.example>"),
                ok("RCPT <x@y.example>"),
                Err(Error::UnknownCommand { offset: 62 }),
            ],
            "250 2.1.0 Originator ok\r\n250 2.1.5 Recipient ok\r\n500 5.5.2 unknown command at byte 62 (RFC 5321 section 4.2.4)\r\n250 2.0.0 Ok\r\n",
        ),
        row("bare CR inside a command", full(), EHLO, b"NOOP a\rb\r\nNOOP\r\n")
            .gives(
                vec![
                    Err(Error::BareLineEnd { offset: 22, byte: 13 }),
                ],
                "500 5.5.2 bare CR at byte 22 (RFC 5321 section 2.3.8; SMTP smuggling)\r\n250 2.0.0 Ok\r\n",
            ),
        row("bare CR inside a command, lenient", lenient(), EHLO, b"NOOP a\rb\r\nNOOP\r\n")
            .gives(
                vec![
                    Err(Error::UnknownCommand { offset: 23 }),
                ],
                "250 2.0.0 Ok\r\n500 5.5.2 unknown command at byte 23 (RFC 5321 section 4.2.4)\r\n250 2.0.0 Ok\r\n",
            ),
        row("CR CR LF", full(), EHLO, b"NOOP\r\r\nNOOP\r\n")
            .gives(
                vec![
                    Err(Error::BareLineEnd { offset: 20, byte: 13 }),
                ],
                "500 5.5.2 bare CR at byte 20 (RFC 5321 section 2.3.8; SMTP smuggling)\r\n250 2.0.0 Ok\r\n",
            ),
        // Verbs (RFC 5321 §4.2.4).
        row("unknown verb", full(), EHLO, b"XYZZY\r\nNOOP\r\n")
            .gives(
                vec![
                    Err(Error::UnknownCommand { offset: 16 }),
                ],
                "500 5.5.2 unknown command at byte 16 (RFC 5321 section 4.2.4)\r\n250 2.0.0 Ok\r\n",
            ),
        row("empty line", full(), EHLO, b"\r\nNOOP\r\n")
            .gives(
                vec![
                    Err(Error::UnknownCommand { offset: 16 }),
                ],
                "500 5.5.2 unknown command at byte 16 (RFC 5321 section 4.2.4)\r\n250 2.0.0 Ok\r\n",
            ),
        row("space before the verb", full(), EHLO, b" NOOP\r\n")
            .gives(
                vec![
                    Err(Error::UnknownCommand { offset: 16 }),
                ],
                "500 5.5.2 unknown command at byte 16 (RFC 5321 section 4.2.4)\r\n",
            ),
        row("verb and argument run together", full(), EHLO, b"MAILFROM:<a@b.example>\r\n")
            .gives(
                vec![
                    Err(Error::UnknownCommand { offset: 16 }),
                ],
                "500 5.5.2 unknown command at byte 16 (RFC 5321 section 4.2.4)\r\n",
            ),
        row("8-bit verb", full(), EHLO, "M\u{c9}IL FROM:<a@b.example>\r\n".as_bytes())
            .gives(
                vec![
                    Err(Error::UnknownCommand { offset: 16 }),
                ],
                "500 5.5.2 unknown command at byte 16 (RFC 5321 section 4.2.4)\r\n",
            ),
        // Paths (RFC 5321 §4.1.2).
        row("path without brackets", full(), EHLO, b"MAIL FROM:a@b.example\r\n")
            .gives(
                vec![
                    syntax(
                        26,
                        "Path",
                        Found::Byte(97),
                        "a path starts with \"<\", RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected Path at byte 26, found 'a' (0x61) (a path starts with \"<\", RFC 5321 section 4.1.2)\r\n",
            ),
        row("path without its closing bracket", full(), EHLO, b"MAIL FROM:<a@b.example\r\n")
            .gives(
                vec![
                    syntax(38, "Path", Found::End, "a path ends with \">\", RFC 5321 §4.1.2"),
                ],
                "501 5.5.4 expected Path at byte 38, found end of line (a path ends with \">\", RFC 5321 section 4.1.2)\r\n",
            ),
        row("space before the path", full(), EHLO, b"MAIL FROM: <a@b.example>\r\n")
            .gives(
                vec![
                    syntax(
                        26,
                        "Path",
                        Found::Byte(32),
                        "a path starts with \"<\", RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected Path at byte 26, found 0x20 (a path starts with \"<\", RFC 5321 section 4.1.2)\r\n",
            ),
        row("unbalanced quote", full(), EHLO, b"MAIL FROM:<\"a@b.example>\r\n")
            .gives(
                vec![
                    syntax(
                        40,
                        "Quoted-string",
                        Found::End,
                        "missing closing DQUOTE, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected Quoted-string at byte 40, found end of line (missing closing DQUOTE, RFC 5321 section 4.1.2)\r\n",
            ),
        row("empty local part", full(), EHLO, b"MAIL FROM:<@b.example>\r\n")
            .gives(
                vec![
                    syntax(
                        37,
                        "A-d-l",
                        Found::Byte(62),
                        "\",\" or \":\" after a source-route domain, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected A-d-l at byte 37, found '>' (0x3e) (\",\" or \":\" after a source-route domain, RFC 5321 section 4.1.2)\r\n",
            ),
        row("local part ends with a dot", full(), EHLO, b"MAIL FROM:<a.@b.example>\r\n")
            .gives(
                vec![
                    syntax(29, "Atom", Found::Byte(64), "expected atext, RFC 5321 §4.1.2"),
                ],
                "501 5.5.4 expected Atom at byte 29, found '@' (0x40) (expected atext, RFC 5321 section 4.1.2)\r\n",
            ),
        row("domain ends with a dot", full(), EHLO, b"MAIL FROM:<a@b.example.>\r\n")
            .gives(
                vec![
                    syntax(
                        39,
                        "sub-domain",
                        Found::Byte(62),
                        "expected a letter or digit, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected sub-domain at byte 39, found '>' (0x3e) (expected a letter or digit, RFC 5321 section 4.1.2)\r\n",
            ),
        row("bytes after the path", full(), EHLO, b"MAIL FROM:<a@b.example>x\r\n")
            .gives(
                vec![
                    syntax(
                        39,
                        "Path",
                        Found::Byte(120),
                        "SP or the end of the line after the path, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected Path at byte 39, found 'x' (0x78) (SP or the end of the line after the path, RFC 5321 section 4.1.2)\r\n",
            ),
        row("two @", full(), MAIL, b"RCPT TO:<x@y@z.example>\r\n")
            .gives(
                vec![
                    syntax(53, "Path", Found::Byte(64), "a path ends with \">\", RFC 5321 §4.1.2"),
                ],
                "501 5.5.4 expected Path at byte 53, found '@' (0x40) (a path ends with \">\", RFC 5321 section 4.1.2)\r\n",
            ),
        row("null forward-path", full(), MAIL, b"RCPT TO:<>\r\n")
            .gives(
                vec![
                    syntax(50, "Atom", Found::Byte(62), "expected atext, RFC 5321 §4.1.2"),
                ],
                "501 5.5.4 expected Atom at byte 50, found '>' (0x3e) (expected atext, RFC 5321 section 4.1.2)\r\n",
            ),
        row(
            "source route accepted and dropped",
            full(),
            EHLO,
            b"MAIL FROM:<@a.example,@b.example:u@c.example>\r\nRCPT TO:<@d.example:x@y.example>\r\n",
        )
        .gives(
            vec![
                ok("MAIL <u@c.example>"),
                ok("RCPT <x@y.example>"),
            ],
            "250 2.1.0 Originator ok\r\n250 2.1.5 Recipient ok\r\n",
        ),
        row("source route without its colon", full(), MAIL, b"RCPT TO:<@a.example,x@y.example>\r\n")
            .gives(
                vec![
                    syntax(
                        61,
                        "At-domain",
                        Found::Byte(120),
                        "expected \"@\" Domain, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected At-domain at byte 61, found 'x' (0x78) (expected \"@\" Domain, RFC 5321 section 4.1.2)\r\n",
            ),
        // Parameters (RFC 5321 §4.1.2, RFC 1869 §6, RFC 1870 §6).
        row("SIZE without a value", full(), EHLO, b"MAIL FROM:<a@b.example> SIZE\r\n")
            .gives(
                vec![
                    syntax(
                        40,
                        "esmtp-param",
                        Found::Byte(83),
                        "this parameter needs a value, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected esmtp-param at byte 40, found 'S' (0x53) (this parameter needs a value, RFC 5321 section 4.1.2)\r\n",
            ),
        row("SIZE= with an empty value", full(), EHLO, b"MAIL FROM:<a@b.example> SIZE=\r\n")
            .gives(
                vec![
                    syntax(
                        45,
                        "esmtp-value",
                        Found::End,
                        "a value after \"=\" is not empty, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected esmtp-value at byte 45, found end of line (a value after \"=\" is not empty, RFC 5321 section 4.1.2)\r\n",
            ),
        row("BODY without a value", full(), EHLO, b"MAIL FROM:<a@b.example> BODY\r\n")
            .gives(
                vec![
                    syntax(
                        40,
                        "esmtp-param",
                        Found::Byte(66),
                        "this parameter needs a value, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected esmtp-param at byte 40, found 'B' (0x42) (this parameter needs a value, RFC 5321 section 4.1.2)\r\n",
            ),
        row("SIZE not a number", full(), EHLO, b"MAIL FROM:<a@b.example> SIZE=1k\r\n")
            .gives(
                vec![
                    syntax(45, "size-value", Found::Byte(49), "1 to 20 digits, RFC 1870 §6"),
                ],
                "501 5.5.4 expected size-value at byte 45, found '1' (0x31) (1 to 20 digits, RFC 1870 section 6)\r\n",
            ),
        row("SIZE over u64", full(), EHLO, b"MAIL FROM:<a@b.example> SIZE=18446744073709551616\r\n")
            .gives(
                vec![
                    syntax(45, "size-value", Found::Byte(49), "a size over 2^64-1, RFC 1870 §6"),
                ],
                "501 5.5.4 expected size-value at byte 45, found '1' (0x31) (a size over 2^64-1, RFC 1870 section 6)\r\n",
            ),
        row("SIZE twice", full(), EHLO, b"MAIL FROM:<a@b.example> SIZE=1 SIZE=2\r\n")
            .gives(
                vec![
                    syntax(
                        47,
                        "esmtp-param",
                        Found::Byte(83),
                        "a parameter appears twice, RFC 1869 §6",
                    ),
                ],
                "501 5.5.4 expected esmtp-param at byte 47, found 'S' (0x53) (a parameter appears twice, RFC 1869 section 6)\r\n",
            ),
        row("SIZE twice, other case", full(), EHLO, b"MAIL FROM:<a@b.example> SIZE=1 size=1\r\n")
            .gives(
                vec![
                    syntax(
                        47,
                        "esmtp-param",
                        Found::Byte(115),
                        "a parameter appears twice, RFC 1869 §6",
                    ),
                ],
                "501 5.5.4 expected esmtp-param at byte 47, found 's' (0x73) (a parameter appears twice, RFC 1869 section 6)\r\n",
            ),
        row("SMTPUTF8 with a value", smtputf8(), EHLO, b"MAIL FROM:<a@b.example> SMTPUTF8=yes\r\n")
            .gives(
                vec![
                    syntax(
                        49,
                        "esmtp-param",
                        Found::Byte(121),
                        "this parameter takes no value, RFC 6531 §3.4, RFC 8689 §4.1",
                    ),
                ],
                "501 5.5.4 expected esmtp-param at byte 49, found 'y' (0x79) (this parameter takes no value, RFC 6531 section 3.4, RFC 8689 section 4.1)\r\n",
            ),
        row(
            "two spaces between parameters",
            full(),
            EHLO,
            b"MAIL FROM:<a@b.example> SIZE=1  BODY=7BIT\r\n",
        )
        .gives(
            vec![
                syntax(
                    47,
                    "esmtp-keyword",
                    Found::Byte(32),
                    "a parameter starts with a letter or digit, RFC 5321 §4.1.2",
                ),
            ],
            "501 5.5.4 expected esmtp-keyword at byte 47, found 0x20 (a parameter starts with a letter or digit, RFC 5321 section 4.1.2)\r\n",
        ),
        row("NOTIFY on MAIL", full(), EHLO, b"MAIL FROM:<a@b.example> NOTIFY=NEVER\r\n")
            .gives(
                vec![
                    syntax(
                        40,
                        "esmtp-param",
                        Found::Byte(78),
                        "an RCPT parameter on MAIL, RFC 3461 §4",
                    ),
                ],
                "501 5.5.4 expected esmtp-param at byte 40, found 'N' (0x4e) (an RCPT parameter on MAIL, RFC 3461 section 4)\r\n",
            ),
        row("SIZE over the limit", full(), EHLO, b"MAIL FROM:<a@b.example> SIZE=67108865\r\n")
            .gives(
                vec![
                    peer(55, "SIZE over the limit (RFC 1870 §6)"),
                ],
                "552 5.3.4 Message size exceeds fixed maximum message size\r\n",
            ),
        row("unknown MAIL parameter", full(), EHLO, b"MAIL FROM:<a@b.example> X-FOO=1\r\n")
            .gives(
                vec![
                    peer(49, "a MAIL parameter of an extension not announced (RFC 5321 §4.1.1.11)"),
                ],
                "555 5.5.4 MAIL parameter not recognized or not implemented\r\n",
            ),
        row(
            "DSN parameter, DSN not announced",
            full(),
            EHLO,
            b"MAIL FROM:<a@b.example> RET=HDRS\r\n",
        )
        .gives(
            vec![
                peer(50, "a MAIL parameter of an extension not announced (RFC 5321 §4.1.1.11)"),
            ],
            "555 5.5.4 MAIL parameter not recognized or not implemented\r\n",
        ),
        row("unknown RCPT parameter", full(), MAIL, b"RCPT TO:<x@y.example> X-BAR\r\n")
            .gives(
                vec![
                    peer(70, "a RCPT parameter of an extension not announced (RFC 5321 §4.1.1.11)"),
                ],
                "555 5.5.4 RCPT parameter not recognized or not implemented\r\n",
            ),
        // BDAT (RFC 3030 §2).
        row("BDAT size over u64", full(), RCPT, b"BDAT 18446744073709551616 LAST\r\nNOOP\r\n")
            .gives(
                vec![
                    syntax(
                        69,
                        "chunk-size",
                        Found::Byte(49),
                        "a chunk size over 2^64-1, RFC 3030 §2",
                    ),
                ],
                "501 5.5.4 expected chunk-size at byte 69, found '1' (0x31) (a chunk size over 2^64-1, RFC 3030 section 2)\r\n250 2.0.0 Ok\r\n",
            ),
        row(
            "BDAT size of u64::MAX: nothing buffered",
            full(),
            RCPT,
            &cat(&[b"BDAT 18446744073709551615 LAST\r\n", &[b'x'; 300]]),
        )
        .check(|s| assert_eq!(s.buffered(), 0))
        .gives(
            vec![],
            "",
        ),
        row("BDAT size not a number", full(), RCPT, b"BDAT x\r\nNOOP\r\n")
            .gives(
                vec![
                    syntax(
                        69,
                        "chunk-size",
                        Found::Byte(120),
                        "the chunk size in decimal digits, RFC 3030 §2",
                    ),
                ],
                "501 5.5.4 expected chunk-size at byte 69, found 'x' (0x78) (the chunk size in decimal digits, RFC 3030 section 2)\r\n250 2.0.0 Ok\r\n",
            ),
        row("BDAT negative size", full(), RCPT, b"BDAT -1\r\nNOOP\r\n")
            .gives(
                vec![
                    syntax(
                        69,
                        "chunk-size",
                        Found::Byte(45),
                        "the chunk size in decimal digits, RFC 3030 §2",
                    ),
                ],
                "501 5.5.4 expected chunk-size at byte 69, found '-' (0x2d) (the chunk size in decimal digits, RFC 3030 section 2)\r\n250 2.0.0 Ok\r\n",
            ),
        row("BDAT without size", full(), RCPT, b"BDAT\r\nNOOP\r\n")
            .gives(
                vec![
                    syntax(68, "SP", Found::End, "SP and a chunk size after BDAT, RFC 3030 §2"),
                ],
                "501 5.5.4 expected SP at byte 68, found end of line (SP and a chunk size after BDAT, RFC 3030 section 2)\r\n250 2.0.0 Ok\r\n",
            ),
        row("BDAT with another end-marker", full(), RCPT, b"BDAT 1 FIRST\r\nNOOP\r\n")
            .gives(
                vec![
                    syntax(
                        71,
                        "end-marker",
                        Found::Byte(70),
                        "LAST or nothing after the size, RFC 3030 §2",
                    ),
                ],
                "501 5.5.4 expected end-marker at byte 71, found 'F' (0x46) (LAST or nothing after the size, RFC 3030 section 2)\r\n250 2.0.0 Ok\r\n",
            ),
        row("BDAT before MAIL: octets skipped", full(), EHLO, b"BDAT 6\r\nQUIT\r\nNOOP\r\n")
            .gives(
                vec![
                    peer(24, "DATA or BDAT before MAIL (RFC 5321 §4.1.4)"),
                ],
                "503 5.5.1 MAIL first\r\n250 2.0.0 Ok\r\n",
            ),
        row(
            "MAIL between BDAT chunks",
            full(),
            RCPT,
            b"BDAT 2\r\nabMAIL FROM:<a@b.example>\r\nBDAT 1 LAST\r\nc",
        )
        .gives(
            vec![
                ok("Data ab"),
                peer(99, "a command between BDAT chunks (RFC 3030 §2)"),
                ok("Data c"),
                ok("MessageEnd"),
            ],
            "250 2.0.0 2 octets received\r\n503 5.5.1 BDAT message in progress\r\n250 2.0.0 Message accepted\r\n",
        ),
        // Command order (RFC 5321 §4.1.4, §3.3).
        row("MAIL before EHLO", full(), b"", b"MAIL FROM:<a@b.example>\r\n")
            .gives(
                vec![
                    peer(25, "MAIL before EHLO or HELO (RFC 5321 §4.1.4)"),
                ],
                "503 5.5.1 EHLO or HELO first\r\n",
            ),
        row("RCPT before MAIL", full(), EHLO, b"RCPT TO:<x@y.example>\r\n")
            .gives(
                vec![
                    peer(39, "RCPT before MAIL (RFC 5321 §4.1.4)"),
                ],
                "503 5.5.1 MAIL first\r\n",
            ),
        row("DATA before MAIL", full(), EHLO, b"DATA\r\n")
            .gives(
                vec![
                    peer(22, "DATA or BDAT before MAIL (RFC 5321 §4.1.4)"),
                ],
                "503 5.5.1 MAIL first\r\n",
            ),
        row("DATA without a recipient", full(), MAIL, b"DATA\r\n")
            .gives(
                vec![
                    peer(47, "DATA or BDAT with no recipient accepted (RFC 5321 §3.3)"),
                ],
                "554 5.5.1 No valid recipients\r\n",
            ),
        row("second MAIL", full(), MAIL, b"MAIL FROM:<c@d.example>\r\n")
            .gives(
                vec![
                    peer(66, "MAIL inside a transaction (RFC 5321 §4.1.1.2)"),
                ],
                "503 5.5.1 Nested MAIL command\r\n",
            ),
        row("AUTH in a transaction", full(), MAIL, b"AUTH PLAIN =\r\n")
            .gives(
                vec![
                    peer(
                        55,
                        "AUTH before EHLO, after a successful AUTH or in a transaction (RFC 4954 §4)",
                    ),
                ],
                "503 5.5.1 AUTH not allowed now\r\n",
            ),
        // 8-bit (RFC 6531).
        row(
            "UTF-8 path without SMTPUTF8",
            smtputf8(),
            EHLO,
            "MAIL FROM:<j\u{f6}rg@b.example>\r\n".as_bytes(),
        )
        .gives(
            vec![
                syntax(
                    26,
                    "Reverse-path",
                    Found::Byte(60),
                    "UTF-8 in a path needs the SMTPUTF8 parameter, RFC 6531 §3.4",
                ),
            ],
            "501 5.5.4 expected Reverse-path at byte 26, found '<' (0x3c) (UTF-8 in a path needs the SMTPUTF8 parameter, RFC 6531 section 3.4)\r\n",
        ),
        row(
            "SMTPUTF8 not announced",
            full(),
            EHLO,
            "MAIL FROM:<j\u{f6}rg@b.example> SMTPUTF8\r\n".as_bytes(),
        )
        .gives(
            vec![
                peer(54, "a MAIL parameter of an extension not announced (RFC 5321 §4.1.1.11)"),
            ],
            "555 5.5.4 MAIL parameter not recognized or not implemented\r\n",
        ),
        row(
            "UTF-8 recipient without SMTPUTF8 on MAIL",
            smtputf8(),
            MAIL,
            "RCPT TO:<j\u{f6}rg@y.example>\r\n".as_bytes(),
        )
        .gives(
            vec![
                peer(
                    68,
                    "a UTF-8 forward-path in a transaction without SMTPUTF8 (RFC 6531 §3.5)",
                ),
            ],
            "553 5.6.7 A UTF-8 address needs SMTPUTF8 on MAIL\r\n",
        ),
        row("not UTF-8 in an argument", full(), EHLO, b"NOOP \xff\r\nVRFY a\xc3\r\n")
            .gives(
                vec![
                    syntax(
                        21,
                        "String",
                        Found::Byte(255),
                        "an Atom or a Quoted-string, RFC 5321 §4.1.2",
                    ),
                    syntax(
                        30,
                        "CRLF",
                        Found::Byte(195),
                        "the end of the line after the argument, RFC 5321 §4.1.1",
                    ),
                ],
                "501 5.5.4 expected String at byte 21, found 0xff (an Atom or a Quoted-string, RFC 5321 section 4.1.2)\r\n501 5.5.4 expected CRLF at byte 30, found 0xc3 (the end of the line after the argument, RFC 5321 section 4.1.1)\r\n",
            ),
        // AUTH (RFC 4954 §4).
        row("initial response not base64", full(), EHLO, b"AUTH PLAIN abc!\r\n")
            .gives(
                vec![
                    syntax(
                        30,
                        "initial-response",
                        Found::Byte(33),
                        "padded base64 or \"=\", RFC 4954 §4, RFC 4648 §4",
                    ),
                ],
                "501 5.5.2 expected initial-response at byte 30, found '!' (0x21) (padded base64 or \"=\", RFC 4954 section 4, RFC 4648 section 4)\r\n",
            ),
        row("initial response empty after SP", full(), EHLO, b"AUTH PLAIN \r\n")
            .gives(
                vec![
                    syntax(
                        27,
                        "initial-response",
                        Found::End,
                        "padded base64 or \"=\", RFC 4954 §4, RFC 4648 §4",
                    ),
                ],
                "501 5.5.2 expected initial-response at byte 27, found end of line (padded base64 or \"=\", RFC 4954 section 4, RFC 4648 section 4)\r\n",
            ),
        row("initial response *", full(), EHLO, b"AUTH PLAIN *\r\n")
            .gives(
                vec![
                    syntax(
                        27,
                        "initial-response",
                        Found::Byte(42),
                        "padded base64 or \"=\", RFC 4954 §4, RFC 4648 §4",
                    ),
                ],
                "501 5.5.2 expected initial-response at byte 27, found '*' (0x2a) (padded base64 or \"=\", RFC 4954 section 4, RFC 4648 section 4)\r\n",
            ),
        row("initial response badly padded", full(), EHLO, b"AUTH PLAIN abc\r\n")
            .gives(
                vec![
                    syntax(
                        30,
                        "initial-response",
                        Found::End,
                        "padded base64 or \"=\", RFC 4954 §4, RFC 4648 §4",
                    ),
                ],
                "501 5.5.2 expected initial-response at byte 30, found end of line (padded base64 or \"=\", RFC 4954 section 4, RFC 4648 section 4)\r\n",
            ),
        row("response not base64 after 334", full(), EHLO, b"AUTH PLAIN\r\nnot base64!\r\nNOOP\r\n")
            .gives(
                vec![
                    ok("AUTH PLAIN"),
                    syntax(
                        31,
                        "auth-response",
                        Found::Byte(32),
                        "padded base64, RFC 4954 §4, RFC 4648 §4",
                    ),
                ],
                "334 \r\n501 5.5.2 expected auth-response at byte 31, found 0x20 (padded base64, RFC 4954 section 4, RFC 4648 section 4)\r\n250 2.0.0 Ok\r\n",
            ),
        row(
            "response with = inside after 334",
            full(),
            EHLO,
            b"AUTH LOGIN\r\nAGFs=aWNl\r\nNOOP\r\n",
        )
        .gives(
            vec![
                ok("AUTH LOGIN"),
                syntax(
                    32,
                    "auth-response",
                    Found::Byte(61),
                    "padded base64, RFC 4954 §4, RFC 4648 §4",
                ),
            ],
            "334 \r\n501 5.5.2 expected auth-response at byte 32, found '=' (0x3d) (padded base64, RFC 4954 section 4, RFC 4648 section 4)\r\n250 2.0.0 Ok\r\n",
        ),
        row(
            "response ended by bare LF after 334",
            full(),
            EHLO,
            b"AUTH PLAIN\r\ndGVzdA==\nNOOP\r\nNOOP\r\n",
        )
        .gives(
            vec![
                ok("AUTH PLAIN"),
                Err(Error::BareLineEnd { offset: 36, byte: 10 }),
            ],
            "334 \r\n500 5.5.2 bare LF at byte 36 (RFC 5321 section 2.3.8; SMTP smuggling)\r\n250 2.0.0 Ok\r\n",
        ),
        row("response at its 12288-octet limit", full(), EHLO, &auth_at_limit)
            .splits(Splits::Sampled)
            .gives(
                vec![
                    ok("AUTH PLAIN"),
                    syntax(
                        12314,
                        "auth-response",
                        Found::End,
                        "padded base64, RFC 4954 §4, RFC 4648 §4",
                    ),
                ],
                "334 \r\n501 5.5.2 expected auth-response at byte 12314, found end of line (padded base64, RFC 4954 section 4, RFC 4648 section 4)\r\n",
            ),
        row("largest base64 response under the limit", full(), EHLO, &auth_largest)
            .splits(Splits::Sampled)
            .gives(
                vec![
                    ok("AUTH PLAIN"),
                    ok("AuthResponse of 9213"),
                ],
                "334 \r\n235 2.7.0 Authentication successful\r\n",
            ),
        row("= after 334 (only for an initial response)", full(), EHLO, b"AUTH PLAIN\r\n=\r\n")
            .gives(
                vec![
                    ok("AUTH PLAIN"),
                    syntax(
                        29,
                        "auth-response",
                        Found::End,
                        "padded base64, RFC 4954 §4, RFC 4648 §4",
                    ),
                ],
                "334 \r\n501 5.5.2 expected auth-response at byte 29, found end of line (padded base64, RFC 4954 section 4, RFC 4648 section 4)\r\n",
            ),
        row("response over its 12288-octet limit", full(), EHLO, &auth_over)
            .splits(Splits::Sampled)
            .gives(
                vec![
                    ok("AUTH PLAIN"),
                    Err(Error::LineTooLong { offset: 28, what: "command line", limit: 12288 }),
                ],
                "334 \r\n500 5.5.2 command line over 12288 octets at byte 28 (RFC 5321 section 4.5.3.1)\r\n250 2.0.0 Ok\r\n",
            ),
        row("mechanism not announced", full(), EHLO, b"AUTH CRAM-MD5\r\n")
            .gives(
                vec![
                    peer(31, "an AUTH mechanism not announced (RFC 4954 §4)"),
                ],
                "504 5.5.4 Unrecognized authentication type\r\n",
            ),
        row("mechanism name too long", full(), EHLO, b"AUTH A23456789012345678901\r\n")
            .gives(
                vec![
                    syntax(
                        41,
                        "sasl-mech",
                        Found::Byte(49),
                        "1 to 20 letters, digits, - and _, RFC 4422 §3.1",
                    ),
                ],
                "501 5.5.4 expected sasl-mech at byte 41, found '1' (0x31) (1 to 20 letters, digits, - and _, RFC 4422 section 3.1)\r\n",
            ),
        // Address literals (RFC 5321 §4.1.3) and arguments.
        row("IPv4 literal out of range", full(), EHLO, b"MAIL FROM:<a@[192.0.2.256]>\r\n")
            .gives(
                vec![
                    syntax(38, "Snum", Found::Byte(50), "a number 0 through 255, RFC 5321 §4.1.3"),
                ],
                "501 5.5.4 expected Snum at byte 38, found '2' (0x32) (a number 0 through 255, RFC 5321 section 4.1.3)\r\n",
            ),
        row("IPv6 literal with a bad group", full(), EHLO, b"MAIL FROM:<a@[IPv6:2001:db8::g]>\r\n")
            .gives(
                vec![
                    syntax(
                        35,
                        "IPv6-addr",
                        Found::Byte(50),
                        "not an IPv6 address, RFC 5321 §4.1.3",
                    ),
                ],
                "501 5.5.4 expected IPv6-addr at byte 35, found '2' (0x32) (not an IPv6 address, RFC 5321 section 4.1.3)\r\n",
            ),
        row("RSET with an argument", full(), MAIL, b"RSET now\r\nRCPT TO:<x@y.example>\r\n")
            .gives(
                vec![
                    syntax(
                        45,
                        "CRLF",
                        Found::Byte(32),
                        "this command takes no argument, RFC 5321 §4.1.1",
                    ),
                    ok("RCPT <x@y.example>"),
                ],
                "501 5.5.4 expected CRLF at byte 45, found 0x20 (this command takes no argument, RFC 5321 section 4.1.1)\r\n250 2.1.5 Recipient ok\r\n",
            ),
        row("MAIL FROM:<Postmaster>", full(), EHLO, b"MAIL FROM:<Postmaster>\r\n")
            .gives(
                vec![
                    syntax(
                        37,
                        "Mailbox",
                        Found::Byte(62),
                        "\"@\" after the local part, RFC 5321 §4.1.2",
                    ),
                ],
                "501 5.5.4 expected Mailbox at byte 37, found '>' (0x3e) (\"@\" after the local part, RFC 5321 section 4.1.2)\r\n",
            ),
        // Offsets after content are stream offsets (the content's octets counted).
        row(
            "offsets after DATA content",
            full(),
            RCPT,
            b"DATA\r\nhi\r\n.\r\nRCPT TO:<x@y.example>\r\nFOO\r\n",
        )
        .gives(
            vec![
                ok("Data hi\r\n"),
                ok("MessageEnd"),
                peer(100, "RCPT before MAIL (RFC 5321 §4.1.4)"),
                Err(Error::UnknownCommand { offset: 100 }),
            ],
            "354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Message accepted\r\n503 5.5.1 MAIL first\r\n500 5.5.2 unknown command at byte 100 (RFC 5321 section 4.2.4)\r\n",
        ),
        row(
            "offsets after BDAT content",
            full(),
            RCPT,
            b"BDAT 2 LAST\r\nhiRCPT TO:<x@y.example>\r\nFOO\r\n",
        )
        .gives(
            vec![
                ok("Data hi"),
                ok("MessageEnd"),
                peer(102, "RCPT before MAIL (RFC 5321 §4.1.4)"),
                Err(Error::UnknownCommand { offset: 102 }),
            ],
            "250 2.0.0 Message accepted\r\n503 5.5.1 MAIL first\r\n500 5.5.2 unknown command at byte 102 (RFC 5321 section 4.2.4)\r\n",
        ),
        // A pipelined group (RFC 2920) with refused lines inside: replies in order, each line
        // judged alone, under every split.
        row(
            "pipelined group with refused lines",
            full(),
            EHLO,
            b"MAIL FROM:<a@b.example>\r\nXYZZY\r\nRCPT TO:<x@y.example> X\0\r\nRCPT TO:<x@y.example>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n",
        )
        .gives(
            vec![
                ok("MAIL <a@b.example>"),
                Err(Error::UnknownCommand { offset: 41 }),
                syntax(
                    71,
                    "esmtp-param",
                    Found::Byte(0),
                    "parameters are separated by one SP, RFC 5321 §4.1.2",
                ),
                ok("RCPT <x@y.example>"),
                ok("Data hi\r\n"),
                ok("MessageEnd"),
                ok("Quit"),
            ],
            "250 2.1.0 Originator ok\r\n500 5.5.2 unknown command at byte 41 (RFC 5321 section 4.2.4)\r\n501 5.5.4 expected esmtp-param at byte 71, found 0x00 (parameters are separated by one SP, RFC 5321 section 4.1.2)\r\n250 2.1.5 Recipient ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Message accepted\r\n221 2.0.0 mx.example closing connection\r\n",
        ),
        // STARTTLS (RFC 3207 §4.2).
        row("STARTTLS then RSET in one read", full(), EHLO, b"STARTTLS\r\nRSET\r\n")
            .splits(Splits::Whole)
            .check(starttls_refused)
            .gives(
                vec![
                    peer(26, "bytes behind STARTTLS (RFC 3207 §4.2, RFC 2920 §3.1)"),
                ],
                "554 5.5.1 Error: command pipelining after STARTTLS\r\n",
            ),
        row("STARTTLS then RSET inside a transaction", full(), MAIL, b"STARTTLS\r\nRSET\r\n")
            .splits(Splits::Whole)
            .check(rset_never_ran)
            .gives(
                vec![peer(51, "bytes behind STARTTLS (RFC 3207 §4.2, RFC 2920 §3.1)")],
                "554 5.5.1 Error: command pipelining after STARTTLS\r\n",
            ),
        row("STARTTLS then part of a line", full(), EHLO, b"STARTTLS\r\nR")
            .splits(Splits::Whole)
            .check(starttls_refused)
            .gives(
                vec![
                    peer(26, "bytes behind STARTTLS (RFC 3207 §4.2, RFC 2920 §3.1)"),
                ],
                "554 5.5.1 Error: command pipelining after STARTTLS\r\n",
            ),
        row("STARTTLS with an argument", full(), EHLO, b"STARTTLS now\r\n")
            .gives(
                vec![
                    syntax(
                        24,
                        "CRLF",
                        Found::Byte(32),
                        "this command takes no argument, RFC 5321 §4.1.1",
                    ),
                ],
                "501 5.5.4 expected CRLF at byte 24, found 0x20 (this command takes no argument, RFC 5321 section 4.1.1)\r\n",
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

/// Prints what the code gives, for writing a row (`HOSTILE_PRINT=1`).
fn print_server(rows: &[ServerRow]) {
    for row in rows {
        let (seen, wire) = run_server_row_unchecked(row);
        println!("ROW {:?} {}", row.name, rust(&seen, &wire));
    }
}

fn run_server_row_unchecked(row: &ServerRow) -> (Vec<Seen>, Vec<u8>) {
    let (seen, wire, _) = feed(row, &[&row.input]);
    (seen, wire)
}

#[test]
fn hostile_table_server() {
    let rows = server_rows();
    assert!(rows.len() >= 60, "{} rows", rows.len());
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
    events: Vec<Seen>,
    /// What the client wrote in answer.
    sent: Vec<u8>,
    check: fn(&mut ClientSession),
}

fn client_label(e: &ClientEvent) -> String {
    match e {
        ClientEvent::Capabilities(c) => {
            let names: Vec<String> = c.iter().map(|c| c.to_line()).collect();
            runs(&format!(
                "Capabilities of {}: {}",
                c.domain(),
                names.join(",")
            ))
        }
        ClientEvent::Greeting(r) => format!("Greeting {r}"),
        e => format!("{e:?}"),
    }
}

fn client_feed(row: &ClientRow, pieces: &[&[u8]]) -> (Vec<Seen>, Vec<u8>, ClientSession) {
    let mut s = (row.setup)();
    let mut seen = Vec::new();
    let mut sent = Vec::new();
    for p in pieces {
        s.receive(p);
        loop {
            match s.poll_event() {
                Ok(Some(e)) => seen.push(Ok(client_label(&e))),
                Ok(None) => break,
                Err(e) => seen.push(Err(e)),
            }
        }
        while let Some(out) = s.poll_transmit() {
            sent.extend_from_slice(&out);
        }
    }
    (seen, sent, s)
}

fn client_session(leniency: Leniency) -> ClientSession {
    let mut config = ClientConfig::new(Domain::new("bar.com").unwrap());
    config.leniency = leniency;
    ClientSession::new(config)
}

/// Polls the events and takes the bytes written, which the row does not count.
fn settle(mut s: ClientSession) -> ClientSession {
    while let Ok(Some(_)) = s.poll_event() {}
    while s.poll_transmit().is_some() {}
    s
}

/// The greeting read, EHLO sent, its reply awaited.
fn ehlo_sent() -> ClientSession {
    let mut s = client_session(Leniency::strict());
    s.receive(b"220 foo.com ESMTP\r\n");
    settle(s)
}

fn ehlo_sent_lenient() -> ClientSession {
    let mut s = client_session(Leniency::strict().normalize_bare_line_ends(true));
    s.receive(b"220 foo.com ESMTP\r\n");
    settle(s)
}

/// Greeted by a server offering PIPELINING and STARTTLS.
fn greeted() -> ClientSession {
    let mut s = ehlo_sent();
    s.receive(b"250-foo.com\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
    settle(s)
}

/// STARTTLS sent, its reply awaited.
fn starttls_sent() -> ClientSession {
    let mut s = greeted();
    s.start_tls().unwrap();
    settle(s)
}

/// The 220 to STARTTLS read; TLS not up yet.
fn starttls_ready() -> ClientSession {
    let mut s = starttls_sent();
    s.receive(b"220 2.0.0 Ready\r\n");
    settle(s)
}

/// AUTH LOGIN sent (the server offers only LOGIN), its 334 awaited.
fn login_sent() -> ClientSession {
    let mut s = ehlo_sent();
    s.receive(b"250-foo.com\r\n250 AUTH LOGIN\r\n");
    let mut s = settle(s);
    s.authenticate("u", "p").unwrap();
    settle(s)
}

/// AUTH LOGIN's user name and password sent in answer to two 334s.
fn login_answered() -> ClientSession {
    let mut s = login_sent();
    s.receive(b"334 VXNlcm5hbWU6\r\n");
    let mut s = settle(s);
    s.receive(b"334 UGFzc3dvcmQ6\r\n");
    settle(s)
}

/// QUIT sent, its reply awaited.
fn quit_sent() -> ClientSession {
    let mut s = greeted();
    s.quit().unwrap();
    settle(s)
}

/// STARTTLS injection refused: nothing handed to TLS, the capabilities forgotten, the session
/// stopped.
fn injection_refused(s: &mut ClientSession) {
    assert!(s.take_remaining().is_empty());
    assert!(s.capabilities().is_none());
    assert!(s.tls_established().is_err());
    assert_eq!(s.poll_transmit(), None);
    assert!(!s.is_ready());
}

fn stopped(s: &mut ClientSession) {
    assert!(!s.is_ready());
    assert!(s.quit().is_err());
    assert_eq!(s.poll_transmit(), None);
}

fn crow(name: &'static str, setup: fn() -> ClientSession, input: &[u8]) -> ClientRow {
    ClientRow {
        name,
        setup,
        input: input.to_vec(),
        bytewise: true,
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

    fn check(mut self, check: fn(&mut ClientSession)) -> ClientRow {
        self.check = check;
        self
    }
}

fn client_rows() -> Vec<ClientRow> {
    let long = format!("250 {}\r\n", "x".repeat(507));
    let at_limit = format!("250 {}\r\n", "x".repeat(506));
    let mut many = Vec::new();
    for i in 0..64 {
        many.extend_from_slice(format!("250-line {i}\r\n").as_bytes());
    }
    let mut sixty_four = many.clone();
    sixty_four.truncate(many.len() - b"250-line 63\r\n".len());
    sixty_four.extend_from_slice(b"250 line 63\r\n");
    many.extend_from_slice(b"250 line 64\r\n");
    vec![
        // STARTTLS response injection (RFC 3207 §4.2; the 2021 "NO STARTTLS" findings).
        crow(
            "220 to STARTTLS with a reply behind it, one read",
            starttls_sent,
            b"220 Ready\r\n250-x\r\n250 AUTH LOGIN\r\n",
        )
        .whole_only()
        .check(injection_refused)
        .gives(
            vec![
                peer(
                    73,
                    "bytes behind the 220 to STARTTLS (RFC 3207 §4.2; response injection)",
                ),
            ],
            "",
        ),
        crow(
            "bytes after the 220 to STARTTLS, later read",
            starttls_ready,
            b"250-x\r\n250 AUTH LOGIN\r\n",
        )
        .check(injection_refused)
        .gives(
            vec![
                peer(
                    79,
                    "bytes after the 220 to STARTTLS, before TLS (RFC 3207 §4.2; response injection)",
                ),
            ],
            "",
        ),
        // Malformed replies (RFC 5321 §4.2, §4.5.3.1.5).
        crow(
            "mixed codes across lines",
            ehlo_sent,
            b"250-foo.com\r\n251 PIPELINING\r\n",
        )
        .gives(
            vec![
                syntax(
                    32,
                    "Reply-code",
                    Found::Byte(50),
                    "every line of a reply has the same code, RFC 5321 §4.2.1",
                ),
            ],
            "",
        ),
        crow("code out of range: 600", ehlo_sent, b"600 foo.com\r\n")
            .gives(
                vec![
                    syntax(
                        19,
                        "Reply-code",
                        Found::Byte(54),
                        "three digits, 2-5, 0-5, 0-9, RFC 5321 §4.2",
                    ),
                ],
                "",
            ),
        crow("code out of range: 199", ehlo_sent, b"199 foo.com\r\n")
            .gives(
                vec![
                    syntax(
                        19,
                        "Reply-code",
                        Found::Byte(49),
                        "three digits, 2-5, 0-5, 0-9, RFC 5321 §4.2",
                    ),
                ],
                "",
            ),
        crow("code out of range: 260", ehlo_sent, b"260 foo.com\r\n")
            .gives(
                vec![
                    syntax(
                        19,
                        "Reply-code",
                        Found::Byte(50),
                        "three digits, 2-5, 0-5, 0-9, RFC 5321 §4.2",
                    ),
                ],
                "",
            ),
        crow("two-digit code", ehlo_sent, b"25 foo.com\r\n")
            .gives(
                vec![
                    syntax(
                        19,
                        "Reply-code",
                        Found::Byte(50),
                        "three digits, 2-5, 0-5, 0-9, RFC 5321 §4.2",
                    ),
                ],
                "",
            ),
        crow("no separator after the code", ehlo_sent, b"250foo.com\r\n")
            .gives(
                vec![
                    syntax(
                        22,
                        "Reply-line",
                        Found::Byte(102),
                        "SP, \"-\" or the end of the line after the code, RFC 5321 §4.2",
                    ),
                ],
                "",
            ),
        crow("four-digit code", ehlo_sent, b"2500 foo.com\r\n")
            .gives(
                vec![
                    syntax(
                        22,
                        "Reply-line",
                        Found::Byte(48),
                        "SP, \"-\" or the end of the line after the code, RFC 5321 §4.2",
                    ),
                ],
                "",
            ),
        crow("SP and no text", ehlo_sent, b"250 \r\n")
            .gives(
                vec![
                    syntax(
                        23,
                        "textstring",
                        Found::End,
                        "text after the SP, or no SP, RFC 5321 §4.2",
                    ),
                ],
                "",
            ),
        crow("NUL in the text", ehlo_sent, b"250 foo\0.com\r\n")
            .gives(
                vec![
                    syntax(
                        26,
                        "textstring",
                        Found::Byte(0),
                        "tab, printable ASCII or UTF-8 in reply text, RFC 5321 §4.2",
                    ),
                ],
                "",
            ),
        crow("not UTF-8 in the text", ehlo_sent, b"250 foo\xff.com\r\n")
            .gives(
                vec![
                    syntax(
                        26,
                        "textstring",
                        Found::Byte(255),
                        "tab, printable ASCII or UTF-8 in reply text, RFC 5321 §4.2",
                    ),
                ],
                "",
            ),
        crow("reply line at the limit", ehlo_sent, at_limit.as_bytes())
            .check(|s| assert!(s.is_ready()))
            .gives(vec![ok("Capabilities of x×506: ")], ""),
        crow("reply line one over the limit", ehlo_sent, long.as_bytes())
            .gives(
                vec![
                    Err(Error::LineTooLong { offset: 19, what: "reply line", limit: 512 }),
                ],
                "",
            ),
        crow("64 reply lines", ehlo_sent, &sixty_four)
            .check(|s| assert!(s.is_ready()))
            .gives(
                vec![
                    ok("Capabilities of line: line 1,line 2,line 3,line 4,line 5,line 6,line 7,line 8,line 9,line 10,line 11,line 12,line 13,line 14,line 15,line 16,line 17,line 18,line 19,line 20,line 21,line 22,line 23,line 24,line 25,line 26,line 27,line 28,line 29,line 30,line 31,line 32,line 33,line 34,line 35,line 36,line 37,line 38,line 39,line 40,line 41,line 42,line 43,line 44,line 45,line 46,line 47,line 48,line 49,line 50,line 51,line 52,line 53,line 54,line 55,line 56,line 57,line 58,line 59,line 60,line 61,line 62,line 63"),
                ],
                "",
            ),
        crow("65 reply lines", ehlo_sent, &many)
            .gives(
                vec![
                    Err(Error::TooLarge { offset: 841, what: "reply lines", limit: 64 }),
                ],
                "",
            ),
        crow(
            "bare LF ending a reply line",
            ehlo_sent,
            b"250-foo.com\n250 PIPELINING\r\n",
        ).gives(vec![Err(Error::BareLineEnd { offset: 30, byte: 10 })], ""),
        crow(
            "bare LF, lenient",
            ehlo_sent_lenient,
            b"250-foo.com\n250 PIPELINING\n",
        )
        .check(|s| assert!(s.is_ready()))
        .gives(
            vec![
                ok("Capabilities of foo.com: PIPELINING"),
            ],
            "",
        ),
        crow(
            "bare CR inside a reply line",
            ehlo_sent,
            b"250 foo\r.com\r\n",
        ).gives(vec![Err(Error::BareLineEnd { offset: 26, byte: 13 })], ""),
        // Replies the command does not allow, or with no command (RFC 5321 §4.2, §4.3.2).
        crow(
            "a reply with no command outstanding",
            greeted,
            b"250 surprise\r\n",
        ).gives(vec![peer(62, "a reply with no command outstanding (RFC 5321 §4.2)")], ""),
        crow("354 to EHLO", ehlo_sent, b"354 go ahead\r\n")
            .gives(
                vec![
                    peer(33, "an EHLO reply that is not 250 or a failure (RFC 5321 §4.3.2)"),
                ],
                "",
            ),
        crow("221 to STARTTLS", starttls_sent, b"221 bye\r\n")
            .gives(
                vec![
                    peer(71, "a STARTTLS reply that is not 220 or a failure (RFC 3207 §4)"),
                ],
                "",
            ),
        // EHLO replies with a line that is no ehlo-line (RFC 5321 §4.1.1.1).
        crow(
            "EHLO reply with a keyword line that is not one",
            ehlo_sent,
            b"250-foo.com\r\n250 -X\r\n",
        )
        .gives(
            vec![
                peer(40, "an EHLO reply that does not parse (RFC 5321 §4.1.1.1)"),
            ],
            "",
        ),
        // An ehlo-line whose parameters the extension does not take: that extension is
        // ignored, the others kept, the session goes on (RFC 5321 §4.1.1.1, RFC 1869 §4.5).
        crow(
            "EHLO reply with SIZE abc: SIZE ignored",
            ehlo_sent,
            b"250-foo.com\r\n250-SIZE abc\r\n250 PIPELINING\r\n",
        )
        .check(|s| {
            assert!(s.is_ready());
            let caps = s.capabilities().unwrap();
            assert_eq!(caps.size(), None);
            assert!(caps.contains(&Capability::Pipelining));
        })
        .gives(
            vec![Ok("Capabilities of foo.com: PIPELINING".into())],
            "",
        ),
        crow(
            "EHLO reply with an empty line",
            ehlo_sent,
            b"250-foo.com\r\n250-\r\n250 PIPELINING\r\n",
        )
        .gives(
            vec![
                peer(54, "an EHLO reply that does not parse (RFC 5321 §4.1.1.1)"),
            ],
            "",
        ),
        // AUTH (RFC 4954 §4).
        crow("AUTH answered 250", login_sent, b"250 ok\r\n")
            .gives(
                vec![
                    peer(56, "an AUTH reply that is not 235, 334 or a failure (RFC 4954 §4)"),
                ],
                "",
            ),
        crow("a third 334 to LOGIN: cancelled with *", login_answered, b"334 \r\n")
            .check(|s| assert_eq!(s.outstanding(), 1))
            .gives(
                vec![],
                "*\r\n",
            ),
        // After QUIT (RFC 5321 §4.1.1.10).
        crow(
            "bytes after the 221 to QUIT",
            quit_sent,
            b"221 bye\r\n250 more\r\n",
        )
        .whole_only()
        .gives(
            vec![
                ok("Closed"),
                peer(
                    71,
                    "bytes after the 221 to QUIT or the end of the stream (RFC 5321 §4.1.1.10)",
                ),
            ],
            "",
        ),
    ]
}

fn print_client(rows: &[ClientRow]) {
    for row in rows {
        let (seen, sent, _) = client_feed(row, &[&row.input]);
        println!("ROW {:?} {}", row.name, rust(&seen, &sent));
    }
}

#[test]
fn hostile_table_client() {
    let rows = client_rows();
    assert!(rows.len() >= 20, "{} rows", rows.len());
    if std::env::var_os("HOSTILE_PRINT").is_some() {
        print_client(&rows);
        return;
    }
    for row in &rows {
        let (seen, sent, mut s) = client_feed(row, &[&row.input]);
        assert_eq!(seen, row.events, "{}: events", row.name);
        assert_eq!(sent, row.sent, "{}: sent", row.name);
        (row.check)(&mut s);
        if row.bytewise {
            let bytes: Vec<&[u8]> = row.input.chunks(1).collect();
            let (b_seen, b_sent, mut s) = client_feed(row, &bytes);
            assert_eq!((b_seen, b_sent), (seen, sent), "{}: byte by byte", row.name);
            (row.check)(&mut s);
        }
    }
}
