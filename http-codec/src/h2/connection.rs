//! The sans-IO HTTP/2 connection (RFC 9113 §3-§8), for both roles, with the verbs of the
//! HTTP/1 sessions: [`Connection::receive`] what arrived, [`Connection::poll_event`] what it
//! means, `send_*` what we say, [`Connection::poll_transmit`] what to write.
//!
//! - Preface and SETTINGS (§3.4, §6.5): a client writes the preface; both sides write their
//!   SETTINGS first; the peer's first frame must be SETTINGS; SETTINGS are acknowledged and
//!   applied (theirs at once, ours when acknowledged).
//! - Streams (§5.1) through [`StreamState`], identifiers checked (§5.1.1), the peer's
//!   concurrency bounded (§5.1.2, REFUSED_STREAM), frames in flight after our RST_STREAM
//!   ignored for as long as the stream is remembered ([`Config::max_closed_streams`]).
//! - Field blocks (§4.3, §6.10): HEADERS + CONTINUATIONs with nothing between, bounded in
//!   frames and octets, decoded by HPACK whatever happens to the stream so the tables stay in
//!   step; HPACK errors end the connection with COMPRESSION_ERROR.
//! - Flow control (§5.2, §6.9) both ways: received DATA is counted against the stream and the
//!   connection windows and reopened when the user calls [`Connection::release_capacity`];
//!   [`Connection::send_data`] is buffered per stream (bounded) and written as the peer's
//!   windows allow.
//! - Messages (§8) through [`semantics`]: the HTTP/1 [`Request`] and
//!   [`Response`] types, pseudo-header fields checked, content-length checked against DATA.
//! - The limits of [`Config`] against the known floods, each ending the connection with
//!   GOAWAY ENHANCE_YOUR_CALM.
//!
//! Errors: a connection error (§5.4.1) writes GOAWAY and is returned once by
//! [`Connection::poll_event`]; nothing more is read. A stream error (§5.4.2) writes
//! RST_STREAM and is reported as [`ConnEvent::StreamError`]; the connection goes on.
//!
//! ```
//! use http_codec::h2::{ConnEvent, Config, Connection};
//! use http_codec::{Request, Response};
//!
//! let mut client = Connection::client(Config::default());
//! let mut server = Connection::server(Config::default());
//! let id = client.send_request(Request::get("/").header("host", "example.com")?, true)?;
//!
//! // Drive the two against each other in memory.
//! fn pump(from: &mut Connection, to: &mut Connection) {
//!     while let Some(bytes) = from.poll_transmit() {
//!         to.receive(&bytes);
//!     }
//! }
//! pump(&mut client, &mut server);
//! let mut request = None;
//! while let Some(event) = server.poll_event()? {
//!     if let ConnEvent::Request { stream, head, .. } = event {
//!         request = Some((stream, head));
//!     }
//! }
//! let (stream, head) = request.unwrap();
//! assert_eq!((stream, &head.request.target[..]), (id, &b"/"[..]));
//! server.send_response(stream, Response::new(204), true)?;
//! pump(&mut server, &mut client);
//! let mut status = None;
//! while let Some(event) = client.poll_event()? {
//!     if let ConnEvent::Response { response, end_stream: true, .. } = event {
//!         status = Some(response.status);
//!     }
//! }
//! assert_eq!(status, Some(204));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeSet, HashMap, VecDeque};

use bytes::{BufMut, Bytes, BytesMut};
use framing::Decoder;

use super::config::Config;
use super::error::{Error, ErrorCode, Scope};
use super::flow::{DEFAULT_WINDOW, Window};
use super::frame::{Frame, FrameDecoder, FrameEncoder, PREFACE};
use super::hpack::{self, HeaderField};
use super::semantics::{self, RequestHead};
use super::send_error::SendError;
use super::settings::Settings;
use super::stream::{Event as StreamEvent, StreamState};
use crate::{Headers, Request, Response};

mod receive;
mod send;

/// Which end of the connection this is (§3.4, §5.1.1: clients open odd streams, servers even).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Sends requests; writes the preface.
    Client,
    /// Answers requests; reads the preface.
    Server,
}

