//! `connect-users` as a library: a pure core (template, parse, validate,
//! plan) with the instance API, files and terminal at the edges.
//!
//! The library never prints on its own: the command modules under
//! [`commands`] write the output, and the one exception is the progress
//! display, prompt and signal handlers of a run (`terminal`), on stderr.

pub mod agents;
pub mod apply;
pub mod cli;
pub mod commands;
pub mod connect;
pub mod exit;
pub mod finding;
pub mod guide;
pub mod identity;
pub mod input;
pub mod local;
pub mod output;
pub mod output_file;
pub mod plan;
pub mod run;
pub mod secret;
pub mod session;
pub mod template;
pub mod terminal;
pub mod user;
pub mod validate;
