//! Beyond h2spec: the request rules RFC 9113 added or sharpened over RFC 7540 (§8.2.1 field
//! validity, §8.2.2 connection-specific fields, §8.3.1 `:path`, §8.5 CONNECT), in h2spec's
//! style against `h2_server`: a request with one violation must be refused as malformed, a
//! stream error of type PROTOCOL_ERROR (RST_STREAM, or GOAWAY, or the connection closed, as
//! h2spec's `VerifyStreamError` accepts), and never answered. Named `rfc9113_<section>_<what>`.
//!
//! `cargo test -p interop --test h2spec_rfc9113` (the `h2_server` example must be built:
//! `cargo build --examples -p http-codec`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod h2spec;

use h2spec::{
    Event, code, common_headers, header, headers, kind, request_headers, run, verify_headers_frame,
    verify_stream_error,
};

/// The common request with `name: value` added: refused as malformed.
fn with_field(name: &str, value: &str) {
    let (name, value) = (name.to_owned(), value.to_owned());
    run(move |server, conn| {
        conn.handshake()?;
        let mut fields = common_headers(server);
        fields.push(header(&name, &value));
        headers(conn, 1, true, &fields);
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// A request of exactly `fields`: refused as malformed.
fn malformed(fields: impl Fn(u16) -> Vec<(String, String)> + Send + 'static) {
    run(move |server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &fields(server.port));
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

// ------------------------------------------------------------ 8.2.1 Field Validity

/// §8.2.1: a field value MUST NOT contain CR.
#[test]
fn rfc9113_8_2_1_value_with_cr() {
    with_field("x-test", "a\rb");
}

/// §8.2.1: a field value MUST NOT contain LF.
#[test]
fn rfc9113_8_2_1_value_with_lf() {
    with_field("x-test", "a\nb");
}

/// §8.2.1: a field value MUST NOT contain NUL.
#[test]
fn rfc9113_8_2_1_value_with_nul() {
    with_field("x-test", "a\0b");
}

/// §8.2.1: a field value MUST NOT start with whitespace.
#[test]
fn rfc9113_8_2_1_value_with_leading_space() {
    with_field("x-test", " ok");
}

/// §8.2.1: a field value MUST NOT end with whitespace.
#[test]
fn rfc9113_8_2_1_value_with_trailing_tab() {
    with_field("x-test", "ok\t");
}

/// §8.2.1: a field name MUST NOT contain a colon (but for pseudo-header fields).
#[test]
fn rfc9113_8_2_1_name_with_colon() {
    with_field("x:test", "ok");
}

/// §8.2.1: a field name MUST NOT contain 0x00-0x20.
#[test]
fn rfc9113_8_2_1_name_with_space() {
    with_field("x test", "ok");
}

/// §8.2.1: a field name MUST NOT be empty (a token has one character at least, RFC 9110
/// §5.1).
#[test]
fn rfc9113_8_2_1_empty_name() {
    with_field("", "ok");
}

// ------------------------------------------------------------ 8.2.2 Connection-Specific Fields

/// §8.2.2: `keep-alive` is connection-specific.
#[test]
fn rfc9113_8_2_2_keep_alive() {
    with_field("keep-alive", "timeout=5");
}

/// §8.2.2: `proxy-connection` is connection-specific.
#[test]
fn rfc9113_8_2_2_proxy_connection() {
    with_field("proxy-connection", "keep-alive");
}

/// §8.2.2: `transfer-encoding` is connection-specific (the H2.TE desync when forwarded).
#[test]
fn rfc9113_8_2_2_transfer_encoding() {
    with_field("transfer-encoding", "chunked");
}

/// §8.2.2: `upgrade` is connection-specific.
#[test]
fn rfc9113_8_2_2_upgrade() {
    with_field("upgrade", "websocket");
}

/// §8.2.2: `te` may only be `trailers`.
#[test]
fn rfc9113_8_2_2_te_gzip() {
    with_field("te", "gzip");
}

/// §8.2.2: `te: trailers` is allowed: the request is answered.
#[test]
fn rfc9113_8_2_2_te_trailers_is_answered() {
    run(|server, conn| {
        conn.handshake()?;
        let mut fields = common_headers(server);
        fields.push(header("te", "trailers"));
        headers(conn, 1, true, &fields);
        verify_headers_frame(conn, 1)
    });
}

// ------------------------------------------------------------ 8.3.1 Request Pseudo-Header Fields

/// §8.3.1: `:path` is in origin form (or `*` for OPTIONS).
#[test]
fn rfc9113_8_3_1_path_not_origin_form() {
    malformed(|port| {
        let mut f = common_headers_on(port);
        f[2].1 = "index.html".to_owned();
        f
    });
}

/// §8.3.1: `*` is only for OPTIONS.
#[test]
fn rfc9113_8_3_1_asterisk_path_on_get() {
    malformed(|port| {
        let mut f = common_headers_on(port);
        f[2].1 = "*".to_owned();
        f
    });
}

/// §8.3.1: `:authority` MUST NOT include the userinfo subcomponent.
#[test]
fn rfc9113_8_3_1_authority_with_userinfo() {
    malformed(|port| {
        let mut f = common_headers_on(port);
        f[3].1 = format!("user@127.0.0.1:{port}");
        f
    });
}

/// §8.3.1: a pseudo-header field twice (`:authority`).
#[test]
fn rfc9113_8_3_1_duplicated_authority() {
    malformed(|port| {
        let mut f = common_headers_on(port);
        f.push(header(":authority", &format!("127.0.0.1:{port}")));
        f
    });
}

/// §8.3.1: an empty `:method`.
#[test]
fn rfc9113_8_3_1_empty_method() {
    malformed(|port| {
        let mut f = common_headers_on(port);
        f[0].1 = String::new();
        f
    });
}

// ------------------------------------------------------------ 8.5 CONNECT

/// §8.5: CONNECT carries no `:scheme` and no `:path`.
#[test]
fn rfc9113_8_5_connect_with_path() {
    malformed(|port| {
        let mut f = common_headers_on(port);
        f[0].1 = "CONNECT".to_owned();
        f
    });
}

/// §8.5: CONNECT needs `:authority`.
#[test]
fn rfc9113_8_5_connect_without_authority() {
    malformed(|_| vec![header(":method", "CONNECT")]);
}

// ------------------------------------------------------------ 8.1.1 Malformed Messages

/// §8.1.1: a request with a content-length and END_STREAM on its HEADERS (no data).
#[test]
fn rfc9113_8_1_1_content_length_without_data() {
    run(|server, conn| {
        conn.handshake()?;
        let mut fields = request_headers(server, "POST");
        fields.push(header("content-length", "4"));
        headers(conn, 1, true, &fields);
        verify_stream_error(conn, &[code::PROTOCOL_ERROR])
    });
}

/// §8.1.1, RFC 9110 §9.3.2: the answer to HEAD is its head alone: HEADERS with END_STREAM on
/// stream 1, and no DATA.
#[test]
fn rfc9113_8_1_1_head_is_answered_without_data() {
    run(|server, conn| {
        conn.handshake()?;
        headers(conn, 1, true, &request_headers(server, "HEAD"));
        loop {
            match conn.wait_event() {
                Event::Frame(f) if f.kind == kind::DATA => {
                    return Err(format!("expected: no DATA\n  actual: {f}"));
                }
                Event::Frame(f) if f.kind == kind::HEADERS && f.stream == 1 => {
                    return match f.ends_stream() {
                        true => Ok(()),
                        false => Err(format!("expected: HEADERS with END_STREAM\n  actual: {f}")),
                    };
                }
                Event::Frame(_) => {}
                other => return Err(format!("expected: HEADERS\n  actual: {other}")),
            }
        }
    });
}

/// h2spec's common request fields for a server on `port`.
fn common_headers_on(port: u16) -> Vec<(String, String)> {
    vec![
        header(":method", "GET"),
        header(":scheme", "http"),
        header(":path", "/"),
        header(":authority", &format!("127.0.0.1:{port}")),
    ]
}
