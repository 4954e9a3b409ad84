//! Datasets for ngoaivu: the demo built from the five real reports
//! (`data/demo.json`, a data file, loaded through the same service and
//! validation as the API) and the synthetic national dataset of `ngoaivu gen`.
#![forbid(unsafe_code)]

pub mod demo;
pub mod reports;
pub mod synth;
