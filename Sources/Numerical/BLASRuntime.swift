import COpenBLAS
import Foundation

/// Process-wide OpenBLAS set-up: one thread, a warm buffer, and what to record.
public enum BLASRuntime {
    /// One BLAS thread per rank. The thread count changes OpenBLAS's summation order
    /// (so the bits), and its default follows the cores free, which changes with
    /// `mpirun -n`; pinning it makes every task's result independent of the launch.
    public static func pinSingleThread() {
        openblas_set_num_threads(1)
    }

    /// Restarts this process with `OPENBLAS_NUM_THREADS=1` unless it is already set.
    ///
    /// `openblas_set_num_threads(1)` fixes the arithmetic, but the worker threads
    /// OpenBLAS started when it loaded stay alive and spin in `sched_yield`
    /// (measured with `perf`: ~4 % of a training run's samples). With one rank per
    /// core, that steals time from the rank next door. Only the environment
    /// variable, read when the library loads, stops them being created, so the
    /// program sets it and re-executes itself first thing (before MPI starts). If
    /// the exec fails, the process simply goes on.
    public static func relaunchWithOneThreadIfNeeded() {
        #if os(Linux)
        if let value = getenv("OPENBLAS_NUM_THREADS"), String(cString: value) == "1" { return }
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        #endif
    }

    /// OpenBLAS's current thread count.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The build configuration string, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ...".
    public static var config: String { String(cString: openblas_get_config()) }

    /// The kernel family in use, e.g. "Haswell".
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// Runs one 512^3 sgemm. A fresh process's first training-size sgemms run about
    /// 3x slower until one large sgemm has touched OpenBLAS's work buffer; doing it
    /// once at start-up keeps that cost out of the first task's wall time.
    public static func warmUp() {
        let n = 512
        let a = [Float](repeating: 1e-3, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        a.withUnsafeBufferPointer { pa in
            c.withUnsafeMutableBufferPointer { pc in
                Float.gemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1,
                           a: pa.baseAddress!, lda: n, b: pa.baseAddress!, ldb: n,
                           beta: 0, c: pc.baseAddress!, ldc: n)
            }
        }
    }
}
