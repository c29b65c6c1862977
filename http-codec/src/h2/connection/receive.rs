//! The frames a [`Connection`] receives (RFC 9113 §5, §6, §8): each checked against the
//! connection's and the stream's state, and turned into events or errors.

use bytes::{Bytes, BytesMut};

use super::{Block, ConnEvent, Connection, Recv, Role, Stream, calm, conn_error};
use crate::h2::config::TINY_DATA;
use crate::h2::error::{Error, ErrorCode, Scope};
use crate::h2::flow::DEFAULT_WINDOW;
use crate::h2::frame::Frame;
use crate::h2::hpack::{ErrorKind, HeaderField};
use crate::h2::semantics;
use crate::h2::settings::Settings;
use crate::h2::stream::{Event as StreamEvent, StreamState};

/// §5.3.1: "A stream cannot depend on itself. An endpoint MUST treat this as a stream error
/// of type PROTOCOL_ERROR."
fn self_dependency(stream: u32, at: u64) -> Error {
    Error::stream(
        stream,
        ErrorCode::PROTOCOL_ERROR,
        at,
        "§5.3.1",
        "a stream that depends on itself",
    )
}

impl Connection {
    pub(super) fn handle(&mut self, frame: Frame, at: u64) -> Result<(), Error> {
        if !self.got_settings && !matches!(frame, Frame::Settings { ack: false, .. }) {
            return Err(conn_error(
                ErrorCode::PROTOCOL_ERROR,
                at,
                "§3.4",
                "the peer's first frame is not SETTINGS",
            ));
        }
        if let Some(block) = &self.block
            && !matches!(&frame, Frame::Continuation { stream, .. } if *stream == block.stream)
        {
            return Err(conn_error(
                ErrorCode::PROTOCOL_ERROR,
                at,
                "§6.10",
                "a frame other than CONTINUATION on the same stream inside a field block",
            ));
        }
        match frame {
            Frame::Data {
                stream,
                ref data,
                end_stream,
                ..
            } => {
                let flow = frame.flow_controlled_len();
                self.on_data(stream, data.clone(), end_stream, flow, at)
            }
            Frame::Headers {
                stream,
                fragment,
                end_stream,
                end_headers,
                priority,
                ..
            } => {
                let self_dependent = priority.is_some_and(|p| p.dependency == stream);
                self.on_headers(
                    stream,
                    fragment,
                    end_stream,
                    end_headers,
                    self_dependent,
                    at,
                )
            }
            Frame::Priority { stream, priority } if priority.dependency == stream => {
                // §5.3.1: a stream error, whatever the stream's state (PRIORITY may come in
                // any state, §5.1). It changes no state, so the stream stays as it was.
                Err(self_dependency(stream, at))
            }
            Frame::Priority { .. } | Frame::Unknown { .. } => Ok(()),
            Frame::RstStream { stream, code } => self.on_reset(stream, code, at),
            Frame::Settings { ack, params } => self.on_settings(ack, &params, at),
            Frame::PushPromise { .. } => Err(conn_error(
                ErrorCode::PROTOCOL_ERROR,
                at,
                "§8.4",
                match self.role {
                    Role::Server => "PUSH_PROMISE from a client",
                    Role::Client => "PUSH_PROMISE after SETTINGS_ENABLE_PUSH = 0",
                },
            )),
            Frame::Ping { ack: true, data } => {
                self.events.push_back(ConnEvent::PingAck(data));
                Ok(())
            }
            Frame::Ping { ack: false, data } => {
                self.write(&Frame::Ping { ack: true, data });
                self.count_control(at)
            }
            Frame::GoAway {
                last_stream,
                code,
                debug,
            } => {
                self.on_goaway(last_stream, code, debug);
                Ok(())
            }
            Frame::WindowUpdate { stream, increment } => {
                self.on_window_update(stream, increment, at)
            }
            Frame::Continuation {
                stream,
                fragment,
                end_headers,
            } => self.on_continuation(stream, fragment, end_headers, at),
        }
    }