/// What a [`Connection`] reports (RFC 9113 §8 for messages, §6 for the rest).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnEvent {
    /// A request head (server; §8.3.1). `end_stream`: no body follows.
    Request {
        /// The stream.
        stream: u32,
        /// The request.
        head: RequestHead,
        /// END_STREAM: the request is complete.
        end_stream: bool,
    },
    /// A response head (client; §8.3.2): an interim one (1xx) or the final one.
    Response {
        /// The stream.
        stream: u32,
        /// The response (HTTP/1.1 shaped; the version is not on the wire).
        response: Response,
        /// END_STREAM: no body follows.
        end_stream: bool,
    },
    /// Body data (§6.1). Release it with [`Connection::release_capacity`] once consumed.
    Data {
        /// The stream.
        stream: u32,
        /// The data, without padding.
        data: Bytes,
        /// END_STREAM: the message is complete.
        end_stream: bool,
    },
    /// A trailer section, which ends the message (§8.1).
    Trailers {
        /// The stream.
        stream: u32,
        /// The trailer fields.
        trailers: Headers,
    },
    /// The peer reset a stream (§6.4).
    Reset {
        /// The stream.
        stream: u32,
        /// Why.
        code: ErrorCode,
    },
    /// We reset a stream because the peer broke a stream rule (§5.4.2); RST_STREAM with
    /// `error.code` was written.
    StreamError(Error),
    /// The answer to our PING (§6.7).
    PingAck([u8; 8]),
    /// The peer's GOAWAY (§6.8): streams above `last_stream` that we opened were not
    /// processed and are closed (`unprocessed`: retry them on a new connection).
    GoAway {
        /// The last stream the peer may have processed.
        last_stream: u32,
        /// Why.
        code: ErrorCode,
        /// The debug data.
        debug: Bytes,
        /// Our streams the peer will not process.
        unprocessed: Vec<u32>,
    },
    /// `stream`'s send buffer, which refused data ([`SendError::BufferFull`]), has drained to
    /// half of [`Config::max_send_buffer`] or less: send more.
    Writable {
        /// The stream.
        stream: u32,
    },
    /// The peer closed the transport (after [`Connection::receive_eof`]).
    Closed,
}

/// How a message we receive has got on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recv {
    /// No (final) head yet.
    Head,
    /// The final head came; data or trailers may follow.
    Body,
}

/// What ends the stream once its buffered data is written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum End {
    Data,
    Trailers(Vec<HeaderField>),
}

/// One stream's bookkeeping.
#[derive(Debug, Clone)]
struct Stream {
    state: StreamState,
    send_window: Window,
    recv_window: Window,
    /// Data octets handed to the user and not released yet.
    unreleased: u32,
    buf: VecDeque<Bytes>,
    buffered: usize,
    end: Option<End>,
    /// The user called for END_STREAM (data or trailers): nothing more may be queued.
    end_queued: bool,
    recv: Recv,
    /// The final head was sent.
    answered: bool,
    expected_len: Option<u64>,
    received_len: u64,
    /// A client's HEAD request: the response's content-length describes no DATA (§8.1.1).
    head_request: bool,
    /// The content-length of the message we send, and the data octets queued so far
    /// (§8.1.1: the peer refuses a disagreement, and an HTTP/1 hop would desync on it).
    send_expected: Option<u64>,
    sent_len: u64,
    /// `send_data` refused data for want of room: report [`ConnEvent::Writable`] when it drains.
    blocked: bool,
}

impl Stream {
    fn new(state: StreamState, send: u32, recv: u32) -> Stream {
        Stream {
            state,
            send_window: Window::new(send),
            recv_window: Window::new(recv),
            unreleased: 0,
            buf: VecDeque::new(),
            buffered: 0,
            end: None,
            end_queued: false,
            recv: Recv::Head,
            answered: false,
            expected_len: None,
            received_len: 0,
            head_request: false,
            send_expected: None,
            sent_len: 0,
            blocked: false,
        }
    }
}

/// A field block being assembled from HEADERS and CONTINUATIONs (§4.3, §6.10).
#[derive(Debug, Clone)]
struct Block {
    stream: u32,
    end_stream: bool,
    /// The HEADERS frame made the stream depend on itself (§5.3.1): the block is decoded,
    /// then the stream reset.
    self_dependent: bool,
    fragment: BytesMut,
    continuations: usize,
    offset: u64,
}

