import Numerical

/// A task's predictions on the test set, or the test targets, as stored: the same
/// little-endian byte form that crosses the wire (see `EncodedMatrix`).
public typealias OutputArray = EncodedMatrix
