//! The sans-IO client session (RFC 5321 §3, §4.1, §4.3.2): commands out, replies in, every reply
//! checked against the command it answers.
//!
//! - The session waits for the 220 greeting (RFC 5321 §3.1), sends EHLO and reads the
//!   [`Capabilities`] from its reply. An EHLO answered 500 or 502 (command unrecognised or not
//!   implemented) falls back to HELO (RFC 5321 §3.2, §4.1.4); a greeting, EHLO or HELO refused
//!   otherwise is [`ClientEvent::Rejected`], and the session sends QUIT.
//! - [`ClientSession::send_mail`] runs one mail transaction: MAIL (with `SIZE=` when the server
//!   offers SIZE, RFC 1870 §6, and `SMTPUTF8` when a path needs it, RFC 6531 §3.4), a RCPT per
//!   recipient, then DATA with the content dot-stuffed (RFC 5321 §4.5.2), or `BDAT n LAST` when
//!   the server offers CHUNKING (RFC 3030 §2). A message over the server's SIZE, or one whose
//!   paths need SMTPUTF8 when it is not offered, is refused locally before anything is sent.
//! - With PIPELINING (RFC 2920 §3.1) MAIL, the RCPTs and DATA (or BDAT and the content) go in
//!   one burst and the replies are matched in order; without it one command at a time.
//! - A refused recipient is [`ClientEvent::RecipientRefused`] and does not abort the others; the
//!   message goes to those accepted ([`ClientEvent::Delivered`]). When none is accepted, no DATA
//!   is sent (without PIPELINING) and the session sends RSET; with PIPELINING the DATA already
//!   sent is answered, and if the server answers it 354 anyway the session sends a lone dot (an
//!   empty message, RFC 2920 §3.1) and reports nothing more. A transaction that failed after
//!   its MAIL was accepted ends with RSET (RFC 5321 §4.1.1.5) unless the server ended it itself
//!   (the reply to the end of the DATA content).
//! - 8-bit content is sent with `BODY=8BITMIME` when the server offers 8BITMIME, and refused
//!   locally when it does not (RFC 6152 §3).
//! - [`ClientConfig::tls`] ([`TlsPolicy`]) has the session send STARTTLS by itself after the
//!   first EHLO that offers it; [`TlsPolicy::Required`] sends QUIT and stops when STARTTLS is
//!   not offered or refused.
//! - A 421 to any command after the greeting is [`ClientEvent::ServiceClosing`] (RFC 5321 §3.8):
//!   what was outstanding is dropped, and only the end of the stream may follow.
//! - A reply whose every byte arrived before its command was written is [`Error::Peer`]: the
//!   server cannot have seen the command (a reply pipelined without PIPELINING, the reply to
//!   DATA content sent with the 354, or injected; RFC 2920 §3.1). Fed as it arrives from a real
//!   server this never trips; a test that feeds a lockstep script whole does.
//! - A reply code its command does not allow, a reply with no command outstanding, and bytes
//!   after the 221 to QUIT are [`Error::Peer`]; the session then stops (every later call
//!   refuses).
//! - AUTH (RFC 4954): [`ClientSession::authenticate`] logs in with PLAIN (RFC 4616) or LOGIN,
//!   whichever the server offers (PLAIN first), answering each 334 in order and cancelling with
//!   `*` a challenge it has no answer for.
//! - STARTTLS (RFC 3207): [`ClientSession::start_tls`] sends it. After its 220, any byte the
//!   server sent behind the reply, in the same read or in a later call to
//!   [`ClientSession::receive`] before [`ClientSession::tls_established`], is an error (response
//!   injection, CVE-2011-0411 and the 2021 "NO STARTTLS" findings) and is dropped, never handed
//!   to TLS. [`ClientSession::take_remaining`] hands back what follows the 220 for the TLS layer
//!   (empty unless that error was raised, and then empty too). The capabilities are forgotten at
//!   the 220 (RFC 3207 §4.2); [`ClientSession::tls_established`] sends EHLO again.
//!
//! ```
//! use smtp_codec::{ClientConfig, ClientEvent, ClientSession, Domain, Envelope, ForwardPath};
//! use smtp_codec::{Mailbox, ReversePath};
//!
//! let mut session = ClientSession::new(ClientConfig::new(Domain::new("client.example")?));
//! session.receive(b"220 mx.example ESMTP\r\n");
//! assert!(matches!(session.poll_event()?, Some(ClientEvent::Greeting(_))));
//! assert_eq!(&session.poll_transmit().unwrap()[..], b"EHLO client.example\r\n");
//! session.receive(b"250-mx.example\r\n250 PIPELINING\r\n");
//! assert!(matches!(session.poll_event()?, Some(ClientEvent::Capabilities(_))));
//!
//! let to = ForwardPath::Mailbox(Mailbox::parse("b@example.net")?);
//! let envelope = Envelope::new(ReversePath::Mailbox(Mailbox::parse("a@example.org")?), vec![to]);
//! session.send_mail(envelope, b".hidden\r\n")?;
//! assert_eq!(
//!     &session.poll_transmit().unwrap()[..],
//!     b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n"
//! );
//! session.receive(b"250 ok\r\n250 ok\r\n354 go\r\n");
//! assert_eq!(&session.poll_transmit().unwrap()[..], b"..hidden\r\n.\r\n");
//! session.receive(b"250 queued\r\n");
//! assert!(matches!(session.poll_event()?, Some(ClientEvent::Delivered { .. })));
//! # Ok::<(), smtp_codec::Error>(())
//! ```

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use framing::{Decoder, Encoder};

