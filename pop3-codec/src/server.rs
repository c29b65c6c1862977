//! The sans-IO server session (RFC 1939 §3-§8, RFC 2449, RFC 5034, RFC 2595): commands in,
//! responses out, the states enforced. Feed it bytes, poll events, answer the login decisions,
//! poll bytes to write.
//!
//! | state | commands | RFC |
//! |---|---|---|
//! | AUTHORIZATION | USER, PASS, APOP, AUTH, STLS, UTF8, CAPA, QUIT | RFC 1939 §4, §7; RFC 5034; RFC 2595 §4; RFC 6856 §2 |
//! | TRANSACTION | STAT, LIST, RETR, DELE, NOOP, RSET, TOP, UIDL, CAPA, QUIT | RFC 1939 §5, §7; RFC 2449 §5 |
//! | UPDATE | (QUIT in TRANSACTION: the marked messages are deleted, `+OK`, the end) | RFC 1939 §6 |
//!
//! A command outside its state is answered `-ERR` and [`ServerSession::poll_event`] returns
//! [`Error::Peer`] (information: the session goes on). So is a message number that is deleted
//! or out of range (RFC 1939 §5). Once logged in, the session answers the TRANSACTION commands
//! itself from the [`Maildrop`] the application handed over with [`ServerSession::accept`].
//!
//! What the application decides: [`ServerEvent::Login`] (USER and PASS), [`ServerEvent::Apop`]
//! and [`ServerEvent::Auth`] / [`ServerEvent::AuthResponse`] each wait for exactly one answer:
//! [`ServerSession::accept`] with the user's maildrop, [`ServerSession::refuse`], or (for AUTH)
//! [`ServerSession::challenge`]. While a decision is awaited nothing more is read, so pipelined
//! commands (RFC 2449 §6.6) are answered strictly in order.
//!
//! STLS (RFC 2595 §4): if any byte follows the STLS line in the buffer when the session reads
//! it, the client pipelined plaintext behind it (those bytes would be taken as sent under TLS:
//! the CVE-2011-0411 class). The session answers `-ERR`, drops them and stays in the clear.
//! Otherwise it answers `+OK`, reports [`ServerEvent::StartTls`] and reads nothing more: what
//! arrives is the client's TLS handshake, handed back by [`ServerSession::take_remaining`].
//! [`ServerSession::tls_established`] then lets the session read the decrypted bytes.
//!
//! ```
//! use pop3_codec::server::{ServerConfig, ServerEvent, ServerSession, VecMaildrop};
//!
//! let drop = VecMaildrop::new(vec![b"Subject: one\r\n\r\n.hi\r\n".to_vec()]);
//! let mut s = ServerSession::new(ServerConfig::default());
//! s.receive(b"USER alice\r\nPASS secret\r\nSTAT\r\nRETR 1\r\nDELE 1\r\nQUIT\r\n");
//! assert_eq!(
//!     s.poll_event()?,
//!     Some(ServerEvent::Login { user: "alice".into(), password: "secret".into() })
//! );
//! s.accept(drop)?;
//! assert_eq!(s.poll_event()?, Some(ServerEvent::Quit));
//! let out: Vec<u8> = std::iter::from_fn(|| s.poll_transmit()).flatten().collect();
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     "+OK POP3 server ready\r\n+OK send PASS\r\n+OK maildrop has 1 message (21 octets)\r\n\
//!      +OK 1 21\r\n+OK 21 octets\r\nSubject: one\r\n\r\n..hi\r\n.\r\n+OK message 1 deleted\r\n\
//!      +OK 1 message deleted, bye\r\n"
//! );
//! # Ok::<(), pop3_codec::Error>(())
//! ```

use bytes::{Bytes, BytesMut};
use framing::text_line::ascii_text;
use framing::{Decoder, Encoder};

