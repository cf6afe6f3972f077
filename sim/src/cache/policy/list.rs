//! Intrusive doubly-linked lists over one slab: the O(1) building block of every policy.
//!
//! Each key (an interned `u32`) owns at most one *slot*; a slot sits in exactly one of the
//! lists (LRU recency, ARC's T1/T2/B1/B2, W-TinyLFU's window/probation/protected, an LFU
//! frequency bucket). Moving a key between lists or to a list's front is a few index writes: no
//! allocation and no search on the per-access path, which is what lets a million accesses run
//! through the heaviest policy in well under half a second. The key → slot index is a plain
//! vector indexed by key id (keys are dense), so there is no hashing either — and no hash-map
//! iteration order that could reach a run.
//!
//! Conventions: the **front** of a list is its most recently inserted or promoted end (MRU); the
//! **back** is where the policies evict or demote from (LRU). Views record lists front first.

use super::Key;

pub const NIL: u32 = u32::MAX;

/// A slot index in the slab.
pub type Slot = u32;
/// A list handle.
pub type ListId = u32;

#[derive(Clone, Copy, Debug)]
struct Ends {
    front: u32,
    back: u32,
    len: u32,
}

const EMPTY: Ends = Ends {
    front: NIL,
    back: NIL,
    len: 0,
};

#[derive(Clone, Debug, Default)]
pub struct Lists {
    /// Key id → slot (NIL when the key has no slot).
    slot_of: Vec<u32>,
    key: Vec<Key>,
    prev: Vec<u32>,
    next: Vec<u32>,
    /// Slot → the list holding it (NIL for a free slot).
    list: Vec<u32>,
    free_slots: Vec<u32>,
    ends: Vec<Ends>,
    free_lists: Vec<ListId>,
}

impl Lists {
    /// Most slots reserved up front: a huge cache grows its vectors as it fills instead of
    /// reserving memory it may never use (in the browser, reserved memory is real memory).
    const RESERVE_MAX: usize = 1 << 16;

    /// `lists` fixed lists (ids `0..lists`) and room for `slots` slots (up to 65,536) before
    /// growing.
    pub fn new(lists: u32, slots: usize) -> Self {
        let slots = slots.min(Self::RESERVE_MAX);
        Lists {
            slot_of: Vec::new(),
            key: Vec::with_capacity(slots),
            prev: Vec::with_capacity(slots),
            next: Vec::with_capacity(slots),
            list: Vec::with_capacity(slots),
            free_slots: Vec::new(),
            ends: vec![EMPTY; lists as usize],
            free_lists: Vec::new(),
        }
    }

    /// A new empty list (for policies with a dynamic number of lists, such as LFU's buckets).
    pub fn add_list(&mut self) -> ListId {
        match self.free_lists.pop() {
            Some(id) => id,
            None => {
                self.ends.push(EMPTY);
                (self.ends.len() - 1) as ListId
            }
        }
    }

    /// Gives back an empty list from [`Lists::add_list`].
    pub fn free_list(&mut self, id: ListId) {
        debug_assert_eq!(self.ends[id as usize].len, 0, "freeing a non-empty list");
        self.ends[id as usize] = EMPTY;
        self.free_lists.push(id);
    }

    pub fn find(&self, key: Key) -> Option<Slot> {
        match self.slot_of.get(key as usize) {
            Some(&s) if s != NIL => Some(s),
            _ => None,
        }
    }

    pub fn list_of(&self, slot: Slot) -> ListId {
        self.list[slot as usize]
    }

    pub fn key(&self, slot: Slot) -> Key {
        self.key[slot as usize]
    }

    pub fn len(&self, list: ListId) -> usize {
        self.ends[list as usize].len as usize
    }

    pub fn front(&self, list: ListId) -> Option<Slot> {
        let f = self.ends[list as usize].front;
        (f != NIL).then_some(f)
    }

    pub fn back(&self, list: ListId) -> Option<Slot> {
        let b = self.ends[list as usize].back;
        (b != NIL).then_some(b)
    }

    /// The slot one step towards the back (older), if any.
    pub fn toward_back(&self, slot: Slot) -> Option<Slot> {
        let n = self.next[slot as usize];
        (n != NIL).then_some(n)
    }

    /// The slot one step towards the front (newer), if any.
    pub fn toward_front(&self, slot: Slot) -> Option<Slot> {
        let p = self.prev[slot as usize];
        (p != NIL).then_some(p)
    }

