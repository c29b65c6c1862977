//! The checks behind every fuzz target. Each takes the fuzzer's bytes and panics only when a
//! property breaks; the binaries in `fuzz_targets/` are one-line wrappers, and `tests/replay.rs`
//! runs every committed corpus input through the same functions on stable Rust.
//!
//! Adding a target: a function here, a two-line file in `fuzz_targets/`, a `[[bin]]` in
//! Cargo.toml, a line in [`TARGETS`], and seeds in `corpus/<name>/`.
#![forbid(unsafe_code)]

pub mod dns_client_targets;
pub mod dns_hickory_targets;
pub mod dns_reader_targets;
pub mod dns_targets;
pub mod framing_targets;
pub mod h2_targets;
pub mod hpack_targets;
pub mod http1_targets;
pub mod http1_typed_targets;
pub mod pop3_session_targets;
pub mod pop3_targets;
pub mod smtp_data_targets;
pub mod smtp_server_targets;
pub mod smtp_session_targets;
pub mod smtp_targets;
pub mod wire_targets;

/// A target's check: panics when a property breaks.
pub type Check = fn(&[u8]);

/// Every target, by name, for corpus replay.
pub const TARGETS: &[(&str, Check)] = &[
    ("length_delimited", framing_targets::length_delimited),
    ("delimited", framing_targets::delimited),
    ("handshake", framing_targets::handshake),
    (
        "length_delimited_roundtrip",
        framing_targets::length_delimited_roundtrip,
    ),
    ("http1_request", http1_targets::http1_request),
    ("http1_response", http1_targets::http1_response),
    ("http1_head", http1_targets::http1_head),
    ("http1_server_session", http1_targets::http1_server_session),
    ("http1_roundtrip", http1_targets::http1_roundtrip),
    ("wire_json", wire_targets::wire_json),
    ("http1_typed", http1_typed_targets::http1_typed),
    ("http1_client_session", http1_targets::http1_client_session),
    ("dns_message", dns_targets::dns_message),
    ("dns_tcp", dns_targets::dns_tcp),
    ("dns_presentation", dns_targets::dns_presentation),
    ("dns_zone", dns_targets::dns_zone),
    ("dns_roundtrip", dns_targets::dns_roundtrip),
    ("dns_hickory", dns_hickory_targets::dns_hickory),
    ("dns_reader", dns_reader_targets::dns_reader),
    ("dns_client_session", dns_client_targets::dns_client_session),
    ("smtp_data", smtp_data_targets::smtp_data),
    ("smtp_command", smtp_targets::smtp_command),
    ("smtp_reply", smtp_targets::smtp_reply),
    (
        "smtp_server_session",
        smtp_server_targets::smtp_server_session,
    ),
    (
        "smtp_client_session",
        smtp_session_targets::smtp_client_session,
    ),
    ("pop3_command", pop3_targets::pop3_command),
    ("pop3_response", pop3_targets::pop3_response),
    (
        "pop3_server_session",
        pop3_session_targets::pop3_server_session,
    ),
    (
        "pop3_client_session",
        pop3_session_targets::pop3_client_session,
    ),
    ("hpack_decode", hpack_targets::hpack_decode),
    ("hpack_roundtrip", hpack_targets::hpack_roundtrip),
    ("h2_server_connection", h2_targets::h2_server_connection),
    ("h2_client_connection", h2_targets::h2_client_connection),
    ("h2_frame", h2_targets::h2_frame),
    ("hpack_differential", hpack_targets::hpack_differential),
];
