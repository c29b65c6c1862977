//! Feature `tokio`: the [`ServerSession`] driven over a tokio stream by framing's shared driver
//! ([`framing::tokio::SessionDriver`]). It holds no protocol logic: it writes the responses the
//! session queues, reads when the session needs bytes, and times out an idle client (RFC 1939
//! §3: an inactivity autologout timer of at least 10 minutes).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use pop3_codec::server::{ServerConfig, ServerEvent, ServerSession, VecMaildrop};
//! use pop3_codec::tokio::ServerConnection;
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! let (client, server) = tokio::io::duplex(4096);
//! let server = tokio::spawn(async move {
//!     let session = ServerSession::<VecMaildrop>::new(ServerConfig::default());
//!     let mut conn = ServerConnection::new(server, session);
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

use crate::server::ServerSession;

/// A [`ServerSession`] over a tokio stream: `ServerConnection::new(stream, session)`, then
/// `next_event().await` (the outer `Err` is the stream's failure or the idle timeout, the inner
/// one input the session refused and already answered), `session_mut()` to answer, `flush()`
/// before closing. After [`crate::ServerEvent::StartTls`] and a `flush()` that wrote the `+OK`,
/// `into_parts()` gives the stream and the session, whose
/// [`ServerSession::take_remaining`] holds the client's first TLS bytes.
pub type ServerConnection<S, M> = framing::tokio::SessionDriver<S, ServerSession<M>>;
