//! The `wecom` command.

fn main() {}