/// One HTTP/2 connection, client or server (see the module docs).
#[derive(Debug, Clone)]
pub struct Connection {
    role: Role,
    config: Config,
    decoder: FrameDecoder,
    encoder: FrameEncoder,
    hpack_decoder: hpack::Decoder,
    hpack_encoder: hpack::Encoder,
    received: BytesMut,
    transmit: BytesMut,
    events: VecDeque<ConnEvent>,
    streams: HashMap<u32, Stream>,
    /// Closed streams still remembered, oldest first.
    closed: VecDeque<u32>,
    /// Streams with data or an end waiting to be written.
    sendable: BTreeSet<u32>,
    next_local: u32,
    last_peer: u32,
    local_active: usize,
    peer_active: usize,
    ours: Settings,
    ours_acked: bool,
    settings_unacked: usize,
    theirs: Settings,
    got_settings: bool,
    send_window: Window,
    recv_window: Window,
    conn_unreleased: u64,
    block: Option<Block>,
    goaway_sent: Option<u32>,
    goaway_received: Option<u32>,
    failed: bool,
    eof: bool,
    closed_reported: bool,
    unanswered_resets: usize,
    local_error_resets: usize,
    queued_control: usize,
    tiny_data: usize,
}

/// The content-length of a message we send: one number (RFC 9110 §8.6), and 0 when the
/// message ends with its head (§8.1.1).
fn outgoing_length(headers: &Headers, end_stream: bool) -> Result<Option<u64>, SendError> {
    let n = semantics::content_length(headers).map_err(SendError::Invalid)?;
    if end_stream && n.is_some_and(|n| n != 0) {
        return Err(SendError::Invalid(
            "content-length above 0 and no data (RFC 9113 §8.1.1)",
        ));
    }
    Ok(n)
}

fn conn_error(code: ErrorCode, offset: u64, section: &'static str, reason: &'static str) -> Error {
    Error::connection(code, offset, section, reason)
}

fn calm(offset: u64, reason: &'static str) -> Error {
    conn_error(ErrorCode::ENHANCE_YOUR_CALM, offset, "§10.5", reason)
}

impl Connection {
    /// A client connection: the preface and our SETTINGS are ready in
    /// [`Connection::poll_transmit`] (§3.4); h2c with prior knowledge, or after ALPN `h2`.
    pub fn client(config: Config) -> Connection {
        Connection::new(Role::Client, config)
    }

    /// A server connection: it reads the client preface first, then the client's SETTINGS;
    /// our SETTINGS are ready in [`Connection::poll_transmit`] (§3.4).
    pub fn server(config: Config) -> Connection {
        Connection::new(Role::Server, config)
    }

    /// A server connection taking over from HTTP/1.1 after `Upgrade: h2c` (RFC 9113 §3.1,
    /// RFC 7540 §3.2): `request` (whose body, if any, was read over HTTP/1.1) becomes stream 1,
    /// half-closed (remote), reported by the first [`ConnEvent::Request`]; `http2_settings`
    /// is the value of its `HTTP2-Settings` field, applied as the client's first SETTINGS.
    /// Write the 101 response with the HTTP/1 session, then what this connection transmits;
    /// feed it the bytes [`ServerSession::take_remaining`](crate::ServerSession::take_remaining)
    /// hands back, then the client's preface and frames as they arrive.
    pub fn upgrade(
        config: Config,
        request: &Request,
        http2_settings: &[u8],
    ) -> Result<Connection, Error> {
        let params = Settings::from_http2_settings(http2_settings)?;
        let mut conn = Connection::new(Role::Server, config);
        conn.apply_their_settings(&params, 0)?;
        let bad = |reason| conn_error(ErrorCode::PROTOCOL_ERROR, 0, "§3.1", reason);
        let fields = semantics::request_fields(&RequestHead::from(request.clone())).map_err(bad)?;
        let head = semantics::request(&fields).map_err(bad)?;
        let mut stream = Stream::new(
            StreamState::HalfClosedRemote,
            conn.theirs.initial_window_size,
            conn.recv_initial(),
        );
        stream.recv = Recv::Body;
        stream.head_request = head.request.method == "HEAD";
        conn.streams.insert(1, stream);
        conn.last_peer = 1;
        conn.peer_active = 1;
        conn.events.push_back(ConnEvent::Request {
            stream: 1,
            head,
            end_stream: true,
        });
        Ok(conn)
    }