use crate::capability::{Capabilities, Capability};
use crate::codec::{CommandDecoder, ResponseEncoder};
use crate::command::Command;
use crate::error::Error;
use crate::leniency::Leniency;
use crate::limits::Limits;
use crate::response::{Challenge, Response, ResponseCode};
use crate::sasl::{AuthResponse, Mechanism};

/// The messages of one user, as the session reads and deletes them (RFC 1939 §5, §6). Messages
/// are numbered 1..=count when the session starts and keep their numbers until it ends.
pub trait Maildrop {
    /// How many messages there are.
    fn count(&self) -> u32;
    /// The size of message `msg` in octets, as [`Maildrop::read`] gives it (RFC 1939 §5).
    fn size(&self, msg: u32) -> u64;
    /// The unique id of message `msg`: 1 to 70 characters from 0x21 to 0x7E, the same across
    /// sessions (RFC 1939 §7).
    fn uid(&self, msg: u32) -> String;
    /// The content of message `msg`, lines ending in CRLF; `Err` with a reason for the `-ERR`.
    fn read(&mut self, msg: u32) -> Result<Bytes, String>;
    /// Deletes these messages, at the end of a session that QUIT (RFC 1939 §6); `Err` with a
    /// reason when some could not be removed.
    fn delete(&mut self, msgs: &[u32]) -> Result<(), String>;
}

/// A [`Maildrop`] in memory: the uid of a message is a hash of its content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VecMaildrop {
    messages: Vec<Option<Vec<u8>>>,
}

impl VecMaildrop {
    /// A maildrop holding these messages, numbered from 1.
    pub fn new(messages: Vec<Vec<u8>>) -> VecMaildrop {
        VecMaildrop {
            messages: messages.into_iter().map(Some).collect(),
        }
    }

    /// The messages left (deleted ones are `None`).
    pub fn messages(&self) -> &[Option<Vec<u8>>] {
        &self.messages
    }

    fn get(&self, msg: u32) -> Option<&Vec<u8>> {
        let i = usize::try_from(msg).ok()?.checked_sub(1)?;
        self.messages.get(i)?.as_ref()
    }
}

impl Maildrop for VecMaildrop {
    fn count(&self) -> u32 {
        u32::try_from(self.messages.len()).unwrap_or(u32::MAX)
    }

    fn size(&self, msg: u32) -> u64 {
        self.get(msg).map_or(0, |m| m.len() as u64)
    }

    fn uid(&self, msg: u32) -> String {
        // FNV-1a of the content and the number: stable for the same maildrop.
        let hash = self
            .get(msg)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
        format!("{msg}-{hash:016x}")
    }

    fn read(&mut self, msg: u32) -> Result<Bytes, String> {
        self.get(msg)
            .map(|m| Bytes::copy_from_slice(m))
            .ok_or_else(|| "no such message".into())
    }

    fn delete(&mut self, msgs: &[u32]) -> Result<(), String> {
        for &m in msgs {
            if let Some(slot) = usize::try_from(m)
                .ok()
                .and_then(|m| m.checked_sub(1))
                .and_then(|i| self.messages.get_mut(i))
            {
                *slot = None;
            }
        }
        Ok(())
    }
}

/// How a [`ServerSession`] behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The greeting's text after `+OK` (RFC 1939 §4).
    pub greeting: String,
    /// The APOP timestamp, `<...>` with its brackets (RFC 1939 §7): announced in the greeting,
    /// and APOP accepted, only when set. It must be unique per connection (a process id, a
    /// counter and the clock, `@` the host name).
    pub apop_timestamp: Option<String>,
    /// Accept USER and PASS (RFC 1939 §7), announced as the USER capability. Default true.
    pub user_pass: bool,
    /// SASL mechanisms accepted by AUTH (RFC 5034), announced as SASL. Default none.
    pub sasl: Vec<Mechanism>,
    /// Offer STLS (RFC 2595 §4): the caller has a TLS layer. Default false.
    pub stls: bool,
    /// Offer UTF8 (RFC 6856 §2). Default false.
    pub utf8: bool,
    /// The IMPLEMENTATION capability (RFC 2449 §6.9), if any.
    pub implementation: Option<String>,
    /// Decoder limits.
    pub limits: Limits,
    /// Relaxations, all off by default.
    pub leniency: Leniency,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            greeting: "POP3 server ready".into(),
            apop_timestamp: None,
            user_pass: true,
            sasl: Vec::new(),
            stls: false,
            utf8: false,
            implementation: None,
            limits: Limits::default(),
            leniency: Leniency::strict(),
        }
    }
}

