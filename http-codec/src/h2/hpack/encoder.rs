//! The header block encoder (RFC 7541 §3, §6), with a choice of indexing strategy.
//!
//! For each field the encoder looks for the whole field in the static table and then in its
//! dynamic table (an indexed field, §6.1); otherwise it sends a literal, naming the field by
//! index where the name is in a table, and the [`Indexing`] strategy says whether the literal
//! adds the field to the dynamic table (§6.2.1), does not (§6.2.2) or is never indexed
//! (§6.2.3). A field marked [`HeaderField::sensitive`] is always a never-indexed literal.
//! String literals use Huffman coding where it is shorter ([`Encoder::set_huffman`]).

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use bytes::BufMut;

use super::field::HeaderField;
use super::integer;
use super::string::{self, Huffman};
use super::table::{DynamicTable, STATIC_LEN, static_find};

/// Which literals add their field to the dynamic table (RFC 7541 §6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub enum Indexing {
    /// Index every field, except those whose names carry credentials (`authorization`,
    /// `proxy-authorization`, and `cookie` values under 20 octets, which RFC 7541 §7.1.3 says
    /// are easy to guess): these are sent never indexed. A field larger than three quarters of
    /// the table is sent without indexing rather than flushing the table for it. The default.
    #[default]
    Incremental,
    /// Index every field that fits (only [`HeaderField::sensitive`] ones are not): the
    /// representation RFC 7541's Appendix C examples use.
    Always,
    /// Never add to the dynamic table: static-table indexes and literals without indexing
    /// (§6.2.2). No memory is kept per connection and no state can leak between requests.
    Never,
}

impl Indexing {
    /// Whether a field is sent as a never-indexed literal (RFC 7541 §6.2.3) under this strategy: when it is
    /// marked sensitive, or, for [`Indexing::Incremental`], when its name carries credentials.
    pub fn never_indexes(self, field: &HeaderField) -> bool {
        field.sensitive || (self == Indexing::Incremental && is_sensitive_name(field))
    }
}

/// The names [`Indexing::Incremental`] never indexes (RFC 7541 §7.1.3).
fn is_sensitive_name(field: &HeaderField) -> bool {
    let name = &field.name[..];
    // By length first: most names are none of the three.
    match name.len() {
        13 => name.eq_ignore_ascii_case(b"authorization"),
        19 => name.eq_ignore_ascii_case(b"proxy-authorization"),
        6 => field.value.len() < 20 && name.eq_ignore_ascii_case(b"cookie"),
        _ => false,
    }
}

/// The encoder's maps are keyed by 64-bit hashes of (name, value) and of names, made with a
/// seed drawn per encoder; the key hashes itself.
#[derive(Debug, Clone, Copy, Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Unused (keys are `u64`s): a plain fold, for completeness.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Hash → id of the newest dynamic entry with that hash. A lookup is confirmed against the
/// entry itself, so two keys with one hash only cost compression, never correctness; the map
/// holds at most one key per table entry (at most max_table_size / 32).
type Ids = HashMap<u64, u64, BuildHasherDefault<KeyHasher>>;

const MUL_A: u64 = 0x9e37_79b9_7f4a_7c15;
const MUL_B: u64 = 0xbf58_476d_1ce4_e5b9;

/// The 128-bit product of `a` and `b`, its halves folded together.
fn folded_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// A seeded hash of `bytes`, eight octets per multiply.
fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(MUL_A);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(<[u8; 8]>::try_from(word).unwrap_or_default());
        h = folded_mul(h ^ w, MUL_B);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        for (d, s) in last.iter_mut().zip(rest) {
            *d = *s;
        }
        h = folded_mul(h ^ u64::from_le_bytes(last), MUL_A);
    }
    folded_mul(h, MUL_B)
}

/// The key of a (name, value) pair from the hashes of both.
fn pair_key(name_hash: u64, value_hash: u64) -> u64 {
    folded_mul(name_hash ^ value_hash.rotate_left(32), MUL_A)
}

