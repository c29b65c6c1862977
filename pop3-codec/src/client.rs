//! The sans-IO client session (RFC 1939, RFC 2449, RFC 5034, RFC 2595): commands out,
//! responses in, each response read as the command it answers says and turned into a typed
//! event.
//!
//! - The session waits for the `+OK` greeting (RFC 1939 §4) and keeps its APOP timestamp.
//! - Login: [`ClientSession::login`] (USER, then PASS once USER is accepted),
//!   [`ClientSession::apop`] (RFC 1939 §7, with the greeting's timestamp) or
//!   [`ClientSession::auth_plain`] (RFC 5034 with SASL PLAIN, RFC 4616). The outcome is
//!   [`ClientEvent::LoggedIn`] or [`ClientEvent::LoginFailed`]. TRANSACTION commands are refused
//!   locally until a login was sent.
//! - [`ClientSession::capa`] reads the capabilities; once they include PIPELINING (RFC 2449
//!   §6.6) commands are written without waiting for the answers before them, except the ones
//!   that change the state (USER, PASS, APOP, AUTH, STLS), which wait for the pipeline to drain.
//! - RETR and TOP stream the message as [`ClientEvent::Message`], [`ClientEvent::Data`] pieces
//!   (dot-unstuffed) and [`ClientEvent::MessageEnd`]; LIST and UIDL listings are read whole
//!   (bounded by [`crate::Limits::max_multiline_size`]) and typed.
//! - A `-ERR` to any other command is [`ClientEvent::Refused`] and the session goes on.
//! - STLS (RFC 2595 §4): after its `+OK`, any byte the server sent behind it, in the same read
//!   or before [`ClientSession::tls_established`], is response injection: [`Error::Peer`], the
//!   bytes are dropped, never handed to TLS, and the session stops. The capabilities are
//!   forgotten at the `+OK` (a client must ask again under TLS).
//! - A response that does not parse, or one with no command outstanding, stops the session
//!   ([`Error::Peer`] or the decoder's error, once; every later call refuses).
//!
//! ```
//! use pop3_codec::client::{ClientEvent, ClientSession};
//!
//! let mut s = ClientSession::default();
//! s.receive(b"+OK ready\r\n");
//! assert!(matches!(s.poll_event()?, Some(ClientEvent::Greeting(_))));
//! s.login("alice", "secret")?;
//! assert_eq!(&s.poll_transmit().unwrap()[..], b"USER alice\r\n");
//! s.receive(b"+OK\r\n");
//! assert_eq!(&s.poll_transmit().unwrap()[..], b"PASS secret\r\n");
//! s.receive(b"+OK 1 message\r\n");
//! assert!(matches!(s.poll_event()?, Some(ClientEvent::LoggedIn(_))));
//! s.retr(1)?;
//! s.receive(b"+OK\r\n..dot\r\n.\r\n");
//! assert_eq!(s.poll_event()?, Some(ClientEvent::Message { msg: 1 }));
//! assert_eq!(s.poll_event()?, Some(ClientEvent::Data(".dot\r\n".into())));
//! assert_eq!(s.poll_event()?, Some(ClientEvent::MessageEnd));
//! # Ok::<(), pop3_codec::Error>(())
//! ```

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use framing::{Decoder, Encoder};

use crate::apop::apop_digest;
use crate::capability::{Capabilities, Capability};
use crate::codec::{CommandEncoder, ResponseDecoder, ResponseEvent};
use crate::command::{Argument, Command};
use crate::error::Error;
use crate::leniency::Leniency;
use crate::limits::Limits;
use crate::response::Response;
use crate::sasl::{AuthResponse, InitialResponse, Mechanism, sasl_plain_message};

/// How a [`ClientSession`] reads responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClientConfig {
    /// Decoder limits.
    pub limits: Limits,
    /// Relaxations, all off by default.
    pub leniency: Leniency,
}

