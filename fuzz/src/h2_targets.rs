//! Targets for the HTTP/2 connection (http-codec's `h2::Connection`, RFC 9113).

use arbitrary::{Arbitrary, Unstructured};
use bytes::{Bytes, BytesMut};
use framing::{Decoder, Encoder};
use http_codec::h2::flow::MAX_WINDOW;
use http_codec::h2::frame::{Frame, FrameDecoder, FrameEncoder, PREFACE, Priority};
use http_codec::h2::hpack::{self, HeaderField};
use http_codec::h2::{Config, ConnEvent, Connection, Error, ErrorCode, Role};
use http_codec::{Request, Response};

/// Field names the generated blocks pick from: the pseudo-header fields, the fields §8 checks,
/// and a few plain ones.
const NAMES: &[&str] = &[
    ":method",
    ":scheme",
    ":authority",
    ":path",
    ":status",
    ":protocol",
    "content-length",
    "te",
    "connection",
    "transfer-encoding",
    "host",
    "x-a",
    "X-Upper",
    "cookie",
];

/// Values the generated blocks pick from.
const VALUES: &[&str] = &[
    "GET",
    "POST",
    "CONNECT",
    "HEAD",
    "https",
    "/",
    "*",
    "a.example",
    "0",
    "3",
    "10",
    "trailers",
    "chunked",
    "a\r\nb",
    "",
    " x",
];

/// One step of the client side, or one thing the server's user does.
#[derive(Debug, Arbitrary)]
enum Step {
    Data {
        stream: u8,
        len: u8,
        end: bool,
        pad: Option<u8>,
    },
    Headers {
        stream: u8,
        fields: Vec<(u8, u8)>,
        end: bool,
        split: Option<u8>,
        prio: bool,
    },
    RawHeaders {
        stream: u8,
        block: Vec<u8>,
        end_headers: bool,
    },
    Continuation {
        stream: u8,
        fields: Vec<(u8, u8)>,
        end_headers: bool,
    },
    Priority {
        stream: u8,
        dependency: u8,
    },
    Reset {
        stream: u8,
        code: u8,
    },
    Settings {
        params: Vec<(u8, u32)>,
    },
    SettingsAck,
    Ping {
        ack: bool,
    },
    GoAway {
        last: u8,
        code: u8,
    },
    WindowUpdate {
        stream: u8,
        increment: u32,
    },
    PushPromise {
        stream: u8,
        promised: u8,
    },
    Unknown {
        kind: u8,
        stream: u8,
    },
    Bytes(Vec<u8>),
    // The user of the connection under test.
    Request {
        end: bool,
    },
    Respond {
        stream: u8,
        status: u16,
        end: bool,
    },
    SendData {
        stream: u8,
        len: u16,
        end: bool,
    },
    Release {
        stream: u8,
        octets: u16,
    },
    ResetLocal {
        stream: u8,
    },
    GoAwayLocal,
    Drain,
}

fn stream_id(n: u8) -> u32 {
    u32::from(n % 16)
}

fn fields(list: &[(u8, u8)]) -> Vec<HeaderField> {
    list.iter()
        .take(16)
        .map(|&(n, v)| {
            let name = NAMES
                .get(usize::from(n) % NAMES.len())
                .copied()
                .unwrap_or("x");
            let value = VALUES
                .get(usize::from(v) % VALUES.len())
                .copied()
                .unwrap_or("");
            HeaderField::new(name, value)
        })
        .collect()
}

/// The promises of the connection after a step: windows never above 2^31 - 1 (§6.9.1), an
/// error the RFC's code with a reason and a section.
fn check(server: &Connection) {
    let (send, recv) = server.connection_windows();
    assert!(send.get() <= MAX_WINDOW && recv.get() <= MAX_WINDOW);
    assert!(
        recv.get() >= 0,
        "our connection receive window went negative"
    );
    for id in server.stream_ids() {
        let (send, recv) = server.stream_windows(id).unwrap_or_default();
        assert!(send.get() <= MAX_WINDOW && recv.get() <= MAX_WINDOW);
    }
}

fn check_error(e: &Error) {
    assert!(
        e.code.name().is_some(),
        "an error with an unknown code: {e}"
    );
    assert!(!e.reason.is_empty() && e.section.starts_with('§'));
}

/// Arbitrary frame sequences (and the user's calls) against a server connection after the
/// preface and a SETTINGS frame.
///
/// Checks after every step: no panic; windows never above 2^31 - 1; every error returned or
/// reported carries a code RFC 9113 §7 defines; what the server writes decodes as frames, its
/// GOAWAY and RST_STREAM codes defined ones, and a connection error's GOAWAY is the last frame.
pub fn h2_server_connection(data: &[u8]) {
    connection(Role::Server, data);
}

/// The same for a client connection: the peer's frames after its SETTINGS, the user's
/// requests, data, releases and resets between them, the same checks.
pub fn h2_client_connection(data: &[u8]) {
    connection(Role::Client, data);
}

