//! What an HTTP/2 [`Connection`](super::Connection) announces and what it tolerates: our
//! SETTINGS (RFC 9113 §6.5.2) and the limits against the known HTTP/2 floods (§10.5), each
//! with a safe default, compared in its doc comment with h2 0.4's and nghttp2's.

use super::flow::DEFAULT_WINDOW;
use super::frame::DEFAULT_MAX_FRAME_SIZE;
use super::hpack::decoder::DEFAULT_TABLE_SIZE;

/// The settings and limits of one connection. Every setter returns the config, so they chain:
///
/// ```
/// let config = http_codec::h2::Config::default().max_concurrent_streams(250).initial_window_size(1 << 20);
/// # let _ = config;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub(crate) header_table_size: u32,
    pub(crate) max_concurrent_streams: u32,
    pub(crate) initial_window_size: u32,
    pub(crate) connection_window_size: u32,
    pub(crate) max_frame_size: u32,
    pub(crate) max_header_list_size: u32,
    pub(crate) max_field_count: usize,
    pub(crate) max_pending_accept_resets: usize,
    pub(crate) max_local_error_resets: usize,
    pub(crate) max_continuations: usize,
    pub(crate) max_queued_control_frames: usize,
    pub(crate) max_tiny_data_frames: usize,
    pub(crate) max_send_buffer: usize,
    pub(crate) max_closed_streams: usize,
}

/// A DATA frame with fewer data octets than this (padding not counted) and no END_STREAM is
/// "tiny" for [`Config::max_tiny_data_frames`].
pub const TINY_DATA: usize = 8;

impl Default for Config {
    fn default() -> Self {
        Config {
            header_table_size: DEFAULT_TABLE_SIZE as u32,
            max_concurrent_streams: 100,
            initial_window_size: DEFAULT_WINDOW,
            connection_window_size: DEFAULT_WINDOW,
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
            max_header_list_size: 64 * 1024,
            max_field_count: 100,
            max_pending_accept_resets: 100,
            max_local_error_resets: 1024,
            max_continuations: 16,
            max_queued_control_frames: 1000,
            max_tiny_data_frames: 100,
            max_send_buffer: 400 * 1024,
            max_closed_streams: 256,
        }
    }
}

impl Config {
    /// SETTINGS_HEADER_TABLE_SIZE we announce (§6.5.2): the HPACK dynamic table the peer's
    /// encoder may fill in our decoder. Default 4096 (the initial value; h2 0.4 and nghttp2
    /// announce the same).
    pub fn header_table_size(mut self, octets: u32) -> Config {
        self.header_table_size = octets;
        self
    }

    /// SETTINGS_MAX_CONCURRENT_STREAMS we announce, and enforce: a stream the peer opens past
    /// it is refused with RST_STREAM REFUSED_STREAM (§5.1.2) before any processing. Bounds the
    /// memory and work a peer can make us hold at once (many slow streams). Default 100, the
    /// least §5.1.2 recommends; h2 0.4 announces no limit by default (its `max_concurrent_streams`
    /// is unset), nghttp2 announces none unless `nghttp2_settings_entry` sets one (its internal
    /// default is 2^32 - 1).
    pub fn max_concurrent_streams(mut self, streams: u32) -> Config {
        self.max_concurrent_streams = streams;
        self
    }

    /// SETTINGS_INITIAL_WINDOW_SIZE we announce (§6.5.2, §6.9.2): how much a stream may send
    /// before we release capacity ([`Connection::release_capacity`](super::Connection::release_capacity)
    /// reopens only what was received, so 0 means no request body is ever accepted). Default
    /// 65,535 (the initial value; h2 0.4 and nghttp2 use it too). Values over 2^31 - 1 are
    /// clamped.
    pub fn initial_window_size(mut self, octets: u32) -> Config {
        self.initial_window_size = octets.min(0x7fff_ffff);
        self
    }

    /// The connection's receive window (§6.9.2): it starts at 65,535 and a larger value is
    /// opened with a WINDOW_UPDATE on stream 0 right after our SETTINGS. It bounds what all
    /// streams together may have in flight towards us (memory held for a slow reader). Default
    /// 65,535, as h2 0.4 (`initial_connection_window_size`) and nghttp2 (which opens more only
    /// through `nghttp2_session_set_local_window_size`).
    pub fn connection_window_size(mut self, octets: u32) -> Config {
        self.connection_window_size = octets.clamp(DEFAULT_WINDOW, 0x7fff_ffff);
        self
    }

    /// SETTINGS_MAX_FRAME_SIZE we announce (§6.5.2): applied to the frame decoder once the peer
    /// acknowledged it. Default 16,384 (the initial value, as h2 0.4 and nghttp2). Clamped to
    /// 16,384 ..= 2^24 - 1.
    pub fn max_frame_size(mut self, octets: u32) -> Config {
        self.max_frame_size = octets.clamp(DEFAULT_MAX_FRAME_SIZE, (1 << 24) - 1);
        self
    }

    /// SETTINGS_MAX_HEADER_LIST_SIZE we announce and enforce (§6.5.2, §10.5.1): the decoded
    /// field section (name + value + 32 per field) is bounded while HPACK decodes it, and the
    /// compressed field block (HEADERS + CONTINUATIONs) is bounded by the same number before it
    /// is decoded. Against HPACK bombs and CONTINUATION floods (CVE-2024-27316 class); over it,
    /// the connection ends with ENHANCE_YOUR_CALM (the HPACK state cannot be kept after a block
    /// is given up, so no 431 on the stream). Default 64 KiB; h2 0.4's default is 16 MiB,
    /// nghttp2 refuses a single field over 64 KiB (NGHTTP2_HD_MAX_NV).
    pub fn max_header_list_size(mut self, octets: u32) -> Config {
        self.max_header_list_size = octets;
        self
    }

