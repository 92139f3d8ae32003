/// The version every binary prints for `--version`: they are built and shipped together, so they share one.
public enum FramesVersion {
    public static let string = "0.5.0"
}
