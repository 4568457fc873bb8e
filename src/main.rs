//! Mounts the app in the page. Everything else lives in the library.

mod heap;

// Talc instead of the standard library's allocator: every string of a record read at start-up is
// an allocation, and talc makes them several times faster than dlmalloc (BENCHMARKS.md). It is fed
// by `heap`, which grows the memory a share at a time rather than a page at a time.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: heap::Heap = heap::heap();

#[cfg(target_arch = "wasm32")]
fn main() {
    sendlog::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("SEND Log runs in the browser: build it with `trunk build` (see README.md).");
}