/// What a [`ServerSession`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerEvent {
    /// USER then PASS (RFC 1939 §7): answer with accept (the user's maildrop) or refuse.
    Login {
        /// The name given with USER.
        user: String,
        /// The password given with PASS.
        password: String,
    },
    /// APOP (RFC 1939 §7): check `digest` against [`crate::apop_digest`] of the timestamp and
    /// the user's secret, then accept or refuse.
    Apop {
        /// The mailbox name.
        user: String,
        /// The digest sent.
        digest: [u8; 16],
        /// The timestamp of this connection's greeting.
        timestamp: String,
    },
    /// AUTH with a mechanism of [`ServerConfig::sasl`] (RFC 5034 §4): challenge, accept or
    /// refuse. PLAIN's initial response is read with [`crate::sasl_plain`].
    Auth {
        /// The mechanism.
        mechanism: Mechanism,
        /// The initial response, decoded, if given.
        initial: Option<Vec<u8>>,
    },
    /// The client's answer to a `+` challenge, decoded: challenge again, accept or refuse.
    AuthResponse(Vec<u8>),
    /// The client cancelled the AUTH exchange with `*`; the session answered `-ERR`.
    AuthCancelled,
    /// STLS was answered `+OK` (RFC 2595 §4): write what [`ServerSession::poll_transmit`]
    /// gives, start TLS with [`ServerSession::take_remaining`]'s bytes as its first input,
    /// then call [`ServerSession::tls_established`].
    StartTls,
    /// QUIT was answered (after the UPDATE state's deletions, RFC 1939 §6): write it and close.
    Quit,
    /// The client closed the connection (without QUIT: nothing was deleted, RFC 1939 §6).
    Closed,
}

/// What the application's answer is awaited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Login,
    Auth,
}

/// RFC 1939's session states.
#[derive(Debug)]
enum State<M> {
    /// Not logged in; the name of a USER accepted, if any.
    Authorization { user: Option<String> },
    /// Logged in: the maildrop, and which messages are marked deleted (index msg - 1).
    Transaction { drop: M, deleted: Vec<bool> },
    /// QUIT answered, or STLS switched: nothing more is read.
    Done,
}

/// A server's side of one POP3 connection (see the module docs).
#[derive(Debug)]
pub struct ServerSession<M> {
    config: ServerConfig,
    commands: CommandDecoder,
    encoder: ResponseEncoder,
    received: BytesMut,
    transmit: BytesMut,
    state: State<M>,
    awaiting: Option<Decision>,
    /// Reading AUTH responses after a `+`.
    in_auth: bool,
    tls: bool,
    /// STLS answered `+OK`: what arrives is the TLS handshake.
    switched: bool,
    quit: bool,
    peer_closed: bool,
    closed_reported: bool,
}

