//! Targets for pop3-codec's command and response codecs.

use bytes::BytesMut;
use framing::testing::{cut, decode_pieces};
use framing::{Decoder, Encoder};
use pop3_codec::{
    AuthResponse, Capabilities, Challenge, Command, CommandDecoder, CommandEncoder, Error, Expect,
    Leniency, Limits, Mechanism, Response, ResponseDecoder, ResponseEncoder, ResponseEvent,
};

/// The limits of one configuration: the defaults, or small ones that the fuzzer's inputs cross.
fn limits(small: bool) -> Limits {
    let mut limits = Limits::default();
    if small {
        limits.max_command_line = 24;
        limits.max_argument = 6;
        limits.max_auth_line = 16;
        limits.max_response_line = 32;
        limits.max_content_line = Some(16);
        limits.max_multiline_size = 64;
    }
    limits
}

/// Limits nothing decoded crosses: for writing back what was decoded (the encoders normalise
/// a line, `+OK [X]y` is written `+OK [X] y`, so a line at a limit may come back one longer).
fn lifted() -> Limits {
    Limits {
        max_command_line: 1 << 20,
        max_argument: 1 << 20,
        max_auth_line: 1 << 20,
        max_response_line: 1 << 20,
        max_content_line: None,
        max_multiline_size: u64::MAX,
    }
}

fn go_on(e: &Error) -> bool {
    !matches!(e, Error::Truncated { .. })
}

/// What the server side reads: a command, or the line that answers a `+` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ClientItem {
    Command(Command),
    Auth(AuthResponse),
}

/// A command decoder that, when `auth` is on, reads the line after each `AUTH mechanism`
/// without an initial response as the answer to a challenge (as a server does).
struct ClientLines {
    decoder: CommandDecoder,
    auth: bool,
    auth_next: bool,
}

impl ClientLines {
    fn new(limits: Limits, leniency: Leniency, utf8: bool, auth: bool) -> ClientLines {
        let mut decoder = CommandDecoder::new(limits, leniency);
        decoder.set_utf8(utf8);
        ClientLines {
            decoder,
            auth,
            auth_next: false,
        }
    }

    fn next(&mut self, src: &mut BytesMut, eof: bool) -> Result<Option<ClientItem>, Error> {
        if self.auth_next {
            match self.decoder.decode_auth_response(src) {
                Ok(None) if !eof => return Ok(None),
                // At the end of input without a whole line: the command decoder's end.
                Ok(None) => self.auth_next = false,
                r => {
                    self.auth_next = false;
                    return r.map(|a| a.map(ClientItem::Auth));
                }
            }
        }
        let before = self.decoder.position();
        let r = match eof {
            true => self.decoder.decode_eof(src),
            false => self.decoder.decode(src),
        };
        assert!(self.decoder.position() >= before, "position went back");
        let command = r?;
        if let Some(Command::Auth {
            mechanism: Some(_),
            initial: None,
        }) = &command
        {
            self.auth_next = self.auth;
        }
        Ok(command.map(ClientItem::Command))
    }
}

impl Decoder for ClientLines {
    type Item = ClientItem;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<ClientItem>, Error> {
        self.next(src, false)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<ClientItem>, Error> {
        self.next(src, true)
    }
}

/// No CR, LF or NUL in a value that goes on a command line: it could end the line or start a
/// second command.
fn one_line(text: &str) {
    assert!(
        !text.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)),
        "CR, LF or NUL in {text:?}"
    );
}

