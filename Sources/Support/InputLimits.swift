/// Bounds on integers read from files that other people wrote (manifests, logs, COCO files, PNG headers,
/// results, submissions). Every such integer is checked against these before it takes part in arithmetic or
/// sizes an allocation, so hostile input gives an error naming the file and field, never a trap or a wrapped
/// value. They are far above anything the generator writes.
public enum InputLimits {
    /// Frame ids are below 2⁴⁰ (annotation ids = frame id · 64 + instance id stay far inside Int64).
    public static let frameIdEnd = 1 << 40
    /// Frames one dataset directory may declare (its `frame_range` width): 100 million.
    public static let frames = 100_000_000
    /// Pixels per image side (PNG allows 2³¹ − 1; the generator writes at most 8192).
    public static let imageSide = 1 << 15
    /// Pixels per decoded image (8192 × 8192, the largest image a config may ask for).
    public static let imagePixels = 1 << 26
    /// Frames per episode and physics steps between rendered frames.
    public static let episodeFrames = 1_000_000
    public static let renderEvery = 1_000_000
    /// (category, image) pairs of a COCO evaluation (its per-pair tables; LVIS val is 24 million).
    public static let categoryImagePairs = 1 << 27
    /// YAML files (configs, rubrics, submissions): bytes, nesting depth, and nodes once aliases are expanded.
    public static let yamlBytes = 1 << 20
    public static let yamlDepth = 32
    public static let yamlNodes = 100_000

    /// `width × height` when both are in 1...imageSide and the product is at most `imagePixels`; else nil.
    public static func pixels(width: Int, height: Int) -> Int? {
        guard (1...imageSide).contains(width), (1...imageSide).contains(height) else { return nil }
        let n = width * height  // both ≤ 2¹⁵: no overflow
        return n <= imagePixels ? n : nil
    }

    /// `hi − lo` when it does not overflow.
    public static func width(_ lo: Int, _ hi: Int) -> Int? {
        let (d, o) = hi.subtractingReportingOverflow(lo)
        return o ? nil : d
    }
}
