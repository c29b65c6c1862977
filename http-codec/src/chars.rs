//! Character classes of the HTTP grammars, as 256-entry tables so the hot loops cost one load per
//! byte.
//!
//! ```text
//! tchar   = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|"
//!         / "~" / DIGIT / ALPHA                                       ; RFC 9110 §5.6.2
//! pchar   = unreserved / pct-encoded / sub-delims / ":" / "@"         ; RFC 3986 §3.3
//! query   = *( pchar / "/" / "?" )                                    ; RFC 3986 §3.4
//! qdtext  = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text           ; RFC 9110 §5.6.4
//! ```

/// A 256-entry table of a `const fn(u8) -> bool`, built at compile time.
macro_rules! table {
    ($pred:ident) => {{
        let mut t = [false; 256];
        let mut i = 0;
        while i < 256 {
            t[i] = $pred(i as u8);
            i += 1;
        }
        t
    }};
}

const fn is_tchar_const(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~'
            | b'0'..=b'9'
            | b'a'..=b'z'
            | b'A'..=b'Z'
    )
}

const fn is_unreserved_const(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~')
}

const fn is_sub_delim_const(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

/// The bytes of an origin-form or absolute-form target after the path starts: pchar, "/", "?"
/// and "%" (whose two hex digits are checked separately). RFC 3986 §3.3, §3.4.
const fn is_target_char_const(b: u8) -> bool {
    is_unreserved_const(b) || is_sub_delim_const(b) || matches!(b, b':' | b'@' | b'/' | b'?' | b'%')
}

/// [`is_target_char_const`] without `%`: the bytes that need no second look.
const fn is_plain_target_char_const(b: u8) -> bool {
    is_target_char_const(b) && b != b'%'
}

/// Bytes some clients send unencoded in targets although RFC 3986 excludes them:
/// `"` `<` `>` `\` `^` `` ` `` `{` `|` `}`. Accepted only with `allow_unsafe_target_chars`.
const fn is_unsafe_target_char_const(b: u8) -> bool {
    matches!(
        b,
        b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
    )
}

const fn is_qdtext_const(b: u8) -> bool {
    matches!(b, b'\t' | b' ' | 0x21 | 0x23..=0x5B | 0x5D..=0x7E | 0x80..=0xFF)
}

// Building the tables indexes with i < 256, the arrays' length.
#[allow(clippy::indexing_slicing)]
static TCHAR: [bool; 256] = table!(is_tchar_const);
#[allow(clippy::indexing_slicing)]
static TARGET: [bool; 256] = table!(is_target_char_const);
#[allow(clippy::indexing_slicing)]
static PLAIN_TARGET: [bool; 256] = table!(is_plain_target_char_const);
#[allow(clippy::indexing_slicing)]
static UNSAFE_TARGET: [bool; 256] = table!(is_unsafe_target_char_const);
#[allow(clippy::indexing_slicing)]
static QDTEXT: [bool; 256] = table!(is_qdtext_const);

/// The length of the run of bytes at the start of `bytes` that `table` accepts. Looks at 8
/// bytes per step with no branch between them (one table load each), which is what makes long
/// targets and names cheap.
#[inline(always)]
#[allow(
    clippy::indexing_slicing,
    reason = "a u8 always indexes a 256-entry table"
)]
fn run_len(bytes: &[u8], table: &[bool; 256]) -> usize {
    let mut n = 0;
    let mut blocks = bytes.chunks_exact(8);
    for block in &mut blocks {
        let w: [u8; 8] = block.try_into().unwrap_or_default();
        let all = table[usize::from(w[0])]
            & table[usize::from(w[1])]
            & table[usize::from(w[2])]
            & table[usize::from(w[3])]
            & table[usize::from(w[4])]
            & table[usize::from(w[5])]
            & table[usize::from(w[6])]
            & table[usize::from(w[7])];
        if !all {
            break;
        }
        n += 8;
    }
    let rest = bytes.get(n..).unwrap_or_default();
    n + rest
        .iter()
        .position(|&b| !table[usize::from(b)])
        .unwrap_or(rest.len())
}

/// How many bytes at the start of `bytes` are `tchar`s.
#[inline(always)]
pub(crate) fn tchar_run(bytes: &[u8]) -> usize {
    run_len(bytes, &TCHAR)
}

/// How many bytes at the start of `bytes` are plain target bytes (no `%`).
#[inline(always)]
pub(crate) fn plain_target_run(bytes: &[u8]) -> usize {
    run_len(bytes, &PLAIN_TARGET)
}

/// `tchar`, RFC 9110 §5.6.2.
#[inline(always)]
#[allow(
    clippy::indexing_slicing,
    reason = "a u8 always indexes a 256-entry table"
)]
pub(crate) fn is_tchar(b: u8) -> bool {
    TCHAR[usize::from(b)]
}