fn connection(role: Role, data: &[u8]) {
    let mut u = Unstructured::new(data);
    let config = Config::default()
        .max_concurrent_streams(4)
        .max_closed_streams(8)
        .max_continuations(4)
        .max_queued_control_frames(64)
        .max_send_buffer(100_000);
    let mut server = match role {
        Role::Server => Connection::server(config),
        Role::Client => Connection::client(config),
    };
    let mut wire = BytesMut::new();
    let mut enc = FrameEncoder::default();
    enc.set_max_frame_size(1 << 24);
    let mut hpack_enc = hpack::Encoder::default();
    let mut out = match role {
        Role::Server => FrameDecoder::default(),
        Role::Client => FrameDecoder::server(),
    };
    out.set_max_frame_size(1 << 24);
    let mut written = BytesMut::new();
    if role == Role::Server {
        wire.extend_from_slice(PREFACE);
    }
    let _ = enc.encode(
        Frame::Settings {
            ack: false,
            params: vec![],
        },
        &mut wire,
    );
    let mut failed = false;
    for _ in 0..64 {
        let Ok(step) = Step::arbitrary(&mut u) else {
            break;
        };
        let frame = match step {
            Step::Data {
                stream,
                len,
                end,
                pad,
            } => Some(Frame::Data {
                stream: stream_id(stream),
                data: Bytes::from(vec![b'd'; usize::from(len)]),
                end_stream: end,
                padding: pad,
            }),
            Step::Headers {
                stream,
                fields: f,
                end,
                split,
                prio,
            } => {
                let mut block = BytesMut::new();
                hpack_enc.encode(&fields(&f), &mut block);
                let mut block = block.freeze();
                let first =
                    block.split_to(split.map_or(block.len(), |s| usize::from(s).min(block.len())));
                let priority = prio.then_some(Priority {
                    exclusive: false,
                    dependency: 0,
                    weight: 1,
                });
                let end_headers = block.is_empty();
                let _ = enc.encode(
                    Frame::Headers {
                        stream: stream_id(stream),
                        fragment: first,
                        end_stream: end,
                        end_headers,
                        priority,
                        padding: None,
                    },
                    &mut wire,
                );
                if !end_headers {
                    let _ = enc.encode(
                        Frame::Continuation {
                            stream: stream_id(stream),
                            fragment: block,
                            end_headers: true,
                        },
                        &mut wire,
                    );
                }
                None
            }
            Step::RawHeaders {
                stream,
                block,
                end_headers,
            } => Some(Frame::Headers {
                stream: stream_id(stream),
                fragment: block.into(),
                end_stream: true,
                end_headers,
                priority: None,
                padding: None,
            }),
            Step::Continuation {
                stream,
                fields: f,
                end_headers,
            } => {
                let mut block = BytesMut::new();
                hpack_enc.encode(&fields(&f), &mut block);
                Some(Frame::Continuation {
                    stream: stream_id(stream),
                    fragment: block.freeze(),
                    end_headers,
                })
            }
            Step::Priority { stream, dependency } => Some(Frame::Priority {
                stream: stream_id(stream).max(1),
                priority: Priority {
                    exclusive: false,
                    dependency: stream_id(dependency),
                    weight: 0,
                },
            }),
            Step::Reset { stream, code } => Some(Frame::RstStream {
                stream: stream_id(stream).max(1),
                code: ErrorCode(u32::from(code % 16)),
            }),
            Step::Settings { params } => Some(Frame::Settings {
                ack: false,
                params: params
                    .into_iter()
                    .take(8)
                    .map(|(id, v)| (u16::from(id % 10), v))
                    .collect(),
            }),
            Step::SettingsAck => Some(Frame::Settings {
                ack: true,
                params: vec![],
            }),
            Step::Ping { ack } => Some(Frame::Ping { ack, data: [7; 8] }),
            Step::GoAway { last, code } => Some(Frame::GoAway {
                last_stream: stream_id(last),
                code: ErrorCode(u32::from(code)),
                debug: Bytes::new(),
            }),
            Step::WindowUpdate { stream, increment } => Some(Frame::WindowUpdate {
                stream: stream_id(stream),
                increment: (increment & 0x7fff_ffff).max(1),
            }),
            Step::PushPromise { stream, promised } => Some(Frame::PushPromise {
                stream: stream_id(stream).max(1),
                promised: stream_id(promised),
                fragment: Bytes::new(),
                end_headers: true,
                padding: None,
            }),
            Step::Unknown { kind, stream } => Some(Frame::Unknown {
                kind: kind | 0x10,
                flags: 0,
                stream: stream_id(stream),
                payload: Bytes::new(),
            }),
            Step::Bytes(b) => {
                wire.extend_from_slice(&b);
                None
            }
            Step::Request { end } => {
                if let Ok(request) = Request::get("/").header("host", "a.example") {
                    let _ = server.send_request(request, end);
                }
                None
            }
            Step::Respond {
                stream,
                status,
                end,
            } => {
                let _ =
                    server.send_response(stream_id(stream), Response::new(100 + status % 500), end);
                None
            }
            Step::SendData { stream, len, end } => {
                let _ = server.send_data(stream_id(stream), vec![b's'; usize::from(len)], end);
                None
            }
            Step::Release { stream, octets } => {
                server.release_capacity(stream_id(stream), u32::from(octets));
                None
            }
            Step::ResetLocal { stream } => {
                let _ = server.reset(stream_id(stream), ErrorCode::CANCEL);
                None
            }
            Step::GoAwayLocal => {
                server.goaway(ErrorCode::NO_ERROR);
                None
            }
            Step::Drain => {
                while let Some(b) = server.poll_transmit() {
                    written.extend_from_slice(&b);
                }
                None
            }
        };
        if let Some(frame) = frame
            && enc.encode(frame, &mut wire).is_err()
        {
            continue;
        }
        server.receive(&wire.split());
        loop {
            match server.poll_event() {
                Ok(Some(ConnEvent::StreamError(e))) => check_error(&e),
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => {
                    check_error(&e);
                    assert!(!failed, "a second connection error");
                    failed = true;
                    assert!(server.is_failed());
                }
            }
        }
        check(&server);
    }
    while let Some(b) = server.poll_transmit() {
        written.extend_from_slice(&b);
    }
    // What the server wrote is frames, with defined codes; a connection error's GOAWAY last.
    let mut last = None;
    loop {
        match out.decode(&mut written) {
            Ok(Some(frame)) => {
                match &frame {
                    Frame::GoAway { code, .. } | Frame::RstStream { code, .. } => {
                        assert!(code.name().is_some(), "an undefined code: {frame:?}");
                    }
                    _ => {}
                }
                last = Some(frame);
            }
            Ok(None) => break,
            Err(e) => panic!("the server wrote something that is not a frame: {e}"),
        }
    }
    assert!(written.is_empty());
    if failed {
        assert!(
            matches!(last, Some(Frame::GoAway { .. })),
            "after a connection error: {last:?}"
        );
    }
}

