//! h2spec's `http2` group against `h2_server`: one test per case, named
//! `http2_<section>_<number>_<what>` after h2spec's id (`http2/6.5/1` is the first case of
//! section 6.5), each sending raw frames on a loopback socket and judging the answer as h2spec
//! does (see `h2spec/mod.rs`). RFC 7540's section numbers, which h2spec keeps; the rules are
//! RFC 9113's (same numbers through §6, §8.1.2.x became §8.2.x and §8.3.x).
//!
//! `cargo test -p interop --test h2spec_http2` (the `h2_server` example must be built:
//! `cargo build --examples -p http-codec`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod h2spec;

use h2spec::{
    Conn, Headers, Priority, Server, code, common_headers, dummy_bytes, dummy_headers, header,
    headers, kind, request_headers, run, server_data_length, setting, verify_connection_close,
    verify_connection_error, verify_data_frame_of_length_1, verify_event_type, verify_goaway_frame,
    verify_headers_frame, verify_ping_frame_or_connection_close, verify_ping_frame_with_ack,
    verify_rst_stream_frame, verify_settings_frame_with_ack, verify_stream_close,
    verify_stream_error,
};

/// h2spec's PRIORITY parameters for "no particular priority".
const PRIORITY_255: Priority = Priority {
    dependency: 0,
    exclusive: false,
    weight: 255,
};

/// HEADERS on `stream` without END_HEADERS: a field block left open.
fn open_block(conn: &mut Conn, stream: u32, end_stream: bool, fields: &[(String, String)]) {
    let fragment = conn.encode_headers(fields);
    conn.write_headers(&Headers {
        stream,
        end_stream,
        end_headers: false,
        fragment,
        ..Headers::default()
    });
}

/// A CONTINUATION carrying one dummy field.
fn dummy_continuation(conn: &mut Conn, stream: u32, end_headers: bool) {
    let fragment = conn.encode_headers(&dummy_headers(1));
    conn.write_continuation(stream, end_headers, &fragment);
}

/// The case skips (h2spec: "skipped") when `GET /` has too short a body: a failure here,
/// since `h2_server` answers `/` with one.
fn needs_data(server: &Server, len: usize) -> Result<(), String> {
    let got = server_data_length(server)?;
    if got < len {
        return Err(format!(
            "skipped: GET / answered with {got} octets of data, the case needs {len}"
        ));
    }
    Ok(())
}

// ------------------------------------------------------------ 3.5 HTTP/2 Connection Preface

/// http2/3.5/1: Sends client connection preface. The server connection preface MUST be the
/// first frame the server sends (a SETTINGS frame, not an ACK).
#[test]
fn http2_3_5_1_sends_client_connection_preface() {
    run(|_, conn| {
        conn.send(h2spec::PREFACE);
        conn.write_settings(&[(setting::INITIAL_WINDOW_SIZE, h2spec::DEFAULT_WINDOW_SIZE)]);
        match conn.wait_event() {
            h2spec::Event::Frame(f) if f.kind == kind::SETTINGS && !f.is_ack() => Ok(()),
            other => Err(format!(
                "expected: SETTINGS frame (flags:0x00)\n  actual: {other}"
            )),
        }
    });
}

/// http2/3.5/2: Sends invalid connection preface. The endpoint MUST terminate the TCP
/// connection (GOAWAY PROTOCOL_ERROR, or closed).
#[test]
fn http2_3_5_2_sends_invalid_connection_preface() {
    run(|_, conn| {
        conn.send(b"INVALID CONNECTION PREFACE\r\n\r\n");
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 4.1 Frame Format

/// http2/4.1/1: Sends a frame with unknown type. The endpoint MUST ignore and discard it.
#[test]
fn http2_4_1_1_sends_frame_with_unknown_type() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x08\x16\x00\x00\x00\x00\x00");
        conn.send(b"\x00\x00\x00\x00\x00\x00\x00\x00");
        conn.write_ping(false, [0; 8]);
        verify_ping_frame_with_ack(conn, [0; 8])
    });
}

/// http2/4.1/2: Sends a frame with undefined flag. The endpoint MUST ignore undefined flags.
#[test]
fn http2_4_1_2_sends_frame_with_undefined_flag() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x08\x06\x16\x00\x00\x00\x00");
        conn.send(b"\x00\x00\x00\x00\x00\x00\x00\x00");
        verify_event_type(conn, kind::PING)
    });
}

/// http2/4.1/3: Sends a frame with reserved field bit. The endpoint MUST ignore its value.
#[test]
fn http2_4_1_3_sends_frame_with_reserved_field_bit() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x08\x06\x16\x80\x00\x00\x00");
        conn.send(b"\x00\x00\x00\x00\x00\x00\x00\x00");
        verify_event_type(conn, kind::PING)
    });
}

// ------------------------------------------------------------ 4.2 Frame Size

/// http2/4.2/1: Sends a DATA frame with 2^14 octets in length. The endpoint MUST be capable
/// of receiving and minimally processing frames up to 2^14 octets.
#[test]
fn http2_4_2_1_sends_data_frame_of_2_14_octets() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &request_headers(server, "POST"));
        let data = dummy_bytes(conn.max_frame_size());
        conn.write_data(1, true, &data);
        verify_headers_frame(conn, 1)
    });
}

/// http2/4.2/2: Sends a large size DATA frame that exceeds the SETTINGS_MAX_FRAME_SIZE. The
/// endpoint MUST send an error code of FRAME_SIZE_ERROR.
#[test]
fn http2_4_2_2_sends_data_frame_over_max_frame_size() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &request_headers(server, "POST"));
        let data = dummy_bytes(conn.max_frame_size() + 1);
        conn.write_data(1, true, &data);
        verify_stream_error(conn, &[code::FRAME_SIZE_ERROR])
    });
}

