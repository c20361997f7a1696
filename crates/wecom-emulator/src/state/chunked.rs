//! An append-only list stored in fixed-size chunks: pushing never moves what is already
//! stored, so growing the message list never copies it while the store lock is held (a
//! `Vec` of a million messages would move hundreds of megabytes when it doubles).

use std::ops::{Index, IndexMut};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const CHUNK: usize = 4096;

/// Append-only chunked list.
#[derive(Debug, Clone)]
pub(crate) struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Self { chunks: Vec::new(), len: 0 }
    }
}

impl<T> Chunked<T> {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn push(&mut self, value: T) {
        if self.chunks.last().is_none_or(|c| c.len() == CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        if let Some(last) = self.chunks.last_mut() {
            last.push(value);
        }
        self.len += 1;
    }

    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.chunks.iter().flatten()
    }
}

impl<T> Index<usize> for Chunked<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T> IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i / CHUNK][i % CHUNK]
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
        assert_eq!(c[CHUNK], CHUNK);
        c[CHUNK * 2 + 2] = 7;
        assert_eq!(c.iter().next_back(), Some(&7));
        let json = serde_json::to_string(&c).unwrap();
        let back: Chunked<usize> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.iter().copied().collect::<Vec<_>>(), c.iter().copied().collect::<Vec<_>>());
    }
}
