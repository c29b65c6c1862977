//! Internationalized names: Punycode (RFC 3492) and the conversion between U-labels and
//! A-labels (RFC 5890 §2.3.2.1, RFC 5891 §4.4 and §5.5): `münchen.de` ↔ `xn--mnchen-3ya.de`.
//!
//! ```
//! use dns_codec::Name;
//!
//! let name = Name::from_unicode("münchen.de")?;
//! assert_eq!(name.to_string(), "xn--mnchen-3ya.de.");
//! assert_eq!(name.to_unicode()?, "münchen.de.");
//! assert_eq!(dns_codec::idna::punycode_encode("bücher")?, "bcher-kva");
//! # Ok::<(), dns_codec::Error>(())
//! ```
//!
//! Scope. This is the IDNA *encoding*, not the whole IDNA2008 / UTS #46 processing:
//! - The only mapping done is lowercasing ASCII letters in labels that hold non-ASCII
//!   characters (so `Bücher` and `bücher` give the same A-label), and the recognition of the
//!   full stops U+3002, U+FF0E and U+FF61 as label separators (RFC 3490 §3.1). Unicode case
//!   folding, NFC normalisation, width mapping and the IDNA2008 validity rules (RFC 5892
//!   code point categories, the Bidi rule of RFC 5893, CONTEXTJ/CONTEXTO) are out of scope:
//!   callers that take names from users should map and validate them first (for instance with
//!   the `idna` crate's UTS #46 processing) and use this for the DNS side. The `idna` crate was
//!   not taken as a dependency because it pulls in the ICU4X normaliser data, far more than a
//!   wire codec needs; Punycode itself is 150 lines.
//! - ASCII labels are passed through unchanged, case included, with the usual `\.` and `\DDD`
//!   escapes (RFC 1035 §5.1).
//! - [`Name::to_unicode`] decodes a label that starts with `xn--` (any case) only when it is a
//!   real A-label: letters, digits and hyphens, Punycode that decodes, holds a non-ASCII
//!   character and encodes back to the same text (RFC 5891 §5.4's round-trip check); other
//!   `xn--` labels are an error, never printed as something they are not.
//!
//! Punycode is quadratic in the length of its input (RFC 3492 §6.3 scans the input once per
//! distinct code point), so both directions refuse inputs over [`MAX_PUNYCODE_INPUT`] code
//! points; a DNS label is at most 63 octets anyway.

use std::fmt::Write as _;

use crate::error::Error;
use crate::name::{MAX_LABEL_LEN, Name};

/// The most code points [`punycode_encode`] and [`punycode_decode`] take: far above any DNS
/// label (63 octets, RFC 1035 §2.3.4), low enough that the quadratic algorithm stays cheap.
pub const MAX_PUNYCODE_INPUT: usize = 1000;

/// The ACE prefix of an A-label (RFC 5890 §2.3.2.1).
pub const ACE_PREFIX: &str = "xn--";

// The Punycode parameters for IDNA (RFC 3492 §5).
const BASE: u32 = 36;
const TMIN: u32 = 1;
const TMAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 0x80;

/// The bias adaptation function (RFC 3492 §6.1).
fn adapt(delta: u32, num_points: u32, first_time: bool) -> u32 {
    let mut delta = if first_time { delta / DAMP } else { delta / 2 };
    delta += delta / num_points.max(1);
    let mut k = 0;
    while delta > ((BASE - TMIN) * TMAX) / 2 {
        delta /= BASE - TMIN;
        k += BASE;
    }
    k + (((BASE - TMIN + 1) * delta) / (delta + SKEW))
}

/// The threshold for digit position `k` (RFC 3492 §6.2 and §6.3: clamped to tmin..=tmax).
fn threshold(k: u32, bias: u32) -> u32 {
    if k <= bias {
        TMIN
    } else if k >= bias + TMAX {
        TMAX
    } else {
        k - bias
    }
}

/// The basic code point for a digit value 0..=35: `a`..`z`, then `0`..`9` (RFC 3492 §5).
fn encode_digit(d: u32) -> char {
    match d {
        0..=25 => char::from(b'a' + d as u8),
        _ => char::from(b'0' + (d.saturating_sub(26)) as u8),
    }
}

