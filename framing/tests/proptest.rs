//! Property tests: roundtrips for every codec configuration, split invariance, no panics on
//! arbitrary bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bytes::{Bytes, BytesMut};
use framing::delimited::{Delimited, Utf8Delimited};
use framing::handshake::{Handshake, Hello};
use framing::length_delimited::{Frame, LengthDelimited, LengthField};
use framing::testing::{cut, decode_pieces, split_independent};
use framing::{Decoder, Encoder, Error};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct LdConfig {
    field: LengthField,
    little_endian: bool,
    offset: usize,
    adjustment: i64,
    includes_header: bool,
    type_byte: bool,
    known: Option<Vec<u8>>,
    max: usize,
}

impl LdConfig {
    fn build(&self) -> LengthDelimited {
        let mut b = LengthDelimited::builder()
            .length_field(self.field)
            .length_field_offset(self.offset)
            .length_adjustment(self.adjustment)
            .max_frame_length(self.max);
        if self.little_endian {
            b = b.little_endian();
        }
        if self.includes_header {
            b = b.length_includes_header();
        }
        if self.type_byte {
            b = b.message_type();
        }
        if let Some(known) = &self.known {
            b = b.known_types(known.iter().copied());
        }
        b.build()
    }
}

fn ld_config() -> impl Strategy<Value = LdConfig> {
    (
        prop_oneof![
            Just(LengthField::U8),
            Just(LengthField::U16),
            Just(LengthField::U24),
            Just(LengthField::U32),
            Just(LengthField::U64),
        ],
        any::<bool>(),
        0usize..4,
        -3i64..4,
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 1..4)),
        prop_oneof![Just(64usize), Just(300), Just(8 << 20)],
    )
        .prop_map(
            |(field, little_endian, offset, adjustment, includes_header, type_byte, known, max)| {
                LdConfig {
                    field,
                    little_endian,
                    offset,
                    adjustment,
                    includes_header,
                    type_byte: type_byte || known.is_some(),
                    known,
                    max,
                }
            },
        )
}

/// Frames valid for `config`: the right prefix length, a type when it needs one, payloads that
/// the encoder accepts (frames it refuses are dropped, after checking it refused them cleanly).
fn valid_frames(config: &LdConfig, raw: Vec<(Vec<u8>, u8, Vec<u8>)>) -> (Vec<Frame>, BytesMut) {
    let mut codec = config.build();
    let mut wire = BytesMut::new();
    let mut frames = Vec::new();
    for (prefix_seed, t, payload) in raw {
        let prefix: Vec<u8> = prefix_seed
            .into_iter()
            .cycle()
            .take(config.offset)
            .collect();
        let prefix = if prefix.len() < config.offset {
            vec![0u8; config.offset]
        } else {
            prefix
        };
        let message_type = match (&config.known, config.type_byte) {
            (Some(known), _) => Some(known[usize::from(t) % known.len()]),
            (None, true) => Some(t),
            (None, false) => None,
        };
        let frame = Frame {
            prefix: prefix.into(),
            message_type,
            payload: payload.into(),
        };
        let before = wire.len();
        match codec.encode(&frame, &mut wire) {
            Ok(()) => frames.push(frame),
            Err(Error::TooLarge { .. } | Error::Unencodable { .. }) => {
                assert_eq!(wire.len(), before, "a refused frame wrote bytes")
            }
            Err(e) => panic!("unexpected encode error {e:?}"),
        }
    }
    (frames, wire)
}

/// Everything `codec` yields for `pieces`, going on after the errors that keep it in sync.
fn feed<C: Decoder<Error = Error>>(codec: &mut C, pieces: &[&[u8]]) -> Vec<Result<C::Item, Error>> {
    decode_pieces(codec, pieces, Error::is_recoverable)
}

fn raw_frames() -> impl Strategy<Value = Vec<(Vec<u8>, u8, Vec<u8>)>> {
    proptest::collection::vec(
        (
            proptest::collection::vec(any::<u8>(), 0..4),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..400),
        ),
        0..8,
    )
}

