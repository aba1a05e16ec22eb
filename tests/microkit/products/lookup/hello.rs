// A program in another language: the build must say it does not build it.
fn main() {}
