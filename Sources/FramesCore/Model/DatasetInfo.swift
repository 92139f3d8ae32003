/// What the database knows about one ingested image log.
public struct DatasetInfo: Sendable, Equatable {
    public var name: String
    public var originalWidth: Int
    public var resizedWidth: Int
    public var depthMin: Double
    public var depthMax: Double
    public var frameCount: Int
    /// Changes on every ingest of the dataset; the query side derives ETags from it.
    public var generation: Int64

    public init(name: String, originalWidth: Int, resizedWidth: Int, depthMin: Double, depthMax: Double,
                frameCount: Int, generation: Int64) {
        self.name = name
        self.originalWidth = originalWidth
        self.resizedWidth = resizedWidth
        self.depthMin = depthMin
        self.depthMax = depthMax
        self.frameCount = frameCount
        self.generation = generation
    }
}