    /// A client connection after the server accepted `Upgrade: h2c` with 101 (RFC 9113 §3.1,
    /// RFC 7540 §3.2): `request` went out over HTTP/1.1 and is stream 1, half-closed (local);
    /// its response arrives on stream 1. The preface and our SETTINGS are ready in
    /// [`Connection::poll_transmit`]; send [`Settings::to_http2_settings`] of
    /// `Config`'s settings as the request's `HTTP2-Settings` field.
    pub fn client_upgrade(config: Config, request: &Request) -> Connection {
        let mut conn = Connection::new(Role::Client, config);
        let mut stream = Stream::new(
            StreamState::HalfClosedLocal,
            conn.theirs.initial_window_size,
            conn.recv_initial(),
        );
        stream.head_request = request.method == "HEAD";
        stream.end_queued = true;
        conn.streams.insert(1, stream);
        conn.next_local = 3;
        conn.local_active = 1;
        conn
    }

    /// The SETTINGS a connection with `config` announces (§6.5.2): for the `HTTP2-Settings`
    /// field of an h2c upgrade request ([`Settings::to_http2_settings`]).
    pub fn settings_for(role: Role, config: &Config) -> Settings {
        Settings {
            header_table_size: config.header_table_size,
            enable_push: role == Role::Server,
            max_concurrent_streams: Some(config.max_concurrent_streams),
            initial_window_size: config.initial_window_size,
            max_frame_size: config.max_frame_size,
            max_header_list_size: Some(config.max_header_list_size),
        }
    }

    fn new(role: Role, config: Config) -> Connection {
        let mut hpack_decoder = hpack::Decoder::new(hpack::decoder::DEFAULT_TABLE_SIZE);
        hpack_decoder.set_max_header_list_size(config.max_header_list_size as usize);
        hpack_decoder.set_max_field_count(config.max_field_count);
        let ours = Connection::settings_for(role, &config);
        let mut decoder = match role {
            Role::Client => FrameDecoder::default(),
            Role::Server => FrameDecoder::server(),
        };
        // §5.3.1 is checked in `handle`, after a refused HEADERS frame's field block was
        // decoded (HPACK state, §4.3).
        decoder.check_self_dependency(false);
        let mut conn = Connection {
            role,
            config,
            decoder,
            encoder: FrameEncoder::default(),
            hpack_decoder,
            hpack_encoder: hpack::Encoder::new(hpack::decoder::DEFAULT_TABLE_SIZE),
            received: BytesMut::new(),
            transmit: BytesMut::new(),
            events: VecDeque::new(),
            streams: HashMap::new(),
            closed: VecDeque::new(),
            sendable: BTreeSet::new(),
            next_local: match role {
                Role::Client => 1,
                Role::Server => 2,
            },
            last_peer: 0,
            local_active: 0,
            peer_active: 0,
            ours,
            ours_acked: false,
            settings_unacked: 1,
            theirs: Settings::default(),
            got_settings: false,
            send_window: Window::default(),
            recv_window: Window::new(config.connection_window_size),
            conn_unreleased: 0,
            block: None,
            goaway_sent: None,
            goaway_received: None,
            failed: false,
            eof: false,
            closed_reported: false,
            unanswered_resets: 0,
            local_error_resets: 0,
            queued_control: 0,
            tiny_data: 0,
        };
        if role == Role::Client {
            conn.transmit.put_slice(PREFACE);
        }
        let params = conn.ours.params();
        conn.write(&Frame::Settings { ack: false, params });
        if config.connection_window_size > DEFAULT_WINDOW {
            conn.write(&Frame::WindowUpdate {
                stream: 0,
                increment: config.connection_window_size - DEFAULT_WINDOW,
            });
        }
        conn
    }

    // ---------------------------------------------------------------- the verbs

    /// Bytes that arrived from the peer.
    pub fn receive(&mut self, bytes: &[u8]) {
        self.received.extend_from_slice(bytes);
    }

    /// The peer closed its side of the transport.
    pub fn receive_eof(&mut self) {
        self.eof = true;
    }