/// http2/4.2/3: Sends a large size HEADERS frame that exceeds the SETTINGS_MAX_FRAME_SIZE.
/// The endpoint MUST respond with a connection error of type FRAME_SIZE_ERROR.
#[test]
fn http2_4_2_3_sends_headers_frame_over_max_frame_size() {
    run(|server, conn| {
        conn.handshake()?;
        let mut fields = common_headers(server);
        fields.extend(dummy_headers(5));
        headers(conn, 1, true, &fields);
        verify_connection_error(conn, &[code::FRAME_SIZE_ERROR])
    });
}

// ------------------------------------------------------------ 4.3 Header Compression

/// http2/4.3/1: Sends invalid header block fragment. The endpoint MUST terminate the
/// connection with a connection error of type COMPRESSION_ERROR.
#[test]
fn http2_4_3_1_sends_invalid_header_block_fragment() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x01\x01\x05\x00\x00\x00\x01\x40");
        verify_connection_error(conn, &[code::COMPRESSION_ERROR])
    });
}

/// http2/4.3/2: Sends a PRIORITY frame while sending the header blocks: a connection error
/// of type PROTOCOL_ERROR.
#[test]
fn http2_4_3_2_sends_priority_inside_header_block() {
    run(|server, conn| {
        conn.handshake()?;
        open_block(conn, 1, false, &common_headers(server));
        conn.write_priority(1, PRIORITY_255);
        dummy_continuation(conn, 1, true);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/4.3/3: Sends a HEADERS frame to another stream while sending the header blocks: a
/// connection error of type PROTOCOL_ERROR.
#[test]
fn http2_4_3_3_sends_headers_to_another_stream_inside_header_block() {
    run(|server, conn| {
        conn.handshake()?;
        open_block(conn, 1, false, &common_headers(server));
        headers(conn, 3, true, &common_headers(server));
        dummy_continuation(conn, 1, true);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 5.1 Stream States

/// http2/5.1/1: idle: Sends a DATA frame (PROTOCOL_ERROR; h2spec also takes STREAM_CLOSED).
#[test]
fn http2_5_1_1_idle_sends_data() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_data(1, true, b"test");
        verify_stream_error(conn, &[code::PROTOCOL_ERROR, code::STREAM_CLOSED])
    });
}

/// http2/5.1/2: idle: Sends a RST_STREAM frame: a connection error of type PROTOCOL_ERROR.
#[test]
fn http2_5_1_2_idle_sends_rst_stream() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_rst_stream(1, code::CANCEL);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/5.1/3: idle: Sends a WINDOW_UPDATE frame: a connection error of type PROTOCOL_ERROR.
#[test]
fn http2_5_1_3_idle_sends_window_update() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_window_update(1, 100);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/5.1/4: idle: Sends a CONTINUATION frame: a connection error of type PROTOCOL_ERROR.
#[test]
fn http2_5_1_4_idle_sends_continuation() {
    run(|server, conn| {
        conn.handshake()?;
        let fragment = conn.encode_headers(&common_headers(server));
        conn.write_continuation(1, true, &fragment);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/5.1/5: half closed (remote): Sends a DATA frame: a stream error of type
/// STREAM_CLOSED.
#[test]
fn http2_5_1_5_half_closed_remote_sends_data() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        conn.write_data(1, true, b"test");
        verify_stream_error(conn, &[code::STREAM_CLOSED])
    });
}

/// http2/5.1/6: half closed (remote): Sends a HEADERS frame: a stream error of type
/// STREAM_CLOSED.
#[test]
fn http2_5_1_6_half_closed_remote_sends_headers() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        headers(conn, 1, true, &common_headers(server));
        verify_stream_error(conn, &[code::STREAM_CLOSED])
    });
}

/// http2/5.1/7: half closed (remote): Sends a CONTINUATION frame: a stream error of type
/// STREAM_CLOSED (h2spec also takes PROTOCOL_ERROR).
#[test]
fn http2_5_1_7_half_closed_remote_sends_continuation() {
    run(|server, conn| {
        conn.handshake()?;
        let fragment = conn.encode_headers(&common_headers(server));
        conn.write_headers(&Headers {
            stream: 1,
            end_stream: true,
            end_headers: true,
            fragment: fragment.clone(),
            ..Headers::default()
        });
        conn.write_continuation(1, true, &fragment);
        verify_stream_error(conn, &[code::STREAM_CLOSED, code::PROTOCOL_ERROR])
    });
}

/// http2/5.1/8: closed: Sends a DATA frame after sending RST_STREAM frame: a stream error of
/// type STREAM_CLOSED.
#[test]
fn http2_5_1_8_closed_sends_data_after_rst_stream() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &common_headers(server));
        conn.write_rst_stream(1, code::CANCEL);
        conn.write_data(1, true, b"test");
        verify_stream_error(conn, &[code::STREAM_CLOSED])
    });
}

/// http2/5.1/9: closed: Sends a HEADERS frame after sending RST_STREAM frame: a stream error
/// of type STREAM_CLOSED.
#[test]
fn http2_5_1_9_closed_sends_headers_after_rst_stream() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &common_headers(server));
        conn.write_rst_stream(1, code::CANCEL);
        headers(conn, 1, true, &common_headers(server));
        verify_stream_error(conn, &[code::STREAM_CLOSED])
    });
}

/// http2/5.1/10: closed: Sends a CONTINUATION frame after sending RST_STREAM frame: a stream
/// error of type STREAM_CLOSED (h2spec also takes PROTOCOL_ERROR).
#[test]
fn http2_5_1_10_closed_sends_continuation_after_rst_stream() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &common_headers(server));
        conn.write_rst_stream(1, code::CANCEL);
        dummy_continuation(conn, 1, true);
        verify_stream_error(conn, &[code::STREAM_CLOSED, code::PROTOCOL_ERROR])
    });
}

