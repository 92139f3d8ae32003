/// Exit statuses from sysexits(3), which timer units and scripts can tell apart.
public enum SysExit: Int32, Sendable {
    case ok = 0
    case usage = 64
    case dataError = 65
    case noInput = 66
    case software = 70
    /// A system call failed (the listening socket broke).
    case osError = 71
    /// An output cannot be created, e.g. a rename onto a name that is taken.
    case cannotCreate = 73
    case ioError = 74
    /// A later run may succeed (e.g. the database is down): systemd timers simply retry.
    case temporaryFailure = 75
}
