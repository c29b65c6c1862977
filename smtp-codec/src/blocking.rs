//! A blocking SMTP client over any `Read + Write` stream: the [`ClientSession`] driven by
//! `std::io`, for tools and tests that have no runtime. It holds no protocol logic: every rule
//! (command order, PIPELINING, CHUNKING, SIZE, SMTPUTF8, reply checks) is the session's.
//!
//! ```no_run
//! use std::net::TcpStream;
//! use smtp_codec::blocking::Client;
//! use smtp_codec::{ClientConfig, Domain, Envelope, ForwardPath, Mailbox, ReversePath};
//!
//! let stream = TcpStream::connect("127.0.0.1:2525")?;
//! let mut client = Client::connect(stream, ClientConfig::new(Domain::new("client.example")?))?;
//! let to = ForwardPath::Mailbox(Mailbox::parse("b@example.net")?);
//! let envelope = Envelope::new(ReversePath::Mailbox(Mailbox::parse("a@example.org")?), vec![to]);
//! let delivery = client.send_mail(envelope, b"Subject: hi\r\n\r\nHello\r\n")?;
//! println!("{:?}", delivery.result);
//! client.quit()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, Read, Write};

use framing::blocking::SessionDriver;

use crate::capability::Capabilities;
use crate::client::{ClientConfig, ClientEvent, ClientSession, Envelope, TlsPolicy};
use crate::error::Error;
use crate::path::ForwardPath;
use crate::reply::Reply;

/// Why a [`Client`] call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// Reading or writing the stream failed.
    #[error("i/o: {0}")]
    Io(#[from] io::Error),
    /// The session refused the call or the server's bytes (see [`Error`]).
    #[error(transparent)]
    Smtp(#[from] Error),
    /// The server refused the greeting, EHLO or HELO (RFC 5321 §3.1, §4.3.2).
    #[error("refused by the server: {0}")]
    Rejected(Reply),
    /// The server refused AUTH (RFC 4954 §6); the connection may go on unauthenticated.
    #[error("authentication refused: {0}")]
    AuthFailed(Reply),
    /// The server is closing the connection (421, RFC 5321 §3.8) or has closed it.
    #[error("the server closed the connection{}", .0.as_ref().map(|r| format!(": {r}")).unwrap_or_default())]
    Closed(Option<Reply>),
}

/// The outcome of one mail transaction (RFC 5321 §3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The recipients whose RCPT was accepted.
    pub accepted: Vec<ForwardPath>,
    /// The recipients refused, each with the server's reply (RFC 5321 §4.1.1.3).
    pub refused: Vec<(ForwardPath, Reply)>,
    /// The reply to the end of the content (`Ok`), or the one that ended the transaction
    /// (`Err`: MAIL, every RCPT, DATA or the content refused).
    pub result: Result<Reply, Reply>,
}

/// A blocking SMTP client: a [`ClientSession`] over a stream (see the module docs).
#[derive(Debug)]
pub struct Client<S> {
    driver: SessionDriver<S, ClientSession>,
}

impl<S: Read + Write> Client<S> {
    /// Reads the greeting and sends EHLO (falling back to HELO, RFC 5321 §3.2); returns once the
    /// session is ready for a transaction. STARTTLS needs a TLS layer this client does not
    /// have: `config.tls` other than [`TlsPolicy::Manual`] is refused here, and a caller with
    /// TLS drives [`ClientSession`] itself.
    pub fn connect(stream: S, config: ClientConfig) -> Result<Client<S>, ClientError> {
        if config.tls != TlsPolicy::Manual {
            return Err(Error::Local {
                reason: "the blocking client has no TLS layer: use TlsPolicy::Manual",
            }
            .into());
        }
        let mut client = Client {
            driver: SessionDriver::new(stream, ClientSession::new(config)),
        };
        while !client.driver.session().is_ready() {
            match client.next_event()? {
                ClientEvent::Rejected(reply) => return Err(ClientError::Rejected(reply)),
                ClientEvent::ServiceClosing(reply) => return Err(ClientError::Closed(Some(reply))),
                ClientEvent::Closed => return Err(ClientError::Closed(None)),
                _ => {}
            }
        }
        Ok(client)
    }

    /// The EHLO capabilities (`None` after a fallback to HELO).
    pub fn capabilities(&self) -> Option<&Capabilities> {
        self.driver.session().capabilities()
    }

