//! WeCom's XML wire form: the writer shared by passive replies, the template cards inside
//! them, and the callbacks the emulator sends.

mod writer;

pub use writer::XmlWriter;
