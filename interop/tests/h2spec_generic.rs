//! h2spec's `generic` group (what any HTTP/2 server must handle well: valid frames of every
//! type, message exchanges, every HPACK representation) against `h2_server`: one test per
//! case, named `generic_<section>_<number>_<what>` after h2spec's id, judged as h2spec does
//! (see `h2spec/mod.rs`).
//!
//! `cargo test -p interop --test h2spec_generic` (the `h2_server` example must be built:
//! `cargo build --examples -p http-codec`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod h2spec;

use h2spec::{
    Event, Headers, Priority, code, common_headers, header, headers, kind, request_headers, run,
    setting, verify_event_type, verify_headers_frame, verify_ping_frame_or_connection_close,
    verify_ping_frame_with_ack, verify_settings_frame_with_ack, verify_stream_close,
    write_request_with,
};

fn priority(dependency: u32, exclusive: bool, weight: u8) -> Priority {
    Priority {
        dependency,
        exclusive,
        weight,
    }
}

// ------------------------------------------------------------ 1 Starting HTTP/2

/// generic/1/1: Sends a client connection preface: the server's first frame is SETTINGS
/// (not an ACK).
#[test]
fn generic_1_1_sends_client_connection_preface() {
    run(|_, conn| {
        conn.send(h2spec::PREFACE);
        conn.write_settings(&[(setting::INITIAL_WINDOW_SIZE, h2spec::DEFAULT_WINDOW_SIZE)]);
        match conn.wait_event() {
            Event::Frame(f) if f.kind == kind::SETTINGS && !f.is_ack() => Ok(()),
            other => Err(format!(
                "expected: SETTINGS frame (flags:0x00)\n  actual: {other}"
            )),
        }
    });
}

// ------------------------------------------------------------ 2 Streams and Multiplexing

/// generic/2/1: Sends a PRIORITY frame on idle stream: allowed (RFC 9113 §5.1), a PING is
/// answered.
#[test]
fn generic_2_1_priority_on_idle_stream() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_priority(1, priority(0, false, 255));
        conn.write_ping(false, [0; 8]);
        verify_ping_frame_with_ack(conn, [0; 8])
    });
}

/// generic/2/2: Sends a WINDOW_UPDATE frame on half-closed (remote) stream: allowed; with
/// the initial window 0, the update lets DATA out.
#[test]
fn generic_2_2_window_update_on_half_closed_remote_stream() {
    run(|server, conn| {
        conn.handshake()?;
        conn.write_settings(&[(setting::INITIAL_WINDOW_SIZE, 0)]);
        headers(conn, 1, true, &common_headers(server));
        conn.write_window_update(1, 1);
        verify_event_type(conn, kind::DATA)
    });
}

/// generic/2/3: Sends a PRIORITY frame on half-closed (remote) stream: allowed; DATA still
/// flows after a WINDOW_UPDATE.
#[test]
fn generic_2_3_priority_on_half_closed_remote_stream() {
    run(|server, conn| {
        conn.handshake()?;
        conn.write_settings(&[(setting::INITIAL_WINDOW_SIZE, 0)]);
        headers(conn, 1, true, &common_headers(server));
        conn.write_priority(1, priority(0, false, 255));
        conn.write_window_update(1, 1);
        verify_event_type(conn, kind::DATA)
    });
}

/// generic/2/4: Sends a RST_STREAM frame on half-closed (remote) stream: allowed; a PING is
/// answered (or the connection closed).
#[test]
fn generic_2_4_rst_stream_on_half_closed_remote_stream() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        conn.write_rst_stream(1, code::CANCEL);
        conn.write_ping(false, [0; 8]);
        verify_ping_frame_or_connection_close(conn, [0; 8])
    });
}

/// generic/2/5: Sends a PRIORITY frame on closed stream: allowed (RFC 9113 §5.1), a PING is
/// answered.
#[test]
fn generic_2_5_priority_on_closed_stream() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        verify_stream_close(conn)?;
        conn.write_priority(1, priority(0, false, 255));
        conn.write_ping(false, [0; 8]);
        verify_ping_frame_with_ack(conn, [0; 8])
    });
}

// ------------------------------------------------------------ 3.1 DATA

/// generic/3.1/1: Sends a DATA frame: a response comes.
#[test]
fn generic_3_1_1_sends_data() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &request_headers(server, "POST"));
        conn.write_data(1, true, b"test");
        verify_headers_frame(conn, 1)
    });
}

