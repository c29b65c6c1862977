//! The HTTP/2 connection (RFC 9113 §3-§8):
//!
//! - a client and a server driven against each other in memory: GET, POST with a body larger
//!   than the initial window (released with `release_capacity` → WINDOW_UPDATE), 100
//!   concurrent streams, trailers, RST_STREAM, graceful GOAWAY, PING, 1xx, h2c upgrade;
//! - per-rule tests with raw frames (FrameEncoder + hpack::Encoder) against a server, each
//!   checking the exact error code and whether the connection or only the stream ends;
//! - the HTTP/2 → HTTP/1 desync class (H2.CL, H2.TE, CR/LF/NUL), a test per case;
//! - every flood limit shown to hold.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bytes::{Bytes, BytesMut};
use framing::{Decoder, Encoder};
use http_codec::h2::frame::{Frame, FrameDecoder, FrameEncoder, PREFACE, setting};
use http_codec::h2::hpack::{self, HeaderField};
use http_codec::h2::stream::StreamState;
use http_codec::h2::{Config, ConnEvent, Connection, Error, ErrorCode, Scope, SendError};
use http_codec::{Headers, Request, Response};

// ------------------------------------------------------------------ in-memory driving

fn pump(from: &mut Connection, to: &mut Connection) -> usize {
    let mut n = 0;
    while let Some(bytes) = from.poll_transmit() {
        n += bytes.len();
        to.receive(&bytes);
    }
    n
}

fn events(c: &mut Connection) -> Vec<ConnEvent> {
    let mut out = Vec::new();
    while let Some(e) = c.poll_event().unwrap() {
        out.push(e);
    }
    out
}

/// Runs both until neither has anything to say; returns (client events, server events).
fn settle(client: &mut Connection, server: &mut Connection) -> (Vec<ConnEvent>, Vec<ConnEvent>) {
    let (mut ce, mut se) = (Vec::new(), Vec::new());
    loop {
        let a = pump(client, server);
        se.extend(events(server));
        let b = pump(server, client);
        ce.extend(events(client));
        if a == 0 && b == 0 {
            return (ce, se);
        }
    }
}

fn pair(client: Config, server: Config) -> (Connection, Connection) {
    let mut c = Connection::client(client);
    let mut s = Connection::server(server);
    let (ce, se) = settle(&mut c, &mut s);
    assert!(ce.is_empty() && se.is_empty(), "{ce:?} {se:?}");
    (c, s)
}

fn get(path: &str) -> Request {
    Request::get(path).header("host", "example.com").unwrap()
}

#[test]
fn get_and_response_with_body() {
    let (mut c, mut s) = pair(Config::default(), Config::default());
    let id = c.send_request(get("/hello"), true).unwrap();
    assert_eq!(id, 1);
    let (_, se) = settle(&mut c, &mut s);
    let [
        ConnEvent::Request {
            stream: 1,
            head,
            end_stream: true,
        },
    ] = &se[..]
    else {
        panic!("{se:?}")
    };
    assert_eq!(head.request.method, "GET");
    assert_eq!(head.request.target, "/hello");
    assert_eq!(head.scheme.as_deref(), Some(&b"http"[..]));
    assert_eq!(head.authority.as_deref(), Some(&b"example.com"[..]));
    assert_eq!(
        head.to_http1().to_string(),
        "GET /hello HTTP/1.1\nhost: example.com"
    );
    let response = Response::new(200).header("content-length", "14").unwrap();
    s.send_response(1, response, false).unwrap();
    s.send_data(1, "Hello, world!\n", true).unwrap();
    let (ce, _) = settle(&mut c, &mut s);
    assert!(
        matches!(&ce[0], ConnEvent::Response { stream: 1, response, end_stream: false } if response.status == 200)
    );
    assert_eq!(
        ce[1],
        ConnEvent::Data {
            stream: 1,
            data: Bytes::from_static(b"Hello, world!\n"),
            end_stream: true
        }
    );
    assert_eq!(
        c.stream_state(1),
        Some(StreamState::Closed {
            reset: false,
            by_peer: true
        })
    );
    assert!(matches!(
        s.stream_state(1),
        Some(StreamState::Closed { .. })
    ));
}

#[test]
fn post_larger_than_the_window_flows_as_capacity_is_released() {
    let (mut c, mut s) = pair(Config::default(), Config::default());
    let body = Bytes::from(vec![b'x'; 200_000]);
    let req = Request::post("/echo")
        .header("host", "a")
        .unwrap()
        .header("content-length", "200000")
        .unwrap();
    let id = c.send_request(req, false).unwrap();
    c.send_data(id, body.clone(), true).unwrap();
    // Only the initial window went out; the rest waits in the send buffer.
    assert_eq!(c.buffered(id), 200_000 - 65_535);
    let mut received = 0usize;
    let mut ended = false;
    for _ in 0..100 {
        let (_, se) = settle(&mut c, &mut s);
        for e in se {
            if let ConnEvent::Data {
                stream,
                data,
                end_stream,
            } = e
            {
                received += data.len();
                ended |= end_stream;
                // The server consumes the data: WINDOW_UPDATEs for stream and connection.
                s.release_capacity(stream, data.len() as u32);
            }
        }
        if ended {
            break;
        }
    }
    assert_eq!(received, 200_000);
    assert!(ended);
    assert_eq!(c.buffered(id), 0);
    // Windows never above 2^31 - 1 and back where they started.
    let (send, recv) = s.connection_windows();
    assert_eq!(recv.get(), 65_535);
    assert!(send.get() <= 0x7fff_ffff);
}

#[test]
fn release_capacity_sends_window_updates() {
    let (mut c, mut s) = pair(Config::default(), Config::default());
    let id = c
        .send_request(Request::post("/").header("host", "a").unwrap(), false)
        .unwrap();
    c.send_data(id, vec![0u8; 1000], false).unwrap();
    settle(&mut c, &mut s);
    assert_eq!(s.connection_windows().1.get(), 65_535 - 1000);
    s.release_capacity(id, 1000);
    let out = s.poll_transmit().unwrap();
    let frames = decode_all(&out);
    assert_eq!(
        frames,
        vec![
            Frame::WindowUpdate {
                stream: id,
                increment: 1000
            },
            Frame::WindowUpdate {
                stream: 0,
                increment: 1000
            }
        ]
    );
    assert_eq!(s.connection_windows().1.get(), 65_535);
}

