//! Properties of the command codec: every command encodes to bytes that decode to it, any
//! split of a stream gives the items the whole gives, no bytes make the decoder panic or
//! buffer past its limit, and the borrowed [`CommandRef`] reads every line as [`Command`] does
//! (same command, or the same error: offset, production, rule).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bytes::BytesMut;
use framing::testing::{cut, decode_pieces};
use framing::{Decoder, Encoder};
use proptest::prelude::*;
use smtp_codec::{
    Argument, Body, Command, CommandDecoder, CommandEncoder, CommandRef, Domain, Error,
    ForwardPath, InitialResponse, Leniency, Limits, Mailbox, Mechanism, Notify, OtherParameter,
    Parameter, ParameterRef, Ret, ReversePath, XText,
};

fn domain() -> impl Strategy<Value = Domain> {
    prop_oneof![
        4 => "[a-zA-Z0-9]([a-z0-9-]{0,4}[a-z0-9])?(\\.[a-z0-9]{1,5}){0,3}",
        1 => "bücher\\.[a-z]{2,3}",
        1 => (0u8.., 0u8.., 0u8.., 0u8..).prop_map(|(a, b, c, d)| format!("[{a}.{b}.{c}.{d}]")),
        1 => any::<u128>().prop_map(|a| format!("[IPv6:{}]", std::net::Ipv6Addr::from(a))),
        1 => "\\[x-[a-z]{1,3}:[!-Z^-~]{1,6}\\]",
    ]
    .prop_map(|s| Domain::new(&s).unwrap())
}

fn mailbox() -> impl Strategy<Value = Mailbox> {
    let local = prop_oneof![
        3 => "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,6}(\\.[a-zA-Z0-9_-]{1,4}){0,2}",
        1 => "\"([ !#-\\[\\]-~]|\\\\[ -~]){0,6}\"",
        1 => "jörg[a-z]{0,3}",
    ];
    (local, domain()).prop_map(|(l, d)| Mailbox::new(&l, d).unwrap())
}

fn xtext() -> impl Strategy<Value = XText> {
    proptest::collection::vec(any::<u8>(), 0..8).prop_map(|b| XText::encode(&b))
}

/// An xtext that can be a parameter's whole value (esmtp-value is not empty).
fn xtext1() -> impl Strategy<Value = XText> {
    proptest::collection::vec(any::<u8>(), 1..8).prop_map(|b| XText::encode(&b))
}

fn mail_param() -> impl Strategy<Value = Parameter> {
    prop_oneof![
        any::<u64>().prop_map(Parameter::Size),
        prop_oneof![
            Just(Body::SevenBit),
            Just(Body::EightBitMime),
            Just(Body::BinaryMime)
        ]
        .prop_map(Parameter::Body),
        Just(Parameter::SmtpUtf8),
        xtext1().prop_map(Parameter::Auth),
        prop_oneof![Just(Ret::Full), Just(Ret::Hdrs)].prop_map(Parameter::Ret),
        xtext1().prop_map(Parameter::EnvId),
        Just(Parameter::RequireTls),
        (-9i8..=9).prop_map(Parameter::MtPriority),
        other_param(),
    ]
}

fn rcpt_param() -> impl Strategy<Value = Parameter> {
    prop_oneof![
        Just(Parameter::Notify(Notify::Never)),
        (any::<bool>(), any::<bool>(), any::<bool>())
            .prop_filter("one event", |(a, b, c)| *a || *b || *c)
            .prop_map(|(success, failure, delay)| Parameter::Notify(Notify::On {
                success,
                failure,
                delay
            })),
        ("rfc822|utf-8|[a-z]{1,4}", xtext())
            .prop_map(|(addr_type, address)| Parameter::Orcpt { addr_type, address }),
        other_param(),
    ]
}

fn other_param() -> impl Strategy<Value = Parameter> {
    ("X-[A-Za-z0-9-]{0,5}", proptest::option::of("[!-<>-~]{1,8}"))
        .prop_map(|(k, v)| Parameter::Other(OtherParameter::new(&k, v.as_deref()).unwrap()))
}

/// At most one parameter per keyword, as the grammar requires.
fn dedup(params: Vec<Parameter>) -> Vec<Parameter> {
    let mut seen = std::collections::HashSet::new();
    params
        .into_iter()
        .filter(|p| seen.insert(p.keyword().to_ascii_uppercase()))
        .collect()
}

