import Store
import Testing

@Suite("OutputArray")
struct OutputArrayTests {
    @Test("encoding is explicitly little-endian")
    func littleEndianBytes() {
        #expect(OutputArray(float64: [1.0], rows: 1, cols: 1).bytes == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        #expect(OutputArray(float32: [1.0, -2.0], rows: 1, cols: 2).bytes == [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])
    }

    @Test("doubles() decodes both dtypes, keeping NaN and infinities")
    func decode() {
        let values: [Double] = [0.1, -3.5, .infinity, -.infinity, 1e-300, 42]
        #expect(OutputArray(float64: values, rows: 2, cols: 3).doubles() == values)
        let floats: [Float] = [0.1, -3.5, .infinity, -.infinity, 1e-30, 42]
        #expect(OutputArray(float32: floats, rows: 3, cols: 2).doubles() == floats.map(Double.init))
        let nan = OutputArray(float32: [.nan], rows: 1, cols: 1).doubles()
        #expect(nan.count == 1 && nan[0].isNaN)
        #expect(OutputArray(float64: [], rows: 0, cols: 5).doubles().isEmpty)
    }

    @Test("problem names malformed arrays and accepts good ones")
    func problems() {
        #expect(OutputArray(float64: [1, 2], rows: 2, cols: 1).problem == nil)
        #expect(OutputArray(dtype: "int8", rows: 1, cols: 1, bytes: [0]).problem?.contains("int8") == true)
        #expect(OutputArray(dtype: "float32", rows: 1, cols: 2, bytes: [0, 0, 0, 0]).problem?.contains("expected 8") == true)
        #expect(OutputArray(dtype: "float64", rows: -1, cols: 2, bytes: []).problem != nil)
        #expect(OutputArray(dtype: "float64", rows: Int.max, cols: 2, bytes: []).problem != nil)
    }
}
