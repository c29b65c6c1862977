//! DNS over TCP (RFC 1035 §4.2.2, RFC 7766): many messages per stream, any split, errors with
//! stream offsets, and a bad message costing only itself.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use bytes::BytesMut;
use dns_codec::tcp::{TcpCodec, is_recoverable};
use dns_codec::{Error, Message, Question, RType};
use framing::testing::{cut, decode_pieces};
use framing::{Decoder, Encoder};

fn query(id: u16, name: &str) -> Message {
    let mut m = Message::default();
    m.header.id = id;
    m.header.rd = true;
    m.question
        .push(Question::new(name.parse().unwrap(), RType::A));
    m
}

#[test]
fn many_messages_every_split() {
    let messages = [
        query(1, "a.example."),
        query(2, "b.example."),
        query(3, "."),
    ];
    let mut codec = TcpCodec::default();
    let mut stream = BytesMut::new();
    for m in &messages {
        codec.encode(m, &mut stream).unwrap();
    }
    let expected: Vec<Result<Message, Error>> = messages.iter().cloned().map(Ok).collect();
    for i in 0..=stream.len() {
        for j in i..=stream.len() {
            let got = decode_pieces(
                &mut TcpCodec::default(),
                &cut(&stream, &[i, j]),
                is_recoverable,
            );
            assert_eq!(got, expected, "cut at {i}, {j}");
        }
    }
    let bytewise: Vec<&[u8]> = stream.chunks(1).collect();
    assert_eq!(
        decode_pieces(&mut TcpCodec::default(), &bytewise, is_recoverable),
        expected
    );
}

#[test]
fn a_bad_message_costs_only_itself_and_offsets_count_from_the_stream() {
    let good = query(7, "ok.example.").encode().unwrap();
    let mut stream = Vec::new();
    stream.extend_from_slice(&(good.len() as u16).to_be_bytes());
    stream.extend_from_slice(&good);
    // A 13-byte message: header plus one stray byte.
    stream.extend_from_slice(b"\x00\x0d\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff");
    stream.extend_from_slice(&(good.len() as u16).to_be_bytes());
    stream.extend_from_slice(&good);
    let second = 2 + good.len() as u64;
    let got = decode_pieces(&mut TcpCodec::default(), &[&stream], is_recoverable);
    assert_eq!(
        got,
        vec![
            Ok(query(7, "ok.example.")),
            Err(Error::TrailingBytes {
                offset: second + 2 + 12,
                count: 1
            }),
            Ok(query(7, "ok.example.")),
        ]
    );
}

#[test]
fn stream_ending_inside_a_message() {
    let good = query(7, "ok.example.").encode().unwrap();
    let mut stream = BytesMut::new();
    stream.extend_from_slice(&(good.len() as u16).to_be_bytes());
    stream.extend_from_slice(&good[..5]);
    let mut codec = TcpCodec::default();
    assert_eq!(codec.decode(&mut stream), Ok(None));
    let err = codec.decode_eof(&mut stream).unwrap_err();
    assert!(matches!(err, Error::Framing { .. }), "{err:?}");
    assert!(!is_recoverable(&err));
}