/// What a [`ClientSession`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientEvent {
    /// The `+OK` greeting (RFC 1939 §4).
    Greeting(Response),
    /// The CAPA response, typed (RFC 2449 §5).
    Capabilities(Capabilities),
    /// PASS, APOP or AUTH accepted: the session is in TRANSACTION (RFC 1939 §4).
    LoggedIn(Response),
    /// USER, PASS, APOP or AUTH refused (`[AUTH]`, `[IN-USE]`, ... in its code, RFC 2449 §8).
    LoginFailed(Response),
    /// The answer to STAT (RFC 1939 §5).
    Stat {
        /// Messages in the maildrop.
        count: u32,
        /// Their size in octets.
        size: u64,
    },
    /// The answer to LIST: message numbers and sizes (one entry for `LIST msg`).
    Listing(Vec<(u32, u64)>),
    /// The answer to UIDL: message numbers and unique ids (one entry for `UIDL msg`).
    UniqueIds(Vec<(u32, String)>),
    /// RETR or TOP accepted: the content of message `msg` follows.
    Message {
        /// The message number.
        msg: u32,
    },
    /// A piece of the message, dot-unstuffed, lines ending in CRLF.
    Data(Bytes),
    /// The end of the message.
    MessageEnd,
    /// DELE accepted (RFC 1939 §5): the message goes at QUIT.
    Deleted(u32),
    /// NOOP, RSET or UTF8 accepted.
    Done(Response),
    /// A `-ERR` to a command other than a login.
    Refused {
        /// The command refused.
        command: Command,
        /// The server's response.
        response: Response,
    },
    /// The `+OK` to STLS (RFC 2595 §4): start TLS now, then call
    /// [`ClientSession::tls_established`].
    StartTlsReady,
    /// The `+OK` to QUIT (the deletions are done, RFC 1939 §6), or the server closed the
    /// connection with nothing outstanding.
    Closed,
}

/// A command written and not answered yet.
#[derive(Debug, Clone)]
struct Pending {
    command: Command,
    /// The multi-line content read so far (listings), or `None` when streamed or single-line.
    content: Option<Gathered>,
    /// The status line was read; content follows.
    started: bool,
}

/// A listing's content as it arrives: a first piece kept as the decoder split it off the input
/// (no copy: the whole listing when it came in one read), later pieces appended to a copy.
#[derive(Debug, Clone, Default)]
struct Gathered {
    first: Bytes,
    more: Option<BytesMut>,
}

impl Gathered {
    fn push(&mut self, piece: Bytes) {
        match &mut self.more {
            Some(all) => all.extend_from_slice(&piece),
            None if self.first.is_empty() => self.first = piece,
            None => {
                let mut all = BytesMut::with_capacity(self.first.len() + piece.len());
                all.extend_from_slice(&self.first);
                all.extend_from_slice(&piece);
                self.first = Bytes::new();
                self.more = Some(all);
            }
        }
    }

    fn finish(self) -> Bytes {
        match self.more {
            Some(all) => all.freeze(),
            None => self.first,
        }
    }
}

/// A client's side of one POP3 connection (see the module docs).
#[derive(Debug, Clone)]
pub struct ClientSession {
    decoder: ResponseDecoder,
    encoder: CommandEncoder,
    received: BytesMut,
    transmit: BytesMut,
    events: VecDeque<ClientEvent>,
    error: Option<Error>,
    greeting: Option<Response>,
    capabilities: Option<Capabilities>,
    /// Commands given and not written yet (waiting for the pipeline to drain).
    unsent: VecDeque<(Command, Bytes)>,
    pending: VecDeque<Pending>,
    /// The password for the PASS that follows an accepted USER.
    password: Option<Argument>,
    login_sent: bool,
    logged_in: bool,
    tls_pending: bool,
    quit_sent: bool,
    closed: bool,
    failed: bool,
}

impl Default for ClientSession {
    fn default() -> Self {
        ClientSession::new(ClientConfig::default())
    }
}

