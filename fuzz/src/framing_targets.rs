//! Targets for the framing crate.

use arbitrary::{Arbitrary, Unstructured};
use bytes::BytesMut;
use framing::delimited::Delimited;
use framing::handshake::{Event, Handshake, Hello};
use framing::length_delimited::{Frame, LengthDelimited, LengthField};
use framing::{Decoder, Encoder, Error};

use framing::testing::{cut, decode_pieces, split_independent};

/// Everything `codec` yields for `pieces`, going on after the errors that keep it in sync.
fn feed<C: Decoder<Error = Error>>(codec: &mut C, pieces: &[&[u8]]) -> Vec<Result<C::Item, Error>> {
    decode_pieces(codec, pieces, Error::is_recoverable)
}

/// A length-delimited configuration chosen by one byte.
fn length_config(c: u8) -> LengthDelimited {
    let field = [
        LengthField::U8,
        LengthField::U16,
        LengthField::U24,
        LengthField::U32,
        LengthField::U64,
    ][usize::from(c & 7) % 5];
    let mut b = LengthDelimited::builder()
        .length_field(field)
        .length_field_offset(usize::from(c >> 7))
        .max_frame_length(if c & 0x40 != 0 { 64 } else { 4096 });
    if c & 8 != 0 {
        b = b.little_endian();
    }
    if c & 16 != 0 {
        b = b.message_type();
    }
    if c & 32 != 0 {
        b = b.known_types([0, 1, 2]).length_includes_header();
    }
    b.build()
}

/// A delimited configuration chosen by one byte.
fn delimited_config(c: u8) -> Delimited {
    let d = match c % 5 {
        0 => Delimited::crlf(),
        1 => Delimited::crlf().allow_bare_lf(),
        2 => Delimited::lf(),
        3 => Delimited::with_delimiter(b"\r\n.\r\n").unwrap_or_else(Delimited::crlf),
        _ => Delimited::with_delimiter(b"ab").unwrap_or_else(Delimited::crlf),
    }
    .max_length(if c & 0x40 != 0 { 8 } else { 512 });
    if c & 0x80 != 0 {
        d.discard_overlong()
    } else {
        d
    }
}

/// Raw bytes through `LengthDelimited`: any split gives the same frames and errors, and every
/// decoded frame re-encodes to bytes that decode to it.
pub fn length_delimited(data: &[u8]) {
    let (Some(&config), Some(&at)) = (data.first(), data.get(1)) else {
        return;
    };
    let input = data.get(2..).unwrap_or_default();
    let whole = feed(&mut length_config(config), &[input]);
    let pieces = feed(&mut length_config(config), &cut(input, &[usize::from(at)]));
    assert_eq!(whole, pieces, "split changed the result");
    for frame in whole.into_iter().flatten() {
        let mut codec = length_config(config);
        let mut buf = BytesMut::new();
        codec
            .encode(&frame, &mut buf)
            .expect("a decoded frame must re-encode");
        assert_eq!(codec.decode(&mut buf), Ok(Some(frame)));
        assert!(buf.is_empty());
    }
}

/// Raw bytes through `Delimited`: split invariance and re-encoding of every line.
pub fn delimited(data: &[u8]) {
    let (Some(&config), Some(&at)) = (data.first(), data.get(1)) else {
        return;
    };
    let input = data.get(2..).unwrap_or_default();
    let whole = split_independent(feed(&mut delimited_config(config), &[input]));
    let pieces = split_independent(feed(
        &mut delimited_config(config),
        &cut(input, &[usize::from(at)]),
    ));
    assert_eq!(whole, pieces, "split changed the result");
    for line in whole.into_iter().flatten() {
        let mut codec = delimited_config(config);
        let mut buf = BytesMut::new();
        // A line that decoded may still not be encodable in a lenient mode (a CR kept before a
        // bare LF); it must then be refused without writing anything.
        match codec.encode(line.clone(), &mut buf) {
            Ok(()) => assert_eq!(codec.decode(&mut buf), Ok(Some(line))),
            Err(_) => assert!(buf.is_empty()),
        }
    }
}

/// The handshake session: our hello from the first 16 bytes, the peer's bytes after; any split
/// gives the same outcome, an agreement lies inside both ranges, and nothing after the peer's
/// hello is lost.
pub fn handshake(data: &[u8]) {
    let Some((ours, rest)) = data.split_first_chunk::<16>() else {
        return;
    };
    let Some((&at, peer)) = rest.split_first() else {
        return;
    };
    let local = Hello::from_bytes(ours);
    let run = |chunks: &[&[u8]]| {
        let mut s = Handshake::new(local);
        let mut outcome = Ok(None);
        for c in chunks {
            s.receive(c);
            // After the first event, later bytes must still land in the remaining buffer, so
            // every chunk is fed; the outcome is the first event.
            if matches!(outcome, Ok(None)) {
                outcome = s.poll_event();
            }
        }
        (outcome, s)
    };
    let (whole, mut s1) = run(&[peer]);
    let (pieces, mut s2) = run(&cut(peer, &[usize::from(at)]));
    assert_eq!(whole, pieces);
    if let Ok(Some(Event::Agreed(a))) = whole {
        let remote = Hello::from_bytes(peer.first_chunk::<16>().expect("agreed on 16 bytes"));
        assert!(local.versions().contains(&a.version) && remote.versions().contains(&a.version));
        assert_eq!(
            a.capabilities & !(local.capabilities & remote.capabilities),
            0
        );
        let after = peer.get(16..).unwrap_or_default();
        assert_eq!(&s1.take_remaining()[..], after);
        assert_eq!(&s2.take_remaining()[..], after);
    }
}

/// A configuration and frames built by `arbitrary`.
#[derive(Debug, Arbitrary)]
struct Frames {
    config: u8,
    frames: Vec<(u8, Vec<u8>, [u8; 1])>,
}

/// Structure-aware roundtrip: every frame the encoder accepts decodes back equal, in order, from
/// the concatenated stream.
pub fn length_delimited_roundtrip(data: &[u8]) {
    let Ok(input) = Frames::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let mut encoder = length_config(input.config);
    let mut wire = BytesMut::new();
    let mut sent = Vec::new();
    for (t, payload, prefix) in input.frames {
        let frame = Frame {
            prefix: if input.config >> 7 == 1 {
                prefix.to_vec().into()
            } else {
                Default::default()
            },
            message_type: (input.config & 48 != 0).then_some(if input.config & 32 != 0 {
                t % 3
            } else {
                t
            }),
            payload: payload.into(),
        };
        let before = wire.len();
        match encoder.encode(&frame, &mut wire) {
            Ok(()) => sent.push(Ok(frame)),
            Err(Error::TooLarge { .. } | Error::Unencodable { .. }) => {
                assert_eq!(wire.len(), before)
            }
            Err(e) => panic!("unexpected encode error {e}"),
        }
    }
    assert_eq!(feed(&mut length_config(input.config), &[&wire]), sent);
}
