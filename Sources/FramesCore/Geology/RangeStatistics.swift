/// `/statistics`: what the original pixels (full width, as ingested) of a depth range hold, with
/// numpy's definitions (population std, linear percentiles), all from one histogram.
public struct RangeStatistics: Sendable, Equatable {
    public var dataset: DatasetInfo
    /// The range reported: the query's ends, or the dataset's where the query left one out.
    public var depthMin: Double
    public var depthMax: Double
    public var frames: Int
    public var histogram: PixelHistogram
    public var percentiles: [Double]

    public init(dataset: DatasetInfo, query: StatisticsQuery, frames: Int, histogram: PixelHistogram) {
        self.dataset = dataset
        depthMin = query.depthMin ?? dataset.depthMin
        depthMax = query.depthMax ?? dataset.depthMax
        self.frames = frames
        self.histogram = histogram
        percentiles = query.percentiles
    }

    /// `{"dataset","generation","depth_min","depth_max","frames","pixels","min","max","mean","std",
    /// "percentiles":{…},"histogram":[256 counts]}`; an empty range has nulls for what it lacks.
    public var json: [UInt8] {
        var out: [UInt8] = []
        func number(_ value: Double?) {
            if let value { JSONWriter.appendNumber(value, to: &out) } else { JSONWriter.appendRaw("null", to: &out) }
        }
        func integer(_ value: UInt8?) {
            if let value { JSONWriter.appendNumber(Int(value), to: &out) } else { JSONWriter.appendRaw("null", to: &out) }
        }
        JSONWriter.appendRaw(#"{"dataset":"#, to: &out)
        JSONWriter.appendString(dataset.name, to: &out)
        JSONWriter.appendRaw(#","generation":"#, to: &out)
        JSONWriter.appendNumber(Int(dataset.generation), to: &out)
        JSONWriter.appendRaw(#","depth_min":"#, to: &out)
        number(depthMin)
        JSONWriter.appendRaw(#","depth_max":"#, to: &out)
        number(depthMax)
        JSONWriter.appendRaw(#","frames":"#, to: &out)
        JSONWriter.appendNumber(frames, to: &out)
        JSONWriter.appendRaw(#","pixels":"#, to: &out)
        JSONWriter.appendNumber(histogram.total, to: &out)
        JSONWriter.appendRaw(#","min":"#, to: &out)
        integer(histogram.minimum)
        JSONWriter.appendRaw(#","max":"#, to: &out)
        integer(histogram.maximum)
        JSONWriter.appendRaw(#","mean":"#, to: &out)
        number(histogram.mean)
        JSONWriter.appendRaw(#","std":"#, to: &out)
        number(histogram.standardDeviation)
        JSONWriter.appendRaw(#","percentiles":{"#, to: &out)
        for (index, percentile) in percentiles.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(StatisticsQuery.key(percentile), to: &out)
            out.append(UInt8(ascii: ":"))
            number(histogram.percentile(percentile))
        }
        JSONWriter.appendRaw(#"},"histogram":["#, to: &out)
        for (value, count) in histogram.counts.enumerated() {
            if value > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendNumber(count, to: &out)
        }
        JSONWriter.appendRaw("]}", to: &out)
        return out
    }
}