/// Whether `command` changes the state, so it waits for every answer before it and nothing is
/// written behind it before its own answer (RFC 2449 §6.6, RFC 2595 §4).
fn exclusive(command: &Command) -> bool {
    matches!(
        command,
        Command::User(_)
            | Command::Pass(_)
            | Command::Apop { .. }
            | Command::Auth { .. }
            | Command::Stls
    )
}

impl ClientSession {
    /// A session that waits for the server's greeting.
    pub fn new(config: ClientConfig) -> ClientSession {
        ClientSession {
            decoder: ResponseDecoder::new(config.limits, config.leniency),
            encoder: CommandEncoder::new(config.limits),
            received: BytesMut::new(),
            transmit: BytesMut::new(),
            events: VecDeque::new(),
            error: None,
            greeting: None,
            capabilities: None,
            unsent: VecDeque::new(),
            pending: VecDeque::new(),
            password: None,
            login_sent: false,
            logged_in: false,
            tls_pending: false,
            quit_sent: false,
            closed: false,
            failed: false,
        }
    }

    /// The greeting, once read.
    pub fn greeting(&self) -> Option<&Response> {
        self.greeting.as_ref()
    }

    /// The capabilities read by the last CAPA (`None` before one, and from the `+OK` to STLS on).
    pub fn capabilities(&self) -> Option<&Capabilities> {
        self.capabilities.as_ref()
    }

    /// Whether a login was accepted.
    pub fn is_logged_in(&self) -> bool {
        self.logged_in
    }

    /// Commands given and not answered yet (written or waiting to be).
    pub fn outstanding(&self) -> usize {
        self.pending.len() + self.unsent.len() + usize::from(self.password.is_some())
    }

    fn usable(&self) -> Result<(), Error> {
        if self.failed || self.closed || self.quit_sent || self.tls_pending {
            return Err(Error::Local {
                reason: "the session has ended, or waits for TLS",
            });
        }
        if self.greeting.is_none() {
            return Err(Error::Local {
                reason: "no greeting yet (RFC 1939 §4)",
            });
        }
        Ok(())
    }

    fn authorization(&self) -> Result<(), Error> {
        self.usable()?;
        if self.login_sent || self.logged_in {
            return Err(Error::Local {
                reason: "already logged in, or a login is under way (RFC 1939 §4)",
            });
        }
        Ok(())
    }

    fn transaction(&self) -> Result<(), Error> {
        self.usable()?;
        if !self.login_sent && !self.logged_in {
            return Err(Error::Local {
                reason: "a TRANSACTION command before login (RFC 1939 §5)",
            });
        }
        Ok(())
    }

    /// Queues `command` and writes what may be written.
    fn submit(&mut self, command: Command) -> Result<(), Error> {
        // Encoded now, so a command that cannot be written is refused to its caller.
        let line = self.line(&command)?;
        self.unsent.push_back((command, line));
        self.write_unsent();
        Ok(())
    }

    /// `command`'s line, CRLF included.
    fn line(&mut self, command: &Command) -> Result<Bytes, Error> {
        let mut line = BytesMut::new();
        self.encoder.encode(command, &mut line)?;
        Ok(line.freeze())
    }

    /// Writes the commands the pipeline allows (RFC 2449 §6.6).
    fn write_unsent(&mut self) {
        let pipelining = self
            .capabilities
            .as_ref()
            .is_some_and(|c| c.contains(&Capability::Pipelining));
        while let Some((next, _)) = self.unsent.front() {
            let blocked = match self.pending.back() {
                None => false,
                Some(last) => !pipelining || exclusive(next) || exclusive(&last.command),
            };
            // USER is exclusive, so nothing passes it while it is answered, and PASS goes to the
            // front once it is. Waiting on the password here too kept a USER queued behind CAPA
            // (or UTF8, STLS) from ever being written (RFC 2449 §6.6 lockstep, not a deadlock).
            if blocked {
                return;
            }
            let Some((command, line)) = self.unsent.pop_front() else {
                return;
            };
            self.write(command, &line);
        }
    }

