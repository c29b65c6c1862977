//! The sans-IO server session (RFC 5321 §3, §4.1.4, §4.3.2): commands in, replies out, with the
//! command order enforced. Feed it bytes, poll events, answer the decisions, poll bytes to
//! write.
//!
//! What the session answers by itself (no event needs an answer for these):
//!
//! | situation | reply | RFC |
//! |---|---|---|
//! | connection opened | `220 <hostname> ESMTP` | RFC 5321 §4.3.1 |
//! | EHLO / HELO | 250 with the capabilities / the hostname; resets the transaction | RFC 5321 §4.1.1.1, §4.1.4 |
//! | RSET, NOOP, HELP | 250, 250, 214 (RSET anywhere, even before EHLO) | RFC 5321 §4.1.1.5, .8, .9 |
//! | VRFY, EXPN | 252 (cannot verify), 502 | RFC 5321 §3.5.3, §7.3 |
//! | QUIT | 221; nothing after it is read | RFC 5321 §4.1.1.10 |
//! | unknown command, line too long, bare CR or LF | 500 | RFC 5321 §4.2.4, §4.5.3.1.10, §2.3.8 |
//! | bad arguments or parameters | 501 | RFC 5321 §4.3.2 |
//! | a MAIL or RCPT parameter of an extension not announced (`BODY=7BIT` always allowed) | 555 | RFC 5321 §4.1.1.11 |
//! | MAIL before EHLO/HELO or inside a transaction, RCPT before MAIL, DATA/BDAT before MAIL, AUTH twice or in a transaction | 503 | RFC 5321 §4.1.4, §3.3, RFC 4954 §4 |
//! | DATA/BDAT after MAIL with no recipient accepted | 554 | RFC 5321 §3.3 |
//! | DATA after `BODY=BINARYMIME` | 503 | RFC 3030 §3 |
//! | a UTF-8 recipient when MAIL had no `SMTPUTF8` | 553 | RFC 6531 §3.5 |
//! | a recipient over `max_recipients` | 452 | RFC 5321 §4.5.3.1.8, §4.5.3.1.10 |
//! | `SIZE=` over the limit; content over the limit | 552 (at MAIL; after the end of the content) | RFC 1870 §6, RFC 5321 §4.5.3.1.10 |
//! | DATA | 354, then the content is read (dot-unstuffed, [`crate::data`]) | RFC 5321 §4.1.1.4 |
//! | a BDAT chunk that is not LAST | 250 once its octets are read ([`crate::bdat`]) | RFC 3030 §2 |
//! | STARTTLS not advertised, or already in TLS; AUTH not advertised | 502 / 503 | RFC 3207 §4, RFC 4954 §4 |
//! | STARTTLS with bytes behind it in the buffer | 554, those bytes dropped | RFC 3207 §4.2, CVE-2011-0411 |
//! | STARTTLS | 220, then nothing more is read in the clear | RFC 3207 §4 |
//! | AUTH cancelled with `*` | 501 | RFC 4954 §4 |
//! | an AUTH initial response or a response to 334 that is not base64 | 501 5.5.2 | RFC 4954 §4, §6 |
//!
//! What the application decides: [`ServerEvent::Mail`], [`ServerEvent::Rcpt`],
//! [`ServerEvent::MessageEnd`], [`ServerEvent::Auth`] and [`ServerEvent::AuthResponse`] each
//! wait for exactly one answer, [`ServerSession::accept`], [`ServerSession::accept_with`],
//! [`ServerSession::refuse`] or (for AUTH) [`ServerSession::challenge`]. While a decision is
//! awaited, [`ServerSession::poll_event`] reads nothing more and returns `Ok(None)`: pipelined
//! commands (RFC 2920) stay in the buffer until then, so the replies go out strictly in command
//! order and each command is judged against the state its predecessors left. The session
//! buffers whatever it is given: a caller that stops reading the socket while
//! [`ServerSession::buffered`] is large keeps a flooding client in check.
//!
//! [`ServerSession::poll_event`] returning `Err` is information, not a failure: the client's
//! input was refused (a syntax error, or [`Error::Peer`] for a command out of order), the
//! session has queued the reply and goes on with the next command. [`Error::Local`] comes only
//! from the application's own calls out of turn.
//!
//! STARTTLS (RFC 3207): if any byte follows the STARTTLS line in the buffer when the session
//! reads it, the client broke RFC 3207 §4.2 / RFC 2920 §3.1 (STARTTLS ends a pipelined group):
//! those bytes were sent in the clear and would be taken as sent under TLS (CVE-2011-0411). The
//! session answers `554 5.5.1` and drops them, and stays in the clear (the client may try
//! STARTTLS again). That is the `reject` policy of Momentum's `starttls_injection_policy`
//! (which also drops the connection: the caller may close after this error); Postfix's fix
//! instead discards the buffered bytes and goes on with TLS. Either way the bytes never reach
//! the TLS session. Otherwise the session answers `220`, reports [`ServerEvent::StartTls`], and
//! from then on reads nothing: whatever arrives is the client's TLS handshake, handed back by
//! [`ServerSession::take_remaining`]. Once the caller's TLS is up,
//! [`ServerSession::tls_established`] forgets EHLO, the transaction and AUTH (RFC 3207 §4.2),
//! and the caller feeds the decrypted bytes to the same session.
//!
//! ```
//! use smtp_codec::{Domain, ServerConfig, ServerEvent, ServerSession};
//!
//! let mut s = ServerSession::new(ServerConfig::new(Domain::new("mx.example")?));
//! s.receive(b"EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nDATA\r\n");
//! assert!(matches!(s.poll_event()?, Some(ServerEvent::Hello { extended: true, .. })));
//! assert!(matches!(s.poll_event()?, Some(ServerEvent::Mail { .. })));
//! s.accept()?;
//! assert!(matches!(s.poll_event()?, Some(ServerEvent::Rcpt { .. })));
//! s.accept()?;
//! assert_eq!(s.poll_event()?, None); // DATA answered 354; the content has not come yet
//! s.receive(b"Hi\r\n.\r\nQUIT\r\n");
//! assert_eq!(s.poll_event()?, Some(ServerEvent::Data("Hi\r\n".into())));
//! assert_eq!(s.poll_event()?, Some(ServerEvent::MessageEnd));
//! s.accept()?;
//! assert_eq!(s.poll_event()?, Some(ServerEvent::Quit));
//! let out = s.poll_transmit().unwrap();
//! assert!(out.starts_with(b"220 mx.example ESMTP\r\n250-mx.example\r\n250-PIPELINING\r\n"));
//! assert!(out.ends_with(b"250 2.1.0 Originator ok\r\n250 2.1.5 Recipient ok\r\n354 End data \
//!     with <CR><LF>.<CR><LF>\r\n250 2.0.0 Message accepted\r\n221 2.0.0 mx.example closing \
//!     connection\r\n"));
//! # Ok::<(), smtp_codec::Error>(())
//! ```