/// http2/5.1/11: closed: Sends a DATA frame (after the response ended the stream): a stream
/// error of type STREAM_CLOSED.
#[test]
fn http2_5_1_11_closed_sends_data() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        verify_stream_close(conn)?;
        conn.write_data(1, true, b"test");
        verify_stream_error(conn, &[code::STREAM_CLOSED])
    });
}

/// http2/5.1/12: closed: Sends a HEADERS frame (after the response ended the stream): a
/// connection error of type STREAM_CLOSED.
#[test]
fn http2_5_1_12_closed_sends_headers() {
    run(|server, conn| {
        conn.handshake()?;
        let fragment = conn.encode_headers(&common_headers(server));
        let h = Headers {
            stream: 1,
            end_stream: true,
            end_headers: true,
            fragment,
            ..Headers::default()
        };
        conn.write_headers(&h);
        verify_stream_close(conn)?;
        conn.write_headers(&h);
        verify_connection_error(conn, &[code::STREAM_CLOSED])
    });
}

/// http2/5.1/13: closed: Sends a CONTINUATION frame: a connection error of type
/// STREAM_CLOSED (h2spec also takes PROTOCOL_ERROR).
#[test]
fn http2_5_1_13_closed_sends_continuation() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        verify_stream_close(conn)?;
        dummy_continuation(conn, 1, true);
        verify_connection_error(conn, &[code::STREAM_CLOSED, code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 5.1.1 Stream Identifiers

/// http2/5.1.1/1: Sends even-numbered stream identifier: a connection error of type
/// PROTOCOL_ERROR.
#[test]
fn http2_5_1_1_1_sends_even_numbered_stream_identifier() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 2, true, &common_headers(server));
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/5.1.1/2: Sends stream identifier that is numerically smaller than previous: a
/// connection error of type PROTOCOL_ERROR.
#[test]
fn http2_5_1_1_2_sends_smaller_stream_identifier() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 5, true, &common_headers(server));
        headers(conn, 3, true, &common_headers(server));
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 5.1.2 Stream Concurrency

/// http2/5.1.2/1: Sends HEADERS frames that causes their advertised concurrent stream limit
/// to be exceeded: a stream error of type PROTOCOL_ERROR or REFUSED_STREAM. (The window is 0,
/// so no answer can end its stream.)
#[test]
fn http2_5_1_2_1_exceeds_max_concurrent_streams() {
    run(|server, conn| {
        conn.handshake()?;
        let Some(&max) = conn.settings.get(&setting::MAX_CONCURRENT_STREAMS) else {
            return Err("skipped: the server sent no SETTINGS_MAX_CONCURRENT_STREAMS".into());
        };
        conn.write_settings(&[(setting::INITIAL_WINDOW_SIZE, 0)]);
        let fragment = conn.encode_headers(&common_headers(server));
        let mut stream = 1;
        for _ in 0..=max {
            conn.write_headers(&Headers {
                stream,
                end_stream: true,
                end_headers: true,
                fragment: fragment.clone(),
                ..Headers::default()
            });
            stream += 2;
        }
        verify_stream_error(conn, &[code::PROTOCOL_ERROR, code::REFUSED_STREAM])
    });
}

// ------------------------------------------------------------ 5.3.1 Stream Dependencies

/// http2/5.3.1/1: Sends HEADERS frame that depends on itself: a stream error of type
/// PROTOCOL_ERROR.
#[test]
fn http2_5_3_1_1_sends_headers_depending_on_itself() {
    run(|server, conn| {
        conn.handshake()?;
        let fragment = conn.encode_headers(&common_headers(server));
        conn.write_headers(&Headers {
            stream: 1,
            end_stream: true,
            end_headers: true,
            fragment,
            priority: Some(Priority {
                dependency: 1,
                exclusive: false,
                weight: 255,
            }),
            ..Headers::default()
        });
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/5.3.1/2: Sends PRIORITY frame that depend on itself: a stream error of type
/// PROTOCOL_ERROR.
#[test]
fn http2_5_3_1_2_sends_priority_depending_on_itself() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_priority(
            1,
            Priority {
                dependency: 1,
                exclusive: false,
                weight: 255,
            },
        );
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 5.4.1 Connection Error Handling

/// http2/5.4.1/1: Sends an invalid PING frame for connection close. The endpoint MUST close
/// the TCP connection.
#[test]
fn http2_5_4_1_1_invalid_ping_closes_connection() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x08\x06\x00\x00\x00\x00\x03");
        conn.send(b"\x00\x00\x00\x00\x00\x00\x00\x00");
        verify_connection_close(conn)
    });
}

/// http2/5.4.1/2 (strict): Sends an invalid PING frame to receive GOAWAY frame. An endpoint
/// that encounters a connection error SHOULD first send a GOAWAY frame.
#[test]
fn http2_5_4_1_2_strict_invalid_ping_receives_goaway() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x08\x06\x00\x00\x00\x00\x03");
        conn.send(b"\x00\x00\x00\x00\x00\x00\x00\x00");
        verify_goaway_frame(conn, None)
    });
}

// ------------------------------------------------------------ 5.5 Extending HTTP/2

/// http2/5.5/1: Sends an unknown extension frame. The endpoint MUST ignore unknown or
/// unsupported values in all extensible protocol elements.
#[test]
fn http2_5_5_1_sends_unknown_extension_frame() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x08\x16\x00\x00\x00\x00\x00");
        conn.send(b"\x00\x00\x00\x00\x00\x00\x00\x00");
        conn.write_ping(false, [0; 8]);
        verify_ping_frame_with_ack(conn, [0; 8])
    });
}