/// The digit value of a basic code point, either case (RFC 3492 §5).
fn decode_digit(c: char) -> Option<u32> {
    match c {
        'a'..='z' => Some(c as u32 - 'a' as u32),
        'A'..='Z' => Some(c as u32 - 'A' as u32),
        '0'..='9' => Some(c as u32 - '0' as u32 + 26),
        _ => None,
    }
}

fn overflow() -> Error {
    Error::Syntax {
        offset: 0,
        reason: "Punycode overflow (RFC 3492 §6.4)",
    }
}

/// Encodes a string with Punycode (RFC 3492 §6.3): the basic (ASCII) code points in order,
/// a `-` if there were any, then the deltas of the others. Basic code points keep their case;
/// the digits are written in lowercase.
pub fn punycode_encode(input: &str) -> Result<String, Error> {
    let chars: Vec<u32> = input.chars().map(u32::from).collect();
    if chars.len() > MAX_PUNYCODE_INPUT {
        return Err(Error::Syntax {
            offset: 0,
            reason: "Punycode input over 1000 code points",
        });
    }
    let mut out: String = input.chars().filter(char::is_ascii).collect();
    let basic = u32::try_from(out.len()).map_err(|_| overflow())?;
    let total = u32::try_from(chars.len()).map_err(|_| overflow())?;
    if basic > 0 {
        out.push('-');
    }
    let mut n = INITIAL_N;
    let mut delta: u32 = 0;
    let mut bias = INITIAL_BIAS;
    let mut handled = basic;
    while handled < total {
        // The smallest code point not yet handled.
        let Some(m) = chars.iter().copied().filter(|&c| c >= n).min() else {
            break;
        };
        delta = (m - n)
            .checked_mul(handled + 1)
            .and_then(|d| d.checked_add(delta))
            .ok_or_else(overflow)?;
        n = m;
        for &c in &chars {
            if c < n {
                delta = delta.checked_add(1).ok_or_else(overflow)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    out.push(encode_digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(encode_digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1).ok_or_else(overflow)?;
        n = n.checked_add(1).ok_or_else(overflow)?;
    }
    Ok(out)
}

/// Decodes a Punycode string (RFC 3492 §6.2): everything before the last `-` is copied (it
/// must be ASCII), the rest are deltas in either case. Fails on overflow, on a character that
/// is not a digit, on an input that ends inside a number, and on a result that would be a basic
/// code point, a surrogate or past U+10FFFF.
pub fn punycode_decode(input: &str) -> Result<String, Error> {
    let bad = |offset: usize, reason: &'static str| Error::Syntax {
        offset: offset as u64,
        reason,
    };
    if !input.is_ascii() {
        let at = input.find(|c: char| !c.is_ascii()).unwrap_or(0);
        return Err(bad(at, "Punycode is ASCII only (RFC 3492 §6.2)"));
    }
    if input.len() > MAX_PUNYCODE_INPUT {
        return Err(bad(0, "Punycode input over 1000 code points"));
    }
    let (basic, deltas, deltas_at) = match input.rfind('-') {
        Some(at) => (
            input.get(..at).unwrap_or(""),
            input.get(at + 1..).unwrap_or(""),
            at + 1,
        ),
        None => ("", input, 0),
    };
    let mut out: Vec<char> = basic.chars().collect();
    let mut n = INITIAL_N;
    let mut i: u32 = 0;
    let mut bias = INITIAL_BIAS;
    let mut digits = deltas.chars().enumerate().peekable();
    while digits.peek().is_some() {
        let old_i = i;
        let mut w: u32 = 1;
        let mut k = BASE;
        loop {
            let Some((at, c)) = digits.next() else {
                return Err(bad(input.len(), "Punycode ends inside a number"));
            };
            let digit = decode_digit(c)
                .ok_or_else(|| bad(deltas_at + at, "not a Punycode digit (RFC 3492 §5)"))?;
            i = digit
                .checked_mul(w)
                .and_then(|d| d.checked_add(i))
                .ok_or_else(overflow)?;
            let t = threshold(k, bias);
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t).ok_or_else(overflow)?;
            k += BASE;
        }
        let len = u32::try_from(out.len() + 1).map_err(|_| overflow())?;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len).ok_or_else(overflow)?;
        i %= len;
        if n < INITIAL_N {
            return Err(bad(
                0,
                "Punycode decodes to a basic code point (RFC 3492 §6.2)",
            ));
        }
        let c = char::from_u32(n).ok_or_else(|| bad(0, "Punycode decodes to no character"))?;
        let at = usize::try_from(i).map_err(|_| overflow())?;
        if at > out.len() {
            return Err(overflow());
        }
        out.insert(at, c);
        i += 1;
    }
    Ok(out.into_iter().collect())
}

