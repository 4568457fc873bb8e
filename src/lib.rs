//! SEND Log: an offline-first SEND action log and live tracker for UK schools.
//!
//! Three rooms, kept apart:
//! - [`core`]: the domain in plain Rust, tested natively;
//! - [`store`]: the browser's storage (IndexedDB), and nothing else touches it;
//! - `ui`: Leptos components that read signals and call the core (WebAssembly only).

pub use sendlog_core as core;
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod ui;