/// Client bytes through the command decoder. The first byte picks the configuration (bit 0
/// normalises bare line ends, bit 1 UTF8 is on, bit 2 small limits, bit 3 the line after
/// `AUTH mechanism` is read as a challenge's answer), the second a cut point; the rest is the
/// input.
///
/// - the same commands and errors whole, byte by byte and cut at two points;
/// - every command (and challenge answer) decoded encodes, under the same limits, to a line that
///   decodes strictly to the same value;
/// - no argument holds CR, LF or NUL;
/// - every refused line is consumed: after the input and a CRLF, `NOOP` decodes.
pub fn pop3_command(data: &[u8]) {
    let [c, at, input @ ..] = data else {
        return;
    };
    let leniency = Leniency::strict().normalize_bare_line_ends(c & 1 != 0);
    let utf8 = c & 2 != 0;
    let limits = limits(c & 4 != 0);
    let auth = c & 8 != 0;
    let make = || ClientLines::new(limits, leniency, utf8, auth);

    let whole = decode_pieces(&mut make(), &[input], go_on);
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(
        decode_pieces(&mut make(), &bytes, go_on),
        whole,
        "byte by byte changed the commands"
    );
    let points = [usize::from(*at), usize::from(*at) * 7];
    assert_eq!(
        decode_pieces(&mut make(), &cut(input, &points), go_on),
        whole,
        "a split changed the commands"
    );

    let mut encoder = CommandEncoder::new(limits);
    for item in whole.iter().flatten() {
        let mut out = BytesMut::new();
        match item {
            ClientItem::Command(command) => {
                command.args().iter().for_each(|a| one_line(a));
                let line = command.to_line().expect("a decoded command writes");
                one_line(&line);
                encoder
                    .encode(command, &mut out)
                    .expect("a decoded command encodes");
                let mut back = CommandDecoder::new(limits, Leniency::strict());
                back.set_utf8(utf8);
                assert_eq!(
                    decode_pieces(&mut back, &[&out], go_on),
                    vec![Ok(command.clone())],
                    "decode(encode(c)) != c"
                );
            }
            ClientItem::Auth(response) => {
                one_line(response.line().expect("a decoded AUTH answer writes"));
                encoder
                    .encode(response, &mut out)
                    .expect("a decoded AUTH answer encodes");
                let mut back = CommandDecoder::new(limits, Leniency::strict());
                let mut buf = out;
                assert_eq!(
                    back.decode_auth_response(&mut buf),
                    Ok(Some(response.clone())),
                    "decode(encode(a)) != a"
                );
                assert!(buf.is_empty());
            }
        }
    }

    // Every refused line was consumed: what follows the input's last line decodes.
    let mut more = input.to_vec();
    more.extend_from_slice(b"\r\nNOOP\r\n");
    let goes_on = decode_pieces(&mut make_plain(limits, leniency, utf8), &[&more], go_on);
    assert_eq!(
        goes_on.last(),
        Some(&Ok(ClientItem::Command(Command::Noop))),
        "decoding did not go on after the input: {goes_on:?}"
    );
}

fn make_plain(limits: Limits, leniency: Leniency, utf8: bool) -> ClientLines {
    ClientLines::new(limits, leniency, utf8, false)
}

/// One thing a response decoder gave; `Data` pieces joined, since how the content is cut
/// depends on how the input arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    /// A status line, and the stream position after it.
    Status(Response, u64),
    /// A challenge, and the position after it.
    Challenge(Challenge, u64),
    /// Multi-line content.
    Content(Vec<u8>),
    /// The terminator, and the position after it.
    End(u64),
    Error(Error),
}

/// What a response decoder expects, told before any byte is read.
#[derive(Debug, Clone, Copy)]
enum Answer {
    As(Expect),
    To(fn() -> Command),
}

fn auth_plain() -> Command {
    Command::Auth {
        mechanism: Mechanism::new("PLAIN").ok(),
        initial: None,
    }
}

const ANSWERS: [Answer; 16] = [
    Answer::As(Expect::SingleLine),
    Answer::As(Expect::MultiLine),
    Answer::As(Expect::Auth),
    Answer::To(|| Command::Retr(1)),
    Answer::To(|| Command::Capa),
    Answer::To(|| Command::List(None)),
    Answer::To(|| Command::Uidl(None)),
    Answer::To(|| Command::Top { msg: 1, lines: 0 }),
    Answer::To(|| Command::Stat),
    Answer::To(|| Command::List(Some(1))),
    Answer::To(|| Command::Uidl(Some(1))),
    Answer::To(auth_plain),
    Answer::To(|| Command::Auth {
        mechanism: None,
        initial: None,
    }),
    Answer::To(|| Command::Lang(None)),
    Answer::To(|| Command::Stls),
    Answer::To(|| Command::Quit),
];