fn argument() -> impl Strategy<Value = Argument> {
    prop_oneof!["[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,8}", "\"[ a-z]{0,6}\""]
        .prop_map(|s| Argument::new(&s).unwrap())
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        domain().prop_map(Command::Ehlo),
        "[a-z]{1,6}\\.[a-z]{2,3}".prop_map(|d| Command::Helo(Domain::name(&d).unwrap())),
        (
            prop_oneof![
                Just(ReversePath::Null),
                mailbox().prop_map(ReversePath::Mailbox)
            ],
            proptest::collection::vec(mail_param(), 0..5)
        )
            .prop_map(|(from, params)| {
                let mut params = dedup(params);
                if from.mailbox().is_some_and(Mailbox::is_utf8)
                    && !params.contains(&Parameter::SmtpUtf8)
                {
                    params.push(Parameter::SmtpUtf8);
                }
                Command::Mail { from, params }
            }),
        (
            prop_oneof![
                Just(ForwardPath::Postmaster),
                mailbox().prop_map(ForwardPath::Mailbox)
            ],
            proptest::collection::vec(rcpt_param(), 0..4)
        )
            .prop_map(|(to, params)| Command::Rcpt {
                to,
                params: dedup(params)
            }),
        Just(Command::Data),
        Just(Command::Rset),
        Just(Command::Quit),
        Just(Command::StartTls),
        argument().prop_map(Command::Vrfy),
        argument().prop_map(Command::Expn),
        proptest::option::of(argument()).prop_map(Command::Help),
        proptest::option::of(argument()).prop_map(Command::Noop),
        (
            "[A-Za-z0-9_-]{1,20}",
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..12))
        )
            .prop_map(|(m, i)| Command::Auth {
                mechanism: Mechanism::new(&m).unwrap(),
                initial: i.map(|b| InitialResponse::encode(&b)),
            }),
        (any::<u64>(), any::<bool>()).prop_map(|(size, last)| Command::Bdat { size, last }),
    ]
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

/// Bytes that look like SMTP: verbs, paths, parameters, line ends, NULs.
fn smtp_like() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(&b"EHLO "[..]),
        Just(&b"MAIL FROM:<"[..]),
        Just(&b"RCPT TO:<"[..]),
        Just(&b"a@b.c>"[..]),
        Just(&b" SIZE=10"[..]),
        Just(&b"BDAT 5 LAST"[..]),
        Just(&b"AUTH PLAIN ="[..]),
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

/// `line` read both ways: the borrowed command turns into the owned one (or both fail with
/// the same error), and what the borrowed accessors show is what the owned ones show.
fn borrowed_reads_as_owned(line: &[u8]) -> Result<(), TestCaseError> {
    let owned = Command::decode(line, 7);
    let borrowed = CommandRef::decode(line, 7);
    prop_assert_eq!(
        borrowed.as_ref().map(CommandRef::to_command),
        owned.as_ref().cloned()
    );
    let (Ok(borrowed), Ok(owned)) = (borrowed, owned) else {
        return Ok(());
    };
    prop_assert_eq!(borrowed.verb(), owned.verb());
    match (&borrowed, &owned) {
        (CommandRef::Ehlo(b), Command::Ehlo(o)) | (CommandRef::Helo(b), Command::Helo(o)) => {
            prop_assert_eq!(b.as_str(), o.as_str());
            prop_assert_eq!(b.to_string(), o.to_string());
            prop_assert_eq!(b.is_literal(), o.literal().is_some());
            prop_assert_eq!(b.is_utf8(), o.is_utf8());
        }
        (CommandRef::Mail { from, params: b }, Command::Mail { from: f, params: o }) => {
            prop_assert_eq!(from.to_string(), f.to_string());
            prop_assert_eq!(
                from.mailbox().map(|m| m.local_part()),
                f.mailbox().map(|m| m.local_part())
            );
            prop_assert_eq!(
                from.mailbox().map(|m| m.is_utf8()),
                f.mailbox().map(|m| m.is_utf8())
            );
            prop_assert_eq!(b.len(), o.len());
            prop_assert_eq!(b.is_empty(), o.is_empty());
            let each: Vec<Parameter> = b.iter().map(ParameterRef::to_parameter).collect();
            prop_assert_eq!(&each, o);
        }
        (CommandRef::Rcpt { to, params: b }, Command::Rcpt { to: t, params: o }) => {
            prop_assert_eq!(to.to_string(), t.to_string());
            prop_assert_eq!(
                to.mailbox().map(|m| m.domain().as_str()),
                t.mailbox().map(|m| m.domain().as_str())
            );
            prop_assert_eq!(b.len(), o.len());
            let each: Vec<Parameter> = b.iter().map(ParameterRef::to_parameter).collect();
            prop_assert_eq!(&each, o);
        }
        _ => {}
    }
    Ok(())
}

/// One edit of a line: an octet replaced, inserted or removed.
#[derive(Debug, Clone)]
enum Edit {
    Replace(usize, u8),
    Insert(usize, u8),
    Remove(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    // The octets the grammars turn on, a few others, and UTF-8 lead and trail octets.
    let octet = prop_oneof![
        4 => proptest::sample::select(&b" <>@.:;,=+-\"\\[]()aZ09AFx_\0\x7f\xc3\xa9\xff"[..]),
        1 => any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), octet.clone()).prop_map(|(i, b)| Edit::Replace(i, b)),
        (any::<usize>(), octet).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Remove),
    ]
}