/// Encodes header lists into header blocks, keeping its dynamic table in step with the peer's
/// decoder (RFC 7541 §2.2, §3). One encoder per direction of a connection.
///
/// ```
/// use bytes::BytesMut;
/// use http_codec::h2::hpack::{Decoder, Encoder, HeaderField, Indexing};
///
/// let mut encoder = Encoder::new(4096);
/// let mut decoder = Decoder::new(4096);
/// let fields = [
///     HeaderField::new(":method", "GET"),
///     HeaderField::new(":authority", "www.example.com"),
///     HeaderField::sensitive("x-token", "secret"),
/// ];
/// let mut block = BytesMut::new();
/// encoder.encode(&fields, &mut block);
/// assert_eq!(decoder.decode(&block.split().freeze())?, fields);
/// // The second time, both of the first two fields are a single octet each.
/// encoder.encode(&fields[..2], &mut block);
/// assert_eq!(&block[..], b"\x82\xbe");
/// # Ok::<(), http_codec::h2::hpack::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Encoder {
    table: DynamicTable,
    /// The id of the newest dynamic entry for each (name, value), and for each name, keyed by
    /// their hashes ([`Ids`]).
    fields: Ids,
    names: Ids,
    /// The seed of those hashes.
    seed: u64,
    /// The two keys of each dynamic entry, newest first (in step with the table), so that an
    /// evicted entry's keys are not hashed again.
    keys: VecDeque<(u64, u64)>,
    indexing: Indexing,
    huffman: Huffman,
    /// Size updates owed to the decoder: the smallest size since the last block and the final
    /// one (RFC 7541 §4.2).
    pending_update: Option<(usize, usize)>,
}

impl Default for Encoder {
    fn default() -> Encoder {
        Encoder::new(super::decoder::DEFAULT_TABLE_SIZE)
    }
}

impl Encoder {
    /// An encoder whose dynamic table starts at `max_table_size` octets, the size the peer's
    /// decoder starts from (4096 in HTTP/2, RFC 9113 §6.5.2), with [`Indexing::Incremental`]
    /// and Huffman coding where shorter.
    pub fn new(max_table_size: usize) -> Encoder {
        Encoder {
            table: DynamicTable::new(max_table_size),
            fields: Ids::default(),
            names: Ids::default(),
            seed: RandomState::new().hash_one(0x5eed_u64),
            keys: VecDeque::new(),
            indexing: Indexing::default(),
            huffman: Huffman::Shorter,
            pending_update: None,
        }
    }

    /// Chooses the indexing strategy for the next fields (RFC 7541 §6.2).
    pub fn set_indexing(&mut self, indexing: Indexing) {
        self.indexing = indexing;
    }

    /// The indexing strategy (RFC 7541 §6.2).
    pub fn indexing(&self) -> Indexing {
        self.indexing
    }

    /// Chooses when string literals are Huffman-coded (RFC 7541 §5.2): by default only where
    /// that is shorter.
    pub fn set_huffman(&mut self, huffman: Huffman) {
        self.huffman = huffman;
    }

    /// Sets the dynamic table size: call it with the peer's SETTINGS_HEADER_TABLE_SIZE when it
    /// changes (or with a smaller size to use less memory than the peer allows). The table is
    /// resized at once, evicting as needed, and the next block starts with the dynamic table
    /// size update(s) that tell the decoder (RFC 7541 §4.2, §6.3).
    pub fn set_max_table_size(&mut self, max_table_size: usize) {
        let smallest = match self.pending_update {
            Some((smallest, _)) => smallest.min(max_table_size),
            None => max_table_size,
        };
        self.pending_update = Some((smallest, max_table_size));
        let (fields, names, keys) = (&mut self.fields, &mut self.names, &mut self.keys);
        self.table
            .set_max_size_with(max_table_size, |id, _| forget(fields, names, keys, id));
    }

    /// The dynamic table, as the peer's decoder will have it after the blocks encoded so far
    /// (RFC 7541 §2.2).
    pub fn table(&self) -> &DynamicTable {
        &self.table
    }

