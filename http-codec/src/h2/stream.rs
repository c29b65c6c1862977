//! Stream states (RFC 9113 §5.1): the seven states and the only legal transitions, for frames
//! sent and received. The connection keeps one [`StreamState`] per stream and asks it about
//! every frame; an illegal frame gets the error §5.1 names.
//!
//! ```text
//!                          +--------+
//!                  send PP |        | recv PP
//!                 ,--------+  idle  +--------.
//!                /         |        |         \
//!               v          +--------+          v
//!        +----------+          |           +----------+
//!        |          |          | send H /  |          |
//! ,------+ reserved |          | recv H    | reserved +------.
//! |      | (local)  |          |           | (remote) |      |
//! |      +---+------+          v           +------+---+      |
//! |          |             +--------+             |          |
//! |          |     recv ES |        | send ES     |          |
//! |   send H |     ,-------+  open  +-------.     | recv H   |
//! |          |    /        |        |        \    |          |
//! |          v   v         +---+----+         v   v          |
//! |      +----------+          |           +----------+      |
//! |      |   half-  |          |           |   half-  |      |
//! |      |  closed  |          | send R /  |  closed  |      |
//! |      | (remote) |          | recv R    | (local)  |      |
//! |      +----+-----+          |           +-----+----+      |
//! |           |                |                 |           |
//! |           | send ES /      |       recv ES / |           |
//! |           |  send R /      v        send R / |           |
//! |           |  recv R    +--------+   recv R   |           |
//! | send R /  `----------->|        |<-----------'  send R / |
//! | recv R                 | closed |               recv R   |
//! `----------------------->|        |<-----------------------'
//!                          +--------+
//! ```

use super::error::{Error, ErrorCode};

/// A stream's state (§5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamState {
    /// Not used yet.
    Idle,
    /// Promised by us with PUSH_PROMISE.
    ReservedLocal,
    /// Promised by the peer with PUSH_PROMISE.
    ReservedRemote,
    /// Both sides may send.
    Open,
    /// We sent END_STREAM; the peer may still send.
    HalfClosedLocal,
    /// The peer sent END_STREAM; we may still send.
    HalfClosedRemote,
    /// Done; `reset` when it ended with RST_STREAM, `by_peer` when the peer's frame closed it.
    Closed {
        /// Ended by RST_STREAM rather than END_STREAM.
        reset: bool,
        /// The peer's frame (END_STREAM or RST_STREAM) closed it.
        by_peer: bool,
    },
}

/// What a frame does to a stream's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// HEADERS (or its CONTINUATIONs ending the field block), with END_STREAM or not.
    Headers {
        /// END_STREAM.
        end_stream: bool,
    },
    /// DATA, with END_STREAM or not.
    Data {
        /// END_STREAM.
        end_stream: bool,
    },
    /// PUSH_PROMISE reserving this stream.
    PushPromise,
    /// RST_STREAM.
    Reset,
    /// PRIORITY: allowed in every state (§5.1).
    Priority,
    /// WINDOW_UPDATE.
    WindowUpdate,
}

