//! A pupil's EHC plan reviews as the record holds them: the next review and how far it has got,
//! what its date offers to plan or move (and taking it, in one tap), and the statutory deadlines
//! coming up across the school.

use crate::action::{Action, ActionDraft, ItemType, Status};
use crate::dates;
use crate::id::{ActionId, PupilId};
use crate::pupil::{Pupil, SendStatus, YearGroup};
use crate::record::{Edit, PupilEdit, Record, Refusal, Touched, Undo};
use crate::statutory::{self, Statutory, Step, STEPS};
use chrono::{DateTime, Days, NaiveDate, Utc};

/// Who a planned step is given to unless the person changes it.
pub const PLANNED_OWNER: &str = "SENCO";

/// How far ahead the weekly review looks for statutory deadlines.
pub const STATUTORY_AHEAD_DAYS: u64 = 28;

/// One review of one pupil: its date and the actions of its steps.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewLine<'a> {
    pub review: NaiveDate,
    /// Each step in order, with its action where the record holds one.
    pub steps: Vec<(Step, Option<&'a Action>)>,
}

impl ReviewLine<'_> {
    /// The steps done, in order.
    pub fn done(&self) -> Vec<Step> {
        self.steps
            .iter()
            .filter(|(_, a)| a.is_some_and(|a| a.status == Status::Done))
            .map(|(step, _)| *step)
            .collect()
    }

    /// "Advice in", or "Not started".
    pub fn stage(&self) -> &'static str {
        statutory::stage(&self.done())
    }

    /// Whether its meeting is held (the meeting step's action is done).
    pub fn held(&self) -> bool {
        self.done().contains(&Step::Meeting)
    }
}

/// What a pupil's review date offers, one tap away.
#[derive(Clone, Debug, PartialEq)]
pub enum Offer {
    /// Add the steps of the review on `review` the record does not hold yet.
    Plan {
        review: NaiveDate,
        drafts: Vec<ActionDraft>,
    },
    /// The review moved from `from` to `to`: move the actions of its steps not yet done, each to
    /// its step's date for the new review.
    Move {
        from: NaiveDate,
        to: NaiveDate,
        moves: Vec<Moved>,
    },
    /// The review on `held` is held: set the next one, twelve months on.
    Next { held: NaiveDate, next: NaiveDate },
    /// A pupil in a transfer year: add the amendment's deadline as an action.
    Transfer {
        deadline: NaiveDate,
        drafts: Vec<ActionDraft>,
    },
}

impl Offer {
    /// The offer with its new actions given to `owner` instead of the SENCO (as typed beside
    /// the offer; left as it is when nothing is typed).
    pub fn with_owner(mut self, owner: &str) -> Offer {
        let owner = owner.trim();
        if let (Offer::Plan { drafts, .. } | Offer::Transfer { drafts, .. }, false) =
            (&mut self, owner.is_empty())
        {
            for draft in drafts {
                draft.owner = owner.to_string();
            }
        }
        self
    }

    /// Whether taking it adds actions (whose owner can be chosen first).
    pub fn adds(&self) -> bool {
        matches!(self, Offer::Plan { .. } | Offer::Transfer { .. })
    }
}

/// One action moved with its review.
#[derive(Clone, Debug, PartialEq)]
pub struct Moved {
    pub action: ActionId,
    pub step: Step,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Moved {
    /// The edits that move it: its due date and the review it belongs to.
    pub fn edits(&self, review: NaiveDate) -> [Edit; 2] {
        [
            Edit::Due(self.to),
            Edit::Statutory(Some(Statutory {
                review,
                step: self.step,
            })),
        ]
    }
}

/// What a pupil's page shows of their reviews, from one reading of the record's actions: each
/// review the record holds, and what the review date and the transfer year offer.
pub struct PupilReviews<'a> {
    pub lines: Vec<ReviewLine<'a>>,
    pub offers: Vec<Offer>,
}