/// generic/3.1/2: Sends multiple DATA frames: a response comes.
#[test]
fn generic_3_1_2_sends_multiple_data() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &request_headers(server, "POST"));
        conn.write_data(1, false, b"test");
        conn.write_data(1, true, b"test");
        verify_headers_frame(conn, 1)
    });
}

/// generic/3.1/3: Sends a DATA frame with padding: a response comes.
#[test]
fn generic_3_1_3_sends_data_with_padding() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &request_headers(server, "POST"));
        conn.write_data_padded(1, true, b"test", &[0; 5]);
        verify_headers_frame(conn, 1)
    });
}

// ------------------------------------------------------------ 3.2 HEADERS

/// generic/3.2/1: Sends a HEADERS frame: a response comes.
#[test]
fn generic_3_2_1_sends_headers() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        verify_headers_frame(conn, 1)
    });
}

/// generic/3.2/2: Sends a HEADERS frame with padding: a response comes.
#[test]
fn generic_3_2_2_sends_headers_with_padding() {
    run(|server, conn| {
        conn.handshake()?;
        let fragment = conn.encode_headers(&common_headers(server));
        conn.write_headers(&Headers {
            stream: 1,
            end_stream: true,
            end_headers: true,
            fragment,
            pad_length: 8,
            priority: None,
        });
        verify_headers_frame(conn, 1)
    });
}

/// generic/3.2/3: Sends a HEADERS frame with priority: a response comes.
#[test]
fn generic_3_2_3_sends_headers_with_priority() {
    run(|server, conn| {
        conn.handshake()?;
        let fragment = conn.encode_headers(&common_headers(server));
        conn.write_headers(&Headers {
            stream: 1,
            end_stream: true,
            end_headers: true,
            fragment,
            pad_length: 0,
            priority: Some(priority(0, false, 255)),
        });
        verify_headers_frame(conn, 1)
    });
}

// ------------------------------------------------------------ 3.3 PRIORITY

/// PRIORITY on `on` with `p`, then a request on stream 1: a response comes.
fn priority_then_request(on: u32, p: Priority) {
    run(|server, conn| {
        conn.handshake()?;
        conn.write_priority(on, p);
        headers(conn, 1, true, &common_headers(server));
        verify_headers_frame(conn, 1)
    });
}

/// generic/3.3/1: Sends a PRIORITY frame with priority 1 (weight field 0).
#[test]
fn generic_3_3_1_sends_priority_1() {
    priority_then_request(1, priority(0, false, 0));
}

/// generic/3.3/2: Sends a PRIORITY frame with priority 256 (weight field 255).
#[test]
fn generic_3_3_2_sends_priority_256() {
    priority_then_request(1, priority(0, false, 255));
}

/// generic/3.3/3: Sends a PRIORITY frame with stream dependency (stream 3 on stream 1).
#[test]
fn generic_3_3_3_sends_priority_with_dependency() {
    priority_then_request(3, priority(1, false, 0));
}

/// generic/3.3/4: Sends a PRIORITY frame with exclusive.
#[test]
fn generic_3_3_4_sends_priority_with_exclusive() {
    priority_then_request(1, priority(0, true, 0));
}

/// generic/3.3/5: Sends a PRIORITY frame for an idle stream, then send a HEADER frame for a
/// lower stream ID: PRIORITY does not open stream 3, so stream 1 may still be opened.
#[test]
fn generic_3_3_5_priority_on_idle_stream_then_lower_stream() {
    priority_then_request(3, priority(0, false, 255));
}

// ------------------------------------------------------------ 3.4 RST_STREAM

/// generic/3.4/1: Sends a RST_STREAM frame: a PING is answered (or the connection closed).
#[test]
fn generic_3_4_1_sends_rst_stream() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &common_headers(server));
        conn.write_rst_stream(1, code::CANCEL);
        conn.write_ping(false, [0; 8]);
        verify_ping_frame_or_connection_close(conn, [0; 8])
    });
}

// ------------------------------------------------------------ 3.5 SETTINGS

/// generic/3.5/1: Sends a SETTINGS frame (every defined parameter, valid values): it is
/// acknowledged.
#[test]
fn generic_3_5_1_sends_settings() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_settings(&[
            (setting::HEADER_TABLE_SIZE, 4096),
            (setting::ENABLE_PUSH, 1),
            (setting::MAX_CONCURRENT_STREAMS, 100),
            (setting::INITIAL_WINDOW_SIZE, 65_535),
            (setting::MAX_FRAME_SIZE, 16_384),
            (setting::MAX_HEADER_LIST_SIZE, 100),
        ]);
        verify_settings_frame_with_ack(conn)
    });
}

// ------------------------------------------------------------ 3.7 PING

