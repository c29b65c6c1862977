//! The indexing tables (RFC 7541 §2.3): the static table of Appendix A and the dynamic table
//! (§4), in one index address space (§2.3.3):
//!
//! ```text
//!   <----------  Index Address Space ---------->
//!   <-- Static  Table -->  <-- Dynamic Table -->
//!   +---+-----------+---+  +---+-----------+---+
//!   | 1 |    ...    | s |  |s+1|    ...    |s+k|
//!   +---+-----------+---+  +---+-----------+---+
//!                          ^                   |
//!                          |                   V
//!                   Insertion Point      Dropping Point
//! ```
//!
//! An entry's size is its name's and value's lengths plus 32 octets (§4.1); inserting evicts
//! the oldest entries until the new one fits (§4.4), and an entry larger than the whole table
//! empties it and is not added. A new maximum size evicts the same way (§4.3).

use std::collections::VecDeque;

use bytes::Bytes;

use super::field::HeaderField;

/// The static table, RFC 7541 Appendix A: `(name, value)` for indexes 1 to 61
/// (`STATIC_TABLE[i - 1]` is index `i`).
#[rustfmt::skip]
pub const STATIC_TABLE: [(&str, &str); 61] = [
    (":authority", ""),
    (":method", "GET"),
    (":method", "POST"),
    (":path", "/"),
    (":path", "/index.html"),
    (":scheme", "http"),
    (":scheme", "https"),
    (":status", "200"),
    (":status", "204"),
    (":status", "206"),
    (":status", "304"),
    (":status", "400"),
    (":status", "404"),
    (":status", "500"),
    ("accept-charset", ""),
    ("accept-encoding", "gzip, deflate"),
    ("accept-language", ""),
    ("accept-ranges", ""),
    ("accept", ""),
    ("access-control-allow-origin", ""),
    ("age", ""),
    ("allow", ""),
    ("authorization", ""),
    ("cache-control", ""),
    ("content-disposition", ""),
    ("content-encoding", ""),
    ("content-language", ""),
    ("content-length", ""),
    ("content-location", ""),
    ("content-range", ""),
    ("content-type", ""),
    ("cookie", ""),
    ("date", ""),
    ("etag", ""),
    ("expect", ""),
    ("expires", ""),
    ("from", ""),
    ("host", ""),
    ("if-match", ""),
    ("if-modified-since", ""),
    ("if-none-match", ""),
    ("if-range", ""),
    ("if-unmodified-since", ""),
    ("last-modified", ""),
    ("link", ""),
    ("location", ""),
    ("max-forwards", ""),
    ("proxy-authenticate", ""),
    ("proxy-authorization", ""),
    ("range", ""),
    ("referer", ""),
    ("refresh", ""),
    ("retry-after", ""),
    ("server", ""),
    ("set-cookie", ""),
    ("strict-transport-security", ""),
    ("transfer-encoding", ""),
    ("user-agent", ""),
    ("vary", ""),
    ("via", ""),
    ("www-authenticate", ""),
];

/// The number of static entries; dynamic indexes start after it (RFC 7541 §2.3.3).
pub const STATIC_LEN: usize = STATIC_TABLE.len();

/// The static entry at `index` (1 to 61), RFC 7541 Appendix A.
pub fn static_entry(index: usize) -> Option<(&'static [u8], &'static [u8])> {
    let (name, value) = STATIC_TABLE.get(index.checked_sub(1)?)?;
    Some((name.as_bytes(), value.as_bytes()))
}

/// Where `name` is in the static table: the first index and how many entries in a row have
/// that name (the table keeps same-named entries together). A `match`, so the compiler builds
/// the search (by length, then contents) rather than a scan of the 61 entries; the test
/// `static_table` checks it against [`STATIC_TABLE`].
fn static_name_range(name: &[u8]) -> Option<(usize, usize)> {
    Some(match name {
        b":authority" => (1, 1),
        b":method" => (2, 2),
        b":path" => (4, 2),
        b":scheme" => (6, 2),
        b":status" => (8, 7),
        b"accept-charset" => (15, 1),
        b"accept-encoding" => (16, 1),
        b"accept-language" => (17, 1),
        b"accept-ranges" => (18, 1),
        b"accept" => (19, 1),
        b"access-control-allow-origin" => (20, 1),
        b"age" => (21, 1),
        b"allow" => (22, 1),
        b"authorization" => (23, 1),
        b"cache-control" => (24, 1),
        b"content-disposition" => (25, 1),
        b"content-encoding" => (26, 1),
        b"content-language" => (27, 1),
        b"content-length" => (28, 1),
        b"content-location" => (29, 1),
        b"content-range" => (30, 1),
        b"content-type" => (31, 1),
        b"cookie" => (32, 1),
        b"date" => (33, 1),
        b"etag" => (34, 1),
        b"expect" => (35, 1),
        b"expires" => (36, 1),
        b"from" => (37, 1),
        b"host" => (38, 1),
        b"if-match" => (39, 1),
        b"if-modified-since" => (40, 1),
        b"if-none-match" => (41, 1),
        b"if-range" => (42, 1),
        b"if-unmodified-since" => (43, 1),
        b"last-modified" => (44, 1),
        b"link" => (45, 1),
        b"location" => (46, 1),
        b"max-forwards" => (47, 1),
        b"proxy-authenticate" => (48, 1),
        b"proxy-authorization" => (49, 1),
        b"range" => (50, 1),
        b"referer" => (51, 1),
        b"refresh" => (52, 1),
        b"retry-after" => (53, 1),
        b"server" => (54, 1),
        b"set-cookie" => (55, 1),
        b"strict-transport-security" => (56, 1),
        b"transfer-encoding" => (57, 1),
        b"user-agent" => (58, 1),
        b"vary" => (59, 1),
        b"via" => (60, 1),
        b"www-authenticate" => (61, 1),
        _ => return None,
    })
}

