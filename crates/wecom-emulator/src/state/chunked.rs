//! A list stored in fixed-size chunks that grows at the back and is trimmed at the front:
//! pushing never moves what is already stored, so growing the message list never copies it
//! while the store lock is held (a `Vec` of a million messages would move hundreds of
//! megabytes when it doubles), and dropping the oldest entries frees whole chunks.
//!
//! Entries keep their position for life: position `i` is the `i`-th entry ever pushed, so
//! indexes held elsewhere (response codes, the duplicate check) stay valid, and an index of a
//! dropped entry finds nothing.

use std::collections::VecDeque;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const CHUNK: usize = 4096;

/// Chunked list with stable positions.
#[derive(Debug, Clone)]
pub(crate) struct Chunked<T> {
    /// `chunks[0][0]` is position `base`; slots before `first` are emptied.
    chunks: VecDeque<Vec<Option<T>>>,
    base: usize,
    first: usize,
    end: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Self { chunks: VecDeque::new(), base: 0, first: 0, end: 0 }
    }
}

impl<T> Chunked<T> {
    /// Entries kept.
    pub(crate) fn len(&self) -> usize {
        self.end - self.first
    }

    /// Entries dropped from the front so far (the position of the oldest kept one).
    pub(crate) fn dropped(&self) -> usize {
        self.first
    }

    /// Appends an entry; returns its position.
    pub(crate) fn push(&mut self, value: T) -> usize {
        if self.chunks.back().is_none_or(|c| c.len() == CHUNK) {
            self.chunks.push_back(Vec::with_capacity(CHUNK));
        }
        if let Some(last) = self.chunks.back_mut() {
            last.push(Some(value));
        }
        self.end += 1;
        self.end - 1
    }

    /// The oldest entry kept.
    pub(crate) fn front(&self) -> Option<&T> {
        self.get(self.first)
    }

    /// Removes the oldest entry; returns it with its position.
    pub(crate) fn pop_front(&mut self) -> Option<(usize, T)> {
        if self.first == self.end {
            return None;
        }
        let pos = self.first;
        let off = pos - self.base;
        let value = self.chunks.get_mut(off / CHUNK).and_then(|c| c[off % CHUNK].take());
        self.first += 1;
        if self.first - self.base == CHUNK {
            self.chunks.pop_front();
            self.base += CHUNK;
        }
        value.map(|v| (pos, v))
    }

    /// The entry at position `i`, unless it was dropped or never pushed.
    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        if i < self.first || i >= self.end {
            return None;
        }
        let off = i - self.base;
        self.chunks.get(off / CHUNK)?[off % CHUNK].as_ref()
    }

    /// The entry at position `i`, mutably.
    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i < self.first || i >= self.end {
            return None;
        }
        let off = i - self.base;
        self.chunks.get_mut(off / CHUNK)?[off % CHUNK].as_mut()
    }

    /// The kept entries, oldest first.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.chunks.iter().flatten().filter_map(Option::as_ref)
    }

    /// The kept entries with their positions, oldest first.
    pub(crate) fn iter_positions(&self) -> impl Iterator<Item = (usize, &T)> {
        (self.first..).zip(self.iter())
    }

    /// Numbers the entries as if `dropped` older ones had been pushed and dropped before
    /// them (after loading a state file, which stores only the kept entries).
    pub(crate) fn renumber(&mut self, dropped: usize) {
        let items: Vec<T> =
            std::mem::take(&mut self.chunks).into_iter().flatten().flatten().collect();
        *self = Self { chunks: VecDeque::new(), base: dropped, first: dropped, end: dropped };
        for item in items {
            self.push(item);
        }
    }
}

impl<T: Serialize> Serialize for Chunked<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Chunked<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::<T>::deserialize(d)?;
        let mut out = Self::default();
        for item in items {
            out.push(item);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::{CHUNK, Chunked};

    #[test]
    fn indexes_across_chunks_and_round_trips_as_a_list() {
        let mut c = Chunked::default();
        for i in 0..CHUNK * 2 + 3 {
            c.push(i);
        }
        assert_eq!(c.len(), CHUNK * 2 + 3);
        assert_eq!(c.get(CHUNK), Some(&CHUNK));
        *c.get_mut(CHUNK * 2 + 2).unwrap() = 7;
        assert_eq!(c.iter().next_back(), Some(&7));
        let json = serde_json::to_string(&c).unwrap();
        let back: Chunked<usize> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.iter().copied().collect::<Vec<_>>(), c.iter().copied().collect::<Vec<_>>());
    }

    #[test]
    fn dropping_the_oldest_keeps_positions_and_frees_whole_chunks() {
        let mut c = Chunked::default();
        for i in 0..CHUNK * 2 {
            assert_eq!(c.push(i), i);
        }
        for i in 0..=CHUNK {
            assert_eq!(c.pop_front(), Some((i, i)));
        }
        assert_eq!(c.len(), CHUNK - 1);
        assert_eq!(c.dropped(), CHUNK + 1);
        assert_eq!(c.chunks.len(), 1, "the emptied chunk is freed");
        assert_eq!(c.get(CHUNK), None, "a dropped position finds nothing");
        assert_eq!(c.get(CHUNK + 1), Some(&(CHUNK + 1)));
        assert_eq!(c.front(), Some(&(CHUNK + 1)));
        assert_eq!(c.iter_positions().next(), Some((CHUNK + 1, &(CHUNK + 1))));
        assert_eq!(c.push(99), CHUNK * 2);
        // A state file keeps only the kept entries; renumbering restores their positions.
        let mut back: Chunked<usize> =
            serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        back.renumber(c.dropped());
        assert_eq!(back.get(CHUNK * 2), Some(&99));
        assert_eq!(back.get(CHUNK + 1), Some(&(CHUNK + 1)));
        assert_eq!(back.len(), c.len());
    }
}
