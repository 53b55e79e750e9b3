//! Moved to [`crate::session`]. These re-exports keep code written against
//! `online::` building while other branches merge; new code uses `session`.

pub use crate::session::{
    check, describe, explain, explain_any, identity_of, instance_label, read_agents, required,
    resolve, runtime, Checked, Connection, Pacing, PacingFlags, Session, DEFAULT_CONCURRENCY,
};