    /// Keys of `list`, front to back.
    pub fn iter(&self, list: ListId) -> impl Iterator<Item = Key> + '_ {
        let mut at = self.ends[list as usize].front;
        std::iter::from_fn(move || {
            if at == NIL {
                return None;
            }
            let s = at as usize;
            at = self.next[s];
            Some(self.key[s])
        })
    }

    fn alloc(&mut self, key: Key) -> Slot {
        let k = key as usize;
        if k >= self.slot_of.len() {
            self.slot_of.resize(k + 1, NIL);
        }
        debug_assert_eq!(self.slot_of[k], NIL, "key {key} already has a slot");
        let s = match self.free_slots.pop() {
            Some(s) => {
                self.key[s as usize] = key;
                s
            }
            None => {
                self.key.push(key);
                self.prev.push(NIL);
                self.next.push(NIL);
                self.list.push(NIL);
                (self.key.len() - 1) as Slot
            }
        };
        self.slot_of[k] = s;
        s
    }

    fn link_front(&mut self, slot: Slot, list: ListId) {
        let s = slot as usize;
        let e = &mut self.ends[list as usize];
        self.prev[s] = NIL;
        self.next[s] = e.front;
        if e.front != NIL {
            self.prev[e.front as usize] = slot;
        } else {
            e.back = slot;
        }
        e.front = slot;
        e.len += 1;
        self.list[s] = list;
    }

    fn link_back(&mut self, slot: Slot, list: ListId) {
        let s = slot as usize;
        let e = &mut self.ends[list as usize];
        self.next[s] = NIL;
        self.prev[s] = e.back;
        if e.back != NIL {
            self.next[e.back as usize] = slot;
        } else {
            e.front = slot;
        }
        e.back = slot;
        e.len += 1;
        self.list[s] = list;
    }

    fn unlink(&mut self, slot: Slot) {
        let s = slot as usize;
        let (p, n) = (self.prev[s], self.next[s]);
        let e = &mut self.ends[self.list[s] as usize];
        if p != NIL {
            self.next[p as usize] = n;
        } else {
            e.front = n;
        }
        if n != NIL {
            self.prev[n as usize] = p;
        } else {
            e.back = p;
        }
        e.len -= 1;
        self.prev[s] = NIL;
        self.next[s] = NIL;
        self.list[s] = NIL;
    }

    /// Gives `key` (which has no slot) a slot at the front of `list`.
    pub fn push_front(&mut self, list: ListId, key: Key) -> Slot {
        let s = self.alloc(key);
        self.link_front(s, list);
        s
    }

    /// Gives `key` (which has no slot) a slot at the back of `list`.
    pub fn push_back(&mut self, list: ListId, key: Key) -> Slot {
        let s = self.alloc(key);
        self.link_back(s, list);
        s
    }

    /// Moves a slot to the front of `list` (the same list or another).
    pub fn move_to_front(&mut self, slot: Slot, list: ListId) {
        if self.list[slot as usize] == list && self.ends[list as usize].front == slot {
            return;
        }
        self.unlink(slot);
        self.link_front(slot, list);
    }

    /// Moves a slot to the back of `list`.
    pub fn move_to_back(&mut self, slot: Slot, list: ListId) {
        self.unlink(slot);
        self.link_back(slot, list);
    }

    /// Unlinks a slot and frees it; returns its key.
    pub fn remove(&mut self, slot: Slot) -> Key {
        self.unlink(slot);
        let key = self.key[slot as usize];
        self.slot_of[key as usize] = NIL;
        self.free_slots.push(slot);
        key
    }

    /// Removes every slot from every list (fixed lists stay, dynamic lists are forgotten).
    pub fn clear(&mut self, fixed_lists: u32) {
        for &k in &self.key {
            if let Some(s) = self.slot_of.get_mut(k as usize) {
                *s = NIL;
            }
        }
        self.key.clear();
        self.prev.clear();
        self.next.clear();
        self.list.clear();
        self.free_slots.clear();
        self.ends.clear();
        self.ends.resize(fixed_lists as usize, EMPTY);
        self.free_lists.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(l: &Lists, list: ListId) -> Vec<Key> {
        l.iter(list).collect()
    }

    #[test]
    fn push_move_and_remove_keep_both_ends_right() {
        let mut l = Lists::new(2, 4);
        for k in [1, 2, 3] {
            l.push_front(0, k);
        }
        assert_eq!(keys(&l, 0), vec![3, 2, 1]);
        let s1 = l.find(1).unwrap();
        l.move_to_front(s1, 0);
        assert_eq!(keys(&l, 0), vec![1, 3, 2]);
        let back = l.back(0).unwrap();
        l.move_to_front(back, 1);
        assert_eq!((keys(&l, 0), keys(&l, 1)), (vec![1, 3], vec![2]));
        assert_eq!(l.remove(l.find(3).unwrap()), 3);
        assert_eq!(l.find(3), None);
        l.push_back(0, 9);
        assert_eq!(keys(&l, 0), vec![1, 9]);
        assert_eq!((l.len(0), l.len(1)), (2, 1));
        // The freed slot is reused: no growth.
        assert_eq!(l.key.len(), 3);
    }

    #[test]
    fn dynamic_lists_are_recycled() {
        let mut l = Lists::new(0, 0);
        let a = l.add_list();
        let b = l.add_list();
        l.push_front(b, 5);
        l.free_list(a);
        assert_eq!(l.add_list(), a);
        assert_eq!(keys(&l, b), vec![5]);
        l.clear(0);
        assert_eq!(l.find(5), None);
    }
}