/// Whether `c` separates labels in Unicode text: `.` and the full stops RFC 3490 §3.1 lists.
fn is_dot(c: char) -> bool {
    matches!(c, '.' | '\u{3002}' | '\u{FF0E}' | '\u{FF61}')
}

/// The A-label of one U-label: ASCII lowercased, Punycode, the `xn--` prefix (RFC 5891 §4.4).
pub fn to_a_label(u_label: &str) -> Result<String, Error> {
    let lower: String = u_label.chars().map(|c| c.to_ascii_lowercase()).collect();
    Ok(format!("{ACE_PREFIX}{}", punycode_encode(&lower)?))
}

/// The U-label of one A-label (`xn--` and Punycode, RFC 5891 §5.5), checked: letters, digits
/// and hyphens only, at least one non-ASCII character in the result, and the result encodes
/// back to the same A-label ignoring ASCII case (RFC 5891 §5.4).
pub fn to_u_label(a_label: &str) -> Result<String, Error> {
    let not_a = |reason| Error::Syntax { offset: 0, reason };
    let (prefix, rest) = (a_label.get(..4), a_label.get(4..));
    let (Some(prefix), Some(rest)) = (prefix, rest) else {
        return Err(not_a("an A-label starts with xn-- (RFC 5890 §2.3.2.1)"));
    };
    if !prefix.eq_ignore_ascii_case(ACE_PREFIX) {
        return Err(not_a("an A-label starts with xn-- (RFC 5890 §2.3.2.1)"));
    }
    if !rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(not_a("an A-label holds letters, digits and hyphens only"));
    }
    let decoded = punycode_decode(rest).map_err(|e| e.shifted(4))?;
    if decoded.is_ascii() {
        return Err(not_a(
            "an A-label decodes to at least one non-ASCII character",
        ));
    }
    if decoded.chars().any(|c| is_dot(c) || c.is_control()) {
        return Err(not_a(
            "an A-label must not decode to a full stop or a control character",
        ));
    }
    let again = punycode_encode(&decoded.to_ascii_lowercase())?;
    if !again.eq_ignore_ascii_case(rest) {
        return Err(not_a(
            "the A-label does not encode back the same (RFC 5891 §5.4)",
        ));
    }
    Ok(decoded)
}

impl Name {
    /// The name for a domain written in Unicode (RFC 5891 §4): each label with a non-ASCII
    /// character becomes its A-label (ASCII lowercased, then Punycode, RFC 3492), ASCII labels
    /// stay as they are and may use the `\.` / `\DDD` escapes of RFC 1035 §5.1. Labels are
    /// separated by `.` or the full stops U+3002, U+FF0E, U+FF61; the name is absolute with or
    /// without a trailing dot. No UTS #46 mapping or IDNA2008 validation is done (see the
    /// [module docs](crate::idna)).
    pub fn from_unicode(text: &str) -> Result<Name, Error> {
        if text == "." {
            return Ok(Name::root());
        }
        // Split into labels, an escaped character staying in its label.
        let mut labels: Vec<(usize, String)> = Vec::new();
        let mut current = String::new();
        let mut start = 0usize;
        let mut chars = text.char_indices();
        let mut ended_with_dot = false;
        while let Some((at, c)) = chars.next() {
            ended_with_dot = false;
            if c == '\\' {
                current.push(c);
                if let Some((_, next)) = chars.next() {
                    current.push(next);
                }
                continue;
            }
            if is_dot(c) {
                labels.push((start, std::mem::take(&mut current)));
                start = at + c.len_utf8();
                ended_with_dot = true;
                continue;
            }
            current.push(c);
        }
        if !ended_with_dot {
            labels.push((start, current));
        }
        let mut wire_labels: Vec<Vec<u8>> = Vec::with_capacity(labels.len());
        for (at, label) in &labels {
            let shift = |e: Error| e.shifted(*at as u64);
            if label.is_empty() {
                return Err(Error::Syntax {
                    offset: *at as u64,
                    reason: "empty label (RFC 1035 §3.1: only the root label is empty)",
                });
            }
            if label.is_ascii() {
                // One label in presentation form: parse it alone (a `\.` stays inside).
                let name: Name = format!("{label}.").parse().map_err(shift)?;
                wire_labels.extend(name.labels().map(<[u8]>::to_vec));
                continue;
            }
            if label.contains('\\') {
                return Err(Error::Syntax {
                    offset: *at as u64,
                    reason: "escapes are for ASCII labels; a U-label is written as it is",
                });
            }
            let a_label = to_a_label(label).map_err(shift)?;
            if a_label.len() > MAX_LABEL_LEN {
                return Err(Error::LabelTooLong {
                    offset: *at as u64,
                    length: a_label.len(),
                });
            }
            wire_labels.push(a_label.into_bytes());
        }
        Name::from_labels(wire_labels.iter().map(Vec::as_slice))
    }

