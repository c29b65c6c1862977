//! What a [`Connection`] writes (RFC 9113 §5.1, §6.9, §4.3): frames, field blocks split into
//! HEADERS and CONTINUATIONs, buffered data as the windows allow, and the bookkeeping of stream
//! states.

use bytes::{BufMut, Bytes, BytesMut};
use framing::Encoder;

use super::{ConnEvent, Connection, End, Stream};
use crate::h2::flow::DEFAULT_WINDOW;
use crate::h2::frame::Frame;
use crate::h2::hpack::HeaderField;
use crate::h2::send_error::SendError;
use crate::h2::stream::{Event as StreamEvent, StreamState};

impl Connection {
    /// Our receive window for a new stream: our SETTINGS_INITIAL_WINDOW_SIZE, but not less than
    /// 65,535 until the peer has acknowledged it (it may send by the old value until then).
    pub(super) fn recv_initial(&self) -> u32 {
        if self.ours_acked {
            self.ours.initial_window_size
        } else {
            self.ours.initial_window_size.max(DEFAULT_WINDOW)
        }
    }

    pub(super) fn release_connection(&mut self, octets: u64) {
        let n = octets.min(self.conn_unreleased);
        self.conn_unreleased -= n;
        let Ok(n) = u32::try_from(n) else {
            return;
        };
        if n > 0 && self.recv_window.increase(n).is_ok() {
            self.write(&Frame::WindowUpdate {
                stream: 0,
                increment: n,
            });
        }
    }

    pub(super) fn sendable_stream(&mut self, stream: u32) -> Result<&mut Stream, SendError> {
        if self.failed {
            return Err(SendError::Closing);
        }
        let s = self
            .streams
            .get_mut(&stream)
            .ok_or(SendError::UnknownStream(stream))?;
        if !s.state.may_send_data() {
            return Err(SendError::State {
                stream,
                reason: "the stream's state does not allow sending (RFC 9113 §5.1)",
            });
        }
        if s.end_queued {
            return Err(SendError::State {
                stream,
                reason: "the message has already ended",
            });
        }
        Ok(s)
    }

    pub(super) fn write(&mut self, frame: &Frame) {
        if self.failed {
            // After a connection error's GOAWAY nothing more is said (§5.4.1).
            return;
        }
        let result = self.encoder.encode(frame, &mut self.transmit);
        debug_assert!(result.is_ok(), "a frame we built is invalid: {result:?}");
    }

    /// Encodes `fields` and writes HEADERS + CONTINUATIONs within the peer's frame size.
    pub(super) fn write_block(&mut self, stream: u32, fields: &[HeaderField], end_stream: bool) {
        let mut block = BytesMut::new();
        self.hpack_encoder.encode(fields, &mut block);
        let max = self.encoder.max_frame_size() as usize;
        let mut block = block.freeze();
        let first = block.split_to(block.len().min(max));
        self.write(&Frame::Headers {
            stream,
            fragment: first,
            end_stream,
            end_headers: block.is_empty(),
            priority: None,
            padding: None,
        });
        while !block.is_empty() {
            let fragment = block.split_to(block.len().min(max));
            self.write(&Frame::Continuation {
                stream,
                fragment,
                end_headers: block.is_empty(),
            });
        }
    }

    /// Writes what the windows allow of the buffered data, a frame per stream per round so
    /// streams share the connection's window.
    pub(super) fn flush(&mut self) {
        if self.failed {
            return;
        }
        loop {
            let mut progress = false;
            let ids: Vec<u32> = self.sendable.iter().copied().collect();
            for id in ids {
                match self.flush_one(id) {
                    Some(true) => progress = true,
                    Some(false) => {}
                    None => {
                        self.sendable.remove(&id);
                    }
                }
            }
            if !progress {
                return;
            }
        }
    }

    /// One frame of `id`'s output: `Some(true)` when written, `Some(false)` when blocked by a
    /// window, `None` when the stream has nothing left.
    pub(super) fn flush_one(&mut self, id: u32) -> Option<bool> {
        let max = self.encoder.max_frame_size() as usize;
        let conn_window = self.send_window.available() as usize;
        let s = self.streams.get_mut(&id)?;
        if s.buffered > 0 {
            let n = s
                .buffered
                .min(s.send_window.available() as usize)
                .min(conn_window)
                .min(max);
            if n == 0 {
                return Some(false);
            }
            let chunk = if s.buf.front().map_or(0, Bytes::len) >= n {
                // The common case: a slice of one buffered piece, no copy.
                let front = s.buf.front_mut()?;
                let chunk = front.split_to(n);
                if front.is_empty() {
                    s.buf.pop_front();
                }
                chunk
            } else {
                let mut chunk = BytesMut::with_capacity(n);
                while chunk.len() < n {
                    let front = s.buf.front_mut()?;
                    let part = front.split_to(front.len().min(n - chunk.len()));
                    chunk.put_slice(&part);
                    if front.is_empty() {
                        s.buf.pop_front();
                    }
                }
                chunk.freeze()
            };
            s.buffered -= n;
            let writable = s.blocked && s.buffered <= self.config.max_send_buffer / 2;
            if writable {
                s.blocked = false;
                self.events.push_back(ConnEvent::Writable { stream: id });
            }
            let last = s.buffered == 0 && s.end == Some(End::Data);
            let _ = s.send_window.consume(n as u32);
            let _ = self.send_window.consume(n as u32);
            let state = s.state;
            if last {
                s.end = None;
            }
            self.write(&Frame::data(id, chunk, last));
            if last && let Ok(next) = state.send(StreamEvent::Data { end_stream: true }) {
                self.set_state(id, next);
            }
            return Some(true);
        }
        let end = s.end.take()?;
        let state = s.state;
        match end {
            End::Data => self.write(&Frame::data(id, Bytes::new(), true)),
            End::Trailers(fields) => self.write_block(id, &fields, true),
        }
        if let Ok(next) = state.send(StreamEvent::Data { end_stream: true }) {
            self.set_state(id, next);
        }
        Some(true)
    }

    /// Moves `id` to `state`, keeping the counts of active streams and the memory of closed
    /// ones.
    pub(super) fn set_state(&mut self, id: u32, state: StreamState) {
        let local = !self.is_peer_stream(id);
        let Some(s) = self.streams.get_mut(&id) else {
            return;
        };
        let (was, now) = (s.state.is_active(), state.is_active());
        let newly_closed = !matches!(s.state, StreamState::Closed { .. })
            && matches!(state, StreamState::Closed { .. });
        s.state = state;
        if newly_closed {
            s.buf.clear();
            s.buffered = 0;
            s.end = None;
        }
        let count = if local {
            &mut self.local_active
        } else {
            &mut self.peer_active
        };
        match (was, now) {
            (false, true) => *count += 1,
            (true, false) => *count = count.saturating_sub(1),
            _ => {}
        }
        if newly_closed {
            self.sendable.remove(&id);
            self.closed.push_back(id);
            while self.closed.len() > self.config.max_closed_streams {
                if let Some(old) = self.closed.pop_front() {
                    self.streams.remove(&old);
                }
            }
        }
    }
}