/// The pupil's reviews and offers (see [`PupilReviews`]); `also` holds the setting's own
/// transfer years. Reads each of the record's actions once (the pupil's page asks it, never an
/// edit).
pub fn pupil_reviews<'a>(
    record: &'a Record,
    pupil: &Pupil,
    also: &[YearGroup],
    today: NaiveDate,
) -> PupilReviews<'a> {
    let theirs = statutory_of(record, pupil.id);
    let lines = lines_of(&theirs);
    let offers = [
        offer_from(&lines, pupil, today),
        transfer_offer_from(&theirs, pupil, also, today),
    ]
    .into_iter()
    .flatten()
    .collect();
    PupilReviews { lines, offers }
}

/// The pupil's statutory actions, in the record's order.
fn statutory_of(record: &Record, pupil: PupilId) -> Vec<&Action> {
    record
        .actions()
        .iter()
        .filter(|a| a.pupil == pupil && a.statutory.is_some())
        .collect()
}

/// Every review the record holds actions for, for one pupil, the latest first.
pub fn reviews_of(record: &Record, pupil: PupilId) -> Vec<ReviewLine<'_>> {
    lines_of(&statutory_of(record, pupil))
}

/// The reviews `actions` (one pupil's statutory actions) are steps of, the latest first.
fn lines_of<'a>(actions: &[&'a Action]) -> Vec<ReviewLine<'a>> {
    let mut lines: Vec<ReviewLine<'a>> = Vec::new();
    for &action in actions {
        let Some(link) = action.statutory.filter(|l| l.step != Step::Transfer) else {
            continue;
        };
        let at = match lines.iter().position(|l| l.review == link.review) {
            Some(at) => at,
            None => {
                lines.push(ReviewLine {
                    review: link.review,
                    steps: STEPS.iter().map(|r| (r.step, None)).collect(),
                });
                lines.len() - 1
            }
        };
        if let Some(slot) = lines[at].steps.iter_mut().find(|(s, _)| *s == link.step) {
            // Where a step is held twice, the live one counts.
            if slot.1.is_none_or(|a| !a.status.is_live()) {
                slot.1 = Some(action);
            }
        }
    }
    lines.sort_by_key(|l| std::cmp::Reverse(l.review));
    lines
}

/// What the pupil's annual review date offers: nothing unless they have an EHC plan and a
/// review date. A review the record holds with every step offers the next year's once its
/// meeting is held; a review with steps missing offers them; a new date offers to move the
/// steps not yet done of a review not yet held, or else to plan the new one.
pub fn offer(record: &Record, pupil: &Pupil, today: NaiveDate) -> Option<Offer> {
    offer_from(&reviews_of(record, pupil.id), pupil, today)
}