    /// Logs in as `user` (AUTH PLAIN or LOGIN, see [`ClientSession::authenticate`]) and returns
    /// the 235 reply.
    pub fn authenticate(&mut self, user: &str, password: &str) -> Result<Reply, ClientError> {
        self.driver.session_mut().authenticate(user, password)?;
        loop {
            match self.next_event()? {
                ClientEvent::Authenticated(reply) => return Ok(reply),
                ClientEvent::AuthFailed(reply) => return Err(ClientError::AuthFailed(reply)),
                ClientEvent::ServiceClosing(reply) => return Err(ClientError::Closed(Some(reply))),
                ClientEvent::Closed => return Err(ClientError::Closed(None)),
                _ => {}
            }
        }
    }

    /// Runs one mail transaction (see [`ClientSession::send_mail`]) and waits for its outcome.
    /// A refused recipient does not abort the others; a message refused is `Ok` with
    /// [`Delivery::result`] `Err`, so the client may go on with the next one.
    pub fn send_mail(
        &mut self,
        envelope: Envelope,
        content: &[u8],
    ) -> Result<Delivery, ClientError> {
        self.driver.session_mut().send_mail(envelope, content)?;
        let mut refused = Vec::new();
        loop {
            match self.next_event()? {
                ClientEvent::RecipientRefused { to, reply } => refused.push((to, reply)),
                ClientEvent::Delivered { accepted, reply } => {
                    self.settle()?;
                    return Ok(Delivery {
                        accepted,
                        refused,
                        result: Ok(reply),
                    });
                }
                ClientEvent::MessageRefused(reply) => {
                    self.settle()?;
                    return Ok(Delivery {
                        accepted: Vec::new(),
                        refused,
                        result: Err(reply),
                    });
                }
                ClientEvent::ServiceClosing(reply) => return Err(ClientError::Closed(Some(reply))),
                ClientEvent::Closed => return Err(ClientError::Closed(None)),
                _ => {}
            }
        }
    }

    /// Sends QUIT, waits for the 221 (RFC 5321 §4.1.1.10) and hands back the stream.
    pub fn quit(mut self) -> Result<S, ClientError> {
        self.driver.session_mut().quit()?;
        loop {
            match self.next_event()? {
                ClientEvent::Closed => return Ok(self.driver.into_parts().0),
                ClientEvent::ServiceClosing(reply) => return Err(ClientError::Closed(Some(reply))),
                _ => {}
            }
        }
    }

    /// The session, for its state.
    pub fn session(&self) -> &ClientSession {
        self.driver.session()
    }

    /// The stream.
    pub fn get_ref(&self) -> &S {
        self.driver.get_ref()
    }

    /// Waits until the replies still outstanding after an outcome (the RSET that ends a failed
    /// transaction, the lone dot after a voided DATA) are in, so the next call finds the
    /// session ready.
    fn settle(&mut self) -> Result<(), ClientError> {
        // Those replies (the 250 to RSET) make no event: stop reading once the session is ready.
        while let Some(event) = self.drive(ClientSession::is_ready)? {
            match event {
                ClientEvent::ServiceClosing(reply) => return Err(ClientError::Closed(Some(reply))),
                ClientEvent::Closed => return Err(ClientError::Closed(None)),
                _ => {}
            }
        }
        Ok(())
    }

    /// Writes what the session queued, then the next event, reading as needed.
    fn next_event(&mut self) -> Result<ClientEvent, ClientError> {
        loop {
            if let Some(event) = self.drive(|_| false)? {
                return Ok(event);
            }
        }
    }