/// generic/3.7/1: Sends a PING frame: it is answered with the same data.
#[test]
fn generic_3_7_1_sends_ping() {
    run(|_, conn| {
        conn.handshake()?;
        let data = *b"h2spec\0\0";
        conn.write_ping(false, data);
        verify_ping_frame_with_ack(conn, data)
    });
}

// ------------------------------------------------------------ 3.8 GOAWAY

/// generic/3.8/1: Sends a GOAWAY frame: a PING is still answered (or the connection closed).
#[test]
fn generic_3_8_1_sends_goaway() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_goaway(0, code::NO_ERROR, b"h2spec");
        let data = *b"h2spec\0\0";
        conn.write_ping(false, data);
        verify_ping_frame_or_connection_close(conn, data)
    });
}

// ------------------------------------------------------------ 3.9 WINDOW_UPDATE

/// generic/3.9/1: Sends a WINDOW_UPDATE frame with stream ID 0: a PING is answered.
#[test]
fn generic_3_9_1_window_update_on_stream_0() {
    run(|_, conn| {
        conn.handshake()?;
        conn.write_window_update(0, 1);
        conn.write_ping(false, [0; 8]);
        verify_ping_frame_with_ack(conn, [0; 8])
    });
}

/// generic/3.9/2: Sends a WINDOW_UPDATE frame with stream ID 1: a response comes.
#[test]
fn generic_3_9_2_window_update_on_stream_1() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        conn.write_window_update(1, 1);
        verify_headers_frame(conn, 1)
    });
}

// ------------------------------------------------------------ 3.10 CONTINUATION

/// generic/3.10/1: Sends a CONTINUATION frame (the field block split after 5 octets): a
/// response comes.
#[test]
fn generic_3_10_1_sends_continuation() {
    run(|server, conn| {
        conn.handshake()?;
        let block = conn.encode_headers(&common_headers(server));
        conn.write_headers(&Headers {
            stream: 1,
            end_stream: true,
            end_headers: false,
            fragment: block[..5].to_vec(),
            ..Headers::default()
        });
        conn.write_continuation(1, true, &block[5..]);
        verify_headers_frame(conn, 1)
    });
}

/// generic/3.10/2: Sends multiple CONTINUATION frames (split after 5 and 10 octets): a
/// response comes.
#[test]
fn generic_3_10_2_sends_multiple_continuations() {
    run(|server, conn| {
        conn.handshake()?;
        let block = conn.encode_headers(&common_headers(server));
        conn.write_headers(&Headers {
            stream: 1,
            end_stream: true,
            end_headers: false,
            fragment: block[..5].to_vec(),
            ..Headers::default()
        });
        conn.write_continuation(1, false, &block[5..10]);
        conn.write_continuation(1, true, &block[10..]);
        verify_headers_frame(conn, 1)
    });
}

// ------------------------------------------------------------ 4 HTTP Message Exchanges

/// generic/4/1: Sends a GET request.
#[test]
fn generic_4_1_sends_get_request() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &common_headers(server));
        verify_headers_frame(conn, 1)
    });
}

/// generic/4/2: Sends a HEAD request.
#[test]
fn generic_4_2_sends_head_request() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &request_headers(server, "HEAD"));
        verify_headers_frame(conn, 1)
    });
}

/// generic/4/3: Sends a POST request.
#[test]
fn generic_4_3_sends_post_request() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, false, &request_headers(server, "POST"));
        conn.write_data(1, true, b"test");
        verify_headers_frame(conn, 1)
    });
}

/// generic/4/4: Sends a POST request with trailers.
#[test]
fn generic_4_4_sends_post_request_with_trailers() {
    run(|server, conn| {
        conn.handshake()?;
        let mut fields = request_headers(server, "POST");
        fields.push(header("trailer", "x-test"));
        headers(conn, 1, false, &fields);
        conn.write_data(1, false, b"test");
        headers(conn, 1, true, &[header("x-test", "ok")]);
        verify_headers_frame(conn, 1)
    });
}

// ------------------------------------------------------------ 5 HPACK

/// A request whose field block is the common fields and `rep`: a response comes.
fn valid_representation(rep: &[u8], first: bool) {
    run(|server, conn| {
        conn.handshake()?;
        write_request_with(server, conn, rep, first);
        verify_headers_frame(conn, 1)
    });
}

/// generic/5/1: Sends a indexed header field representation (static index 58,
/// `user-agent` with an empty value).
#[test]
fn generic_5_1_indexed_field() {
    valid_representation(b"\xba", false);
}

