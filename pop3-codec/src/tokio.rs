//! Feature `tokio`: the [`ServerSession`] driven over a tokio stream. It holds no protocol logic:
//! it writes the responses the session queues, reads when the session needs bytes, and times out
//! an idle client (RFC 1939 §3: an inactivity autologout timer of at least 10 minutes).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use pop3_codec::server::{ServerConfig, ServerEvent, VecMaildrop};
//! use pop3_codec::tokio::ServerConnection;
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! let (client, server) = tokio::io::duplex(4096);
//! let server = tokio::spawn(async move {
//!     let mut conn = ServerConnection::new(server, ServerConfig::default());
//!     loop {
//!         match conn.next_event().await? {
//!             Ok(ServerEvent::Login { .. }) => {
//!                 conn.session_mut().accept(VecMaildrop::new(vec![b"hi\r\n".to_vec()]))?
//!             }
//!             Ok(ServerEvent::Quit | ServerEvent::Closed) => break,
//!             Ok(_) => {}
//!             Err(refused) => eprintln!("refused: {refused}"), // already answered
//!         }
//!     }
//!     conn.flush().await?;
//!     Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
//! });
//! let (mut read, mut write) = tokio::io::split(client);
//! write.write_all(b"USER a\r\nPASS b\r\nRETR 1\r\nQUIT\r\n").await?;
//! let mut responses = String::new();
//! read.read_to_string(&mut responses).await?;
//! assert!(responses.contains("+OK 4 octets\r\nhi\r\n.\r\n"), "{responses}");
//! server.await?.map_err(|e| e.to_string())?;
//! # Ok(())
//! # }
//! ```

use std::io;
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::error::Error;
use crate::server::{Maildrop, ServerConfig, ServerEvent, ServerSession};

/// A [`ServerSession`] over a tokio stream (see the module docs).
#[derive(Debug)]
pub struct ServerConnection<S, M> {
    stream: S,
    session: ServerSession<M>,
    buf: Box<[u8]>,
    idle: Duration,
    eof: bool,
}

impl<S: AsyncRead + AsyncWrite + Unpin, M: Maildrop> ServerConnection<S, M> {
    /// A connection with a new session; its greeting goes out with the first
    /// [`ServerConnection::next_event`].
    pub fn new(stream: S, config: ServerConfig) -> ServerConnection<S, M> {
        ServerConnection::from_parts(stream, ServerSession::new(config))
    }

    /// A connection on an existing session: after STLS, the TLS stream and the session that
    /// [`ServerConnection::into_parts`] gave back (once its `tls_established` was called).
    pub fn from_parts(stream: S, session: ServerSession<M>) -> ServerConnection<S, M> {
        ServerConnection {
            stream,
            session,
            buf: vec![0; 16 * 1024].into_boxed_slice(),
            idle: Duration::from_secs(600),
            eof: false,
        }
    }

    /// How long a read may wait for the client (RFC 1939 §3: at least 10 minutes, the
    /// default). A read that waits longer fails with [`io::ErrorKind::TimedOut`].
    pub fn idle_timeout(mut self, idle: Duration) -> ServerConnection<S, M> {
        self.idle = idle;
        self
    }

    /// The session, for its state.
    pub fn session(&self) -> &ServerSession<M> {
        &self.session
    }

    /// The session, to answer the event just returned ([`ServerSession::accept`],
    /// [`ServerSession::refuse`], ...); the answer goes out with the next call.
    pub fn session_mut(&mut self) -> &mut ServerSession<M> {
        &mut self.session
    }

    /// Writes the responses queued, then returns the next event, reading from the client as
    /// the session needs. The outer `Err` is the stream's failure (or the idle timeout); the
    /// inner `Err` is input the session refused and has already answered: log it and call
    /// again. After the client closed the connection, [`ServerEvent::Closed`] comes once, then
    /// an [`io::ErrorKind::UnexpectedEof`].
    pub async fn next_event(&mut self) -> io::Result<Result<ServerEvent, Error>> {
        loop {
            self.flush().await?;
            let polled = self.session.poll_event();
            // Responses queued while commands were read must go out before a read blocks.
            self.flush().await?;
            match polled {
                Ok(Some(event)) => return Ok(Ok(event)),
                Err(refused) => return Ok(Err(refused)),
                Ok(None) if self.eof => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(None) => {}
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

    /// The stream, the session and the bytes read past STLS (the client's first TLS bytes,
    /// RFC 2595 §4): for the caller's TLS layer, after [`ServerEvent::StartTls`] and a
    /// [`ServerConnection::flush`] that wrote the `+OK`.
    pub fn into_parts(mut self) -> (S, ServerSession<M>, Bytes) {
        let remaining = self.session.take_remaining();
        (self.stream, self.session, remaining)
    }
}