    /// The most fields in one field section (§10.5.1: many small fields cost per-field work
    /// even under the size limit). Over it: ENHANCE_YOUR_CALM. Default 100, as this crate's
    /// HTTP/1 `Limits::max_headers`; neither h2 0.4 nor nghttp2 counts fields (nghttpx's
    /// default is 100).
    pub fn max_field_count(mut self, fields: usize) -> Config {
        self.max_field_count = fields;
        self
    }

    /// Rapid reset (CVE-2023-44487): the peer opens a stream and resets it before we answer,
    /// over and over, so we start work it never waits for. Each RST_STREAM from the peer on one
    /// of its streams we have not answered (no response head sent) adds one; each response head
    /// we send takes one away (never below 0). Past the limit: GOAWAY ENHANCE_YOUR_CALM. No
    /// clock: a client that cancels now and then never comes near it, since every answer pays
    /// for one cancellation. Default 100 (one full set of the default concurrent streams
    /// cancelled at once); h2 0.4's `max_pending_accept_reset_streams` is 20 (streams reset
    /// while waiting in its accept queue), nghttp2's `nghttp2_option_set_stream_reset_rate_limit`
    /// is a token bucket of 1000 with 33 per second.
    pub fn max_pending_accept_resets(mut self, resets: usize) -> Config {
        self.max_pending_accept_resets = resets;
        self
    }

    /// Resets we send because the peer broke a stream rule (a malformed request, DATA past
    /// content-length, a stream-level flow-control error; RUSTSEC-2024-0003: a peer that
    /// provokes RST_STREAM after RST_STREAM makes us do work for nothing; the same bound
    /// holds the "MadeYouReset" variant of rapid reset, CVE-2025-8671, where the peer makes us
    /// reset its streams instead of resetting them itself). Over the
    /// connection's life; past it: GOAWAY ENHANCE_YOUR_CALM. Resets the user asks for
    /// ([`Connection::reset`](super::Connection::reset)) and refusals before our SETTINGS were
    /// acknowledged do not count, so a well-behaved client that cancels or races our limits is
    /// never punished. Default 1024, as h2 0.4's `max_local_error_reset_streams`; nghttp2 has
    /// no such counter (its reset rate limit above covers resets received).
    pub fn max_local_error_resets(mut self, resets: usize) -> Config {
        self.max_local_error_resets = resets;
        self
    }

    /// CONTINUATION frames after one HEADERS or PUSH_PROMISE (§6.10; CVE-2024-27316 and its
    /// class: endless CONTINUATIONs, possibly empty, that a server buffers or decodes forever).
    /// Past it: GOAWAY ENHANCE_YOUR_CALM. Default 16; nghttp2's
    /// `nghttp2_option_set_max_continuations` defaults to 8; h2 0.4 counts no frames and bounds
    /// the buffered block by its header list size.
    pub fn max_continuations(mut self, frames: usize) -> Config {
        self.max_continuations = frames;
        self
    }

    /// Control frames we owe the peer and that wait in
    /// [`poll_transmit`](super::Connection::poll_transmit): PING and SETTINGS acknowledgements and the
    /// RST_STREAMs we generate (PING and SETTINGS floods, CVE-2019-9512 and CVE-2019-9515;
    /// reset floods, CVE-2019-9514). When the peer makes us queue more than this without our
    /// output being drained: GOAWAY ENHANCE_YOUR_CALM. Default 1000, nghttp2's
    /// `nghttp2_option_set_max_outbound_ack` default; h2 0.4 keeps one pending PONG and has no
    /// setter.
    pub fn max_queued_control_frames(mut self, frames: usize) -> Config {
        self.max_queued_control_frames = frames;
        self
    }

    /// Consecutive DATA frames with fewer than [`TINY_DATA`] data octets and no END_STREAM
    /// (CVE-2019-9518, empty frame flood; RUSTSEC-2026-0258 names the same class): each costs
    /// a frame's work and moves no data. A DATA frame with more data resets the count. Past it:
    /// GOAWAY ENHANCE_YOUR_CALM. Default 100; Netty's consecutive empty DATA limit is 10;
    /// nghttp2 and h2 0.4 have no setter for it.
    pub fn max_tiny_data_frames(mut self, frames: usize) -> Config {
        self.max_tiny_data_frames = frames;
        self
    }

    /// Octets [`send_data`](super::Connection::send_data) may hold for one stream while flow
    /// control keeps them back (a peer that never opens its window must not make us buffer
    /// without end). Past it `send_data` refuses the data. Default 400 KiB, h2 0.4's
    /// `max_send_buffer_size`; nghttp2 buffers nothing itself (it pulls data through a
    /// callback).
    pub fn max_send_buffer(mut self, octets: usize) -> Config {
        self.max_send_buffer = octets;
        self
    }

    /// Closed streams remembered, so frames in flight after our RST_STREAM are ignored
    /// (§5.1) and late frames on streams that ended get STREAM_CLOSED rather than a
    /// connection error. Older ones are forgotten. Default 256; h2 0.4 keeps 50 reset streams
    /// for 1 s (`max_concurrent_reset_streams`, `reset_stream_duration`); nghttp2 keeps closed
    /// streams only for its priority tree.
    pub fn max_closed_streams(mut self, streams: usize) -> Config {
        self.max_closed_streams = streams;
        self
    }
}