proptest! {
    #[test]
    fn length_delimited_roundtrip_any_split(
        config in ld_config(),
        raw in raw_frames(),
        cuts in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let (frames, wire) = valid_frames(&config, raw);
        let whole = feed(&mut config.build(), &[&wire]);
        prop_assert_eq!(whole, frames.iter().cloned().map(Ok).collect::<Vec<_>>());
        let pieces = feed(&mut config.build(), &cut(&wire, &cuts));
        prop_assert_eq!(pieces, frames.into_iter().map(Ok).collect::<Vec<_>>());
    }

    #[test]
    fn length_delimited_arbitrary_bytes_split_invariant(
        config in ld_config(),
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
        cuts in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let whole = feed(&mut config.build(), &[&bytes]);
        let pieces = feed(&mut config.build(), &cut(&bytes, &cuts));
        prop_assert_eq!(whole, pieces);
    }

    #[test]
    fn one_byte_at_a_time_equals_whole(
        config in ld_config(),
        raw in raw_frames(),
    ) {
        let (_, wire) = valid_frames(&config, raw);
        let bytes: Vec<&[u8]> = wire.chunks(1).collect();
        prop_assert_eq!(feed(&mut config.build(), &[&wire]), feed(&mut config.build(), &bytes));
    }

    #[test]
    fn delimited_roundtrip_any_split(
        mode in 0u8..4,
        lines in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..120), 0..10),
        cuts in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let make = || match mode {
            0 => Delimited::crlf(),
            1 => Delimited::lf(),
            2 => Delimited::with_delimiter(b"\0\0").unwrap(),
            _ => Delimited::with_delimiter(b"END").unwrap(),
        }
        .max_length(100);
        let mut encoder = make();
        let mut wire = BytesMut::new();
        let mut expected = Vec::new();
        for line in lines {
            let before = wire.len();
            match encoder.encode(&line[..], &mut wire) {
                Ok(()) => expected.push(Ok(Bytes::from(line))),
                Err(_) => prop_assert_eq!(wire.len(), before),
            }
        }
        prop_assert_eq!(feed(&mut make(), &[&wire]), expected.clone());
        prop_assert_eq!(feed(&mut make(), &cut(&wire, &cuts)), expected);
    }

    #[test]
    fn delimited_arbitrary_bytes_split_invariant(
        mode in 0u8..5,
        discard in any::<bool>(),
        bytes in proptest::collection::vec(
            prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a'), Just(b'E'), Just(b'N'), Just(b'D'), any::<u8>()],
            0..400,
        ),
        cuts in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let make = || {
            let c = match mode {
                0 => Delimited::crlf(),
                1 => Delimited::crlf().allow_bare_lf(),
                2 => Delimited::lf(),
                3 => Delimited::with_delimiter(b"\r\n\r\n").unwrap(),
                _ => Delimited::with_delimiter(b"END").unwrap(),
            }
            .max_length(16);
            if discard { c.discard_overlong() } else { c }
        };
        let whole = split_independent(feed(&mut make(), &[&bytes]));
        let pieces = split_independent(feed(&mut make(), &cut(&bytes, &cuts)));
        prop_assert_eq!(whole, pieces);
    }

    #[test]
    fn utf8_lines_split_invariant(
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
        cuts in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let make = || Utf8Delimited::new(Delimited::lf().max_length(64).discard_overlong());
        let whole = feed(&mut make(), &[&bytes]);
        let pieces = feed(&mut make(), &cut(&bytes, &cuts));
        prop_assert_eq!(whole, pieces);
    }

    #[test]
    fn handshake_split_invariant(
        ours in any::<(u16, u16, u64)>(),
        bytes in proptest::collection::vec(any::<u8>(), 0..40),
        at in any::<usize>(),
    ) {
        let hello = Hello { magic: u32::from_be_bytes(*b"NETW"), version: ours.0, min_version: ours.1, capabilities: ours.2 };
        let run = |chunks: &[&[u8]]| {
            let mut s = Handshake::new(hello);
            let mut events = Vec::new();
            for c in chunks {
                s.receive(c);
                events.push(s.poll_event());
            }
            let last = s.poll_event();
            (events.into_iter().find(|e| !matches!(e, Ok(None))).unwrap_or(last), s.take_remaining())
        };
        prop_assert_eq!(run(&[&bytes]), run(&cut(&bytes, &[at])));
    }
}
