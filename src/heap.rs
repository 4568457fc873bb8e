//! Where the app's memory comes from: talc, fed by WebAssembly memory grown a share at a time.
//!
//! Written here rather than taken from talc: talc's own source for the web
//! (`talc::wasm::WasmGrowAndExtend`) grows the memory by just what the allocation that ran out
//! needs, usually one 64 KB page, so reading a large record at start-up grows it hundreds of
//! times, and each `memory.grow` has the browser replace the memory's buffer. This one grows by a
//! quarter of what the memory already holds (at least 1 MB, at most 16 MB), so the memory ends
//! at most a quarter larger than it needs and is grown a few dozen times.

// Natively (the tests) only the arithmetic of how much to grow is used.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use core::alloc::Layout;
#[cfg(target_arch = "wasm32")]
use core::ptr::NonNull;

/// WebAssembly's page of memory.
const PAGE: usize = 64 * 1024;
/// The least the memory grows by: 16 pages, 1 MB.
const LEAST: usize = 16;
/// The most it grows by beyond what one allocation needs: 256 pages, 16 MB.
const MOST: usize = 256;

/// The app's allocator.
#[cfg(target_arch = "wasm32")]
pub type Heap = talc::cell::TalcSyncCell<GrowByShare, talc::wasm::WasmBinning>;

/// A new allocator, for `#[global_allocator]`.
#[cfg(target_arch = "wasm32")]
pub const fn heap() -> Heap {
    talc::cell::TalcSyncCell::new_wasm(GrowByShare { end: None })
}

/// Grows WebAssembly memory a share at a time, and extends talc's one heap over it.
#[cfg(target_arch = "wasm32")]
#[derive(Debug)]
pub struct GrowByShare {
    /// Where the heap ends, once there is one.
    end: Option<NonNull<u8>>,
}

/// The fewest pages that hold an allocation of `layout`, with room for talc's own marks around
/// a chunk (a few words) and for its alignment: a page more than it needs is harmless, a page
/// less would fail it.
fn pages_needed(layout: Layout) -> usize {
    (layout.size() + layout.align() + 256).div_ceil(PAGE)
}

/// The pages to grow by for an allocation of `layout` when the memory holds `pages`.
fn pages_to_grow(layout: Layout, pages: usize) -> usize {
    pages_needed(layout).max((pages / 4).clamp(LEAST, MOST))
}

#[cfg(target_arch = "wasm32")]
// SAFETY: acquiring memory neither allocates nor touches the allocator it feeds, beyond the
// `claim` and `extend` it is handed.
unsafe impl talc::source::Source for GrowByShare {
    fn acquire<B: talc::base::binning::Binning>(
        talc: &mut talc::base::Talc<Self, B>,
        layout: Layout,
    ) -> Result<(), ()> {
        use core::arch::wasm32::{memory_grow, memory_size};
        let mut pages = pages_to_grow(layout, memory_size::<0>());
        let mut before = memory_grow::<0>(pages);
        if before == usize::MAX && pages > pages_needed(layout) {
            // The browser will not give a share more: ask for just what this allocation needs.
            pages = pages_needed(layout);
            before = memory_grow::<0>(pages);
        }
        if before == usize::MAX {
            return Err(());
        }
        let base = (before * PAGE) as *mut u8;
        let bytes = pages * PAGE;
        // SAFETY: the memory from `base` for `bytes` was just grown, so nothing else uses it;
        // the heap is extended only where it ends exactly at `base`.
        unsafe {
            match talc.source.end.take() {
                Some(end) if end.as_ptr() == base => {
                    talc.source.end = Some(talc.extend(end, base.add(bytes)));
                }
                _ => talc.source.end = talc.claim(base, bytes),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_by_a_share_and_always_by_enough_for_the_allocation() {
        let small = Layout::from_size_align(24, 8).unwrap();
        assert_eq!(pages_to_grow(small, 17), LEAST);
        assert_eq!(pages_to_grow(small, 400), 100);
        assert_eq!(pages_to_grow(small, 4000), MOST);
        let big = Layout::from_size_align(40 * 1024 * 1024, 8).unwrap();
        let pages = pages_to_grow(big, 100);
        assert!(pages * PAGE >= big.size() + 256, "{pages} pages");
    }
}
