//! Mounts the app in the page. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    sendlog::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("SEND Log runs in the browser: build it with `trunk build` (see README.md).");
}