/// http2/5.5/2: Sends an unknown extension frame in the middle of a header block: a
/// connection error of type PROTOCOL_ERROR.
#[test]
fn http2_5_5_2_sends_unknown_extension_frame_inside_header_block() {
    run(|server, conn| {
        conn.handshake()?;
        open_block(conn, 1, true, &common_headers(server));
        conn.send(b"\x00\x00\x08\x16\x00\x00\x00\x00\x00");
        conn.send(b"\x00\x00\x00\x00\x00\x00\x00\x00");
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 6.1 DATA

/// http2/6.1/1: Sends a DATA frame with 0x0 stream identifier: a connection error of type
/// PROTOCOL_ERROR.
#[test]
fn http2_6_1_1_sends_data_on_stream_0() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_data(0, true, b"test");
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.1/2: Sends a DATA frame on the stream that is not in "open" or "half-closed
/// (local)" state: a stream error of type STREAM_CLOSED.
#[test]
fn http2_6_1_2_sends_data_on_half_closed_remote_stream() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &request_headers(server, "POST"));
        conn.write_data(1, true, b"test");
        verify_stream_error(conn, &[code::STREAM_CLOSED])
    });
}

/// http2/6.1/3: Sends a DATA frame with invalid pad length: a connection error of type
/// PROTOCOL_ERROR.
#[test]
fn http2_6_1_3_sends_data_with_invalid_pad_length() {
    run(|server, conn| {
        conn.handshake()?;
        let mut fields = request_headers(server, "POST");
        fields.push(header("content-length", "4"));
        headers(conn, 1, false, &fields);
        conn.send(b"\x00\x00\x05\x00\x09\x00\x00\x00\x01");
        conn.send(b"\x06\x54\x65\x73\x74");
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 6.2 HEADERS

/// http2/6.2/1: Sends a HEADERS frame without the END_HEADERS flag, and a PRIORITY frame: a
/// connection error of type PROTOCOL_ERROR.
#[test]
fn http2_6_2_1_sends_priority_after_headers_without_end_headers() {
    run(|server, conn| {
        conn.handshake()?;
        open_block(conn, 1, false, &common_headers(server));
        conn.write_priority(1, PRIORITY_255);
        dummy_continuation(conn, 1, true);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.2/2: Sends a HEADERS frame to another stream while sending a HEADERS frame: a
/// connection error of type PROTOCOL_ERROR.
#[test]
fn http2_6_2_2_sends_headers_to_another_stream_inside_header_block() {
    run(|server, conn| {
        conn.handshake()?;
        open_block(conn, 1, false, &common_headers(server));
        headers(conn, 3, true, &common_headers(server));
        dummy_continuation(conn, 1, true);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.2/3: Sends a HEADERS frame with 0x0 stream identifier: a connection error of type
/// PROTOCOL_ERROR.
#[test]
fn http2_6_2_3_sends_headers_on_stream_0() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 0, true, &common_headers(server));
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.2/4: Sends a HEADERS frame with invalid pad length (the padding is longer than
/// the payload): PROTOCOL_ERROR.
#[test]
fn http2_6_2_4_sends_headers_with_invalid_pad_length() {
    run(|server, conn| {
        conn.handshake()?;
        let fragment = conn.encode_headers(&common_headers(server));
        let mut frame = b"\x00\x00\x00\x01\x0d\x00\x00\x00\x01".to_vec();
        frame[2] = (fragment.len() + 1) as u8;
        conn.send(&frame);
        conn.send(&[(fragment.len() + 2) as u8]);
        conn.send(&fragment);
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 6.3 PRIORITY

/// http2/6.3/1: Sends a PRIORITY frame with 0x0 stream identifier: a connection error of
/// type PROTOCOL_ERROR.
#[test]
fn http2_6_3_1_sends_priority_on_stream_0() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_priority(0, PRIORITY_255);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.3/2: Sends a PRIORITY frame with a length other than 5 octets: a stream error of
/// type FRAME_SIZE_ERROR.
#[test]
fn http2_6_3_2_sends_priority_with_length_other_than_5() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        conn.send(b"\x00\x00\x04\x02\x00\x00\x00\x00\x01");
        conn.send(b"\x80\x00\x00\x01");
        verify_stream_error(conn, &[code::FRAME_SIZE_ERROR])
    });
}

// ------------------------------------------------------------ 6.4 RST_STREAM

/// http2/6.4/1: Sends a RST_STREAM frame with 0x0 stream identifier: a connection error of
/// type PROTOCOL_ERROR.
#[test]
fn http2_6_4_1_sends_rst_stream_on_stream_0() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_rst_stream(0, code::CANCEL);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.4/2: Sends a RST_STREAM frame on a idle stream: a connection error of type
/// PROTOCOL_ERROR.
#[test]
fn http2_6_4_2_sends_rst_stream_on_idle_stream() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_rst_stream(1, code::CANCEL);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.4/3: Sends a RST_STREAM frame with a length other than 4 octets: a connection
/// error of type FRAME_SIZE_ERROR.
#[test]
fn http2_6_4_3_sends_rst_stream_with_length_other_than_4() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        conn.send(b"\x00\x00\x03\x03\x00\x00\x00\x00\x01");
        conn.send(b"\x00\x00\x00");
        verify_stream_error(conn, &[code::FRAME_SIZE_ERROR])
    });
}

// ------------------------------------------------------------ 6.5 SETTINGS

/// http2/6.5/1: Sends a SETTINGS frame with ACK flag and payload: a connection error of type
/// FRAME_SIZE_ERROR.
#[test]
fn http2_6_5_1_sends_settings_ack_with_payload() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x01\x04\x01\x00\x00\x00\x00");
        conn.send(b"\x00");
        verify_connection_error(conn, &[code::FRAME_SIZE_ERROR])
    });
}

/// http2/6.5/2: Sends a SETTINGS frame with a stream identifier other than 0x0: a connection
/// error of type PROTOCOL_ERROR.
#[test]
fn http2_6_5_2_sends_settings_on_stream_1() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x06\x04\x00\x00\x00\x00\x01");
        conn.send(b"\x00\x03\x00\x00\x00\x64");
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.5/3: Sends a SETTINGS frame with a length other than a multiple of 6 octets: a
/// connection error of type FRAME_SIZE_ERROR (h2spec also takes PROTOCOL_ERROR).
#[test]
fn http2_6_5_3_sends_settings_with_length_not_multiple_of_6() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x03\x04\x00\x00\x00\x00\x00");
        conn.send(b"\x00\x03\x00");
        verify_stream_error(conn, &[code::PROTOCOL_ERROR, code::FRAME_SIZE_ERROR])
    });
}