use bytes::{Buf, Bytes, BytesMut};
use framing::{Decoder, Encoder};

use crate::auth::{AuthResponse, InitialResponse, Mechanism, base64_encode};
use crate::bdat::{BdatDecoder, BdatEvent};
use crate::capability::{Capabilities, Capability};
use crate::codec::{CommandDecoder, ReplyEncoder};
use crate::command::Command;
use crate::data::{DataDecoder, DataEvent};
use crate::domain::Domain;
use crate::error::Error;
use crate::leniency::Leniency;
use crate::limits::Limits;
use crate::param::{Body, Parameter};
use crate::path::{ForwardPath, ReversePath};
use crate::reply::Reply;

/// How a [`ServerSession`] behaves (RFC 5321 §4.5.3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The server's name, in the greeting and the EHLO reply (RFC 5321 §4.3.1, §4.1.1.1).
    pub hostname: Domain,
    /// The extensions announced in the EHLO reply (STARTTLS is left out once in TLS, RFC 3207
    /// §4.2). STARTTLS, AUTH and CHUNKING are accepted only when listed here.
    pub capabilities: Vec<Capability>,
    /// Decoder limits; `max_message_size` is also the limit a `SIZE=` parameter is checked
    /// against (RFC 1870 §6).
    pub limits: Limits,
    /// Relaxations, all off by default.
    pub leniency: Leniency,
    /// Recipients accepted per transaction (RFC 5321 §4.5.3.1.8: at least 100). Default 100.
    pub max_recipients: usize,
}

impl ServerConfig {
    /// Defaults for `hostname`: PIPELINING, 8BITMIME and ENHANCEDSTATUSCODES announced, the
    /// default limits, strict, 100 recipients.
    pub fn new(hostname: Domain) -> ServerConfig {
        ServerConfig {
            hostname,
            capabilities: vec![
                Capability::Pipelining,
                Capability::EightBitMime,
                Capability::EnhancedStatusCodes,
            ],
            limits: Limits::default(),
            leniency: Leniency::strict(),
            max_recipients: 100,
        }
    }
}

