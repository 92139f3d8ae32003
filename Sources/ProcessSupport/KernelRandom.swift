import CSysRandom
import Glibc

/// Random bytes from the kernel's CSPRNG, through getrandom(2): no file descriptor to run out of, and
/// it blocks only until the pool is first seeded, early in boot, instead of ever handing out weak bytes.
public enum KernelRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { buffer in
            var filled = 0
            while filled < count {
                let got = getrandom(buffer.baseAddress! + filled, count - filled, 0)
                if got > 0 {
                    filled += got
                } else if errno != EINTR {
                    // Only ENOSYS (a kernel before 3.17) gets here; continuing would hand out zeros as secrets.
                    fatalError("getrandom failed: errno \(errno)")
                }
            }
        }
        return out
    }
}
