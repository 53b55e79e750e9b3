//! The freshness check: a bulk change is decided twice — once in the plan,
//! from what SearchUsers showed (which may lag), and again from a current
//! read of the user (DescribeUser) made right before the user's turn. The
//! second decision is the one acted on, under one rule:
//!
//! - already as wanted now → `unchanged` (whatever the plan thought);
//! - now outside what the command touches (a desk phone, for `agents set`
//!   without `--include-desk-phones`) → `skipped`;
//! - now the very change the plan made (the same setting, from the same
//!   value) → the write;
//! - anything else — the setting was changed to something else since the
//!   plan saw it, or a user the plan would have left alone now needs a
//!   change nobody confirmed — is someone else's change: reported
//!   (`ChangedMeanwhile`), never overwritten.
//!
//! Each command supplies only its [`Decision`] of one user; this module is
//! the rule, pure. The service has no conditional write, so a change made
//! between the read and the write still goes unseen: the read is sent
//! right before the write (see `ConnectApi::read_then_update`), so
//! that window is one round trip.

/// What a bulk command does with one user, decided from a read of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision<C> {
    /// Write this change (it says what it changes from and to).
    Change(C),
    /// Already as wanted.
    Unchanged,
    /// Left alone, for this reason.
    Skipped(String),
}

/// What to do after the current read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recheck<C> {
    /// Send the planned change.
    Write(C),
    Unchanged,
    Skipped(String),
    /// Someone else changed the user since the plan read it: what the plan
    /// decided, and what the user would need now.
    ChangedMeanwhile {
        planned: Decision<C>,
        now: C,
    },
}

/// The plan's decision against the decision from the user as it is now.
pub fn recheck<C: PartialEq + Clone>(planned: &Decision<C>, now: Decision<C>) -> Recheck<C> {
    match now {
        Decision::Unchanged => Recheck::Unchanged,
        Decision::Skipped(reason) => Recheck::Skipped(reason),
        Decision::Change(change) if *planned == Decision::Change(change.clone()) => {
            Recheck::Write(change)
        }
        Decision::Change(change) => Recheck::ChangedMeanwhile {
            planned: planned.clone(),
            now: change,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A change of one setting: (from, to).
    type Set = (u8, u8);

    #[test]
    fn the_current_read_decides_and_only_the_planned_change_is_written() {
        let planned: Decision<Set> = Decision::Change((0, 1));
        assert_eq!(
            recheck(&planned, Decision::Change((0, 1))),
            Recheck::Write((0, 1))
        );
        // Someone else got there first, or switched the user to a desk phone.
        assert_eq!(recheck(&planned, Decision::Unchanged), Recheck::Unchanged);
        assert_eq!(
            recheck(&planned, Decision::Skipped("desk".into())),
            Recheck::Skipped("desk".into())
        );
        // The setting is now something else than the plan saw: not overwritten.
        assert_eq!(
            recheck(&planned, Decision::Change((2, 1))),
            Recheck::ChangedMeanwhile {
                planned: planned.clone(),
                now: (2, 1)
            }
        );
    }

    #[test]
    fn a_user_the_plan_left_alone_is_never_written() {
        for planned in [Decision::Unchanged, Decision::Skipped("desk".into())] {
            assert_eq!(recheck(&planned, Decision::Unchanged), Recheck::Unchanged);
            assert!(matches!(
                recheck(&planned, Decision::Change((0, 1))),
                Recheck::ChangedMeanwhile { .. }
            ));
        }
    }
}