fn local(reason: &'static str) -> Error {
    Error::Local { reason }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

impl<M: Maildrop> ServerSession<M> {
    /// A session; the `+OK` greeting is queued (RFC 1939 §4).
    pub fn new(config: ServerConfig) -> ServerSession<M> {
        let mut s = ServerSession {
            commands: CommandDecoder::new(config.limits, config.leniency),
            encoder: ResponseEncoder::new(config.limits),
            received: BytesMut::new(),
            transmit: BytesMut::new(),
            state: State::Authorization { user: None },
            awaiting: None,
            in_auth: false,
            tls: false,
            switched: false,
            quit: false,
            peer_closed: false,
            closed_reported: false,
            config,
        };
        let greeting = match &s.config.apop_timestamp {
            Some(t) => format!("{} {t}", s.config.greeting),
            None => s.config.greeting.clone(),
        };
        s.queue(Response::ok(greeting));
        s
    }

    /// The capabilities announced by CAPA in the current state (RFC 2449 §5).
    pub fn capabilities(&self) -> Capabilities {
        let mut caps = vec![
            Capability::Top,
            Capability::Uidl,
            Capability::RespCodes,
            Capability::AuthRespCode,
            Capability::Pipelining,
        ];
        let authorization = matches!(self.state, State::Authorization { .. });
        if self.config.user_pass {
            caps.push(Capability::User);
        }
        if !self.config.sasl.is_empty() {
            caps.push(Capability::Sasl(self.config.sasl.clone()));
        }
        if self.config.stls && !self.tls && authorization {
            caps.push(Capability::Stls);
        }
        if self.config.utf8 {
            caps.push(Capability::Utf8 { user: true });
        }
        if let Some(i) = &self.config.implementation {
            caps.push(Capability::Implementation(i.clone()));
        }
        Capabilities(caps)
    }

    /// Bytes that arrived from the client.
    pub fn receive(&mut self, bytes: &[u8]) {
        if !self.quit {
            self.received.extend_from_slice(bytes);
        }
    }

    /// Bytes received and not read yet (for back-pressure).
    pub fn buffered(&self) -> usize {
        self.received.len()
    }

    /// The client closed its side of the connection.
    pub fn receive_eof(&mut self) {
        self.peer_closed = true;
    }

    /// The bytes to write to the client, if any.
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        (!self.transmit.is_empty()).then(|| self.transmit.split().freeze())
    }

    /// Whether the session is logged in (TRANSACTION state).
    pub fn is_authenticated(&self) -> bool {
        matches!(self.state, State::Transaction { .. })
    }

    /// Whether QUIT was answered: write what is left and close.
    pub fn is_closing(&self) -> bool {
        self.quit
    }

    /// After [`ServerEvent::StartTls`]: the bytes received since, the start of the client's TLS
    /// handshake. Empty before STLS was accepted.
    pub fn take_remaining(&mut self) -> Bytes {
        match self.switched {
            true => self.received.split().freeze(),
            false => Bytes::new(),
        }
    }

    /// The caller's TLS is up after [`ServerEvent::StartTls`]: the session reads the decrypted
    /// bytes given to [`ServerSession::receive`] from now on, still in AUTHORIZATION (RFC 2595
    /// §4). Bytes not taken with [`ServerSession::take_remaining`] are dropped.
    pub fn tls_established(&mut self) -> Result<(), Error> {
        if !self.switched {
            return Err(local("tls_established without an accepted STLS"));
        }
        self.switched = false;
        self.tls = true;
        self.state = State::Authorization { user: None };
        self.received.clear();
        self.commands = CommandDecoder::new(self.config.limits, self.config.leniency);
        Ok(())
    }

    /// Accepts the login awaited: the session enters TRANSACTION on `maildrop` (RFC 1939 §4).
    pub fn accept(&mut self, maildrop: M) -> Result<(), Error> {
        if self.awaiting.take().is_none() {
            return Err(local("accept with no login awaited"));
        }
        self.in_auth = false;
        let n = maildrop.count();
        let size: u64 = (1..=n).map(|m| maildrop.size(m)).sum();
        self.queue(Response::ok(format!(
            "maildrop has {} ({size} octets)",
            plural(n as usize, "message")
        )));
        // "maildrop has N message(s)" is what the examples of RFC 1939 §7 say; the size is ours.
        self.state = State::Transaction {
            drop: maildrop,
            deleted: vec![false; n as usize],
        };
        Ok(())
    }

    /// Refuses the login awaited with `-ERR [AUTH] text` (RFC 3206 §5); the session stays in
    /// AUTHORIZATION.
    pub fn refuse(&mut self, text: &str) -> Result<(), Error> {
        self.refuse_with(Response::err_with(ResponseCode::Auth, ascii_text(text)))
    }

    /// Refuses the login awaited with `response`, which must be `-ERR` (`[IN-USE]` for a locked
    /// maildrop, `[SYS/TEMP]`, ...; RFC 2449 §8, RFC 3206).
    pub fn refuse_with(&mut self, response: Response) -> Result<(), Error> {
        if response.ok {
            return Err(local("a refusal is -ERR"));
        }
        if self.awaiting.is_none() {
            return Err(local("refuse with no login awaited"));
        }
        self.send(&response)?;
        self.awaiting = None;
        self.in_auth = false;
        self.state = State::Authorization { user: None };
        Ok(())
    }

    /// Answers the AUTH awaited with a `+` challenge carrying `data` (RFC 5034 §4); the
    /// client's answer comes as [`ServerEvent::AuthResponse`].
    pub fn challenge(&mut self, data: &[u8]) -> Result<(), Error> {
        if self.awaiting != Some(Decision::Auth) {
            return Err(local("a challenge with no AUTH awaiting one"));
        }
        self.encoder
            .encode(&Challenge::encode(data), &mut self.transmit)?;
        self.awaiting = None;
        self.in_auth = true;
        Ok(())
    }

    fn send(&mut self, response: &Response) -> Result<(), Error> {
        self.encoder.encode(response, &mut self.transmit)
    }

    /// Queues a response the session built itself (its text made safe, cut to the limit).
    fn queue(&mut self, mut r: Response) {
        r.text = ascii_text(&r.text);
        r.text.truncate(400);
        if self.send(&r).is_err() {
            let bare = Response {
                text: String::new(),
                ..r
            };
            let _ = self.send(&bare);
        }
    }

    /// Answers `-ERR text` for a client that broke `reason`.
    fn refuse_self(&mut self, text: &str, reason: &'static str) -> Error {
        self.queue(Response::err(text));
        Error::Peer {
            offset: self.commands.position(),
            reason,
        }
    }

    fn closed_event(&mut self) -> Option<ServerEvent> {
        if self.peer_closed && !self.closed_reported && self.received.is_empty() {
            self.closed_reported = true;
            return Some(ServerEvent::Closed);
        }
        None
    }

    /// The next thing the application must know or decide, or `None` until more bytes arrive
    /// (or while a decision is awaited). An `Err` is a refused input, already answered; call
    /// again to go on.
    pub fn poll_event(&mut self) -> Result<Option<ServerEvent>, Error> {
        loop {
            if self.quit {
                self.received.clear();
                return Ok(self.closed_event());
            }
            if self.switched || self.awaiting.is_some() {
                return Ok(None);
            }
            if self.in_auth {
                match self.commands.decode_auth_response(&mut self.received) {
                    Ok(Some(AuthResponse::Cancel)) => {
                        self.in_auth = false;
                        self.queue(Response::err("AUTH cancelled"));
                        return Ok(Some(ServerEvent::AuthCancelled));
                    }
                    Ok(Some(response)) => {
                        self.awaiting = Some(Decision::Auth);
                        let data = response.data().unwrap_or_default();
                        return Ok(Some(ServerEvent::AuthResponse(data)));
                    }
                    Ok(None) if self.peer_closed && !self.received.is_empty() => {
                        // The client closed inside its answer: read what is left at the end of
                        // the stream below (an error, then Closed; nothing deleted, RFC 1939 §6).
                        self.in_auth = false;
                    }
                    Ok(None) => return Ok(self.closed_event()),
                    Err(e) => {
                        self.in_auth = false;
                        self.queue(Response::err(e.to_string()));
                        return Err(e);
                    }
                }
            }
            let decoded = match self.peer_closed {
                true => self.commands.decode_eof(&mut self.received),
                false => self.commands.decode(&mut self.received),
            };
            let command = match decoded {
                Ok(Some(c)) => c,
                Ok(None) => return Ok(self.closed_event()),
                // The client closed inside a line: there is nobody to answer, and the bytes
                // are consumed, so Closed comes next (without them it never came).
                Err(e @ Error::Truncated { .. }) => return Err(e),
                Err(e) => {
                    self.queue(Response::err(e.to_string()));
                    return Err(e);
                }
            };
            if let Some(event) = self.command(command)? {
                return Ok(Some(event));
            }
        }
    }

    /// Handles one command: an event for the application, `None` when answered here.
    fn command(&mut self, command: Command) -> Result<Option<ServerEvent>, Error> {
        match (&mut self.state, command) {
            (_, Command::Capa) => {
                let caps = self.capabilities();
                let status = Response::ok("Capability list follows");
                self.encoder.encode_multiline(
                    &status,
                    caps.to_content().as_bytes(),
                    &mut self.transmit,
                )?;
                Ok(None)
            }
            (State::Authorization { .. }, Command::Quit) => {
                self.queue(Response::ok("bye"));
                self.quit = true;
                Ok(Some(ServerEvent::Quit))
            }
            (State::Transaction { drop, deleted }, Command::Quit) => {
                // UPDATE (RFC 1939 §6): the marked messages go, then the answer.
                let marked: Vec<u32> = (1..)
                    .zip(deleted.iter())
                    .filter_map(|(m, d)| d.then_some(m))
                    .collect();
                let result = match marked.is_empty() {
                    true => Ok(()),
                    false => drop.delete(&marked),
                };
                let response = match result {
                    Ok(()) => {
                        Response::ok(format!("{} deleted, bye", plural(marked.len(), "message")))
                    }
                    Err(why) => Response::err_with(
                        ResponseCode::SysTemp,
                        format!("some messages not deleted: {why}"),
                    ),
                };
                self.queue(response);
                self.quit = true;
                self.state = State::Done;
                Ok(Some(ServerEvent::Quit))
            }
            (State::Authorization { .. }, c) => self.authorization(c),
            (State::Transaction { .. }, c) => self.transaction(c).map(|()| None),
            (State::Done, _) => Ok(None),
        }
    }

    fn authorization(&mut self, command: Command) -> Result<Option<ServerEvent>, Error> {
        let State::Authorization { user } = &mut self.state else {
            return Ok(None);
        };
        match command {
            Command::User(name) if self.config.user_pass => {
                *user = Some(name.as_str().to_owned());
                self.queue(Response::ok("send PASS"));
                Ok(None)
            }
            Command::Pass(password) if self.config.user_pass => match user.take() {
                Some(user) => {
                    self.awaiting = Some(Decision::Login);
                    Ok(Some(ServerEvent::Login {
                        user,
                        password: password.as_str().to_owned(),
                    }))
                }
                None => Err(self.refuse_self("USER first", "PASS without USER (RFC 1939 §7)")),
            },
            Command::Apop { name, digest } => match self.config.apop_timestamp.clone() {
                Some(timestamp) => {
                    self.awaiting = Some(Decision::Login);
                    Ok(Some(ServerEvent::Apop {
                        user: name.as_str().to_owned(),
                        digest,
                        timestamp,
                    }))
                }
                None => Err(self.refuse_self(
                    "APOP not supported",
                    "APOP without a timestamp in the greeting (RFC 1939 §7)",
                )),
            },
            Command::Auth {
                mechanism: None, ..
            } => {
                let list: String = self
                    .config
                    .sasl
                    .iter()
                    .map(|m| format!("{m}\r\n"))
                    .collect();
                self.encoder.encode_multiline(
                    &Response::ok("mechanisms follow"),
                    list.as_bytes(),
                    &mut self.transmit,
                )?;
                Ok(None)
            }
            Command::Auth {
                mechanism: Some(mechanism),
                initial,
            } => {
                if !self.config.sasl.iter().any(|m| m.is(mechanism.as_str())) {
                    return Err(self.refuse_self(
                        "unsupported SASL mechanism",
                        "an AUTH mechanism not announced (RFC 5034 §4)",
                    ));
                }
                self.awaiting = Some(Decision::Auth);
                Ok(Some(ServerEvent::Auth {
                    mechanism,
                    initial: initial.map(|i| i.decode()),
                }))
            }
            Command::Stls if self.config.stls && !self.tls => {
                if !self.received.is_empty() {
                    // RFC 2595 §4 / RFC 2449 §6.6: STLS ends a pipelined group; bytes behind it
                    // came in the clear and must never reach the TLS session. The error is at
                    // the end of the STLS line; the bytes dropped still count in later offsets.
                    let dropped = self.received.len() as u64;
                    self.received.clear();
                    let e = self.refuse_self(
                        "command pipelined behind STLS",
                        "bytes after STLS before TLS (RFC 2595 §4; the CVE-2011-0411 class)",
                    );
                    self.commands.consumed_elsewhere(dropped);
                    return Err(e);
                }
                self.queue(Response::ok("Begin TLS negotiation"));
                self.switched = true;
                Ok(Some(ServerEvent::StartTls))
            }
            Command::Utf8 if self.config.utf8 => {
                self.commands.set_utf8(true);
                self.queue(Response::ok("UTF8 enabled"));
                Ok(None)
            }
            Command::User(_)
            | Command::Pass(_)
            | Command::Stls
            | Command::Utf8
            | Command::Lang(_) => Err(self.refuse_self(
                "command not supported",
                "a command the server does not offer (RFC 2449 §5)",
            )),
            _ => Err(self.refuse_self(
                "command not valid in the AUTHORIZATION state",
                "a TRANSACTION command before login (RFC 1939 §3, §4)",
            )),
        }
    }

    /// Checks a message number: it exists and is not deleted (RFC 1939 §5).
    fn message(&mut self, msg: u32) -> Result<(), Error> {
        let State::Transaction { deleted, .. } = &self.state else {
            return Ok(());
        };
        match usize::try_from(msg)
            .ok()
            .and_then(|m| deleted.get(m.checked_sub(1)?))
        {
            Some(false) => Ok(()),
            Some(true) => Err(self.refuse_self(
                &format!("message {msg} already deleted"),
                "a deleted message (RFC 1939 §5)",
            )),
            None => Err(self.refuse_self(
                "no such message",
                "a message number out of range (RFC 1939 §5)",
            )),
        }
    }

    fn transaction(&mut self, command: Command) -> Result<(), Error> {
        let msg = match &command {
            Command::Retr(m) | Command::Dele(m) | Command::Top { msg: m, .. } => Some(*m),
            Command::List(m) | Command::Uidl(m) => *m,
            _ => None,
        };
        if let Some(msg) = msg {
            self.message(msg)?;
        }
        let State::Transaction { drop, deleted } = &mut self.state else {
            return Ok(());
        };
        let live = || {
            (1..)
                .zip(deleted.iter())
                .filter(|(_, d)| !**d)
                .map(|(m, _)| m)
        };
        let response = match command {
            Command::Stat => {
                let (n, size) = live().fold((0u64, 0u64), |(n, s), m| (n + 1, s + drop.size(m)));
                Response::ok(format!("{n} {size}"))
            }
            Command::List(Some(m)) => Response::ok(format!("{m} {}", drop.size(m))),
            Command::Uidl(Some(m)) => Response::ok(format!("{m} {}", drop.uid(m))),
            Command::List(None) | Command::Uidl(None) => {
                let uidl = matches!(command, Command::Uidl(_));
                let content: String = live()
                    .map(|m| match uidl {
                        true => format!("{m} {}\r\n", drop.uid(m)),
                        false => format!("{m} {}\r\n", drop.size(m)),
                    })
                    .collect();
                let status = Response::ok(plural(live().count(), "message"));
                self.encoder
                    .encode_multiline(&status, content.as_bytes(), &mut self.transmit)?;
                return Ok(());
            }
            Command::Retr(m) | Command::Top { msg: m, .. } => {
                let body = match drop.read(m) {
                    Ok(b) => b,
                    Err(why) => {
                        self.queue(Response::err_with(ResponseCode::SysTemp, why));
                        return Ok(());
                    }
                };
                let (status, content) = match command {
                    Command::Top { lines, .. } => {
                        (Response::ok("top of message follows"), top(&body, lines))
                    }
                    _ => (Response::ok(format!("{} octets", body.len())), body),
                };
                let written = self
                    .encoder
                    .encode_multiline(&status, &content, &mut self.transmit);
                if written.is_err() {
                    // Bare CR or LF in the stored message: it cannot be sent as it is (RFC
                    // 1939 §3), and the sizes would not match if it were normalised.
                    let why = "message has bare line ends";
                    self.queue(Response::err_with(ResponseCode::SysPerm, why));
                }
                return Ok(());
            }
            Command::Dele(m) => {
                if let Some(d) = usize::try_from(m)
                    .ok()
                    .and_then(|m| deleted.get_mut(m.checked_sub(1)?))
                {
                    *d = true;
                }
                Response::ok(format!("message {m} deleted"))
            }
            Command::Rset => {
                deleted.iter_mut().for_each(|d| *d = false);
                Response::ok(format!("maildrop has {}", plural(deleted.len(), "message")))
            }
            Command::Noop => Response::ok(""),
            // LANG is valid in TRANSACTION too (RFC 6856 §3): what is wrong is that this
            // server does not offer it, not the state.
            Command::Lang(_) => {
                return Err(self.refuse_self(
                    "command not supported",
                    "a command the server does not offer (RFC 2449 §5)",
                ));
            }
            _ => {
                return Err(self.refuse_self(
                    "command not valid in the TRANSACTION state",
                    "an AUTHORIZATION command after login (RFC 1939 §5)",
                ));
            }
        };
        self.queue(response);
        Ok(())
    }
}