    /// Whether `stream` is one the peer opens (§5.1.1).
    pub(super) fn is_peer_stream(&self, stream: u32) -> bool {
        (stream % 2 == 1) == (self.role == Role::Server)
    }

    /// Whether an unknown `stream` is idle (never used) rather than closed and forgotten.
    pub(super) fn is_idle(&self, stream: u32) -> bool {
        if self.is_peer_stream(stream) {
            stream > self.last_peer
        } else {
            stream >= self.next_local
        }
    }

    /// Whether `stream` is one the peer opened after our GOAWAY: ignored (§6.8).
    pub(super) fn ignored_after_goaway(&self, stream: u32) -> bool {
        self.is_peer_stream(stream) && self.goaway_sent.is_some_and(|last| stream > last)
    }

    pub(super) fn on_headers(
        &mut self,
        stream: u32,
        fragment: Bytes,
        end_stream: bool,
        end_headers: bool,
        self_dependent: bool,
        at: u64,
    ) -> Result<(), Error> {
        let ours = !self.is_peer_stream(stream);
        if !self.streams.contains_key(&stream) {
            if ours && !self.is_idle(stream) {
                // One of ours, closed and forgotten: a late response or trailers. The block is
                // still decoded (HPACK state), then dropped.
            } else if ours || self.role == Role::Client {
                return Err(conn_error(
                    ErrorCode::PROTOCOL_ERROR,
                    at,
                    "§5.1.1",
                    "HEADERS on a stream the peer may not open",
                ));
            } else if stream <= self.last_peer {
                return Err(conn_error(
                    ErrorCode::PROTOCOL_ERROR,
                    at,
                    "§5.1.1",
                    "a new stream identifier not above every one the peer used before",
                ));
            }
        }
        if fragment.len() > self.config.max_header_list_size as usize {
            return Err(calm(at, "a field block over SETTINGS_MAX_HEADER_LIST_SIZE"));
        }
        if end_headers {
            return self.on_block(stream, end_stream, self_dependent, fragment, at);
        }
        self.block = Some(Block {
            stream,
            end_stream,
            self_dependent,
            fragment: BytesMut::from(fragment.as_ref()),
            continuations: 0,
            offset: at,
        });
        Ok(())
    }

    pub(super) fn on_continuation(
        &mut self,
        stream: u32,
        fragment: Bytes,
        end_headers: bool,
        at: u64,
    ) -> Result<(), Error> {
        let Some(block) = self.block.as_mut() else {
            return Err(conn_error(
                ErrorCode::PROTOCOL_ERROR,
                at,
                "§6.10",
                "CONTINUATION outside a field block",
            ));
        };
        debug_assert_eq!(block.stream, stream);
        block.continuations += 1;
        if block.continuations > self.config.max_continuations {
            return Err(calm(
                at,
                "more CONTINUATION frames than Config::max_continuations",
            ));
        }
        if block.fragment.len() + fragment.len() > self.config.max_header_list_size as usize {
            return Err(calm(at, "a field block over SETTINGS_MAX_HEADER_LIST_SIZE"));
        }
        block.fragment.extend_from_slice(&fragment);
        if !end_headers {
            return Ok(());
        }
        let Some(block) = self.block.take() else {
            return Ok(());
        };
        self.on_block(
            block.stream,
            block.end_stream,
            block.self_dependent,
            block.fragment.freeze(),
            block.offset,
        )
    }

