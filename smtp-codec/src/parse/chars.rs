//! Character classes of RFC 5321 §4.1.2 and RFC 5322 §3.2.3 (`atext`), with the UTF-8 of
//! RFC 6531 §3.3 (`UTF8-non-ascii`).

/// Bits of [`CLASSES`]: which classes of RFC 5321 §4.1.2 / §4.1.3 an octet is in.
const LET_DIG: u8 = 1;
const LDH: u8 = 2;
const ATEXT: u8 = 4;
const QTEXT_SMTP: u8 = 8;
const DCONTENT: u8 = 16;
const ESMTP_VALUE: u8 = 32;

/// The classes of octet `b`, as the ABNF states them.
const fn classes_of(b: u8) -> u8 {
    let let_dig = b.is_ascii_alphanumeric();
    let atext = matches!(
        b,
        b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b'!'
            | b'#'..=b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'/'
            | b'='
            | b'?'
            | b'^'..=b'`'
            | b'{'..=b'~'
    );
    (if let_dig { LET_DIG } else { 0 })
        | (if let_dig || b == b'-' { LDH } else { 0 })
        | (if atext { ATEXT } else { 0 })
        | (if matches!(b, 32..=33 | 35..=91 | 93..=126) {
            QTEXT_SMTP
        } else {
            0
        })
        | (if matches!(b, 33..=90 | 94..=126) {
            DCONTENT
        } else {
            0
        })
        | (if matches!(b, 33..=60 | 62..=126) {
            ESMTP_VALUE
        } else {
            0
        })
}

/// [`classes_of`] for every octet, computed at compile time: one load per octet in the
/// grammars' loops instead of a chain of range compares.
static CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        // In bounds: b < 256 (and a const panic would fail the build, not a parse).
        #[allow(clippy::indexing_slicing)]
        {
            table[b] = classes_of(b as u8);
        }
        b += 1;
    }
    table
};

#[inline(always)]
fn is(b: u8, class: u8) -> bool {
    CLASSES.get(usize::from(b)).is_some_and(|c| c & class != 0)
}

/// `Let-dig = ALPHA / DIGIT` (RFC 5321 §4.1.2).
#[inline]
pub(crate) fn is_let_dig(b: u8) -> bool {
    is(b, LET_DIG)
}

/// `Ldh-str` characters: `ALPHA / DIGIT / "-"` (RFC 5321 §4.1.2).
#[inline]
pub(crate) fn is_ldh(b: u8) -> bool {
    is(b, LDH)
}

/// `atext` (RFC 5322 §3.2.3): ALPHA / DIGIT and ``!#$%&'*+-/=?^_`{|}~``.
#[inline]
pub(crate) fn is_atext(b: u8) -> bool {
    is(b, ATEXT)
}

/// `qtextSMTP = %d32-33 / %d35-91 / %d93-126` (RFC 5321 §4.1.2).
#[inline]
pub(crate) fn is_qtext_smtp(b: u8) -> bool {
    is(b, QTEXT_SMTP)
}

/// `dcontent = %d33-90 / %d94-126` (RFC 5321 §4.1.3).
#[inline]
pub(crate) fn is_dcontent(b: u8) -> bool {
    is(b, DCONTENT)
}

/// `esmtp-value` characters: `%d33-60 / %d62-126` (RFC 5321 §4.1.2).
#[inline]
pub(crate) fn is_esmtp_value_char(b: u8) -> bool {
    is(b, ESMTP_VALUE)
}

/// The length of the longest prefix of `input` made of octets for which `class` holds and of
/// whole UTF-8 characters (`UTF8-non-ascii`, RFC 6531 §3.3, which extends atext, the letters of
/// a U-label and esmtp-value alike): the ASCII runs go at one table load per octet, with no
/// re-slicing per octet.
#[inline]
pub(crate) fn run_with_utf8(input: &[u8], class: impl Fn(u8) -> bool) -> usize {
    let mut i = 0;
    loop {
        let rest = input.get(i..).unwrap_or_default();
        i += rest.iter().position(|&b| !class(b)).unwrap_or(rest.len());
        match utf8_non_ascii(input.get(i..).unwrap_or_default()) {
            Some(n) => i += n,
            None => return i,
        }
    }
}

