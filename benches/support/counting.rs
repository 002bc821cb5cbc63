//! The counting global allocator of the load servers (`benches/baseline/main.rs` and
//! `benches/server_fn`, which include this file): allocations and bytes per thread, read by
//! `benches/load.sh` before and after each run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

/// Counts allocations and bytes in per-thread slots (each written by one thread only, so the
/// count costs a load and a store, no locked instruction and no shared cache line).
struct Counting;

const SLOTS: usize = 64;

#[repr(align(128))]
struct Slot {
    allocs: AtomicU64,
    bytes: AtomicU64,
}

static COUNTS: [Slot; SLOTS] = [const {
    Slot {
        allocs: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
    }
}; SLOTS];
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static SLOT: Cell<usize> = const { Cell::new(usize::MAX) };
}

fn count(bytes: usize) {
    let slot = SLOT
        .try_with(|slot| {
            if slot.get() == usize::MAX {
                slot.set(NEXT_SLOT.fetch_add(1, Relaxed) % SLOTS);
            }
            slot.get()
        })
        .unwrap_or(SLOTS - 1);
    let slot = &COUNTS[slot];
    // Threads beyond SLOTS share slots: fetch_add keeps those counts right too; it is
    // uncontended in the common case.
    slot.allocs.fetch_add(1, Relaxed);
    slot.bytes.fetch_add(bytes as u64, Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; counting neither allocates nor
// touches the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and bytes counted so far, all threads together.
pub fn totals() -> (u64, u64) {
    COUNTS.iter().fold((0, 0), |(a, b), slot| {
        (a + slot.allocs.load(Relaxed), b + slot.bytes.load(Relaxed))
    })
}