impl StreamState {
    /// Whether the stream counts against SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2: open or
    /// half-closed).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            StreamState::Open | StreamState::HalfClosedLocal | StreamState::HalfClosedRemote
        )
    }

    /// Whether the peer may send DATA on it (open or half-closed local).
    pub fn peer_may_send_data(self) -> bool {
        matches!(self, StreamState::Open | StreamState::HalfClosedLocal)
    }

    /// Whether we may send DATA on it (open or half-closed remote).
    pub fn may_send_data(self) -> bool {
        matches!(self, StreamState::Open | StreamState::HalfClosedRemote)
    }

    /// The state after we send `event`; `Err` with the reason when we may not (a local misuse:
    /// the connection refuses the call).
    pub fn send(self, event: Event) -> Result<StreamState, &'static str> {
        use StreamState::*;
        let closed_local = Closed {
            reset: false,
            by_peer: false,
        };
        Ok(match (self, event) {
            (_, Event::Priority) => self,
            (Idle, Event::Headers { end_stream }) => {
                if end_stream {
                    HalfClosedLocal
                } else {
                    Open
                }
            }
            (Idle, Event::PushPromise) => ReservedLocal,
            (ReservedLocal, Event::Headers { end_stream }) => {
                if end_stream {
                    closed_local
                } else {
                    HalfClosedRemote
                }
            }
            (Open, Event::Headers { end_stream } | Event::Data { end_stream }) => {
                if end_stream {
                    HalfClosedLocal
                } else {
                    Open
                }
            }
            (HalfClosedRemote, Event::Headers { end_stream } | Event::Data { end_stream }) => {
                if end_stream {
                    closed_local
                } else {
                    HalfClosedRemote
                }
            }
            (Idle, Event::Reset) => return Err("RST_STREAM on an idle stream (RFC 9113 §5.1)"),
            (Closed { .. }, Event::Reset) => self,
            (_, Event::Reset) => Closed {
                reset: true,
                by_peer: false,
            },
            (ReservedRemote | Open | HalfClosedLocal | HalfClosedRemote, Event::WindowUpdate) => {
                self
            }
            (Closed { .. }, Event::WindowUpdate) => self,
            _ => {
                return Err(
                    "a frame this stream's state does not allow us to send (RFC 9113 §5.1)",
                );
            }
        })
    }

    /// The state after the peer's `event` on stream `id`, or the error §5.1 gives for it
    /// (connection or stream error, with its code). `offset` is the frame's stream offset.
    pub fn receive(self, event: Event, id: u32, offset: u64) -> Result<StreamState, Error> {
        use StreamState::*;
        let closed_by_peer = Closed {
            reset: false,
            by_peer: true,
        };
        let conn = |reason| {
            Err(Error::connection(
                ErrorCode::PROTOCOL_ERROR,
                offset,
                "§5.1",
                reason,
            ))
        };
        let stream_closed = |reason| {
            Err(Error::stream(
                id,
                ErrorCode::STREAM_CLOSED,
                offset,
                "§5.1",
                reason,
            ))
        };
        Ok(match (self, event) {
            (_, Event::Priority) => self,
            (Idle, Event::Headers { end_stream }) => {
                if end_stream {
                    HalfClosedRemote
                } else {
                    Open
                }
            }
            (Idle, Event::PushPromise) => ReservedRemote,
            (Idle, _) => {
                return conn(
                    "a frame other than HEADERS, PUSH_PROMISE or PRIORITY on an idle stream",
                );
            }
            (ReservedLocal, Event::Reset) => Closed {
                reset: true,
                by_peer: true,
            },
            (ReservedLocal, Event::WindowUpdate) => self,
            (ReservedLocal, _) => {
                return conn(
                    "a frame other than RST_STREAM, WINDOW_UPDATE or PRIORITY on a stream reserved by us",
                );
            }
            (ReservedRemote, Event::Headers { end_stream }) => {
                if end_stream {
                    closed_by_peer
                } else {
                    HalfClosedLocal
                }
            }
            (ReservedRemote, Event::Reset) => Closed {
                reset: true,
                by_peer: true,
            },
            (ReservedRemote, _) => {
                return conn(
                    "a frame other than HEADERS, RST_STREAM or PRIORITY on a stream reserved by the peer",
                );
            }
            (Open, Event::Headers { end_stream } | Event::Data { end_stream }) => {
                if end_stream {
                    HalfClosedRemote
                } else {
                    Open
                }
            }
            (HalfClosedLocal, Event::Headers { end_stream } | Event::Data { end_stream }) => {
                if end_stream {
                    closed_by_peer
                } else {
                    HalfClosedLocal
                }
            }
            (Open | HalfClosedLocal | HalfClosedRemote, Event::WindowUpdate) => self,
            (Open | HalfClosedLocal | HalfClosedRemote, Event::Reset) => Closed {
                reset: true,
                by_peer: true,
            },
            (HalfClosedRemote, _) => return stream_closed("a frame after the peer's END_STREAM"),
            (Open | HalfClosedLocal, Event::PushPromise) => {
                // A promised stream is new: reserving an open one is the peer's error.
                return conn("PUSH_PROMISE reserving a stream that is in use");
            }
            (Closed { reset: false, .. }, Event::Headers { .. }) => {
                // §5.1 "closed": a stream closed by END_STREAM both ways had the peer's
                // END_STREAM, after which nothing of the peer's can be in flight: "any frames
                // after receiving a frame with the END_STREAM flag set" are a connection error
                // of type STREAM_CLOSED.
                return Err(Error::connection(
                    ErrorCode::STREAM_CLOSED,
                    offset,
                    "§5.1",
                    "HEADERS on a stream closed by END_STREAM",
                ));
            }
            (Closed { reset: false, .. }, Event::Data { .. }) => {
                // §6.1 names the stream error for DATA on a stream that is not open.
                return stream_closed("DATA on a stream closed by END_STREAM");
            }
            (Closed { .. }, Event::WindowUpdate | Event::Reset) => self,
            (Closed { .. }, Event::PushPromise) => return conn("PUSH_PROMISE on a closed stream"),
            // Closed by us (END_STREAM both ways, or our RST_STREAM): frames in flight may
            // still arrive; the connection decides how long to tolerate them (§5.1, §6.4).
            (Closed { .. }, _) => return stream_closed("a frame on a closed stream"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::StreamState::*;
    use super::*;

    #[test]
    fn a_request_and_its_response() {
        // Server side: the request's HEADERS with END_STREAM, the response's HEADERS and DATA.
        let s = Idle
            .receive(Event::Headers { end_stream: true }, 1, 0)
            .unwrap();
        assert_eq!(s, HalfClosedRemote);
        let s = s.send(Event::Headers { end_stream: false }).unwrap();
        let s = s.send(Event::Data { end_stream: true }).unwrap();
        assert_eq!(
            s,
            Closed {
                reset: false,
                by_peer: false
            }
        );
        assert!(!s.is_active());
    }

    #[test]
    fn illegal_frames_get_their_codes() {
        let e = Idle
            .receive(Event::Data { end_stream: false }, 1, 7)
            .unwrap_err();
        assert!(e.is_connection_error());
        assert_eq!((e.code, e.offset), (ErrorCode::PROTOCOL_ERROR, 7));
        let e = HalfClosedRemote
            .receive(Event::Data { end_stream: false }, 3, 0)
            .unwrap_err();
        assert_eq!(
            (e.code, e.is_connection_error()),
            (ErrorCode::STREAM_CLOSED, false)
        );
        assert!(Idle.send(Event::Reset).is_err());
        assert!(
            HalfClosedLocal
                .send(Event::Data { end_stream: false })
                .is_err()
        );
        assert_eq!(Open.receive(Event::Priority, 1, 0).unwrap(), Open);
        // §5.1 "closed": HEADERS after the peer's END_STREAM ends the connection; DATA there
        // is the stream error §6.1 names.
        let done = Closed {
            reset: false,
            by_peer: false,
        };
        let e = done
            .receive(Event::Headers { end_stream: true }, 1, 0)
            .unwrap_err();
        assert_eq!(
            (e.code, e.is_connection_error()),
            (ErrorCode::STREAM_CLOSED, true)
        );
        let e = done
            .receive(Event::Data { end_stream: true }, 1, 0)
            .unwrap_err();
        assert_eq!(
            (e.code, e.is_connection_error()),
            (ErrorCode::STREAM_CLOSED, false)
        );
        assert_eq!(
            ReservedRemote
                .receive(Event::Headers { end_stream: false }, 2, 0)
                .unwrap(),
            HalfClosedLocal
        );
    }
}