    fn write(&mut self, command: Command, line: &[u8]) {
        self.transmit.extend_from_slice(line);
        self.decoder.expect(&command);
        let content = matches!(
            command,
            Command::List(None) | Command::Uidl(None) | Command::Capa
        )
        .then(Gathered::default);
        self.pending.push_back(Pending {
            command,
            content,
            started: false,
        });
    }

    /// Sends CAPA (RFC 2449 §5).
    pub fn capa(&mut self) -> Result<(), Error> {
        self.usable()?;
        self.submit(Command::Capa)
    }

    /// Sends STLS (RFC 2595 §4); refused locally once logged in.
    pub fn stls(&mut self) -> Result<(), Error> {
        self.authorization()?;
        self.submit(Command::Stls)
    }

    /// Sends UTF8 (RFC 6856 §2), before login.
    pub fn utf8(&mut self) -> Result<(), Error> {
        self.authorization()?;
        self.submit(Command::Utf8)
    }

    /// Logs in with USER and PASS (RFC 1939 §7); PASS goes once USER is accepted.
    pub fn login(&mut self, user: &str, password: &str) -> Result<(), Error> {
        self.authorization()?;
        let user = Argument::new(user)?;
        let password = Argument::with_spaces(password)?;
        self.submit(Command::User(user))?;
        self.password = Some(password);
        self.login_sent = true;
        Ok(())
    }

    /// Logs in with APOP (RFC 1939 §7): the digest of the greeting's timestamp and `secret`.
    /// Refused locally when the greeting had no timestamp.
    pub fn apop(&mut self, user: &str, secret: &str) -> Result<(), Error> {
        self.authorization()?;
        let Some(timestamp) = self.greeting.as_ref().and_then(Response::timestamp) else {
            return Err(Error::Local {
                reason: "the greeting has no APOP timestamp (RFC 1939 §7)",
            });
        };
        let digest = apop_digest(timestamp, secret);
        self.submit(Command::Apop {
            name: Argument::new(user)?,
            digest,
        })?;
        self.login_sent = true;
        Ok(())
    }

    /// Logs in with AUTH PLAIN and an initial response (RFC 5034 §4, RFC 4616).
    pub fn auth_plain(&mut self, user: &str, password: &str) -> Result<(), Error> {
        self.authorization()?;
        if user.contains('\0') || password.contains('\0') {
            return Err(Error::Local {
                reason: "a NUL in a credential (RFC 4616 §2)",
            });
        }
        self.submit(Command::Auth {
            mechanism: Some(Mechanism::new("PLAIN")?),
            initial: Some(InitialResponse::encode(&sasl_plain_message(user, password))),
        })?;
        self.login_sent = true;
        Ok(())
    }

    /// Sends STAT (RFC 1939 §5).
    pub fn stat(&mut self) -> Result<(), Error> {
        self.transaction()?;
        self.submit(Command::Stat)
    }

    /// Sends LIST, for one message or all (RFC 1939 §5).
    pub fn list(&mut self, msg: Option<u32>) -> Result<(), Error> {
        self.transaction()?;
        self.submit(Command::List(msg))
    }

    /// Sends UIDL, for one message or all (RFC 1939 §7).
    pub fn uidl(&mut self, msg: Option<u32>) -> Result<(), Error> {
        self.transaction()?;
        self.submit(Command::Uidl(msg))
    }

    /// Sends RETR (RFC 1939 §5).
    pub fn retr(&mut self, msg: u32) -> Result<(), Error> {
        self.transaction()?;
        self.submit(Command::Retr(msg))
    }

    /// Sends TOP (RFC 1939 §7).
    pub fn top(&mut self, msg: u32, lines: u32) -> Result<(), Error> {
        self.transaction()?;
        self.submit(Command::Top { msg, lines })
    }

    /// Sends DELE (RFC 1939 §5).
    pub fn dele(&mut self, msg: u32) -> Result<(), Error> {
        self.transaction()?;
        self.submit(Command::Dele(msg))
    }

    /// Sends RSET (RFC 1939 §5).
    pub fn rset(&mut self) -> Result<(), Error> {
        self.transaction()?;
        self.submit(Command::Rset)
    }