    /// A complete field block on `stream`: decoded first (HPACK state is the connection's),
    /// then given to the stream.
    pub(super) fn on_block(
        &mut self,
        stream: u32,
        end_stream: bool,
        self_dependent: bool,
        block: Bytes,
        at: u64,
    ) -> Result<(), Error> {
        let fields = self
            .hpack_decoder
            .decode(&block)
            .map_err(|e| match e.kind {
                ErrorKind::HeaderListTooLarge { .. } | ErrorKind::TooManyFields { .. } => calm(
                    at,
                    "a field section over SETTINGS_MAX_HEADER_LIST_SIZE or Config::max_field_count",
                ),
                _ => conn_error(
                    ErrorCode::COMPRESSION_ERROR,
                    at,
                    "§4.3",
                    "a field block HPACK cannot decode (RFC 7541)",
                ),
            })?;
        let malformed =
            |reason| Error::stream(stream, ErrorCode::PROTOCOL_ERROR, at, "§8.1.1", reason);
        let Some(s) = self.streams.get(&stream) else {
            if !self.is_peer_stream(stream) {
                return Ok(());
            }
            return self.on_new_stream(stream, end_stream, self_dependent, &fields, at);
        };
        if self_dependent && !matches!(s.state, StreamState::Closed { .. }) {
            // §5.3.1, on a stream in use (trailers, or a response to us): reset it.
            return Err(self_dependency(stream, at));
        }
        if s.state
            == (StreamState::Closed {
                reset: true,
                by_peer: false,
            })
        {
            // In flight when we reset it (§5.1): ignored.
            return Ok(());
        }
        let state = s
            .state
            .receive(StreamEvent::Headers { end_stream }, stream, at)?;
        let (recv, head_request, expected, received) =
            (s.recv, s.head_request, s.expected_len, s.received_len);
        if recv == Recv::Head && self.role == Role::Client {
            let response = semantics::response(&fields).map_err(malformed)?;
            let interim = response.is_informational();
            if interim && end_stream {
                return Err(malformed(
                    "END_STREAM on an interim response (RFC 9113 §8.1)",
                ));
            }
            let expected = semantics::content_length(&response.headers).map_err(malformed)?;
            let no_body = head_request || response.status == 304 || response.status == 204;
            if end_stream && !no_body && expected.is_some_and(|n| n != 0) {
                return Err(malformed(
                    "content-length above 0 and no DATA (RFC 9113 §8.1.1)",
                ));
            }
            if let Some(s) = self.streams.get_mut(&stream)
                && !interim
            {
                s.recv = Recv::Body;
                s.expected_len = if no_body { None } else { expected };
            }
            self.events.push_back(ConnEvent::Response {
                stream,
                response,
                end_stream,
            });
        } else {
            // Trailers (§8.1): they end the message.
            if !end_stream {
                return Err(malformed(
                    "a second HEADERS without END_STREAM (RFC 9113 §8.1)",
                ));
            }
            let trailers = semantics::trailers(&fields).map_err(malformed)?;
            if expected.is_some_and(|n| n != received) {
                return Err(malformed(
                    "DATA shorter than content-length (RFC 9113 §8.1.1)",
                ));
            }
            self.events
                .push_back(ConnEvent::Trailers { stream, trailers });
        }
        self.set_state(stream, state);
        Ok(())
    }

    /// A request opening a new stream (server).
    pub(super) fn on_new_stream(
        &mut self,
        stream: u32,
        end_stream: bool,
        self_dependent: bool,
        fields: &[HeaderField],
        at: u64,
    ) -> Result<(), Error> {
        self.last_peer = stream;
        if self.goaway_sent.is_some() {
            // §6.8: streams above the last one in our GOAWAY are ignored.
            return Ok(());
        }
        let state = StreamState::Idle.receive(StreamEvent::Headers { end_stream }, stream, at)?;
        let mut s = Stream::new(
            StreamState::Idle,
            self.theirs.initial_window_size,
            self.recv_initial(),
        );
        s.recv = Recv::Body;
        self.streams.insert(stream, s);
        if self_dependent {
            // §5.3.1: the stream is opened (its identifier is used) and reset at once; the
            // request is never reported.
            return Err(self_dependency(stream, at));
        }
        if self.peer_active >= self.config.max_concurrent_streams as usize {
            return Err(Error::stream(
                stream,
                ErrorCode::REFUSED_STREAM,
                at,
                "§5.1.2",
                "a stream over SETTINGS_MAX_CONCURRENT_STREAMS",
            ));
        }
        self.set_state(stream, state);
        let malformed =
            |reason| Error::stream(stream, ErrorCode::PROTOCOL_ERROR, at, "§8.1.1", reason);
        let head = semantics::request(fields).map_err(malformed)?;
        let expected = semantics::content_length(&head.request.headers).map_err(malformed)?;
        if end_stream && expected.is_some_and(|n| n != 0) {
            return Err(malformed(
                "content-length above 0 and no DATA (RFC 9113 §8.1.1)",
            ));
        }
        if let Some(s) = self.streams.get_mut(&stream) {
            s.expected_len = expected;
            s.head_request = head.request.method == "HEAD";
        }
        self.events.push_back(ConnEvent::Request {
            stream,
            head,
            end_stream,
        });
        Ok(())
    }

