//! Feature `tokio`: the [`ServerSession`] driven over a tokio stream. It holds no protocol logic:
//! it writes the replies the session queues, reads when the session needs bytes, and times out
//! an idle client (RFC 5321 §4.5.3.2.7: at least five minutes).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use smtp_codec::tokio::ServerConnection;
//! use smtp_codec::{Domain, ServerConfig, ServerEvent};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! let (client, server) = tokio::io::duplex(4096);
//! let config = ServerConfig::new(Domain::new("mx.example")?);
//! let server = tokio::spawn(async move {
//!     let mut conn = ServerConnection::new(server, config);
//!     let mut message = Vec::new();
//!     loop {
//!         match conn.next_event().await? {
//!             Ok(ServerEvent::Mail { .. } | ServerEvent::Rcpt { .. }) => conn.session_mut().accept()?,
//!             Ok(ServerEvent::Data(piece)) => message.extend_from_slice(&piece),
//!             Ok(ServerEvent::MessageEnd) => conn.session_mut().accept()?,
//!             Ok(ServerEvent::Quit | ServerEvent::Closed) => break,
//!             Ok(_) => {}
//!             Err(refused) => eprintln!("refused: {refused}"), // already answered
//!         }
//!     }
//!     conn.flush().await?;
//!     Ok::<_, Box<dyn std::error::Error + Send + Sync>>(message)
//! });
//! let (mut read, mut write) = tokio::io::split(client);
//! write
//!     .write_all(b"EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\n")
//!     .await?;
//! write.write_all(b"DATA\r\n..hi\r\n.\r\nQUIT\r\n").await?;
//! let mut replies = String::new();
//! read.read_to_string(&mut replies).await?;
//! assert!(replies.ends_with("221 2.0.0 mx.example closing connection\r\n"), "{replies}");
//! assert_eq!(server.await?.map_err(|e| e.to_string())?, b".hi\r\n");
//! # Ok(())
//! # }
//! ```

use std::io;
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::error::Error;
use crate::server::{ServerConfig, ServerEvent, ServerSession};

/// A [`ServerSession`] over a tokio stream (see the module docs).
#[derive(Debug)]
pub struct ServerConnection<S> {
    stream: S,
    session: ServerSession,
    buf: Box<[u8]>,
    idle: Duration,
    eof: bool,
}

impl<S: AsyncRead + AsyncWrite + Unpin> ServerConnection<S> {
    /// A connection with a new session; its 220 greeting goes out with the first
    /// [`ServerConnection::next_event`].
    pub fn new(stream: S, config: ServerConfig) -> ServerConnection<S> {
        ServerConnection::from_parts(stream, ServerSession::new(config))
    }

    /// A connection on an existing session: after STARTTLS, the TLS stream and the session
    /// that [`ServerConnection::into_parts`] gave back (once its `tls_established` was called).
    pub fn from_parts(stream: S, session: ServerSession) -> ServerConnection<S> {
        ServerConnection {
            stream,
            session,
            buf: vec![0; 16 * 1024].into_boxed_slice(),
            idle: Duration::from_secs(300),
            eof: false,
        }
    }

    /// How long a read may wait for the client (RFC 5321 §4.5.3.2.7: five minutes, the
    /// default). A read that waits longer fails with [`io::ErrorKind::TimedOut`].
    pub fn idle_timeout(mut self, idle: Duration) -> ServerConnection<S> {
        self.idle = idle;
        self
    }

    /// The session, for its state.
    pub fn session(&self) -> &ServerSession {
        &self.session
    }

    /// The session, to answer the event just returned ([`ServerSession::accept`],
    /// [`ServerSession::refuse`], ...); the answer goes out with the next call.
    pub fn session_mut(&mut self) -> &mut ServerSession {
        &mut self.session
    }

    /// Writes the replies queued, then returns the next event, reading from the client as the
    /// session needs. The outer `Err` is the stream's failure (or the idle timeout); the inner
    /// `Err` is input the session refused and has already answered, as
    /// [`ServerSession::poll_event`] says: log it and call again. After the client closed the
    /// connection, [`ServerEvent::Closed`] comes once, then an [`io::ErrorKind::UnexpectedEof`].
    pub async fn next_event(&mut self) -> io::Result<Result<ServerEvent, Error>> {
        loop {
            self.flush().await?;
            match self.session.poll_event() {
                Ok(Some(event)) => return Ok(Ok(event)),
                Err(refused) => return Ok(Err(refused)),
                Ok(None) if self.eof => return Err(io::ErrorKind::UnexpectedEof.into()),
                // Replies queued while the input was consumed (the 354 to DATA, a BDAT chunk's
                // 250) go out before blocking on a read the client may be waiting to make.
                Ok(None) => self.flush().await?,
            }
            let read = tokio::time::timeout(self.idle, self.stream.read(&mut self.buf)).await;
            let n = read.map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
            match self.buf.get(..n) {
                Some([]) | None => {
                    self.eof = true;
                    self.session.receive_eof();
                }
                Some(bytes) => self.session.receive(bytes),
            }
        }
    }

    /// Writes what the session has queued (after a QUIT, before closing).
    pub async fn flush(&mut self) -> io::Result<()> {
        let mut wrote = false;
        while let Some(bytes) = self.session.poll_transmit() {
            self.stream.write_all(&bytes).await?;
            wrote = true;
        }
        if wrote {
            self.stream.flush().await?;
        }
        Ok(())
    }

    /// The stream, the session and the bytes read past STARTTLS (the client's first TLS
    /// bytes, RFC 3207 §4): for the caller's TLS layer, after [`ServerEvent::StartTls`] and a
    /// [`ServerConnection::flush`] that wrote the 220.
    pub fn into_parts(mut self) -> (S, ServerSession, Bytes) {
        let remaining = self.session.take_remaining();
        (self.stream, self.session, remaining)
    }
}
