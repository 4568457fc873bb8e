//! What one tracker table line shows, drawn once as HTML and afterwards rewritten in place, a
//! word at a time, when the line comes to show another action or its action changes.
//!
//! A line is written by hand rather than as a Leptos view because a search keystroke can put a
//! screenful of other actions in the lines: building their forty-odd elements each time (from
//! WebAssembly, or even as parsed HTML) and having the browser style and lay out all of them
//! took most of a keystroke on a tablet, where rewriting the words of elements kept costs a
//! fraction of it.

use super::action_card::{days_overdue_text, Row};
use super::route::Route;
use crate::core::query::{is_stale, missed_deadline};
use crate::core::{dates, ActionId, Choice, Status};
use html_escape::{
    encode_double_quoted_attribute_to_string as attr, encode_text_to_string as text,
};
use leptos::wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

/// Every word and mark a table line shows of one action.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub id: ActionId,
    pupil_href: String,
    pupil: String,
    year_group: &'static str,
    kind: &'static str,
    step: String,
    statutory: bool,
    escalate: bool,
    stale: bool,
    /// Which statutory deadline a step has missed, said in the line itself.
    missed: Option<String>,
    updated: String,
    owner: String,
    due: String,
    overdue: Option<String>,
    pub status: Status,
}

impl Line {
    pub fn of(row: &Row, today: chrono::NaiveDate) -> Line {
        let a = &row.action;
        Line {
            id: a.id,
            pupil_href: Route::Pupil(a.pupil).href(),
            pupil: row.pupil.clone(),
            year_group: row.year_group,
            kind: a.item_type.label(),
            step: a.next_step.clone(),
            statutory: a.statutory.is_some(),
            escalate: a.escalate,
            stale: is_stale(a, today),
            missed: missed_deadline(a, today),
            updated: dates::uk(a.last_update.at.with_timezone(&chrono::Local).date_naive()),
            owner: row.owner.clone(),
            due: dates::uk(a.due),
            overdue: a.days_overdue(today).map(days_overdue_text),
            status: a.status,
        }
    }

    /// The classes of the line's `tbody`: how its left edge and background show it.
    pub fn class(&self, open: bool) -> String {
        let mut class = String::from("action");
        for (on, name) in [
            (self.overdue.is_some(), " overdue"),
            (!self.status.is_live(), " closed"),
            (self.missed.is_some(), " statutory-missed"),
            (open, " open"),
        ] {
            if on {
                class.push_str(name);
            }
        }
        class
    }

    fn has_badges(&self) -> bool {
        self.statutory || self.escalate || self.stale
    }

    /// The short words under the step, on one line: the details say each in full.
    fn badges_html(&self) -> String {
        let mut h = String::new();
        for (on, badge) in [
            (
                self.statutory,
                r#"<span class="badge statutory">Statutory</span>"#,
            ),
            (
                self.escalate,
                r#"<span class="badge escalate">Needs escalation</span>"#,
            ),
            (
                self.stale,
                r#"<span class="badge stale" title="No update for 4 weeks">Stale</span>"#,
            ),
        ] {
            if on {
                h.push_str(badge);
            }
        }
        h
    }