    pub(super) fn on_data(
        &mut self,
        stream: u32,
        data: Bytes,
        end_stream: bool,
        flow: u32,
        at: u64,
    ) -> Result<(), Error> {
        if self.recv_window.consume(flow).is_err() {
            return Err(conn_error(
                ErrorCode::FLOW_CONTROL_ERROR,
                at,
                "§6.9.1",
                "DATA past the connection's window",
            ));
        }
        self.conn_unreleased += u64::from(flow);
        if data.len() < TINY_DATA && !end_stream {
            self.tiny_data += 1;
            if self.tiny_data > self.config.max_tiny_data_frames {
                return Err(calm(
                    at,
                    "more empty or tiny DATA frames in a row than Config::max_tiny_data_frames",
                ));
            }
        } else {
            self.tiny_data = 0;
        }
        let Some(s) = self.streams.get_mut(&stream) else {
            if self.is_idle(stream) {
                return Err(conn_error(
                    ErrorCode::PROTOCOL_ERROR,
                    at,
                    "§6.1",
                    "DATA on an idle stream",
                ));
            }
            self.release_connection(u64::from(flow));
            if self.ignored_after_goaway(stream) {
                return Ok(());
            }
            return Err(Error::stream(
                stream,
                ErrorCode::STREAM_CLOSED,
                at,
                "§6.1",
                "DATA on a closed stream",
            ));
        };
        let malformed =
            |reason| Error::stream(stream, ErrorCode::PROTOCOL_ERROR, at, "§8.1.1", reason);
        let verdict = if s.state
            == (StreamState::Closed {
                reset: true,
                by_peer: false,
            }) {
            // In flight when we reset it (§5.1): ignored.
            Ok(None)
        } else {
            match s
                .state
                .receive(StreamEvent::Data { end_stream }, stream, at)
            {
                Err(e) => Err(e),
                Ok(_) if s.recv_window.consume(flow).is_err() => Err(Error::stream(
                    stream,
                    ErrorCode::FLOW_CONTROL_ERROR,
                    at,
                    "§6.9.1",
                    "DATA past the stream's window",
                )),
                Ok(_) if s.recv == Recv::Head => {
                    Err(malformed("DATA before the response head (RFC 9113 §8.1)"))
                }
                Ok(state) => {
                    s.received_len += data.len() as u64;
                    match s.expected_len {
                        Some(n) if s.received_len > n => {
                            Err(malformed("DATA past content-length (RFC 9113 §8.1.1)"))
                        }
                        Some(n) if end_stream && s.received_len != n => Err(malformed(
                            "DATA shorter than content-length (RFC 9113 §8.1.1)",
                        )),
                        _ => Ok(Some(state)),
                    }
                }
            }
        };
        let state = match verdict {
            Ok(Some(state)) => state,
            Ok(None) => {
                self.release_connection(u64::from(flow));
                return Ok(());
            }
            Err(e) => {
                self.release_connection(u64::from(flow));
                return Err(e);
            }
        };
        // Padding is ours to release at once; the data is the user's.
        let data_len = data.len() as u32;
        s.unreleased += data_len;
        let padding = flow - data_len;
        let stream_update = padding > 0 && !end_stream && s.recv_window.increase(padding).is_ok();
        if stream_update {
            self.write(&Frame::WindowUpdate {
                stream,
                increment: padding,
            });
        }
        self.release_connection(u64::from(padding));
        self.set_state(stream, state);
        self.events.push_back(ConnEvent::Data {
            stream,
            data,
            end_stream,
        });
        Ok(())
    }

