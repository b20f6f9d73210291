/// A dense row-major matrix: `rows` x `cols` scalars, element (i, j) at `i * cols + j`.
///
/// Value semantics (copy on write through the backing array). Shapes are checked
/// with preconditions: a shape mismatch is a programming error, not a user error.
public struct Matrix<T: BLASScalar>: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    public var storage: [T]

    @inlinable public init(rows: Int, cols: Int, repeating value: T = 0) {
        precondition(rows >= 0 && cols >= 0, "negative matrix shape \(rows)x\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = [T](repeating: value, count: rows * cols)
    }

    @inlinable public init(rows: Int, cols: Int, storage: [T]) {
        precondition(storage.count == rows * cols,
                     "storage has \(storage.count) elements, shape \(rows)x\(cols) needs \(rows * cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// Rows given as arrays of equal length.
    @inlinable public init(_ rowArrays: [[T]]) {
        let cols = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == cols }, "ragged rows")
        self.init(rows: rowArrays.count, cols: cols, storage: rowArrays.flatMap { $0 })
    }

    @inline(__always)
    @inlinable public subscript(i: Int, j: Int) -> T {
        get { storage[i * cols + j] }
        set { storage[i * cols + j] = newValue }
    }

    @inlinable public func row(_ i: Int) -> ArraySlice<T> { storage[(i * cols)..<((i + 1) * cols)] }

    /// The rows at `indices`, in that order.
    @inlinable public func gatherRows(_ indices: [Int]) -> Matrix<T> {
        var out = Matrix(rows: indices.count, cols: cols)
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for (r, i) in indices.enumerated() {
                    precondition(i >= 0 && i < rows, "row \(i) out of 0..<\(rows)")
                    for j in 0..<cols { dst[r * cols + j] = src[i * cols + j] }
                }
            }
        }
        return out
    }

    /// A copy with a constant column appended (the bias input `[x; 1]`).
    @inlinable public func appendingColumn(_ value: T) -> Matrix<T> {
        var out = Matrix(rows: rows, cols: cols + 1)
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for i in 0..<rows {
                    for j in 0..<cols { dst[i * (cols + 1) + j] = src[i * cols + j] }
                    dst[i * (cols + 1) + cols] = value
                }
            }
        }
        return out
    }

    @inlinable public func transposed() -> Matrix<T> {
        var out = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { out.storage[j * rows + i] = storage[i * cols + j] } }
        return out
    }

    /// Element-wise conversion to another scalar type.
    @inlinable public func converted<U: BLASScalar>(to: U.Type = U.self) -> Matrix<U> {
        Matrix<U>(rows: rows, cols: cols, storage: storage.map { U($0) })
    }

    /// Frobenius norm, accumulated in Double.
    @inlinable public var frobeniusNorm: Double {
        var s = 0.0
        for v in storage { let d = Double(v); s += d * d }
        return s.squareRoot()
    }
}