    /// Sends NOOP (RFC 1939 §5).
    pub fn noop(&mut self) -> Result<(), Error> {
        self.transaction()?;
        self.submit(Command::Noop)
    }

    /// Sends QUIT (RFC 1939 §6): in TRANSACTION the server deletes the marked messages.
    pub fn quit(&mut self) -> Result<(), Error> {
        self.usable()?;
        self.submit(Command::Quit)?;
        self.quit_sent = true;
        Ok(())
    }

    /// The bytes the server sent after the `+OK` to STLS, for the TLS layer: always empty,
    /// since bytes there are response injection, an error, and are dropped.
    pub fn take_remaining(&mut self) -> Bytes {
        Bytes::new()
    }

    /// TLS is up after [`ClientEvent::StartTlsReady`]: responses are read from the decrypted
    /// bytes from now on; send CAPA again for the capabilities under TLS.
    pub fn tls_established(&mut self) -> Result<(), Error> {
        if !self.tls_pending || self.failed {
            return Err(Error::Local {
                reason: "TLS established without a +OK to STLS (RFC 2595 §4)",
            });
        }
        self.tls_pending = false;
        Ok(())
    }

    /// Bytes to write to the server, if any.
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        (!self.transmit.is_empty()).then(|| self.transmit.split().freeze())
    }

    /// The next event, then the error that stopped the session (once), then `None`.
    pub fn poll_event(&mut self) -> Result<Option<ClientEvent>, Error> {
        if let Some(e) = self.events.pop_front() {
            return Ok(Some(e));
        }
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(None),
        }
    }

    fn fail(&mut self, error: Error) {
        if !self.failed {
            self.failed = true;
            self.error = Some(error);
        }
        self.received.clear();
    }

    fn peer(&mut self, reason: &'static str) {
        let offset = self.decoder.position();
        self.fail(Error::Peer { offset, reason });
    }

    /// Feeds bytes from the server; the responses are handled at once.
    pub fn receive(&mut self, bytes: &[u8]) {
        if self.failed || bytes.is_empty() {
            return;
        }
        if self.tls_pending {
            return self
                .peer("bytes after the +OK to STLS, before TLS (RFC 2595 §4; response injection)");
        }
        if self.closed {
            return self.peer("bytes after the +OK to QUIT (RFC 1939 §6)");
        }
        self.received.extend_from_slice(bytes);
        self.process(false);
    }

    /// The server closed the connection.
    pub fn receive_eof(&mut self) {
        if self.failed || self.closed {
            return;
        }
        self.process(true);
        if self.failed {
            return;
        }
        if !self.pending.is_empty() || self.greeting.is_none() {
            let offset = self.decoder.position();
            // Content is handed out as it arrives, so nothing may be left to read when the
            // stream ends inside a multi-line response: say so rather than "the wait".
            let inside = match self.decoder.in_content() {
                true => "a multi-line response",
                false => "the wait for a response",
            };
            return self.fail(Error::Truncated { offset, inside });
        }
        self.closed = true;
        self.events.push_back(ClientEvent::Closed);
    }

    fn process(&mut self, eof: bool) {
        while !self.failed && !self.closed && !self.received.is_empty() {
            if self.greeting.is_some() && self.pending.is_empty() {
                return self.peer("a response with no command outstanding (RFC 1939 §3)");
            }
            let next = match eof {
                true => self.decoder.decode_eof(&mut self.received),
                false => self.decoder.decode(&mut self.received),
            };
            match next {
                Ok(Some(event)) => self.handle(event),
                Ok(None) => return,
                Err(e) => return self.fail(e),
            }
        }
    }

    fn handle(&mut self, event: ResponseEvent) {
        if self.greeting.is_none() {
            return match event {
                ResponseEvent::Status(r) if r.ok => {
                    self.greeting = Some(r.clone());
                    self.events.push_back(ClientEvent::Greeting(r));
                }
                _ => self.peer("a greeting that is not +OK (RFC 1939 §4)"),
            };
        }
        match event {
            ResponseEvent::Status(response) => self.status(response),
            ResponseEvent::Challenge(_) => {
                // PLAIN's credentials went with AUTH: a challenge gets `*` (RFC 5034 §4).
                let mut out = BytesMut::new();
                match self.encoder.encode(&AuthResponse::Cancel, &mut out) {
                    Ok(()) => self.transmit.extend_from_slice(&out),
                    Err(e) => self.fail(e),
                }
            }
            ResponseEvent::Data(piece) => match self.pending.front_mut() {
                Some(Pending {
                    content: Some(buf), ..
                }) => buf.push(piece),
                Some(_) => self.events.push_back(ClientEvent::Data(piece)),
                None => self.peer("content with no command outstanding"),
            },
            ResponseEvent::End => self.end(),
        }
    }

    fn status(&mut self, response: Response) {
        let Some(p) = self.pending.front_mut() else {
            return self.peer("a response with no command outstanding (RFC 1939 §3)");
        };
        let command = p.command.clone();
        if response.ok && command.has_multiline_answer() {
            p.started = true;
            if let Command::Retr(msg) | Command::Top { msg, .. } = command {
                self.events.push_back(ClientEvent::Message { msg });
            }
            return;
        }
        self.pending.pop_front();
        self.answered(command, response);
        self.write_unsent();
    }

    /// A single-line response (or a multi-line one refused) to `command`.
    fn answered(&mut self, command: Command, response: Response) {
        let ok = response.ok;
        let event = match command {
            Command::User(_) if ok => {
                if let Some(password) = self.password.take() {
                    let pass = Command::Pass(password);
                    match self.line(&pass) {
                        Ok(line) => self.unsent.push_front((pass, line)),
                        Err(e) => self.fail(e),
                    }
                }
                return;
            }
            Command::User(_) | Command::Pass(_) | Command::Apop { .. } | Command::Auth { .. } => {
                self.password = None;
                self.login_sent = false;
                self.logged_in = ok;
                match ok {
                    true => ClientEvent::LoggedIn(response),
                    false => ClientEvent::LoginFailed(response),
                }
            }
            Command::Stat if ok => match stat(&response.text) {
                Some((count, size)) => ClientEvent::Stat { count, size },
                None => return self.peer("a STAT answer that is not 'count size' (RFC 1939 §5)"),
            },
            Command::List(Some(_)) if ok => match scan_line(&response.text) {
                Some(entry) => ClientEvent::Listing(vec![entry]),
                None => return self.peer("a LIST answer that is not 'msg size' (RFC 1939 §5)"),
            },
            Command::Uidl(Some(_)) if ok => match uid_line(&response.text) {
                Some(entry) => ClientEvent::UniqueIds(vec![entry]),
                None => {
                    return self.peer("a UIDL answer that is not 'msg unique-id' (RFC 1939 §7)");
                }
            },
            Command::Dele(msg) if ok => ClientEvent::Deleted(msg),
            Command::Stls if ok => {
                self.capabilities = None;
                self.tls_pending = true;
                if !self.received.is_empty() {
                    return self
                        .peer("bytes behind the +OK to STLS (RFC 2595 §4; response injection)");
                }
                ClientEvent::StartTlsReady
            }
            Command::Quit if ok => {
                self.closed = true;
                if !self.received.is_empty() {
                    self.events.push_back(ClientEvent::Closed);
                    return self.peer("bytes after the +OK to QUIT (RFC 1939 §6)");
                }
                ClientEvent::Closed
            }
            Command::Noop | Command::Rset | Command::Utf8 if ok => ClientEvent::Done(response),
            command if !ok => ClientEvent::Refused { command, response },
            _ => return self.peer("a +OK that does not fit its command"),
        };
        self.events.push_back(event);
    }

    /// The `.CRLF` of a multi-line response.
    fn end(&mut self) {
        let Some(p) = self.pending.pop_front() else {
            return self.peer("the end of a multi-line response with no command outstanding");
        };
        let content = p.content.map(Gathered::finish).unwrap_or_default();
        let event = match p.command {
            Command::Retr(_) | Command::Top { .. } => ClientEvent::MessageEnd,
            Command::Capa => match Capabilities::decode(&content, 0) {
                Ok(caps) => {
                    self.capabilities = Some(caps.clone());
                    ClientEvent::Capabilities(caps)
                }
                Err(_) => return self.peer("a CAPA line that does not parse (RFC 2449 §9)"),
            },
            Command::List(None) => match listing(&content, scan_line) {
                Some(list) => ClientEvent::Listing(list),
                None => return self.peer("a LIST line that is not 'msg size' (RFC 1939 §5)"),
            },
            Command::Uidl(None) => match listing(&content, uid_line) {
                Some(list) => ClientEvent::UniqueIds(list),
                None => return self.peer("a UIDL line that is not 'msg unique-id' (RFC 1939 §7)"),
            },
            // AUTH or LANG listings: nothing this session asks for.
            _ => ClientEvent::Done(Response::ok("")),
        };
        self.events.push_back(event);
        self.write_unsent();
    }
}

