//! Why a [`Connection`](super::Connection) refuses something the user asked it to send: a
//! local misuse, never the peer's fault (the peer's faults are [`Error`](super::Error)s).

/// A send call the connection's state does not allow (RFC 9113 §5.1, §5.1.2, §6.8, §8).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// A client call on a server connection, or the other way round.
    #[error("this call belongs to the other role")]
    WrongRole,
    /// No such stream (never opened, or closed and forgotten).
    #[error("stream {0} is not known")]
    UnknownStream(u32),
    /// The stream's state does not allow this frame (§5.1), or the message is in the wrong
    /// order (a second final response, data before the response head, data after the end).
    #[error("stream {stream}: {reason}")]
    State {
        /// The stream.
        stream: u32,
        /// What is wrong.
        reason: &'static str,
    },
    /// A GOAWAY was sent or received, or the connection failed: no new streams (§6.8).
    #[error("the connection is closing: no new streams (RFC 9113 §6.8)")]
    Closing,
    /// The peer's SETTINGS_MAX_CONCURRENT_STREAMS is reached (§5.1.2).
    #[error("the peer's SETTINGS_MAX_CONCURRENT_STREAMS of {0} is reached (RFC 9113 §5.1.2)")]
    TooManyStreams(u32),
    /// Every stream identifier is used: open a new connection (§5.1.1).
    #[error("stream identifiers are exhausted (RFC 9113 §5.1.1)")]
    StreamIdsExhausted,
    /// The stream's send buffer would pass its limit (`Config::max_send_buffer`).
    #[error("stream {stream}: the send buffer would pass {limit} octets")]
    BufferFull {
        /// The stream.
        stream: u32,
        /// The limit.
        limit: usize,
    },
    /// The message cannot be sent over HTTP/2 (§8: a 101, an empty :path, CR/LF/NUL).
    #[error("the message cannot be sent: {0}")]
    Invalid(&'static str),
}