    /// The line's cells as HTML, every word from the record escaped. `ticked` is whether the
    /// line is selected, where lines can be; `open`, whether its details are. What a line may
    /// or may not show (badges, a missed deadline, days overdue) is always there, hidden when
    /// empty, so that [`Parts::show`] has somewhere to write it.
    pub fn html(&self, ticked: Option<bool>, open: bool) -> String {
        let hidden = |empty: bool| if empty { " hidden" } else { "" };
        let mut h = String::with_capacity(2048);
        if let Some(ticked) = ticked {
            h.push_str(
                r#"<td class="col-select"><input type="checkbox" class="select" aria-label="Select: "#,
            );
            attr(&self.step, &mut h);
            h.push_str(if ticked {
                r#"" checked></td>"#
            } else {
                r#""></td>"#
            });
        }
        h.push_str(r#"<td class="col-pupil"><a class="pupil" href=""#);
        attr(&self.pupil_href, &mut h);
        h.push_str(r#""><span class="clamp"><span class="pupil-name">"#);
        text(&self.pupil, &mut h);
        h.push_str(r#"</span> <span class="sub"><span class="year">"#);
        text(self.year_group, &mut h);
        h.push_str(r#"</span><span class="narrow kind">"#);
        text(narrow_kind(self.kind), &mut h);
        h.push_str(r#"</span></span></span></a></td><td class="col-type"><span class="clamp">"#);
        text(self.kind, &mut h);
        h.push_str(r#"</span></td><td class="col-action"#);
        h.push_str(if self.has_badges() {
            r#" badged">"#
        } else {
            r#"">"#
        });
        h.push_str(r#"<span class="next-step clamp">"#);
        text(&self.step, &mut h);
        h.push_str(r#"</span><span class="badges""#);
        h.push_str(hidden(!self.has_badges()));
        h.push('>');
        h.push_str(&self.badges_html());
        h.push_str(r#"</span><span class="note statutory-missed""#);
        h.push_str(hidden(self.missed.is_none()));
        h.push('>');
        text(self.missed.as_deref().unwrap_or_default(), &mut h);
        h.push_str(r#"</span><span class="narrow sub updated">"#);
        text(updated_text(&self.updated), &mut h);
        h.push_str(r#"</span></td><td class="col-owner"><span class="clamp">"#);
        text(&self.owner, &mut h);
        h.push_str(r#"</span></td><td class="col-due"><span class="due-date">"#);
        text(&self.due, &mut h);
        h.push_str(r#"</span><span class="overdue-days""#);
        h.push_str(hidden(self.overdue.is_none()));
        h.push('>');
        text(self.overdue.as_deref().unwrap_or_default(), &mut h);
        h.push_str(
            r#"</span></td><td class="col-status"><select class="status-select" aria-label="Status of: "#,
        );
        attr(&self.step, &mut h);
        h.push_str(r#"">"#);
        for &s in Status::ALL {
            h.push_str(r#"<option value=""#);
            attr(s.code(), &mut h);
            h.push_str(if s == self.status {
                r#"" selected>"#
            } else {
                r#"">"#
            });
            text(s.short_label(), &mut h);
            h.push_str("</option>");
        }
        h.push_str(r#"</select></td><td class="col-updated">"#);
        text(&self.updated, &mut h);
        h.push_str(
            r#"</td><td class="col-more"><button type="button" class="more" aria-label="Details of: "#,
        );
        attr(&self.step, &mut h);
        h.push_str(r#"" aria-expanded=""#);
        h.push_str(if open { "true" } else { "false" });
        h.push_str(r#"" aria-controls=""#);
        h.push_str(&details_id(self.id));
        h.push_str(r#""><span aria-hidden="true">"#);
        h.push_str(arrow(open));
        h.push_str("</span></button></td>");
        h
    }
}

/// The id of the row beneath a line that holds its details.
pub fn details_id(id: ActionId) -> String {
    format!("details-{id}")
}

/// The Details button's arrow: up once open.
pub fn arrow(open: bool) -> &'static str {
    if open {
        "▴"
    } else {
        "▾"
    }
}

/// The item type as the pupil's cell shows it where the table has no column for it.
fn narrow_kind(kind: &str) -> String {
    format!(" · {kind}")
}

fn updated_text(updated: &str) -> String {
    format!("Updated {updated}")
}

/// The elements of a drawn line that hold its words, found once.
pub struct Parts {
    tick: Option<Element>,
    pupil: Element,
    name: Element,
    year: Element,
    narrow_kind: Element,
    kind: Element,
    action: Element,
    step: Element,
    badges: Element,
    missed: Element,
    narrow_updated: Element,
    owner: Element,
    due: Element,
    overdue: Element,
    status: HtmlSelectElement,
    updated: Element,
    more: Element,
}

impl Parts {
    /// The parts of `line`, a `tr` drawn from [`Line::html`]; none if it was not.
    pub fn find(line: &Element) -> Option<Parts> {
        let get = |selector: &str| line.query_selector(selector).ok().flatten();
        Some(Parts {
            tick: get("input.select"),
            pupil: get("a.pupil")?,
            name: get(".pupil-name")?,
            year: get(".year")?,
            narrow_kind: get(".narrow.kind")?,
            kind: get(".col-type .clamp")?,
            action: get("td.col-action")?,
            step: get(".next-step")?,
            badges: get(".badges")?,
            missed: get(".note.statutory-missed")?,
            narrow_updated: get(".narrow.updated")?,
            owner: get(".col-owner .clamp")?,
            due: get(".due-date")?,
            overdue: get(".overdue-days")?,
            status: get("select.status-select")?.dyn_into().ok()?,
            updated: get("td.col-updated")?,
            more: get("button.more")?,
        })
    }

    /// Rewrites what the line shows from `before` to `now`: only the words that differ. The
    /// tick and whether the details are open are the table's to set.
    pub fn show(&self, before: &Line, now: &Line) {
        let write = |at: &Element, was: &str, is: &str| {
            if was != is {
                at.set_text_content(Some(is));
            }
        };
        let label = |at: &Element, name: &str, prefix: &str| {
            let _ = at.set_attribute(name, &format!("{prefix}{}", now.step));
        };
        if before.step != now.step {
            if let Some(tick) = &self.tick {
                label(tick, "aria-label", "Select: ");
            }
            label(self.status.as_ref(), "aria-label", "Status of: ");
            label(&self.more, "aria-label", "Details of: ");
            self.step.set_text_content(Some(&now.step));
        }
        if before.pupil_href != now.pupil_href {
            let _ = self.pupil.set_attribute("href", &now.pupil_href);
        }
        write(&self.name, &before.pupil, &now.pupil);
        write(&self.year, before.year_group, now.year_group);
        if before.kind != now.kind {
            self.narrow_kind
                .set_text_content(Some(&narrow_kind(now.kind)));
            self.kind.set_text_content(Some(now.kind));
        }
        if before.badges_html() != now.badges_html() {
            self.badges.set_inner_html(&now.badges_html());
            let _ = self
                .badges
                .toggle_attribute_with_force("hidden", !now.has_badges());
            let _ = self
                .action
                .class_list()
                .toggle_with_force("badged", now.has_badges());
        }
        let optional = |at: &Element, was: &Option<String>, is: &Option<String>| {
            if was != is {
                at.set_text_content(is.as_deref());
                let _ = at.toggle_attribute_with_force("hidden", is.is_none());
            }
        };
        optional(&self.missed, &before.missed, &now.missed);
        optional(&self.overdue, &before.overdue, &now.overdue);
        if before.updated != now.updated {
            self.narrow_updated
                .set_text_content(Some(&updated_text(&now.updated)));
            self.updated.set_text_content(Some(&now.updated));
        }
        write(&self.owner, &before.owner, &now.owner);
        write(&self.due, &before.due, &now.due);
        // The box's own value, not `before`'s: a tap may have chosen the new status already.
        if self.status.value() != now.status.code() {
            self.status.set_value(now.status.code());
        }
        if before.id != now.id {
            let _ = self
                .more
                .set_attribute("aria-controls", &details_id(now.id));
        }
    }
}

/// The tick box of a drawn line, if it has one.
pub fn tick_box(line: &Element) -> Option<HtmlInputElement> {
    line.query_selector("input.select")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
}