/// `count size` (RFC 1939 §5 STAT): the first two words; servers may add text after them.
fn stat(text: &str) -> Option<(u32, u64)> {
    let (count, rest) = first_word(text);
    let (size, _) = first_word(rest?);
    Some((u32::try_from(number(count)?).ok()?, number(size)?))
}

/// `msg size` (RFC 1939 §5 scan listing).
fn scan_line(text: &str) -> Option<(u32, u64)> {
    let (msg, size) = stat(text)?;
    (msg > 0).then_some((msg, size))
}

/// `msg unique-id` (RFC 1939 §7): the id is 1 to 70 characters from 0x21 to 0x7E (so no SP
/// follows it).
fn uid_line(text: &str) -> Option<(u32, String)> {
    let (msg, uid) = first_word(text);
    let msg = u32::try_from(number(msg)?).ok().filter(|&m| m > 0)?;
    let uid = uid?;
    // Without an early exit the check is branch-free and vectorised.
    let bad = uid
        .bytes()
        .fold(false, |bad, b| bad | !(0x21..=0x7e).contains(&b));
    let valid = (1..=70).contains(&uid.len()) && !bad;
    valid.then(|| (msg, uid.to_owned()))
}

/// The text up to its first SP, and what follows that SP (`None` without one).
fn first_word(text: &str) -> (&str, Option<&str>) {
    match memchr::memchr(b' ', text.as_bytes()) {
        Some(i) => (text.get(..i).unwrap_or_default(), text.get(i + 1..)),
        None => (text, None),
    }
}