// ------------------------------------------------------------ 6.5.2 Defined SETTINGS Parameters

/// http2/6.5.2/1: SETTINGS_ENABLE_PUSH (0x2): Sends the value other than 0 or 1: a
/// connection error of type PROTOCOL_ERROR.
#[test]
fn http2_6_5_2_1_enable_push_other_than_0_or_1() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_settings(&[(setting::ENABLE_PUSH, 2)]);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.5.2/2: SETTINGS_INITIAL_WINDOW_SIZE (0x4): Sends the value above the maximum flow
/// control window size: a connection error of type FLOW_CONTROL_ERROR.
#[test]
fn http2_6_5_2_2_initial_window_size_above_maximum() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_settings(&[(setting::INITIAL_WINDOW_SIZE, 2_147_483_648)]);
        verify_connection_error(conn, &[code::FLOW_CONTROL_ERROR])
    });
}

/// http2/6.5.2/3: SETTINGS_MAX_FRAME_SIZE (0x5): Sends the value below the initial value: a
/// connection error of type PROTOCOL_ERROR.
#[test]
fn http2_6_5_2_3_max_frame_size_below_initial_value() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_settings(&[(setting::MAX_FRAME_SIZE, 16_383)]);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.5.2/4: SETTINGS_MAX_FRAME_SIZE (0x5): Sends the value above the maximum allowed
/// frame size: a connection error of type PROTOCOL_ERROR.
#[test]
fn http2_6_5_2_4_max_frame_size_above_maximum() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_settings(&[(setting::MAX_FRAME_SIZE, 16_777_216)]);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.5.2/5: Sends a SETTINGS frame with unknown identifier. The endpoint MUST ignore
/// it.
#[test]
fn http2_6_5_2_5_sends_settings_with_unknown_identifier() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_settings(&[(0xff, 1)]);
        conn.write_ping(false, [0; 8]);
        verify_ping_frame_with_ack(conn, [0; 8])
    });
}

// ------------------------------------------------------------ 6.5.3 Settings Synchronization

/// http2/6.5.3/1: Sends multiple values of SETTINGS_INITIAL_WINDOW_SIZE. The values MUST be
/// processed in the order they appear: the last (1) wins, so one octet of DATA comes.
#[test]
fn http2_6_5_3_1_sends_multiple_initial_window_sizes() {
    run(|server, conn| {
        needs_data(server, 1)?;
        conn.handshake()?;
        conn.write_settings(&[
            (setting::INITIAL_WINDOW_SIZE, 100),
            (setting::INITIAL_WINDOW_SIZE, 1),
        ]);
        verify_settings_frame_with_ack(conn)?;
        headers(conn, 1, true, &common_headers(server));
        verify_data_frame_of_length_1(conn, 1)
    });
}

/// http2/6.5.3/2: Sends a SETTINGS frame without ACK flag. The endpoint MUST immediately
/// emit a SETTINGS frame with the ACK flag set.
#[test]
fn http2_6_5_3_2_sends_settings_without_ack() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_settings(&[(setting::ENABLE_PUSH, 0)]);
        verify_settings_frame_with_ack(conn)
    });
}

// ------------------------------------------------------------ 6.7 PING

/// http2/6.7/1: Sends a PING frame. The endpoint MUST send a PING frame with ACK, with an
/// identical payload.
#[test]
fn http2_6_7_1_sends_ping() {
    run(|_, conn| {
        conn.handshake()?;
        let data = *b"h2spec\0\0";
        conn.write_ping(false, data);
        verify_ping_frame_with_ack(conn, data)
    });
}

/// http2/6.7/2: Sends a PING frame with ACK. The endpoint MUST NOT respond to it.
#[test]
fn http2_6_7_2_sends_ping_with_ack() {
    run(|_, conn| {
        conn.handshake()?;
        let unexpected = *b"invalid\0";
        let expected = *b"h2spec\0\0";
        conn.write_ping(true, unexpected);
        conn.write_ping(false, expected);
        verify_ping_frame_with_ack(conn, expected)
    });
}

/// http2/6.7/3: Sends a PING frame with a stream identifier field value other than 0x0: a
/// connection error of type PROTOCOL_ERROR.
#[test]
fn http2_6_7_3_sends_ping_on_stream_1() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x08\x06\x00\x00\x00\x00\x01");
        conn.send(b"\x00\x00\x00\x00\x00\x00\x00\x00");
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.7/4: Sends a PING frame with a length field value other than 8: a connection
/// error of type FRAME_SIZE_ERROR.
#[test]
fn http2_6_7_4_sends_ping_with_length_other_than_8() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x06\x06\x00\x00\x00\x00\x00");
        conn.send(b"\x00\x00\x00\x00\x00\x00");
        verify_connection_error(conn, &[code::FRAME_SIZE_ERROR])
    });
}