use crate::auth::{AuthResponse, InitialResponse, Mechanism};
use crate::capability::{Capabilities, Capability};
use crate::codec::{CommandEncoder, ReplyDecoder};
use crate::command::Command;
use crate::data::DataEncoder;
use crate::domain::Domain;
use crate::error::Error;
use crate::leniency::Leniency;
use crate::limits::Limits;
use crate::param::{Body, Parameter};
use crate::path::{ForwardPath, ReversePath};
use crate::reply::Reply;

/// How a [`ClientSession`] introduces itself and reads replies (RFC 5321 §4.1.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The domain (or address literal) sent with EHLO and HELO (RFC 5321 §4.1.1.1). HELO takes
    /// no address literal: with one, a fallback to HELO is [`ClientEvent::Rejected`].
    pub helo: Domain,
    /// Limits of the reply decoder and the content encoder.
    pub limits: Limits,
    /// Relaxations of the reply decoder and the content encoder.
    pub leniency: Leniency,
    /// Whether the session starts TLS by itself (RFC 3207 §4).
    pub tls: TlsPolicy,
}

/// When a [`ClientSession`] sends STARTTLS by itself (RFC 3207 §4): after the first EHLO in the
/// clear, never after TLS is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsPolicy {
    /// Never by itself: the caller may call [`ClientSession::start_tls`].
    #[default]
    Manual,
    /// When the server offers STARTTLS; in the clear otherwise, or when it is refused.
    Opportunistic,
    /// Always: when STARTTLS is not offered (or HELO was used) or is refused, the session sends
    /// QUIT and stops with [`Error::Local`] (a downgrade by a man in the middle that strips the
    /// STARTTLS line, RFC 3207 §6, is refused).
    Required,
}

impl ClientConfig {
    /// Strict, default limits, introducing itself as `helo`.
    pub fn new(helo: Domain) -> ClientConfig {
        ClientConfig {
            helo,
            limits: Limits::default(),
            leniency: Leniency::strict(),
            tls: TlsPolicy::Manual,
        }
    }
}

/// One message's envelope (RFC 5321 §2.3.1): the reverse-path, the recipients, and MAIL
/// parameters (`SIZE=` and `SMTPUTF8` are added by the session when they apply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// `MAIL FROM:` (RFC 5321 §4.1.1.2).
    pub from: ReversePath,
    /// A `RCPT TO:` each, in this order (RFC 5321 §4.1.1.3).
    pub to: Vec<ForwardPath>,
    /// Parameters of MAIL (RFC 5321 §4.1.2 `Mail-parameters`).
    pub mail_params: Vec<Parameter>,
}

impl Envelope {
    /// An envelope with no MAIL parameters of its own.
    pub fn new(from: ReversePath, to: Vec<ForwardPath>) -> Envelope {
        Envelope {
            from,
            to,
            mail_params: Vec::new(),
        }
    }
}