/// Whether `word` is `upper` in any letter case, for words of letters, digits and hyphens
/// (verbs, keywords, keyword values) and input checked to be `esmtp-value` octets (RFC 5321
/// §4.1.2, no control octet): clearing bit 5 folds a letter to upper case, and among such
/// octets only the letter's two cases fold to a letter, a digit or a hyphen. The length is a
/// constant, so the compare is a few wide loads rather than a loop per octet.
#[inline(always)]
pub(crate) fn folded_is<const N: usize>(word: &[u8], upper: &[u8; N]) -> bool {
    match <&[u8; N]>::try_from(word) {
        Ok(w) => w.iter().zip(upper).all(|(a, b)| a & !0x20 == b & !0x20),
        Err(_) => false,
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether an octet of `x` is zero (the classic bit trick: exact as a yes/no answer).
#[inline(always)]
fn has_zero(x: u64) -> bool {
    x.wrapping_sub(ONES) & !x & HIGHS != 0
}

/// Whether all eight octets of `x` are `esmtp-value` ASCII, `%d33-60 / %d62-126`
/// (RFC 5321 §4.1.2), and, if `no_plus`, none is `+` (then they are `xchar`, RFC 3461 §4).
/// A carry out of an octet only ever starts at an octet already found bad, so the answer is
/// exact.
#[inline(always)]
fn all_value_chars(x: u64, no_plus: bool) -> bool {
    // An octet under 33.
    let low = x.wrapping_sub(ONES * 33) & !x & HIGHS;
    // An octet over 126 (127 + 1 sets bit 7; 128 and over have it).
    let high = (x.wrapping_add(ONES) | x) & HIGHS;
    let eq = has_zero(x ^ (ONES * u64::from(b'=')));
    let plus = no_plus && has_zero(x ^ (ONES * u64::from(b'+')));
    low == 0 && high == 0 && !eq && !plus
}

/// The length of the longest prefix of `input` made of `esmtp-value` ASCII octets (RFC 5321
/// §4.1.2), but for `+` if `no_plus` (`xchar`, RFC 3461 §4): eight octets at a time, then one at
/// a time. Values are the longest runs of a command line; this reads them at a fraction of a
/// table load per octet.
#[inline]
pub(crate) fn value_ascii_run(input: &[u8], no_plus: bool) -> usize {
    let mut i = 0;
    for chunk in input.chunks_exact(8) {
        let Ok(eight) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        if !all_value_chars(u64::from_le_bytes(eight), no_plus) {
            break;
        }
        i += 8;
    }
    let rest = input.get(i..).unwrap_or_default();
    i + rest
        .iter()
        .position(|&b| !is_esmtp_value_char(b) || (no_plus && b == b'+'))
        .unwrap_or(rest.len())
}

/// The length of the UTF-8 character of RFC 6531 §3.3 (`UTF8-non-ascii`, RFC 3629 §4) at the
/// start of `input`, or `None` if `input` does not start with one.
pub(crate) fn utf8_non_ascii(input: &[u8]) -> Option<usize> {
    let first = *input.first()?;
    let len = match first {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    let bytes = input.get(..len)?;
    std::str::from_utf8(bytes).ok().map(|_| len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table says what the ABNF says, for every octet.
    #[test]
    fn table_is_the_abnf() {
        for b in 0..=255u8 {
            assert_eq!(is_let_dig(b), b.is_ascii_alphanumeric(), "{b}");
            assert_eq!(is_ldh(b), b.is_ascii_alphanumeric() || b == b'-', "{b}");
            assert_eq!(
                is_atext(b),
                b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b),
                "{b}"
            );
            assert_eq!(
                is_qtext_smtp(b),
                matches!(b, 32..=33 | 35..=91 | 93..=126),
                "{b}"
            );
            assert_eq!(is_dcontent(b), matches!(b, 33..=90 | 94..=126), "{b}");
            assert_eq!(
                is_esmtp_value_char(b),
                matches!(b, 33..=60 | 62..=126),
                "{b}"
            );
        }
        let s = "ab.c".as_bytes();
        assert_eq!(run_with_utf8(s, is_atext), 2);
        assert_eq!(run_with_utf8("aé€b c".as_bytes(), is_atext), 7);
        assert_eq!(run_with_utf8(b"a\xc3", is_atext), 1);
    }

    proptest::proptest! {
        /// Eight at a time and one at a time agree, for every octet in every place.
        #[test]
        fn value_run_is_the_class(b in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
                                  fill in proptest::collection::vec(33u8..=126, 0..24),
                                  no_plus: bool) {
            for input in [b.clone(), [fill.clone(), b.clone()].concat()] {
                let slow = input
                    .iter()
                    .position(|&c| !is_esmtp_value_char(c) || (no_plus && c == b'+'))
                    .unwrap_or(input.len());
                proptest::prop_assert_eq!(value_ascii_run(&input, no_plus), slow);
            }
        }
    }

    /// The fold is the letter-case rule on every octet an esmtp-value or keyword may hold.
    #[test]
    fn folded_is_eq_ignore_ascii_case() {
        let words: [&[u8; 4]; 4] = [b"SIZE", b"7BIT", b"MT-P", b"8BIT"];
        for w in words {
            for b in (33u8..=126).chain(128..=255) {
                for at in 0..4 {
                    let mut x = *w;
                    x[at] = b;
                    assert_eq!(folded_is(&x, w), x.eq_ignore_ascii_case(w), "{x:?} {w:?}");
                }
            }
            assert!(!folded_is(&w[..3], w));
        }
    }

    #[test]
    fn value_run_edges() {
        for bad in [0u8, 32, b'=', 127, 128, 255] {
            for at in 0..17 {
                let mut v = vec![b'a'; 20];
                v[at] = bad;
                assert_eq!(value_ascii_run(&v, false), at, "{bad} at {at}");
            }
        }
        let mut v = vec![b'~'; 20];
        v[9] = b'+';
        assert_eq!(value_ascii_run(&v, true), 9);
        assert_eq!(value_ascii_run(&v, false), 20);
        assert_eq!(value_ascii_run(&[b'!'; 16], false), 16);
    }

    #[test]
    fn classes() {
        assert!(is_atext(b'+') && !is_atext(b'@') && !is_atext(b' ') && !is_atext(0));
        assert!(is_qtext_smtp(b' ') && !is_qtext_smtp(b'"') && !is_qtext_smtp(b'\\'));
        assert!(is_dcontent(b'a') && !is_dcontent(b'[') && !is_dcontent(b']'));
        assert!(!is_esmtp_value_char(b'=') && !is_esmtp_value_char(b' '));
        assert!(is_ldh(b'-') && !is_let_dig(b'-'));
    }

    #[test]
    fn utf8_characters() {
        assert_eq!(utf8_non_ascii("é".as_bytes()), Some(2));
        assert_eq!(utf8_non_ascii("€x".as_bytes()), Some(3));
        assert_eq!(utf8_non_ascii("😀".as_bytes()), Some(4));
        assert_eq!(utf8_non_ascii(b"a"), None);
        assert_eq!(utf8_non_ascii(b"\xc3"), None);
        assert_eq!(utf8_non_ascii(b"\xc0\x80"), None);
        assert_eq!(utf8_non_ascii(b"\xed\xa0\x80"), None);
    }
}