    pub(super) fn on_reset(&mut self, stream: u32, code: ErrorCode, at: u64) -> Result<(), Error> {
        let Some(s) = self.streams.get(&stream) else {
            if self.is_idle(stream) {
                return Err(conn_error(
                    ErrorCode::PROTOCOL_ERROR,
                    at,
                    "§6.4",
                    "RST_STREAM on an idle stream",
                ));
            }
            return Ok(());
        };
        if matches!(s.state, StreamState::Closed { .. }) {
            return Ok(());
        }
        let unanswered = self.is_peer_stream(stream) && self.role == Role::Server && !s.answered;
        let state = s.state.receive(StreamEvent::Reset, stream, at)?;
        self.set_state(stream, state);
        self.events.push_back(ConnEvent::Reset { stream, code });
        if unanswered {
            self.unanswered_resets += 1;
            if self.unanswered_resets > self.config.max_pending_accept_resets {
                return Err(calm(
                    at,
                    "more streams reset before an answer than Config::max_pending_accept_resets (rapid reset)",
                ));
            }
        }
        Ok(())
    }

    pub(super) fn on_settings(
        &mut self,
        ack: bool,
        params: &[(u16, u32)],
        at: u64,
    ) -> Result<(), Error> {
        if ack {
            if self.settings_unacked > 0 {
                self.settings_unacked -= 1;
                if self.settings_unacked == 0 && !self.ours_acked {
                    self.apply_our_settings();
                }
            }
            return Ok(());
        }
        self.got_settings = true;
        self.apply_their_settings(params, at)?;
        self.write(&Frame::Settings {
            ack: true,
            params: Vec::new(),
        });
        self.flush();
        self.count_control(at)
    }

    /// Our SETTINGS were acknowledged (§6.5.3): they hold from now on.
    pub(super) fn apply_our_settings(&mut self) {
        self.ours_acked = true;
        self.decoder.set_max_frame_size(self.ours.max_frame_size);
        self.hpack_decoder
            .set_max_table_size(self.ours.header_table_size as usize);
        let initial = self.ours.initial_window_size;
        if initial < DEFAULT_WINDOW {
            for s in self.streams.values_mut() {
                let _ = s.recv_window.resize(DEFAULT_WINDOW, initial);
            }
        }
    }

    pub(super) fn apply_their_settings(
        &mut self,
        params: &[(u16, u32)],
        at: u64,
    ) -> Result<(), Error> {
        let old = self.theirs;
        self.theirs.apply(params);
        if self.role == Role::Client
            && params
                .iter()
                .any(|&(id, v)| id == crate::h2::frame::setting::ENABLE_PUSH && v == 1)
        {
            return Err(conn_error(
                ErrorCode::PROTOCOL_ERROR,
                at,
                "§6.5.2",
                "SETTINGS_ENABLE_PUSH = 1 from a server",
            ));
        }
        if self.theirs.initial_window_size != old.initial_window_size {
            for s in self.streams.values_mut() {
                if s.send_window
                    .resize(old.initial_window_size, self.theirs.initial_window_size)
                    .is_err()
                {
                    return Err(conn_error(
                        ErrorCode::FLOW_CONTROL_ERROR,
                        at,
                        "§6.9.2",
                        "SETTINGS_INITIAL_WINDOW_SIZE takes a stream's window past 2^31 - 1",
                    ));
                }
            }
        }
        self.encoder.set_max_frame_size(self.theirs.max_frame_size);
        let table = |s: &Settings| {
            s.header_table_size
                .min(self.config.header_table_size.max(4096))
        };
        if table(&self.theirs) != table(&old) {
            self.hpack_encoder
                .set_max_table_size(table(&self.theirs) as usize);
        }
        Ok(())
    }

