//! Which copy of SEND Log this is, by the folder it is served from: two copies at two paths of
//! one host (`https://school.example/sendlog/` and `…/sendlog-test/`) share the origin's
//! storage, so each names its database, its notes in localStorage and its lock after its folder.
//! A copy at the root of a host keeps the names it has always had (`sendlog`, `sendlog:draft:…`),
//! so that a record stored before copies could live at other paths opens as it was.

/// `base` (a name beginning `sendlog`) as the copy served from the folder `folder` names it:
/// unchanged at the root, `sendlog@/sub/path/…` elsewhere.
pub fn named_at(base: &str, folder: &str) -> String {
    match base.strip_prefix("sendlog") {
        Some(rest) if folder != "/" => format!("sendlog@{folder}{rest}"),
        _ => base.to_string(),
    }
}

/// The folder of a page's path: `/sendlog/` for `/sendlog/index.html` or `/sendlog/`.
pub fn folder_of(pathname: &str) -> &str {
    match pathname.rfind('/') {
        Some(end) => &pathname[..=end],
        None => "/",
    }
}

/// `base` as this copy names it (see [`named_at`]), from the page's own address.
#[cfg(target_arch = "wasm32")]
pub fn named(base: &str) -> String {
    thread_local! {
        static FOLDER: String = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .map(|path| folder_of(&path).to_string())
            .unwrap_or_else(|| "/".into());
    }
    FOLDER.with(|folder| named_at(base, folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_at_the_root_keeps_its_names_and_one_elsewhere_is_named_by_its_folder() {
        assert_eq!(named_at("sendlog", "/"), "sendlog");
        assert_eq!(named_at("sendlog:draft:", "/"), "sendlog:draft:");
        assert_eq!(named_at("sendlog", "/sendlog/"), "sendlog@/sendlog/");
        assert_eq!(
            named_at("sendlog:draft:", "/trust/ysgol/"),
            "sendlog@/trust/ysgol/:draft:"
        );
        assert_eq!(named_at("sendlog-record", "/a/"), "sendlog@/a/-record");
        // Two folders, two names; a folder and its sub-folder too.
        assert_ne!(named_at("sendlog", "/a/"), named_at("sendlog", "/a/b/"));
        assert_eq!(folder_of("/sendlog/index.html"), "/sendlog/");
        assert_eq!(folder_of("/sendlog/"), "/sendlog/");
        assert_eq!(folder_of("/"), "/");
        assert_eq!(folder_of(""), "/");
    }
}
