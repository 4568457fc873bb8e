//! No import cycle among the modules of core, and the record uses nothing of the merge.
//!
//! Rust lets the modules of one crate use each other in a circle, so the compiler cannot check
//! this; the test reads the source instead. Every `crate::…` and `super::…` path in a module's
//! code (comments and `#[cfg(test)]` code left out: tests may use what they like) names the
//! module it uses; a folder (`record/`) counts as the one module it makes. Because the folder is
//! listed when the test runs, a file added to it later is read too.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Each module of core and the modules its code uses, read from the source under `root`.
fn uses(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let lib = fs::read_to_string(root.join("lib.rs")).unwrap();
    let exported = re_exports(&lib);
    let mut files: Vec<(String, bool, String)> = Vec::new(); // (module, in its folder, text)
    for entry in fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_some_and(|e| e == "rs") && name != "lib" {
            files.push((name, false, fs::read_to_string(&path).unwrap()));
        } else if path.is_dir() && name != "tests" {
            let mut in_folder: Vec<(String, String)> = fs::read_dir(&path)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .map(|p| {
                    let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
                    (stem, fs::read_to_string(&p).unwrap())
                })
                .collect();
            // Files declared only for tests (`#[cfg(test)] mod fixtures;`) are test code.
            let parent = root.join(format!("{name}.rs"));
            let parent = fs::read_to_string(parent)
                .or_else(|_| fs::read_to_string(path.join("mod.rs")))
                .unwrap_or_default();
            let test_only = test_only_files(&parent);
            in_folder.retain(|(stem, _)| !test_only.contains(stem));
            for (stem, text) in in_folder {
                files.push((name.clone(), stem != "mod", text));
            }
        }
    }
    let modules: BTreeSet<String> = files.iter().map(|(m, _, _)| m.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, in_folder, text) in &files {
        let used = graph.entry(module.clone()).or_default();
        for name in named(&code_of(text), *in_folder) {
            let target = if modules.contains(&name) {
                Some(name)
            } else {
                exported.get(&name).cloned()
            };
            if let Some(target) = target.filter(|t| t != module) {
                used.insert(target);
            }
        }
    }
    graph
}

/// What `pub use module::{Name, …};` in lib.rs makes `crate::Name` stand for.
fn re_exports(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for statement in code_of(lib).split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let mut words = identifiers(rest);
        let Some(module) = words.next() else { continue };
        for word in words {
            map.insert(word.to_string(), module.to_string());
        }
    }
    map
}

/// The names of the files that `#[cfg(test)] mod name;` declares.
fn test_only_files(text: &str) -> BTreeSet<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    lines
        .windows(2)
        .filter(|w| w[0] == "#[cfg(test)]")
        .filter_map(|w| w[1].strip_prefix("mod ")?.strip_suffix(';'))
        .map(str::to_string)
        .collect()
}

/// The code of a file without comments or its `#[cfg(test)]` module (kept at the end).
fn code_of(text: &str) -> String {
    let mut code = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let next = lines.peek().map_or("", |l| l.trim());
        if line.trim() == "#[cfg(test)]" && next.starts_with("mod ") && next.ends_with('{') {
            break;
        }
        code.push_str(line.split("//").next().unwrap());
        code.push('\n');
    }
    code
}

fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| c.is_alphabetic() || c == '_'))
}

/// The first names after every path that reaches the crate's root: `crate::x`, `super::x` in a
/// module's own file, `super::super::x` in a file of its folder, and each `x` of `crate::{x, …}`.
fn named(code: &str, in_folder: bool) -> Vec<String> {
    let mut names = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let one = rest.chars().next().map_or(1, char::len_utf8);
        let boundary = at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let (depth, after) = if !boundary {
            (None, one)
        } else if rest.starts_with("crate::") {
            (Some(0), "crate::".len())
        } else if rest.starts_with("super::") {
            let mut supers = 0;
            let mut tail = rest;
            while let Some(t) = tail.strip_prefix("super::") {
                supers += 1;
                tail = t;
            }
            (Some(supers), rest.len() - tail.len())
        } else {
            (None, one)
        };
        at += after;
        let reaches_root = match depth {
            Some(0) => true,
            Some(supers) => supers == if in_folder { 2 } else { 1 },
            None => false,
        };
        if !reaches_root {
            continue;
        }
        let path = &code[at..];
        if let Some(group) = path.strip_prefix('{') {
            // `{a, b::c, d::{e, f}}`: the first name of each item at the top level.
            let mut level = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => level += 1,
                    '}' if level == 0 => break,
                    '}' => level -= 1,
                    ',' if level == 0 => item_start = true,
                    c if item_start && (c.is_alphabetic() || c == '_') => {
                        names.extend(identifiers(&group[i..]).next().map(str::to_string));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else if let Some(name) = identifiers(path).next().filter(|n| path.starts_with(n)) {
            names.push(name.to_string());
        }
    }
    names
}

/// A cycle in the graph, as the modules along it, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut found = path[start..].to_vec();
            found.push(module.to_string());
            return Some(found);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_string());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(module.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

fn core() -> BTreeMap<String, BTreeSet<String>> {
    uses(Path::new(env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn no_module_of_the_record_uses_the_merge() {
    let graph = core();
    let record = &graph["record"];
    assert!(
        record.contains("guard") && record.contains("history"),
        "{record:?}"
    );
    assert!(!record.contains("merge"), "record uses {record:?}");
    assert!(
        graph["merge"].contains("record"),
        "the merge uses the record, as it may"
    );
}

#[test]
fn the_modules_of_core_use_each_other_in_no_circle() {
    let graph = core();
    assert!(graph.len() > 15, "every module is read: {:?}", graph.keys());
    assert_eq!(cycle(&graph), None, "{graph:#?}");
}

#[test]
fn every_way_of_naming_another_module_is_seen() {
    let code = code_of(
        "use crate::{merge, id::PupilId};\n\
         use super::super::order;\n\
         use super::patch::Patch; // super::bundle in a comment\n\
         fn f() { $crate::choice::x(); subcrate::y(); }\n\
         #[cfg(test)]\n\
         mod tests {\n    use crate::sample;\n}\n",
    );
    assert_eq!(named(&code, true), ["merge", "id", "order", "choice"]);
    assert_eq!(named(&code, false), ["merge", "id", "patch", "choice"]);
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(
        cycle(&graph),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
}
