//! Helpers shared by the integration tests.

pub mod agents;
pub mod apply;
pub mod edit;
pub mod export;
pub mod local_server;
pub mod model;
pub mod process;
pub mod ragged_files;
pub mod sdk;
pub mod terminal;