    /// Appends the header block for `fields`, in order, to `dst` (RFC 7541 §3.2). The block is
    /// complete: split it into HEADERS and CONTINUATION frames as they allow.
    pub fn encode<'a>(
        &mut self,
        fields: impl IntoIterator<Item = &'a HeaderField>,
        dst: &mut impl BufMut,
    ) {
        if let Some((smallest, last)) = self.pending_update.take() {
            if smallest < last {
                integer::encode(smallest as u32, 5, 0x20, dst);
            }
            integer::encode(last as u32, 5, 0x20, dst);
        }
        for field in fields {
            self.encode_field(field, dst);
        }
    }

    fn encode_field(&mut self, field: &HeaderField, dst: &mut impl BufMut) {
        let never = self.indexing.never_indexes(field);
        let found = static_find(&field.name, &field.value);
        let name_hash = hash_bytes(self.seed, &field.name);
        let mut key = None;
        if !never {
            if let Some((index, true)) = found {
                integer::encode(index as u32, 7, 0x80, dst);
                return;
            }
            let k = pair_key(name_hash, hash_bytes(self.seed, &field.value));
            key = Some(k);
            let table = &self.table;
            if let Some(index) = self
                .fields
                .get(&k)
                .and_then(|&id| table.index_of_id(id))
                .filter(|&i| {
                    table
                        .get(i)
                        .is_some_and(|e| e.name == field.name && e.value == field.value)
                })
            {
                integer::encode((STATIC_LEN + index) as u32, 7, 0x80, dst);
                return;
            }
        }
        let name_index = match found {
            Some((index, _)) => Some(index),
            None => {
                let table = &self.table;
                self.names
                    .get(&name_hash)
                    .and_then(|&id| table.index_of_id(id))
                    .filter(|&i| table.get(i).is_some_and(|e| e.name == field.name))
                    .map(|i| STATIC_LEN + i)
            }
        };
        let size = field.size();
        let index_it = !never
            && match self.indexing {
                Indexing::Always => true,
                Indexing::Never => false,
                Indexing::Incremental => size <= self.table.max_size() / 4 * 3,
            };
        let (pattern, prefix) = if index_it {
            (0x40, 6)
        } else if never {
            (0x10, 4)
        } else {
            (0x00, 4)
        };
        match name_index {
            Some(index) => integer::encode(index as u32, prefix, pattern, dst),
            None => {
                integer::encode(0, prefix, pattern, dst);
                string::encode(&field.name, self.huffman, dst);
            }
        }
        string::encode(&field.value, self.huffman, dst);
        if let (true, Some(key)) = (index_it, key) {
            self.insert(field, key, name_hash);
        }
    }

    fn insert(&mut self, field: &HeaderField, key: u64, name_hash: u64) {
        let id = self.table.next_id();
        let (fields, names, keys) = (&mut self.fields, &mut self.names, &mut self.keys);
        self.table
            .insert_with(field.clone(), |old, _| forget(fields, names, keys, old));
        if self.table.index_of_id(id).is_some() {
            self.fields.insert(key, id);
            self.names.insert(name_hash, id);
            self.keys.push_front((key, name_hash));
        }
    }
}