/// A decimal number of one or more digits, `None` past `u64::MAX`.
fn number(word: &str) -> Option<u64> {
    if word.is_empty() {
        return None;
    }
    word.bytes().try_fold(0u64, |n, b| {
        let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// The lines of a listing (each ending in CRLF, the last CRLF optional), each parsed by `line`.
fn listing<T>(content: &[u8], line: fn(&str) -> Option<T>) -> Option<Vec<T>> {
    let text = std::str::from_utf8(content).ok()?;
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', content).count());
    let mut at = 0;
    // Every LF preceded by a CR ends a line (the matches of CRLF cannot overlap); `end` is a
    // char boundary (CR is ASCII).
    for lf in memchr::memchr_iter(b'\n', content) {
        let Some(end) = lf
            .checked_sub(1)
            .filter(|&cr| content.get(cr) == Some(&b'\r'))
        else {
            continue;
        };
        out.push(line(text.get(at..end)?)?);
        at = lf + 1;
    }
    if at < text.len() {
        out.push(line(text.get(at..)?)?);
    }
    Some(out)
}

/// The session as the drivers of [`framing::blocking`] and `framing::tokio` run it.
impl framing::Session for ClientSession {
    type Event = ClientEvent;
    type Error = Error;

    fn receive(&mut self, bytes: &[u8]) {
        ClientSession::receive(self, bytes);
    }

    fn receive_eof(&mut self) {
        ClientSession::receive_eof(self);
    }

    fn poll_transmit(&mut self) -> Option<Bytes> {
        ClientSession::poll_transmit(self)
    }

    fn poll_event(&mut self) -> Result<Option<ClientEvent>, Error> {
        ClientSession::poll_event(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greeted() -> ClientSession {
        let mut s = ClientSession::default();
        s.receive(b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n");
        assert!(matches!(s.poll_event(), Ok(Some(ClientEvent::Greeting(_)))));
        s
    }

    fn drain(s: &mut ClientSession) -> Vec<Result<ClientEvent, Error>> {
        let mut out = Vec::new();
        loop {
            match s.poll_event() {
                Ok(Some(e)) => out.push(Ok(e)),
                Ok(None) => return out,
                Err(e) => out.push(Err(e)),
            }
        }
    }

    #[test]
    fn rfc1939_apop_session() {
        let mut s = greeted();
        s.apop("mrose", "tanstaaf").unwrap();
        assert_eq!(
            &s.poll_transmit().unwrap()[..],
            b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"
        );
        s.receive(b"+OK mrose's maildrop has 2 messages (320 octets)\r\n");
        s.stat().unwrap();
        s.list(None).unwrap();
        assert_eq!(&s.poll_transmit().unwrap()[..], b"STAT\r\n");
        s.receive(b"+OK 2 320\r\n");
        assert_eq!(&s.poll_transmit().unwrap()[..], b"LIST\r\n");
        s.receive(b"+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n");
        let events = drain(&mut s);
        assert!(matches!(events[0], Ok(ClientEvent::LoggedIn(_))));
        assert_eq!(
            events[1],
            Ok(ClientEvent::Stat {
                count: 2,
                size: 320
            })
        );
        assert_eq!(
            events[2],
            Ok(ClientEvent::Listing(vec![(1, 120), (2, 200)]))
        );
    }

    #[test]
    fn pipelining_after_capa() {
        let mut s = greeted();
        s.capa().unwrap();
        s.receive(b"+OK\r\nPIPELINING\r\nUIDL\r\n.\r\n");
        s.login("a", "b").unwrap();
        s.receive(b"+OK\r\n");
        s.receive(b"+OK\r\n");
        s.uidl(None).unwrap();
        s.retr(1).unwrap();
        s.dele(1).unwrap();
        s.quit().unwrap();
        let sent: Vec<u8> = std::iter::from_fn(|| s.poll_transmit()).flatten().collect();
        assert_eq!(
            sent,
            b"CAPA\r\nUSER a\r\nPASS b\r\nUIDL\r\nRETR 1\r\nDELE 1\r\nQUIT\r\n"
        );
        s.receive(
            b"+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n.\r\n+OK\r\nhi\r\n.\r\n+OK\r\n+OK bye\r\n",
        );
        let events = drain(&mut s);
        assert_eq!(events.len(), 8, "{events:?}");
        assert_eq!(
            events[2],
            Ok(ClientEvent::UniqueIds(vec![(
                1,
                "whqtswO00WBw418f9t5JxYwZ".into()
            )]))
        );
        assert_eq!(events[7], Ok(ClientEvent::Closed));
    }

    #[test]
    fn stls_injection() {
        let mut s = greeted();
        s.stls().unwrap();
        s.receive(b"+OK Begin TLS\r\n+OK\r\nPLAIN\r\n.\r\n");
        let events = drain(&mut s);
        assert!(
            matches!(events.last(), Some(Err(Error::Peer { .. }))),
            "{events:?}"
        );
        assert!(s.capabilities().is_none());
        assert!(s.take_remaining().is_empty());
        assert!(s.tls_established().is_err());
    }

    #[test]
    fn local_refusals() {
        let mut s = greeted();
        assert!(s.retr(1).is_err());
        s.login("a", "b").unwrap();
        assert!(s.login("a", "b").is_err());
        assert!(s.retr(1).is_ok());
        assert!(ClientSession::default().capa().is_err());
    }
}
