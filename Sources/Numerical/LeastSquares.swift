import COpenBLAS

/// The minimum-norm least-squares solution of A X ≈ B (LAPACK `?gelsd`, by SVD).
///
/// Works for any shape: overdetermined (rows > cols) gives the least-squares fit,
/// underdetermined (rows < cols) the interpolant of smallest Frobenius norm; the
/// rank-deficient case is handled by discarding singular values below
/// `rcond * sigma_max` (`rcond < 0` means machine precision).
public struct LeastSquaresSolution<T: BLASScalar>: Sendable {
    /// `cols(A)` x `cols(B)`.
    public var x: Matrix<T>
    /// The effective rank LAPACK found.
    public var rank: Int
}

public enum LeastSquaresError: Error, CustomStringConvertible {
    case lapack(info: Int32)
    public var description: String {
        switch self {
        case .lapack(let info) where info > 0: return "gelsd: the SVD did not converge (\(info) off-diagonal elements)"
        case .lapack(let info): return "gelsd: argument \(-info) was invalid"
        }
    }
}

public func minimumNormLeastSquares<T: BLASScalar>(
    _ a: Matrix<T>, _ b: Matrix<T>, rcond: T = -1
) throws -> LeastSquaresSolution<T> {
    precondition(a.rows == b.rows, "least squares: A has \(a.rows) rows, B has \(b.rows)")
    let m = a.rows, n = a.cols, nrhs = b.cols
    // gelsd overwrites B in place and needs room for max(m, n) rows.
    let ldb = max(1, nrhs)
    var work = Matrix<T>(rows: max(m, n), cols: nrhs)
    for i in 0..<m { for j in 0..<nrhs { work[i, j] = b[i, j] } }
    var aCopy = a.storage
    var rank: Int32 = 0
    let info = aCopy.withUnsafeMutableBufferPointer { pa in
        work.storage.withUnsafeMutableBufferPointer { pb in
            T.gelsd(m: m, n: n, nrhs: nrhs, a: pa.baseAddress!, lda: max(1, n),
                    b: pb.baseAddress!, ldb: ldb, rcond: rcond, rank: &rank)
        }
    }
    guard info == 0 else { throw LeastSquaresError.lapack(info: info) }
    let x = Matrix<T>(rows: n, cols: nrhs, storage: Array(work.storage[0..<(n * nrhs)]))
    return LeastSquaresSolution(x: x, rank: Int(rank))
}

/// Solves A X = B for a symmetric positive-definite A by Cholesky (LAPACKE `dposv`,
/// blocked). Returns nil when A is not positive definite (a kernel matrix of rank
/// below its size), so the caller can fall back to least squares.
public func choleskySolve(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Matrix<Double>? {
    precondition(a.rows == a.cols && a.rows == b.rows, "cholesky: A must be square with B's row count")
    var factor = a.storage
    var x = b.storage
    let n = a.rows, nrhs = b.cols
    let info = factor.withUnsafeMutableBufferPointer { pa in
        x.withUnsafeMutableBufferPointer { pb in
            LAPACKE_dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), Int32(nrhs),
                          pa.baseAddress!, Int32(max(1, n)), pb.baseAddress!, Int32(max(1, nrhs)))
        }
    }
    guard info == 0 else { return nil }
    return Matrix(rows: n, cols: nrhs, storage: x)
}