    /// The name written in Unicode (RFC 5891 §5): every A-label as its U-label, every other
    /// label in the presentation form of RFC 1035 §5.1 (escapes and all), absolute with a
    /// trailing dot as [`Name`]'s `Display` writes it. A label that starts with `xn--` but is
    /// not a valid A-label is an error whose offset is the label's in the wire form.
    pub fn to_unicode(&self) -> Result<String, Error> {
        if self.is_root() {
            return Ok(".".to_owned());
        }
        let mut out = String::new();
        let mut offset = 0u64;
        for label in self.labels() {
            let is_ace = label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case(ACE_PREFIX.as_bytes()));
            match std::str::from_utf8(label) {
                Ok(text) if is_ace => {
                    out.push_str(&to_u_label(text).map_err(|e| e.shifted(offset + 1))?);
                    out.push('.');
                }
                _ => {
                    // Written as Name's Display writes it, trailing dot included.
                    let one = Name::from_labels([label])?;
                    let _ = write!(out, "{one}");
                }
            }
            offset += 1 + label.len() as u64;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3492 §7.1, samples (A) to (S).
    const SAMPLES: &[(&str, &str)] = &[
        (
            "\u{644}\u{64A}\u{647}\u{645}\u{627}\u{628}\u{62A}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64A}\u{61F}",
            "egbpdaj6bu4bxfgehfvwxn",
        ),
        (
            "\u{4ED6}\u{4EEC}\u{4E3A}\u{4EC0}\u{4E48}\u{4E0D}\u{8BF4}\u{4E2D}\u{6587}",
            "ihqwcrb4cv8a8dqg056pqjye",
        ),
        (
            "\u{4ED6}\u{5011}\u{7232}\u{4EC0}\u{9EBD}\u{4E0D}\u{8AAA}\u{4E2D}\u{6587}",
            "ihqwctvzc91f659drss3x8bo0yb",
        ),
        (
            "Pro\u{10D}prost\u{11B}nemluv\u{ED}\u{10D}esky",
            "Proprostnemluvesky-uyb24dma41a",
        ),
        (
            "\u{5DC}\u{5DE}\u{5D4}\u{5D4}\u{5DD}\u{5E4}\u{5E9}\u{5D5}\u{5D8}\u{5DC}\u{5D0}\u{5DE}\u{5D3}\u{5D1}\u{5E8}\u{5D9}\u{5DD}\u{5E2}\u{5D1}\u{5E8}\u{5D9}\u{5EA}",
            "4dbcagdahymbxekheh6e0a7fei0b",
        ),
        (
            "\u{92F}\u{939}\u{932}\u{94B}\u{917}\u{939}\u{93F}\u{928}\u{94D}\u{926}\u{940}\u{915}\u{94D}\u{92F}\u{94B}\u{902}\u{928}\u{939}\u{940}\u{902}\u{92C}\u{94B}\u{932}\u{938}\u{915}\u{924}\u{947}\u{939}\u{948}\u{902}",
            "i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd",
        ),
        (
            "\u{306A}\u{305C}\u{307F}\u{3093}\u{306A}\u{65E5}\u{672C}\u{8A9E}\u{3092}\u{8A71}\u{3057}\u{3066}\u{304F}\u{308C}\u{306A}\u{3044}\u{306E}\u{304B}",
            "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa",
        ),
        (
            "\u{C138}\u{ACC4}\u{C758}\u{BAA8}\u{B4E0}\u{C0AC}\u{B78C}\u{B4E4}\u{C774}\u{D55C}\u{AD6D}\u{C5B4}\u{B97C}\u{C774}\u{D574}\u{D55C}\u{B2E4}\u{BA74}\u{C5BC}\u{B9C8}\u{B098}\u{C88B}\u{C744}\u{AE4C}",
            "989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879ccm6fea98c",
        ),
        (
            "\u{43F}\u{43E}\u{447}\u{435}\u{43C}\u{443}\u{436}\u{435}\u{43E}\u{43D}\u{438}\u{43D}\u{435}\u{433}\u{43E}\u{432}\u{43E}\u{440}\u{44F}\u{442}\u{43F}\u{43E}\u{440}\u{443}\u{441}\u{441}\u{43A}\u{438}",
            "b1abfaaepdrnnbgefbadotcwatmq2g4l",
        ),
        (
            "Porqu\u{E9}nopuedensimplementehablarenEspa\u{F1}ol",
            "PorqunopuedensimplementehablarenEspaol-fmd56a",
        ),
        (
            "T\u{1EA1}isaoh\u{1ECD}kh\u{F4}ngth\u{1EC3}ch\u{1EC9}n\u{F3}iti\u{1EBF}ngVi\u{1EC7}t",
            "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g",
        ),
        (
            "3\u{5E74}B\u{7D44}\u{91D1}\u{516B}\u{5148}\u{751F}",
            "3B-ww4c5e180e575a65lsy2b",
        ),
        (
            "\u{5B89}\u{5BA4}\u{5948}\u{7F8E}\u{6075}-with-SUPER-MONKEYS",
            "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n",
        ),
        (
            "Hello-Another-Way-\u{305D}\u{308C}\u{305E}\u{308C}\u{306E}\u{5834}\u{6240}",
            "Hello-Another-Way--fc4qua05auwb3674vfr0b",
        ),
        (
            "\u{3072}\u{3068}\u{3064}\u{5C4B}\u{6839}\u{306E}\u{4E0B}2",
            "2-u9tlzr9756bt3uc0v",
        ),
        (
            "Maji\u{3067}Koi\u{3059}\u{308B}5\u{79D2}\u{524D}",
            "MajiKoi5-783gue6qz075azm5e",
        ),
        (
            "\u{30D1}\u{30D5}\u{30A3}\u{30FC}de\u{30EB}\u{30F3}\u{30D0}",
            "de-jg4avhby1noc0d",
        ),
        (
            "\u{305D}\u{306E}\u{30B9}\u{30D4}\u{30FC}\u{30C9}\u{3067}",
            "d9juau41awczczp",
        ),
        ("-> $1.00 <-", "-> $1.00 <--"),
    ];

    #[test]
    fn rfc3492_section_7_1_samples() {
        for &(decoded, encoded) in SAMPLES {
            assert_eq!(punycode_encode(decoded).unwrap(), encoded, "{decoded}");
            assert_eq!(punycode_decode(encoded).unwrap(), decoded, "{encoded}");
            // Digits in either case decode the same (RFC 3492 §5).
            let upper = encoded.to_ascii_uppercase();
            assert_eq!(
                punycode_decode(&upper).unwrap().to_lowercase(),
                decoded.to_lowercase(),
            );
        }
    }

    #[test]
    fn small_cases() {
        assert_eq!(punycode_encode("").unwrap(), "");
        assert_eq!(punycode_decode("").unwrap(), "");
        assert_eq!(punycode_encode("ü").unwrap(), "tda");
        assert_eq!(punycode_encode("bücher").unwrap(), "bcher-kva");
        assert_eq!(punycode_encode("abc").unwrap(), "abc-");
        assert_eq!(punycode_decode("abc-").unwrap(), "abc");
        assert_eq!(
            punycode_encode("\u{10FFFF}").unwrap(),
            punycode_encode("\u{10FFFF}").unwrap()
        );
        let max = punycode_encode("\u{10FFFF}").unwrap();
        assert_eq!(punycode_decode(&max).unwrap(), "\u{10FFFF}");
    }

    #[test]
    fn bad_punycode() {
        assert!(punycode_decode("ü").is_err()); // not ASCII
        assert!(punycode_decode("a-!").is_err()); // not a digit
        assert!(punycode_decode("99").is_err()); // ends inside a number
        // Overflow: a long run of large digits (RFC 3492 §6.4).
        assert_eq!(punycode_decode("999999999999"), Err(overflow()));
        assert!(punycode_decode("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz").is_err());
        // A surrogate (U+D800, what Python's codec writes as `ib9b`) is no character.
        assert!(punycode_decode("ib9b").is_err());
        assert!(punycode_decode("a-rc4g").is_err());
        // A delta that lands on a basic code point.
        assert!(punycode_decode("a-").is_ok());
        let long = "a".repeat(MAX_PUNYCODE_INPUT + 1);
        assert!(punycode_encode(&long).is_err());
        assert!(punycode_decode(&long).is_err());
        assert_eq!(punycode_decode("-").unwrap(), "");
    }

    #[test]
    fn surrogates_and_basic_results_are_refused() {
        // Every decoded string is valid; exhaustively over short inputs, nothing panics and
        // whatever decodes encodes back.
        let alphabet: Vec<char> = ('a'..='z').chain('0'..='9').chain(['-']).collect();
        for &a in &alphabet {
            for &b in &alphabet {
                for &c in &alphabet {
                    let s: String = [a, b, c].into_iter().collect();
                    if let Ok(d) = punycode_decode(&s) {
                        let e = punycode_encode(&d).unwrap();
                        assert_eq!(punycode_decode(&e).unwrap(), d, "{s}");
                    }
                }
            }
        }
    }

    #[test]
    fn names_to_and_from_unicode() {
        let name = Name::from_unicode("münchen.de").unwrap();
        assert_eq!(name.to_string(), "xn--mnchen-3ya.de.");
        assert_eq!(name.to_unicode().unwrap(), "münchen.de.");
        assert_eq!(Name::from_unicode("münchen.de.").unwrap(), name);
        // ASCII letters of a U-label are lowercased; ASCII labels keep their case.
        // Only ASCII is lowercased: `Ü` stays U+00DC, so this is another name (no UTS #46).
        let upper = Name::from_unicode("MÜnchen.DE").unwrap();
        assert_eq!(upper.to_string(), "xn--mnchen-psa.DE.");
        assert_eq!(upper.to_unicode().unwrap(), "mÜnchen.DE.");
        assert_eq!(
            Name::from_unicode("Bücher.example").unwrap().to_string(),
            "xn--bcher-kva.example."
        );
        // Ideographic full stops separate labels.
        let jp = Name::from_unicode("例え。テスト").unwrap();
        assert_eq!(jp.to_string(), "xn--r8jz45g.xn--zckzah.");
        assert_eq!(jp.to_unicode().unwrap(), "例え.テスト.");
        // Escapes in ASCII labels.
        let esc = Name::from_unicode("a\\.b.ü").unwrap();
        assert_eq!(esc.labels().next(), Some(&b"a.b"[..]));
        assert_eq!(esc.to_unicode().unwrap(), "a\\.b.ü.");
        assert_eq!(Name::from_unicode(".").unwrap(), Name::root());
        assert_eq!(Name::root().to_unicode().unwrap(), ".");
        // An uppercase A-label decodes too.
        let caps: Name = "XN--MNCHEN-3YA.de.".parse().unwrap();
        assert_eq!(caps.to_unicode().unwrap(), "MüNCHEN.de.");
        assert_eq!(Name::from_unicode("MüNCHEN.de.").unwrap(), caps);
    }

    #[test]
    fn unicode_errors() {
        assert!(Name::from_unicode("").is_err());
        assert!(Name::from_unicode("a..ü").is_err());
        assert!(Name::from_unicode("ü\\.x").is_err());
        let long = "ü".repeat(60);
        assert!(matches!(
            Name::from_unicode(&format!("a.{long}")),
            Err(Error::LabelTooLong { offset: 2, .. })
        ));
        // Not A-labels: bad Punycode, pure ASCII result, not round-tripping, odd characters.
        for bad in ["xn--99.de.", "xn--abc-.de.", "xn--.de.", "xn--ab_c.de."] {
            let name: Name = bad.parse().unwrap();
            assert!(name.to_unicode().is_err(), "{bad}");
        }
        let name: Name = "ok.xn--99.".parse().unwrap();
        // The offset is where the Punycode ends, in the wire form.
        assert_eq!(name.to_unicode().unwrap_err().offset(), 10);
        // Non-ACE labels with odd bytes come out in presentation form.
        let odd = Name::from_labels([&b"a b"[..], b"xn"]).unwrap();
        assert_eq!(odd.to_unicode().unwrap(), "a\\032b.xn.");
    }
}