fn apply(line: &mut Vec<u8>, edit: &Edit) {
    match *edit {
        Edit::Replace(i, b) if !line.is_empty() => {
            let i = i % line.len();
            line[i] = b;
        }
        Edit::Insert(i, b) => line.insert(i % (line.len() + 1), b),
        Edit::Remove(i) if !line.is_empty() => {
            line.remove(i % line.len());
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Valid lines, and the same lines with one to three octets changed: the borrowed and the
    /// owned reading agree (same command, or the same error at the same offset with the same
    /// production).
    #[test]
    fn borrowed_and_owned_agree(
        cmd in command(),
        edits in proptest::collection::vec(edit(), 0..4),
    ) {
        let mut line = cmd.to_line().unwrap();
        borrowed_reads_as_owned(&line)?;
        for e in &edits {
            apply(&mut line, e);
            borrowed_reads_as_owned(&line)?;
        }
    }

    /// SMTP-like bytes cut at every CRLF: both readings agree line by line, and
    /// `CommandDecoder::decode_with` yields what `decode` yields.
    #[test]
    fn borrowed_and_owned_agree_on_hostile_lines(input in smtp_like()) {
        for line in input.split(|&b| b == b'\n') {
            borrowed_reads_as_owned(line.strip_suffix(b"\r").unwrap_or(line))?;
        }
        let limits = Limits { max_command_line: 64, ..Limits::default() };
        let mut owned = CommandDecoder::new(limits, Leniency::strict());
        let mut borrowed = CommandDecoder::new(limits, Leniency::strict());
        let (mut a, mut b) = (BytesMut::from(&input[..]), BytesMut::from(&input[..]));
        loop {
            let o = owned.decode(&mut a);
            let r = borrowed.decode_with(&mut b, |c| c.to_command());
            prop_assert_eq!(&r, &o);
            prop_assert_eq!(&a, &b);
            if matches!(o, Ok(None)) {
                break;
            }
        }
    }

    #[test]
    fn encode_then_decode_is_identity(cmds in proptest::collection::vec(command(), 1..8)) {
        let mut enc = CommandEncoder::new(Limits { max_command_line: 4096, ..Limits::default() });
        let mut buf = BytesMut::new();
        for c in &cmds {
            enc.encode(c, &mut buf).unwrap();
        }
        let bytes = buf.to_vec();
        let limits = Limits { max_command_line: 4096, ..Limits::default() };
        let got: Vec<Command> = decode_stream(&[&bytes], limits, Leniency::strict())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        prop_assert_eq!(&got, &cmds);
        // And each line re-encodes to itself.
        let mut again = BytesMut::new();
        for c in &got {
            enc.encode(c, &mut again).unwrap();
        }
        prop_assert_eq!(again.to_vec(), bytes);
    }

    #[test]
    fn any_split_gives_the_same_commands(
        cmds in proptest::collection::vec(command(), 1..6),
        points in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let mut enc = CommandEncoder::new(Limits { max_command_line: 4096, ..Limits::default() });
        let mut buf = BytesMut::new();
        for c in &cmds {
            enc.encode(c, &mut buf).unwrap();
        }
        for max in [64, 4096] {
            let limits = Limits { max_command_line: max, ..Limits::default() };
            let whole = decode_stream(&[&buf], limits, Leniency::strict());
            let split = decode_stream(&cut(&buf, &points), limits, Leniency::strict());
            prop_assert_eq!(whole, split);
        }
    }

    #[test]
    fn hostile_bytes_split_the_same_and_never_panic(
        input in smtp_like(),
        points in proptest::collection::vec(any::<usize>(), 0..6),
        max in 4usize..80,
        lenient in any::<bool>(),
    ) {
        let limits = Limits { max_command_line: max, ..Limits::default() };
        let leniency = Leniency::strict().normalize_bare_line_ends(lenient);
        let whole = decode_stream(&[&input], limits, leniency);
        let split = decode_stream(&cut(&input, &points), limits, leniency);
        prop_assert_eq!(&whole, &split);
        // Whatever decoded re-encodes to something that decodes to it.
        for c in whole.into_iter().flatten() {
            let line = c.to_line().unwrap();
            prop_assert_eq!(Command::decode(&line, 0).unwrap(), c);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut dec = CommandDecoder::new(Limits { max_command_line: 64, ..Limits::default() }, Leniency::strict());
        let mut buf = BytesMut::from(&input[..]);
        while !matches!(dec.decode(&mut buf), Ok(None)) {
            prop_assert!(buf.len() <= input.len());
        }
        prop_assert!(buf.len() <= 64);
    }
}
