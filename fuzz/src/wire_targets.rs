//! Targets for the `wire` command's JSON side (`docs/wire-json.md`).

use serde_json::Value;
use wire::proto::Role;

/// The protocols, as `wire encode <PROTO>` with no option but `length --width 4`.
const PROTOCOLS: [&str; 4] = ["length", "lines", "handshake", "http1"];

/// The JSON objects of `text`'s non-blank lines, as `wire encode` reads them (`None` if a line
/// is not a JSON text).
fn objects<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<Vec<Value>> {
    lines
        .into_iter()
        .filter(|l| !l.trim_matches([' ', '\t', '\r']).is_empty())
        .map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// An http1 message object as the decoder prints it, from one that encoded.
///
/// The decoder's normalisation, applied to both sides: a field value loses its leading and
/// trailing whitespace (RFC 9112 §5.1 OWS; the contract says so). `Headers::append` already
/// refuses such values, so this is a no-op unless that changes; it is kept so that a value the
/// encoder accepts with OWS around it is judged by the contract, not by the encoder's strictness.
fn normalise_http1(mut v: Value) -> Value {
    for key in ["headers", "trailers"] {
        if let Some(Value::Array(fields)) = v.get_mut(key) {
            for field in fields {
                if let Some(Value::String(value)) = field.get_mut(1) {
                    let trimmed = value.trim_matches([' ', '\t']);
                    if trimmed.len() != value.len() {
                        *value = trimmed.to_string();
                    }
                }
            }
        }
    }
    v
}

/// `dns` (bit 0 clear) or `dns-tcp`: whatever `wire encode` accepts decodes (no error) to as
/// many objects, each the same message as its input object (`wire::dns::from_json` of both
/// equal, names byte for byte), and the decoded objects encode to the same bytes again. The
/// JSON text itself may differ: `TYPE1` comes back as `A`, a name without its final dot with
/// it, rdata in its canonical presentation form.
fn wire_json_dns(c: u8, input: &[u8]) {
    let name = if c & 1 == 0 { "dns" } else { "dns-tcp" };
    let Some(protocol) = wire::protocol(name) else {
        panic!("{name} is a protocol of wire");
    };
    let Ok(bytes) = wire::encode_lines(&*protocol, Role::Client, input) else {
        return;
    };
    let (lines, error) = wire::decode_bytes(&*protocol, Role::Client, &bytes);
    assert_eq!(error, None, "{name}: encoded bytes {bytes:?} do not decode");
    let text = std::str::from_utf8(input).unwrap_or_default();
    let sent = objects(text.split('\n')).unwrap_or_default();
    let Some(got) = objects(lines.iter().map(String::as_str)) else {
        panic!("{name}: decode printed a line that is not JSON: {lines:?}");
    };
    assert_eq!(got.len(), sent.len(), "{name}: objects");
    for (g, s) in got.iter().zip(&sent) {
        let g_msg = wire::dns::from_json(g.clone()).unwrap_or_else(|e| panic!("{g}: {e}"));
        let s_msg = wire::dns::from_json(s.clone()).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(g_msg, s_msg, "{name}: decode(encode(x)) != x");
        assert_eq!(
            format!("{g_msg:?}"),
            format!("{s_msg:?}"),
            "{name}: bytes of names"
        );
    }
    let again = wire::encode_lines(&*protocol, Role::Client, lines.join("\n").as_bytes())
        .unwrap_or_else(|e| panic!("{name}: decoded objects do not encode: {e}"));
    assert_eq!(
        again, bytes,
        "{name}: decoded objects encode to other bytes"
    );
}

/// `pop3` (bit 2 clear: `--role server`; set: `--role client`, the input's first line is the
/// value of `--answers`, given to both `encode` and `decode`): whatever encodes decodes back (no
/// error) to objects equal to the input's.
fn wire_json_pop3(c: u8, input: &[u8]) {
    let (role, answers, input) = if c & 4 == 0 {
        (Role::Server, Vec::new(), input)
    } else {
        let split = input
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(input.len());
        let (first, rest) = input.split_at(split);
        let Ok(first) = std::str::from_utf8(first) else {
            return;
        };
        let answers: Result<Vec<_>, _> = if first.is_empty() {
            Ok(Vec::new())
        } else {
            first.split(',').map(wire::pop3::Answer::parse).collect()
        };
        let Ok(answers) = answers else {
            return;
        };
        (Role::Client, answers, rest)
    };
    let protocol = wire::pop3::Pop3 { answers };
    let Ok(bytes) = wire::encode_lines(&protocol, role, input) else {
        return;
    };
    let (lines, error) = wire::decode_bytes(&protocol, role, &bytes);
    assert_eq!(error, None, "pop3: encoded bytes {bytes:?} do not decode");
    let text = std::str::from_utf8(input).unwrap_or_default();
    let sent = objects(text.split('\n')).unwrap_or_default();
    let Some(got) = objects(lines.iter().map(String::as_str)) else {
        panic!("pop3: decode printed a line that is not JSON: {lines:?}");
    };
    assert_eq!(got, sent, "pop3: decode(encode(x)) != x");
}

/// `h2` (bit 0 clear; bit 2 the role) or `hpack` (bit 0 set, a 4096-octet table): whatever
/// encodes decodes back (no error) to objects equal to the input's.
fn wire_json_h2(c: u8, input: &[u8]) {
    let name = if c & 1 == 0 { "h2" } else { "hpack" };
    let role = if c & 4 == 0 {
        Role::Server
    } else {
        Role::Client
    };
    let Some(protocol) = wire::protocol(name) else {
        panic!("{name} is a protocol of wire");
    };
    let Ok(bytes) = wire::encode_lines(&*protocol, role, input) else {
        return;
    };
    let (lines, error) = wire::decode_bytes(&*protocol, role, &bytes);
    assert_eq!(error, None, "{name}: encoded bytes {bytes:?} do not decode");
    let text = std::str::from_utf8(input).unwrap_or_default();
    let sent = objects(text.split('\n')).unwrap_or_default();
    let Some(got) = objects(lines.iter().map(String::as_str)) else {
        panic!("{name}: decode printed a line that is not JSON: {lines:?}");
    };
    assert_eq!(got, sent, "{name}: decode(encode(x)) != x");
}

/// JSON Lines through `wire encode`, for a protocol and role chosen by the first byte (bit 3
/// set: the DNS protocols, see [`wire_json_dns`]; else bit 5 set: `pop3`, see
/// [`wire_json_pop3`]; else bit 6 set: `h2` or `hpack`, see [`wire_json_h2`]; else bit 4 set: `smtp`; else one of [`PROTOCOLS`]; bit 2: the role):
/// never panics, and whatever encodes decodes back (`wire decode`, no error) to objects equal to
/// the input's, in order, as the contract promises.
pub fn wire_json(data: &[u8]) {
    let Some((&c, input)) = data.split_first() else {
        return;
    };
    if c & 8 != 0 {
        return wire_json_dns(c, input);
    }
    if c & 32 != 0 {
        return wire_json_pop3(c, input);
    }
    if c & 64 != 0 {
        return wire_json_h2(c, input);
    }
    let name = if c & 16 != 0 {
        "smtp"
    } else {
        PROTOCOLS
            .get(usize::from(c % 4))
            .copied()
            .unwrap_or("lines")
    };
    let role = if c & 4 == 0 {
        Role::Server
    } else {
        Role::Client
    };
    let Some(protocol) = wire::protocol(name) else {
        panic!("{name} is a protocol of wire");
    };
    let Ok(bytes) = wire::encode_lines(&*protocol, role, input) else {
        return;
    };
    let (lines, error) = wire::decode_bytes(&*protocol, role, &bytes);
    assert_eq!(error, None, "{name}: encoded bytes {bytes:?} do not decode");
    // Input that encoded is UTF-8 JSON Lines.
    let text = std::str::from_utf8(input).unwrap_or_default();
    let sent = objects(text.split('\n')).unwrap_or_default();
    let Some(got) = objects(lines.iter().map(String::as_str)) else {
        panic!("{name}: decode printed a line that is not JSON: {lines:?}");
    };
    if name == "http1" {
        let sent: Vec<Value> = sent.into_iter().map(normalise_http1).collect();
        let got: Vec<Value> = got.into_iter().map(normalise_http1).collect();
        assert_eq!(got, sent, "{name}: decode(encode(x)) != x");
    } else {
        assert_eq!(got, sent, "{name}: decode(encode(x)) != x");
    }
}