/// Drops the keys of an evicted entry (the oldest), where they still point at it.
fn forget(fields: &mut Ids, names: &mut Ids, keys: &mut VecDeque<(u64, u64)>, id: u64) {
    let Some((key, name_hash)) = keys.pop_back() else {
        return;
    };
    if fields.get(&key) == Some(&id) {
        fields.remove(&key);
    }
    if names.get(&name_hash) == Some(&id) {
        names.remove(&name_hash);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::super::Decoder;
    use super::*;
    use bytes::BytesMut;

    fn roundtrip(e: &mut Encoder, d: &mut Decoder, fields: &[HeaderField]) -> Vec<u8> {
        let mut out = BytesMut::new();
        e.encode(fields, &mut out);
        let got = d.decode(&out.clone().freeze()).unwrap();
        let want: Vec<HeaderField> = fields
            .iter()
            .map(|f| HeaderField {
                sensitive: e.indexing().never_indexes(f),
                ..f.clone()
            })
            .collect();
        assert_eq!(got, want);
        assert_eq!(e.table().size(), d.table().size());
        out.to_vec()
    }

    proptest::proptest! {
        /// The keys kept per entry stay in step with the table through insertions, evictions
        /// and resizes: one pair per entry, the hashes of that entry.
        #[test]
        fn keys_follow_the_table(
            lists in proptest::collection::vec(
                proptest::collection::vec(("[a-d]{1,2}", "[a-z]{0,40}"), 0..5),
                1..8,
            ),
            sizes in proptest::collection::vec(0usize..300, 8),
        ) {
            let mut e = Encoder::new(256);
            let mut out = BytesMut::new();
            for (list, size) in lists.iter().zip(&sizes) {
                let fields: Vec<HeaderField> =
                    list.iter().map(|(n, v)| HeaderField::new(n.clone(), v.clone())).collect();
                e.encode(&fields, &mut out);
                proptest::prop_assert_eq!(e.keys.len(), e.table.len());
                for (f, &(key, name_hash)) in e.table.iter().zip(&e.keys) {
                    let n = hash_bytes(e.seed, &f.name);
                    proptest::prop_assert_eq!(name_hash, n);
                    proptest::prop_assert_eq!(key, pair_key(n, hash_bytes(e.seed, &f.value)));
                }
                if size % 3 == 0 {
                    e.set_max_table_size(*size);
                }
            }
        }
    }

    #[test]
    fn strategies() {
        let fields = [
            HeaderField::new(":method", "GET"),
            HeaderField::new("x-a", "1"),
            HeaderField::new("authorization", "Basic abc"),
            HeaderField::sensitive("x-secret", "s"),
        ];
        let mut e = Encoder::new(4096);
        e.set_huffman(Huffman::Never);
        let mut d = Decoder::new(4096);
        let b = roundtrip(&mut e, &mut d, &fields);
        assert_eq!(b[0], 0x82);
        assert_eq!(e.table().len(), 1);
        assert_eq!(b[1], 0x40);
        assert_eq!(b[8], 0x10 | 0x0f); // authorization: never indexed, static name 23 = 15 + 8
        let b = roundtrip(&mut e, &mut d, &fields[..2]);
        assert_eq!(b, [0x82, 0xbe]);

        let mut e = Encoder::new(4096);
        e.set_indexing(Indexing::Always);
        let mut d = Decoder::new(4096);
        roundtrip(&mut e, &mut d, &fields);
        assert_eq!(e.table().len(), 2);

        let mut e = Encoder::new(4096);
        e.set_indexing(Indexing::Never);
        let mut d = Decoder::new(4096);
        let b = roundtrip(&mut e, &mut d, &fields);
        assert!(e.table().is_empty());
        assert_eq!(b[1], 0x00);
    }

    #[test]
    fn size_updates() {
        let mut e = Encoder::new(4096);
        let mut d = Decoder::new(4096);
        roundtrip(&mut e, &mut d, &[HeaderField::new("a", "b")]);
        e.set_max_table_size(0);
        e.set_max_table_size(2000);
        d.set_max_table_size(0);
        d.set_max_table_size(2000);
        let b = roundtrip(&mut e, &mut d, &[HeaderField::new("a", "b")]);
        assert_eq!(&b[..4], [0x20, 0x3f, 0xb1, 0x0f]);
        assert_eq!(d.table().max_size(), 2000);
        e.set_max_table_size(3000);
        d.set_max_table_size(3000);
        let b = roundtrip(&mut e, &mut d, &[]);
        assert_eq!(b, [0x3f, 0x99, 0x17]);
    }

    #[test]
    fn eviction_keeps_lookups_right() {
        let mut e = Encoder::new(100);
        e.set_indexing(Indexing::Always);
        let mut d = Decoder::new(100);
        for i in 0..50u8 {
            let fields = [
                HeaderField::new(vec![b'n', i % 3], vec![b'v', i % 5]),
                HeaderField::new(vec![b'n', i % 3], vec![b'v', i % 7]),
            ];
            roundtrip(&mut e, &mut d, &fields);
            assert!(e.fields.len() <= e.table().len());
            assert!(e.names.len() <= e.table().len());
        }
    }
}