fn response_decoder(limits: Limits, leniency: Leniency, answers: &[Answer]) -> ResponseDecoder {
    let mut decoder = ResponseDecoder::new(limits, leniency);
    for answer in answers {
        match answer {
            Answer::As(expect) => decoder.expect_as(*expect),
            Answer::To(command) => decoder.expect(&command()),
        }
    }
    decoder
}

/// Feeds `pieces` to `decoder` (`decode_eof` on the last), until the end or a `Truncated`;
/// checks that positions never go back and count every byte consumed, and that error offsets
/// never go back.
fn responses(mut decoder: ResponseDecoder, pieces: &[&[u8]]) -> Vec<Seen> {
    let mut buf = BytesMut::new();
    let mut out: Vec<Seen> = Vec::new();
    let mut fed = 0u64;
    let mut last_error = 0u64;
    let empty: &[&[u8]] = &[b""];
    let pieces = if pieces.is_empty() { empty } else { pieces };
    let last = pieces.len() - 1;
    let mut content_start = None;
    for (i, piece) in pieces.iter().enumerate() {
        buf.extend_from_slice(piece);
        fed += piece.len() as u64;
        loop {
            let before = decoder.position();
            let r = match i == last {
                true => decoder.decode_eof(&mut buf),
                false => decoder.decode(&mut buf),
            };
            let position = decoder.position();
            assert!(position >= before, "position went back");
            assert_eq!(
                position + buf.len() as u64,
                fed,
                "position is not the bytes read"
            );
            match r {
                Ok(Some(ResponseEvent::Status(s))) => {
                    assert!(content_start.is_none());
                    if decoder.in_content() {
                        content_start = Some(position);
                    }
                    out.push(Seen::Status(s, position));
                }
                Ok(Some(ResponseEvent::Challenge(c))) => out.push(Seen::Challenge(c, position)),
                Ok(Some(ResponseEvent::Data(d))) => {
                    assert!(!d.is_empty(), "empty Data");
                    assert!(
                        content_start.is_some(),
                        "Data outside a multi-line response"
                    );
                    match out.last_mut() {
                        Some(Seen::Content(c)) => c.extend_from_slice(&d),
                        _ => out.push(Seen::Content(d.to_vec())),
                    }
                }
                Ok(Some(ResponseEvent::End)) => {
                    assert!(
                        content_start.take().is_some(),
                        "End outside a multi-line response"
                    );
                    assert!(!decoder.in_content());
                    out.push(Seen::End(position));
                }
                Ok(None) => break,
                Err(e) => {
                    let offset = e.offset().expect("a decoder's error has an offset");
                    assert!(offset >= last_error, "error offsets went back: {e:?}");
                    assert!(offset <= position, "error past the bytes read: {e:?}");
                    last_error = offset;
                    let stop = !go_on(&e);
                    if stop {
                        content_start = None;
                    }
                    out.push(Seen::Error(e));
                    if stop {
                        assert!(buf.is_empty(), "bytes left after Truncated");
                        return out;
                    }
                }
            }
        }
    }
    assert!(buf.is_empty(), "bytes left at the end: {buf:?}");
    out
}

/// `response` written and read back as the answer `expect`.
fn reread(bytes: &[u8], expect: Expect) -> Vec<Seen> {
    let mut decoder = ResponseDecoder::new(lifted(), Leniency::strict());
    decoder.expect_as(expect);
    responses(decoder, &[bytes])
}