/// What a [`ServerSession`] reports (see the module docs for which wait for an answer).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerEvent {
    /// EHLO (`extended`) or HELO was answered (RFC 5321 §4.1.1.1); for the application's log.
    Hello {
        /// The client's domain or address literal.
        domain: Domain,
        /// EHLO rather than HELO.
        extended: bool,
    },
    /// `MAIL FROM` (RFC 5321 §4.1.1.2): answer with accept (250) or refuse.
    Mail {
        /// The reverse-path.
        from: ReversePath,
        /// Its parameters.
        params: Vec<Parameter>,
    },
    /// `RCPT TO` (RFC 5321 §4.1.1.3): answer with accept (250) or refuse.
    Rcpt {
        /// The forward-path.
        to: ForwardPath,
        /// Its parameters.
        params: Vec<Parameter>,
    },
    /// A piece of the message content, unstuffed (RFC 5321 §4.1.1.4, RFC 3030 §2).
    Data(Bytes),
    /// The content ended (`<CRLF>.<CRLF>` or the LAST chunk): answer with accept (250) or refuse.
    MessageEnd,
    /// The content was refused (bare line end, long line, over the size limit); the session has
    /// answered with [`Error::reply_code`] and ended the transaction: drop the pieces stored.
    MessageRefused(Error),
    /// `AUTH` (RFC 4954 §4): answer with challenge (334), accept (235) or refuse.
    Auth {
        /// The mechanism, one of those announced.
        mechanism: Mechanism,
        /// The initial response, if given.
        initial: Option<InitialResponse>,
    },
    /// The client's answer to a 334 challenge, decoded: challenge again, accept or refuse.
    AuthResponse(Vec<u8>),
    /// The client cancelled the AUTH exchange with `*`; the session answered 501.
    AuthCancelled,
    /// STARTTLS was answered 220 (RFC 3207 §4): write what [`ServerSession::poll_transmit`]
    /// gives, start TLS with [`ServerSession::take_remaining`]'s bytes as its first input, then
    /// call [`ServerSession::tls_established`].
    StartTls,
    /// QUIT was answered 221: write it and close.
    Quit,
    /// The client closed the connection.
    Closed,
}

/// What the application's answer is awaited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Mail,
    Rcpt,
    Message,
    Auth,
}

/// What [`ServerSession::poll_event`] does next.
enum Step {
    Return(Option<ServerEvent>),
    Continue,
    ReadCommand,
}

/// The content being read.
#[derive(Debug, Clone)]
enum Content {
    None,
    Data(DataDecoder),
    Bdat(BdatDecoder),
    /// A refused BDAT chunk's octets, skipped; then `reply` is sent and `error` reported.
    Skip {
        remaining: u64,
        reply: Reply,
        error: Error,
    },
}

/// A server's side of one SMTP connection (see the module docs).
#[derive(Debug, Clone)]
pub struct ServerSession {
    config: ServerConfig,
    commands: CommandDecoder,
    encoder: ReplyEncoder,
    received: BytesMut,
    transmit: BytesMut,
    /// EHLO or HELO answered.
    hello: bool,
    /// MAIL accepted.
    mail: bool,
    /// Recipients accepted in this transaction.
    rcpts: usize,
    /// The transaction's MAIL said SMTPUTF8 (RFC 6531 §3.4).
    smtputf8: bool,
    /// The transaction's MAIL said BODY=BINARYMIME: BDAT only (RFC 3030 §3).
    binary: bool,
    authenticated: bool,
    /// Reading AUTH responses after a 334.
    in_auth: bool,
    tls: bool,
    content: Content,
    /// The content was refused with this error; reported at its end.
    content_error: Option<Error>,
    /// The size of the BDAT chunk being read.
    chunk_size: u64,
    awaiting: Option<Decision>,
    /// STARTTLS answered 220: nothing more is read.
    switched: bool,
    quit: bool,
    peer_closed: bool,
    closed_reported: bool,
}

fn reply(code: u16, text: &str) -> Reply {
    Reply::new(code, [text]).unwrap_or_else(|_| Reply::from_parsed(code, String::new()))
}

fn local(reason: &'static str) -> Error {
    Error::Local { reason }
}

/// The reply to a refused input: its code, an enhanced code, the error's text. An AUTH
/// response or initial response that is not base64 is `501 5.5.2` (RFC 4954 §6: "Cannot
/// Base64-decode Client responses").
fn error_reply(e: &Error) -> Reply {
    let code = e.reply_code();
    let base64 = matches!(
        e,
        Error::Syntax {
            production: "auth-response" | "initial-response",
            ..
        }
    );
    let enhanced = match code {
        500 => "5.5.2",
        501 if base64 => "5.5.2",
        501 => "5.5.4",
        552 => "5.3.4",
        _ => "4.3.0",
    };
    // Reply text is ASCII (RFC 5321 §4.2 textstring) whatever the client negotiated.
    let text = framing::text_line::ascii_text(&format!("{enhanced} {e}"));
    if text.len() <= 400 {
        if let Ok(r) = Reply::new(code, [text]) {
            return r;
        }
    }
    reply(code, &format!("{enhanced} refused"))
}

impl ServerSession {
    /// A session; the 220 greeting is queued (RFC 5321 §4.3.1).
    pub fn new(config: ServerConfig) -> ServerSession {
        let mut s = ServerSession {
            commands: CommandDecoder::new(config.limits, config.leniency),
            encoder: ReplyEncoder::new(config.limits),
            received: BytesMut::new(),
            transmit: BytesMut::new(),
            hello: false,
            mail: false,
            rcpts: 0,
            smtputf8: false,
            binary: false,
            authenticated: false,
            in_auth: false,
            tls: false,
            content: Content::None,
            content_error: None,
            chunk_size: 0,
            awaiting: None,
            switched: false,
            quit: false,
            peer_closed: false,
            closed_reported: false,
            config,
        };
        let greeting = format!("{} ESMTP", s.config.hostname);
        s.queue(reply(220, &greeting));
        s
    }