/// The header, the blank line and `lines` lines of the body (RFC 1939 §7 TOP).
fn top(message: &Bytes, lines: u32) -> Bytes {
    let mut end = 0;
    let mut in_body = false;
    let mut body_lines = 0u32;
    while let Some(rest) = message.get(end..).filter(|r| !r.is_empty()) {
        if in_body && body_lines >= lines {
            break;
        }
        let len = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        if in_body {
            body_lines += 1;
        } else if matches!(rest.get(..len), Some(b"\r\n" | b"\n")) {
            in_body = true;
        }
        end += len;
    }
    message.slice(..end)
}

/// The session as the drivers of [`framing::blocking`] and `framing::tokio` run it.
impl<M: Maildrop> framing::Session for ServerSession<M> {
    type Event = ServerEvent;
    type Error = Error;

    fn receive(&mut self, bytes: &[u8]) {
        ServerSession::receive(self, bytes);
    }

    fn receive_eof(&mut self) {
        ServerSession::receive_eof(self);
    }

    fn poll_transmit(&mut self) -> Option<Bytes> {
        ServerSession::poll_transmit(self)
    }

    fn poll_event(&mut self) -> Result<Option<ServerEvent>, Error> {
        ServerSession::poll_event(self)
    }

    /// RFC 1939 §3: the inactivity autologout timer is at least 10 minutes.
    fn idle_timeout(&self) -> Option<std::time::Duration> {
        Some(std::time::Duration::from_secs(600))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_cuts_after_the_header() {
        let m = Bytes::from_static(b"A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\n");
        assert_eq!(&top(&m, 0)[..], b"A: 1\r\nB: 2\r\n\r\n");
        assert_eq!(&top(&m, 1)[..], b"A: 1\r\nB: 2\r\n\r\nl1\r\n");
        assert_eq!(&top(&m, 9)[..], &m[..]);
    }
}