/// [`offer`], from the pupil's reviews already read.
fn offer_from(lines: &[ReviewLine<'_>], pupil: &Pupil, today: NaiveDate) -> Option<Offer> {
    if pupil.send_status != SendStatus::EhcPlan {
        return None;
    }
    let review = pupil.annual_review?;
    if let Some(line) = lines.iter().find(|l| l.review == review) {
        let missing: Vec<Step> = line
            .steps
            .iter()
            .filter(|(_, a)| a.is_none())
            .map(|(s, _)| *s)
            .collect();
        if line.held() {
            let next = statutory::next_review(review)?;
            return Some(Offer::Next { held: review, next });
        }
        if missing.is_empty() {
            return None;
        }
        let drafts = drafts(pupil.id, review, &missing, today);
        return (!drafts.is_empty()).then_some(Offer::Plan { review, drafts });
    }
    let moving = lines.iter().find(|l| {
        !l.held()
            && l.steps
                .iter()
                .any(|(_, a)| a.is_some_and(|a| a.status.is_live()))
    });
    if let Some(line) = moving {
        let moves: Vec<Moved> = line
            .steps
            .iter()
            .filter_map(|(step, a)| {
                let a = a.filter(|a| a.status.is_live())?;
                Some(Moved {
                    action: a.id,
                    step: *step,
                    from: a.due,
                    to: planned_due(*step, review, today)?,
                })
            })
            .collect();
        return Some(Offer::Move {
            from: line.review,
            to: review,
            moves,
        });
    }
    let every: Vec<Step> = STEPS.iter().map(|r| r.step).collect();
    let drafts = drafts(pupil.id, review, &every, today);
    (!drafts.is_empty()).then_some(Offer::Plan { review, drafts })
}

/// The phase-transfer deadline still ahead of a pupil with an EHC plan who has not left, in a
/// transfer year (see [`statutory::transfer_deadline`]); `also` holds the setting's own
/// transfer years. The one test of "this pupil's transfer is coming": their page, the weekly
/// review and the offer all ask it.
pub fn transfer_due(pupil: &Pupil, also: &[YearGroup], today: NaiveDate) -> Option<NaiveDate> {
    if pupil.send_status != SendStatus::EhcPlan || pupil.left_on.is_some() {
        return None;
    }
    statutory::transfer_deadline(pupil.year_group, also, today)
        .filter(|d| *d >= today && dates::in_range(*d))
}

/// Whether a pupil whose transfer deadline is `deadline` has no annual review set before it,
/// so their page says to hold one in time.
pub fn needs_review_before(pupil: &Pupil, deadline: NaiveDate) -> bool {
    pupil.annual_review.is_none_or(|review| review > deadline)
}

/// What a pupil in a phase-transfer year offers: the amendment's deadline as a statutory
/// action, unless the record holds it already (or the pupil has no plan, has left, or the
/// deadline has passed). `also` holds the setting's own transfer years.
pub fn transfer_offer(
    record: &Record,
    pupil: &Pupil,
    also: &[YearGroup],
    today: NaiveDate,
) -> Option<Offer> {
    transfer_offer_from(&statutory_of(record, pupil.id), pupil, also, today)
}

/// [`transfer_offer`], from the pupil's statutory actions already read.
fn transfer_offer_from(
    theirs: &[&Action],
    pupil: &Pupil,
    also: &[YearGroup],
    today: NaiveDate,
) -> Option<Offer> {
    let deadline = transfer_due(pupil, also, today).filter(|_| dates::in_range(today))?;
    let link = Statutory {
        review: deadline,
        step: Step::Transfer,
    };
    if theirs.iter().any(|a| a.statutory == Some(link)) {
        return None;
    }
    let draft = ActionDraft {
        pupil: Some(pupil.id),
        raised: Some(today),
        item_type: Some(ItemType::Review),
        decision: statutory::transfer_text(pupil.year_group, deadline),
        next_step: Step::Transfer.rule().action.to_string(),
        owner: PLANNED_OWNER.to_string(),
        due: Some(deadline),
        statutory: Some(link),
        ..ActionDraft::default()
    };
    Some(Offer::Transfer {
        deadline,
        drafts: vec![draft],
    })
}

/// A step's due date as planned today: its usual date; if that has passed, the latest the law
/// allows; if that has passed too, today (a step already late is still planned, and shown as
/// missed). `None` where that falls outside the years the record accepts.
pub fn planned_due(step: Step, review: NaiveDate, today: NaiveDate) -> Option<NaiveDate> {
    let due = step.due(review)?;
    let planned = if due >= today {
        due
    } else {
        step.latest(review).filter(|l| *l >= today).unwrap_or(today)
    };
    (dates::in_range(planned) && dates::in_range(today)).then_some(planned)
}

/// The actions that plan `steps` of the review on `review`: owner SENCO, item type review,
/// raised today, each linked to the review.
fn drafts(pupil: PupilId, review: NaiveDate, steps: &[Step], today: NaiveDate) -> Vec<ActionDraft> {
    steps
        .iter()
        .filter_map(|&step| {
            Some(ActionDraft {
                pupil: Some(pupil),
                raised: Some(today),
                item_type: Some(ItemType::Review),
                decision: format!("EHC plan annual review on {}", dates::uk(review)),
                next_step: step.rule().action.to_string(),
                owner: PLANNED_OWNER.to_string(),
                due: Some(planned_due(step, review, today)?),
                statutory: Some(Statutory { review, step }),
                ..ActionDraft::default()
            })
        })
        .collect()
}

/// Whether a live statutory action's deadline has passed: after the latest date the law allows
/// for its step (not merely its planned due date).
pub fn is_missed(action: &Action, today: NaiveDate) -> bool {
    match action.statutory {
        Some(link) if action.status.is_live() => {
            link.step.latest(link.review).is_some_and(|l| l < today)
        }
        _ => false,
    }
}

/// What a missed statutory action says of the deadline it missed ("Missed: the report must be
/// sent within 2 weeks of the meeting …"), if [`is_missed`].
pub fn missed_deadline(action: &Action, today: NaiveDate) -> Option<String> {
    let link = action.statutory.filter(|_| is_missed(action, today))?;
    Some(link.step.missed(link.review))
}

/// Whether a live statutory action is due within [`STATUTORY_AHEAD_DAYS`] of `today`, or its
/// deadline is already missed: what the weekly review warns of.
pub fn is_statutory_soon(action: &Action, today: NaiveDate) -> bool {
    let ahead = today.checked_add_days(Days::new(STATUTORY_AHEAD_DAYS));
    action.statutory.is_some()
        && action.status.is_live()
        && (ahead.is_none_or(|end| action.due <= end) || is_missed(action, today))
}

/// Takes `offer` for `pupil`: hands back what to announce and how to undo it. A refusal
/// (a step no longer in the record, say) changes nothing.
pub fn take_offer(
    record: &mut Record,
    pupil: PupilId,
    offer: &Offer,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<((String, Undo), Touched), Refusal> {
    let name = record
        .pupil(pupil)
        .ok_or(Refusal::NoSuchPupil)?
        .name
        .clone();
    match offer {
        Offer::Plan { review, drafts } => {
            let (ids, touched) = record.add_actions(drafts, today, now)?;
            let label = format!(
                "{} added for {name}'s EHC plan review on {}.",
                count(ids.len(), "statutory action"),
                dates::uk(*review)
            );
            Ok(((label, Undo::Added(ids)), touched))
        }
        Offer::Move { from, to, moves } => {
            let rows: Vec<_> = moves
                .iter()
                .map(|m| (m.action, m.edits(*to).to_vec()))
                .collect();
            let note = format!(
                "Review moved from {} to {}",
                dates::uk(*from),
                dates::uk(*to)
            );
            let (undo, touched) = record.edit_each(&rows, Some(&note), now)?;
            let label = format!(
                "{} moved to {name}'s EHC plan review on {}.",
                count(moves.len(), "statutory action"),
                dates::uk(*to)
            );
            Ok(((label, undo), touched))
        }
        Offer::Transfer { deadline, drafts } => {
            let (ids, touched) = record.add_actions(drafts, today, now)?;
            let label = format!(
                "Phase-transfer deadline added for {name}: {}.",
                dates::uk(*deadline)
            );
            Ok(((label, Undo::Added(ids)), touched))
        }
        Offer::Next { next, .. } => {
            record.edit_pupil(pupil, PupilEdit::AnnualReview(Some(*next)), now)
        }
    }
}

/// "1 statutory action", "5 statutory actions".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The pupils with an EHC plan in a transfer year (see [`statutory::transfer_deadline`]) whose
/// transfer deadline has not passed, soonest first: what the weekly review shows from the
/// autumn term. `also` holds the setting's own transfer years.
pub fn transfers(
    record: &Record,
    also: &[YearGroup],
    today: NaiveDate,
) -> Vec<(PupilId, NaiveDate)> {
    let mut due: Vec<(PupilId, NaiveDate)> = record
        .pupils()
        .iter()
        .filter_map(|p| Some((p.id, transfer_due(p, also, today)?)))
        .collect();
    due.sort_by_key(|&(id, deadline)| (deadline, record.pupil(id).map(|p| p.name.clone())));
    due
}

#[cfg(test)]
#[path = "reviews_tests.rs"]
mod tests;