    /// Bytes that arrived from the client.
    pub fn receive(&mut self, bytes: &[u8]) {
        if !self.quit {
            self.received.extend_from_slice(bytes);
        }
    }

    /// Bytes received and not read yet (for back-pressure: stop reading the socket while this
    /// is large, e.g. while a decision is awaited).
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

    /// Whether the session is in TLS (after [`ServerSession::tls_established`]).
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Whether an AUTH exchange succeeded on this connection (since the last TLS start).
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// Whether QUIT was answered: write what is left and close.
    pub fn is_closing(&self) -> bool {
        self.quit
    }

    /// After [`ServerEvent::StartTls`]: the bytes received since, the start of the client's TLS
    /// handshake (RFC 3207 §4). Empty before STARTTLS was accepted: bytes buffered behind a
    /// STARTTLS are refused, never handed back.
    pub fn take_remaining(&mut self) -> Bytes {
        if self.switched {
            self.received.split().freeze()
        } else {
            Bytes::new()
        }
    }

    /// The caller's TLS is up after [`ServerEvent::StartTls`]: the session goes back to its
    /// initial state, EHLO needed again, no transaction, not authenticated (RFC 3207 §4.2), and
    /// reads the decrypted bytes given to [`ServerSession::receive`] from now on. Bytes not
    /// taken with [`ServerSession::take_remaining`] are dropped. No greeting is sent.
    pub fn tls_established(&mut self) -> Result<(), Error> {
        if !self.switched {
            return Err(local("tls_established without an accepted STARTTLS"));
        }
        self.switched = false;
        self.tls = true;
        self.hello = false;
        self.authenticated = false;
        self.reset_transaction();
        self.received.clear();
        self.commands = CommandDecoder::new(self.config.limits, self.config.leniency);
        Ok(())
    }

    /// Accepts the decision awaited with the default reply: `250 2.1.0` (MAIL), `250 2.1.5`
    /// (RCPT), `250 2.0.0` (the message), `235 2.7.0` (AUTH, RFC 4954 §6).
    pub fn accept(&mut self) -> Result<(), Error> {
        let r = match self.awaiting {
            Some(Decision::Mail) => reply(250, "2.1.0 Originator ok"),
            Some(Decision::Rcpt) => reply(250, "2.1.5 Recipient ok"),
            Some(Decision::Message) => reply(250, "2.0.0 Message accepted"),
            Some(Decision::Auth) => reply(235, "2.7.0 Authentication successful"),
            None => return Err(local("accept with no decision awaited")),
        };
        self.accept_with(r)
    }

    /// Accepts the decision awaited with `reply`, which must be 2yz (RFC 5321 §4.2.1; 235 for
    /// AUTH, RFC 4954 §6).
    pub fn accept_with(&mut self, reply: Reply) -> Result<(), Error> {
        let Some(decision) = self.awaiting else {
            return Err(local("accept with no decision awaited"));
        };
        if !reply.is_positive() || (decision == Decision::Auth && reply.code() != 235) {
            return Err(local(
                "an acceptance is 2yz (235 for AUTH) (RFC 5321 §4.2.1, RFC 4954 §6)",
            ));
        }
        self.send(reply)?;
        self.awaiting = None;
        match decision {
            Decision::Mail => self.mail = true,
            Decision::Rcpt => self.rcpts += 1,
            Decision::Message => self.reset_transaction(),
            Decision::Auth => {
                self.in_auth = false;
                self.authenticated = true;
            }
        }
        Ok(())
    }

    /// Refuses the decision awaited with `reply`, which must be 4yz or 5yz (RFC 5321 §4.2.1).
    /// A refused message ends the transaction; a refused AUTH ends the exchange.
    pub fn refuse(&mut self, reply: Reply) -> Result<(), Error> {
        let Some(decision) = self.awaiting else {
            return Err(local("refuse with no decision awaited"));
        };
        if !matches!(reply.code() / 100, 4 | 5) {
            return Err(local("a refusal is 4yz or 5yz (RFC 5321 §4.2.1)"));
        }
        self.send(reply)?;
        self.awaiting = None;
        match decision {
            Decision::Message => self.reset_transaction(),
            Decision::Auth => self.in_auth = false,
            Decision::Mail | Decision::Rcpt => {}
        }
        Ok(())
    }

    /// Answers the AUTH decision awaited with a `334` challenge carrying `data` in base64
    /// (RFC 4954 §4); the client's answer comes as [`ServerEvent::AuthResponse`].
    pub fn challenge(&mut self, data: &[u8]) -> Result<(), Error> {
        if self.awaiting != Some(Decision::Auth) {
            return Err(local("a 334 challenge with no AUTH awaiting one"));
        }
        self.send(Reply::new(334, [base64_encode(data)])?)?;
        self.awaiting = None;
        self.in_auth = true;
        Ok(())
    }

