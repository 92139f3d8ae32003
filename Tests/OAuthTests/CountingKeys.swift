import FramesCore
import Signatures

/// Counts the signature checks the verifier asks libcrypto for, through the real keys.
final class VerificationCounter: @unchecked Sendable {
    var count = 0

    var makeKey: SignatureKeyMaker {
        { jwk throws(JSONWebKeyError) in CountingKey(inner: try PublicKey(jwk), counter: self) }
    }
}

private final class CountingKey: SignatureKey {
    let inner: any SignatureKey
    let counter: VerificationCounter

    init(inner: any SignatureKey, counter: VerificationCounter) {
        self.inner = inner
        self.counter = counter
    }

    func verifies(_ signature: [UInt8], of signingInput: [UInt8], with algorithm: JWSAlgorithm) -> Bool {
        counter.count += 1
        return inner.verifies(signature, of: signingInput, with: algorithm)
    }
}