    /// The driver's next event, or `None` instead of a read once `done`; the end of the
    /// stream with nothing more to say is [`ClientError::Closed`].
    fn drive(
        &mut self,
        done: fn(&ClientSession) -> bool,
    ) -> Result<Option<ClientEvent>, ClientError> {
        match self.driver.next_event_unless(done) {
            Ok(Some(Ok(event))) => Ok(Some(event)),
            Ok(Some(Err(e))) => Err(e.into()),
            Ok(None) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(ClientError::Closed(None)),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Domain;
    use crate::mailbox::Mailbox;
    use crate::path::ReversePath;

    /// A scripted server: answers each write with the next canned reply.
    #[derive(Debug)]
    struct Script {
        replies: std::collections::VecDeque<&'static [u8]>,
        pending: Vec<u8>,
        written: Vec<u8>,
    }

    impl Read for Script {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.pending.is_empty() {
                return Ok(0);
            }
            let n = buf.len().min(self.pending.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            Ok(n)
        }
    }

    impl Write for Script {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.written.extend_from_slice(buf);
            if let Some(r) = self.replies.pop_front() {
                self.pending.extend_from_slice(r);
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn mailbox(s: &str) -> Mailbox {
        Mailbox::parse(s).unwrap()
    }

    #[test]
    fn a_transaction_with_a_refused_recipient() {
        let script = Script {
            replies: [
                &b"250-mx.example\r\n250 PIPELINING\r\n"[..],
                b"250 ok\r\n550 no such user\r\n250 ok\r\n354 go\r\n",
                b"250 queued\r\n",
                b"221 bye\r\n",
            ]
            .into(),
            pending: b"220 mx.example ESMTP\r\n".to_vec(),
            written: Vec::new(),
        };
        let config = ClientConfig::new(Domain::new("client.example").unwrap());
        let mut client = Client::connect(script, config).unwrap();
        assert!(client.capabilities().is_some());
        let to = vec![
            ForwardPath::Mailbox(mailbox("x@example.net")),
            ForwardPath::Mailbox(mailbox("b@example.net")),
        ];
        let envelope = Envelope::new(ReversePath::Mailbox(mailbox("a@example.org")), to);
        let delivery = client.send_mail(envelope, b".dot\r\n").unwrap();
        assert_eq!(delivery.refused.len(), 1);
        assert_eq!(delivery.refused[0].1.code(), 550);
        assert_eq!(
            delivery.accepted,
            vec![ForwardPath::Mailbox(mailbox("b@example.net"))]
        );
        assert_eq!(delivery.result.unwrap().code(), 250);
        let script = client.quit().unwrap();
        assert_eq!(
            script.written,
            b"EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<x@example.net>\r\n\
              RCPT TO:<b@example.net>\r\nDATA\r\n..dot\r\n.\r\nQUIT\r\n"
        );
    }

    /// Every recipient refused with PIPELINING and CHUNKING: the BDAT sent behind the RCPT is
    /// refused, the session sends RSET, whose 250 makes no event; send_mail returns once it is
    /// in (it used to wait for an event that never came: found by the Postfix interop test).
    #[test]
    fn every_recipient_refused_behind_a_pipelined_bdat() {
        let script = Script {
            replies: [
                &b"250-mx.example\r\n250-PIPELINING\r\n250 CHUNKING\r\n"[..],
                b"250 ok\r\n550 no such user\r\n554 no valid recipients\r\n",
                b"250 reset\r\n",
                b"221 bye\r\n",
            ]
            .into(),
            pending: b"220 mx.example ESMTP\r\n".to_vec(),
            written: Vec::new(),
        };
        let config = ClientConfig::new(Domain::new("client.example").unwrap());
        let mut client = Client::connect(script, config).unwrap();
        let to = vec![ForwardPath::Mailbox(mailbox("x@example.net"))];
        let envelope = Envelope::new(ReversePath::Mailbox(mailbox("a@example.org")), to);
        let delivery = client.send_mail(envelope, b"hi\r\n").unwrap();
        assert_eq!(delivery.refused.len(), 1);
        assert!(delivery.accepted.is_empty());
        assert_eq!(delivery.result.unwrap_err().code(), 550);
        let script = client.quit().unwrap();
        assert_eq!(
            script.written,
            b"EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<x@example.net>\r\n\
              BDAT 4 LAST\r\nhi\r\nRSET\r\nQUIT\r\n"
        );
    }

    #[test]
    fn a_refused_greeting_is_an_error() {
        let script = Script {
            replies: [&b"221 bye\r\n"[..]].into(),
            pending: b"554 go away\r\n".to_vec(),
            written: Vec::new(),
        };
        let config = ClientConfig::new(Domain::new("client.example").unwrap());
        let err = Client::connect(script, config).unwrap_err();
        assert!(
            matches!(err, ClientError::Rejected(ref r) if r.code() == 554),
            "{err:?}"
        );
    }

    #[test]
    fn an_early_close_is_an_error() {
        let script = Script {
            replies: [&b""[..]].into(),
            pending: b"220 mx.example ESMTP\r\n".to_vec(),
            written: Vec::new(),
        };
        let config = ClientConfig::new(Domain::new("client.example").unwrap());
        let err = Client::connect(script, config).unwrap_err();
        assert!(
            matches!(err, ClientError::Smtp(Error::Truncated { .. })),
            "{err:?}"
        );
    }
}
