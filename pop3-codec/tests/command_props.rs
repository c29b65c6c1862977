//! Properties of the command codec: every command encodes to bytes that decode to it, any split
//! of a stream gives the commands and errors the whole gives (whole, byte by byte, or cut
//! anywhere), and no bytes make the decoder panic or buffer past its limit.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bytes::BytesMut;
use framing::testing::{cut, decode_pieces};
use framing::{Decoder, Encoder};
use pop3_codec::{
    Argument, AuthResponse, Command, CommandDecoder, CommandEncoder, Error, InitialResponse,
    Leniency, Limits, Mechanism,
};
use proptest::prelude::*;

fn argument() -> impl Strategy<Value = Argument> {
    "[!-~]{1,40}".prop_map(|s| Argument::new(&s).unwrap())
}

fn password() -> impl Strategy<Value = Argument> {
    "[ -~]{1,40}".prop_map(|s| Argument::with_spaces(&s).unwrap())
}

fn msg() -> impl Strategy<Value = u32> {
    prop_oneof![1u32..10, 1u32..=u32::MAX, Just(u32::MAX)]
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        argument().prop_map(Command::User),
        password().prop_map(Command::Pass),
        (argument(), any::<[u8; 16]>()).prop_map(|(name, digest)| Command::Apop { name, digest }),
        Just(Command::Stat),
        proptest::option::of(msg()).prop_map(Command::List),
        msg().prop_map(Command::Retr),
        msg().prop_map(Command::Dele),
        Just(Command::Noop),
        Just(Command::Rset),
        Just(Command::Quit),
        (msg(), any::<u32>()).prop_map(|(msg, lines)| Command::Top { msg, lines }),
        proptest::option::of(msg()).prop_map(Command::Uidl),
        Just(Command::Capa),
        Just(Command::Auth {
            mechanism: None,
            initial: None
        }),
        (
            "[A-Za-z0-9_-]{1,20}",
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..120))
        )
            .prop_map(|(m, i)| Command::Auth {
                mechanism: Some(Mechanism::new(&m).unwrap()),
                initial: i.map(|b| InitialResponse::encode(&b)),
            }),
        Just(Command::Stls),
        Just(Command::Utf8),
        proptest::option::of(argument()).prop_map(Command::Lang),
    ]
}

fn encode(cmds: &[Command]) -> Vec<u8> {
    let mut enc = CommandEncoder::default();
    let mut buf = BytesMut::new();
    for c in cmds {
        enc.encode(c, &mut buf).unwrap();
    }
    buf.to_vec()
}

fn decode_stream(
    pieces: &[&[u8]],
    limits: Limits,
    leniency: Leniency,
) -> Vec<Result<Command, Error>> {
    decode_pieces(&mut CommandDecoder::new(limits, leniency), pieces, |e| {
        !matches!(e, Error::Truncated { .. })
    })
}