    pub(super) fn on_goaway(&mut self, last_stream: u32, code: ErrorCode, debug: Bytes) {
        let last = self
            .goaway_received
            .map_or(last_stream, |l| l.min(last_stream));
        self.goaway_received = Some(last);
        let mut unprocessed: Vec<u32> = self
            .streams
            .iter()
            .filter(|(id, s)| {
                **id > last
                    && !self.is_peer_stream(**id)
                    && !matches!(s.state, StreamState::Closed { .. })
            })
            .map(|(id, _)| *id)
            .collect();
        unprocessed.sort_unstable();
        for &id in &unprocessed {
            self.set_state(
                id,
                StreamState::Closed {
                    reset: true,
                    by_peer: true,
                },
            );
        }
        self.events.push_back(ConnEvent::GoAway {
            last_stream,
            code,
            debug,
            unprocessed,
        });
    }

    pub(super) fn on_window_update(
        &mut self,
        stream: u32,
        increment: u32,
        at: u64,
    ) -> Result<(), Error> {
        if stream == 0 {
            if self.send_window.increase(increment).is_err() {
                return Err(conn_error(
                    ErrorCode::FLOW_CONTROL_ERROR,
                    at,
                    "§6.9.1",
                    "a WINDOW_UPDATE that takes the connection's window past 2^31 - 1",
                ));
            }
            self.flush();
            return Ok(());
        }
        let Some(s) = self.streams.get_mut(&stream) else {
            if self.is_idle(stream) {
                return Err(conn_error(
                    ErrorCode::PROTOCOL_ERROR,
                    at,
                    "§6.9",
                    "WINDOW_UPDATE on an idle stream",
                ));
            }
            return Ok(());
        };
        s.state.receive(StreamEvent::WindowUpdate, stream, at)?;
        if matches!(s.state, StreamState::Closed { .. }) {
            return Ok(());
        }
        if s.send_window.increase(increment).is_err() {
            return Err(Error::stream(
                stream,
                ErrorCode::FLOW_CONTROL_ERROR,
                at,
                "§6.9.1",
                "a WINDOW_UPDATE that takes the stream's window past 2^31 - 1",
            ));
        }
        self.flush();
        Ok(())
    }

    /// A connection error ends the connection (GOAWAY) and is returned; a stream error resets
    /// the stream and is reported as an event.
    pub(super) fn on_error(&mut self, e: Error) -> Result<(), Error> {
        match e.scope {
            Scope::Connection => {
                self.fail(&e);
                Err(e)
            }
            Scope::Stream(stream) => {
                // A refusal before our SETTINGS were acknowledged is a race, not misbehaviour.
                let counted = e.code != ErrorCode::REFUSED_STREAM || self.ours_acked;
                self.write(&Frame::RstStream {
                    stream,
                    code: e.code,
                });
                if self.streams.contains_key(&stream) {
                    self.set_state(
                        stream,
                        StreamState::Closed {
                            reset: true,
                            by_peer: false,
                        },
                    );
                }
                self.events.push_back(ConnEvent::StreamError(e.clone()));
                if counted {
                    self.local_error_resets += 1;
                    if self.local_error_resets > self.config.max_local_error_resets {
                        let e = calm(
                            e.offset,
                            "more stream errors than Config::max_local_error_resets",
                        );
                        self.fail(&e);
                        return Err(e);
                    }
                }
                if let Err(e) = self.count_control(e.offset) {
                    self.fail(&e);
                    return Err(e);
                }
                Ok(())
            }
        }
    }

    pub(super) fn fail(&mut self, e: &Error) {
        if self.failed {
            return;
        }
        self.block = None;
        self.write(&Frame::GoAway {
            last_stream: self.last_peer,
            code: e.code,
            debug: Bytes::from_static(e.reason.as_bytes()),
        });
        self.failed = true;
    }

    /// One more control frame we owe the peer is waiting in the output.
    pub(super) fn count_control(&mut self, at: u64) -> Result<(), Error> {
        self.queued_control += 1;
        if self.queued_control > self.config.max_queued_control_frames {
            return Err(calm(
                at,
                "more queued PING/SETTINGS acknowledgements and resets than Config::max_queued_control_frames",
            ));
        }
        Ok(())
    }
}
