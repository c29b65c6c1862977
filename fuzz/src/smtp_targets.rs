//! Targets for smtp-codec's command and reply codecs.

use bytes::BytesMut;
use framing::testing::{cut, decode_pieces};
use framing::{Decoder, Encoder};
use smtp_codec::{
    Capabilities, Command, CommandDecoder, CommandEncoder, Error, Leniency, Limits, Reply,
    ReplyDecoder, ReplyEncoder,
};

/// Limits and leniency chosen by one byte: bit 0 normalises bare line ends, bit 1 small limits.
fn config(c: u8) -> (Limits, Leniency) {
    let mut limits = Limits::default();
    if c & 2 != 0 {
        limits.max_command_line = 64;
        limits.max_reply_line = 32;
        limits.max_reply_lines = 4;
    }
    (
        limits,
        Leniency::strict().normalize_bare_line_ends(c & 1 != 0),
    )
}

fn go_on(e: &Error) -> bool {
    !matches!(e, Error::Truncated { .. })
}

/// Raw bytes through the command decoder: any split gives the same commands and errors; every
/// command decoded encodes (under the same limits: encoding never lengthens a line) to a line
/// that decodes to the same command; the borrowed parse (`decode_with` → `CommandRef`) reads the
/// bytes as the owned one does (same commands, same errors).
pub fn smtp_command(data: &[u8]) {
    let (Some(&c), Some(&at)) = (data.first(), data.get(1)) else {
        return;
    };
    let input = data.get(2..).unwrap_or_default();
    let (limits, leniency) = config(c);
    let whole = decode_pieces(&mut CommandDecoder::new(limits, leniency), &[input], go_on);
    let points = [usize::from(at), usize::from(at) * 7];
    let split = decode_pieces(
        &mut CommandDecoder::new(limits, leniency),
        &cut(input, &points),
        go_on,
    );
    assert_eq!(whole, split, "split changed the commands");
    let mut owned = CommandDecoder::new(limits, leniency);
    let mut borrowed = CommandDecoder::new(limits, leniency);
    let (mut a, mut b) = (BytesMut::from(input), BytesMut::from(input));
    loop {
        let o = owned.decode(&mut a);
        let r = borrowed.decode_with(&mut b, |cmd| cmd.to_command());
        assert_eq!(r, o, "CommandRef and Command disagree");
        // Every error consumes the refused line, so this ends.
        if matches!(o, Ok(None)) {
            break;
        }
    }
    let mut enc = CommandEncoder::new(limits);
    for cmd in whole.into_iter().flatten() {
        let mut out = BytesMut::new();
        enc.encode(&cmd, &mut out)
            .expect("a decoded command encodes");
        let again = decode_pieces(
            &mut CommandDecoder::new(limits, Leniency::strict()),
            &[&out],
            go_on,
        );
        assert_eq!(
            again,
            vec![Ok::<Command, Error>(cmd)],
            "decode(encode(c)) != c"
        );
    }
}

/// Raw bytes through the reply decoder: any split gives the same replies and errors; every reply
/// re-encodes to bytes that decode to it; a 250 reply read as capabilities writes back to
/// capabilities equal to it.
pub fn smtp_reply(data: &[u8]) {
    let (Some(&c), Some(&at)) = (data.first(), data.get(1)) else {
        return;
    };
    let input = data.get(2..).unwrap_or_default();
    let (limits, leniency) = config(c);
    let whole = decode_pieces(&mut ReplyDecoder::new(limits, leniency), &[input], go_on);
    let points = [usize::from(at), usize::from(at) * 7];
    let split = decode_pieces(
        &mut ReplyDecoder::new(limits, leniency),
        &cut(input, &points),
        go_on,
    );
    assert_eq!(whole, split, "split changed the replies");
    let mut enc = ReplyEncoder::new(limits);
    for reply in whole.into_iter().flatten() {
        let mut out = BytesMut::new();
        enc.encode(&reply, &mut out)
            .expect("a decoded reply encodes");
        let again = decode_pieces(
            &mut ReplyDecoder::new(limits, Leniency::strict()),
            &[&out],
            go_on,
        );
        assert_eq!(
            again,
            vec![Ok::<Reply, Error>(reply.clone())],
            "decode(encode(r)) != r"
        );
        let _ = reply.enhanced();
        let _ = reply.texts();
        let _ = reply.sasl_challenge();
        if let Ok(caps) = Capabilities::from_ehlo(&reply) {
            let back = caps.to_reply().expect("capabilities write back");
            assert_eq!(Capabilities::from_ehlo(&back).as_ref(), Ok(&caps));
        }
    }
}