/// Server bytes through the response decoder. The first byte picks the configuration (bit 0
/// normalises bare line ends, bit 1 small limits), the second a piece size, the third a cut
/// point, the fourth how many answers are expected (low nibble), each picked by one of the
/// bytes that follow from [`ANSWERS`]; the rest is the input.
///
/// - the same statuses, challenges, contents (pieces joined), ends, errors and positions whole,
///   byte by byte, in pieces of the size picked, and cut at two points;
/// - positions never go back and count every byte consumed; error offsets never go back;
/// - a multi-line response ends only right after `CRLF.CRLF` (or `.CRLF` as its first line),
///   its content is empty or ends in CRLF, and that content, stuffed again with
///   `ResponseEncoder::encode_multiline`, reads back strictly to the same status and content;
/// - status lines and challenges written back with `ResponseEncoder` read back equal;
/// - every content read as CAPA (`Capabilities::decode`) never panics, and when it parses,
///   written back with `to_content` parses equal.
pub fn pop3_response(data: &[u8]) {
    let [c, size, at, n, rest @ ..] = data else {
        return;
    };
    let count = usize::from(n & 15).min(rest.len());
    let (picks, input) = rest.split_at(count);
    let answers: Vec<Answer> = picks
        .iter()
        .filter_map(|p| ANSWERS.get(usize::from(p % 16)).copied())
        .collect();
    let leniency = Leniency::strict().normalize_bare_line_ends(c & 1 != 0);
    let limits = limits(c & 2 != 0);
    let make = || response_decoder(limits, leniency, &answers);

    let whole = responses(make(), &[input]);
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(responses(make(), &bytes), whole, "byte by byte");
    let size = usize::from(*size).max(1);
    let sized: Vec<&[u8]> = input.chunks(size).collect();
    assert_eq!(responses(make(), &sized), whole, "pieces of {size}");
    let points = [usize::from(*at), usize::from(*at) * 13];
    assert_eq!(responses(make(), &cut(input, &points)), whole, "cut");

    let mut encoder = ResponseEncoder::new(lifted());
    let mut status: Option<(&Response, u64)> = None;
    let mut content: Vec<u8> = Vec::new();
    let mut clean = true;
    for seen in &whole {
        match seen {
            Seen::Status(response, position) => {
                let _ = response.timestamp();
                let mut out = BytesMut::new();
                encoder
                    .encode(response, &mut out)
                    .expect("a decoded status line encodes");
                assert_eq!(
                    reread(&out, Expect::SingleLine),
                    vec![Seen::Status(response.clone(), out.len() as u64)],
                    "decode(encode(status)) != status"
                );
                status = Some((response, *position));
                content.clear();
                clean = true;
            }
            Seen::Challenge(challenge, _) => {
                let _ = challenge.decode();
                let mut out = BytesMut::new();
                encoder
                    .encode(challenge, &mut out)
                    .expect("a decoded challenge encodes");
                assert_eq!(
                    reread(&out, Expect::Auth),
                    vec![Seen::Challenge(challenge.clone(), out.len() as u64)],
                    "decode(encode(challenge)) != challenge"
                );
            }
            Seen::Content(piece) => content.extend_from_slice(piece),
            Seen::Error(_) => clean = false,
            Seen::End(end) => {
                let (response, start) = status.take().expect("End after a status");
                let start = usize::try_from(start).unwrap_or(usize::MAX);
                let end = usize::try_from(*end).unwrap_or(usize::MAX);
                let read = input.get(..end).unwrap_or_default();
                assert!(
                    read.ends_with(b"\r\n.\r\n") || (end == start + 3 && read.ends_with(b".\r\n")),
                    "a multi-line response ended after {:?}",
                    input.get(start..end)
                );
                if !clean {
                    continue;
                }
                assert!(
                    content.is_empty() || content.ends_with(b"\r\n"),
                    "content without its last CRLF"
                );
                let mut out = BytesMut::new();
                encoder
                    .encode_multiline(response, &content, &mut out)
                    .expect("a decoded multi-line response encodes");
                let mut expected = vec![Seen::Status(response.clone(), 0)];
                if !content.is_empty() {
                    expected.push(Seen::Content(content.clone()));
                }
                expected.push(Seen::End(out.len() as u64));
                let mut back = reread(&out, Expect::MultiLine);
                if let Some(Seen::Status(_, p)) = back.first_mut() {
                    *p = 0;
                }
                assert_eq!(
                    back, expected,
                    "stuffed again, the content reads back changed"
                );
                capa(&content);
            }
        }
    }
}

/// `content` read as a CAPA listing: written back, it reads back equal.
fn capa(content: &[u8]) {
    let Ok(caps) = Capabilities::decode(content, 0) else {
        return;
    };
    let _ = caps.sasl();
    let written = caps.to_content();
    assert_eq!(
        Capabilities::decode(written.as_bytes(), 0).as_ref(),
        Ok(&caps),
        "CAPA written back as {written:?}"
    );
}