/// What a [`ClientSession`] reports (RFC 5321 §4.3.2 names the replies).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientEvent {
    /// The 220 greeting (RFC 5321 §4.3.1).
    Greeting(Reply),
    /// The EHLO reply, typed (RFC 5321 §4.1.1.1): the session is ready for a transaction.
    Capabilities(Capabilities),
    /// HELO accepted after EHLO was not (RFC 5321 §3.2): ready, with no extensions.
    Helo(Reply),
    /// The greeting, EHLO or HELO refused (RFC 5321 §3.1, §4.3.2): the session sent QUIT.
    Rejected(Reply),
    /// A RCPT refused (RFC 5321 §4.1.1.3); the other recipients go on.
    RecipientRefused {
        /// The recipient.
        to: ForwardPath,
        /// The server's reply.
        reply: Reply,
    },
    /// The message was accepted for these recipients (RFC 5321 §4.1.1.4, RFC 3030 §2).
    Delivered {
        /// The recipients whose RCPT was accepted.
        accepted: Vec<ForwardPath>,
        /// The reply to the end of the content.
        reply: Reply,
    },
    /// The transaction failed: MAIL, every RCPT, DATA or the content refused. The reply is the
    /// one that ended it (the last RCPT's when none was accepted).
    MessageRefused(Reply),
    /// The 220 to STARTTLS (RFC 3207 §4): start TLS now, then call
    /// [`ClientSession::tls_established`].
    StartTlsReady,
    /// STARTTLS refused (RFC 3207 §4: 454, 501): the session goes on in the clear.
    StartTlsRefused(Reply),
    /// The 235 to AUTH (RFC 4954 §4, §6): the session is authenticated.
    Authenticated(Reply),
    /// AUTH refused (RFC 4954 §6: 535 bad credentials, 534, 538, 454, or the 501 to a
    /// cancelled exchange): the session goes on unauthenticated.
    AuthFailed(Reply),
    /// A 421 to a command (RFC 5321 §3.8): the server is closing the connection; the command
    /// and everything behind it (a transaction in flight) were not done. Nothing more may be
    /// sent; only the end of the stream ([`ClientEvent::Closed`]) may follow.
    ServiceClosing(Reply),
    /// The 221 to QUIT, or the server closed the connection with nothing outstanding.
    Closed,
}

/// What a reply answers, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Greeting,
    Ehlo,
    Helo,
    Mail,
    Rcpt,
    Data,
    /// The end of the DATA content or the BDAT LAST chunk; `void` when it was a lone dot sent
    /// only because the server answered DATA 354 with no recipient accepted.
    Content {
        void: bool,
    },
    Rset,
    Quit,
    StartTls,
    /// AUTH or a response to a 334; the answer to the next 334 waits in `sasl`.
    Auth,
}

/// One transaction in flight.
#[derive(Debug, Clone)]
struct Transaction {
    to: Vec<ForwardPath>,
    rcpt_lines: Vec<Bytes>,
    /// `DATA` or `BDAT n LAST`, with CRLF.
    data_line: Bytes,
    /// Stuffed with its terminator (DATA), or raw (BDAT).
    content: Bytes,
    chunking: bool,
    pipelined: bool,
    answered: usize,
    accepted: Vec<ForwardPath>,
    mail_ok: bool,
    /// A MessageRefused has been reported.
    failed: bool,
}

/// A client's side of one SMTP connection (see the module docs).
#[derive(Debug, Clone)]
pub struct ClientSession {
    config: ClientConfig,
    decoder: ReplyDecoder,
    encoder: CommandEncoder,
    received: BytesMut,
    transmit: BytesMut,
    events: VecDeque<ClientEvent>,
    error: Option<Error>,
    /// What the replies answer, oldest first, each with the bytes fed before its command was
    /// written: its reply must end past that offset.
    pending: VecDeque<(Pending, u64)>,
    /// Bytes fed since the start (or since TLS came up): the decoder's stream offsets.
    fed: u64,
    capabilities: Option<Capabilities>,
    /// EHLO or HELO accepted.
    greeted: bool,
    tx: Option<Transaction>,
    /// Between the 220 to STARTTLS and `tls_established`.
    tls_pending: bool,
    quit_sent: bool,
    /// TLS was established after STARTTLS.
    tls_active: bool,
    /// The 235 to AUTH came (RFC 4954 §4: no second AUTH).
    authenticated: bool,
    /// The answers still to send to 334 challenges, in order (LOGIN's user name and password).
    sasl: VecDeque<AuthResponse>,
    /// A 421 came: only the end of the stream may follow.
    closing: bool,
    closed: bool,
    failed: bool,
    /// Bytes taken from the stream so far (for error offsets outside the decoder).
    remaining: BytesMut,
}

const AFTER_CLOSE: &str =
    "bytes after the 221 to QUIT or the end of the stream (RFC 5321 §4.1.1.10)";

fn refusal(code: u16) -> bool {
    (400..600).contains(&code)
}

fn line(encoder: &mut CommandEncoder, command: &Command) -> Result<Bytes, Error> {
    let mut out = BytesMut::new();
    encoder.encode(command, &mut out)?;
    Ok(out.freeze())
}