// ------------------------------------------------------------ 6.8 GOAWAY

/// http2/6.8/1: Sends a GOAWAY frame with a stream identifier other than 0x0: a connection
/// error of type PROTOCOL_ERROR.
#[test]
fn http2_6_8_1_sends_goaway_on_stream_1() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x08\x07\x00\x00\x00\x00\x01");
        conn.send(b"\x00\x00\x00\x00\x00\x00\x00\x00");
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 6.9 WINDOW_UPDATE

/// http2/6.9/1: Sends a WINDOW_UPDATE frame with a flow control window increment of 0: a
/// connection error of type PROTOCOL_ERROR.
#[test]
fn http2_6_9_1_sends_window_update_of_0() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_window_update(0, 0);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.9/2: Sends a WINDOW_UPDATE frame with a flow control window increment of 0 on a
/// stream: a stream error of type PROTOCOL_ERROR.
#[test]
fn http2_6_9_2_sends_window_update_of_0_on_stream() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &common_headers(server));
        conn.write_window_update(1, 0);
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.9/3: Sends a WINDOW_UPDATE frame with a length other than 4 octets: a connection
/// error of type FRAME_SIZE_ERROR.
#[test]
fn http2_6_9_3_sends_window_update_with_length_other_than_4() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x03\x08\x00\x00\x00\x00\x00");
        conn.send(b"\x00\x00\x01");
        verify_connection_error(conn, &[code::FRAME_SIZE_ERROR])
    });
}

// ------------------------------------------------------------ 6.9.1 The Flow-Control Window

/// http2/6.9.1/1: Sends SETTINGS frame to set the initial window size to 1 and sends HEADERS
/// frame. The endpoint MUST NOT send a flow-controlled frame with a length that exceeds the
/// space available: one octet of DATA comes.
#[test]
fn http2_6_9_1_1_initial_window_size_1() {
    run(|server, conn| {
        needs_data(server, 1)?;
        conn.handshake()?;
        conn.write_settings(&[(setting::INITIAL_WINDOW_SIZE, 1)]);
        verify_settings_frame_with_ack(conn)?;
        headers(conn, 1, true, &common_headers(server));
        verify_data_frame_of_length_1(conn, 1)
    });
}

/// http2/6.9.1/2: Sends multiple WINDOW_UPDATE frames increasing the flow control window to
/// above 2^31-1: GOAWAY with FLOW_CONTROL_ERROR.
#[test]
fn http2_6_9_1_2_connection_window_above_2_31_minus_1() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_window_update(0, 2_147_483_647);
        conn.write_window_update(0, 2_147_483_647);
        verify_goaway_frame(conn, Some(code::FLOW_CONTROL_ERROR))
    });
}

/// http2/6.9.1/3: Sends multiple WINDOW_UPDATE frames increasing the flow control window to
/// above 2^31-1 on a stream: RST_STREAM with FLOW_CONTROL_ERROR.
#[test]
fn http2_6_9_1_3_stream_window_above_2_31_minus_1() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &common_headers(server));
        conn.write_window_update(1, 2_147_483_647);
        conn.write_window_update(1, 2_147_483_647);
        verify_rst_stream_frame(conn, 1, code::FLOW_CONTROL_ERROR)
    });
}

// ------------------------------------------------------------ 6.9.2 Initial Flow-Control Window Size

/// http2/6.9.2/1: Changes SETTINGS_INITIAL_WINDOW_SIZE after sending HEADERS frame. The
/// endpoint MUST adjust the size of all stream flow-control windows: from 0 to 1, so one
/// octet of DATA comes.
#[test]
fn http2_6_9_2_1_changes_initial_window_size_after_headers() {
    run(|server, conn| {
        needs_data(server, 1)?;
        conn.handshake()?;
        conn.write_settings(&[(setting::INITIAL_WINDOW_SIZE, 0)]);
        verify_settings_frame_with_ack(conn)?;
        headers(conn, 1, true, &common_headers(server));
        conn.write_settings(&[(setting::INITIAL_WINDOW_SIZE, 1)]);
        verify_data_frame_of_length_1(conn, 1)
    });
}

/// http2/6.9.2/2: Sends a SETTINGS frame for window size to be negative. The endpoint MUST
/// track the negative flow-control window: 3 octets sent, the window shrunk by 1 (to -1),
/// then 2 more: one octet of DATA comes.
#[test]
fn http2_6_9_2_2_window_size_becomes_negative() {
    run(|server, conn| {
        needs_data(server, 5)?;
        conn.handshake()?;
        conn.write_settings(&[(setting::INITIAL_WINDOW_SIZE, 3)]);
        verify_settings_frame_with_ack(conn)?;
        headers(conn, 1, true, &common_headers(server));
        verify_event_type(conn, kind::DATA)?;
        conn.write_settings(&[(setting::INITIAL_WINDOW_SIZE, 2)]);
        verify_settings_frame_with_ack(conn)?;
        conn.write_window_update(1, 2);
        verify_data_frame_of_length_1(conn, 1)
    });
}

/// http2/6.9.2/3: Sends a SETTINGS_INITIAL_WINDOW_SIZE settings with an exceeded maximum
/// window size value: a connection error of type FLOW_CONTROL_ERROR.
#[test]
fn http2_6_9_2_3_initial_window_size_exceeds_maximum() {
    run(|_, conn| {
        conn.handshake()?;
        conn.send(b"\x00\x00\x06\x04\x00\x00\x00\x00\x00");
        conn.send(b"\x00\x04\x80\x00\x00\x00");
        verify_connection_error(conn, &[code::FLOW_CONTROL_ERROR])
    });
}