#[test]
fn a_hundred_concurrent_streams() {
    let (mut c, mut s) = pair(Config::default(), Config::default());
    settle(&mut c, &mut s);
    let ids: Vec<u32> = (0..100)
        .map(|i| c.send_request(get(&format!("/{i}")), true).unwrap())
        .collect();
    // The peer's SETTINGS_MAX_CONCURRENT_STREAMS (100) is reached.
    assert_eq!(
        c.send_request(get("/x"), true),
        Err(SendError::TooManyStreams(100))
    );
    let (_, se) = settle(&mut c, &mut s);
    assert_eq!(se.len(), 100);
    for (i, e) in se.iter().enumerate() {
        let ConnEvent::Request { stream, head, .. } = e else {
            panic!()
        };
        assert_eq!(*stream, ids[i]);
        assert_eq!(head.request.target, format!("/{i}"));
    }
    for &id in ids.iter().rev() {
        s.send_response(id, Response::new(200), false).unwrap();
        s.send_data(id, format!("body {id}"), true).unwrap();
    }
    let (ce, _) = settle(&mut c, &mut s);
    let bodies: Vec<_> = ce
        .iter()
        .filter_map(|e| match e {
            ConnEvent::Data {
                stream,
                data,
                end_stream: true,
            } => Some((*stream, data.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(bodies.len(), 100);
    for (id, data) in bodies {
        assert_eq!(data, format!("body {id}"));
    }
    // All closed: a new request may go.
    c.send_request(get("/again"), true).unwrap();
}

#[test]
fn trailers_both_ways() {
    let (mut c, mut s) = pair(Config::default(), Config::default());
    let id = c
        .send_request(
            Request::post("/")
                .header("host", "a")
                .unwrap()
                .header("te", "trailers")
                .unwrap(),
            false,
        )
        .unwrap();
    c.send_data(id, "abc", false).unwrap();
    let mut t = Headers::new();
    t.append("x-checksum", "1234").unwrap();
    c.send_trailers(id, &t).unwrap();
    let (_, se) = settle(&mut c, &mut s);
    assert!(
        matches!(&se[0], ConnEvent::Request { head, .. } if head.request.headers.get("te") == Some(&b"trailers"[..]))
    );
    assert!(matches!(&se[1], ConnEvent::Data { data, end_stream: false, .. } if data == "abc"));
    assert_eq!(
        se[2],
        ConnEvent::Trailers {
            stream: id,
            trailers: t.clone()
        }
    );
    s.send_response(id, Response::new(200), false).unwrap();
    s.send_trailers(id, &t).unwrap();
    let (ce, _) = settle(&mut c, &mut s);
    assert_eq!(
        ce[1],
        ConnEvent::Trailers {
            stream: id,
            trailers: t
        }
    );
}

#[test]
fn interim_responses_come_before_the_final_one() {
    let (mut c, mut s) = pair(Config::default(), Config::default());
    let id = c
        .send_request(Request::post("/").header("host", "a").unwrap(), false)
        .unwrap();
    settle(&mut c, &mut s);
    s.send_response(id, Response::new(100), false).unwrap();
    s.send_response(id, Response::new(103), false).unwrap();
    assert!(s.send_response(id, Response::new(100), true).is_err());
    s.send_response(id, Response::new(204), true).unwrap();
    assert!(s.send_response(id, Response::new(200), true).is_err());
    let (ce, _) = settle(&mut c, &mut s);
    let statuses: Vec<u16> = ce
        .iter()
        .filter_map(|e| match e {
            ConnEvent::Response { response, .. } => Some(response.status),
            _ => None,
        })
        .collect();
    assert_eq!(statuses, [100, 103, 204]);
}

#[test]
fn client_reset_reaches_the_server_and_late_data_is_ignored() {
    let (mut c, mut s) = pair(Config::default(), Config::default());
    let id = c
        .send_request(Request::post("/").header("host", "a").unwrap(), false)
        .unwrap();
    settle(&mut c, &mut s);
    c.reset(id, ErrorCode::CANCEL).unwrap();
    let (_, se) = settle(&mut c, &mut s);
    assert_eq!(
        se,
        [ConnEvent::Reset {
            stream: id,
            code: ErrorCode::CANCEL
        }]
    );
    // The server resets a stream; DATA the client had in flight is ignored (§5.1).
    let id = c
        .send_request(Request::post("/").header("host", "a").unwrap(), false)
        .unwrap();
    settle(&mut c, &mut s);
    s.reset(id, ErrorCode::CANCEL).unwrap();
    c.send_data(id, "in flight", false).unwrap();
    let before = c.poll_transmit().unwrap();
    s.receive(&before);
    assert!(events(&mut s).is_empty());
    let (ce, se) = settle(&mut c, &mut s);
    assert_eq!(
        ce,
        [ConnEvent::Reset {
            stream: id,
            code: ErrorCode::CANCEL
        }]
    );
    assert!(se.is_empty());
    assert!(!s.is_failed());
}

#[test]
fn graceful_goaway() {
    let (mut c, mut s) = pair(Config::default(), Config::default());
    let a = c.send_request(get("/a"), true).unwrap();
    settle(&mut c, &mut s);
    let b = c.send_request(get("/b"), true).unwrap();
    // The server shuts down before it sees stream 3.
    s.goaway(ErrorCode::NO_ERROR);
    let goaway = s.poll_transmit().unwrap();
    assert_eq!(
        decode_all(&goaway),
        [Frame::GoAway {
            last_stream: a,
            code: ErrorCode::NO_ERROR,
            debug: Bytes::new()
        }]
    );
    c.receive(&goaway);
    let ce = events(&mut c);
    assert_eq!(
        ce,
        [ConnEvent::GoAway {
            last_stream: a,
            code: ErrorCode::NO_ERROR,
            debug: Bytes::new(),
            unprocessed: vec![b]
        }]
    );
    assert_eq!(c.send_request(get("/c"), true), Err(SendError::Closing));
    // Stream 1 is still answered; stream 3 is ignored by the server.
    let (_, se) = settle(&mut c, &mut s);
    assert!(se.is_empty(), "{se:?}");
    s.send_response(a, Response::new(200), true).unwrap();
    let (ce, _) = settle(&mut c, &mut s);
    assert!(matches!(
        &ce[..],
        [ConnEvent::Response {
            stream: 1,
            end_stream: true,
            ..
        }]
    ));
}

#[test]
fn ping_is_answered() {
    let (mut c, mut s) = pair(Config::default(), Config::default());
    c.ping(*b"12345678");
    let (ce, se) = settle(&mut c, &mut s);
    assert!(se.is_empty());
    assert_eq!(ce, [ConnEvent::PingAck(*b"12345678")]);
}

#[test]
fn settings_are_applied() {
    let big = Config::default()
        .initial_window_size(1 << 20)
        .max_frame_size(1 << 20)
        .connection_window_size(1 << 24);
    let (mut c, mut s) = pair(Config::default(), big);
    assert_eq!(c.peer_settings().initial_window_size, 1 << 20);
    assert_eq!(c.peer_settings().max_frame_size, 1 << 20);
    // The client sends 500 KB at once: one frame per 1 MiB window, no stall.
    let id = c
        .send_request(Request::post("/").header("host", "a").unwrap(), false)
        .unwrap();
    c.send_data(id, vec![1u8; 300_000], true).unwrap();
    assert_eq!(c.buffered(id), 0);
    let out = c.poll_transmit().unwrap();
    let frames = decode_all_with(&out, 1 << 20);
    assert!(
        frames
            .iter()
            .any(|f| matches!(f, Frame::Data { data, .. } if data.len() == 300_000))
    );
    s.receive(&out);
    let se = events(&mut s);
    assert!(
        matches!(&se[1], ConnEvent::Data { data, end_stream: true, .. } if data.len() == 300_000)
    );
}

#[test]
fn h2c_upgrade_makes_the_request_stream_1() {
    let http2_settings = http_codec::h2::Settings::default().to_http2_settings();
    let request = Request::get("/up")
        .header("Host", "example.com")
        .unwrap()
        .header("Connection", "Upgrade, HTTP2-Settings")
        .unwrap()
        .header("Upgrade", "h2c")
        .unwrap()
        .header("HTTP2-Settings", &http2_settings)
        .unwrap()
        .header("Accept", "*/*")
        .unwrap();
    let mut s =
        Connection::upgrade(Config::default(), &request, http2_settings.as_bytes()).unwrap();
    let se = events(&mut s);
    let [
        ConnEvent::Request {
            stream: 1,
            head,
            end_stream: true,
        },
    ] = &se[..]
    else {
        panic!("{se:?}")
    };
    assert_eq!(head.request.target, "/up");
    assert_eq!(head.authority.as_deref(), Some(&b"example.com"[..]));
    // Connection-specific fields and HTTP2-Settings stay behind in HTTP/1.1.
    assert_eq!(head.request.headers.len(), 1);
    assert_eq!(s.stream_state(1), Some(StreamState::HalfClosedRemote));
    // The client's preface and SETTINGS follow; the response goes on stream 1.
    let mut c = Connection::client(Config::default());
    settle(&mut c, &mut s);
    s.send_response(1, Response::new(200), false).unwrap();
    s.send_data(1, "upgraded", true).unwrap();
    let out = s.poll_transmit().unwrap();
    let frames = decode_all(&out);
    assert!(matches!(frames[0], Frame::Headers { stream: 1, .. }));
    assert_eq!(frames[1], Frame::data(1, "upgraded", true));
    assert!(Connection::upgrade(Config::default(), &request, b"not base64!").is_err());
}

// ------------------------------------------------------------------ raw frames

/// A hand-driven client: frames through FrameEncoder, field blocks through hpack::Encoder.
struct Raw {
    enc: FrameEncoder,
    hpack: hpack::Encoder,
    out: BytesMut,
}

impl Raw {
    fn new() -> Raw {
        let mut raw = Raw {
            enc: FrameEncoder::default(),
            hpack: hpack::Encoder::default(),
            out: BytesMut::new(),
        };
        raw.out.extend_from_slice(PREFACE);
        raw.frame(Frame::Settings {
            ack: false,
            params: vec![],
        });
        raw
    }

    fn frame(&mut self, f: Frame) -> &mut Raw {
        self.enc.encode(f, &mut self.out).unwrap();
        self
    }

    fn block(&mut self, fields: &[HeaderField]) -> Bytes {
        let mut b = BytesMut::new();
        self.hpack.encode(fields, &mut b);
        b.freeze()
    }

    fn headers(&mut self, stream: u32, fields: &[HeaderField], end_stream: bool) -> &mut Raw {
        let fragment = self.block(fields);
        self.frame(Frame::Headers {
            stream,
            fragment,
            end_stream,
            end_headers: true,
            priority: None,
            padding: None,
        })
    }

    fn take(&mut self) -> Bytes {
        self.out.split().freeze()
    }
}

fn req(path: &str) -> Vec<HeaderField> {
    vec![
        HeaderField::new(":method", "POST"),
        HeaderField::new(":scheme", "https"),
        HeaderField::new(":authority", "example.com"),
        HeaderField::new(":path", path.to_string()),
    ]
}

fn with(mut fields: Vec<HeaderField>, name: &'static str, value: &'static str) -> Vec<HeaderField> {
    fields.push(HeaderField::new(name, value));
    fields
}

fn decode_all_with(bytes: &[u8], max: u32) -> Vec<Frame> {
    let mut d = FrameDecoder::default();
    d.set_max_frame_size(max);
    let mut b = BytesMut::from(bytes);
    let mut out = Vec::new();
    while let Some(f) = d.decode(&mut b).unwrap() {
        out.push(f);
    }
    out
}

fn decode_all(bytes: &[u8]) -> Vec<Frame> {
    decode_all_with(bytes, 1 << 24)
}

/// What a server made of some raw input: its events, the connection error if any, and the
/// frames it wrote (after its SETTINGS).
struct Outcome {
    events: Vec<ConnEvent>,
    error: Option<Error>,
    frames: Vec<Frame>,
}

impl Outcome {
    fn goaway(&self) -> Option<ErrorCode> {
        self.frames.iter().find_map(|f| match f {
            Frame::GoAway { code, .. } => Some(*code),
            _ => None,
        })
    }

    fn resets(&self) -> Vec<(u32, ErrorCode)> {
        self.frames
            .iter()
            .filter_map(|f| match f {
                Frame::RstStream { stream, code } => Some((*stream, *code)),
                _ => None,
            })
            .collect()
    }

    /// The connection ended with `code`, said in GOAWAY and returned.
    fn connection_error(&self, code: ErrorCode) {
        let e = self
            .error
            .as_ref()
            .unwrap_or_else(|| panic!("no connection error: {:?}", self.events));
        assert_eq!((e.code, e.scope), (code, Scope::Connection), "{e}");
        assert_eq!(self.goaway(), Some(code));
    }

    /// Only `stream` ended with `code`: RST_STREAM and a StreamError event, no GOAWAY.
    fn stream_error(&self, stream: u32, code: ErrorCode) {
        assert!(self.error.is_none(), "{:?}", self.error);
        assert_eq!(self.goaway(), None);
        assert_eq!(self.resets(), [(stream, code)], "{:?}", self.events);
        assert!(self.events.iter().any(|e| matches!(e, ConnEvent::StreamError(err) if err.code == code && err.scope == Scope::Stream(stream))));
    }
}

fn run_with(config: Config, input: &[u8]) -> Outcome {
    let mut s = Connection::server(config);
    let _ = s.poll_transmit();
    s.receive(input);
    let mut events = Vec::new();
    let mut error = None;
    loop {
        match s.poll_event() {
            Ok(Some(e)) => events.push(e),
            Ok(None) => break,
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    let frames = s
        .poll_transmit()
        .map(|b| decode_all(&b))
        .unwrap_or_default();
    Outcome {
        events,
        error,
        frames,
    }
}

fn run(input: &[u8]) -> Outcome {
    run_with(Config::default(), input)
}

#[test]
fn preface_and_first_settings() {
    run(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").connection_error(ErrorCode::PROTOCOL_ERROR);
    let mut raw = Raw {
        enc: FrameEncoder::default(),
        hpack: hpack::Encoder::default(),
        out: BytesMut::new(),
    };
    raw.out.extend_from_slice(PREFACE);
    raw.frame(Frame::Ping {
        ack: false,
        data: [0; 8],
    });
    run(&raw.take()).connection_error(ErrorCode::PROTOCOL_ERROR);
    // A good start: SETTINGS acknowledged.
    let o = run(&Raw::new().take());
    assert!(o.error.is_none());
    assert_eq!(
        o.frames,
        [Frame::Settings {
            ack: true,
            params: vec![]
        }]
    );
}

#[test]
fn stream_identifier_rules() {
    // Even identifiers belong to the server (§5.1.1).
    let mut r = Raw::new();
    let b = r.headers(2, &req("/"), true).take();
    run(&b).connection_error(ErrorCode::PROTOCOL_ERROR);
    // Lower than a previous one (§5.1.1), even if never used: stream 3 was closed implicitly.
    let mut r = Raw::new();
    let b = r
        .headers(5, &req("/"), true)
        .headers(3, &req("/"), true)
        .take();
    run(&b).connection_error(ErrorCode::PROTOCOL_ERROR);
    // DATA, WINDOW_UPDATE, RST_STREAM on an idle stream (§5.1).
    for f in [
        Frame::data(1, "x", false),
        Frame::WindowUpdate {
            stream: 1,
            increment: 1,
        },
        Frame::RstStream {
            stream: 1,
            code: ErrorCode::CANCEL,
        },
    ] {
        let b = Raw::new().frame(f).take();
        run(&b).connection_error(ErrorCode::PROTOCOL_ERROR);
    }
    // PRIORITY on an idle stream is fine and opens nothing.
    let b = Raw::new()
        .frame(Frame::Priority {
            stream: 9,
            priority: http_codec::h2::frame::Priority {
                exclusive: false,
                dependency: 0,
                weight: 15,
            },
        })
        .take();
    let o = run(&b);
    assert!(o.error.is_none() && o.events.is_empty());
}

#[test]
fn frames_after_end_stream_are_stream_closed() {
    let mut r = Raw::new();
    let b = r
        .headers(1, &req("/"), true)
        .frame(Frame::data(1, "late", false))
        .take();
    let o = run(&b);
    o.stream_error(1, ErrorCode::STREAM_CLOSED);
    let mut r = Raw::new();
    let fields = req("/");
    let b = r.headers(1, &fields, true).take();
    let mut b = BytesMut::from(&b[..]);
    let trailer = r.block(&[HeaderField::new("x", "y")]);
    r.frame(Frame::Headers {
        stream: 1,
        fragment: trailer,
        end_stream: true,
        end_headers: true,
        priority: None,
        padding: None,
    });
    b.extend_from_slice(&r.take());
    run(&b).stream_error(1, ErrorCode::STREAM_CLOSED);
}

#[test]
fn headers_after_end_stream_both_ways_is_a_connection_error() {
    // §5.1 "closed": once the peer's END_STREAM came (and our answer ended the stream), more
    // HEADERS from the peer cannot be in flight: a connection error of type STREAM_CLOSED.
    let mut s = Connection::server(Config::default());
    let mut r = Raw::new();
    s.receive(&r.headers(1, &req("/"), true).take());
    while let Some(e) = s.poll_event().unwrap() {
        assert!(!matches!(e, ConnEvent::StreamError(_)), "{e:?}");
    }
    s.send_response(1, Response::new(204), true).unwrap();
    let _ = s.poll_transmit();
    s.receive(&r.headers(1, &req("/"), true).take());
    let e = s.poll_event().unwrap_err();
    assert_eq!(
        (e.code, e.scope),
        (ErrorCode::STREAM_CLOSED, Scope::Connection)
    );
    let frames = decode_all(&s.poll_transmit().unwrap());
    assert!(
        frames.iter().any(|f| matches!(
            f,
            Frame::GoAway {
                code: ErrorCode::STREAM_CLOSED,
                ..
            }
        )),
        "{frames:?}"
    );
}

#[test]
fn a_self_dependent_stream_is_reset_and_hpack_stays_in_step() {
    // §5.3.1: a stream error; the field block was decoded all the same (§4.3), so the next
    // request, whose block refers to the dynamic table entries the first one added, decodes.
    let mut r = Raw::new();
    let fields = with(req("/a"), "x-custom", "a value to index");
    let fragment = r.block(&fields);
    r.frame(Frame::Headers {
        stream: 1,
        fragment,
        end_stream: true,
        end_headers: true,
        priority: Some(http_codec::h2::frame::Priority {
            exclusive: false,
            dependency: 1,
            weight: 16,
        }),
        padding: None,
    });
    r.headers(3, &fields, true);
    let o = run(&r.take());
    assert!(o.error.is_none(), "{:?}", o.error);
    assert_eq!(o.resets(), [(1, ErrorCode::PROTOCOL_ERROR)]);
    let requests: Vec<u32> = o
        .events
        .iter()
        .filter_map(|e| match e {
            ConnEvent::Request { stream, head, .. } => {
                assert_eq!(
                    head.request.headers.get("x-custom"),
                    Some(&b"a value to index"[..])
                );
                Some(*stream)
            }
            _ => None,
        })
        .collect();
    assert_eq!(requests, [3]);
}

#[test]
fn continuation_sequencing() {
    // Something else inside a field block (§6.10).
    let mut r = Raw::new();
    let block = r.block(&req("/"));
    let (a, bb) = block.split_at(3);
    let b = r
        .frame(Frame::Headers {
            stream: 1,
            fragment: Bytes::copy_from_slice(a),
            end_stream: true,
            end_headers: false,
            priority: None,
            padding: None,
        })
        .frame(Frame::Ping {
            ack: false,
            data: [0; 8],
        })
        .take();
    run(&b).connection_error(ErrorCode::PROTOCOL_ERROR);
    // CONTINUATION on another stream.
    let mut r = Raw::new();
    let block = r.block(&req("/"));
    let b = r
        .frame(Frame::Headers {
            stream: 1,
            fragment: block.slice(..3),
            end_stream: true,
            end_headers: false,
            priority: None,
            padding: None,
        })
        .frame(Frame::Continuation {
            stream: 3,
            fragment: block.slice(3..),
            end_headers: true,
        })
        .take();
    run(&b).connection_error(ErrorCode::PROTOCOL_ERROR);
    // CONTINUATION with no field block open.
    let b = Raw::new()
        .frame(Frame::Continuation {
            stream: 1,
            fragment: Bytes::new(),
            end_headers: true,
        })
        .take();
    run(&b).connection_error(ErrorCode::PROTOCOL_ERROR);
    // A well-formed split block is one request.
    let mut r = Raw::new();
    let b = r
        .frame(Frame::Headers {
            stream: 1,
            fragment: Bytes::copy_from_slice(a),
            end_stream: true,
            end_headers: false,
            priority: None,
            padding: None,
        })
        .frame(Frame::Continuation {
            stream: 1,
            fragment: Bytes::copy_from_slice(bb),
            end_headers: true,
        })
        .take();
    let mut r2 = Raw::new();
    let _ = r2.take();
    let o = run(&b);
    assert!(
        matches!(
            &o.events[..],
            [ConnEvent::Request {
                stream: 1,
                end_stream: true,
                ..
            }]
        ),
        "{:?}",
        o.error
    );
}

#[test]
fn hpack_errors_are_compression_errors() {
    // Index 0 (RFC 7541 §6.1), and an index past the tables.
    for block in [&b"\x80"[..], b"\xff\x7f"] {
        let b = Raw::new()
            .frame(Frame::Headers {
                stream: 1,
                fragment: Bytes::copy_from_slice(block),
                end_stream: true,
                end_headers: true,
                priority: None,
                padding: None,
            })
            .take();
        run(&b).connection_error(ErrorCode::COMPRESSION_ERROR);
    }
}

#[test]
fn flow_control_errors() {
    // A connection WINDOW_UPDATE past 2^31 - 1 (§6.9.1).
    let b = Raw::new()
        .frame(Frame::WindowUpdate {
            stream: 0,
            increment: 0x7fff_ffff,
        })
        .take();
    run(&b).connection_error(ErrorCode::FLOW_CONTROL_ERROR);
    // A stream's: a stream error.
    let mut r = Raw::new();
    let b = r
        .headers(1, &req("/"), false)
        .frame(Frame::WindowUpdate {
            stream: 1,
            increment: 0x7fff_ffff,
        })
        .take();
    run(&b).stream_error(1, ErrorCode::FLOW_CONTROL_ERROR);
    // SETTINGS_INITIAL_WINDOW_SIZE taking an open stream's window past 2^31 - 1 (§6.9.2).
    let mut r = Raw::new();
    let b = r
        .headers(1, &req("/"), false)
        .frame(Frame::WindowUpdate {
            stream: 1,
            increment: 0x7fff_ffff - 65_535,
        })
        .frame(Frame::Settings {
            ack: false,
            params: vec![(setting::INITIAL_WINDOW_SIZE, 65_536)],
        })
        .take();
    run(&b).connection_error(ErrorCode::FLOW_CONTROL_ERROR);
    // DATA past the stream's window: a stream error; past the connection's: a connection error.
    let mut r = Raw::new();
    r.headers(1, &req("/"), false);
    for _ in 0..4 {
        r.frame(Frame::data(1, vec![0u8; 16_384], false));
    }
    let b = r.frame(Frame::data(1, vec![0u8; 16_384], false)).take();
    let o = run_with(Config::default().connection_window_size(1 << 20), &b);
    o.stream_error(1, ErrorCode::FLOW_CONTROL_ERROR);
    let mut r = Raw::new();
    r.headers(1, &req("/"), false);
    for _ in 0..4 {
        r.frame(Frame::data(1, vec![0u8; 16_384], false));
    }
    let b = r.frame(Frame::data(1, vec![0u8; 16_384], false)).take();
    run_with(Config::default().initial_window_size(1 << 20), &b)
        .connection_error(ErrorCode::FLOW_CONTROL_ERROR);
}

#[test]
fn push_promise_from_a_client() {
    let b = Raw::new()
        .frame(Frame::PushPromise {
            stream: 1,
            promised: 2,
            fragment: Bytes::new(),
            end_headers: true,
            padding: None,
        })
        .take();
    run(&b).connection_error(ErrorCode::PROTOCOL_ERROR);
}

#[test]
fn ping_and_settings_are_acknowledged() {
    let b = Raw::new()
        .frame(Frame::Ping {
            ack: false,
            data: *b"abcdefgh",
        })
        .frame(Frame::Settings {
            ack: false,
            params: vec![(setting::MAX_FRAME_SIZE, 20_000)],
        })
        .take();
    let o = run(&b);
    assert_eq!(
        o.frames,
        [
            Frame::Settings {
                ack: true,
                params: vec![]
            },
            Frame::Ping {
                ack: true,
                data: *b"abcdefgh"
            },
            Frame::Settings {
                ack: true,
                params: vec![]
            },
        ]
    );
}

#[test]
fn refused_over_max_concurrent_streams() {
    let mut r = Raw::new();
    r.headers(1, &req("/"), false).headers(3, &req("/"), false);
    let b = r.headers(5, &req("/"), false).take();
    let o = run_with(Config::default().max_concurrent_streams(2), &b);
    assert_eq!(o.resets(), [(5, ErrorCode::REFUSED_STREAM)]);
    assert!(o.error.is_none());
    assert_eq!(
        o.events
            .iter()
            .filter(|e| matches!(e, ConnEvent::Request { .. }))
            .count(),
        2
    );
}

// ------------------------------------------------------------------ §8 message checks

fn malformed(fields: Vec<HeaderField>) {
    let mut r = Raw::new();
    let b = r.headers(1, &fields, true).take();
    run(&b).stream_error(1, ErrorCode::PROTOCOL_ERROR);
}

#[test]
fn malformed_requests_are_stream_errors() {
    let get = |path: &str| {
        let mut f = req(path);
        f[0] = HeaderField::new(":method", "GET");
        f
    };
    malformed(with(get("/"), "Upper-Case", "x"));
    malformed(with(get("/"), "connection", "keep-alive"));
    malformed(with(get("/"), "keep-alive", "5"));
    malformed(with(get("/"), "proxy-connection", "x"));
    malformed(with(get("/"), "upgrade", "websocket"));
    malformed(with(get("/"), "te", "gzip"));
    malformed(with(get("/"), ":unknown", "x"));
    malformed(with(get("/"), ":status", "200"));
    malformed(with(get("/"), "host", "other.example"));
    malformed(get("no-slash"));
    malformed(get(""));
    malformed(vec![
        HeaderField::new(":method", "GET"),
        HeaderField::new(":path", "/"),
    ]);
    malformed(vec![
        HeaderField::new(":method", "GET"),
        HeaderField::new(":scheme", "https"),
    ]);
    // Pseudo-header after a regular field, and a pseudo-header twice.
    let mut f = get("/");
    f.insert(1, HeaderField::new("accept", "*/*"));
    malformed(f);
    malformed(with(get("/"), ":path", "/again"));
    // CONNECT: :authority only (§8.5).
    malformed(vec![
        HeaderField::new(":method", "CONNECT"),
        HeaderField::new(":scheme", "https"),
        HeaderField::new(":authority", "a:443"),
    ]);
    malformed(vec![HeaderField::new(":method", "CONNECT")]);
    // te: trailers is fine; so is a plain CONNECT.
    let mut r = Raw::new();
    let b = r
        .headers(1, &with(get("/"), "te", "trailers"), true)
        .headers(
            3,
            &[
                HeaderField::new(":method", "CONNECT"),
                HeaderField::new(":authority", "a:443"),
            ],
            false,
        )
        .take();
    let o = run(&b);
    assert!(o.error.is_none() && o.resets().is_empty(), "{:?}", o.events);
}

/// The HTTP/2 → HTTP/1 desync class: what would split or re-frame a message once written as
/// HTTP/1 is refused, one test per case.
#[test]
fn h2_to_h1_desync_cr_in_a_value() {
    malformed(with(req("/"), "x", "a\rb"));
}

#[test]
fn h2_to_h1_desync_lf_in_a_value() {
    malformed(with(req("/"), "x", "a\nInjected: yes"));
}

#[test]
fn h2_to_h1_desync_nul_in_a_value() {
    malformed(with(req("/"), "x", "a\0b"));
}

#[test]
fn h2_to_h1_desync_crlf_in_a_name() {
    malformed(with(req("/"), "x\r\ny", "z"));
}

#[test]
fn h2_to_h1_desync_crlf_in_the_path() {
    malformed(req("/ HTTP/1.1\r\nHost: evil\r\n\r\nGET /"));
}

#[test]
fn h2_te_transfer_encoding_is_refused() {
    malformed(with(req("/"), "transfer-encoding", "chunked"));
}

#[test]
fn h2_cl_more_data_than_content_length() {
    let mut r = Raw::new();
    let b = r
        .headers(1, &with(req("/"), "content-length", "3"), false)
        .frame(Frame::data(1, "abcdef", true))
        .take();
    run(&b).stream_error(1, ErrorCode::PROTOCOL_ERROR);
}

#[test]
fn h2_cl_less_data_than_content_length() {
    let mut r = Raw::new();
    let b = r
        .headers(1, &with(req("/"), "content-length", "10"), false)
        .frame(Frame::data(1, "abc", true))
        .take();
    run(&b).stream_error(1, ErrorCode::PROTOCOL_ERROR);
    // No DATA at all with a content-length above 0.
    malformed(with(req("/"), "content-length", "5"));
    // Two values that disagree.
    malformed(with(
        with(req("/"), "content-length", "1"),
        "content-length",
        "2",
    ));
    // The exact length is fine.
    let mut r = Raw::new();
    let b = r
        .headers(1, &with(req("/"), "content-length", "3"), false)
        .frame(Frame::data(1, "abc", true))
        .take();
    let o = run(&b);
    assert!(o.error.is_none() && o.resets().is_empty());
}

#[test]
fn trailers_rules() {
    // Trailers without END_STREAM; pseudo-header fields in trailers.
    let mut r = Raw::new();
    r.headers(1, &req("/"), false);
    let b = r.headers(1, &[HeaderField::new("x", "y")], false).take();
    run(&b).stream_error(1, ErrorCode::PROTOCOL_ERROR);
    let mut r = Raw::new();
    r.headers(1, &req("/"), false);
    let b = r.headers(1, &[HeaderField::new(":path", "/")], true).take();
    run(&b).stream_error(1, ErrorCode::PROTOCOL_ERROR);
}

#[test]
fn responses_are_checked_too() {
    // A server answering with 101, or DATA before the head, or no :status.
    for bad in [
        vec![HeaderField::new(":status", "101")],
        vec![HeaderField::new(":status", "2000")],
        vec![HeaderField::new("x", "y")],
        vec![
            HeaderField::new(":status", "200"),
            HeaderField::new(":path", "/"),
        ],
        vec![
            HeaderField::new(":status", "200"),
            HeaderField::new("transfer-encoding", "chunked"),
        ],
    ] {
        let mut c = Connection::client(Config::default());
        c.send_request(get("/"), true).unwrap();
        let _ = c.poll_transmit();
        let mut enc = FrameEncoder::default();
        let mut hp = hpack::Encoder::default();
        let mut out = BytesMut::new();
        enc.encode(
            Frame::Settings {
                ack: false,
                params: vec![],
            },
            &mut out,
        )
        .unwrap();
        let mut block = BytesMut::new();
        hp.encode(&bad, &mut block);
        enc.encode(
            Frame::Headers {
                stream: 1,
                fragment: block.freeze(),
                end_stream: true,
                end_headers: true,
                priority: None,
                padding: None,
            },
            &mut out,
        )
        .unwrap();
        c.receive(&out);
        let ev = events(&mut c);
        assert!(ev.iter().any(|e| matches!(e, ConnEvent::StreamError(err) if err.code == ErrorCode::PROTOCOL_ERROR && err.scope == Scope::Stream(1))), "{bad:?}: {ev:?}");
    }
}

// ------------------------------------------------------------------ limits

#[test]
fn rapid_reset_is_bounded() {
    // CVE-2023-44487: open and reset, never waiting for an answer.
    let config = Config::default().max_pending_accept_resets(10);
    let mut r = Raw::new();
    for i in 0..11u32 {
        let id = 1 + 2 * i;
        r.headers(id, &req("/"), false).frame(Frame::RstStream {
            stream: id,
            code: ErrorCode::CANCEL,
        });
    }
    run_with(config, &r.take()).connection_error(ErrorCode::ENHANCE_YOUR_CALM);
    // Ten are tolerated.
    let mut r = Raw::new();
    for i in 0..10u32 {
        let id = 1 + 2 * i;
        r.headers(id, &req("/"), false).frame(Frame::RstStream {
            stream: id,
            code: ErrorCode::CANCEL,
        });
    }
    assert!(run_with(config, &r.take()).error.is_none());
}

#[test]
fn a_client_that_cancels_now_and_then_is_not_punished() {
    // Each answered request pays for one cancellation: 1000 requests, every other one
    // cancelled before the answer, never reach a limit of 10.
    let (mut c, mut s) = pair(
        Config::default(),
        Config::default().max_pending_accept_resets(10),
    );
    for _ in 0..500 {
        let keep = c.send_request(get("/"), true).unwrap();
        let cancel = c.send_request(get("/"), true).unwrap();
        settle(&mut c, &mut s);
        s.send_response(keep, Response::new(200), true).unwrap();
        c.reset(cancel, ErrorCode::CANCEL).unwrap();
        settle(&mut c, &mut s);
    }
    assert!(!s.is_failed());
}

#[test]
fn local_error_resets_are_bounded() {
    // RUSTSEC-2024-0003: malformed requests, each provoking our RST_STREAM.
    let config = Config::default().max_local_error_resets(5);
    let mut r = Raw::new();
    for i in 0..6u32 {
        r.headers(1 + 2 * i, &with(req("/"), "connection", "x"), true);
    }
    let o = run_with(config, &r.take());
    assert_eq!(o.resets().len(), 6);
    o.connection_error(ErrorCode::ENHANCE_YOUR_CALM);
    // The user's own resets do not count.
    let (mut c, mut s) = pair(Config::default(), config);
    for _ in 0..20 {
        let id = c.send_request(get("/"), false).unwrap();
        settle(&mut c, &mut s);
        s.reset(id, ErrorCode::CANCEL).unwrap();
        settle(&mut c, &mut s);
    }
    assert!(!s.is_failed());
}

#[test]
fn continuation_flood_is_bounded() {
    // CVE-2024-27316 class: endless empty CONTINUATIONs.
    let mut r = Raw::new();
    let block = r.block(&req("/"));
    r.frame(Frame::Headers {
        stream: 1,
        fragment: block,
        end_stream: true,
        end_headers: false,
        priority: None,
        padding: None,
    });
    for _ in 0..16 {
        r.frame(Frame::Continuation {
            stream: 1,
            fragment: Bytes::new(),
            end_headers: false,
        });
    }
    let b = r.take();
    let o = run(&b);
    assert!(o.error.is_none());
    let mut more = BytesMut::from(&b[..]);
    let mut enc = FrameEncoder::default();
    enc.encode(
        Frame::Continuation {
            stream: 1,
            fragment: Bytes::new(),
            end_headers: false,
        },
        &mut more,
    )
    .unwrap();
    run(&more).connection_error(ErrorCode::ENHANCE_YOUR_CALM);
    // Large CONTINUATIONs: the block is bounded in octets by the header list size.
    let mut r = Raw::new();
    r.frame(Frame::Headers {
        stream: 1,
        fragment: Bytes::from(vec![0x40; 16_000]),
        end_stream: true,
        end_headers: false,
        priority: None,
        padding: None,
    });
    for _ in 0..4 {
        r.frame(Frame::Continuation {
            stream: 1,
            fragment: Bytes::from(vec![0x40; 16_000]),
            end_headers: false,
        });
    }
    run(&r.take()).connection_error(ErrorCode::ENHANCE_YOUR_CALM);
}

#[test]
fn header_list_size_and_field_count_are_bounded() {
    let mut many = req("/");
    for i in 0..100 {
        many.push(HeaderField::new(format!("x-{i}"), "v"));
    }
    let mut r = Raw::new();
    run(&r.headers(1, &many, true).take()).connection_error(ErrorCode::ENHANCE_YOUR_CALM);
    let mut r = Raw::new();
    let o = run_with(
        Config::default().max_field_count(200),
        &r.headers(1, &many, true).take(),
    );
    assert!(o.error.is_none());
    // A header-list bomb: one big indexed field referenced again and again.
    let mut r = Raw::new();
    let mut bomb = req("/");
    for _ in 0..40 {
        bomb.push(HeaderField::new("x-big", "y".repeat(3000)));
    }
    run(&r.headers(1, &bomb, true).take()).connection_error(ErrorCode::ENHANCE_YOUR_CALM);
}

#[test]
fn ping_flood_without_draining_is_bounded() {
    // CVE-2019-9512: PINGs whose ACKs the user never writes out.
    let config = Config::default().max_queued_control_frames(50);
    let mut r = Raw::new();
    for _ in 0..49 {
        r.frame(Frame::Ping {
            ack: false,
            data: [0; 8],
        });
    }
    let b = r.take();
    assert!(run_with(config, &b).error.is_none());
    let mut more = BytesMut::from(&b[..]);
    let mut enc = FrameEncoder::default();
    enc.encode(
        Frame::Ping {
            ack: false,
            data: [0; 8],
        },
        &mut more,
    )
    .unwrap();
    run_with(config, &more).connection_error(ErrorCode::ENHANCE_YOUR_CALM);
    // Drained between reads, the same PINGs are fine.
    let mut s = Connection::server(config);
    s.receive(&Raw::new().take());
    for _ in 0..10 {
        let mut r = Raw {
            enc: FrameEncoder::default(),
            hpack: hpack::Encoder::default(),
            out: BytesMut::new(),
        };
        for _ in 0..40 {
            r.frame(Frame::Ping {
                ack: false,
                data: [0; 8],
            });
        }
        s.receive(&r.take());
        assert!(events(&mut s).is_empty());
        let _ = s.poll_transmit();
    }
}

#[test]
fn settings_flood_without_draining_is_bounded() {
    // CVE-2019-9515.
    let config = Config::default().max_queued_control_frames(20);
    let mut r = Raw::new();
    for _ in 0..20 {
        r.frame(Frame::Settings {
            ack: false,
            params: vec![],
        });
    }
    run_with(config, &r.take()).connection_error(ErrorCode::ENHANCE_YOUR_CALM);
}

#[test]
fn empty_data_flood_is_bounded() {
    // CVE-2019-9518: DATA frames that carry nothing.
    let config = Config::default().max_tiny_data_frames(100);
    let mut r = Raw::new();
    r.headers(1, &req("/"), false);
    for _ in 0..100 {
        r.frame(Frame::data(1, "", false));
    }
    let b = r.take();
    assert!(run_with(config, &b).error.is_none());
    let mut more = BytesMut::from(&b[..]);
    FrameEncoder::default()
        .encode(Frame::data(1, "x", false), &mut more)
        .unwrap();
    run_with(config, &more).connection_error(ErrorCode::ENHANCE_YOUR_CALM);
    // Real data between them resets the count.
    let mut r = Raw::new();
    r.headers(1, &req("/"), false);
    for i in 0..300 {
        if i % 50 == 0 {
            r.frame(Frame::data(1, "real data", false));
        } else {
            r.frame(Frame::data(1, "", false));
        }
    }
    assert!(run_with(config, &r.take()).error.is_none());
}

#[test]
fn the_send_buffer_is_bounded() {
    let (mut c, mut s) = pair(
        Config::default().max_send_buffer(100_000),
        Config::default(),
    );
    let id = c
        .send_request(Request::post("/").header("host", "a").unwrap(), false)
        .unwrap();
    // 65,535 go out at once, 100,000 may wait.
    c.send_data(id, vec![0u8; 165_535], false).unwrap();
    assert_eq!(c.buffered(id), 100_000);
    assert_eq!(
        c.send_data(id, vec![0u8; 1], false),
        Err(SendError::BufferFull {
            stream: id,
            limit: 100_000
        })
    );
    let _ = &mut s;
}

#[test]
fn a_peer_window_that_never_opens_holds_data_back() {
    // The peer announces a zero window: nothing goes until it opens.
    let (mut c, mut s) = pair(Config::default(), Config::default().initial_window_size(0));
    let id = c
        .send_request(Request::post("/").header("host", "a").unwrap(), false)
        .unwrap();
    c.send_data(id, "waiting", true).unwrap();
    assert_eq!(c.buffered(id), 7);
    let (_, se) = settle(&mut c, &mut s);
    assert_eq!(se.len(), 1);
    let _ = s.poll_transmit();
    let mut enc = FrameEncoder::default();
    let mut out = BytesMut::new();
    enc.encode(
        Frame::WindowUpdate {
            stream: id,
            increment: 100,
        },
        &mut out,
    )
    .unwrap();
    c.receive(&out);
    assert!(events(&mut c).is_empty());
    assert_eq!(c.buffered(id), 0);
    let frames = decode_all(&c.poll_transmit().unwrap());
    assert_eq!(frames, [Frame::data(id, "waiting", true)]);
}

#[test]
fn end_of_stream() {
    let mut s = Connection::server(Config::default());
    s.receive(&Raw::new().take());
    s.receive_eof();
    assert_eq!(events(&mut s), [ConnEvent::Closed]);
    // Inside a frame: a connection error.
    let mut s = Connection::server(Config::default());
    let b = Raw::new().take();
    s.receive(&b[..b.len() - 2]);
    s.receive_eof();
    assert_eq!(s.poll_event().unwrap_err().code, ErrorCode::PROTOCOL_ERROR);
}

#[test]
fn streams_opened_after_our_goaway_are_ignored() {
    let mut s = Connection::server(Config::default());
    let mut r = Raw::new();
    s.receive(&r.headers(1, &req("/"), false).take());
    assert_eq!(events(&mut s).len(), 1);
    s.goaway(ErrorCode::NO_ERROR);
    let _ = s.poll_transmit();
    s.receive(
        &r.headers(3, &req("/"), false)
            .frame(Frame::data(3, "x", true))
            .take(),
    );
    assert!(events(&mut s).is_empty());
    // Stream 1 goes on; the DATA on stream 3 still counted against the connection's window
    // and was given back at once.
    s.receive(&r.frame(Frame::data(1, "body", true)).take());
    assert!(matches!(
        &events(&mut s)[..],
        [ConnEvent::Data {
            stream: 1,
            end_stream: true,
            ..
        }]
    ));
    let frames = decode_all(&s.poll_transmit().unwrap());
    assert_eq!(
        frames,
        [Frame::WindowUpdate {
            stream: 0,
            increment: 1
        }]
    );
}

/// Hostile sequences after a good preface and SETTINGS, each with the code it must give and
/// whether the connection (None) or one stream (Some(id)) ends.
#[test]
fn hostile_sequences() {
    use ErrorCode as C;
    type Build = fn(&mut Raw);
    let table: Vec<(&str, Build, ErrorCode, Option<u32>)> = vec![
        (
            "DATA on stream 0 (§6.1)",
            |r| {
                r.out.extend_from_slice(&[0, 0, 1, 0, 0, 0, 0, 0, 0, b'x']);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "HEADERS on stream 0 (§6.2)",
            |r| {
                r.out.extend_from_slice(&[0, 0, 1, 1, 4, 0, 0, 0, 0, 0x82]);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "SETTINGS on stream 1 (§6.5)",
            |r| {
                r.out.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 0, 1]);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "SETTINGS ACK with a payload (§6.5)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 6, 4, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
            },
            C::FRAME_SIZE_ERROR,
            None,
        ),
        (
            "SETTINGS of 5 octets (§6.5)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 5, 4, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
            },
            C::FRAME_SIZE_ERROR,
            None,
        ),
        (
            "SETTINGS_ENABLE_PUSH = 2 (§6.5.2)",
            |r| {
                r.frame(Frame::Settings {
                    ack: false,
                    params: vec![(setting::ENABLE_PUSH, 2)],
                });
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "SETTINGS_INITIAL_WINDOW_SIZE = 2^31 (§6.5.2)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 4, 0x80, 0, 0, 0]);
            },
            C::FLOW_CONTROL_ERROR,
            None,
        ),
        (
            "SETTINGS_MAX_FRAME_SIZE = 16383 (§6.5.2)",
            |r| {
                r.frame(Frame::Settings {
                    ack: false,
                    params: vec![(setting::MAX_FRAME_SIZE, 16_383)],
                });
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "PING on stream 1 (§6.7)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 8, 6, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "PING of 7 octets (§6.7)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 7, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            },
            C::FRAME_SIZE_ERROR,
            None,
        ),
        (
            "GOAWAY on stream 1 (§6.8)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 8, 7, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "RST_STREAM on stream 0 (§6.4)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 8]);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "RST_STREAM of 3 octets (§6.4)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 3, 3, 0, 0, 0, 0, 1, 0, 0, 8]);
            },
            C::FRAME_SIZE_ERROR,
            None,
        ),
        (
            "WINDOW_UPDATE of 3 octets (§6.9)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 3, 8, 0, 0, 0, 0, 0, 0, 0, 1]);
            },
            C::FRAME_SIZE_ERROR,
            None,
        ),
        (
            "connection WINDOW_UPDATE of 0 (§6.9)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "stream WINDOW_UPDATE of 0 (§6.9)",
            |r| {
                r.headers(1, &req("/"), false);
                r.out
                    .extend_from_slice(&[0, 0, 4, 8, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "PRIORITY of 4 octets (§6.3)",
            |r| {
                r.headers(1, &req("/"), false);
                r.out
                    .extend_from_slice(&[0, 0, 4, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
            },
            C::FRAME_SIZE_ERROR,
            Some(1),
        ),
        (
            "DATA over the default frame size (§4.2)",
            |r| {
                r.headers(1, &req("/"), false);
                r.out.extend_from_slice(&[0, 0x40, 0x01, 0, 0, 0, 0, 0, 1]);
                r.out.extend_from_slice(&[0; 16_385]);
            },
            C::FRAME_SIZE_ERROR,
            None,
        ),
        (
            "padding longer than the DATA payload (§6.1)",
            |r| {
                r.headers(1, &req("/"), false);
                r.out.extend_from_slice(&[0, 0, 2, 0, 8, 0, 0, 0, 1, 5, 0]);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "HEADERS on a half-closed (remote) stream (§5.1)",
            |r| {
                r.headers(1, &req("/"), true);
                r.headers(1, &req("/"), true);
            },
            C::STREAM_CLOSED,
            Some(1),
        ),
        (
            "DATA on a half-closed (remote) stream (§5.1)",
            |r| {
                r.headers(1, &req("/"), true);
                r.frame(Frame::data(1, "x", true));
            },
            C::STREAM_CLOSED,
            Some(1),
        ),
        (
            "DATA on a stream the peer reset (§5.1)",
            |r| {
                r.headers(1, &req("/"), false);
                r.frame(Frame::RstStream {
                    stream: 1,
                    code: ErrorCode::CANCEL,
                });
                r.frame(Frame::data(1, "x", true));
            },
            C::STREAM_CLOSED,
            Some(1),
        ),
        (
            "HEADERS on a lower stream id (§5.1.1)",
            |r| {
                r.headers(3, &req("/"), true);
                r.headers(1, &req("/"), true);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "HEADERS on an even stream (§5.1.1)",
            |r| {
                r.headers(4, &req("/"), true);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "WINDOW_UPDATE on an idle stream (§5.1)",
            |r| {
                r.frame(Frame::WindowUpdate {
                    stream: 7,
                    increment: 1,
                });
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "a HEADERS that depends on itself (§5.3.1)",
            |r| {
                let fragment = r.block(&req("/"));
                r.frame(Frame::Headers {
                    stream: 1,
                    fragment,
                    end_stream: true,
                    end_headers: true,
                    priority: Some(http_codec::h2::frame::Priority {
                        exclusive: false,
                        dependency: 1,
                        weight: 0,
                    }),
                    padding: None,
                });
            },
            // §5.3.1: a stream error (the field block is decoded all the same, so HPACK stays
            // in step and the connection goes on).
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "a PRIORITY that makes a stream depend on itself (§5.3.1)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 5, 2, 0, 0, 0, 0, 3, 0, 0, 0, 3, 16]);
            },
            C::PROTOCOL_ERROR,
            Some(3),
        ),
        (
            "an unknown frame inside a field block (§6.10)",
            |r| {
                let fragment = r.block(&req("/"));
                r.frame(Frame::Headers {
                    stream: 1,
                    fragment,
                    end_stream: true,
                    end_headers: false,
                    priority: None,
                    padding: None,
                });
                r.frame(Frame::Unknown {
                    kind: 0x20,
                    flags: 0,
                    stream: 1,
                    payload: Bytes::new(),
                });
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "a HEADERS inside a field block (§6.10)",
            |r| {
                let fragment = r.block(&req("/"));
                r.frame(Frame::Headers {
                    stream: 1,
                    fragment,
                    end_stream: true,
                    end_headers: false,
                    priority: None,
                    padding: None,
                });
                r.headers(3, &req("/"), true);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "a dynamic table size update above the limit (RFC 7541 §6.3)",
            |r| {
                r.frame(Frame::Headers {
                    stream: 1,
                    fragment: Bytes::from_static(b"\x3f\xe2\x1f\x82"),
                    end_stream: true,
                    end_headers: true,
                    priority: None,
                    padding: None,
                });
            },
            C::COMPRESSION_ERROR,
            None,
        ),
        (
            "a size update after a field (RFC 7541 §4.2)",
            |r| {
                r.frame(Frame::Headers {
                    stream: 1,
                    fragment: Bytes::from_static(b"\x82\x20"),
                    end_stream: true,
                    end_headers: true,
                    priority: None,
                    padding: None,
                });
            },
            C::COMPRESSION_ERROR,
            None,
        ),
        (
            "Huffman padding not all ones (RFC 7541 §5.2)",
            |r| {
                r.frame(Frame::Headers {
                    stream: 1,
                    fragment: Bytes::from_static(b"\x82\x04\x81\x00"),
                    end_stream: true,
                    end_headers: true,
                    priority: None,
                    padding: None,
                });
            },
            C::COMPRESSION_ERROR,
            None,
        ),
        (
            "PUSH_PROMISE from a client (§8.4)",
            |r| {
                r.headers(1, &req("/"), false);
                r.frame(Frame::PushPromise {
                    stream: 1,
                    promised: 2,
                    fragment: Bytes::new(),
                    end_headers: true,
                    padding: None,
                });
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "DATA past the stream window (§6.9.1)",
            |r| {
                r.headers(1, &req("/"), false);
                for _ in 0..4 {
                    r.frame(Frame::data(1, vec![0u8; 16_384], false));
                }
                r.frame(Frame::data(1, vec![0u8; 100], false));
            },
            C::FLOW_CONTROL_ERROR,
            None,
        ),
        (
            "HEADERS padding as long as the payload (§6.2)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 2, 1, 0x0c, 0, 0, 0, 1, 2, 0x82]);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "HEADERS with PRIORITY and 3 octets (§6.2)",
            |r| {
                r.out
                    .extend_from_slice(&[0, 0, 3, 1, 0x24, 0, 0, 0, 1, 0, 0, 0]);
            },
            C::FRAME_SIZE_ERROR,
            None,
        ),
        (
            "CONTINUATION on stream 0 (§6.10)",
            |r| {
                r.out.extend_from_slice(&[0, 0, 0, 9, 4, 0, 0, 0, 0]);
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "two connection WINDOW_UPDATEs past 2^31 - 1 (§6.9.1)",
            |r| {
                r.frame(Frame::WindowUpdate {
                    stream: 0,
                    increment: 0x4000_0000,
                });
                r.frame(Frame::WindowUpdate {
                    stream: 0,
                    increment: 0x4000_0000,
                });
            },
            C::FLOW_CONTROL_ERROR,
            None,
        ),
        (
            "DATA on an even idle stream (§5.1)",
            |r| {
                r.frame(Frame::data(2, "x", true));
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "RST_STREAM on an even idle stream (§5.1)",
            |r| {
                r.frame(Frame::RstStream {
                    stream: 2,
                    code: ErrorCode::CANCEL,
                });
            },
            C::PROTOCOL_ERROR,
            None,
        ),
        (
            "an uppercase field name (§8.2.1)",
            |r| {
                r.headers(1, &with(req("/"), "X-Upper", "1"), true);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "a pseudo-header field after a regular one (§8.3)",
            |r| {
                let mut f = vec![HeaderField::new("x", "1")];
                f.extend(req("/"));
                r.headers(1, &f, true);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "an empty :path (§8.3.1)",
            |r| {
                r.headers(1, &req(""), true);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "a connection field (§8.2.2)",
            |r| {
                r.headers(1, &with(req("/"), "connection", "close"), true);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "te: gzip (§8.2.2)",
            |r| {
                r.headers(1, &with(req("/"), "te", "gzip"), true);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "transfer-encoding (§8.2.2)",
            |r| {
                r.headers(1, &with(req("/"), "transfer-encoding", "chunked"), false);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "DATA past content-length in two frames (§8.1.1)",
            |r| {
                r.headers(1, &with(req("/"), "content-length", "4"), false);
                r.frame(Frame::data(1, "abc", false));
                r.frame(Frame::data(1, "de", true));
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "DATA short of content-length at END_STREAM (§8.1.1)",
            |r| {
                r.headers(1, &with(req("/"), "content-length", "4"), false);
                r.frame(Frame::data(1, "abc", true));
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "trailers short of content-length (§8.1.1)",
            |r| {
                r.headers(1, &with(req("/"), "content-length", "4"), false);
                r.frame(Frame::data(1, "abc", false));
                r.headers(1, &[HeaderField::new("x", "y")], true);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "a pseudo-header field in trailers (§8.1)",
            |r| {
                r.headers(1, &req("/"), false);
                r.headers(1, &[HeaderField::new(":method", "GET")], true);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "a second HEADERS without END_STREAM (§8.1)",
            |r| {
                r.headers(1, &req("/"), false);
                r.headers(1, &[HeaderField::new("x", "y")], false);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            ":authority with userinfo (§8.3.1)",
            |r| {
                let mut f = req("/");
                f[2] = HeaderField::new(":authority", "user@example.com");
                r.headers(1, &f, true);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "a host field that disagrees with :authority (§8.3.1)",
            |r| {
                r.headers(1, &with(req("/"), "host", "evil.example"), true);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "CONNECT with :path (§8.5)",
            |r| {
                r.headers(
                    1,
                    &[
                        HeaderField::new(":method", "CONNECT"),
                        HeaderField::new(":authority", "a:443"),
                        HeaderField::new(":path", "/"),
                    ],
                    true,
                );
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "an unknown pseudo-header field (§8.3)",
            |r| {
                r.headers(1, &with(req("/"), ":protocol", "websocket"), true);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "NUL in a field value (§8.2.1)",
            |r| {
                r.headers(1, &with(req("/"), "x", "a\0b"), true);
            },
            C::PROTOCOL_ERROR,
            Some(1),
        ),
        (
            "an HPACK index past the tables (RFC 7541 §2.3.3)",
            |r| {
                r.frame(Frame::Headers {
                    stream: 1,
                    fragment: Bytes::from_static(b"\xbe"),
                    end_stream: true,
                    end_headers: true,
                    priority: None,
                    padding: None,
                });
            },
            C::COMPRESSION_ERROR,
            None,
        ),
        (
            "an HPACK integer past its bound (RFC 7541 §5.1)",
            |r| {
                r.frame(Frame::Headers {
                    stream: 1,
                    fragment: Bytes::from_static(b"\x7f\xff\xff\xff\xff\xff\xff\x01"),
                    end_stream: true,
                    end_headers: true,
                    priority: None,
                    padding: None,
                });
            },
            C::COMPRESSION_ERROR,
            None,
        ),
        (
            "a truncated HPACK string (RFC 7541 §5.2)",
            |r| {
                r.frame(Frame::Headers {
                    stream: 1,
                    fragment: Bytes::from_static(b"\x00\x85"),
                    end_stream: true,
                    end_headers: true,
                    priority: None,
                    padding: None,
                });
            },
            C::COMPRESSION_ERROR,
            None,
        ),
        (
            "more CONTINUATIONs than allowed (CVE-2024-27316)",
            |r| {
                r.frame(Frame::Headers {
                    stream: 1,
                    fragment: Bytes::from_static(b"\x82"),
                    end_stream: true,
                    end_headers: false,
                    priority: None,
                    padding: None,
                });
                for _ in 0..17 {
                    r.frame(Frame::Continuation {
                        stream: 1,
                        fragment: Bytes::new(),
                        end_headers: false,
                    });
                }
            },
            C::ENHANCE_YOUR_CALM,
            None,
        ),
        (
            "more fields than allowed (§10.5.1)",
            |r| {
                let mut f = req("/");
                for _ in 0..120 {
                    f.push(HeaderField::new("x", "y"));
                }
                r.headers(1, &f, true);
            },
            C::ENHANCE_YOUR_CALM,
            None,
        ),
    ];
    assert!(table.len() >= 60, "{}", table.len());
    for (name, build, code, scope) in table {
        let mut r = Raw::new();
        build(&mut r);
        let o = run(&r.take());
        match scope {
            None => {
                let e = o
                    .error
                    .as_ref()
                    .unwrap_or_else(|| panic!("{name}: no connection error, {:?}", o.events));
                assert_eq!((e.code, e.scope), (code, Scope::Connection), "{name}: {e}");
                assert_eq!(o.goaway(), Some(code), "{name}");
            }
            Some(id) => {
                assert!(o.error.is_none(), "{name}: {:?}", o.error);
                assert_eq!(o.resets(), [(id, code)], "{name}: {:?}", o.events);
            }
        }
    }
}

#[test]
fn h2c_upgrade_both_ends() {
    let config = Config::default();
    let settings =
        Connection::settings_for(http_codec::h2::Role::Client, &config).to_http2_settings();
    let request = Request::get("/")
        .header("host", "a")
        .unwrap()
        .header("connection", "Upgrade, HTTP2-Settings")
        .unwrap()
        .header("upgrade", "h2c")
        .unwrap()
        .header("http2-settings", &settings)
        .unwrap();
    // The server answered 101 over HTTP/1.1; both switch.
    let mut s = Connection::upgrade(config, &request, settings.as_bytes()).unwrap();
    let mut c = Connection::client_upgrade(config, &request);
    assert!(!s.peer_settings().enable_push);
    let (_, se) = settle(&mut c, &mut s);
    assert!(matches!(
        &se[..],
        [ConnEvent::Request {
            stream: 1,
            end_stream: true,
            ..
        }]
    ));
    s.send_response(1, Response::new(200), false).unwrap();
    s.send_data(1, "hi", true).unwrap();
    let (ce, _) = settle(&mut c, &mut s);
    assert!(
        matches!(&ce[0], ConnEvent::Response { stream: 1, response, .. } if response.status == 200)
    );
    assert_eq!(
        ce[1],
        ConnEvent::Data {
            stream: 1,
            data: Bytes::from_static(b"hi"),
            end_stream: true
        }
    );
    // The next request is stream 3.
    assert_eq!(c.send_request(get("/next"), true).unwrap(), 3);
}

#[test]
fn late_responses_on_forgotten_streams_keep_hpack_in_step() {
    let (mut c, mut s) = pair(Config::default().max_closed_streams(1), Config::default());
    let a = c.send_request(get("/a"), true).unwrap();
    let b = c.send_request(get("/b"), true).unwrap();
    settle(&mut c, &mut s);
    // The client gives up on both; stream a is forgotten at once.
    c.reset(a, ErrorCode::CANCEL).unwrap();
    c.reset(b, ErrorCode::CANCEL).unwrap();
    assert_eq!(c.stream_state(a), None);
    // The server answered before it saw the resets, with fields that enter the HPACK table.
    let r = Response::new(200).header("x-session", "abcdef").unwrap();
    s.send_response(a, r.clone(), true).unwrap();
    s.send_response(b, r.clone(), true).unwrap();
    let out = s.poll_transmit().unwrap();
    c.receive(&out);
    assert!(events(&mut c).is_empty());
    // The tables are still in step: the next response decodes.
    let next = c.send_request(get("/c"), true).unwrap();
    settle(&mut c, &mut s);
    s.send_response(next, r, true).unwrap();
    let (ce, _) = settle(&mut c, &mut s);
    assert!(
        matches!(&ce[..], [ConnEvent::Response { response, .. }] if response.headers.get("x-session") == Some(&b"abcdef"[..])),
        "{ce:?}"
    );
}

/// Events do not depend on how the bytes were cut: a whole exchange delivered at once, and
/// octet by octet.
#[test]
fn split_invariance() {
    let script = |c: &mut Connection| {
        let id = c
            .send_request(Request::post("/p").header("host", "a").unwrap(), false)
            .unwrap();
        c.send_data(id, vec![7u8; 40_000], false).unwrap();
        let mut t = Headers::new();
        t.append("x-t", "1").unwrap();
        c.send_trailers(id, &t).unwrap();
        c.ping(*b"pingpong");
        c.send_request(get("/g"), true).unwrap();
    };
    let mut c = Connection::client(Config::default());
    script(&mut c);
    let mut bytes = Vec::new();
    while let Some(b) = c.poll_transmit() {
        bytes.extend_from_slice(&b);
    }
    let mut whole = Connection::server(Config::default());
    whole.receive(&bytes);
    let expected = events(&mut whole);
    assert_eq!(expected.len(), 6);
    let mut bytewise = Connection::server(Config::default());
    let mut got = Vec::new();
    for b in &bytes {
        bytewise.receive(&[*b]);
        got.extend(events(&mut bytewise));
    }
    assert!(
        got == expected,
        "the events differ when the bytes come one at a time"
    );
    assert_eq!(whole.poll_transmit(), bytewise.poll_transmit());
}

/// What we send keeps to its content-length (§8.1.1): a peer would refuse the stream, and an
/// HTTP/1 hop behind it would desync.
#[test]
fn our_content_length_is_kept() {
    let (mut c, mut s) = pair(Config::default(), Config::default());
    let with_cl = |n: &str| {
        Request::post("/")
            .header("host", "a")
            .unwrap()
            .header("content-length", n)
            .unwrap()
    };
    assert!(matches!(
        c.send_request(with_cl("3"), true),
        Err(SendError::Invalid(_))
    ));
    let id = c.send_request(with_cl("3"), false).unwrap();
    assert!(matches!(
        c.send_data(id, "abcd", false),
        Err(SendError::Invalid(_))
    ));
    assert!(matches!(
        c.send_data(id, "ab", true),
        Err(SendError::Invalid(_))
    ));
    c.send_data(id, "ab", false).unwrap();
    assert!(matches!(
        c.send_trailers(id, &Headers::new()),
        Err(SendError::Invalid(_))
    ));
    c.send_data(id, "c", true).unwrap();
    let (_, se) = settle(&mut c, &mut s);
    assert!(matches!(
        se.last(),
        Some(ConnEvent::Data {
            end_stream: true,
            ..
        })
    ));
    // A HEAD response announces the length of the body it does not carry.
    let head = c
        .send_request(Request::new("HEAD", "/").header("host", "a").unwrap(), true)
        .unwrap();
    settle(&mut c, &mut s);
    let r = Response::new(200).header("content-length", "100").unwrap();
    s.send_response(head, r, true).unwrap();
    let (ce, _) = settle(&mut c, &mut s);
    assert!(
        matches!(
            &ce[..],
            [ConnEvent::Response {
                end_stream: true,
                ..
            }]
        ),
        "{ce:?}"
    );
}

/// A body larger than the send buffer goes out piece by piece: `send_capacity` says how much
/// fits, `Writable` says when to go on.
#[test]
fn a_large_body_streams_through_a_small_buffer() {
    let (mut c, mut s) = pair(Config::default(), Config::default().max_send_buffer(50_000));
    let id = c.send_request(get("/big"), true).unwrap();
    settle(&mut c, &mut s);
    s.send_response(id, Response::new(200), false).unwrap();
    let body = vec![b'b'; 1 << 20];
    let mut offset = 0;
    let mut received = 0;
    let mut done = false;
    let mut writable = 0;
    for _ in 0..1000 {
        // The server writes what fits; past it, send_data refuses and Writable follows.
        let n = s.send_capacity(id).min(body.len() - offset);
        let end = offset + n == body.len();
        if n > 0 || end {
            s.send_data(id, body[offset..offset + n].to_vec(), end)
                .unwrap();
            offset += n;
        }
        if offset < body.len() {
            assert!(matches!(
                s.send_data(id, vec![0u8; 1], false),
                Err(SendError::BufferFull { .. })
            ));
        }
        let (ce, se) = settle(&mut c, &mut s);
        for e in ce {
            if let ConnEvent::Data {
                stream,
                data,
                end_stream,
            } = e
            {
                received += data.len();
                done |= end_stream;
                c.release_capacity(stream, data.len() as u32);
            }
        }
        assert!(
            se.iter()
                .all(|e| matches!(e, ConnEvent::Writable { stream } if *stream == id))
        );
        writable += se.len();
        if done {
            break;
        }
    }
    assert!(done);
    assert_eq!(received, 1 << 20);
    assert!(writable > 10, "{writable}");
}

/// The h2c hand-over from the HTTP/1 server session (RFC 9113 §3.1, RFC 7540 §3.2): the
/// session reads the upgrading request, answers 101, hands back the bytes after it (the
/// client's preface and SETTINGS, sent at once), and the HTTP/2 connection takes over.
#[test]
fn h2c_upgrade_from_the_http1_server_session() {
    use http_codec::{Event, ServerEvent, ServerSession};
    let config = Config::default();
    let settings =
        Connection::settings_for(http_codec::h2::Role::Client, &config).to_http2_settings();
    let request = Request::get("/hello")
        .header("Host", "example.com")
        .unwrap()
        .header("Connection", "Upgrade, HTTP2-Settings")
        .unwrap()
        .header("Upgrade", "h2c")
        .unwrap()
        .header("HTTP2-Settings", &settings)
        .unwrap();
    let mut wire = format!("{request}").replace('\n', "\r\n").into_bytes();
    wire.extend_from_slice(b"\r\n\r\n");
    // A client sends its preface once the 101 arrived (RFC 7540 §3.2); here it comes in the
    // same read as the request, the case where the hand-over must not lose a byte.
    let mut client = Connection::client_upgrade(config, &request);
    while let Some(b) = client.poll_transmit() {
        wire.extend_from_slice(&b);
    }
    let mut h1 = ServerSession::default();
    h1.receive(&wire);
    let Some(ServerEvent::Message(Event::Head(got))) = h1.poll_event().unwrap() else {
        panic!()
    };
    assert!(got.asks_switch());
    assert!(matches!(
        h1.poll_event().unwrap(),
        Some(ServerEvent::Message(Event::End(_)))
    ));
    let switching = Response::new(101)
        .header("Connection", "Upgrade")
        .unwrap()
        .header("Upgrade", "h2c")
        .unwrap();
    h1.send(Event::Head(switching)).unwrap();
    let head_101 = h1.poll_transmit().unwrap();
    assert!(head_101.starts_with(b"HTTP/1.1 101 "));
    let remaining = h1.take_remaining();
    let value = got.headers.get("http2-settings").unwrap();
    let mut server = Connection::upgrade(config, &got, value).unwrap();
    server.receive(&remaining);
    let se = events(&mut server);
    let [
        ConnEvent::Request {
            stream: 1,
            head,
            end_stream: true,
        },
    ] = &se[..]
    else {
        panic!("{se:?}")
    };
    assert_eq!(head.request.target, "/hello");
    server
        .send_response(
            1,
            Response::new(200).header("content-length", "14").unwrap(),
            false,
        )
        .unwrap();
    server.send_data(1, "Hello, world!\n", true).unwrap();
    let (ce, _) = settle(&mut client, &mut server);
    assert!(
        matches!(&ce[0], ConnEvent::Response { stream: 1, response, .. } if response.status == 200)
    );
    assert_eq!(
        ce[1],
        ConnEvent::Data {
            stream: 1,
            data: Bytes::from_static(b"Hello, world!\n"),
            end_stream: true
        }
    );
}

/// MadeYouReset (CVE-2025-8671): valid requests, each followed by a frame that makes us reset
/// the stream (DATA after END_STREAM, a window overflow), never an RST_STREAM of the peer's own:
/// the local error reset bound ends it.
#[test]
fn made_you_reset_is_bounded() {
    let config = Config::default().max_local_error_resets(10);
    let mut r = Raw::new();
    for i in 0..11u32 {
        let id = 1 + 2 * i;
        if i % 2 == 0 {
            r.headers(id, &req("/"), true)
                .frame(Frame::data(id, "x", false));
        } else {
            r.headers(id, &req("/"), false).frame(Frame::WindowUpdate {
                stream: id,
                increment: 0x7fff_ffff,
            });
        }
    }
    let o = run_with(config, &r.take());
    assert_eq!(o.resets().len(), 11);
    o.connection_error(ErrorCode::ENHANCE_YOUR_CALM);
}

/// A field section the peer announced it would refuse (SETTINGS_MAX_HEADER_LIST_SIZE, §6.5.2)
/// is refused before it is sent.
#[test]
fn the_peers_header_list_size_is_kept() {
    let (mut c, mut s) = pair(
        Config::default(),
        Config::default().max_header_list_size(1000),
    );
    let big = get("/").header("x-big", "v".repeat(1000)).unwrap();
    assert!(matches!(
        c.send_request(big, true),
        Err(SendError::Invalid(_))
    ));
    let id = c.send_request(get("/"), true).unwrap();
    settle(&mut c, &mut s);
    // The client announced 64 KiB: the server may answer with a large field, not a huger one.
    let ok = Response::new(200)
        .header("x-big", "v".repeat(60_000))
        .unwrap();
    let too_big = Response::new(200)
        .header("x-big", "v".repeat(70_000))
        .unwrap();
    assert!(matches!(
        s.send_response(id, too_big, true),
        Err(SendError::Invalid(_))
    ));
    s.send_response(id, ok, true).unwrap();
    let (ce, _) = settle(&mut c, &mut s);
    assert!(
        matches!(
            &ce[..],
            [ConnEvent::Response {
                end_stream: true,
                ..
            }]
        ),
        "{}",
        ce.len()
    );
}