    /// Writes `reply`, refusing one that breaks the limits.
    fn send(&mut self, reply: Reply) -> Result<(), Error> {
        self.encoder.encode(&reply, &mut self.transmit)
    }

    /// Queues a reply the session built itself (always within the limits; else a bare one).
    fn queue(&mut self, r: Reply) {
        if self.encoder.encode(&r, &mut self.transmit).is_err() {
            let bare = reply(r.code(), "");
            let _ = self.encoder.encode(&bare, &mut self.transmit);
        }
    }

    fn reset_transaction(&mut self) {
        self.mail = false;
        self.rcpts = 0;
        self.smtputf8 = false;
        self.binary = false;
        self.content = Content::None;
        self.content_error = None;
    }

    fn has(&self, c: &Capability) -> bool {
        self.config.capabilities.contains(c)
    }

    /// Whether the extension a MAIL or RCPT parameter belongs to was announced (RFC 5321
    /// §4.1.1.11: a parameter of any other is answered 555).
    fn announces(&self, p: &Parameter) -> bool {
        let caps = &self.config.capabilities;
        match p {
            Parameter::Size(_) => caps.iter().any(|c| matches!(c, Capability::Size(_))),
            Parameter::Body(Body::SevenBit) => true,
            Parameter::Body(Body::EightBitMime) => self.has(&Capability::EightBitMime),
            Parameter::Body(Body::BinaryMime) => self.has(&Capability::BinaryMime),
            Parameter::SmtpUtf8 => self.has(&Capability::SmtpUtf8),
            Parameter::Auth(_) => !self.advertised_mechanisms().is_empty(),
            Parameter::Ret(_)
            | Parameter::EnvId(_)
            | Parameter::Notify(_)
            | Parameter::Orcpt { .. } => self.has(&Capability::Dsn),
            Parameter::RequireTls => self.has(&Capability::RequireTls),
            p => self.config.capabilities.iter().any(|c| {
                matches!(c, Capability::Other { keyword, .. } if keyword.eq_ignore_ascii_case(p.keyword()))
            }),
        }
    }