/// generic/5/2: Sends a literal header field with incremental indexing - indexed name.
#[test]
fn generic_5_2_literal_incremental_indexed_name() {
    valid_representation(
        b"\x40\x87\xb5\x05\xb1\x61\xcc\x5a\x93\x84\x9c\x48\xac\xa4",
        false,
    );
}

/// generic/5/3: Sends a literal header field with incremental indexing - indexed name (with
/// Huffman coding).
#[test]
fn generic_5_3_literal_incremental_indexed_name_huffman() {
    valid_representation(
        b"\x40\x0a\x75\x73\x65\x72\x2d\x61\x67\x65\x6e\x74\x06\x68\x32\x73\x70\x65\x63",
        false,
    );
}

/// generic/5/4: Sends a literal header field with incremental indexing - new name.
#[test]
fn generic_5_4_literal_incremental_new_name() {
    valid_representation(
        b"\x40\x06\x78\x2d\x74\x65\x73\x74\x06\x68\x32\x73\x70\x65\x63",
        false,
    );
}

/// generic/5/5: Sends a literal header field with incremental indexing - new name (with
/// Huffman coding).
#[test]
fn generic_5_5_literal_incremental_new_name_huffman() {
    valid_representation(b"\x40\x85\xf2\xb2\x4a\x84\xff\x84\x9c\x48\xac\xa4", false);
}

/// generic/5/6: Sends a literal header field without indexing - indexed name.
#[test]
fn generic_5_6_literal_without_indexing_indexed_name() {
    valid_representation(
        b"\x00\x0a\x75\x73\x65\x72\x2d\x61\x67\x65\x6e\x74\x06\x68\x32\x73\x70\x65\x63",
        false,
    );
}

/// generic/5/7: Sends a literal header field without indexing - indexed name (with Huffman
/// coding).
#[test]
fn generic_5_7_literal_without_indexing_indexed_name_huffman() {
    valid_representation(
        b"\x00\x87\xb5\x05\xb1\x61\xcc\x5a\x93\x84\x9c\x48\xac\xa4",
        false,
    );
}

/// generic/5/8: Sends a literal header field without indexing - new name.
#[test]
fn generic_5_8_literal_without_indexing_new_name() {
    valid_representation(
        b"\x00\x06\x78\x2d\x74\x65\x73\x74\x06\x68\x32\x73\x70\x65\x63",
        false,
    );
}

/// generic/5/9: Sends a literal header field without indexing - new name (huffman encoded).
#[test]
fn generic_5_9_literal_without_indexing_new_name_huffman() {
    valid_representation(b"\x00\x85\xf2\xb2\x4a\x84\xff\x84\x9c\x48\xac\xa4", false);
}

/// generic/5/10: Sends a literal header field never indexed - indexed name.
#[test]
fn generic_5_10_literal_never_indexed_indexed_name() {
    valid_representation(
        b"\x10\x0a\x75\x73\x65\x72\x2d\x61\x67\x65\x6e\x74\x06\x68\x32\x73\x70\x65\x63",
        false,
    );
}

/// generic/5/11: Sends a literal header field never indexed - indexed name (huffman
/// encoded).
#[test]
fn generic_5_11_literal_never_indexed_indexed_name_huffman() {
    valid_representation(
        b"\x10\x87\xb5\x05\xb1\x61\xcc\x5a\x93\x84\x9c\x48\xac\xa4",
        false,
    );
}

/// generic/5/12: Sends a literal header field never indexed - new name (h2spec sends the
/// Huffman-coded bytes here too).
#[test]
fn generic_5_12_literal_never_indexed_new_name() {
    valid_representation(b"\x10\x85\xf2\xb2\x4a\x84\xff\x84\x9c\x48\xac\xa4", false);
}

/// generic/5/13: Sends a literal header field never indexed - new name (huffman encoded).
#[test]
fn generic_5_13_literal_never_indexed_new_name_huffman() {
    valid_representation(b"\x10\x85\xf2\xb2\x4a\x84\xff\x84\x9c\x48\xac\xa4", false);
}

/// generic/5/14: Sends a dynamic table size update (to 128, opening the block).
#[test]
fn generic_5_14_dynamic_table_size_update() {
    run(|server, conn| {
        conn.handshake()?;
        conn.set_max_dynamic_table_size(128);
        headers(conn, 1, true, &common_headers(server));
        verify_headers_frame(conn, 1)
    });
}

/// generic/5/15: Sends multiple dynamic table size update (128, then 4096, opening the
/// block).
#[test]
fn generic_5_15_multiple_dynamic_table_size_updates() {
    valid_representation(b"\x3f\x61\x3f\xe1\x1f", true);
}