    /// Bytes to write to the peer, if any. Call it after every batch of events and sends: the
    /// control frames we owe the peer are bounded ([`Config::max_queued_control_frames`]).
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        self.queued_control = 0;
        (!self.transmit.is_empty()).then(|| self.transmit.split().freeze())
    }

    /// The next thing the peer said, or `None` until more bytes arrive. A connection error
    /// (§5.4.1) is returned once, after GOAWAY with its code was written; then `None`.
    pub fn poll_event(&mut self) -> Result<Option<ConnEvent>, Error> {
        loop {
            if let Some(event) = self.events.pop_front() {
                return Ok(Some(event));
            }
            if self.failed {
                return Ok(None);
            }
            let at = self.decoder.position()
                + if self.decoder.awaits_preface() {
                    PREFACE.len() as u64
                } else {
                    0
                };
            let decoded = if self.eof {
                self.decoder.decode_eof(&mut self.received)
            } else {
                self.decoder.decode(&mut self.received)
            };
            let result = match decoded {
                Ok(Some(frame)) => self.handle(frame, at),
                Ok(None) => {
                    if self.eof && !self.closed_reported {
                        self.closed_reported = true;
                        return Ok(Some(ConnEvent::Closed));
                    }
                    return Ok(None);
                }
                Err(e) => {
                    // A stream error the frame decoder found (PRIORITY's size, a zero
                    // WINDOW_UPDATE) stays one when the frame was consumed; an oversized frame
                    // was not: a connection error. (A self-dependent HEADERS or PRIORITY,
                    // §5.3.1, is not the decoder's to refuse here: see `handle`.)
                    let consumed = self.decoder.position() > at;
                    match e.scope {
                        Scope::Stream(_) if consumed => Err(e),
                        Scope::Stream(_) => Err(Error {
                            scope: Scope::Connection,
                            ..e
                        }),
                        Scope::Connection => Err(e),
                    }
                }
            };
            if let Err(e) = result {
                self.on_error(e)?;
            }
        }
    }

    /// Sends a request (client, §8.3.1) on a new stream and returns its identifier. The
    /// request's target is in origin form with a `Host` field (→ `:authority`), in absolute
    /// form, or an authority for CONNECT; `:scheme` is `http` unless the target or
    /// [`RequestHead::scheme`] says otherwise. Connection-specific fields are dropped (§8.2.2).
    pub fn send_request(
        &mut self,
        head: impl Into<RequestHead>,
        end_stream: bool,
    ) -> Result<u32, SendError> {
        let head = head.into();
        if self.role != Role::Client {
            return Err(SendError::WrongRole);
        }
        if self.failed || self.goaway_received.is_some() || self.goaway_sent.is_some() {
            return Err(SendError::Closing);
        }
        if let Some(max) = self.theirs.max_concurrent_streams
            && self.local_active >= max as usize
        {
            return Err(SendError::TooManyStreams(max));
        }
        let id = self.next_local;
        if id > 0x7fff_ffff {
            return Err(SendError::StreamIdsExhausted);
        }
        let fields = semantics::request_fields(&head).map_err(SendError::Invalid)?;
        self.check_list_size(&fields)?;
        let send_expected = outgoing_length(&head.request.headers, end_stream)?;
        self.next_local += 2;
        let mut stream = Stream::new(
            StreamState::Idle,
            self.theirs.initial_window_size,
            self.recv_initial(),
        );
        stream.head_request = head.request.method == "HEAD";
        stream.end_queued = end_stream;
        stream.send_expected = send_expected;
        self.streams.insert(id, stream);
        let state = StreamState::Idle
            .send(StreamEvent::Headers { end_stream })
            .map_err(|reason| SendError::State { stream: id, reason })?;
        self.write_block(id, &fields, end_stream);
        self.set_state(id, state);
        Ok(id)
    }

    /// Sends a response head (server, §8.3.2) on `stream`: any number of interim (1xx) ones,
    /// then the final one. `end_stream`: no body follows (not allowed on a 1xx).
    pub fn send_response(
        &mut self,
        stream: u32,
        response: Response,
        end_stream: bool,
    ) -> Result<(), SendError> {
        if self.role != Role::Server {
            return Err(SendError::WrongRole);
        }
        if self.failed {
            return Err(SendError::Closing);
        }
        let fields = semantics::response_fields(&response).map_err(SendError::Invalid)?;
        self.check_list_size(&fields)?;
        let interim = response.is_informational();
        let s = self
            .streams
            .get_mut(&stream)
            .ok_or(SendError::UnknownStream(stream))?;
        let state_error = |reason| SendError::State { stream, reason };
        if s.answered {
            return Err(state_error(
                "a response head after the final one (RFC 9113 §8.1)",
            ));
        }
        if interim && end_stream {
            return Err(state_error(
                "END_STREAM on an interim response (RFC 9113 §8.1)",
            ));
        }
        let state = s
            .state
            .send(StreamEvent::Headers { end_stream })
            .map_err(state_error)?;
        if !interim {
            let no_body = s.head_request || matches!(response.status, 204 | 304);
            s.send_expected = match no_body {
                true => None,
                false => outgoing_length(&response.headers, end_stream)?,
            };
            s.answered = true;
            s.end_queued = end_stream;
            self.unanswered_resets = self.unanswered_resets.saturating_sub(1);
        }
        self.write_block(stream, &fields, end_stream);
        self.set_state(stream, state);
        Ok(())
    }

    /// Queues body data on `stream` (§6.1): written as the peer's flow-control windows allow
    /// (§6.9), held meanwhile in the stream's send buffer, bounded by
    /// [`Config::max_send_buffer`]. `end_stream` ends the message after it.
    pub fn send_data(
        &mut self,
        stream: u32,
        data: impl Into<Bytes>,
        end_stream: bool,
    ) -> Result<(), SendError> {
        let data = data.into();
        let limit = self.config.max_send_buffer;
        let role = self.role;
        let conn_window = self.send_window.available() as usize;
        let s = self.sendable_stream(stream)?;
        if role == Role::Server && !s.answered {
            return Err(SendError::State {
                stream,
                reason: "data before the final response head (RFC 9113 §8.1)",
            });
        }
        // What the windows let out at once does not wait in the buffer.
        let room_now = (s.send_window.available() as usize)
            .min(conn_window)
            .saturating_sub(s.buffered);
        if s.buffered.saturating_add(data.len()) > limit.saturating_add(room_now) {
            s.blocked = true;
            return Err(SendError::BufferFull { stream, limit });
        }
        let sent = s.sent_len + data.len() as u64;
        if let Some(n) = s.send_expected {
            if sent > n {
                return Err(SendError::Invalid(
                    "data past content-length (RFC 9113 §8.1.1)",
                ));
            }
            if end_stream && sent != n {
                return Err(SendError::Invalid(
                    "data shorter than content-length (RFC 9113 §8.1.1)",
                ));
            }
        }
        s.sent_len = sent;
        if !data.is_empty() {
            s.buffered += data.len();
            s.buf.push_back(data);
        }
        if end_stream {
            s.end_queued = true;
            s.end = Some(End::Data);
        }
        self.sendable.insert(stream);
        self.flush();
        Ok(())
    }

    /// Queues a trailer section that ends `stream`'s message (§8.1), after its buffered data.
    pub fn send_trailers(&mut self, stream: u32, trailers: &Headers) -> Result<(), SendError> {
        let role = self.role;
        let fields = semantics::trailer_fields(trailers);
        self.check_list_size(&fields)?;
        let s = self.sendable_stream(stream)?;
        if role == Role::Server && !s.answered {
            return Err(SendError::State {
                stream,
                reason: "trailers before the final response head (RFC 9113 §8.1)",
            });
        }
        if s.send_expected.is_some_and(|n| n != s.sent_len) {
            return Err(SendError::Invalid(
                "data shorter than content-length (RFC 9113 §8.1.1)",
            ));
        }
        s.end_queued = true;
        s.end = Some(End::Trailers(fields));
        self.sendable.insert(stream);
        self.flush();
        Ok(())
    }

    /// Resets `stream` with `code` (§6.4): RST_STREAM is written, buffered data dropped. Frames
    /// the peer sent before it saw the reset are ignored. Never counted against the peer.
    pub fn reset(&mut self, stream: u32, code: ErrorCode) -> Result<(), SendError> {
        let s = self
            .streams
            .get(&stream)
            .ok_or(SendError::UnknownStream(stream))?;
        if matches!(s.state, StreamState::Closed { .. }) {
            return Ok(());
        }
        let state = s
            .state
            .send(StreamEvent::Reset)
            .map_err(|reason| SendError::State { stream, reason })?;
        self.write(&Frame::RstStream { stream, code });
        self.set_state(stream, state);
        Ok(())
    }

    /// Sends a PING with `data` (§6.7); the answer comes as [`ConnEvent::PingAck`].
    pub fn ping(&mut self, data: [u8; 8]) {
        self.write(&Frame::Ping { ack: false, data });
    }

    /// Sends GOAWAY with `code` and the last stream the peer opened (§6.8). With NO_ERROR this
    /// is a graceful shutdown: the streams up to it go on, newer ones the peer opens are
    /// ignored, and no new stream of ours is opened.
    pub fn goaway(&mut self, code: ErrorCode) {
        let last_stream = self.last_peer;
        self.goaway_sent = Some(last_stream);
        self.write(&Frame::GoAway {
            last_stream,
            code,
            debug: Bytes::new(),
        });
    }

    /// The user consumed `octets` of `stream`'s data: the stream's and the connection's
    /// receive windows reopen by that much (WINDOW_UPDATE, §6.9). More than was received and
    /// not released is clamped; a stream that can no longer receive releases only the
    /// connection's window.
    pub fn release_capacity(&mut self, stream: u32, octets: u32) {
        if let Some(s) = self.streams.get_mut(&stream) {
            let own = octets.min(s.unreleased);
            s.unreleased -= own;
            let receiving = matches!(s.state, StreamState::Open | StreamState::HalfClosedLocal);
            if receiving && own > 0 && s.recv_window.increase(own).is_ok() {
                self.write(&Frame::WindowUpdate {
                    stream,
                    increment: own,
                });
            }
        }
        self.release_connection(u64::from(octets));
    }

    /// A field section over the peer's SETTINGS_MAX_HEADER_LIST_SIZE (§6.5.2: name + value +
    /// 32 per field) would be refused by it: refused here.
    fn check_list_size(&self, fields: &[HeaderField]) -> Result<(), SendError> {
        let size: usize = fields.iter().map(HeaderField::size).sum();
        match self.theirs.max_header_list_size {
            Some(max) if size > max as usize => Err(SendError::Invalid(
                "a field section over the peer's SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 §6.5.2)",
            )),
            _ => Ok(()),
        }
    }

    // ---------------------------------------------------------------- inspection

    /// Which end this is.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The peer's SETTINGS as applied so far (§6.5).
    pub fn peer_settings(&self) -> &Settings {
        &self.theirs
    }

    /// A stream's state, while it is remembered (§5.1).
    pub fn stream_state(&self, stream: u32) -> Option<StreamState> {
        self.streams.get(&stream).map(|s| s.state)
    }

    /// A stream's send and receive windows (§6.9), while it is remembered.
    pub fn stream_windows(&self, stream: u32) -> Option<(Window, Window)> {
        self.streams
            .get(&stream)
            .map(|s| (s.send_window, s.recv_window))
    }

    /// The connection's send and receive windows (§6.9).
    pub fn connection_windows(&self) -> (Window, Window) {
        (self.send_window, self.recv_window)
    }

    /// The octets waiting in `stream`'s send buffer.
    pub fn buffered(&self, stream: u32) -> usize {
        self.streams.get(&stream).map_or(0, |s| s.buffered)
    }

    /// How many octets [`Connection::send_data`] takes on `stream` now: the room left in its
    /// send buffer plus what the flow-control windows let out at once; 0 for a stream that
    /// cannot send.
    pub fn send_capacity(&self, stream: u32) -> usize {
        let Some(s) = self.streams.get(&stream) else {
            return 0;
        };
        if !s.state.may_send_data() || s.end_queued || self.failed {
            return 0;
        }
        let room_now = (s.send_window.available() as usize)
            .min(self.send_window.available() as usize)
            .saturating_sub(s.buffered);
        (self.config.max_send_buffer + room_now).saturating_sub(s.buffered)
    }

    /// The streams remembered (open, half-closed, or recently closed), in no order.
    pub fn stream_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.streams.keys().copied()
    }

    /// Whether the connection failed (a connection error was sent or found).
    pub fn is_failed(&self) -> bool {
        self.failed
    }

    /// Whether a GOAWAY was sent or received.
    pub fn is_closing(&self) -> bool {
        self.failed || self.goaway_sent.is_some() || self.goaway_received.is_some()
    }
}
