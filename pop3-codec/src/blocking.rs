//! A blocking POP3 client over any `Read + Write` stream: the [`ClientSession`] driven by
//! `std::io`, for tools and tests that have no runtime. It holds no protocol logic: every rule is
//! the session's.
//!
//! ```no_run
//! use std::net::TcpStream;
//! use pop3_codec::blocking::Client;
//!
//! let mut client = Client::connect(TcpStream::connect("127.0.0.1:1110")?)?;
//! client.login("alice", "secret")?;
//! for (msg, _size) in client.list()? {
//!     let message = client.retr(msg)?;
//!     println!("message {msg}: {} octets", message.len());
//! }
//! client.quit()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, Read, Write};

use framing::blocking::SessionDriver;

use crate::capability::Capabilities;
use crate::client::{ClientConfig, ClientEvent, ClientSession};
use crate::command::Command;
use crate::error::Error;
use crate::response::Response;

/// Why a [`Client`] call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// Reading or writing the stream failed.
    #[error("i/o: {0}")]
    Io(#[from] io::Error),
    /// The session refused the call or the server's bytes (see [`Error`]).
    #[error(transparent)]
    Pop3(#[from] Error),
    /// The login was refused (RFC 1939 §7; the code says why, RFC 2449 §8, RFC 3206).
    #[error("login refused: {}", .0.text)]
    LoginFailed(Response),
    /// The server answered `-ERR` to the command.
    #[error("{command:?} refused: {}", .response.text)]
    Refused {
        /// The command.
        command: Command,
        /// The server's response.
        response: Response,
    },
    /// The server closed the connection.
    #[error("the server closed the connection")]
    Closed,
}

/// A blocking POP3 client: a [`ClientSession`] over a stream (see the module docs).
#[derive(Debug)]
pub struct Client<S> {
    driver: SessionDriver<S, ClientSession>,
}

impl<S: Read + Write> Client<S> {
    /// Reads the greeting (RFC 1939 §4).
    pub fn connect(stream: S) -> Result<Client<S>, ClientError> {
        Client::with_config(stream, ClientConfig::default())
    }

    /// Reads the greeting, with these limits and relaxations.
    pub fn with_config(stream: S, config: ClientConfig) -> Result<Client<S>, ClientError> {
        let mut client = Client {
            driver: SessionDriver::new(stream, ClientSession::new(config)),
        };
        match client.next_event()? {
            ClientEvent::Greeting(_) => Ok(client),
            _ => Err(ClientError::Closed),
        }
    }

    /// The session, for its state (the greeting, the capabilities).
    pub fn session(&self) -> &ClientSession {
        self.driver.session()
    }

    /// Sends CAPA and returns the capabilities (RFC 2449 §5).
    pub fn capa(&mut self) -> Result<Capabilities, ClientError> {
        self.driver.session_mut().capa()?;
        self.until(|e| match e {
            ClientEvent::Capabilities(c) => Some(c),
            _ => None,
        })
    }

    /// Logs in with USER and PASS (RFC 1939 §7).
    pub fn login(&mut self, user: &str, password: &str) -> Result<Response, ClientError> {
        self.driver.session_mut().login(user, password)?;
        self.logged_in()
    }

    /// Logs in with APOP (RFC 1939 §7).
    pub fn apop(&mut self, user: &str, secret: &str) -> Result<Response, ClientError> {
        self.driver.session_mut().apop(user, secret)?;
        self.logged_in()
    }

    /// Logs in with AUTH PLAIN (RFC 5034, RFC 4616).
    pub fn auth_plain(&mut self, user: &str, password: &str) -> Result<Response, ClientError> {
        self.driver.session_mut().auth_plain(user, password)?;
        self.logged_in()
    }

    fn logged_in(&mut self) -> Result<Response, ClientError> {
        loop {
            match self.next_event()? {
                ClientEvent::LoggedIn(r) => return Ok(r),
                ClientEvent::LoginFailed(r) => return Err(ClientError::LoginFailed(r)),
                event => self.other(event)?,
            }
        }
    }

    /// STAT: the number of messages and their size in octets (RFC 1939 §5).
    pub fn stat(&mut self) -> Result<(u32, u64), ClientError> {
        self.driver.session_mut().stat()?;
        self.until(|e| match e {
            ClientEvent::Stat { count, size } => Some((count, size)),
            _ => None,
        })
    }

    /// LIST: every message's number and size (RFC 1939 §5).
    pub fn list(&mut self) -> Result<Vec<(u32, u64)>, ClientError> {
        self.driver.session_mut().list(None)?;
        self.until(|e| match e {
            ClientEvent::Listing(l) => Some(l),
            _ => None,
        })
    }

    /// UIDL: every message's number and unique id (RFC 1939 §7).
    pub fn uidl(&mut self) -> Result<Vec<(u32, String)>, ClientError> {
        self.driver.session_mut().uidl(None)?;
        self.until(|e| match e {
            ClientEvent::UniqueIds(l) => Some(l),
            _ => None,
        })
    }

    /// RETR: message `msg`, dot-unstuffed (RFC 1939 §5).
    pub fn retr(&mut self, msg: u32) -> Result<Vec<u8>, ClientError> {
        self.driver.session_mut().retr(msg)?;
        self.message()
    }

    /// TOP: the header of message `msg` and `lines` lines of its body (RFC 1939 §7).
    pub fn top(&mut self, msg: u32, lines: u32) -> Result<Vec<u8>, ClientError> {
        self.driver.session_mut().top(msg, lines)?;
        self.message()
    }

    fn message(&mut self) -> Result<Vec<u8>, ClientError> {
        let mut content = Vec::new();
        loop {
            match self.next_event()? {
                ClientEvent::Message { .. } => {}
                ClientEvent::Data(piece) => content.extend_from_slice(&piece),
                ClientEvent::MessageEnd => return Ok(content),
                event => self.other(event)?,
            }
        }
    }

    /// DELE: marks message `msg` for deletion at QUIT (RFC 1939 §5).
    pub fn dele(&mut self, msg: u32) -> Result<(), ClientError> {
        self.driver.session_mut().dele(msg)?;
        self.until(|e| matches!(e, ClientEvent::Deleted(_)).then_some(()))
    }

    /// RSET: unmarks every message (RFC 1939 §5).
    pub fn rset(&mut self) -> Result<(), ClientError> {
        self.driver.session_mut().rset()?;
        self.until(|e| matches!(e, ClientEvent::Done(_)).then_some(()))
    }

    /// QUIT: the server deletes the marked messages (RFC 1939 §6); hands back the stream.
    pub fn quit(mut self) -> Result<S, ClientError> {
        self.driver.session_mut().quit()?;
        self.until(|e| matches!(e, ClientEvent::Closed).then_some(()))?;
        Ok(self.driver.into_parts().0)
    }

    /// Events until `pick` takes one; a refusal or the end is an error.
    fn until<T>(&mut self, pick: impl Fn(ClientEvent) -> Option<T>) -> Result<T, ClientError> {
        loop {
            let event = self.next_event()?;
            if let ClientEvent::Refused { command, response } = event {
                return Err(ClientError::Refused { command, response });
            }
            if let ClientEvent::Closed = event {
                // QUIT's own answer is Closed too: `pick` sees it first.
                return pick(ClientEvent::Closed).ok_or(ClientError::Closed);
            }
            if let Some(t) = pick(event) {
                return Ok(t);
            }
        }
    }

    /// An event no call waits for: a refusal or the end is an error, anything else is dropped.
    fn other(&mut self, event: ClientEvent) -> Result<(), ClientError> {
        match event {
            ClientEvent::Refused { command, response } => {
                Err(ClientError::Refused { command, response })
            }
            ClientEvent::Closed => Err(ClientError::Closed),
            _ => Ok(()),
        }
    }

    /// The driver's next event; the end of the stream with nothing more to say is
    /// [`ClientError::Closed`].
    fn next_event(&mut self) -> Result<ClientEvent, ClientError> {
        match self.driver.next_event() {
            Ok(Ok(event)) => Ok(event),
            Ok(Err(e)) => Err(e.into()),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(ClientError::Closed),
            Err(e) => Err(e.into()),
        }
    }
}