/// A byte of an origin-form or absolute-form request-target (RFC 3986 §3.3, §3.4).
#[inline(always)]
#[allow(
    clippy::indexing_slicing,
    reason = "a u8 always indexes a 256-entry table"
)]
pub(crate) fn is_target_char(b: u8) -> bool {
    TARGET[usize::from(b)]
}

/// See `is_unsafe_target_char_const`.
#[inline(always)]
#[allow(
    clippy::indexing_slicing,
    reason = "a u8 always indexes a 256-entry table"
)]
pub(crate) fn is_unsafe_target_char(b: u8) -> bool {
    UNSAFE_TARGET[usize::from(b)]
}

/// `qdtext`, RFC 9110 §5.6.4.
#[inline(always)]
#[allow(
    clippy::indexing_slicing,
    reason = "a u8 always indexes a 256-entry table"
)]
pub(crate) fn is_qdtext(b: u8) -> bool {
    QDTEXT[usize::from(b)]
}

/// `field-vchar = VCHAR / obs-text`, RFC 9110 §5.5.
#[inline(always)]
pub(crate) fn is_field_vchar(b: u8) -> bool {
    b > 0x20 && b != 0x7F
}

/// `quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )`, the byte after the backslash.
#[inline(always)]
pub(crate) fn is_quoted_pair_char(b: u8) -> bool {
    b == b'\t' || b == b' ' || is_field_vchar(b)
}

/// `OWS` / `BWS` / `RWS` member: SP or HTAB, RFC 9110 §5.6.3.
#[inline(always)]
pub(crate) fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The bytes of `x` (little-endian) that are below 0x20 or equal to 0x7F, as their high bits.
/// Borrows can only mark bytes above a byte that is truly marked, so the lowest marked byte is
/// always exact.
#[inline(always)]
fn ctl_mask(x: u64) -> u64 {
    let below_space = x.wrapping_sub(LO * 0x20) & !x & HI;
    let del = x ^ (LO * 0x7F);
    let is_del = del.wrapping_sub(LO) & !del & HI;
    below_space | is_del
}

/// The index of the first byte of `bytes[from..]` that is a control character (below 0x20 or
/// 0x7F), or `bytes.len()` if there is none. Reads 8 bytes at a time; a field value or reason
/// phrase ends at its CR, so this finds the line end and any forbidden byte in one pass.
#[inline(always)]
pub(crate) fn find_ctl(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    let mut offset = from;
    // 16 bytes a step (two words, one branch), then 8, then byte by byte.
    let mut pairs = rest.chunks_exact(16);
    for pair in &mut pairs {
        let (a, b) = pair.split_at(8);
        let a = ctl_mask(u64::from_le_bytes(a.try_into().unwrap_or_default()));
        let b = ctl_mask(u64::from_le_bytes(b.try_into().unwrap_or_default()));
        if (a | b) != 0 {
            let at = if a != 0 {
                a.trailing_zeros() / 8
            } else {
                8 + b.trailing_zeros() / 8
            };
            return offset + at as usize;
        }
        offset += 16;
    }
    let mut words = pairs.remainder().chunks_exact(8);
    for word in &mut words {
        let mask = ctl_mask(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        if mask != 0 {
            return offset + (mask.trailing_zeros() / 8) as usize;
        }
        offset += 8;
    }
    for &b in words.remainder() {
        if b < 0x20 || b == 0x7F {
            return offset;
        }
        offset += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tchar_is_rfc_9110_5_6_2() {
        let all: Vec<u8> = (0..=255u8).filter(|&b| is_tchar(b)).collect();
        assert_eq!(all.len(), 15 + 10 + 52);
        for b in b"()<>@,;:\\\"/[]?={} \t\x7f\x80" {
            assert!(!is_tchar(*b), "{b:#x}");
        }
    }

    #[test]
    fn find_ctl_agrees_with_a_plain_scan() {
        for len in 0..40 {
            for pos in 0..=len {
                for bad in [0u8, b'\t', b'\r', b'\n', 0x1F, 0x7F] {
                    let mut v: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                    v.push(0xFF);
                    v.push(b'~');
                    if pos < v.len() {
                        v[pos] = bad;
                    }
                    let want = v
                        .iter()
                        .position(|&b| b < 0x20 || b == 0x7F)
                        .unwrap_or(v.len());
                    assert_eq!(find_ctl(&v, 0), want);
                }
            }
        }
    }

    #[test]
    fn qdtext_excludes_dquote_and_backslash() {
        assert!(!is_qdtext(b'"'));
        assert!(!is_qdtext(b'\\'));
        assert!(is_qdtext(0x80));
        assert!(!is_qdtext(0x7F));
    }
}
