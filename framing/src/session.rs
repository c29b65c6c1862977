//! The shape every sans-IO session of the workspace shares (SMTP, POP3, HTTP/1 and HTTP/2
//! connections, the DNS stub client): bytes in with `receive` / `receive_eof`, events out with
//! `poll_event`, bytes to write with `poll_transmit`. One trait, so one small driver per I/O
//! model runs any of them over a stream: [`crate::blocking::SessionDriver`] and, with the
//! feature `tokio`, `framing::tokio::SessionDriver`.

use std::time::Duration;

use bytes::Bytes;

/// A sans-IO session, as the drivers see it.
pub trait Session {
    /// What the session reports.
    type Event;
    /// What `poll_event` returns when it refuses input or stops.
    type Error;

    /// Bytes that arrived from the peer.
    fn receive(&mut self, bytes: &[u8]);

    /// The peer closed its side of the stream.
    fn receive_eof(&mut self);

    /// Bytes to write to the peer, if any.
    fn poll_transmit(&mut self) -> Option<Bytes>;

    /// The next event, `None` until more bytes arrive.
    fn poll_event(&mut self) -> Result<Option<Self::Event>, Self::Error>;

    /// How long a driver lets a read wait for the peer before it gives up, if the protocol
    /// says (SMTP: 5 minutes, RFC 5321 §4.5.3.2.7; POP3: 10 minutes, RFC 1939 §3).
    fn idle_timeout(&self) -> Option<Duration> {
        None
    }
}