// ------------------------------------------------------------ 6.10 CONTINUATION

/// http2/6.10/1: Sends multiple CONTINUATION frames preceded by a HEADERS frame. The
/// endpoint must accept them: a response comes.
#[test]
fn http2_6_10_1_sends_multiple_continuations() {
    run(|server, conn| {
        conn.handshake()?;
        open_block(conn, 1, true, &common_headers(server));
        dummy_continuation(conn, 1, false);
        dummy_continuation(conn, 1, true);
        verify_headers_frame(conn, 1)
    });
}

/// http2/6.10/2: Sends a CONTINUATION frame followed by any frame other than CONTINUATION: a
/// connection error of type PROTOCOL_ERROR.
#[test]
fn http2_6_10_2_sends_other_frame_after_continuation() {
    run(|server, conn| {
        conn.handshake()?;
        open_block(conn, 1, false, &request_headers(server, "POST"));
        dummy_continuation(conn, 1, false);
        conn.write_data(1, true, b"test");
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.10/3: Sends a CONTINUATION frame with 0x0 stream identifier: a connection error
/// of type PROTOCOL_ERROR.
#[test]
fn http2_6_10_3_sends_continuation_on_stream_0() {
    run(|server, conn| {
        conn.handshake()?;
        open_block(conn, 1, true, &common_headers(server));
        dummy_continuation(conn, 0, true);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.10/4: Sends a CONTINUATION frame preceded by a HEADERS frame with END_HEADERS
/// flag: a connection error of type PROTOCOL_ERROR.
#[test]
fn http2_6_10_4_sends_continuation_after_end_headers() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        dummy_continuation(conn, 1, true);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.10/5: Sends a CONTINUATION frame preceded by a CONTINUATION frame with
/// END_HEADERS flag: a connection error of type PROTOCOL_ERROR.
#[test]
fn http2_6_10_5_sends_continuation_after_continuation_with_end_headers() {
    run(|server, conn| {
        conn.handshake()?;
        open_block(conn, 1, true, &common_headers(server));
        dummy_continuation(conn, 1, true);
        dummy_continuation(conn, 1, true);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/6.10/6: Sends a CONTINUATION frame preceded by a DATA frame: a connection error of
/// type PROTOCOL_ERROR.
#[test]
fn http2_6_10_6_sends_continuation_after_data() {
    run(|server, conn| {
        conn.handshake()?;
        open_block(conn, 1, false, &request_headers(server, "POST"));
        conn.write_data(1, true, b"test");
        dummy_continuation(conn, 1, false);
        dummy_continuation(conn, 0, true);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 7 Error Codes

/// http2/7/1: Sends a GOAWAY frame with unknown error code. Unknown codes MUST NOT trigger
/// any special behavior: a PING is answered (or the connection is closed).
#[test]
fn http2_7_1_sends_goaway_with_unknown_error_code() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_goaway(0, 0xff, b"");
        let data = *b"h2spec\0\0";
        conn.write_ping(false, data);
        verify_ping_frame_or_connection_close(conn, data)
    });
}

/// http2/7/2: Sends a RST_STREAM frame with unknown error code. Unknown codes MUST NOT
/// trigger any special behavior.
#[test]
fn http2_7_2_sends_rst_stream_with_unknown_error_code() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &request_headers(server, "POST"));
        conn.write_rst_stream(1, 0xff);
        conn.write_ping(false, [0; 8]);
        verify_ping_frame_or_connection_close(conn, [0; 8])
    });
}

// ------------------------------------------------------------ 8.1 HTTP Request/Response Exchange

/// http2/8.1/1: Sends a second HEADERS frame without the END_STREAM flag: a stream error of
/// type PROTOCOL_ERROR (a malformed request).
#[test]
fn http2_8_1_1_sends_second_headers_without_end_stream() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &request_headers(server, "POST"));
        conn.write_data(1, false, b"test");
        headers(conn, 1, false, &[header("x-test", "ok")]);
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 8.1.2 HTTP Header Fields

/// http2/8.1.2/1: Sends a HEADERS frame that contains the header field name in uppercase
/// letters: a malformed request, a stream error of type PROTOCOL_ERROR.
#[test]
fn http2_8_1_2_1_sends_uppercase_field_name() {
    run(|server, conn| {
        conn.handshake()?;
        let mut fields = common_headers(server);
        fields.push(header("X-TEST", "ok"));
        headers(conn, 1, true, &fields);
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 8.1.2.1 Pseudo-Header Fields

/// A request of the common fields plus `extra`, with END_STREAM: it must be refused as
/// malformed (PROTOCOL_ERROR).
fn malformed_request(conn: &mut Conn, fields: Vec<(String, String)>) -> Result<(), String> {
    conn.handshake()?;
    headers(conn, 1, true, &fields);
    verify_stream_error(conn, &[code::PROTOCOL_ERROR])
}

/// http2/8.1.2.1/1: Sends a HEADERS frame that contains a unknown pseudo-header field.
#[test]
fn http2_8_1_2_1_1_sends_unknown_pseudo_header() {
    run(|server, conn| {
        let mut fields = common_headers(server);
        fields.push(header(":test", "ok"));
        malformed_request(conn, fields)
    });
}

/// http2/8.1.2.1/2: Sends a HEADERS frame that contains the pseudo-header field defined for
/// response.
#[test]
fn http2_8_1_2_1_2_sends_response_pseudo_header() {
    run(|server, conn| {
        let mut fields = common_headers(server);
        fields.push(header(":status", "200"));
        malformed_request(conn, fields)
    });
}

/// http2/8.1.2.1/3: Sends a HEADERS frame that contains a pseudo-header field as trailers.
#[test]
fn http2_8_1_2_1_3_sends_pseudo_header_in_trailers() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &request_headers(server, "POST"));
        conn.write_data(1, false, b"test");
        headers(conn, 1, false, &[header(":method", "POST")]);
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/8.1.2.1/4: Sends a HEADERS frame that contains a pseudo-header field that appears in
/// a header block after a regular header field.
#[test]
fn http2_8_1_2_1_4_sends_pseudo_header_after_regular_field() {
    run(|server, conn| {
        let mut fields = vec![header("x-test", "ok")];
        fields.extend(common_headers(server));
        malformed_request(conn, fields)
    });
}

// ------------------------------------------------------------ 8.1.2.2 Connection-Specific Header Fields

/// http2/8.1.2.2/1: Sends a HEADERS frame that contains the connection-specific header
/// field.
#[test]
fn http2_8_1_2_2_1_sends_connection_specific_field() {
    run(|server, conn| {
        let mut fields = common_headers(server);
        fields.push(header("connection", "keep-alive"));
        malformed_request(conn, fields)
    });
}

/// http2/8.1.2.2/2: Sends a HEADERS frame that contains the TE header field with any value
/// other than "trailers".
#[test]
fn http2_8_1_2_2_2_sends_te_other_than_trailers() {
    run(|server, conn| {
        let mut fields = common_headers(server);
        fields.push(header("trailers", "test"));
        fields.push(header("te", "trailers, deflate"));
        malformed_request(conn, fields)
    });
}

// ------------------------------------------------------------ 8.1.2.3 Request Pseudo-Header Fields

/// http2/8.1.2.3/1: Sends a HEADERS frame with empty ":path" pseudo-header field.
#[test]
fn http2_8_1_2_3_1_sends_empty_path() {
    run(|server, conn| {
        let mut fields = common_headers(server);
        fields[2].1 = String::new();
        malformed_request(conn, fields)
    });
}

/// http2/8.1.2.3/2: Sends a HEADERS frame that omits ":method" pseudo-header field (h2spec
/// drops `:scheme` too: it sends `:path` and `:authority` only).
#[test]
fn http2_8_1_2_3_2_omits_method() {
    run(|server, conn| {
        let fields = common_headers(server);
        malformed_request(conn, vec![fields[2].clone(), fields[3].clone()])
    });
}

/// http2/8.1.2.3/3: Sends a HEADERS frame that omits ":scheme" pseudo-header field.
#[test]
fn http2_8_1_2_3_3_omits_scheme() {
    run(|server, conn| {
        let f = common_headers(server);
        malformed_request(conn, vec![f[0].clone(), f[2].clone(), f[3].clone()])
    });
}

/// http2/8.1.2.3/4: Sends a HEADERS frame that omits ":path" pseudo-header field.
#[test]
fn http2_8_1_2_3_4_omits_path() {
    run(|server, conn| {
        let f = common_headers(server);
        malformed_request(conn, vec![f[0].clone(), f[1].clone(), f[3].clone()])
    });
}

/// http2/8.1.2.3/5: Sends a HEADERS frame with duplicated ":method" pseudo-header field.
#[test]
fn http2_8_1_2_3_5_duplicated_method() {
    run(|server, conn| {
        let mut fields = common_headers(server);
        fields.push(header(":method", "GET"));
        malformed_request(conn, fields)
    });
}

/// http2/8.1.2.3/6: Sends a HEADERS frame with duplicated ":scheme" pseudo-header field.
#[test]
fn http2_8_1_2_3_6_duplicated_scheme() {
    run(|server, conn| {
        let mut fields = common_headers(server);
        fields.push(header(":scheme", "http"));
        malformed_request(conn, fields)
    });
}

/// http2/8.1.2.3/7: Sends a HEADERS frame with duplicated ":path" pseudo-header field.
#[test]
fn http2_8_1_2_3_7_duplicated_path() {
    run(|server, conn| {
        let mut fields = common_headers(server);
        fields.push(header(":path", "/"));
        malformed_request(conn, fields)
    });
}

// ------------------------------------------------------------ 8.1.2.6 Malformed Requests and Responses

/// http2/8.1.2.6/1: Sends a HEADERS frame with the "content-length" header field which does
/// not equal the DATA frame payload length.
#[test]
fn http2_8_1_2_6_1_content_length_differs_from_data() {
    run(|server, conn| {
        conn.handshake()?;
        let mut fields = request_headers(server, "POST");
        fields.push(header("content-length", "1"));
        headers(conn, 1, false, &fields);
        conn.write_data(1, true, b"test");
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// http2/8.1.2.6/2: Sends a HEADERS frame with the "content-length" header field which does
/// not equal the sum of the multiple DATA frames payload length.
#[test]
fn http2_8_1_2_6_2_content_length_differs_from_sum_of_data() {
    run(|server, conn| {
        conn.handshake()?;
        let mut fields = request_headers(server, "POST");
        fields.push(header("content-length", "1"));
        headers(conn, 1, false, &fields);
        conn.write_data(1, false, b"test");
        conn.write_data(1, true, b"test");
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 8.2 Server Push

/// http2/8.2/1: Sends a PUSH_PROMISE frame. A client cannot push: a connection error of type
/// PROTOCOL_ERROR.
#[test]
fn http2_8_2_1_sends_push_promise() {
    run(|server, conn| {
        conn.handshake()?;
        let fragment = conn.encode_headers(&common_headers(server));
        conn.write_push_promise(1, 3, &fragment);
        verify_connection_error(conn, &[code::PROTOCOL_ERROR])
    });
}
