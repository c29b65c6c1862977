//! Feature `tokio`: the [`ServerSession`] driven over a tokio stream by framing's shared driver
//! ([`framing::tokio::SessionDriver`]). It holds no protocol logic: it writes the replies the
//! session queues, reads when the session needs bytes, and times out an idle client (RFC 5321
//! §4.5.3.2.7: five minutes).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use smtp_codec::tokio::ServerConnection;
//! use smtp_codec::{Domain, ServerConfig, ServerEvent, ServerSession};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! let (client, server) = tokio::io::duplex(4096);
//! let config = ServerConfig::new(Domain::new("mx.example")?);
//! let server = tokio::spawn(async move {
//!     let mut conn = ServerConnection::new(server, ServerSession::new(config));
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

use crate::server::ServerSession;

/// A [`ServerSession`] over a tokio stream: `ServerConnection::new(stream, session)`, then
/// `next_event().await` (the outer `Err` is the stream's failure or the idle timeout, the inner
/// one input the session refused and already answered), `session_mut()` to answer, `flush()`
/// before closing. After [`crate::ServerEvent::StartTls`] and a `flush()` that wrote the 220,
/// `into_parts()` gives the stream and the session, whose
/// [`ServerSession::take_remaining`] holds the client's first TLS bytes.
pub type ServerConnection<S> = framing::tokio::SessionDriver<S, ServerSession>;