/// Looks `name: value` up in the static table: the index of an entry with both (`true`), or
/// of the first entry with the name (`false`).
pub(crate) fn static_find(name: &[u8], value: &[u8]) -> Option<(usize, bool)> {
    let (first, count) = static_name_range(name)?;
    for index in first..first + count {
        if static_entry(index).is_some_and(|(_, v)| v == value) {
            return Some((index, true));
        }
    }
    Some((first, false))
}

/// The dynamic table (RFC 7541 §2.3.2, §4): newest entry first, its size accounted with the
/// 32-octet overhead, evicting from the oldest end.
///
/// ```
/// use http_codec::h2::hpack::{DynamicTable, HeaderField};
/// let mut table = DynamicTable::new(100);
/// table.insert(HeaderField::new("custom-key", "custom-header")); // 10 + 13 + 32 = 55
/// assert_eq!((table.len(), table.size()), (1, 55));
/// table.insert(HeaderField::new("custom-key", "other-header!")); // 55 more: evicts the first
/// assert_eq!((table.len(), table.size()), (1, 55));
/// assert_eq!(&table.get(1).unwrap().value[..], b"other-header!");
/// ```
#[derive(Debug, Clone, Default)]
pub struct DynamicTable {
    entries: VecDeque<HeaderField>,
    size: usize,
    max_size: usize,
    /// Entries inserted since the table was made: the newest entry's id is `inserted - 1`.
    inserted: u64,
}

impl DynamicTable {
    /// An empty table of at most `max_size` octets (RFC 7541 §4.2).
    pub fn new(max_size: usize) -> DynamicTable {
        DynamicTable {
            entries: VecDeque::new(),
            size: 0,
            max_size,
            inserted: 0,
        }
    }

    /// The number of entries (RFC 7541 §2.3.2).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table has no entry (RFC 7541 §2.3.2).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The sum of the entries' sizes (RFC 7541 §4.1).
    pub fn size(&self) -> usize {
        self.size
    }

    /// The maximum size (RFC 7541 §4.2).
    pub fn max_size(&self) -> usize {
        self.max_size
    }

    /// The entry at dynamic index `index` (1 is the newest; HPACK index `61 + index`,
    /// RFC 7541 §2.3.3).
    pub fn get(&self, index: usize) -> Option<&HeaderField> {
        self.entries.get(index.checked_sub(1)?)
    }

    /// The entries, newest first (RFC 7541 §2.3.2).
    pub fn iter(&self) -> impl Iterator<Item = &HeaderField> {
        self.entries.iter()
    }

    /// Sets the maximum size, evicting the oldest entries until the table fits (RFC 7541 §4.3).
    pub fn set_max_size(&mut self, max_size: usize) {
        self.set_max_size_with(max_size, |_, _| {});
    }

    /// Adds `field` as the newest entry, evicting the oldest ones until it fits; an entry larger
    /// than the maximum size empties the table and is not added (RFC 7541 §4.4). The entry is
    /// stored without its `sensitive` mark.
    pub fn insert(&mut self, field: HeaderField) {
        self.insert_with(field, |_, _| {});
    }

    /// [`Self::set_max_size`], telling `evicted` the id and field of each entry it drops.
    pub(crate) fn set_max_size_with(
        &mut self,
        max_size: usize,
        mut evicted: impl FnMut(u64, &HeaderField),
    ) {
        self.max_size = max_size;
        self.evict_to(max_size, &mut evicted);
    }

    /// [`Self::insert`], telling `evicted` the id and field of each entry it drops.
    pub(crate) fn insert_with(
        &mut self,
        mut field: HeaderField,
        mut evicted: impl FnMut(u64, &HeaderField),
    ) {
        let size = field.size();
        if size > self.max_size {
            self.evict_to(0, &mut evicted);
            // The entry would have had this id: count it so ids stay in step with a peer's.
            self.inserted += 1;
            return;
        }
        self.evict_to(self.max_size - size, &mut evicted);
        field.sensitive = false;
        self.entries.push_front(field);
        self.size += size;
        self.inserted += 1;
    }

