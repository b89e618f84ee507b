fn main() { std::process::exit(tracediag_main()) } fn tracediag_main() -> i32 { 0 }
