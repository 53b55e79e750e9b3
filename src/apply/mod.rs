//! Carrying out a plan: submission, per-row outcomes, the report, the file
//! of rows to run again, progress and the closing summary.

pub mod failed_out;
pub mod outcome;
pub mod progress;
pub mod report;
pub mod signals;
pub mod submit;
pub mod summary;