/// Bytes that look like POP3: keywords, numbers, arguments, line ends, NULs.
fn pop3_like() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(&b"USER "[..]),
        Just(&b"PASS a b"[..]),
        Just(&b"APOP m c4c9334bac560ecc979e58001b3e22fb"[..]),
        Just(&b"RETR "[..]),
        Just(&b"retr 1"[..]),
        Just(&b"TOP 1 "[..]),
        Just(&b"LIST"[..]),
        Just(&b"AUTH PLAIN ="[..]),
        Just(&b"AUTH PLAIN AGEAYg=="[..]),
        Just(&b"STLS"[..]),
        Just(&b"0"[..]),
        Just(&b"4294967296"[..]),
        Just(&b"-1"[..]),
        Just(&b"\xc3\xb6"[..]),
        Just(&b"\r\n"[..]),
        Just(&b"\r"[..]),
        Just(&b"\n"[..]),
        Just(&b"\0"[..]),
        Just(&b"x"[..]),
        Just(&b" "[..]),
        Just(&b"QUIT"[..]),
    ];
    proptest::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn encode_then_decode_is_identity(cmds in proptest::collection::vec(command(), 1..8)) {
        let bytes = encode(&cmds);
        let got: Vec<Command> = decode_stream(&[&bytes], Limits::default(), Leniency::strict())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        prop_assert_eq!(&got, &cmds);
        // And the lines re-encode to themselves.
        prop_assert_eq!(encode(&got), bytes);
        for c in &cmds {
            prop_assert_eq!(
                Command::decode(c.to_line().unwrap().as_bytes(), 0, 40, false).unwrap(),
                c.clone()
            );
        }
    }

    #[test]
    fn any_split_gives_the_same_commands(
        cmds in proptest::collection::vec(command(), 1..6),
        points in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let bytes = encode(&cmds);
        for max in [24, 255] {
            let limits = Limits { max_command_line: max, ..Limits::default() };
            let whole = decode_stream(&[&bytes], limits, Leniency::strict());
            let split = decode_stream(&cut(&bytes, &points), limits, Leniency::strict());
            prop_assert_eq!(&whole, &split);
            let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
            prop_assert_eq!(&whole, &decode_stream(&bytewise, limits, Leniency::strict()));
        }
    }

    #[test]
    fn hostile_bytes_split_the_same_and_never_panic(
        input in pop3_like(),
        points in proptest::collection::vec(any::<usize>(), 0..6),
        max in 4usize..80,
        max_argument in 1usize..45,
        lenient in any::<bool>(),
    ) {
        let limits = Limits { max_command_line: max, max_argument, ..Limits::default() };
        let leniency = Leniency::strict().normalize_bare_line_ends(lenient);
        let whole = decode_stream(&[&input], limits, leniency);
        let split = decode_stream(&cut(&input, &points), limits, leniency);
        prop_assert_eq!(&whole, &split);
        let bytewise: Vec<&[u8]> = input.chunks(1).collect();
        prop_assert_eq!(&whole, &decode_stream(&bytewise, limits, leniency));
        // Whatever decoded re-encodes to a line that decodes to it.
        for c in whole.into_iter().flatten() {
            let line = c.to_line().unwrap();
            prop_assert_eq!(Command::decode(line.as_bytes(), 0, 45, false).unwrap(), c);
        }
    }

    #[test]
    fn auth_responses_split_the_same(
        lines in proptest::collection::vec(
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..40).prop_map(|b| AuthResponse::encode(&b).line().unwrap().to_owned()),
                Just("*".to_owned()),
                "[ -~]{0,20}",
            ],
            1..6,
        ),
        points in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let bytes: Vec<u8> = lines.iter().flat_map(|l| format!("{l}\r\n").into_bytes()).collect();
        let run = |pieces: &[&[u8]]| {
            let mut d = CommandDecoder::default();
            let mut buf = BytesMut::new();
            let mut out = Vec::new();
            for p in pieces {
                buf.extend_from_slice(p);
                loop {
                    match d.decode_auth_response(&mut buf) {
                        Ok(Some(r)) => out.push(Ok(r)),
                        Ok(None) => break,
                        Err(e) => out.push(Err(e)),
                    }
                }
            }
            out
        };
        let whole = run(&[&bytes]);
        prop_assert_eq!(whole.len(), lines.len());
        prop_assert_eq!(&whole, &run(&cut(&bytes, &points)));
        for (r, l) in whole.iter().zip(&lines) {
            if let Ok(r) = r {
                prop_assert_eq!(r.line().unwrap(), l.as_str());
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        input in proptest::collection::vec(any::<u8>(), 0..600),
        utf8 in any::<bool>(),
        lenient in any::<bool>(),
    ) {
        let limits = Limits { max_command_line: 64, ..Limits::default() };
        let mut dec = CommandDecoder::new(limits, Leniency::strict().normalize_bare_line_ends(lenient));
        dec.set_utf8(utf8);
        let mut buf = BytesMut::from(&input[..]);
        while !matches!(dec.decode(&mut buf), Ok(None)) {
            prop_assert!(buf.len() <= input.len());
        }
        prop_assert!(buf.len() <= 64);
        let _ = dec.decode_eof(&mut buf);
        prop_assert!(dec.position() <= input.len() as u64);
    }
}
