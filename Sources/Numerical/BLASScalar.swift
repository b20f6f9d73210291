import CKernels
import COpenBLAS

/// A floating-point type that CBLAS and LAPACKE have routines for.
///
/// Each requirement forwards to the `s`/`d` routine of the same name, so generic
/// code over `Float` and `Double` calls BLAS without branching on the type.
public protocol BLASScalar: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// The name stored beside raw outputs (`float32` or `float64`).
    static var dtypeName: String { get }

    /// This value as a Double. Generic code must use this, not `Double(x)`: that
    /// resolves to the standard library's generic conversion, which stays
    /// unspecialized across modules and looks up type metadata on every call
    /// (measured: several % of a training step).
    var double: Double { get }

    /// C = alpha * op(A) * op(B) + beta * C, all row-major.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// LAPACKE `?gelsd` (row-major): min-norm least squares by SVD.
    /// Returns LAPACK's `info` and writes the effective rank.
    static func gelsd(
        m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, lda: Int,
        b: UnsafeMutablePointer<Self>, ldb: Int, rcond: Self, rank: inout Int32) -> Int32

    /// One Adam step over `n` parameters (PyTorch's form, L2 weight decay), leaving g zero:
    /// g' = g + wd w; m = b1 m + (1-b1) g'; v = b2 v + (1-b2) g'^2;
    /// w -= stepSize m / (sqrt(v) invSqrtBC2 + eps).
    static func adamUpdate(w: UnsafeMutablePointer<Self>, g: UnsafeMutablePointer<Self>, m: UnsafeMutablePointer<Self>,
                           v: UnsafeMutablePointer<Self>, n: Int, beta1: Self, beta2: Self, stepSize: Self,
                           invSqrtBC2: Self, epsilon: Self, weightDecay: Self)

    /// One SGD step (PyTorch's form): v = momentum v + g + wd w; w -= lr v. Leaves g zero.
    static func sgdUpdate(w: UnsafeMutablePointer<Self>, g: UnsafeMutablePointer<Self>, velocity: UnsafeMutablePointer<Self>,
                          n: Int, learningRate: Self, momentum: Self, weightDecay: Self)

    /// a = max(0, z) elementwise; NaN stays NaN.
    static func relu(_ z: UnsafePointer<Self>, into a: UnsafeMutablePointer<Self>, count: Int)
    /// out = da where z > 0, else 0.
    static func reluBackward(_ da: UnsafePointer<Self>, z: UnsafePointer<Self>, into out: UnsafeMutablePointer<Self>,
                             count: Int)
    /// out[j] = sum over rows of x[r, j], in row order.
    static func columnSums(_ x: UnsafePointer<Self>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Self>)
    /// z[r, j] = b[j] for every row.
    static func fillRows(_ z: UnsafeMutablePointer<Self>, _ b: UnsafePointer<Self>, rows: Int, cols: Int)
}

@inline(__always)
private func cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: BLASScalar {
    public static var dtypeName: String { "float32" }
    @inlinable public var double: Double { Double(self) }

    public static func adamUpdate(w: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                                  v: UnsafeMutablePointer<Float>, n: Int, beta1: Float, beta2: Float, stepSize: Float,
                                  invSqrtBC2: Float, epsilon: Float, weightDecay: Float) {
        op_adam_f32(w, g, m, v, n, beta1, beta2, stepSize, invSqrtBC2, epsilon, weightDecay)
    }

    public static func relu(_ z: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>, count: Int) {
        op_relu_f32(z, a, count)
    }

    public static func reluBackward(_ da: UnsafePointer<Float>, z: UnsafePointer<Float>,
                                    into out: UnsafeMutablePointer<Float>, count: Int) {
        op_relu_backward_f32(da, z, out, count)
    }

    public static func fillRows(_ z: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, rows: Int, cols: Int) {
        op_fill_rows_f32(z, b, rows, cols)
    }

    public static func columnSums(_ x: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>) {
        op_column_sums_f32(x, rows, cols, out)
    }

    public static func sgdUpdate(w: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>,
                                 velocity: UnsafeMutablePointer<Float>, n: Int, learningRate: Float,
                                 momentum: Float, weightDecay: Float) {
        op_sgd_f32(w, g, velocity, n, learningRate, momentum, weightDecay)
    }

    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda),
                    b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func gelsd(
        m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int,
        b: UnsafeMutablePointer<Float>, ldb: Int, rcond: Float, rank: inout Int32
    ) -> Int32 {
        var s = [Float](repeating: 0, count: max(1, min(m, n)))
        return LAPACKE_sgelsd(LAPACK_ROW_MAJOR, Int32(m), Int32(n), Int32(nrhs),
                              a, Int32(lda), b, Int32(ldb), &s, rcond, &rank)
    }
}

extension Double: BLASScalar {
    public static var dtypeName: String { "float64" }
    @inlinable public var double: Double { self }

    public static func adamUpdate(w: UnsafeMutablePointer<Double>, g: UnsafeMutablePointer<Double>, m: UnsafeMutablePointer<Double>,
                                  v: UnsafeMutablePointer<Double>, n: Int, beta1: Double, beta2: Double, stepSize: Double,
                                  invSqrtBC2: Double, epsilon: Double, weightDecay: Double) {
        op_adam_f64(w, g, m, v, n, beta1, beta2, stepSize, invSqrtBC2, epsilon, weightDecay)
    }

    public static func relu(_ z: UnsafePointer<Double>, into a: UnsafeMutablePointer<Double>, count: Int) {
        op_relu_f64(z, a, count)
    }

    public static func reluBackward(_ da: UnsafePointer<Double>, z: UnsafePointer<Double>,
                                    into out: UnsafeMutablePointer<Double>, count: Int) {
        op_relu_backward_f64(da, z, out, count)
    }

    public static func fillRows(_ z: UnsafeMutablePointer<Double>, _ b: UnsafePointer<Double>, rows: Int, cols: Int) {
        op_fill_rows_f64(z, b, rows, cols)
    }

    public static func columnSums(_ x: UnsafePointer<Double>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Double>) {
        op_column_sums_f64(x, rows, cols, out)
    }

    public static func sgdUpdate(w: UnsafeMutablePointer<Double>, g: UnsafeMutablePointer<Double>,
                                 velocity: UnsafeMutablePointer<Double>, n: Int, learningRate: Double,
                                 momentum: Double, weightDecay: Double) {
        op_sgd_f64(w, g, velocity, n, learningRate, momentum, weightDecay)
    }

    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda),
                    b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func gelsd(
        m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int,
        b: UnsafeMutablePointer<Double>, ldb: Int, rcond: Double, rank: inout Int32
    ) -> Int32 {
        var s = [Double](repeating: 0, count: max(1, min(m, n)))
        return LAPACKE_dgelsd(LAPACK_ROW_MAJOR, Int32(m), Int32(n), Int32(nrhs),
                              a, Int32(lda), b, Int32(ldb), &s, rcond, &rank)
    }
}
