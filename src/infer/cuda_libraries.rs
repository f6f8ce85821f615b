//! The CUDA and cuDNN libraries `make setup-gpu` puts beside ONNX Runtime's CUDA build
//! (`models/gpu/`, from `models/gpu-manifest.txt`).
//!
//! ONNX Runtime's CUDA provider names them without a folder and carries no search path of its
//! own (its Python package loads them before it), so without help only `LD_LIBRARY_PATH` would
//! find them. They are loaded here first, by path, so that the dynamic loader takes the copies
//! already loaded; they stay loaded until the process ends, as the provider uses them.

use std::ffi::{CStr, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The libraries, each after those it needs (cuBLAS needs cuBLASLt; cuRAND the CUDA runtime;
/// every part of cuDNN its graph library, and two of them its ops library).
const IN_LOAD_ORDER: [&str; 17] = [
    "libcudart.so.13",
    "libcublasLt.so.13",
    "libcublas.so.13",
    "libcurand.so.10",
    "libcufft.so.12",
    "libnvJitLink.so.13",
    "libnvrtc.so.13",
    "libcudnn_graph.so.9",
    "libcudnn_ops.so.9",
    "libcudnn_cnn.so.9",
    "libcudnn_adv.so.9",
    "libcudnn_heuristic.so.9",
    "libcudnn_ext.so.9",
    "libcudnn_engines_precompiled.so.9",
    "libcudnn_engines_runtime_compiled.so.9",
    "libcudnn_engines_tensor_ir.so.9",
    "libcudnn.so.9",
];

/// Loads the CUDA libraries that lie beside `ort_library`; those that do not (all of them
/// beside the CPU build in `models/`, some where a folder holds only part of the set) are left
/// to the loader's own search (`LD_LIBRARY_PATH`). Why one would not load is the error: the
/// driver missing ("libcuda.so.1: cannot open shared object file"), a damaged file.
pub fn load_beside(ort_library: &Path) -> Result<(), String> {
    let Some(folder) = ort_library.parent() else { return Ok(()) };
    for name in IN_LOAD_ORDER {
        let path = folder.join(name);
        if !path.is_file() {
            continue;
        }
        let c_path = CString::new(path.as_os_str().as_bytes()).map_err(|_| format!("{}: a NUL in the path", path.display()))?;
        // Never closed: the CUDA provider loads against these for the rest of the process.
        let handle = unsafe { libc::dlopen(c_path.as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL) };
        if handle.is_null() {
            return Err(format!("cannot load {name}: {}", last_loader_error()));
        }
    }
    Ok(())
}

/// The dynamic loader's last error message.
fn last_loader_error() -> String {
    let message = unsafe { libc::dlerror() };
    if message.is_null() {
        return "unknown error".into();
    }
    unsafe { CStr::from_ptr(message) }.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_a_cuda_runtime_loads_nothing() {
        let folder = tempfile::tempdir().unwrap();
        assert_eq!(load_beside(&folder.path().join("libonnxruntime.so.1.31.1")), Ok(()));
        assert_eq!(load_beside(Path::new("libonnxruntime.so.1.31.1")), Ok(()));
    }

    #[test]
    fn a_file_that_is_no_library_is_named() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("libcublasLt.so.13"), b"not a library").unwrap();
        let why = load_beside(&folder.path().join("libonnxruntime.so.1.31.1")).unwrap_err();
        assert!(why.starts_with("cannot load libcublasLt.so.13: "), "{why}");
    }

    #[test]
    fn the_libraries_present_are_loaded_and_the_others_left_to_the_loader() {
        let folder = tempfile::tempdir().unwrap();
        // A real shared library standing in for the CUDA runtime, so that it loads.
        let libm = ["/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6", "/lib64/libm.so.6"]
            .into_iter()
            .find(|path| Path::new(path).is_file())
            .expect("the C maths library");
        let runtime = folder.path().join("libcudart.so.13");
        std::fs::copy(libm, &runtime).unwrap();
        assert_eq!(load_beside(&folder.path().join("libonnxruntime.so.1.31.1")), Ok(()));
        let path = CString::new(runtime.as_os_str().as_bytes()).unwrap();
        let already_loaded = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_NOLOAD) };
        assert!(!already_loaded.is_null(), "the runtime beside the library was loaded");
    }
}
