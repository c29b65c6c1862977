//! Properties: `decode(encode(m)) == m` for generated messages, the re-encoding is byte for
//! byte the same (so case and order survive), any split of a TCP stream gives what the whole
//! gives, and arbitrary bytes never panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use bytes::BytesMut;

use dns_codec::tcp::{TcpCodec, is_recoverable};
use dns_codec::{Message, Name, RData};
use framing::Encoder;
use framing::testing::{cut, decode_pieces};
use proptest::prelude::*;

use dns_codec::strategies::{message, name, record};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_encode_roundtrip(m in message()) {
        let wire = m.encode().unwrap();
        let back = Message::decode(&wire).unwrap();
        prop_assert_eq!(&back, &m);
        // Byte for byte: `==` ignores the case of names, the bytes do not.
        prop_assert_eq!(back.encode().unwrap(), wire);
        for (a, b) in back.answer.iter().zip(&m.answer) {
            prop_assert!(a.name.eq_exact(&b.name));
        }
    }

    #[test]
    fn presentation_of_rdata_reads_back(r in record()) {
        let text = r.data.to_string();
        let back = RData::from_presentation(r.rtype(), r.class, &text).unwrap();
        prop_assert_eq!(back, r.data);
    }

    #[test]
    fn presentation_of_names_reads_back(n in name()) {
        let back: Name = n.to_string().parse().unwrap();
        prop_assert!(back.eq_exact(&n));
    }

    #[test]
    fn tcp_split_gives_what_the_whole_gives(
        messages in prop::collection::vec(message(), 1..4),
        points in prop::collection::vec(any::<usize>(), 0..6),
    ) {
        let mut codec = TcpCodec::default();
        let mut stream = BytesMut::new();
        for m in &messages {
            codec.encode(m, &mut stream).unwrap();
        }
        let whole = decode_pieces(&mut TcpCodec::default(), &[&stream], is_recoverable);
        let pieces = decode_pieces(&mut TcpCodec::default(), &cut(&stream, &points), is_recoverable);
        let expected: Vec<_> = messages.into_iter().map(Ok).collect();
        prop_assert_eq!(&whole, &expected);
        prop_assert_eq!(pieces, whole);
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(m) = Message::decode(&input) {
            // Whatever decodes encodes, and decodes to the same message.
            let again = m.encode().unwrap();
            prop_assert_eq!(Message::decode(&again).unwrap(), m);
        }
    }

    #[test]
    fn corrupted_messages_never_panic(m in message(), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
        let mut wire = m.encode().unwrap();
        let len = wire.len();
        for (at, x) in flips {
            wire[at % len] ^= x;
        }
        if let Ok(m) = Message::decode(&wire) {
            let again = m.encode().unwrap();
            prop_assert_eq!(Message::decode(&again).unwrap(), m);
        }
    }
}
