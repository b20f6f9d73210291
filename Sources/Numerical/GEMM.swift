/// op(A) * op(B) through CBLAS `?gemm` (row-major), a fresh result matrix.
///
/// Bits depend on OpenBLAS's kernel and thread count: the program pins one thread
/// per rank (`BLASRuntime.pinSingleThread`) so results never depend on the rank count.
@inlinable public func matmul<T: BLASScalar>(_ a: Matrix<T>, _ b: Matrix<T>,
                                  transA: Bool = false, transB: Bool = false) -> Matrix<T> {
    let m = transA ? a.cols : a.rows
    let k = transA ? a.rows : a.cols
    let kb = transB ? b.cols : b.rows
    let n = transB ? b.rows : b.cols
    precondition(k == kb, "matmul: inner dimensions \(k) and \(kb) differ")
    var c = Matrix<T>(rows: m, cols: n)
    if m == 0 || n == 0 { return c }
    if k == 0 { return c }
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                T.gemm(transA: transA, transB: transB, m: m, n: n, k: k,
                       alpha: 1, a: pa.baseAddress!, lda: max(1, a.cols),
                       b: pb.baseAddress!, ldb: max(1, b.cols),
                       beta: 0, c: pc.baseAddress!, ldc: max(1, n))
            }
        }
    }
    return c
}
