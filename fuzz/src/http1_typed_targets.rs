//! Targets for http-codec's typed header fields (`http_codec::typed`).

use http_codec::typed::{
    CacheControl, Cookie, HttpDate, MediaType, SetCookie, form_urlencoded, list, percent,
};

/// The largest Unix time an [`HttpDate`] holds: 9999-12-31 23:59:59.
const MAX_UNIX_SECONDS: u64 = 253_402_300_799;

/// `decode(encode(v)) == v` for a type with `decode` and `encode`.
fn roundtrip<T, D, E>(what: &str, value: &T, decode: D, encode: E)
where
    T: PartialEq + std::fmt::Debug,
    D: Fn(&[u8]) -> Result<T, http_codec::typed::TypedError>,
    E: Fn(&T, &mut Vec<u8>),
{
    let mut out = Vec::new();
    encode(value, &mut out);
    match decode(&out) {
        Ok(again) => assert_eq!(&again, value, "{what}: {out:?} decodes to another value"),
        Err(e) => panic!(
            "{what}: {value:?} encodes to {:?}, which does not decode: {e}",
            String::from_utf8_lossy(&out)
        ),
    }
}

/// An [`HttpDate`]: its IMF-fixdate form is 29 bytes and decodes back (by either decoder), and
/// its Unix seconds convert back (a leap second `:60` to the next minute's first second).
fn check_date(date: HttpDate) {
    roundtrip("HttpDate", &date, HttpDate::decode, HttpDate::encode);
    roundtrip(
        "HttpDate (IMF-fixdate)",
        &date,
        HttpDate::decode_imf_fixdate,
        HttpDate::encode,
    );
    let mut out = Vec::new();
    date.encode(&mut out);
    assert_eq!(out.len(), 29, "IMF-fixdate is 29 bytes: {out:?}");
    let secs = date.unix_seconds();
    match HttpDate::from_unix_seconds(secs) {
        Ok(back) if date.second() == 60 => assert_eq!(back.unix_seconds(), secs),
        Ok(back) => assert_eq!(back, date, "unix seconds {secs} do not come back"),
        Err(e) => assert!(
            secs > MAX_UNIX_SECONDS,
            "{date:?}: its unix seconds {secs} are refused: {e}"
        ),
    }
}

/// The first byte picks a typed parser, the rest is the field value: decoding never panics, and
/// every value that decodes re-encodes to bytes that decode to an equal value.
pub fn http1_typed(data: &[u8]) {
    let Some((&c, value)) = data.split_first() else {
        return;
    };
    match c % 9 {
        0 => {
            if let Ok(date) = HttpDate::decode(value) {
                check_date(date);
            }
            if let Ok(date) = HttpDate::decode_imf_fixdate(value) {
                assert_eq!(
                    HttpDate::decode(value),
                    Ok(date),
                    "IMF-fixdate is an HTTP-date"
                );
            }
        }
        1 => {
            if let Ok(m) = MediaType::decode(value) {
                roundtrip("MediaType", &m, MediaType::decode, MediaType::encode);
                assert_eq!(m.to_string().as_bytes(), encoded(|d| m.encode(d)));
            }
        }
        2 => {
            if let Ok(cc) = CacheControl::decode(value) {
                roundtrip(
                    "CacheControl",
                    &cc,
                    CacheControl::decode,
                    CacheControl::encode,
                );
                assert_eq!(cc.to_string().as_bytes(), encoded(|d| cc.encode(d)));
            }
        }
        3 => {
            if let Ok(cookie) = Cookie::decode(value) {
                roundtrip("Cookie", &cookie, Cookie::decode, Cookie::encode);
                // Cookie's grammar has no optional parts: the canonical form is the input.
                assert_eq!(encoded(|d| cookie.encode(d)), value);
            }
        }
        4 => {
            if let Ok(sc) = SetCookie::decode(value) {
                roundtrip("SetCookie", &sc, SetCookie::decode, SetCookie::encode);
                assert_eq!(sc.to_string().as_bytes(), encoded(|d| sc.encode(d)));
            }
        }
        5 => {
            if let Ok(bytes) = percent::decode(value) {
                let out = encoded(|d| percent::encode(&bytes, d));
                assert!(
                    out.iter()
                        .all(|&b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
                    "percent-encoded {out:?} holds a reserved byte"
                );
                assert_eq!(percent::decode(&out).as_deref(), Ok(&bytes[..]));
            }
        }
        6 => {
            let lenient = form_urlencoded::decode_lenient(value);
            if let Ok(pairs) = form_urlencoded::decode(value) {
                assert_eq!(
                    pairs, lenient,
                    "strict and lenient agree where strict accepts"
                );
                let out = encoded(|d| form_urlencoded::encode(&pairs, d));
                assert_eq!(form_urlencoded::decode(&out), Ok(pairs));
            }
            // Whatever the lenient parser reads, the serializer writes back.
            let out = encoded(|d| form_urlencoded::encode(&lenient, d));
            assert_eq!(form_urlencoded::decode(&out), Ok(lenient));
        }
        7 => {
            if let Ok(items) = list::elements(value) {
                let elements: Vec<&[u8]> = items.iter().map(|&(_, e)| e).collect();
                for &(at, e) in &items {
                    assert_eq!(value.get(at..at + e.len()), Some(e), "offset {at} of {e:?}");
                }
                let out = encoded(|d| list::encode(&elements, d));
                let again = list::elements(&out).unwrap_or_else(|e| {
                    panic!("list {elements:?} encodes to {out:?}, which does not decode: {e}")
                });
                let again: Vec<&[u8]> = again.iter().map(|&(_, e)| e).collect();
                assert_eq!(again, elements);
                assert_eq!(
                    list::elements1(value, "list").is_ok(),
                    !elements.is_empty(),
                    "1#element needs exactly one element or more"
                );
            }
        }
        _ => {
            // Unix seconds from the value's first 8 bytes, within the 4-digit years.
            let mut raw = [0u8; 8];
            for (r, v) in raw.iter_mut().zip(value) {
                *r = *v;
            }
            let secs = u64::from_le_bytes(raw) % (MAX_UNIX_SECONDS + 2);
            match HttpDate::from_unix_seconds(secs) {
                Ok(date) => {
                    assert_eq!(date.unix_seconds(), secs);
                    check_date(date);
                }
                Err(_) => assert!(secs > MAX_UNIX_SECONDS, "{secs} is refused"),
            }
        }
    }
}

/// What `encode` appends to an empty buffer.
fn encoded(encode: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    encode(&mut out);
    out
}
