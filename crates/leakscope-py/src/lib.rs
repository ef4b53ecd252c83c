//! The native half of the `leakscope` Python package (`leakscope._native`): thin bindings over
//! the library crates. Documents cross the boundary as JSON text (the Python half decodes them),
//! long work runs with the GIL released, and errors map to Python exceptions: bad arguments to
//! `ValueError`, missing files to `FileNotFoundError` (an `OSError`), everything else to
//! `leakscope.LeakscopeError`.

mod api;
mod dist;
mod opts;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    _native,
    LeakscopeError,
    PyException,
    "A leakscope operation produced no usable result (nothing readable, a plan mismatch...)."
);

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("LeakscopeError", m.py().get_type::<LeakscopeError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(api::scan, m)?)?;
    m.add_function(wrap_pyfunction!(api::inspect, m)?)?;
    m.add_function(wrap_pyfunction!(api::classify, m)?)?;
    m.add_function(wrap_pyfunction!(api::detect, m)?)?;
    m.add_function(wrap_pyfunction!(api::verify, m)?)?;
    m.add_function(wrap_pyfunction!(api::obligations, m)?)?;
    m.add_class::<dist::Counter>()?;
    m.add_function(wrap_pyfunction!(dist::plan_from_paths, m)?)?;
    m.add_function(wrap_pyfunction!(dist::plan_from_rows, m)?)?;
    m.add_function(wrap_pyfunction!(dist::plan_tables, m)?)?;
    m.add_function(wrap_pyfunction!(dist::scan_partial_rows, m)?)?;
    m.add_function(wrap_pyfunction!(dist::scan_partial_paths, m)?)?;
    m.add_function(wrap_pyfunction!(dist::scan_partial_range, m)?)?;
    m.add_function(wrap_pyfunction!(dist::merge, m)?)?;
    m.add_function(wrap_pyfunction!(dist::finish, m)?)?;
    m.add_function(wrap_pyfunction!(dist::record_cuts, m)?)?;
    m.add_function(wrap_pyfunction!(dist::sniff, m)?)?;
    Ok(())
}
