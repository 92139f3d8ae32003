import FramesCore

extension SharedKeyBuckets {
    /// Charges `subject` one request, or refuses it with the 429 its limit calls for: the one rule for
    /// API keys and access tokens alike.
    func admit(_ subject: RateSubject, limit: RateLimit?) throws(RequestError) {
        if case .refused(let seconds) = charge(subject, limit: limit), let limit {
            throw .rateLimited(limit: limit, retryAfterSeconds: seconds)
        }
    }
}