/// Every frame and error a decoder gives for `input` fed in the pieces `cuts` makes, until the
/// first error (the connection ends there, §5.4.1) or the input runs out.
fn frames_of(input: &[u8], cuts: &[usize], server: bool, max: u32) -> (Vec<Frame>, Option<Error>) {
    let mut decoder = if server {
        FrameDecoder::server()
    } else {
        FrameDecoder::default()
    };
    decoder.set_max_frame_size(max);
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    let mut fed = 0;
    for end in cuts.iter().copied().chain([input.len()]) {
        let end = end.clamp(fed, input.len());
        buf.extend_from_slice(&input[fed..end]);
        fed = end;
        loop {
            match decoder.decode(&mut buf) {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => break,
                Err(e) => {
                    assert!(
                        e.offset <= input.len() as u64,
                        "offset {} past the input",
                        e.offset
                    );
                    return (frames, Some(e));
                }
            }
        }
    }
    assert!(decoder.position() <= input.len() as u64);
    (frames, None)
}

/// The frame decoder alone (RFC 9113 §4, §6) over arbitrary octets.
///
/// Input: one octet choosing the role (bit 0: a server, which reads the client preface first)
/// and SETTINGS_MAX_FRAME_SIZE (16,384 or 2^24 - 1), two octets of a cut point, then the
/// octets.
///
/// Checks: no panic; error offsets inside the input; the same frames and the same error whole
/// and cut in two (split invariance); no payload over the maximum frame size; every decoded
/// frame encodes (with that maximum) to octets that decode back to the same frame.
pub fn h2_frame(data: &[u8]) {
    let [mode, c0, c1, input @ ..] = data else {
        return;
    };
    let server = mode & 1 == 1;
    let max = if mode & 2 == 2 { 0xff_ffff } else { 16_384 };
    let cut = usize::from(u16::from_be_bytes([*c0, *c1]));

    let whole = frames_of(input, &[], server, max);
    let split = frames_of(input, &[cut], server, max);
    assert_eq!(whole, split, "the cut at {cut} changed what was decoded");

    let mut encoder = FrameEncoder::default();
    encoder.set_max_frame_size(max);
    for frame in whole.0 {
        let mut out = BytesMut::new();
        encoder
            .encode(&frame, &mut out)
            .expect("a decoded frame encodes");
        assert!(out.len() <= 9 + max as usize);
        let mut again = FrameDecoder::default();
        again.set_max_frame_size(max);
        let back = again.decode(&mut out).expect("our own frame decodes");
        assert_eq!(back.as_ref(), Some(&frame));
        assert!(out.is_empty());
    }
}
