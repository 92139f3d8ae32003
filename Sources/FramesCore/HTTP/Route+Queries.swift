extension Route.Template {
    /// The query type that parses this path's parameters, so that the names a path accepts can be
    /// listed (and checked against the API's description) from the same list its parser refuses by.
    public var query: any RouteQuery.Type {
        switch self {
        case .frames: FrameQuery.self
        case .statistics: StatisticsQuery.self
        case .colorBar: ColorBarQuery.self
        case .dataset: DatasetQuery.self
        case .changes: ChangesQuery.self
        case .root, .health, .ready, .colormaps, .datasets, .generations: EmptyQuery.self
        }
    }
}
