/// The pool's listening socket as the kernel reports it (`ss -xl`): connections waiting for a worker's
/// accept, and the backlog past which new ones are refused. A refused connection reaches nobody in the
/// pool (nginx gets EAGAIN and answers 503), and the kernel counts no drops for unix sockets, so a full
/// queue seen at an accept is the pool's own sign that some were refused.
public struct ListenQueue: Sendable, Equatable {
    public var length: Int
    public var capacity: Int

    public init(length: Int, capacity: Int) {
        self.length = length
        self.capacity = capacity
    }

    /// Whether the queue was refusing arrivals before `taken` connections left it. Linux lets one
    /// connection past the backlog into the queue and refuses arrivals from then on, so the queue reads
    /// `capacity + 1` at its fullest; a worker sampling just after its accept sees one fewer.
    public func wasFull(beforeTaking taken: Int) -> Bool { length + taken > capacity }
}
