//! One module per command, each the same shape: an `Args` struct (clap
//! derive, doc comments as help) and `run(args) -> Result<Exit>`.

pub mod agents_edit;
pub mod agents_export;
pub mod agents_list;
pub mod agents_remove;
pub mod agents_set;
pub mod args;
pub mod bulk;
pub mod completions;
pub mod guide;
pub mod import_apply;
pub mod import_validate;
pub mod local_serve;
pub mod man;
pub mod shown;
pub mod template_fetch;