    fn advertised_mechanisms(&self) -> &[Mechanism] {
        self.config
            .capabilities
            .iter()
            .find_map(|c| match c {
                Capability::Auth(m) => Some(m.as_slice()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Refuses with `code` for breaking `reason`.
    fn refuse_self(&mut self, code: u16, text: &str, reason: &'static str) -> Error {
        self.queue(reply(code, text));
        self.peer(reason)
    }

    /// The client broke `reason`; the offset is the end of the command line read last.
    fn peer(&self, reason: &'static str) -> Error {
        Error::Peer {
            offset: self.commands.position(),
            reason,
        }
    }

    /// `Closed`, once, when the client has closed and nothing is left to read.
    fn closed_event(&mut self) -> Option<ServerEvent> {
        if self.peer_closed && !self.closed_reported && self.received.is_empty() {
            self.closed_reported = true;
            return Some(ServerEvent::Closed);
        }
        None
    }

    /// The next thing the application must know or decide, or `None` until more bytes arrive
    /// (or while a decision is awaited). An `Err` is a refused input, already answered; call
    /// again to go on (see the module docs).
    pub fn poll_event(&mut self) -> Result<Option<ServerEvent>, Error> {
        loop {
            if self.quit {
                self.received.clear();
                return Ok(self.closed_event());
            }
            if self.switched || self.awaiting.is_some() {
                return Ok(None);
            }
            let step = match &self.content {
                Content::Data(_) => self.step_data()?,
                Content::Bdat(_) => self.step_bdat()?,
                Content::Skip { .. } => self.step_skip()?,
                Content::None => Step::ReadCommand,
            };
            match step {
                Step::Return(event) => return Ok(event),
                Step::Continue => {}
                Step::ReadCommand if self.in_auth => return self.poll_auth_response(),
                Step::ReadCommand => {
                    let decoded = if self.peer_closed {
                        self.commands.decode_eof(&mut self.received)
                    } else {
                        self.commands.decode(&mut self.received)
                    };
                    match decoded {
                        Ok(Some(command)) => {
                            if let Some(event) = self.command(command)? {
                                return Ok(Some(event));
                            }
                        }
                        Ok(None) => return Ok(self.closed_event()),
                        Err(e @ Error::Truncated { .. }) => return Err(e),
                        Err(e) => {
                            self.queue(error_reply(&e));
                            return Err(e);
                        }
                    }
                }
            }
        }
    }

    /// The content decoders took bytes from the buffer, which held `before`: the command
    /// decoder counts them, so the offsets of the commands after the content are stream offsets.
    fn content_consumed(&mut self, before: usize) {
        let taken = before.saturating_sub(self.received.len());
        self.commands.consumed_elsewhere(taken as u64);
    }

    /// Skips a refused BDAT chunk's octets, then answers it.
    fn step_skip(&mut self) -> Result<Step, Error> {
        let Content::Skip { remaining, .. } = &mut self.content else {
            return Ok(Step::Continue);
        };
        let n =
            usize::try_from(*remaining).map_or(self.received.len(), |r| r.min(self.received.len()));
        self.received.advance(n);
        *remaining -= n as u64;
        self.commands.consumed_elsewhere(n as u64);
        if *remaining > 0 {
            if self.peer_closed {
                self.content = Content::None;
                return Ok(Step::Return(self.closed_event()));
            }
            return Ok(Step::Return(None));
        }
        let Content::Skip { reply, error, .. } =
            std::mem::replace(&mut self.content, Content::None)
        else {
            return Ok(Step::Continue);
        };
        self.queue(reply);
        Err(error)
    }

    fn poll_auth_response(&mut self) -> Result<Option<ServerEvent>, Error> {
        match self.commands.decode_auth_response(&mut self.received) {
            Ok(Some(AuthResponse::Cancel)) => {
                self.in_auth = false;
                self.queue(reply(501, "5.7.0 Authentication cancelled"));
                Ok(Some(ServerEvent::AuthCancelled))
            }
            Ok(Some(r)) => {
                self.awaiting = Some(Decision::Auth);
                Ok(Some(ServerEvent::AuthResponse(
                    r.data().unwrap_or_default(),
                )))
            }
            Ok(None) => {
                if self.peer_closed {
                    self.in_auth = false;
                    self.received.clear();
                }
                Ok(self.closed_event())
            }
            Err(e) => {
                self.in_auth = false;
                self.queue(error_reply(&e));
                Err(e)
            }
        }
    }

    fn step_data(&mut self) -> Result<Step, Error> {
        let Content::Data(decoder) = &mut self.content else {
            return Ok(Step::Continue);
        };
        let before = self.received.len();
        let decoded = if self.peer_closed {
            decoder.decode_eof(&mut self.received)
        } else {
            decoder.decode(&mut self.received)
        };
        self.content_consumed(before);
        match decoded {
            Ok(Some(DataEvent::Data(piece))) if self.content_error.is_none() => {
                Ok(Step::Return(Some(ServerEvent::Data(piece))))
            }
            Ok(Some(DataEvent::Data(_))) => Ok(Step::Continue),
            Ok(Some(DataEvent::End)) => Ok(Step::Return(Some(self.content_end()))),
            Ok(None) => Ok(Step::Return(None)),
            Err(e @ Error::Truncated { .. }) => {
                self.reset_transaction();
                Err(e)
            }
            Err(e) => {
                if self.content_error.is_none() {
                    self.content_error = Some(e);
                }
                Ok(Step::Continue)
            }
        }
    }

    /// The end of the content: the message to decide, or the refusal already answered.
    fn content_end(&mut self) -> ServerEvent {
        self.content = Content::None;
        match self.content_error.take() {
            Some(e) => {
                self.queue(error_reply(&e));
                self.reset_transaction();
                ServerEvent::MessageRefused(e)
            }
            None => {
                self.awaiting = Some(Decision::Message);
                ServerEvent::MessageEnd
            }
        }
    }

    fn step_bdat(&mut self) -> Result<Step, Error> {
        let Content::Bdat(decoder) = &mut self.content else {
            return Ok(Step::Continue);
        };
        let before = self.received.len();
        let decoded = if self.peer_closed {
            decoder.decode_eof(&mut self.received)
        } else {
            decoder.decode(&mut self.received)
        };
        let in_chunk = decoder.in_chunk();
        self.content_consumed(before);
        match decoded {
            Ok(Some(BdatEvent::Data(piece))) if self.content_error.is_none() => {
                Ok(Step::Return(Some(ServerEvent::Data(piece))))
            }
            Ok(Some(BdatEvent::Data(_))) => Ok(Step::Continue),
            Ok(Some(BdatEvent::ChunkEnd { last })) => {
                if last || self.content_error.is_some() {
                    return Ok(Step::Return(Some(self.content_end())));
                }
                let text = format!("2.0.0 {} octets received", self.chunk_size);
                self.queue(reply(250, &text));
                Ok(Step::Continue)
            }
            // Between chunks: the next BDAT (or RSET, QUIT, NOOP) is a command line.
            Ok(None) if !in_chunk => Ok(Step::ReadCommand),
            Ok(None) => Ok(Step::Return(None)),
            Err(e) => {
                self.reset_transaction();
                Err(e)
            }
        }
    }

    fn in_bdat(&self) -> bool {
        matches!(self.content, Content::Bdat(_))
    }

    /// Acts on one command: a reply queued, an event for the application, or both.
    fn command(&mut self, command: Command) -> Result<Option<ServerEvent>, Error> {
        if self.in_bdat()
            && !matches!(
                command,
                Command::Bdat { .. } | Command::Rset | Command::Quit | Command::Noop(_)
            )
        {
            // RFC 3030 §2: between chunks of a message, only BDAT (and RSET, QUIT, NOOP).
            return Err(self.refuse_self(
                503,
                "5.5.1 BDAT message in progress",
                "a command between BDAT chunks (RFC 3030 §2)",
            ));
        }
        match command {
            Command::Ehlo(domain) => {
                let caps: Vec<Capability> = self
                    .config
                    .capabilities
                    .iter()
                    .filter(|c| !(self.tls && **c == Capability::StartTls))
                    .cloned()
                    .collect();
                let r = Capabilities::new(self.config.hostname.clone(), None, caps)
                    .to_reply()
                    .unwrap_or_else(|_| reply(250, self.config.hostname.as_str()));
                self.queue(r);
                self.hello = true;
                self.reset_transaction();
                Ok(Some(ServerEvent::Hello {
                    domain,
                    extended: true,
                }))
            }
            Command::Helo(domain) => {
                let name = self.config.hostname.to_string();
                self.queue(reply(250, &name));
                self.hello = true;
                self.reset_transaction();
                Ok(Some(ServerEvent::Hello {
                    domain,
                    extended: false,
                }))
            }
            Command::Mail { from, params } => {
                if !self.hello {
                    return Err(self.refuse_self(
                        503,
                        "5.5.1 EHLO or HELO first",
                        "MAIL before EHLO or HELO (RFC 5321 §4.1.4)",
                    ));
                }
                if self.mail {
                    return Err(self.refuse_self(
                        503,
                        "5.5.1 Nested MAIL command",
                        "MAIL inside a transaction (RFC 5321 §4.1.1.2)",
                    ));
                }
                if !params.iter().all(|p| self.announces(p)) {
                    return Err(self.refuse_self(
                        555,
                        "5.5.4 MAIL parameter not recognized or not implemented",
                        "a MAIL parameter of an extension not announced (RFC 5321 §4.1.1.11)",
                    ));
                }
                let limit = self.config.limits.max_message_size;
                let size = params.iter().find_map(|p| match p {
                    Parameter::Size(n) => Some(*n),
                    _ => None,
                });
                if size.is_some_and(|n| n > limit) {
                    return Err(self.refuse_self(
                        552,
                        "5.3.4 Message size exceeds fixed maximum message size",
                        "SIZE over the limit (RFC 1870 §6)",
                    ));
                }
                self.smtputf8 = params.contains(&Parameter::SmtpUtf8);
                self.binary = params.contains(&Parameter::Body(Body::BinaryMime));
                self.awaiting = Some(Decision::Mail);
                Ok(Some(ServerEvent::Mail { from, params }))
            }
            Command::Rcpt { to, params } => {
                if !self.mail {
                    return Err(self.refuse_self(
                        503,
                        "5.5.1 MAIL first",
                        "RCPT before MAIL (RFC 5321 §4.1.4)",
                    ));
                }
                if !params.iter().all(|p| self.announces(p)) {
                    return Err(self.refuse_self(
                        555,
                        "5.5.4 RCPT parameter not recognized or not implemented",
                        "a RCPT parameter of an extension not announced (RFC 5321 §4.1.1.11)",
                    ));
                }
                if to.mailbox().is_some_and(|m| m.is_utf8()) && !self.smtputf8 {
                    return Err(self.refuse_self(
                        553,
                        "5.6.7 A UTF-8 address needs SMTPUTF8 on MAIL",
                        "a UTF-8 forward-path in a transaction without SMTPUTF8 (RFC 6531 §3.5)",
                    ));
                }
                if self.rcpts >= self.config.max_recipients {
                    return Err(self.refuse_self(
                        452,
                        "4.5.3 Too many recipients",
                        "recipients over the limit (RFC 5321 §4.5.3.1.10)",
                    ));
                }
                self.awaiting = Some(Decision::Rcpt);
                Ok(Some(ServerEvent::Rcpt { to, params }))
            }
            Command::Data => {
                if let Some((r, e)) = self.content_refusal() {
                    self.queue(r);
                    return Err(e);
                }
                if self.binary {
                    return Err(self.refuse_self(
                        503,
                        "5.5.1 BODY=BINARYMIME needs BDAT",
                        "DATA after BODY=BINARYMIME (RFC 3030 §3)",
                    ));
                }
                self.queue(reply(354, "End data with <CR><LF>.<CR><LF>"));
                self.content =
                    Content::Data(DataDecoder::new(self.config.limits, self.config.leniency));
                self.content_error = None;
                Ok(None)
            }
            Command::Bdat { size, last } => self.bdat(size, last),
            Command::Rset => {
                self.reset_transaction();
                self.queue(reply(250, "2.0.0 Ok"));
                Ok(None)
            }
            Command::Noop(_) => {
                self.queue(reply(250, "2.0.0 Ok"));
                Ok(None)
            }
            Command::Help(_) => {
                self.queue(reply(214, "2.0.0 See RFC 5321"));
                Ok(None)
            }
            Command::Vrfy(_) => {
                self.queue(reply(252, "2.5.2 Cannot VRFY user"));
                Ok(None)
            }
            Command::Expn(_) => {
                self.queue(reply(502, "5.5.1 EXPN not implemented"));
                Ok(None)
            }
            Command::Quit => {
                let text = format!("2.0.0 {} closing connection", self.config.hostname);
                self.queue(reply(221, &text));
                self.quit = true;
                self.received.clear();
                Ok(Some(ServerEvent::Quit))
            }
            Command::StartTls => self.starttls(),
            Command::Auth { mechanism, initial } => self.auth(mechanism, initial),
        }
    }

    /// Why DATA or BDAT may not start: MAIL and a recipient must be accepted (RFC 5321 §3.3).
    fn content_refusal(&self) -> Option<(Reply, Error)> {
        if !self.mail {
            return Some((
                reply(503, "5.5.1 MAIL first"),
                self.peer("DATA or BDAT before MAIL (RFC 5321 §4.1.4)"),
            ));
        }
        if self.rcpts == 0 {
            return Some((
                reply(554, "5.5.1 No valid recipients"),
                self.peer("DATA or BDAT with no recipient accepted (RFC 5321 §3.3)"),
            ));
        }
        None
    }

    fn bdat(&mut self, size: u64, last: bool) -> Result<Option<ServerEvent>, Error> {
        // The chunk's octets follow in any case: a refused chunk is skipped, then answered
        // (RFC 3030 §2), so they are never read as commands.
        let refused = if !self.has(&Capability::Chunking) {
            Some((
                reply(502, "5.5.1 BDAT not implemented"),
                self.peer("BDAT without CHUNKING announced (RFC 3030 §2)"),
            ))
        } else if self.in_bdat() {
            None
        } else {
            self.content_refusal()
        };
        if let Some((reply, error)) = refused {
            self.content = Content::Skip {
                remaining: size,
                reply,
                error,
            };
            return Ok(None);
        }
        if !self.in_bdat() {
            self.content = Content::Bdat(BdatDecoder::new(self.config.limits));
            self.content_error = None;
        }
        self.chunk_size = size;
        if let Content::Bdat(decoder) = &mut self.content {
            if let Err(e) = decoder.chunk(size, last) {
                if self.content_error.is_none() {
                    self.content_error = Some(e);
                }
            }
        }
        Ok(None)
    }

    fn starttls(&mut self) -> Result<Option<ServerEvent>, Error> {
        if !self.has(&Capability::StartTls) {
            return Err(self.refuse_self(
                502,
                "5.5.1 STARTTLS not available",
                "STARTTLS not announced (RFC 3207 §4)",
            ));
        }
        if self.tls {
            return Err(self.refuse_self(
                503,
                "5.5.1 TLS already active",
                "STARTTLS in TLS (RFC 3207 §4.2)",
            ));
        }
        if !self.received.is_empty() {
            // CVE-2011-0411: what was sent in the clear after STARTTLS never reaches TLS. The
            // error is at the end of the STARTTLS line; the bytes dropped still count.
            let dropped = self.received.len() as u64;
            self.received.clear();
            let e = self.refuse_self(
                554,
                "5.5.1 Error: command pipelining after STARTTLS",
                "bytes behind STARTTLS (RFC 3207 §4.2, RFC 2920 §3.1)",
            );
            self.commands.consumed_elsewhere(dropped);
            return Err(e);
        }
        self.queue(reply(220, "2.0.0 Ready to start TLS"));
        self.switched = true;
        Ok(Some(ServerEvent::StartTls))
    }

    fn auth(
        &mut self,
        mechanism: Mechanism,
        initial: Option<InitialResponse>,
    ) -> Result<Option<ServerEvent>, Error> {
        if self.advertised_mechanisms().is_empty() {
            return Err(self.refuse_self(
                502,
                "5.5.1 AUTH not available",
                "AUTH not announced (RFC 4954 §4)",
            ));
        }
        if !self.hello || self.authenticated || self.mail {
            return Err(self.refuse_self(
                503,
                "5.5.1 AUTH not allowed now",
                "AUTH before EHLO, after a successful AUTH or in a transaction (RFC 4954 §4)",
            ));
        }
        if !self
            .advertised_mechanisms()
            .iter()
            .any(|m| m.is(mechanism.as_str()))
        {
            return Err(self.refuse_self(
                504,
                "5.5.4 Unrecognized authentication type",
                "an AUTH mechanism not announced (RFC 4954 §4)",
            ));
        }
        self.awaiting = Some(Decision::Auth);
        Ok(Some(ServerEvent::Auth { mechanism, initial }))
    }
}

/// The session as the drivers of [`framing::blocking`] and `framing::tokio` run it.
impl framing::Session for ServerSession {
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

    /// RFC 5321 §4.5.3.2.7: a server waits at least five minutes for the next command.
    fn idle_timeout(&self) -> Option<std::time::Duration> {
        Some(std::time::Duration::from_secs(300))
    }
}
