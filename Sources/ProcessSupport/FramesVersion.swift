/// The version every binary prints for `--version`: they are built and shipped together, so they share one.
/// It must equal the top-level VERSION file, which the Debian package takes (a unit test checks).
public enum FramesVersion {
    public static let string = "0.5.0"
}