    fn evict_to(&mut self, target: usize, evicted: &mut impl FnMut(u64, &HeaderField)) {
        while self.size > target {
            let oldest_id = self.oldest_id();
            let Some(old) = self.entries.pop_back() else {
                self.size = 0;
                break;
            };
            self.size -= old.size();
            evicted(oldest_id, &old);
        }
    }

    /// The id of the oldest entry (ids count insertions from 0).
    fn oldest_id(&self) -> u64 {
        self.inserted - self.entries.len() as u64
    }

    /// The dynamic index (1 = newest) of the entry with id `id`, if it is still in the table.
    pub(crate) fn index_of_id(&self, id: u64) -> Option<usize> {
        if id < self.oldest_id() || id >= self.inserted {
            return None;
        }
        Some((self.inserted - id) as usize)
    }

    /// The id the next inserted entry gets.
    pub(crate) fn next_id(&self) -> u64 {
        self.inserted
    }
}

/// The field at HPACK index `index` (1-based, static then dynamic, RFC 7541 §2.3.3), its name
/// and value as `Bytes` (static entries are `'static`, so no copy is made).
pub(crate) fn lookup(table: &DynamicTable, index: usize) -> Option<(Bytes, Bytes)> {
    if index <= STATIC_LEN {
        let (name, value) = static_entry(index)?;
        return Some((Bytes::from_static(name), Bytes::from_static(value)));
    }
    let f = table.get(index - STATIC_LEN)?;
    Some((f.name.clone(), f.value.clone()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn static_table() {
        assert_eq!(static_entry(0), None);
        assert_eq!(static_entry(1), Some((&b":authority"[..], &b""[..])));
        assert_eq!(static_entry(2), Some((&b":method"[..], &b"GET"[..])));
        assert_eq!(
            static_entry(16),
            Some((&b"accept-encoding"[..], &b"gzip, deflate"[..]))
        );
        assert_eq!(static_entry(61), Some((&b"www-authenticate"[..], &b""[..])));
        assert_eq!(static_entry(62), None);
        assert_eq!(static_find(b":status", b"404"), Some((13, true)));
        assert_eq!(static_find(b":status", b"302"), Some((8, false)));
        assert_eq!(static_find(b"date", b"x"), Some((33, false)));
        assert_eq!(static_find(b"www-authenticate", b""), Some((61, true)));
        assert_eq!(static_find(b"Date", b""), None);
        assert_eq!(static_find(b"x-custom", b""), None);
        // Every entry finds itself.
        for i in 1..=61 {
            let (n, v) = static_entry(i).unwrap();
            assert_eq!(static_find(n, v), Some((i, true)), "{i}");
        }
    }

    #[test]
    fn eviction_order_and_sizes() {
        // RFC 7541 C.5: a 256-octet table.
        let mut t = DynamicTable::new(256);
        t.insert(HeaderField::new(":status", "302"));
        t.insert(HeaderField::new("cache-control", "private"));
        t.insert(HeaderField::new("date", "Mon, 21 Oct 2013 20:13:21 GMT"));
        t.insert(HeaderField::new("location", "https://www.example.com"));
        assert_eq!((t.len(), t.size()), (4, 222));
        t.insert(HeaderField::new(":status", "307"));
        assert_eq!((t.len(), t.size()), (4, 222));
        assert_eq!(&t.get(1).unwrap().value[..], b"307");
        assert_eq!(&t.get(4).unwrap().name[..], b"cache-control");
        assert!(t.get(5).is_none() && t.get(0).is_none());
    }

    #[test]
    fn oversized_entry_empties() {
        let mut t = DynamicTable::new(64);
        t.insert(HeaderField::new("a", "b"));
        t.insert(HeaderField::new(
            "long-name",
            "a value too long for sixty-four",
        ));
        assert!(t.is_empty());
        assert_eq!(t.size(), 0);
        // Exactly the maximum fits.
        t.insert(HeaderField::new("a", [b'x'; 31].to_vec()));
        assert_eq!((t.len(), t.size()), (1, 64));
    }

    #[test]
    fn resize_evicts() {
        let mut t = DynamicTable::new(4096);
        for i in 0..10u8 {
            t.insert(HeaderField::new(vec![b'n', i], vec![b'v', i]));
        }
        assert_eq!(t.size(), 360);
        t.set_max_size(100);
        assert_eq!((t.len(), t.size()), (2, 72));
        assert_eq!(&t.get(1).unwrap().name[..], &[b'n', 9]);
        assert_eq!(t.index_of_id(9), Some(1));
        assert_eq!(t.index_of_id(8), Some(2));
        assert_eq!(t.index_of_id(7), None);
        t.set_max_size(0);
        assert!(t.is_empty());
    }
}
