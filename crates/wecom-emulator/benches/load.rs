//! Load generator (written later).
fn main() {}