impl ClientSession {
    /// A session that waits for the server's greeting.
    pub fn new(config: ClientConfig) -> ClientSession {
        let mut pending = VecDeque::new();
        pending.push_back((Pending::Greeting, 0));
        ClientSession {
            decoder: ReplyDecoder::new(config.limits, config.leniency),
            encoder: CommandEncoder::new(config.limits),
            config,
            received: BytesMut::new(),
            transmit: BytesMut::new(),
            events: VecDeque::new(),
            error: None,
            pending,
            fed: 0,
            capabilities: None,
            greeted: false,
            tx: None,
            tls_pending: false,
            quit_sent: false,
            tls_active: false,
            authenticated: false,
            sasl: VecDeque::new(),
            closing: false,
            closed: false,
            failed: false,
            remaining: BytesMut::new(),
        }
    }

    /// The EHLO capabilities in force (`None` before EHLO, after HELO, and from the 220 to
    /// STARTTLS until the next EHLO, RFC 3207 §4.2).
    pub fn capabilities(&self) -> Option<&Capabilities> {
        self.capabilities.as_ref()
    }

    /// Whether a transaction, STARTTLS or QUIT may be started now: greeted, nothing outstanding.
    pub fn is_ready(&self) -> bool {
        self.greeted
            && self.tx.is_none()
            && self.pending.is_empty()
            && !self.tls_pending
            && !self.quit_sent
            && !self.closing
            && !self.closed
            && !self.failed
    }

    /// Commands sent and not answered yet.
    pub fn outstanding(&self) -> usize {
        self.pending.len()
    }

    fn offers(&self, cap: &Capability) -> bool {
        self.capabilities.as_ref().is_some_and(|c| c.contains(cap))
    }

    fn not_ready(&self) -> Error {
        Error::Local {
            reason: if self.failed || self.closed {
                "the session has ended"
            } else {
                "a command is outstanding or the session is not greeted (RFC 5321 §4.1.4)"
            },
        }
    }

    /// Starts a mail transaction for `envelope` carrying `content` (the message as the peer
    /// reads it back: header, blank line, body; lines end with CRLF). Refused locally, with
    /// nothing sent, when the session is not ready, when there is no recipient, when the
    /// content is over the server's SIZE (RFC 1870 §4), when a path needs SMTPUTF8 and the
    /// server does not offer it (RFC 6531 §3.2), or when a command or the content cannot be
    /// written (a bare CR or LF in the content, RFC 5321 §2.3.8; a line too long).
    pub fn send_mail(&mut self, envelope: Envelope, content: &[u8]) -> Result<(), Error> {
        if !self.is_ready() {
            return Err(self.not_ready());
        }
        if envelope.to.is_empty() {
            return Err(Error::Local {
                reason: "a transaction needs a recipient (RFC 5321 §3.3)",
            });
        }
        let size = content.len() as u64;
        if let Some(max) = self.capabilities.as_ref().and_then(Capabilities::size)
            && max > 0
            && size > max
        {
            return Err(Error::Local {
                reason: "the message is over the server's SIZE (RFC 1870 §4)",
            });
        }
        let mut params = envelope.mail_params;
        let offers_size = self
            .capabilities
            .as_ref()
            .is_some_and(|c| c.iter().any(|c| matches!(c, Capability::Size(_))));
        if offers_size && !params.iter().any(|p| matches!(p, Parameter::Size(_))) {
            params.push(Parameter::Size(size));
        }
        let utf8 = envelope.from.mailbox().is_some_and(|m| m.is_utf8())
            || envelope
                .to
                .iter()
                .any(|t| t.mailbox().is_some_and(|m| m.is_utf8()));
        if utf8 {
            if !self.offers(&Capability::SmtpUtf8) {
                return Err(Error::Local {
                    reason: "a UTF-8 path and no SMTPUTF8 offered (RFC 6531 §3.2)",
                });
            }
            if !params.contains(&Parameter::SmtpUtf8) {
                params.push(Parameter::SmtpUtf8);
            }
        }
        if !content.is_ascii() && !params.iter().any(|p| matches!(p, Parameter::Body(_))) {
            if !self.offers(&Capability::EightBitMime) {
                return Err(Error::Local {
                    reason: "8-bit content and no 8BITMIME offered (RFC 6152 §3, RFC 5321 §2.4)",
                });
            }
            params.push(Parameter::Body(Body::EightBitMime));
        }
        let chunking = self.offers(&Capability::Chunking);
        let pipelined = self.offers(&Capability::Pipelining);
        let mail = line(
            &mut self.encoder,
            &Command::Mail {
                from: envelope.from,
                params,
            },
        )?;
        let rcpt_lines = envelope
            .to
            .iter()
            .map(|to| {
                line(
                    &mut self.encoder,
                    &Command::Rcpt {
                        to: to.clone(),
                        params: Vec::new(),
                    },
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (data_line, content) = if chunking {
            let command = Command::Bdat { size, last: true };
            (
                line(&mut self.encoder, &command)?,
                Bytes::copy_from_slice(content),
            )
        } else {
            let mut stuffed = BytesMut::with_capacity(content.len() + 8);
            let mut data = DataEncoder::new(self.config.limits, self.config.leniency);
            data.encode_content(content, &mut stuffed)?;
            data.finish(&mut stuffed)?;
            (line(&mut self.encoder, &Command::Data)?, stuffed.freeze())
        };
        let mut tx = Transaction {
            to: envelope.to,
            rcpt_lines,
            data_line,
            content,
            chunking,
            pipelined,
            answered: 0,
            accepted: Vec::new(),
            mail_ok: false,
            failed: false,
        };
        self.transmit.extend_from_slice(&mail);
        self.expect(Pending::Mail);
        if pipelined {
            for l in &tx.rcpt_lines {
                self.transmit.extend_from_slice(l);
                self.expect(Pending::Rcpt);
            }
            self.send_data(&mut tx);
        }
        self.tx = Some(tx);
        Ok(())
    }

    /// Writes DATA, or BDAT with its content.
    fn send_data(&mut self, tx: &mut Transaction) {
        self.transmit.extend_from_slice(&tx.data_line);
        if tx.chunking {
            self.transmit.extend_from_slice(&tx.content);
            self.expect(Pending::Content { void: false });
        } else {
            self.expect(Pending::Data);
        }
    }

    /// Sends STARTTLS (RFC 3207 §4); refused locally unless ready and the server offers it.
    pub fn start_tls(&mut self) -> Result<(), Error> {
        if !self.is_ready() {
            return Err(self.not_ready());
        }
        if !self.offers(&Capability::StartTls) {
            return Err(Error::Local {
                reason: "STARTTLS is not offered (RFC 3207 §4)",
            });
        }
        self.send(&Command::StartTls, Pending::StartTls)
    }

    /// The bytes the server sent after the 220 to STARTTLS, for the TLS layer (RFC 3207 §4.2).
    /// Always empty: bytes there are response injection, an error, and are dropped.
    pub fn take_remaining(&mut self) -> Bytes {
        self.remaining.split().freeze()
    }

    /// TLS is up: the session forgets what it knew (it did already at the 220) and sends EHLO
    /// again (RFC 3207 §4.2). Refused locally unless [`ClientEvent::StartTlsReady`] came last.
    pub fn tls_established(&mut self) -> Result<(), Error> {
        if !self.tls_pending || self.failed {
            return Err(Error::Local {
                reason: "TLS established without a 220 to STARTTLS (RFC 3207 §4)",
            });
        }
        self.tls_pending = false;
        self.tls_active = true;
        self.decoder = ReplyDecoder::new(self.config.limits, self.config.leniency);
        self.received.clear();
        self.fed = 0;
        let ehlo = Command::Ehlo(self.config.helo.clone());
        self.send(&ehlo, Pending::Ehlo)
    }

    /// Authenticates as `user` with `password` (RFC 4954): SASL PLAIN (RFC 4616, the
    /// credentials in the initial response) when the server offers it, else LOGIN (the user name
    /// and the password each in answer to a 334). The outcome is [`ClientEvent::Authenticated`]
    /// or [`ClientEvent::AuthFailed`]. Refused locally unless ready, when neither mechanism is
    /// offered, when already authenticated (RFC 4954 §4), or when a credential holds a NUL
    /// (PLAIN's separator). Both mechanisms send the password in the clear: over a connection
    /// without TLS, only to a server the caller trusts (RFC 4954 §4, RFC 4616 §6).
    pub fn authenticate(&mut self, user: &str, password: &str) -> Result<(), Error> {
        if !self.is_ready() {
            return Err(self.not_ready());
        }
        if self.authenticated {
            return Err(Error::Local {
                reason: "already authenticated (RFC 4954 §4)",
            });
        }
        if user.contains('\0') || password.contains('\0') {
            return Err(Error::Local {
                reason: "a NUL in a credential (RFC 4616 §2)",
            });
        }
        let offered = self
            .capabilities
            .as_ref()
            .map(Capabilities::auth_mechanisms)
            .unwrap_or_default();
        let (command, answers) = if offered.iter().any(|m| m.is("PLAIN")) {
            let raw = format!("\0{user}\0{password}");
            let command = Command::Auth {
                mechanism: Mechanism::new("PLAIN")?,
                initial: Some(InitialResponse::encode(raw.as_bytes())),
            };
            (command, Vec::new())
        } else if offered.iter().any(|m| m.is("LOGIN")) {
            let command = Command::Auth {
                mechanism: Mechanism::new("LOGIN")?,
                initial: None,
            };
            let answers = vec![
                AuthResponse::encode(user.as_bytes()),
                AuthResponse::encode(password.as_bytes()),
            ];
            (command, answers)
        } else {
            return Err(Error::Local {
                reason: "neither AUTH PLAIN nor AUTH LOGIN is offered (RFC 4954 §3)",
            });
        };
        self.send(&command, Pending::Auth)?;
        self.sasl = answers.into();
        Ok(())
    }

    /// Whether the server accepted AUTH (RFC 4954 §4); forgotten at STARTTLS (RFC 3207 §4.2).
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// Sends QUIT (RFC 5321 §4.1.1.10); refused locally unless ready.
    pub fn quit(&mut self) -> Result<(), Error> {
        if !self.is_ready() {
            return Err(self.not_ready());
        }
        self.send(&Command::Quit, Pending::Quit)?;
        self.quit_sent = true;
        Ok(())
    }

    /// A reply is now expected for a command just written.
    fn expect(&mut self, pending: Pending) {
        self.pending.push_back((pending, self.fed));
    }

    fn send(&mut self, command: &Command, pending: Pending) -> Result<(), Error> {
        let bytes = line(&mut self.encoder, command)?;
        self.transmit.extend_from_slice(&bytes);
        self.expect(pending);
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

    /// Feeds bytes from the server; the replies are handled at once.
    pub fn receive(&mut self, bytes: &[u8]) {
        if self.failed || bytes.is_empty() {
            return;
        }
        if self.tls_pending {
            return self.peer(
                "bytes after the 220 to STARTTLS, before TLS (RFC 3207 §4.2; response injection)",
            );
        }
        if self.closed || self.closing {
            return self.peer(AFTER_CLOSE);
        }
        self.received.extend_from_slice(bytes);
        self.fed += bytes.len() as u64;
        self.process();
    }

    fn process(&mut self) {
        while !self.failed && !self.received.is_empty() {
            if self.pending.is_empty() {
                return self.peer("a reply with no command outstanding (RFC 5321 §4.2)");
            }
            match self.decoder.decode(&mut self.received) {
                Ok(Some(reply)) => self.handle(reply),
                Ok(None) => return,
                Err(e) => return self.fail(e),
            }
        }
    }

    /// The server closed the connection.
    pub fn receive_eof(&mut self) {
        if self.failed || self.closed {
            return;
        }
        if let Err(e) = self.decoder.decode_eof(&mut self.received) {
            return self.fail(e);
        }
        if !self.pending.is_empty() {
            let offset = self.decoder.position();
            return self.fail(Error::Truncated {
                offset,
                inside: "the wait for a reply",
            });
        }
        self.closed = true;
        self.events.push_back(ClientEvent::Closed);
    }

    fn reject(&mut self, reply: Reply) {
        self.events.push_back(ClientEvent::Rejected(reply));
        if self.send(&Command::Quit, Pending::Quit).is_ok() {
            self.quit_sent = true;
        }
    }

    fn handle(&mut self, reply: Reply) {
        let Some((pending, sent_at)) = self.pending.pop_front() else {
            return self.peer("a reply with no command outstanding (RFC 5321 §4.2)");
        };
        if self.decoder.position() <= sent_at {
            // Every byte of it arrived before its command was written: the server cannot have
            // seen the command (a reply pipelined without PIPELINING, or injected).
            return self.peer(
                "a reply that arrived before its command was sent (RFC 5321 §4.2, RFC 2920 §3.1)",
            );
        }
        let code = reply.code();
        if code == 421 && !matches!(pending, Pending::Greeting | Pending::Quit) {
            // RFC 5321 §3.8: the server is closing; nothing outstanding will be answered.
            self.pending.clear();
            self.tx = None;
            self.closing = true;
            self.events.push_back(ClientEvent::ServiceClosing(reply));
            if !self.received.is_empty() {
                self.peer(AFTER_CLOSE);
            }
            return;
        }
        match pending {
            Pending::Greeting => match code {
                220 => {
                    self.events.push_back(ClientEvent::Greeting(reply));
                    let ehlo = Command::Ehlo(self.config.helo.clone());
                    if let Err(e) = self.send(&ehlo, Pending::Ehlo) {
                        self.fail(e);
                    }
                }
                c if refusal(c) => self.reject(reply),
                _ => self.peer("a greeting that is not 220, 421 or 554 (RFC 5321 §4.3.2)"),
            },
            Pending::Ehlo => match code {
                // An extension line whose parameters the client does not understand
                // (`SIZE abc`) is ignored, the others used (RFC 5321 §4.1.1.1, RFC 1869 §4.5);
                // a line that is no ehlo-line at all still breaks the reply.
                250 => match Capabilities::from_ehlo_lenient(&reply) {
                    Ok(caps) => {
                        self.greeted = true;
                        let offers = caps.contains(&Capability::StartTls);
                        self.capabilities = Some(caps.clone());
                        self.events.push_back(ClientEvent::Capabilities(caps));
                        self.tls_policy(offers);
                    }
                    Err(_) => self.peer("an EHLO reply that does not parse (RFC 5321 §4.1.1.1)"),
                },
                500 | 502 => {
                    let helo = Command::Helo(self.config.helo.clone());
                    if self.send(&helo, Pending::Helo).is_err() {
                        self.reject(reply);
                    }
                }
                c if refusal(c) => self.reject(reply),
                _ => self.peer("an EHLO reply that is not 250 or a failure (RFC 5321 §4.3.2)"),
            },
            Pending::Helo => match code {
                250 => {
                    self.greeted = true;
                    self.events.push_back(ClientEvent::Helo(reply));
                    self.tls_policy(false);
                }
                c if refusal(c) => self.reject(reply),
                _ => self.peer("a HELO reply that is not 250 or a failure (RFC 5321 §4.3.2)"),
            },
            Pending::Rset => {
                if code != 250 {
                    self.peer("an RSET reply that is not 250 (RFC 5321 §4.1.1.5)");
                }
            }
            Pending::Quit => {
                if code == 221 {
                    self.closed = true;
                    self.events.push_back(ClientEvent::Closed);
                    if !self.received.is_empty() {
                        self.peer(AFTER_CLOSE);
                    }
                } else {
                    self.peer("a QUIT reply that is not 221 (RFC 5321 §4.1.1.10)");
                }
            }
            Pending::StartTls => match code {
                220 => {
                    self.capabilities = None;
                    self.authenticated = false;
                    self.greeted = false;
                    self.tls_pending = true;
                    if self.received.is_empty() {
                        self.events.push_back(ClientEvent::StartTlsReady);
                    } else {
                        self.peer(
                            "bytes behind the 220 to STARTTLS (RFC 3207 §4.2; response injection)",
                        );
                    }
                }
                c if refusal(c) => {
                    self.events.push_back(ClientEvent::StartTlsRefused(reply));
                    if self.config.tls == TlsPolicy::Required {
                        self.tls_required("STARTTLS refused and TLS required (RFC 3207 §4)");
                    }
                }
                _ => self.peer("a STARTTLS reply that is not 220 or a failure (RFC 3207 §4)"),
            },
            Pending::Auth => match code {
                235 => {
                    self.authenticated = true;
                    self.sasl.clear();
                    self.events.push_back(ClientEvent::Authenticated(reply));
                }
                334 => {
                    // The next answer, or `*` when the mechanism has none left: the server
                    // then ends the exchange with 501 (RFC 4954 §4). A challenge that is not
                    // one line of base64 breaks §4 too: it gets `*`, never the credentials.
                    let answer = match reply.sasl_challenge() {
                        Some(_) => self.sasl.pop_front().unwrap_or(AuthResponse::Cancel),
                        None => {
                            self.sasl.clear();
                            AuthResponse::Cancel
                        }
                    };
                    let mut out = BytesMut::new();
                    match self.encoder.encode(answer, &mut out) {
                        Ok(()) => {
                            self.transmit.extend_from_slice(&out);
                            self.expect(Pending::Auth);
                        }
                        Err(e) => self.fail(e),
                    }
                }
                c if refusal(c) => {
                    self.sasl.clear();
                    self.events.push_back(ClientEvent::AuthFailed(reply));
                }
                _ => self.peer("an AUTH reply that is not 235, 334 or a failure (RFC 4954 §4)"),
            },
            Pending::Mail | Pending::Rcpt | Pending::Data | Pending::Content { .. } => {
                match self.tx.take() {
                    Some(mut tx) => {
                        let done = self.transaction(&mut tx, pending, reply);
                        if !done {
                            self.tx = Some(tx);
                        }
                    }
                    None => self.peer("a transaction reply with no transaction"),
                }
            }
        }
    }

    /// After EHLO or HELO in the clear: STARTTLS as the policy says.
    fn tls_policy(&mut self, offered: bool) {
        if self.tls_active || self.config.tls == TlsPolicy::Manual {
            return;
        }
        if offered {
            if let Err(e) = self.send(&Command::StartTls, Pending::StartTls) {
                self.fail(e);
            }
        } else if self.config.tls == TlsPolicy::Required {
            self.tls_required("STARTTLS not offered and TLS required (RFC 3207 §4)");
        }
    }

    /// TLS required and not to be had: QUIT, then the session stops.
    fn tls_required(&mut self, reason: &'static str) {
        if self.send(&Command::Quit, Pending::Quit).is_ok() {
            self.quit_sent = true;
        }
        self.fail(Error::Local { reason });
    }

    /// Handles a reply within a transaction; true when the transaction is over.
    fn transaction(&mut self, tx: &mut Transaction, pending: Pending, reply: Reply) -> bool {
        let code = reply.code();
        match pending {
            Pending::Mail => match code {
                250 => {
                    tx.mail_ok = true;
                    if !tx.pipelined {
                        self.next_rcpt(tx);
                    }
                    false
                }
                c if refusal(c) => {
                    tx.failed = true;
                    self.events.push_back(ClientEvent::MessageRefused(reply));
                    // With PIPELINING the rest of the burst is still to be answered.
                    !tx.pipelined
                }
                _ => self.tx_peer("a MAIL reply that is not 250 or a failure (RFC 5321 §4.3.2)"),
            },
            Pending::Rcpt => {
                let to = tx.to.get(tx.answered).cloned();
                tx.answered += 1;
                match (code, to) {
                    (250 | 251, Some(to)) => tx.accepted.push(to),
                    (c, Some(to)) if refusal(c) => {
                        if tx.mail_ok {
                            self.events.push_back(ClientEvent::RecipientRefused {
                                to,
                                reply: reply.clone(),
                            });
                        }
                    }
                    _ => {
                        return self.tx_peer(
                            "a RCPT reply that is not 250, 251 or a failure (RFC 5321 §4.3.2)",
                        );
                    }
                }
                if tx.answered < tx.to.len() {
                    if !tx.pipelined {
                        self.next_rcpt(tx);
                    }
                    return false;
                }
                if tx.accepted.is_empty() && !tx.failed {
                    tx.failed = true;
                    self.events.push_back(ClientEvent::MessageRefused(reply));
                }
                if tx.pipelined {
                    return false;
                }
                if tx.failed {
                    self.rset(tx);
                    return true;
                }
                self.send_data(tx);
                false
            }
            Pending::Data => match code {
                354 => {
                    if tx.failed {
                        // RFC 2920 §3.1: DATA accepted with no recipient; end it empty.
                        self.transmit.extend_from_slice(b".\r\n");
                        self.expect(Pending::Content { void: true });
                    } else {
                        self.transmit.extend_from_slice(&tx.content);
                        self.expect(Pending::Content { void: false });
                    }
                    false
                }
                c if refusal(c) => {
                    if !tx.failed {
                        self.events.push_back(ClientEvent::MessageRefused(reply));
                    }
                    self.rset(tx);
                    true
                }
                _ => self.tx_peer("a DATA reply that is not 354 or a failure (RFC 5321 §4.3.2)"),
            },
            Pending::Content { void } => {
                if code != 250 && !refusal(code) {
                    return self.tx_peer(
                        "a reply to the content that is not 250 or a failure (RFC 5321 §4.3.2)",
                    );
                }
                if !void && !tx.failed {
                    if code == 250 {
                        self.events.push_back(ClientEvent::Delivered {
                            accepted: std::mem::take(&mut tx.accepted),
                            reply,
                        });
                        return true;
                    }
                    tx.failed = true;
                    self.events.push_back(ClientEvent::MessageRefused(reply));
                }
                // The end of DATA content ends the transaction at the server either way; a
                // failed BDAT may leave it open (RFC 3030 §2).
                if tx.chunking && code != 250 {
                    self.rset(tx);
                }
                true
            }
            _ => true,
        }
    }

    fn tx_peer(&mut self, reason: &'static str) -> bool {
        self.peer(reason);
        true
    }

    fn next_rcpt(&mut self, tx: &Transaction) {
        if let Some(l) = tx.rcpt_lines.get(tx.answered) {
            self.transmit.extend_from_slice(l);
            self.expect(Pending::Rcpt);
        }
    }

    /// RSET after a failed transaction whose MAIL was accepted (RFC 5321 §4.1.1.5).
    fn rset(&mut self, tx: &Transaction) {
        if tx.mail_ok
            && let Err(e) = self.send(&Command::Rset, Pending::Rset)
        {
            self.fail(e);
        }
    }
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
